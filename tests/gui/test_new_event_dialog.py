"""The new-event dialog (人工录入) against the real backend: address list, coordinates,
validation, keyboard, failures that keep the text, and a retry that creates the event once."""

from __future__ import annotations

import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from console.api import NetworkError
from tests.gui.conftest import ARTIFACTS
from views.new_event_dialog import NewEventDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def _open(qtbot, desk, **options) -> NewEventDialog:
    """Open the dialog the way the desk does: created events are selected in the queue."""
    dialog = NewEventDialog(desk.app.bridge, desk.app.store.catalog, desk.window, **options)
    created: list[str] = []
    dialog.sig_created.connect(created.append)
    dialog.sig_created.connect(desk.queue.select_event)
    dialog.created = created
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    return dialog


def _choose(combo, code: str) -> None:
    index = combo.findData(code, Qt.ItemDataRole.UserRole + 1)
    assert index >= 0, code
    combo.setCurrentIndex(index)


def _backend_events(backend) -> list[dict]:
    answer = requests.get(f"{backend.url}/api/v1/events", params={"limit": 1000},
                          headers=backend.headers("admin"), timeout=10)
    answer.raise_for_status()
    page = answer.json()
    items = page["items"]
    while page.get("next_cursor"):
        answer = requests.get(f"{backend.url}/api/v1/events",
                              params={"limit": 1000, "cursor": page["next_cursor"]},
                              headers=backend.headers("admin"), timeout=10)
        page = answer.json()
        items += page["items"]
    return items


def test_create_from_the_address_list(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    dialog = _open(qtbot, desk)
    assert dialog.title_edit.hasFocus()
    dialog.title_edit.insert("中山路燃气管道疑似泄漏")  # Chinese arrives from the input method
    _choose(dialog.category_combo, "gas_safety")
    assert dialog.level_combo.currentData() == 2  # the category's default level
    dialog.address_edit.setFocus()
    dialog.address_edit.insert("崇安寺")
    popup = dialog.address_completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.address_edit.text() == "崇安寺街道"
    assert dialog.place() is not None and dialog.street_id() == "chonganshi"
    assert "120.303500, 31.580000" in dialog.place_label.text()
    dialog.description_edit.setFocus()
    dialog.description_edit.insertPlainText("居民反映楼道内有燃气味")
    dialog.reporter_name_edit.insert("王女士")
    dialog.reporter_phone_edit.setText("13812345678")
    qtbot.keyClick(dialog.description_edit, Qt.Key.Key_Return, CTRL)

    qtbot.waitUntil(lambda: bool(dialog.created), timeout=15000)
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Accepted
    [event_id] = dialog.created
    event = desk.app.store.get(event_id)  # in the store at once, before the live echo
    assert event is not None
    assert (event.title, event.category, event.level, event.source, event.status) == (
        "中山路燃气管道疑似泄漏", "gas_safety", 2, "manual", "new")
    assert (event.location.street_id, event.location.address) == ("chonganshi", "崇安寺街道")
    assert (event.location.lon, event.location.lat) == (120.3035, 31.58)
    assert event.reporter.name == "王女士" and "12345678" not in event.reporter.phone_masked
    assert desk.queue.selected_event_id() == event_id
    qtbot.waitUntil(lambda: desk.detail.event_id() == event_id, timeout=5000)


def test_create_from_coordinates_files_it_under_the_nearest_street(qtbot, backend, make_desk):
    desk = make_desk("duty1")
    dialog = _open(qtbot, desk)
    qtbot.keyClicks(dialog.title_edit, "Road collapse near Guangyi")
    _choose(dialog.category_combo, "site_safety")
    dialog.coordinates_radio.setFocus()
    qtbot.keyClick(dialog.coordinates_radio, Qt.Key.Key_Space)
    assert dialog.mode() == dialog.MODE_COORDINATES
    assert dialog.lon_spin.decimals() == 6
    # The range is the district's box widened by 0.1°: far-away values are refused.
    assert dialog.lon_spin.minimum() < 120.27 - 0.09 and dialog.lon_spin.maximum() < 120.45
    for spin, value in ((dialog.lon_spin, "120.337912"), (dialog.lat_spin, "31.584321")):
        spin.setFocus()
        spin.selectAll()
        qtbot.keyClicks(spin, value)
        qtbot.keyClick(spin, Qt.Key.Key_Tab)
    assert dialog.street_id() == "guangyi"
    assert "广益街道" in dialog.street_label.text()
    qtbot.keyClicks(dialog.place_note_edit, "Guangyi Road 18")
    qtbot.keyClick(dialog.place_note_edit, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: bool(dialog.created), timeout=15000)
    event = desk.app.store.get(dialog.created[0])
    assert event.location.street_id == "guangyi"
    assert (event.location.lon, event.location.lat) == (120.337912, 31.584321)
    assert event.location.address == "Guangyi Road 18"
    assert event.level == 3  # site_safety's default


def test_validation_refuses_with_inline_messages(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    before = len(desk.app.store)
    dialog = _open(qtbot, desk)
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return, CTRL)
    assert not dialog.busy()
    assert dialog.title_error.isVisible() and dialog.title_error.text()
    assert dialog.category_error.isVisible() and dialog.location_error.isVisible()
    assert dialog.title_edit.hasFocus()  # the first field to fix
    qtbot.keyClicks(dialog.title_edit, "Fallen tree")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return, CTRL)
    assert not dialog.title_error.isVisible()
    assert dialog.category_error.isVisible() and dialog.category_combo.hasFocus()
    _choose(dialog.category_combo, "sanitation")
    qtbot.keyClicks(dialog.address_edit, "nowhere street")
    dialog.reporter_phone_edit.setText("call me")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return, CTRL)
    assert dialog.location_error.isVisible() and dialog.phone_error.isVisible()
    assert not dialog.category_error.isVisible()
    assert dialog.isVisible() and not dialog.busy()
    qtbot.wait(200)
    assert len(desk.app.store) == before  # nothing was sent


