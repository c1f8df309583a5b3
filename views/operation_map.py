"""The operation map (运行图): the district's base map, the open events and the response teams.

`OperationMap` hosts a MapView and a layer panel (a checkbox with a legend swatch per layer).
The MapView (a QtWebEngine page) is made the first time the map is shown, so a desk that
never opens the map pays nothing for it. Once the page is ready, the map's config and base
layers are fetched off the GUI thread; the events layer is kept from the store: `EventPoints`
follows the store's changes into NumPy columns (one read per changed event, the store
serves those without decoding while it announces them) and the GeoJSON is rebuilt from
those columns at most every `REBUILD_MS`.
"""

from __future__ import annotations

import logging
import time

import numpy as np
import orjson
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from console.schema import OPEN_STATUSES
from views.bridge import MainThreadInvoker
from views.worker import BackgroundCall

log = logging.getLogger(__name__)

# Shortest time between two rebuilds of the events layer after store changes.
REBUILD_MS = 500
# The zoom a selected event is shown at.
EVENT_ZOOM = 16.0

# Map colours in the dark theme's palette.
LEVEL_COLOURS = {1: "#f85149", 2: "#f0883e", 3: "#d29922", 4: "#8b949e"}
STREET_FILL = "#1c2a3a"
STREET_LINE = "#30363d"
WATER = "#1f6f8b"
ROAD = "#545d68"
TEAM = "#3fb950"
TEAM_BUSY = "#a371f7"

_LEVEL_PAINT = ["match", ["get", "level"], 1, LEVEL_COLOURS[1], 2, LEVEL_COLOURS[2],
                3, LEVEL_COLOURS[3], LEVEL_COLOURS[4]]

# Layer id -> MapLibre style. Base layers come from the backend; the others from the desk.
STYLES: dict[str, dict] = {
    "streets": {"type": "fill", "paint": {"fill-color": STREET_FILL, "fill-opacity": 1.0,
                                          "fill-outline-color": STREET_LINE}},
    "waterways": {"type": "line", "paint": {"line-color": WATER, "line-width": 3}},
    "roads": {"type": "line", "paint": {"line-color": ROAD, "line-width": 2}},
    "events": {"type": "circle", "paint": {
        "circle-color": _LEVEL_PAINT, "circle-radius": 6,
        "circle-stroke-color": "#0f141b", "circle-stroke-width": 1}},
    "teams": {"type": "circle", "paint": {
        "circle-color": ["match", ["get", "status"], "busy", TEAM_BUSY, TEAM],
        "circle-radius": 5, "circle-stroke-color": "#0f141b", "circle-stroke-width": 1.5}},
}
BASE_LAYERS = ("streets", "waterways", "roads")
# Events cluster below zoom 15; a cluster has the colour of its most urgent event.
EVENT_CLUSTER = {
    "radius": 40, "maxZoom": 14,
    "properties": {"level": ["min", ["get", "level"]]},
    "paint": {
        "circle-color": _LEVEL_PAINT, "circle-opacity": 0.85,
        "circle-radius": ["step", ["get", "point_count"], 10, 10, 14, 100, 18, 1000, 24],
        "circle-stroke-color": "#e6edf3", "circle-stroke-width": 1.5},
}


_FEATURE = ('{"type":"Feature","properties":{"id":%s,"level":%d},'
            '"geometry":{"type":"Point","coordinates":[%.6f,%.6f]}}')


class EventPoints:
    """The store's events as columns by store row: id, lon, lat, level, open.

    Call `read` with the rows a store signal names, from the signal (the store serves their
    events without decoding then); `feature_collection` makes the open events' GeoJSON.
    """

    def __init__(self, store) -> None:
        self._store = store
        self._ids: list[str] = []
        self._quoted: list[str] = []  # the ids as JSON strings
        self._lon = np.zeros(0)
        self._lat = np.zeros(0)
        self._level = np.zeros(0, dtype=np.int8)
        self._open = np.zeros(0, dtype=bool)
        self.read_all()

    def __len__(self) -> int:
        return len(self._ids)

    def read_all(self) -> None:
        self._ids = []
        self._quoted = []
        self._resize(0)
        self.read(range(len(self._store)))

    def read(self, rows) -> None:
        rows = list(rows)
        if not rows:
            return
        event_at = self._store.event_at
        values = []
        for row in rows:
            event = event_at(row)
            location = event.location
            values.append((event.id, location.lon, location.lat, event.level,
                           event.status in OPEN_STATUSES))
        ids, lon, lat, level, is_open = zip(*values, strict=True)
        top = max(rows) + 1
        if top > len(self._ids):
            self._quoted.extend(['""'] * (top - len(self._ids)))
            self._ids.extend([""] * (top - len(self._ids)))
            self._resize(top)
        for row, event_id in zip(rows, ids, strict=True):
            self._ids[row] = event_id
            self._quoted[row] = orjson.dumps(event_id).decode()
        index = np.fromiter(rows, dtype=np.int64, count=len(rows))
        self._lon[index] = lon
        self._lat[index] = lat
        self._level[index] = level
        self._open[index] = is_open

    def location(self, event_id: str) -> tuple[float, float] | None:
        row = self._store.row_of(event_id)
        if row is None or row >= len(self._ids):
            return None
        return float(self._lon[row]), float(self._lat[row])

    def open_count(self) -> int:
        return int(np.count_nonzero(self._open))

    def feature_collection(self) -> bytes:
        """The open events as a GeoJSON FeatureCollection (JSON bytes) of points with `id`
        and `level` properties, formatted straight from the columns (ids are kept JSON-quoted
        from when they were read): no Python object per feature."""
        rows = np.flatnonzero(self._open)
        quoted = self._quoted
        parts = [_FEATURE % (quoted[row], level, lon, lat)
                 for row, lon, lat, level in zip(rows.tolist(), self._lon[rows].tolist(),
                                                 self._lat[rows].tolist(),
                                                 self._level[rows].tolist(), strict=True)]
        return b'{"type":"FeatureCollection","features":[' + ",".join(parts).encode() + b"]}"

    def _resize(self, size: int) -> None:
        def grown(column: np.ndarray) -> np.ndarray:
            new = np.zeros(size, dtype=column.dtype)
            keep = min(size, len(column))
            new[:keep] = column[:keep]
            return new

        self._lon, self._lat = grown(self._lon), grown(self._lat)
        self._level, self._open = grown(self._level), grown(self._open)


