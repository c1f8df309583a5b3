"""The whole loop at the desk against the real backend: intake → acknowledge → dispatch → sign
→ on site → resolved → closed; a ticket sent back and re-dispatched; a late signature chased;
two seats racing on one event; a replayed dispatch applied once."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from console.commands import Command
from tests.gui.conftest import create_events
from views.event_queue_model import Column


def _select(qtbot, desk, event_id: str) -> None:
    qtbot.waitUntil(lambda: desk.queue.visible_row_of(event_id) is not None, timeout=15000)
    assert desk.queue.select_event(event_id)
    qtbot.waitUntil(lambda: desk.detail.event_id() == event_id, timeout=5000)


def _unit(backend, event_id: str, action: str, unit_id: str, note: str | None = None) -> dict:
    """A unit's report (the simulated units are off in the shared backend): as admin."""
    store_version = requests.get(f"{backend.url}/api/v1/events/{event_id}",
                                 headers=backend.headers("admin"), timeout=10).json()["version"]
    body = {"action": action, "expected_version": store_version, "unit_id": unit_id}
    if note:
        body["note"] = note
    answer = requests.post(f"{backend.url}/api/v1/events/{event_id}/actions", json=body,
                           headers={**backend.headers("admin"),
                                    "Idempotency-Key": str(uuid.uuid4())}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _status_is(qtbot, desk, event_id: str, status: str) -> None:
    qtbot.waitUntil(lambda: desk.app.store.get(event_id) is not None
                    and desk.app.store.get(event_id).status == status, timeout=15000)


def _dispatch_proposal(qtbot, desk, event_id: str) -> list[str]:
    desk.queue.select_event(event_id)
    qtbot.keyClick(desk.window, Qt.Key.Key_F2)
    dialog = desk.window.dispatch_dialog
    assert dialog is not None
    units = [unit for unit, _role in dialog.selected_units()]
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.window.dispatch_dialog is None, timeout=15000)
    return units


