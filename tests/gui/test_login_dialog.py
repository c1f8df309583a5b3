"""The login dialog against the real backend: typing, clicking, errors, the keyring rule."""

from __future__ import annotations

import socket
import uuid
from datetime import datetime, timedelta

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt

from console.schema import CST, ActionRequest
from tests.gui.conftest import create_events, sign_in


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_sign_in_through_the_dialog(qtbot, backend, memory_keyring, language):
    api, auth, dialog, _invoker = sign_in(qtbot, backend, "leader1")
    assert dialog.busy() or dialog.user is not None
    qtbot.waitUntil(lambda: dialog.user is not None, timeout=15000)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.user.id == "leader1"
    assert "shift_leader" in dialog.user.roles
    assert auth.user is not None
    dialog.wait_for_workers()
    api.close()


def test_seat_typed_in_the_dialog_reaches_the_audit_log(qtbot, backend, memory_keyring, language):
    seat = f"desk-{uuid.uuid4().hex[:8]}"
    since = (datetime.now(CST) - timedelta(seconds=30)).isoformat()
    api, auth, dialog, _invoker = sign_in(qtbot, backend, "duty1", seat=seat)
    try:
        qtbot.waitUntil(lambda: dialog.user is not None, timeout=15000)
        dialog.wait_for_workers()
        assert auth.seat == seat
        [event_id] = create_events(backend, 1)
        event = api.get_event(event_id)
        api.act(event_id, ActionRequest(action="note", expected_version=event.version,
                                        note="座席核对"), str(uuid.uuid4()))
        notes = [e for e in api.audit(event_id=event_id) if e.action == "note"]
        assert [(e.actor, e.seat) for e in notes] == [("duty1", seat)]
        logins = api.audit(actor="duty1", since=since)
        assert any(e.action == "login" and e.seat == seat for e in logins)
    finally:
        dialog.wait_for_workers()
        api.close()


def test_wrong_password_is_shown_in_the_dialog(qtbot, backend, memory_keyring, language):
    api, _auth, dialog, _invoker = sign_in(qtbot, backend, "leader1", password="wrong")
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=15000)
    assert dialog.error_label.text() == "用户名或密码错误。"
    assert dialog.isVisible() and dialog.user is None
    assert dialog.login_button.isEnabled()
    dialog.wait_for_workers()
    api.close()


def test_unreachable_backend_is_shown_in_the_dialog(qtbot, memory_keyring, language):
    from console.api import ApiClient
    from console.auth import AuthSession, CredentialVault
    from views.bridge import MainThreadInvoker
    from views.login_dialog import LoginDialog

    url = f"http://127.0.0.1:{_closed_port()}"
    api = ApiClient(url, connect_timeout=0.5, read_timeout=1.0)
    vault = CredentialVault()
    dialog = LoginDialog(AuthSession(api, vault, "s"), vault, MainThreadInvoker(), server=url,
                         username="leader1", password="leader1")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert not dialog.login_button.isEnabled()  # busy, and the GUI thread is free meanwhile
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=20000)
    assert "无法连接后台" in dialog.error_label.text()
    dialog.wait_for_workers()
    api.close()


def test_remember_password_needs_a_secure_keyring(qtbot, memory_keyring, language):
    from console.api import ApiClient
    from console.auth import AuthSession, CredentialVault
    from views.bridge import MainThreadInvoker
    from views.login_dialog import LoginDialog

    api = ApiClient("http://127.0.0.1:9")
    secure = CredentialVault()
    assert secure.secure
    dialog = LoginDialog(AuthSession(api, secure, "s"), secure, MainThreadInvoker(),
                         server=api.base_url)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.remember_check.isEnabled()
    assert not dialog.keyring_note.isVisible()

    keyring.set_keyring(fail.Keyring())
    insecure = CredentialVault()
    assert not insecure.secure
    dialog2 = LoginDialog(AuthSession(api, insecure, "s"), insecure, MainThreadInvoker(),
                          server=api.base_url)
    qtbot.addWidget(dialog2)
    dialog2.show()
    assert not dialog2.remember_check.isEnabled()
    assert dialog2.keyring_note.isVisible()
    assert "每次启动时请重新输入" in dialog2.keyring_note.text()
    api.close()


@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_english_source_strings(qtbot, backend, memory_keyring, language):
    api, _auth, dialog, _invoker = sign_in(qtbot, backend, "leader1", password="nope")
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=15000)
    assert dialog.error_label.text() == "Wrong user name or password."
    assert dialog.login_button.text() == "Sign in"
    dialog.wait_for_workers()
    api.close()
