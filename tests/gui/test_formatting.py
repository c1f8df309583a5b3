"""The SLA countdown text and the level badge contrast (pure helpers, with the translators)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtGui import QColor

from console.schema import CST, Event
from views.formatting import format_sla, sla_clock
from widgets.severity_delegate import contrasting_text

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=CST)


def _event(status: str, sign_in: float, resolve_in: float) -> Event:
    return Event.model_validate({
        "id": "EV-1", "seq": 1, "version": 1, "title": "t", "category": "c", "level": 2,
        "source": "grid", "status": status,
        "location": {"lon": 120.3, "lat": 31.57},
        "reported_at": NOW, "updated_at": NOW,
        "sla": {"sign_due": NOW + timedelta(seconds=sign_in),
                "resolve_due": NOW + timedelta(seconds=resolve_in)},
    })


def test_sla_text_in_chinese(language):
    assert format_sla(sla_clock(_event("new", 754, 9000), NOW)) == "签收 12:34"
    assert format_sla(sla_clock(_event("acknowledged", -300, 9000), NOW)) == "超时 5分"
    assert format_sla(sla_clock(_event("on_site", -300, 3 * 3600 + 5), NOW)) == "办结 3:00:05"
    assert format_sla(sla_clock(_event("on_site", 0, -7500), NOW)) == "超时 2时5分"
    assert format_sla(sla_clock(_event("closed", -300, -300), NOW)) == ""


@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_sla_text_in_english(language):
    assert format_sla(sla_clock(_event("new", 754, 9000), NOW)) == "Sign 12:34"
    assert format_sla(sla_clock(_event("returned", -61, 9000), NOW)) == "Overdue 2 min"


def test_badge_text_contrast():
    assert contrasting_text(QColor("#fbc02d")).name() == "#101418"  # yellow: dark text
    assert contrasting_text(QColor("#d32f2f")).name() == "#ffffff"  # red: white text
    assert contrasting_text(QColor("#1976d2")).name() == "#ffffff"
