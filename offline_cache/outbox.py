"""The outbox table: commands kept until the backend has answered them for good.

Every change runs in a `synchronous=FULL` transaction (see `writer.durable`): a command is on
disk before the console first sends it.
"""

from __future__ import annotations

import dataclasses
import sqlite3

from sqlite_utils import Database

from offline_cache.rows import OUTBOX_COLUMNS, OutboxRow
from offline_cache.writer import durable

_SELECT = "SELECT " + ", ".join(OUTBOX_COLUMNS) + " FROM outbox"
# The position counter lives in `sync`, so removing the last row never lets a later command
# take its position again.
_COUNTER = "outbox_position"
_INSERT = (f"INSERT INTO outbox ({', '.join(OUTBOX_COLUMNS)}) "
           f"VALUES ({', '.join('?' * len(OUTBOX_COLUMNS))})")
_SET_COUNTER = ("INSERT INTO sync (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value")


def read_all(conn: sqlite3.Connection) -> list[OutboxRow]:
    return [_row(values) for values in conn.execute(_SELECT + " ORDER BY position")]


def _row(values: tuple) -> OutboxRow:
    row = OutboxRow(**dict(zip(OUTBOX_COLUMNS, values, strict=True)))
    row.body = bytes(row.body)
    return row


def _get(db: Database, command_id: str) -> OutboxRow | None:
    values = db.execute(_SELECT + " WHERE id = ?", (command_id,)).fetchone()
    return None if values is None else _row(values)


def _next_position(db: Database) -> int:
    counter = db.execute("SELECT value FROM sync WHERE key = ?", (_COUNTER,)).fetchone()
    top = db.execute("SELECT max(position) FROM outbox").fetchone()[0] or 0
    return max(int(counter[0]) if counter else 0, top) + 1


def _insert(db: Database, row: OutboxRow) -> None:
    # Plain SQL rather than `table.insert`: a user waits on this, and sqlite-utils reads the
    # table's schema on every call (about half a millisecond each).
    db.conn.execute(_INSERT, [getattr(row, column) for column in OUTBOX_COLUMNS])
    db.conn.execute(_SET_COUNTER, (_COUNTER, row.position))


def add(db: Database, row: OutboxRow) -> OutboxRow:
    with durable(db), db.atomic():
        existing = _get(db, row.id)
        if existing is not None:
            return existing
        stored = dataclasses.replace(row, position=_next_position(db))
        _insert(db, stored)
    return stored


def update(db: Database, command_id: str, fields: dict) -> OutboxRow | None:
    with durable(db), db.atomic():
        if fields:
            # The names were checked against OUTBOX_MUTABLE by the caller.
            sets = ", ".join(f"{name} = ?" for name in fields)
            db.conn.execute(f"UPDATE outbox SET {sets} WHERE id = ?", [*fields.values(),
                                                                       command_id])
        return _get(db, command_id)


def remove(db: Database, command_id: str) -> bool:
    with durable(db), db.atomic():
        return db.execute("DELETE FROM outbox WHERE id = ?", (command_id,)).rowcount > 0


def restore(db: Database, rows: list[OutboxRow]) -> int:
    """Put rows salvaged from a broken file back, in their order, with new positions after
    any already here; rows whose id is already stored are skipped."""
    added = 0
    with durable(db), db.atomic():
        for row in sorted(rows, key=lambda r: r.position):
            if _get(db, row.id) is None:
                _insert(db, dataclasses.replace(row, position=_next_position(db)))
                added += 1
    return added
