"""console.flow: the status-flow rules shared by the backend and the console (pure, no backend)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from console.flow import (
    ALLOWED_FROM,
    RESOLVE_CLOCK_STATUSES,
    SIGN_CLOCK_STATUSES,
    allowed_actions,
    running_deadline,
    status_allows,
)
from console.schema import ACTIONS, CST, STATUSES, Event, User

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=CST)
SIGN_DUE = NOW + timedelta(minutes=30)
RESOLVE_DUE = NOW + timedelta(hours=4)

DUTY = User(id="duty1", name="值班员", roles=["duty_officer"])
LEADER = User(id="leader1", name="值班长", roles=["shift_leader"])


def _event(status: str, *, sign_due=SIGN_DUE, resolve_due=RESOLVE_DUE) -> Event:
    return Event.model_validate({
        "id": "EV-1", "seq": 1, "version": 1, "title": "井盖缺失", "category": "c", "level": 2,
        "source": "grid", "status": status, "location": {"lon": 120.3, "lat": 31.57},
        "reported_at": NOW, "updated_at": NOW,
        "sla": {"sign_due": sign_due, "resolve_due": resolve_due},
    })


def test_the_table_covers_every_action_with_known_statuses():
    assert set(ALLOWED_FROM) == set(ACTIONS)
    for statuses in ALLOWED_FROM.values():
        assert statuses and statuses <= set(STATUSES)


@pytest.mark.parametrize("status", ["new", "reopened", "returned"])
def test_acknowledge_only_before_anyone_took_it(status):
    assert status_allows("acknowledge", status)
    assert "acknowledge" in allowed_actions(_event(status), DUTY)
    assert "acknowledge" in allowed_actions(_event(status), LEADER)


@pytest.mark.parametrize("status", sorted(set(STATUSES) - {"new", "reopened", "returned"}))
def test_no_acknowledge_once_taken(status):
    assert not status_allows("acknowledge", status)
    assert "acknowledge" not in allowed_actions(_event(status), DUTY)
    assert "acknowledge" not in allowed_actions(_event(status), LEADER)


def test_roles_and_status_combine():
    assert allowed_actions(_event("new"), DUTY) == {"acknowledge", "note"}
    assert allowed_actions(_event("new"), LEADER) == {
        "acknowledge", "note", "dispatch", "escalate", "close"}
    assert allowed_actions(_event("acknowledged"), DUTY) == {"note"}
    assert allowed_actions(_event("on_site"), LEADER) == {"note", "escalate", "urge"}
    assert allowed_actions(_event("dispatched"), DUTY) == {"note", "urge"}
    assert "dispatch" in allowed_actions(_event("dispatched"), LEADER)  # a re-dispatch
    assert allowed_actions(_event("closed"), DUTY) == {"note"}
    assert allowed_actions(_event("closed"), LEADER) == {"note", "reopen"}
    assert allowed_actions(_event("resolved"), LEADER) == {"note", "close", "reopen"}


def test_nothing_without_an_event_or_a_user():
    assert allowed_actions(None, LEADER) == frozenset()
    assert allowed_actions(_event("new"), None) == frozenset()
    nobody = User(id="guest", name="访客", roles=[])
    assert allowed_actions(_event("new"), nobody) == frozenset()
    assert not status_allows("teleport", "new")


def test_unit_reports_are_not_offered_to_the_hall():
    for status in STATUSES:
        for user in (DUTY, LEADER):
            assert not allowed_actions(_event(status), user) & {"sign", "arrive", "resolve",
                                                               "return"}


def test_clock_rules_cover_every_status():
    stopped = {"resolved", "closed"}
    assert RESOLVE_CLOCK_STATUSES | stopped == set(STATUSES)
    assert SIGN_CLOCK_STATUSES < RESOLVE_CLOCK_STATUSES
    assert not RESOLVE_CLOCK_STATUSES & stopped


@pytest.mark.parametrize("status", ["new", "acknowledged", "dispatched", "returned", "reopened"])
def test_sign_deadline_runs_until_signed(status):
    assert running_deadline(_event(status)) == ("sign", SIGN_DUE)


@pytest.mark.parametrize("status", ["signed", "on_site"])
def test_resolve_deadline_runs_once_signed(status):
    assert running_deadline(_event(status)) == ("resolve", RESOLVE_DUE)


def test_the_earlier_running_deadline_wins():
    late_sign = RESOLVE_DUE + timedelta(minutes=5)  # a re-dispatch near the resolve deadline
    assert running_deadline(_event("dispatched", sign_due=late_sign)) == ("resolve", RESOLVE_DUE)


@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_no_deadline_once_resolved(status):
    assert running_deadline(_event(status)) is None


def test_no_deadline_when_the_event_has_none():
    assert running_deadline(_event("new", sign_due=None)) == ("resolve", RESOLVE_DUE)
    assert running_deadline(_event("new", sign_due=None, resolve_due=None)) is None
    assert running_deadline(_event("on_site", resolve_due=None)) is None
    assert running_deadline(_event("new", resolve_due=None)) == ("sign", SIGN_DUE)
