"""A session with the offline cache: mirrored, resumed from the cache, opened offline."""

from __future__ import annotations

import threading

import pytest
from console_helpers import FAST_LIVE, MainQueue, MemoryKeyring

from console.api import ApiClient
from console.auth import AuthSession, CredentialVault
from console.offline_login import OfflineLogin
from console.session import HallSession
from console.store import EventStore
from offline_cache import OfflineCache


class CachedHall:
    """A session over a real cache file in `data_dir`, signed in as `username`."""

    def __init__(self, url: str, data_dir, vault: CredentialVault, username: str = "duty1"):
        self.main = MainQueue()
        self.api = ApiClient(url, connect_timeout=1.0, read_timeout=5.0)
        self.auth = AuthSession(self.api, vault, "desk-1", OfflineLogin(vault, url))
        self.auth.login(username, username)
        self.cache, self.report = OfflineCache.open(data_dir)
        self.store = EventStore()
        self.session = HallSession(self.api, self.auth, self.store, self.main,
                                   live_options=FAST_LIVE, cache=self.cache)
        self.loaded = threading.Event()
        self.states: list[str] = []
        self.links: list[str] = []
        self.session.sig_loaded.connect(self.loaded.set)
        self.session.sig_connection.connect(lambda s, d: self.states.append(s))
        self.session.sig_connectivity.connect(lambda s, at: self.links.append(s))
        self.full_loads = 0
        real = self.api.all_events

        def counted(since_seq=None):
            if since_seq is None:
                self.full_loads += 1
            return real(since_seq)

        self.api.all_events = counted

    def close(self) -> None:
        self.session.stop()
        self.cache.close()
        self.api.close()


def _wait_mirrored(hall: CachedHall, backend_seq: int) -> None:
    assert hall.main.run_until(lambda: hall.store.last_seq >= backend_seq, timeout=20)
    assert hall.main.run_until(lambda: hall.cache.last_seq() >= backend_seq, timeout=10)


@pytest.fixture
def small_chunks(monkeypatch):
    """Cold starts show 5 events first, then chunks of 7: the chunked path always runs."""
    import console.session as session_module

    monkeypatch.setattr(session_module, "COLD_START_FIRST", 5)
    monkeypatch.setattr(session_module, "COLD_START_CHUNK", 7)


def test_the_cache_mirrors_the_session_and_a_restart_resumes_from_it(backend, tmp_path,
                                                                     small_chunks):
    vault = CredentialVault(MemoryKeyring())
    backend.sim_events(20)
    hall = CachedHall(backend.url, tmp_path, vault)
    hall.session.start()
    assert hall.main.run_until(hall.loaded.is_set, timeout=20)
    last = backend.sim_events(5)["last_seq"]
    _wait_mirrored(hall, last)
    assert hall.full_loads == 1
    assert hall.cache.event_count() == len(hall.store)
    assert hall.cache.catalog_document() is not None
    hall.close()

    again = CachedHall(backend.url, tmp_path, vault)
    again.session.start()
    assert again.main.run_until(again.loaded.is_set, timeout=20)
    assert again.full_loads == 0  # shown from the cache, resumed from its seq
    # The newest open events come first (COLD_START_FIRST), the rest in chunks after.
    assert again.main.run_until(lambda: len(again.store) == again.cache.event_count(),
                                timeout=20)
    assert again.store.last_seq == last
    more = backend.sim_events(3)
    _wait_mirrored(again, more["last_seq"])
    assert all(again.store.get(event_id) is not None for event_id in more["ids"])
    again.close()


def test_a_cold_start_with_the_backend_down_opens_from_the_cache(backend, tmp_path,
                                                                small_chunks):
    vault = CredentialVault(MemoryKeyring())
    backend.sim_events(10)
    hall = CachedHall(backend.url, tmp_path, vault)
    hall.session.start()
    assert hall.main.run_until(hall.loaded.is_set, timeout=20)
    _wait_mirrored(hall, backend.sim_events(1)["last_seq"])
    held, written_at = len(hall.store), hall.cache.written_at()
    hall.close()

    # The same seat and server, but nothing answers there now.
    api = ApiClient(backend.url, connect_timeout=0.5, read_timeout=1.0)
    api.base_url = "http://127.0.0.1:9"
    auth = AuthSession(api, vault, "desk-1", OfflineLogin(vault, backend.url))
    user = auth.login("duty1", "duty1")  # offline sign-in: the backend cannot be reached
    assert auth.offline and user.id == "duty1"
    cache, _ = OfflineCache.open(tmp_path)
    main = MainQueue()
    store = EventStore()
    session = HallSession(api, auth, store, main, live_options=FAST_LIVE, cache=cache)
    links: list[tuple[str, float | None]] = []
    loaded = threading.Event()
    session.sig_loaded.connect(loaded.set)
    session.sig_connectivity.connect(lambda s, at: links.append((s, at)))
    session.start()
    try:
        assert main.run_until(loaded.is_set, timeout=10)
        assert main.run_until(lambda: len(store) == held, timeout=20)
        assert store.catalog is not None
        assert main.run_until(lambda: links and links[-1][0] == "offline", timeout=15)
        assert links[-1][1] == pytest.approx(written_at, abs=1)  # the data's age is shown
        event = store.event_at(0)
        session.acknowledge(event.id)  # kept for later, as the signed-in-offline user
        assert main.run_until(lambda: len(cache.outbox()) == 1, timeout=5)
        api.base_url = backend.url  # the link is back: sign in for real, then send
        assert main.run_until(lambda: not cache.outbox() and not auth.offline, timeout=30)
        assert main.run_until(lambda: store.get(event.id).status == "acknowledged", timeout=10)
    finally:
        session.stop()
        cache.close()
        api.close()


