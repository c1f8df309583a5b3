"""What the offline cache stores of the console's data: rows made from events and batches.

Run on the thread that already holds the data (the live thread for a batch, a REST thread
for a load), never on the GUI thread; the cache's writer thread does the disk work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import orjson

from console.schema import Catalog, Event, LiveMessage
from console.store import decode_document
from offline_cache import EventRow


def event_row(event: Event, document: bytes) -> EventRow:
    return EventRow(id=event.id, seq=event.seq, status=event.status, level=event.level,
                    category=event.category, reported_at=event.reported_at.isoformat(),
                    updated_at=event.updated_at.isoformat(), document=document)


def event_rows(events: Sequence[Event], documents: Sequence[bytes]) -> list[EventRow]:
    return [event_row(event, document) for event, document in zip(events, documents, strict=True)]


def batch_rows(messages: Iterable[LiveMessage]) -> tuple[list[EventRow], int | None]:
    """The event rows of a live batch and its last seq (None: no durable message). A row's
    document is the frame the event came in, kept whole (`EventStore` and
    `documents_to_events` read both forms), so nothing is serialised on the live thread."""
    rows: list[EventRow] = []
    last_seq: int | None = None
    for message in messages:
        last_seq = message.seq if last_seq is None else max(last_seq, message.seq)
        if message.type != "event.upsert":
            continue
        try:
            event = message.event
        except ValueError:  # not an event: the store skips it too (and logs it)
            continue
        frame = message.frame
        rows.append(event_row(event, frame if frame is not None else orjson.dumps(message.data)))
    return rows, last_seq


def catalog_document(catalog: Catalog) -> bytes:
    return catalog.model_dump_json().encode()


def documents_to_events(documents: Iterable[bytes]) -> tuple[list[Event], list[bytes], int]:
    """Events read back from the cache, with their documents and the count of unreadable
    documents (skipped)."""
    events: list[Event] = []
    kept: list[bytes] = []
    bad = 0
    for document in documents:
        try:
            events.append(decode_document(document))
        except (ValueError, KeyError, TypeError):
            bad += 1
            continue
        kept.append(document)
    return events, kept, bad
