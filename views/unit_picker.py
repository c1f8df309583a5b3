"""The searchable "add another unit" box of the dispatch and conference dialogs."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget


def unit_picker(parent: QWidget, object_name: str, placeholder: str,
                units: Iterable) -> QComboBox:
    """An editable combo box of `units` (by kind, then name; each item's data is the unit's
    id) that completes on any part of a name; the first item is empty and current."""
    box = QComboBox(parent)
    box.setObjectName(object_name)
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.lineEdit().setPlaceholderText(placeholder)
    box.completer().setFilterMode(Qt.MatchFlag.MatchContains)
    box.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    box.addItem("", "")
    for unit in sorted(units, key=lambda u: (u.kind, u.name)):
        box.addItem(unit.name, unit.id)
    box.setCurrentIndex(0)
    return box
