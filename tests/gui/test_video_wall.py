"""The video wall and the camera list on the real backend's camera streams (loopback)."""

from __future__ import annotations

import json
import logging

import pytest
import requests
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage

from console.api import ApiClient
from console.cameras import CameraBoard
from console.video_wall import STATE_VERSION
from tests.gui.conftest import ARTIFACTS
from views.camera_list import CameraList
from views.video_wall import VideoWall, connect_camera_list
from widgets.video_tile import CAMERA_MIME

FAST = {"backoff": (0.2, 1.0)}


@pytest.fixture
def board(backend):
    """The backend's cameras (all online) and an API client signed in as duty1."""
    api = ApiClient(backend.url)
    token = backend.login("duty1")
    api.set_token_provider(lambda: token)
    cameras = CameraBoard()
    cameras.load(api.cameras())
    assert len(cameras) >= 36
    yield cameras, api
    api.close()


@pytest.fixture
def make_wall(qtbot, board, tmp_path, hall_app):
    """Factory of shown walls (1200×720 unless told) saving to tmp_path; all shut down after."""
    cameras, api = board
    made: list[VideoWall] = []

    def make(size=(1200, 720), state_path=None, **kw) -> VideoWall:
        wall = VideoWall(cameras, api.auth_headers,
                         state_path=state_path or tmp_path / "video_wall.json",
                         reader_options=FAST, **kw)
        qtbot.addWidget(wall)
        wall.resize(*size)
        wall.show()
        qtbot.waitExposed(wall)
        made.append(wall)
        return wall

    yield make
    for wall in made:
        wall.shutdown()


def ids(board, n, start=0):
    return [c.id for c in board[0].all()[start:start + n]]


