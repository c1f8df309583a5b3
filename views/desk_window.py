"""The desk window: a thin main window hosting the event queue and the event detail panel in
the middle, and the dashboard, statistics, operation map and video wall in docks (tabbed on
the right by default; their arrangement is kept in the desk's layout file, with a version).

    window.show_view("map"); window.current_view()      # "map"
    widget = window.take_view("map")                    # for a wall window (views/hall_setup.py)
    window.return_view("map", widget)
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.chase import SignWatch
from console.flow import allowed_actions
from console.map_search import event_finder
from console.saved_filters import filter_from_dict
from views.alert_presenter import AlertPresenter
from views.chase_bar import ChaseBar
from views.conference_launcher import ConferenceLauncher
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

log = logging.getLogger(__name__)

#: The version of the saved window arrangement (geometry, docks, splitter); a file or dock
#: state of another version is not restored. Bump it when the docks change shape.
WINDOW_STATE_VERSION = 3

#: The desk's views by kind, in menu order: "events" (the queue and the event detail) is the
#: central widget; the others stand in docks of these object names.
VIEW_KINDS = ("events", "dashboard", "statistics", "map", "video_wall")
DOCK_NAMES = {"dashboard": "dock_dashboard", "statistics": "dock_statistics",
              "map": "dock_map", "video_wall": "dock_video"}
#: The dock raised in the default arrangement.
DEFAULT_VIEW = "map"
#: The share of the window's width the docks take in the default arrangement: at 1600 px
#: the middle keeps ~950 px, the event detail its ~550 px (its row of buttons) and the queue
#: the rest.
DOCK_SHARE = 0.40
#: The default split of the middle between the queue and the event detail.
EVENTS_SPLIT = (2, 3)
#: No dock gets narrower or lower than this (a 1366×768 laptop still holds the desk).
DOCK_MIN_WIDTH, DOCK_MIN_HEIGHT = 360, 240


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
        #: Starts and joins video conferences (視頻會商) from the event panel.
        self.conferences = ConferenceLauncher(self, bridge, user)
        self.detail.sig_conference_requested.connect(self.conferences.request)

        self.dispatch_action = QAction(self.tr("Dispatch the selected event"), self)
        self.dispatch_action.setObjectName("dispatchAction")
        self.dispatch_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.dispatch_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.dispatch_action.triggered.connect(lambda: self.open_dispatch())
        self.addAction(self.dispatch_action)
        self.conference_action = QAction(self.tr("Video conference about the selected event"),
                                         self)
        self.conference_action.setObjectName("conferenceAction")
        self.conference_action.setShortcut(QKeySequence(Qt.Key.Key_F4))
        self.conference_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.conference_action.triggered.connect(lambda: self.open_conference())
        self.addAction(self.conference_action)
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
        # The detail scrolls when narrower than its row of buttons: an event selected does not
        # widen the middle and push the docks aside (nor a laptop's window off its screen).
        self.detail_scroll = QScrollArea(self)
        self.detail_scroll.setObjectName("detailScroll")
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_scroll.setWidget(self.detail)
        self.splitter.addWidget(self.detail_scroll)
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
        self.setDockOptions(self.dockOptions() | QMainWindow.DockOption.AllowTabbedDocks
                            | QMainWindow.DockOption.AnimatedDocks
                            | QMainWindow.DockOption.GroupedDragging)
        self.setDocumentMode(True)
        # Tabbed docks show their tabs on top, where the desk's tabs were.
        self.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
        self._docks: dict[str, QDockWidget] = {}
        self._taken: set[str] = set()
        self._current = "events"
        self._settled = False  # shown, and past the docks shown with it
        self._share_pending = False  # the default docks' width, set again once shown
        self.dashboard: IndicatorDashboard | None = None
        self.breaches: IndicatorBreachPresenter | None = None
        indicators = bridge.indicators
        if indicators is not None:
            api = getattr(bridge.session, "api", None)
            self.dashboard = IndicatorDashboard(
                indicators, loader=rest_loader(api) if api is not None else None, parent=self)
            self._add_dock("dashboard", self.tr("City vital signs"), self.dashboard)
            self.breaches = IndicatorBreachPresenter(indicators, self)
            self.breaches.sig_open_event.connect(
                lambda prefill: self.open_new_event("indicator", **prefill))
            bridge.sig_catalog.connect(lambda catalog: self.breaches.set_category_codes(
                [c.code for c in catalog.categories]))
        self._add_dock("statistics", self.tr("Statistics"), self.statistics)
        # Built before the session loads too; its map page is made when first shown.
        self.operation_map = OperationMap(bridge, self)
        self.operation_map.sig_event_clicked.connect(self.show_event_anyway)
        self.operation_map.set_event_finder(event_finder(bridge.store, self.queue.proxy.text_rows))
        #: The event the hall's emergency mode follows: while set, the map stays on it
        #: instead of following the queue's selection.
        self.wall_focus = ""
        self.queue.sig_event_selected.connect(self._map_follow_queue)
        self._add_dock("map", self.tr("Operation map"), self.operation_map)
        self.video = VideoWallTab(bridge, wall_state, self)
        self.operation_map.sig_show_cameras.connect(self._show_cameras)
        self.queue.sig_event_selected.connect(self.video.event_selected)
        self._add_dock("video_wall", self.tr("Video wall"), self.video)
        central = QWidget(self)
        central.setObjectName("deskEvents")
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.link_band)
        self._mode_band_at = central_layout.count()
        central_layout.addWidget(self.cache_notice)
        if self.breaches is not None:  # seen whichever view is raised
            central_layout.addWidget(self.breaches.banner)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        events_menu = self.menuBar().addMenu(self.tr("&Events"))
        events_menu.addAction(self.new_event_action)
        events_menu.addAction(self.dispatch_action)
        events_menu.addAction(self.conference_action)
        self.menuBar().addMenu(self.alerts.policy_menu(self))
        # The docks, each with its action: a closed one is opened again from here.
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.view_menu.setObjectName("viewMenu")
        for dock in self._docks.values():
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.default_layout_action = self.view_menu.addAction(
            self.tr("Default arrangement"), self.default_arrangement)
        self.default_layout_action.setObjectName("defaultLayoutAction")
        # The hall's modes (平时/战时/专题): the menu, the keys, the badge and its band.
        self.modes = ModeController(self)
        self.menuBar().addMenu(self.modes.menu)
        self.menuBar().setCornerWidget(self.modes.badge, Qt.Corner.TopRightCorner)
        central_layout.insertWidget(self._mode_band_at, self.modes.band)

        self.status = HallStatusBar(bridge, user, self)
        self.setStatusBar(self.status)
        self.detail.sig_message.connect(lambda text: self.status.showMessage(text, 8000))
        bridge.sig_error.connect(lambda text: self.status.showMessage(text, 8000))
        self.conferences.sig_announce.connect(lambda text: self.status.showMessage(text, 20000))
        self.resize(1600, 900)
        self.default_arrangement()
        self._restore_state()

    def open_conference(self, event_id: str = ""):
        """Join the selected event's open conference, or (a shift leader) start one: the
        dialog or the window, or None with the reason in the status bar."""
        event_id = event_id or self.queue.selected_event_id()
        if not event_id or self._bridge.store.get(event_id) is None:
            self.status.showMessage(self.tr("Select an event first."), 5000)
            return None
        opened = self.conferences.request(event_id)
        if opened is None:
            self.status.showMessage(self.tr("The event has no conference open, and only a "
                                            "shift leader may start one."), 5000)
        return opened

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
        self.show_view("video_wall")

    def _show_filtered(self, data: dict) -> None:
        """The statistics panel asked for the events behind a figure: the queue, filtered."""
        self.queue.set_queue_filter(filter_from_dict(data))
        self.show_view("events")

    # ---- The views and their docks

    def view_names(self) -> list[str]:
        """The kinds of the views the desk holds now ("events" always; a view a wall window
        took is not held; a closed dock is, it opens again from the View menu)."""
        return [kind for kind in VIEW_KINDS
                if kind == "events" or (kind in self._docks and kind not in self._taken)]

    def dock(self, kind: str) -> QDockWidget | None:
        """The dock of `kind` ("events" has none: it is the central widget)."""
        return self._docks.get(kind)

    def show_view(self, kind: str) -> bool:
        """Bring `kind` into sight: its dock is opened if closed and raised over the docks
        tabbed with it; "events" (always in sight, in the middle) takes the keyboard focus.
        It becomes the current view. False when the desk does not hold `kind` now."""
        if kind == "events":
            self._current = kind
            self.queue.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        dock = self._docks.get(kind)
        if dock is None or kind in self._taken:
            return False
        dock.show()
        dock.raise_()
        self._current = kind
        return True

    def current_view(self) -> str:
        """The view the user looks at: the one last brought into sight — by `show_view`, or by
        the user (a dock's tab clicked, a dock opened from the View menu or floated) — while
        it stays in sight; when it left (closed, tabbed under another, taken by a wall), the
        first dock in sight in `VIEW_KINDS` order; "events" when no dock is in sight."""
        if self._current == "events" or self.view_in_sight(self._current):
            return self._current
        return next((kind for kind in self._docks if self.view_in_sight(kind)), "events")

    def take_view(self, kind: str) -> QWidget | None:
        """Take `kind`'s view off the desk for a wall window: its dock leaves the window (and
        the View menu) and the view is returned, hidden. None when the desk does not hold
        it ("events" stays on the desk)."""
        dock = self._docks.get(kind)
        if dock is None or kind in self._taken:
            return None
        widget = dock.widget()
        self._taken.add(kind)
        self.removeDockWidget(dock)
        dock.toggleViewAction().setVisible(False)
        if widget is not None:
            widget.hide()
            _keep_size_hidden(widget, False)
            widget.setParent(self)  # kept by the desk until the wall takes it
        return widget

    def return_view(self, kind: str, widget: QWidget) -> None:
        """Put `kind`'s view back in its dock (from a wall window), tabbed with the first
        dock in the window's dock areas (the right one when none is), without raising it."""
        dock = self._docks.get(kind)
        if dock is None or kind not in self._taken:
            return
        current = self.current_view()
        self._taken.discard(kind)
        _keep_size_hidden(widget, True)
        widget.hide()
        dock.setWidget(widget)
        anchor = next((d for k, d in self._docks.items()
                       if k != kind and k not in self._taken and not d.isFloating()
                       and not d.isHidden()), None)
        area = self.dockWidgetArea(anchor) if anchor is not None \
            else Qt.DockWidgetArea.RightDockWidgetArea
        self.addDockWidget(area, dock)
        if anchor is not None:
            self.tabifyDockWidget(anchor, dock)
        dock.toggleViewAction().setVisible(True)
        dock.show()
        if current in self._docks:  # the view the user looked at stays raised
            self._docks[current].raise_()
        self._current = current
        self._setup_dock_tab_bars()

    def default_arrangement(self) -> None:
        """The docks as they first stand: tabbed together in the right dock area, about
        `DOCK_SHARE` of the window's width, the map raised; the events view takes the rest."""
        docks = [d for k, d in self._docks.items() if k not in self._taken]
        for dock in docks:
            dock.setFloating(False)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            dock.show()
        for dock in docks[1:]:
            self.tabifyDockWidget(docks[0], dock)
        self._share_docks()
        self._share_pending = not self.isVisible()  # again once shown, its size settled
        if not self.show_view(DEFAULT_VIEW):
            self._current = "events"
        self._setup_dock_tab_bars()

    def _share_docks(self) -> None:
        docks = [d for k, d in self._docks.items() if k not in self._taken]
        if docks:  # (the size of a dock under another's tab is not heard: all of them)
            self.resizeDocks(docks, [round(self.width() * DOCK_SHARE)] * len(docks),
                             Qt.Orientation.Horizontal)
        self.splitter.setSizes([600 * part for part in EVENTS_SPLIT])

    def _add_dock(self, kind: str, title: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(DOCK_NAMES[kind])
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        dock.setMinimumSize(DOCK_MIN_WIDTH, DOCK_MIN_HEIGHT)
        dock.setWidget(widget)
        _keep_size_hidden(widget, True)
        widget.hide()  # shown when its dock comes into sight (see _dock_shown)
        dock.visibilityChanged.connect(lambda shown, kind=kind: self._dock_shown(kind, shown))
        # Opened from the View menu: raised too, not left under the dock tabbed over it.
        dock.toggleViewAction().triggered.connect(
            lambda checked, kind=kind: checked and self.show_view(kind))
        dock.topLevelChanged.connect(lambda _floating: self._setup_dock_tab_bars())
        dock.dockLocationChanged.connect(lambda _area: self._setup_dock_tab_bars())
        self._docks[kind] = dock
        return dock

    def _dock_shown(self, kind: str, shown: bool) -> None:
        """A dock came into sight or left it (closed, or tabbed under another: QMainWindow
        only moves such a dock out of the window). Its view is shown and hidden with it, so
        that a view out of sight is hidden as it was under a tab: the map draws nothing, the
        statistics wait, the video wall's tiles know it."""
        if kind in self._taken:
            return
        dock = self._docks[kind]
        widget = dock.widget()
        if widget is not None:
            widget.setVisible(shown)
        # Shown by the user once the window stands (not the docks shown with the window).
        if shown and self._settled:
            self._current = kind

    def view_in_sight(self, kind: str) -> bool:
        """Whether the user sees `kind` now ("events" always; a dock when it is open and
        raised over the docks tabbed with it, or floating)."""
        if kind == "events":
            return self.isVisible()
        dock = self._docks.get(kind)
        return (dock is not None and kind not in self._taken and dock.isVisible()
                and dock.widget() is not None and dock.widget().isVisible())

    def _setup_dock_tab_bars(self) -> None:
        """The tab bars of tabbed docks (made by QMainWindow as docks are tabbed) raise the
        tab a drag hovers over: a camera dragged from the map's ring list onto the video
        wall's tab raises the wall, where it is dropped."""
        for bar in self.findChildren(QTabBar):
            if bar.parent() is self and not bar.changeCurrentOnDrag():
                bar.setChangeCurrentOnDrag(True)
                bar.setAcceptDrops(True)

    def event(self, event) -> bool:  # noqa: D102 - Qt API
        if event.type() == QEvent.Type.ChildPolished and isinstance(event.child(), QTabBar):
            self._setup_dock_tab_bars()
        return super().event(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self._settled = True
        if self._share_pending:
            self._share_pending = False
            self._share_docks()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._settled = False
        super().hideEvent(event)

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
        docks = parts.get("docks")
        if docks is None or not self.restoreState(docks, WINDOW_STATE_VERSION):
            log.warning("desk layout %s: its dock arrangement is missing or of another "
                        "version: the default is used", self._layout.path)
            self.default_arrangement()  # for the restored width
        else:
            self._current = ""  # the first dock in sight (see current_view)
            self._share_pending = False
            self._setup_dock_tab_bars()
        if "splitter" in parts:
            self.splitter.restoreState(parts["splitter"])

    def _save_state(self) -> None:
        if self._layout is None:
            return
        self._layout.save({"geometry": self.saveGeometry(),
                           "docks": self.saveState(WINDOW_STATE_VERSION),
                           "splitter": self.splitter.saveState()})


def _keep_size_hidden(widget: QWidget, keep: bool) -> None:
    """A dock's view hidden under another's tab keeps its size: else the dock's (and its tab
    group's) largest size would shrink to its smallest, pinning the docks narrow."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(keep)
    widget.setSizePolicy(policy)
