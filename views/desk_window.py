"""The desk window: a thin main window hosting the event queue and the event detail panel."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QMainWindow, QSplitter

from views.event_detail import EventDetailPanel
from views.event_queue import EventQueueView
from views.labels import role_name
from views.status_bar import HallStatusBar

#: Bump when the saved splitter/window layout changes shape, so old state is ignored.
WINDOW_STATE_VERSION = 1


class DeskWindow(QMainWindow):
    """Hosts the views of one desk seat; holds no business rules."""

    def __init__(self, bridge, user, settings: QSettings | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("DeskWindow")
        self._settings = settings
        self.setWindowTitle(
            self.tr("Hall Console — %1 (%2)")
            .replace("%1", user.name or user.id)
            .replace("%2", "、".join(role_name(r) for r in user.roles))
        )
        self.queue = EventQueueView(bridge, self)
        self.detail = EventDetailPanel(bridge, user, self)
        self.queue.sig_event_selected.connect(self.detail.show_event)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("deskSplitter")
        self.splitter.addWidget(self.queue)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.status = HallStatusBar(bridge, user, self)
        self.setStatusBar(self.status)
        self.detail.sig_message.connect(lambda text: self.status.showMessage(text, 8000))
        bridge.sig_error.connect(lambda text: self.status.showMessage(text, 8000))
        self.resize(1600, 900)
        self.splitter.setSizes([1000, 600])
        self._restore_state()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._save_state()
        super().closeEvent(event)

    def _restore_state(self) -> None:
        if self._settings is None:
            return
        if self._settings.value("desk/version", 0, int) != WINDOW_STATE_VERSION:
            return
        geometry = self._settings.value("desk/geometry")
        splitter = self._settings.value("desk/splitter")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def _save_state(self) -> None:
        if self._settings is None:
            return
        self._settings.setValue("desk/version", WINDOW_STATE_VERSION)
        self._settings.setValue("desk/geometry", self.saveGeometry())
        self._settings.setValue("desk/splitter", self.splitter.saveState())
