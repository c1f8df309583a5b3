"""HallSession against the real backend: load, live updates, commands, conflicts, stop."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import requests
from console_helpers import Hall, MainQueue, MemoryKeyring

from console.api import ApiClient
from console.auth import AuthSession, CredentialVault
from console.live import LiveFeed
from console.live_process import LiveFeedProcess
from console.session import HallSession
from console.store import EventStore


@pytest.fixture
def hall(backend):
    h = Hall(backend.url)
    yield h
    h.close()


def _act_as(backend, username: str, event_id: str, action: str, version: int) -> dict:
    answer = requests.post(f"{backend.url}/api/v1/events/{event_id}/actions",
                           headers={**backend.headers(username),
                                    "Idempotency-Key": str(uuid.uuid4())},
                           json={"action": action, "expected_version": version}, timeout=10)
    answer.raise_for_status()
    return answer.json()


def test_load_then_live_events_arrive_in_batches(backend, hall):
    backend.sim_events(30)
    inserted: list[tuple[int, int]] = []
    hall.store.sig_inserted.connect(lambda first, count: inserted.append((first, count)))
    started = time.monotonic()
    hall.session.start()
    # start() does not block: nothing is loaded yet when it returns.
    assert time.monotonic() - started < 0.5
    assert hall.main.run_until(lambda: hall.loaded.is_set() and hall.live, timeout=20)
    loaded = len(hall.store)
    assert loaded >= 30
    assert hall.store.catalog is not None
    assert hall.states[0][0] == "connecting"

    created = backend.sim_events(50)
    assert hall.main.run_until(lambda: all(hall.store.get(i) for i in created["ids"]))
    assert len(hall.store) == loaded + 50
    assert hall.store.last_seq >= created["last_seq"]
    assert len(inserted) < 50  # batches, not one signal per event
    assert hall.errors == []


def test_acknowledge_updates_the_store_before_the_echo(backend, hall):
    hall.start()
    event_id = backend.sim_events(1)["ids"][0]
    assert hall.main.run_until(lambda: hall.store.get(event_id) is not None)
    version = hall.store.get(event_id).version
    seen_at_finish = []
    hall.session.sig_command_finished.connect(
        lambda result: seen_at_finish.append(hall.store.get(event_id).status))
    command = hall.session.acknowledge(event_id)
    assert command.request.expected_version == version and command.idempotency_key
    assert hall.main.run_until(lambda: hall.results)
    result = hall.results[0]
    assert result.ok and result.command is command
    assert result.event.status == "acknowledged"
    assert seen_at_finish == ["acknowledged"]
    assert hall.store.get(event_id).status == "acknowledged"

    hall.session.add_note(event_id, "已联系 13812345678 现场核实")
    assert hall.main.run_until(lambda: len(hall.results) == 2)
    noted = hall.results[1]
    assert noted.ok and noted.event.version == version + 2
    audit: list = []
    hall.session.fetch_audit(event_id, audit.append)
    assert hall.main.run_until(lambda: audit)
    assert {e.action for e in audit[0]} >= {"acknowledge", "note"}


def test_a_stale_version_is_a_conflict_naming_who_changed_it(backend, hall):
    hall.start()
    event_id = backend.sim_events(1)["ids"][0]
    assert hall.main.run_until(lambda: hall.store.get(event_id) is not None)
    version = hall.store.get(event_id).version
    # Another seat acknowledges; our store has not seen it yet (the main queue is not drained).
    _act_as(backend, "duty1", event_id, "acknowledge", version)
    hall.session.acknowledge(event_id)
    assert hall.main.run_until(lambda: hall.results)
    result = hall.results[0]
    assert not result.ok and result.is_conflict
    assert result.error.status == 409
    assert result.event is not None and result.event.status == "acknowledged"
    assert result.conflict_text() == "already handled by duty1: status acknowledged"
    assert hall.store.get(event_id).version == version + 1


def test_a_refused_command_is_reported(backend):
    duty = Hall(backend.url, "duty1")
    try:
        duty.start()
        event_id = backend.sim_events(1)["ids"][0]
        assert duty.main.run_until(lambda: duty.store.get(event_id) is not None)
        duty.session.act(event_id, "escalate", level=1)
        assert duty.main.run_until(lambda: duty.results)
        result = duty.results[0]
        assert not result.ok and result.error.code == "forbidden" and result.event is None
        assert result.conflict_text() == ""
        with pytest.raises(KeyError):
            duty.session.acknowledge("NO-SUCH-EVENT")
    finally:
        duty.close()


def test_stop_leaves_no_thread_running(backend):
    h = Hall(backend.url)
    h.start()
    h.session.stop()
    names = [t.name for t in threading.enumerate() if t.is_alive()]
    assert not any(n == "live-feed" or n.startswith("hall-rest") for n in names), names
    assert h.states[-1] == ("stopped", "")
    backend.sim_events(5)
    time.sleep(0.3)
    before = len(h.store)
    h.main.drain()
    assert len(h.store) == before  # nothing is applied after stop()
    with pytest.raises(RuntimeError):
        h.session.start()
    h.api.close()


def test_an_unreachable_backend_is_offline_and_retried_until_stop():
    main = MainQueue()
    api = ApiClient("http://127.0.0.1:9", connect_timeout=0.3, read_timeout=0.3)
    auth = AuthSession(api, CredentialVault(MemoryKeyring()), seat="desk-1")
    session = HallSession(api, auth, EventStore(), main)
    states: list[tuple[str, str]] = []
    errors: list[str] = []
    session.sig_connection.connect(lambda s, d: states.append((s, d)))
    session.sig_error.connect(errors.append)
    session.start()
    try:
        assert main.run_until(lambda: sum(s == "offline" for s, _ in states) >= 2, timeout=15)
        assert all(d for s, d in states if s == "offline")
        assert len(errors) == 1
    finally:
        started = time.monotonic()
        session.stop()
        assert time.monotonic() - started < 3
        api.close()
    assert states[-1] == ("stopped", "")


@pytest.mark.parametrize("feed_class", [LiveFeed, LiveFeedProcess])
def test_the_feed_resyncs_with_the_real_backend(backend_factory, feed_class):
    """A feed asking for a seq the backend no longer keeps gets resync_required."""
    small = backend_factory(retain=5)
    small.sim_events(40)
    api = ApiClient(small.url)
    token = small.login("duty1")
    api.set_token_provider(lambda: token)
    batches: list = []
    states: list[str] = []
    feed: LiveFeed | LiveFeedProcess | None = None

    def on_resync():
        _events, last_seq = api.all_events()
        feed.resume_from(last_seq)

    feed = feed_class(api.live_endpoint, lambda: token, since_seq=1, on_batch=batches.append,
                      on_state=lambda s, d: states.append(s), on_resync=on_resync,
                      backoff=(0.1, 0.5))
    def delivered() -> list[int]:
        return [m.seq for b in list(batches) for m in b]

    def wait_for(predicate, timeout=10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not predicate():
            time.sleep(0.05)
        return predicate()

    try:
        feed.start()
        assert wait_for(lambda: "resyncing" in states and "live" in states[states.index("resyncing"):])
        assert feed.last_seq == 40
        created = small.sim_events(3)
        last = created["last_seq"]
        assert wait_for(lambda: delivered()[-1:] == [last])
        assert delivered() == [last - 2, last - 1, last]
    finally:
        feed.stop()
        api.close()


@pytest.mark.parametrize("feed_class", [LiveFeed, LiveFeedProcess])
def test_a_refused_live_token_is_renewed(backend, feed_class):
    api = ApiClient(backend.url)
    auth = AuthSession(api, CredentialVault(MemoryKeyring()), seat="desk-1")
    auth.login("duty1", "duty1")
    good = auth.access_token
    auth._access = "stale-token"
    refused: list = []

    def on_unauthorized(token):
        refused.append(token)
        return api.reauthenticate(token)

    states: list[str] = []
    feed = feed_class(api.live_endpoint, lambda: auth.access_token, since_seq=0,
                    on_batch=lambda b: None, on_state=lambda s, d: states.append(s),
                    on_resync=lambda: None, backoff=(0.1, 0.5), on_unauthorized=on_unauthorized)
    try:
        feed.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "live" not in states:
            time.sleep(0.05)
        assert "live" in states
        assert refused == ["stale-token"]
        assert auth.access_token not in (good, "stale-token")
    finally:
        feed.stop()
        api.close()


def test_the_session_reloads_and_merges_after_a_resync(backend_factory):
    small = backend_factory(retain=5)
    small.sim_events(20)
    h = Hall(small.url)
    try:
        h.start()
        assert len(h.store) == 20
        resets: list = []
        h.store.sig_reset.connect(lambda: resets.append(1))
        # As if the feed had fallen far behind: its next message looks like a gap, the
        # resume asks for a seq the backend no longer keeps, and the backend says resync.
        h.session.live_feed.resume_from(1)
        first = small.sim_events(2)
        assert h.main.run_until(lambda: any(s == "resyncing" for s, _ in h.states))
        assert h.main.run_until(lambda: all(h.store.get(i) for i in first["ids"]) and h.live)
        second = small.sim_events(2)
        assert h.main.run_until(lambda: all(h.store.get(i) for i in second["ids"]))
        assert len(h.store) == 24
        assert resets == []  # merged, not reset under the user's feet
        assert h.store.last_seq == second["last_seq"]
    finally:
        h.close()
