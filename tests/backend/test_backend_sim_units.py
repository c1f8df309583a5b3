"""The simulated units (`--units on`): they sign, arrive, resolve or send back dispatched events
by themselves, in simulated time, audited like any command."""

from __future__ import annotations

import time

from be_helpers import act, get_event
from loop_helpers import assignment, audit, dispatch, entry, ok, seconds

from backend.__main__ import parse_args
from backend.catalog_data import CATEGORY_BY_CODE
from backend.simulator.unit_plans import RETURN_REASONS, lead_behaviour, plan_unit

SPEED = 600  # one real second is ten simulated minutes
#: How late (simulated minutes) a report may come after its planned time: the units' wake-up.
SLACK = 5
SEED = 1


def sim_minutes(later: str, earlier: str) -> float:
    return seconds(later, earlier) * SPEED / 60


def wait_for(backend, token: str, event_ids: list[str], done, timeout: float) -> list[dict]:
    """Poll the events until `done(event)` holds for all of them or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        events = [get_event(backend, token, i) for i in event_ids]
        if all(done(e) for e in events) or time.monotonic() > deadline:
            return events
        time.sleep(0.2)


def pick(backend, category: str, behaviours: set[str], count: int = 40) -> dict:
    """A new event of `category` whose lead will behave as one of `behaviours`."""
    for event_id in backend.sim_events(count, category=category)["ids"]:
        if lead_behaviour(SEED, event_id, 1) in behaviours:
            return get_event(backend, backend.login("duty1"), event_id)
    raise AssertionError(f"no lead that is {behaviours} among {count} events")


def test_units_take_a_dispatched_event_to_resolved(backend_factory):
    proc = backend_factory(units="on", speed=SPEED, seed=SEED)
    leader, duty = proc.login("leader1"), proc.login("duty1")
    event = pick(proc, "iot_fire", {"on_time"})
    event = dispatch(proc, leader, event, "emergency", "police", "team_ops_1")
    dispatched_at = entry(event, "dispatch")["at"]
    [event] = wait_for(proc, duty, [event["id"]], lambda e: e["status"] == "resolved", 30)

    assert event["status"] == "resolved", [e["action"] for e in event["timeline"]]
    actions = [(e["actor"], e["action"]) for e in event["timeline"]]
    assert actions[-2:] == [("emergency", "arrive"), ("emergency", "resolve")]
    assert sorted(actions[-5:-2]) == [("emergency", "sign"), ("police", "sign"),
                                      ("team_ops_1", "sign")]
    assert [a["status"] for a in event["assignments"]] == ["done", "done", "done"]
    # Each report comes when its plan says (never before; a little after, as the units tick).
    window = CATEGORY_BY_CODE["iot_fire"]["sla"]["sign_minutes"]
    plans = {unit: plan_unit(SEED, event["id"], 1, unit, role, window * 60)
             for unit, role in (("emergency", "lead"), ("police", "assist"),
                                ("team_ops_1", "assist"))}
    for unit, plan in plans.items():
        took = sim_minutes(assignment(event, unit)["signed_at"], dispatched_at)
        assert 0.1 * window <= plan.sign_after / 60 <= took <= plan.sign_after / 60 + SLACK
        assert took <= 0.8 * window + SLACK, (unit, took)
    signed_at = assignment(event, "emergency")["signed_at"]
    arrived = entry(event, "arrive")["at"]
    took = sim_minutes(arrived, signed_at)
    assert 5 <= plans["emergency"].arrive_after / 60 <= took <= 25 + SLACK
    assert sim_minutes(entry(event, "resolve")["at"], arrived) >= 10

    # Audited like REST commands: the unit as actor at seat "sim", one key per step.
    trail = [a for a in audit(proc, duty, event_id=event["id"]) if a["seat"] == "sim"]
    assert [(a["actor"], a["action"]) for a in trail] == actions[-5:]
    assert {a["result"] for a in trail} == {"ok"}
    assert len({a["idempotency_key"] for a in trail}) == 5


def test_an_urged_late_unit_signs(backend_factory):
    proc = backend_factory(units="on", speed=SPEED, seed=SEED)
    leader, duty = proc.login("leader1"), proc.login("duty1")
    event = pick(proc, "noise", {"slow", "awaits_urge"})
    event = dispatch(proc, leader, event, "ecology")
    event = ok(act(proc, duty, event["id"], {"action": "urge",
                                             "expected_version": event["version"]}))
    urged_at = entry(event, "urge")["at"]
    [event] = wait_for(proc, duty, [event["id"]], lambda e: e["status"] == "signed", 10)

    lead = assignment(event, "ecology")
    assert lead["status"] == "signed", event["timeline"]
    window = CATEGORY_BY_CODE["noise"]["sla"]["sign_minutes"]
    plan = plan_unit(SEED, event["id"], 1, "ecology", "lead", window * 60)
    assert plan.sign_after is None or plan.sign_after >= 1.2 * window * 60  # late by itself
    # Signed 1-3 simulated minutes after the urge, well within the sign-for window.
    assert 1 <= sim_minutes(lead["signed_at"], urged_at) <= 3 + SLACK
    assert sim_minutes(lead["signed_at"], entry(event, "dispatch")["at"]) < window


def test_a_batch_has_returns_and_missed_deadlines(backend_factory):
    proc = backend_factory(units="on", speed=SPEED, seed=SEED)
    leader, duty = proc.login("leader1"), proc.login("duty1")
    window = CATEGORY_BY_CODE["noise"]["sla"]["sign_minutes"]
    ids = proc.sim_events(40, category="noise")["ids"]
    for event_id in ids:
        dispatch(proc, leader, get_event(proc, duty, event_id), "ecology", "police")
    last_dispatch = time.monotonic()

    def lead_decided(event: dict) -> bool:
        return event["status"] == "returned" or assignment(event, "ecology")["status"] != "sent"

    # Late leads sign by 250 % of the window; those waiting for an urge never do.
    wait = 2.5 * window * 60 / SPEED + 2
    events = wait_for(proc, duty, ids, lead_decided, wait)
    time.sleep(max(0.0, last_dispatch + wait - time.monotonic()))
    events = [get_event(proc, duty, i) for i in ids]

    returned = [e for e in events if e["status"] == "returned"]
    late, on_time = [], []
    for event in events:
        if event in returned:
            continue
        lead = assignment(event, "ecology")
        took = sim_minutes(lead["signed_at"], entry(event, "dispatch")["at"]) \
            if lead["signed_at"] else None
        (late if took is None or took > window else on_time).append(event)
    assert 1 <= len(returned) <= 6, len(returned)
    assert 1 <= len(late) <= 8, len(late)
    assert len(on_time) >= 28
    for event in returned:
        back = entry(event, "return")
        assert event["bounces"] == 1 and back["actor"] == "ecology"
        assert back["detail"].split("：", 1)[1] in RETURN_REASONS
        assert assignment(event, "ecology")["status"] == "returned"
    for event in on_time:
        assert event["status"] in ("signed", "on_site")
    # Assists sign in their window whatever the lead does.
    signed_assists = [e for e in events if assignment(e, "police")["signed_at"]]
    assert len(signed_assists) >= 36


def test_units_are_on_unless_switched_off():
    assert parse_args([]).units == "on"
    assert parse_args(["--units", "off"]).units == "off"
