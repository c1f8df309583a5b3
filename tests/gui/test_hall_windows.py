"""The wall window in the test session's QApplication: arrangement, large type, closing rules."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QLabel, QWidget

from console.hall import HallScreen
from views.wall_window import WallWindow


class Large(QLabel):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.large = False

    def set_large(self, large: bool) -> None:
        self.large = large


class SpontaneousClose:
    """Stands for a window system close (Alt+F4): QCloseEvent cannot be made spontaneous here."""

    def __init__(self) -> None:
        self.ignored = False

    def spontaneous(self) -> bool:
        return True

    def ignore(self) -> None:
        self.ignored = True


def test_wall_window_arranges_views_and_refuses_accidental_closes(qtbot, hall_app):
    spec = HallScreen(id="wall-1", role="wall", views=["map", "dashboard", "statistics"],
                      arrangement="1+2")
    made = {}

    def make_view(kind: str) -> QWidget | None:
        if kind == "statistics":
            return None  # not available: a placeholder stands in
        made[kind] = Large(kind)
        return made[kind]

    wall = WallWindow(spec, make_view)
    qtbot.addWidget(wall)
    assert wall.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert not wall.testAttribute(Qt.WidgetAttribute.WA_QuitOnClose)
    assert made["map"].large and made["dashboard"].large
    assert wall.views["statistics"].objectName() == "wallPlaceholder"
    grid = wall.layout()
    assert grid.getItemPosition(grid.indexOf(wall.views["map"])) == (0, 0, 2, 1)
    wall.set_type_size(2160)
    assert wall.font().pointSizeF() == 36.0
    wall.resize(800, 450)
    wall.show()
    qtbot.waitExposed(wall)

    refused = []
    wall.sig_close_refused.connect(lambda: refused.append(True))
    event = SpontaneousClose()
    wall.closeEvent(event)  # what Alt+F4 or a window manager's close button sends
    assert event.ignored and refused and wall.isVisible()
    alt_f4 = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    wall.keyPressEvent(alt_f4)
    assert alt_f4.isAccepted() and len(refused) == 2 and wall.isVisible()

    wall.unlock()
    real = QCloseEvent()  # once unlocked, the close goes through
    wall.closeEvent(real)
    assert real.isAccepted()


def test_program_closes_go_through_while_locked(qtbot, hall_app):
    wall = WallWindow(HallScreen(id="w", role="wall", views=["map", "video_wall"],
                                 arrangement="tabs"), lambda kind: QLabel(kind))
    qtbot.addWidget(wall)
    assert wall.tabs is not None and wall.tabs.count() == 2
    wall.show()
    qtbot.waitExposed(wall)
    assert wall.locked
    assert wall.close()  # the application's quit and the manager's shutdown close like this
    assert not wall.isVisible()


def test_every_screen_has_a_name_the_hall_can_follow(qtbot):
    """Qt's offscreen platform (and some drivers) give a screen no name: the hall names it by
    its index, so the default layout can be made for it (main crashed on such a screen)."""
    from PySide6.QtGui import QGuiApplication

    from views.hall_screens import layout_for, screen_name

    names = [screen_name(s) for s in QGuiApplication.screens()]
    assert all(names) and len(set(names)) == len(names)
    layout = layout_for(None)
    assert [s.role for s in layout.screens][:1] == ["desk"]
