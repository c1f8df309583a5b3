"""Start a video conference (視頻會商) about an event, in one step.

The title comes from the event; the units invited are the ones assigned to it (ticked), or,
before any dispatch, the category's lead and assisting units (unticked, to choose from); any
other unit can be added. The conference opens on the desk or on a chosen wall screen.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from console.api import ApiError, NetworkError
from console.dispatch import category_of
from console.schema import Conference, ConferenceCreateRequest
from views.labels import status_name
from views.styling import show_state
from views.unit_picker import unit_picker

_UNIT_ID = Qt.ItemDataRole.UserRole
TITLE_MAX = 200


class ConferenceDialog(QDialog):
    """Invite units, name the conference and say where it opens; see the module's doc.

    `screens`: (label, screen key) pairs for "Open on", the desk first.
    Signals: `sig_started(conference, screen key)` once the backend has the conference (the
    dialog then closes)."""

    sig_started = Signal(object, str)

    def __init__(self, bridge, event_id: str, screens: list[tuple[str, str]],
                 parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ConferenceDialog")
        self.setWindowTitle(self.tr("Start a video conference"))
        self.setModal(True)
        self._bridge = bridge
        self._event_id = event_id
        self._sending = False
        self.conference: Conference | None = None
        store = bridge.store
        event = store.get(event_id)
        if event is None or store.catalog is None:
            raise KeyError(event_id)
        units = {u.id: u for u in store.catalog.units}

        self.summary = QLabel(self)
        self.summary.setObjectName("conferenceSummary")
        self.summary.setWordWrap(True)
        self.summary.setText(f"<b>{_escape(event.title)}</b><br>{event.id} · "
                             f"{level_text(store.catalog, event.level)} · "
                             f"{status_name(event.status)} · "
                             f"{_escape(event.location.address or '')}")
        self.title = QLineEdit(self.tr("Video conference: %1").replace("%1", event.title)
                               [:TITLE_MAX], self)
        self.title.setObjectName("conferenceTitle")
        self.title.setMaxLength(TITLE_MAX)

        self.units = QListWidget(self)
        self.units.setObjectName("conferenceUnits")
        assigned = [a.unit_id for a in sorted(event.assignments, key=lambda a: a.role != "lead")]
        suggested: list[str] = []
        if not assigned:
            category, parent_category = category_of(store.catalog, event.category)
            for cat in (category, parent_category):
                if cat is not None:
                    suggested += [*cat.lead_units, *cat.assist_units]
        for unit_id in dict.fromkeys(assigned):
            self._add_unit(unit_id, units, checked=True, why=self.tr("assigned"))
        for unit_id in dict.fromkeys(suggested):
            self._add_unit(unit_id, units, checked=False, why=self.tr("category unit"))

        self.add_unit = unit_picker(self, "conferenceAddUnit", self.tr("Invite another unit…"),
                                    units.values())
        self.add_unit.activated.connect(self._add_chosen)

        self.screen_choice = QComboBox(self)
        self.screen_choice.setObjectName("conferenceScreen")
        for label, key in screens:
            self.screen_choice.addItem(label, key)

        self.message = QLabel(self)
        self.message.setObjectName("commandResult")
        self.message.setWordWrap(True)
        self.start_button = QPushButton(self.tr("Start the conference"), self)
        self.start_button.setObjectName("conferenceStartButton")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Open on"), self.screen_choice)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        heading = QLabel(self.tr("Units invited"), self)
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        layout.addWidget(self.units, 1)
        layout.addWidget(self.add_unit)
        layout.addLayout(buttons)
        self.resize(640, 520)

    # ---- Public API

    @property
    def event_id(self) -> str:
        return self._event_id

    def invited(self) -> list[str]:
        """The ticked units, in the list's order."""
        return [self.units.item(row).data(_UNIT_ID) for row in range(self.units.count())
                if self.units.item(row).checkState() == Qt.CheckState.Checked]

    def set_invited(self, unit_id: str, invited: bool) -> None:
        """Tick or untick `unit_id` (added to the list if it is not there)."""
        item = self._item(unit_id)
        if item is None:
            self.add_unit.setCurrentIndex(max(0, self.add_unit.findData(unit_id)))
            item = self._add_chosen(self.add_unit.currentIndex())
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if invited else Qt.CheckState.Unchecked)

    def screen_key(self) -> str:
        return self.screen_choice.currentData() or ""

    def start(self) -> None:
        """Ask the backend for the conference (the dialog stays, with the error, if refused)."""
        if self._sending:
            return
        title = self.title.text().strip()
        invited = self.invited()
        if not title:
            self._say(self.tr("Give the conference a title."))
            return
        if not invited:
            self._say(self.tr("Invite at least one unit."))
            return
        request = ConferenceCreateRequest(event_id=self._event_id, title=title,
                                          participants=invited)
        self._lock(True)
        self._say(self.tr("Starting the conference…"), "busy")
        self._bridge.session.start_conference(request, self._answered)

    def reject(self) -> None:
        """Cancel, unless the backend is being asked: its answer (a conference, or why not)
        is waited for, so that a conference started is never left without its window."""
        if not self._sending:
            super().reject()

    # ---- Internals

    def _answered(self, result) -> None:
        self._lock(False)
        if isinstance(result, Conference):
            self.conference = result
            self.sig_started.emit(result, self.screen_key())
            self.accept()
            return
        self._say(self._error_text(result))

    def _error_text(self, error: ApiError) -> str:
        if isinstance(error, NetworkError):
            return self.tr("The backend cannot be reached: the conference was not started. "
                           "Try again when the link is back.")
        if error.status == 403:
            return self.tr("Your role may not start conferences.")
        return self.tr("The backend refused the conference: %1").replace("%1", error.message)

    def _add_unit(self, unit_id: str, units: dict, *, checked: bool,
                  why: str = "") -> QListWidgetItem | None:
        if self._item(unit_id) is not None or unit_id not in units:
            return self._item(unit_id)
        text = units[unit_id].name + (f"（{why}）" if why else "")
        item = QListWidgetItem(text, self.units)
        item.setData(_UNIT_ID, unit_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        return item

    def _add_chosen(self, index: int) -> QListWidgetItem | None:
        unit_id = self.add_unit.itemData(index)
        self.add_unit.setCurrentIndex(0)
        if not unit_id:
            return None
        units = {u.id: u for u in self._bridge.store.catalog.units}
        item = self._add_unit(unit_id, units, checked=True, why=self.tr("added"))
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked)
            self.units.scrollToItem(item)
        return item

    def _item(self, unit_id: str) -> QListWidgetItem | None:
        for row in range(self.units.count()):
            if self.units.item(row).data(_UNIT_ID) == unit_id:
                return self.units.item(row)
        return None

    def _lock(self, locked: bool) -> None:
        self._sending = locked
        for widget in (self.title, self.units, self.add_unit, self.screen_choice,
                       self.start_button, self.cancel_button):
            widget.setEnabled(not locked)

    def _say(self, text: str, state: str = "error") -> None:
        show_state(self.message, text, state)


def level_text(catalog, level: int) -> str:
    """The level's name in its colour (rich text), or its number."""
    found = next((lv for lv in catalog.levels if lv.level == level), None) if catalog else None
    if found is None:
        return str(level)
    return f'<span style="color:{found.color}; font-weight:700">■ {_escape(found.name)}</span>'


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
