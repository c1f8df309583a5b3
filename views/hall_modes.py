"""The hall's mode switch: normal (平时), emergency (战时), topic (专题) on every screen at once.

The rules are the core's (console/hall_modes.py); this controller only applies them to the
desk's views and the wall windows:

- the Mode menu (模式) on the desk's menu bar with three exclusive checkable actions
  (Ctrl+1 normal, Ctrl+2 emergency, Ctrl+3 topic) and F9 to cycle normal → emergency →
  topic; the shortcuts work on every window of the hall (application shortcuts);
- the walls' views and arrangement (`ScreenManager.set_layout`), or on a one-screen hall the
  desk's tab; the map's layers; the dashboard's groups (related indicators first); the
  video wall's preset; the alert sound ceiling;
- entering emergency mode asks for the event to follow (`FocusDialog`; cancel keeps the
  mode); the map rings it, the video wall shows its nearest cameras;
- the mode badge on the desk (the menu bar's corner, and a coloured band under it outside
  normal mode) and in the corner of every wall window;
- the hall file's schedule, checked every `SCHEDULE_MS`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu

from console.hall import MODES, HallLayout
from console.hall_modes import (
    ModeProfile,
    arrange,
    default_focus,
    due_switch,
    focus_candidates,
    next_mode,
    profile_for,
    related_indicators,
)
from console.schema import CST
from views.mode_focus_dialog import FocusDialog

log = logging.getLogger(__name__)

# The badge colour of each mode: calm blue, alarm red, violet.
MODE_COLOURS = {"normal": "#1f6feb", "emergency": "#c62828", "topic": "#7b1fa2"}
# At most this many related indicators stand first on the dashboard.
RELATED_SHOWN = 8
# How often the schedule is read.
SCHEDULE_MS = 20_000

# The desk's kind (DeskWindow.view_names) of a hall layout's view.
_DESK_VIEW = {"event_board": "events"}


class ModeController(QObject):
    """Switches the hall of `window` (a DeskWindow) between the modes.

    `attach(layout, screens)` gives it the hall layout (with the hall file's mode settings
    and schedule) and the ScreenManager of the walls (None on a one-screen hall).

    Signals:
      sig_mode_changed(mode, focus_event_id): a mode was applied.
    """

    sig_mode_changed = Signal(str, str)

    def __init__(self, window, *, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._store = window._bridge.store
        self._indicators = window._bridge.indicators
        self._clock = clock or (lambda: datetime.now(CST))
        self.layout: HallLayout | None = None
        self.screens = None
        self.mode = "normal"
        self.focus_id = ""
        self.profile: ModeProfile = profile_for("normal")
        self.focus_dialog: FocusDialog | None = None
        self._pending_start: tuple[str, str] | None = None
        # What of the focus could not be shown yet because its data had not loaded (the
        # cameras, the indicators): shown when they arrive.
        self._focus_waiting: set[str] = set()
        if self._indicators is not None:
            self._indicators.sig_loaded.connect(lambda: self._focus_data_loaded("dashboard"))
        cameras = getattr(window._bridge.session, "cameras", None)
        if cameras is not None:
            callback = cameras.sig_loaded.connect(lambda: self._focus_data_loaded("video"))
            self.destroyed.connect(lambda _o=None, sig=cameras.sig_loaded, cb=callback:
                                   sig.disconnect(cb))

        self.menu = QMenu(self.tr("&Mode"), window)
        self.menu.setObjectName("modeMenu")
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        for number, mode in enumerate(MODES, 1):
            action = QAction(mode_name(mode), self.group)
            action.setObjectName(f"mode_{mode}")
            action.setCheckable(True)
            action.setChecked(mode == self.mode)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.triggered.connect(lambda _checked=False, m=mode: self.request_mode(m))
            self.actions[mode] = action
            self.menu.addAction(action)
            window.addAction(action)
        self.menu.addSeparator()
        self.cycle_action = QAction(self.tr("Next mode"), self)
        self.cycle_action.setObjectName("modeCycle")
        self.cycle_action.setShortcut(QKeySequence(Qt.Key.Key_F9))
        self.cycle_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.cycle_action.triggered.connect(self.cycle)
        self.menu.addAction(self.cycle_action)
        window.addAction(self.cycle_action)
        self.refocus_action = QAction(self.tr("Change the focus event…"), self)
        self.refocus_action.setObjectName("modeRefocus")
        self.refocus_action.triggered.connect(lambda: self.request_mode("emergency", ask=True))
        self.menu.addAction(self.refocus_action)

        self.badge = QLabel(window)
        self.badge.setObjectName("modeBadge")
        self.band = QLabel(window)
        self.band.setObjectName("modeBand")
        self.band.setWordWrap(True)
        self.band.hide()

        self._schedule_timer = QTimer(self)
        self._schedule_timer.setInterval(SCHEDULE_MS)
        self._schedule_timer.timeout.connect(self.check_schedule)
        self._schedule_seen = self._clock()
        self._show_badges()

    # ---- Public API

    def attach(self, layout: HallLayout | None, screens=None) -> None:
        """The hall this desk runs: its layout (modes, schedule) and wall ScreenManager."""
        self.layout = layout
        self.screens = screens
        self.profile = profile_for(self.mode, layout)
        if layout is not None and layout.schedule:
            self._schedule_seen = self._clock()
            self._schedule_timer.start()
        self._show_badges(self._store.get(self.focus_id) if self.focus_id else None)

    def cycle(self) -> None:
        """F9: the next mode (normal → emergency → topic → normal)."""
        self.request_mode(next_mode(self.mode))

    def request_mode(self, mode: str, focus_id: str = "", *, ask: bool = False) -> bool:
        """Switch to `mode`. Emergency mode needs a focus: `focus_id`, else the operator is
        asked (the dialog is `focus_dialog`; cancelling keeps the mode as it was). Returns
        True when the mode was applied now."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        profile = profile_for(mode, self.layout)
        if profile.needs_focus and (ask or not focus_id or self._store.get(focus_id) is None):
            self._ask_focus(mode)
            self._check_actions()  # until the operator has chosen
            return False
        self.apply(mode, focus_id if profile.needs_focus else "")
        return True

    def open_in(self, mode: str, focus_id: str = "") -> None:
        """Open the hall in `mode` (`--profile`, `--focus`) once the events have loaded:
        emergency without a focus follows the newest open level-1 event, else asks."""
        if len(self._store) == 0:
            if self._pending_start is None:
                self._window._bridge.sig_reset.connect(self._start_pending)
            self._pending_start = (mode, focus_id)
            return
        if mode == "emergency" and (not focus_id or self._store.get(focus_id) is None):
            if focus_id:
                log.warning("--focus %s: no such event; choosing the focus", focus_id)
            chosen = default_focus(focus_candidates(self._store))
            focus_id = chosen.id if chosen is not None else ""
        self.request_mode(mode, focus_id)

    def apply(self, mode: str, focus_id: str = "") -> None:
        """Apply `mode` on every screen now (no questions asked)."""
        profile = profile_for(mode, self.layout)
        self.mode, self.profile, self.focus_id = mode, profile, focus_id
        window = self._window
        window.set_wall_focus(focus_id)
        focus = self._store.get(focus_id) if focus_id else None
        # The views and their arrangement.
        if self.layout is not None:
            arranged = arrange(self.layout, profile)
            if self.screens is not None:
                views = getattr(self.screens, "hall_views", None)
                self.screens.set_layout(arranged,
                                        views.release if views is not None else None)
            self._show_first_view(arranged.desk.views)
        else:
            self._show_first_view(list(profile.first_views))
        # The map, the dashboard, the video wall, the sound.
        window.operation_map.set_layers(profile.map_layers())
        if focus is not None:
            window.operation_map.show_event(focus.id)
        self._focus_waiting.clear()
        self._show_dashboard(focus)
        self._show_video(focus)
        window.alerts.set_sound_ceiling(profile.alert_sound_max_level)
        self._check_actions()
        self._show_badges(focus)
        log.info("hall mode: %s%s", mode, f" (focus {focus_id})" if focus_id else "")
        self.sig_mode_changed.emit(mode, focus_id)

    def check_schedule(self) -> str | None:
        """Switch as the schedule says for the time since the last check (the timer's work);
        returns the mode switched to, if any."""
        now = self._clock()
        since, self._schedule_seen = self._schedule_seen, now
        if self.layout is None:
            return None
        entry = due_switch(self.layout.schedule, since, now)
        if entry is None or entry.mode == self.mode:
            return None
        log.info("hall schedule: %s at %s", entry.mode, entry.at)
        self.open_in(entry.mode)
        return entry.mode

    def badge_text(self) -> str:
        return self.tr("Mode: %1").replace("%1", mode_name(self.mode))

    # ---- Internals

    def _show_dashboard(self, focus) -> None:
        dashboard = self._window.dashboard
        if dashboard is None:
            return
        first: list[str] = []
        if focus is not None and self._indicators is not None:
            indicators = self._indicators.board.indicators()
            if not indicators:
                self._focus_waiting.add("dashboard")
            first = related_indicators(focus, indicators, self._store.catalog)[:RELATED_SHOWN]
        groups = list(self.profile.indicator_groups) if self.profile.indicator_groups else None
        dashboard.set_groups(groups, first)

    def _show_video(self, focus) -> None:
        if self.profile.video_layout is None:
            return
        near = None
        if self.profile.video_follows_focus and focus is not None:
            near = (focus.location.lon, focus.location.lat)
        shown = self._window.video.wall.show_preset(self.profile.video_layout, near)
        if near is not None and not shown:
            self._focus_waiting.add("video")

    def _focus_data_loaded(self, what: str) -> None:
        """The cameras or indicators arrived: show what the focus was waiting for."""
        if what not in self._focus_waiting:
            return
        self._focus_waiting.discard(what)
        focus = self._store.get(self.focus_id) if self.focus_id else None
        if focus is None:
            return
        (self._show_dashboard if what == "dashboard" else self._show_video)(focus)

    def _start_pending(self) -> None:
        if self._pending_start is None or len(self._store) == 0:
            return
        mode, focus_id = self._pending_start
        self._pending_start = None
        try:
            self._window._bridge.sig_reset.disconnect(self._start_pending)
        except (RuntimeError, TypeError):
            pass
        self.open_in(mode, focus_id)

    def _ask_focus(self, mode: str) -> None:
        if self.focus_dialog is not None:
            self.focus_dialog.raise_()
            return
        candidates = focus_candidates(self._store)
        preselect = self._window.queue.selected_event_id() or self.focus_id
        dialog = FocusDialog(candidates, preselect, self._store.catalog, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.focus_dialog = dialog

        def finished(result: int) -> None:
            self.focus_dialog = None
            if result == FocusDialog.DialogCode.Accepted and dialog.chosen_id():
                self.apply(mode, dialog.chosen_id())
            else:
                self._check_actions()
            self._window.activateWindow()

        dialog.finished.connect(finished)
        dialog.open()

    def _check_actions(self) -> None:
        for mode, action in self.actions.items():
            action.setChecked(mode == self.mode)
        self.refocus_action.setEnabled(self.mode == "emergency")

    def _show_first_view(self, views: list[str]) -> None:
        """On the desk, show the first of `views` it holds (a one-screen hall's mode)."""
        held = self._window.view_names()
        for kind in views:
            kind = _DESK_VIEW.get(kind, kind)
            if kind in held:
                self._window.show_view(kind)
                return

    def _show_badges(self, focus=None) -> None:
        colour = MODE_COLOURS[self.mode]
        text = self.badge_text()
        self.badge.setText(text)
        self.badge.setStyleSheet(f"QLabel#modeBadge {{ background-color: {colour}; "
                                 "color: #ffffff; font-weight: 600; padding: 3px 14px; "
                                 "border-radius: 4px; margin: 2px 6px; }")
        self.badge.setToolTip(self.tr("F9: next mode · Ctrl+1 normal · Ctrl+2 emergency · "
                                      "Ctrl+3 topic"))
        if self.mode == "normal":
            self.band.hide()
        else:
            band = text
            if focus is not None:
                band += " · " + self.tr("Focus: %1").replace("%1", focus.title)
            self.band.setText(band)
            self.band.setStyleSheet(f"QLabel#modeBand {{ background-color: {colour}; "
                                    "color: #ffffff; font-weight: 600; padding: 4px 12px; }")
            self.band.show()
        wall_text = mode_name(self.mode)
        if focus is not None:
            wall_text += " · " + focus.title
        if self.screens is not None:
            self.screens.set_badge(wall_text, colour)


def mode_name(mode: str) -> str:
    """The translated name of a mode (平时 / 战时 / 专题)."""
    names = {"normal": QCoreApplication.translate("HallMode", "Normal"),
             "emergency": QCoreApplication.translate("HallMode", "Emergency"),
             "topic": QCoreApplication.translate("HallMode", "Topic")}
    return names.get(mode, mode)
