"""The event queue as Qt models: `EventQueueModel` over the core's EventStore, and
`EventQueueProxy`, which shows it sorted and filtered.

The model's rows are the store's rows (arrival order). It reacts to the store's batch signals
with one `beginInsertRows` per batch and `dataChanged` for updated rows; it resets only when
the store itself was replaced (a resync). Once a second `tick_sla()` refreshes the SLA column.

The proxy keeps no per-row Python logic on the sort or filter path: the order lives in the
core's `QueueIndex` (NumPy), and the proxy only announces its changes to the views.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from enum import IntEnum

import numpy as np
from PySide6.QtCore import (
    QAbstractProxyModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from console.clocks import event_clocks
from console.queue_index import SORT_KEYS, QueueFilter, QueueIndex
from console.schema import CST, OPEN_STATUSES, SOURCES, STATUSES, Event
from views.formatting import clock_tone, format_clock, format_time
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


#: The event id of a row.
EventIdRole = Qt.ItemDataRole.UserRole + 2
#: The catalog colour of the row's level (for SeverityDelegate).
LevelColorRole = Qt.ItemDataRole.UserRole + 3
#: The SLA column's two clocks as [(text, tone)] (for BadgeListDelegate; tones: see
#: `views.formatting.clock_tone`).
ClockBadgesRole = Qt.ItemDataRole.UserRole + 4
#: True for a row that flashes because its event alerts (`EventQueueModel.set_flashing`).
FlashRole = Qt.ItemDataRole.UserRole + 5

_FALLBACK_LEVEL_COLORS = {1: "#e5484d", 2: "#f76b15", 3: "#f5d90a", 4: "#3e8ef7"}
_OVERDUE = QColor("#ff7b72")


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
    """The store's events as table rows (see `Column`), in the store's arrival order.

    Signals:
      sig_rows_changed(rows): the events in these rows changed (one list per live batch);
        `dataChanged` then covers their whole span once, not each row.
      sig_flash_rows(rows): these rows changed their flash state or phase only (the
        `dataChanged` that covers them carries `FlashRole`).
    """

    sig_rows_changed = Signal(object)
    sig_flash_rows = Signal(object)

    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self._store = store
        self._rows = len(store)
        self._names = _CatalogNames(store.catalog)
        self._now = datetime.now(CST)
        self._row_tint_base = QColor("#161b22")
        self._tints: dict[int, QColor] = {}
        self._flash_ids: frozenset[str] = frozenset()
        self._flash_rows: frozenset[int] = frozenset()
        self._flash_on = False
        self._pending: dict[str, int] = {}

    # ---- Public API

    @property
    def store(self):
        """The EventStore shown."""
        return self._store

    def event_at(self, row: int) -> Event:
        """The event shown in `row`."""
        return self._store.event_at(row)

    def cell(self, row: int, column: int) -> QModelIndex:
        """The index of a known cell, made without asking rowCount/columnCount (the proxy's
        hot path)."""
        return self.createIndex(row, column)

    def row_of(self, event_id: str) -> int | None:
        """The row showing `event_id`, or None."""
        row = self._store.row_of(event_id)
        return row if row is not None and row < self._rows else None

    def set_flashing(self, event_ids) -> None:
        """Flash the rows of `event_ids` (and stop flashing the others): while the flash
        phase is on (`set_flash_phase`) their background is their level colour, strong."""
        ids = frozenset(event_ids)
        if ids == self._flash_ids:
            return
        before = self._flash_rows
        self._flash_ids = ids
        self._flash_rows = self._rows_of(ids)
        self._announce_flash(before | self._flash_rows)

    def set_pending(self, pending) -> None:
        """Mark the rows of events with commands in the outbox (`PendingCommand`s): their
        status reads "… ⇡n" until the backend has answered."""
        counts: dict[str, int] = {}
        for item in pending:
            if item.event_id:
                counts[item.event_id] = counts.get(item.event_id, 0) + 1
        if counts == self._pending:
            return
        rows = self._rows_of(frozenset(counts) | frozenset(self._pending))
        self._pending = counts
        for row in sorted(r for r in rows if r < self._rows):
            cell = self.index(row, Column.STATUS)
            self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole])

    def pending_count(self, event_id: str) -> int:
        """Commands on `event_id` still in the outbox."""
        return self._pending.get(event_id, 0)

    def set_flash_phase(self, on: bool) -> None:
        """Switch the flashing rows' strong background on or off (one `dataChanged`)."""
        if on != self._flash_on:
            self._flash_on = on
            self._announce_flash(self._flash_rows)

    def flashing_rows(self) -> frozenset[int]:
        """The rows that flash now."""
        return self._flash_rows

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
        """The store changed the events in `rows` (one call per batch)."""
        valid = [r for r in rows if 0 <= r < self._rows]
        if not valid:
            return
        self._refresh_catalog()
        self.sig_rows_changed.emit(valid)
        self.dataChanged.emit(self.index(min(valid), 0), self.index(max(valid), len(Column) - 1))

    def on_reset(self) -> None:
        """The store was replaced (a resync): the only time the model resets."""
        self.beginResetModel()
        self._refresh_catalog()
        self._rows = len(self._store)
        self._flash_rows = self._rows_of(self._flash_ids)
        self.endResetModel()

    def on_catalog(self, _catalog=None) -> None:
        """New reference data: names and colours of every row may change (rare: at start)."""
        self.beginResetModel()
        self._refresh_catalog()
        self.endResetModel()

    def names(self) -> dict[str, dict[str, str]]:
        """Display names by kind ("category", "street", "source", "status") for sort and search."""
        return {
            "category": dict(self._names.categories),
            "street": dict(self._names.streets),
            "source": {code: source_name(code) for code in SOURCES},
            "status": {code: status_name(code) for code in STATUSES},
        }

    @property
    def now(self) -> datetime:
        """The clock the SLA column is drawn at (moved by `tick_sla`)."""
        return self._now

    def tick_sla(self, now: datetime | None = None) -> None:
        """Move the clock and refresh the SLA column only."""
        self._now = now or datetime.now(CST)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, Column.SLA),
                self.index(self._rows - 1, Column.SLA),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, ClockBadgesRole],
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
        if not index.isValid():
            return None
        return self.cell_data(index.row(), index.column(), role)

    def cell_data(self, row: int, column: int, role: int):
        """`data()` of a cell by row and column (the proxy's hot path: one Python call a cell)."""
        if row >= self._rows:
            return None
        event = self._store.event_at(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(event, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            if self._flash_on and row in self._flash_rows:
                return _blend(self._names.level(event.level)[1], self._row_tint_base, 0.55)
            return self._tints.get(event.level) or self._tint(event.level)
        if role == FlashRole:
            return row in self._flash_rows
        if role == ClockBadgesRole:
            if column != Column.SLA:
                return None
            return [(format_clock(clock), clock_tone(clock))
                    for clock in event_clocks(event, self._now) if clock.state != "none"]
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.STATUS and event.bounces:
                return _OVERDUE
            return None
        if role == LevelColorRole:
            return self._names.level(event.level)[1] if column == Column.LEVEL else None
        if role == EventIdRole:
            return event.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == Column.TITLE:
                return event.title
            if column == Column.STATUS and (event.bounces or event.id in self._pending):
                tips = []
                if event.bounces:
                    tips.append(QCoreApplication.translate(
                        "EventQueue", "Times sent back by a unit: %1").replace("%1", str(event.bounces)))
                if event.id in self._pending:
                    tips.append(QCoreApplication.translate(
                        "EventQueue", "Commands waiting to sync: %1").replace(
                            "%1", str(self._pending[event.id])))
                return "\n".join(tips)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.LEVEL:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    # ----

    def _refresh_catalog(self) -> None:
        if self._names.catalog is not self._store.catalog:
            self._names = _CatalogNames(self._store.catalog)
            self._tints = {}

    def _rows_of(self, event_ids: frozenset[str]) -> frozenset[int]:
        rows = (self._store.row_of(event_id) for event_id in event_ids)
        return frozenset(row for row in rows if row is not None)

    def _announce_flash(self, rows: frozenset[int]) -> None:
        shown = sorted(row for row in rows if row < self._rows)
        if not shown:
            return
        self.sig_flash_rows.emit(shown)
        self.dataChanged.emit(self.index(shown[0], 0), self.index(shown[-1], len(Column) - 1),
                              [Qt.ItemDataRole.BackgroundRole, FlashRole])

    def _tint(self, level: int) -> QColor:
        """The row background of a level: its colour faintly over the table's base."""
        color = _blend(self._names.level(level)[1], self._row_tint_base,
                       0.16 if level <= 2 else 0.08)
        self._tints[level] = color
        return color

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
            text = status_name(event.status)
            if event.bounces:
                text = f"{text} ↩{event.bounces}"
            if self._pending and event.id in self._pending:
                text = f"{text} ⇡{self._pending[event.id]}"
            return text
        if column == Column.SLA:
            return " · ".join(format_clock(clock) for clock in event_clocks(event, self._now)
                              if clock.state != "none")
        return ""


#: Above this many rows changing place in one batch, one layout change beats row moves.
_MOVES_ONE_BY_ONE = 16

#: The core's sort key of each column.
_SORT_KEY = dict(zip(Column, SORT_KEYS, strict=True))


class EventQueueProxy(QAbstractProxyModel):
    """The queue as shown: sorted by one column and filtered by a `QueueFilter` (statuses,
    levels, sources, streets, categories, overdue, search text).

    The order is the core's `QueueIndex`; this class announces each of its changes with the
    narrowest Qt signal (rows inserted, moved or removed, data changed) so that selection
    and scroll position survive live updates. Changing the filter resets the proxy (the view
    re-selects the selected event); changing the sort is a layout change. The overdue filter
    follows the model's SLA clock (`EventQueueModel.tick_sla`, or `set_now`): events whose
    deadline passes come in as inserted rows.
    """

    #: Status filters offered to the user: "all", "open" or a single status code.
    ALL = "all"
    OPEN = "open"

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._index: QueueIndex | None = None
        self._source: EventQueueModel | None = None
        self._filter = QueueFilter()

    # ---- Public API

    def setSourceModel(self, model: EventQueueModel) -> None:  # noqa: N802 (Qt name)
        self.beginResetModel()
        super().setSourceModel(model)
        self._source = model
        self._index = QueueIndex(model.store, model.names, _clock_of(model))
        self._index.set_filter(self._filter)
        model.rowsInserted.connect(self._source_inserted)
        model.dataChanged.connect(self._source_clock)
        model.sig_rows_changed.connect(self._source_rows_changed)
        model.sig_flash_rows.connect(self._source_flash)
        model.modelReset.connect(self._source_reset)
        self.endResetModel()

    def queue_filter(self) -> QueueFilter:
        """The filter in force."""
        return self._filter

    def text_rows(self, text: str):
        """Store rows of every event (shown or not) whose text contains `text`."""
        return self._index.text_rows(text) if self._index is not None else []

    def set_queue_filter(self, queue_filter: QueueFilter) -> None:
        """Show the events `queue_filter` lets through (a reset: the view re-selects)."""
        self._filter = queue_filter
        if self._index is None:
            return
        self.beginResetModel()
        self._index.set_filter(queue_filter)
        self.endResetModel()

    def set_text_filter(self, text: str) -> None:
        """Show only rows whose id, title, address, description, or category, street,
        source or status name contain `text` (case-insensitive); other filters stay."""
        self.set_queue_filter(replace(self._filter, text=text.strip()))

    def set_status_filter(self, status: str) -> None:
        """Show all rows (`ALL`), open ones (`OPEN`) or those with one status code; other
        filters stay."""
        if status == self.ALL:
            statuses = None
        elif status == self.OPEN:
            statuses = OPEN_STATUSES
        else:
            statuses = frozenset({status})
        self.set_queue_filter(replace(self._filter, statuses=statuses))

    def set_now(self, now: datetime) -> None:
        """Move the overdue filter's clock: rows whose deadline passed come in (inserted
        rows), rows filtered by a later clock go (the clock went back). Called on every tick
        of the model's SLA clock."""
        if self._index is None:
            return
        leave, enter = self._index.set_now(now)
        self._remove_rows(leave)
        self._insert_runs(self._index.plan_enter(enter.tolist()))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._index is None or column not in _SORT_KEY:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self._relayout(lambda: self._index.set_sort(_SORT_KEY[Column(column)], descending))

    # ---- QAbstractProxyModel

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < self.rowCount() and 0 <= column < len(Column)):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, _index: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self._index is None else len(self._index)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self.rowCount() > 0

    def mapToSource(self, proxy_index: QModelIndex) -> QModelIndex:  # noqa: N802
        if not proxy_index.isValid() or self._source is None:
            return QModelIndex()
        return self._source.cell(self._index.store_row(proxy_index.row()), proxy_index.column())

    def mapFromSource(self, source_index: QModelIndex) -> QModelIndex:  # noqa: N802
        if not source_index.isValid() or self._index is None:
            return QModelIndex()
        row = self._index.display_row(source_index.row())
        return self.index(row, source_index.column()) if row >= 0 else QModelIndex()

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if self._source is None:
            return None
        return self._source.headerData(section, orientation, role)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        # The same as mapping to the source and asking it, in one Python call instead of three.
        if not index.isValid() or self._source is None:
            return None
        return self._source.cell_data(self._index.store_row(index.row()), index.column(), role)

    # ---- Following the source

    def _source_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._insert_runs(self._index.appended(first, last - first + 1))

    def _source_clock(self, top_left: QModelIndex, bottom_right: QModelIndex, roles=()) -> None:
        """The SLA clock moved: the order does not (it sorts by deadline, not time left), but
        the overdue filter may let more rows in. Other changes arrive as `sig_rows_changed`,
        with the exact rows."""
        if top_left.column() != bottom_right.column() or top_left.column() != Column.SLA:
            return
        self.set_now(_clock_of(self._source))
        if count := self.rowCount():
            self.dataChanged.emit(self.index(0, Column.SLA), self.index(count - 1, Column.SLA),
                                  roles)

    def _source_rows_changed(self, rows) -> None:
        stay, leave, move, enter = self._index.updated(rows)
        self._remove_rows(leave)
        if len(move) > _MOVES_ONE_BY_ONE:
            self._relayout(self._index.resort)
        else:
            for row in move.tolist():
                self._move(row)
        self._insert_runs(self._index.plan_enter(enter.tolist()))
        changed = np.concatenate((stay, move))
        if len(changed):
            displays = self._index.display_rows(changed)
            self.dataChanged.emit(self.index(int(displays.min()), 0),
                                  self.index(int(displays.max()), len(Column) - 1))

    def _source_flash(self, rows) -> None:
        """Rows flash or stop flashing: repaint the span they have on screen, once."""
        displays = [d for d in (self._index.display_row(row) for row in rows) if d >= 0]
        if displays:
            self.dataChanged.emit(self.index(min(displays), 0),
                                  self.index(max(displays), len(Column) - 1),
                                  [Qt.ItemDataRole.BackgroundRole, FlashRole])

    def _source_reset(self) -> None:
        self.beginResetModel()
        self._index.refresh_all()
        self.endResetModel()

    # ----

    def _remove_rows(self, rows: np.ndarray) -> None:
        """Take shown store rows out, one removal per run of neighbours, bottom first."""
        if not len(rows):
            return
        displays = np.sort(self._index.display_rows(rows))[::-1]
        breaks = np.flatnonzero(np.diff(displays) != -1) + 1
        for run in np.split(displays, breaks):
            self.beginRemoveRows(QModelIndex(), int(run[-1]), int(run[0]))
            self._index.remove_display_range(int(run[-1]), int(run[0]))
            self.endRemoveRows()

    def _insert_runs(self, runs) -> None:
        for display, rows in runs:
            self.beginInsertRows(QModelIndex(), display, display + len(rows) - 1)
            self._index.insert_run(display, rows)
            self.endInsertRows()

    def _move(self, row: int) -> None:
        """Move a shown row whose sort key changed, keeping its persistent indexes."""
        before = self._index.display_row(row)
        self._index.remove(row)
        ((after, _rows),) = self._index.plan_enter([row])
        if after != before:
            destination = after if after < before else after + 1
            # Qt wants the move announced before the change: put the row back for a moment.
            self._index.insert_run(before, np.array([row]))
            self.beginMoveRows(QModelIndex(), before, before, QModelIndex(), destination)
            self._index.remove(row)
            self._index.insert_run(after, np.array([row]))
            self.endMoveRows()
        else:
            self._index.insert_run(after, np.array([row]))

    def _relayout(self, change) -> None:
        """Apply an order change that keeps the same rows, moving persistent indexes along."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        rows = [(self._index.store_row(p.row()), p.column()) for p in persistent]
        change()
        moved = [self.index(self._index.display_row(row), column) for row, column in rows]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()


def _clock_of(model: EventQueueModel | None) -> datetime:
    """The model's SLA clock (what its SLA column shows as overdue), or the wall clock."""
    return model.now if model is not None else datetime.now(CST)
