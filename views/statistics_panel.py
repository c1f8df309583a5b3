"""The hall's event statistics panel: today's figures of the events the console holds.

The figures and their definitions are the core's (`console.event_stats`); this panel only
shows them: big numbers for the day's intake, the closure and on-time rates, open, overdue
and sent-back events, and bar lists for the intake by source and the top categories and
streets. Clicking a figure or a line asks the queue to show those events
(`sig_filter_requested`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from console.event_stats import EventStats, EventStatsIndex, Rate, queue_filter_for
from console.saved_filters import filter_to_dict
from console.schema import CST, now_cst
from views.labels import source_name
from widgets.bar_list import BarList
from widgets.stat_tile import StatTile

#: How often the panel asks the core whether the figures are due for a recompute (the core
#: throttles: at most every couple of seconds after a change).
TICK_MS = 1000
#: From this width on (pixels) the panel lays its tiles and lists out side by side.
WIDE = 860


class StatisticsPanel(QWidget):
    """Today's event figures of `store`, kept current while the panel is shown.

    Build it before the store is loaded (it follows the store from then on; see
    `EventStatsIndex`), or hand it an `EventStatsIndex` built then (`stats`). `clock` is the
    console's clock (default: now in the district).

    Signals:
      sig_filter_requested(dict): a figure or a breakdown line was clicked: the queue filter
        that shows its events, as `console.saved_filters.filter_to_dict` writes it (apply with
        `filter_from_dict` and `EventQueueView.set_queue_filter`).
    """

    sig_filter_requested = Signal(dict)

    def __init__(self, store, parent=None, *, clock: Callable[[], datetime] | None = None,
                 stats: EventStatsIndex | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StatisticsPanel")
        if stats is None:
            stats = EventStatsIndex(store, clock=clock or now_cst)
        #: The core object that follows the store and computes the figures.
        self.stats = stats
        self.shown: EventStats | None = None

        title = QLabel(self.tr("Event statistics"), self)
        title.setObjectName("panelTitle")
        self.as_of_label = QLabel(self)
        self.as_of_label.setObjectName("statsAsOf")

        self.tiles: dict[str, StatTile] = {}
        self._tile_grid = QGridLayout()
        self._tile_grid.setContentsMargins(0, 0, 0, 0)
        self._tile_grid.setHorizontalSpacing(8)
        self._tile_grid.setVerticalSpacing(8)
        for figure, caption in (
                ("intake", self.tr("Reported today")),
                ("closure", self.tr("Closure rate")),
                ("sign_on_time", self.tr("Signed for on time")),
                ("resolve_on_time", self.tr("Resolved on time")),
                ("open", self.tr("Open now")),
                ("overdue", self.tr("Overdue now")),
                ("returned", self.tr("Sent back, to re-dispatch")),
                ("returns", self.tr("Sent back today"))):
            tile = StatTile(caption, self)
            tile.setAccessibleName(caption)
            if queue_filter_for(figure) is not None:
                tile.set_clickable(True)
                tile.setToolTip(self.tr("Show these events in the queue"))
                tile.clicked.connect(lambda f=figure: self._request(f))
            self.tiles[figure] = tile

        self.bars: dict[str, BarList] = {}
        self._breakdowns: list[QWidget] = []
        self._breakdown_grid = QGridLayout()
        self._breakdown_grid.setContentsMargins(0, 0, 0, 0)
        self._breakdown_grid.setHorizontalSpacing(16)
        self._breakdown_grid.setVerticalSpacing(10)
        for kind, heading in (("source", self.tr("Reported today by source")),
                              ("category", self.tr("Top categories today")),
                              ("street", self.tr("Top streets today"))):
            bars = BarList(self, min_rows=7 if kind == "source" else 5)
            bars.setObjectName(f"bars_{kind}")
            bars.empty_text = self.tr("No events reported today")
            bars.setToolTip(self.tr("Click a line to show its events in the queue"))
            bars.sig_clicked.connect(lambda code, k=kind: self._request(k, code))
            self.bars[kind] = bars
            box = QWidget(self)
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(4)
            label = QLabel(heading, box)
            label.setObjectName("sectionTitle")
            column.addWidget(label)
            column.addWidget(bars)
            column.addStretch(1)
            self._breakdowns.append(box)

        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.as_of_label)
        # In a scroll area: narrow, the tiles stack up, and the panel must not make the
        # window taller than its screen.
        content = QWidget(self)
        content.setObjectName("statisticsContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(10)
        layout.addLayout(head)
        layout.addLayout(self._tile_grid)
        layout.addLayout(self._breakdown_grid)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("statisticsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._wide: bool | None = None
        self._arrange(wide=True)

        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.show_stats(self.stats.compute())

    # ---- Public API

    def refresh(self) -> None:
        """Recompute now (the panel otherwise follows the core's throttle)."""
        self.show_stats(self.stats.refresh(force=True))

    def show_stats(self, stats: EventStats) -> None:
        """Show `stats` (what the timer does with each new computation)."""
        self.as_of_label.setText(
            self.tr("%1 · as of %2").replace("%1", stats.day.isoformat())
            .replace("%2", stats.now.astimezone(CST).strftime("%H:%M:%S")))
        if stats == self.shown:
            return
        self.shown = stats
        tiles = self.tiles
        tiles["intake"].set_value(_count(stats.intake),
                                  self.tr("%1 events held").replace("%1", _count(stats.events)))
        for figure, rate in (("closure", stats.closure), ("sign_on_time", stats.sign_on_time),
                             ("resolve_on_time", stats.resolve_on_time)):
            tiles[figure].set_value(self._percent(rate), self._share(rate, figure))
        tiles["open"].set_value(_count(stats.open_now), self.tr("in every status but closed"))
        tiles["overdue"].set_value(
            _count(stats.overdue),
            self.tr("sign-for %1 · resolve %2").replace("%1", _count(stats.overdue_sign))
            .replace("%2", _count(stats.overdue_resolve)))
        tiles["overdue"].set_tone("alarm" if stats.overdue else "")
        tiles["returned"].set_value(_count(stats.returned_now),
                                    self.tr("waiting in the hall"))
        tiles["returned"].set_tone("warning" if stats.returned_now else "")
        tiles["returns"].set_value(_count(stats.returns), self.tr("returns by units"))
        self.bars["source"].set_rows([(t.code, source_name(t.code), t.count)
                                      for t in stats.by_source])
        self.bars["category"].set_rows([(t.code, t.name, t.count)
                                        for t in stats.top_categories])
        self.bars["street"].set_rows([(t.code, t.name or self.tr("No street"), t.count)
                                      for t in stats.top_streets])

    # ----

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange(wide=self.width() >= WIDE)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def _tick(self) -> None:
        if self.isVisible():
            stats = self.stats.refresh()
            if stats is not None:
                self.show_stats(stats)

    def _arrange(self, wide: bool) -> None:
        """Four tiles a row and the three lists side by side when wide; two tiles a row and
        the lists one under the other when narrow (a side dock)."""
        if wide == self._wide:
            return
        self._wide = wide
        arrangements = ((self._tile_grid, list(self.tiles.values()), 4 if wide else 2),
                        (self._breakdown_grid, self._breakdowns, 3 if wide else 1))
        for grid, widgets, columns in arrangements:
            for widget in widgets:
                grid.removeWidget(widget)
            for position, widget in enumerate(widgets):
                grid.addWidget(widget, position // columns, position % columns)
            for column in range(max(4, columns)):
                grid.setColumnStretch(column, 1 if column < columns else 0)

    def _request(self, figure: str, code: str | None = None) -> None:
        queue_filter = queue_filter_for(figure, code)
        if queue_filter is not None:
            self.sig_filter_requested.emit(filter_to_dict(queue_filter))

    def _percent(self, rate: Rate) -> str:
        if rate.value is None:
            return "—"
        return self.tr("%1 %").replace("%1", f"{rate.value * 100:.1f}")

    def _share(self, rate: Rate, figure: str) -> str:
        if not rate.whole:
            return {
                "closure": self.tr("nothing reported today"),
                "sign_on_time": self.tr("none due or met today"),
                "resolve_on_time": self.tr("none due or met today"),
            }[figure]
        return self.tr("%1 of %2").replace("%1", _count(rate.part)).replace(
            "%2", _count(rate.whole))


def _count(number: int) -> str:
    return f"{number:,}"
