"""The start-up check: is the cache file one this console can use?"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from offline_cache.files import connect_read_only
from offline_cache.schema import TABLES_V1, NewerSchemaError, latest_version

#: SQLite errors that say nothing about the file's contents (it is busy, or we may not open
#: it): the file is not quarantined for these, the error is raised.
_NOT_THE_FILES_FAULT = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_PERM",
                        "SQLITE_AUTH", "SQLITE_NOMEM", "SQLITE_READONLY")


def problem(path: Path, *, timeout: float = 5.0) -> str | None:
    """Why the file at `path` must be quarantined, or None when it is healthy (an empty file
    is a new cache). The file is opened read-only: a broken one is never written to."""
    if path.stat().st_size == 0:
        return None
    conn = connect_read_only(path, timeout=timeout)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > latest_version():
            return str(NewerSchemaError(version))
        tables = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 and tables:
            return "not a cache: tables without a schema version"
        if version >= 1 and not TABLES_V1 <= tables:
            return "schema: missing tables " + ", ".join(sorted(TABLES_V1 - tables))
        findings = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        name = getattr(exc, "sqlite_errorname", "") or ""
        if name.startswith(_NOT_THE_FILES_FAULT):
            raise
        return str(exc) if name.startswith("SQLITE_NOTADB") else f"quick_check: {exc}"
    finally:
        conn.close()
    if findings != ["ok"]:
        shown = "; ".join(findings[:3]) + (f" (+{len(findings) - 3} more)"
                                           if len(findings) > 3 else "")
        return f"quick_check: {shown}"
    return None
