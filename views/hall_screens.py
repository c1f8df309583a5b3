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


def screen_name(screen: QScreen) -> str:
    """The name the hall knows a screen by: the window system's name, or "screen-<index>"
    when it gives none (Qt's offscreen platform, some drivers); "<name>#<index>" when two
    screens share a name. The layout follows screens by this name."""
    screens = QGuiApplication.screens()
    index = screens.index(screen) if screen in screens else len(screens)
    name = screen.name()
    if not name:
        return f"screen-{index}"
    if sum(1 for s in screens if s.name() == name) > 1:
        return f"{name}#{index}"
    return name


def screen_info(screen: QScreen, index: int) -> ScreenInfo:
    """A QScreen as the core sees it (logical geometry)."""
    g = screen.geometry()
    return ScreenInfo(name=screen_name(screen), index=index, x=g.x(), y=g.y(), width=g.width(),
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
        self._badge: tuple[str, str] | None = None

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
            if self._badge is not None:
                window.set_badge(*self._badge)
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

    def set_layout(self, layout: HallLayout,
                   release: Callable[[dict[str, QWidget]], None] | None = None) -> bool:
        """Stand the walls' views as `layout` says (a hall mode's arrangement: the same screens
        with other views or arrangements). When any wall changes, every wall lets its views
        go (`release(views)` gets them, e.g. to put them back on the desk) and takes its new
        ones from `make_view`; the windows stay where they are. Returns True when anything
        changed."""
        old = {s.id: (s.views, s.effective_arrangement) for s in self.layout.walls}
        new = {s.id: (s.views, s.effective_arrangement) for s in layout.walls}
        if set(old) != set(new):
            raise ValueError("a mode's layout must have the same wall screens")
        self.layout = layout
        if old == new or not self._started:
            return False
        for window in self.walls.values():
            views = window.release_views()
            if release is not None:
                release(views)
        for entry in layout.walls:
            self.walls[entry.id].arrange(entry, self._make_view)
        log.info("hall walls arranged: %s", "; ".join(
            f"{e.id}: {e.effective_arrangement} {','.join(e.views)}" for e in layout.walls))
        return True

    def set_badge(self, text: str, color: str) -> None:
        """Show the hall's mode in the corner of every wall window (those made later too)."""
        self._badge = (text, color)
        for window in self.walls.values():
            window.set_badge(text, color)

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
        qscreens = {screen_name(s): s for s in QGuiApplication.screens()}
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