def picture_is_real(tile) -> bool:
    """The tile paints a decoded picture (varied pixels), not the dashed placeholder."""
    image = tile.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(image.height() // 4, image.height() * 3 // 4, 7)}
    return tile._image is not None and len(colours) > 40


def wait_live(qtbot, wall, indexes, timeout=20000):
    qtbot.waitUntil(lambda: all(wall.tile(i).shown_state() == "live"
                                and wall.tile(i)._image is not None for i in indexes),
                    timeout=timeout)


def drop_on(widget, mime: QMimeData) -> None:
    """Call `widget`'s drag handlers as a drag of `mime` ending on it does (Qt delivers no
    sent Drop event without a drag in progress): enter, then drop; both must be accepted."""
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    enter = QDragEnterEvent(widget.rect().center(), actions, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    widget.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(widget.rect().center()), actions, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(drop)
    assert drop.isAccepted()


def test_four_tiles_play_four_cameras(qtbot, make_wall, board):
    wall = make_wall()
    cams = ids(board, 4)
    assert wall.show_cameras(cams) == cams
    assert wall.layout_name() == "4" and wall.cameras_shown() == cams
    wait_live(qtbot, wall, range(4))
    for i in range(4):
        assert picture_is_real(wall.tile(i))
        assert wall.profile_of(i) == "sub"  # 600×350 tiles: the sub stream
        assert wall.reader(i).url.endswith(f"/{cams[i]}/sub.mjpeg")
        assert wall.tile(i).camera_name() == board[0].get(cams[i]).name
    assert wall.reader(4) is None  # empty tiles hold no reader


def test_drop_from_the_list_and_swap_tiles(qtbot, make_wall, board):
    wall = make_wall()
    wall.set_layout("4")
    cams = ids(board, 2, start=4)
    listing = CameraList(board[0])
    qtbot.addWidget(listing)
    index = listing.index_of(cams[0])
    assert index.isValid()
    mime = listing.proxy.mimeData([index])
    assert bytes(mime.data(CAMERA_MIME).data()).decode() == cams[0]
    drop_on(wall.tile(2), mime)
    assert wall.camera_at(2) == cams[0] and wall.selected() == 2
    wall.assign(0, cams[1])
    # a tile dragged onto another swaps them
    drop_on(wall.tile(2), wall.tile(0).drag_mime())
    assert wall.camera_at(0) == cams[0] and wall.camera_at(2) == cams[1]
    wait_live(qtbot, wall, (0, 2))
    assert wall.reader(0).url.split("/")[-2] == cams[0]
    # a double-click in the list sends to the selected tile
    connect_camera_list(wall, listing)
    wall.select(3)
    listing._double_clicked(listing.index_of(cams[1]))
    assert wall.camera_at(3) == cams[1]


def test_full_view_and_back_switches_profile(qtbot, make_wall, board):
    wall = make_wall()
    wall.show_cameras(ids(board, 4, start=8))
    wait_live(qtbot, wall, range(4))
    assert wall.profile_of(1) == "sub"
    qtbot.mouseDClick(wall.tile(1), Qt.MouseButton.LeftButton)
    assert wall.full_view_index() == 1
    assert not wall.tile(0).isVisible() and wall.tile(1).isVisible()
    qtbot.waitUntil(lambda: wall.tile(1).width() > 1000)
    assert wall.profile_of(1) == "main"  # 1200×690: the main stream
    qtbot.waitUntil(lambda: wall.reader(1).stats().source_size == (1280, 720), timeout=20000)
    qtbot.keyClick(wall, Qt.Key.Key_Escape)
    assert wall.full_view_index() == -1
    assert all(wall.tile(i).isVisible() for i in range(4))
    qtbot.waitUntil(lambda: wall.profile_of(1) == "sub")
    # and by double-clicking again
    qtbot.mouseDClick(wall.tile(2), Qt.MouseButton.LeftButton)
    assert wall.full_view_index() == 2
    qtbot.mouseDClick(wall.tile(2), Qt.MouseButton.LeftButton)
    assert wall.full_view_index() == -1


def test_layout_change_keeps_cameras_in_order(qtbot, make_wall, board):
    wall = make_wall()
    cams = ids(board, 6, start=12)
    wall.show_cameras(cams)
    assert wall.layout_name() == "9"
    wall.set_layout("4")
    assert wall.cameras_shown() == cams[:4]
    assert set(wall.readers()) == {0, 1, 2, 3}
    wall.set_layout("1+5")
    assert wall.cameras_shown() == cams
    assert wall.tile(0).width() > 2 * wall.tile(1).width() - 10
    wait_live(qtbot, wall, range(6))
    for layout in ("1", "16", "25", "36", "1+7", "1+12"):
        wall.layout_box.setCurrentIndex(wall.layout_box.findData(layout))
        wall.layout_box.activated.emit(wall.layout_box.currentIndex())
        assert wall.layout_name() == layout
    assert wall.cameras_shown()[:6] == cams


def test_offline_camera_shows_lost_and_recovers(qtbot, make_wall, board, backend):
    wall = make_wall()
    camera_id = ids(board, 1, start=20)[0]
    wall.show_cameras([camera_id])
    wait_live(qtbot, wall, [0])
    admin = backend.headers("admin")
    url = f"{backend.url}/api/v1/sim/cameras/{camera_id}"
    try:
        requests.post(url, json={"status": "offline"}, headers=admin, timeout=10).raise_for_status()
        qtbot.waitUntil(lambda: wall.tile(0).shown_state() == "lost", timeout=15000)
        assert "503" in (wall.reader(0).stats().error or "") or wall.reader(0).stats().error
    finally:
        requests.post(url, json={"status": "online"}, headers=admin, timeout=10).raise_for_status()
    seen = wall.reader(0).stats().frames_decoded
    qtbot.waitUntil(lambda: wall.tile(0).shown_state() == "live"
                    and wall.reader(0).stats().frames_decoded > seen, timeout=20000)


def test_show_cameras_and_event_cameras(qtbot, make_wall, board):
    wall = make_wall()
    cams = ids(board, 10, start=22)
    assert wall.show_cameras(cams) == cams
    assert wall.layout_name() == "16" and wall.cameras_shown()[:10] == cams
    assert wall.cameras_shown()[10:] == [None] * 6
    assert wall.show_cameras(cams * 3) == cams  # duplicates left out
    one = board[0].get(cams[0])
    near = wall.show_event_cameras(one.location[0], one.location[1], radius_m=800, limit=4)
    assert near and near[0] == one.id
    assert wall.cameras_shown()[:len(near)] == near
    assert wall.layout_name() == ("1" if len(near) == 1 else "4")


def test_tour_advances_after_the_dwell(qtbot, make_wall, board):
    wall = make_wall()
    cams = ids(board, 3, start=30)
    wall.set_layout("4")
    wall.select(1)
    name = wall.start_tour_of(cams, on_wall=False, dwell_s=1.0)
    assert wall.camera_at(1) == cams[0]
    assert f"{name} 1/3" in wall.tile(1).camera_name()
    qtbot.waitUntil(lambda: wall.camera_at(1) == cams[1], timeout=3000)
    assert f"{name} 2/3" in wall.tile(1).camera_name()
    assert wall.tour_label.text()
    wall.stop_tours()
    assert not wall.tour_label.text()
    # on the whole wall: the layout pages through the group
    group = ids(board, 6, start=30)
    wall.start_tour_of(group, on_wall=True, dwell_s=1.0, name="all")
    assert wall.cameras_shown() == group[:4]
    qtbot.waitUntil(lambda: wall.cameras_shown() == group[4:] + [None, None], timeout=3000)


def test_state_saved_and_restored_in_a_new_wall(qtbot, make_wall, board, tmp_path):
    path = tmp_path / "saved" / "video_wall.json"
    wall = make_wall(state_path=path)
    cams = ids(board, 3, start=40)
    wall.set_layout("1+5")
    for i, cam in enumerate(cams):
        wall.assign(i * 2, cam)
    wall.save_tour("night", cams, 12)
    wall.shutdown()  # saves
    saved = json.loads(path.read_text("utf-8"))
    assert saved["version"] == STATE_VERSION
    again = make_wall(state_path=path)
    assert again.layout_name() == "1+5"
    assert again.cameras_shown() == [cams[0], None, cams[1], None, cams[2], None]
    assert [t.name for t in again.model.tours] == ["night"]
    wait_live(qtbot, again, (0, 2, 4))


def test_broken_saved_state_is_refused(qtbot, make_wall, tmp_path, caplog):
    path = tmp_path / "video_wall.json"
    caplog.set_level(logging.WARNING, "console.video_wall")
    path.write_text('{"version": 1, "layout": "4", "tiles": [42', "utf-8")
    wall = make_wall(state_path=path)
    assert wall.layout_name() == "4" and wall.cameras_shown() == [None] * 4
    assert "refused" in caplog.text
    path.write_text(json.dumps({"version": 0, "layout": "9"}), "utf-8")
    caplog.clear()
    old = make_wall(state_path=path)
    assert old.layout_name() == "4" and "version" in caplog.text


def test_sixteen_tiles_screenshot(qtbot, make_wall, board):
    wall = make_wall(size=(1600, 960))
    cams = ids(board, 16, start=0)
    wall.show_cameras(cams)
    assert wall.layout_name() == "16"
    wait_live(qtbot, wall, range(16), timeout=30000)
    qtbot.wait(1200)  # fps and age settle
    for i in range(16):
        assert picture_is_real(wall.tile(i))
        assert wall.tile(i).status_text().startswith("live")
    ARTIFACTS.mkdir(exist_ok=True)
    assert wall.grab().save(str(ARTIFACTS / "video_wall_16.png"))


def test_camera_list_on_the_desk_sends_to_the_wall(qtbot, make_desk, tmp_path):
    desk = make_desk("duty1")
    bridge = desk.app.bridge
    cameras = bridge.session.cameras
    qtbot.waitUntil(lambda: len(cameras) > 0, timeout=15000)
    listing = CameraList.for_bridge(bridge)
    qtbot.addWidget(listing)
    wall = VideoWall.for_bridge(bridge, state_path=tmp_path / "desk_wall.json")
    qtbot.addWidget(wall)
    try:
        wall.resize(900, 540)
        wall.show()
        connect_camera_list(wall, listing)
        first = cameras.all()[0]
        street, count = listing.street_text(first.street_id or "")
        assert "(" in street and count.split(" ", 1)[0].count("/") == 1
        assert listing.camera_state_text(first.id) in ("online", "在线")
        listing.search.setText(first.id)
        assert listing.proxy.rowCount() == 1
        index = listing.index_of(first.id)
        assert index.isValid()
        listing._double_clicked(index)
        assert wall.camera_at(0) == first.id
        wait_live(qtbot, wall, [0])
        listing.tree.selectionModel().select(
            index, listing.tree.selectionModel().SelectionFlag.ClearAndSelect
            | listing.tree.selectionModel().SelectionFlag.Rows)
        assert listing.selected_camera_ids() == [first.id]
    finally:
        wall.shutdown()
