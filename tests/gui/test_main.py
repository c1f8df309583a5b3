"""main.py: the command line and the embedded demo backend (started and stopped for real)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

import main
from backend.launcher import BackendProcess
from tests.gui.conftest import ARTIFACTS

ROOT = Path(__file__).resolve().parents[2]


def test_arguments_and_defaults():
    args = main.parse_args(["--demo"])
    assert args.lang == "zh_CN" and args.seat and args.data_dir is None
    args = main.parse_args(["--backend", "http://127.0.0.1:1", "--lang", "en", "--user", "duty1"])
    assert args.backend == "http://127.0.0.1:1" and args.lang == "en" and args.user == "duty1"


def test_demo_backend_starts_and_stops(tmp_path):
    demo = main.DemoBackend(tmp_path, rate=0)
    assert isinstance(demo, BackendProcess)  # the one shared launcher
    url = demo.start(timeout=60)
    try:
        assert url.startswith("http://127.0.0.1:") and demo.url == url and demo.running
        assert requests.get(f"{url}/api/v1/health", timeout=5).json()["status"] == "ok"
        pid = demo.pid
        assert f"--db {tmp_path / 'demo.db'}" in " ".join(demo.command(tmp_path / "port"))
        assert "--rate 0" in " ".join(demo.command(tmp_path / "port"))
    finally:
        demo.stop()
    assert not demo.running and demo.pid is None
    with pytest.raises(ProcessLookupError):  # gone and reaped: nothing left behind
        os.kill(pid, 0)
    assert demo.db_path == tmp_path / "demo.db" and demo.db_path.exists()
    assert "listening on http://127.0.0.1:" in (tmp_path / "demo-backend.log").read_text()
    assert main.DemoBackend(tmp_path).options["rate"] == main.DEMO_RATE


_DRIVER = r"""
import json, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import main
from views.desk_window import DeskWindow
from views.login_dialog import LoginDialog

from views.map_scheme import register_hall_scheme

register_hall_scheme()
app = QApplication([])
seen = {"dialog": None, "desk": False, "map": False, "quit": False}
deadline = time.monotonic() + 60

def quit_once():
    if not seen["quit"]:
        seen["quit"] = True
        QApplication.quit()

def drive():
    if time.monotonic() > deadline:
        quit_once()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, LoginDialog) and widget.isVisible() and seen["dialog"] is None:
            seen["dialog"] = [widget.username_edit.text(), widget.password_edit.text()]
            widget.login_button.click()
        if (isinstance(widget, DeskWindow) and widget.isVisible()
                and widget.status.connection_state == "live"):
            seen["desk"] = True
            # The map page loads in the real app (as root: with the sandbox turned off).
            widget.show_view("map")
            if widget.operation_map.base_loaded:
                seen["map"] = True
                quit_once()

timer = QTimer()
timer.timeout.connect(drive)
timer.start(100)
seen["code"] = main.main(sys.argv[1:])
print(json.dumps(seen))
"""


def test_demo_end_to_end(tmp_path):
    """`main --demo` in its own process: backend up, login filled in for leader1, desk live,
    the operation map's page loaded with its base map, clean exit with the backend stopped,
    and a log without tokens or phone numbers."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND":
           "keyring.backends.fail.Keyring"}
    env.pop("QTWEBENGINE_DISABLE_SANDBOX", None)  # main turns it off itself when run as root
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, "--demo", "--data-dir", str(tmp_path), "--seat", "desk-09"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["dialog"] == ["leader1", "leader1"]
    assert seen["desk"] and seen["map"] and seen["code"] == 0
    log_text = (tmp_path / "console.log").read_text(encoding="utf-8")
    assert "demo backend at http://127.0.0.1:" in log_text
    assert not re.search(r"eyJ[\w-]{10,}\.", log_text)  # no JWT-looking token
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", log_text)  # no full mobile number
    assert str(tmp_path / "demo.db") not in subprocess.run(
        ["ps", "-eo", "args"], capture_output=True, text=True).stdout  # backend stopped