def test_the_whole_loop_from_the_desk(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    [event_id] = create_events(backend, 1, category="flood_typhoon", level=2)
    _select(qtbot, desk, event_id)
    qtbot.mouseClick(desk.detail.acknowledge_button, Qt.MouseButton.LeftButton)
    _status_is(qtbot, desk, event_id, "acknowledged")

    units = _dispatch_proposal(qtbot, desk, event_id)
    _status_is(qtbot, desk, event_id, "dispatched")
    lead = units[0]
    assert lead == "emergency"
    _unit(backend, event_id, "sign", lead)
    for assist in units[1:]:
        _unit(backend, event_id, "sign", assist)
    _status_is(qtbot, desk, event_id, "signed")
    qtbot.waitUntil(lambda: desk.detail.sign_clock.text() == "已签收 ✓", timeout=5000)
    _unit(backend, event_id, "arrive", lead)
    _status_is(qtbot, desk, event_id, "on_site")
    _unit(backend, event_id, "resolve", lead, note="积水已排除")
    _status_is(qtbot, desk, event_id, "resolved")
    qtbot.waitUntil(lambda: desk.detail.resolve_clock.text() == "已办结 ✓", timeout=5000)

    assert desk.detail.close_button.isEnabled()
    desk.detail.note_editor.setPlainText("现场复核完毕，结案")
    qtbot.mouseClick(desk.detail.close_button, Qt.MouseButton.LeftButton)
    _status_is(qtbot, desk, event_id, "closed")
    qtbot.waitUntil(lambda: desk.detail.result_label.text() == "已结案。", timeout=5000)
    event = desk.app.store.get(event_id)
    actions = [entry.action for entry in event.timeline]
    assert actions[:2] == ["report", "acknowledge"]
    assert actions[-3:] == ["arrive", "resolve", "close"]
    assert actions[2] == "dispatch" and actions.count("sign") == len(units)
    assert all(a.status == "done" for a in event.assignments)
    # The closed event leaves the open queue; "all events" shows it, with its history.
    qtbot.waitUntil(lambda: desk.queue.visible_row_of(event_id) is None, timeout=5000)
    desk.queue.status_filter.setCurrentIndex(desk.queue.status_filter.findData("all"))
    qtbot.waitUntil(lambda: desk.queue.visible_row_of(event_id) is not None, timeout=5000)
    row = desk.queue.visible_row_of(event_id)
    assert desk.queue.proxy.index(row, Column.STATUS).data() == "已结案"
    _select(qtbot, desk, event_id)
    texts = desk.detail.timeline_texts()
    assert any("积水已排除" in t for t in texts)
    assert "现场复核完毕，结案" in texts[-1] and "leader1" in texts[-1]


def test_a_ticket_sent_back_counts_a_bounce_and_is_dispatched_again(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    [event_id] = create_events(backend, 1, category="street_vendor", level=4)
    _select(qtbot, desk, event_id)
    units = _dispatch_proposal(qtbot, desk, event_id)
    _status_is(qtbot, desk, event_id, "dispatched")
    _unit(backend, event_id, "return", units[0], note="非本单位职责")
    _status_is(qtbot, desk, event_id, "returned")
    assert desk.app.store.get(event_id).bounces == 1
    row = desk.queue.visible_row_of(event_id)
    assert desk.queue.proxy.index(row, Column.STATUS).data() == "已退单 ↩1"
    qtbot.waitUntil(lambda: desk.detail.bounce_label.isVisible(), timeout=5000)
    assert desk.detail.bounce_label.text() == "退单 1 次"
    # The unit that sent it back is not proposed as lead again.
    again = _dispatch_proposal(qtbot, desk, event_id)
    assert again[0] != units[0]
    _status_is(qtbot, desk, event_id, "dispatched")


def test_a_late_signature_is_chased_from_the_prompt(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    [event_id] = create_events(backend, 1, category="iot_fire", level=2)
    _select(qtbot, desk, event_id)
    _dispatch_proposal(qtbot, desk, event_id)
    _status_is(qtbot, desk, event_id, "dispatched")
    event = desk.app.store.get(event_id)
    bar = desk.window.chase_bar
    assert bar.isHidden() and bar.late() == []
    # Look five minutes ahead instead of waiting for the 5-minute sign-for window.
    later = event.sla.sign_due + timedelta(seconds=30)
    bar.refresh(later)
    assert [late.event_id for late in bar.late()] == [event_id]
    assert not bar.isHidden()
    assert "超时" in bar.heading.text()
    urge = bar.findChild(QPushButton, "chaseUrge")
    assert not urge.isHidden() and not bar.findChild(QPushButton, "chaseRedispatch").isHidden()
    urge.click()
    qtbot.waitUntil(lambda: desk.app.store.get(event_id).timeline[-1].action == "urge",
                    timeout=15000)
    assert "请立即签收" in desk.app.store.get(event_id).timeline[-1].detail
    # Re-dispatch from the prompt opens the dialog on that event.
    bar.refresh(later + timedelta(seconds=1))
    bar.findChild(QPushButton, "chaseRedispatch").click()
    assert desk.window.dispatch_dialog is not None
    assert desk.window.dispatch_dialog.event_id == event_id
    desk.window.dispatch_dialog.reject()


def test_two_seats_race_exactly_one_wins_and_the_other_is_told(qtbot, backend, make_desk):
    first = make_desk("leader1")
    second = make_desk("admin")
    [event_id] = create_events(backend, 1)
    for desk in (first, second):
        _select(qtbot, desk, event_id)
    started = time.monotonic()
    first.detail.acknowledge_button.click()
    second.detail.acknowledge_button.click()
    done = ("已受理。", "未覆盖任何内容")

    def answered(desk) -> bool:
        return any(marker in desk.detail.result_label.text() for marker in done)

    qtbot.waitUntil(lambda: answered(first) and answered(second), timeout=15000)
    elapsed = time.monotonic() - started
    results = sorted(d.detail.result_label.text() for d in (first, second))
    wins = [r for r in results if r == "已受理。"]
    losses = [r for r in results if "未覆盖任何内容" in r]
    assert len(wins) == 1 and len(losses) == 1, results
    assert losses[0].startswith(("已由 leader1 处理", "已由 admin 处理"))
    assert elapsed < 2.0  # R3: the loser knows within 2 s
    event = requests.get(f"{backend.url}/api/v1/events/{event_id}",
                         headers=backend.headers("admin"), timeout=10).json()
    assert [e["action"] for e in event["timeline"]].count("acknowledge") == 1


def test_a_dispatch_sent_twice_after_a_lost_answer_is_applied_once(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    [event_id] = create_events(backend, 1, category="noise")
    _status_is(qtbot, desk, event_id, "new")
    command = Command.make(event_id, "dispatch", 1,
                           assignments=[{"unit_id": "ecology", "role": "lead"}])
    api = desk.app.api
    first = api.act(event_id, command.request, command.idempotency_key)
    again = api.act(event_id, command.request, command.idempotency_key)  # the answer was lost
    assert first.version == again.version == 2
    event = requests.get(f"{backend.url}/api/v1/events/{event_id}",
                         headers=backend.headers("admin"), timeout=10).json()
    assert event["version"] == 2
    assert [e["action"] for e in event["timeline"]].count("dispatch") == 1
    audit = requests.get(f"{backend.url}/api/v1/audit", params={"event_id": event_id},
                         headers=backend.headers("admin"), timeout=10).json()
    assert sorted(e["result"] for e in audit if e["action"] == "dispatch") == ["ok", "replayed"]
