"""Alerts for new level-1/level-2 events on a desk against the real backend: banner, row flash,
sound (decided; the test machine has no audio output), mute and policy, focus left alone."""

from __future__ import annotations

import uuid
import wave

import requests
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import ARTIFACTS, create_events, sign_in
from views.alert_presenter import TONES, AlertPresenter
from views.desk_app import DeskApp
from views.event_queue_model import Column, FlashRole
from views.new_event_dialog import NewEventDialog
from widgets.tone_player import TonePlayer


def _attach(desk, settings: QSettings | None = None) -> AlertPresenter:
    """Wire a presenter into the desk the way DeskWindow is to: the banner above the queue,
    "Show" selecting the event."""
    presenter = AlertPresenter(desk.app.bridge, desk.window, desk.queue.model, settings,
                               user=desk.dialog.user)
    desk.queue.layout().insertWidget(0, presenter.banner)
    presenter.sig_show_event.connect(desk.queue.select_event)
    return presenter


def _settings(tmp_path, **values) -> QSettings:
    settings = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    for key, value in values.items():
        settings.setValue(f"alerts/{key}", value)
    return settings


def _wait_for_row(qtbot, desk, event_id: str) -> None:
    qtbot.waitUntil(lambda: desk.queue.visible_row_of(event_id) is not None, timeout=15000)


def _row_index(desk, event_id: str, column: int = Column.TITLE):
    return desk.queue.proxy.index(desk.queue.visible_row_of(event_id), column)


def test_a_new_level1_event_shows_the_banner_flashes_its_row_and_sounds(qtbot, backend,
                                                                        make_desk):
    desk = make_desk("duty1")
    presenter = _attach(desk)
    flash_changes: list[int] = []
    desk.queue.proxy.dataChanged.connect(
        lambda _tl, _br, roles=(): FlashRole in roles and flash_changes.append(1))
    [event_id] = create_events(backend, 1, level=1)
    qtbot.waitUntil(lambda: presenter.banner.key() == event_id, timeout=15000)
    banner = presenter.banner
    assert banner.isVisible() and banner.pulsing()
    assert banner.badge.text() == "特别重大"
    assert banner.color().name() == "#d32f2f"  # the catalog's level-1 colour
    event = desk.app.store.get(event_id)
    assert banner.title.full_text() == event.title
    assert "·" in banner.detail.text()  # street · time
    assert presenter.sounds_played == [1]
    assert presenter.attention_requests == 1
    _wait_for_row(qtbot, desk, event_id)
    index = _row_index(desk, event_id)
    assert index.data(FlashRole) is True
    # The row's background alternates: strong level colour, then the usual tint.
    backgrounds = set()
    qtbot.waitUntil(lambda: backgrounds.add(index.data(Qt.ItemDataRole.BackgroundRole).name())
                    or len(backgrounds) >= 2, timeout=3000)
    assert flash_changes  # the table was told to repaint the flashing rows
    assert presenter.flashing() == {event_id}


def test_a_level4_event_does_not_alert(qtbot, backend, make_desk):
    desk = make_desk("duty1")
    presenter = _attach(desk)
    [event_id] = create_events(backend, 1, level=4)
    _wait_for_row(qtbot, desk, event_id)
    qtbot.wait(200)
    assert not presenter.banner.isVisible()
    assert presenter.sounds_played == [] and presenter.attention_requests == 0
    assert _row_index(desk, event_id).data(FlashRole) is False


def test_a_burst_sounds_once_and_flashes_only_the_newest_rows(qtbot, backend, make_desk):
    desk = make_desk("duty1")
    presenter = _attach(desk)
    presenter.FLASH_LIMIT = 3
    presenter.tracker.TONE_GAP_SECONDS = 30  # however slow the machine, one burst
    ids = []
    for _ in range(3):  # three batches in quick succession
        ids += create_events(backend, 2, level=2)
    qtbot.waitUntil(lambda: len(presenter.tracker) == 6, timeout=15000)
    assert presenter.sounds_played == [2]
    assert presenter.flashing() == set(ids[-3:])
    assert presenter.banner.key() == ids[-1]


