"""A card for one measured value: name, value and unit, state, a sparkline, change, age.

It knows nothing of the app: it is given plain values (texts, numbers, a state name of
"normal", "warning" or "alarm", NumPy arrays) and paints everything itself in one
`paintEvent`, with no child widgets, so updating a value costs one repaint and no layout.

`large` mode sizes the type for a video wall read from across the hall. The sizes are in
device pixels, for a 3840×2160 wall about 3 m wide (0.78 mm a pixel) read from 8 m:
values 128 px (digits about 98 px ≈ 77 mm high, 33 arc minutes), every other text 56 px
(a Chinese character about 54 px ≈ 42 mm, 18 arc minutes), a long name shrinking to 50 px at
the least before it is shortened (48 px characters, 16′: the least that reads comfortably),
group headings 64 px.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from pyqtgraph import arrayToQPath
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget


@dataclass(frozen=True)
class StateStyle:
    """How a state looks: `accent` (chip, border, value), the chip's text colour, the card's
    background, the border width and the icon's shape ("circle", "triangle", "octagon")."""

    accent: QColor
    chip_text: QColor
    chip_filled: bool
    value: QColor
    background: QColor
    border: QColor
    border_width: float
    shape: str


#: Normal is a calm blue-grey (not green: the red/green pair is what colour-blind eyes lose);
#: warning a light amber and alarm a dark red, far apart in lightness as well as hue; each
#: also has its own icon shape and word.
STATE_STYLES: dict[str, StateStyle] = {
    "normal": StateStyle(QColor("#7ea6c9"), QColor("#9fc0dc"), False, QColor("#e6edf3"),
                         QColor("#161b22"), QColor("#30363d"), 1.0, "circle"),
    "warning": StateStyle(QColor("#f0b429"), QColor("#111111"), True, QColor("#f7c948"),
                          QColor("#211d14"), QColor("#f0b429"), 2.0, "triangle"),
    "alarm": StateStyle(QColor("#d1242f"), QColor("#ffffff"), True, QColor("#ff8078"),
                        QColor("#3a1518"), QColor("#ff5a5f"), 3.0, "octagon"),
}

_TEXT = QColor("#e6edf3")
_MUTED = QColor("#9da7b3")
_STALE = QColor("#e3b341")
_LINE = QColor("#4493f8")


def state_word(state: str) -> str:
    """The word for a state ("normal", "warning", "alarm"), translated."""
    names = {
        "normal": QCoreApplication.translate("IndicatorCard", "Normal"),
        "warning": QCoreApplication.translate("IndicatorCard", "Warning"),
        "alarm": QCoreApplication.translate("IndicatorCard", "Alarm"),
    }
    return names.get(state, state)


def format_value(value: float | None, precision: int = 0) -> str:
    """`value` with `precision` decimals and thousands separators ("41,000", "3.52"), or "—"."""
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:,.{max(0, precision)}f}"


def format_change(change: float | None, precision: int = 0) -> str:
    """A change as "▲1,200", "▼3.5" or "±0" (at the value's precision), or "—"."""
    if change is None or not math.isfinite(change):
        return "—"
    text = format_value(abs(change), precision)
    if text.strip("0.,") == "":
        return "±" + text
    return ("▲" if change > 0 else "▼") + text


def with_gaps(t: np.ndarray, v: np.ndarray, gap: float | None
              ) -> tuple[np.ndarray, np.ndarray]:
    """`(t, v)` with a NaN value put in each pause longer than `gap` seconds, so a line
    drawn through them breaks there instead of bridging the missing time."""
    if gap is None or len(t) < 2:
        return t, v
    at = np.flatnonzero(np.diff(t) > gap) + 1
    if not len(at):
        return t, v
    return (np.insert(t, at, (t[at - 1] + t[at]) / 2),
            np.insert(np.asarray(v, dtype=np.float64), at, np.nan))


