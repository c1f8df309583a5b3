"""Conferences (視頻會商): the ones the console knows, followed live, and starting or ending one.

`ConferenceBoard` holds conferences by id: listed at start (the open ones) and after a resync,
added when this seat starts one, and followed through `conference.updated` live messages (the
store's `sig_other`). Call its methods on the thread that owns the store.

Starting and ending are commands with an Idempotency-Key made once, before the first send;
`send_with_retries` sends one with the same key again after a network failure, so the backend
acts at most once. They do not go through the outbox: a conference is worth starting now or
not at all, so a seat that cannot reach the backend is told so at once.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from pydantic import ValidationError

from console.api import ApiError, NetworkError
from console.events import Signal
from console.schema import Conference, LiveMessage

log = logging.getLogger(__name__)

UPDATED = "conference.updated"
#: Tries of a start or end command (same key each time), and the pause before the next (s).
SEND_TRIES = 3
SEND_PAUSE = 1.0
T = TypeVar("T")


class ConferenceBoard:
    """Every conference heard of, by id.

    Signals: `sig_changed(conference_ids)` after a load, a live update or `put`."""

    def __init__(self, store=None) -> None:
        self._conferences: dict[str, Conference] = {}
        #: conference id → when (epoch seconds) a live update or `put` last changed it.
        self._heard: dict[str, float] = {}
        self.sig_changed = Signal("conferences changed")
        if store is not None:
            store.sig_other.connect(self.apply)

    def load(self, conferences: Iterable[Conference], as_of: float | None = None) -> None:
        """Take a listing made at `as_of` (epoch seconds): a conference changed live or by
        `put` since then keeps that newer copy."""
        changed = []
        for conference in conferences:
            heard = self._heard.get(conference.id)
            if heard is not None and as_of is not None and heard > as_of:
                continue
            self._conferences[conference.id] = conference
            changed.append(conference.id)
        if changed:
            self.sig_changed.emit(changed)

    def put(self, conference: Conference) -> None:
        """One conference as a command's answer gave it."""
        self._conferences[conference.id] = conference
        self._heard[conference.id] = time.time()
        self.sig_changed.emit([conference.id])

    def apply(self, messages: list[LiveMessage]) -> None:
        """Follow `conference.updated` messages (others are ignored; a malformed one is
        logged and skipped)."""
        changed: dict[str, None] = {}
        for message in messages:
            if message.type != UPDATED:
                continue
            try:
                conference = Conference.model_validate(message.data)
            except ValidationError as exc:
                log.warning("skipped conference.updated seq %d: %d validation errors",
                            message.seq, exc.error_count())
                continue
            self._conferences[conference.id] = conference
            self._heard[conference.id] = message.at.timestamp()
            changed[conference.id] = None
        if changed:
            self.sig_changed.emit(list(changed))

    def get(self, conference_id: str) -> Conference | None:
        return self._conferences.get(conference_id)

    def for_event(self, event_id: str) -> list[Conference]:
        """The event's conferences, newest first."""
        found = [c for c in self._conferences.values() if c.event_id == event_id]
        found.sort(key=lambda c: (c.created_at.timestamp() if c.created_at else 0.0, c.id),
                   reverse=True)
        return found

    def open_for_event(self, event_id: str) -> Conference | None:
        """The event's newest open conference, or None."""
        return next((c for c in self.for_event(event_id) if c.status == "open"), None)

    def __len__(self) -> int:
        return len(self._conferences)


def send_with_retries(send: Callable[[], T], what: str, *, tries: int = SEND_TRIES,
                      pause: float = SEND_PAUSE,
                      stopping: threading.Event | None = None) -> T:
    """`send()` (a command carrying its own fixed Idempotency-Key), again after a network
    failure up to `tries` times in all; the last NetworkError, or any other ApiError, is
    raised."""
    for attempt in range(1, tries + 1):
        try:
            return send()
        except NetworkError as exc:
            if attempt >= tries or (stopping is not None and stopping.is_set()):
                raise
            delay = pause * attempt * random.uniform(0.75, 1.25)
            log.info("%s: %s; try %d of %d in %.1f s", what, exc.code, attempt + 1, tries, delay)
            if stopping is not None and stopping.wait(delay):
                raise
            if stopping is None:
                time.sleep(delay)
    raise AssertionError("unreachable")


def load_open_conferences(api, stopping: threading.Event) -> tuple[list[Conference], float] | None:
    """The backend's open conferences and when they were asked for; None when the backend
    has no conferences (404, 403) or cannot be reached (the live feed brings them later)."""
    as_of = time.time()
    try:
        return api.conferences(status="open"), as_of
    except ApiError as exc:
        if not stopping.is_set():
            log.info("conference list not loaded: %s %s", exc.status, exc.code)
        return None
