"""The city's vital signs (數字體征) as cards, grouped, for the desk and the wall.

The board (`console.indicators.IndicatorBoard`, through an `IndicatorBridge`) decides values,
states and breaches; the dashboard only shows them. Live changes touch only the cards of the
indicators that changed (a stored value and a repaint each), gathered for `CHANGES_MS` so
the batches of a quarter second are painted in one pass; the ages, the sparklines and the
change against yesterday are refreshed for all cards on one timer, every `REFRESH_MS`, and
only while the dashboard is visible.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.schema import Indicator
from views.formatting import format_ago
from views.indicator_trend import GAP_INTERVALS, IndicatorTrendWindow, SeriesLoader, gap_of
from views.labels import indicator_group_name
from widgets.indicator_card import LARGE_METRICS, IndicatorCard
from widgets.tile_flow import TileFlow

#: How many hours of history a card's sparkline shows.
SPARK_HOURS = 6.0
#: A value is shown as stale when it is older than this many sample intervals (and at least
#: `STALE_MIN_SECONDS`): the feed should have brought a newer one by then.
STALE_INTERVALS = GAP_INTERVALS
STALE_MIN_SECONDS = 120.0

#: Wall sizes in device pixels (the cards' own are in widgets/indicator_card.py).
_LARGE_HEADING_PX = 64
_LARGE_TITLE_PX = 72
_LARGE_GAP_PX = 24
_LARGE_MARGIN_PX = 32


def is_stale(indicator: Indicator, age: float) -> bool:
    """True when `indicator`'s value, `age` seconds old, is overdue for a newer sample."""
    return age > max(STALE_MIN_SECONDS, STALE_INTERVALS * (indicator.interval or 60.0))


