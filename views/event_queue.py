"""The event queue view: a filter bar over the live table of events."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console.schema import STATUSES
from views.event_queue_model import (
    Column,
    EventIdRole,
    EventQueueModel,
    EventQueueProxy,
    LevelColorRole,
)
from views.labels import status_name
from widgets.anchored_table_view import AnchoredTableView
from widgets.severity_delegate import SeverityDelegate

_COLUMN_WIDTHS = {
    Column.LEVEL: 76,
    Column.CATEGORY: 120,
    Column.TITLE: 320,
    Column.SOURCE: 150,
    Column.STREET: 100,
    Column.REPORTED: 90,
    Column.STATUS: 84,
    Column.SLA: 120,
}


class EventQueueView(QWidget):
    """Filter bar + sortable table of the store's events.

    Signals:
      sig_event_selected(event_id): the current row changed ("" when nothing is selected).
    """

    sig_event_selected = Signal(str)

    def __init__(self, bridge, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("EventQueueView")
        self.model = EventQueueModel(bridge.store, self)
        self.proxy = EventQueueProxy(self)
        self.proxy.setSourceModel(self.model)

        bridge.sig_rows_inserted.connect(self.model.on_rows_inserted)
        bridge.sig_rows_updated.connect(self.model.on_rows_updated)
        bridge.sig_reset.connect(self.model.on_reset)
        bridge.sig_catalog.connect(self.model.on_catalog)

        self.search = QLineEdit(self)
        self.search.setObjectName("queueSearch")
        self.search.setPlaceholderText(self.tr("Search title, id, street, address…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_later)
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(
            lambda: self.proxy.set_text_filter(self.search.text())
        )

        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("queueStatusFilter")
        self.status_filter.addItem(self.tr("Open events"), EventQueueProxy.OPEN)
        self.status_filter.addItem(self.tr("All events"), EventQueueProxy.ALL)
        for code in STATUSES:
            self.status_filter.addItem(status_name(code), code)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status_filter(self.status_filter.currentData())
        )
        self.proxy.set_status_filter(EventQueueProxy.OPEN)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("queueCount")

        self.table = AnchoredTableView(self)
        self.table.setObjectName("eventTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.REPORTED, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(False)
        self.table.setShowGrid(False)
        self.table.setItemDelegateForColumn(
            Column.LEVEL, SeverityDelegate(LevelColorRole, self.table)
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        for column, width in _COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self._kept_selection = ""
        self.proxy.modelAboutToBeReset.connect(self._keep_selection)
        self.proxy.modelReset.connect(self._restore_selection)

        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged, self.model.rowsInserted):
            signal.connect(self._update_count)
        self._update_count()

        self._sla_timer = QTimer(self, interval=1000)
        self._sla_timer.timeout.connect(lambda: self.model.tick_sla())
        self._sla_timer.start()

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("Event queue"), self)
        title.setObjectName("panelTitle")
        bar.addWidget(title)
        bar.addSpacing(12)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    # ---- Public API

    def selected_event_id(self) -> str:
        """The id of the selected event, or ""."""
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return ""
        return str(index.data(EventIdRole) or "")

    def select_event(self, event_id: str) -> bool:
        """Select and show the row of `event_id` (False when it is filtered out or unknown)."""
        row = self.model.row_of(event_id)
        if row is None:
            return False
        proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not proxy_index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            proxy_index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(proxy_index)
        return True

    def visible_row_of(self, event_id: str) -> int | None:
        """The proxy (on-screen) row of `event_id`, or None when not shown."""
        row = self.model.row_of(event_id)
        if row is None:
            return None
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        return index.row() if index.isValid() else None

    # ----

    def _keep_selection(self) -> None:
        self._kept_selection = self.selected_event_id()

    def _restore_selection(self) -> None:
        kept, self._kept_selection = self._kept_selection, ""
        if kept and not self.select_event(kept):
            self.sig_event_selected.emit("")

    def _search_later(self, _text: str) -> None:
        self._search_timer.start()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.sig_event_selected.emit(str(current.data(EventIdRole) or "") if current.isValid() else "")

    def _update_count(self, *args) -> None:
        self.count_label.setText(
            self.tr("%1 of %2").replace("%1", str(self.proxy.rowCount())).replace(
                "%2", str(self.model.rowCount())
            )
        )
