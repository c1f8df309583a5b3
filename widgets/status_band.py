"""A full-width coloured band with one line of text and an optional close button.

Used for states every user in the room must see at a glance (the link is down, the data is
old, a cache file was replaced). It never takes the keyboard focus.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

#: Background and text colours of the tones.
TONES = {
    "alarm": ("#b71c1c", "#ffffff"),
    "warning": ("#f9a825", "#111111"),
    "info": ("#1f6feb", "#ffffff"),
}


class StatusBand(QWidget):
    """One line of text on a band in a tone ("alarm", "warning", "info"); hidden until
    `show_text`. With `closable`, a ✕ button hides it and emits `sig_closed`."""

    sig_closed = Signal()

    def __init__(self, parent=None, *, closable: bool = False) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tone = ""
        self.label = QLabel(self)
        self.label.setObjectName("statusBandText")
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.label.setFont(font)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 8, 6)
        layout.addWidget(self.label, 1)
        self.close_button: QToolButton | None = None
        if closable:
            self.close_button = QToolButton(self)
            self.close_button.setText("✕")
            self.close_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self.close_button.setAutoRaise(True)
            self.close_button.clicked.connect(self._close_clicked)
            layout.addWidget(self.close_button)
        self.hide()

    def text(self) -> str:
        return self.label.text()

    def show_text(self, text: str, tone: str = "alarm") -> None:
        background, foreground = TONES.get(tone, TONES["alarm"])
        self.tone = tone
        self.setStyleSheet(f"StatusBand {{ background: {background}; }}"
                           f" QLabel, QToolButton {{ color: {foreground}; background: transparent; }}")
        self.label.setText(text)
        self.setAccessibleDescription(text)
        self.show()

    def clear(self) -> None:
        self.tone = ""
        self.label.clear()
        self.hide()

    def _close_clicked(self) -> None:
        self.clear()
        self.sig_closed.emit()
