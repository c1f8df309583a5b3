"""The trend window of one indicator: 24 hours from the board, 7 days from the backend.

The 24 h range shows the board's kept history at once. The 7 d range asks `loader`
(`fn(indicator_id, start, end, step) -> (t, v)`, blocking, e.g. `/series` over REST) in a
background thread and shows the answer when it comes. Both are plotted with pyqtgraph with
peak downsampling and clip-to-view, so a week at one sample a minute (10,080 points) or a
day at one a second (86,400) redraws in milliseconds. Times are the district's (CST).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from datetime import datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from console.schema import CST
from views.worker import BackgroundCall
from widgets.indicator_card import (
    STATE_STYLES,
    StateChip,
    format_value,
    state_word,
    with_gaps,
)

log = logging.getLogger(__name__)

#: `fn(indicator_id, start, end, step) -> (t, v)`: epoch seconds from `start` to `end` every
#: `step` seconds, and the values (NaN or None where there is no sample). It blocks; the
#: window calls it off the GUI thread.
SeriesLoader = Callable[[str, float, float, float], tuple]

#: The ranges offered, in seconds.
RANGES = {"24h": 24 * 3600.0, "7d": 7 * 86400.0}
#: The step asked of the loader for 7 days (one sample a minute: 10,080 points).
STEP_7D = 60.0
#: A loaded 7-day series is asked again when it is older than this.
RELOAD_7D_AFTER = 300.0

#: A pause longer than this many sample intervals is drawn as a gap in the line.
GAP_INTERVALS = 3.0

_BACKGROUND = "#0f141b"
_AXIS = "#9da7b3"
_CURVE = "#4493f8"
_CURSOR = "#c9d1d9"


class CstDateAxis(pg.DateAxisItem):
    """A date-time axis in the district's time (UTC+8), whatever the machine's zone, with
    numeric labels only ("03-05", "14:00"), which read the same in every language."""

    def __init__(self, orientation: str = "bottom", **kwargs) -> None:
        offset = datetime.now(CST).utcoffset()
        super().__init__(orientation, utcOffset=-int(offset.total_seconds()) if offset else 0,
                         **kwargs)

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph API
        if spacing >= 28 * 86400:
            fmt = "%Y-%m"
        elif spacing >= 86400:
            fmt = "%m-%d"
        elif spacing >= 60:
            fmt = "%H:%M"
        else:
            fmt = "%H:%M:%S"
        strings = []
        for value in values:
            try:
                moment = datetime.fromtimestamp(value, CST)
            except (OverflowError, OSError, ValueError):
                strings.append("")
                continue
            # A day's first tick among hours says which day it is.
            if 60 <= spacing < 86400 and moment.hour == 0 and moment.minute == 0:
                strings.append(moment.strftime("%m-%d"))
            else:
                strings.append(moment.strftime(fmt))
        return strings


class ValueAxis(pg.AxisItem):
    """A value axis with thousands separators ("40,000"), like the rest of the console."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph API
        decimals = max(0, -math.floor(math.log10(spacing * scale))) if spacing > 0 else 0
        return [f"{value * scale:,.{min(decimals, 6)}f}" for value in values]


def rest_loader(api) -> SeriesLoader:
    """A `SeriesLoader` over `ApiClient.indicator_series` (`GET /indicators/{id}/series`)."""

    def load(indicator_id: str, start: float, end: float, step: float) -> tuple:
        series = api.indicator_series(indicator_id, start, end, int(step))
        return series.t, series.v

    return load


def gap_of(indicator) -> float:
    """A pause in an indicator's history longer than this (seconds) is drawn as a gap."""
    return GAP_INTERVALS * (indicator.interval or 60.0)


def _as_series(t, v) -> tuple[np.ndarray, np.ndarray]:
    """Float64 arrays, None → NaN, sorted by time (a loader's answer may be lists)."""
    t = np.asarray(t, dtype=np.float64)
    v = np.asarray([np.nan if x is None else x for x in v] if not isinstance(v, np.ndarray)
                   else v, dtype=np.float64)
    if len(t) != len(v):
        raise ValueError(f"series of {len(t)} times and {len(v)} values")
    if len(t) > 1 and np.any(np.diff(t) < 0):
        order = np.argsort(t, kind="stable")
        t, v = t[order], v[order]
    return t, v


