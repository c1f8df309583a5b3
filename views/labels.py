"""Translated display names for the contract's codes (statuses, sources, roles, actions, states).

The codes come from console/schema.py; only their names for people live here. Each name is
looked up through Qt's translator when asked for, so the language installed at start-up wins.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from console import auth


def status_name(code: str) -> str:
    """The translated name of an event status."""
    names = {
        "new": QCoreApplication.translate("Status", "New"),
        "acknowledged": QCoreApplication.translate("Status", "Acknowledged"),
        "dispatched": QCoreApplication.translate("Status", "Dispatched"),
        "signed": QCoreApplication.translate("Status", "Signed for"),
        "on_site": QCoreApplication.translate("Status", "On site"),
        "resolved": QCoreApplication.translate("Status", "Resolved"),
        "closed": QCoreApplication.translate("Status", "Closed"),
        "returned": QCoreApplication.translate("Status", "Returned"),
        "reopened": QCoreApplication.translate("Status", "Reopened"),
    }
    return names.get(code, code)


def source_name(code: str) -> str:
    """The translated name of an event source."""
    names = {
        "hotline_12345": QCoreApplication.translate("Source", "12345 hotline"),
        "grid": QCoreApplication.translate("Source", "Grid governance"),
        "city_mgmt": QCoreApplication.translate("Source", "Digital city management"),
        "police_home": QCoreApplication.translate("Source", "Police Home plan"),
        "iot": QCoreApplication.translate("Source", "IoT sensing"),
        "indicator": QCoreApplication.translate("Source", "Indicator breach"),
        "manual": QCoreApplication.translate("Source", "Manual entry"),
    }
    return names.get(code, code)


def role_name(code: str) -> str:
    """The translated name of a user role."""
    names = {
        "duty_officer": QCoreApplication.translate("Role", "Duty officer"),
        "shift_leader": QCoreApplication.translate("Role", "Shift leader"),
        "admin": QCoreApplication.translate("Role", "Administrator"),
        "unit": QCoreApplication.translate("Role", "Responding unit"),
    }
    return names.get(code, code)


def action_name(code: str) -> str:
    """The translated name of an action as it appears in timelines and the audit log."""
    names = {
        "create": QCoreApplication.translate("Action", "Created"),
        "created": QCoreApplication.translate("Action", "Created"),
        "report": QCoreApplication.translate("Action", "Reported"),
        "acknowledge": QCoreApplication.translate("Action", "Acknowledged"),
        "note": QCoreApplication.translate("Action", "Note"),
        "urge": QCoreApplication.translate("Action", "Urged"),
        "dispatch": QCoreApplication.translate("Action", "Dispatched"),
        "escalate": QCoreApplication.translate("Action", "Escalated"),
        "close": QCoreApplication.translate("Action", "Closed"),
        "reopen": QCoreApplication.translate("Action", "Reopened"),
        "sign": QCoreApplication.translate("Action", "Signed for"),
        "arrive": QCoreApplication.translate("Action", "Arrived on site"),
        "resolve": QCoreApplication.translate("Action", "Resolved"),
        "return": QCoreApplication.translate("Action", "Returned"),
        "login": QCoreApplication.translate("Action", "Logged in"),
        "conference.start": QCoreApplication.translate("Action", "Conference started"),
        "conference.join": QCoreApplication.translate("Action", "Joined the conference"),
        "conference.leave": QCoreApplication.translate("Action", "Left the conference"),
        "conference.end": QCoreApplication.translate("Action", "Conference ended"),
    }
    return names.get(code, code)


def proposal_reason(reason: str, category: str = "", street: str = "",
                    distance_km: float | None = None) -> str:
    """Why the dispatch dialog proposes a unit (`console.dispatch.Reason`), translated."""
    if reason == "category_lead":
        return QCoreApplication.translate("Dispatch", "Leads %1 events").replace("%1", category)
    if reason == "category_assist":
        return QCoreApplication.translate("Dispatch", "Assists with %1 events").replace(
            "%1", category)
    if reason == "event_street":
        return QCoreApplication.translate("Dispatch", "Office of %1, where it happened").replace(
            "%1", street)
    if reason == "nearest_team":
        return QCoreApplication.translate("Dispatch", "Nearest available team, %1 km").replace(
            "%1", f"{distance_km or 0:.1f}")
    if reason == "fallback_lead":
        return QCoreApplication.translate("Dispatch", "The category names no lead unit")
    if reason == "added":
        return QCoreApplication.translate("Dispatch", "Added by you")
    return reason


def audit_result_name(code: str) -> str:
    """What came of an audited command, translated (refusals say why)."""
    names = {
        "ok": QCoreApplication.translate("AuditResult", "Accepted"),
        "replayed": QCoreApplication.translate("AuditResult", "Repeated request, answered once"),
        "forbidden": QCoreApplication.translate("AuditResult", "Refused: role not allowed"),
        "version_conflict": QCoreApplication.translate(
            "AuditResult", "Refused: already handled by another seat"),
        "invalid": QCoreApplication.translate("AuditResult", "Refused: not valid now"),
        "in_progress": QCoreApplication.translate("AuditResult", "Refused: still running"),
        "idempotency_key_reuse": QCoreApplication.translate(
            "AuditResult", "Refused: request key reused"),
        "not_found": QCoreApplication.translate("AuditResult", "Refused: no such event"),
        "invalid_credentials": QCoreApplication.translate("AuditResult", "Wrong credentials"),
    }
    return names.get(code, code)


def indicator_group_name(code: str) -> str:
    """The translated name of a group of indicators (數字體征)."""
    names = {
        "operations": QCoreApplication.translate("IndicatorGroup", "City operations"),
        "safety": QCoreApplication.translate("IndicatorGroup", "Public safety"),
        "environment": QCoreApplication.translate("IndicatorGroup", "Environment"),
        "traffic": QCoreApplication.translate("IndicatorGroup", "Traffic"),
        "livelihood": QCoreApplication.translate("IndicatorGroup", "Livelihood"),
        "economy": QCoreApplication.translate("IndicatorGroup", "Economy"),
    }
    return names.get(code, code)


def unit_status_name(status: str) -> str:
    """The translated name of a unit's availability."""
    names = {
        "available": QCoreApplication.translate("UnitStatus", "Available"),
        "busy": QCoreApplication.translate("UnitStatus", "Busy"),
        "off_duty": QCoreApplication.translate("UnitStatus", "Off duty"),
    }
    return names.get(status, status)


