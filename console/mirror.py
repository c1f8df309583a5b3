"""What the offline cache stores of the console's data: rows made from events and batches.

Run on the thread that already holds the data (the live thread for a batch, a REST thread
for a load), never on the GUI thread; the cache's writer thread does the disk work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import orjson
from pydantic import ValidationError

from console.indicators import parse_sample
from console.schema import Catalog, Event, Indicator, LiveMessage
from console.store import decode_document
from offline_cache import EventRow, IndicatorRow


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


def indicator_list_rows(indicators: Iterable[Indicator], documents: Mapping[str, bytes]
                        ) -> list[IndicatorRow]:
    """The cache rows of listed indicators: the latest value, and the listing (`documents`,
    id -> JSON) to show them from on a cold start. One never measured is stored with
    `at` 0, so any sample replaces it."""
    return [IndicatorRow(id=i.id, value=i.value, state=i.state,  # type: ignore[arg-type]
                         at=i.at.timestamp() if i.at is not None else 0.0,
                         document=documents[i.id])
            for i in indicators]


def indicator_history_rows(history: Mapping[str, tuple[np.ndarray, np.ndarray]]
                           ) -> list[tuple[str, float, float]]:
    """`(indicator_id, at, value)` rows of loaded histories (`(t, v)` arrays)."""
    rows: list[tuple[str, float, float]] = []
    for indicator_id, (t, v) in history.items():
        rows.extend((indicator_id, at, value) for at, value in zip(t.tolist(), v.tolist(),
                                                                    strict=True))
    return rows


def indicator_sample_rows(messages: Iterable[LiveMessage], documents: Mapping[str, bytes]
                          ) -> tuple[list[IndicatorRow], list[tuple[str, float, float]]]:
    """The `indicator.sample`s of a live batch as the cache keeps them: each indicator's
    latest value (for indicators with a listing in `documents`) and every sample as a
    history row. Malformed samples are left out (the board logs them)."""
    latest: dict[str, IndicatorRow] = {}
    history: list[tuple[str, float, float]] = []
    for message in messages:
        if message.type != "indicator.sample":
            continue
        try:
            sample = parse_sample(message.data)
        except ValidationError:
            continue
        at = sample.at.timestamp()
        history.append((sample.id, at, sample.value))
        document = documents.get(sample.id)
        known = latest.get(sample.id)
        if document is not None and (known is None or at >= known.at):
            latest[sample.id] = IndicatorRow(id=sample.id, value=sample.value,
                                             state=sample.state or "", at=at, document=document)
    return list(latest.values()), history


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
