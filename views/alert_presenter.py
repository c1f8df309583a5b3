"""Alerts for new level-1/level-2 events: banner, row flash, sound and taskbar attention.

The decisions (which event alerts, when an alert ends, when a sound is due) are the core's
`console.alerts.AlertTracker`; this presenter only shows them. It never activates or raises a
window and never moves the keyboard focus: a leader typing a dispatch keeps typing.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from console.alerts import LEVEL_CHOICES, AlertChange, AlertPolicy, AlertTracker
from console.schema import CST
from views.app_setup import RESOURCES
from views.formatting import format_time
from widgets.alert_banner import AlertBanner
from widgets.tone_player import TonePlayer

log = logging.getLogger(__name__)

SOUNDS = RESOURCES / "sounds"
#: The tone of each alert sound (levels above 2 alert only with a hand-edited policy).
TONES = {"level1": SOUNDS / "alert_level1.wav", "level2": SOUNDS / "alert_level2.wav"}

_FALLBACK_COLORS = {1: "#d32f2f", 2: "#f57c00", 3: "#fbc02d", 4: "#1976d2"}


class AlertPresenter(QObject):
    """Shows the alerts of `AlertTracker` for one desk.

    - `banner`: an `AlertBanner` for the desk to place above the queue (newest alert first,
      "Show" and "Dismiss", a count of the others; it pulses when an alert is raised);
    - the alerting rows of `model` (an `EventQueueModel`) flash for `FLASH_SECONDS`;
    - a tone per alert batch (sharp for level 1, softer for level 2) unless muted, repeated
      while a level-1 event stays unacknowledged (see `AlertPolicy`); `sounds_played` lists
      every tone decided, whether or not an audio output exists;
    - `QApplication.alert(window)`: the taskbar entry flashes, the window is not activated;
    - `mute_action` and `policy_menu(parent)` for a menu or toolbar; both are kept in
      `settings` (a QSettings, or None to keep nothing).

    The store's change signals must reach it synchronously (through the bridge, on the GUI
    thread): the tracker reads `EventStore.applying_live` while they are emitted.

    Signals:
      sig_show_event(event_id): the user asked to see an alerting event ("Show").
      sig_sound(level): the tone of `level` was due (also when no audio output exists).
    """

    sig_show_event = Signal(str)
    sig_sound = Signal(int)

    #: How long an alerting row flashes, and how long each on/off phase lasts.
    FLASH_SECONDS = 10.0
    FLASH_PHASE_MS = 500
    #: At most this many rows flash at once (the newest alerts): a burst stays readable.
    FLASH_LIMIT = 50
    #: How many glows the banner makes when an alert is raised (about 0.7 s each).
    PULSES = 6

    def __init__(self, bridge, window: QWidget, model, settings: QSettings | None = None, *,
                 user=None, sounds: TonePlayer | None = None, parent: QObject | None = None
                 ) -> None:
        super().__init__(parent or window)
        self._store = bridge.store
        self._window = window
        self._model = model
        self._settings = settings
        self.tracker = AlertTracker(bridge.store, self._load_policy(),
                                    own_actor=user.id if user is not None else None)
        self.banner = AlertBanner(window)
        self.banner.sig_show_event.connect(self._show)
        self.banner.sig_dismiss.connect(self._dismiss)
        self.sounds = sounds if sounds is not None else TonePlayer(TONES, parent=self)
        #: Every tone the presenter decided to play, by level (muted ones are not decided).
        self.sounds_played: list[int] = []
        #: How often the window asked the desktop for attention.
        self.attention_requests = 0
        #: Tones sound for levels 1..this only (None: every level the policy alerts on);
        #: set by the hall's mode (see `set_sound_ceiling`). `sounds_held`: tones it held back.
        self.sound_ceiling: int | None = None
        self.sounds_held: list[int] = []

        self._flash_until: dict[str, float] = {}
        self._flash_on = False
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(self.FLASH_PHASE_MS)
        self._flash_timer.timeout.connect(self._flash_step)
        self._repeat_timer = QTimer(self)
        self._repeat_timer.timeout.connect(self._tick)

        self.mute_action = QAction(self.tr("Mute alert sounds"), self)
        self.mute_action.setObjectName("muteAlertsAction")
        self.mute_action.setCheckable(True)
        self.mute_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.mute_action.setChecked(self.tracker.policy.muted)
        self.mute_action.toggled.connect(self._mute_toggled)
        self.policy_group = QActionGroup(self)
        self.policy_group.setExclusive(True)
        self.policy_actions: dict[str, QAction] = {}
        for choice, text in (("level1_2", self.tr("Alert on levels 1 and 2")),
                             ("level1", self.tr("Alert on level 1 only")),
                             ("off", self.tr("No alerts"))):
            action = QAction(text, self.policy_group)
            action.setObjectName(f"alertPolicy_{choice}")
            action.setCheckable(True)
            action.setData(choice)
            action.setChecked(choice == self.tracker.policy.choice)
            self.policy_actions[choice] = action
        self.policy_group.triggered.connect(self._policy_chosen)
        self._set_repeat_interval()

        bridge.sig_rows_inserted.connect(self._rows_inserted)
        bridge.sig_rows_updated.connect(self._rows_updated)
        bridge.sig_reset.connect(self._reset)
        bridge.sig_catalog.connect(self._catalog)

    # ---- Public API

    def policy_menu(self, parent: QWidget | None = None) -> QMenu:
        """A menu with the mute toggle and the level choices (the same actions each time)."""
        menu = QMenu(self.tr("Alerts"), parent)
        menu.setObjectName("alertsMenu")
        menu.addAction(self.mute_action)
        menu.addSeparator()
        for action in self.policy_actions.values():
            menu.addAction(action)
        return menu

    def set_policy(self, policy: AlertPolicy) -> None:
        """Use `policy` from now on, show it in the actions and keep it in the settings."""
        self._apply(self.tracker.set_policy(policy))
        self.mute_action.blockSignals(True)
        self.mute_action.setChecked(policy.muted)
        self.mute_action.blockSignals(False)
        for choice, action in self.policy_actions.items():
            action.setChecked(choice == policy.choice)
        self._set_repeat_interval()
        self._save_policy(policy)

    def set_sound_ceiling(self, level: int | None) -> None:
        """The hall mode's sound policy: tones only for levels 1..`level` (0: none; None: as
        the policy says). The banner and the row flash still show every alert; the user's
        own policy (menu, settings) is unchanged."""
        self.sound_ceiling = level

    def dismiss_all(self) -> None:
        """End every alert (the events are unchanged)."""
        self._apply(self.tracker.dismiss_all())

    def flashing(self) -> set[str]:
        """The ids of the events whose rows flash now."""
        return set(self._flash_until)

    # ---- Following the store

    def _rows_inserted(self, first: int, count: int) -> None:
        self._apply(self.tracker.on_inserted(first, count))

    def _rows_updated(self, rows) -> None:
        self._apply(self.tracker.on_updated(rows))

    def _reset(self) -> None:
        self._apply(self.tracker.on_reset())

    def _catalog(self, _catalog) -> None:
        self._show_newest(pulse=False)  # level names and colours may have changed

    def _tick(self) -> None:
        self._apply(self.tracker.tick())

    def _apply(self, change: AlertChange) -> None:
        if not change:
            return
        now = time.monotonic()
        for event_id in change.ended:
            self._flash_until.pop(event_id, None)
        for alert in change.raised:
            self._flash_until.pop(alert.event_id, None)
            self._flash_until[alert.event_id] = now + self.FLASH_SECONDS
        for event_id in list(self._flash_until)[:-self.FLASH_LIMIT]:  # the oldest go first
            del self._flash_until[event_id]
        if change.raised or change.ended:
            self._model.set_flashing(self._flash_until.keys())
            if change.raised:
                self._set_flash_phase(True)
            if self._flash_until and not self._flash_timer.isActive():
                self._flash_timer.start()
            self._show_newest(pulse=bool(change.raised))
        if change.sound is not None:
            self._play(change.sound)
        if change.raised:
            self._request_attention()
        if len(self.tracker) and not self._repeat_timer.isActive():
            self._repeat_timer.start()
        elif not len(self.tracker):
            self._repeat_timer.stop()

    # ---- Banner

    def _show_newest(self, pulse: bool) -> None:
        active = self.tracker.active()
        event = None
        while active and event is None:
            event = self._store.get(active[0].event_id)
            if event is None:
                active.pop(0)
        if event is None:
            self.banner.clear()
            return
        alert = active[0]
        catalog = self._store.catalog
        levels = {lv.level: lv for lv in catalog.levels} if catalog else {}
        streets = {s.id: s.name for s in catalog.streets} if catalog else {}
        level = levels.get(event.level)
        badge = level.name if level is not None else str(event.level)
        color = level.color if level is not None else _FALLBACK_COLORS.get(event.level, "#8b949e")
        title = event.title
        if alert.reason == "escalated":
            title = self.tr("Escalated: %1").replace("%1", event.title)
        street = event.location.street_id or ""
        moment = event.updated_at if alert.reason == "escalated" else event.reported_at
        detail = " · ".join(p for p in (streets.get(street, street),
                                         format_time(moment, datetime.now(CST))) if p)
        self.banner.set_item(event.id, color, badge, title, detail, waiting=len(active) - 1)
        if pulse:
            self.banner.pulse(self.PULSES)

    def _show(self, event_id: str) -> None:
        self._apply(self.tracker.dismiss(event_id))
        self.sig_show_event.emit(event_id)

    def _dismiss(self, event_id: str) -> None:
        self._apply(self.tracker.dismiss(event_id))

    # ---- Row flash

    def _flash_step(self) -> None:
        now = time.monotonic()
        expired = [event_id for event_id, until in self._flash_until.items() if until <= now]
        for event_id in expired:
            del self._flash_until[event_id]
        if expired:
            self._model.set_flashing(self._flash_until.keys())
        if not self._flash_until:
            self._flash_timer.stop()
            self._set_flash_phase(False)
            return
        self._set_flash_phase(not self._flash_on)

    def _set_flash_phase(self, on: bool) -> None:
        self._flash_on = on
        self._model.set_flash_phase(on)

    # ---- Sound and attention

    def _play(self, level: int) -> None:
        if self.sound_ceiling is not None and level > self.sound_ceiling:
            self.sounds_held.append(level)
            return
        self.sounds_played.append(level)
        self.sig_sound.emit(level)
        self.sounds.play("level1" if level == 1 else "level2")

    def _request_attention(self) -> None:
        # Flashes the taskbar entry until the window is activated; never activates it.
        self.attention_requests += 1
        QApplication.alert(self._window.window(), 0)

    def _set_repeat_interval(self) -> None:
        self._repeat_timer.setInterval(
            max(50, min(1000, round(self.tracker.policy.repeat_seconds * 250))))

    # ---- Settings

    def _mute_toggled(self, muted: bool) -> None:
        self.set_policy(replace(self.tracker.policy, muted=muted))

    def _policy_chosen(self, action: QAction) -> None:
        self.set_policy(self.tracker.policy.with_choice(action.data()))

    def _load_policy(self) -> AlertPolicy:
        policy = AlertPolicy()
        settings = self._settings
        if settings is None:
            return policy
        choice = str(settings.value("alerts/levels", policy.choice))
        muted = settings.value("alerts/muted", policy.muted, bool)
        try:
            repeat = float(settings.value("alerts/repeat_seconds", policy.repeat_seconds))
            limit = int(settings.value("alerts/repeat_limit", policy.repeat_limit))
            return AlertPolicy(LEVEL_CHOICES.get(choice, policy.max_level), bool(muted),
                               repeat, limit)
        except (TypeError, ValueError):
            log.warning("alert settings are malformed; using the defaults")
            return replace(policy, muted=bool(muted))

    def _save_policy(self, policy: AlertPolicy) -> None:
        if self._settings is None:
            return
        self._settings.setValue("alerts/levels", policy.choice)
        self._settings.setValue("alerts/muted", policy.muted)

