"""The session's indicator board against the real backend: the load, live samples and
breaches, reloads after a resync and an outage, and a restart from the offline cache."""

from __future__ import annotations

import threading
import time
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest
import requests
from console_helpers import FAST_LIVE, Hall, MainQueue, MemoryKeyring
from fault_http import FaultServer
from fault_proxy import FaultProxy

from console.api import ApiClient, ApiError
from console.auth import AuthSession, CredentialVault
from console.indicators import HISTORY_HOURS, IndicatorBoard
from console.offline_login import OfflineLogin
from console.schema import INDICATOR_GROUPS, Indicator
from console.session import HallSession
from console.store import EventStore
from offline_cache import OfflineCache

#: Seconds between two samples of every indicator in these tests.
INTERVAL = 1


@pytest.fixture
def city(backend_factory):
    """A private backend whose indicators publish a sample every INTERVAL s."""
    return backend_factory(indicators="on", indicator_interval=INTERVAL)


class Board:
    """What an IndicatorBoard's signals said, and when."""

    def __init__(self, board: IndicatorBoard) -> None:
        self.board = board
        self.loads: list[float] = []
        self.changes = 0
        self.breaches: list[Indicator] = []
        board.sig_loaded.connect(lambda: self.loads.append(time.monotonic()))
        board.sig_changed.connect(self._changed)
        board.sig_breach.connect(self.breaches.append)

    def _changed(self, ids: list[str]) -> None:
        self.changes += 1


def _listed(backend) -> list[dict]:
    answer = requests.get(f"{backend.url}/api/v1/indicators", headers=backend.headers(),
                          timeout=10)
    answer.raise_for_status()
    return answer.json()


def _force(backend, indicator_id: str, value: float, hold_s: float) -> dict:
    answer = requests.post(f"{backend.url}/api/v1/sim/indicators",
                           headers=backend.headers("admin"),
                           json={"id": indicator_id, "value": value, "hold_s": hold_s},
                           timeout=10)
    answer.raise_for_status()
    return answer.json()


def _alarming_value(indicator: Indicator) -> float:
    """A value well inside the alarm band of `indicator`."""
    thresholds = indicator.thresholds
    margin = max(abs(thresholds.alarm) * 0.5, 10.0 ** -indicator.precision * 10)
    return thresholds.alarm + (margin if thresholds.direction == "above" else -margin)


def test_the_api_client_reads_the_list_and_series_of_the_backend(city):
    api = ApiClient(city.url)
    token = city.login("duty1")
    api.set_token_provider(lambda: token)
    try:
        indicators = api.indicators()
        assert [i.id for i in indicators] == [d["id"] for d in _listed(city)]
        sensor = next(i for i in indicators if i.kind == "sensor")
        end = time.time()
        series = api.indicator_series(sensor.id, end - 3600, end, step=60)
        assert 59 <= len(series.t) <= 61 and len(series.v) == len(series.t)
        assert end - 3660 <= series.t[0] and series.t[-1] <= end
        assert all(b - a == 60 for a, b in zip(series.t, series.t[1:], strict=False))
        with pytest.raises(ApiError) as missing:
            api.indicator_series("no.such", end - 3600, end)
        assert (missing.value.status, missing.value.code) == (404, "not_found")
    finally:
        api.close()


def test_a_malformed_indicator_is_left_out_and_a_lopsided_series_refused(caplog):
    good = {"id": "env.aqi", "name": "AQI", "group": "environment", "value": 42, "state": "normal"}
    server = FaultServer([
        (200, orjson.dumps([good, {"id": "", "name": "no id"}, {"id": "x", "group": "g"}])),
        (200, orjson.dumps({"t": [60, 120, 180], "v": [1, None]})),
        (200, orjson.dumps({"error": "not a list"})),
    ])
    api = ApiClient(server.url)
    try:
        assert [i.id for i in api.indicators()] == ["env.aqi"]
        assert sum("GET /indicators: entry" in r.getMessage() for r in caplog.records) == 2
        with pytest.raises(ApiError) as lopsided:
            api.indicator_series("env.aqi", 59.5, 180.2, step=60)
        assert lopsided.value.code == "bad_response"
        path = urlsplit(server.requests[1][1])
        assert path.path == "/api/v1/indicators/env.aqi/series"
        assert parse_qs(path.query) == {"from": ["59"], "to": ["181"], "step": ["60"]}
        with pytest.raises(ApiError) as not_a_list:
            api.indicators()
        assert not_a_list.value.code == "bad_response"
    finally:
        api.close()
        server.close()


