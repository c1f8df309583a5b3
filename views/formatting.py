"""Pure formatting helpers for the views: times, SLA countdowns, masked values.

SLA: the two clocks of an event (sign-for, resolve) come from `console.clocks`; this module
only turns them into countdown text.
"""

from __future__ import annotations

import math
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from console.clocks import Clock
from console.schema import CST


def _left(seconds: float) -> str:
    whole = int(seconds)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return QCoreApplication.translate("Sla", "%1 d %2 h").replace("%1", str(days)).replace(
            "%2", str(hours))
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _late(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 60:
        return QCoreApplication.translate("Sla", "%1 min").replace("%1", str(minutes))
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return QCoreApplication.translate("Sla", "%1 h %2 min").replace("%1", str(hours)).replace(
            "%2", str(rest))
    return QCoreApplication.translate("Sla", "%1 d %2 h").replace("%1", str(hours // 24)).replace(
        "%2", str(hours % 24))


def format_age(seconds: float) -> str:
    """How old something is: "12 s", "3 min", "2 h 5 min", "2 d 3 h"."""
    if seconds < 60:
        return QCoreApplication.translate("Sla", "%1 s").replace("%1", str(max(0, int(seconds))))
    return _late(seconds)


def format_ago(seconds: float) -> str:
    """How long ago, for a value's age: "just now", "40 s ago", "2 min ago", "3 h ago",
    "2 d ago" (whole units, rounded down)."""
    if seconds < 10:
        return QCoreApplication.translate("Age", "just now")
    if seconds < 60:
        return QCoreApplication.translate("Age", "%1 s ago").replace("%1", str(int(seconds)))
    if seconds < 3600:
        return QCoreApplication.translate("Age", "%1 min ago").replace("%1", str(int(seconds // 60)))
    if seconds < 86400 * 2:
        return QCoreApplication.translate("Age", "%1 h ago").replace("%1", str(int(seconds // 3600)))
    return QCoreApplication.translate("Age", "%1 d ago").replace("%1", str(int(seconds // 86400)))


def format_clock(clock: Clock) -> str:
    """One clock as a short badge text: 'Sign 04:59', 'Resolve overdue 12 min', 'Signed ✓'."""
    sign = clock.kind == "sign"
    if clock.state == "running":
        text = QCoreApplication.translate("Sla", "Sign %1") if sign else \
            QCoreApplication.translate("Sla", "Resolve %1")
        return text.replace("%1", _left(clock.seconds_left or 0.0))
    if clock.state == "overdue":
        text = QCoreApplication.translate("Sla", "Sign overdue %1") if sign else \
            QCoreApplication.translate("Sla", "Resolve overdue %1")
        return text.replace("%1", _late(-(clock.seconds_left or 0.0)))
    if clock.state == "met":
        return QCoreApplication.translate("Sla", "Signed ✓") if sign else \
            QCoreApplication.translate("Sla", "Resolved ✓")
    if clock.state == "late":
        return QCoreApplication.translate("Sla", "Signed late") if sign else \
            QCoreApplication.translate("Sla", "Resolved late")
    return ""


def clock_tone(clock: Clock) -> str:
    """The badge colour family of a clock: running, soon, overdue, met, late or none."""
    if clock.due_soon:
        return "soon"
    return clock.state


def format_time(moment: datetime | None, now: datetime | None = None) -> str:
    """Local (CST) time: 'HH:MM:SS' today, 'MM-DD HH:MM' on other days."""
    if moment is None:
        return ""
    local = moment.astimezone(CST)
    today = (now or datetime.now(CST)).astimezone(CST).date()
    if local.date() == today:
        return local.strftime("%H:%M:%S")
    return local.strftime("%m-%d %H:%M")


def format_datetime(moment: datetime | None) -> str:
    """Full local (CST) date and time: 'YYYY-MM-DD HH:MM:SS'."""
    if moment is None:
        return ""
    return moment.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")


def mask_phone(phone: str) -> str:
    """A phone number with only its first 3 and last 4 digits (already masked ones pass)."""
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 11 or "*" in phone:
        return phone
    return phone[:3] + "****" + phone[-4:]
