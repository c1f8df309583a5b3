"""The video wall: a layout of video tiles, each playing one camera's stream.

Bound to the core's `WallModel` (console.video_wall: layouts, tiles, tours, the saved state)
and `CameraBoard` (the cameras and their live status); it holds no rules of its own. What it
does itself is the Qt side: the tiles in a grid, one `StreamReader` per tile that plays a
camera (none for an empty tile), the stream profile each tile's size in device pixels asks
for (`pick_profile`, re-checked when the layout or the wall's size changes), full view, drag
and drop, the tour timer, and saving the state (debounced) to its JSON file.

Wiring (the desk's job):

    wall = VideoWall.for_bridge(bridge)          # or VideoWall(cameras, headers, state_path=…)
    connect_camera_list(wall, camera_list)       # double-click, "show on the wall", tours
    operation_map.sig_show_cameras.connect(wall.show_cameras)
    ... wall.show_event_cameras(lon, lat) for the event selected in the queue
    wall.shutdown()                              # before the session stops: ends the readers

Signals: `sig_selected(index)` when a tile is selected (-1: none);
`sig_full_view(index)` when full view starts (the tile) or ends (-1).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.video_stream import LOST, StreamReader, pick_profile
from console.video_wall import (
    LAYOUTS,
    MAX_TILES,
    WallModel,
    choose_stream,
    default_state_path,
    load_state,
    nearest_cameras,
    save_state,
)
from widgets.video_tile import VideoTile

log = logging.getLogger(__name__)

#: How long after the last change the state is written.
SAVE_DELAY_MS = 500
#: How often the tours are checked.
TOUR_TICK_MS = 200
#: How long the tiles settle after a layout or size change before profiles are re-checked.
PROFILE_DELAY_MS = 250
#: Tiles may be small on a 36-tile wall in a desk.
TILE_MIN = (64, 36)


@dataclass
class _Playing:
    camera_id: str
    profile: str | None
    url: str
    reader: StreamReader


class VideoWall(QWidget):
    """The video wall; see the module's doc."""

    sig_selected = Signal(int)
    sig_full_view = Signal(int)

    def __init__(self, cameras, headers: Callable[[], Mapping[str, str]] | None = None, *,
                 state_path: Path | str | None = None, reader_options: dict | None = None,
                 parent: QWidget | None = None) -> None:
        """`cameras`: a CameraBoard (its signals on the GUI thread); `headers`: the HTTP
        headers of a stream request (asked on every connect); `state_path`: the JSON file of
        the saved state (None: the user's data dir; "" or False: nothing saved)."""
        super().__init__(parent)
        self.setObjectName("videoWall")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._cameras = cameras
        self._headers = headers
        self._reader_options = dict(reader_options or {})
        if state_path is None:
            state_path = default_state_path()
        self._state_path = Path(state_path) if state_path else None
        state = load_state(self._state_path) if self._state_path is not None else None
        self.model = WallModel(state)
        self._playing: dict[int, _Playing] = {}
        self._selected = -1
        self._full = -1
        self._shown_layout = ""
        self._closed = False
        self._links: list[tuple[object, Callable]] = []

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save)
        self._tour_timer = QTimer(self)
        self._tour_timer.setInterval(TOUR_TICK_MS)
        self._tour_timer.timeout.connect(self._tick_tours)
        self._profile_timer = QTimer(self)
        self._profile_timer.setSingleShot(True)
        self._profile_timer.setInterval(PROFILE_DELAY_MS)
        self._profile_timer.timeout.connect(self._sync_readers)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        #: The layout and tour controls above the tiles (a host may hide them).
        self.toolbar = self._build_toolbar()
        layout.addWidget(self.toolbar)
        self.grid_area = QWidget(self)
        self.grid_area.setObjectName("videoWallGrid")
        self.grid = QGridLayout(self.grid_area)
        self.grid.setContentsMargins(2, 2, 2, 2)
        self.grid.setSpacing(2)
        layout.addWidget(self.grid_area, 1)

        self._frames: list[QFrame] = []
        self.tiles: list[VideoTile] = []
        for index in range(MAX_TILES):
            self._make_tile(index)

        self._follow(self.model.sig_changed, self._model_changed)
        self._follow(self.model.sig_tours_changed, self._schedule_save)
        if cameras is not None:
            self._follow(cameras.sig_loaded, self._cameras_loaded)
            self._follow(cameras.sig_changed, self._cameras_changed)
        self.destroyed.connect(lambda _o=None, links=self._links: _unlink(links))
        self._model_changed(save=False)

    @classmethod
    def for_bridge(cls, bridge, *, state_path: Path | str | None = None,
                   parent: QWidget | None = None) -> VideoWall:
        """A wall on the desk's session: its CameraBoard and its API client's token."""
        session = bridge.session
        return cls(session.cameras, session.api.auth_headers, state_path=state_path,
                   parent=parent)

    # ---- Public API: what the wall shows

    def layout_name(self) -> str:
        return self.model.state.layout

    def set_layout(self, name: str) -> None:
        """Show layout `name` (see console.video_wall.LAYOUTS); cameras keep their order."""
        self.model.set_layout(name)

    def tile_count(self) -> int:
        return self.model.layout.count

    def camera_at(self, index: int) -> str | None:
        return self.model.camera_at(index)

    def cameras_shown(self) -> list[str | None]:
        """The camera of each tile of the layout (None: empty)."""
        return self.model.visible()

    def assign(self, index: int, camera_id: str | None) -> None:
        """Play `camera_id` in tile `index` (None empties it)."""
        self.model.assign(index, camera_id)

    def swap(self, a: int, b: int) -> None:
        self.model.swap(a, b)

    def show_camera(self, camera_id: str) -> int:
        """Send one camera to the selected tile, else the first free one, else tile 0;
        returns the tile."""
        index = self._selected if 0 <= self._selected < self.tile_count() else None
        if index is None:
            index = self.model.first_free()
        if index is None:
            index = 0
        self.model.assign(index, camera_id)
        return index

    def show_cameras(self, camera_ids: Sequence[str]) -> list[str]:
        """Event video: these cameras in order on the smallest layout that holds them (up to
        16); returns the cameras shown."""
        self.leave_full_view()
        shown = self.model.fill(list(camera_ids))
        log.info("video wall: showing %d cameras", len(shown))
        return shown

    def show_event_cameras(self, lon: float, lat: float, radius_m: float = 500.0,
                           limit: int = 9) -> list[str]:
        """The online cameras nearest to an event (at most `limit` within `radius_m`) on the
        wall; returns them (none found: the wall is left as it is)."""
        if self._cameras is None:
            return []
        ids = nearest_cameras(self._cameras, lon, lat, radius_m=radius_m, limit=limit)
        if ids:
            self.show_cameras(ids)
        return ids

    def show_preset(self, layout: str, near: tuple[float, float] | None = None,
                    radius_m: float = 2000.0) -> list[str]:
        """A hall mode's preset: layout `layout`, filled with the online cameras nearest to
        `near` (lon, lat) when given (as many as the layout has tiles); returns them."""
        self.leave_full_view()
        ids: list[str] = []
        if near is not None and self._cameras is not None:
            count = LAYOUTS[layout].count
            ids = nearest_cameras(self._cameras, near[0], near[1], radius_m=radius_m,
                                  limit=count)
            if ids:
                self.model.fill(ids, largest=MAX_TILES)
        self.model.set_layout(layout)
        return ids

    def clear(self) -> None:
        self.model.clear()

    # ---- Public API: selection and full view

    def selected(self) -> int:
        return self._selected

    def select(self, index: int) -> None:
        """Select tile `index` (-1: none): where a double-clicked camera goes."""
        if not -1 <= index < self.tile_count():
            index = -1
        if index == self._selected:
            return
        self._selected = index
        for n, frame in enumerate(self._frames):
            frame.setProperty("selected", n == index)
            frame.setStyleSheet("QFrame#videoTileFrame { background: %s; }"
                                % ("#58a6ff" if n == index else "transparent"))
        self.sig_selected.emit(index)

    def full_view_index(self) -> int:
        """The tile in full view, or -1."""
        return self._full

    def toggle_full_view(self, index: int) -> None:
        if self._full >= 0:
            self.leave_full_view()
        else:
            self.enter_full_view(index)

    def enter_full_view(self, index: int) -> None:
        """Tile `index` alone fills the wall (its stream may switch to the main profile)."""
        if not 0 <= index < self.tile_count() or index == self._full:
            return
        self._full = index
        self._relayout()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sig_full_view.emit(index)
        self._sync_readers()

    def leave_full_view(self) -> None:
        if self._full < 0:
            return
        self._full = -1
        self._relayout()
        self.sig_full_view.emit(-1)
        self._sync_readers()

    # ---- Public API: tours

    def save_tour(self, name: str, camera_ids: Sequence[str], dwell_s: float = 10.0) -> None:
        self.model.save_tour(name, camera_ids, dwell_s)

    def start_tour(self, name: str, tile: int | None = None) -> None:
        """Play the saved tour `name` on tile `tile`, or on the whole wall (None)."""
        self.leave_full_view()
        self.model.start_tour(name, time.monotonic(), tile)

    def start_tour_of(self, camera_ids: Sequence[str], on_wall: bool = True,
                      dwell_s: float = 10.0, name: str = "") -> str:
        """Save the cameras as a tour (`name`, or "Tour N") and play it on the whole wall,
        or on the selected tile (the first if none is); returns the tour's name."""
        if not name:
            taken = {t.name for t in self.model.tours}
            n = 1
            while f"{self.tr('Tour')} {n}" in taken:
                n += 1
            name = f"{self.tr('Tour')} {n}"
        self.model.save_tour(name, camera_ids, dwell_s)
        tile = None if on_wall else max(0, self._selected)
        self.start_tour(name, tile)
        return name

    def stop_tours(self) -> None:
        self.model.stop_tour(None)

    # ---- Public API: the readers, the state, the end

    def tile(self, index: int) -> VideoTile:
        return self.tiles[index]

    def reader(self, index: int) -> StreamReader | None:
        """The reader playing in tile `index`, or None."""
        playing = self._playing.get(index)
        return playing.reader if playing is not None else None

    def profile_of(self, index: int) -> str | None:
        playing = self._playing.get(index)
        return playing.profile if playing is not None else None

    def readers(self) -> dict[int, StreamReader]:
        return {n: p.reader for n, p in self._playing.items()}

    def save(self) -> None:
        """Write the state now (normally done shortly after each change)."""
        self._save_timer.stop()
        if self._state_path is None:
            return
        try:
            save_state(self._state_path, self.model.state)
        except OSError as exc:
            log.warning("video wall: cannot save %s (%s)", self._state_path, exc)

    def shutdown(self) -> None:
        """Save, stop every reader and the timers (the wall shows nothing afterwards)."""
        if self._closed:
            return
        self._closed = True
        self._tour_timer.stop()
        self._profile_timer.stop()
        if self._save_timer.isActive():
            self.save()
        for index in list(self._playing):
            self._stop_reader(index)
        _unlink(self._links)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)

    # ---- Internals: building

    def _follow(self, core_signal, slot) -> None:
        self._links.append((core_signal, core_signal.connect(slot)))

    def _build_toolbar(self) -> QWidget:
        bar = QFrame(self)
        bar.setObjectName("videoWallToolbar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(QLabel(self.tr("Layout"), bar))
        self.layout_box = QComboBox(bar)
        for name, layout in LAYOUTS.items():
            text = name if "+" in name else f"{name} ({layout.rows}×{layout.cols})"
            self.layout_box.addItem(text, name)
        self.layout_box.activated.connect(
            lambda i: self.set_layout(self.layout_box.itemData(i)))
        row.addWidget(self.layout_box)
        self.tours_button = QToolButton(bar)
        self.tours_button.setText(self.tr("Tours"))
        self.tours_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tours_menu = QMenu(self.tours_button)
        self.tours_menu.aboutToShow.connect(self._fill_tours_menu)
        self.tours_button.setMenu(self.tours_menu)
        row.addWidget(self.tours_button)
        self.tour_label = QLabel(bar)
        self.tour_label.setObjectName("videoWallTour")
        row.addWidget(self.tour_label)
        row.addStretch(1)
        clear = QToolButton(bar)
        clear.setText(self.tr("Clear"))
        clear.clicked.connect(self.clear)
        row.addWidget(clear)
        return bar

    def _make_tile(self, index: int) -> None:
        frame = QFrame(self.grid_area)
        frame.setObjectName("videoTileFrame")
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(2, 2, 2, 2)
        tile = VideoTile(frame)
        tile.setMinimumSize(*TILE_MIN)
        tile.set_tile_index(index)
        tile.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tile.customContextMenuRequested.connect(lambda pos, i=index: self._tile_menu(i, pos))
        tile.sig_double_clicked.connect(lambda i=index: self.toggle_full_view(i))
        tile.sig_camera_dropped.connect(lambda cid, i=index: self._camera_dropped(i, cid))
        tile.sig_tile_dropped.connect(lambda src, i=index: self.swap(src, i))
        tile.installEventFilter(self)
        inner.addWidget(tile)
        frame.hide()
        self._frames.append(frame)
        self.tiles.append(tile)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(watched, VideoTile):
            index = watched.tile_index()
            if index is not None:
                self.select(index)
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and self._full >= 0:
            self.leave_full_view()
            event.accept()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if not self._closed:
            self._profile_timer.start()

    # ---- Internals: the grid

    def _relayout(self) -> None:
        while self.grid.count():
            self.grid.takeAt(0)
        for r in range(7):
            self.grid.setRowStretch(r, 0)
            self.grid.setColumnStretch(r, 0)
        layout = self.model.layout
        if self._full >= 0:
            for n, frame in enumerate(self._frames):
                frame.setVisible(n == self._full)
            self.grid.addWidget(self._frames[self._full], 0, 0)
            self.grid.setRowStretch(0, 1)
            self.grid.setColumnStretch(0, 1)
        else:
            for n, frame in enumerate(self._frames):
                if n < layout.count:
                    cell = layout.cells[n]
                    self.grid.addWidget(frame, cell.row, cell.col, cell.rows, cell.cols)
                    frame.show()
                else:
                    frame.hide()
            for r in range(layout.rows):
                self.grid.setRowStretch(r, 1)
            for c in range(layout.cols):
                self.grid.setColumnStretch(c, 1)
        self._shown_layout = layout.name
        self.grid.invalidate()

    def _tile_box(self, index: int) -> tuple[int, int]:
        """The size of tile `index` in device pixels, from the grid area and the layout (not
        from the tile, whose geometry may not have followed a layout change yet)."""
        ratio = self.devicePixelRatioF()
        width = max(1, self.grid_area.width() - 4)
        height = max(1, self.grid_area.height() - 4)
        if self._full == index:
            return round(width * ratio), round(height * ratio)
        layout = self.model.layout
        cell = layout.cells[index]
        return (round(width * cell.cols / layout.cols * ratio),
                round(height * cell.rows / layout.rows * ratio))

    # ---- Internals: the model and the readers

    def _model_changed(self, save: bool = True) -> None:
        if self._closed:
            return
        layout = self.model.layout
        if self._full >= 0 and (self._full >= layout.count
                                or layout.name != self._shown_layout):
            self._full = -1
            self.sig_full_view.emit(-1)
        if layout.name != self._shown_layout or self._full >= 0:
            self._relayout()
        if self._selected >= layout.count:
            self.select(-1)
        index = self.layout_box.findData(layout.name)
        if index >= 0:
            self.layout_box.setCurrentIndex(index)
        if self.model.runs:
            if not self._tour_timer.isActive():
                self._tour_timer.start()
        else:
            self._tour_timer.stop()
        labels = [r.label(layout.count) for r in self.model.runs]
        self.tour_label.setText(("⟳ " + ", ".join(labels)) if labels else "")
        self._sync_readers()
        self._profile_timer.start()  # the profiles again once the tiles have their sizes
        if save:
            self._schedule_save()

    def _schedule_save(self) -> None:
        if self._state_path is not None and not self._closed:
            self._save_timer.start()

    def _tick_tours(self) -> None:
        self.model.tick(time.monotonic())

    def _sync_readers(self) -> None:
        """Start, keep, switch or stop each tile's reader to match the model."""
        if self._closed:
            return
        count = self.model.layout.count
        for index in range(MAX_TILES):
            camera_id = self.model.camera_at(index) if index < count else None
            camera = self._cameras.get(camera_id) if camera_id and self._cameras else None
            playing = self._playing.get(index)
            tile = self.tiles[index]
            if camera is None:
                if playing is not None:
                    self._stop_reader(index)
                if camera_id:
                    # Not (yet) in the camera list: show the id, play nothing.
                    tile.set_source(None, camera_id)
                elif tile.source() is not None:
                    tile.set_source(None)
                continue
            width, height = self._tile_box(index)
            current = playing.profile if playing is not None and \
                playing.camera_id == camera.id else None
            profile = pick_profile(width, height, camera.streams, current)
            stream = choose_stream(camera, profile)
            label = self._tile_label(index, camera.name)
            if stream is None:
                if playing is not None:
                    self._stop_reader(index)
                tile.set_source(None, label)
                continue
            if playing is not None and playing.camera_id == camera.id \
                    and playing.url == stream.url:
                if tile.camera_name() != label:
                    tile.set_camera_name(label)
                continue
            if playing is not None:
                self._stop_reader(index)
            reader = StreamReader(stream.url, headers=self._headers,
                                  output_size=(width, height), name=camera.id,
                                  **self._reader_options)
            self._playing[index] = _Playing(camera.id, profile, stream.url, reader)
            reader.start()
            tile.set_source(reader, label)

    def _tile_label(self, index: int, name: str) -> str:
        tour = self.model.tour_label(index)
        return f"{name}  ⟳ {tour}" if tour else name

    def _stop_reader(self, index: int) -> None:
        playing = self._playing.pop(index, None)
        if playing is None:
            return
        self.tiles[index].set_source(None)
        if not playing.reader.stop():
            log.warning("video wall: the reader of %s did not end in time", playing.camera_id)

    def _camera_dropped(self, index: int, camera_id: str) -> None:
        self.select(index)
        self.model.assign(index, camera_id)

    def _cameras_loaded(self) -> None:
        self._sync_readers()

    def _cameras_changed(self, camera_ids) -> None:
        """A camera back online: a tile that lost it reconnects at once (not after its
        backoff)."""
        changed = set(camera_ids or ())
        for index, playing in list(self._playing.items()):
            camera = self._cameras.get(playing.camera_id)
            if playing.camera_id in changed and camera is not None \
                    and camera.status == "online" and playing.reader.state == LOST:
                self._stop_reader(index)
        self._sync_readers()

    # ---- Internals: menus

    def _tile_menu(self, index: int, pos) -> None:
        self.select(index)
        menu = QMenu(self)
        full = menu.addAction(self.tr("Full view") if self._full < 0 else self.tr("Back to the wall"))
        full.triggered.connect(lambda: self.toggle_full_view(index))
        clear = menu.addAction(self.tr("Remove the camera"))
        clear.setEnabled(self.model.camera_at(index) is not None)
        clear.triggered.connect(lambda: self.assign(index, None))
        tours = menu.addMenu(self.tr("Tour on this tile"))
        for tour in self.model.tours:
            action = tours.addAction(tour.name)
            action.triggered.connect(lambda _c=False, n=tour.name: self.start_tour(n, index))
        tours.setEnabled(bool(self.model.tours))
        menu.exec(self.tiles[index].mapToGlobal(pos))

    def _fill_tours_menu(self) -> None:
        menu = self.tours_menu
        menu.clear()
        for tour in self.model.tours:
            sub = menu.addMenu(self.tr("{0} ({1} cameras, {2} s)").format(
                tour.name, len(tour.camera_ids), f"{tour.dwell_s:g}"))
            on_wall = sub.addAction(self.tr("Play on the wall"))
            on_wall.triggered.connect(lambda _c=False, n=tour.name: self.start_tour(n))
            on_tile = sub.addAction(self.tr("Play on the selected tile"))
            on_tile.triggered.connect(
                lambda _c=False, n=tour.name: self.start_tour(n, max(0, self._selected)))
            delete = sub.addAction(self.tr("Delete"))
            delete.triggered.connect(lambda _c=False, n=tour.name: self.model.delete_tour(n))
        if self.model.tours:
            menu.addSeparator()
        new = menu.addAction(self.tr("New tour from the wall's cameras…"))
        new.setEnabled(any(self.model.visible()))
        new.triggered.connect(self._new_tour_dialog)
        stop = menu.addAction(self.tr("Stop the tours"))
        stop.setEnabled(bool(self.model.runs))
        stop.triggered.connect(self.stop_tours)

    def _new_tour_dialog(self) -> None:
        ids = [c for c in self.model.visible() if c]
        name, ok = QInputDialog.getText(self, self.tr("New tour"), self.tr("Name"))
        if not ok or not name.strip():
            return
        dwell, ok = QInputDialog.getInt(self, self.tr("New tour"),
                                        self.tr("Seconds per camera"), 10, 1, 3600)
        if ok:
            self.save_tour(name.strip(), ids, float(dwell))


def _unlink(links: list) -> None:
    for core_signal, callback in links:
        try:
            core_signal.disconnect(callback)
        except (ValueError, KeyError):
            pass
    links.clear()


def connect_camera_list(wall: VideoWall, camera_list) -> None:
    """Wire a CameraList to a wall: double-click → `show_camera`, "show on the wall" →
    `show_cameras`, tour requests → `start_tour_of`."""
    camera_list.sig_camera_activated.connect(wall.show_camera)
    camera_list.sig_show_cameras.connect(wall.show_cameras)
    camera_list.sig_tour_requested.connect(
        lambda ids, on_wall: wall.start_tour_of(ids, on_wall))
