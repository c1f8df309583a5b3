"""The console's in-memory picture of the district: events in arrival order, and the catalog.

Changes arrive in batches (from the live feed, or REST results) and go out as one signal
per kind per batch, never one per event, so a view can follow 5,000 events/s.

Events are held compactly, as one JSON document (bytes) per row: 1-1.5 KB an event,
against 6.5-11 KB as a pydantic `Event` with its timeline; rows that came in bulk (a
full load, a large merge) are compressed in groups until they change
(`console.cold_rows`: about 250 bytes an event). Reading a row decodes it
(about 30 µs), so decoded events are kept in a small cache of the most recently read rows (a
table paints a few dozen, a detail panel shows one). While a change's signals are being
emitted, the events of that change are served as they came in, so listeners that read every
changed row (the queue's index, the alerts) never decode.

Ids map to rows through `console.id_table.IdTable` (no Python object per event). After a
bulk load, the next change hands the memory the loaded models left behind back to the
system (`console.heap`). Measured with 100,000 events (`bench/queue.py`): about 120 MB held
by the store and the queue's index, against 1.2 GB as pydantic models.
"""

from __future__ import annotations

import itertools
import logging
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sized
from contextlib import contextmanager
from typing import Any

import orjson
from pydantic import ValidationError

from console.cold_rows import ColdRows
from console.events import Signal
from console.heap import trim_heap
from console.id_table import IdTable
from console.schema import DURABLE_LIVE_TYPES, Catalog, Event, LiveMessage

log = logging.getLogger(__name__)

#: Decoded events kept for reads: the rows a table paints, the selected one, the last batch.
CACHE_SIZE = 1024
#: Events of a change kept decoded afterwards (the newest: likeliest to be painted next).
_KEEP_FRESH = 128
#: Rows added by one call after which the next change returns freed memory to the system.
_BULK = 5000

