"""The hall's screens for a desk: the views the hall layout puts on wall screens leave the desk's
docks and stand on wall windows (views/hall_screens.py).

    manager = install_hall(desk_window, bridge, layout)   # None: one screen, nothing to do
    manager.start()
    ...
    manager.shutdown()
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QWidget

from console.hall import HallLayout
from views.hall_screens import ScreenManager
from views.video_wall import VideoWall

log = logging.getLogger(__name__)


def _desk_views(window) -> dict[str, QWidget | None]:
    return {"map": window.operation_map, "video_wall": window.video,
            "dashboard": window.dashboard, "statistics": window.statistics}


class HallViews:
    """Gives the walls the desk's views (`make_view`) and takes them back (`release`).

    Each view stands on the first wall that asks for it and leaves the desk (its dock,
    `DeskWindow.take_view`); a video wall asked for again gets a wall of its own (kept for the
    next arrangement); other repeats show a placeholder. `release` puts the desk's views back
    in their docks (`DeskWindow.return_view`), in their first order, so that a hall mode can
    arrange the walls again."""

    def __init__(self, window, bridge) -> None:
        self._window = window
        self._bridge = bridge
        self._views = _desk_views(window)
        self._order = [kind for kind, w in self._views.items() if w is not None]
        self._taken: set[str] = set()
        self._extra: list[QWidget] = []  # repeated video walls
        self._extra_used = 0

    def make_view(self, kind: str) -> QWidget | None:
        if kind in self._taken:
            if kind == "video_wall":
                if self._extra_used < len(self._extra):
                    widget = self._extra[self._extra_used]
                else:
                    widget = VideoWall.for_bridge(self._bridge, state_path="")
                    self._extra.append(widget)
                self._extra_used += 1
                return widget
            log.info("hall: %s stands on one wall only; a placeholder on the next", kind)
            return None
        widget = self._views.get(kind)
        if widget is None:
            return None
        self._taken.add(kind)
        self._window.take_view(kind)
        return widget

    def release(self, views: dict[str, QWidget]) -> None:
        """The walls let these views go: the desk's own go back to its docks."""
        held = self._window.view_names()
        for kind in self._order:
            widget = self._views[kind]
            if widget in views.values() and kind not in held:
                self._taken.discard(kind)
                self._window.return_view(kind, widget)
        self._extra_used = 0


def install_hall(window, bridge, layout: HallLayout) -> ScreenManager | None:
    """A ScreenManager for `layout` whose walls take their views from `window` (a DeskWindow)
    through a `HallViews` (kept as the manager's `hall_views`); the desk's mode switch
    (`window.modes`) is given the layout and the manager. None when the layout has no wall
    screen."""
    modes = getattr(window, "modes", None)
    if not any(screen.role == "wall" for screen in layout.screens):
        if modes is not None:
            modes.attach(layout, None)
        return None
    views = HallViews(window, bridge)
    manager = ScreenManager(layout, views.make_view, desk=window)
    manager.hall_views = views
    if modes is not None:
        modes.attach(layout, manager)
    _add_unlock_action(window, manager)
    return manager


def _add_unlock_action(window, manager: ScreenManager) -> None:
    """For an admin: a View menu item that unlocks the wall windows (so the window system
    may close or move them) and locks them again."""
    user = getattr(window, "_user", None)
    menu = getattr(window, "view_menu", None)
    if user is None or menu is None or "admin" not in user.roles:
        return
    action = menu.addAction(window.tr("Unlock the wall windows"))
    action.setObjectName("unlockWallsAction")
    action.setCheckable(True)
    action.toggled.connect(lambda on: manager.unlock() if on else manager.lock())
    window.unlock_walls_action = action
