"""The desk's video wall tab (视频墙): the camera list beside the wall, and a switch that makes
the wall follow the event selected in the queue (its nearest cameras)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QSplitter, QVBoxLayout, QWidget

from views.camera_list import CameraList
from views.video_wall import VideoWall, connect_camera_list


class VideoWallTab(QWidget):
    """Hosts a CameraList and a VideoWall; holds no business rules. `state_path`: where the
    wall's layout, cameras and tours are kept (None: not kept)."""

    def __init__(self, bridge, state_path: Path | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("videoWallTab")
        self._store = bridge.store
        self.wall = VideoWall.for_bridge(bridge, state_path=state_path or "", parent=self)
        self.camera_list = CameraList.for_bridge(bridge, parent=self)
        connect_camera_list(self.wall, self.camera_list)
        self.follow = QCheckBox(self.tr("Follow the selected event"), self)
        self.follow.setObjectName("wallFollowEvent")
        self.follow.setToolTip(self.tr("Show the cameras nearest to the event selected in the "
                                       "queue"))
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.camera_list, 1)
        left_layout.addWidget(self.follow)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.wall)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 1000])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def show_cameras(self, camera_ids: list[str]) -> None:
        self.wall.show_cameras(camera_ids)

    def event_selected(self, event_id: str) -> None:
        """The queue's selection changed: with "follow" on, show its nearest cameras."""
        if not self.follow.isChecked() or not event_id:
            return
        event = self._store.get(event_id)
        if event is not None:
            self.wall.show_event_cameras(event.location.lon, event.location.lat)

    def shutdown(self) -> None:
        """Stop every stream and save the wall (before the session stops)."""
        self.wall.shutdown()
