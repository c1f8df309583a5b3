"""The plain rows the cache stores and returns: events, indicators and outbox commands."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class EventRow:
    """One event: the columns the cache indexes, and the full JSON record as received."""

    id: str
    seq: int
    status: str
    level: int
    category: str
    reported_at: str
    updated_at: str
    document: bytes


@dataclass(slots=True)
class IndicatorRow:
    """The latest value of one indicator; `at` is in epoch seconds."""

    id: str
    value: float
    state: str
    at: float
    document: bytes


@dataclass(slots=True)
class OutboxRow:
    """A user command waiting for the backend's final answer.

    `position` is assigned by the cache when the row is added (strictly increasing: the
    replay order); the value given to `outbox_add` is ignored. `state` is free text that the
    console owns ("pending", "sending", "failed", ...).
    """

    id: str
    kind: str
    event_id: str
    idempotency_key: str
    body: bytes
    created_at: str
    username: str
    state: str = "pending"
    attempts: int = 0
    last_error: str = ""
    position: int = 0


#: Outbox columns in table order; also the fields `OutboxRow(**row)` takes.
OUTBOX_COLUMNS: tuple[str, ...] = (
    "id", "position", "kind", "event_id", "idempotency_key", "body", "created_at", "username",
    "state", "attempts", "last_error",
)
#: What `outbox_update` may change.
OUTBOX_MUTABLE: frozenset[str] = frozenset({"state", "attempts", "last_error", "body"})
