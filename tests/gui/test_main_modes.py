"""`main --demo --profile … --focus …` on a desk and two 4K walls (Qt's offscreen screens), in a
child process: the hall opens in the mode asked, every window shows it, and a screenshot of
every screen is saved (tests/artifacts/hall_mode_<mode>_<screen>.png)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.gui.conftest import ARTIFACTS
from tests.gui.test_main import two_wall_hall_env

ROOT = Path(__file__).resolve().parents[2]

_DRIVER = r"""
import json, os, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import main
from console.hall_modes import default_focus, focus_candidates
from views.desk_window import DeskWindow
from views.login_dialog import LoginDialog
from views.map_scheme import register_hall_scheme
from views.wall_window import WallWindow

register_hall_scheme()
app = QApplication([])
shots, tag = os.environ["HALL_SHOTS"], os.environ["HALL_TAG"]
seen = {"windows": {}, "quit": False, "settled": None}
deadline = time.monotonic() + 90

def drive():
    if time.monotonic() > deadline and not seen["quit"]:
        seen["quit"] = True
        QApplication.quit()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, LoginDialog) and widget.isVisible():
            widget.login_button.click()
        if not (isinstance(widget, DeskWindow) and widget.isVisible()) or seen["quit"]:
            continue
        walls = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, WallWindow) and w.isVisible()]
        modes = widget.modes
        if not (walls and widget.status.connection_state == "live"
                and widget.operation_map.base_loaded and modes.mode == tag):
            continue
        store = widget._bridge.store
        if tag == "normal" and not any(e.level == 1 for e in focus_candidates(store)):
            if not seen.get("asked"):  # a level-1 event for the emergency run to focus on
                seen["asked"] = True
                import requests
                url = widget._bridge.session.api.base_url
                token = requests.post(f"{url}/api/v1/auth/login", timeout=10, json={
                    "username": "admin", "password": "admin", "seat": "t"}).json()["access_token"]
                requests.post(f"{url}/api/v1/sim/events", timeout=10, json={
                    "count": 1, "level": 1}, headers={"Authorization": f"Bearer {token}"})
            continue
        if seen["settled"] is None:  # give the map page time to draw
            seen["settled"] = time.monotonic()
        if time.monotonic() - seen["settled"] < 3.0:
            continue
        candidates = focus_candidates(store)
        chosen = default_focus(candidates) or (candidates[0] if candidates else None)
        seen["candidate"] = chosen.id if chosen is not None else ""
        seen["desk"] = {"badge": modes.badge.text(), "band": modes.band.isVisible(),
                        "mode": modes.mode, "focus": modes.focus_id,
                        "grids": widget.operation_map.layer_visible("grids"),
                        "video": widget.video.wall.layout_name(),
                        "groups": widget.dashboard.groups_shown() if widget.dashboard else None,
                        "ceiling": widget.alerts.sound_ceiling}
        widget.grab().save(f"{shots}/hall_mode_{tag}_desk.png")
        for wall in walls:
            name = wall.screen().name()
            wall.grab().save(f"{shots}/hall_mode_{tag}_{name}.png")
            seen["windows"][name] = {"views": sorted(wall.views), "badge": wall.badge.text(),
                                     "badge_shown": wall.badge.isVisible()}
        seen["quit"] = True
        QApplication.quit()

timer = QTimer()
timer.timeout.connect(drive)
timer.start(100)
seen["code"] = main.main(sys.argv[1:])
print(json.dumps(seen))
"""


def _run(tmp_path: Path, tag: str, *args: str) -> dict:
    env = two_wall_hall_env(tmp_path, HALL_TAG=tag)
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, "--demo", "--data-dir", str(tmp_path / "data"), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=150)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0 and "desk" in seen, seen
    return seen


def test_demo_opens_the_hall_in_normal_then_in_emergency_on_its_focus(tmp_path):
    normal = _run(tmp_path, "normal", "--profile", "normal")
    desk = normal["desk"]
    assert desk["mode"] == "normal" and "平时" in desk["badge"] and not desk["band"]
    assert desk["grids"] and desk["groups"] is None and desk["ceiling"] is None
    assert all(w["badge_shown"] and w["badge"] == "平时" for w in normal["windows"].values())
    focus = normal["candidate"]
    assert focus, "the demo database has no open level 1-2 event"

    emergency = _run(tmp_path, "emergency", "--profile", "emergency", "--focus", focus)
    desk = emergency["desk"]
    assert desk["mode"] == "emergency" and desk["focus"] == focus
    assert "战时" in desk["badge"] and desk["band"]
    assert not desk["grids"] and desk["video"] == "1+5" and desk["ceiling"] == 1
    assert desk["groups"] in (None, ["safety", "operations"])  # None: no dashboard
    assert emergency["windows"]["wall-a"]["views"] == ["dashboard", "map", "statistics"]
    assert emergency["windows"]["wall-b"]["views"] == ["video_wall"]
    assert all(w["badge_shown"] and w["badge"].startswith("战时")
               for w in emergency["windows"].values())
    for mode in ("normal", "emergency"):
        for screen in ("desk", "wall-a", "wall-b"):
            assert (ARTIFACTS / f"hall_mode_{mode}_{screen}.png").stat().st_size > 10_000
