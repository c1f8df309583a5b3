"""The operation map's layer styles (MapLibre style terms) and legend swatches, in the dark
theme's palette."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap, QPolygonF

LEVEL_COLOURS = {1: "#f85149", 2: "#f0883e", 3: "#d29922", 4: "#8b949e"}
STREET_FILL = "#1c2a3a"
STREET_LINE = "#30363d"
GRID_LINE = "#4a5868"
WATER = "#1f6f8b"
ROAD = "#545d68"
TEAM = "#3fb950"
TEAM_BUSY = "#a371f7"
CAMERA = "#39c5cf"
CAMERA_OFFLINE = "#6e7681"
SENSOR_STATES = {"normal": "#3fb950", "warning": "#d29922", "alarm": "#f85149"}
SENSOR_UNKNOWN = "#8b949e"

_LEVEL_PAINT = ["match", ["get", "level"], 1, LEVEL_COLOURS[1], 2, LEVEL_COLOURS[2],
                3, LEVEL_COLOURS[3], LEVEL_COLOURS[4]]

#: Layer id -> MapLibre style. Base layers come from the backend; the others from the desk.
STYLES: dict[str, dict] = {
    "streets": {"type": "fill", "paint": {"fill-color": STREET_FILL, "fill-opacity": 1.0,
                                          "fill-outline-color": STREET_LINE}},
    # Grid cells are only drawn close in: at district zoom they would be a mesh.
    "grids": {"type": "line", "paint": {
        "line-color": GRID_LINE, "line-width": 0.8,
        "line-opacity": ["interpolate", ["linear"], ["zoom"], 12.5, 0, 13.5, 0.9]}},
    "waterways": {"type": "line", "paint": {"line-color": WATER, "line-width": 3}},
    "roads": {"type": "line", "paint": {"line-color": ROAD, "line-width": 2}},
    # Diamonds in the state's colour (the images are drawn by resources/map/tools.js).
    "sensors": {"type": "symbol", "layout": {
        "icon-image": ["concat", "hall-diamond-", ["get", "state"]],
        "icon-allow-overlap": True, "icon-ignore-placement": True}},
    "cameras": {"type": "circle", "paint": {
        "circle-color": ["match", ["get", "status"], "offline", CAMERA_OFFLINE, CAMERA],
        "circle-radius": 4, "circle-stroke-color": "#0f141b", "circle-stroke-width": 1}},
    "events": {"type": "circle", "paint": {
        "circle-color": _LEVEL_PAINT, "circle-radius": 6,
        "circle-stroke-color": "#0f141b", "circle-stroke-width": 1}},
    "teams": {"type": "circle", "paint": {
        "circle-color": ["match", ["get", "status"], "busy", TEAM_BUSY, TEAM],
        "circle-radius": 5, "circle-stroke-color": "#0f141b", "circle-stroke-width": 1.5}},
}
#: The backend's layers the map draws, bottom-up.
BASE_LAYERS = ("streets", "grids", "waterways", "roads")
#: Layers drawn from the desk's data, bottom-up, above the base layers.
OVERLAY_LAYERS = ("sensors", "cameras", "events", "teams")
# Events cluster below zoom 15; a cluster has the colour of its most urgent event.
EVENT_CLUSTER = {
    "radius": 40, "maxZoom": 14,
    "properties": {"level": ["min", ["get", "level"]]},
    "paint": {
        "circle-color": _LEVEL_PAINT, "circle-opacity": 0.85,
        "circle-radius": ["step", ["get", "point_count"], 10, 10, 14, 100, 18, 1000, 24],
        "circle-stroke-color": "#e6edf3", "circle-stroke-width": 1.5},
}


def swatch(colour: str, line: bool = False, diamond: bool = False) -> QPixmap:
    """A legend swatch: a filled box, a line, or a diamond."""
    pixmap = QPixmap(16, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if line:
        painter.fillRect(0, 5, 16, 3, QColor(colour))
    elif diamond:
        painter.setBrush(QColor(colour))
        painter.setPen(QColor("#0f141b"))
        painter.drawPolygon(QPolygonF([QPointF(8, 0.5), QPointF(13.5, 6), QPointF(8, 11.5),
                                       QPointF(2.5, 6)]))
    else:
        painter.setBrush(QColor(colour))
        painter.setPen(QColor("#30363d"))
        painter.drawRoundedRect(1, 1, 14, 10, 2, 2)
    painter.end()
    return pixmap
