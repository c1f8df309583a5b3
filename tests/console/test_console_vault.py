"""CredentialVault: secrets only in a protected keyring, never in a file."""

from __future__ import annotations

import os

import keyring
import keyring.backend
import pytest
from console_helpers import MemoryKeyring
from keyring.backends import fail, null

from console.auth import (
    KEYRING_SERVICE,
    REASON_DISABLED,
    REASON_LOW_PRIORITY,
    REASON_NO_KEYRING,
    REASON_PLAINTEXT,
    CredentialVault,
)

SERVER = "http://127.0.0.1:8000"


class PlaintextKeyring(MemoryKeyring):
    """Named like keyrings.alt's file backend: it would keep secrets in clear text."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


class UnencryptedStore(MemoryKeyring):
    pass


class LowPriorityKeyring(MemoryKeyring):
    priority = 0.5


@pytest.fixture
def active_keyring():
    """Set the process-wide keyring for one test and put the old one back afterwards."""
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


def test_a_protected_keyring_keeps_tokens_and_passwords(active_keyring):
    store = MemoryKeyring()
    active_keyring(store)
    vault = CredentialVault()
    assert vault.secure and vault.reason == ""
    vault.set_refresh_token(SERVER, "leader1", "r-token")
    vault.set_password(SERVER, "leader1", "pw")
    assert store.entries[(KEYRING_SERVICE, f"{SERVER}|leader1|refresh")] == "r-token"
    assert vault.get_refresh_token(SERVER, "leader1") == "r-token"
    assert vault.get_password(SERVER, "leader1") == "pw"
    vault.delete_refresh_token(SERVER, "leader1")
    vault.delete_refresh_token(SERVER, "leader1")  # deleting twice is fine
    assert vault.get_refresh_token(SERVER, "leader1") is None
    assert vault.get_password(SERVER, "leader1") == "pw"


@pytest.mark.parametrize("backend, reason", [
    (fail.Keyring(), REASON_NO_KEYRING),
    (null.Keyring(), REASON_DISABLED),
    (PlaintextKeyring(), REASON_PLAINTEXT),
    (UnencryptedStore(), REASON_PLAINTEXT),
    (LowPriorityKeyring(), REASON_LOW_PRIORITY),
])
def test_unprotected_keyrings_are_never_used(active_keyring, backend, reason):
    active_keyring(backend)
    vault = CredentialVault()
    assert not vault.secure
    assert vault.reason == reason
    vault.set_refresh_token(SERVER, "leader1", "r-token")
    vault.set_password(SERVER, "leader1", "pw")
    vault.delete_password(SERVER, "leader1")
    assert vault.get_refresh_token(SERVER, "leader1") is None
    assert vault.get_password(SERVER, "leader1") is None
    if isinstance(backend, MemoryKeyring):
        assert backend.entries == {}


def test_a_backend_can_be_given_explicitly():
    assert CredentialVault(MemoryKeyring()).secure
    assert not CredentialVault(fail.Keyring()).secure


def test_a_chain_is_only_as_safe_as_its_weakest_link():
    from keyring.backends.chainer import ChainerBackend

    class MixedChain(ChainerBackend):
        backends = [MemoryKeyring(), PlaintextKeyring()]

    class SafeChain(ChainerBackend):
        backends = [MemoryKeyring()]

    assert not CredentialVault(MixedChain()).secure
    assert CredentialVault(SafeChain()).secure


def test_the_vault_writes_no_file(tmp_path, monkeypatch, active_keyring):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    for backend in (fail.Keyring(), MemoryKeyring()):
        active_keyring(backend)
        vault = CredentialVault()
        vault.set_refresh_token(SERVER, "duty1", "secret")
        vault.set_password(SERVER, "duty1", "secret")
        vault.get_password(SERVER, "duty1")
    assert os.listdir(tmp_path) == []
