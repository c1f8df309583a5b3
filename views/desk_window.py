"""The desk window: a thin main window hosting the event queue and the event detail panel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from console.chase import SignWatch
from console.flow import allowed_actions
from console.map_search import event_finder
from console.saved_filters import filter_from_dict
from views.alert_presenter import AlertPresenter
from views.chase_bar import ChaseBar
from views.dispatch_dialog import DispatchDialog
from views.event_detail import EventDetailPanel
from views.event_queue import EventQueueView
from views.hall_modes import ModeController
from views.indicator_breach import IndicatorBreachPresenter
from views.indicator_dashboard import IndicatorDashboard
from views.indicator_trend import rest_loader
from views.labels import role_name
from views.link_state import DataAgeLabel, LinkBand, LinkState
from views.new_event_dialog import NewEventDialog
from views.operation_map import OperationMap
from views.statistics_panel import StatisticsPanel
from views.status_bar import HallStatusBar
from views.video_wall_tab import VideoWallTab
from views.window_layout import WindowLayoutFile
from widgets.status_band import StatusBand

#: Bump when the saved splitter/window layout changes shape, so old state is ignored.
#: The version of the saved window arrangement; another version's is not restored.
WINDOW_STATE_VERSION = 2


class DeskWindow(QMainWindow):
    """Hosts the views of one desk seat; holds no business rules."""

    def __init__(self, bridge, user, settings: QSettings | None = None, parent=None, *,
                 wall_state: Path | None = None, layout_file: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DeskWindow")
        self._settings = settings
        # Where the window's arrangement is kept (views/window_layout.py), if anywhere.
        self._layout = (WindowLayoutFile(layout_file, WINDOW_STATE_VERSION)
                        if layout_file is not None else None)
        self.setWindowTitle(
            self.tr("Hall Console — %1 (%2)")
            .replace("%1", user.name or user.id)
            .replace("%2", "、".join(role_name(r) for r in user.roles))
        )
        self._bridge = bridge
        self._user = user
        self.dispatch_dialog: DispatchDialog | None = None
        self.new_event_dialog: NewEventDialog | None = None
        self.queue = EventQueueView(bridge, self, settings,
                                    user.scope.street_id if user.scope else None)
        self.detail = EventDetailPanel(bridge, user, self)
        self.queue.sig_event_selected.connect(self.detail.show_event)
        self.detail.sig_dispatch_requested.connect(self.open_dispatch)

        self.dispatch_action = QAction(self.tr("Dispatch the selected event"), self)
        self.dispatch_action.setObjectName("dispatchAction")
        self.dispatch_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.dispatch_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.dispatch_action.triggered.connect(lambda: self.open_dispatch())
        self.addAction(self.dispatch_action)
        self.new_event_action = QAction(self.tr("New event…"), self)
        self.new_event_action.setObjectName("newEventAction")
        self.new_event_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_event_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.new_event_action.triggered.connect(lambda: self.open_new_event())
        self.addAction(self.new_event_action)

        self.sign_watch = SignWatch(bridge.store)
        self.chase_bar = ChaseBar(self.sign_watch, bridge.units, user.can("dispatch"),
                                  user.can("urge"), self)
        self.chase_bar.sig_show.connect(self.queue.select_event)
        self.chase_bar.sig_urge.connect(self.detail.urge)
        self.chase_bar.sig_redispatch.connect(self.open_dispatch)

        # Built before the session loads, so the initial load is not read row by row.
        self.alerts = AlertPresenter(bridge, self, self.queue.model, settings, user=user)
        self.alerts.sig_show_event.connect(self.show_event_anyway)
        self.addAction(self.alerts.mute_action)

        left = QWidget(self)
        left.setObjectName("deskLeft")
        self.left_layout = QVBoxLayout(left)
        self.left_layout.setContentsMargins(0, 0, 0, 0)
        self.left_layout.setSpacing(0)
        self.left_layout.addWidget(self.alerts.banner)
        self.left_layout.addWidget(self.chase_bar)
        self.left_layout.addWidget(self.queue, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("deskSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.link = LinkState(bridge, self)
        self.link_band = LinkBand(self.link, self)
        self.cache_notice = StatusBand(self, closable=True)
        self.cache_notice.setObjectName("cacheNotice")
        self.queue_age = DataAgeLabel(self.link, left)
        self.left_layout.insertWidget(0, self.queue_age)
        self.detail_age = DataAgeLabel(self.link, self.detail)
        self.detail.layout().insertWidget(0, self.detail_age)
        # Built before the session loads, like the alerts: it follows the load cheaply.
        self.statistics = StatisticsPanel(bridge.store, self)
        self.statistics.sig_filter_requested.connect(self._show_filtered)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("deskTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setChangeCurrentOnDrag(True)  # drag from the map's ring to the wall
        self.tabs.addTab(self.splitter, self.tr("Events"))
        self.dashboard: IndicatorDashboard | None = None
        self.breaches: IndicatorBreachPresenter | None = None
        indicators = bridge.indicators
        if indicators is not None:
            api = getattr(bridge.session, "api", None)
            self.dashboard = IndicatorDashboard(
                indicators, loader=rest_loader(api) if api is not None else None, parent=self)
            self.tabs.addTab(self.dashboard, self.tr("City vital signs"))
            self.breaches = IndicatorBreachPresenter(indicators, self)
            self.breaches.sig_open_event.connect(
                lambda prefill: self.open_new_event("indicator", **prefill))
            bridge.sig_catalog.connect(lambda catalog: self.breaches.set_category_codes(
                [c.code for c in catalog.categories]))
        self.tabs.addTab(self.statistics, self.tr("Statistics"))
        # Built before the session loads too; its map page is made when first shown.
        self.operation_map = OperationMap(bridge, self)
        self.operation_map.sig_event_clicked.connect(self.show_event_anyway)
        self.operation_map.set_event_finder(event_finder(bridge.store, self.queue.proxy.text_rows))
        #: The event the hall's emergency mode follows: while set, the map stays on it
        #: instead of following the queue's selection.
        self.wall_focus = ""
        self.queue.sig_event_selected.connect(self._map_follow_queue)
        self.tabs.addTab(self.operation_map, self.tr("Operation map"))
        self.video = VideoWallTab(bridge, wall_state, self)
        self.operation_map.sig_show_cameras.connect(self._show_cameras)
        self.queue.sig_event_selected.connect(self.video.event_selected)
        self.tabs.addTab(self.video, self.tr("Video wall"))
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.link_band)
        self._mode_band_at = central_layout.count()
        central_layout.addWidget(self.cache_notice)
        if self.breaches is not None:  # seen on every tab
            central_layout.addWidget(self.breaches.banner)
        central_layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        events_menu = self.menuBar().addMenu(self.tr("&Events"))
        events_menu.addAction(self.new_event_action)
        events_menu.addAction(self.dispatch_action)
        self.menuBar().addMenu(self.alerts.policy_menu(self))
        # The hall's modes (平时/战时/专题): the menu, the keys, the badge and its band.
        self.modes = ModeController(self)
        self.menuBar().addMenu(self.modes.menu)
        self.menuBar().setCornerWidget(self.modes.badge, Qt.Corner.TopRightCorner)
        central_layout.insertWidget(self._mode_band_at, self.modes.band)

        self.status = HallStatusBar(bridge, user, self)
        self.setStatusBar(self.status)
        self.detail.sig_message.connect(lambda text: self.status.showMessage(text, 8000))
        bridge.sig_error.connect(lambda text: self.status.showMessage(text, 8000))
        self.resize(1600, 900)
        self.splitter.setSizes([1000, 600])
        self._restore_state()

    def open_dispatch(self, event_id: str = "") -> DispatchDialog | None:
        """Open the one-key dispatch dialog on `event_id` (default: the selected event).

        Returns the dialog, or None when this user may not dispatch that event now (a duty
        officer never gets it; the status bar says why)."""
        event_id = event_id or self.queue.selected_event_id()
        event = self._bridge.store.get(event_id) if event_id else None
        if event is None:
            self.status.showMessage(self.tr("Select an event to dispatch."), 5000)
            return None
        if not self._user.can("dispatch"):
            self.status.showMessage(self.tr("Only a shift leader may dispatch."), 5000)
            return None
        if "dispatch" not in allowed_actions(event, self._user):
            self.status.showMessage(self.tr("This event cannot be dispatched in its current "
                                            "status."), 5000)
            return None
        if self.dispatch_dialog is not None:
            self.dispatch_dialog.close()
        dialog = DispatchDialog(self._bridge, event_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_dispatched.connect(
            lambda eid: self.status.showMessage(self.tr("Dispatched %1.").replace("%1", eid), 8000))
        dialog.destroyed.connect(lambda _o=None: setattr(self, "dispatch_dialog", None))
        # The keyboard goes back to the desk (and its shortcuts) when the dialog closes.
        dialog.finished.connect(lambda _r: self.activateWindow())
        self.dispatch_dialog = dialog
        dialog.open()
        return dialog

    def open_new_event(self, source: str = "manual", **prefill) -> NewEventDialog | None:
        """Open the manual-event dialog (Ctrl+N); `prefill` fields for an indicator breach."""
        catalog = self._bridge.store.catalog
        if catalog is None:
            self.status.showMessage(self.tr("The catalog has not arrived yet."), 5000)
            return None
        if self.new_event_dialog is not None:
            self.new_event_dialog.raise_()
            return self.new_event_dialog
        dialog = NewEventDialog(self._bridge, catalog, self, source=source)
        if prefill:
            dialog.prefill(**prefill)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_created.connect(self.show_event_anyway)
        dialog.sig_queued.connect(lambda _id: self.status.showMessage(
            self.tr("The new event is saved and will be sent when the link returns."), 10000))
        dialog.destroyed.connect(lambda _o=None: setattr(self, "new_event_dialog", None))
        dialog.finished.connect(lambda _r: self.activateWindow())
        self.new_event_dialog = dialog
        dialog.open()
        return dialog

    def show_event_anyway(self, event_id: str) -> None:
        """Select `event_id` in the queue, or show it in the detail panel when the queue's
        filter hides it."""
        if not self.queue.select_event(event_id):
            self.detail.show_event(event_id)

    def set_wall_focus(self, event_id: str) -> None:
        """The event the hall follows ("" none): the map stays on it (emergency mode)."""
        self.wall_focus = event_id or ""

    def _map_follow_queue(self, event_id: str) -> None:
        if not self.wall_focus:
            self.operation_map.show_event(event_id)

    def _show_cameras(self, camera_ids: list[str]) -> None:
        """The map asked for cameras on the wall: show them there, and the wall."""
        self.video.show_cameras(camera_ids)
        self.tabs.setCurrentWidget(self.video)

    def _show_filtered(self, data: dict) -> None:
        """The statistics panel asked for the events behind a figure: the queue, filtered."""
        self.queue.set_queue_filter(filter_from_dict(data))
        self.tabs.setCurrentWidget(self.splitter)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._save_state()
        self.operation_map.close_map()
        super().closeEvent(event)

    def show_cache_notice(self, report) -> None:
        """Tell the user a broken offline cache was set aside (`OpenReport`) and what became
        of its unsent commands."""
        text = self.tr("The offline cache was damaged (%1). It was set aside as %2 and is "
                       "rebuilt from the backend.").replace("%1", report.reason).replace(
                           "%2", str(report.quarantined_to.name))
        if report.salvaged_outbox:
            text += " " + self.tr("%1 unsent commands were recovered.").replace(
                "%1", str(report.salvaged_outbox))
        if report.outbox_unreadable:
            text += " " + self.tr("Whether it held unsent commands could not be checked: "
                                  "check the events you changed recently; the damaged file "
                                  "is kept.")
        self.cache_notice.show_text(text, "alarm" if report.outbox_unreadable else "warning")

    def _restore_state(self) -> None:
        parts = self._layout.load() if self._layout is not None else None
        if not parts:
            return
        if "geometry" in parts:
            self.restoreGeometry(parts["geometry"])
        if "splitter" in parts:
            self.splitter.restoreState(parts["splitter"])
        tab = bytes(parts.get("tab", QByteArray()).data()).decode("utf-8", "replace")
        for index in range(self.tabs.count()):
            if self.tabs.widget(index).objectName() == tab:
                self.tabs.setCurrentIndex(index)

    def _save_state(self) -> None:
        if self._layout is None:
            return
        current = self.tabs.currentWidget()
        self._layout.save({"geometry": self.saveGeometry(),
                           "splitter": self.splitter.saveState(),
                           "tab": (current.objectName() if current else "").encode("utf-8")})
