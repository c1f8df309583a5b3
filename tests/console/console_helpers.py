"""Helpers for the core's tests: an in-memory keyring, event factories, a main-thread queue."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from datetime import datetime

import keyring.backend
import keyring.errors
import orjson

from console.api import ApiClient
from console.auth import AuthSession, CredentialVault
from console.schema import CST, Event, LiveMessage
from console.session import HallSession
from console.store import EventStore

AT = datetime(2025, 7, 1, 9, 30, tzinfo=CST).isoformat()


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Stands in for the OS keyring service: secrets in a dict, a high priority."""

    priority = 10

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        if (service, username) not in self.entries:
            raise keyring.errors.PasswordDeleteError(username)
        del self.entries[(service, username)]


def event_dict(event_id: str, seq: int, *, version: int = 1, status: str = "new",
               title: str = "梁溪区 道路积水") -> dict:
    return {
        "id": event_id, "seq": seq, "version": version, "title": title,
        "category": "road_waterlogging", "level": 2, "source": "hotline_12345",
        "status": status, "location": {"lon": 120.3, "lat": 31.57, "address": "梁溪区中山路"},
        "reported_at": AT, "updated_at": AT,
    }


def upsert_frame(seq: int, event_id: str | None = None, **kw) -> dict:
    return {"seq": seq, "type": "event.upsert", "at": AT,
            "data": event_dict(event_id or f"E{seq:06d}", seq, **kw)}


def frame_bytes(frame: dict) -> str:
    return orjson.dumps(frame).decode()


def message(seq: int, event_id: str | None = None, **kw) -> LiveMessage:
    """A validated live message, its event and frame attached as the live feed would."""
    frame = upsert_frame(seq, event_id, **kw)
    msg = LiveMessage.model_validate(frame)
    msg.attach_event(Event.model_validate(msg.data), orjson.dumps(frame))
    return msg


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll `predicate` every 10 ms until it holds (True) or `timeout` seconds pass (its last
    value)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


class MainQueue:
    """`call_on_main` for tests: callables queue up until the test drains them."""

    def __init__(self) -> None:
        self.calls: queue.Queue[Callable[[], None]] = queue.Queue()

    def __call__(self, fn: Callable[[], None]) -> None:
        self.calls.put(fn)

    def drain(self) -> int:
        n = 0
        while True:
            try:
                fn = self.calls.get_nowait()
            except queue.Empty:
                return n
            fn()
            n += 1

    def run_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Drain until `predicate()` holds (True) or `timeout` passes (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                fn = self.calls.get(timeout=0.02)
            except queue.Empty:
                fn = None
            if fn is not None:
                fn()
            if predicate():
                return True
        self.drain()
        return predicate()


FAST_LIVE = {"heartbeat_timeout": 5.0, "backoff": (0.1, 1.0)}


class Hall:
    """A signed-in core (session, store, auth) on a MainQueue, with what its signals said;
    `start()` loads and waits until the live feed is up."""

    def __init__(self, url: str, username: str = "leader1") -> None:
        self.main = MainQueue()
        self.api = ApiClient(url)
        self.auth = AuthSession(self.api, CredentialVault(MemoryKeyring()), seat="desk-1")
        self.auth.login(username, username)
        self.store = EventStore()
        self.session = HallSession(self.api, self.auth, self.store, self.main,
                                   live_options=FAST_LIVE)
        self.states: list[tuple[str, str]] = []
        self.results: list = []
        self.errors: list[str] = []
        self.loaded = threading.Event()
        self.session.sig_connection.connect(lambda s, d: self.states.append((s, d)))
        self.session.sig_command_finished.connect(self.results.append)
        self.session.sig_error.connect(self.errors.append)
        self.session.sig_loaded.connect(self.loaded.set)

    def start(self) -> None:
        self.session.start()
        assert self.main.run_until(lambda: self.loaded.is_set() and self.live, timeout=20), \
            self.states

    @property
    def live(self) -> bool:
        return bool(self.states) and self.states[-1][0] == "live"

    def close(self) -> None:
        self.session.stop()
        self.api.close()
