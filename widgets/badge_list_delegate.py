"""A table delegate that paints a row of small badges side by side in one cell.

It knows nothing of events or deadlines: the model gives a list of `(text, tone)` pairs under
`badges_role`, and `tones` maps each tone to a (background, text) colour pair. An empty
background draws an outlined badge. Badges that do not fit are elided from the right.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from widgets.severity_delegate import draw_item_background

_GAP = 4
_PAD = 6


class BadgeListDelegate(QStyledItemDelegate):
    """Paints the `(text, tone)` list under `badges_role` as coloured badges, left to right."""

    def __init__(self, badges_role: int, tones: dict[str, tuple[str, str]], parent=None) -> None:
        super().__init__(parent)
        self._role = badges_role
        self._tones = {tone: (QColor(bg) if bg else QColor(), QColor(fg))
                       for tone, (bg, fg) in tones.items()}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        badges = index.data(self._role)
        if not badges:
            super().paint(painter, option, index)
            return
        draw_item_background(self, painter, option, index)
        metrics = option.fontMetrics
        height = min(option.rect.height() - 6, metrics.height() + 2)
        x = option.rect.left() + _GAP
        right = option.rect.right() - _GAP
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        font = option.font
        font.setBold(True)
        painter.setFont(font)
        for text, tone in badges:
            fill, ink = self._tones.get(tone, (QColor(), option.palette.text().color()))
            width = painter.fontMetrics().horizontalAdvance(text) + 2 * _PAD
            if x + width > right:
                width = right - x
                if width < 2 * _PAD + metrics.horizontalAdvance("…"):
                    break
                text = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                                        width - 2 * _PAD)
            rect = QRect(x, 0, width, height)
            rect.moveTop(option.rect.center().y() - height // 2)
            if fill.isValid():
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(fill)
            else:
                painter.setPen(QPen(ink, 1))
                painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 4, 4)
            painter.setPen(ink)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            x += width + _GAP
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        badges = index.data(self._role) or []
        metrics = option.fontMetrics
        width = sum(metrics.horizontalAdvance(text) + 2 * _PAD + _GAP for text, _t in badges)
        return QSize(width + _GAP + 8, metrics.height() + 8)
