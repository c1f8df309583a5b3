"""A short list of labelled counts, each with a bar in proportion to the largest."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class BarList(QWidget):
    """Rows of `(key, label, count)`: the label (elided when narrow) and the count on one line,
    a bar under them as long as the count is against the largest. Clicking a row (when
    `clickable`) emits `sig_clicked(key)`. With no rows it shows `empty_text`.
    """

    sig_clicked = Signal(str)

    BAR_COLOR = QColor("#388bfd")
    TRACK_COLOR = QColor("#21262d")
    TEXT_COLOR = QColor("#e6edf3")
    MUTED_COLOR = QColor("#9da7b3")
    HOVER_COLOR = QColor("#1c2d48")

    def __init__(self, parent=None, *, clickable: bool = True, min_rows: int = 5) -> None:
        super().__init__(parent)
        self.setObjectName("barList")
        self._rows: list[tuple[str, str, int]] = []
        self._clickable = clickable
        self._min_rows = min_rows
        self._hover = -1
        self.empty_text = ""
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    # ---- Public API

    def set_rows(self, rows: list[tuple[str, str, int]]) -> None:
        if rows != self._rows:
            self._rows = list(rows)
            self._hover = -1
            self.updateGeometry()
            self.update()

    def rows(self) -> list[tuple[str, str, int]]:
        return list(self._rows)

    def row_rect(self, row: int) -> QRect:
        """Where row `row` is drawn (for tests and tooltips)."""
        height = self._row_height()
        return QRect(0, row * height, self.width(), height)

    # ---- Qt

    def sizeHint(self) -> QSize:
        return QSize(220, self._row_height() * max(self._min_rows, len(self._rows)))

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        if not self._rows:
            painter.setPen(self.MUTED_COLOR)
            painter.drawText(self.rect().adjusted(4, 0, -4, 0),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                             self.empty_text)
            return
        largest = max(count for _k, _l, count in self._rows) or 1
        text_height = metrics.height()
        for row, (_key, label, count) in enumerate(self._rows):
            rect = self.row_rect(row)
            if row == self._hover and self._clickable:
                painter.fillRect(rect, self.HOVER_COLOR)
            inner = rect.adjusted(4, 3, -4, -3)
            number = f"{count:,}"
            number_width = metrics.horizontalAdvance(number)
            painter.setPen(self.TEXT_COLOR)
            painter.drawText(QRect(inner.right() - number_width, inner.top(), number_width,
                                   text_height), Qt.AlignmentFlag.AlignRight, number)
            space = max(0, inner.width() - number_width - 8)
            painter.setPen(self.TEXT_COLOR if count else self.MUTED_COLOR)
            painter.drawText(QRect(inner.left(), inner.top(), space, text_height),
                             Qt.AlignmentFlag.AlignLeft,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, space))
            track = QRect(inner.left(), inner.top() + text_height + 2, inner.width(), 4)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.TRACK_COLOR)
            painter.drawRoundedRect(track, 2, 2)
            if count:
                bar = QRect(track)
                bar.setWidth(max(3, round(track.width() * count / largest)))
                painter.setBrush(self.BAR_COLOR)
                painter.drawRoundedRect(bar, 2, 2)
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position().toPoint().y())
        if row != self._hover:
            self._hover = row
            self.setCursor(Qt.CursorShape.PointingHandCursor if row >= 0 and self._clickable
                           else Qt.CursorShape.ArrowCursor)
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:
        self._hover = -1
        self.update()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position().toPoint().y())
        if self._clickable and row >= 0 and event.button() == Qt.MouseButton.LeftButton:
            self.sig_clicked.emit(self._rows[row][0])
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # ----

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 12

    def _row_at(self, y: int) -> int:
        row = y // self._row_height() if y >= 0 else -1
        return row if 0 <= row < len(self._rows) else -1
