"""The desk window against the real backend: live rows, selection, anchoring, actions, roles."""

from __future__ import annotations

import uuid

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from console.flow import allowed_actions
from tests.gui.conftest import create_events
from views.event_queue_model import Column, EventIdRole


def _click_row(qtbot, desk, event_id: str) -> None:
    """Click the row of `event_id` in the table like a user would."""
    table = desk.queue.table
    row = desk.queue.visible_row_of(event_id)
    assert row is not None
    table.scrollTo(desk.queue.proxy.index(row, 0))
    rect = table.visualRect(desk.queue.proxy.index(row, Column.TITLE))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert desk.queue.selected_event_id() == event_id


def _cell(desk, event_id: str, column: int) -> str:
    """The DisplayRole of `column` in the visible (proxy) row of `event_id`."""
    row = desk.queue.visible_row_of(event_id)
    assert row is not None
    return desk.queue.proxy.index(row, column).data(Qt.ItemDataRole.DisplayRole)


def _wait_for_rows(qtbot, desk, ids: list[str]) -> None:
    qtbot.waitUntil(lambda: all(desk.queue.visible_row_of(i) is not None for i in ids),
                    timeout=15000)


def test_rows_arrive_live(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    before = desk.queue.proxy.rowCount()
    inserts, resets = [], []
    desk.queue.model.rowsInserted.connect(lambda _p, first, last: inserts.append(last - first + 1))
    desk.queue.model.modelReset.connect(lambda: resets.append(1))
    ids = create_events(backend, 7)
    qtbot.waitUntil(lambda: desk.queue.proxy.rowCount() >= before + 7, timeout=15000)
    _wait_for_rows(qtbot, desk, ids)
    assert sum(inserts) >= 7 and resets == []  # inserted in batches, never a reset
    first = ids[0]
    assert _cell(desk, first, Column.STATUS) == "新事件"
    assert _cell(desk, first, Column.SLA).startswith("签收 ")
    assert _cell(desk, first, Column.CATEGORY)  # a name from the catalog
    assert not _cell(desk, first, Column.CATEGORY).isascii()


def test_selection_kept_while_rows_arrive(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    ids = create_events(backend, 3)
    _wait_for_rows(qtbot, desk, ids)
    _click_row(qtbot, desk, ids[1])
    qtbot.waitUntil(lambda: desk.detail.event_id() == ids[1], timeout=5000)
    more = create_events(backend, 12)
    _wait_for_rows(qtbot, desk, more)
    assert desk.queue.selected_event_id() == ids[1]
    selected = desk.queue.table.selectionModel().selectedRows()
    assert [i.data(EventIdRole) for i in selected] == [ids[1]]
    assert desk.detail.event_id() == ids[1]


def test_top_visible_row_stays_anchored_when_scrolled_away(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    desk.window.resize(1600, 900)
    ids = create_events(backend, 60)
    _wait_for_rows(qtbot, desk, ids)
    table = desk.queue.table
    table.verticalScrollBar().setValue(20)
    qtbot.wait(50)
    top_id = table.top_visible_index().data(EventIdRole)
    assert top_id
    more = create_events(backend, 8)  # newest first: these go above the anchored row
    _wait_for_rows(qtbot, desk, more)
    qtbot.wait(50)
    assert table.top_visible_index().data(EventIdRole) == top_id
    # At the very top the newest rows simply appear.
    table.verticalScrollBar().setValue(0)
    newest = create_events(backend, 2)
    _wait_for_rows(qtbot, desk, newest)
    assert table.verticalScrollBar().value() == 0


def test_acknowledge_from_the_detail_panel(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    [event_id] = create_events(backend, 1)
    _wait_for_rows(qtbot, desk, [event_id])
    _click_row(qtbot, desk, event_id)
    qtbot.waitUntil(lambda: desk.detail.status_value.text() == "新事件", timeout=5000)
    assert desk.detail.acknowledge_button.isEnabled()
    qtbot.mouseClick(desk.detail.acknowledge_button, Qt.MouseButton.LeftButton)
    assert not desk.detail.acknowledge_button.isEnabled()  # disabled while the command runs
    qtbot.waitUntil(lambda: _cell(desk, event_id, Column.STATUS) == "已受理", timeout=15000)
    qtbot.waitUntil(lambda: desk.detail.status_value.text() == "已受理", timeout=5000)
    qtbot.waitUntil(lambda: desk.detail.result_label.text() == "已受理。", timeout=5000)
    assert desk.queue.selected_event_id() == event_id
    assert not desk.detail.acknowledge_button.isEnabled()  # nothing left to acknowledge


def test_conflict_names_who_handled_it(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    [event_id] = create_events(backend, 1)
    _wait_for_rows(qtbot, desk, [event_id])
    _click_row(qtbot, desk, event_id)
    version = desk.app.store.get(event_id).version
    # Another seat acknowledges first. This call blocks the GUI thread, so the live update
    # cannot reach the store before our click: the click goes out with the stale version.
    token = backend.login("duty1")
    answer = requests.post(
        f"{backend.url}/api/v1/events/{event_id}/actions",
        json={"action": "acknowledge", "expected_version": version},
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "test-other-seat"},
        timeout=10,
    )
    assert answer.status_code == 200
    desk.detail.acknowledge_button.click()
    qtbot.waitUntil(lambda: "duty1" in desk.detail.result_label.text(), timeout=15000)
    assert desk.detail.result_label.text() == (
        "已由 duty1 处理：事件当前状态为“已受理”。未覆盖任何内容。"
    )
    qtbot.waitUntil(lambda: _cell(desk, event_id, Column.STATUS) == "已受理", timeout=15000)


def test_add_note_shows_in_the_timeline(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    [event_id] = create_events(backend, 1)
    _wait_for_rows(qtbot, desk, [event_id])
    _click_row(qtbot, desk, event_id)
    note = "已电话联系反映人，现场核实中"
    assert not desk.detail.note_button.isEnabled()
    # Chinese text arrives through the input method as a committed string, not as key presses.
    desk.detail.note_editor.setFocus()
    desk.detail.note_editor.insertPlainText(note)
    qtbot.keyClicks(desk.detail.note_editor, " OK")
    note += " OK"
    assert desk.detail.note_button.isEnabled()
    qtbot.mouseClick(desk.detail.note_button, Qt.MouseButton.LeftButton)
    assert not desk.detail.note_editor.isEnabled()
    qtbot.waitUntil(lambda: any(note in row for row in desk.detail.timeline_texts()),
                    timeout=15000)
    qtbot.waitUntil(lambda: desk.detail.result_label.text() == "备注已添加。", timeout=5000)
    assert desk.detail.note_editor.toPlainText() == ""
    assert any("备注" in row and "leader1" in row for row in desk.detail.timeline_texts())


def _act_as_admin(backend, event_id: str, action: str) -> None:
    answer = requests.post(
        f"{backend.url}/api/v1/events/{event_id}/actions",
        json={"action": action, "expected_version": 1},
        headers={**backend.headers("admin"), "Idempotency-Key": str(uuid.uuid4())},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("username", ["duty1", "leader1"])
def test_actions_follow_the_status_flow_for_each_role(qtbot, backend, make_desk, username):
    """Acknowledge is offered only where the shared flow rules allow it, whatever the role;
    roles decide what else is allowed (reopening a closed event is for leaders)."""
    desk = make_desk(username)
    user = desk.dialog.user
    leader = username == "leader1"
    for name in ("dispatchOpenButton", "escalateButton", "closeEventButton", "reopenButton"):
        assert desk.detail.findChild(QWidget, name).isHidden() == (not leader), name
    new_id, acknowledged_id, closed_id = create_events(backend, 3)
    _act_as_admin(backend, acknowledged_id, "acknowledge")
    _act_as_admin(backend, closed_id, "close")
    store = desk.app.store
    qtbot.waitUntil(lambda: (store.get(acknowledged_id) is not None
                             and store.get(acknowledged_id).status == "acknowledged"
                             and store.get(closed_id) is not None
                             and store.get(closed_id).status == "closed"), timeout=15000)

    _click_row(qtbot, desk, new_id)
    assert allowed_actions(store.get(new_id), user) >= {"acknowledge", "note"}
    assert desk.detail.acknowledge_button.isVisible()
    assert desk.detail.acknowledge_button.isEnabled()
    assert desk.detail.note_editor.isEnabled()

    _click_row(qtbot, desk, acknowledged_id)
    assert "acknowledge" not in allowed_actions(store.get(acknowledged_id), user)
    assert desk.detail.acknowledge_button.isVisible()
    assert not desk.detail.acknowledge_button.isEnabled()
    assert desk.detail.note_editor.isEnabled()

    desk.detail.show_event(closed_id)
    closed = allowed_actions(store.get(closed_id), user)
    assert not desk.detail.acknowledge_button.isEnabled()
    assert "note" in closed and "acknowledge" not in closed
    assert ("reopen" in closed) is (username == "leader1")


def test_status_bar_shows_live_seq_and_user(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    ids = create_events(backend, 2)
    _wait_for_rows(qtbot, desk, ids)
    status = desk.status
    assert status.connection.state_text() == "实时"
    assert status.connection.state_color().name() == "#3fb950"
    seq = desk.app.store.last_seq
    qtbot.waitUntil(lambda: status.seq_label.text() == f"序号 {desk.app.store.last_seq}",
                    timeout=5000)
    assert seq > 0
    assert status.count_label.text() == f"{len(desk.app.store)} 个事件"
    assert "值班长" in status.user_label.text()


def test_filter_by_text_and_status(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    ids = create_events(backend, 3)
    _wait_for_rows(qtbot, desk, ids)
    desk.queue.search.setText(ids[0])
    qtbot.waitUntil(lambda: desk.queue.proxy.rowCount() == 1, timeout=5000)
    assert desk.queue.proxy.index(0, 0).data(EventIdRole) == ids[0]
    desk.queue.search.clear()
    qtbot.waitUntil(lambda: desk.queue.proxy.rowCount() > 1, timeout=5000)
    desk.queue.status_filter.setCurrentIndex(desk.queue.status_filter.findData("new"))
    assert desk.queue.proxy.rowCount() >= 3
    assert {desk.queue.proxy.index(r, Column.STATUS).data()
            for r in range(desk.queue.proxy.rowCount())} == {"新事件"}
    desk.queue.status_filter.setCurrentIndex(desk.queue.status_filter.findData("closed"))
    assert desk.queue.visible_row_of(ids[0]) is None
