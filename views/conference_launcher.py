"""The desk's conferences: "Video conference" on the event panel opens the start dialog, or,
when the event already has an open conference, joins it; each conference gets one window, on
the desk's screen or on the wall screen chosen in the dialog.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from console.conference_link import ConferenceProvider
from console.schema import Conference
from views.conference_dialog import ConferenceDialog
from views.conference_window import ConferenceWindow
from views.hall_screens import screen_name

log = logging.getLogger("hall.conference")

#: A conference started by someone else is announced if it is at most this old (seconds)
#: when this desk first hears of it (not the open ones listed at sign-in).
ANNOUNCE_WITHIN_S = 120.0


class ConferenceLauncher(QObject):
    """Starts and joins conferences for one desk window (`host`).

    Signals: `sig_announce(text)`: someone else started a conference (for the status bar).
    """

    sig_announce = Signal(str)

    def __init__(self, host: QWidget, bridge, user, provider: ConferenceProvider | None = None,
                 lang: str = "zh_CN") -> None:
        super().__init__(host)
        self._host = host
        self._bridge = bridge
        self._user = user
        self.provider = provider or ConferenceProvider()
        self.lang = lang
        self.windows: dict[str, ConferenceWindow] = {}
        self.dialog: ConferenceDialog | None = None
        self._heard: set[str] = set()
        bridge.sig_conferences_changed.connect(self._conferences_changed)

    def open_conference_of(self, event_id: str) -> Conference | None:
        """The event's open conference (None: none known)."""
        board = getattr(self._bridge.session, "conferences", None)
        return board.open_for_event(event_id) if board is not None else None

    def can_start(self) -> bool:
        return self._user is not None and self._user.can("conference")

    def request(self, event_id: str) -> ConferenceDialog | ConferenceWindow | None:
        """Join the event's open conference, else (a shift leader) open the start dialog."""
        existing = self.open_conference_of(event_id)
        if existing is not None:
            return self.open_window(existing)
        if not self.can_start() or self._bridge.store.get(event_id) is None:
            return None
        if self.dialog is not None:
            self.dialog.raise_()
            return self.dialog
        dialog = ConferenceDialog(self._bridge, event_id, self.screen_choices(), self._host)
        dialog.sig_started.connect(
            lambda conference, key: self.open_window(conference, self.screen_for(key)))
        dialog.finished.connect(lambda _r: self._dialog_gone(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def screen_choices(self) -> list[tuple[str, str]]:
        """("label", screen name) for "Open on": the desk's screen first, then the others."""
        desk = self._host.screen()
        choices = [(self.tr("This desk (%1)").replace("%1", screen_name(desk)) if desk else
                    self.tr("This desk"), "")]
        for screen in QGuiApplication.screens():
            if screen is desk:
                continue
            size = screen.geometry()
            choices.append((self.tr("Screen %1 (%2×%3)").replace("%1", screen_name(screen))
                            .replace("%2", str(size.width())).replace("%3", str(size.height())),
                            screen_name(screen)))
        return choices

    def screen_for(self, key: str) -> QScreen | None:
        """The screen named `key` ("" or gone: the desk's)."""
        for screen in QGuiApplication.screens():
            if key and screen_name(screen) == key:
                return screen
        return self._host.screen()

    def open_window(self, conference: Conference,
                    screen: QScreen | None = None) -> ConferenceWindow:
        """The conference's window, made and shown on `screen` (default: the desk's) or, if
        it is open already, raised."""
        window = self.windows.get(conference.id)
        if window is not None:
            window.raise_()
            window.activateWindow()
            return window
        window = ConferenceWindow(self._bridge, conference, self.provider, self._user,
                                  lang=self.lang)
        window.sig_closed.connect(lambda cid: self.windows.pop(cid, None))
        self.windows[conference.id] = window
        window.open_on(screen or self._host.screen())
        log.info("conference %s opened on %s", conference.id,
                 screen_name(window.screen()) if window.screen() else "?")
        return window

    def shutdown(self) -> None:
        """Close every conference window (each leaves its room)."""
        for window in list(self.windows.values()):
            window.close()
        self.windows.clear()

    def _conferences_changed(self, ids) -> None:
        board = getattr(self._bridge.session, "conferences", None)
        if board is None:
            return
        for conference_id in ids:
            conference = board.get(conference_id)
            if conference is None or conference_id in self._heard:
                continue
            self._heard.add(conference_id)
            mine = self._user is not None and conference.created_by == self._user.id
            started = conference.created_at.timestamp() if conference.created_at else 0.0
            if mine or conference.status != "open" or time.time() - started > ANNOUNCE_WITHIN_S:
                continue
            self.sig_announce.emit(
                self.tr("%1 started the video conference %2 about %3: join it from the event "
                        "panel.").replace("%1", conference.created_by or "?")
                .replace("%2", conference.id).replace("%3", conference.event_id))

    def _dialog_gone(self, dialog: ConferenceDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
