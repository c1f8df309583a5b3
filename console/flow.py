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
    "dispatch": frozenset({"new", "acknowledged", "returned", "reopened"}),
    "escalate": frozenset({"new", "acknowledged", "dispatched", "signed", "on_site", "returned",
                           "reopened"}),
    # A unit holding the event must report it resolved first; untouched events may be closed
    # directly (duplicates, nothing to do).
    "close": frozenset({"new", "acknowledged", "resolved", "returned", "reopened"}),
    "reopen": frozenset({"resolved", "closed"}),
}

#: Statuses whose running deadline is `sla.sign_due` (no unit has signed for the task yet).
SIGN_CLOCK_STATUSES: frozenset[str] = frozenset(
    {"new", "acknowledged", "dispatched", "returned", "reopened"}
)
#: Statuses whose running deadline is `sla.resolve_due` (a unit holds the task).
RESOLVE_CLOCK_STATUSES: frozenset[str] = frozenset({"signed", "on_site"})


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
    """The SLA deadline the event runs against: ("sign" | "resolve", due), or None.

    The sign deadline runs until a unit signs for the task, then the resolve deadline; resolved
    and closed events (and events without that deadline) have no running clock.
    """
    if event.status in SIGN_CLOCK_STATUSES:
        kind, due = "sign", event.sla.sign_due
    elif event.status in RESOLVE_CLOCK_STATUSES:
        kind, due = "resolve", event.sla.resolve_due
    else:
        return None
    return (kind, due) if due is not None else None