_to_json = Event.__pydantic_serializer__.to_json


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

    `event_at`/`get` return an `Event` decoded from the row's JSON (see the module
    docstring); treat it as read-only, as the store may hand out a fresh copy next time.
    `generation` counts full replacements (`replace_all`).
    """

    def __init__(self, cache_size: int = CACHE_SIZE) -> None:
        self._blobs: list[bytes | None] = []  # None: the row is in `_cold`
        self._cold = ColdRows()
        self._seqs = array("q")
        self._ids = IdTable()
        self._decoded: OrderedDict[int, Event] = OrderedDict()
        self._cache_size = cache_size
        self._fresh: dict[int, Event] = {}  # the events of the change being announced
        self._rehome_due = False
        self.generation = 0
        self.last_seq = 0
        self.catalog: Catalog | None = None
        #: True while the signals of a live batch (`apply_batch`) are being emitted; False
        #: for REST merges (command answers, reloads after a resync) and full loads. Lets a
        #: listener tell events arriving live from events it is shown again.
        self.applying_live = False
        self.sig_inserted = Signal("inserted")
        self.sig_updated = Signal("updated")
        self.sig_reset = Signal("reset")
        self.sig_seq = Signal("seq")
        self.sig_other = Signal("other")
        self.sig_catalog = Signal("catalog")

    # ---- Public API: reading

    def __len__(self) -> int:
        return len(self._blobs)

    def event_at(self, row: int) -> Event:
        if row < 0:
            row += len(self._blobs)
            if row < 0:
                raise IndexError("event row out of range")
        if self._fresh:
            event = self._fresh.get(row)
            if event is not None:
                return event
        cache = self._decoded
        event = cache.get(row)
        if event is None:
            event = decode_document(self._document(row))
            cache[row] = event
            if len(cache) > self._cache_size:
                cache.popitem(last=False)
        else:
            cache.move_to_end(row)
        return event

    def row_of(self, event_id: str) -> int | None:
        return self._ids.get(event_id)

    def get(self, event_id: str) -> Event | None:
        row = self._ids.get(event_id)
        return None if row is None else self.event_at(row)

    def events(self) -> list[Event]:
        """A copy of all events in row order (decodes every row: for tests and tools)."""
        fresh, cache = self._fresh, self._decoded
        return [fresh.get(row) or cache.get(row) or decode_document(self._document(row))
                for row in range(len(self._blobs))]

    # ---- Public API: changing

    def set_catalog(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.sig_catalog.emit(catalog)

    def apply_batch(self, messages: list[LiveMessage]) -> None:
        """Apply a batch of live messages (in seq order, already deduplicated by the feed).

        An event that the live feed validated from a frame is stored as that frame's bytes
        (`LiveMessage.frame`): nothing is serialised on the thread applying the batch."""
        first = len(self._blobs)
        updated: set[int] = set()
        fresh: dict[int, Event] = {}
        others: list[LiveMessage] = []
        max_seq = self.last_seq
        for message in messages:
            kind = message.type
            if kind == "event.upsert":
                try:
                    event = message.event
                except ValidationError as exc:
                    log.warning("skipped event.upsert seq %d: %d validation errors",
                                message.seq, exc.error_count())
                    continue
                frame = message.frame
                self._put(event, first, updated, fresh,
                          frame if frame is not None else _encode(event, message.data))
            elif kind in DURABLE_LIVE_TYPES:
                others.append(message)
            else:
                continue
            if message.seq > max_seq:
                max_seq = message.seq
        self.applying_live = True
        try:
            self._announce(first, updated, fresh)
        finally:
            self.applying_live = False
        self._rehome()
        if others:
            self.sig_other.emit(others)
        if max_seq > self.last_seq:
            self.last_seq = max_seq
            self.sig_seq.emit(max_seq)

    def upsert(self, events: Iterable[Event], documents: list[bytes] | None = None) -> None:
        """Merge events from REST answers, keeping whichever copy has the higher seq.

        `documents`, if given, are the events' stored forms (`encode_events`, made off the
        GUI thread for a large merge), in the same order."""
        first = len(self._blobs)
        updated: set[int] = set()
        fresh: dict[int, Event] = {}
        if documents is None:
            for event in events:
                self._put(event, first, updated, fresh)
        else:
            for event, document in zip(events, documents, strict=True):
                self._put(event, first, updated, fresh, document)
        bulk = len(self._blobs) - first >= _BULK
        if bulk:
            self._freeze(first)
        self._announce(first, updated, fresh)
        self._rehome()
        self._rehome_due = bulk

    def merge(self, events: Iterable[Event], last_seq: int,
              documents: list[bytes] | None = None) -> None:
        """Merge a reloaded snapshot taken at `last_seq` without a reset (after a resync);
        `documents` as for `upsert`."""
        self.upsert(events, documents)
        if last_seq > self.last_seq:
            self.last_seq = last_seq
            self.sig_seq.emit(last_seq)

    def replace_all(self, events: Iterable[Event], last_seq: int) -> None:
        """Replace everything with a full load taken at `last_seq`."""
        self.install(self.prepare_load(events, last_seq))

    @classmethod
    def prepare_load(cls, events: Iterable[Event], last_seq: int,
                     documents: Iterable[bytes] | None = None) -> PreparedLoad:
        """Do the work of a full load that needs no store: encode, index and compress the
        events (seconds for 100,000). Thread-safe: the session calls it on a REST thread,
        then `install` on the GUI thread. `documents`, if given, are the events' stored forms
        (`encode_events`, or frames and documents read from the offline cache)."""
        staged = cls()
        if isinstance(events, Sized):
            staged._ids.reserve(len(events))
        fresh: dict[int, Event] = {}
        if documents is None:
            for event in events:
                staged._put(event, 0, set(), fresh)
        else:
            for event, document in zip(events, documents, strict=True):
                staged._put(event, 0, set(), fresh, document)
        staged._freeze(0)
        return PreparedLoad(staged, fresh, last_seq)

    def install(self, load: PreparedLoad) -> None:
        """Replace everything with a prepared full load (`prepare_load`); once per load."""
        staged = load.take()
        self._blobs, self._cold = staged._blobs, staged._cold
        self._seqs, self._ids = staged._seqs, staged._ids
        self._decoded.clear()
        self.generation += 1
        self.last_seq = load.last_seq
        with self._serving(load.fresh):
            self.sig_reset.emit()
        load.fresh = {}
        self._rehome_due = True
        self.sig_seq.emit(load.last_seq)

    # ---- Internals

    def _put(self, event: Event, first: int, updated: set[int], fresh: dict[int, Event],
             document: bytes | None = None) -> None:
        row = self._ids.get(event.id)
        if row is None:
            row = self._ids.add(event.id)
            self._blobs.append(_to_json(event) if document is None else document)
            self._seqs.append(event.seq)
        elif event.seq > self._seqs[row]:
            self._blobs[row] = _to_json(event) if document is None else document
            self._cold.drop(row)
            self._seqs[row] = event.seq
            self._decoded.pop(row, None)
            if row < first:
                updated.add(row)
        else:
            return
        fresh[row] = event

    def _document(self, row: int) -> bytes | memoryview:
        blob = self._blobs[row]
        return self._cold.get(row) if blob is None else blob

    def _freeze(self, first: int) -> None:
        """Compress the documents of rows `first`... (added in bulk by this call)."""
        self._cold.freeze(first, self._blobs[first:])
        self._blobs[first:] = [None] * (len(self._blobs) - first)

    def _announce(self, first: int, updated: set[int], fresh: dict[int, Event]) -> None:
        with self._serving(fresh):
            added = len(self._blobs) - first
            if added:
                self.sig_inserted.emit(first, added)
            if updated:
                self.sig_updated.emit(sorted(updated))

    def _rehome(self) -> None:
        """At the end of the first change after a bulk load (the loaded list is gone by then,
        and listeners have had their turn): no decoded events from the load, and the memory
        the load left free back to the system."""
        if not self._rehome_due:
            return
        self._rehome_due = False
        self._decoded.clear()
        trim_heap()

    @contextmanager
    def _serving(self, fresh: dict[int, Event]) -> Iterator[None]:
        """Serve `fresh` (the events just stored) to readers while their signals go out;
        then keep the newest of them decoded (`_KEEP_FRESH`)."""
        outer = self._fresh
        self._fresh = {**outer, **fresh} if outer else fresh
        try:
            yield
        finally:
            self._fresh = outer
            cache = self._decoded
            newest = list(itertools.islice(reversed(fresh), _KEEP_FRESH))
            for row in reversed(newest):
                cache.pop(row, None)
                cache[row] = fresh[row]
            while len(cache) > self._cache_size:
                cache.popitem(last=False)


class PreparedLoad:
    """A full load made ready by `EventStore.prepare_load`, for `EventStore.install`."""

    def __init__(self, staged: EventStore, fresh: dict[int, Event], last_seq: int) -> None:
        self._staged: EventStore | None = staged
        self.fresh = fresh
        self.last_seq = last_seq

    def __len__(self) -> int:
        return len(self.fresh)

    def take(self) -> EventStore:
        staged, self._staged = self._staged, None
        if staged is None:
            raise RuntimeError("this load has been installed already")
        return staged


def encode_events(events: Iterable[Event]) -> list[bytes]:
    """The stored forms of `events` (for `EventStore.upsert`/`merge`, made off the GUI thread)."""
    return [_to_json(event) for event in events]


def _encode(event: Event, wire: dict[str, Any] | None = None) -> bytes:
    """The stored form of `event`: its JSON. A live message's own data is kept as it came
    when the event was validated from it (the live feed's case: same id, seq and version),
    which costs half as much as serialising the model (about 10 µs against 20 µs)."""
    if (wire and wire.get("id") == event.id and wire.get("seq") == event.seq
            and wire.get("version") == event.version):
        try:
            return orjson.dumps(wire)
        except TypeError:
            pass
    return _to_json(event)


def decode_document(document: bytes | memoryview) -> Event:
    """The event a stored document holds: an event's JSON, or a live frame kept whole
    (`apply_batch`). Raises ValueError (pydantic's ValidationError, orjson's error) or
    KeyError/TypeError for a document that is neither."""
    data = orjson.loads(document)
    if isinstance(data, dict) and data.get("type") == "event.upsert":
        data = data["data"]
    return Event.model_validate(data)

