"""The map: a MapLibre GL JS page (resources/map/) in a QWebEngineView.

    view = MapView()
    view.ready.connect(...)                       # the map has loaded
    view.set_layer("events", geojson, {"type": "circle", "paint": {"circle-color": "#f85149"}})
    view.fly_to(120.30, 31.57, 14)
    view.clicked.connect(lambda layer, fid: ...)  # a feature of a clickable layer was clicked
    view.moved.connect(lambda lon, lat, zoom: ...)
    view.set_visible("events", False)

The page and the library come through the `hall:` scheme (views/map_scheme.py); calls go to
the page in batches through MapBridge (views/map_bridge.py).
"""

from __future__ import annotations

import logging

import orjson
from PySide6.QtCore import QUrl
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView

from views.map_bridge import MapBridge
from views.map_scheme import hall_profile

log = logging.getLogger(__name__)

MAP_URL = QUrl("hall://map/index.html")
LAYER_TYPES = ("circle", "fill", "line", "symbol", "heatmap")


class _MapPage(QWebEnginePage):
    """Logs the page's console messages (errors as warnings)."""

    def javaScriptConsoleMessage(self, level, message, line, source):  # noqa: N802 (Qt API)
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            log.warning("map page %s:%s: %s", source, line, message)
        else:
            log.debug("map page %s:%s: %s", source, line, message)


class MapView(QWebEngineView):
    """The map widget; `ready`, `clicked` and `moved` are the bridge's signals."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.bridge = MapBridge(self)
        self.ready = self.bridge.ready
        self.clicked = self.bridge.clicked
        self.moved = self.bridge.moved
        page = _MapPage(hall_profile(), self)
        self._channel = QWebChannel(page)
        self._channel.registerObject("hall", self.bridge)
        page.setWebChannel(self._channel)
        self.setPage(page)
        self.load(MAP_URL)

    def set_layer(self, layer_id: str, geojson: dict | bytes, style: dict, *,
                  clickable: bool = False, cluster: dict | None = None) -> None:
        """Show `geojson` (a FeatureCollection, or its JSON as bytes) as layer `layer_id`, replacing its data and
        paint if it exists. `style`: {"type": "circle"|"fill"|"line"|…, "paint": {...},
        "layout": {...}} in MapLibre's style terms. A click on a feature of a `clickable`
        layer emits `clicked(layer_id, feature id)` (the feature's `id`, or its `id` property).

        `cluster` (points only) clusters the source: {"radius": px, "maxZoom": z,
        "properties": MapLibre clusterProperties, "paint": circle paint of the clusters};
        the clusters are drawn by a layer "<layer_id>:clusters" under the points, and a
        click on one zooms in.
        """
        kind = style.get("type", "circle")
        if kind not in LAYER_TYPES:
            raise ValueError(f"unknown layer type {kind!r}")
        if isinstance(geojson, bytes):
            geojson = orjson.Fragment(geojson)  # sent as it is
        self.bridge.send({"op": "setLayer", "id": layer_id, "data": geojson, "type": kind,
                          "paint": style.get("paint", {}), "layout": style.get("layout", {}),
                          "clickable": clickable, "cluster": cluster})

    def set_visible(self, layer_id: str, visible: bool) -> None:
        """Show or hide layer `layer_id` (and its clusters); kept if the layer is set again."""
        self.bridge.send({"op": "setVisible", "id": layer_id, "visible": bool(visible)})

    def remove_layer(self, layer_id: str) -> None:
        self.bridge.send({"op": "removeLayer", "id": layer_id})

    def fly_to(self, lon: float, lat: float, zoom: float | None = None, *,
               duration_ms: int = 800) -> None:
        """Move the view to (lon, lat) and `zoom`, animated for `duration_ms` (0: jump)."""
        self.bridge.send({"op": "flyTo", "center": [lon, lat], "zoom": zoom,
                          "duration": duration_ms})
