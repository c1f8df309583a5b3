"""The hall's screens for a desk: the views the hall layout puts on wall screens leave the desk's
tabs and stand on wall windows (views/hall_screens.py).

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


def install_hall(window, bridge, layout: HallLayout) -> ScreenManager | None:
    """A ScreenManager for `layout` whose walls take their views from `window` (a DeskWindow):
    each view stands on the first wall that asks for it and leaves the desk's tabs; a video
    wall asked for again gets a wall of its own; other repeats show a placeholder. None when
    the layout has no wall screen."""
    if not any(screen.role == "wall" for screen in layout.screens):
        return None
    views = _desk_views(window)
    taken: set[str] = set()

    def make_view(kind: str) -> QWidget | None:
        if kind in taken:
            if kind == "video_wall":
                return VideoWall.for_bridge(bridge, state_path="")
            log.info("hall: %s stands on one wall only; a placeholder on the next", kind)
            return None
        widget = views.get(kind)
        if widget is None:
            return None
        taken.add(kind)
        index = window.tabs.indexOf(widget)
        if index >= 0:
            window.tabs.removeTab(index)
        return widget

    return ScreenManager(layout, make_view, desk=window)
