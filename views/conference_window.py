"""The conference window: the call, and beside it what the conference is about.

Left, the conference page (the backend's room, or the hall's own conference system) in a
`ConferencePage`, which grants camera and microphone to the conference origin only. Right,
the event's summary, its place on a small map, the nearest cameras live, who was invited and
who joined and left (live, from `conference.updated`), a link to invite someone without the
console, and, for a shift leader, "End the conference".
"""

from __future__ import annotations

import html
import logging
from datetime import datetime

import orjson
from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.api import ApiError, NetworkError
from console.conference_link import ConferenceProvider
from console.schema import CST, Conference, Event
from views.conference_dialog import level_text
from views.conference_page import ConferencePage, conference_profile
from views.event_locator_map import EventLocatorMap
from views.formatting import format_time
from views.labels import status_name
from views.styling import set_style_property, show_state
from views.video_wall import VideoWall

log = logging.getLogger("hall.conference")

#: Cameras beside the call: the nearest online ones within this radius.
CAMERA_RADIUS_M = 1000.0
CAMERA_TILES = 4
ROOM_POLL_MS = 2000
_profile = None


def shared_profile():
    """The one conference profile (off the record), made on first use; it lives as long as
    the application, so every page made on it goes first."""
    global _profile
    if _profile is None:
        _profile = conference_profile(QCoreApplication.instance())
    return _profile


