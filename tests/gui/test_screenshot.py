"""A picture of the desk window at 1600×900 (kept in tests/artifacts/ for people to look at)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from tests.gui.conftest import ARTIFACTS, create_events


@pytest.mark.parametrize(
    ("language", "name"), [("zh_CN", "desk.png"), ("en", "desk_en.png")], indirect=["language"]
)
def test_desk_screenshot(qtbot, backend, make_desk, language, name):
    desk = make_desk("leader1")
    ids = create_events(backend, 40)
    qtbot.waitUntil(lambda: all(desk.queue.visible_row_of(i) is not None for i in ids),
                    timeout=15000)
    desk.window.resize(1600, 900)
    desk.queue.select_event(ids[-1])
    qtbot.waitUntil(lambda: desk.detail.event_id() == ids[-1], timeout=5000)
    desk.detail.note_editor.insertPlainText(
        "已通知网格员到场核实" if language == "zh_CN" else "Grid officer notified")
    qtbot.mouseClick(desk.detail.note_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.detail.result_label.text() != "" and not desk.detail.busy(),
                    timeout=15000)
    qtbot.wait(300)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    assert desk.window.grab().save(str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1600, 900)
