"""The closed event loop over REST: report → acknowledge → dispatch → sign → arrive → resolve →
close, returns and re-dispatch, reopen, urge, and who may report what."""

from __future__ import annotations

from datetime import datetime

import requests
from be_helpers import API, act, assert_error, bearer, get_event
from loop_helpers import (
    assignment,
    audit,
    dispatch,
    entry,
    ok,
    report,
    seconds,
    unit_status,
)

from backend.catalog_data import CATEGORY_BY_CODE
from backend.flow import apply_action
from backend.security import Principal
from backend.unit_reports import DEFAULT_RETURN_REASON
from console.schema import CST, ActionRequest, Event

GAS = CATEGORY_BY_CODE["gas_safety"]["sla"]  # sign for in 10 min, resolve in 4 h


def report_gas_leak(backend, token: str) -> dict:
    body = {"title": "广益路小区燃气泄漏", "category": "gas_safety",
            "location": {"lon": 120.338, "lat": 31.584, "address": "梁溪区广益路88号"},
            "reporter": {"name": "王女士", "phone_masked": "139****1234"}}
    answer = requests.post(f"{backend.url}{API}/events", json=body, timeout=10,
                           headers={**bearer(token), "Idempotency-Key": f"gas-{datetime.now()}"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_the_whole_loop(backend_factory):
    proc = backend_factory()
    duty, leader, admin = proc.login("duty1"), proc.login("leader1"), proc.login("admin")
    event = report_gas_leak(proc, duty)
    reported_resolve_due = event["sla"]["resolve_due"]
    event = ok(act(proc, duty, event["id"], {"action": "acknowledge", "expected_version": 1}))
    assert unit_status(proc, duty, "team_gas") == "available"

    event = dispatch(proc, leader, event, "team_gas", "police", "street_guangyi",
                     note="注意疏散")
    assert event["status"] == "dispatched" and event["version"] == 3
    dispatched = entry(event, "dispatch")
    assert dispatched["actor"] == "leader1"
    assert dispatched["detail"] == ("派单：燃气抢修队（主办）、公安梁溪分局（协办）、"
                                    "广益街道办事处（协办）；注意疏散")
    # The units get their full sign-for window from the dispatch; the resolve deadline stays.
    assert seconds(event["sla"]["sign_due"], dispatched["at"]) == GAS["sign_minutes"] * 60
    assert event["sla"]["resolve_due"] == reported_resolve_due
    assert {a["due_at"] for a in event["assignments"]} == {reported_resolve_due}
    assert unit_status(proc, duty, "team_gas") == "busy"

    # An assist signing leaves the event status alone; the lead signing moves it on.
    event = ok(report(proc, admin, event, "sign", "police"))
    assert event["status"] == "dispatched"
    police = assignment(event, "police")
    assert police["status"] == "signed" and police["signed_at"]
    signed = entry(event, "sign")
    assert signed["actor"] == "police" and signed["detail"] == "公安梁溪分局（协办）签收（admin代报）"
    event = ok(report(proc, admin, event, "sign", "team_gas", note="已出发"))
    assert event["status"] == "signed"
    assert entry(event, "sign")["detail"] == "燃气抢修队（主办）签收；已出发（admin代报）"
    assert_error(report(proc, admin, event, "sign", "team_gas"), 422, "invalid")

    event = ok(report(proc, admin, event, "arrive", "team_gas"))
    assert event["status"] == "on_site" and entry(event, "arrive")["actor"] == "team_gas"
    event = ok(report(proc, admin, event, "resolve", "team_gas", note="已关阀检测，无泄漏"))
    assert event["status"] == "resolved"
    assert [a["status"] for a in event["assignments"]] == ["done", "done", "done"]
    assert entry(event, "resolve")["detail"].startswith("燃气抢修队办结；已关阀检测，无泄漏")
    assert unit_status(proc, duty, "team_gas") == "available"

    event = ok(act(proc, leader, event["id"], {"action": "close",
                                               "expected_version": event["version"]}))
    assert event["status"] == "closed" and event["version"] == 8
    Event.model_validate(event)
    assert [e["action"] for e in event["timeline"]] == [
        "report", "acknowledge", "dispatch", "sign", "sign", "arrive", "resolve", "close"]
    assert get_event(proc, duty, event["id"]) == event
    # The admin reported for the units: the audit log names who sent each command.
    trail = [(a["actor"], a["action"], a["result"]) for a in audit(proc, duty, event_id=event["id"])]
    assert trail[-6:] == [("admin", "sign", "ok"), ("admin", "sign", "ok"),
                          ("admin", "sign", "invalid"), ("admin", "arrive", "ok"),
                          ("admin", "resolve", "ok"), ("leader1", "close", "ok")]


def test_return_then_redispatch(backend_factory):
    proc = backend_factory()
    leader, admin, duty = proc.login("leader1"), proc.login("admin"), proc.login("duty1")
    event = get_event(proc, duty, proc.sim_events(1, category="noise")["ids"][0])
    event = dispatch(proc, leader, event, "team_ops_1", "police")
    assert unit_status(proc, duty, "team_ops_1") == "busy"

    # Re-dispatch while nobody has signed: the new lead replaces the old one.
    event = dispatch(proc, leader, event, "team_ops_2", "police")
    assert entry(event, "dispatch")["detail"].startswith("改派：城运7×24应急处置二队（主办）")
    assert [a["unit_id"] for a in event["assignments"]] == ["team_ops_2", "police"]
    assert unit_status(proc, duty, "team_ops_1") == "available"
    assert unit_status(proc, duty, "team_ops_2") == "busy"

    # Only the lead sends an event back; an empty note gets the default reason.
    assert_error(report(proc, admin, event, "return", "police"), 422, "invalid")
    event = ok(report(proc, admin, event, "return", "team_ops_2", note=" "))
    assert event["status"] == "returned" and event["bounces"] == 1
    assert assignment(event, "team_ops_2")["status"] == "returned"
    assert assignment(event, "police")["status"] == "sent"
    returned = entry(event, "return")
    assert returned["actor"] == "team_ops_2"
    assert returned["detail"].startswith(f"城运7×24应急处置二队退回：{DEFAULT_RETURN_REASON}")
    assert unit_status(proc, duty, "team_ops_2") == "available"

    event = dispatch(proc, leader, event, "ecology", "police")
    assert event["status"] == "dispatched" and event["bounces"] == 1
    assert [a["status"] for a in event["assignments"]] == ["sent", "sent"]
    assert seconds(event["sla"]["sign_due"], entry(event, "dispatch")["at"]) == 30 * 60
    event = ok(report(proc, admin, event, "return", "ecology", note="涉及施工噪声，建议转住建"))
    assert event["bounces"] == 2
    assert entry(event, "return")["detail"] == "梁溪生态环境局退回：涉及施工噪声，建议转住建（admin代报）"


def test_reopen_restarts_both_deadlines(backend):
    leader, admin, duty = backend.login("leader1"), backend.login("admin"), backend.login("duty1")
    event = get_event(backend, duty, backend.sim_events(1, category="water_env")["ids"][0])
    event = dispatch(backend, leader, event, "ecology")
    event = ok(report(backend, admin, event, "sign", "ecology"))
    event = ok(report(backend, admin, event, "resolve", "ecology"))
    event = ok(act(backend, leader, event["id"], {"action": "reopen",
                                                  "expected_version": event["version"],
                                                  "note": "群众反映仍有异味"}))
    assert event["status"] == "reopened"
    reopened = entry(event, "reopen")
    sla = CATEGORY_BY_CODE["water_env"]["sla"]
    assert seconds(event["sla"]["sign_due"], reopened["at"]) == sla["sign_minutes"] * 60
    assert seconds(event["sla"]["resolve_due"], reopened["at"]) == sla["resolve_hours"] * 3600
    event = dispatch(backend, leader, event, "ecology", "city_mgmt")
    assert {a["due_at"] for a in event["assignments"]} == {event["sla"]["resolve_due"]}


def test_urge_names_who_has_not_signed(backend):
    leader, admin, duty = backend.login("leader1"), backend.login("admin"), backend.login("duty1")
    event = get_event(backend, duty, backend.sim_events(1, category="muck_truck")["ids"][0])
    assert_error(act(backend, duty, event["id"], {"action": "urge", "expected_version": 1}),
                 422, "invalid")
    event = dispatch(backend, leader, event, "city_mgmt", "police", "housing")
    event = ok(report(backend, admin, event, "sign", "police"))
    status, version = event["status"], event["version"]
    event = ok(act(backend, duty, event["id"], {"action": "urge", "expected_version": version,
                                                "note": "已超时，请立即签收"}))
    assert event["status"] == status and event["version"] == version + 1
    urged = entry(event, "urge")
    assert urged["actor"] == "duty1"
    assert urged["detail"] == "催办：区城管局、区住房城乡建设局（未签收）；已超时，请立即签收"
    event = ok(report(backend, admin, event, "sign", "city_mgmt"))
    event = ok(report(backend, admin, event, "sign", "housing"))
    event = ok(act(backend, leader, event["id"], {"action": "urge",
                                                  "expected_version": event["version"]}))
    assert entry(event, "urge")["detail"] == "催办：区城管局（主办）"


def test_unit_reports_are_checked(backend):
    leader, admin, duty = backend.login("leader1"), backend.login("admin"), backend.login("duty1")
    event = get_event(backend, duty, backend.sim_events(1, category="street_vendor")["ids"][0])
    assert_error(report(backend, admin, event, "sign", "city_mgmt"), 422, "invalid")  # new
    event = dispatch(backend, leader, event, "city_mgmt", "market")
    details = assert_error(report(backend, admin, event, "sign", None), 422, "invalid")
    assert details["field"] == "unit_id"
    details = assert_error(report(backend, admin, event, "sign", "police"), 422, "invalid")
    assert details["field"] == "unit_id" and details["unit_id"] == "police"
    event = ok(report(backend, admin, event, "sign", "city_mgmt"))
    event = ok(report(backend, admin, event, "sign", "market"))
    for action in ("arrive", "resolve", "return"):
        details = assert_error(report(backend, admin, event, action, "market"), 422, "invalid")
        assert details["role"] == "assist"
    assert_error(report(backend, admin, event, "resolve", None), 422, "invalid")
    assert get_event(backend, duty, event["id"]) == event


def test_roles_are_refused_and_audited(backend):
    leader, admin, duty = backend.login("leader1"), backend.login("admin"), backend.login("duty1")
    event = get_event(backend, duty, backend.sim_events(1)["ids"][0])
    refused = {
        "dispatch": {"assignments": [{"unit_id": "city_mgmt", "role": "lead"}]},
        "escalate": {}, "close": {}, "reopen": {},
    }
    for action, extra in refused.items():
        answer = act(backend, duty, event["id"], {"action": action, "expected_version": 1,
                                                  **extra}, key=f"duty-{action}-{event['id']}")
        assert_error(answer, 403, "forbidden")
    event = dispatch(backend, leader, event, "city_mgmt")
    for user, token in (("leader1", leader), ("duty1", duty)):
        answer = act(backend, token, event["id"], {
            "action": "sign", "expected_version": event["version"], "unit_id": "city_mgmt"},
            key=f"{user}-sign-{event['id']}")
        assert_error(answer, 403, "forbidden")
    assert get_event(backend, admin, event["id"]) == event

    trail = [(a["actor"], a["action"], a["result"], a["idempotency_key"])
             for a in audit(backend, admin, event_id=event["id"])]
    assert trail == [
        *[("duty1", action, "forbidden", f"duty-{action}-{event['id']}") for action in refused],
        ("leader1", "dispatch", "ok", trail[4][3]),
        ("leader1", "sign", "forbidden", f"leader1-sign-{event['id']}"),
        ("duty1", "sign", "forbidden", f"duty1-sign-{event['id']}"),
    ]


def test_a_unit_reports_only_for_itself():
    now = datetime.now(CST)
    police = Principal(user_id="police", name="公安梁溪分局", roles=("unit",), seat="s", scope={})

    def dispatched() -> dict:
        return {"id": "EV-1", "status": "dispatched", "version": 3, "level": 3,
                "category": "noise", "bounces": 0, "timeline": [],
                "assignments": [{"unit_id": "ecology", "role": "lead", "status": "sent"},
                                {"unit_id": "police", "role": "assist", "status": "sent"}]}

    for unit in ("ecology", "city_mgmt"):
        try:
            apply_action(dispatched(), ActionRequest(action="sign", expected_version=3,
                                                     unit_id=unit), police, now)
        except Exception as exc:
            assert getattr(exc, "status", None) == 403 and exc.code == "forbidden"
        else:
            raise AssertionError(f"police signed for {unit}")
    event = apply_action(dispatched(), ActionRequest(action="sign", expected_version=3,
                                                     unit_id="police"), police, now)
    assert event["timeline"][-1] == {"at": now.isoformat(), "actor": "police", "action": "sign",
                                     "detail": "公安梁溪分局（协办）签收"}
    assert event["status"] == "dispatched" and event["version"] == 4
