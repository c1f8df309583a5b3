"""The screen manager: one wall window per wall screen, and every window kept on a live screen.

Given a `HallLayout` (console/hall.py) and a factory `make_view(kind) -> QWidget`, the
manager builds a `WallWindow` for each wall screen and shows it frameless and full screen on
its screen; it also places the desk window (passed in) on the desk screen. It follows the
screens (R7): when one is unplugged, the windows standing on it move to a remaining screen
(as 60 % "guest" windows, so the host screen's own view stays visible too) within the
settle delay; when it comes back (matched by name), they go home again.

    manager = ScreenManager(layout_for(args.hall), make_view, desk=desk_window)
    manager.start()
    ...
    manager.shutdown()
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from console.hall import (
    HallLayout,
    Placement,
    ScreenInfo,
    bind,
    default_layout,
    guest_geometry,
    load_layout,
    place,
)
from views.wall_window import WallWindow

log = logging.getLogger(__name__)


def screen_info(screen: QScreen, index: int) -> ScreenInfo:
    """A QScreen as the core sees it (logical geometry)."""
    g = screen.geometry()
    return ScreenInfo(name=screen.name(), index=index, x=g.x(), y=g.y(), width=g.width(),
                      height=g.height(),
                      primary=screen is QGuiApplication.primaryScreen())


def current_screens() -> list[ScreenInfo]:
    """The screens the window system shows now."""
    return [screen_info(s, i) for i, s in enumerate(QGuiApplication.screens())]


def layout_for(path: str | Path | None) -> HallLayout:
    """The hall file's layout (`--hall FILE`; raises `HallFileError`), else the default for
    the screens present."""
    if path:
        return load_layout(path)
    return default_layout(current_screens())


class ScreenManager(QObject):
    """Builds the wall windows and keeps every window of the hall on a screen that exists.

    `desk` is the desk window (or None); `settle_ms` is how long screen changes are gathered
    before the windows are placed again (several signals come for one unplug)."""

    sig_placed = Signal(list)  # list[Placement], after every placement
    sig_close_refused = Signal(str)  # a wall's id: someone tried to close a locked wall

    def __init__(self, layout: HallLayout, make_view: Callable[[str], QWidget | None],
                 desk: QWidget | None = None, *, settle_ms: int = 50,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.layout = layout
        self.desk = desk
        self.walls: dict[str, WallWindow] = {}
        self.placements: list[Placement] = []
        self.binding: dict[str, str] = {}
        self._make_view = make_view
        self._last_seen: dict[str, ScreenInfo] = {}
        self._started = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(settle_ms)
        self._settle.timeout.connect(self.relayout)
        self._watched: set[int] = set()

    # --- life ------------------------------------------------------------------------------

    def start(self) -> None:
        """Make the wall windows, place every window and follow the screens from now on."""
        if self._started:
            return
        self._started = True
        app = QGuiApplication.instance()
        app.screenAdded.connect(self._screen_added)
        app.screenRemoved.connect(self._screen_removed)
        app.primaryScreenChanged.connect(self._schedule)
        for screen in QGuiApplication.screens():
            self._watch(screen)
        for entry in self.layout.walls:
            window = WallWindow(entry, self._make_view)
            window.sig_close_refused.connect(lambda sid=entry.id: self.sig_close_refused.emit(sid))
            self.walls[entry.id] = window
        self.relayout()

    def shutdown(self) -> None:
        """Stop following the screens and close the wall windows (the desk is the caller's)."""
        if not self._started:
            return
        self._started = False
        self._settle.stop()
        app = QGuiApplication.instance()
        for signal, slot in ((app.screenAdded, self._screen_added),
                             (app.screenRemoved, self._screen_removed),
                             (app.primaryScreenChanged, self._schedule)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        for window in self.walls.values():
            window.unlock()
            window.close()
            window.deleteLater()
        self.walls.clear()

    def unlock(self) -> None:
        """Let the window system close the wall windows (an admin's action)."""
        for window in self.walls.values():
            window.unlock()

    def lock(self) -> None:
        for window in self.walls.values():
            window.lock()

    def windows(self) -> dict[str, QWidget]:
        """Every window of the hall by layout screen id (the desk's id too, when given)."""
        result: dict[str, QWidget] = {}
        if self.desk is not None:
            result[self.layout.desk.id] = self.desk
        result.update(self.walls)
        return result

    # --- following the screens -------------------------------------------------------------

    def _watch(self, screen: QScreen) -> None:
        if id(screen) in self._watched:
            return
        self._watched.add(id(screen))
        screen.geometryChanged.connect(self._schedule)

    def _screen_added(self, screen: QScreen) -> None:
        log.info("screen added: %s", screen.name())
        self._watch(screen)
        self._schedule()

    def _screen_removed(self, screen: QScreen) -> None:
        log.warning("screen removed: %s", screen.name())
        self._watched.discard(id(screen))
        self._schedule()

    def _schedule(self, *_args) -> None:
        if self._started:
            self._settle.start()

    def relayout(self) -> None:
        """Place every window for the screens present now (done by itself on screen changes)."""
        qscreens = {s.name(): s for s in QGuiApplication.screens()}
        infos = current_screens()
        if not infos:
            return
        for info in infos:
            self._last_seen[info.name] = info
        self.binding = bind(self.layout, infos, self.binding)
        self.placements = place(self.layout, infos, self.binding, self._last_seen)
        for p in self.placements:
            target = qscreens.get(p.target.name)
            if target is None:
                continue
            if p.role == "wall":
                window = self.walls.get(p.screen_id)
                if window is not None:
                    self._put_wall(window, target, p)
            elif self.desk is not None:
                self._put_desk(self.desk, target)
        log.info("hall placed: %s", ", ".join(
            f"{p.screen_id}→{p.target.name}{'' if p.home else f' (guest {p.slot})'}"
            for p in self.placements))
        self.sig_placed.emit(self.placements)

    def _put_wall(self, window: WallWindow, screen: QScreen, p: Placement) -> None:
        window.set_type_size(screen.geometry().height())
        if p.home:
            rect = screen.geometry()
            if (window.isVisible() and window.isFullScreen() and window.geometry() == rect
                    and window.screen() is screen):
                return
            if window.isFullScreen():
                window.setWindowState(Qt.WindowState.WindowNoState)
            _set_screen(window, screen)
            window.setGeometry(rect)
            window.showFullScreen()
        else:
            rect = QRect(*guest_geometry(p.target, p.slot))
            if window.isFullScreen():
                window.setWindowState(Qt.WindowState.WindowNoState)
            _set_screen(window, screen)
            window.setGeometry(rect)
            window.show()
            window.raise_()

    def _put_desk(self, desk: QWidget, screen: QScreen) -> None:
        area = screen.availableGeometry()
        frame = desk.frameGeometry()
        if desk.screen() is screen and area.contains(frame.center()):
            return
        state = desk.windowState()
        visible = desk.isVisible()
        if state & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            desk.setWindowState(Qt.WindowState.WindowNoState)
        _set_screen(desk, screen)
        size = desk.size().boundedTo(area.size())
        rect = QRect(0, 0, size.width(), size.height())
        rect.moveCenter(area.center())
        desk.setGeometry(rect)
        if visible:
            desk.setWindowState(state)
            desk.show()


def _set_screen(window: QWidget, screen: QScreen) -> None:
    handle = window.windowHandle()
    if handle is None:
        window.winId()  # make the native window, so it can be given its screen
        handle = window.windowHandle()
    if handle is not None and handle.screen() is not screen:
        handle.setScreen(screen)
