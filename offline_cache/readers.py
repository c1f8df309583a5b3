"""Read connections: one per reading thread, each its own read-only connection."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from offline_cache.files import connect_read_only
from offline_cache.writer import CLOSED_MESSAGE


class ReadConnections:
    """Hands each thread its own read-only connection to the cache file (in WAL mode a
    reader sees the last commit and never waits for the writer), and closes them all."""

    def __init__(self, path: Path, *, timeout: float) -> None:
        self._path = path
        self._timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[sqlite3.Connection] = []
        self._closed = False

    def get(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            with self._lock:
                if self._closed:
                    raise RuntimeError(CLOSED_MESSAGE)
                conn = connect_read_only(self._path, timeout=self._timeout)
                self._open.append(conn)
            self._local.conn = conn
        return conn

    def close(self) -> None:
        with self._lock:
            self._closed = True
            connections, self._open = self._open, []
        for conn in connections:
            conn.close()
