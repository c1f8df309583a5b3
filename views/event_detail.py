"""The event detail panel: every field of one event, its timeline merged with the audit log,
and the actions the user may take on it (acknowledge, note).

Which actions the event's status and the user's roles allow is the shared flow rule
`console.flow.allowed_actions`; the backend has the last word (403/422)."""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.clocks import event_clocks, unsigned_units
from console.flow import allowed_actions
from console.schema import CST, Event
from views.formatting import clock_tone, format_clock, format_datetime, mask_phone
from views.labels import action_name, audit_result_name, source_name, status_name
from views.styling import set_style_property

log = logging.getLogger(__name__)

#: How close in time an accepted audit entry must be to a timeline entry to count as the same.
_SAME_ENTRY_SECONDS = 5.0


def merge_timeline(event: Event, audit: list) -> list[tuple[datetime, str, str, str, bool]]:
    """The event's timeline and its audit entries as one list sorted by time.

    Each item is (at, actor, action, detail, from_audit): from_audit is "" for the event's
    own timeline, "audit" for an audit entry and "refused" for a refused command. An accepted
    audit entry that only repeats a timeline entry (same actor and action within a few
    seconds) is left out.
    """
    rows = [(t.at, t.actor, t.action, t.detail, "") for t in event.timeline]
    for entry in audit:
        accepted = str(entry.result).lower() in {"ok", "accepted", "applied", "success", "200", "201"}
        duplicate = accepted and any(
            t.actor == entry.actor
            and t.action == entry.action
            and abs((t.at - entry.at).total_seconds()) <= _SAME_ENTRY_SECONDS
            for t in event.timeline
        )
        if duplicate:
            continue
        result = audit_result_name(str(entry.result))
        detail = result if not entry.seat else f"{result} · {entry.seat}"
        refused = not accepted and str(entry.result) != "replayed"
        rows.append((entry.at, entry.actor, entry.action, detail,
                     "refused" if refused else "audit"))
    rows.sort(key=lambda row: row[0])
    return rows


