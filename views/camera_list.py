"""The camera list: the cameras by street, with a search box and each camera's online state.

A tree of streets (name, cameras online / all) and their cameras (name, id, state as a
coloured dot and a word); the search box keeps the cameras whose name or id contains the
text (a matching street keeps all its cameras). A camera is dragged out as
"application/x-hall-camera-id" (what a video tile accepts); a double-click, or the context
menu, sends cameras to the wall through signals (see `views.video_wall.connect_camera_list`).

Signals: `sig_camera_activated(camera_id)` on a double-click; `sig_show_cameras(ids)` for
"show on the wall"; `sig_tour_requested(ids, on_wall)` for a tour of the selected cameras on
the whole wall (True) or on the wall's selected tile (False).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from widgets.video_tile import CAMERA_MIME

CAMERA_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STREET_ID_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_COLOURS = {"online": "#3fb950", "offline": "#f85149"}
NO_STREET = ""


def _dot(colour: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(2, 2, size - 4, size - 4)
    painter.end()
    return QIcon(pixmap)


class CameraTreeModel(QStandardItemModel):
    """Streets and their cameras; a camera row drags as CAMERA_MIME (the first one picked)."""

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [CAMERA_MIME, "text/plain"]

    def mimeData(self, indexes) -> QMimeData | None:  # noqa: N802
        ids = []
        for index in indexes:
            camera_id = index.data(CAMERA_ID_ROLE)
            if camera_id and camera_id not in ids:
                ids.append(camera_id)
        if not ids:
            return None
        mime = QMimeData()
        mime.setData(CAMERA_MIME, QByteArray(ids[0].encode("utf-8")))
        mime.setText("\n".join(ids))
        return mime


class CameraList(QWidget):
    """The camera list; see the module's doc. `cameras`: a CameraBoard (signals on the GUI
    thread); `streets`: street id → name (or a Catalog through `set_catalog`)."""

    sig_camera_activated = Signal(str)
    sig_show_cameras = Signal(list)
    sig_tour_requested = Signal(list, bool)

    def __init__(self, cameras, streets: Mapping[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraList")
        self._cameras = cameras
        self._streets: dict[str, str] = dict(streets or {})
        self._items: dict[str, tuple[QStandardItem, QStandardItem]] = {}
        self._street_items: dict[str, tuple[QStandardItem, QStandardItem]] = {}
        self._icons = {state: _dot(colour) for state, colour in STATE_COLOURS.items()}
        self._links: list = []

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search camera name or id…"))
        self.search.setClearButtonEnabled(True)
        self.model = CameraTreeModel(0, 3, self)
        self.model.setHorizontalHeaderLabels([self.tr("Camera"), self.tr("ID"), self.tr("State")])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setAutoAcceptChildRows(True)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search.textChanged.connect(self._filter)
        self.tree = QTreeView(self)
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setExpandsOnDoubleClick(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.doubleClicked.connect(self._double_clicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)

        if cameras is not None:
            for core_signal, slot in ((cameras.sig_loaded, self.rebuild),
                                      (cameras.sig_changed, self._changed)):
                self._links.append((core_signal, core_signal.connect(slot)))
            self.destroyed.connect(lambda _o=None, links=self._links: _unlink(links))
        self.rebuild()

    @classmethod
    def for_bridge(cls, bridge, parent: QWidget | None = None) -> CameraList:
        """A list of the desk session's cameras, street names from the store's catalog."""
        view = cls(bridge.session.cameras, parent=parent)
        view.set_catalog(bridge.store.catalog)
        bridge.sig_catalog.connect(view.set_catalog)
        return view

    # ---- Public API

    def set_catalog(self, catalog) -> None:
        """Take the street names of `catalog` (None: keep them)."""
        if catalog is None:
            return
        self._streets = {s.id: s.name for s in catalog.streets}
        self.rebuild()

    def rebuild(self) -> None:
        """Build the tree anew from the camera board (keeps the search)."""
        self.model.removeRows(0, self.model.rowCount())
        self._items.clear()
        self._street_items.clear()
        cameras = self._cameras.all() if self._cameras is not None else []
        by_street: dict[str, list] = {}
        for camera in cameras:
            by_street.setdefault(camera.street_id or NO_STREET, []).append(camera)
        order = sorted(by_street, key=lambda s: (s == NO_STREET, self._street_name(s)))
        for street_id in order:
            street = QStandardItem(self._street_name(street_id))
            street.setData(street_id, STREET_ID_ROLE)
            street.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            count = QStandardItem()
            count.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            blank = QStandardItem()
            blank.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            for camera in sorted(by_street[street_id], key=lambda c: (c.name, c.id)):
                name = QStandardItem(camera.name)
                ident = QStandardItem(camera.id)
                state = QStandardItem()
                for item in (name, ident, state):
                    item.setData(camera.id, CAMERA_ID_ROLE)
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                                  | Qt.ItemFlag.ItemIsDragEnabled)
                name.setToolTip(f"{camera.name}\n{camera.id}")
                street.appendRow([name, ident, state])
                self._items[camera.id] = (name, state)
                self._show_state(camera)
            self.model.appendRow([street, blank, count])
            self._street_items[street_id] = (street, count)
            self._show_count(street_id)
        self.tree.expandAll()

    def selected_camera_ids(self) -> list[str]:
        """The selected cameras in list order (a selected street gives all its cameras)."""
        ids: list[str] = []
        for index in self.tree.selectionModel().selectedRows(0):
            source = self.proxy.mapToSource(index)
            item = self.model.itemFromIndex(source)
            if item is None:
                continue
            camera_id = item.data(CAMERA_ID_ROLE)
            if camera_id:
                ids.append(camera_id)
            else:
                ids.extend(item.child(r, 0).data(CAMERA_ID_ROLE) for r in range(item.rowCount()))
        return list(dict.fromkeys(ids))

    def street_text(self, street_id: str) -> tuple[str, str]:
        """What a street's row shows: (name, "online/all")."""
        street, count = self._street_items[street_id]
        return street.text(), count.text()

    def camera_state_text(self, camera_id: str) -> str:
        return self._items[camera_id][1].text()

    def index_of(self, camera_id: str) -> QModelIndex:
        """The proxy index of a camera's name cell (invalid when filtered out or unknown)."""
        items = self._items.get(camera_id)
        if items is None:
            return QModelIndex()
        return self.proxy.mapFromSource(items[0].index())

    # ---- Internals

    def _street_name(self, street_id: str) -> str:
        if street_id == NO_STREET:
            return self.tr("No street")
        return self._streets.get(street_id, street_id)

    def _state_word(self, state: str) -> str:
        return {"online": self.tr("online"), "offline": self.tr("offline")}.get(state, state)

    def _show_state(self, camera) -> None:
        name, state = self._items[camera.id]
        name.setIcon(self._icons.get(camera.status, self._icons["offline"]))
        state.setText(self._state_word(camera.status))
        state.setForeground(QColor(STATE_COLOURS.get(camera.status, "#8b949e")))

    def _show_count(self, street_id: str) -> None:
        street, count = self._street_items[street_id]
        cameras = [self._cameras.get(street.child(r, 0).data(CAMERA_ID_ROLE))
                   for r in range(street.rowCount())]
        online = sum(1 for c in cameras if c is not None and c.status == "online")
        street.setText(f"{self._street_name(street_id)} ({len(cameras)})")
        count.setText(self.tr("{0}/{1} online").format(online, len(cameras)))

    def _changed(self, camera_ids) -> None:
        streets = set()
        for camera_id in camera_ids:
            camera = self._cameras.get(camera_id)
            if camera is None or camera_id not in self._items:
                continue
            self._show_state(camera)
            streets.add(camera.street_id or NO_STREET)
        for street_id in streets:
            if street_id in self._street_items:
                self._show_count(street_id)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.tree.expandAll()

    def _double_clicked(self, index: QModelIndex) -> None:
        camera_id = index.data(CAMERA_ID_ROLE)
        if camera_id:
            self.sig_camera_activated.emit(camera_id)

    def _context_menu(self, pos) -> None:
        ids = self.selected_camera_ids()
        if not ids:
            return
        menu = QMenu(self)
        show = menu.addAction(self.tr("Show on the wall"))
        show.triggered.connect(lambda: self.sig_show_cameras.emit(ids))
        tour_wall = menu.addAction(self.tr("Tour on the wall"))
        tour_wall.triggered.connect(lambda: self.sig_tour_requested.emit(ids, True))
        tour_tile = menu.addAction(self.tr("Tour on the selected tile"))
        tour_tile.triggered.connect(lambda: self.sig_tour_requested.emit(ids, False))
        menu.exec(self.tree.viewport().mapToGlobal(pos))


def _unlink(links: list) -> None:
    for core_signal, callback in links:
        core_signal.disconnect(callback)
    links.clear()