def test_the_board_loads_every_indicator_with_a_day_of_history_then_follows_live(city):
    hall = Hall(city.url)
    seen = Board(hall.session.indicators)
    started = time.monotonic()
    try:
        hall.session.start()
        assert hall.main.run_until(lambda: seen.loads, timeout=60)
        board = hall.session.indicators
        listed = _listed(city)
        assert len(listed) >= 30
        assert sorted(i.id for i in board.indicators()) == sorted(d["id"] for d in listed)
        # The dashboard's group order, then the backend's order within a group.
        ranks = {g: n for n, g in enumerate(INDICATOR_GROUPS)}
        order = [i.id for i in board.indicators()]
        assert order == [d["id"] for d in sorted(
            listed, key=lambda d: (ranks.get(d["group"], len(ranks)), listed.index(d)))]

        now = time.time()
        full = 0
        for indicator in board.indicators():
            t, v = board.history(indicator.id)
            assert len(t) == len(v) and bool((t[1:] > t[:-1]).all())
            assert len(t) == 0 or t[0] >= now - HISTORY_HOURS * 3600 - 120
            if indicator.kind == "sensor":
                # 25 h at one point a minute: yesterday at this time is there.
                assert len(t) >= HISTORY_HOURS * 60 - 5, indicator.id
                assert board.same_time_yesterday(indicator.id, now) is not None
                full += 1
        assert full >= 20
        print(f"indicators loaded {seen.loads[0] - started:.2f} s after start")

        # Live samples follow: every measured indicator's value moves on past the listed one.
        first = {i.id: i.at for i in board.indicators() if i.value is not None}
        assert len(first) >= 30
        assert hall.main.run_until(lambda: all(
            board.get(i).at > at for i, at in first.items()), timeout=30)
        assert len(seen.loads) == 1
        assert hall.errors == []
    finally:
        hall.close()


def test_a_forced_alarm_arrives_live_and_is_announced_once(city):
    hall = Hall(city.url)
    seen = Board(hall.session.indicators)
    try:
        hall.start()
        board = hall.session.indicators
        assert hall.main.run_until(lambda: seen.loads, timeout=60)
        target = next(i for i in board.indicators() if i.kind == "sensor"
                      and i.thresholds.alarm is not None and i.state == "normal")
        value = _alarming_value(target)
        forced = _force(city, target.id, value, hold_s=60)
        held = forced["sample"]["value"]
        assert forced["sample"]["state"] == "alarm"

        def alarm_samples() -> int:
            t, v = board.history(target.id, since=time.time() - 120)
            return int((v == held).sum())

        assert hall.main.run_until(
            lambda: any(b.id == target.id for b in seen.breaches), timeout=20)
        now = board.get(target.id)
        assert (now.value, now.state) == (held, "alarm")
        # The backend holds the value: later samples, still in alarm, announce nothing more.
        assert hall.main.run_until(lambda: alarm_samples() >= 4, timeout=30)
        assert [b.id for b in seen.breaches].count(target.id) == 1
        breach = next(b for b in seen.breaches if b.id == target.id)
        assert breach.value == held and breach.state == "alarm"
    finally:
        hall.close()


def _count_list_calls(hall: Hall) -> list[float]:
    """When the session asked the backend for the indicator list (monotonic times)."""
    calls: list[float] = []
    real = hall.api.indicators

    def counted():
        calls.append(time.monotonic())
        return real()

    hall.api.indicators = counted
    return calls


def test_the_board_is_reloaded_after_a_resync(backend_factory):
    retain = 200
    city = backend_factory(indicators="on", indicator_interval=INTERVAL, retain=retain)
    hall = Hall(city.url)
    seen = Board(hall.session.indicators)
    calls = _count_list_calls(hall)
    resyncs: list[float] = []
    hall.session.sig_connection.connect(
        lambda s, d: resyncs.append(time.monotonic()) if s == "resyncing" else None)
    try:
        hall.start()
        assert hall.main.run_until(lambda: seen.loads and len(seen.loads) == len(calls),
                                   timeout=60)
        # Fall behind the backend's retention (seq 1 is long gone): it answers
        # resync_required, and the session reloads the events and the indicators over REST.
        assert hall.main.run_until(lambda: hall.store.last_seq > 2 * retain, timeout=60)
        asked = len(resyncs)
        hall.session.live_feed.resume_from(1)
        assert hall.main.run_until(lambda: len(resyncs) > asked, timeout=20)
        resynced = resyncs[asked]
        assert hall.main.run_until(lambda: any(t > resynced for t in calls)
                                   and seen.loads[-1] > min(t for t in calls if t > resynced)
                                   and hall.live, timeout=60)
        board = hall.session.indicators
        assert len(board) == len(_listed(city))
        assert all(len(board.history(i.id)[0]) for i in board.indicators()
                   if i.kind == "sensor")
        changes = seen.changes
        assert hall.main.run_until(lambda: seen.changes > changes, timeout=20)
    finally:
        hall.close()