def draw_state_icon(painter: QPainter, rect: QRectF, shape: str, color: QColor) -> None:
    """A state's icon in `rect`: a ring (normal), a triangle with "!" (warning) or an
    octagon with "!" (alarm), so the state reads without its colour."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    side = min(rect.width(), rect.height())
    box = QRectF(0, 0, side, side)
    box.moveCenter(rect.center())
    if shape == "circle":
        pen = QPen(color, max(1.5, side * 0.16))
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inset = pen.widthF() / 2
        painter.drawEllipse(box.adjusted(inset, inset, -inset, -inset))
        painter.restore()
        return
    if shape == "triangle":
        points = [QPointF(box.center().x(), box.top()), box.bottomRight(), box.bottomLeft()]
        mark_top, mark_bottom = 0.36, 0.72
    else:
        points = [QPointF(box.center().x() + side / 2 * math.cos(a), box.center().y()
                          + side / 2 * math.sin(a))
                  for a in (math.pi / 8 + i * math.pi / 4 for i in range(8))]
        mark_top, mark_bottom = 0.22, 0.64
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawPolygon(QPolygonF(points))
    # The "!" in the shape, in the colour that reads on it.
    mark = QColor("#111111") if color.lightness() > 140 else QColor("#ffffff")
    width = max(1.5, side * 0.13)
    painter.setPen(QPen(mark, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    x = box.center().x()
    painter.drawLine(QPointF(x, box.top() + side * mark_top), QPointF(x, box.top() + side * mark_bottom))
    painter.drawPoint(QPointF(x, box.top() + side * (mark_bottom + 0.14)))
    painter.restore()


def state_chip_width(metrics: QFontMetricsF, text: str) -> float:
    """The width `paint_state_chip` needs for `text` in a font of these metrics."""
    size = metrics.height()
    return size * 0.35 + size * 0.8 + size * 0.25 + metrics.horizontalAdvance(text) + size * 0.35


def paint_state_chip(painter: QPainter, rect: QRectF, state: str, text: str, font: QFont) -> None:
    """The state as a chip in `rect`: icon and word, filled with the state's colour for
    warning and alarm, outlined for normal."""
    style = STATE_STYLES.get(state, STATE_STYLES["normal"])
    metrics = QFontMetricsF(font)
    size = metrics.height()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    radius = rect.height() * 0.22
    if style.chip_filled:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.accent)
    else:
        painter.setPen(QPen(style.accent, max(1.0, size * 0.07)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
    icon_color = style.chip_text if style.chip_filled else style.accent
    icon = QRectF(rect.left() + size * 0.35, rect.top(), size * 0.8, rect.height())
    icon_side = min(size * 0.62, rect.height() * 0.62)
    icon_box = QRectF(0, 0, icon_side, icon_side)
    icon_box.moveCenter(icon.center())
    # On a filled chip the icon is drawn as an outline-free shape in the text colour.
    draw_state_icon(painter, icon_box, style.shape, icon_color)
    painter.setFont(font)
    painter.setPen(style.chip_text)
    text_rect = QRectF(icon.right() + size * 0.25, rect.top(),
                       rect.right() - icon.right() - size * 0.25, rect.height())
    painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                     text)
    painter.restore()


@dataclass(frozen=True)
class CardMetrics:
    """Sizes of a card in pixels: fonts, padding, the sparkline's height, the least width."""

    name_px: float
    value_px: float
    small_px: float
    pad: float
    gap: float
    spark: float
    min_width: float
    line: float


def normal_metrics(base_px: float) -> CardMetrics:
    """A desk card, from the application font's pixel size."""
    return CardMetrics(name_px=base_px * 1.05, value_px=base_px * 2.2, small_px=base_px * 0.95,
                       pad=base_px * 0.75, gap=base_px * 0.3, spark=base_px * 2.3,
                       min_width=base_px * 17.5, line=1.5)


#: The wall card (device pixels; see the module's docstring).
LARGE_METRICS = CardMetrics(name_px=56, value_px=128, small_px=56, pad=24, gap=10, spark=88,
                            min_width=720, line=4.0)


