"""`main --demo` in a hall of three screens: a shift leader starts a conference from the event
panel and puts it on a wall screen, where its page joins the room with the (fake) camera the
console's own policy granted."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.gui.test_main import ROOT, two_wall_hall_env

_DRIVER = r"""
import json, sys, time
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
import main
from views.desk_window import DeskWindow
from views.login_dialog import LoginDialog
from views.map_scheme import register_hall_scheme

register_hall_scheme()
app = QApplication([])
seen = {"asked": False}
deadline = time.monotonic() + 90

def finish():
    seen["quit"] = True
    QApplication.quit()

def drive():
    if seen.get("quit"):
        return
    if time.monotonic() > deadline:
        seen["timeout"] = True
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, DeskWindow):
                launcher = widget.conferences
                seen["dialog"] = launcher.dialog.message.text() if launcher.dialog else None
                seen["states"] = [w.room_state for w in launcher.windows.values()]
                seen["refused"] = [w.refusals for w in launcher.windows.values()]
        return finish()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, LoginDialog) and widget.isVisible():
            widget.login_button.click()
        if not (isinstance(widget, DeskWindow) and widget.isVisible()):
            continue
        if widget.status.connection_state != "live":
            return
        launcher = widget.conferences
        if not seen["asked"]:
            store = widget._bridge.store
            event = next((e for e in store.events() if e.status != "closed"), None)
            if event is None:
                return
            dialog = launcher.request(event.id)
            seen["choices"] = [dialog.screen_choice.itemData(i)
                               for i in range(dialog.screen_choice.count())]
            dialog.screen_choice.setCurrentIndex(dialog.screen_choice.findData("wall-b"))
            if not dialog.invited():  # not dispatched yet: its category's units are offered
                dialog.units.item(0).setCheckState(Qt.CheckState.Checked)
            dialog.start()
            seen["asked"] = True
            return
        for window in launcher.windows.values():
            state = window.room_state
            if state.get("joined") and "video" in state.get("local_tracks", []):
                geometry = window.geometry()
                seen.update(screen=window.screen().name(), x=geometry.x(),
                            width=geometry.width(), maximized=window.isMaximized(),
                            refusals=window.refusals, tracks=state["local_tracks"],
                            media_error=state.get("media_error"),
                            rows=window.participant_rows())
                return finish()

timer = QTimer()
timer.timeout.connect(drive)
timer.start(200)
seen["code"] = main.main(sys.argv[1:])
print(json.dumps(seen, ensure_ascii=False))
"""


def test_a_conference_opens_on_the_chosen_wall_screen_and_joins_with_the_camera(tmp_path):
    env = two_wall_hall_env(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, "--demo", "--data-dir", str(tmp_path / "data"),
         "--lang", "en"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=150)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0 and not seen.get("timeout"), seen
    assert seen["choices"] == ["", "wall-a", "wall-b"]  # the desk first, then the walls
    assert seen["screen"] == "wall-b" and seen["x"] >= 5760 and seen["maximized"]
    assert seen["tracks"] == ["audio", "video"] and not seen["media_error"]
    assert seen["refusals"] == []
    # The seat itself shows as in the conference (it joined from the link, not invited).
    assert any(row[1] == "In the conference" for row in seen["rows"]), seen["rows"]
