"""The backend's SQLite store: events, the seq-numbered message log, idempotency records,
audit entries, users and tokens.

One connection guarded by one lock; callers run it off the event loop (thread pool). A write
transaction numbers its live messages with the global seq and, after the commit and still under
the lock, hands them to `on_publish`, so subscribers see them in seq order and only once durable.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import orjson

from console.schema import now_cst

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL,
    source TEXT NOT NULL, category TEXT NOT NULL, level INTEGER NOT NULL, street_id TEXT,
    reported_at TEXT NOT NULL, updated_at TEXT NOT NULL, json TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS events_seq ON events(seq);
CREATE INDEX IF NOT EXISTS events_status_seq ON events(status, seq);
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY, type TEXT NOT NULL, frame TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
    user_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, state TEXT NOT NULL,
    status_code INTEGER, response TEXT, created_at REAL NOT NULL,
    PRIMARY KEY (user_id, key));
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, ts REAL NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
    seat TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL,
    idempotency_key TEXT, event_id TEXT);
CREATE INDEX IF NOT EXISTS audit_event ON audit(event_id);
CREATE INDEX IF NOT EXISTS audit_actor ON audit(actor);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, roles TEXT NOT NULL, scope TEXT NOT NULL,
    salt BLOB NOT NULL, password_hash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id TEXT NOT NULL, seat TEXT NOT NULL,
    expires_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS tokens_expiry ON tokens(expires_at);
"""

#: (seq, frame) — a durable live message ready to send.
Message = tuple[int, str]


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


class Txn:
    """One write transaction; numbers messages with the global seq."""

    def __init__(self, db: Database):
        self.db = db
        self.conn = db.conn
        self.messages: list[Message] = []

    @property
    def last_seq(self) -> int:
        return self.db._pending_seq

    def append_message(self, type_: str, data: dict, at: datetime | None = None) -> int:
        seq = self.db._pending_seq + 1
        self.db._pending_seq = seq
        stamp = (at or now_cst()).isoformat()
        frame = dumps({"seq": seq, "type": type_, "at": stamp, "data": data})
        self.conn.execute("INSERT INTO messages(seq, type, frame) VALUES (?, ?, ?)",
                          (seq, type_, frame))
        self.messages.append((seq, frame))
        return seq

    def next_event_number(self) -> int:
        n = int(self.get_meta("event_counter", "0")) + 1
        self.set_meta("event_counter", str(n))
        return n

    def put_event(self, event: dict) -> dict:
        """Store an event (new or changed) under a fresh seq and publish it as event.upsert."""
        seq = self.db._pending_seq + 1
        event["seq"] = seq
        self.append_message("event.upsert", event)
        loc = event.get("location") or {}
        self.conn.execute(
            "INSERT INTO events(id, seq, version, status, source, category, level, street_id,"
            " reported_at, updated_at, json) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(id) DO UPDATE SET seq=excluded.seq, version=excluded.version,"
            " status=excluded.status, source=excluded.source, category=excluded.category,"
            " level=excluded.level, street_id=excluded.street_id, updated_at=excluded.updated_at,"
            " json=excluded.json",
            (event["id"], seq, event["version"], event["status"], event["source"],
             event["category"], event["level"], loc.get("street_id"), event["reported_at"],
             event["updated_at"], dumps(event)))
        return event

    def get_event(self, event_id: str) -> dict | None:
        row = self.conn.execute("SELECT json FROM events WHERE id = ?", (event_id,)).fetchone()
        return orjson.loads(row[0]) if row else None

    def get_meta(self, key: str, default: str) -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key)"
                          " DO UPDATE SET value = excluded.value", (key, value))

    # ---- idempotency

    def get_idempotency(self, user_id: str, key: str) -> sqlite3.Row | None:
        return self.conn.execute(
            "SELECT request_hash, state, status_code, response, created_at FROM idempotency"
            " WHERE user_id = ? AND key = ?", (user_id, key)).fetchone()

    def claim_idempotency(self, user_id: str, key: str, request_hash: str) -> None:
        self.conn.execute(
            "INSERT INTO idempotency(user_id, key, request_hash, state, created_at)"
            " VALUES (?, ?, ?, 'running', ?) ON CONFLICT(user_id, key) DO UPDATE SET"
            " request_hash = excluded.request_hash, state = 'running',"
            " status_code = NULL, response = NULL, created_at = excluded.created_at",
            (user_id, key, request_hash, time.time()))

    def finish_idempotency(self, user_id: str, key: str, status: int, body: Any) -> None:
        self.conn.execute(
            "UPDATE idempotency SET state = 'done', status_code = ?, response = ?"
            " WHERE user_id = ? AND key = ?", (status, dumps(body), user_id, key))

    def drop_idempotency(self, user_id: str, key: str) -> None:
        self.conn.execute("DELETE FROM idempotency WHERE user_id = ? AND key = ?", (user_id, key))

    # ---- audit

    def audit(self, *, actor: str, seat: str, action: str, target: str, result: str,
              idempotency_key: str | None, event_id: str | None) -> None:
        at = now_cst()
        self.conn.execute(
            "INSERT INTO audit(ts, at, actor, seat, action, target, result, idempotency_key,"
            " event_id) VALUES (?,?,?,?,?,?,?,?,?)",
            (at.timestamp(), at.isoformat(), actor, seat, action[:64], target[:128], result,
             idempotency_key, event_id))


