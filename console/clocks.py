"""The two clocks of an event: the sign-for deadline and the resolve deadline.

Both run from the report. The sign-for clock stops when the lead unit signs for the task;
the resolve clock stops when the event is resolved. A stopped clock remembers whether it
stopped in time. Which statuses keep which clock running is `console.flow`'s rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from console.flow import RESOLVE_CLOCK_STATUSES, SIGN_CLOCK_STATUSES
from console.schema import Event

ClockState = Literal["running", "overdue", "met", "late", "none"]
#: A running clock with less than this left is "due soon" (the views colour it).
DUE_SOON_SECONDS = 300.0


@dataclass(frozen=True)
class Clock:
    """One deadline of an event as of `now`.

    `state`: running (time left), overdue (running, deadline passed), met / late (stopped in
    time / after the deadline), none (no deadline, or stopped without a record of when).
    `seconds_left` is negative when overdue; None unless running or overdue.
    """

    kind: Literal["sign", "resolve"]
    state: ClockState
    due: datetime | None = None
    seconds_left: float | None = None
    stopped_at: datetime | None = None

    @property
    def running(self) -> bool:
        return self.state in ("running", "overdue")

    @property
    def due_soon(self) -> bool:
        return self.state == "running" and (self.seconds_left or 0.0) < DUE_SOON_SECONDS


def event_clocks(event: Event, now: datetime) -> tuple[Clock, Clock]:
    """The event's (sign-for, resolve) clocks as of `now`."""
    return (
        _clock("sign", event.sla.sign_due, event.status in SIGN_CLOCK_STATUSES,
               _signed_at(event), now),
        _clock("resolve", event.sla.resolve_due, event.status in RESOLVE_CLOCK_STATUSES,
               _resolved_at(event), now),
    )


def is_overdue(event: Event, now: datetime) -> bool:
    """True when a running clock of the event has passed its deadline."""
    return any(clock.state == "overdue" for clock in event_clocks(event, now))


def unsigned_units(event: Event) -> list[str]:
    """Ids of the units dispatched to the event that have not signed for it yet."""
    return [a.unit_id for a in event.assignments if a.status == "sent"]


def _clock(kind, due: datetime | None, running: bool, stopped_at: datetime | None,
           now: datetime) -> Clock:
    if due is None:
        return Clock(kind, "none")
    if running:
        left = (due - now).total_seconds()
        return Clock(kind, "overdue" if left < 0 else "running", due, left)
    if stopped_at is None:
        return Clock(kind, "none", due)
    return Clock(kind, "met" if stopped_at <= due else "late", due, stopped_at=stopped_at)


def _signed_at(event: Event) -> datetime | None:
    for assignment in event.assignments:
        if assignment.role == "lead" and assignment.signed_at is not None:
            return assignment.signed_at
    return None


def _resolved_at(event: Event) -> datetime | None:
    for entry in reversed(event.timeline):
        if entry.action == "resolve":
            return entry.at
    return None