def teams_collection(units) -> dict:
    """The response teams with a known position as GeoJSON points."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": unit.id, "status": unit.status},
         "geometry": {"type": "Point", "coordinates": [unit.position[0], unit.position[1]]}}
        for unit in units if unit.position is not None]}


def _swatch(colour: str, line: bool = False) -> QPixmap:
    pixmap = QPixmap(16, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if line:
        painter.fillRect(0, 5, 16, 3, QColor(colour))
    else:
        painter.setBrush(QColor(colour))
        painter.setPen(QColor("#30363d"))
        painter.drawRoundedRect(1, 1, 14, 10, 2, 2)
    painter.end()
    return pixmap


class OperationMap(QWidget):
    """The map with its layer panel; holds no business rules.

    Signals: `sig_event_clicked(event_id)` when an event's point is clicked; `sig_ready()`
    once the map page is ready (its base layers follow when the backend answers).
    """

    sig_event_clicked = Signal(str)
    sig_ready = Signal()

    def __init__(self, bridge, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("operationMap")
        self._bridge = bridge
        self._store = bridge.store
        self._units = bridge.units
        self._invoker = MainThreadInvoker(self)
        self._api = getattr(bridge.session, "api", None)
        self._call: BackgroundCall | None = None
        self._pending_fly: tuple[float, float] | None = None
        self._visible: dict[str, bool] = {}
        self.view = None  # the MapView, made when first shown
        self.points = EventPoints(self._store)
        # Seconds the last events rebuild took (GeoJSON from the columns), and its size.
        self.last_build_seconds = 0.0
        self.last_build_count = 0
        self.created_at = time.monotonic()
        self.view_created_at: float | None = None
        self.ready_at: float | None = None
        self.base_loaded = False

        self._rebuild_timer = QTimer(self)
        self._rebuild_timer.setSingleShot(True)
        self._rebuild_timer.setInterval(REBUILD_MS)
        self._rebuild_timer.timeout.connect(self._rebuild_events)
        self._dirty = False

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.map_area = QVBoxLayout()
        self.map_area.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.map_area, 1)
        self.panel = QFrame(self)
        self.panel.setObjectName("mapLayerPanel")
        self.panel.setFixedWidth(180)
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.setContentsMargins(10, 10, 10, 10)
        title = QLabel(self.tr("Layers"), self.panel)
        title.setObjectName("mapLayerTitle")
        panel_layout.addWidget(title)
        self.checkboxes: dict[str, QCheckBox] = {}
        entries = [
            ("events", self.tr("Open events"), None, False),
            ("teams", self.tr("Response teams"), TEAM, False),
            ("roads", self.tr("Roads"), ROAD, True),
            ("waterways", self.tr("Waterways"), WATER, True),
            ("streets", self.tr("Streets"), STREET_FILL, False),
        ]
        for layer_id, text, colour, line in entries:
            box = QCheckBox(text, self.panel)
            box.setObjectName(f"mapLayer_{layer_id}")
            box.setChecked(True)
            if colour is not None:
                box.setIcon(QIcon(_swatch(colour, line)))
            box.toggled.connect(lambda on, lid=layer_id: self.set_layer_visible(lid, on))
            self.checkboxes[layer_id] = box
            panel_layout.addWidget(box)
            if layer_id == "events":
                names = [self.tr("Level 1"), self.tr("Level 2"), self.tr("Level 3"),
                         self.tr("Level 4")]
                for level, name in enumerate(names, start=1):
                    row = QHBoxLayout()
                    row.setContentsMargins(22, 0, 0, 0)
                    icon = QLabel(self.panel)
                    icon.setPixmap(_swatch(LEVEL_COLOURS[level]))
                    row.addWidget(icon)
                    row.addWidget(QLabel(name, self.panel), 1)
                    panel_layout.addLayout(row)
        panel_layout.addStretch(1)
        self.status_label = QLabel(self.panel)
        self.status_label.setObjectName("mapStatus")
        self.status_label.setWordWrap(True)
        panel_layout.addWidget(self.status_label)
        layout.addWidget(self.panel)

        bridge.sig_rows_inserted.connect(self._rows_inserted)
        bridge.sig_rows_updated.connect(self._rows_updated)
        bridge.sig_reset.connect(self._reset)
        self._units_callback = self._units.sig_changed.connect(self._units_changed)
        self.destroyed.connect(lambda _o=None, units=self._units, cb=self._units_callback:
                               units.sig_changed.disconnect(cb))

    # ---- Public API

    def ensure_view(self):
        """Make the MapView now (else it is made when the map is first shown)."""
        if self.view is None:
            from views.map_view import MapView

            self.view_created_at = time.monotonic()
            self.view = MapView(self)
            self.view.setObjectName("operationMapView")
            self.view.ready.connect(self._page_ready)
            self.view.clicked.connect(self._clicked)
            self.map_area.addWidget(self.view)
        return self.view

    def set_layer_visible(self, layer_id: str, visible: bool) -> None:
        self._visible[layer_id] = visible
        if self.view is not None:
            self.view.set_visible(layer_id, visible)

    def show_event(self, event_id: str) -> None:
        """Fly to `event_id`'s location (nothing for an unknown or empty id)."""
        where = self.points.location(event_id) if event_id else None
        if where is None:
            return
        if self.view is None or not self.view.bridge.is_ready:
            self._pending_fly = where
            return
        self.view.fly_to(where[0], where[1], EVENT_ZOOM)

    def close_map(self) -> None:
        """Wait for background work (before the window goes)."""
        if self._call is not None:
            self._call.join(5)

    # ---- Qt

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.ensure_view()
        super().showEvent(event)
        if self._dirty:  # changes that came while the tab was hidden
            self._rebuild_events()

    # ---- Internals

    def _page_ready(self) -> None:
        self.ready_at = time.monotonic()
        for layer_id, visible in self._visible.items():
            self.view.set_visible(layer_id, visible)
        self._dirty = True  # the page has no events yet
        self._rebuild_events()
        self._units_changed()
        if self._pending_fly is not None:
            lon, lat = self._pending_fly
            self._pending_fly = None
            self.view.fly_to(lon, lat, EVENT_ZOOM)
        self._load_base()
        self.sig_ready.emit()

    def _load_base(self) -> None:
        api = self._api
        if api is None:
            return
        self.status_label.setText(self.tr("Loading the base map…"))

        def fetch():
            config = api.map_config()
            known = {layer.id for layer in api.map_layers()}
            return config, {lid: api.map_layer(lid) for lid in BASE_LAYERS if lid in known}

        self._call = BackgroundCall(self._invoker, fetch, self._base_loaded, self._base_failed,
                                    name="hall-map-base").start()

    def _base_loaded(self, result) -> None:
        config, layers = result
        self.status_label.clear()
        # A layer set later draws on top: the base layers bottom-up, then the events and
        # teams again above them.
        for layer_id in BASE_LAYERS:
            if layer_id in layers:
                self.view.set_layer(layer_id, layers[layer_id], STYLES[layer_id])
        self._rebuild_events(force_order=True)
        self._units_changed(force_order=True)
        if self._pending_fly is None:
            self.view.fly_to(config.center[0], config.center[1], config.zoom, duration_ms=0)
        self.base_loaded = True

    def _base_failed(self, error: BaseException) -> None:
        log.warning("map base layers failed: %s", error)
        self.status_label.setText(self.tr("The base map could not be loaded."))

    def _clicked(self, layer_id: str, feature_id: str) -> None:
        if layer_id == "events":
            self.sig_event_clicked.emit(feature_id)

    def _rows_inserted(self, first: int, count: int) -> None:
        self.points.read(range(first, first + count))
        self._changed()

    def _rows_updated(self, rows) -> None:
        self.points.read(rows)
        self._changed()

    def _reset(self) -> None:
        self.points.read_all()
        self._changed()

    def _changed(self) -> None:
        self._dirty = True
        if not self._rebuild_timer.isActive():
            self._rebuild_timer.start()

    def _rebuild_events(self, force_order: bool = False) -> None:
        if self.view is None or not self.view.bridge.is_ready:
            return  # built when the page is ready
        if not self.isVisible() and not force_order:
            return  # built when the tab is shown again (`_dirty` stays set)
        started = time.perf_counter()
        data = self.points.feature_collection()
        self.last_build_seconds = time.perf_counter() - started
        self.last_build_count = self.points.open_count()
        if force_order:
            self.view.remove_layer("events")
        self.view.set_layer("events", data, STYLES["events"], clickable=True,
                            cluster=EVENT_CLUSTER)
        self._dirty = False

    def _units_changed(self, _ids=None, force_order: bool = False) -> None:
        if self.view is None or not self.view.bridge.is_ready:
            return
        if force_order:
            self.view.remove_layer("teams")
        self.view.set_layer("teams", teams_collection(self._units.all()), STYLES["teams"])
