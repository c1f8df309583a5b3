"""Login, refresh rotation, bearer tokens."""

from __future__ import annotations

import time

import requests
from be_helpers import API, assert_error, bearer

from console.schema import TokenResponse


def login(backend, username, password, seat="A-01"):
    return requests.post(f"{backend.url}{API}/auth/login", timeout=10,
                         json={"username": username, "password": password, "seat": seat})


def test_health_needs_no_token(backend):
    answer = requests.get(f"{backend.url}{API}/health", timeout=5)
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    assert isinstance(answer.json()["last_seq"], int)


def test_login_gives_tokens_and_user(backend):
    for username, role in (("duty1", "duty_officer"), ("leader1", "shift_leader"),
                           ("admin", "admin")):
        answer = login(backend, username, username)
        assert answer.status_code == 200, answer.text
        tokens = TokenResponse.model_validate(answer.json())
        assert tokens.user.id == username
        assert tokens.user.roles == [role]
        assert tokens.user.scope.level == "district"
        assert tokens.expires_in == 15 * 60
        assert tokens.access_token != tokens.refresh_token


def test_wrong_password_and_unknown_user(backend):
    assert_error(login(backend, "duty1", "nope"), 401, "invalid_credentials")
    assert_error(login(backend, "nobody", "nobody"), 401, "invalid_credentials")


def test_refresh_rotates_the_refresh_token(backend):
    first = login(backend, "leader1", "leader1").json()
    answer = requests.post(f"{backend.url}{API}/auth/refresh", timeout=10,
                           json={"refresh_token": first["refresh_token"]})
    assert answer.status_code == 200, answer.text
    second = TokenResponse.model_validate(answer.json())
    assert second.refresh_token != first["refresh_token"]
    assert second.access_token != first["access_token"]
    assert second.user.id == "leader1"
    # The old refresh token is spent; the new pair works.
    again = requests.post(f"{backend.url}{API}/auth/refresh", timeout=10,
                          json={"refresh_token": first["refresh_token"]})
    assert_error(again, 401, "invalid_credentials")
    catalog = requests.get(f"{backend.url}{API}/catalog", headers=bearer(second.access_token),
                           timeout=10)
    assert catalog.status_code == 200
    third = requests.post(f"{backend.url}{API}/auth/refresh", timeout=10,
                          json={"refresh_token": second.refresh_token})
    assert third.status_code == 200


def test_every_other_call_needs_a_bearer_token(backend):
    for method, path in (("get", "/catalog"), ("get", "/events"), ("get", "/events/EV-x"),
                         ("post", "/events/EV-x/actions"), ("post", "/events"),
                         ("get", "/audit"), ("post", "/sim/events"), ("post", "/sim/burst")):
        answer = requests.request(method, f"{backend.url}{API}{path}", timeout=10, json={})
        assert_error(answer, 401, "unauthorized")
        answer = requests.request(method, f"{backend.url}{API}{path}", timeout=10, json={},
                                  headers=bearer("not-a-token"))
        assert_error(answer, 401, "unauthorized")


def test_access_token_expires(backend_factory):
    short = backend_factory(access_ttl=1)
    token = short.login("duty1")
    assert requests.get(f"{short.url}{API}/catalog", headers=bearer(token), timeout=5).ok
    time.sleep(1.3)
    answer = requests.get(f"{short.url}{API}/catalog", headers=bearer(token), timeout=5)
    assert_error(answer, 401, "unauthorized")