class ConferenceWindow(QMainWindow):
    """One conference, with its event; see the module's doc.

    Signals: `sig_closed(conference_id)` as the window closes (the page has left the room).
    """

    sig_closed = Signal(str)

    def __init__(self, bridge, conference: Conference, provider: ConferenceProvider, user, *,
                 lang: str = "zh_CN", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("ConferenceWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._bridge = bridge
        self._store = bridge.store
        self._session = bridge.session
        self._user = user
        self.conference = conference
        self.provider = provider
        self.room_state: dict = {}
        self.refusals: list[tuple[str, str]] = []
        self._ending = False
        self._closed = False
        api = getattr(self._session, "api", None)
        self.allowed_origin = provider.allowed_origin(api.base_url if api else "")
        self.join_url = provider.join_url(conference, name=self._seat_name(user), lang=lang)

        self.web = QWebEngineView(self)
        self.web.setObjectName("conferenceWeb")
        self.page = ConferencePage(shared_profile(), self.allowed_origin, self.web)
        self.page.sig_permission.connect(self._permission)
        self.web.setPage(self.page)

        side = QWidget(self)
        side.setObjectName("conferenceSide")
        self.header = QLabel(side)
        self.header.setObjectName("conferenceHeader")
        self.header.setWordWrap(True)
        self.state_label = QLabel(side)
        self.state_label.setObjectName("conferenceState")
        self.summary = QLabel(side)
        self.summary.setObjectName("conferenceEvent")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.locator = EventLocatorMap(api, getattr(self._session, "cache", None), side)
        self.locator.setMinimumHeight(180)
        self.cameras = VideoWall(getattr(self._session, "cameras", None),
                                 api.auth_headers if api else None, state_path="", parent=side)
        self.cameras.setObjectName("conferenceCameras")
        self.cameras.toolbar.setVisible(False)
        self.cameras.setMinimumHeight(240)
        self.participants = QTreeWidget(side)
        self.participants.setObjectName("conferenceParticipants")
        self.participants.setRootIsDecorated(False)
        self.participants.setHeaderLabels(
            [self.tr("Participant"), self.tr("State"), self.tr("Joined"), self.tr("Left")])
        self.participants.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.participants.setMinimumHeight(150)
        self.copy_button = QPushButton(self.tr("Copy the invitation link"), side)
        self.copy_button.setObjectName("conferenceCopyLink")
        self.copy_button.setToolTip(self.tr("For a participant without the console: the link "
                                            "opens the conference in a browser"))
        self.copy_button.clicked.connect(self.copy_link)
        self.end_button = QPushButton(self.tr("End the conference"), side)
        self.end_button.setObjectName("conferenceEndButton")
        self.end_button.clicked.connect(lambda: self.end_conference())
        self.end_button.setVisible(user is not None and user.can("conference"))
        self.message = QLabel(side)
        self.message.setObjectName("commandResult")
        self.message.setWordWrap(True)

        def title(text: str) -> QLabel:
            label = QLabel(text, side)
            label.setObjectName("sectionTitle")
            return label

        column = QVBoxLayout(side)
        column.setContentsMargins(8, 8, 8, 8)
        column.addWidget(self.header)
        column.addWidget(self.state_label)
        column.addWidget(title(self.tr("Participants")))
        column.addWidget(self.participants, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.end_button)
        column.addLayout(buttons)
        column.addWidget(self.message)
        column.addWidget(title(self.tr("Event")))
        column.addWidget(self.summary)
        column.addWidget(self.locator, 2)
        column.addWidget(title(self.tr("Cameras nearby")))
        column.addWidget(self.cameras, 3)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(side)
        scroll.setMinimumWidth(380)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.web)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)
        self.resize(1440, 860)
        self._balanced = False

        bridge.sig_conferences_changed.connect(self._conferences_changed)
        bridge.sig_rows_updated.connect(self._rows_updated)
        bridge.sig_catalog.connect(self._catalog_changed)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._show_state)
        self._tick.start()
        self._room_timer = QTimer(self, interval=ROOM_POLL_MS)
        self._room_timer.timeout.connect(self._poll_room)
        self._room_timer.start()

        self._show_event(place_cameras=True)
        self._show_conference()
        self.web.load(QUrl(self.join_url))
        log.info("conference %s: opening %s (camera and microphone for %s only)",
                 conference.id, self.join_url.split("?", 1)[0],
                 self.allowed_origin)

    # ---- Public API

    @property
    def conference_id(self) -> str:
        return self.conference.id

    def open_on(self, screen: QScreen | None) -> None:
        """Show the window maximised on `screen` (None: where it is)."""
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.availableGeometry())
        self.showMaximized()
        self.raise_()
        self.activateWindow()

    def balance(self) -> None:
        """The call takes about 70 % of the width, the side column the rest (420–640 px)."""
        total = max(self.splitter.width(), self.width())
        side = max(420, min(640, int(total * 0.3)))
        self.splitter.setSizes([max(1, total - side), side])

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self._balanced:  # once: afterwards the user's own split stays
            self._balanced = True
            self.balance()

    def participant_rows(self) -> list[tuple[str, str, str, str]]:
        """The participants as shown (name, state, joined, left), for tests and copying."""
        return [tuple(self.participants.topLevelItem(i).text(c) for c in range(4))
                for i in range(self.participants.topLevelItemCount())]

    def copy_link(self) -> str:
        """Put the invitation link on the clipboard (a link without the seat's name)."""
        link = self.conference.join_url if self.provider.kind == "backend" else self.join_url
        QGuiApplication.clipboard().setText(link)
        self._say(self.tr("Invitation link copied."), "ok")
        return link

    def end_conference(self, confirm: bool = True) -> bool:
        """End the conference for everyone (after a confirmation); False if not sent."""
        if self._ending or self.conference.status != "open":
            return False
        if confirm and QMessageBox.question(
                self, self.tr("End the conference"),
                self.tr("End %1 for every participant?").replace("%1", self.conference.id)
        ) != QMessageBox.StandardButton.Yes:
            return False
        self._ending = True
        self.end_button.setEnabled(False)
        self._say(self.tr("Ending the conference…"), "busy")
        self._session.end_conference(self.conference.id, self._ended)
        return True

    # ---- Internals

    def _seat_name(self, user) -> str:
        name = getattr(user, "name", "") or getattr(user, "id", "") or self.tr("Operations hall")
        return self.tr("%1 (operations hall)").replace("%1", name)[:64]

    def _ended(self, result) -> None:
        self._ending = False
        if isinstance(result, Conference):
            self._say(self.tr("The conference has ended."), "ok")
            self._apply(result)
            return
        self.end_button.setEnabled(True)
        if isinstance(result, NetworkError):
            text = self.tr("The backend cannot be reached: the conference goes on. Try again.")
        elif isinstance(result, ApiError):
            text = self.tr("The backend refused: %1").replace("%1", result.message)
        else:
            text = str(result)
        self._say(text, "error")

    def _conferences_changed(self, ids) -> None:
        if self.conference.id in ids:
            board = getattr(self._session, "conferences", None)
            current = board.get(self.conference.id) if board is not None else None
            if current is not None:
                self._apply(current)

    def _apply(self, conference: Conference) -> None:
        self.conference = conference
        self._show_conference()

    def _rows_updated(self, rows) -> None:
        row = self._store.row_of(self.conference.event_id)
        if row is not None and row in set(rows):
            self._show_event()

    def _catalog_changed(self, _catalog) -> None:
        self._show_event()

    def _event(self) -> Event | None:
        return self._store.get(self.conference.event_id)

    def _show_event(self, place_cameras: bool = False) -> None:
        event = self._event()
        if event is None:
            self.summary.setText(self.conference.event_id)
            return
        catalog = self._store.catalog
        units = {u.id: u.name for u in catalog.units} if catalog else {}
        categories = {c.code: c.name for c in catalog.categories} if catalog else {}
        assigned = "、".join(units.get(a.unit_id, a.unit_id) for a in event.assignments) or "—"
        description = event.description if len(event.description) <= 160 else \
            event.description[:159] + "…"
        reported = self.tr("Reported %1").replace("%1", format_time(event.reported_at))
        units_text = self.tr("Units: %1").replace("%1", _escape(assigned))
        self.summary.setText(
            f"<b>{_escape(event.title)}</b><br>"
            f"{event.id} · {level_text(catalog, event.level)} · {status_name(event.status)} · "
            f"{_escape(categories.get(event.category, event.category))}<br>"
            f"{_escape(event.location.address or '')}<br>"
            f"{reported} · {units_text}<br>"
            f"<span style='color:#9da7b3'>{_escape(description)}</span>")
        if place_cameras:
            loc = event.location
            self.locator.show_place(loc.lon, loc.lat, event.level, event.id)
            shown = self.cameras.show_event_cameras(loc.lon, loc.lat, CAMERA_RADIUS_M,
                                                    limit=CAMERA_TILES)
            self.cameras.set_layout("4" if len(shown) > 1 else "1")

    def _show_conference(self) -> None:
        conference = self.conference
        self.setWindowTitle(self.tr("Video conference %1 — %2").replace("%1", conference.id)
                            .replace("%2", conference.title))
        self.header.setText(f"<b>{_escape(conference.title)}</b><br>{conference.id}")
        self.end_button.setEnabled(conference.status == "open" and not self._ending)
        self.participants.clear()
        for p in conference.participants:
            if p.present:
                state = self.tr("In the conference")
            elif p.joined_at is not None:
                state = self.tr("Left")
            else:
                state = self.tr("Invited, not joined") if p.invited else self.tr("Not joined")
            name = p.name or p.unit_id or "?"
            if not p.invited:
                name += self.tr(" (from the link)")
            item = QTreeWidgetItem([name, state, format_time(p.joined_at), format_time(p.left_at)])
            item.setData(0, Qt.ItemDataRole.UserRole, p.unit_id)
            self.participants.addTopLevelItem(item)
        self._show_state()

    def _show_state(self) -> None:
        conference = self.conference
        present = sum(1 for p in conference.participants if p.present)
        if conference.status == "ended":
            text = self.tr("Ended %1").replace("%1", format_time(conference.ended_at))
            tone = "muted"
        else:
            started = conference.created_at or datetime.now(CST)
            seconds = max(0, int((datetime.now(CST) - started).total_seconds()))
            text = self.tr("In progress %1 · %2 connected").replace(
                "%1", f"{seconds // 60:02d}:{seconds % 60:02d}").replace("%2", str(present))
            tone = "live"
        remote = [p for p in self.room_state.get("peers", [])
                  if (p.get("frames_decoded") or 0) > 0]
        if self.room_state.get("joined"):
            text += " · " + self.tr("receiving video from %1").replace("%1", str(len(remote)))
        self.state_label.setText(text)
        set_style_property(self.state_label, "tone", tone)

    def _poll_room(self) -> None:
        if self._closed:
            return
        self.page.runJavaScript(
            "window.hallRoom ? JSON.stringify(window.hallRoom.state()) : ''", 0, self._room)

    def _room(self, text) -> None:
        if self._closed or not text:
            return
        try:
            state = orjson.loads(text)
        except orjson.JSONDecodeError:
            return
        if isinstance(state, dict):
            self.room_state = state

    def _permission(self, origin: str, what: str, granted: bool) -> None:
        if granted:
            return
        self.refusals.append((origin, what))
        what_text = {"camera": self.tr("the camera"), "microphone": self.tr("the microphone"),
                     "camera+microphone": self.tr("the camera and microphone")}.get(what, what)
        self._say(self.tr("Refused %1 to %2: only the conference origin %3 may use them.")
                  .replace("%1", what_text).replace("%2", origin or "?")
                  .replace("%3", self.allowed_origin), "error")

    def _say(self, text: str, state: str) -> None:
        show_state(self.message, text, state)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self._closed:
            self._closed = True
            self._tick.stop()
            self._room_timer.stop()
            self.cameras.shutdown()
            self.locator.shutdown()
            # Leaving the page closes its signalling socket: the backend records the leave.
            self.page.setUrl(QUrl("about:blank"))
            self.sig_closed.emit(self.conference.id)
        super().closeEvent(event)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
