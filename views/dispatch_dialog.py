"""The one-key dispatch dialog (一键派单): the proposal of `console.dispatch`, editable, sent
with Ctrl+Enter.

The dispatch carries the event version the leader saw when the dialog opened. If the event
changes meanwhile the dialog says so; a 409 from the backend shows who handled the event and
its current state, and the leader decides again ("Dispatch on the latest state") — nothing is
overwritten silently. The dialog never closes on a failure, so nothing typed is lost.
"""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.clocks import event_clocks
from console.dispatch import DispatchProposal, assignments, category_of, propose
from console.flow import status_allows
from console.schema import CST, Event
from views.formatting import format_clock
from views.labels import proposal_reason, status_name, unit_status_name
from views.styling import show_state
from views.unit_picker import unit_picker

_UNIT_ID = Qt.ItemDataRole.UserRole + 1
_COLUMNS = 5  # include, unit, role, reason, status


class DispatchDialog(QDialog):
    """Dispatch one event: units with roles and reasons, instructions, due time, note.

    Signals:
      sig_dispatched(event_id): the backend accepted the dispatch (the dialog then closes).
    """

    sig_dispatched = Signal(str)

    def __init__(self, bridge, event_id: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("DispatchDialog")
        self.setWindowTitle(self.tr("Dispatch"))
        self.setModal(True)
        self._bridge = bridge
        self._store = bridge.store
        self._event_id = event_id
        self._pending = ""
        event = self._store.get(event_id)
        if event is None or self._store.catalog is None:
            raise KeyError(event_id)
        self.proposal: DispatchProposal = propose(event, self._store.catalog,
                                                  bridge.units.all(), datetime.now(CST))
        self._expected_version = self.proposal.expected_version

        self.summary = QLabel(self)
        self.summary.setObjectName("dispatchSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.clocks = QLabel(self)
        self.clocks.setObjectName("dispatchClocks")

        self.units = QTableWidget(0, _COLUMNS, self)
        self.units.setObjectName("dispatchUnits")
        self.units.setHorizontalHeaderLabels(
            ["", self.tr("Unit"), self.tr("Role"), self.tr("Why"), self.tr("State")])
        self.units.verticalHeader().setVisible(False)
        self.units.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.units.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.units.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.units.setTabKeyNavigation(False)
        header = self.units.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.units.itemChanged.connect(self._item_changed)
        self.units.cellClicked.connect(self._cell_clicked)
        self.units.installEventFilter(self)
        self.keys_hint = QLabel(
            self.tr("Space: include or leave out · L: make lead · Ctrl+Enter: dispatch"), self)
        self.keys_hint.setObjectName("keysHint")

        self.add_unit = unit_picker(self, "dispatchAddUnit", self.tr("Add another unit…"),
                                    self.proposal.extra_units)
        self.add_unit.activated.connect(self._add_chosen_unit)

        self.template = QComboBox(self)
        self.template.setObjectName("dispatchTemplate")
        for text in self.proposal.templates:
            self.template.addItem(text if len(text) <= 48 else text[:47] + "…", text)
        self.template.activated.connect(
            lambda i: self.instructions.setPlainText(self.template.itemData(i)))
        self.instructions = QPlainTextEdit(self.proposal.instructions, self)
        self.instructions.setObjectName("dispatchInstructions")
        self.instructions.setTabChangesFocus(True)
        self.instructions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.instructions.setFixedHeight(self.fontMetrics().height() * 4 + 16)

        self.due = QDateTimeEdit(self)
        self.due.setObjectName("dispatchDue")
        self.due.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.due.setCalendarPopup(True)
        if self.proposal.due_at is not None:
            self.due.setDateTime(QDateTime.fromSecsSinceEpoch(
                int(self.proposal.due_at.timestamp())))
        self.due.setMinimumDateTime(QDateTime.currentDateTime())
        self.sign_window = QLabel(
            self.tr("Units must sign for it within %1 min of the dispatch.")
            .replace("%1", str(self.proposal.sign_minutes)), self)
        self.sign_window.setObjectName("fieldHint")
        self.note = QLineEdit(self)
        self.note.setObjectName("dispatchNote")
        self.note.setPlaceholderText(self.tr("Note for the timeline (optional)"))

        self.message = QLabel(self)
        self.message.setObjectName("commandResult")
        self.message.setWordWrap(True)
        self.latest_button = QPushButton(self.tr("Dispatch on the latest state"), self)
        self.latest_button.setObjectName("dispatchLatest")
        self.latest_button.setVisible(False)
        self.latest_button.clicked.connect(self._take_latest)
        self.dispatch_button = QPushButton(self.tr("Dispatch (Ctrl+Enter)"), self)
        self.dispatch_button.setObjectName("dispatchButton")
        self.dispatch_button.setDefault(False)
        self.dispatch_button.setAutoDefault(False)
        self.dispatch_button.clicked.connect(self.confirm)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(self.tr("Template"), self.template)
        form.addRow(self.tr("Instructions"), self.instructions)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due)
        due_row.addWidget(self.sign_window, 1)
        form.addRow(self.tr("Resolve by"), due_row)
        form.addRow(self.tr("Note"), self.note)

        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.latest_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.dispatch_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.clocks)
        units_title = QLabel(self.tr("Units"), self)
        units_title.setObjectName("sectionTitle")
        layout.addWidget(units_title)
        layout.addWidget(self.units, 1)
        hint_row = QHBoxLayout()
        hint_row.addWidget(self.add_unit, 1)
        hint_row.addWidget(self.keys_hint)
        layout.addLayout(hint_row)
        layout.addLayout(form)
        layout.addLayout(buttons)

        for proposal in self.proposal.units:
            self._append_row(proposal.unit_id, proposal.name, proposal.role,
                             self._reason(proposal, event), proposal.status,
                             proposal.returned_before)
        self.setTabOrder(self.units, self.add_unit)
        self.setTabOrder(self.add_unit, self.template)
        self.setTabOrder(self.template, self.instructions)
        self.setTabOrder(self.instructions, self.due)
        self.setTabOrder(self.due, self.note)
        self.setTabOrder(self.note, self.dispatch_button)
        self.setTabOrder(self.dispatch_button, self.cancel_button)

        bridge.sig_command_finished.connect(self._finished)
        bridge.sig_rows_updated.connect(self._rows_updated)
        self._clock_timer = QTimer(self, interval=1000)
        self._clock_timer.timeout.connect(self._show_event)
        self._clock_timer.start()
        self._show_event()
        self.resize(860, 640)
        # Ctrl+Enter from any field, whether or not the window manager activated the dialog.
        for child in self.findChildren(QWidget):
            child.installEventFilter(self)
        self.units.setFocus()
        if self.units.rowCount():
            self.units.setCurrentCell(0, 1)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        # The dialog takes the keyboard as it opens (Ctrl+Enter is a window shortcut).
        self.activateWindow()
        self.units.setFocus()

    # ---- Public API

    @property
    def event_id(self) -> str:
        return self._event_id

    def selected_units(self) -> list[tuple[str, str]]:
        """The included units as (unit_id, "lead" | "assist"), in the table's order."""
        out = []
        for row in range(self.units.rowCount()):
            include = self.units.item(row, 0)
            if include.checkState() == Qt.CheckState.Checked:
                out.append((include.data(_UNIT_ID), self._role(row)))
        return out

    def set_lead(self, row: int) -> None:
        """Make the unit in `row` the lead (included); the previous lead becomes an assist."""
        self.units.blockSignals(True)
        for other in range(self.units.rowCount()):
            self._set_role(other, "lead" if other == row else "assist")
        self.units.item(row, 0).setCheckState(Qt.CheckState.Checked)
        self.units.blockSignals(False)
        self._validate()

    def confirm(self) -> None:
        """Send the dispatch (Ctrl+Enter); the dialog closes when the backend accepts it."""
        if self._pending or not self._validate():
            return
        due = self.due.dateTime().toSecsSinceEpoch()
        due_at = datetime.fromtimestamp(due, CST)
        body = assignments(self.selected_units(), self.instructions.toPlainText().strip(), due_at)
        try:
            command = self._bridge.session.act(
                self._event_id, "dispatch", expected_version=self._expected_version,
                assignments=body, note=self.note.text().strip() or None)
        except (KeyError, ValueError) as exc:
            self._say(self.tr("The dispatch could not be made: %1").replace("%1", str(exc)),
                      "error")
            return
        self._pending = command.id
        self._lock(True)
        self._say(self.tr("Dispatching…"), "busy")

    # ---- Building rows

    def _reason(self, proposal, event: Event) -> str:
        catalog = self._store.catalog
        category, _parent = category_of(catalog, event.category)
        streets = {s.id: s.name for s in catalog.streets}
        text = proposal_reason(proposal.reason, category.name if category else event.category,
                               streets.get(event.location.street_id or "", ""),
                               proposal.distance_km)
        if proposal.returned_before:
            text += " · " + self.tr("sent this event back before")
        return text

    def _append_row(self, unit_id: str, name: str, role: str, reason: str, status: str,
                    returned_before: bool = False, checked: bool = True) -> int:
        self.units.blockSignals(True)
        row = self.units.rowCount()
        self.units.insertRow(row)
        include = QTableWidgetItem()
        include.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                         | Qt.ItemFlag.ItemIsSelectable)
        include.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        include.setData(_UNIT_ID, unit_id)
        self.units.setItem(row, 0, include)
        self.units.setItem(row, 1, QTableWidgetItem(name))
        self.units.setItem(row, 2, QTableWidgetItem())
        self.units.setItem(row, 3, QTableWidgetItem(reason))
        state = QTableWidgetItem(unit_status_name(status))
        if status != "available" or returned_before:
            state.setForeground(Qt.GlobalColor.yellow)
        self.units.setItem(row, 4, state)
        self._set_role(row, role)
        self.units.blockSignals(False)
        return row

    def _role(self, row: int) -> str:
        return self.units.item(row, 2).data(_UNIT_ID) or "assist"

    def _set_role(self, row: int, role: str) -> None:
        item = self.units.item(row, 2)
        item.setData(_UNIT_ID, role)
        item.setText(self.tr("Lead") if role == "lead" else self.tr("Assist"))
        font = item.font()
        font.setBold(role == "lead")
        item.setFont(font)

    def _add_chosen_unit(self, index: int) -> None:
        unit_id = self.add_unit.itemData(index)
        if not unit_id:
            return
        unit = self._bridge.units.get(unit_id)
        self.add_unit.removeItem(index)
        self.add_unit.setCurrentIndex(0)
        self.add_unit.clearEditText()
        has_lead = any(role == "lead" for _u, role in self.selected_units())
        row = self._append_row(unit_id, unit.name if unit else unit_id,
                               "assist" if has_lead else "lead", proposal_reason("added"),
                               unit.status if unit else "available")
        self.units.setCurrentCell(row, 1)
        self._validate()

    # ---- Keyboard and mouse on the table

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() in (event.Type.KeyPress, event.Type.ShortcutOverride) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.type() == event.Type.KeyPress:
                self.confirm()
            event.accept()
            return True
        if watched is self.units and event.type() == event.Type.KeyPress:
            row = self.units.currentRow()
            if row >= 0 and event.key() == Qt.Key.Key_Space:
                include = self.units.item(row, 0)
                include.setCheckState(Qt.CheckState.Unchecked
                                      if include.checkState() == Qt.CheckState.Checked
                                      else Qt.CheckState.Checked)
                return True
            if row >= 0 and event.key() == Qt.Key.Key_L:
                self.set_lead(row)
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.confirm()
            return
        super().keyPressEvent(event)

    def _cell_clicked(self, row: int, column: int) -> None:
        if column == 2:
            self.set_lead(row)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 0 and item.checkState() != Qt.CheckState.Checked \
                and self._role(item.row()) == "lead":
            # Leaving out the lead hands the lead to the first included unit.
            self.units.blockSignals(True)
            self._set_role(item.row(), "assist")
            for row in range(self.units.rowCount()):
                if self.units.item(row, 0).checkState() == Qt.CheckState.Checked:
                    self._set_role(row, "lead")
                    break
            self.units.blockSignals(False)
        self._validate()

    # ---- Validation, state and results

    def _validate(self) -> bool:
        selected = self.selected_units()
        problem = ""
        if not selected:
            problem = self.tr("Choose at least one unit.")
        elif sum(1 for _u, role in selected if role == "lead") != 1:
            problem = self.tr("Exactly one unit must lead (select it and press L).")
        elif not self.instructions.toPlainText().strip():
            problem = self.tr("Write instructions for the units.")
        if not self._pending:
            if problem:
                self._say(problem, "error")
            elif self.message.property("state") == "error":
                self._say("", "")
        self.dispatch_button.setEnabled(not problem and not self._pending)
        return not problem

    def _lock(self, locked: bool) -> None:
        for widget in (self.units, self.add_unit, self.template, self.instructions, self.due,
                       self.note, self.dispatch_button, self.latest_button):
            widget.setEnabled(not locked)

    def _say(self, text: str, state: str) -> None:
        show_state(self.message, text, state)

    def _show_event(self) -> None:
        event = self._store.get(self._event_id)
        if event is None:
            return
        catalog = self._store.catalog
        levels = {lv.level: lv for lv in catalog.levels}
        category, _parent = category_of(catalog, event.category)
        streets = {s.id: s.name for s in catalog.streets}
        level = levels.get(event.level)
        badge = (f'<span style="background:{level.color}; color:#ffffff; font-weight:700">'
                 f'&nbsp;{level.name}&nbsp;</span> ') if level else ""
        place = " · ".join(p for p in (
            category.name if category else event.category,
            streets.get(event.location.street_id or "", ""), event.location.address) if p)
        self.summary.setText(
            f'{badge}<b style="font-size:13pt">{_escape(event.title)}</b><br>'
            f'<span style="color:#9da7b3">{_escape(event.id)} · {_escape(place)} · '
            f'{_escape(status_name(event.status))}</span>')
        now = datetime.now(CST)
        self.clocks.setText("   ".join(format_clock(c) for c in event_clocks(event, now)
                                       if c.state != "none"))
        if event.version != self._expected_version and not self._pending:
            who = event.timeline[-1].actor if event.timeline else ""
            self._say(self.tr("The event changed while you were deciding: %1 made it %2.")
                      .replace("%1", who).replace("%2", status_name(event.status)), "conflict")
            self.latest_button.setVisible(True)
            self.latest_button.setEnabled(status_allows("dispatch", event.status))

    def _rows_updated(self, rows) -> None:
        row = self._store.row_of(self._event_id)
        if row is not None and row in set(rows):
            self._show_event()

    def _take_latest(self) -> None:
        """Dispatch on the current version of the event, keeping what was typed and chosen."""
        event = self._store.get(self._event_id)
        if event is None or not status_allows("dispatch", event.status):
            return
        self._expected_version = event.version
        self.latest_button.setVisible(False)
        self._say(self.tr("Now dispatching on the latest state (%1).")
                  .replace("%1", status_name(event.status)), "busy")
        self._validate()

    def _finished(self, result) -> None:
        if result.command.id != self._pending:
            return
        self._pending = ""
        self._lock(False)
        if result.ok:
            self._say(self.tr("Dispatched."), "ok")
            self.sig_dispatched.emit(self._event_id)
            self.accept()
            return
        error = result.error
        if error.status == 409 and error.code == "version_conflict":
            who = result.changed_by or self.tr("another seat")
            status = status_name(result.event.status) if result.event else ""
            self._say(self.tr("Already handled by %1: the event is now %2. Nothing was "
                              "overwritten.").replace("%1", who).replace("%2", status),
                      "conflict")
            self.latest_button.setVisible(True)
            current = self._store.get(self._event_id)
            self.latest_button.setEnabled(
                current is not None and status_allows("dispatch", current.status))
        elif error.status == 403:
            self._say(self.tr("Your role may not dispatch events."), "error")
        elif error.status == 0:
            self._say(self.tr("The backend cannot be reached; nothing was dispatched."), "error")
        else:
            self._say(self.tr("The dispatch was refused: %1").replace(
                "%1", error.message or error.code), "error")
        self._validate()


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