class IndicatorDashboard(QWidget):
    """Every indicator of the board as a card, under its group's heading, in a flow that fills
    the width (scrolling when it is taller than the screen).

    `set_large(True)` (or the "Large type" button) switches to wall type. Clicking a card
    opens its trend window (`open_trend`); `loader` fetches the 7-day series there (see
    `views.indicator_trend.SeriesLoader`). `groups` limits the dashboard to these groups
    (one wall screen each, say); None shows all.

    Signals:
      sig_trend_opened(indicator_id): a trend window was opened or raised.
    """

    sig_trend_opened = Signal(str)

    #: How often ages, sparklines and changes are refreshed.
    REFRESH_MS = 5000
    #: Live values reach the cards at most this long after they arrived: the batches of
    #: that time are shown together (painted in one pass, not one pass per 40 ms batch).
    CHANGES_MS = 250

    def __init__(self, bridge, loader: SeriesLoader | None = None,
                 parent: QWidget | None = None, *, groups: list[str] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self.setObjectName("IndicatorDashboard")
        self._bridge = bridge
        self._board = bridge.board
        self._loader = loader
        self._groups = list(groups) if groups is not None else None
        self._first: list[str] = []
        self._clock = clock
        self._large = False
        self._cards: dict[str, IndicatorCard] = {}
        self._at: dict[str, float | None] = {}
        self._states: dict[str, str] = {}
        self._group_codes: list[str] = []
        self._trends: dict[str, IndicatorTrendWindow] = {}
        #: Seconds the last refresh took (ages, sparklines and changes of every card).
        self.last_refresh_seconds = 0.0

        self.title = QLabel(self.tr("City vital signs"), self)
        self.title.setObjectName("dashboardTitle")
        self.summary = QLabel(self)
        self.summary.setObjectName("indicatorSummary")
        self.large_button = QToolButton(self)
        self.large_button.setObjectName("largeTypeButton")
        self.large_button.setText(self.tr("Large type"))
        self.large_button.setToolTip(self.tr("Type for the video wall, readable from 8 m"))
        self.large_button.setCheckable(True)
        self.large_button.toggled.connect(self.set_large)
        header = QHBoxLayout()
        header.setContentsMargins(12, 6, 12, 2)
        header.setSpacing(16)
        header.addWidget(self.title)
        header.addWidget(self.summary)
        header.addStretch(1)
        header.addWidget(self.large_button)

        self.flow = TileFlow()
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("indicatorScroll")
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.flow)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.scroll, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(self.REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._pending: set[str] = set()
        self._pending_timer = QTimer(self)
        self._pending_timer.setSingleShot(True)
        self._pending_timer.setInterval(self.CHANGES_MS)
        self._pending_timer.timeout.connect(self.flush_changes)

        bridge.sig_loaded.connect(self.rebuild)
        bridge.sig_changed.connect(self._changed)
        self._apply_sizes()
        self.rebuild()

    # ---- Public API

    def rebuild(self) -> None:
        """Make the cards again from the board (after it was loaded)."""
        old = self._cards
        self._cards, self._at, self._states = {}, {}, {}
        sections: list[tuple[str, list[QWidget]]] = []
        self._group_codes = []
        first = [i for i in (self._board.get(x) for x in self._first) if i is not None]
        chosen = [("focus", first)] if first else []
        shown_first = {i.id for i in first}
        for group, indicators in self._board.groups():
            if self._groups is not None and group not in self._groups:
                continue
            chosen.append((group, [i for i in indicators if i.id not in shown_first]))
        for group, indicators in chosen:
            cards = []
            for indicator in indicators:
                card = old.pop(indicator.id, None) or self._make_card(indicator.id)
                card.set_name(indicator.name, indicator.unit, indicator.precision)
                card.set_large(self._large)
                self._cards[indicator.id] = card
                self._show_value(card, indicator, self._clock())
                cards.append(card)
            if cards:
                heading = (self.tr("Related to the focus event") if group == "focus"
                           else indicator_group_name(group))
                sections.append((heading, cards))
                self._group_codes.append(group)
        self.flow.set_sections(sections)
        for card in old.values():
            card.deleteLater()
        self._apply_sizes()
        self._update_summary()
        self.refresh()

    def refresh(self) -> None:
        """Ages, sparklines and changes of every card, now (the timer's work)."""
        started = time.perf_counter()
        now = self._clock()
        since = now - SPARK_HOURS * 3600
        board = self._board
        for indicator_id, card in self._cards.items():
            indicator = board.get(indicator_id)
            if indicator is None:
                continue
            self._show_age(card, indicator, now)
            t, v = board.history(indicator_id, since)
            card.set_series(t, v, (since, now), gap_of(indicator))
            card.set_change(board.change_vs_yesterday(indicator_id, now))
        self.last_refresh_seconds = time.perf_counter() - started

    def flush_changes(self) -> None:
        """Show the live changes gathered so far now (the dashboard does it `CHANGES_MS`
        after the first of them)."""
        self._pending_timer.stop()
        pending, self._pending = self._pending, set()
        now = self._clock()
        board = self._board
        states_changed = False
        for indicator_id in pending:
            card = self._cards.get(indicator_id)
            if card is None:
                continue
            indicator = board.get(indicator_id)
            if indicator is not None:
                states_changed |= self._show_value(card, indicator, now)
        if states_changed:
            self._update_summary()

    def set_groups(self, groups: list[str] | None, first: list[str] | None = None) -> None:
        """Show only these groups (None: all), and the indicators `first` (ids) before them
        under their own heading (group code "focus" in `group_order`)."""
        groups = list(groups) if groups is not None else None
        first = list(first or [])
        if groups == self._groups and first == self._first:
            return
        self._groups, self._first = groups, first
        self.rebuild()

    def groups_shown(self) -> list[str] | None:
        """The groups this dashboard is limited to (None: all)."""
        return list(self._groups) if self._groups is not None else None

    def set_large(self, large: bool) -> None:
        """Wall type (readable from 8 m on a 3 m-wide 4K wall) or desk type."""
        if large == self._large:
            return
        self._large = large
        if self.large_button.isChecked() != large:
            self.large_button.setChecked(large)
        for card in self._cards.values():
            card.set_large(large)
        self._apply_sizes()

    def large(self) -> bool:
        return self._large

    def card(self, indicator_id: str) -> IndicatorCard | None:
        """The card of an indicator (None when not shown)."""
        return self._cards.get(indicator_id)

    def cards(self) -> list[IndicatorCard]:
        """The cards in the order shown."""
        return list(self._cards.values())

    def group_order(self) -> list[str]:
        """The group codes of the sections, in the order shown."""
        return list(self._group_codes)

    def group_headings(self) -> list[str]:
        """The headings as shown."""
        return [heading.text() for heading in self.flow.headings()]

    def open_trend(self, indicator_id: str) -> IndicatorTrendWindow | None:
        """Open (or raise) the trend window of an indicator."""
        if self._board.get(indicator_id) is None:
            return None
        window = self._trends.get(indicator_id)
        if window is None:
            window = IndicatorTrendWindow(self._bridge, indicator_id, self._loader, self)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(lambda _o=None, i=indicator_id: self._trends.pop(i, None))
            self._trends[indicator_id] = window
            window.resize(1100, 640)
        window.show()
        window.raise_()
        window.activateWindow()
        self.sig_trend_opened.emit(indicator_id)
        return window

    def trend_windows(self) -> dict[str, IndicatorTrendWindow]:
        """The open trend windows by indicator id."""
        return dict(self._trends)

    # ---- Following the board

    def _changed(self, ids) -> None:
        self._pending.update(ids)
        if not self._pending_timer.isActive():
            self._pending_timer.start()

    def _show_value(self, card: IndicatorCard, indicator: Indicator, now: float) -> bool:
        """Show the indicator's value on its card; True when its state changed."""
        card.set_value(indicator.value, indicator.state)
        self._at[indicator.id] = indicator.at.timestamp() if indicator.at is not None else None
        self._show_age(card, indicator, now)
        changed = self._states.get(indicator.id) != indicator.state
        self._states[indicator.id] = indicator.state
        return changed

    def _show_age(self, card: IndicatorCard, indicator: Indicator, now: float) -> None:
        at = self._at.get(indicator.id)
        if at is None:
            card.set_age(self.tr("no data"), True)
            return
        age = max(0.0, now - at)
        card.set_age(format_ago(age), is_stale(indicator, age))

    def _update_summary(self) -> None:
        counts = Counter(self._states.values())
        parts = [self.tr("%1 indicators").replace("%1", str(len(self._cards)))]
        if counts["alarm"]:
            parts.append(self.tr("%1 in alarm").replace("%1", str(counts["alarm"])))
        if counts["warning"]:
            parts.append(self.tr("%1 in warning").replace("%1", str(counts["warning"])))
        self.summary.setText(" · ".join(parts))

    # ---- Look

    def _make_card(self, indicator_id: str) -> IndicatorCard:
        card = IndicatorCard(indicator_id)
        card.sig_clicked.connect(self.open_trend)
        return card

    def _apply_sizes(self) -> None:
        ratio = self.devicePixelRatioF() or 1.0
        base = self.font()
        heading = QFont(base)
        heading.setWeight(QFont.Weight.DemiBold)
        title = QFont(base)
        title.setWeight(QFont.Weight.DemiBold)
        summary = QFont(base)
        if self._large:
            heading.setPixelSize(round(_LARGE_HEADING_PX / ratio))
            title.setPixelSize(round(_LARGE_TITLE_PX / ratio))
            summary.setPixelSize(round(LARGE_METRICS.small_px / ratio))
            gap, margin = round(_LARGE_GAP_PX / ratio), round(_LARGE_MARGIN_PX / ratio)
        else:
            heading.setPointSizeF(base.pointSizeF() * 1.1 if base.pointSizeF() > 0 else 11)
            title.setPointSizeF(base.pointSizeF() * 1.3 if base.pointSizeF() > 0 else 13)
            gap, margin = 8, 10
        self.title.setFont(title)
        self.summary.setFont(summary)
        self.large_button.setFont(summary)
        probe = next(iter(self._cards.values()), None)
        if probe is None:  # no card yet: measure one
            probe = IndicatorCard(parent=self.flow)
            probe.hide()
            probe.deleteLater()
        probe.set_large(self._large)
        hint = probe.sizeHint()
        self.flow.set_tile_size(hint.width(), hint.height(), gap, margin, heading)

    # ---- Events

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.DevicePixelRatioChange:  # moved to another screen
            self._apply_sizes()
        return super().event(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.refresh()
        self._timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().hideEvent(event)
        self._timer.stop()
