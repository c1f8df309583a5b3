"""The live feed in its own process, so that a flood never competes with the GUI thread.

Receiving and parsing websocket frames, and validating and rejecting them, is Python work
that holds the interpreter lock. Run on a thread of the console's process it starves the
GUI thread: every call from Qt into Python during a paint waits for the lock, and a table
repaint that takes 30 ms alone took 120-200 ms while 10,000 malformed frames arrived (R4).
`LiveFeedProcess` runs the same `LiveFeed` in a child process (`console.live_child`). The
child sends only the frames it accepted, in seq order and in batches; this process validates
each once more into a `LiveMessage` (it cannot fail: the child accepted it) and hands the
batch to `on_batch`. Rejections, reconnects, heartbeats and backoff all happen over there.

If the child dies, a new one resumes from the last seq delivered here, so nothing is lost
or applied twice.
"""

from __future__ import annotations

import logging
import multiprocessing
import random
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from console import live_child
from console.live import LiveUrl, decode_frame
from console.schema import DURABLE_LIVE_TYPES, LiveMessage

log = logging.getLogger("console.live")

#: Wait before starting a new child after one died (doubling, up to the second figure).
RESTART_DELAY = (0.5, 10.0)


def _context() -> multiprocessing.context.BaseContext:
    """Forked from a small server that preloaded the child's modules (fast, and free of the
    console's threads and Qt state) where the platform has one; spawned elsewhere."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["console.live_child"])
        return context
    return multiprocessing.get_context("spawn")


class LiveFeedProcess:
    """`LiveFeed`'s interface and callbacks, with the feed running in a child process.

    `url_for` must be picklable (`LiveUrl`). The callbacks run on this object's reader
    thread: `on_batch(messages)`, `on_state(state, detail)`, `on_resync()`,
    `token_provider()` and `on_unauthorized(refused_token)` (the child asks for both over
    the pipe and waits for the answer). `options` go to `LiveFeed` (batch_window,
    heartbeat_timeout, backoff, max_batch).
    """

    def __init__(
        self,
        url_for: LiveUrl,
        token_provider: Callable[[], str | None],
        *,
        since_seq: int,
        on_batch: Callable[[list[LiveMessage]], None],
        on_state: Callable[[str, str], None],
        on_resync: Callable[[], None],
        on_unauthorized: Callable[[str | None], object] | None = None,
        **options: Any,
    ) -> None:
        self._url_for = url_for
        self._token_provider = token_provider
        self._on_batch = on_batch
        self._on_state = on_state
        self._on_resync = on_resync
        self._on_unauthorized = on_unauthorized
        self._options = options
        self._last_seq = since_seq
        self._stop = threading.Event()
        self._send_lock = threading.Lock()
        self._conn: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self._thread: threading.Thread | None = None
        self._stats: dict[str, int] = {}
        #: Counters of the feed's earlier processes (a restarted child counts from zero).
        self._earlier: dict[str, int] = {}
        #: Children started, the first included.
        self.processes = 0

    # ---- Public API (as LiveFeed's)

    @property
    def last_seq(self) -> int:
        """The last durable seq delivered to `on_batch`."""
        return self._last_seq

    @property
    def rejected(self) -> int:
        return self._count("rejected")

    @property
    def duplicates(self) -> int:
        return self._count("duplicates")

    @property
    def gaps(self) -> int:
        return self._count("gaps")

    @property
    def connections(self) -> int:
        return self._count("connections")

    @property
    def pid(self) -> int | None:
        """The child's process id (None before it started)."""
        process = self._process
        return process.pid if process is not None else None

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the live feed was already started")
        self._thread = threading.Thread(target=self._run, name="live-feed-reader", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5) -> None:
        """End the child and join the reader; no batch is delivered after this returns."""
        self._stop.set()
        self._send(("stop",))
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                log.warning("the live feed process did not end within %.1f s", timeout)

    def resume_from(self, seq: int) -> None:
        """Go on from `seq` (after a REST reload that followed `resync_required`)."""
        self._last_seq = seq
        self._send(("resume", seq))

    # ---- The reader thread

    def _run(self) -> None:
        attempt = 0
        try:
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    conn = self._spawn()
                except Exception:  # out of processes or memory: try again, like a crash
                    log.exception("cannot start the live feed process")
                else:
                    if self._read(conn):
                        break
                if self._stop.is_set():
                    break
                process = self._process
                if process is not None:
                    process.join(1)
                code = process.exitcode if process is not None else None
                if time.monotonic() - started > 60:
                    attempt = 0
                delay = min(RESTART_DELAY[1], RESTART_DELAY[0] * 2 ** attempt)
                delay *= random.uniform(0.5, 1.0)
                attempt += 1
                log.error("the live feed process ended unexpectedly (exit code %s); "
                          "a new one resumes after seq %d in %.1f s", code, self._last_seq, delay)
                self._state("reconnecting", "the live feed process is being restarted")
                self._stop.wait(delay)
        except Exception:
            log.exception("the live feed reader failed")
        finally:
            self._reap()
            self._state("stopped", "")

    def _spawn(self) -> Connection:
        self._reap()
        context = _context()
        mine, theirs = context.Pipe(duplex=True)
        level = logging.getLogger("console.live").getEffectiveLevel()
        process = context.Process(
            target=live_child.run, name="hall-live-feed", daemon=True,
            args=(theirs, self._url_for, self._last_seq, self._options, level))
        process.start()
        theirs.close()
        with self._send_lock:
            self._earlier = {k: self._earlier.get(k, 0) + v for k, v in self._stats.items()}
            self._stats = {}
            self._conn, self._process = mine, process
            self.processes += 1
            if self._stop.is_set():  # stop() came while starting: it sent to no one
                self._send_locked(("stop",))
        return mine

    def _read(self, conn: Connection) -> bool:
        """Handle the child's messages until it ends; True if it ended because we asked."""
        asked_at: float | None = None
        while True:
            if self._stop.is_set() and asked_at is None:
                asked_at = time.monotonic()
            if asked_at is not None and time.monotonic() - asked_at > 3:
                log.warning("the live feed process did not stop; ending it")
                return True
            try:
                if not conn.poll(0.2):
                    continue
                message = conn.recv()
            except (EOFError, OSError):
                return self._stop.is_set()
            kind = message[0]
            if kind == "batch":
                self._stats = message[2]
                self._batch(message[1])
            elif kind == "state":
                self._stats = message[3]
                if not self._stop.is_set():
                    self._state(message[1], message[2])
            elif kind == "resync":
                self._call("on_resync", self._on_resync)
            elif kind == "ask":
                self._answer(message[1], message[2], message[3])
            elif kind == "log":
                record = logging.makeLogRecord(message[1])
                logging.getLogger(record.name).handle(record)
            elif kind == "stats":
                self._stats = message[1]
            elif kind == "stopped":
                self._stats = message[1]
                return True

    def _batch(self, frames: list[bytes]) -> None:
        messages: list[LiveMessage] = []
        for frame in frames:
            try:
                messages.append(decode_frame(frame))
            except Exception as exc:  # the child accepted it: a bug, not bad input
                log.error("live feed: a frame the feed process accepted failed here (%s)", exc)
        if not messages or self._stop.is_set():
            return
        durable = [m.seq for m in messages if m.type in DURABLE_LIVE_TYPES]
        if durable:
            self._last_seq = max(self._last_seq, durable[-1])
        self._call("on_batch", self._on_batch, messages)

    def _answer(self, number: int, kind: str, arg: object) -> None:
        value = None
        if kind == "unauthorized" and self._on_unauthorized is not None:
            value = self._call("on_unauthorized", self._on_unauthorized, arg)
        elif kind == "token":
            value = self._call("token_provider", self._token_provider)
        self._send(("answer", number, value))

    # ---- Helpers

    def _count(self, name: str) -> int:
        return self._earlier.get(name, 0) + self._stats.get(name, 0)

    def _send(self, message: tuple) -> None:
        with self._send_lock:
            self._send_locked(message)

    def _send_locked(self, message: tuple) -> None:
        conn = self._conn
        if conn is None:
            return
        try:
            conn.send(message)
        except (OSError, ValueError):
            pass  # the child is gone; the reader notices and acts

    def _reap(self) -> None:
        with self._send_lock:
            conn, process = self._conn, self._process
            self._conn = None
        if conn is not None:
            conn.close()
        if process is not None and process.exitcode is None:
            process.join(2)
            if process.exitcode is None:
                process.kill()
                process.join(2)

    def _state(self, state: str, detail: str) -> None:
        self._call("on_state", self._on_state, state, detail)

    def _call(self, what: str, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except Exception:
            log.exception("%s failed", what)
            return None
