"""The one-key dispatch dialog against the real backend: proposal, keyboard, roles, conflicts."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import requests
from PySide6.QtCore import Qt

from tests.gui.conftest import create_events
from views.event_queue_model import ClockBadgesRole, Column

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def _select(qtbot, desk, event_id: str) -> None:
    qtbot.waitUntil(lambda: desk.queue.visible_row_of(event_id) is not None, timeout=15000)
    assert desk.queue.select_event(event_id)
    qtbot.waitUntil(lambda: desk.detail.event_id() == event_id, timeout=5000)


def _rows(dialog) -> list[tuple[str, str, str, bool]]:
    """(unit name, role text, reason, included) for each row of the units table."""
    table = dialog.units
    return [(table.item(r, 1).text(), table.item(r, 2).text(), table.item(r, 3).text(),
             table.item(r, 0).checkState() == Qt.CheckState.Checked)
            for r in range(table.rowCount())]


def _backend_event(backend, event_id: str) -> dict:
    answer = requests.get(f"{backend.url}/api/v1/events/{event_id}",
                          headers=backend.headers("admin"), timeout=10)
    answer.raise_for_status()
    return answer.json()


def _act(backend, user: str, event_id: str, body: dict) -> requests.Response:
    return requests.post(f"{backend.url}/api/v1/events/{event_id}/actions", json=body,
                         headers={**backend.headers(user), "Idempotency-Key": str(uuid.uuid4())},
                         timeout=10)


def test_f2_proposes_units_with_reasons_and_ctrl_enter_dispatches(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    [event_id] = create_events(backend, 1, category="gas_safety", level=2)
    _select(qtbot, desk, event_id)
    qtbot.keyClick(desk.window, Qt.Key.Key_F2)
    dialog = desk.window.dispatch_dialog
    assert dialog is not None and dialog.isVisible()
    rows = _rows(dialog)
    # The category's lead, its assisting units, the street's office, the nearest free team.
    assert rows[0][:2] == ("区应急局", "牵头") and "燃气安全" in rows[0][2]
    names = [name for name, *_ in rows]
    assert "燃气抢修队" in names and "公安梁溪分局" in names
    street = next(r for r in rows if r[0].endswith("街道办事处"))
    assert "事发" in street[2]
    nearest = [r for r in rows if "最近" in r[2]]
    assert len(nearest) == 1 and "km" in nearest[0][2]
    assert all(included for *_, included in rows)
    instructions = dialog.instructions.toPlainText()
    assert instructions and "{" not in instructions  # a filled-in template
    store_event = desk.app.store.get(event_id)
    assert abs(dialog.due.dateTime().toSecsSinceEpoch()
               - store_event.sla.resolve_due.timestamp()) < 60
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "dispatch.png"))

    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.window.dispatch_dialog is None, timeout=15000)
    event = _backend_event(backend, event_id)
    assert event["status"] == "dispatched"
    lead = [a for a in event["assignments"] if a["role"] == "lead"]
    assert [a["unit_id"] for a in lead] == ["emergency"]
    assert len(event["assignments"]) == len(rows)
    assert event["timeline"][-1]["actor"] == "leader1"
    qtbot.waitUntil(lambda: desk.detail.status_value.text() == "已派单", timeout=15000)


def test_the_dialog_is_usable_from_the_keyboard(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    [event_id] = create_events(backend, 1, category="noise", level=4)
    _select(qtbot, desk, event_id)
    dialog = desk.window.open_dispatch()
    assert dialog.units.hasFocus() or dialog.units.isAncestorOf(dialog.focusWidget())
    rows = _rows(dialog)
    assert rows[0][0] == "梁溪生态环境局"
    # Down to the second unit, make it lead (L); down again and leave the third out (Space).
    qtbot.keyClick(dialog.units, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.units, Qt.Key.Key_L)
    qtbot.keyClick(dialog.units, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.units, Qt.Key.Key_Space)
    rows = _rows(dialog)
    assert [r[1] for r in rows[:2]] == ["协办", "牵头"] and rows[2][3] is False
    second, third = rows[1][0], rows[2][0]
    # Tab on to the instructions and replace them.
    dialog.instructions.setFocus()
    dialog.instructions.selectAll()
    qtbot.keyClicks(dialog.instructions, "Check the noise tonight")
    qtbot.keyClick(dialog.instructions, Qt.Key.Key_Tab)
    assert dialog.due.hasFocus() or dialog.due.isAncestorOf(dialog.focusWidget())
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.window.dispatch_dialog is None, timeout=15000)
    event = _backend_event(backend, event_id)
    units = {u.id: u.name for u in desk.app.store.catalog.units}
    by_name = {units[a["unit_id"]]: a for a in event["assignments"]}
    assert by_name[second]["role"] == "lead" and third not in by_name
    assert all(a["instructions"] == "Check the noise tonight" for a in event["assignments"])


def test_a_duty_officer_is_not_offered_dispatch_and_the_backend_refuses(qtbot, backend,
                                                                        make_desk):
    desk = make_desk("duty1")
    [event_id] = create_events(backend, 1)
    _select(qtbot, desk, event_id)
    assert desk.detail.dispatch_button.isHidden()
    qtbot.keyClick(desk.window, Qt.Key.Key_F2)
    assert desk.window.dispatch_dialog is None
    assert desk.window.status.currentMessage() == "只有值班长可以派单。"
    # Asked anyway, the backend refuses and audits the refusal (R9).
    answer = _act(backend, "duty1", event_id, {
        "action": "dispatch", "expected_version": 1,
        "assignments": [{"unit_id": "city_mgmt", "role": "lead"}]})
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden"
    audit = requests.get(f"{backend.url}/api/v1/audit", params={"event_id": event_id},
                         headers=backend.headers("admin"), timeout=10).json()
    assert any(e["actor"] == "duty1" and e["action"] == "dispatch" and e["result"] == "forbidden"
               for e in audit)
    assert _backend_event(backend, event_id)["status"] == "new"


def test_a_conflict_while_deciding_is_shown_and_nothing_is_overwritten(qtbot, backend,
                                                                        make_desk):
    desk = make_desk("leader1")
    [event_id] = create_events(backend, 1, category="sanitation", level=4)
    _select(qtbot, desk, event_id)
    dialog = desk.window.open_dispatch()
    # Another seat dispatches first (to another unit).
    answer = _act(backend, "admin", event_id, {
        "action": "dispatch", "expected_version": 1,
        "assignments": [{"unit_id": "team_ops_2", "role": "lead"}]})
    assert answer.status_code == 200
    qtbot.waitUntil(lambda: dialog.latest_button.isVisible(), timeout=15000)
    assert "admin" in dialog.message.text()
    # Sent anyway with the version the leader saw: refused, the dialog stays open.
    dialog.confirm()
    qtbot.waitUntil(lambda: "未覆盖" in dialog.message.text(), timeout=15000)
    assert dialog.isVisible()
    assert dialog.message.text().startswith("已由 admin 处理")
    event = _backend_event(backend, event_id)
    assert [a["unit_id"] for a in event["assignments"]] == ["team_ops_2"]
    # The leader decides again on the latest state: a re-dispatch replaces the assignment.
    assert dialog.latest_button.isEnabled()
    dialog.latest_button.click()
    dialog.confirm()
    qtbot.waitUntil(lambda: desk.window.dispatch_dialog is None, timeout=15000)
    event = _backend_event(backend, event_id)
    assert [a["unit_id"] for a in event["assignments"] if a["role"] == "lead"] == ["city_mgmt"]


def test_the_queue_shows_both_clocks(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    [event_id] = create_events(backend, 1, category="iot_fire", level=2)
    qtbot.waitUntil(lambda: desk.queue.visible_row_of(event_id) is not None, timeout=15000)
    # The clock as of ten seconds after the report: inside the 5-minute sign-for window.
    desk.queue.model.tick_sla(desk.app.store.get(event_id).reported_at + timedelta(seconds=10))
    row = desk.queue.visible_row_of(event_id)
    badges = desk.queue.proxy.index(row, Column.SLA).data(ClockBadgesRole)
    assert [text.split(" ")[0] for text, _tone in badges] == ["签收", "办结"]
    assert badges[0][1] == "soon"  # a 5-minute sign-for window is "due soon" at once
    _select(qtbot, desk, event_id)
    assert desk.detail.sign_clock.text().startswith("签收 ")
    assert desk.detail.resolve_clock.text().startswith("办结 ")
