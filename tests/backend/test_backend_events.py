"""Event list paging, reads, and the acknowledge / note / dispatch flow with versions."""

from __future__ import annotations

import requests
from be_helpers import API, act, assert_error, bearer, get_event, last_seq

from console.schema import Event, EventPage


def page(backend, token, **params) -> requests.Response:
    return requests.get(f"{backend.url}{API}/events", headers=bearer(token), params=params,
                        timeout=10)


def test_paging_with_cursors_and_since_seq(backend):
    token = backend.login("duty1")
    start = last_seq(backend)
    created = backend.sim_events(25)["ids"]
    seen: list[Event] = []
    cursor = None
    pages = 0
    while True:
        params = {"since_seq": start, "limit": 10}
        if cursor:
            params["cursor"] = cursor
        answer = page(backend, token, **params)
        assert answer.status_code == 200
        body = EventPage.model_validate(answer.json())
        assert body.last_seq == last_seq(backend)
        seen.extend(body.items)
        pages += 1
        cursor = body.next_cursor
        if cursor is None:
            break
    assert pages == 3
    assert [e.id for e in seen] == created
    seqs = [e.seq for e in seen]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs) and seqs[0] > start

    # since_seq alone: only what changed after it.
    later = page(backend, token, since_seq=seen[-5].seq).json()
    assert [e["id"] for e in later["items"]] == created[-4:]
    assert later["next_cursor"] is None

    # A status filter (several statuses, comma-separated).
    act(backend, token, created[0], {"action": "acknowledge", "expected_version": 1})
    acked = page(backend, token, status="acknowledged", since_seq=start).json()["items"]
    assert [e["id"] for e in acked] == [created[0]]
    both = page(backend, token, status="new,acknowledged", since_seq=start).json()["items"]
    assert len(both) == 25


def test_list_rejects_bad_parameters(backend):
    token = backend.login("duty1")
    assert_error(page(backend, token, limit=1001), 422, "invalid")
    assert_error(page(backend, token, limit=0), 422, "invalid")
    assert_error(page(backend, token, since_seq=-1), 422, "invalid")
    assert_error(page(backend, token, since_seq="abc"), 422, "invalid")
    assert_error(page(backend, token, cursor="%%%not-a-cursor"), 422, "invalid")
    assert_error(page(backend, token, status="sleeping"), 422, "invalid")
    default = page(backend, token).json()
    assert len(default["items"]) <= 500


def test_unknown_event_is_404(backend):
    token = backend.login("duty1")
    answer = requests.get(f"{backend.url}{API}/events/EV-nope", headers=bearer(token), timeout=10)
    assert_error(answer, 404, "not_found")
    answer = act(backend, token, "EV-nope", {"action": "acknowledge", "expected_version": 1})
    assert_error(answer, 404, "not_found")


def test_acknowledge_then_note(backend):
    token = backend.login("duty1")
    event_id = backend.sim_events(1)["ids"][0]
    event = get_event(backend, token, event_id)
    assert event["status"] == "new" and event["version"] == 1

    answer = act(backend, token, event_id, {"action": "acknowledge", "expected_version": 1})
    assert answer.status_code == 200, answer.text
    acked = Event.model_validate(answer.json())
    assert acked.status == "acknowledged" and acked.version == 2
    assert acked.seq > event["seq"]
    assert acked.timeline[-1].actor == "duty1" and acked.timeline[-1].action == "acknowledge"

    answer = act(backend, token, event_id,
                 {"action": "note", "expected_version": 2, "note": "已电话联系报告人，现场核实中"})
    assert answer.status_code == 200, answer.text
    noted = answer.json()
    assert noted["version"] == 3 and noted["status"] == "acknowledged"
    assert noted["timeline"][-1]["detail"] == "已电话联系报告人，现场核实中"
    assert get_event(backend, token, event_id) == noted

    # A status that does not allow the action: 422 invalid, nothing changed.
    answer = act(backend, token, event_id, {"action": "acknowledge", "expected_version": 3})
    assert_error(answer, 422, "invalid")
    empty = act(backend, token, event_id, {"action": "note", "expected_version": 3, "note": " "})
    assert_error(empty, 422, "invalid")
    assert get_event(backend, token, event_id) == noted


