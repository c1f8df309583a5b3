"""Which events alert the hall: new severe events arriving live, and escalations.

`AlertPolicy` says which levels alert, whether the sound is muted and how an unacknowledged
level-1 sound repeats. `AlertTracker` follows the store's change signals (fed to it on the
thread that owns the store) and decides which events alert, which alerts end and when a sound
is due; the views only show what it decided.

An alert is raised for
- an event inserted by a live batch (`EventStore.applying_live`) whose status is `new` and
  whose level the policy alerts on: not for the initial load (`replace_all`), a reload after
  a resync or a command's answer (both REST merges), nor for an event this seat entered;
- an open event escalated live to a level the policy alerts on, once per escalation (not for
  the seat's own escalation).

An alert ends when its event's status changes from the status it had when the alert was
raised (for a new event: once someone acknowledges it), when the event leaves the store, when
the user dismisses it, or when the policy no longer alerts on its level (the policy changed,
or the event's level was lowered).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from console.schema import OPEN_STATUSES, Event

#: The level choices offered to the user: name -> most severe..this level alerts (0 = none).
LEVEL_CHOICES: dict[str, int] = {"off": 0, "level1": 1, "level1_2": 2}

#: Sources of events a seat enters itself (their first timeline entry names who did).
_ENTERED_SOURCES = frozenset({"manual", "indicator"})


@dataclass(frozen=True)
class AlertPolicy:
    """What alerts and how it sounds.

    `max_level`: levels 1..max_level alert (0 = alerts off; the default 2 = levels 1 and 2).
    `muted`: no sound (the banner and the row flash still show).
    `repeat_seconds` / `repeat_limit`: an unacknowledged level-1 alert sounds again every
    `repeat_seconds`, at most `repeat_limit` times after the first (0 = never again).
    """

    max_level: int = 2
    muted: bool = False
    repeat_seconds: float = 30.0
    repeat_limit: int = 10

    def __post_init__(self) -> None:
        if not 0 <= self.max_level <= 4:
            raise ValueError(f"max_level must be 0..4, not {self.max_level}")
        if self.repeat_seconds <= 0 or self.repeat_limit < 0:
            raise ValueError("repeat_seconds must be > 0 and repeat_limit >= 0")

    @property
    def choice(self) -> str:
        """The name of `max_level` in `LEVEL_CHOICES` ("" when it is not one of them)."""
        for name, level in LEVEL_CHOICES.items():
            if level == self.max_level:
                return name
        return ""

    def alerts_on(self, level: int) -> bool:
        """True when an event of `level` alerts."""
        return 1 <= level <= self.max_level

    def with_choice(self, choice: str) -> AlertPolicy:
        """This policy with the levels of `choice` (a key of `LEVEL_CHOICES`)."""
        return replace(self, max_level=LEVEL_CHOICES[choice])


@dataclass
class Alert:
    """One event calling for attention."""

    event_id: str
    level: int
    reason: Literal["new", "escalated"]
    #: The event's status when the alert was raised; the alert ends when it changes.
    status: str
    #: When it was raised (the tracker's clock, monotonic seconds).
    raised_at: float
    #: When its sound last played (or would have, when muted) and how often it repeated.
    sounded_at: float = 0.0
    repeats: int = 0


@dataclass(frozen=True)
class AlertChange:
    """What one call of the tracker changed.

    `raised`: new alerts, newest last. `ended`: event ids whose alert ended. `sound`: the
    level whose tone should play now (the most severe raised or repeating), or None for
    silence (nothing due, or muted).
    """

    raised: tuple[Alert, ...] = ()
    ended: tuple[str, ...] = ()
    sound: int | None = None

    def __bool__(self) -> bool:
        return bool(self.raised or self.ended or self.sound is not None)


@dataclass
class _Pending:
    raised: list[Alert] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    sound: int | None = None

    def sound_for(self, level: int) -> None:
        self.sound = level if self.sound is None else min(self.sound, level)

    def change(self, muted: bool) -> AlertChange:
        return AlertChange(tuple(self.raised), tuple(self.ended),
                           None if muted else self.sound)


class AlertTracker:
    """Decides which events alert (see the module docstring) and which alerts are still open.

    Feed it the store's signals in order: `on_inserted(first, count)`, `on_updated(rows)`,
    `on_reset()`; each returns an `AlertChange`. Call `tick()` now and then (about once a
    second) for the repeating level-1 sound. `own_actor` is the signed-in user's id: events
    this user entered or escalated do not alert their own seat. Not thread-safe: call it on
    the thread that owns the store.

    It remembers each row's level (one byte a row) to notice escalations. Make it before the
    store loads, as the desk does: the load's `on_reset` then reads the events while the store
    still holds them decoded (about 50 ms for 100,000). Made after a load, it reads every row
    once, and the store decodes each (about 2 s for 100,000).
    """

    #: New-alert tones closer together than this play once (unless the later is more severe).
    TONE_GAP_SECONDS = 2.0

    def __init__(self, store, policy: AlertPolicy | None = None, *, own_actor: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self._policy = policy or AlertPolicy()
        self._own = own_actor
        self._clock = clock
        #: The level of each store row as last seen, to notice escalations (one byte a row).
        self._levels = bytearray()
        self._alerts: dict[str, Alert] = {}
        self._last_tone: tuple[float, int] | None = None  # (when, level) of the last new tone
        self._rebuild_levels()

    # ---- Public API: reading

    @property
    def policy(self) -> AlertPolicy:
        return self._policy

    def active(self) -> list[Alert]:
        """The open alerts, newest first."""
        return list(reversed(self._alerts.values()))

    def is_alerting(self, event_id: str) -> bool:
        return event_id in self._alerts

    def __len__(self) -> int:
        return len(self._alerts)

    # ---- Public API: following the store

    def on_inserted(self, first: int, count: int) -> AlertChange:
        """The store appended rows [first, first+count)."""
        pending = _Pending()
        live = self._store.applying_live
        start = len(self._levels)
        stop = min(first + count, len(self._store))
        for row in range(start, stop):
            event = self._store.event_at(row)
            self._levels.append(event.level)
            if live and row >= first and self._alerts_as_new(event):
                self._raise(event, "new", pending)
        return self._finish(pending)

    def on_updated(self, rows: Iterable[int]) -> AlertChange:
        """The store replaced the events in `rows`."""
        pending = _Pending()
        live = self._store.applying_live
        levels = self._levels
        for row in rows:
            if row >= len(levels):
                continue  # announced as inserted by the same call; on_inserted reads it
            event = self._store.event_at(row)
            before, levels[row] = levels[row], event.level
            alert = self._alerts.get(event.id)
            if alert is not None and (event.status != alert.status
                                      or not self._policy.alerts_on(event.level)):
                del self._alerts[event.id]
                pending.ended.append(event.id)
                alert = None
            if (live and event.level < before and self._policy.alerts_on(event.level)
                    and event.status in OPEN_STATUSES
                    and not self._by_me(event, last=True)
                    and (alert is None or event.level < alert.level)):
                if alert is not None:
                    del self._alerts[event.id]
                self._raise(event, "escalated", pending)
        return self._finish(pending)

    def on_reset(self) -> AlertChange:
        """The store was replaced (a full load): nothing alerts for it; stale alerts end."""
        self._rebuild_levels()
        pending = _Pending()
        for event_id, alert in list(self._alerts.items()):
            event = self._store.get(event_id)
            if event is None or event.status != alert.status:
                del self._alerts[event_id]
                pending.ended.append(event_id)
        return pending.change(self._policy.muted)

    # ---- Public API: the user and the clock

    def set_policy(self, policy: AlertPolicy) -> AlertChange:
        """Use `policy` from now on; alerts on levels it no longer alerts on end."""
        self._policy = policy
        pending = _Pending()
        for event_id, alert in list(self._alerts.items()):
            if not policy.alerts_on(alert.level):
                del self._alerts[event_id]
                pending.ended.append(event_id)
        return pending.change(policy.muted)

    def dismiss(self, event_id: str) -> AlertChange:
        """The user has seen the alert of `event_id` (the event itself is unchanged)."""
        if self._alerts.pop(event_id, None) is None:
            return AlertChange()
        return AlertChange(ended=(event_id,))

    def dismiss_all(self) -> AlertChange:
        ended = tuple(self._alerts)
        self._alerts.clear()
        return AlertChange(ended=ended)

    def tick(self) -> AlertChange:
        """The level-1 tone when an unacknowledged level-1 alert is due to sound again."""
        pending = _Pending()
        now = self._clock()
        policy = self._policy
        for alert in self._alerts.values():
            if (alert.level == 1 and alert.repeats < policy.repeat_limit
                    and now - alert.sounded_at >= policy.repeat_seconds):
                if not policy.muted:
                    alert.repeats += 1
                    alert.sounded_at = now
                pending.sound_for(1)
        return pending.change(policy.muted)

    # ----

    def _alerts_as_new(self, event: Event) -> bool:
        return (event.status == "new" and self._policy.alerts_on(event.level)
                and not self._by_me(event, last=False))

    def _by_me(self, event: Event, *, last: bool) -> bool:
        """True when this seat's user made the event (first timeline entry of an entered
        event) or made its latest change (`last`)."""
        if self._own is None or not event.timeline:
            return False
        if last:
            return event.timeline[-1].actor == self._own
        return event.source in _ENTERED_SOURCES and event.timeline[0].actor == self._own

    def _finish(self, pending: _Pending) -> AlertChange:
        """The change, with the tone of new alerts held back while the last one (as severe
        or more) is under `TONE_GAP_SECONDS` old: a burst over many batches sounds once."""
        change = pending.change(self._policy.muted)
        if change.sound is None:
            return change
        now = self._clock()
        last = self._last_tone
        if last is not None and now - last[0] < self.TONE_GAP_SECONDS and change.sound >= last[1]:
            return replace(change, sound=None)
        self._last_tone = (now, change.sound)
        return change

    def _raise(self, event: Event, reason: Literal["new", "escalated"], pending: _Pending) -> None:
        now = self._clock()
        alert = Alert(event_id=event.id, level=event.level, reason=reason, status=event.status,
                      raised_at=now, sounded_at=now)
        self._alerts[event.id] = alert
        pending.raised.append(alert)
        pending.sound_for(event.level)

    def _rebuild_levels(self) -> None:
        store = self._store
        self._levels = bytearray(store.event_at(row).level for row in range(len(store)))
