"""The core's live feed and REST client through FaultProxy, against the real backend.

R6: a half-open link is noticed and the feed reconnects, with the backend's normal heartbeat
and the feed's default watchdog. R1 (core level): thousands of events through 50 seeded
random faults reach an `EventStore` exactly once, in seq order, and the store ends equal to
the backend. R4 (REST side): answers cut mid-way are honest `NetworkError`s, retried where
that is safe, and nothing crashes.
"""

from __future__ import annotations

import inspect
import random
import threading
import time
import uuid

import pytest
import requests
from console_helpers import Hall, MainQueue, wait_until
from fault_proxy import FaultProxy

from backend.config import Settings
from console.api import MAX_TRIES, ApiClient, NetworkError
from console.live import LiveFeed
from console.mirror import batch_rows, documents_to_events
from console.schema import Event, EventCreateRequest, Location
from console.store import EventStore
from offline_cache import OfflineCache

#: The backend's normal heartbeat and the feed's default watchdog (what a console runs with).
BACKEND_HEARTBEAT = Settings.__dataclass_fields__["heartbeat"].default
DEFAULT_HEARTBEAT_TIMEOUT = inspect.signature(LiveFeed).parameters["heartbeat_timeout"].default
#: R6 in TARGETS.md: a half-open connection is detected and reconnected within this.
R6_BUDGET = 15.0

#: R1 in TARGETS.md. 20,000 events and 50 faults take about 60 s here (2 shared cores).
R1_EVENTS = 20_000
R1_FAULTS = 50
R1_SEED = 20250701
R1_KINDS = ("cut", "reset", "stall", "slow", "half_way")


class CacheView:
    """The offline cache seen as `assert_mirrors_backend` wants it."""

    def __init__(self, cache: OfflineCache) -> None:
        self._cache = cache

    def events(self) -> list[Event]:
        events, _documents, bad = documents_to_events(self._cache.event_documents())
        assert bad == 0
        return events

    @property
    def last_seq(self) -> int:
        return self._cache.last_seq()


def backend_events(backend) -> tuple[list[Event], int]:
    """Every event the backend holds and its last seq, asked directly (never via a proxy)."""
    api = ApiClient(backend.url)
    token = backend.login("duty1")
    api.set_token_provider(lambda: token)
    try:
        return api.all_events()
    finally:
        api.close()


def assert_mirrors_backend(store_like, backend) -> list[Event]:
    """Assert that `store_like` holds exactly the backend's events, each at the backend's
    seq and version, and has applied up to the backend's last seq.

    `store_like` is anything with `events()` (objects with `id`, `seq`, `version`) and
    `last_seq`: an `EventStore`, or an adapter over another copy (the offline cache). The
    backend is asked directly over REST, never through a proxy. Returns its events.
    """
    events, last_seq = backend_events(backend)
    want = {e.id: (e.seq, e.version) for e in events}
    held: dict[str, tuple[int, int]] = {}
    repeated = []
    for event in store_like.events():
        if event.id in held:
            repeated.append(event.id)
        held[event.id] = (event.seq, event.version)
    missing = sorted(want.keys() - held.keys())
    extra = sorted(held.keys() - want.keys())
    differ = sorted(i for i in want.keys() & held.keys() if want[i] != held[i])
    assert not (missing or extra or differ or repeated), (
        f"{len(missing)} missing {missing[:5]}, {len(extra)} not on the backend {extra[:5]}, "
        f"{len(differ)} at another seq/version {[(i, held[i], want[i]) for i in differ[:5]]}, "
        f"{len(repeated)} held twice {repeated[:5]}")
    assert store_like.last_seq == last_seq, (store_like.last_seq, last_seq)
    return events


def assert_each_seq_once_in_order(batches: list[list[int]], first: int, last: int) -> None:
    """The seqs delivered, batch after batch, are exactly first..last: no repeat, no gap,
    never out of order."""
    delivered = [seq for batch in batches for seq in batch]
    if delivered != list(range(first, last + 1)):
        seen: set[int] = set()
        repeats = [s for s in delivered if s in seen or seen.add(s)]
        missing = sorted(set(range(first, last + 1)) - seen)
        backwards = [(a, b) for a, b in zip(delivered, delivered[1:], strict=False) if b <= a]
        raise AssertionError(f"{len(delivered)} delivered for {first}..{last}: "
                             f"{len(repeats)} repeated {repeats[:5]}, {len(missing)} missing "
                             f"{missing[:5]}, out of order at {backwards[:5]}")


