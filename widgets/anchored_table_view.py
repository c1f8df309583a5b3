"""A QTableView that keeps the top visible row in place when rows are inserted above it.

At the very top, new rows simply appear (the operator watching the head of the queue sees
them). Once the user has scrolled away, the row at the top stays at the top while rows are
inserted above it or the model re-sorts, so reading is never interrupted.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QAbstractItemView, QTableView


class AnchoredTableView(QTableView):
    """A table view with uniform rows, per-row scrolling and an anchored top row."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._anchor: QPersistentModelIndex | None = None
        self._watched: QAbstractItemModel | None = None
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setMinimumSectionSize(10)

    # ---- Public API

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802 (Qt name)
        if self._watched is not None:
            for signal, slot in self._connections(self._watched):
                signal.disconnect(slot)
        super().setModel(model)
        self._watched = model
        if model is not None:
            for signal, slot in self._connections(model):
                signal.connect(slot)

    def top_visible_index(self) -> QModelIndex:
        """The index of the first row whose top is visible (invalid when the view is empty)."""
        return self.indexAt(self.viewport().rect().topLeft())

    # ---- Anchoring

    def _connections(self, model: QAbstractItemModel):
        return (
            (model.rowsAboutToBeInserted, self._remember_anchor),
            (model.rowsInserted, self._restore_anchor),
            (model.layoutAboutToBeChanged, self._remember_anchor),
            (model.layoutChanged, self._restore_anchor),
        )

    def _remember_anchor(self, *args) -> None:
        if self._anchor is not None:
            return  # nested notifications: keep the first anchor
        if self.verticalScrollBar().value() <= 0:
            return
        top = self.top_visible_index()
        if top.isValid():
            self._anchor = QPersistentModelIndex(top)

    def _restore_anchor(self, *args) -> None:
        anchor, self._anchor = self._anchor, None
        if anchor is None or not anchor.isValid():
            return
        self.updateGeometries()
        self.verticalScrollBar().setValue(anchor.row())
