"""`OfflineCache`: the console's SQLite mirror of live data, its outbox and its map tiles."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import Future
from pathlib import Path

from sqlite_utils import Database

from offline_cache import outbox, startup
from offline_cache.files import CACHE_NAME
from offline_cache.live_writes import DOCUMENT_TABLES, Batch, replace_events, write_batch
from offline_cache.readers import ReadConnections
from offline_cache.rows import OUTBOX_MUTABLE, EventRow, IndicatorRow, OutboxRow
from offline_cache.schema import migrate
from offline_cache.startup import OpenReport
from offline_cache.tiles import TileShelf
from offline_cache.writer import CLOSED_MESSAGE, Writer

DEFAULT_HISTORY_WINDOW = 7 * 24 * 3600.0
DEFAULT_TILE_BUDGET = 256 * 1024 * 1024


class OfflineCache:
    """The offline cache in `<data_dir>/cache.db`. Build it with `OfflineCache.open`.

    Writes go through one writer thread. `write`, `replace_events` and `tile_put` return a
    `Future` that completes when the transaction is committed (or carries its error); the
    outbox methods block until their change is on disk. Reads run on the calling thread
    with that thread's own read-only connection and see the last committed state.
    """

    def __init__(self, path: Path, *, history_window: float = DEFAULT_HISTORY_WINDOW,
                 tile_budget: int = DEFAULT_TILE_BUDGET, busy_timeout: float = 5.0) -> None:
        self.path = path
        self._history_window = history_window
        self._tiles = TileShelf(tile_budget)
        self._lock = threading.Lock()
        self._closed = False
        self._touched: dict[str, None] = {}
        self._writer = Writer(path, timeout=busy_timeout, setup=self._setup)
        self._reads = ReadConnections(path, timeout=busy_timeout)

    @classmethod
    def open(cls, data_dir: str | os.PathLike, *,
             history_window: float = DEFAULT_HISTORY_WINDOW,
             tile_budget: int = DEFAULT_TILE_BUDGET,
             busy_timeout: float = 5.0) -> tuple[OfflineCache, OpenReport]:
        """Open (or create) the cache in `data_dir`. A file that fails the start-up check is
        quarantined and replaced by a new cache holding the outbox rows salvaged from it;
        the report says what happened. Raises `sqlite3.Error` or `OSError` when the file
        cannot be used for a reason that is not its contents (permissions, a busy lock)."""
        directory = Path(data_dir)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / CACHE_NAME
        report, salvaged = startup.prepare(path, timeout=busy_timeout)
        cache = cls(path, history_window=history_window, tile_budget=tile_budget,
                    busy_timeout=busy_timeout)
        if salvaged:
            try:
                cache._writer.submit("outbox restore", lambda db: outbox.restore(db, salvaged),
                                     urgent=True).result()
            except BaseException:
                cache.close()
                raise
        return cache, report

    def _setup(self, db: Database) -> None:
        migrate(db)
        self._tiles.load(db)

    def __enter__(self) -> OfflineCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Commit every write already submitted, stop the writer thread and close all
        connections. Idempotent; any later read or write raises RuntimeError."""
        with self._lock:
            self._closed = True
        self._reads.close()
        self._writer.close()

    # ---- writes

    def write(self, events: Iterable[EventRow] = (), *, last_seq: int | None = None,
              units: Mapping[str, bytes] | None = None,
              cameras: Mapping[str, bytes] | None = None,
              map_layers: Mapping[str, bytes] | None = None, catalog: bytes | None = None,
              indicators: Iterable[IndicatorRow] = (),
              history: Iterable[tuple[str, float, float]] = ()) -> Future[None]:
        """Write one batch of live data in one transaction.

        Events are upserted when their seq is higher than the stored copy's; `last_seq` only
        moves forward; units, cameras and map layers (id → JSON document) are upserted by
        id, the catalog replaced; an indicator's latest value is replaced unless the stored
        one is later; `history` samples are `(indicator_id, at, value)`, after which samples
        older than the history window behind an indicator's newest are pruned.
        """
        documents = {name: dict(docs) for name, docs in
                     zip(DOCUMENT_TABLES, (units, cameras, map_layers), strict=True)
                     if docs is not None}
        batch = Batch(list(events), last_seq, documents, catalog, list(indicators),
                      list(history))
        window = self._history_window
        return self._submit("write", lambda db: write_batch(db, batch, history_window=window,
                                                            now=time.time()))

    def replace_events(self, events: Iterable[EventRow], last_seq: int) -> Future[None]:
        """A full reload: all events replaced and `last_seq` set (even backwards), in one
        transaction."""
        rows = list(events)
        return self._submit("replace_events", lambda db: replace_events(
            db, rows, last_seq=last_seq, now=time.time()))

    def tile_put(self, key: str, data: bytes, content_type: str) -> Future[bool]:
        """Store a map tile; least recently used tiles are evicted to stay within the
        budget. The future's result is False when the tile alone exceeds the budget."""
        data = bytes(data)
        return self._submit("tile_put", lambda db: self._tiles.put(db, key, data, content_type))

    def _submit(self, name: str, job, *, urgent: bool = False) -> Future:
        if self._closed:
            raise RuntimeError(CLOSED_MESSAGE)
        return self._writer.submit(name, job, urgent=urgent)

    # ---- the outbox (blocking, durable)

    def outbox_add(self, row: OutboxRow) -> OutboxRow:
        """Store a command durably and return it with its position. An id already stored is
        left as it is, and the stored row returned."""
        return self._submit("outbox_add", lambda db: outbox.add(db, row), urgent=True).result()

    def outbox_update(self, command_id: str, **fields: object) -> OutboxRow | None:
        """Change `state`, `attempts`, `last_error` and/or `body` (a request rebased on a
        newer version; its id and idempotency key stay) of a stored command durably; return
        the updated row, or None when no such command is stored."""
        unknown = set(fields) - OUTBOX_MUTABLE
        if unknown:
            raise ValueError(f"outbox_update cannot change {sorted(unknown)}")
        return self._submit("outbox_update", lambda db: outbox.update(db, command_id, fields),
                            urgent=True).result()

    def outbox_remove(self, command_id: str) -> bool:
        """Delete a command durably; False when it was not stored."""
        return self._submit("outbox_remove", lambda db: outbox.remove(db, command_id),
                            urgent=True).result()

    def outbox(self) -> list[OutboxRow]:
        """All stored commands in replay (position) order."""
        return outbox.read_all(self._conn())

    # ---- reads

    def _conn(self):
        if self._closed:
            raise RuntimeError(CLOSED_MESSAGE)
        return self._reads.get()

    def _sync_value(self, key: str):
        row = self._conn().execute("SELECT value FROM sync WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def last_seq(self) -> int:
        """The seq of the last applied live message (0 for an empty cache)."""
        return int(self._sync_value("last_seq") or 0)

    def written_at(self) -> float | None:
        """When live data was last written (epoch seconds), None if never."""
        value = self._sync_value("written_at")
        return None if value is None else float(value)

    def event_count(self) -> int:
        return self._conn().execute("SELECT count(*) FROM events").fetchone()[0]

    def event_documents(self, *, open_newest_first: bool = False, start: int = 0,
                        count: int | None = None) -> list[bytes]:
        """Every event's JSON document, in the order the events were first stored; or, with
        `open_newest_first`, the events not closed first, newest report first, then the
        closed ones, newest first (a cold start shows what matters before the history).
        `start` and `count` take a slice of that order."""
        if open_newest_first:
            query = ("SELECT document FROM events "
                     "ORDER BY status = 'closed', reported_at DESC, rowid DESC")
        else:
            query = "SELECT document FROM events ORDER BY rowid"
        query += " LIMIT ? OFFSET ?"
        limit = -1 if count is None else max(0, count)
        return [row[0] for row in self._conn().execute(query, (limit, max(0, start)))]

    def catalog_document(self) -> bytes | None:
        row = self._conn().execute("SELECT document FROM catalog WHERE id = 1").fetchone()
        return None if row is None else row[0]

    def documents(self, table: str) -> dict[str, bytes]:
        """id → JSON document of "units", "cameras" or "map_layers"."""
        if table not in DOCUMENT_TABLES:
            raise ValueError(f"no document table {table!r}; one of {DOCUMENT_TABLES}")
        return dict(self._conn().execute(f"SELECT id, document FROM {table} ORDER BY rowid"))

    def indicators(self) -> list[IndicatorRow]:
        """The latest value of every indicator, by id."""
        return [IndicatorRow(*row) for row in self._conn().execute(
            "SELECT id, value, state, at, document FROM indicators ORDER BY id")]

    def indicator_history(self, indicator_id: str, since: float) -> list[tuple[float, float]]:
        """`(at, value)` samples of one indicator from `since` on, oldest first."""
        return [(at, value) for at, value in self._conn().execute(
            "SELECT at, value FROM indicator_history WHERE indicator_id = ? AND at >= ?"
            " ORDER BY at", (indicator_id, since))]

    def tile(self, key: str) -> tuple[bytes, str] | None:
        """A stored tile's bytes and content type. Marks it used (through the writer, later:
        the reader does not wait)."""
        row = self._conn().execute("SELECT data, content_type FROM tiles WHERE key = ?",
                                   (key,)).fetchone()
        if row is None:
            return None
        self._touch(key)
        return row[0], row[1] or ""

    def _touch(self, key: str) -> None:
        # Uses are collected and written by one writer job, however many reads come first.
        with self._lock:
            first = not self._touched
            self._touched.pop(key, None)
            self._touched[key] = None
        if first:
            try:
                self._submit("tile touch", self._write_touches)
            except RuntimeError:
                pass

    def _write_touches(self, db: Database) -> None:
        with self._lock:
            keys, self._touched = list(self._touched), {}
        self._tiles.touch(db, keys)
