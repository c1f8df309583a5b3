"""EventQueueModel: the event queue as a Qt table model over the core's EventStore.

Rows are the store's rows (arrival order); sorting and filtering are the proxy's job
(`EventQueueProxy`). The model reacts to the store's batch signals with one
`beginInsertRows` per batch and `dataChanged` for updated rows; it resets only when the
store itself was replaced (a resync). Once a second `tick_sla()` refreshes the SLA column.
"""

from __future__ import annotations

import math
from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from console.schema import CST, OPEN_STATUSES, Event
from views.formatting import format_sla, format_time, sla_clock, sla_sort_key
from views.labels import source_name, status_name


class Column(IntEnum):
    LEVEL = 0
    CATEGORY = 1
    TITLE = 2
    SOURCE = 3
    STREET = 4
    REPORTED = 5
    STATUS = 6
    SLA = 7


#: Raw, sortable value of a cell (ints, timestamps, seconds).
SortRole = Qt.ItemDataRole.UserRole + 1
#: The event id of a row.
EventIdRole = Qt.ItemDataRole.UserRole + 2
#: The catalog colour of the row's level (for SeverityDelegate).
LevelColorRole = Qt.ItemDataRole.UserRole + 3
#: One string the filter matches: "\x1f<status>\x1f <searchable text>".
FilterRole = Qt.ItemDataRole.UserRole + 4

_FALLBACK_LEVEL_COLORS = {1: "#e5484d", 2: "#f76b15", 3: "#f5d90a", 4: "#3e8ef7"}
_OVERDUE = QColor("#ff7b72")
_DUE_SOON = QColor("#e3b341")
_DUE_SOON_SECONDS = 300


def _blend(color: QColor, base: QColor, share: float) -> QColor:
    return QColor(
        round(color.red() * share + base.red() * (1 - share)),
        round(color.green() * share + base.green() * (1 - share)),
        round(color.blue() * share + base.blue() * (1 - share)),
    )


class _CatalogNames:
    """Lookups built once per catalog object: level names/colours, category and street names."""

    def __init__(self, catalog) -> None:
        self.catalog = catalog
        self.levels: dict[int, tuple[str, QColor]] = {}
        self.categories: dict[str, str] = {}
        self.streets: dict[str, str] = {}
        if catalog is None:
            return
        for level in catalog.levels:
            self.levels[level.level] = (level.name, QColor(level.color))
        self.categories = {c.code: c.name for c in catalog.categories}
        self.streets = {s.id: s.name for s in catalog.streets}

    def level(self, level: int) -> tuple[str, QColor]:
        found = self.levels.get(level)
        if found is not None:
            return found
        return str(level), QColor(_FALLBACK_LEVEL_COLORS.get(level, "#8b949e"))


