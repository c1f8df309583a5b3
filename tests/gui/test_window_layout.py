"""The desk's arrangement: saved with a version, written atomically, restored in a new window;
an old or broken file is refused and the default arrangement used."""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import QByteArray, QMimeData, Qt
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar

from tests.gui.conftest import ARTIFACTS, create_events
from tests.gui.map_page import wait_painted
from views.desk_window import WINDOW_STATE_VERSION, DeskWindow
from views.window_layout import WindowLayoutFile


def test_parts_round_trip_and_other_versions_are_ignored(tmp_path):
    path = tmp_path / "layout.json"
    store = WindowLayoutFile(path, version=3)
    assert store.load() is None  # nothing saved yet
    assert store.save({"geometry": QByteArray(b"\x00\x01geo"), "tab": b"map"})
    assert [p.name for p in tmp_path.iterdir()] == ["layout.json"]  # no temporary file left
    parts = store.load()
    assert bytes(parts["geometry"].data()) == b"\x00\x01geo" and bytes(parts["tab"].data()) == b"map"
    assert WindowLayoutFile(path, version=4).load() is None  # another build's arrangement


def test_a_broken_file_is_set_aside(tmp_path, caplog):
    path = tmp_path / "layout.json"
    path.write_text('{"version": 3, "parts": {"geometry": "not base64!"}}')
    with caplog.at_level(logging.WARNING, logger="views.window_layout"):
        assert WindowLayoutFile(path, version=3).load() is None
    assert not path.exists() and (tmp_path / "layout.json.broken").exists()
    assert "broken" in caplog.text
    path.write_text("{not json")
    assert WindowLayoutFile(path, version=3).load() is None


def _window(desk, path):
    window = DeskWindow(desk.app.bridge, desk.app.user, layout_file=path)
    window.show()
    return window


def _close(window):
    window.video.shutdown()
    window.close()
    window.deleteLater()


def _dock_bar(window) -> QTabBar:
    """The tab bar of the desk's tabbed docks (QMainWindow's own), the one in sight."""
    [bar] = [b for b in window.findChildren(QTabBar) if b.parent() is window and b.isVisible()]
    return bar


def _in_sight(window) -> list[str]:
    return [kind for kind in window.view_names() if window.view_in_sight(kind)]


def _is_default(window) -> bool:
    """The four docks tabbed together in the right area, the map raised, none floating."""
    docks = [window.dock(kind) for kind in ("dashboard", "statistics", "map", "video_wall")
             if window.dock(kind) is not None]
    return (all(window.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea
                and not d.isFloating() and d.toggleViewAction().isChecked() for d in docks)
            and set(window.tabifiedDockWidgets(window.dock("map"))) == set(docks) - {
                window.dock("map")}
            and window.current_view() == "map" and _in_sight(window) == ["events", "map"])


