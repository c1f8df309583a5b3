"""Bad input never gives a 500 and never changes a record; every refusal has the error shape."""

from __future__ import annotations

import requests
from be_helpers import API, act, assert_error, bearer, get_event


def test_bad_action_bodies(backend):
    token = backend.login("duty1")
    event_id = backend.sim_events(1)["ids"][0]
    before = get_event(backend, token, event_id)
    cases = [
        (b"{not json", None),
        (b"", None),
        (b"[]", None),
        (b'"acknowledge"', None),
        (b'{"action": "acknowledge", "expected_version": "one"}', "expected_version"),
        (b'{"action": "acknowledge", "expected_version": 0}', "expected_version"),
        (b'{"action": "launch", "expected_version": 1}', "action"),
        (b'{"action": "acknowledge", "expected_version": 1, "colour": "red"}', "colour"),
        (b'{"action": "acknowledge"}', "expected_version"),
        (b'{"action": "note", "expected_version": 1, "note": ' + b'"x"' * 1 + b", \"level\": 9}",
         "level"),
        ('{"action": "note", "expected_version": 1, "note": "\ud83d"}'.encode("utf-8", "surrogatepass"),
         None),
    ]
    for raw, field in cases:
        answer = act(backend, token, event_id, None, raw=raw)
        details = assert_error(answer, 422, "invalid")
        if field:
            assert any(field in f["loc"] for f in details["fields"]), (raw, details)
    assert get_event(backend, token, event_id) == before


def test_bad_login_bodies(backend):
    url = f"{backend.url}{API}/auth/login"
    for raw in (b"{", b"null", b'{"username": 1, "password": []}', b'{"username": "duty1"}',
                b'{"username": "duty1", "password": "duty1", "extra": true}'):
        answer = requests.post(url, data=raw, headers={"Content-Type": "application/json"},
                               timeout=10)
        assert_error(answer, 422, "invalid")


def test_huge_bodies_are_refused(backend):
    token = backend.login("duty1")
    event_id = backend.sim_events(1)["ids"][0]
    before = get_event(backend, token, event_id)
    note = "噪" * 100_000  # 300 kB of UTF-8
    body = {"action": "note", "expected_version": 1, "note": note}
    answer = act(backend, token, event_id, body)
    details = assert_error(answer, 413, "payload_too_large")
    assert details["limit"] == 256 * 1024

    # No Content-Length (chunked): the bytes received are counted.
    def chunks():
        yield b'{"action": "note", "expected_version": 1, "note": "'
        for _ in range(40):
            yield b"x" * 8192
        yield b'"}'

    answer = requests.post(f"{backend.url}{API}/events/{event_id}/actions", data=chunks(),
                           headers={**bearer(token), "Idempotency-Key": "huge-2",
                                    "Content-Type": "application/json"}, timeout=10)
    assert_error(answer, 413, "payload_too_large")
    answer = requests.post(f"{backend.url}{API}/auth/login", data=b"{" + b" " * 300_000 + b"}",
                           headers={"Content-Type": "application/json"}, timeout=10)
    assert_error(answer, 413, "payload_too_large")
    assert get_event(backend, token, event_id) == before


def test_unknown_routes_and_methods(backend):
    assert_error(requests.get(f"{backend.url}{API}/nothing", timeout=5), 404, "not_found")
    assert_error(requests.get(f"{backend.url}/", timeout=5), 404, "not_found")
    assert_error(requests.delete(f"{backend.url}{API}/health", timeout=5), 405,
                 "method_not_allowed")
    token = backend.login("duty1")
    assert_error(requests.put(f"{backend.url}{API}/events/x/actions", headers=bearer(token),
                              timeout=5), 405, "method_not_allowed")


def test_bad_simulator_requests(backend):
    admin = backend.headers("admin")
    for body in ({"count": 0}, {"count": "many"}, {"count": 1, "source": "radio"},
                 {"count": 1, "bogus": 1}):
        answer = requests.post(f"{backend.url}{API}/sim/events", json=body, headers=admin,
                               timeout=10)
        assert_error(answer, 422, "invalid")
    answer = requests.post(f"{backend.url}{API}/sim/burst", json={"kind": "earthquake"},
                           headers=admin, timeout=10)
    assert_error(answer, 422, "invalid")
    duty = backend.headers("duty1")
    answer = requests.post(f"{backend.url}{API}/sim/events", json={"count": 1}, headers=duty,
                           timeout=10)
    assert_error(answer, 403, "forbidden")
