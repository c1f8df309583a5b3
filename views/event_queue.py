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

from console.queue_index import QueueFilter
from console.schema import OPEN_STATUSES, STATUSES
from views.event_queue_model import (
    ClockBadgesRole,
    Column,
    EventIdRole,
    EventQueueModel,
    EventQueueProxy,
    LevelColorRole,
)
from views.labels import status_name
from views.queue_filter_bar import QueueFilterBar
from widgets.anchored_table_view import AnchoredTableView
from widgets.badge_list_delegate import BadgeListDelegate
from widgets.severity_delegate import SeverityDelegate

#: Badge colours of the SLA clocks (background, text); "" = outlined.
CLOCK_TONES = {
    "running": ("", "#9fb3c8"),
    "soon": ("#9a6700", "#ffffff"),
    "overdue": ("#d1242f", "#ffffff"),
    "met": ("", "#3fb950"),
    "late": ("", "#f0883e"),
}

_COLUMN_WIDTHS = {
    Column.LEVEL: 76,
    Column.CATEGORY: 120,
    Column.TITLE: 320,
    Column.SOURCE: 150,
    Column.STREET: 100,
    Column.REPORTED: 90,
    Column.STATUS: 84,
    Column.SLA: 250,
}


class EventQueueView(QWidget):
    """Filter bar + sortable table of the store's events.

    Signals:
      sig_event_selected(event_id): the current row changed ("" when nothing is selected).
    """

    sig_event_selected = Signal(str)

    def __init__(self, bridge, parent=None, settings=None, my_street: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EventQueueView")
        self.model = EventQueueModel(bridge.store, self)
        self.proxy = EventQueueProxy(self)
        self.proxy.setSourceModel(self.model)

        bridge.sig_rows_inserted.connect(self.model.on_rows_inserted)
        bridge.sig_rows_updated.connect(self.model.on_rows_updated)
        bridge.sig_reset.connect(self.model.on_reset)
        bridge.sig_catalog.connect(self.model.on_catalog)
        bridge.sig_outbox_changed.connect(self.model.set_pending)

        self.search = QLineEdit(self)
        self.search.setObjectName("queueSearch")
        self.search.setPlaceholderText(self.tr("Search title, id, street, address…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_later)
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(self._apply_filter)

        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("queueStatusFilter")
        self.status_filter.addItem(self.tr("Open events"), EventQueueProxy.OPEN)
        self.status_filter.addItem(self.tr("All events"), EventQueueProxy.ALL)
        for code in STATUSES:
            self.status_filter.addItem(status_name(code), code)
        self.status_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.filter_bar = QueueFilterBar(settings, my_street, self)
        self.filter_bar.changed.connect(self._apply_filter)
        self.filter_bar.sig_apply.connect(self.set_queue_filter)
        self.filter_bar.set_catalog(bridge.store.catalog)
        bridge.sig_catalog.connect(self.filter_bar.set_catalog)
        self._apply_filter()

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
        self.table.setItemDelegateForColumn(
            Column.SLA, BadgeListDelegate(ClockBadgesRole, CLOCK_TONES, self.table)
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
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.filter_bar)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addLayout(bar)
        layout.addLayout(filters)
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

    def queue_filter(self) -> QueueFilter:
        """The whole filter now in force: status, search text and the filter bar's choices."""
        status = self.status_filter.currentData()
        if status == EventQueueProxy.ALL:
            statuses = None
        elif status == EventQueueProxy.OPEN:
            statuses = OPEN_STATUSES
        else:
            statuses = frozenset({status})
        return self.filter_bar.value(QueueFilter(statuses=statuses,
                                                 text=self.search.text().strip()))

    def set_queue_filter(self, queue_filter: QueueFilter) -> None:
        """Show `queue_filter` in the controls and apply it (a saved filter was chosen)."""
        statuses = queue_filter.statuses
        if statuses is None:
            data = EventQueueProxy.ALL
        elif statuses == OPEN_STATUSES:
            data = EventQueueProxy.OPEN
        elif len(statuses) == 1:
            data = next(iter(statuses))
        else:
            data = EventQueueProxy.OPEN
        for widget in (self.status_filter, self.search):
            widget.blockSignals(True)
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(data)))
        self.search.setText(queue_filter.text)
        for widget in (self.status_filter, self.search):
            widget.blockSignals(False)
        self.filter_bar.show_filter(queue_filter)
        self._apply_filter()

    # ----

    def _apply_filter(self) -> None:
        queue_filter = self.queue_filter()
        self.filter_bar.set_current(queue_filter)
        self.proxy.set_queue_filter(queue_filter)

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
