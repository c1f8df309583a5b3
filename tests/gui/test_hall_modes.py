"""The hall's modes in a real desk (平时/战时/专题): one switch changes the walls' views, the map's
layers, the dashboard's groups, the video wall's preset and the alert sounds; emergency mode
asks for its focus event and the walls follow it; the mode shows on every window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from console.hall import HallLayout
from console.schema import OPEN_STATUSES
from tests.gui.conftest import create_events
from views.hall_modes import mode_name
from views.hall_setup import install_hall

LAYOUT = {
    "screens": [
        {"id": "desk", "role": "desk", "views": ["event_board"]},
        {"id": "wall-1", "role": "wall", "views": ["map", "dashboard", "statistics"],
         "arrangement": "1+2"},
        {"id": "wall-2", "role": "wall", "views": ["video_wall"]},
    ],
    "modes": {"topic": {"walls": {
        "wall-1": {"views": ["dashboard", "map"], "arrangement": "columns"},
        "wall-2": {"views": ["video_wall", "statistics"], "arrangement": "rows"}}}},
}


def test_one_switch_changes_every_screen(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    window, store = desk.window, desk.app.store
    older, focus = create_events(backend, 2, level=1)
    [level2] = create_events(backend, 1, level=2)
    qtbot.waitUntil(lambda: all(store.get(e) is not None for e in (older, focus, level2)),
                    timeout=15000)
    hall = install_hall(window, desk.app.bridge, HallLayout.model_validate(LAYOUT))
    hall.start()
    modes = window.modes
    wall1, wall2 = hall.walls["wall-1"], hall.walls["wall-2"]
    try:
        # Normal: the badge on the desk and on every wall; everything on.
        assert modes.mode == "normal" and modes.actions["normal"].isChecked()
        assert mode_name("normal") in modes.badge.text() and not modes.band.isVisible()
        assert wall1.badge.isVisible() and wall1.badge.text() == mode_name("normal")
        assert all(window.operation_map.layer_visible(layer) for layer in ("grids", "teams"))
        assert "map" not in window.view_names()  # the map stands on a wall
        assert not window.dock("map").toggleViewAction().isVisible()  # not in the View menu

        # Emergency asks for its focus; the queue's selection is preselected; cancel keeps
        # the mode as it was.
        assert window.queue.select_event(level2)
        modes.actions["emergency"].trigger()
        dialog = modes.focus_dialog
        assert dialog is not None and dialog.isVisible()
        listed = [dialog.list.item(i).data(Qt.ItemDataRole.UserRole)
                  for i in range(dialog.list.count())]
        # Newest report first (the simulator reports events up to 20 s back, so events of
        # earlier tests may come before these).
        reported = [store.get(i).reported_at for i in listed]
        assert reported == sorted(reported, reverse=True)
        assert {older, focus, level2} <= set(listed)
        assert dialog.chosen_id() == level2
        dialog.reject()
        qtbot.waitUntil(lambda: modes.focus_dialog is None, timeout=3000)
        assert modes.mode == "normal" and modes.actions["normal"].isChecked()
        assert not modes.actions["emergency"].isChecked()

        # F9 goes to the next mode (emergency): asks again; this time the focus is chosen.
        window.activateWindow()
        modes.cycle_action.trigger()
        dialog = modes.focus_dialog
        assert dialog is not None and dialog.choose(focus)
        dialog.done(QDialog.DialogCode.Accepted)
        qtbot.waitUntil(lambda: modes.mode == "emergency", timeout=3000)
        assert modes.focus_id == focus and modes.actions["emergency"].isChecked()
        assert mode_name("emergency") in modes.badge.text() and modes.band.isVisible()
        assert store.get(focus).title in modes.band.text()
        assert wall2.badge.text().startswith(mode_name("emergency"))
        assert not window.operation_map.layer_visible("grids")
        assert not window.operation_map.checkboxes["grids"].isChecked()
        assert window.operation_map._selected == focus  # the map rings the focus
        assert window.video.wall.layout_name() == "1+5"
        if window.dashboard is not None:
            shown = window.dashboard.groups_shown()
            assert shown == ["safety", "operations"]
            assert set(window.dashboard.group_order()) - {"focus"} <= set(shown)
        assert window.alerts.sound_ceiling == 1
        # The wall follows the focus, not the queue's selection.
        window.queue.select_event(level2)
        assert window.operation_map._selected == focus
        # A new level-2 alert shows but does not sound in emergency mode.
        played = list(window.alerts.sounds_played)
        window.alerts.tracker.TONE_GAP_SECONDS = 0.0  # its tone is due at once, not gathered
        [quiet] = create_events(backend, 1, level=2)
        qtbot.waitUntil(lambda: window.alerts.banner.key() == quiet, timeout=15000)
        assert window.alerts.sounds_played == played and 2 in window.alerts.sounds_held

        # Topic: the hall file's arrangement for it; other layers and groups; sound as usual.
        modes.cycle_action.trigger()
        assert modes.mode == "topic" and modes.focus_id == ""
        assert sorted(wall1.views) == ["dashboard", "map"] and wall1.spec.arrangement == "columns"
        assert sorted(wall2.views) == ["statistics", "video_wall"]
        assert wall2.views["statistics"] is window.statistics
        assert "statistics" not in window.view_names()
        assert not window.operation_map.layer_visible("teams")
        assert window.operation_map.layer_visible("events")
        assert window.video.wall.layout_name() == "9"
        assert window.alerts.sound_ceiling is None
        if window.dashboard is not None:
            assert window.dashboard.groups_shown() == ["economy", "traffic", "environment"]

        # Back to normal with its key: the walls as the layout has them, everything on.
        modes.actions["normal"].trigger()
        assert modes.mode == "normal" and not modes.band.isVisible()
        assert sorted(wall1.views) == ["dashboard", "map", "statistics"]
        assert list(wall2.views) == ["video_wall"]
        assert window.operation_map.layer_visible("teams")
        if window.dashboard is not None:
            assert window.dashboard.groups_shown() is None
        window.queue.select_event(older)
        assert window.operation_map._selected == older  # the map follows the queue again
    finally:
        window.video.shutdown()
        for wall in hall.walls.values():
            hall.hall_views.release(wall.release_views())
        hall.shutdown()


def test_open_in_emergency_without_focus_takes_the_newest_level1(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    window = desk.window
    [newest] = create_events(backend, 1, level=1)
    qtbot.waitUntil(lambda: desk.app.store.get(newest) is not None, timeout=15000)
    install_hall(window, desk.app.bridge, HallLayout.model_validate(
        {"screens": [{"role": "desk", "views": ["event_board", "map", "video_wall"]}]}))
    # The newest report among the open level-1 events (earlier tests' events may be newer:
    # the simulator reports events up to 20 s back).
    newest = max((e for e in desk.app.store.events() if e.level == 1
                  and e.status in OPEN_STATUSES), key=lambda e: (e.reported_at, e.id)).id
    window.modes.open_in("emergency")
    assert window.modes.mode == "emergency" and window.modes.focus_id == newest
    assert window.current_view() == "map" and window.view_in_sight("map")  # one screen: the map


def test_an_admin_unlocks_the_wall_windows(qtbot, backend, make_desk):
    layout = HallLayout.model_validate({"screens": LAYOUT["screens"]})
    leader = make_desk("leader1").window
    hall = install_hall(leader, leader._bridge, layout)
    try:
        assert getattr(leader, "unlock_walls_action", None) is None  # not for a shift leader
    finally:
        hall.shutdown()
    desk = make_desk("admin")
    window = desk.window
    hall = install_hall(window, desk.app.bridge, layout)
    hall.start()
    try:
        action = window.unlock_walls_action
        assert action in window.view_menu.actions()
        assert all(w.locked for w in hall.walls.values())
        action.trigger()
        assert not any(w.locked for w in hall.walls.values())
        action.trigger()
        assert all(w.locked for w in hall.walls.values())
    finally:
        window.video.shutdown()
        for wall in hall.walls.values():
            hall.hall_views.release(wall.release_views())
        hall.shutdown()