class EventDetailPanel(QWidget):
    """Shows one event and offers the actions the user's role may take.

    Signals:
      sig_message(text): a short result message for the status bar.
      sig_dispatch_requested(event_id): the user asked to dispatch the shown event (the
        window opens the dispatch dialog).
    """

    sig_message = Signal(str)
    sig_dispatch_requested = Signal(str)
    sig_conference_requested = Signal(str)

    def __init__(self, bridge, user, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("EventDetailPanel")
        self._bridge = bridge
        self._store = bridge.store
        self._session = bridge.session
        self._user = user
        self._event_id = ""
        self._audit: list = []
        self._pending: dict[str, str] = {}  # command id -> action

        bridge.sig_rows_updated.connect(self._rows_updated)
        bridge.sig_reset.connect(self._refresh)
        bridge.sig_catalog.connect(lambda _c: self._refresh())
        bridge.sig_command_finished.connect(self._command_finished)
        if hasattr(bridge, "sig_conferences_changed"):
            bridge.sig_conferences_changed.connect(lambda _ids: self._update_actions())

        self.title_label = QLabel(self)
        self.title_label.setObjectName("detailTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.sign_clock = QLabel(self)
        self.sign_clock.setObjectName("signClock")
        self.resolve_clock = QLabel(self)
        self.resolve_clock.setObjectName("resolveClock")
        self.bounce_label = QLabel(self)
        self.bounce_label.setObjectName("bounceBadge")
        for badge in (self.sign_clock, self.resolve_clock, self.bounce_label):
            badge.setProperty("tone", "none")
        self._clock_timer = QTimer(self, interval=1000)
        self._clock_timer.timeout.connect(self._show_clocks)
        self._clock_timer.start()

        self._values: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(5)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        row, column = 0, 0
        for key, label, wide in self._field_labels():
            value = QLabel(self)
            value.setObjectName(f"detail_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            name = QLabel(label, self)
            name.setObjectName("fieldName")
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            if wide:
                if column:
                    row, column = row + 1, 0
                grid.addWidget(name, row, 0)
                grid.addWidget(value, row, 1, 1, 3)
                row += 1
            else:
                grid.addWidget(name, row, column)
                grid.addWidget(value, row, column + 1)
                column = 2 if column == 0 else 0
                row += 1 if column == 0 else 0
            self._values[key] = value
        grid.setRowStretch(row + 1, 1)
        self.status_value = self._values["status"]
        self.status_value.setObjectName("detailStatus")

        fields = QWidget(self)
        fields.setLayout(grid)
        scroll = QScrollArea(self)
        scroll.setObjectName("detailFields")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(fields)

        timeline_title = QLabel(self.tr("Timeline"), self)
        timeline_title.setObjectName("sectionTitle")
        self.timeline = QTreeWidget(self)
        self.timeline.setObjectName("detailTimeline")
        self.timeline.setRootIsDecorated(False)
        self.timeline.setUniformRowHeights(True)
        self.timeline.setHeaderLabels(
            [self.tr("Time"), self.tr("Who"), self.tr("Action"), self.tr("Detail")]
        )
        header = self.timeline.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.timeline.setColumnWidth(0, 140)
        self.timeline.setColumnWidth(1, 80)
        self.timeline.setColumnWidth(2, 90)

        self.acknowledge_button = QPushButton(self.tr("Acknowledge"), self)
        self.acknowledge_button.setObjectName("acknowledgeButton")
        self.acknowledge_button.clicked.connect(self._acknowledge)
        self.note_editor = QPlainTextEdit(self)
        self.note_editor.setObjectName("noteEditor")
        self.note_editor.setPlaceholderText(self.tr("Write a note for the timeline…"))
        self.note_editor.setFixedHeight(self.fontMetrics().height() * 3 + 14)
        self.note_editor.textChanged.connect(self._update_actions)
        self.note_button = QPushButton(self.tr("Add note"), self)
        self.note_button.setObjectName("addNoteButton")
        self.note_button.clicked.connect(self._add_note)
        self.dispatch_button = QPushButton(self.tr("Dispatch… (F2)"), self)
        self.dispatch_button.setObjectName("dispatchOpenButton")
        self.dispatch_button.clicked.connect(
            lambda: self._event_id and self.sig_dispatch_requested.emit(self._event_id))
        self.conference_button = QPushButton(self.tr("Video conference…"), self)
        self.conference_button.setObjectName("conferenceButton")
        self.conference_button.setToolTip(
            self.tr("A video conference about this event with the units handling it"))
        self.conference_button.clicked.connect(
            lambda: self._event_id and self.sig_conference_requested.emit(self._event_id))
        self.urge_button = QPushButton(self.tr("Urge"), self)
        self.urge_button.setObjectName("urgeButton")
        self.urge_button.setToolTip(self.tr("Chase the units that have not signed or reported"))
        self.urge_button.clicked.connect(lambda: self.urge())
        self.escalate_button = QToolButton(self)
        self.escalate_button.setObjectName("escalateButton")
        self.escalate_button.setText(self.tr("Escalate"))
        self.escalate_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.escalate_menu = QMenu(self.escalate_button)
        self.escalate_button.setMenu(self.escalate_menu)
        self.escalate_menu.aboutToShow.connect(self._fill_escalate_menu)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("closeEventButton")
        self.close_button.setToolTip(self.tr("Close the event (the note, if any, goes with it)"))
        self.close_button.clicked.connect(lambda: self._simple("close"))
        self.reopen_button = QPushButton(self.tr("Reopen"), self)
        self.reopen_button.setObjectName("reopenButton")
        self.reopen_button.clicked.connect(lambda: self._simple("reopen"))
        self.result_label = QLabel(self)
        self.result_label.setObjectName("commandResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.placeholder = QLabel(self.tr("Select an event in the queue to see its details."), self)
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (self.acknowledge_button, self.dispatch_button, self.urge_button,
                       self.escalate_button, self.close_button, self.reopen_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.note_button)

        clocks = QHBoxLayout()
        clocks.setSpacing(8)
        clocks.addWidget(self.sign_clock)
        clocks.addWidget(self.resolve_clock)
        clocks.addWidget(self.bounce_label)
        # Beside the clocks, not in the row of actions: that row sets the panel's width.
        clocks.addWidget(self.conference_button)
        clocks.addStretch(1)

        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.title_label)
        body.addLayout(clocks)
        body.addWidget(scroll, 5)
        body.addWidget(timeline_title)
        body.addWidget(self.timeline, 3)
        body.addWidget(self.note_editor)
        body.addLayout(buttons)
        body.addWidget(self.result_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 8, 8)
        heading = QLabel(self.tr("Event detail"), self)
        heading.setObjectName("panelTitle")
        layout.addWidget(heading)
        layout.addWidget(self.placeholder, 1)
        layout.addWidget(self.body, 1)

        self.set_user(user)
        self.show_event("")

    # ---- Public API

    def set_user(self, user) -> None:
        """Show only the actions `user`'s roles allow (schema.User.can); the event's status
        then enables or disables them (console.flow.allowed_actions)."""
        self._user = user
        can = (lambda action: user.can(action)) if user is not None else (lambda _a: False)
        self.acknowledge_button.setVisible(can("acknowledge"))
        for widget in (self.note_editor, self.note_button):
            widget.setVisible(can("note"))
        self.dispatch_button.setVisible(can("dispatch"))
        self.urge_button.setVisible(can("urge"))
        self.escalate_button.setVisible(can("escalate"))
        self.close_button.setVisible(can("close"))
        self.reopen_button.setVisible(can("reopen"))
        self._update_actions()

    def show_event(self, event_id: str) -> None:
        """Show `event_id` ("" for none) and fetch its audit log in the background."""
        if event_id != self._event_id:
            self.result_label.clear()
            self._audit = []
        self._event_id = event_id
        self._refresh()
        if event_id:
            self._fetch_audit()

    def event_id(self) -> str:
        """The id of the event shown, or ""."""
        return self._event_id

    def busy(self) -> bool:
        """True while a command of this panel waits for its answer."""
        return bool(self._pending)

    def urge(self, event_id: str | None = None) -> bool:
        """Chase the units of `event_id` (default: the shown event); False if not allowed now."""
        target = event_id or self._event_id
        event = self._store.get(target) if target else None
        if event is None or self._pending or "urge" not in allowed_actions(event, self._user):
            return False
        units = unsigned_units(event) or [a.unit_id for a in event.assignments if a.role == "lead"]
        names = "、".join(self._bridge.units.name(u) for u in units)
        note = self.tr("Please sign for and handle it at once: %1").replace("%1", names)
        command = self._session.act(target, "urge", note=note)
        self._pending[command.id] = "urge"
        self._busy(self.tr("Urging the units…"))
        return True

    # ---- Showing

    def _field_labels(self):
        return (
            ("id", self.tr("Event id"), False),
            ("status", self.tr("Status"), False),
            ("level", self.tr("Level"), False),
            ("category", self.tr("Category"), False),
            ("source", self.tr("Source"), False),
            ("street", self.tr("Street"), False),
            ("grid", self.tr("Grid"), False),
            ("coordinates", self.tr("Coordinates"), False),
            ("reported", self.tr("Reported"), False),
            ("updated", self.tr("Updated"), False),
            ("reporter", self.tr("Reporter"), False),
            ("bounces", self.tr("Bounces"), False),
            ("address", self.tr("Address"), True),
            ("sla", self.tr("SLA deadlines"), True),
            ("assignments", self.tr("Assignments"), True),
            ("cameras", self.tr("Cameras"), True),
            ("description", self.tr("Description"), True),
        )

    def _event(self) -> Event | None:
        return self._store.get(self._event_id) if self._event_id else None

    def _rows_updated(self, rows) -> None:
        if not self._event_id:
            return
        row = self._store.row_of(self._event_id)
        if row is not None and row in set(rows):
            self._refresh()

    def _refresh(self) -> None:
        event = self._event()
        self.placeholder.setVisible(event is None)
        self.body.setVisible(event is not None)
        if event is None:
            self._update_actions()
            return
        catalog = self._store.catalog
        levels = {lv.level: lv for lv in catalog.levels} if catalog else {}
        categories = {c.code: c.name for c in catalog.categories} if catalog else {}
        streets = {s.id: s.name for s in catalog.streets} if catalog else {}
        units = {u.id: u.name for u in catalog.units} if catalog else {}

        self.title_label.setText(event.title)
        self._show_clocks()
        level = levels.get(event.level)
        values = self._values
        values["id"].setText(event.id)
        if level is not None:
            values["level"].setText(
                f'<span style="color:{level.color}; font-weight:700">■</span> {level.name}'
            )
        else:
            values["level"].setText(str(event.level))
        values["category"].setText(categories.get(event.category, event.category))
        values["source"].setText(source_name(event.source))
        values["status"].setText(status_name(event.status))
        values["address"].setText(event.location.address)
        street = event.location.street_id or ""
        values["street"].setText(streets.get(street, street))
        values["grid"].setText(event.location.grid_id or "")
        values["coordinates"].setText(f"{event.location.lon:.5f}, {event.location.lat:.5f}")
        reporter = event.reporter
        values["reporter"].setText(
            " ".join(p for p in (reporter.name, mask_phone(reporter.phone_masked)) if p)
        )
        values["reported"].setText(format_datetime(event.reported_at))
        values["updated"].setText(format_datetime(event.updated_at))
        values["sla"].setText(self._sla_text(event))
        values["assignments"].setText(self._assignments_text(event, units))
        values["bounces"].setText(str(event.bounces))
        values["cameras"].setText(", ".join(event.camera_ids) or "—")
        values["description"].setText(event.description)
        for key in ("level",):
            values[key].setTextFormat(Qt.TextFormat.RichText)
        self._fill_timeline(event)
        self._update_actions()

    def _sla_text(self, event: Event) -> str:
        lines = []
        if event.sla.sign_due is not None:
            lines.append(self.tr("Sign for by %1").replace("%1", format_datetime(event.sla.sign_due)))
        if event.sla.resolve_due is not None:
            lines.append(
                self.tr("Resolve by %1").replace("%1", format_datetime(event.sla.resolve_due))
            )
        return "\n".join(lines) or "—"

    def _show_clocks(self) -> None:
        event = self._event()
        if event is None:
            return
        sign, resolve = event_clocks(event, datetime.now(CST))
        for badge, clock in ((self.sign_clock, sign), (self.resolve_clock, resolve)):
            badge.setVisible(clock.state != "none")
            _set_tone(badge, clock_tone(clock), format_clock(clock))
        self.bounce_label.setVisible(event.bounces > 0)
        _set_tone(self.bounce_label, "late",
                  self.tr("Sent back %1 time(s)").replace("%1", str(event.bounces)))

    def _assignments_text(self, event: Event, units: dict[str, str]) -> str:
        if not event.assignments:
            return "—"
        roles = {"lead": self.tr("lead"), "assist": self.tr("assist")}
        states = {
            "sent": self.tr("sent"),
            "signed": self.tr("signed for"),
            "returned": self.tr("returned"),
            "done": self.tr("done"),
        }
        lines = []
        for a in event.assignments:
            line = (f"{units.get(a.unit_id, a.unit_id)} · {roles.get(a.role, a.role)} · "
                    f"{states.get(a.status, a.status)}")
            if a.signed_at is not None:
                line += " " + format_datetime(a.signed_at)[11:16]
            lines.append(line)
        return "\n".join(lines)

    def _fill_timeline(self, event: Event) -> None:
        self.timeline.clear()
        items = []
        for at, actor, action, detail, from_audit in merge_timeline(event, self._audit):
            item = QTreeWidgetItem(
                [format_datetime(at), actor, action_name(action), detail]
            )
            item.setToolTip(3, detail)
            if from_audit:
                item.setToolTip(2, self.tr("From the audit log"))
                brush = QBrush(QColor("#ff7b72")) if from_audit == "refused" else \
                    self.palette().placeholderText()
                for column in range(4):
                    item.setForeground(column, brush)
            items.append(item)
        self.timeline.addTopLevelItems(items)
        if items:
            self.timeline.scrollToItem(items[-1])

    def timeline_texts(self) -> list[str]:
        """The timeline rows as shown ("time | who | action | detail"), for tests and copying."""
        out = []
        for i in range(self.timeline.topLevelItemCount()):
            item = self.timeline.topLevelItem(i)
            out.append(" | ".join(item.text(c) for c in range(4)))
        return out

    def _fetch_audit(self) -> None:
        event_id = self._event_id

        def done(result) -> None:
            if event_id != self._event_id:
                return
            if isinstance(result, Exception):
                log.info("audit for %s not available: %s", event_id, getattr(result, "code", result))
                return
            self._audit = list(result)
            self._refresh()

        self._session.fetch_audit(event_id, done)

    # ---- Actions

    def _update_actions(self) -> None:
        event = self._event()
        allowed = allowed_actions(event, self._user) if not self._pending else frozenset()
        self.acknowledge_button.setEnabled("acknowledge" in allowed)
        self.dispatch_button.setEnabled("dispatch" in allowed)
        self.dispatch_button.setText(
            self.tr("Re-dispatch… (F2)") if event is not None and event.status == "dispatched"
            else self.tr("Dispatch… (F2)"))
        self.urge_button.setEnabled("urge" in allowed)
        self.escalate_button.setEnabled("escalate" in allowed and event is not None
                                        and event.level > 1)
        self.close_button.setEnabled("close" in allowed)
        self.reopen_button.setEnabled("reopen" in allowed)
        self._update_conference_button(event)
        self.note_editor.setReadOnly(bool(self._pending))
        self.note_editor.setEnabled("note" in allowed)
        has_text = bool(self.note_editor.toPlainText().strip())
        self.note_button.setEnabled("note" in allowed and has_text)

    def open_conference(self):
        """The shown event's open conference (None: none known)."""
        board = getattr(self._session, "conferences", None)
        return board.open_for_event(self._event_id) if board and self._event_id else None

    def _update_conference_button(self, event) -> None:
        # A shift leader starts one; anyone may join one that is open.
        running = self.open_conference() if event is not None else None
        may_start = self._user is not None and self._user.can("conference")
        self.conference_button.setVisible(may_start or running is not None)
        self.conference_button.setText(self.tr("Join the conference %1").replace(
            "%1", running.id) if running is not None else self.tr("Video conference…"))
        self.conference_button.setEnabled(event is not None and (
            running is not None or event.status != "closed"))

    def _acknowledge(self) -> None:
        if not self._event_id or self._pending:
            return
        command = self._session.acknowledge(self._event_id)
        self._pending[command.id] = "acknowledge"
        self._busy(self.tr("Acknowledging…"))

    def _busy(self, text: str) -> None:
        self.result_label.setText(text)
        self._set_result_state("busy")
        self._update_actions()

    def _simple(self, action: str) -> None:
        """Close or reopen, with the note being written (if any) as the reason."""
        if not self._event_id or self._pending:
            return
        note = self.note_editor.toPlainText().strip() or None
        command = self._session.act(self._event_id, action, note=note)
        self._pending[command.id] = action
        if note:
            self.note_editor.clear()
        self._busy(self.tr("Closing…") if action == "close" else self.tr("Reopening…"))

    def _fill_escalate_menu(self) -> None:
        self.escalate_menu.clear()
        event = self._event()
        catalog = self._store.catalog
        if event is None or catalog is None:
            return
        for level in sorted(catalog.levels, key=lambda lv: lv.level):
            if level.level >= event.level:
                continue
            action = self.escalate_menu.addAction(
                self.tr("Escalate to %1").replace("%1", level.name))
            action.setObjectName(f"escalateTo{level.level}")
            action.triggered.connect(lambda _c=False, lv=level.level: self.escalate(lv))

    def escalate(self, level: int) -> bool:
        """Raise the shown event to `level` (more severe); False if not allowed now."""
        event = self._event()
        if event is None or self._pending or "escalate" not in allowed_actions(event, self._user):
            return False
        note = self.note_editor.toPlainText().strip() or None
        command = self._session.act(self._event_id, "escalate", level=level, note=note)
        self._pending[command.id] = "escalate"
        if note:
            self.note_editor.clear()
        self._busy(self.tr("Escalating…"))
        return True

    def _add_note(self) -> None:
        text = self.note_editor.toPlainText().strip()
        if not self._event_id or self._pending or not text:
            return
        command = self._session.add_note(self._event_id, text)
        self._pending[command.id] = "note"
        self._busy(self.tr("Adding the note…"))

    def _command_finished(self, result) -> None:
        action = self._pending.pop(result.command.id, None)
        if action is None:
            return
        if result.ok:
            if action == "note":
                self.note_editor.clear()
            text = {
                "note": self.tr("Note added."),
                "acknowledge": self.tr("Acknowledged."),
                "urge": self.tr("The units were urged."),
                "escalate": self.tr("Escalated."),
                "close": self.tr("Closed."),
                "reopen": self.tr("Reopened."),
            }.get(action, self.tr("Done."))
            self._set_result_state("ok")
        elif result.error is not None and result.error.status == 409:
            text = self.conflict_message(result)
            self._set_result_state("conflict")
        else:
            text = self.error_message(result.error)
            self._set_result_state("error")
        self.result_label.setText(text)
        self.sig_message.emit(text)
        self._update_actions()
        if result.command.event_id == self._event_id:
            self._fetch_audit()

    def conflict_message(self, result) -> str:
        """'Already handled by X: the event is now <status>. Nothing was overwritten.'"""
        if result.error.code == "in_progress":
            return self.tr("This command is still being processed; please wait.")
        actor = result.changed_by or self.tr("another seat")
        status = result.event.status if result.event is not None else None
        if status:
            return (
                self.tr("Already handled by %1: the event is now %2. Nothing was overwritten.")
                .replace("%1", actor)
                .replace("%2", status_name(status))
            )
        return self.tr("Already handled by %1. Nothing was overwritten.").replace("%1", actor)

    def error_message(self, error) -> str:
        """A translated message for a failed command."""
        if error is None:
            return self.tr("The command failed.")
        if error.status == 0:
            return self.tr("The backend cannot be reached; the command was not applied.")
        if error.status == 403:
            return self.tr("Your role may not do this.")
        if error.status == 422 and error.code == "invalid":
            return self.tr("Not allowed in the event's current status.")
        return self.tr("The command failed: %1").replace("%1", error.message or error.code)

    def _set_result_state(self, state: str) -> None:
        set_style_property(self.result_label, "state", state)


def _set_tone(label: QLabel, tone: str, text: str) -> None:
    label.setText(text)
    set_style_property(label, "tone", tone)
