"""A small label with a coloured dot in front of its text (a state light for status bars)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel


class StatusLight(QLabel):
    """Shows `● text` with the dot (and the text) in the given colour."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._text = ""
        self._color = QColor("#8b949e")
        self.setTextFormat(Qt.TextFormat.RichText)

    def set_state(self, text: str, color: str | QColor) -> None:
        """Show `text` in `color`."""
        self._text = text
        self._color = QColor(color)
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        self.setText(
            f'<span style="color:{self._color.name()}; font-weight:600">● {escaped}</span>'
        )

    def state_text(self) -> str:
        """The text last given to `set_state` (without the dot)."""
        return self._text

    def state_color(self) -> QColor:
        """The colour last given to `set_state`."""
        return QColor(self._color)
