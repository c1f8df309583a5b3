"""The event status flow rules shared by the backend and the console.

Which status allows which action, which actions a user may take on an event, and which SLA
deadline is running. The backend enforces these rules (backend/flow.py uses `ALLOWED_FROM`);
the console uses the same table to offer only what the backend would accept. The backend
still has the last word: some refusals depend on more than the status (a note without text,
an escalation beyond level 1).
"""

from __future__ import annotations

from datetime import datetime

from console.schema import ACTION_ROLES, Event, User

#: Statuses from which each action may start.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "acknowledge": frozenset({"new", "reopened", "returned"}),
    "note": frozenset({"new", "acknowledged", "dispatched", "signed", "on_site", "resolved",
                       "closed", "returned", "reopened"}),
    # Re-dispatch while no unit has signed yet (the lead missed the sign-for deadline).
    "dispatch": frozenset({"new", "acknowledged", "dispatched", "returned", "reopened"}),
    "urge": frozenset({"dispatched", "signed", "on_site"}),
    "escalate": frozenset({"new", "acknowledged", "dispatched", "signed", "on_site", "returned",
                           "reopened"}),
    # A unit holding the event must report it resolved first; untouched events may be closed
    # directly (duplicates, nothing to do).
    "close": frozenset({"new", "acknowledged", "resolved", "returned", "reopened"}),
    "reopen": frozenset({"resolved", "closed"}),
    # A unit's reports. Any assigned unit may sign for its task while the event is with the
    # units; only the lead unit moves the event on (arrive, resolve) or sends it back.
    "sign": frozenset({"dispatched", "signed", "on_site"}),
    "arrive": frozenset({"signed"}),
    "resolve": frozenset({"signed", "on_site"}),
    "return": frozenset({"dispatched", "signed"}),
}

#: Statuses in which the sign-for clock (`sla.sign_due`) runs: no unit has signed for the task.
SIGN_CLOCK_STATUSES: frozenset[str] = frozenset(
    {"new", "acknowledged", "dispatched", "returned", "reopened"}
)
#: Statuses in which the resolve clock (`sla.resolve_due`) runs: the event is not resolved.
RESOLVE_CLOCK_STATUSES: frozenset[str] = frozenset(
    {"new", "acknowledged", "dispatched", "signed", "on_site", "returned", "reopened"}
)


def status_allows(action: str, status: str) -> bool:
    """True when an event in `status` may undergo `action` (roles aside)."""
    return status in ALLOWED_FROM.get(action, frozenset())


def allowed_actions(event: Event | None, user: User | None) -> frozenset[str]:
    """The actions `user` may take on `event` now: its status allows them and a role permits them.

    Empty when there is no event or no user.
    """
    if event is None or user is None:
        return frozenset()
    roles = set(user.roles)
    return frozenset(
        action
        for action, statuses in ALLOWED_FROM.items()
        if event.status in statuses and roles & ACTION_ROLES.get(action, frozenset())
    )


def running_deadline(event: Event) -> tuple[str, datetime] | None:
    """The most urgent running SLA deadline: ("sign" | "resolve", due), or None.

    Both clocks run from the report: the sign-for clock until a unit signs for the task,
    the resolve clock until the event is resolved. The earlier running one is returned
    (the sign-for deadline, except after a late re-dispatch). Resolved and closed events,
    and events without deadlines, have no running clock.
    """
    running: list[tuple[datetime, str]] = []
    if event.status in SIGN_CLOCK_STATUSES and event.sla.sign_due is not None:
        running.append((event.sla.sign_due, "sign"))
    if event.status in RESOLVE_CLOCK_STATUSES and event.sla.resolve_due is not None:
        running.append((event.sla.resolve_due, "resolve"))
    if not running:
        return None
    due, kind = min(running)
    return kind, due
