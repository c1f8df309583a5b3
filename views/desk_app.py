"""Wiring of one signed-in desk: store, session, bridge and desk window, started and stopped together.

main.py and the GUI tests both build the desk through this, so they run the same code.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSettings

from console.session import HallSession
from console.store import EventStore
from views.bridge import MainThreadInvoker, SessionBridge
from views.desk_window import DeskWindow

log = logging.getLogger(__name__)


class DeskApp:
    """One desk seat for `user`: owns the EventStore, HallSession, SessionBridge and DeskWindow.

    `cache` (an open `OfflineCache`) makes the desk work through outages; `cache_report` (what
    opening it found) is shown when a broken cache file was set aside; `wall_state` is the
    file the video wall keeps its layout, cameras and tours in, `layout_file` the one the desk
    window keeps its arrangement in (None: not kept)."""

    def __init__(
        self,
        api,
        auth,
        user,
        invoker: MainThreadInvoker,
        settings: QSettings | None = None,
        cache=None,
        cache_report=None,
        wall_state=None,
        layout_file=None,
        conference_provider=None,
        lang: str = "zh_CN",
    ) -> None:
        self.api = api
        self.auth = auth
        self.user = user
        self.invoker = invoker
        self.store = EventStore()
        self.session = HallSession(api, auth, self.store, invoker.call_on_main,
                                   schedule_live=invoker.call_paced, cache=cache)
        self.bridge = SessionBridge(self.session, self.store, invoker)
        self.window = DeskWindow(self.bridge, user, settings, wall_state=wall_state,
                                 layout_file=layout_file)
        if conference_provider is not None:
            self.window.conferences.provider = conference_provider
        self.window.conferences.lang = lang
        if cache_report is not None and cache_report.quarantined_to is not None:
            self.window.show_cache_notice(cache_report)
        self._stopped = False

    def start(self) -> None:
        """Show the window and start loading + the live feed (in the session's threads)."""
        self.window.show()
        self.session.start()

    def shutdown(self) -> None:
        """Stop the session's threads and close the window (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        try:
            self.window.conferences.shutdown()  # each window leaves its room
            self.window.video.shutdown()  # its streams, before the session's token goes
            self.session.stop()
        finally:
            self.bridge.detach()
            self.window.close()
            self.window.deleteLater()
