"""The event status flow: what each action changes.

Pure functions on event dicts (the stored JSON); the caller stores the result under a new seq.
Which status allows which action is shared with the console: `console.flow.ALLOWED_FROM`.
"""

from __future__ import annotations

from datetime import datetime

from console.flow import ALLOWED_FROM
from console.schema import ACTION_ROLES, ActionRequest

from .catalog_data import UNIT_IDS
from .errors import ApiError
from .privacy import mask_phones
from .security import Principal


def check_role(principal: Principal, action: str) -> None:
    if not principal.has_any(ACTION_ROLES.get(action, frozenset())):
        raise ApiError(403, "forbidden", f"Your role may not {action} events.",
                       {"action": action, "roles": list(principal.roles)})


def last_actor(event: dict) -> str:
    timeline = event.get("timeline") or []
    return timeline[-1]["actor"] if timeline else "system"


def check_version(event: dict, expected: int) -> None:
    if expected != event["version"]:
        raise ApiError(409, "version_conflict",
                       f"The event changed (version {event['version']}, you had {expected}).",
                       {"current": event, "changed_by": last_actor(event)})


def apply_action(event: dict, request: ActionRequest, principal: Principal,
                 now: datetime) -> dict:
    """The event after `request`; raises ApiError(422) when the status does not allow it."""
    action = request.action
    status = event["status"]
    if status not in ALLOWED_FROM[action]:
        raise ApiError(422, "invalid", f"Cannot {action} an event that is {status}.",
                       {"action": action, "status": status})
    note = mask_phones(request.note.strip()) if request.note else ""
    detail = note
    if action == "acknowledge":
        event["status"] = "acknowledged"
    elif action == "note":
        if not note:
            raise ApiError(422, "invalid", "A note needs text.", {"field": "note"})
    elif action == "dispatch":
        event["assignments"] = _assignments(event, request)
        event["status"] = "dispatched"
        units = "、".join(a["unit_id"] for a in event["assignments"])
        detail = f"派单：{units}" + (f"；{note}" if note else "")
    elif action == "escalate":
        level = request.level if request.level is not None else event["level"] - 1
        if level < 1 or level >= event["level"]:
            raise ApiError(422, "invalid", "Escalation needs a more severe level.",
                           {"level": level, "current_level": event["level"]})
        detail = f"等级 {event['level']} → {level}" + (f"；{note}" if note else "")
        event["level"] = level
    elif action == "close":
        event["status"] = "closed"
    elif action == "reopen":
        event["status"] = "reopened"
    stamp = now.isoformat()
    event["version"] += 1
    event["updated_at"] = stamp
    event.setdefault("timeline", []).append(
        {"at": stamp, "actor": principal.user_id, "action": action, "detail": detail})
    return event


def _assignments(event: dict, request: ActionRequest) -> list[dict]:
    items = request.assignments or []
    if not items:
        raise ApiError(422, "invalid", "A dispatch needs at least one unit.",
                       {"field": "assignments"})
    unknown = [a.unit_id for a in items if a.unit_id not in UNIT_IDS]
    if unknown:
        raise ApiError(422, "invalid", "Unknown unit.", {"unknown_units": unknown})
    leads = [a for a in items if a.role == "lead"]
    if len(leads) != 1:
        raise ApiError(422, "invalid", "A dispatch needs exactly one lead unit.",
                       {"field": "assignments"})
    if len({a.unit_id for a in items}) != len(items):
        raise ApiError(422, "invalid", "A unit is listed twice.", {"field": "assignments"})
    default_due = (event.get("sla") or {}).get("resolve_due")
    return [{"unit_id": a.unit_id, "role": a.role, "status": "sent",
             "instructions": mask_phones(a.instructions),
             "due_at": a.due_at.isoformat() if a.due_at else default_due,
             "signed_at": None} for a in items]