def test_stale_version_is_a_conflict_naming_who_changed_it(backend):
    leader = backend.login("leader1")
    duty = backend.login("duty1")
    event_id = backend.sim_events(1)["ids"][0]
    first = act(backend, leader, event_id, {"action": "acknowledge", "expected_version": 1})
    assert first.status_code == 200
    second = act(backend, duty, event_id,
                 {"action": "note", "expected_version": 1, "note": "我来处理"})
    details = assert_error(second, 409, "version_conflict")
    assert details["changed_by"] == "leader1"
    current = Event.model_validate(details["current"])
    assert current.version == 2 and current.status == "acknowledged"
    assert get_event(backend, duty, event_id)["version"] == 2


def test_roles_decide_who_dispatches(backend):
    duty = backend.login("duty1")
    leader = backend.login("leader1")
    event_id = backend.sim_events(1)["ids"][0]
    dispatch = {"action": "dispatch", "expected_version": 1, "note": "请尽快处置",
                "assignments": [{"unit_id": "city_mgmt", "role": "lead", "instructions": "到场"},
                                {"unit_id": "street_chonganshi", "role": "assist"}]}
    assert_error(act(backend, duty, event_id, dispatch), 403, "forbidden")
    for action in ("escalate", "close"):
        assert_error(act(backend, duty, event_id, {"action": action, "expected_version": 1}),
                     403, "forbidden")
    assert get_event(backend, duty, event_id)["version"] == 1

    bad_unit = dict(dispatch, assignments=[{"unit_id": "nope", "role": "lead"}])
    assert_error(act(backend, leader, event_id, bad_unit), 422, "invalid")
    answer = act(backend, leader, event_id, dispatch)
    assert answer.status_code == 200, answer.text
    event = answer.json()
    assert event["status"] == "dispatched"
    assert [a["unit_id"] for a in event["assignments"]] == ["city_mgmt", "street_chonganshi"]
    assert event["assignments"][0]["due_at"] == event["sla"]["resolve_due"]
    # Closing while a unit holds it is not allowed; escalating is.
    assert_error(act(backend, leader, event_id, {"action": "close", "expected_version": 2}),
                 422, "invalid")
    level = event["level"]
    if level > 1:
        answer = act(backend, leader, event_id, {"action": "escalate", "expected_version": 2})
        assert answer.status_code == 200 and answer.json()["level"] == level - 1


def test_close_and_reopen(backend):
    leader = backend.login("leader1")
    event_id = backend.sim_events(1)["ids"][0]
    closed = act(backend, leader, event_id,
                 {"action": "close", "expected_version": 1, "note": "重复工单"}).json()
    assert closed["status"] == "closed"
    assert_error(act(backend, leader, event_id, {"action": "close", "expected_version": 2}),
                 422, "invalid")
    reopened = act(backend, leader, event_id, {"action": "reopen", "expected_version": 2}).json()
    assert reopened["status"] == "reopened"
    acked = act(backend, leader, event_id, {"action": "acknowledge", "expected_version": 3})
    assert acked.json()["status"] == "acknowledged"


def test_manual_event_creation(backend):
    token = backend.login("duty1")
    body = {"title": "人民中路井盖松动", "description": "市民来电13812345678反映",
            "category": "grid_patrol",
            "location": {"lon": 120.304, "lat": 31.579, "address": "梁溪区人民中路100号"},
            "reporter": {"name": "张先生", "phone_masked": "13812345678"}}
    headers = {**bearer(token), "Idempotency-Key": "create-1"}
    answer = requests.post(f"{backend.url}{API}/events", json=body, headers=headers, timeout=10)
    assert answer.status_code == 201, answer.text
    event = Event.model_validate(answer.json())
    assert event.source == "manual" and event.status == "new" and event.level == 4
    assert event.location.street_id == "chonganshi"
    assert event.reporter.phone_masked == "138****5678"
    assert "13812345678" not in answer.text
    again = requests.post(f"{backend.url}{API}/events", json=body, headers=headers, timeout=10)
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == answer.json()
    bad = dict(body, category="nope")
    answer = requests.post(f"{backend.url}{API}/events", json=bad, timeout=10,
                           headers={**bearer(token), "Idempotency-Key": "create-2"})
    assert_error(answer, 422, "invalid")
