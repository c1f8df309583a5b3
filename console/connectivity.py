"""Is the hall connected? One answer (online, degraded, offline) from two witnesses.

The live feed says whether its websocket is up ("live") or not (connecting, reconnecting,
resyncing, offline); the REST client says, after each call, whether the backend answered at
all (any HTTP status) or the call failed on the network (refused, reset, timed out). Rules:

- online: the feed is live and the last REST call (if any in the last `REST_MEMORY` seconds)
  reached the backend;
- degraded: one witness fails and the other does not, or the feed has been down for less than
  `OFFLINE_AFTER` seconds (a reconnect after a blip must not paint the hall red);
- offline: the feed has been down for `OFFLINE_AFTER` seconds and REST has not reached the
  backend since, or both witnesses failed.

`data_as_of` is when the hall last heard from the backend (a live frame applied or a REST
answer), the age every panel shows in an outage. The machine is driven by plain calls from
any thread and by `tick(now)`, so tests run it on a fake clock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from console.events import Signal

#: The feed must have been down this long (with REST not answering) to call the hall offline.
OFFLINE_AFTER = 5.0
#: A REST verdict older than this no longer counts against an otherwise live feed.
REST_MEMORY = 30.0

ONLINE, DEGRADED, OFFLINE = "online", "degraded", "offline"


class Connectivity:
    """The hall's connection state (see the module docstring).

    `sig_changed(state, data_as_of)` is emitted on the thread of the call that changed the
    state; `data_as_of` is epoch seconds or None (nothing heard yet).
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._feed_live = False
        self._feed_down_since: float | None = clock()
        self._rest_ok: bool | None = None
        self._rest_at = 0.0
        self._heard_at: float | None = None
        self.state = DEGRADED  # starting: nothing known yet
        self.sig_changed = Signal("connectivity")

    # ---- Public API

    @property
    def data_as_of(self) -> float | None:
        """Epoch seconds of the last thing heard from the backend (None: nothing yet)."""
        return self._heard_at

    def seed_data_as_of(self, at: float | None) -> None:
        """The age of data loaded from the offline cache (before anything is heard)."""
        with self._lock:
            moved = at is not None and (self._heard_at is None or at > self._heard_at)
            if moved:
                self._heard_at = at
        self._update(announce=moved)

    def feed_state(self, state: str) -> None:
        """The live feed's state ("live", "connecting", "reconnecting", "resyncing", ...)."""
        now = self._clock()
        with self._lock:
            live = state == "live"
            if live:
                self._heard_at = now
                self._feed_down_since = None
            elif self._feed_live or self._feed_down_since is None:
                self._feed_down_since = now
            self._feed_live = live
        self._update()

    def heard(self) -> None:
        """Data arrived (a live batch applied): the data is fresh."""
        with self._lock:
            self._heard_at = self._clock()

    def rest_result(self, reached: bool) -> None:
        """A REST call reached the backend (any HTTP answer) or failed on the network."""
        now = self._clock()
        with self._lock:
            self._rest_ok, self._rest_at = reached, now
            if reached:
                self._heard_at = now
        self._update()

    def tick(self) -> None:
        """Re-evaluate with the clock moved on (call it every second or so)."""
        self._update()

    # ---- Internals

    def _decide(self, now: float) -> str:
        rest_recent = self._rest_ok is not None and now - self._rest_at <= REST_MEMORY
        if self._feed_live:
            return DEGRADED if rest_recent and not self._rest_ok else ONLINE
        down_for = now - (self._feed_down_since if self._feed_down_since is not None else now)
        if rest_recent and self._rest_ok and self._rest_at >= (self._feed_down_since or 0):
            return DEGRADED  # the backend answers REST; only the feed is away
        if rest_recent and self._rest_ok is False:
            return OFFLINE
        return OFFLINE if down_for >= OFFLINE_AFTER else DEGRADED

    def _update(self, announce: bool = False) -> None:
        now = self._clock()
        with self._lock:
            state = self._decide(now)
            changed = state != self.state
            self.state = state
            heard = self._heard_at
        if changed or announce:
            self.sig_changed.emit(state, heard)
