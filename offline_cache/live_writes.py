"""Writing live data: each batch in one transaction together with the sync cursor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlite_utils import Database

from offline_cache.rows import EventRow, IndicatorRow

_EVENT_COLUMNS = "id, seq, status, level, category, reported_at, updated_at, document"
# ON CONFLICT DO UPDATE keeps the row's rowid, so an updated event keeps its place in
# `event_documents()`; the WHERE is the seq guard: an older copy never overwrites a newer.
_UPSERT_EVENT = (
    f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, status = excluded.status, "
    "level = excluded.level, category = excluded.category, "
    "reported_at = excluded.reported_at, updated_at = excluded.updated_at, "
    "document = excluded.document WHERE excluded.seq > events.seq"
)
_UPSERT_INDICATOR = (
    "INSERT INTO indicators (id, value, state, at, document) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT(id) DO UPDATE SET value = excluded.value, state = excluded.state, "
    "at = excluded.at, document = excluded.document WHERE excluded.at >= indicators.at"
)
_ADVANCE_LAST_SEQ = (
    "INSERT INTO sync (key, value) VALUES ('last_seq', ?) "
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE excluded.value > sync.value"
)
# Plain SQL, not `table.upsert`, which reads the table's schema on every call: this runs in
# every batch.
_SET_SYNC = ("INSERT INTO sync (key, value) VALUES (?, ?) "
             "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
_PRUNE_HISTORY = (
    "DELETE FROM indicator_history WHERE indicator_id = ?1 AND at < "
    "(SELECT max(at) FROM indicator_history WHERE indicator_id = ?1) - ?2"
)

#: The tables of plain id → document pairs.
DOCUMENT_TABLES = ("units", "cameras", "map_layers")


@dataclass
class Batch:
    """What one `OfflineCache.write` call carries; None / empty means "not in this batch"."""

    events: list[EventRow] = field(default_factory=list)
    last_seq: int | None = None
    documents: dict[str, Mapping[str, bytes]] = field(default_factory=dict)
    catalog: bytes | None = None
    indicators: list[IndicatorRow] = field(default_factory=list)
    history: list[tuple[str, float, float]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.events or self.last_seq is not None or self.documents
                    or self.catalog is not None or self.indicators or self.history)


def _event_values(events: list[EventRow]) -> list[tuple]:
    return [(e.id, e.seq, e.status, e.level, e.category, e.reported_at, e.updated_at,
             e.document) for e in events]


def _set_sync(db: Database, key: str, value: float | int) -> None:
    db.execute(_SET_SYNC, (key, value))


def write_batch(db: Database, batch: Batch, *, history_window: float, now: float) -> None:
    if not batch:
        return
    with db.atomic():
        if batch.events:
            db.conn.executemany(_UPSERT_EVENT, _event_values(batch.events))
        for table, documents in batch.documents.items():
            db[table].upsert_all(({"id": key, "document": doc} for key, doc in documents.items()),
                                 pk="id")
        if batch.catalog is not None:
            db["catalog"].upsert({"id": 1, "document": batch.catalog}, pk="id")
        if batch.indicators:
            db.conn.executemany(_UPSERT_INDICATOR, [(i.id, i.value, i.state, i.at, i.document)
                                                    for i in batch.indicators])
        if batch.history:
            db["indicator_history"].insert_all(
                ({"indicator_id": i, "at": at, "value": value} for i, at, value in batch.history),
                replace=True)
            db.conn.executemany(_PRUNE_HISTORY, [(i, history_window)
                                                 for i in {i for i, _, _ in batch.history}])
        if batch.last_seq is not None:
            db.execute(_ADVANCE_LAST_SEQ, (batch.last_seq,))
        _set_sync(db, "written_at", now)


def replace_events(db: Database, events: list[EventRow], *, last_seq: int, now: float) -> None:
    """A full reload: it is authoritative, so `last_seq` may move backwards here."""
    with db.atomic():
        db.execute("DELETE FROM events")
        db.conn.executemany(_UPSERT_EVENT, _event_values(events))
        _set_sync(db, "last_seq", last_seq)
        _set_sync(db, "written_at", now)