def test_level_follows_the_category_until_the_user_picks_one(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    dialog = _open(qtbot, desk)
    combo = dialog.category_combo
    # Group headings (the parent categories) cannot be chosen.
    heading = combo.model().item(0)
    assert heading.text() == "安全" and not heading.isEnabled()
    _choose(combo, "flood_typhoon")
    assert dialog.level_combo.currentData() == 2
    _choose(combo, "noise")
    assert dialog.level_combo.currentData() == 4
    dialog.level_combo.setFocus()
    qtbot.keyClick(dialog.level_combo, Qt.Key.Key_Up)  # the user picks 3 from the keyboard
    assert dialog.level_combo.currentData() == 3
    _choose(combo, "iot_fire")
    assert dialog.level_combo.currentData() == 3  # kept: the user chose it


def test_the_tab_order_follows_the_form(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    dialog = _open(qtbot, desk)
    seen = [QApplication.focusWidget()]
    for _ in range(9):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    names = [w.objectName() for w in seen]
    assert names == ["newEventTitle", "newEventCategory", "newEventLevel",
                     "locationFromAddress", "newEventAddress", "newEventDescription",
                     "newEventReporterName", "newEventReporterPhone", "createEventButton",
                     "cancelButton"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_failure_keeps_the_dialog_open_with_the_text(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    dialog = _open(qtbot, desk)
    qtbot.keyClicks(dialog.title_edit, "Manhole cover missing")
    _choose(dialog.category_combo, "sanitation")
    dialog.address_edit.insert("通江街道")
    dialog.description_edit.setPlainText("On the east pavement")
    api = desk.app.api
    real_url = api.base_url
    api.base_url = "http://127.0.0.1:9"  # the backend cannot be reached
    try:
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return, CTRL)
        assert dialog.busy() and not dialog.title_edit.isEnabled()  # locked while it runs
        dialog.reject()  # Esc while the answer is on its way does not close it
        assert dialog.isVisible()
        qtbot.waitUntil(lambda: not dialog.busy(), timeout=15000)
    finally:
        api.base_url = real_url
    assert dialog.isVisible() and dialog.created == []
    assert dialog.result_label.isVisible() and dialog.result_label.property("state") == "error"
    assert dialog.title_edit.isEnabled() and dialog.title_edit.text() == "Manhole cover missing"
    assert dialog.description_edit.toPlainText() == "On the east pavement"
    assert dialog.address_edit.text() == "通江街道"
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: bool(dialog.created), timeout=15000)
    assert desk.app.store.get(dialog.created[0]).title == "Manhole cover missing"


def test_a_retry_after_a_lost_answer_creates_the_event_once(qtbot, backend, make_desk,
                                                            monkeypatch):
    desk = make_desk("leader1")
    api = desk.app.api
    real_create = api.create_event
    calls: list[str] = []

    def lose_the_first_answer(request, key):
        calls.append(key)
        event = real_create(request, key)  # the backend commits …
        if len(calls) == 1:
            raise NetworkError(0, "network", "POST /events failed: ConnectionError")  # … lost
        return event

    monkeypatch.setattr(api, "create_event", lose_the_first_answer)
    dialog = _open(qtbot, desk)
    title = "Lost answer test 失联重试"
    dialog.title_edit.setText(title)
    _choose(dialog.category_combo, "public_help")
    dialog.address_edit.insert("扬名街道")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: len(calls) == 1 and not dialog.busy(), timeout=15000)
    assert dialog.isVisible() and dialog.result_label.property("state") == "error"
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: bool(dialog.created), timeout=15000)
    assert calls[0] == calls[1]  # the same command, with the key it was made with
    assert [e["id"] for e in _backend_events(backend) if e["title"] == title] == dialog.created
    audit = requests.get(f"{backend.url}/api/v1/audit", params={"actor": "leader1"},
                         headers=backend.headers("admin"), timeout=10).json()
    assert [a["result"] for a in audit if a["idempotency_key"] == calls[0]] == ["ok", "replayed"]


def test_prefilled_from_an_indicator(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    dialog = _open(qtbot, desk, source="indicator")
    dialog.prefill(title="Crowd above alarm at Nanchan Temple", category="crowd_warning",
                   level=1, lon=120.306, lat=31.569, address="南禅寺步行街",
                   description="Indicator crowd_nanchansi: 41,000 (alarm 40,000)")
    assert dialog.mode() == dialog.MODE_COORDINATES
    assert dialog.street_id() == "nanchansi"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(ARTIFACTS / "new_event_dialog_indicator.png"))
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: bool(dialog.created), timeout=15000)
    event = desk.app.store.get(dialog.created[0])
    assert (event.source, event.level, event.category) == ("indicator", 1, "crowd_warning")


def test_screenshot_of_the_dialog(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    dialog = _open(qtbot, desk)
    dialog.title_edit.insert("中山路燃气管道疑似泄漏")
    _choose(dialog.category_combo, "gas_safety")
    dialog.address_edit.insert("崇安寺街道")
    dialog.description_edit.insertPlainText("居民反映楼道内有燃气味，请尽快核实。")
    dialog.reporter_name_edit.insert("王女士")
    dialog.reporter_phone_edit.setText("138 1234 567x")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return, CTRL)  # the phone is refused
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(ARTIFACTS / "new_event_dialog.png"))
    dialog.reject()
