"""Helpers for the offline cache tests: rows to write, and ways to damage a cache file."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import orjson

from offline_cache import EventRow, OutboxRow

REPORTED = "2026-11-23T08:00:00+08:00"


def event(n: int, seq: int | None = None, *, status: str = "new", note: str = "") -> EventRow:
    """Event `e<n>` at `seq` (default n), its document a JSON record naming both."""
    seq = n if seq is None else seq
    document = orjson.dumps({"id": f"e{n}", "seq": seq, "status": status, "level": 1 + n % 4,
                             "category": "road", "title": f"event {n}", "note": note})
    return EventRow(f"e{n}", seq, status, 1 + n % 4, "road", REPORTED, REPORTED, document)


def command(n: int, **fields) -> OutboxRow:
    """Outbox command `c<n>`: an action on event `e<n>`."""
    values = dict(id=f"c{n}", kind="action", event_id=f"e{n}", idempotency_key=f"key-{n}",
                  body=orjson.dumps({"action": "ack", "expected_version": n}),
                  created_at="2026-11-23T08:00:00+08:00", username="duty1")
    values.update(fields)
    return OutboxRow(**values)


def page_size(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()


def pages_of(path: Path, name: str) -> list[int]:
    """The page numbers holding table or index `name` (from the dbstat table)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [p for (p,) in conn.execute(
            "SELECT DISTINCT pageno FROM dbstat WHERE name = ? ORDER BY pageno", (name,))]
    finally:
        conn.close()


def overwrite_pages(path: Path, pages: list[int], *, seed: int = 7) -> None:
    """Overwrite whole pages (numbered from 1) with random bytes."""
    size = page_size(path)
    rng = random.Random(seed)
    with open(path, "r+b") as f:
        for page in pages:
            f.seek((page - 1) * size)
            f.write(rng.randbytes(size))
