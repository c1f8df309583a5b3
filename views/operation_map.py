"""The operation map (运行图): every element of the district on one map, one search away.

`OperationMap` hosts a MapView, a search box and measure tool above it, and a side panel with
the layer toggles and legend and the ring around the selected event. The MapView (a
QtWebEngine page) is made the first time the map is shown, so a desk that never opens the
map pays nothing for it.

Data: the base layers (streets, grid units, waterways, roads) and the sensors come from the
backend once the page is ready, fetched off the GUI thread and mirrored to the offline cache
(console.map_data); the events layer follows the store through `EventPoints` (NumPy columns):
sent whole once, then only the events that changed, at most every `REBUILD_MS` (the page
hands them to MapLibre as a diff), with new urgent events pulsing
(console.map_marks); teams and cameras follow their boards; sensors take their state from
the indicator board.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.map_data import load_map_data
from console.map_search import MapSearch
from console.nearby import (
    DEFAULT_RADIUS_M,
    Place,
    camera_places,
    clamp_radius,
    nearby,
    team_places,
)
from views.bridge import MainThreadInvoker
from views.map_features import (
    EventPoints,
    cameras_collection,
    sensors_collection,
    teams_collection,
)
from views.map_ring_panel import RingPanel
from views.map_search_box import MapSearchBox
from views.map_styles import (
    BASE_LAYERS,
    CAMERA,
    EVENT_CLUSTER,
    GRID_LINE,
    LEVEL_COLOURS,
    OVERLAY_LAYERS,
    ROAD,
    SENSOR_STATES,
    STREET_FILL,
    STYLES,
    TEAM,
    WATER,
    swatch,
)
from views.map_tiles import install_tile_sources
from views.worker import BackgroundCall

log = logging.getLogger(__name__)

__all__ = ["EVENT_CLUSTER", "EventPoints", "LEVEL_COLOURS", "OperationMap", "STREET_FILL",
           "STYLES"]

# Shortest time between two rebuilds of the events layer after store changes.
REBUILD_MS = 500
# The zoom a selected event, and a found place, are shown at.
EVENT_ZOOM = 16.0
PLACE_ZOOM = {"street": 14.0}
# The side panel's width: at least this, and so many text lines' heights (large type grows it).
PANEL_MIN_WIDTH = 280
PANEL_LINE_WIDTHS = 13
# The backend's layers the map asks for: the base layers and the sensors' places.
WANTED_LAYERS = (*BASE_LAYERS, "sensors")


def _centre_of(feature: dict) -> tuple[float, float] | None:
    """A polygon's `centroid` property, or the mean of its outer ring; a point's place."""
    props = feature.get("properties") or {}
    if isinstance(props.get("centroid"), list) and len(props["centroid"]) == 2:
        return float(props["centroid"][0]), float(props["centroid"][1])
    geometry = feature.get("geometry") or {}
    coords = geometry.get("coordinates")
    if geometry.get("type") == "Point" and coords:
        return float(coords[0]), float(coords[1])
    if geometry.get("type") == "Polygon" and coords and coords[0]:
        ring = coords[0]
        return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
    return None


def _places(kind: str, layer: dict, status_of=lambda _id: "", detail_key: str = "") -> list[Place]:
    places = []
    for feature in layer.get("features", []):
        props = feature.get("properties") or {}
        where = _centre_of(feature)
        place_id = str(props.get("id", feature.get("id", "")))
        if where is None or not place_id:
            continue
        places.append(Place(kind, place_id, str(props.get("name", place_id)), where[0],
                            where[1], status_of(place_id) or "",
                            str(props.get(detail_key, "")) if detail_key else ""))
    return places


class OperationMap(QWidget):
    """The map with its search, tools and side panel; holds no business rules.

    Signals: `sig_event_clicked(event_id)` when an event's point is clicked or found;
    `sig_show_cameras(camera ids)` when the user sends the ring's cameras to the video wall;
    `sig_camera_clicked(camera id)`; `sig_ready()` once the map page is ready (its base
    layers follow when the backend answers).
    """

    sig_event_clicked = Signal(str)
    sig_show_cameras = Signal(list)
    sig_camera_clicked = Signal(str)
    sig_ready = Signal()

    def __init__(self, bridge, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("operationMap")
        self._bridge = bridge
        self._store = bridge.store
        self._units = bridge.units
        session = getattr(bridge, "session", None)
        self._cameras = getattr(session, "cameras", None)
        self._indicators = getattr(bridge, "indicators", None)
        self._cache = getattr(session, "cache", None)
        self._invoker = MainThreadInvoker(self)
        self._api = getattr(session, "api", None)
        self._call: BackgroundCall | None = None
        self._pending_fly: tuple[float, float] | None = None
        self._visible: dict[str, bool] = {}
        self._sensor_layer: dict = {"type": "FeatureCollection", "features": []}
        self._pulsing: tuple[str, ...] = ()
        self._selected = ""
        self._radius = DEFAULT_RADIUS_M
        self.view = None  # the MapView, made when first shown
        self.points = EventPoints(self._store)
        self.search = MapSearch()
        # Seconds the last events rebuild took (GeoJSON from the columns), and its size.
        self.last_build_seconds = 0.0
        self.last_build_count = 0
        self.created_at = time.monotonic()
        self.view_created_at: float | None = None
        self.ready_at: float | None = None
        self.base_loaded = False
        self.base_from_cache = False
        self.tile_sources = []
        self.tiles = None  # the TileService of the configured tile sources, if any

        self._rebuild_timer = QTimer(self)
        self._rebuild_timer.setSingleShot(True)
        self._rebuild_timer.setInterval(REBUILD_MS)
        self._rebuild_timer.timeout.connect(self._rebuild_events)
        self._dirty = False
        self._events_sent = False  # the page has the whole events layer: send changes only
        self._closed = False

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.map_area = QVBoxLayout()
        self.map_area.setContentsMargins(0, 0, 0, 0)
        self.map_area.setSpacing(0)
        layout.addLayout(self.map_area, 1)
        self.map_area.addWidget(self._build_toolbar())
        layout.addWidget(self._build_panel())

        bridge.sig_rows_inserted.connect(self._rows_inserted)
        bridge.sig_rows_updated.connect(self._rows_updated)
        bridge.sig_reset.connect(self._reset)
        self._follow(self._units.sig_changed, self._units_changed)
        if self._cameras is not None:
            self._follow(self._cameras.sig_changed, self._cameras_changed)
            self._follow(self._cameras.sig_loaded, self._cameras_changed)
        if self._indicators is not None:
            self._indicators.sig_state.connect(self._sensor_states_changed)
            self._indicators.sig_loaded.connect(self._sensor_states_changed)
        self._units_places()
        self._cameras_places()

    def _follow(self, core_signal, slot) -> None:
        """Connect a core signal (called on the GUI thread) for as long as this widget lives."""
        callback = core_signal.connect(slot)
        self.destroyed.connect(lambda _o=None, sig=core_signal, cb=callback: sig.disconnect(cb))

    def _build_toolbar(self) -> QWidget:
        bar = QFrame(self)
        bar.setObjectName("mapToolbar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 6, 8, 6)
        self.search_box = MapSearchBox(self.search, bar)
        self.search_box.sig_chosen.connect(self.go_to_place)
        row.addWidget(self.search_box, 1)
        self.measure_button = QToolButton(bar)
        self.measure_button.setObjectName("mapMeasure")
        self.measure_button.setText(self.tr("Measure"))
        self.measure_button.setToolTip(self.tr("Measure a distance: click points on the map; "
                                               "click the button again to stop"))
        self.measure_button.setCheckable(True)
        self.measure_button.toggled.connect(self._measure_toggled)
        row.addWidget(self.measure_button)
        return bar

    def _build_panel(self) -> QWidget:
        self.panel = QFrame(self)
        self.panel.setObjectName("mapLayerPanel")
        self._fit_panel()
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.setContentsMargins(10, 10, 10, 10)
        title = QLabel(self.tr("Layers"), self.panel)
        title.setObjectName("mapLayerTitle")
        panel_layout.addWidget(title)
        self.checkboxes: dict[str, QCheckBox] = {}
        entries = [
            ("events", self.tr("Open events"), None),
            ("teams", self.tr("Response teams"), swatch(TEAM)),
            ("cameras", self.tr("Cameras"), swatch(CAMERA)),
            ("sensors", self.tr("Sensors"), None),
            ("grids", self.tr("Grid units"), swatch(GRID_LINE, line=True)),
            ("roads", self.tr("Roads"), swatch(ROAD, line=True)),
            ("waterways", self.tr("Waterways"), swatch(WATER, line=True)),
            ("streets", self.tr("Streets"), swatch(STREET_FILL)),
        ]
        legends = {
            "events": [(swatch(LEVEL_COLOURS[level]), name) for level, name in enumerate(
                (self.tr("Level 1"), self.tr("Level 2"), self.tr("Level 3"),
                 self.tr("Level 4")), start=1)],
            "sensors": [(swatch(SENSOR_STATES[state], diamond=True), name) for state, name in (
                ("normal", self.tr("Normal")), ("warning", self.tr("Warning")),
                ("alarm", self.tr("Alarm")))],
        }
        for layer_id, text, icon in entries:
            box = QCheckBox(text, self.panel)
            box.setObjectName(f"mapLayer_{layer_id}")
            box.setChecked(True)
            if icon is not None:
                box.setIcon(QIcon(icon))
            box.toggled.connect(lambda on, lid=layer_id: self.set_layer_visible(lid, on))
            self.checkboxes[layer_id] = box
            panel_layout.addWidget(box)
            for pixmap, name in legends.get(layer_id, []):
                row = QHBoxLayout()
                row.setContentsMargins(22, 0, 0, 0)
                icon_label = QLabel(self.panel)
                icon_label.setPixmap(pixmap)
                row.addWidget(icon_label)
                row.addWidget(QLabel(name, self.panel), 1)
                panel_layout.addLayout(row)
        self.ring_panel = RingPanel(self.panel)
        self.ring_panel.sig_radius.connect(self.set_radius)
        self.ring_panel.sig_show_cameras.connect(self.sig_show_cameras.emit)
        self.ring_panel.sig_place.connect(self._ring_place)
        panel_layout.addWidget(self.ring_panel, 1)
        panel_layout.addStretch(0)
        self.status_label = QLabel(self.panel)
        self.status_label.setObjectName("mapStatus")
        self.status_label.setWordWrap(True)
        panel_layout.addWidget(self.status_label)
        return self.panel

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
            self.map_area.addWidget(self.view, 1)
        return self.view

    def set_event_finder(self, finder) -> None:
        """How the search box finds events (console.map_search.event_finder)."""
        self.search.set_event_finder(finder)

    def set_layer_visible(self, layer_id: str, visible: bool) -> None:
        self._visible[layer_id] = visible
        if self.view is not None:
            self.view.set_visible(layer_id, visible)

    def set_layers(self, visible: dict[str, bool]) -> None:
        """Turn these layers on or off, their checkboxes too (a hall mode's layers)."""
        for layer_id, on in visible.items():
            box = self.checkboxes.get(layer_id)
            if box is not None and box.isChecked() != on:
                box.setChecked(on)  # its toggled signal sets the layer
            elif box is None:
                self.set_layer_visible(layer_id, on)

    def layer_visible(self, layer_id: str) -> bool:
        return self._visible.get(layer_id, True)

    def show_event(self, event_id: str) -> None:
        """Fly to `event_id`'s location and ring it with what is nearby (an unknown or empty
        id clears the ring)."""
        self._selected = event_id or ""
        where = self.points.location(event_id) if event_id else None
        if where is not None and (self.view is None or not self.view.bridge.is_ready):
            self._pending_fly = where  # the ring is drawn (and fitted) when the page is ready
        self._update_ring(fit=True)

    def set_radius(self, metres: int) -> None:
        """The ring's radius around the selected event."""
        self._radius = clamp_radius(metres)
        if self.ring_panel.radius.value() != self._radius:
            self.ring_panel.radius.setValue(self._radius)
        self._update_ring(fit=True)

    def go_to_place(self, place: Place) -> None:
        """Fly to a found place and mark it; a found event is also selected."""
        self._fly((place.lon, place.lat), PLACE_ZOOM.get(place.kind, EVENT_ZOOM))
        if self.view is not None:
            self.view.set_marker((place.lon, place.lat))
        if place.kind == "event":
            self.sig_event_clicked.emit(place.id)

    def close_map(self) -> None:
        """Wait for background work (before the window goes); nothing new starts after."""
        self._closed = True
        if self._call is not None:
            self._call.join(5)
        if self.tiles is not None:
            self.tiles.close()

    # ---- Qt

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_panel()  # a wall's large type: the panel grows with its text

    def _fit_panel(self) -> None:
        self.panel.setFixedWidth(max(PANEL_MIN_WIDTH,
                                     PANEL_LINE_WIDTHS * self.panel.fontMetrics().height()))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.ensure_view()
        super().showEvent(event)
        if self._dirty:  # changes that came while the tab was hidden
            self._rebuild_events()

    # ---- Internals: the page

    def _fly(self, where: tuple[float, float], zoom: float) -> None:
        if self.view is None or not self.view.bridge.is_ready:
            self._pending_fly = where
            return
        self.view.fly_to(where[0], where[1], zoom)

    def _page_ready(self) -> None:
        self.ready_at = time.monotonic()
        for layer_id, visible in self._visible.items():
            self.view.set_visible(layer_id, visible)
        self._dirty = True  # the page has no events yet
        self._events_sent = False
        self._rebuild_events()
        self._units_changed()
        self._cameras_changed()
        if self._pending_fly is not None:
            lon, lat = self._pending_fly
            self._pending_fly = None
            self.view.fly_to(lon, lat, EVENT_ZOOM)
        self._update_ring(fit=True)
        self._load_base()
        self.sig_ready.emit()

    def _load_base(self) -> None:
        api = self._api
        if api is None or self._closed:  # a page ready after its window closed
            return
        self.status_label.setText(self.tr("Loading the base map…"))
        cache = self._cache
        self._call = BackgroundCall(self._invoker,
                                    lambda: load_map_data(api, cache, WANTED_LAYERS),
                                    self._base_loaded, self._base_failed,
                                    name="hall-map-base").start()

    def _base_loaded(self, data) -> None:
        layers = data.layers
        self.base_from_cache = data.from_cache
        self.status_label.setText(self.tr("Base map from the offline cache")
                                  if data.from_cache else "")
        self.tile_sources = list(data.config.tile_sources)
        if self.tiles is None:  # the sources of a first load stay for the page's life
            self.tiles = install_tile_sources(self.view, data.config, self._cache)
        # A layer set later draws on top: the base layers bottom-up, then the overlays.
        for layer_id in BASE_LAYERS:
            if layer_id in layers:
                self.view.set_layer(layer_id, layers[layer_id], STYLES[layer_id],
                                    clickable=False)
        if "streets" in layers:
            self.search.set_places("street", _places("street", layers["streets"]))
        for layer_id in OVERLAY_LAYERS:
            self.view.remove_layer(layer_id)  # so that it is added again above the base
        self._sensor_layer = layers.get("sensors", self._sensor_layer)
        self._sensor_states_changed()
        self._cameras_changed()
        self._rebuild_events(force_order=True)
        self._units_changed()
        if self._pending_fly is None and not self._selected:
            center = data.config.center
            self.view.fly_to(center[0], center[1], data.config.zoom, duration_ms=0)
        self.base_loaded = True

    def _base_failed(self, error: BaseException) -> None:
        log.warning("map base layers failed: %s", error)
        self.status_label.setText(self.tr("The base map could not be loaded."))

    def _clicked(self, layer_id: str, feature_id: str) -> None:
        if layer_id == "events":
            self.sig_event_clicked.emit(feature_id)
        elif layer_id == "cameras":
            camera = self._cameras.get(feature_id) if self._cameras is not None else None
            if camera is not None:
                self.status_label.setText(self.tr("Camera: %1").replace("%1", camera.name))
            self.sig_camera_clicked.emit(feature_id)

    def _measure_toggled(self, on: bool) -> None:
        self.ensure_view().set_measuring(on)

    def _ring_place(self, kind: str, place_id: str) -> None:
        for place in self._ring_places(kind):
            if place.id == place_id:
                self._fly((place.lon, place.lat), EVENT_ZOOM)
                return

    # ---- Internals: the events

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
        changes = None if force_order or not self._events_sent else self.points.take_changes()
        if changes is None:  # the whole layer
            self.points.take_changes()  # what follows is a change to this
            data = self.points.feature_collection()
            self.view.set_layer("events", data, STYLES["events"], clickable=True,
                                cluster=EVENT_CLUSTER)
            self._events_sent = True
        elif changes[0] != b"[]" or changes[1]:
            self.view.update_features("events", *changes)
        self.last_build_seconds = time.perf_counter() - started
        self.last_build_count = self.points.open_count()
        pulse = self.points.pulse_features()
        pulsing = tuple(f["properties"]["id"] for f in pulse)
        if pulsing != self._pulsing or force_order:
            self._pulsing = pulsing
            self.view.set_pulse(pulse)
        self._dirty = False
        if self._selected:
            self._update_ring()  # the selected event may have moved or closed

    # ---- Internals: teams, cameras, sensors and the ring

    def _units_places(self) -> list[Place]:
        places = team_places(self._units.all())
        self.search.set_places("team", places)
        return places

    def _cameras_places(self) -> list[Place]:
        places = camera_places(self._cameras.all()) if self._cameras is not None else []
        self.search.set_places("camera", places)
        return places

    def _sensor_places(self) -> list[Place]:
        board = self._indicators.board if self._indicators is not None else None

        def state_of(sensor_id: str) -> str | None:
            indicator = board.get(sensor_id) if board is not None else None
            return indicator.state if indicator is not None else None

        return _places("sensor", self._sensor_layer, state_of, detail_key="address")

    def _ring_places(self, kind: str) -> list[Place]:
        return {"camera": self._cameras_places, "team": self._units_places,
                "sensor": self._sensor_places}[kind]()

    def _units_changed(self, _ids=None) -> None:
        self._units_places()
        if self.view is not None and self.view.bridge.is_ready:
            self.view.set_layer("teams", teams_collection(self._units.all()), STYLES["teams"])
        self._update_ring()

    def _cameras_changed(self, _ids=None) -> None:
        self._cameras_places()
        if self._cameras is not None and self.view is not None and self.view.bridge.is_ready:
            self.view.set_layer("cameras", cameras_collection(self._cameras.all()),
                                STYLES["cameras"], clickable=True)
        self._update_ring()

    def _sensor_states_changed(self, *_args) -> None:
        places = self._sensor_places()
        self.search.set_places("sensor", places)
        if self.view is not None and self.view.bridge.is_ready and places:
            states = {p.id: p.status for p in places}
            self.view.set_layer("sensors", sensors_collection(self._sensor_layer, states.get),
                                STYLES["sensors"])
        self._update_ring()

    def _update_ring(self, fit: bool = False) -> None:
        """Redraw the ring and its list (`fit`: and show the whole ring)."""
        where = self.points.location(self._selected) if self._selected else None
        if where is None:
            self.ring_panel.show_nearby(None)
            if self.view is not None:
                self.view.set_ring(None)
            return
        found = nearby(where, self._radius, cameras=self._cameras_places(),
                       teams=self._units_places(), sensors=self._sensor_places())
        self.ring_panel.show_nearby(found, self._selected)
        if self.view is not None:
            self.view.set_ring(where, self._radius, self._selected, fit=fit)