def test_muted_shows_the_banner_without_sound_and_is_kept(qtbot, backend, make_desk, tmp_path):
    desk = make_desk("duty1")
    settings = _settings(tmp_path)
    presenter = _attach(desk, settings)
    assert not presenter.mute_action.isChecked()
    presenter.mute_action.trigger()
    assert presenter.tracker.policy.muted
    [event_id] = create_events(backend, 1, level=2)
    qtbot.waitUntil(lambda: presenter.banner.key() == event_id, timeout=15000)
    assert presenter.sounds_played == []
    assert presenter.flashing() == {event_id}
    settings.sync()
    again = AlertPresenter(desk.app.bridge, desk.window, desk.queue.model,
                           _settings(tmp_path))
    assert again.mute_action.isChecked() and again.tracker.policy.muted


def test_the_policy_menu_chooses_levels_and_is_kept(qtbot, backend, make_desk, tmp_path):
    desk = make_desk("duty1")
    settings = _settings(tmp_path)
    presenter = _attach(desk, settings)
    menu = presenter.policy_menu(desk.window)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert len(texts) == 4 and presenter.policy_actions["level1_2"].isChecked()
    presenter.policy_actions["level1"].trigger()
    assert settings.value("alerts/levels") == "level1"
    level2, level1 = create_events(backend, 1, level=2) + create_events(backend, 1, level=1)
    qtbot.waitUntil(lambda: presenter.banner.key() == level1, timeout=15000)
    assert not presenter.tracker.is_alerting(level2) and presenter.sounds_played == [1]
    presenter.policy_actions["off"].trigger()
    assert not presenter.banner.isVisible()  # no alerts: the open one ends too
    [quiet] = create_events(backend, 1, level=1)
    _wait_for_row(qtbot, desk, quiet)
    assert not presenter.banner.isVisible() and presenter.sounds_played == [1]


def test_the_initial_load_does_not_alert(qtbot, backend, memory_keyring, language):
    loaded = create_events(backend, 3, level=1)
    api, _auth, dialog, invoker = sign_in(qtbot, backend, "duty1")
    app = None
    try:
        qtbot.waitUntil(lambda: dialog.user is not None, timeout=15000)
        dialog.wait_for_workers()
        app = DeskApp(api, _auth, dialog.user, invoker)
        presenter = AlertPresenter(app.bridge, app.window, app.window.queue.model, None,
                                   user=dialog.user)
        app.start()  # the presenter follows the store from before the first load
        qtbot.waitUntil(lambda: app.window.status.connection_state == "live", timeout=20000)
        assert all(app.store.get(i) is not None for i in loaded)
        qtbot.wait(200)
        assert len(presenter.tracker) == 0 and presenter.sounds_played == []
        [live] = create_events(backend, 1, level=1)
        qtbot.waitUntil(lambda: presenter.banner.key() == live, timeout=15000)
    finally:
        if app is not None:
            app.shutdown()
        api.close()
        QCoreApplication.processEvents()


def test_acknowledging_stops_the_repeated_sound(qtbot, backend, make_desk, tmp_path):
    desk = make_desk("duty1")
    presenter = _attach(desk, _settings(tmp_path, repeat_seconds=0.4, repeat_limit=20))
    [event_id] = create_events(backend, 1, level=1)
    qtbot.waitUntil(lambda: len(presenter.sounds_played) >= 3, timeout=15000)  # it repeats
    assert set(presenter.sounds_played) == {1}
    desk.detail.show_event(event_id)
    qtbot.waitUntil(desk.detail.acknowledge_button.isEnabled, timeout=5000)
    qtbot.mouseClick(desk.detail.acknowledge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not presenter.tracker.is_alerting(event_id), timeout=15000)
    assert not presenter.banner.isVisible() and presenter.flashing() == set()
    played = len(presenter.sounds_played)
    qtbot.wait(1200)
    assert len(presenter.sounds_played) == played