def test_the_checks_fail_on_a_lost_repeated_or_stale_event(backend):
    """The two checks above are what R1 rests on: each must see what it is there to see."""
    backend.sim_events(3)
    events, last_seq = backend_events(backend)
    whole = EventStore()
    whole.replace_all(events, last_seq)
    assert_mirrors_backend(whole, backend)
    stale = events[-1].model_copy(update={"version": events[-1].version - 1})
    for copy, held_seq in [(events[:-1], last_seq), (events[:-1] + [stale], last_seq),
                           (events, last_seq - 1)]:
        store = EventStore()
        store.replace_all(copy, held_seq)
        with pytest.raises(AssertionError):
            assert_mirrors_backend(store, backend)
    assert_each_seq_once_in_order([[1, 2], [3]], 1, 3)
    for batches in ([[1, 2], [2, 3]], [[1], [3]], [[2, 1], [3]], [[1, 2]]):
        with pytest.raises(AssertionError):
            assert_each_seq_once_in_order(batches, 1, 3)


class FeedWatch:
    """What a LiveFeed reports: timed states, the seqs of each batch, resyncs."""

    def __init__(self) -> None:
        self.states: list[tuple[float, str, str]] = []
        self.batches: list[list[int]] = []
        self.batch_times: list[float] = []
        self.resyncs = 0
        self.live = threading.Event()
        self._lock = threading.Lock()

    def on_batch(self, batch) -> None:
        with self._lock:
            self.batches.append([m.seq for m in batch])
            self.batch_times.append(time.monotonic())

    def on_state(self, state: str, detail: str) -> None:
        self.states.append((time.monotonic(), state, detail))
        if state == "live":
            self.live.set()
        else:
            self.live.clear()

    def on_resync(self) -> None:
        self.resyncs += 1

    @property
    def last_seq(self) -> int:
        with self._lock:
            return self.batches[-1][-1] if self.batches else 0

    def first(self, state: str, after: float, detail: str = "") -> float | None:
        """When `state` (with a detail starting with `detail`) was first reported after
        `after`, or None."""
        return next((t for t, s, d in list(self.states)
                     if t > after and s == state and d.startswith(detail)), None)



# ---- R6: a half-open connection


def half_open_run(backend_factory) -> dict[str, float]:
    """Stall the live link right after a frame (as under traffic) with the backend's normal
    heartbeat and the feed's default settings; new connections go through (the path works
    again, the old connection is dead). Checks that nothing is lost or repeated; returns
    the detection and reconnection times, in seconds from the stall."""
    server = backend_factory()  # its heartbeat is the default: BACKEND_HEARTBEAT
    server.sim_events(3)
    token = server.login("duty1")
    watch = FeedWatch()
    with FaultProxy(server.url) as proxy:
        api = ApiClient(proxy.url)
        feed = LiveFeed(api.live_url, lambda: token, since_seq=0, on_batch=watch.on_batch,
                        on_state=watch.on_state, on_resync=watch.on_resync)  # defaults
        try:
            feed.start()
            assert wait_until(lambda: watch.last_seq == 3, 10), watch.states
            before = server.sim_events(2)["last_seq"]
            assert wait_until(lambda: watch.last_seq == before, 10)
            proxy.stall(existing=True, new=False)
            stalled_at = time.monotonic()
            last_batch = watch.batch_times[-1]  # its last frame came <= batch_window before
            during = server.sim_events(4)["last_seq"]  # published while the link is half-open
            assert wait_until(lambda: watch.first("live", stalled_at) is not None,
                              DEFAULT_HEARTBEAT_TIMEOUT + 5), watch.states
            detected = watch.first("reconnecting", stalled_at, "no data")
            reconnected = watch.first("live", stalled_at)
            assert wait_until(lambda: watch.last_seq == during, 5), watch.batches
            proxy.unstall()
            after = server.sim_events(1)["last_seq"]
            assert wait_until(lambda: watch.last_seq == after, 10)
        finally:
            feed.stop()
            api.close()
        stats = proxy.stats()
    assert detected is not None, watch.states  # noticed as silence, not as a close
    assert_each_seq_once_in_order(watch.batches, 1, after)
    assert feed.connections == 2 and watch.resyncs == 0
    assert stats.faults["stall"] == 1 and stats.accepted == 2
    return {"detected": detected - stalled_at, "reconnected": reconnected - stalled_at,
            "silence_before_stall": stalled_at - last_batch}


