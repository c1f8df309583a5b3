"""A banner that calls attention to one item in a colour, with "Show" and "Dismiss" buttons."""

from __future__ import annotations

from PySide6.QtCore import Property, QEasingCurve, QPropertyAnimation, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QToolButton, QWidget

_BASE = QColor("#161b22")


def _blend(color: QColor, base: QColor, share: float) -> QColor:
    return QColor(
        round(color.red() * share + base.red() * (1 - share)),
        round(color.green() * share + base.green() * (1 - share)),
        round(color.blue() * share + base.blue() * (1 - share)),
    )


def readable_on(color: QColor) -> QColor:
    """Black or white, whichever reads better on `color`."""
    luminance = 0.299 * color.red() + 0.587 * color.green() + 0.114 * color.blue()
    return QColor("#111111") if luminance > 150 else QColor("#ffffff")


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" to fit its width (tooltip: all)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight,
                                                   max(0, self.width())))


class AlertBanner(QWidget):
    """Shows one alerting item: a badge in the item's colour, its title and a detail line,
    how many more wait, "Show" and "Dismiss". `pulse()` makes it glow for a few seconds.

    The banner never takes the keyboard focus by itself: showing, updating and pulsing leave
    the focus where the user has it.

    Signals:
      sig_show_event(key): "Show" was clicked for the item shown.
      sig_dismiss(key): "Dismiss" was clicked for the item shown.
    """

    sig_show_event = Signal(str)
    sig_dismiss = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.setAccessibleName(self.tr("Alert"))
        self._key = ""
        self._color = QColor("#d32f2f")
        self._glow = 0.0

        self.badge = QLabel(self)
        self.badge.setObjectName("alertBadge")
        self.title = ElidedLabel(self)
        self.title.setObjectName("alertTitle")
        self.detail = QLabel(self)
        self.detail.setObjectName("alertDetail")
        self.waiting = QLabel(self)
        self.waiting.setObjectName("alertWaiting")
        self.show_button = QPushButton(self.tr("Show"), self)
        self.show_button.setObjectName("alertShowButton")
        self.show_button.setAutoDefault(False)
        self.show_button.clicked.connect(self._show_clicked)
        self.dismiss_button = QToolButton(self)
        self.dismiss_button.setObjectName("alertDismissButton")
        self.dismiss_button.setText("✕")
        self.dismiss_button.setToolTip(self.tr("Dismiss this alert"))
        self.dismiss_button.setAccessibleName(self.tr("Dismiss this alert"))
        self.dismiss_button.clicked.connect(self._dismiss_clicked)

        for button in (self.show_button, self.dismiss_button):  # a click leaves the focus be
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 8, 6)
        layout.setSpacing(10)
        layout.addWidget(self.badge)
        layout.addWidget(self.title, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.waiting)
        layout.addWidget(self.show_button)
        layout.addWidget(self.dismiss_button)

        self._animation = QPropertyAnimation(self, b"glow", self)
        self._animation.setDuration(700)
        self._animation.setKeyValueAt(0.0, 0.0)
        self._animation.setKeyValueAt(0.5, 1.0)
        self._animation.setKeyValueAt(1.0, 0.0)
        self._animation.setEasingCurve(QEasingCurve.Type.InOutSine)
        self.hide()

    # ---- Public API

    def set_item(self, key: str, color: str | QColor, badge: str, title: str, detail: str,
                 waiting: int = 0) -> None:
        """Show the item `key` (and show the banner): `badge` on `color`, then `title`,
        `detail` and, when `waiting` > 0, how many more items wait behind it."""
        self._key = key
        self._color = QColor(color)
        text = readable_on(self._color)
        self.badge.setText(badge)
        self.badge.setStyleSheet(
            f"background-color: {self._color.name()}; color: {text.name()};"
            " border-radius: 3px; padding: 2px 8px; font-weight: 700;")
        self.title.set_full_text(title)
        self.detail.setText(detail)
        self.waiting.setText(self.tr("+%1 waiting").replace("%1", str(waiting)) if waiting > 0
                             else "")
        self.waiting.setVisible(waiting > 0)
        self.setVisible(True)
        self.update()

    def clear(self) -> None:
        """Hide the banner (nothing to show)."""
        self._key = ""
        self._animation.stop()
        self._glow = 0.0
        self.hide()

    def key(self) -> str:
        """The key of the item shown ("" when hidden)."""
        return self._key

    def color(self) -> QColor:
        return QColor(self._color)

    def pulse(self, times: int = 6) -> None:
        """Glow `times` times (about 0.7 s each), starting now."""
        self._animation.stop()
        self._animation.setLoopCount(max(1, times))
        self._animation.start()

    def pulsing(self) -> bool:
        return self._animation.state() == QPropertyAnimation.State.Running

    # ---- The glow (0..1), animated by pulse()

    def _get_glow(self) -> float:
        return self._glow

    def _set_glow(self, value: float) -> None:
        self._glow = float(value)
        self.update()

    glow = Property(float, _get_glow, _set_glow)

    # ----

    def _show_clicked(self) -> None:
        if self._key:
            self.sig_show_event.emit(self._key)

    def _dismiss_clicked(self) -> None:
        if self._key:
            self.sig_dismiss.emit(self._key)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        rect = QRectF(self.rect())
        painter.fillRect(rect, _blend(self._color, _BASE, 0.22 + 0.38 * self._glow))
        painter.fillRect(QRectF(0, 0, 6, rect.height()), self._color)
        painter.fillRect(QRectF(0, rect.height() - 1, rect.width(), 1),
                         _blend(self._color, _BASE, 0.6))
        painter.end()
