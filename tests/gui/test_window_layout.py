"""The desk's arrangement: saved with a version, written atomically, restored in a new window;
an old or broken file is refused and the default arrangement used."""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import QByteArray

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


def test_the_desk_comes_back_as_it_was_left(qtbot, make_desk, tmp_path):
    desk = make_desk()
    path = tmp_path / "desk_layout.json"
    first = _window(desk, path)
    first.resize(700, 600)  # within the offscreen screen: restoring clamps to it
    first.tabs.setCurrentWidget(first.statistics)
    sizes = [900, 500]
    first.splitter.setSizes(sizes)
    kept = first.splitter.sizes()
    qtbot.wait(50)
    size = (first.width(), first.height())
    assert size != (1600, 900)
    # A narrow window showing the statistics stays within its screen (the tiles scroll).
    assert first.height() <= first.screen().availableGeometry().height()
    _close(first)
    assert json.loads(path.read_text())["version"] == WINDOW_STATE_VERSION

    second = _window(desk, path)
    try:
        assert second.tabs.currentWidget() is second.statistics
        assert (second.width(), second.height()) == size
        second.tabs.setCurrentWidget(second.splitter)
        qtbot.waitUntil(lambda: second.splitter.sizes() == kept, timeout=3000)
    finally:
        _close(second)

    # A layout saved by another version is not applied: the default tab and size.
    document = json.loads(path.read_text())
    document["version"] = WINDOW_STATE_VERSION - 1
    path.write_text(json.dumps(document))
    third = _window(desk, path)
    try:
        assert third.tabs.currentIndex() == 0
        assert (third.width(), third.height()) == (1600, 900)
    finally:
        _close(third)