class OverBudget(AssertionError):
    """A time budget of TARGETS.md was missed (raised only after every other check held)."""


@pytest.mark.timeout(60)
def test_r6_a_half_open_link_is_noticed_reconnected_and_nothing_is_lost(backend_factory):
    """R6 with what a console runs with: the events published while the link was half-open
    arrive once, the silence is noticed by the watchdog, and (the target) the feed is live
    again within 15 s of the link going half-open."""
    times = half_open_run(backend_factory)
    print(f"\nR6 (backend heartbeat {BACKEND_HEARTBEAT:g} s, feed heartbeat_timeout "
          f"{DEFAULT_HEARTBEAT_TIMEOUT:g} s, stalled {times['silence_before_stall']:.2f} s "
          f"after the last batch): detected after {times['detected']:.2f} s, "
          f"reconnected after {times['reconnected']:.2f} s (target {R6_BUDGET:g} s)")
    # The watchdog fires after heartbeat_timeout of silence: not before, and not much after;
    # the reconnection follows at once (the feed's first backoff is at most 0.5 s).
    silence = times["detected"] + times["silence_before_stall"]
    assert DEFAULT_HEARTBEAT_TIMEOUT - 0.5 <= silence <= DEFAULT_HEARTBEAT_TIMEOUT + 1.0
    assert times["reconnected"] - times["detected"] < 2.0
    if times["reconnected"] > R6_BUDGET:
        raise OverBudget(f"R6: reconnected {times['reconnected']:.2f} s after the link went "
                         f"half-open; the target is {R6_BUDGET:g} s")


# ---- R1: thousands of events through random faults


def fault_plan(seed: int, count: int) -> list[tuple[str, float, int]]:
    """`count` faults (kind, seconds it lasts, a size), as many of each kind, in a seeded
    random order: stalls of 1-3 s, slow periods of 0.5-1.5 s at 20-200 kB/s, half-way
    closes after 0-3000 bytes of an answer, cuts and resets."""
    rng = random.Random(seed)
    kinds = [R1_KINDS[i % len(R1_KINDS)] for i in range(count)]
    rng.shuffle(kinds)
    plan = []
    for kind in kinds:
        if kind == "stall":
            plan.append((kind, rng.uniform(1.0, 3.0), 0))
        elif kind == "slow":
            plan.append((kind, rng.uniform(0.5, 1.5), rng.choice([20_000, 50_000, 200_000])))
        elif kind == "half_way":
            plan.append((kind, 0.0, rng.randint(0, 3000)))
        else:
            plan.append((kind, 0.0, 0))
    return plan


