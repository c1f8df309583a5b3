"""The one place where core callbacks become Qt signals.

`MainThreadInvoker.call_on_main` is what the core (HallSession) is given to run its store
mutations and results on the GUI thread. `SessionBridge` re-emits the session's and the
store's plain-Python signals as Qt signals, and `IndicatorBridge` those of the indicator
board, so views connect to Qt signals only.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal

from console.units import UnitBoard

log = logging.getLogger(__name__)


class MainThreadInvoker(QObject):
    """Runs callables on the thread this object lives in (the GUI thread).

    `call_on_main(fn)` is safe from any thread: it emits a queued signal whose slot runs `fn`.
    `call_paced(fn)` is too, but runs `fn` no sooner than `PACE_MS` after the previous paced
    run, from a timer: a stream of live data then never starves painting, timers and input,
    however fast it comes (posted calls alone would run back to back).
    """

    #: The shortest time between paced runs: live data reaches the models at most about this
    #: long after it arrived (plus the work itself).
    PACE_MS = 40

    _sig_call = Signal(object)
    _sig_arm = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sig_call.connect(self._run, Qt.ConnectionType.QueuedConnection)
        self._sig_arm.connect(self._arm, Qt.ConnectionType.QueuedConnection)
        self._paced: list[Callable[[], None]] = []
        self._paced_lock = threading.Lock()
        self._armed = False
        self._last_paced = 0.0

    # ---- Public API

    def call_on_main(self, fn: Callable[[], None]) -> None:
        """Queue `fn` to run on the GUI thread (never runs it inline, even from the GUI thread)."""
        self._sig_call.emit(fn)

    def call_paced(self, fn: Callable[[], None]) -> None:
        """Run `fn` on the GUI thread at the next paced run (safe from any thread)."""
        with self._paced_lock:
            self._paced.append(fn)
            if self._armed:
                return
            self._armed = True
        self._sig_arm.emit()

    def on_main_thread(self) -> bool:
        """True when the caller runs on the thread this invoker lives in."""
        return QThread.currentThread() is self.thread()

    # ----

    def _run(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception:
            log.exception("main-thread call %r failed", fn)

    def _arm(self) -> None:
        wait = self.PACE_MS - (time.monotonic() - self._last_paced) * 1000
        # The context object cancels the timer if this invoker goes first.
        QTimer.singleShot(max(0, round(wait)), self, self._run_paced)

    def _run_paced(self) -> None:
        with self._paced_lock:
            due, self._paced = self._paced, []
            self._armed = False
        self._last_paced = time.monotonic()
        for fn in due:
            self._run(fn)


class SessionBridge(QObject):
    """Re-emits HallSession and EventStore signals as Qt signals on the GUI thread.

    Signals:
      sig_connection_changed(state, detail): live connection state ("connecting", "live", ...).
      sig_loaded(): the first full load is in the store.
      sig_error(message): a core error worth showing (English text from the core).
      sig_command_finished(CommandResult): a command the user issued has its answer.
      sig_rows_inserted(first_row, count): rows appended to the store (one per batch).
      sig_rows_updated(rows): rows whose events changed (a list of ints).
      sig_reset(): the store was replaced (a resync).
      sig_seq(last_seq): the last applied seq moved.
      sig_catalog(catalog): the reference data arrived or changed.
      sig_connectivity_changed(state, data_as_of): "online", "degraded" or "offline", and
        the epoch seconds of the newest data (or None).
      sig_outbox_changed(pending): the commands not yet answered for good (a list).
      sig_conferences_changed(ids): these conferences were listed, started, ended or
        changed live (joins, leaves).
    """

    sig_connection_changed = Signal(str, str)
    sig_loaded = Signal()
    sig_error = Signal(str)
    sig_command_finished = Signal(object)
    sig_rows_inserted = Signal(int, int)
    sig_rows_updated = Signal(object)
    sig_reset = Signal()
    sig_seq = Signal(int)
    sig_catalog = Signal(object)
    sig_connectivity_changed = Signal(str, object)
    sig_outbox_changed = Signal(object)
    sig_conferences_changed = Signal(object)

    def __init__(self, session, store, invoker: MainThreadInvoker, parent=None) -> None:
        super().__init__(parent)
        self._invoker = invoker
        self._session = session
        self._store = store
        #: Where the response units are and whether they are free (live positions).
        self.units = UnitBoard(store)
        self._links = [
            (session.sig_connection, self._forward(self.sig_connection_changed)),
            (session.sig_loaded, self._forward(self.sig_loaded)),
            (session.sig_error, self._forward(self.sig_error)),
            (session.sig_command_finished, self._forward(self.sig_command_finished)),
            (store.sig_inserted, self._forward(self.sig_rows_inserted)),
            (store.sig_updated, self._forward(self.sig_rows_updated)),
            (store.sig_reset, self._forward(self.sig_reset)),
            (store.sig_seq, self._forward(self.sig_seq)),
            (store.sig_catalog, self._forward(self.sig_catalog)),
            (session.sig_connectivity, self._forward(self.sig_connectivity_changed)),
            (session.sig_outbox, self._forward(self.sig_outbox_changed)),
        ]
        conferences = getattr(session, "conferences", None)
        if conferences is not None:
            self._links.append((conferences.sig_changed,
                                self._forward(self.sig_conferences_changed)))
        for core_signal, callback in self._links:
            core_signal.connect(callback)
        board = getattr(session, "indicators", None)
        #: The city's vital signs (None for a session without them).
        self.indicators = IndicatorBridge(board, invoker, self) if board is not None else None

    @property
    def session(self):
        """The HallSession this bridge listens to."""
        return self._session

    @property
    def store(self):
        """The EventStore this bridge listens to."""
        return self._store

    def detach(self) -> None:
        """Stop listening to the core (before the session is stopped and the windows go)."""
        for core_signal, callback in self._links:
            core_signal.disconnect(callback)
        self._links = []
        if self.indicators is not None:
            self.indicators.detach()

    def _forward(self, qt_signal) -> Callable[..., None]:
        return _forwarder(self._invoker, qt_signal)


class IndicatorBridge(QObject):
    """Re-emits an `IndicatorBoard`'s signals as Qt signals on the GUI thread, and lends
    the views the board and the invoker (for work they run off the GUI thread).

    Signals:
      sig_loaded(): the board was (re)loaded: every indicator may have changed.
      sig_changed(ids): these indicators have new samples (a list of ids, one per batch).
      sig_state(indicator, old_state): an indicator's state changed.
      sig_breach(indicator): an indicator entered alarm (the board announces each once).
    """

    sig_loaded = Signal()
    sig_changed = Signal(object)
    sig_state = Signal(object, str)
    sig_breach = Signal(object)

    def __init__(self, board, invoker: MainThreadInvoker, parent=None) -> None:
        super().__init__(parent)
        self._board = board
        self._invoker = invoker
        self._links = [
            (board.sig_loaded, _forwarder(invoker, self.sig_loaded)),
            (board.sig_changed, _forwarder(invoker, self.sig_changed)),
            (board.sig_state, _forwarder(invoker, self.sig_state)),
            (board.sig_breach, _forwarder(invoker, self.sig_breach)),
        ]
        for core_signal, callback in self._links:
            core_signal.connect(callback)

    @property
    def board(self):
        """The IndicatorBoard this bridge listens to (read it on the GUI thread)."""
        return self._board

    @property
    def invoker(self) -> MainThreadInvoker:
        """Runs results of background work on the GUI thread (see `views.worker`)."""
        return self._invoker

    def detach(self) -> None:
        """Stop listening to the board."""
        for core_signal, callback in self._links:
            core_signal.disconnect(callback)
        self._links = []


def _forwarder(invoker: MainThreadInvoker, qt_signal) -> Callable[..., None]:
    def forward(*args) -> None:
        if invoker.on_main_thread():
            qt_signal.emit(*args)
        else:
            # The core promised the GUI thread; keep the order anyway if it did not.
            invoker.call_on_main(lambda: qt_signal.emit(*args))

    return forward
