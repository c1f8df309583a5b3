"""Idempotency-Key: replay, reuse with another body, in progress, concurrency."""

from __future__ import annotations

import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

from be_helpers import act, assert_error, get_event


def test_same_key_same_body_replays_the_first_answer(backend):
    token = backend.login("duty1")
    event_id = backend.sim_events(1)["ids"][0]
    body = {"action": "acknowledge", "expected_version": 1}
    first = act(backend, token, event_id, body, key="replay-1")
    assert first.status_code == 200
    assert "Idempotent-Replayed" not in first.headers
    second = act(backend, token, event_id, body, key="replay-1")
    assert second.status_code == 200
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert get_event(backend, token, event_id)["version"] == 2  # applied once

    # Same key, another body: refused, nothing changed.
    other = act(backend, token, event_id, {"action": "note", "expected_version": 2, "note": "x"},
                key="replay-1")
    assert_error(other, 422, "idempotency_key_reuse")
    assert get_event(backend, token, event_id)["version"] == 2


def test_refusals_are_replayed_too(backend):
    token = backend.login("duty1")
    event_id = backend.sim_events(1)["ids"][0]
    body = {"action": "dispatch", "expected_version": 1,
            "assignments": [{"unit_id": "police", "role": "lead"}]}
    first = act(backend, token, event_id, body, key="refused-1")
    assert_error(first, 403, "forbidden")
    second = act(backend, token, event_id, body, key="refused-1")
    assert_error(second, 403, "forbidden")
    assert second.headers["Idempotent-Replayed"] == "true"


def test_missing_key_is_invalid(backend):
    token = backend.login("duty1")
    event_id = backend.sim_events(1)["ids"][0]
    answer = act(backend, token, event_id, {"action": "acknowledge", "expected_version": 1},
                 key=None)
    assert_error(answer, 422, "invalid")
    answer = act(backend, token, event_id, {"action": "acknowledge", "expected_version": 1},
                 key="x" * 300)
    assert_error(answer, 422, "invalid")
    assert get_event(backend, token, event_id)["version"] == 1


def test_key_still_running_is_in_progress(backend):
    token = backend.login("duty1")
    event_id = backend.sim_events(1)["ids"][0]
    # A request that holds the key: its record says "running" (as while a handler works).
    with sqlite3.connect(backend.db_path, timeout=10) as conn:
        conn.execute("INSERT INTO idempotency(user_id, key, request_hash, state, created_at)"
                     " VALUES ('duty1', 'busy-1', 'X', 'running', ?)", (time.time(),))
    answer = act(backend, token, event_id, {"action": "acknowledge", "expected_version": 1},
                 key="busy-1")
    assert_error(answer, 409, "in_progress")
    assert get_event(backend, token, event_id)["version"] == 1
    # A record left "running" by a crash long ago is taken over.
    with sqlite3.connect(backend.db_path, timeout=10) as conn:
        conn.execute("UPDATE idempotency SET created_at = ? WHERE key = 'busy-1'",
                     (time.time() - 3600,))
    answer = act(backend, token, event_id, {"action": "acknowledge", "expected_version": 1},
                 key="busy-1")
    assert answer.status_code == 200


def test_concurrent_requests_with_one_key_apply_once(backend):
    token = backend.login("duty1")
    event_id = backend.sim_events(1)["ids"][0]
    body = {"action": "note", "expected_version": 1, "note": "并发测试"}
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _i: act(backend, token, event_id, body, key="race-1"),
                                range(8)))
    codes = sorted(a.status_code for a in answers)
    assert set(codes) <= {200, 409}, codes
    assert 200 in codes
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json()["error"]["code"] == "in_progress"
    assert get_event(backend, token, event_id)["version"] == 2


def test_keys_belong_to_their_user(backend):
    duty = backend.login("duty1")
    leader = backend.login("leader1")
    first, second = backend.sim_events(2)["ids"]
    assert act(backend, duty, first, {"action": "acknowledge", "expected_version": 1},
               key="shared-key").status_code == 200
    answer = act(backend, leader, second, {"action": "acknowledge", "expected_version": 1},
                 key="shared-key")
    assert answer.status_code == 200 and answer.json()["id"] == second
