"""Map tiles bounded by a byte budget, least recently used out first."""

from __future__ import annotations

import time
from collections.abc import Iterable

from sqlite_utils import Database


class TileShelf:
    """The writer thread's view of the `tiles` table: it keeps the running total of tile
    bytes so that a put does not sum the table. Only the writer thread calls it."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.total = 0
        self._last = 0.0

    def load(self, db: Database) -> None:
        self.total = int(db.execute("SELECT total(length(data)) FROM tiles").fetchone()[0])

    def _now(self) -> float:
        # Strictly increasing, so that two uses within the clock's resolution keep their order.
        self._last = max(time.time(), self._last + 1e-6)
        return self._last

    def put(self, db: Database, key: str, data: bytes, content_type: str) -> bool:
        """Store a tile and evict the least recently used others while over the budget;
        False (nothing stored) for a tile larger than the whole budget."""
        if len(data) > self.budget:
            return False
        try:
            with db.atomic():
                old = db.execute("SELECT length(data) FROM tiles WHERE key = ?",
                                 (key,)).fetchone()
                now = self._now()
                db["tiles"].upsert({"key": key, "data": data, "content_type": content_type,
                                    "fetched_at": now, "last_used": now}, pk="key")
                self.total += len(data) - (old[0] if old else 0)
                self._evict(db, keep=key)
        except BaseException:
            self.load(db)
            raise
        return True

    def _evict(self, db: Database, keep: str) -> None:
        while self.total > self.budget:
            oldest = db.execute("SELECT key, length(data) FROM tiles WHERE key != ?"
                                " ORDER BY last_used LIMIT 64", (keep,)).fetchall()
            if not oldest:
                return
            gone = []
            for key, size in oldest:
                if self.total <= self.budget:
                    break
                gone.append((key,))
                self.total -= size
            db.conn.executemany("DELETE FROM tiles WHERE key = ?", gone)

    def touch(self, db: Database, keys: Iterable[str]) -> None:
        """Mark tiles as used now, in the order given."""
        with db.atomic():
            db.conn.executemany("UPDATE tiles SET last_used = ? WHERE key = ?",
                                [(self._now(), key) for key in keys])
