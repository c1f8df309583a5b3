"""console.dispatch, console.clocks and console.chase on the reference catalog (pure, no backend)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from backend.catalog_data import build_catalog
from console.chase import SignWatch
from console.clocks import event_clocks, is_overdue, unsigned_units
from console.dispatch import GENERIC_TEMPLATE, assignments, propose
from console.queue_index import QueueFilter
from console.saved_filters import (
    builtin_filters,
    filter_from_dict,
    filter_to_dict,
    user_filters_from_data,
)
from console.schema import CST, OPEN_STATUSES, Catalog, Event, LiveMessage
from console.store import EventStore
from console.units import UnitBoard, distance_km

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=CST)
CATALOG = Catalog.model_validate(build_catalog())


def _event(category="gas_safety", status="new", *, street="tongjiang", lon=120.301,
           lat=31.5935, assignments_=(), timeline=(), sign_in=10 * 60, resolve_in=4 * 3600,
           version=1, event_id="EV-1", seq=1) -> Event:
    return Event.model_validate({
        "id": event_id, "seq": seq, "version": version, "title": "燃气泄漏", "category": category,
        "level": 2, "source": "iot", "status": status,
        "location": {"lon": lon, "lat": lat, "address": "通江大道1号", "street_id": street},
        "reported_at": NOW - timedelta(minutes=1), "updated_at": NOW,
        "sla": {"sign_due": NOW + timedelta(seconds=sign_in),
                "resolve_due": NOW + timedelta(seconds=resolve_in)},
        "assignments": list(assignments_), "timeline": list(timeline),
    })


def _board(positions: dict[str, tuple[float, float, str]] | None = None) -> UnitBoard:
    store = EventStore()
    store.set_catalog(CATALOG)
    board = UnitBoard(store)
    if positions:
        store.apply_batch([
            LiveMessage(seq=i + 1, type="unit.position", at=NOW,
                        data={"unit_id": uid, "position": [lon, lat], "status": status})
            for i, (uid, (lon, lat, status)) in enumerate(positions.items())])
    return board


def test_the_proposal_follows_the_category_street_and_nearest_team():
    proposal = propose(_event(), CATALOG, _board().all(), NOW)
    roles = [(u.unit_id, u.role, u.reason) for u in proposal.units]
    assert roles[0] == ("emergency", "lead", "category_lead")
    assert ("team_gas", "assist", "category_assist") in roles
    assert ("police", "assist", "category_assist") in roles
    assert ("street_tongjiang", "assist", "event_street") in roles
    nearest = [u for u in proposal.units if u.reason == "nearest_team"]
    assert len(nearest) == 1 and nearest[0].distance_km is not None
    # No team listed twice, and team_gas (already an assist) is not "nearest" again.
    assert len({u.unit_id for u in proposal.units}) == len(proposal.units)
    assert nearest[0].unit_id != "team_gas"
    assert proposal.expected_version == 1 and proposal.sign_minutes == 10
    assert proposal.due_at == NOW + timedelta(hours=4)
    assert proposal.instructions and "{" not in proposal.instructions
    assert "燃气泄漏" in proposal.instructions or "通江大道1号" in proposal.instructions


def test_the_nearest_team_uses_live_positions_and_skips_busy_teams():
    here = (120.3300, 31.5800)
    board = _board({"team_ops_4": (here[0] + 0.001, here[1], "busy"),
                    "team_ops_2": (here[0] + 0.002, here[1], "available")})
    proposal = propose(_event(category="noise", lon=here[0], lat=here[1], street="guangyi"),
                       CATALOG, board.all(), NOW)
    nearest = [u for u in proposal.units if u.reason == "nearest_team"]
    assert [u.unit_id for u in nearest] == ["team_ops_2"]
    assert nearest[0].distance_km == pytest.approx(distance_km(here, (here[0] + 0.002, here[1])),
                                                   abs=0.01)


def test_a_unit_that_sent_it_back_does_not_lead_again():
    returned = [{"unit_id": "emergency", "role": "lead", "status": "returned"}]
    proposal = propose(_event(status="returned", assignments_=returned), CATALOG,
                       _board().all(), NOW)
    lead = [u for u in proposal.units if u.role == "lead"]
    assert len(lead) == 1 and lead[0].unit_id != "emergency"


def test_a_category_without_templates_gets_the_generic_text():
    catalog = CATALOG.model_copy(deep=True)
    for category in catalog.categories:
        category.instruction_templates = []
    proposal = propose(_event(), catalog, _board().all(), NOW)
    assert proposal.templates == [GENERIC_TEMPLATE.replace("{title}", "燃气泄漏").replace(
        "{address}", "通江大道1号")]


def test_an_overdue_resolve_deadline_proposes_a_fresh_due_time():
    proposal = propose(_event(resolve_in=-60), CATALOG, _board().all(), NOW)
    assert proposal.due_at == NOW + timedelta(hours=4)


def test_assignments_need_exactly_one_lead():
    with pytest.raises(ValueError):
        assignments([("a", "assist")], "go", None)
    with pytest.raises(ValueError):
        assignments([("a", "lead"), ("b", "lead")], "go", None)
    with pytest.raises(ValueError):
        assignments([("a", "lead"), ("a", "assist")], "go", None)
    body = assignments([("a", "lead"), ("b", "assist")], "go", NOW)
    assert [(a.unit_id, a.role, a.instructions, a.due_at) for a in body] == [
        ("a", "lead", "go", NOW), ("b", "assist", "go", NOW)]


def test_two_clocks_run_stop_and_remember_if_in_time():
    sign, resolve = event_clocks(_event(), NOW)
    assert (sign.state, resolve.state) == ("running", "running")
    assert sign.seconds_left == 600 and not sign.due_soon
    sign, resolve = event_clocks(_event(sign_in=-30), NOW)
    assert sign.state == "overdue" and resolve.state == "running"
    assert is_overdue(_event(sign_in=-30), NOW)
    signed = [{"unit_id": "emergency", "role": "lead", "status": "signed",
               "signed_at": (NOW + timedelta(minutes=5)).isoformat()}]
    sign, resolve = event_clocks(_event(status="on_site", assignments_=signed), NOW)
    assert sign.state == "met" and resolve.state == "running"
    late = [{"unit_id": "emergency", "role": "lead", "status": "signed",
             "signed_at": (NOW + timedelta(minutes=15)).isoformat()}]
    assert event_clocks(_event(status="signed", assignments_=late), NOW)[0].state == "late"
    resolved = _event(status="resolved", assignments_=signed, timeline=[
        {"at": (NOW + timedelta(hours=5)).isoformat(), "actor": "emergency", "action": "resolve"}])
    assert event_clocks(resolved, NOW)[1].state == "late"
    assert not is_overdue(resolved, NOW + timedelta(days=1))


def test_sign_watch_prompts_once_per_dispatch():
    store = EventStore()
    watch = SignWatch(store)
    sent = [{"unit_id": "emergency", "role": "lead", "status": "sent"},
            {"unit_id": "police", "role": "assist", "status": "signed"}]
    store.upsert([_event(status="dispatched", assignments_=sent, sign_in=60)])
    assert watch.overdue(NOW) == []
    [late] = watch.overdue(NOW + timedelta(minutes=2))
    assert late.units == ("emergency",) and late.overdue_seconds(NOW + timedelta(minutes=2)) == 60
    assert unsigned_units(store.get("EV-1")) == ["emergency"]
    watch.dismiss("EV-1")
    assert watch.overdue(NOW + timedelta(minutes=3)) == []
    # A re-dispatch sets a new sign-for deadline: the prompt may come back.
    store.upsert([_event(status="dispatched", assignments_=sent, sign_in=300, version=3, seq=5)])
    assert watch.overdue(NOW + timedelta(minutes=3)) == []
    assert len(watch.overdue(NOW + timedelta(minutes=6))) == 1
    # Once the lead signs, there is nothing to chase.
    store.upsert([_event(status="signed", assignments_=sent, sign_in=300, version=4, seq=6)])
    assert watch.overdue(NOW + timedelta(minutes=6)) == []


def test_saved_filters_round_trip_and_survive_bad_data():
    queue_filter = QueueFilter(statuses=OPEN_STATUSES, levels=frozenset({1, 2}),
                               streets=frozenset({"tongjiang"}), overdue=True, text="燃气")
    assert filter_from_dict(filter_to_dict(queue_filter)) == queue_filter
    assert filter_from_dict("junk") == QueueFilter()
    odd = filter_from_dict({"levels": [1, "2", True, 9], "statuses": ["new", "teleported"],
                            "overdue": "yes", "text": 5})
    assert odd.levels == frozenset({1}) and odd.statuses == frozenset({"new"})
    assert odd.overdue is False and odd.text == ""
    assert user_filters_from_data([{"name": " 夜班 ", "filter": {"levels": [1]}}, {"name": ""},
                                   "x"])[0].name == "夜班"
    keys = [f.key for f in builtin_filters(None)]
    assert keys == ["open_level_1_2", "overdue"]
    mine = builtin_filters("tongjiang")[-1]
    assert mine.key == "my_street" and mine.filter.streets == frozenset({"tongjiang"})
