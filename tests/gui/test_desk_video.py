"""The video wall in the desk: the map's ring sends its cameras to the wall, and with "follow"
on, selecting an event in the queue shows its nearest cameras (real backend, real streams)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.test_operation_map import _open_event, open_map
from tests.gui.test_video_wall import drop_on


def test_ring_cameras_go_to_the_wall_and_play(qtbot, make_desk, backend):
    desk, omap, view = open_map(qtbot, make_desk, backend)
    window = desk.window
    event = _open_event(desk)
    assert desk.queue.select_event(event.id)
    omap.ring_panel.radius.setValue(1500)
    expected = omap.ring_panel.entries("camera")
    assert expected
    QTest.mouseClick(omap.ring_panel.show_cameras, Qt.MouseButton.LeftButton)
    assert window.current_view() == "video_wall" and window.view_in_sight("video_wall")
    wall = window.video.wall
    shown = [c for c in wall.cameras_shown() if c is not None]
    assert shown == expected[:len(shown)] and len(shown) == min(len(expected), 16)
    qtbot.waitUntil(lambda: all(t.shown_state() == "live" for t in wall.tiles[:len(shown)]),
                    timeout=20000)


def test_the_wall_follows_the_selected_event_when_asked(qtbot, make_desk, backend):
    backend.sim_events(3)
    desk = make_desk()
    window = desk.window
    wall = window.video.wall
    event = _open_event(desk)
    assert desk.queue.select_event(event.id)
    assert not any(wall.cameras_shown())  # "follow" is off: the wall stays as it is
    window.video.follow.setChecked(True)
    cameras = desk.app.session.cameras
    other = next(e for e in reversed(desk.app.store.events()) if e.id != event.id
                 and cameras.within(e.location.lon, e.location.lat, 500))
    near = [c.id for c in cameras.within(other.location.lon, other.location.lat, 500)
            if c.status == "online"]
    assert desk.queue.select_event(other.id)
    shown = [c for c in wall.cameras_shown() if c is not None]
    assert shown and shown[0] == near[0] and set(shown) <= set(near)


def test_a_camera_dragged_from_the_ring_lands_on_a_tile(qtbot, make_desk, backend):
    desk, omap, view = open_map(qtbot, make_desk, backend)
    event = _open_event(desk)
    assert desk.queue.select_event(event.id)
    omap.ring_panel.radius.setValue(3000)
    tree = omap.ring_panel.tree
    cameras = tree.topLevelItem(0)
    assert cameras.childCount() > 0
    item = cameras.child(0)
    assert item.flags() & Qt.ItemFlag.ItemIsDragEnabled
    assert not tree.topLevelItem(1).flags() & Qt.ItemFlag.ItemIsDragEnabled
    mime = tree.mimeData([item])
    camera_id = omap.ring_panel.entries("camera")[0]
    # The drag carries the tile's camera mime type; a tile that takes it plays the camera.
    tile = desk.window.video.wall.tiles[0]
    with qtbot.waitSignal(tile.sig_camera_dropped, timeout=5000) as dropped:
        drop_on(tile, mime)
    assert dropped.args == [camera_id]
    qtbot.waitUntil(lambda: desk.window.video.wall.camera_at(0) == camera_id, timeout=5000)

