"""A wall window: frameless and full screen on one wall screen, in large type, hard to close.

It shows the views of one `HallScreen` (console/hall.py) arranged as the layout says. The
window system's close requests (Alt+F4, a window manager's close button or menu) are refused
until an admin `unlock()`s it; the program's own closes (application quit, the screen
manager's shutdown) go through, so quitting the console is never blocked by a wall.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QTabWidget, QWidget

from console.hall import HallScreen, wall_font_points

#: The wall's large-type additions to the app theme (resources/themes/dark.qss): applied on
#: the wall window, so they cascade to its views and win over the app's rules.
WALL_QSS = """
QWidget#WallWindow { background-color: #0b0f14; }
QWidget { font-size: %(pt)spt; }
QLabel#panelTitle, QLabel#detailTitle { font-size: %(title)spt; }
QLabel#wallPlaceholder { color: #7d8590; font-size: %(title)spt; }
QLabel#wallModeBadge { font-size: %(badge)spt; font-weight: 600; padding: 6px 20px;
                       border-radius: 6px; }
QTabBar::tab { padding: 10px 24px; }
"""


class WallWindow(QWidget):
    """One wall screen's window. `make_view(kind)` gives the widget of each view."""

    sig_close_refused = Signal()

    def __init__(self, screen: HallScreen, make_view: Callable[[str], QWidget],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("WallWindow")
        self.setProperty("wall", True)
        self.setWindowTitle(f"Hall wall — {screen.id}")
        # Closing the desk ends the console even while walls stand.
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.spec = screen
        self.locked = True
        self.views: dict[str, QWidget] = {}
        self.tabs: QTabWidget | None = None
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(4)
        self._type_points = 0.0
        #: The mode badge in the top-right corner, readable from across the hall (hidden
        #: until a mode is shown with `set_badge`).
        self.badge = QLabel(self)
        self.badge.setObjectName("wallModeBadge")
        self.badge.hide()
        self.set_type_size(1080)
        self.arrange(screen, make_view)

    def arrange(self, screen: HallScreen, make_view: Callable[[str], QWidget]) -> None:
        """Stand `screen`'s views here as it says (a hall mode may change them): the views
        standing here before are let go first (see `release_views`)."""
        if self.views:
            self.release_views()
        self.spec = screen
        if screen.effective_arrangement == "tabs":
            self.tabs = QTabWidget(self)
            self.tabs.setObjectName("wallTabs")
            self.tabs.setDocumentMode(True)
            for kind in screen.views:
                self.tabs.addTab(self._make(make_view, kind), kind)
            self._grid.addWidget(self.tabs, 0, 0)
        else:
            for cell in screen.cells():
                self._grid.addWidget(self._make(make_view, cell.view), cell.row, cell.col,
                                     cell.row_span, cell.col_span)
        rows, cols = screen.grid()
        for r in range(max(rows, self._grid.rowCount())):
            self._grid.setRowStretch(r, 1 if r < rows else 0)
        for c in range(max(cols, self._grid.columnCount())):
            self._grid.setColumnStretch(c, 1 if c < cols else 0)
        self.badge.raise_()

    def release_views(self) -> dict[str, QWidget]:
        """Take every view off this window (hidden, without a parent, back in desk type) and
        return them by kind; placeholders are deleted."""
        released: dict[str, QWidget] = {}
        for kind, view in self.views.items():
            self._grid.removeWidget(view)
            if self.tabs is not None:
                index = self.tabs.indexOf(view)
                if index >= 0:
                    self.tabs.removeTab(index)
            view.hide()
            if view.objectName() == "wallPlaceholder":
                view.deleteLater()
                continue
            set_large = getattr(view, "set_large", None)
            if callable(set_large):
                set_large(False)
            view.setParent(None)
            released[kind] = view
        self.views = {}
        if self.tabs is not None:
            self._grid.removeWidget(self.tabs)
            self.tabs.deleteLater()
            self.tabs = None
        return released

    def set_badge(self, text: str, color: str) -> None:
        """Show `text` (the hall's mode) on `color` in the top-right corner; "" hides it."""
        self.badge.setText(text)
        self.badge.setStyleSheet(f"QLabel#wallModeBadge {{ background-color: {color}; "
                                 f"color: #ffffff; }}")
        self.badge.setVisible(bool(text))
        self._place_badge()

    def _place_badge(self) -> None:
        self.badge.adjustSize()
        margin = max(8, self.height() // 90)
        self.badge.move(self.width() - self.badge.width() - margin, margin)
        self.badge.raise_()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place_badge()

    def _make(self, make_view: Callable[[str], QWidget], kind: str) -> QWidget:
        view = make_view(kind)
        if view is None:  # a view this console cannot show (e.g. no indicators): say so
            view = QLabel(kind, self)
            view.setObjectName("wallPlaceholder")
            view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        view.setParent(self)
        view.show()  # a view taken from a tab widget was hidden there
        set_large = getattr(view, "set_large", None)
        if callable(set_large):
            set_large(True)
        self.views[kind] = view
        return view

    def set_type_size(self, logical_height: int) -> None:
        """Large type for a screen `logical_height` pixels high (see `wall_font_points`)."""
        pt = wall_font_points(logical_height)
        if pt == self._type_points:
            return  # a new style sheet re-polishes every view: only when the size changes
        self._type_points = pt
        font = QFont(self.font())
        font.setPointSizeF(pt)
        self.setFont(font)
        self.setStyleSheet(WALL_QSS % {"pt": pt, "title": round(pt * 1.4, 1),
                                       "badge": round(pt * 1.6, 1)})
        self.style().unpolish(self)
        self.style().polish(self)
        if self.badge.isVisible():
            self._place_badge()

    # --- not closed by accident ------------------------------------------------------------

    def unlock(self) -> None:
        """Let the window system close this window (an admin's choice)."""
        self.locked = False

    def lock(self) -> None:
        self.locked = True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.locked and event.spontaneous():
            event.ignore()
            self.sig_close_refused.emit()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if (event.key() == Qt.Key.Key_F4 and event.modifiers() & Qt.KeyboardModifier.AltModifier
                and self.locked):
            event.accept()
            self.sig_close_refused.emit()
            return
        super().keyPressEvent(event)