def test_the_board_is_reloaded_when_the_link_returns_after_an_outage(city):
    with FaultProxy(city.url) as proxy:
        hall = Hall(proxy.url)
        seen = Board(hall.session.indicators)
        calls = _count_list_calls(hall)
        links: list[tuple[str, float]] = []
        hall.session.sig_connectivity.connect(
            lambda state, at: links.append((state, time.monotonic())))
        try:
            hall.start()
            assert hall.main.run_until(lambda: seen.loads and len(seen.loads) == len(calls),
                                       timeout=60)
            assert hall.main.run_until(lambda: links[-1][0] == "online", timeout=30)
            loads = len(seen.loads)
            proxy.refuse(existing=True)
            assert hall.main.run_until(lambda: links[-1][0] == "offline", timeout=30)
            offline = links[-1][1]
            assert len(seen.loads) == loads and not any(t >= offline for t in calls)
            proxy.accept()
            assert hall.main.run_until(lambda: links[-1][0] == "online", timeout=30)
            assert hall.main.run_until(
                lambda: any(t >= offline for t in calls) and len(seen.loads) > loads,
                timeout=30)
            board = hall.session.indicators
            assert len(board) == len(_listed(city))
            changes = seen.changes
            assert hall.main.run_until(lambda: seen.changes > changes, timeout=20)
        finally:
            hall.close()


def test_values_survive_a_restart_through_the_cache_with_the_backend_down(city, tmp_path):
    vault = CredentialVault(MemoryKeyring())
    city.sim_events(5)
    main = MainQueue()
    api = ApiClient(city.url, connect_timeout=1.0, read_timeout=5.0)
    auth = AuthSession(api, vault, "desk-1", OfflineLogin(vault, city.url))
    auth.login("duty1", "duty1")
    cache, _ = OfflineCache.open(tmp_path)
    session = HallSession(api, auth, EventStore(), main, live_options=FAST_LIVE, cache=cache)
    seen = Board(session.indicators)
    board = session.indicators
    try:
        session.start()
        assert main.run_until(lambda: seen.loads, timeout=60)
        changes = seen.changes
        assert main.run_until(lambda: seen.changes >= changes + 3, timeout=30)
        city.stop()  # no more samples: what the board shows once in step is the last word

        def mirrored() -> bool:
            kept = {row.id: (row.value, row.at) for row in cache.indicators()}
            return all(kept.get(i.id) == (i.value, i.at.timestamp())
                       for i in board.indicators())

        assert main.run_until(mirrored, timeout=20)
        last = {i.id: (i.value, i.at, i.state) for i in board.indicators()}
        histories = {i.id: len(board.history(i.id)[0]) for i in board.indicators()}
    finally:
        session.stop()
        cache.close()
        api.close()

    # Later: the backend is still down; the same user signs in offline on this seat.
    api = ApiClient(city.url, connect_timeout=0.5, read_timeout=1.0)
    auth = AuthSession(api, vault, "desk-1", OfflineLogin(vault, city.url))
    auth.login("duty1", "duty1")
    assert auth.offline
    cache, _ = OfflineCache.open(tmp_path)
    main = MainQueue()
    session = HallSession(api, auth, EventStore(), main, live_options=FAST_LIVE, cache=cache)
    seen = Board(session.indicators)
    board = session.indicators
    links: list[str] = []
    session.sig_connectivity.connect(lambda state, at: links.append(state))
    loaded = threading.Event()
    session.sig_loaded.connect(loaded.set)
    try:
        session.start()
        assert main.run_until(lambda: seen.loads and loaded.is_set(), timeout=30)
        shown = {i.id: (i.value, i.at, i.state) for i in board.indicators()}
        assert shown == last  # the last known values, with their time (their age)
        for indicator_id, points in histories.items():
            t, v = board.history(indicator_id)
            # Histories come back too: the loaded series plus the samples received live.
            assert len(t) >= min(points, HISTORY_HOURS * 60) - 2, indicator_id
            if last[indicator_id][0] is not None:
                assert v[-1] == last[indicator_id][0]
        assert main.run_until(lambda: links[-1:] == ["offline"], timeout=20)
        assert len(seen.loads) == 1  # nothing came from the backend
    finally:
        session.stop()
        cache.close()
        api.close()