def test_show_selects_the_event_and_dismiss_ends_the_alert(qtbot, backend, make_desk):
    desk = make_desk("duty1")
    presenter = _attach(desk)
    first, second = create_events(backend, 2, level=2)
    qtbot.waitUntil(lambda: len(presenter.tracker) == 2, timeout=15000)
    banner = presenter.banner
    assert banner.key() == second and "1" in banner.waiting.text()
    _wait_for_row(qtbot, desk, second)
    qtbot.mouseClick(banner.show_button, Qt.MouseButton.LeftButton)
    assert desk.queue.selected_event_id() == second
    assert banner.key() == first and not banner.waiting.isVisible()
    qtbot.mouseClick(banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible() and len(presenter.tracker) == 0


def test_an_escalation_to_level1_alerts_once(qtbot, backend, make_desk):
    desk = make_desk("duty1")
    presenter = _attach(desk)
    [event_id] = create_events(backend, 1, level=3)
    _wait_for_row(qtbot, desk, event_id)
    assert presenter.sounds_played == []
    answer = requests.post(
        f"{backend.url}/api/v1/events/{event_id}/actions",
        json={"action": "escalate", "expected_version": 1, "level": 1},
        headers={**backend.headers("leader1"), "Idempotency-Key": str(uuid.uuid4())},
        timeout=10)
    assert answer.status_code == 200, answer.text
    qtbot.waitUntil(lambda: presenter.banner.key() == event_id, timeout=15000)
    assert presenter.sounds_played == [1]
    assert presenter.banner.title.full_text().endswith(desk.app.store.get(event_id).title)
    assert presenter.tracker.active()[0].reason == "escalated"


def test_focus_stays_in_an_open_dialog_while_alerts_arrive(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    presenter = _attach(desk)
    dialog = NewEventDialog(desk.app.bridge, desk.app.store.catalog, desk.window)
    dialog.open()  # window-modal, like the dispatch dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    dialog.title_edit.setFocus()
    qtbot.keyClicks(dialog.title_edit, "Dispatch note for")
    ids = create_events(backend, 2, level=1) + create_events(backend, 1, level=2)
    qtbot.waitUntil(lambda: len(presenter.tracker) == 3, timeout=15000)
    qtbot.wait(300)  # the banner pulses and rows flash meanwhile
    assert presenter.banner.isVisible() and presenter.banner.key() == ids[-1]
    assert presenter.attention_requests >= 1
    assert QApplication.activeWindow() is dialog
    assert QApplication.focusWidget() is dialog.title_edit
    qtbot.keyClicks(QApplication.focusWidget(), " the gas leak")
    assert dialog.title_edit.text() == "Dispatch note for the gas leak"
    dialog.reject()


def test_screenshot_of_the_banner(qtbot, backend, make_desk):
    desk = make_desk("duty1")
    presenter = _attach(desk)
    desk.window.resize(1600, 900)
    create_events(backend, 2, level=2)
    [newest] = create_events(backend, 1, level=1)
    qtbot.waitUntil(lambda: presenter.banner.key() == newest, timeout=15000)
    _wait_for_row(qtbot, desk, newest)
    qtbot.wait(350)  # mid-pulse
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert presenter.banner.grab().save(str(ARTIFACTS / "alert_banner.png"))
    assert desk.window.grab().save(str(ARTIFACTS / "alert_desk.png"))


def test_the_tones_are_ours_and_fail_quietly_without_audio(qapp, caplog):
    for name, path in TONES.items():
        with wave.open(str(path)) as tone:
            seconds = tone.getnframes() / tone.getframerate()
            assert (tone.getnchannels(), tone.getsampwidth()) == (1, 2) and 0.3 < seconds < 1.0, name
    player = TonePlayer(TONES)
    if player.available():
        return  # a machine with sound: nothing to fail
    caplog.set_level("WARNING", logger="widgets.tone_player")
    assert player.play("level1") is False and player.play("level2") is False
    assert len([r for r in caplog.records if r.name == "widgets.tone_player"]) == 1  # once