class EventQueueModel(QAbstractTableModel):
    """The store's events as table rows (see `Column`), with roles for sorting and filtering."""

    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self._store = store
        self._rows = len(store)
        self._names = _CatalogNames(store.catalog)
        self._now = datetime.now(CST)
        self._row_tint_base = QColor("#161b22")

    # ---- Public API

    @property
    def store(self):
        """The EventStore shown."""
        return self._store

    def event_at(self, row: int) -> Event:
        """The event shown in `row`."""
        return self._store.event_at(row)

    def row_of(self, event_id: str) -> int | None:
        """The row showing `event_id`, or None."""
        row = self._store.row_of(event_id)
        return row if row is not None and row < self._rows else None

    def on_rows_inserted(self, first: int, count: int) -> None:
        """The store appended `count` events from `first` (one call per batch)."""
        if count <= 0:
            return
        self._refresh_catalog()
        first = min(first, self._rows)
        last = len(self._store) - 1
        if last < first:
            return
        self.beginInsertRows(QModelIndex(), first, last)
        self._rows = last + 1
        self.endInsertRows()

    def on_rows_updated(self, rows) -> None:
        """The store changed the events in `rows`: one dataChanged per contiguous run."""
        self._refresh_catalog()
        valid = sorted({r for r in rows if 0 <= r < self._rows})
        if not valid:
            return
        last_column = len(Column) - 1
        start = prev = valid[0]
        for row in valid[1:] + [None]:
            if row is not None and row == prev + 1:
                prev = row
                continue
            self.dataChanged.emit(self.index(start, 0), self.index(prev, last_column))
            if row is not None:
                start = prev = row

    def on_reset(self) -> None:
        """The store was replaced (a resync): the only time the model resets."""
        self.beginResetModel()
        self._names = _CatalogNames(self._store.catalog)
        self._rows = len(self._store)
        self.endResetModel()

    def on_catalog(self, _catalog=None) -> None:
        """New reference data: names and colours of every row may change."""
        self._refresh_catalog()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, len(Column) - 1))

    def tick_sla(self, now: datetime | None = None) -> None:
        """Move the clock and refresh the SLA column only."""
        self._now = now or datetime.now(CST)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, Column.SLA),
                self.index(self._rows - 1, Column.SLA),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, SortRole],
            )

    # ---- QAbstractTableModel

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = {
            Column.LEVEL: QCoreApplication.translate("EventQueue", "Level"),
            Column.CATEGORY: QCoreApplication.translate("EventQueue", "Category"),
            Column.TITLE: QCoreApplication.translate("EventQueue", "Title"),
            Column.SOURCE: QCoreApplication.translate("EventQueue", "Source"),
            Column.STREET: QCoreApplication.translate("EventQueue", "Street"),
            Column.REPORTED: QCoreApplication.translate("EventQueue", "Reported"),
            Column.STATUS: QCoreApplication.translate("EventQueue", "Status"),
            Column.SLA: QCoreApplication.translate("EventQueue", "SLA"),
        }
        return headers.get(section)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= self._rows:
            return None
        event = self._store.event_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(event, column)
        if role == SortRole:
            return self._sort_value(event, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            color = self._names.level(event.level)[1]
            return _blend(color, self._row_tint_base, 0.16 if event.level <= 2 else 0.08)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.SLA:
                clock = sla_clock(event, self._now)
                if clock is not None and clock[1] < 0:
                    return _OVERDUE
                if clock is not None and clock[1] < _DUE_SOON_SECONDS:
                    return _DUE_SOON
            return None
        if role == LevelColorRole:
            return self._names.level(event.level)[1] if column == Column.LEVEL else None
        if role == EventIdRole:
            return event.id
        if role == FilterRole:
            return self._filter_text(event)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.TITLE:
            return event.title
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.LEVEL, Column.SLA):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    # ----

    def _refresh_catalog(self) -> None:
        if self._names.catalog is not self._store.catalog:
            self._names = _CatalogNames(self._store.catalog)

    def _display(self, event: Event, column: int) -> str:
        if column == Column.LEVEL:
            return self._names.level(event.level)[0]
        if column == Column.CATEGORY:
            return self._names.categories.get(event.category, event.category)
        if column == Column.TITLE:
            return event.title
        if column == Column.SOURCE:
            return source_name(event.source)
        if column == Column.STREET:
            street = event.location.street_id
            return self._names.streets.get(street, street or "") if street else ""
        if column == Column.REPORTED:
            return format_time(event.reported_at, self._now)
        if column == Column.STATUS:
            return status_name(event.status)
        if column == Column.SLA:
            return format_sla(sla_clock(event, self._now))
        return ""

    def _sort_value(self, event: Event, column: int):
        if column == Column.LEVEL:
            return event.level
        if column == Column.REPORTED:
            return event.reported_at.timestamp()
        if column == Column.SLA:
            key = sla_sort_key(sla_clock(event, self._now))
            return key if key != math.inf else 1e18
        return self._display(event, column)

    def _filter_text(self, event: Event) -> str:
        street = event.location.street_id or ""
        return f"\x1f{event.status}\x1f {event.id} {event.title} {self._names.categories.get(event.category, event.category)} {self._names.streets.get(street, street)} {source_name(event.source)} {event.location.address}"


class EventQueueProxy(QSortFilterProxyModel):
    """Sorts on raw values and filters on one precomputed string per row (no Python filter).

    The filter reads `FilterRole` of the title column only, so the per-second SLA refresh
    never triggers re-filtering.
    """

    #: Status filters offered to the user: "all", "open" or a single status code.
    ALL = "all"
    OPEN = "open"

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._text = ""
        self._status = self.ALL
        self.setSortRole(SortRole)
        self.setFilterRole(FilterRole)
        self.setFilterKeyColumn(Column.TITLE)
        self.setDynamicSortFilter(True)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_text_filter(self, text: str) -> None:
        """Show only rows whose id, title, category, street, source or address contain `text`."""
        self._text = text.strip()
        self._apply()

    def set_status_filter(self, status: str) -> None:
        """Show all rows, open ones (`OPEN`) or those with one status code."""
        self._status = status
        self._apply()

    def _apply(self) -> None:
        if self._status == self.ALL:
            statuses = "[^\x1f]*"
        elif self._status == self.OPEN:
            statuses = "(?:" + "|".join(sorted(OPEN_STATUSES)) + ")"
        else:
            statuses = QRegularExpression.escape(self._status)
        pattern = "^\x1f" + statuses + "\x1f"
        if self._text:
            pattern += ".*" + QRegularExpression.escape(self._text)
        if self._status == self.ALL and not self._text:
            pattern = ""
        expression = QRegularExpression(
            pattern,
            QRegularExpression.PatternOption.CaseInsensitiveOption
            | QRegularExpression.PatternOption.DotMatchesEverythingOption,
        )
        self.setFilterRegularExpression(expression)
