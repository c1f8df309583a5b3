"""A small map that shows where one event is: the district's streets, roads and waterways,
the event as a point in its level's colour, and a ring fitted around it.

The base layers come from the backend (or the offline cache in an outage) off the GUI thread,
as for the operation map (console.map_data).
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QVBoxLayout, QWidget

from console.map_data import load_map_data
from views.bridge import MainThreadInvoker
from views.map_styles import LEVEL_COLOURS, STYLES
from views.worker import BackgroundCall

log = logging.getLogger(__name__)

BASE = ("streets", "waterways", "roads")
RING_M = 300.0


class EventLocatorMap(QWidget):
    """The event's place on a small map (a real MapLibre page, views/map_view.py)."""

    def __init__(self, api, cache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from views.map_view import MapView

        self.setObjectName("eventLocatorMap")
        self._api = api
        self._cache = cache
        self._invoker = MainThreadInvoker(self)
        self._place: tuple[float, float, int, str] | None = None
        self._call: BackgroundCall | None = None
        self.base_loaded = False
        self.view = MapView(self)
        self.view.setObjectName("eventLocatorView")
        self.view.ready.connect(self._ready)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def show_place(self, lon: float, lat: float, level: int, label: str) -> None:
        """Mark the event at (lon, lat) with a ring of 300 m, labelled `label`."""
        self._place = (lon, lat, level, label)
        if self.view.bridge.is_ready:
            self._draw_place()

    def _ready(self) -> None:
        self._draw_place()
        if self._api is None:
            return
        api, cache = self._api, self._cache
        self._call = BackgroundCall(self._invoker, lambda: load_map_data(api, cache, BASE),
                                    self._base_loaded, self._base_failed,
                                    name="hall-locator-base").start()

    def _base_loaded(self, data) -> None:
        for layer_id in BASE:
            if layer_id in data.layers:
                self.view.set_layer(layer_id, data.layers[layer_id], STYLES[layer_id])
        self.view.remove_layer("event")  # added again above the base
        self._draw_place()
        self.base_loaded = True

    def _base_failed(self, error: BaseException) -> None:
        log.warning("locator map: base layers not loaded: %s", error)

    def _draw_place(self) -> None:
        if self._place is None:
            return
        lon, lat, level, label = self._place
        colour = LEVEL_COLOURS.get(level, LEVEL_COLOURS[4])
        self.view.set_layer("event", {"type": "FeatureCollection", "features": [{
            "type": "Feature", "id": "event", "properties": {"level": level},
            "geometry": {"type": "Point", "coordinates": [lon, lat]}}]},
            {"type": "circle", "paint": {"circle-color": colour, "circle-radius": 8,
                                         "circle-stroke-color": "#e6edf3",
                                         "circle-stroke-width": 2}})
        self.view.set_ring((lon, lat), RING_M, label, fit=True, duration_ms=0)

    def shutdown(self) -> None:
        """Drop a base-map load still running (its answer goes nowhere)."""
        self._api = None
