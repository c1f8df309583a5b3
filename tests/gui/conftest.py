"""Fixtures for the GUI tests: offscreen Qt, an in-memory keyring, a signed-in desk on the real backend.

QT_QPA_PLATFORM is set here at import time, before any test module imports Qt; so are
QtWebEngine's switches for a root user without a GPU (no Chromium sandbox, WebGL through
SwiftShader: the map needs it; fake media devices for the conference pages), and the `hall:` scheme is registered before the QApplication.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
# Fake camera and microphone for the conference pages (never the fake *UI* switch: it
# would grant every page the camera and so bypass the console's own permission policy).
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS",
                      "--use-gl=angle --use-angle=swiftshader --enable-unsafe-swiftshader "
                      "--use-fake-device-for-media-stream")

import threading  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import keyring  # noqa: E402
import keyring.backend  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from views.map_scheme import register_hall_scheme  # noqa: E402

register_hall_scheme()

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Stands in for the OS keyring service: secrets in a dict, for the length of one test."""

    priority = 10

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    """Install MemoryKeyring as the keyring backend; restore the previous one afterwards."""
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def hall_app(qapp):
    """The QApplication with the theme applied (languages are installed per test)."""
    from views.app_setup import apply_theme

    apply_theme(qapp)
    yield qapp
    # Every window deleted before the QApplication goes: a web page (the map) still alive
    # when its profile is released crashes the process at exit (SIGSEGV, exit code 139).
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def language(request, hall_app):
    """Install the translators for the language asked by indirect parametrisation (zh_CN default)."""
    from views.app_setup import install_translators

    lang = getattr(request, "param", "zh_CN")
    translators = install_translators(hall_app, lang)
    yield lang
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


@pytest.fixture(autouse=True)
def no_threads_left(request):
    """Fail a test that leaves a Python thread or a Qt pool thread running."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        extra = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not extra and QThreadPool.globalInstance().activeThreadCount() == 0:
            return
        time.sleep(0.05)
        QCoreApplication.processEvents()
    names = [t.name for t in threading.enumerate() if t not in before and t.is_alive()]
    pytest.fail(f"threads left running after the test: {names}")


def create_events(backend, count: int, **extra) -> list[str]:
    """Create `count` events through the simulator control endpoint (admin); returns their ids."""
    return backend.sim_events(count, **extra)["ids"]


class Desk:
    """A signed-in desk for the tests: the DeskApp plus the core objects it was built from."""

    def __init__(self, app, login_dialog) -> None:
        self.app = app
        self.dialog = login_dialog
        self.window = app.window
        self.queue = app.window.queue
        self.detail = app.window.detail
        self.status = app.window.status


def sign_in(qtbot, backend, username: str, *, password: str | None = None, seat: str = "desk-07"):
    """Log in through the LoginDialog (typing and clicking, `seat` typed into the seat field);
    returns (api, auth, dialog, invoker)."""
    from PySide6.QtCore import Qt

    from console.api import ApiClient
    from console.auth import AuthSession, CredentialVault
    from views.bridge import MainThreadInvoker
    from views.login_dialog import LoginDialog

    invoker = MainThreadInvoker()
    api = ApiClient(backend.url)
    vault = CredentialVault()
    auth = AuthSession(api, vault, "test-seat")
    dialog = LoginDialog(auth, vault, invoker, server=backend.url, seat="")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username_edit, username)
    qtbot.keyClicks(dialog.password_edit, password if password is not None else username)
    qtbot.keyClicks(dialog.seat_edit, seat)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    return api, auth, dialog, invoker


@pytest.fixture
def make_desk(qtbot, backend, memory_keyring, language):
    """Factory: sign in as `username` through the dialog and open the desk; shut down after."""
    from views.desk_app import DeskApp

    made = []

    def make(username: str = "leader1", server=None) -> Desk:
        """`server`: another backend than the shared one (e.g. with indicators on)."""
        api, auth, dialog, invoker = sign_in(qtbot, server or backend, username)
        try:
            qtbot.waitUntil(lambda: dialog.user is not None or dialog.error_label.isVisible(),
                            timeout=15000)
        finally:
            dialog.wait_for_workers()
        assert dialog.user is not None, dialog.error_label.text()
        app = DeskApp(api, auth, dialog.user, invoker)
        made.append((app, api))
        app.start()
        qtbot.waitUntil(lambda: app.window.status.connection_state == "live", timeout=20000)
        return Desk(app, dialog)

    yield make
    for app, api in made:
        app.shutdown()
        api.close()
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the windows, now


# The map page's fixtures (`map_view`, `recorder`), for every GUI test module.
from tests.gui.map_page import map_view, recorder  # noqa: E402, F401
