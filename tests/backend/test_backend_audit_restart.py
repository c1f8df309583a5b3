"""The audit trail, and what survives a restart (events, seq, idempotency records)."""

from __future__ import annotations

from datetime import datetime, timedelta

import requests
from be_helpers import API, act, assert_error, bearer, get_event, last_seq

from console.schema import CST, AuditEntry


def audit(backend, token, **params) -> list[AuditEntry]:
    answer = requests.get(f"{backend.url}{API}/audit", headers=bearer(token), params=params,
                          timeout=10)
    assert answer.status_code == 200, answer.text
    return [AuditEntry.model_validate(a) for a in answer.json()]


def test_audit_lists_accepted_and_refused_commands(backend):
    duty = backend.login("duty1")
    leader = requests.post(f"{backend.url}{API}/auth/login", timeout=10,
                           json={"username": "leader1", "password": "leader1",
                                 "seat": "带班席"}).json()["access_token"]
    event_id = backend.sim_events(1)["ids"][0]
    since = datetime.now(CST) - timedelta(seconds=2)
    act(backend, duty, event_id, {"action": "acknowledge", "expected_version": 1}, key="a-ok")
    act(backend, duty, event_id, {"action": "dispatch", "expected_version": 2,
                                  "assignments": [{"unit_id": "police", "role": "lead"}]},
        key="a-forbidden")
    act(backend, leader, event_id, {"action": "note", "expected_version": 1, "note": "迟到"},
        key="a-conflict")
    act(backend, duty, event_id, {"action": "acknowledge", "expected_version": 2}, key="a-bad")
    act(backend, duty, event_id, {"action": "acknowledge", "expected_version": 1}, key="a-ok")

    entries = audit(backend, duty, event_id=event_id)
    results = [(e.actor, e.action, e.result, e.idempotency_key) for e in entries]
    assert results == [
        ("duty1", "acknowledge", "ok", "a-ok"),
        ("duty1", "dispatch", "forbidden", "a-forbidden"),
        ("leader1", "note", "version_conflict", "a-conflict"),
        ("duty1", "acknowledge", "invalid", "a-bad"),
        ("duty1", "acknowledge", "replayed", "a-ok"),
    ]
    assert all(e.target == event_id for e in entries)
    assert entries[2].seat == "带班席" and entries[0].seat == "test-seat"
    assert [e.result for e in audit(backend, duty, event_id=event_id, actor="leader1")] == \
        ["version_conflict"]
    assert len(audit(backend, duty, event_id=event_id, since=since.isoformat())) == 5
    future = (datetime.now(CST) + timedelta(hours=1)).isoformat()
    assert audit(backend, duty, event_id=event_id, since=future) == []


def test_restart_keeps_events_seq_and_idempotency(backend_factory):
    proc = backend_factory()
    token = proc.login("duty1")
    ids = proc.sim_events(3)["ids"]
    first = act(proc, token, ids[0], {"action": "acknowledge", "expected_version": 1},
                key="survives")
    assert first.status_code == 200
    seq_before = last_seq(proc)
    events_before = [get_event(proc, token, i) for i in ids]

    proc.restart()
    token = proc.login("duty1")
    assert last_seq(proc) == seq_before
    assert [get_event(proc, token, i) for i in ids] == events_before
    replay = act(proc, token, ids[0], {"action": "acknowledge", "expected_version": 1},
                 key="survives")
    assert replay.status_code == 200
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    reuse = act(proc, token, ids[0], {"action": "note", "expected_version": 2, "note": "x"},
                key="survives")
    assert_error(reuse, 422, "idempotency_key_reuse")
    # New work continues the same seq and event numbering.
    more = proc.sim_events(1)
    assert more["last_seq"] == seq_before + 1
    assert more["ids"][0] not in ids

    # A hard kill (no clean shutdown) loses nothing that was answered.
    act(proc, token, ids[1], {"action": "acknowledge", "expected_version": 1}, key="k2")
    seq = last_seq(proc)
    proc.kill()
    proc.start()
    token = proc.login("duty1")
    assert last_seq(proc) == seq
    assert get_event(proc, token, ids[1])["status"] == "acknowledged"
