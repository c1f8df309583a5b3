"""The SLA countdown text and the level badge contrast (pure helpers, with the translators)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtGui import QColor

from console.clocks import event_clocks
from console.schema import CST, Event
from views.formatting import format_clock
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


def _texts(event: Event, now=NOW) -> list[str]:
    return [format_clock(clock) for clock in event_clocks(event, now)]


def test_clock_texts_in_chinese(language):
    assert _texts(_event("new", 754, 9000)) == ["签收 12:34", "办结 2:30:00"]
    assert _texts(_event("acknowledged", -300, 9000)) == ["签收超时 5分", "办结 2:30:00"]
    assert _texts(_event("dispatched", -7500, 4 * 86400)) == ["签收超时 2时5分", "办结 4天0时"]
    assert _texts(_event("on_site", 0, -3 * 86400)) == ["", "办结超时 3天0时"]
    assert _texts(_event("closed", -300, -300)) == ["", ""]


@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_clock_texts_in_english(language):
    assert _texts(_event("new", 754, 9000)) == ["Sign 12:34", "Resolve 2:30:00"]
    assert _texts(_event("returned", -61, 9000)) == ["Sign overdue 2 min", "Resolve 2:30:00"]


def test_badge_text_contrast():
    assert contrasting_text(QColor("#fbc02d")).name() == "#101418"  # yellow: dark text
    assert contrasting_text(QColor("#d32f2f")).name() == "#ffffff"  # red: white text
    assert contrasting_text(QColor("#1976d2")).name() == "#ffffff"
