"""What a responding unit's reports change: sign, arrive, resolve, return.

Called by `flow.apply_action` once the status allows the report. Every report names its unit
(`unit_id`); the unit must hold an assignment on the event, and a principal acting as a unit
(role `unit`, not admin) may only report for itself.
"""

from __future__ import annotations

from datetime import datetime

from console.schema import ActionRequest

from .catalog_data import ROLE_NAMES, unit_name
from .errors import ApiError
from .security import Principal

#: The reason recorded when a unit sends an event back without giving one.
DEFAULT_RETURN_REASON = "非本单位职责，申请退回"
#: Reports only the lead unit may make: they move the whole event on.
LEAD_ONLY = frozenset({"arrive", "resolve", "return"})


def apply_unit_report(event: dict, request: ActionRequest, principal: Principal, note: str,
                      now: datetime) -> str:
    """Apply a unit's report to `event`; returns the timeline detail."""
    action = request.action
    assignment = _reporting_assignment(event, request, principal)
    unit_id = assignment["unit_id"]
    if action in LEAD_ONLY and assignment["role"] != "lead":
        raise ApiError(422, "invalid", f"Only the lead unit may {action} the event.",
                       {"field": "unit_id", "unit_id": unit_id, "role": assignment["role"]})
    name = unit_name(unit_id)
    if action == "sign":
        _expect(assignment, "sent", "The unit has already signed for this task.")
        assignment["status"] = "signed"
        assignment["signed_at"] = now.isoformat()
        if assignment["role"] == "lead" and event["status"] == "dispatched":
            event["status"] = "signed"
        text = f"{name}（{ROLE_NAMES[assignment['role']]}）签收"
    elif action == "arrive":
        _expect(assignment, "signed", "The lead unit has not signed for this task.")
        event["status"] = "on_site"
        text = f"{name}到达现场"
    elif action == "resolve":
        _expect(assignment, "signed", "The lead unit has not signed for this task.")
        event["status"] = "resolved"
        for other in event["assignments"]:
            if other["status"] in ("sent", "signed"):
                other["status"] = "done"
        text = f"{name}办结"
    else:  # return
        event["status"] = "returned"
        event["bounces"] = event.get("bounces", 0) + 1
        assignment["status"] = "returned"
        text = f"{name}退回：{note or DEFAULT_RETURN_REASON}"
        note = ""
    if note:
        text = f"{text}；{note}"
    if principal.user_id != unit_id:
        text = f"{text}（{principal.user_id}代报）"
    return text


def _reporting_assignment(event: dict, request: ActionRequest, principal: Principal) -> dict:
    unit_id = request.unit_id
    if not unit_id:
        raise ApiError(422, "invalid", f"A unit's {request.action} report needs unit_id.",
                       {"field": "unit_id"})
    if "admin" not in principal.roles and principal.user_id != unit_id:
        raise ApiError(403, "forbidden", "A unit may only report for itself.",
                       {"action": request.action, "unit_id": unit_id})
    assignment = next((a for a in event.get("assignments") or [] if a["unit_id"] == unit_id),
                      None)
    if assignment is None:
        raise ApiError(422, "invalid", "The unit holds no assignment on this event.",
                       {"field": "unit_id", "unit_id": unit_id})
    return assignment


def _expect(assignment: dict, status: str, message: str) -> None:
    if assignment["status"] != status:
        raise ApiError(422, "invalid", message,
                       {"unit_id": assignment["unit_id"], "assignment_status": assignment["status"]})