def test_r8_no_token_or_phone_number_in_the_data_directory_or_logs(backend, tmp_path):
    """R8: after a session with commands online and offline, a scan of every file the
    console wrote (cache, its WAL, logs) finds no token, no password, no full phone number."""
    import logging
    import time

    from console import logsafe
    from console.schema import EventCreateRequest, Location, Reporter

    handler = logsafe.setup_logging(tmp_path / "logs", logging.DEBUG)
    phone, other = "13912345678", "+86 138 1234 5678"
    try:
        vault = CredentialVault(MemoryKeyring())
        backend.sim_events(3)
        hall = CachedHall(backend.url, tmp_path, vault, "leader1")
        tokens = [hall.auth.access_token, hall.auth._refresh]
        hall.session.start()
        assert hall.main.run_until(hall.loaded.is_set, timeout=20)
        event = hall.store.event_at(0)
        hall.session.add_note(event.id, f"联系人 {phone}，备用 {other}")
        hall.session.create_event(EventCreateRequest(
            title=f"市民来电 {phone}", category="noise", source="manual",
            location=Location(lon=120.3, lat=31.57, address="梁溪区中山路 1 号"),
            reporter=Reporter(name="张先生", phone_masked=phone)))
        assert hall.main.run_until(lambda: not hall.session.pending_commands(), timeout=20)
        hall.api.base_url = "http://127.0.0.1:9"  # offline: the next note waits in the outbox
        hall.session.add_note(event.id, f"再次联系 {phone}")
        assert hall.main.run_until(lambda: len(hall.cache.outbox()) == 1, timeout=10)
        time.sleep(0.5)
        hall.close()
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "cache.db" for p in files) and any(p.suffix == ".log" for p in files)
    assert (tmp_path / "logs" / logsafe.LOG_FILE_NAME).stat().st_size > 0
    secrets = [t for t in tokens if t] + [phone, "13812345678", "138 1234 5678"]
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"{secret[:12]}… found in {path.name}"
    assert b"139****5678" in (tmp_path / "cache.db").read_bytes() + b"".join(
        p.read_bytes() for p in files if p.name.startswith("cache.db"))


def test_a_cold_start_shows_the_newest_open_events_first_then_the_rest(backend, tmp_path,
                                                                     monkeypatch):
    import console.session as session_module
    from console.commands import Command

    vault = CredentialVault(MemoryKeyring())
    ids = backend.sim_events(12)["ids"]
    hall = CachedHall(backend.url, tmp_path, vault, "leader1")
    hall.session.start()
    assert hall.main.run_until(hall.loaded.is_set, timeout=20)
    for event_id in ids[:3]:  # three closed ones: history, shown last
        event = hall.store.get(event_id)
        for action in ("acknowledge", "close"):
            hall.api.act(event_id, Command.make(
                event_id, action, event.version).request, f"k-{event_id}-{action}")
            event = hall.api.get_event(event_id)
    _wait_mirrored(hall, backend.sim_events(1)["last_seq"])
    hall.close()

    monkeypatch.setattr(session_module, "COLD_START_FIRST", 4)
    monkeypatch.setattr(session_module, "COLD_START_CHUNK", 3)
    again = CachedHall(backend.url, tmp_path, vault, "leader1")
    first: list[list[str]] = []
    again.session.sig_loaded.connect(lambda: first.append(
        [again.store.event_at(r).id for r in range(len(again.store))]))
    again.session.start()
    total = again.cache.event_count()
    assert again.main.run_until(lambda: len(again.store) == total, timeout=20)
    cached = again.store.events()
    newest_open = sorted((e for e in cached if e.status != "closed"),
                         key=lambda e: e.reported_at, reverse=True)[:4]
    assert first == [[e.id for e in newest_open]]
    assert {e.id for e in cached} >= set(ids) and len({e.id for e in cached}) == total
    assert all(again.store.get(i).status == "closed" for i in ids[:3])
    again.close()