def test_the_default_dock_arrangement(qtbot, make_desk, backend):
    """The events view in the middle; the dashboard, statistics, map and video wall tabbed in
    docks on the right, the map raised, 40 % of the window; each dock movable, floatable and
    closable, opened again from the View menu; a drag over a dock's tab raises it."""
    ids = create_events(backend, 30)
    desk = make_desk()
    window = desk.window
    qtbot.waitUntil(lambda: all(desk.queue.visible_row_of(i) is not None for i in ids),
                    timeout=15000)
    assert window.view_names() == ["events", "dashboard", "statistics", "map", "video_wall"] \
        or window.view_names() == ["events", "statistics", "map", "video_wall"]  # no indicators
    assert window.centralWidget().isAncestorOf(window.splitter)
    assert _is_default(window)
    bar = _dock_bar(window)
    titles = [bar.tabText(i) for i in range(bar.count())]
    assert titles[-3:] == ["事件统计", "运行图", "视频墙"] and bar.tabText(bar.currentIndex()) == "运行图"
    names = {window.dock(k).objectName() for k in window.view_names() if k != "events"}
    assert names <= {"dock_dashboard", "dock_statistics", "dock_map", "dock_video"}
    features = QDockWidget.DockWidgetFeature
    assert all(window.dock(k).features() & features.DockWidgetMovable
               and window.dock(k).features() & features.DockWidgetFloatable
               and window.dock(k).features() & features.DockWidgetClosable
               for k in window.view_names() if k != "events")
    share = window.dock("map").width() / window.width()
    assert 0.37 <= share <= 0.47, share
    assert window.operation_map.isVisible()
    assert not window.video.isVisible() and not window.statistics.isVisible()  # under the map

    # An event selected (the map goes to it): the detail scrolls if need be, the docks
    # keep their width.
    width = window.dock("map").width()
    assert desk.queue.select_event(ids[-1])
    qtbot.waitUntil(lambda: desk.detail.event_id() == ids[-1], timeout=5000)
    qtbot.wait(100)
    assert window.dock("map").width() == width
    assert window.detail_scroll.width() >= desk.detail.minimumSizeHint().width()

    omap = window.operation_map  # raised: its page is made and drawn
    qtbot.waitUntil(lambda: omap.base_loaded, timeout=60000)
    wait_painted(qtbot, omap.view)
    qtbot.wait(300)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / "desk_docks.png"))

    # Each dock's tab raises it; the statistics ask for the events: the queue takes the keys.
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(titles.index("事件统计"))
                     .center())
    assert window.current_view() == "statistics" and _in_sight(window) == ["events",
                                                                            "statistics"]
    assert not omap.isVisible()
    assert window.show_view("events") and window.current_view() == "events"
    assert window.view_in_sight("statistics")  # still raised on the right

    # A dock closed is gone from the window; the View menu opens it again, raised.
    menu_actions = [a for a in window.view_menu.actions() if a.isCheckable()]
    assert [a.text() for a in menu_actions][-3:] == ["事件统计", "运行图", "视频墙"]
    window.dock("map").close()
    assert not window.view_in_sight("map") and window.current_view() in ("statistics", "events")
    map_action = window.dock("map").toggleViewAction()
    assert not map_action.isChecked()
    map_action.trigger()
    assert window.current_view() == "map" and window.view_in_sight("map")

    # A camera dragged from the map's ring list over the video wall's tab raises the wall.
    assert bar.changeCurrentOnDrag() and bar.acceptDrops()
    bar = _dock_bar(window)
    video_tab = next(i for i in range(bar.count()) if bar.tabText(i) == "视频墙")
    mime = QMimeData()
    mime.setText("camera")
    at = bar.tabRect(video_tab).center()
    move = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    QApplication.sendEvent(bar, QDragEnterEvent(at, move, mime, Qt.MouseButton.LeftButton,
                                                Qt.KeyboardModifier.NoModifier))
    QApplication.sendEvent(bar, QDragMoveEvent(at, move, mime, Qt.MouseButton.LeftButton,
                                               Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: window.current_view() == "video_wall", timeout=3000)
    assert window.video.isVisible() and not omap.isVisible()
    QApplication.sendEvent(bar, QDragLeaveEvent())

    # "Default arrangement" puts it all back.
    window.dock("statistics").setFloating(True)
    window.default_layout_action.trigger()
    assert _is_default(window)

    # A laptop screen holds the desk: the window goes down to 1366×768 with both in sight.
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768, hint
    window.resize(1366, 768)
    qtbot.wait(100)
    assert (window.width(), window.height()) == (1366, 768)
    assert window.splitter.width() >= 500 and window.dock("map").width() >= 360


def test_the_desk_comes_back_as_it_was_left(qtbot, make_desk, tmp_path):
    """A moved, floated and closed dock, a raised tab, the window's size and the splitter
    come back in a new window; a layout of another version is refused: the default."""
    desk = make_desk()
    path = tmp_path / "desk_layout.json"
    first = _window(desk, path)
    # The video wall moved to the bottom, the map floating, the statistics raised, the
    # dashboard (when there is one) closed.
    first.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, first.dock("video_wall"))
    first.dock("map").setFloating(True)
    first.show_view("statistics")
    if first.dock("dashboard") is not None:
        first.dock("dashboard").close()
    # As narrow as it goes: the tests' offscreen screen (800×600) is narrower than the desk
    # can be, and a restored geometry is fitted to its screen, then to the window's minimum.
    first.resize(1, 600)
    sizes = [500, 300]
    first.splitter.setSizes(sizes)
    qtbot.wait(50)
    kept = first.splitter.sizes()
    size = (first.width(), first.height())
    assert size != (1600, 900)
    assert first.height() <= first.screen().availableGeometry().height()
    seen = _in_sight(first)
    assert seen == ["events", "statistics", "map", "video_wall"]
    _close(first)
    assert json.loads(path.read_text())["version"] == WINDOW_STATE_VERSION == 3

    second = _window(desk, path)
    try:
        qtbot.waitUntil(lambda: _in_sight(second) == seen, timeout=3000)
        assert (second.width(), second.height()) == size
        assert second.dockWidgetArea(second.dock("video_wall")) == \
            Qt.DockWidgetArea.BottomDockWidgetArea
        assert second.dock("map").isFloating() and not second.dock("statistics").isFloating()
        if second.dock("dashboard") is not None:
            assert not second.dock("dashboard").toggleViewAction().isChecked()
        assert second.current_view() == "statistics"  # the first dock in sight
        qtbot.waitUntil(lambda: second.splitter.sizes() == kept, timeout=3000)
    finally:
        _close(second)

    # A layout saved by another version is not applied: the default arrangement and size.
    document = json.loads(path.read_text())
    document["version"] = WINDOW_STATE_VERSION - 1
    path.write_text(json.dumps(document))
    third = _window(desk, path)
    try:
        assert _is_default(third)
        assert (third.width(), third.height()) == (1600, 900)
    finally:
        _close(third)


def test_a_dock_state_of_another_version_or_broken_is_refused(qtbot, make_desk, tmp_path,
                                                                caplog):
    """A file of this version whose dock state is of another (or garbage) gets the default
    arrangement, logged; a file that is not JSON is set aside and the default used."""
    desk = make_desk()
    path = tmp_path / "desk_layout.json"
    first = _window(desk, path)
    first.dock("map").setFloating(True)
    stale = first.saveState(WINDOW_STATE_VERSION - 1)
    _close(first)
    for docks in (stale, QByteArray(b"garbage")):
        parts = WindowLayoutFile(path, WINDOW_STATE_VERSION).load()
        parts["docks"] = docks
        assert WindowLayoutFile(path, WINDOW_STATE_VERSION).save(parts)
        with caplog.at_level(logging.WARNING, logger="views.desk_window"):
            window = _window(desk, path)
        try:
            assert _is_default(window)
            assert "the default is used" in caplog.text
        finally:
            _close(window)
        caplog.clear()

    path.write_text('{"version": 3, "parts": {"docks": "%%%"')
    window = _window(desk, path)
    try:
        assert _is_default(window)
        assert (tmp_path / "desk_layout.json.broken").exists()
    finally:
        _close(window)
