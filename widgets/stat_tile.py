"""A figure tile: a big value with its caption and a line of detail; optionally clickable."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout


class StatTile(QFrame):
    """Shows `caption` over a big `value` and a small `detail` line.

    Styled by the theme through its object names (`statTile`, `statCaption`, `statValue`,
    `statDetail`) and two properties: `tone` ("", "good", "warning", "alarm") and
    `clickable`. A clickable tile takes focus and emits `clicked` on a left click, Enter or
    Space.
    """

    clicked = Signal()

    def __init__(self, caption: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("statTile")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.caption_label = QLabel(caption, self)
        self.caption_label.setObjectName("statCaption")
        self.value_label = QLabel("—", self)
        self.value_label.setObjectName("statValue")
        self.detail_label = QLabel("", self)
        self.detail_label.setObjectName("statDetail")
        for label in (self.caption_label, self.value_label, self.detail_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(self.caption_label)
        layout.addWidget(self.value_label)
        layout.addWidget(self.detail_label)
        self._clickable = False
        self.setProperty("tone", "")
        self.setProperty("clickable", False)

    # ---- Public API

    def set_caption(self, text: str) -> None:
        self.caption_label.setText(text)

    def set_value(self, value: str, detail: str = "") -> None:
        self.value_label.setText(value)
        self.detail_label.setText(detail)

    def value(self) -> str:
        return self.value_label.text()

    def detail(self) -> str:
        return self.detail_label.text()

    def set_tone(self, tone: str) -> None:
        """The colour family of the value: "" (plain), "good", "warning" or "alarm"."""
        if self.property("tone") != tone:
            self.setProperty("tone", tone)
            self._repolish()

    def set_clickable(self, clickable: bool) -> None:
        self._clickable = clickable
        self.setProperty("clickable", clickable)
        self.setCursor(Qt.CursorShape.PointingHandCursor if clickable
                       else Qt.CursorShape.ArrowCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if clickable else Qt.FocusPolicy.NoFocus)
        self._repolish()

    # ----

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if (self._clickable and event.button() == Qt.MouseButton.LeftButton
                and self.rect().contains(event.position().toPoint())):
            self.clicked.emit()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._clickable and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter,
                                               Qt.Key.Key_Space):
            self.clicked.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def _repolish(self) -> None:
        for widget in (self, self.value_label):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