@pytest.mark.timeout(180)
def test_r1_events_through_random_faults_arrive_exactly_once(backend_factory, tmp_path):
    """R1 at the core: R1_EVENTS events published in chunks, before each of R1_FAULTS faults
    and while it lasts, reach an EventStore (applied on one consumer thread) exactly once and
    in seq order, and the store ends equal to the backend; so does the offline cache the
    batches are mirrored to (as `HallSession` does), which is closed and reopened half-way
    (a restart) with the feed resumed from the cache's seq. Quick heartbeats (0.25 s) and a
    1 s watchdog make a stall cost about a second, so the run fits in about a minute."""
    server = backend_factory(heartbeat=0.25)
    token = server.login("duty1")
    plan = fault_plan(R1_SEED, R1_FAULTS)
    chunk = R1_EVENTS // (2 * R1_FAULTS)  # published before each fault, and while it lasts
    rng = random.Random(R1_SEED + 1)
    store = EventStore()
    main = MainQueue()
    watch = FeedWatch()
    applied: list[list[int]] = []  # the seqs of each batch, as the consumer applied them
    done = threading.Event()

    def apply(batch) -> None:
        applied.append([m.seq for m in batch])
        store.apply_batch(batch)

    def consume() -> None:  # the one thread that changes the store
        while not done.is_set():
            main.run_until(done.is_set, timeout=0.5)

    cache, _ = OfflineCache.open(tmp_path)

    def on_batch(batch) -> None:
        watch.on_batch(batch)
        rows, batch_seq = batch_rows(batch)
        cache.write(rows, last_seq=batch_seq)
        main(lambda: apply(batch))

    started = time.monotonic()
    published = 0
    armed_half_way = 0
    in_flight = 0  # faults that struck while the feed was still short of what was published
    earlier_connections = 0  # of the feed before the restart
    with FaultProxy(server.url) as proxy:
        api = ApiClient(proxy.url)
        feed = LiveFeed(api.live_url, lambda: token, since_seq=0, on_batch=on_batch,
                        on_state=watch.on_state, on_resync=watch.on_resync,
                        heartbeat_timeout=1.0, backoff=(0.05, 0.5))
        consumer = threading.Thread(target=consume, name="r1-consumer")
        consumer.start()
        try:
            feed.start()
            for step, (kind, seconds, size) in enumerate(plan):
                if step == len(plan) // 2:  # a restart: the cache says where to resume
                    feed.stop()
                    earlier_connections += feed.connections
                    cache.close()
                    cache, _ = OfflineCache.open(tmp_path)
                    watch.live.clear()
                    feed = LiveFeed(api.live_url, lambda: token, since_seq=cache.last_seq(),
                                    on_batch=on_batch, on_state=watch.on_state,
                                    on_resync=watch.on_resync, heartbeat_timeout=1.0,
                                    backoff=(0.05, 0.5))
                    feed.start()
                assert watch.live.wait(15), f"not live before fault {step}: {watch.states[-3:]}"
                sent = server.sim_events(chunk)
                published += len(sent["ids"])
                in_flight += feed.last_seq < sent["last_seq"]
                until = time.monotonic() + seconds
                if kind == "cut":
                    assert proxy.cut() >= 1
                elif kind == "reset":
                    assert proxy.reset() >= 1
                elif kind == "stall":
                    proxy.stall()
                elif kind == "slow":
                    proxy.slow(size)
                else:
                    armed_half_way += 1
                    proxy.close_half_way(size)
                published += len(server.sim_events(chunk)["ids"])
                time.sleep(max(0.0, until - time.monotonic()))
                if kind == "stall":
                    proxy.unstall()
                elif kind == "slow":
                    proxy.slow(None)
                elif kind == "half_way":
                    assert wait_until(lambda n=armed_half_way: proxy.stats().faults[
                                      "close_half_way"] == n, 5)
                time.sleep(rng.uniform(0.1, 0.5))
            if R1_EVENTS > published:
                published += len(server.sim_events(R1_EVENTS - published)["ids"])
            last_seq = requests.get(f"{server.url}/api/v1/health", timeout=5).json()["last_seq"]
            assert wait_until(lambda: store.last_seq == last_seq, 30), \
                (store.last_seq, last_seq, watch.states[-3:])
            assert wait_until(lambda: cache.last_seq() == last_seq, 30)
            assert_mirrors_backend(CacheView(cache), server)
        finally:
            cache.close()
            feed.stop()
            api.close()
            done.set()
            consumer.join(10)
        stats = proxy.stats()
    elapsed = time.monotonic() - started
    counts = {kind: sum(k == kind for k, _, _ in plan) for kind in R1_KINDS}
    print(f"\nR1: {published} events through {len(plan)} faults {counts} in {elapsed:.1f} s; "
          f"{earlier_connections + feed.connections} connections, {stats.accepted} accepted by the proxy, "
          f"{feed.duplicates} duplicates and {feed.gaps} gaps dropped by the feed, "
          f"{len(applied)} batches; {in_flight} faults struck while events were in flight")

    assert not consumer.is_alive()
    assert published == R1_EVENTS and watch.resyncs == 0
    # The faults struck a stream in motion, not an idle link (37 of 50 in a sample run).
    assert in_flight >= R1_FAULTS // 5
    assert_each_seq_once_in_order(applied, 1, store.last_seq)
    events = assert_mirrors_backend(store, server)
    assert len(events) == len(store) == published
    # Every fault happened, and each cut, reset and half-way close cost a connection.
    assert stats.faults["cut"] >= counts["cut"] and stats.faults["reset"] >= counts["reset"]
    assert stats.faults["stall"] >= counts["stall"] and stats.faults["slow"] == counts["slow"]
    assert stats.faults["close_half_way"] == counts["half_way"]
    assert earlier_connections + feed.connections >= (
        2 + counts["cut"] + counts["reset"] + counts["half_way"])


# ---- R4 (REST side): answers cut mid-way


