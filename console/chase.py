"""Dispatches nobody signed for in time: the events the hall must chase or re-dispatch.

`SignWatch` follows the store and keeps the few events that are `dispatched` (a unit holds
the ticket but the lead has not signed). `overdue(now)` lists those whose sign-for deadline
has passed, once per dispatch: a prompt dismissed by the user, or answered with an urge,
comes back only when the event is dispatched again (a new sign-for deadline).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from console.clocks import unsigned_units
from console.schema import Event


@dataclass(frozen=True)
class LateSignature:
    """A dispatched event whose sign-for deadline passed with units still unsigned."""

    event_id: str
    title: str
    level: int
    due: datetime
    units: tuple[str, ...]
    urged: bool

    def overdue_seconds(self, now: datetime) -> float:
        return (now - self.due).total_seconds()


class SignWatch:
    """Watches the store for dispatched events that miss their sign-for deadline."""

    def __init__(self, store) -> None:
        self._store = store
        self._dispatched: set[str] = set()
        self._dismissed: dict[str, datetime] = {}  # event id -> the sign_due dismissed
        store.sig_inserted.connect(self._inserted)
        store.sig_updated.connect(self._updated)
        store.sig_reset.connect(self._rescan)
        self._rescan()

    def overdue(self, now: datetime) -> list[LateSignature]:
        """The late dispatches not dismissed, most overdue first."""
        out = []
        for event_id in self._dispatched:
            event = self._store.get(event_id)
            if event is None or event.status != "dispatched" or event.sla.sign_due is None:
                continue
            due = event.sla.sign_due
            if due >= now or self._dismissed.get(event_id) == due:
                continue
            units = tuple(unsigned_units(event))
            if not units:
                continue
            urged = any(entry.action == "urge" and entry.at >= due for entry in event.timeline)
            out.append(LateSignature(event.id, event.title, event.level, due, units, urged))
        out.sort(key=lambda late: late.due)
        return out

    def dismiss(self, event_id: str) -> None:
        """Stop prompting for this dispatch (until the event gets a new sign-for deadline)."""
        event = self._store.get(event_id)
        if event is not None and event.sla.sign_due is not None:
            self._dismissed[event_id] = event.sla.sign_due

    # ----

    def _track(self, event: Event) -> None:
        if event.status == "dispatched":
            self._dispatched.add(event.id)
        else:
            self._dispatched.discard(event.id)
            self._dismissed.pop(event.id, None)

    def _inserted(self, first: int, count: int) -> None:
        for row in range(first, first + count):
            self._track(self._store.event_at(row))

    def _updated(self, rows) -> None:
        for row in rows:
            self._track(self._store.event_at(row))

    def _rescan(self) -> None:
        self._dispatched.clear()
        self._inserted(0, len(self._store))
