"""Hands live batches from the live thread to the GUI thread without flooding it.

Posting every batch to the GUI thread lets a backlog of posted calls grow without bound when
the GUI is busy (a re-sort, a burst of events): the event loop then does nothing but apply
batches, paints and timers starve, and memory grows. The mailbox keeps at most one drain
scheduled at a time; each drain applies what has arrived as one batch, so the per-batch work
of the store and the models is paid once per drain instead of once per network batch. A
drain takes only as many messages as fit in `budget` seconds of work at the cost measured so
far, so one drain never freezes the screen however large the backlog. `schedule` decides when a drain runs: the GUI
passes a paced scheduler (`MainThreadInvoker.call_paced`, at most one run every 40 ms) so that paints
and input always get their turn between drains. When more than `high_water` messages are
waiting, the live thread is held back; the backend then buffers, and closes the connection
if it overflows, after which the feed resumes from its last seq.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from console.schema import LiveMessage

log = logging.getLogger(__name__)

#: The feed is never held back by one drain for longer than this.
_LONGEST_HOLD = 0.25


class BatchMailbox:
    """Coalesces live batches for `apply`, which runs on the GUI thread via `schedule`."""

    def __init__(self, schedule: Callable[[Callable[[], None]], None],
                 apply: Callable[[list[LiveMessage]], None], *, budget: float = 0.04,
                 min_take: int = 500, max_take: int = 20_000, high_water: int = 50_000) -> None:
        self._schedule = schedule
        self._apply = apply
        self._budget = budget
        self._min_take = min_take
        self._max_take = max_take
        self._cost = budget / 1000  # seconds per message, measured as drains run
        self._high_water = high_water
        self._pending: list[LiveMessage] = []
        self._scheduled = False
        self._draining = False
        self._drain_started = 0.0
        self._closed = False
        self._room = threading.Condition()

    def put(self, batch: list[LiveMessage]) -> None:
        """Queue a batch (live thread); waits while the GUI is more than `high_water` behind,
        and while a drain runs: both threads need the interpreter lock, and handing it back
        and forth costs the drain more than the wait costs the feed."""
        with self._room:
            while (len(self._pending) >= self._high_water or self._held()) and not self._closed:
                self._room.wait(0.05)
            if self._closed:
                return
            self._pending.extend(batch)
            if self._scheduled:
                return
            self._scheduled = True
        self._schedule(self._drain)

    def close(self) -> None:
        """Drop what is waiting and release a held-back live thread (at stop)."""
        with self._room:
            self._closed = True
            self._pending.clear()
            self._room.notify_all()

    @property
    def waiting(self) -> int:
        """Messages queued and not yet applied."""
        with self._room:
            return len(self._pending)

    def _held(self) -> bool:
        return self._draining and time.monotonic() - self._drain_started < _LONGEST_HOLD

    def _release(self) -> None:
        with self._room:
            self._draining = False
            self._room.notify_all()

    def _drain(self) -> None:
        take = int(min(self._max_take, max(self._min_take, self._budget / self._cost)))
        with self._room:
            taken = self._pending[:take]
            del self._pending[:take]
            more = bool(self._pending)
            if not more:
                self._scheduled = False
            self._draining = bool(taken)
            self._drain_started = time.monotonic()
        try:
            if taken:
                started = time.perf_counter()
                self._apply(taken)
                cost = (time.perf_counter() - started) / len(taken)
                self._cost = 0.7 * self._cost + 0.3 * cost
        finally:
            self._release()
            if more:
                # Posted behind whatever else is waiting, so paints and timers get their turn.
                self._schedule(self._drain)
