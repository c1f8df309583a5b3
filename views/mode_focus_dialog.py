"""The dialog that asks which event emergency mode (战时) follows: the open level-1 and
level-2 events, newest first, the one selected in the queue preselected."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from console.schema import CST, Event
from views.formatting import format_time

_LEVEL_COLOURS = {1: "#d32f2f", 2: "#f57c00"}


class FocusDialog(QDialog):
    """Lists `events` (already ordered); `chosen_id()` after it is accepted."""

    def __init__(self, events: list[Event], preselect: str = "", catalog=None,
                 parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("modeFocusDialog")
        self.setWindowTitle(self.tr("Emergency mode: the event to follow"))
        self.setModal(True)
        levels = {lv.level: lv for lv in catalog.levels} if catalog is not None else {}
        streets = {s.id: s.name for s in catalog.streets} if catalog is not None else {}
        prompt = QLabel(self.tr("The walls will follow this event: the map rings it, the video "
                                "wall shows its nearest cameras and the dashboard its "
                                "indicators first."), self)
        prompt.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("modeFocusList")
        now = datetime.now(CST)
        for event in events:
            level = levels.get(event.level)
            level_name = level.name if level is not None else str(event.level)
            street = streets.get(event.location.street_id or "", "")
            when = format_time(event.reported_at, now)
            text = "  ".join(p for p in (f"[{level_name}]", event.title, street, when) if p)
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, event.id)
            item.setForeground(QColor(level.color if level is not None
                                      else _LEVEL_COLOURS.get(event.level, "#8b949e")))
            item.setToolTip(event.id)
            if event.id == preselect:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.empty = QLabel(self.tr("No open level 1 or level 2 event."), self)
        self.empty.setVisible(not events)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Enter emergency mode"))
        self.ok_button.setEnabled(bool(events))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.resize(720, 440)

    def chosen_id(self) -> str:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ""

    def choose(self, event_id: str) -> bool:
        """Select `event_id` in the list (True when it is listed)."""
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == event_id:
                self.list.setCurrentRow(row)
                return True
        return False
