"""Make the README screenshots of the desk window (Chinese and English) with the demo backend.

    python bench/screenshot.py [--out resources/screenshots]

Runs offscreen; prints the path of each PNG written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
# The repository root, not bench/ (whose queue.py would shadow the standard library's queue).
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import requests  # noqa: E402
from PySide6.QtCore import QCoreApplication, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import main  # noqa: E402


def _wait(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the desk did not get ready")
        QCoreApplication.processEvents()
        time.sleep(0.02)


def shoot(url: str, language: str, out: Path, app: QApplication) -> Path:
    from console.api import ApiClient
    from console.auth import AuthSession, CredentialVault
    from views.app_setup import install_translators
    from views.bridge import MainThreadInvoker
    from views.desk_app import DeskApp
    from views.login_dialog import LoginDialog

    translators = install_translators(app, language)
    invoker = MainThreadInvoker()
    api = ApiClient(url)
    vault = CredentialVault()
    auth = AuthSession(api, vault, "desk-01")
    dialog = LoginDialog(auth, vault, invoker, server=url, username="leader1",
                         password="leader1", seat="desk-01")
    dialog.show()
    dialog.start_login()
    _wait(lambda: dialog.user is not None)
    dialog.wait_for_workers()
    desk = DeskApp(api, auth, dialog.user, invoker)
    try:
        desk.start()
        desk.window.resize(1600, 900)
        _wait(lambda: desk.window.status.connection_state == "live" and len(desk.store) >= 30)
        queue = desk.window.queue
        proxy = queue.proxy
        event_id = proxy.index(min(3, proxy.rowCount() - 1), 0).data(Qt.ItemDataRole.UserRole + 2)
        queue.select_event(event_id)
        _wait(lambda: desk.window.detail.event_id() == event_id)
        QTest.qWait(800)
        path = out / ("desk.png" if language == "zh_CN" else f"desk_{language}.png")
        desk.window.grab().save(str(path))
        return path
    finally:
        desk.shutdown()
        api.close()
        for translator in translators:
            QCoreApplication.removeTranslator(translator)


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "resources" / "screenshots"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from views.app_setup import apply_theme

    app = QApplication.instance() or QApplication([])
    apply_theme(app)
    with tempfile.TemporaryDirectory(prefix="hall-shot-") as data:
        demo = main.DemoBackend(Path(data), rate=0)
        url = demo.start(timeout=60)
        try:
            login = {"username": "admin", "password": "admin", "seat": "bench"}
            answer = requests.post(f"{url}/api/v1/auth/login", json=login, timeout=10)
            token = answer.json()["access_token"]
            bearer = {"Authorization": f"Bearer {token}"}
            requests.post(f"{url}/api/v1/sim/events", json={"count": 60}, timeout=30,
                          headers=bearer).raise_for_status()
            for language in ("zh_CN", "en"):
                print(shoot(url, language, out, app))
        finally:
            demo.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main_())
