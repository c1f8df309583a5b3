"""The map: a MapLibre GL JS page (resources/map/) in a QWebEngineView.

    view = MapView()
    view.ready.connect(...)                       # the map has loaded
    view.set_layer("events", geojson, {"type": "circle", "paint": {"circle-color": "#f85149"}})
    view.fly_to(120.30, 31.57, 14)
    view.clicked.connect(lambda layer, fid: ...)  # a feature of a clickable layer was clicked
    view.moved.connect(lambda lon, lat, zoom: ...)
    view.set_visible("events", False)
    view.update_features("events", [moved_feature], ["ev-7"])  # only what changed

The page and the library come through the `hall:` scheme (views/map_scheme.py); calls go to
the page in batches through MapBridge (views/map_bridge.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import orjson
from PySide6.QtCore import QUrl
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView

from views.map_bridge import MapBridge, feature_id
from views.map_scheme import hall_profile

log = logging.getLogger(__name__)

MAP_URL = QUrl("hall://map/index.html")
#: Where the page gets a raster source's tiles (served by views/map_tiles.py).
RASTER_TILES = "hall://tiles/{source}/{{z}}/{{x}}/{{y}}"
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

    # ---- Tools (resources/map/tools.js)

    def set_pulse(self, features: list[dict]) -> None:
        """Pulse these points (GeoJSON point features with a `level` property); [] stops."""
        self.bridge.send({"op": "setPulse",
                          "data": {"type": "FeatureCollection", "features": features}})

    def set_ring(self, center: tuple[float, float] | None, radius_m: float = 0.0,
                 label: str = "", *, fit: bool = False, duration_ms: int = 800) -> None:
        """Draw a ring of `radius_m` metres around `center` (None: no ring), under the points,
        labelled `label` and the radius; with `fit`, move the view (animated for
        `duration_ms`) to show the whole ring."""
        self.bridge.send({"op": "setRing", "center": list(center) if center else None,
                          "radius": float(radius_m), "label": label, "fit": fit,
                          "duration": duration_ms})

    def set_marker(self, center: tuple[float, float] | None) -> None:
        """Mark one place (a search result) with a ring on top; None removes it."""
        self.bridge.send({"op": "setMarker", "center": list(center) if center else None})

    def set_measuring(self, on: bool) -> None:
        """Turn the distance tool on (clicks add points; the total shows at the last one)
        or off (clears it). While it is on, clicks select nothing."""
        self.bridge.send({"op": "setMeasuring", "on": bool(on)})

    def update_features(self, layer_id: str, upserts: list[dict] | bytes,
                        removed_ids: Sequence[str] = ()) -> None:
        """Change only some features of point layer `layer_id` (set with `set_layer`): each of
        `upserts` (Features, or a JSON array of them as bytes) is added, or replaces the
        feature with the same id; the features with ids `removed_ids` go. Ids are strings,
        each feature's `id` or `properties.id`; without one a feature cannot be updated.
        Updates queued for the same layer are merged (views/map_bridge.py), and the page hands
        only the changes to MapLibre (GeoJSONSource.updateData, resources/map/updates.js).
        """
        if not isinstance(upserts, bytes):  # bytes go as they are (parsed only to be merged)
            upserts = list(upserts)
            for feature in upserts:
                if feature_id(feature) is None:
                    raise ValueError(f"a feature of {layer_id!r} has no id: {feature!r:.200}")
        self.bridge.send({"op": "updateFeatures", "id": layer_id, "upserts": upserts,
                          "removed": [str(i) for i in removed_ids]})

    def set_raster_source(self, source_id: str, max_zoom: int, attribution: str = "", *,
                          tile_size: int = 256) -> None:
        """Draw raster tiles `hall://tiles/<source_id>/{z}/{x}/{y}` (views/map_tiles.py) as
        a layer under every other one, just above the background (a source set later lies
        under those set earlier); `attribution` is shown in the map's corner. Setting a
        source again replaces it."""
        self.bridge.send({"op": "setRasterSource", "id": source_id,
                          "tiles": [RASTER_TILES.format(source=source_id)],
                          "tileSize": tile_size, "maxzoom": max_zoom,
                          "attribution": attribution})

    def remove_raster_source(self, source_id: str) -> None:
        self.bridge.send({"op": "removeRasterSource", "id": source_id})
