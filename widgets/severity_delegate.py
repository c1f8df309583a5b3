"""A table delegate that paints a cell's text on a coloured badge.

It knows nothing of events or levels: the model gives the badge colour under `color_role`
(a `QColor` or a colour string); the text colour is chosen for contrast with the badge.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem


def contrasting_text(color: QColor) -> QColor:
    """Black or white, whichever reads better on `color` (WCAG relative luminance)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    luminance = (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )
    return QColor("#101418") if luminance > 0.22 else QColor("#ffffff")


def draw_item_background(delegate: QStyledItemDelegate, painter: QPainter,
                         option: QStyleOptionViewItem, index: QModelIndex) -> None:
    """The cell's background (selection, hover, the model's colour) without its text."""
    background = QStyleOptionViewItem(option)
    delegate.initStyleOption(background, index)
    background.text = ""
    style = background.widget.style() if background.widget else None
    if style is not None:
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter,
                          background.widget)


class SeverityDelegate(QStyledItemDelegate):
    """Paints the cell's DisplayRole text centred on a rounded badge of the colour in `color_role`."""

    def __init__(self, color_role: int, parent=None) -> None:
        super().__init__(parent)
        self._color_role = color_role

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        raw = index.data(self._color_role)
        color = QColor(raw) if raw is not None else QColor()
        if not color.isValid():
            super().paint(painter, option, index)
            return
        # Selection/hover background first, so the badge stays visible on a selected row.
        draw_item_background(self, painter, option, index)

        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        metrics = option.fontMetrics
        height = min(option.rect.height() - 6, metrics.height() + 4)
        width = min(option.rect.width() - 8, metrics.horizontalAdvance(text) + 16)
        badge = QRect(0, 0, max(width, 0), max(height, 0))
        badge.moveCenter(option.rect.center())

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(badge, 4, 4)
        painter.setPen(contrasting_text(color))
        font = option.font
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
