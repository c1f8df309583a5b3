"""The cache file on disk: created private (0600), and moved aside when it is broken."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

CACHE_NAME = "cache.db"
#: The files SQLite keeps next to a database in WAL mode; they travel with it.
COMPANIONS = ("-wal", "-shm")


def create_private(path: Path) -> None:
    """Make sure `path` exists and only its owner may read or write it.

    SQLite gives the -wal and -shm files the mode of the database file, so creating the file
    0600 before SQLite opens it keeps all three private.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.fstat(fd).st_mode & 0o777 != 0o600:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    for suffix in COMPANIONS:
        companion = Path(f"{path}{suffix}")
        if companion.exists() and companion.stat().st_mode & 0o777 != 0o600:
            companion.chmod(0o600)


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """A URI that opens `path` without ever writing to it (`immutable` also skips locking
    and the WAL: the last resort for a file whose companions are damaged)."""
    return path.resolve().as_uri() + ("?immutable=1" if immutable else "?mode=ro")


def connect_read_only(path: Path, *, immutable: bool = False,
                      timeout: float = 5.0) -> sqlite3.Connection:
    return sqlite3.connect(read_only_uri(path, immutable=immutable), uri=True,
                           timeout=timeout, check_same_thread=False)


def quarantine(path: Path) -> Path:
    """Rename a broken cache and its companions to `<name>.broken-<UTC time>`; return the
    new path. The companions go first: a -wal left behind would be replayed into the fresh
    file that takes the old name."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while any(Path(f"{target}{suffix}").exists() for suffix in ("", *COMPANIONS)):
        n += 1
        target = path.with_name(f"{path.name}.broken-{stamp}-{n}")
    for suffix in COMPANIONS:
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            os.rename(companion, f"{target}{suffix}")
    os.rename(path, target)
    return target
