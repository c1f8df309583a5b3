"""The event status flow: what each action changes.

Pure functions on event dicts (the stored JSON); the caller stores the result under a new seq.
Which status allows which action is shared with the console: `console.flow.ALLOWED_FROM`.
The hall's actions are here; the responding units' reports are in `unit_reports.py`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from console.flow import ALLOWED_FROM
from console.schema import ACTION_ROLES, UNIT_ACTIONS, ActionRequest

from .catalog_data import CATEGORY_BY_CODE, ROLE_NAMES, UNIT_IDS, UNIT_KINDS, unit_name
from .errors import ApiError
from .privacy import mask_phones
from .security import Principal
from .unit_reports import apply_unit_report


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
    """The event after `request`; raises ApiError(422) when the status does not allow it.

    Unit reports may also raise 422 (no `unit_id`, unit not assigned, not the lead) and 403
    (a unit reporting for another unit).
    """
    action = request.action
    status = event["status"]
    if status not in ALLOWED_FROM[action]:
        raise ApiError(422, "invalid", f"Cannot {action} an event that is {status}.",
                       {"action": action, "status": status})
    note = mask_phones(request.note.strip()) if request.note else ""
    actor = principal.user_id
    if action in UNIT_ACTIONS:
        detail = apply_unit_report(event, request, principal, note, now)
        actor = request.unit_id or actor
    else:
        detail = _apply_hall_action(event, request, note, now)
    stamp = now.isoformat()
    event["version"] += 1
    event["updated_at"] = stamp
    event.setdefault("timeline", []).append(
        {"at": stamp, "actor": actor, "action": action, "detail": detail})
    return event


def team_status_changes(before: list[dict], event: dict, action: str) -> dict[str, str]:
    """Response teams whose status `action` changed: {unit_id: "busy" | "available"}.

    A team dispatched as lead is busy until the event is resolved or sent back; a team
    replaced as lead by a re-dispatch is available again.
    """
    old_lead = _lead(before)
    new_lead = _lead(event.get("assignments") or [])
    changes: dict[str, str] = {}
    if action == "dispatch" and new_lead is not None:
        if old_lead is not None and old_lead["status"] in ("sent", "signed"):
            changes[old_lead["unit_id"]] = "available"
        changes[new_lead["unit_id"]] = "busy"
    elif action in ("resolve", "return") and new_lead is not None:
        changes[new_lead["unit_id"]] = "available"
    return {unit: status for unit, status in changes.items() if UNIT_KINDS.get(unit) == "team"}


def _apply_hall_action(event: dict, request: ActionRequest, note: str, now: datetime) -> str:
    """Apply one of the hall's actions; returns the timeline detail."""
    action = request.action
    detail = note
    if action == "acknowledge":
        event["status"] = "acknowledged"
    elif action == "note":
        if not note:
            raise ApiError(422, "invalid", "A note needs text.", {"field": "note"})
    elif action == "urge":
        detail = _with_note(f"催办：{_urged_units(event)}", note)
    elif action == "dispatch":
        verb = "改派" if event["status"] == "dispatched" else "派单"
        event["assignments"] = _assignments(event, request)
        event["status"] = "dispatched"
        _restart_clocks(event, now, resolve=False)
        units = "、".join(f"{unit_name(a['unit_id'])}（{ROLE_NAMES[a['role']]}）"
                         for a in event["assignments"])
        detail = _with_note(f"{verb}：{units}", note)
    elif action == "escalate":
        level = request.level if request.level is not None else event["level"] - 1
        if level < 1 or level >= event["level"]:
            raise ApiError(422, "invalid", "Escalation needs a more severe level.",
                           {"level": level, "current_level": event["level"]})
        detail = _with_note(f"等级 {event['level']} → {level}", note)
        event["level"] = level
    elif action == "close":
        event["status"] = "closed"
    elif action == "reopen":
        event["status"] = "reopened"
        _restart_clocks(event, now, resolve=True)
    return detail


def _with_note(text: str, note: str) -> str:
    return f"{text}；{note}" if note else text


def _urged_units(event: dict) -> str:
    """The units an urge chases: those that have not signed yet, else the lead."""
    assignments = event.get("assignments") or []
    waiting = [a for a in assignments if a["status"] == "sent"]
    if waiting:
        return "、".join(unit_name(a["unit_id"]) for a in waiting) + "（未签收）"
    lead = _lead(assignments)
    return f"{unit_name(lead['unit_id'])}（主办）" if lead else "处置单位"


def _restart_clocks(event: dict, now: datetime, *, resolve: bool) -> None:
    """A dispatch gives the units a full sign-for window; a reopen restarts both windows."""
    category = CATEGORY_BY_CODE.get(event.get("category"))
    if category is None:
        return
    sla = event.setdefault("sla", {})
    sla["sign_due"] = (now + timedelta(minutes=category["sla"]["sign_minutes"])).isoformat()
    if resolve:
        sla["resolve_due"] = (now + timedelta(hours=category["sla"]["resolve_hours"])).isoformat()


def _lead(assignments: list[dict]) -> dict | None:
    return next((a for a in assignments if a["role"] == "lead"), None)


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