class IndicatorTrendWindow(QWidget):
    """The trend of one indicator, with its warning and alarm lines and a readout of the
    time and value under the mouse. "24 h" and "7 d" switch the range (`show_range`).

    Live samples of the indicator refresh the header at once and the 24 h curve at most
    every `LIVE_REFRESH_MS`.
    """

    LIVE_REFRESH_MS = 2000

    def __init__(self, bridge, indicator_id: str, loader: SeriesLoader | None = None,
                 parent: QWidget | None = None, *, clock: Callable[[], float] = time.time
                 ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("IndicatorTrendWindow")
        self._bridge = bridge
        self._board = bridge.board
        self._id = indicator_id
        self._loader = loader
        self._clock = clock
        self._range = ""
        self._t = np.empty(0)
        self._v = np.empty(0)
        self._week: tuple[float, np.ndarray, np.ndarray] | None = None  # loaded at, t, v
        self._call: BackgroundCall | None = None
        self._generation = 0
        self._closed = False
        self._live_dirty = False
        self._threshold_lines: dict[str, pg.InfiniteLine] = {}

        self.name_label = QLabel(self)
        self.name_label.setObjectName("trendName")
        self.value_label = QLabel(self)
        self.value_label.setObjectName("trendValue")
        self.state_chip = StateChip(self)
        self.thresholds_label = QLabel(self)
        self.thresholds_label.setObjectName("trendThresholds")
        self.range_buttons: dict[str, QToolButton] = {}
        self._range_group = QButtonGroup(self)
        self._range_group.setExclusive(True)
        for key, text in (("24h", self.tr("24 hours")), ("7d", self.tr("7 days"))):
            button = QToolButton(self)
            button.setObjectName(f"range_{key}")
            button.setText(text)
            button.setCheckable(True)
            button.clicked.connect(lambda _checked=False, k=key: self.show_range(k))
            self._range_group.addButton(button)
            self.range_buttons[key] = button
        if loader is None:
            self.range_buttons["7d"].setEnabled(False)
            self.range_buttons["7d"].setToolTip(self.tr("No source for older data is set up."))
        self.readout = QLabel(self)
        self.readout.setObjectName("trendReadout")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("trendStatus")

        title_font = QFont(self.font())
        if title_font.pointSizeF() > 0:
            title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        else:
            title_font.setPixelSize(round(title_font.pixelSize() * 1.4))
        title_font.setWeight(QFont.Weight.DemiBold)
        self.name_label.setFont(title_font)
        self.value_label.setFont(title_font)

        self.axis = CstDateAxis("bottom")
        self.plot = pg.PlotWidget(self, background=_BACKGROUND,
                                  axisItems={"bottom": self.axis, "left": ValueAxis("left")})
        self.plot.setObjectName("trendPlot")
        item = self.plot.getPlotItem()
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setMenuEnabled(False)
        item.hideButtons()
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setPen(pg.mkPen(_AXIS))
            axis.setTextPen(pg.mkPen(_AXIS))
            # Two levels of ticks, not three: each grid line is a translucent stroke across
            # the plot, and the third level doubled the cost of a redraw.
            axis.setStyle(tickFont=QFont(self.font()), maxTickLevel=1)
        self.curve = item.plot(pen=pg.mkPen(_CURVE, width=1), connect="finite")
        self.cursor_line = pg.InfiniteLine(angle=90, movable=False,
                                           pen=pg.mkPen(_CURSOR, width=1, style=Qt.PenStyle.DotLine))
        self.cursor_line.setZValue(20)
        self.cursor_dot = pg.ScatterPlotItem(size=9, brush=pg.mkBrush(_CURVE),
                                             pen=pg.mkPen("#ffffff", width=1.5))
        self.cursor_dot.setZValue(21)
        for cursor_item in (self.cursor_line, self.cursor_dot):
            item.addItem(cursor_item, ignoreBounds=True)
            cursor_item.hide()
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)

        header = QHBoxLayout()
        header.setSpacing(14)
        header.addWidget(self.name_label)
        header.addWidget(self.value_label)
        header.addWidget(self.state_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addStretch(1)
        for button in self.range_buttons.values():
            header.addWidget(button)
        info = QHBoxLayout()
        info.setSpacing(14)
        info.addWidget(self.thresholds_label)
        info.addStretch(1)
        info.addWidget(self.status_label)
        info.addWidget(self.readout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addLayout(info)
        layout.addWidget(self.plot, 1)

        self._live_timer = QTimer(self)
        self._live_timer.setInterval(self.LIVE_REFRESH_MS)
        self._live_timer.timeout.connect(self._live_refresh)
        bridge.sig_changed.connect(self._changed)
        bridge.sig_loaded.connect(self._board_loaded)

        self._show_header()
        self._draw_thresholds()
        self.show_range("24h")
        self._live_timer.start()

    # ---- Public API

    def indicator_id(self) -> str:
        return self._id

    def current_range(self) -> str:
        """"24h" or "7d"."""
        return self._range

    def series(self) -> tuple[np.ndarray, np.ndarray]:
        """The `(t, v)` plotted now (all of it, before downsampling)."""
        return self._t, self._v

    def loading(self) -> bool:
        """True while the 7-day series is being fetched."""
        return self._call is not None and self._call.running()

    def wait_for_load(self, timeout: float = 10.0) -> None:
        """Wait for a running fetch's thread to end (its result still arrives through the
        event loop)."""
        if self._call is not None:
            self._call.join(timeout)

    def threshold_values(self) -> dict[str, float]:
        """The threshold lines drawn: {"warning": value, "alarm": value} (those that exist)."""
        return {kind: float(line.value()) for kind, line in self._threshold_lines.items()}

    def show_range(self, key: str) -> None:
        """Show the last 24 hours ("24h", at once) or 7 days ("7d", fetched when needed)."""
        if key not in RANGES:
            raise ValueError(key)
        self._range = key
        self.range_buttons[key].setChecked(True)
        now = self._clock()
        start = now - RANGES[key]
        self._generation += 1
        if key == "24h":
            self.status_label.clear()
            self._plot(*self._kept(start), start, now)
            return
        week = self._week
        if week is not None and now - week[0] < RELOAD_7D_AFTER:
            self.status_label.clear()
            self._plot(*self._week_series(), start, now)
            return
        # Until the week arrives, the day the board holds is shown on the week's axis.
        self._plot(*self._kept(start), start, now)
        self._fetch_week(start, now)

    def read_at(self, x: float) -> str:
        """Show the sample nearest to time `x` (epoch s) under the cursor; returns the
        readout's text ("" when nothing is plotted)."""
        t, v = self._t, self._v
        if len(t) == 0:
            self._hide_cursor()
            return ""
        index = int(np.searchsorted(t, x))
        if index >= len(t) or (index > 0 and x - t[index - 1] < t[index] - x):
            index -= 1
        index = max(0, index)
        at, value = float(t[index]), float(v[index])
        indicator = self._board.get(self._id)
        unit = indicator.unit if indicator is not None else ""
        precision = indicator.precision if indicator is not None else 0
        text = (f"{datetime.fromtimestamp(at, CST).strftime('%m-%d %H:%M:%S')}"
                f"  ·  {format_value(value if np.isfinite(value) else None, precision)} {unit}")
        self.readout.setText(text.strip())
        self.cursor_line.setPos(at)
        self.cursor_line.show()
        if np.isfinite(value):
            self.cursor_dot.setData([at], [value])
            self.cursor_dot.show()
        else:
            self.cursor_dot.hide()
        return self.readout.text()

    # ---- Drawing

    def _week_series(self) -> tuple[np.ndarray, np.ndarray]:
        """The week loaded, then what the board has heard after its last whole step (the
        backend's steps end at the last whole minute: a breach a moment ago is not in it)."""
        _, t, v = self._week
        if not len(t):
            return t, v
        kept_t, kept_v = self._kept(float(t[-1]) + STEP_7D)
        if not len(kept_t):
            return t, v
        return np.concatenate([t, kept_t]), np.concatenate([v, kept_v])

    def _kept(self, since: float) -> tuple[np.ndarray, np.ndarray]:
        """The board's history from `since`, with its pauses as gaps."""
        t, v = self._board.history(self._id, since)
        indicator = self._board.get(self._id)
        return with_gaps(t, v, gap_of(indicator) if indicator is not None else None)

    def _plot(self, t: np.ndarray, v: np.ndarray, start: float, end: float) -> None:
        self._t, self._v = np.asarray(t, dtype=np.float64), np.asarray(v, dtype=np.float64)
        self.curve.setData(self._t, self._v, connect="finite")
        item = self.plot.getPlotItem()
        item.setXRange(start, end, padding=0.01)
        low, high = self._y_range()
        item.setYRange(low, high, padding=0.0)
        self._hide_cursor()

    def _y_range(self) -> tuple[float, float]:
        """The data's range, stretched to show the thresholds that lie near it."""
        finite = self._v[np.isfinite(self._v)]
        if len(finite):
            low, high = float(finite.min()), float(finite.max())
        else:
            low, high = 0.0, 1.0
        span = max(high - low, abs(high) * 0.1, 1e-9)
        for value in self.threshold_values().values():
            if low - span <= value <= high + span:
                low, high = min(low, value), max(high, value)
        span = max(high - low, 1e-9)
        return low - span * 0.08, high + span * 0.12

    def _draw_thresholds(self) -> None:
        item = self.plot.getPlotItem()
        for line in self._threshold_lines.values():
            item.removeItem(line)
        self._threshold_lines = {}
        indicator = self._board.get(self._id)
        if indicator is None:
            return
        thresholds = indicator.thresholds
        for kind, value in (("warning", thresholds.warning), ("alarm", thresholds.alarm)):
            if value is None:
                continue
            color = STATE_STYLES[kind].accent
            text = f"{state_word(kind)} {format_value(value, indicator.precision)}"
            label_color = QColor("#111111") if kind == "warning" else QColor("#ffffff")
            line = pg.InfiniteLine(
                pos=value, angle=0, movable=False,
                pen=pg.mkPen(color, width=2, style=Qt.PenStyle.DashLine),
                label=text,
                labelOpts={"position": 0.02, "color": label_color, "fill": color,
                           "anchors": [(0, 1), (0, 1)]})
            line.setZValue(10)
            item.addItem(line, ignoreBounds=True)
            self._threshold_lines[kind] = line

    def _show_header(self) -> None:
        indicator = self._board.get(self._id)
        if indicator is None:
            return
        self.setWindowTitle(self.tr("%1 — trend").replace("%1", indicator.name))
        self.name_label.setText(indicator.name)
        self.value_label.setText(
            f"{format_value(indicator.value, indicator.precision)} {indicator.unit}".strip())
        style = STATE_STYLES[indicator.state]
        self.value_label.setStyleSheet(f"color: {style.value.name()};")
        self.state_chip.set_state(indicator.state, state_word(indicator.state))
        # Room for the longest readout, so the text does not move the layout as it changes.
        sample = f"00-00 00:00:00  ·  {format_value(-8888888.8888, indicator.precision)} "
        self.readout.setMinimumWidth(round(self.readout.fontMetrics().horizontalAdvance(
            sample + indicator.unit)) + 8)
        self.readout.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        thresholds = indicator.thresholds
        sign = "≥" if thresholds.direction == "above" else "≤"
        parts = []
        for kind, value in (("warning", thresholds.warning), ("alarm", thresholds.alarm)):
            if value is not None:
                parts.append(f"{state_word(kind)} {sign} "
                             f"{format_value(value, indicator.precision)} {indicator.unit}".strip())
        self.thresholds_label.setText("   ".join(parts) if parts
                                      else self.tr("No thresholds set"))

    def _hide_cursor(self) -> None:
        self.cursor_line.hide()
        self.cursor_dot.hide()
        self.readout.setText(self.tr("Point at the curve to read a value"))

    # ---- The week, off the GUI thread

    def _fetch_week(self, start: float, end: float) -> None:
        if self._loader is None:
            self.status_label.setText(self.tr("No source for older data is set up."))
            return
        if self.loading():
            return
        self.status_label.setText(self.tr("Loading 7 days…"))
        # Whole steps, as the backend keeps them: 10,080 of them for the week.
        start = math.floor(start / STEP_7D) * STEP_7D
        end = start + RANGES["7d"]
        loader, indicator_id, generation = self._loader, self._id, self._generation

        def fetch():
            return _as_series(*loader(indicator_id, start, end, STEP_7D))

        self._call = BackgroundCall(
            self._bridge.invoker, fetch,
            lambda result: self._week_loaded(generation, end, result),
            lambda error: self._week_failed(generation, error),
            name="hall-indicator-series").start()

    def _week_loaded(self, generation: int, end: float, result) -> None:
        if self._closed or not isValid(self):
            return
        t, v = result
        self._week = (end, t, v)
        if generation == self._generation and self._range == "7d":
            self.status_label.clear()
            self._plot(*self._week_series(), end - RANGES["7d"], end)

    def _week_failed(self, generation: int, error: BaseException) -> None:
        log.warning("7-day series of %s failed: %s", self._id, error)
        if self._closed or not isValid(self) or generation != self._generation:
            return
        self.status_label.setText(self.tr("The 7-day series could not be loaded; showing what "
                                          "this console holds."))

    # ---- Live

    def _changed(self, ids) -> None:
        if self._id in ids:
            self._show_header()
            self._live_dirty = True

    def _board_loaded(self) -> None:
        self._show_header()
        self._draw_thresholds()
        self._live_dirty = True

    def _live_refresh(self) -> None:
        if not self._live_dirty or not self.isVisible():
            return
        if self._range == "7d":
            if self._week is None:
                return
            self._t, self._v = self._week_series()
        else:
            self._t, self._v = self._kept(self._clock() - RANGES["24h"])
        self._live_dirty = False
        self.curve.setData(self._t, self._v, connect="finite")

    # ---- Events

    def _mouse_moved(self, position: QPointF) -> None:
        view = self.plot.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(position):
            self._hide_cursor()
            return
        self.read_at(view.mapSceneToView(position).x())

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self._closed:
            self._closed = True
            self._live_timer.stop()
            self._bridge.sig_changed.disconnect(self._changed)
            self._bridge.sig_loaded.disconnect(self._board_loaded)
        super().closeEvent(event)
