"""AuthSession against the real backend, with an in-memory keyring standing in for the OS one."""

from __future__ import annotations

import threading
import time

import pytest
from console_helpers import MemoryKeyring
from keyring.backends import fail

from console.api import ApiClient, ApiError
from console.auth import KEYRING_SERVICE, AuthSession, CredentialVault


def _session(url: str, keyring_backend) -> tuple[ApiClient, AuthSession]:
    api = ApiClient(url)
    return api, AuthSession(api, CredentialVault(keyring_backend), seat="desk-1")


def test_login_keeps_the_refresh_token_in_the_keyring_only(backend):
    ring = MemoryKeyring()
    api, auth = _session(backend.url, ring)
    users = []
    auth.sig_user_changed.connect(users.append)
    try:
        user = auth.login("leader1", "leader1", remember_password=True)
        assert user.id == "leader1" and auth.user == user
        assert auth.access_token
        stored = ring.entries[(KEYRING_SERVICE, f"{backend.url}|leader1|refresh")]
        assert stored and stored != auth.access_token
        assert ring.entries[(KEYRING_SERVICE, f"{backend.url}|leader1|password")] == "leader1"
        assert auth.access_token not in ring.entries.values()
        assert users == [user]
        auth.logout()
        assert auth.access_token is None and auth.user is None
        assert (KEYRING_SERVICE, f"{backend.url}|leader1|refresh") not in ring.entries
        assert users == [user, None]
    finally:
        api.close()


def test_resume_with_the_remembered_refresh_token(backend):
    ring = MemoryKeyring()
    api, auth = _session(backend.url, ring)
    auth.login("leader1", "leader1")
    api.close()
    # A new start of the console: nothing in memory, the token in the keyring.
    api2, auth2 = _session(backend.url, ring)
    try:
        user = auth2.resume("leader1")
        assert user is not None and user.id == "leader1"
        assert api2.catalog().levels
        assert auth2.resume("duty1") is None  # nothing remembered for duty1
    finally:
        api2.close()


def test_a_refused_remembered_token_is_forgotten(backend):
    ring = MemoryKeyring()
    key = (KEYRING_SERVICE, f"{backend.url}|leader1|refresh")
    ring.entries[key] = "not-a-valid-token"
    api, auth = _session(backend.url, ring)
    try:
        assert auth.resume("leader1") is None
        assert key not in ring.entries
    finally:
        api.close()


def test_an_unreachable_server_keeps_the_remembered_token():
    ring = MemoryKeyring()
    key = (KEYRING_SERVICE, "http://127.0.0.1:9|leader1|refresh")
    ring.entries[key] = "maybe-still-good"
    api, auth = _session("http://127.0.0.1:9", ring)
    try:
        assert auth.resume("leader1") is None
        assert ring.entries[key] == "maybe-still-good"
    finally:
        api.close()


def test_without_a_secure_keyring_nothing_is_remembered(backend):
    api, auth = _session(backend.url, fail.Keyring())
    try:
        assert auth.login("duty1", "duty1", remember_password=True).id == "duty1"
        assert api.catalog().levels
        assert auth.resume("duty1") is None
    finally:
        api.close()


def test_an_invalid_access_token_is_refreshed_once_and_the_call_repeated(backend):
    api, auth = _session(backend.url, MemoryKeyring())
    refreshes = []
    original = api.refresh
    api.refresh = lambda token: (refreshes.append(1), original(token))[1]
    try:
        auth.login("leader1", "leader1")
        auth._access = "invalid-token"  # as if the server forgot it
        assert api.catalog().levels
        assert auth.access_token != "invalid-token"
        assert len(refreshes) == 1
        # Several calls refused at once share one refresh (the refresh token rotates).
        auth._access = "invalid-again"
        results, errors = [], []

        def call():
            try:
                results.append(api.catalog())
            except ApiError as exc:
                errors.append(exc)

        threads = [threading.Thread(target=call) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert errors == [] and len(results) == 4
        assert len(refreshes) == 2
    finally:
        api.close()


def test_an_expired_access_token_is_refreshed(backend_factory):
    short = backend_factory(access_ttl=1)
    api, auth = _session(short.url, MemoryKeyring())
    try:
        auth.login("duty1", "duty1")
        first = auth.access_token
        time.sleep(1.5)
        assert api.catalog().levels
        assert auth.access_token != first
    finally:
        api.close()


def test_a_refused_refresh_ends_the_session(backend):
    ring = MemoryKeyring()
    api, auth = _session(backend.url, ring)
    users = []
    auth.sig_user_changed.connect(users.append)
    try:
        auth.login("leader1", "leader1")
        auth._access = "invalid-token"
        auth._refresh = "invalid-refresh"
        with pytest.raises(ApiError) as refused:
            api.catalog()
        assert refused.value.code == "unauthorized"
        assert auth.user is None and auth.access_token is None
        assert users[-1] is None
        assert (KEYRING_SERVICE, f"{backend.url}|leader1|refresh") not in ring.entries
    finally:
        api.close()