def sparkline_path(t: np.ndarray, v: np.ndarray, span: tuple[float, float], width: float,
                   height: float, line: float, gap: float | None = None,
                   min_range: float = 0.0) -> tuple[QPainterPath | None, QPointF | None]:
    """The sparkline of `(t, v)` over `span` in a `width`×`height` box, as a filled outline
    `line` pixels thick, and the position of the last value.

    Each pixel column covers the lowest to the highest value in it (so a spike shows however
    many samples share the column), joined halfway to its neighbours and widened to the line's
    thickness. Filling that outline costs a fraction of stroking a thick line through
    thousands of points. NaN values and pauses longer than `gap` seconds are breaks; the
    vertical scale spans at least `min_range` (and 1 % of the level), so noise in a steady
    value stays flat.
    """
    t, v = with_gaps(np.asarray(t, dtype=np.float64), np.asarray(v, dtype=np.float64), gap)
    start, end = span
    columns = int(width)
    if len(t) < 2 or columns < 4 or height < 4 or end <= start:
        return None, None
    inside = (t >= start) & (t <= end)
    t, v = t[inside], v[inside]
    finite = np.isfinite(v)
    if np.count_nonzero(finite) < 2:
        return None, None
    low, high = float(v[finite].min()), float(v[finite].max())
    floor = max(min_range, abs(high + low) / 2 * 0.01, 1e-9)
    if high - low < floor:
        middle = (high + low) / 2
        low, high = middle - floor / 2, middle + floor / 2

    column = np.minimum(((t - start) / (end - start) * columns).astype(np.int64), columns - 1)
    starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
    known = column[starts]
    lows = np.fmin.reduceat(v, starts)
    highs = np.fmax.reduceat(v, starts)
    every = np.arange(columns, dtype=np.float64)
    # Columns without a sample take the line between their neighbours (NaN across a break).
    lo = np.interp(every, known, lows, left=np.nan, right=np.nan)
    hi = np.interp(every, known, highs, left=np.nan, right=np.nan)
    lo[known], hi[known] = lows, highs
    before_hi, after_hi = np.r_[np.nan, hi[:-1]], np.r_[hi[1:], np.nan]
    before_lo, after_lo = np.r_[np.nan, lo[:-1]], np.r_[lo[1:], np.nan]
    lo = np.fmin(lo, np.fmin((lo + before_hi) / 2, (lo + after_hi) / 2))
    hi = np.fmax(hi, np.fmax((hi + before_lo) / 2, (hi + after_lo) / 2))

    pad = max(line, 1.5)
    scale = (height - 2 * pad) / (high - low)
    top = pad + (high - hi) * scale - line / 2
    bottom = pad + (high - lo) * scale + line / 2
    reach = int((line - 1) // 2)
    for shift in range(1, reach + 1):  # as wide as the line, left and right
        top[:-shift] = np.fmin(top[:-shift], top[shift:])
        top[shift:] = np.fmin(top[shift:], top[:-shift].copy())
        bottom[:-shift] = np.fmax(bottom[:-shift], bottom[shift:])
        bottom[shift:] = np.fmax(bottom[shift:], bottom[:-shift].copy())

    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    drawn = np.isfinite(top) & np.isfinite(bottom)
    edges = np.flatnonzero(np.diff(np.r_[0, drawn.astype(np.int8), 0]))
    for first, stop in zip(edges[::2], edges[1::2], strict=True):
        xs = np.r_[first, every[first:stop] + 0.5, stop]
        ups = np.r_[top[first], top[first:stop], top[stop - 1]]
        downs = np.r_[bottom[first], bottom[first:stop], bottom[stop - 1]]
        path.addPath(arrayToQPath(np.r_[xs, xs[::-1]], np.r_[ups, downs[::-1]],
                                  connect="all"))
    last = np.flatnonzero(finite)[-1]
    point = QPointF(float((t[last] - start) / (end - start) * width),
                    float(pad + (high - v[last]) * scale))
    return path, point


class StateChip(QWidget):
    """A state on its own (icon and word in the state's colour), e.g. in a window's header."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = "normal"
        self._text = ""
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_state(self, state: str, text: str) -> None:
        """Show `state` ("normal", "warning", "alarm") with its word `text`."""
        self._state = state if state in STATE_STYLES else "normal"
        self._text = text
        self.setAccessibleName(text)
        self.updateGeometry()
        self.update()

    def state(self) -> str:
        return self._state

    def text(self) -> str:
        return self._text

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        metrics = QFontMetricsF(self.font())
        return QSize(math.ceil(state_chip_width(metrics, self._text)),
                     math.ceil(metrics.height() * 1.3))

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        paint_state_chip(painter, QRectF(self.rect()), self._state, self._text, self.font())
        painter.end()


class IndicatorCard(QWidget):
    """One indicator: name, value with unit, state chip, sparkline, change and age.

    Feed it with `set_name`, `set_value`, `set_change`, `set_age` and `set_series`; each
    only stores and schedules a repaint. `set_large(True)` switches to wall type. It takes
    the keyboard focus by Tab and emits `sig_clicked(key)` when clicked or on Enter/Space.
    """

    sig_clicked = Signal(str)

    def __init__(self, key: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indicatorCard")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._key = key
        self._name = ""
        self._unit = ""
        self._precision = 0
        self._value: float | None = None
        self._value_text = "—"
        self._state = "normal"
        self._change: float | None = None
        self._age = ""
        self._stale = False
        self._large = False
        self._t = np.empty(0)
        self._v = np.empty(0)
        self._span: tuple[float, float] | None = None
        self._gap: float | None = None
        self._spark_pixmap: QPixmap | None = None
        self._chrome_pixmap: QPixmap | None = None
        self._chrome_key: tuple | None = None
        self._spark_key: tuple | None = None
        self._last_point: QPointF | None = None
        self._metrics = normal_metrics(self._base_px())
        self._fonts: dict[str, QFont] = {}
        self._make_fonts()

    # ---- Public API

    def key(self) -> str:
        return self._key

    def set_name(self, name: str, unit: str = "", precision: int = 0) -> None:
        """The name, the unit shown after the value and the decimals to show."""
        self._name, self._unit, self._precision = name, unit, precision
        self._value_text = format_value(self._value, precision)
        self._spark_key = None  # the least vertical range follows the precision
        self._describe()
        self.update()

    def set_value(self, value: float | None, state: str = "normal") -> None:
        """The current value and its state ("normal", "warning", "alarm")."""
        self._value = value
        self._value_text = format_value(value, self._precision)
        self._state = state if state in STATE_STYLES else "normal"
        self._describe()
        self.update()

    def set_change(self, change: float | None) -> None:
        """The change against the same time yesterday (None: unknown)."""
        self._change = change
        self.update()

    def set_age(self, text: str, stale: bool = False) -> None:
        """How old the value is, as text ("2 分钟前"); a `stale` value is dimmed."""
        self._age, self._stale = text, stale
        self.update()

    def set_series(self, t: np.ndarray, v: np.ndarray,
                   span: tuple[float, float] | None = None, gap: float | None = None) -> None:
        """The recent history for the sparkline: times (ascending) and values, over `span`
        (start, end) on the time axis (default: the data's own extent). NaN values, and
        pauses longer than `gap` seconds, are gaps in the line. The line is built at the
        next paint, so cards out of sight cost nothing."""
        t = np.asarray(t, dtype=np.float64)
        v = np.asarray(v, dtype=np.float64)
        if self._same_line(t, v, span, gap):
            return
        self._t, self._v, self._span, self._gap = t, v, span, gap
        self._spark_key = None
        self.update()

    def _same_line(self, t: np.ndarray, v: np.ndarray, span, gap) -> bool:
        """True when the line drawn would not change: the same samples (judged by their
        count and ends), and a span that moved by less than one pixel column."""
        old_t, old_v, old_span = self._t, self._v, self._span
        if self._spark_key is None or gap != self._gap or len(t) != len(old_t) or not len(t):
            return False
        if (t[0], t[-1], v[-1]) != (old_t[0], old_t[-1], old_v[-1]):
            return False
        if span is None or old_span is None:
            return span == old_span
        column = (old_span[1] - old_span[0]) / max(1.0, self._spark_key[0])
        return (abs(span[0] - old_span[0]) < column and abs(span[1] - old_span[1]) < column)

    def set_large(self, large: bool) -> None:
        """Wall type (see the module's docstring) or desk type."""
        if large == self._large:
            return
        self._large = large
        self._make_fonts()
        self.updateGeometry()
        self.update()

    def large(self) -> bool:
        return self._large

    def name(self) -> str:
        return self._name

    def unit(self) -> str:
        return self._unit

    def value(self) -> float | None:
        return self._value

    def value_text(self) -> str:
        """The value as shown ("41,000")."""
        return self._value_text

    def state(self) -> str:
        return self._state

    def state_text(self) -> str:
        """The state's word as shown ("Alarm", translated)."""
        return state_word(self._state)

    def state_color(self) -> QColor:
        """The colour of the state (chip, border, value accents)."""
        return QColor(STATE_STYLES[self._state].accent)

    def change_text(self) -> str:
        """The change as shown ("▲1,200")."""
        return format_change(self._change, self._precision)

    def age_text(self) -> str:
        return self._age

    def stale(self) -> bool:
        return self._stale

    def metrics(self) -> CardMetrics:
        """The sizes in use, in logical pixels."""
        return self._metrics

    # ---- Size

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        m = self._metrics
        return QSize(math.ceil(m.min_width), math.ceil(self._height()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.sizeHint()

    def _height(self) -> float:
        m = self._metrics
        name = self._line_height("name")
        small = self._line_height("small")
        return m.pad * 2 + name + m.gap + self._value_height() + m.gap + m.spark + m.gap + small

    def _value_height(self) -> float:
        # Digits and the unit, not the CJK line height (which is 1.45 em in Noto Sans CJK).
        return QFontMetricsF(self._fonts["value"]).capHeight() * 1.22

    def _line_height(self, role: str) -> float:
        # 1.25 em, not the font's line height: Noto Sans CJK's is 1.45 em, which on the wall
        # would cost a row of cards.
        font = self._fonts[role]
        return min(QFontMetricsF(font).height(), font.pixelSize() * 1.25)

    def _base_px(self) -> float:
        font = self.font()
        if font.pixelSize() > 0:
            return float(font.pixelSize())
        return font.pointSizeF() * self.logicalDpiY() / 72.0

    def _make_fonts(self) -> None:
        if self._large:
            ratio = self.devicePixelRatioF() or 1.0
            m = LARGE_METRICS
            self._metrics = CardMetrics(m.name_px / ratio, m.value_px / ratio, m.small_px / ratio,
                                        m.pad / ratio, m.gap / ratio, m.spark / ratio,
                                        m.min_width / ratio, m.line / ratio)
        else:
            self._metrics = normal_metrics(self._base_px())
        m = self._metrics
        base = self.font()

        def sized(px: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
            font = QFont(base)
            font.setPixelSize(max(1, round(px)))
            font.setWeight(weight)
            return font

        self._fonts = {
            "name": sized(m.name_px, QFont.Weight.DemiBold if self._large else QFont.Weight.Medium),
            "value": sized(m.value_px, QFont.Weight.Bold),
            "unit": sized(m.small_px if self._large else m.name_px),
            "small": sized(m.small_px),
            "chip": sized(m.small_px * (0.9 if self._large else 0.92), QFont.Weight.DemiBold),
        }
        self._spark_key = None

    # ---- Events

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.DevicePixelRatioChange and self._large:
            self._make_fonts()  # wall sizes are in device pixels
            self.updateGeometry()
        return super().event(event)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._make_fonts()
            self.updateGeometry()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.sig_clicked.emit(self._key)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.sig_clicked.emit(self._key)
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusOutEvent(event)
        self.update()

    # ---- Painting

    def state_chip_rect(self) -> QRectF:
        """Where the state chip is painted (in the card's coordinates)."""
        return self._geometry()["chip"]

    def _geometry(self) -> dict[str, QRectF]:
        """The rectangles of the card's parts for its current size."""
        m = self._metrics
        border = STATE_STYLES[self._state].border_width * (2.0 if self._large else 1.0)
        rect = QRectF(self.rect())
        card = rect.adjusted(border / 2, border / 2, -border / 2, -border / 2)
        inner = card.adjusted(m.pad, m.pad, -m.pad, -m.pad)
        name_h = self._line_height("name")
        name = QRectF(inner.left(), inner.top(), inner.width(), name_h)
        value = QRectF(inner.left(), name.bottom() + m.gap, inner.width(), self._value_height())
        # The chip sits at the right of the value row, centred on the digits, so the name
        # has the card's whole width (the wall's names run to 13 characters).
        chip_metrics = QFontMetricsF(self._fonts["chip"])
        chip_w = state_chip_width(chip_metrics, self.state_text())
        chip_h = chip_metrics.height() * 1.2
        digits = QFontMetricsF(self._fonts["value"]).capHeight()
        middle = value.bottom() - (value.height() - digits) / 2 - digits / 2
        chip = QRectF(inner.right() - chip_w, middle - chip_h / 2, chip_w, chip_h)
        spark = QRectF(inner.left(), value.bottom() + m.gap, inner.width(), m.spark)
        footer = QRectF(inner.left(), spark.bottom() + m.gap, inner.width(),
                        self._line_height("small"))
        return {"card": card, "chip": chip, "name": name, "value": value, "spark": spark,
                "footer": footer, "border": QRectF(border, 0, 0, 0)}

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        m = self._metrics
        style = STATE_STYLES[self._state]
        parts = self._geometry()
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._chrome(parts, style))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

        # Row 2: value and unit, on one baseline; the value shrinks to fit a narrow card.
        value_rect = parts["value"]
        value_font = self._fonts["value"]
        unit_font = self._fonts["unit"]
        unit_w = QFontMetricsF(unit_font).horizontalAdvance(self._unit) if self._unit else 0.0
        room = (parts["chip"].left() - value_rect.left() - m.gap * 2
                - (unit_w + m.gap * 1.5 if unit_w else 0.0))
        value_metrics = QFontMetricsF(value_font)
        text_w = value_metrics.horizontalAdvance(self._value_text)
        if text_w > room > 0:
            value_font = QFont(value_font)
            value_font.setPixelSize(max(1, int(value_font.pixelSize() * room / text_w)))
            value_metrics = QFontMetricsF(value_font)
            text_w = value_metrics.horizontalAdvance(self._value_text)
        baseline = value_rect.bottom() - (value_rect.height() - value_metrics.capHeight()) / 2
        painter.setOpacity(0.4 if self._stale else 1.0)
        painter.setFont(value_font)
        painter.setPen(style.value)
        painter.drawText(QPointF(value_rect.left(), baseline), self._value_text)
        if self._unit:
            painter.setFont(unit_font)
            painter.setPen(_MUTED)
            painter.drawText(QPointF(value_rect.left() + text_w + m.gap * 1.5, baseline),
                             self._unit)

        # Row 3: the sparkline.
        self._paint_sparkline(painter, parts["spark"], style)
        painter.setOpacity(1.0)

        # Row 4: change against yesterday on the left, age on the right.
        footer = parts["footer"]
        small_metrics = QFontMetricsF(self._fonts["small"])
        painter.setFont(self._fonts["small"])
        age_w = small_metrics.horizontalAdvance(self._age)
        painter.setPen(_STALE if self._stale else _MUTED)
        painter.drawText(footer, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         self._age)
        change = self.tr("vs yesterday %1").replace("%1", self.change_text())
        room = footer.width() - age_w - m.gap * 2
        painter.setPen(_MUTED)
        painter.drawText(QRectF(footer.left(), footer.top(), room, footer.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         small_metrics.elidedText(change, Qt.TextElideMode.ElideRight, room))
        painter.end()

    @staticmethod
    def _fitted(font: QFont, text: str, width: float, floor_px: float) -> QFont:
        """`font`, made smaller (down to `floor_px`) until `text` fits `width`."""
        advance = QFontMetricsF(font).horizontalAdvance(text)
        if advance <= width or advance <= 0:
            return font
        fitted = QFont(font)
        fitted.setPixelSize(max(1, round(max(floor_px, font.pixelSize() * width / advance))))
        return fitted

    def _chrome(self, parts: dict[str, QRectF], style: StateStyle) -> QPixmap:
        """The parts that change only with the state, name or size (background, border,
        stripe, name, state chip), painted once into a pixmap that repaints copy."""
        ratio = self.devicePixelRatioF() or 1.0
        key = (self.width(), self.height(), ratio, self._state, self._name, self._large,
               self.hasFocus(), self.state_text())
        if self._chrome_key == key and self._chrome_pixmap is not None:
            return self._chrome_pixmap
        m = self._metrics
        pixmap = QPixmap(max(1, math.ceil(self.width() * ratio)),
                         max(1, math.ceil(self.height() * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(self.palette().window().color())
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        card = parts["card"]
        radius = m.pad * 0.6
        painter.setPen(QPen(QColor("#4493f8") if self.hasFocus() else style.border,
                            parts["border"].left()))
        painter.setBrush(style.background)
        painter.drawRoundedRect(card, radius, radius)
        if self._state != "normal":  # a stripe down the left edge, in the state's colour
            stripe = QPainterPath()
            stripe.addRoundedRect(QRectF(card.left(), card.top(), m.pad * 0.45, card.height()),
                                  radius * 0.5, radius * 0.5)
            painter.fillPath(stripe, style.accent)
        paint_state_chip(painter, parts["chip"], self._state, self.state_text(),
                         self._fonts["chip"])
        name_rect = parts["name"]
        name_font = self._fitted(self._fonts["name"], self._name, name_rect.width(),
                                 m.name_px * 0.9)
        painter.setFont(name_font)
        painter.setPen(_TEXT)
        painter.drawText(name_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         QFontMetricsF(name_font).elidedText(
                             self._name, Qt.TextElideMode.ElideRight, name_rect.width()))
        painter.end()
        self._chrome_pixmap, self._chrome_key = pixmap, key
        return pixmap

    def _paint_sparkline(self, painter: QPainter, rect: QRectF, style: StateStyle) -> None:
        ratio = self.devicePixelRatioF() or 1.0
        key = (rect.width(), rect.height(), ratio)
        if self._spark_key != key:
            # Stroking an antialiased path is the dearest part of a card's paint: it is done
            # once per new series or size, into a pixmap that each repaint only copies.
            self._spark_pixmap, self._last_point = self._render_sparkline(rect, ratio)
            self._spark_key = key
        if self._spark_pixmap is None:
            return
        painter.drawPixmap(rect.topLeft(), self._spark_pixmap)
        if self._last_point is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.accent if self._state != "normal" else _LINE)
            r = max(2.5, self._metrics.line * 1.8)
            painter.drawEllipse(self._last_point + rect.topLeft(), r, r)

    def _render_sparkline(self, rect: QRectF, ratio: float
                          ) -> tuple[QPixmap | None, QPointF | None]:
        path, last = self._build_sparkline(rect.width(), rect.height())
        if path is None:
            return None, None
        pixmap = QPixmap(max(1, math.ceil(rect.width() * ratio)),
                         max(1, math.ceil(rect.height() * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillPath(path, _LINE)
        painter.end()
        return pixmap, last

    def _build_sparkline(self, width: float, height: float
                         ) -> tuple[QPainterPath | None, QPointF | None]:
        span = self._span
        if span is None and len(self._t):
            span = (float(self._t[0]), float(self._t[-1]))
        if span is None:
            return None, None
        return sparkline_path(self._t, self._v, span, width, height, self._metrics.line,
                              self._gap, 4 * 10.0 ** -self._precision)

    def _describe(self) -> None:
        # What a screen reader says for the card.
        self.setAccessibleName(self._name)
        self.setAccessibleDescription(
            f"{self._value_text} {self._unit} · {state_word(self._state)}".strip())