@pytest.fixture
def link(backend):
    """A signed-in ApiClient through a FaultProxy to the shared backend, and the size of the
    catalog's answer on the wire: (api, proxy, head bytes, body bytes)."""
    token = backend.login("leader1")
    with FaultProxy(backend.url) as proxy:
        api = ApiClient(proxy.url)
        api.set_token_provider(lambda: token)
        try:
            before = proxy.stats().bytes_down
            api.catalog()
            whole = proxy.stats().bytes_down - before
            body = len(requests.get(f"{backend.url}/api/v1/catalog", timeout=5,
                                    headers={"Authorization": f"Bearer {token}"}).content)
            yield api, proxy, whole - body, body
        finally:
            api.close()


CUTS = [pytest.param(lambda head, body: 0, id="before any byte"),
        pytest.param(lambda head, body: 8, id="in the status line"),
        pytest.param(lambda head, body: 20, id="in the headers"),
        pytest.param(lambda head, body: head, id="after the headers"),
        pytest.param(lambda head, body: head + body // 2, id="in the JSON body"),
        pytest.param(lambda head, body: head + body - 1, id="one byte short")]


@pytest.mark.parametrize("cut", CUTS)
def test_a_get_cut_on_every_try_is_a_network_error_and_the_client_goes_on(link, cut):
    api, proxy, head, body = link
    assert head > 50 and body > 200  # the answer really has both parts
    expected = api.catalog()
    proxy.close_half_way(cut(head, body), times=MAX_TRIES)
    with pytest.raises(NetworkError) as failed:
        api.catalog()
    assert (failed.value.status, failed.value.code) == (0, "network")
    assert "GET /catalog failed" in failed.value.message
    assert proxy.stats().faults["close_half_way"] == MAX_TRIES  # every try was cut
    assert api.catalog() == expected  # the broken connections are not reused


@pytest.mark.parametrize("cut", CUTS)
def test_a_get_cut_once_is_retried_and_the_user_gets_the_answer(link, cut):
    api, proxy, head, body = link
    expected = api.catalog()
    proxy.close_half_way(cut(head, body))
    assert api.catalog() == expected
    assert proxy.stats().faults["close_half_way"] == 1


def test_an_answer_cut_in_the_headers_is_a_network_error_and_nothing_breaks(link):
    """Cut just after the status line (http.client would take it for a whole answer with
    no body): a NetworkError with a message after every try, and the next call works."""
    api, proxy, _head, _body = link
    expected = api.catalog()
    proxy.close_half_way(20, times=MAX_TRIES)
    with pytest.raises(NetworkError) as failed:
        api.catalog()
    assert failed.value.code == "network" and "cut short" in failed.value.message
    assert api.catalog() == expected


def test_a_command_whose_answer_is_cut_is_not_retried_and_a_resend_applies_it_once(
        backend, link):
    api, proxy, head, _body = link
    title = f"梁溪区 井盖缺失 {uuid.uuid4().hex[:8]}"
    request = EventCreateRequest(title=title, category=api.catalog().categories[0].code,
                                 location=Location(lon=120.30, lat=31.57, address="梁溪区人民中路"))
    key = str(uuid.uuid4())
    proxy.close_half_way(head + 40)  # in the JSON body of the answer
    with pytest.raises(NetworkError) as failed:  # not retried: a retry would have worked
        api.create_event(request, key)
    assert failed.value.code == "network" and "POST /events failed" in failed.value.message
    assert proxy.stats().faults["close_half_way"] == 1
    # The backend did create it; a resend with the command's own key gets the first answer.
    created = api.create_event(request, key)
    assert created.title == title
    direct = ApiClient(backend.url)
    token = backend.login("duty1")
    direct.set_token_provider(lambda: token)
    try:
        events, _ = direct.all_events()
    finally:
        direct.close()
    assert [e.id for e in events if e.title == title] == [created.id]


def test_the_session_reports_cut_answers_at_load_then_recovers(backend):
    with FaultProxy(backend.url) as proxy:
        hall = Hall(proxy.url)  # signed in through the proxy
        try:
            before = proxy.stats().bytes_down
            hall.api.catalog()
            whole = proxy.stats().bytes_down - before
            proxy.close_half_way(whole // 2, times=MAX_TRIES)  # the first load's catalog
            hall.start()
            assert [s for s, _ in hall.states if s == "offline"] == ["offline"]
            assert len(hall.errors) == 1 and "GET /catalog failed" in hall.errors[0]
            assert proxy.stats().faults["close_half_way"] == MAX_TRIES
            assert_mirrors_backend(hall.store, backend)
        finally:
            hall.close()
