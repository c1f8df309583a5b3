"""The offline sign-in rule: recent online sign-in on this seat, salted hash in the keyring."""

from __future__ import annotations

import pytest
from console_helpers import Hall, MemoryKeyring

from console.api import ApiClient, ApiError, NetworkError
from console.auth import AuthSession, CredentialVault
from console.offline_login import (
    MAX_FAILURES,
    OFFLINE_LOGIN_HOURS,
    OfflineLogin,
    OfflineLoginRefused,
)
from console.schema import User

USER = User(id="duty1", name="值班员", roles=["duty_officer"])


class Clock:
    def __init__(self) -> None:
        self.now = 2_000_000.0

    def __call__(self) -> float:
        return self.now


def _rule():
    keyring = MemoryKeyring()
    clock = Clock()
    return keyring, clock, OfflineLogin(CredentialVault(keyring), "http://127.0.0.1:1", clock)


def test_the_record_holds_a_salted_hash_not_the_password():
    keyring, _, rule = _rule()
    rule.remember("duty1", "s3cret-pass", USER, "desk-1")
    (key, record), = keyring.entries.items()
    assert key[1].endswith("|duty1|offline")
    assert "s3cret-pass" not in record and '"hash"' in record and '"salt"' in record
    rule.remember("duty1", "s3cret-pass", USER, "desk-1")
    assert next(iter(keyring.entries.values())) != record  # a new salt each time


def test_a_recent_sign_in_on_this_seat_may_sign_in_offline():
    _, clock, rule = _rule()
    rule.remember("duty1", "pw", USER, "desk-1")
    clock.now += OFFLINE_LOGIN_HOURS * 3600 - 60
    assert rule.check("duty1", "pw", "desk-1") == USER


@pytest.mark.parametrize(("user", "password", "seat", "hours", "reason"), [
    ("duty1", "pw", "desk-1", OFFLINE_LOGIN_HOURS + 0.1, "expired"),
    ("duty1", "pw", "desk-2", 1, "other_seat"),
    ("duty1", "wrong", "desk-1", 1, "wrong_password"),
    ("leader1", "pw", "desk-1", 1, "no_record"),
])
def test_offline_sign_in_is_refused(user, password, seat, hours, reason):
    _, clock, rule = _rule()
    rule.remember("duty1", "pw", USER, "desk-1")
    clock.now += hours * 3600
    with pytest.raises(OfflineLoginRefused) as refused:
        rule.check(user, password, seat)
    assert refused.value.reason == reason


def test_repeated_wrong_passwords_wipe_the_record():
    keyring, _, rule = _rule()
    rule.remember("duty1", "pw", USER, "desk-1")
    for _ in range(MAX_FAILURES):
        with pytest.raises(OfflineLoginRefused):
            rule.check("duty1", "guess", "desk-1")
    assert keyring.entries == {}
    with pytest.raises(OfflineLoginRefused) as refused:
        rule.check("duty1", "pw", "desk-1")  # even the right one: sign in online first
    assert refused.value.reason == "no_record"


def test_auth_signs_in_offline_when_the_backend_is_down_then_online_when_it_is_back(backend):
    keyring = MemoryKeyring()
    vault = CredentialVault(keyring)
    api = ApiClient(backend.url)
    auth = AuthSession(api, vault, "desk-1", OfflineLogin(vault, api.base_url))
    auth.login("duty1", "duty1")
    assert not auth.offline and auth.online_username == "duty1"
    api.close()

    down = ApiClient("http://127.0.0.1:9")  # nothing listens on the discard port here
    down_auth = AuthSession(down, vault, "desk-1", OfflineLogin(vault, backend.url))
    with pytest.raises(ApiError) as wrong:
        down_auth.login("duty1", "not-it")
    assert wrong.value.code == "invalid_credentials"
    with pytest.raises(NetworkError) as no_record:
        down_auth.login("leader1", "leader1")
    assert no_record.value.details["offline_refused"] == "no_record"
    user = down_auth.login("duty1", "duty1")
    assert user.id == "duty1" and down_auth.offline
    assert down_auth.access_token is None and down_auth.online_username is None
    assert not down_auth.go_online()  # still down
    down.base_url = backend.url  # the link is back
    assert down_auth.go_online()
    assert not down_auth.offline and down_auth.access_token and down_auth.online_username == "duty1"
    down.close()


def test_signing_out_deletes_the_offline_record(backend):
    keyring = MemoryKeyring()
    vault = CredentialVault(keyring)
    hall = Hall(backend.url, "duty1")
    auth = AuthSession(hall.api, vault, "desk-1", OfflineLogin(vault, hall.api.base_url))
    auth.login("duty1", "duty1")
    assert any(key[1].endswith("|offline") for key in keyring.entries)
    auth.logout()
    assert not any(key[1].endswith("|offline") for key in keyring.entries)
    hall.close()
