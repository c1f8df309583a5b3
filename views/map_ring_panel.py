"""The ring panel beside the map: what lies around the selected event.

Shows the radius (adjustable), then the cameras, response teams and sensors inside the ring,
nearest first, with their distance; "Show these cameras" asks for the online ones on the
video wall, and a camera can be dragged from the list onto a wall tile. It only shows a `console.nearby.Nearby`; the map computes it.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from console.nearby import DEFAULT_RADIUS_M, MAX_RADIUS_M, MIN_RADIUS_M, Nearby
from widgets.video_tile import CAMERA_MIME

RADIUS_STEP_M = 100
_ID_ROLE = Qt.ItemDataRole.UserRole


class _NearbyTree(QTreeWidget):
    """The ring's list; its cameras can be dragged onto a video wall tile."""

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt API
        return [CAMERA_MIME]

    def mimeData(self, items) -> QMimeData:  # noqa: N802 - Qt API
        mime = QMimeData()
        ids = [item.data(0, _ID_ROLE)[1] for item in items
               if item.data(0, _ID_ROLE) and item.data(0, _ID_ROLE)[0] == "camera"]
        if ids:
            mime.setData(CAMERA_MIME, ids[0].encode("utf-8"))
            mime.setText(ids[0])
        return mime


def format_distance(metres: float) -> str:
    return f"{metres:.0f} m" if metres < 1000 else f"{metres / 1000:.2f} km"


class RingPanel(QFrame):
    """Signals: `sig_radius(metres)` when the user changes the radius;
    `sig_show_cameras(camera ids)` for "Show these cameras"; `sig_place(kind, id)` when an
    entry is double-clicked."""

    sig_radius = Signal(int)
    sig_show_cameras = Signal(list)
    sig_place = Signal(str, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("mapRingPanel")
        self._nearby: Nearby | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        self.title = QLabel(self)
        self.title.setObjectName("mapRingTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Radius"), self))
        self.radius = QSpinBox(self)
        self.radius.setObjectName("mapRingRadius")
        self.radius.setRange(MIN_RADIUS_M, MAX_RADIUS_M)
        self.radius.setSingleStep(RADIUS_STEP_M)
        self.radius.setSuffix(" m")
        self.radius.setValue(DEFAULT_RADIUS_M)
        self.radius.setKeyboardTracking(False)
        self.radius.valueChanged.connect(self.sig_radius.emit)
        row.addWidget(self.radius, 1)
        layout.addLayout(row)
        self.tree = _NearbyTree(self)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QTreeWidget.DragDropMode.DragOnly)
        self.tree.setObjectName("mapRingList")
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(2)
        self.tree.setRootIsDecorated(True)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        layout.addWidget(self.tree, 1)
        self.show_cameras = QPushButton(self.tr("Show these cameras"), self)
        self.show_cameras.setObjectName("mapShowCameras")
        self.show_cameras.setToolTip(self.tr("Send the online cameras in the ring to the "
                                             "video wall, nearest first"))
        self.show_cameras.clicked.connect(self._send_cameras)
        layout.addWidget(self.show_cameras)
        self.show_nearby(None)

    def show_nearby(self, nearby: Nearby | None, title: str = "") -> None:
        """Show `nearby` (None: no event selected)."""
        self._nearby = nearby
        self.tree.clear()
        self.setVisible(nearby is not None)
        if nearby is None:
            return
        self.title.setText(self.tr("Around %1").replace("%1", title))
        groups = ((self.tr("Cameras"), "camera", nearby.cameras),
                  (self.tr("Response teams"), "team", nearby.teams),
                  (self.tr("Sensors"), "sensor", nearby.sensors))
        for name, kind, items in groups:
            top = QTreeWidgetItem(self.tree, [f"{name} ({len(items)})", ""])
            top.setFirstColumnSpanned(True)
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            for item in items:
                place = item.place
                text = place.name
                if place.status == "offline":
                    text = self.tr("%1 (offline)").replace("%1", place.name)
                child = QTreeWidgetItem(top, [text, format_distance(item.distance_m)])
                child.setData(0, _ID_ROLE, (kind, place.id))
                flags = child.flags()
                if kind == "camera":
                    child.setFlags(flags | Qt.ItemFlag.ItemIsDragEnabled)
                else:
                    child.setFlags(flags & ~Qt.ItemFlag.ItemIsDragEnabled)
                child.setToolTip(0, place.name)
                child.setTextAlignment(1, Qt.AlignmentFlag.AlignRight
                                       | Qt.AlignmentFlag.AlignVCenter)
            top.setExpanded(True)
        self.show_cameras.setEnabled(bool(nearby.wall_cameras()))

    def entries(self, kind: str) -> list[str]:
        """The ids listed under `kind` ("camera", "team" or "sensor"), in order."""
        if self._nearby is None:
            return []
        items = {"camera": self._nearby.cameras, "team": self._nearby.teams,
                 "sensor": self._nearby.sensors}[kind]
        return [item.place.id for item in items]

    def _send_cameras(self) -> None:
        if self._nearby is not None and self._nearby.wall_cameras():
            self.sig_show_cameras.emit(self._nearby.wall_cameras())

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        data = item.data(0, _ID_ROLE)
        if data:
            self.sig_place.emit(*data)