_HALL_DRIVER = r"""
import json, os, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import main
from views.desk_window import DeskWindow
from views.login_dialog import LoginDialog
from views.map_scheme import register_hall_scheme
from views.wall_window import WallWindow

register_hall_scheme()
app = QApplication([])
seen = {"windows": {}, "quit": False}
deadline = time.monotonic() + 60

def drive():
    if time.monotonic() > deadline and not seen["quit"]:
        seen["quit"] = True
        QApplication.quit()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, LoginDialog) and widget.isVisible():
            widget.login_button.click()
        if isinstance(widget, DeskWindow) and widget.isVisible() and not seen["quit"]:
            walls = [w for w in QApplication.topLevelWidgets()
                     if isinstance(w, WallWindow) and w.isVisible()]
            if walls and widget.status.connection_state == "live":
                seen["desk"] = {"screen": widget.screen().name(),
                                "views": widget.view_names(),
                                "docks": [a.text() for a in widget.view_menu.actions()
                                          if a.isVisible() and a.isCheckable()]}
                shots = os.environ.get("HALL_SHOTS")
                for wall in walls:
                    if shots:
                        wall.grab().save(f"{shots}/hall_demo_{wall.screen().name()}.png")
                        seen["windows"][wall.screen().name()] = {
                        "views": sorted(wall.views),
                        "shown": sorted(k for k, v in wall.views.items() if v.isVisible()),
                        "frameless": bool(
                            wall.windowFlags() & wall.windowFlags().FramelessWindowHint),
                        "full": wall.isFullScreen()}
                seen["quit"] = True
                QApplication.quit()

timer = QTimer()
timer.timeout.connect(drive)
timer.start(100)
seen["code"] = main.main(sys.argv[1:])
print(json.dumps(seen))
"""


def two_wall_hall_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a child console on a desk (1920×1080) and two 4K walls, Qt's
    offscreen screens; grabs go to tests/artifacts (HALL_SHOTS)."""
    screen = {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    screens = {"synchronousWindowSystemEvents": True, "windowFrameMargins": False, "screens": [
        {"name": "desk", "x": 0, "y": 0, "width": 1920, "height": 1080, **screen},
        {"name": "wall-a", "x": 1920, "y": 0, "width": 3840, "height": 2160, **screen},
        {"name": "wall-b", "x": 5760, "y": 0, "width": 3840, "height": 2160, **screen}]}
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(screens))
    ARTIFACTS.mkdir(exist_ok=True)
    return {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "HALL_SHOTS": str(ARTIFACTS), **extra}


def test_demo_spreads_over_a_desk_and_two_walls(tmp_path):
    """`main --demo` on a desk and two 4K walls (Qt's offscreen screens): the desk keeps the
    events, the walls take the map, dashboard and statistics, and the video wall, frameless
    and full screen."""
    env = two_wall_hall_env(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", _HALL_DRIVER, "--demo", "--data-dir", str(tmp_path / "data"),
         "--lang", "en"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0
    assert seen["desk"]["screen"] == "desk"
    assert seen["desk"]["views"] == ["events"]  # the walls hold every dock's view
    assert seen["desk"]["docks"] == []  # so the View menu lists none
    assert seen["windows"]["wall-a"]["views"] == ["dashboard", "map", "statistics"]
    assert seen["windows"]["wall-b"]["views"] == ["video_wall"]
    assert all(w["shown"] == w["views"] for w in seen["windows"].values())
    assert all(w["frameless"] and w["full"] for w in seen["windows"].values())


def test_a_broken_hall_file_is_refused_before_anything_starts(tmp_path):
    hall = tmp_path / "hall.toml"
    hall.write_text('[[screens]]\nid = "desk"\nrole = "podium"\n')
    done = subprocess.run([sys.executable, "main.py", "--demo", "--data-dir", str(tmp_path),
                           "--hall", str(hall)], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 2
    assert str(hall) in done.stderr and "role" in done.stderr
    assert not (tmp_path / "demo.db").exists()  # the demo backend never started
