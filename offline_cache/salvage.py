"""Reading the outbox out of a broken cache file, as much of it as can be read."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from offline_cache.files import connect_read_only
from offline_cache.rows import OUTBOX_COLUMNS, OutboxRow

log = logging.getLogger(__name__)

#: Rowids probed in one statement when the outbox is read piece by piece.
_CHUNK = 64
#: How far past the last rowid read to probe when the table's largest rowid is unreadable.
_PROBE_MARGIN = 4096
#: A bound on rowid probing.
_MAX_PROBES = 200_000


@dataclass
class Salvage:
    """The outbox rows read from a broken file; `complete` is False when the file may have
    held rows that could not be read (including: its schema could not be read at all)."""

    rows: list[OutboxRow] = field(default_factory=list)
    complete: bool = True


def salvage_outbox(path: Path) -> Salvage:
    """Read the outbox of the file at `path` without writing to it: first through a normal
    read-only connection, then, if that did not read everything, as an immutable file (no
    locks, no WAL). Rows found by either attempt are kept."""
    found: dict[str, OutboxRow] = {}
    complete = False
    for immutable in (False, True):
        rows, complete = _read(path, immutable=immutable)
        for row in rows:
            found.setdefault(row.id, row)
        if complete:
            break
    return Salvage(sorted(found.values(), key=lambda row: row.position), complete)


def _read(path: Path, *, immutable: bool) -> tuple[list[OutboxRow], bool]:
    try:
        conn = connect_read_only(path, immutable=immutable, timeout=1.0)
        # Relaxes SQLite's sanity checks on the file as a whole, such as a page count in the
        # header beyond the end of a truncated file, so the pages still there can be read.
        # The connection is read-only: nothing is written.
        conn.execute("PRAGMA writable_schema = ON")
    except sqlite3.Error as exc:
        log.warning("outbox salvage: cannot open %s: %s", path.name, exc)
        return [], False
    try:
        try:
            columns = [row[1] for row in conn.execute("PRAGMA table_info(outbox)")]
            if not columns:  # no outbox table: nothing was queued in this file
                return [], True
        except sqlite3.Error as exc:
            log.warning("outbox salvage: schema unreadable: %s", exc)
            return [], False
        if not {"id", "body"} <= set(columns):
            log.warning("outbox salvage: unknown outbox columns %s", columns)
            return [], False
        wanted = [c for c in OUTBOX_COLUMNS if c in columns]
        select = "SELECT rowid, " + ", ".join(f'"{c}"' for c in wanted) + " FROM outbox"
        got: dict[int, OutboxRow | None] = {}
        try:
            for raw in conn.execute(select + " ORDER BY rowid"):
                got[raw[0]] = _row(wanted, raw[1:])
            return _valid(got)
        except sqlite3.Error as exc:
            log.warning("outbox salvage: full read failed after %d rows (%s); reading by rowid",
                        len(got), exc)
        complete = _read_by_rowid(conn, select, wanted, got)
        rows, valid = _valid(got)
        return rows, complete and valid
    finally:
        conn.close()


def _read_by_rowid(conn: sqlite3.Connection, select: str, wanted: list[str],
                   got: dict[int, OutboxRow | None]) -> bool:
    """Read what a damaged table still gives, range by range and then rowid by rowid where
    a range fails; return whether every rowid up to the largest could be read."""
    complete = True
    try:
        top = conn.execute("SELECT max(rowid) FROM outbox").fetchone()[0] or 0
    except sqlite3.Error:
        complete = False
        top = max(got, default=0) + _PROBE_MARGIN
    if top > _MAX_PROBES:
        complete, top = False, _MAX_PROBES
    for start in range(1, top + 1, _CHUNK):
        end = min(start + _CHUNK - 1, top)
        try:
            for raw in conn.execute(select + " WHERE rowid BETWEEN ? AND ?", (start, end)):
                got[raw[0]] = _row(wanted, raw[1:])
            continue
        except sqlite3.Error:
            pass
        for rowid in range(start, end + 1):
            try:
                raw = conn.execute(select + " WHERE rowid = ?", (rowid,)).fetchone()
            except sqlite3.Error:
                complete = False
                continue
            if raw is not None:
                got[raw[0]] = _row(wanted, raw[1:])
    return complete


def _row(columns: list[str], values: tuple) -> OutboxRow | None:
    """An outbox row from its stored values, or None when they are not what the cache
    writes (a damaged cell can decode to the wrong types)."""
    data = dict(zip(columns, values, strict=True))
    body = data.get("body")
    if isinstance(body, str):
        body = body.encode()
    if not isinstance(data.get("id"), str) or not isinstance(body, bytes):
        return None
    try:
        return OutboxRow(
            id=data["id"], kind=str(data.get("kind") or ""),
            event_id=str(data.get("event_id") or ""),
            idempotency_key=str(data.get("idempotency_key") or ""), body=body,
            created_at=str(data.get("created_at") or ""),
            username=str(data.get("username") or ""),
            state=str(data.get("state") or "pending"), attempts=int(data.get("attempts") or 0),
            last_error=str(data.get("last_error") or ""),
            position=int(data.get("position") or 0))
    except (TypeError, ValueError):
        return None


def _valid(got: dict[int, OutboxRow | None]) -> tuple[list[OutboxRow], bool]:
    rows = [row for row in got.values() if row is not None]
    return rows, len(rows) == len(got)
