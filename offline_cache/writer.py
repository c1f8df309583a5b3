"""The one thread that owns the cache's write connection."""

from __future__ import annotations

import contextlib
import itertools
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from sqlite_utils import Database

log = logging.getLogger(__name__)

CLOSED_MESSAGE = "the offline cache is closed"

# Queue priorities: outbox commands go ahead of queued live batches (they touch other tables,
# and a user waits for them); closing comes after everything queued before it.
URGENT, NORMAL, LAST = 0, 1, 2


class Writer:
    """Runs write jobs one after another on its own thread, each against the one write
    connection (a `sqlite_utils.Database` in WAL mode, `synchronous=NORMAL`).

    `submit(job)` returns a `Future` with the job's result or its exception: a failing job
    is logged, its transaction rolled back, and the thread goes on with the next one.
    """

    def __init__(self, path: Path, *, timeout: float,
                 setup: Callable[[Database], None]) -> None:
        self._queue: queue.PriorityQueue = queue.PriorityQueue()
        self._order = itertools.count()
        self._lock = threading.Lock()
        self._closed = False
        ready: Future[None] = Future()
        self._thread = threading.Thread(target=self._run, args=(path, timeout, setup, ready),
                                        name="offline-cache-writer", daemon=True)
        self._thread.start()
        ready.result()

    def submit(self, name: str, job: Callable[[Database], Any], *,
               urgent: bool = False) -> Future:
        """Queue `job(db)`; `name` says what it is in the log if it fails."""
        future: Future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError(CLOSED_MESSAGE)
            self._queue.put((URGENT if urgent else NORMAL, next(self._order), name, job,
                             future))
        return future

    def close(self) -> None:
        """Finish every job submitted so far, then close the connection (idempotent)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._queue.put((LAST, next(self._order), "close", None, None))
        if threading.current_thread() is not self._thread:
            self._thread.join()

    def _run(self, path: Path, timeout: float, setup: Callable[[Database], None],
             ready: Future) -> None:
        try:
            db = Database(sqlite3.connect(path, timeout=timeout))
        except BaseException as exc:
            ready.set_exception(exc)
            return
        try:
            db.enable_wal()
            db.execute("PRAGMA synchronous=NORMAL")
            setup(db)
        except BaseException as exc:
            db.close()
            with self._lock:
                self._closed = True
            ready.set_exception(exc)
            return
        ready.set_result(None)
        try:
            while True:
                _, _, name, job, future = self._queue.get()
                if job is None:
                    break
                if future.set_running_or_notify_cancel():
                    self._do(db, name, job, future)
        finally:
            db.close()

    @staticmethod
    def _do(db: Database, name: str, job: Callable[[Database], Any], future: Future) -> None:
        try:
            result = job(db)
        except Exception as exc:
            log.error("offline cache: %s failed: %s: %s", name, type(exc).__name__, exc)
            try:
                db.rollback()
            except sqlite3.Error:
                log.exception("offline cache: rollback failed")
            future.set_exception(exc)
        else:
            future.set_result(result)


@contextlib.contextmanager
def durable(db: Database) -> Iterator[None]:
    """`synchronous=FULL` for the transaction inside: its commit reaches the disk before it
    returns. The pragma cannot change inside a transaction, so this wraps `db.atomic()`."""
    db.execute("PRAGMA synchronous=FULL")
    try:
        yield
    finally:
        db.execute("PRAGMA synchronous=NORMAL")