def connection_name(state: str) -> str:
    """The translated name of a live-connection state."""
    names = {
        "connecting": QCoreApplication.translate("Connection", "Connecting"),
        "live": QCoreApplication.translate("Connection", "Live"),
        "reconnecting": QCoreApplication.translate("Connection", "Reconnecting"),
        "resyncing": QCoreApplication.translate("Connection", "Resyncing"),
        "offline": QCoreApplication.translate("Connection", "Offline"),
        "stopped": QCoreApplication.translate("Connection", "Stopped"),
    }
    return names.get(state, state)


#: Colours of the connection states on the dark theme.
CONNECTION_COLORS = {
    "live": "#3fb950",
    "connecting": "#d29922",
    "reconnecting": "#f0883e",
    "resyncing": "#d29922",
    "offline": "#f85149",
    "stopped": "#8b949e",
}


def vault_reason(reason: str) -> str:
    """Why no secure keyring exists, translated (the vault gives one of a fixed set of reasons)."""
    names = {
        auth.REASON_NO_KEYRING: QCoreApplication.translate(
            "Vault", "No keyring service is available on this system."),
        auth.REASON_DISABLED: QCoreApplication.translate("Vault", "The keyring is disabled."),
        auth.REASON_PLAINTEXT: QCoreApplication.translate(
            "Vault", "The keyring stores secrets unencrypted in a file."),
        auth.REASON_LOW_PRIORITY: QCoreApplication.translate(
            "Vault", "The keyring backend is not recommended for secrets."),
        auth.REASON_ERROR: QCoreApplication.translate("Vault", "The keyring could not be opened."),
    }
    return names.get(reason) or QCoreApplication.translate(
        "Vault", "The system keyring cannot be used safely here.")
