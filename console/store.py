"""The console's in-memory picture of the district: events in arrival order, and the catalog.

Changes arrive in batches (from the live feed, or REST results) and go out as one signal
per kind per batch, never one per event, so a view can follow 5,000 events/s.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from pydantic import ValidationError

from console.events import Signal
from console.schema import DURABLE_LIVE_TYPES, Catalog, Event, LiveMessage

log = logging.getLogger(__name__)


class EventStore:
    """Events in arrival order: `row` is an event's position and never changes.

    Sorting and filtering are the view's job. An event is replaced only by a copy with a
    higher `seq`, so a late REST answer never overwrites a newer live update (or the reverse).

    Signals, emitted synchronously on the thread that changes the store (in the app, the
    GUI thread), each at most once per call:
    - `sig_inserted(first_row, count)`: rows appended at the end;
    - `sig_updated(rows)`: existing rows whose event was replaced (ascending, no repeats;
      rows inserted by the same call are not repeated here);
    - `sig_reset()`: everything replaced (`replace_all`);
    - `sig_seq(last_seq)`: the last applied durable seq moved on;
    - `sig_other(messages)`: durable live messages that are not events (indicators, units,
      cameras, conferences), in order;
    - `sig_catalog(catalog)`: the reference data arrived or changed.
    """

    def __init__(self) -> None:
        self._events: list[Event] = []
        self._rows: dict[str, int] = {}
        self.last_seq = 0
        self.catalog: Catalog | None = None
        self.sig_inserted = Signal("inserted")
        self.sig_updated = Signal("updated")
        self.sig_reset = Signal("reset")
        self.sig_seq = Signal("seq")
        self.sig_other = Signal("other")
        self.sig_catalog = Signal("catalog")

    # ---- Public API: reading

    def __len__(self) -> int:
        return len(self._events)

    def event_at(self, row: int) -> Event:
        return self._events[row]

    def row_of(self, event_id: str) -> int | None:
        return self._rows.get(event_id)

    def get(self, event_id: str) -> Event | None:
        row = self._rows.get(event_id)
        return None if row is None else self._events[row]

    def events(self) -> list[Event]:
        """A copy of all events in row order."""
        return list(self._events)

    # ---- Public API: changing

    def set_catalog(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.sig_catalog.emit(catalog)

    def apply_batch(self, messages: list[LiveMessage]) -> None:
        """Apply a batch of live messages (in seq order, already deduplicated by the feed)."""
        first = len(self._events)
        updated: set[int] = set()
        others: list[LiveMessage] = []
        max_seq = self.last_seq
        events, rows = self._events, self._rows
        for message in messages:
            kind = message.type
            if kind == "event.upsert":
                try:
                    event = message.event
                except ValidationError as exc:
                    log.warning("skipped event.upsert seq %d: %d validation errors",
                                message.seq, exc.error_count())
                    continue
                row = rows.get(event.id)
                if row is None:
                    rows[event.id] = len(events)
                    events.append(event)
                elif event.seq > events[row].seq:
                    events[row] = event
                    if row < first:
                        updated.add(row)
            elif kind in DURABLE_LIVE_TYPES:
                others.append(message)
            else:
                continue
            if message.seq > max_seq:
                max_seq = message.seq
        self._announce(first, updated)
        if others:
            self.sig_other.emit(others)
        if max_seq > self.last_seq:
            self.last_seq = max_seq
            self.sig_seq.emit(max_seq)

    def upsert(self, events: Iterable[Event]) -> None:
        """Merge events from REST answers, keeping whichever copy has the higher seq."""
        first = len(self._events)
        updated: set[int] = set()
        for event in events:
            self._put(event, first, updated)
        self._announce(first, updated)

    def merge(self, events: Iterable[Event], last_seq: int) -> None:
        """Merge a reloaded snapshot taken at `last_seq` without a reset (after a resync)."""
        self.upsert(events)
        if last_seq > self.last_seq:
            self.last_seq = last_seq
            self.sig_seq.emit(last_seq)

    def replace_all(self, events: Iterable[Event], last_seq: int) -> None:
        """Replace everything with a full load taken at `last_seq`."""
        self._events = []
        self._rows = {}
        for event in events:
            self._put(event, 0, set())
        self.last_seq = last_seq
        self.sig_reset.emit()
        self.sig_seq.emit(last_seq)

    # ---- Internals

    def _put(self, event: Event, first: int, updated: set[int]) -> None:
        row = self._rows.get(event.id)
        if row is None:
            self._rows[event.id] = len(self._events)
            self._events.append(event)
        elif event.seq > self._events[row].seq:
            self._events[row] = event
            if row < first:
                updated.add(row)

    def _announce(self, first: int, updated: set[int]) -> None:
        added = len(self._events) - first
        if added:
            self.sig_inserted.emit(first, added)
        if updated:
            self.sig_updated.emit(sorted(updated))