class Database:
    """The single SQLite connection of the backend (WAL, one lock)."""

    def __init__(self, path: str, *, retain: int = 200_000):
        self.path = path
        self.retain = max(1, retain)
        self._lock = threading.RLock()
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA busy_timeout=5000")
        self.conn.executescript(SCHEMA)
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'last_seq'").fetchone()
        self._last_seq = int(row[0]) if row else 0
        self._pending_seq = self._last_seq
        oldest = self.conn.execute("SELECT MIN(seq) FROM messages").fetchone()[0]
        self._oldest = oldest if oldest is not None else self._last_seq + 1
        self.on_publish: Callable[[list[Message]], None] | None = None

    @property
    def last_seq(self) -> int:
        return self._last_seq

    def close(self) -> None:
        with self._lock:
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                self.conn.close()

    @contextmanager
    def write(self) -> Iterator[Txn]:
        """A write transaction; its messages are published after the commit, in seq order."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            txn = Txn(self)
            try:
                yield txn
                if txn.messages:
                    txn.set_meta("last_seq", str(self._pending_seq))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                self._pending_seq = self._last_seq
                raise
            if not txn.messages:
                return
            self._last_seq = self._pending_seq
            if self._oldest > self._last_seq:
                self._oldest = txn.messages[0][0]
            self._prune()
            if self.on_publish is not None:
                self.on_publish(txn.messages)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self.conn

    def _prune(self) -> None:
        slack = max(1, self.retain // 20)
        if self._last_seq - self._oldest + 1 <= self.retain + slack:
            return
        cut = self._last_seq - self.retain
        self.conn.execute("DELETE FROM messages WHERE seq <= ?", (cut,))
        self._oldest = cut + 1

    # ---- reads

    def retention(self) -> tuple[int, int]:
        """(oldest retained seq, last seq); oldest is last + 1 when nothing is retained."""
        with self._lock:
            return self._oldest, self._last_seq

    def messages_after(self, seq: int, limit: int) -> list[Message]:
        with self._lock:
            rows = self.conn.execute(
                "SELECT seq, frame FROM messages WHERE seq > ? ORDER BY seq LIMIT ?",
                (seq, limit)).fetchall()
        return [(r[0], r[1]) for r in rows]

    def get_event(self, event_id: str) -> dict | None:
        with self._lock:
            row = self.conn.execute("SELECT json FROM events WHERE id = ?",
                                    (event_id,)).fetchone()
        return orjson.loads(row[0]) if row else None

    def list_events(self, *, after_seq: int, statuses: list[str] | None,
                    limit: int) -> tuple[list[str], int]:
        """Event JSON texts with seq > after_seq in seq order (limit + 1 rows), and last_seq."""
        sql = "SELECT json FROM events WHERE seq > ?"
        args: list[Any] = [after_seq]
        if statuses:
            sql += f" AND status IN ({','.join('?' * len(statuses))})"
            args.extend(statuses)
        sql += " ORDER BY seq LIMIT ?"
        args.append(limit + 1)
        with self._lock:
            rows = self.conn.execute(sql, args).fetchall()
            return [r[0] for r in rows], self._last_seq

    def event_versions(self, statuses: list[str]) -> list[tuple[str, int]]:
        """(id, version) of every event in one of `statuses` (served by events_status_seq)."""
        sql = f"SELECT id, version FROM events WHERE status IN ({','.join('?' * len(statuses))})"
        with self._lock:
            return [(r[0], r[1]) for r in self.conn.execute(sql, statuses).fetchall()]

    def audit_entries(self, *, event_id: str | None, actor: str | None, since: float | None,
                      limit: int) -> list[dict]:
        sql = ("SELECT at, actor, seat, action, target, result, idempotency_key, event_id"
               " FROM audit WHERE 1=1")
        args: list[Any] = []
        if event_id:
            sql += " AND event_id = ?"
            args.append(event_id)
        if actor:
            sql += " AND actor = ?"
            args.append(actor)
        if since is not None:
            sql += " AND ts >= ?"
            args.append(since)
        sql += " ORDER BY id DESC LIMIT ?"
        args.append(limit)
        with self._lock:
            rows = self.conn.execute(sql, args).fetchall()
        return [dict(r) for r in reversed(rows)]
