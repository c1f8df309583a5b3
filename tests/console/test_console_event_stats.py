"""console.event_stats: the day's figures, against hand-built events (edge cases, and every
figure recounted event by event with `console.clocks`) and against a real session on the
real backend (events made by its simulator, moved on through the session and the units'
REST reports)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import requests
from console_helpers import Hall

from backend.catalog_data import build_catalog
from console.clocks import event_clocks, is_overdue
from console.event_stats import (
    CLOCK_INTERVAL,
    MIN_INTERVAL,
    EventStats,
    EventStatsIndex,
    Rate,
    day_bounds,
    district_day,
    queue_filter_for,
)
from console.queue_index import QueueIndex
from console.saved_filters import OVERDUE, builtin_filters, filter_from_dict, filter_to_dict
from console.schema import CST, OPEN_STATUSES, SOURCES, STATUSES, Catalog, Event
from console.store import EventStore

CATALOG = Catalog.model_validate(build_catalog())
DAY = date(2026, 5, 2)
MIDNIGHT = datetime(2026, 5, 2, 0, 0, tzinfo=CST)
NOW = datetime(2026, 5, 2, 15, 0, tzinfo=CST)


def _event(n: int, *, status: str = "new", reported: datetime = NOW - timedelta(hours=1),
           source: str = "hotline_12345", category: str = "noise", street: str | None = "tongjiang",
           sign_due: datetime | None = None, resolve_due: datetime | None = None,
           lead: bool | None = None, signed: datetime | None = None,
           resolved: datetime | None = None, returns: tuple[datetime, ...] = (),
           actions: tuple[tuple[str, datetime], ...] = (), seq: int | None = None) -> Event:
    """An event reported at `reported`. `lead`: dispatched to a lead unit (by default when
    signed or in a status only a dispatch reaches), which signed at `signed`; `resolved`, the
    `returns` and `actions` ((action, at) pairs) are its timeline; updated at the latest."""
    entries = [("report", reported), *(("return", at) for at in returns), *actions]
    if resolved is not None:
        entries.append(("resolve", resolved))
    entries.sort(key=lambda entry: entry[1])
    if lead is None:
        lead = signed is not None or status in ("dispatched", "signed", "on_site", "returned")
    assignments = [{"unit_id": "team_ops_1", "role": "lead", "status": "signed" if signed
                    else "sent", "signed_at": signed}] if lead else []
    updated = max([at for _action, at in entries] + ([signed] if signed else []))
    return Event.model_validate({
        "id": f"EV-{n:04d}", "seq": seq or n, "version": 1, "title": f"事件{n}",
        "category": category, "level": 3, "source": source, "status": status,
        "location": {"lon": 120.3, "lat": 31.58, "street_id": street},
        "reported_at": reported, "updated_at": updated,
        "sla": {"sign_due": sign_due, "resolve_due": resolve_due},
        "assignments": assignments,
        "timeline": [{"at": at, "actor": "team_ops_1", "action": action}
                     for action, at in entries],
        "bounces": sum(action == "return" for action, _at in entries),
    })


def _index(events: list[Event], now: datetime = NOW, catalog: Catalog | None = CATALOG,
           since: date | None = None) -> tuple[EventStore, EventStatsIndex]:
    store = EventStore()
    if catalog is not None:
        store.set_catalog(catalog)
    index = EventStatsIndex(store, clock=lambda: now, since=since)
    store.upsert(events)
    return store, index


def reference(events: list[Event], day: date, now: datetime) -> dict:
    """The figures recounted event by event, straight from the module's definitions (and the
    desk's own clock rules for overdue, `is_overdue` / `event_clocks`): what
    `EventStatsIndex` must agree with."""
    start, end = (datetime.fromtimestamp(t, CST) for t in day_bounds(day))
    intake = [e for e in events if start <= e.reported_at < end]

    def stopped(event: Event) -> datetime | None:
        """When a resolved or closed event's resolve clock stopped."""
        if event.status not in ("resolved", "closed"):
            return None
        actions = [t.action for t in event.timeline]
        after = max((i for i, a in enumerate(actions) if a == "reopen"), default=-1) + 1
        return next((t.at for t in event.timeline[after:] if t.action in ("resolve", "close")),
                    event.updated_at)

    def rate(outcomes) -> Rate:
        """`outcomes`: (settled at, in time) of every rated event."""
        counted = [ok for at, ok in outcomes if start <= at < end and at <= now]
        return Rate(sum(counted), len(counted))

    def sign_outcomes():
        for event in events:
            leads = [a for a in event.assignments if a.role == "lead"]
            due = event.sla.sign_due
            if not leads or due is None:
                continue
            signed = next((a.signed_at for a in leads if a.signed_at is not None), None)
            stop = stopped(event)
            if signed is None and stop is not None and stop < due:
                continue  # finished unsigned before the deadline: not rated
            in_time = signed is not None and signed <= due
            yield (signed if in_time else due), in_time

    def resolve_outcomes():
        for event in events:
            due, stop = event.sla.resolve_due, stopped(event)
            if due is not None:
                in_time = stop is not None and stop <= due
                yield (stop if in_time else due), in_time

    clocks = [event_clocks(e, now) for e in events]
    return {
        "events": len(events),
        "open_now": sum(e.status in OPEN_STATUSES for e in events),
        "intake": len(intake),
        "by_source": {s: sum(e.source == s for e in intake) for s in SOURCES},
        "closure": Rate(sum(e.status in ("resolved", "closed") for e in intake), len(intake)),
        "sign_on_time": rate(sign_outcomes()),
        "resolve_on_time": rate(resolve_outcomes()),
        "overdue": sum(is_overdue(e, now) for e in events),
        "overdue_sign": sum(c[0].state == "overdue" for c in clocks),
        "overdue_resolve": sum(c[1].state == "overdue" for c in clocks),
        "returned_now": sum(e.status == "returned" for e in events),
        "returns": sum(start <= t.at < end for e in events for t in e.timeline
                       if t.action == "return"),
        "categories": _counts(e.category for e in intake),
        "streets": _counts(e.location.street_id or "" for e in intake),
    }


def _counts(codes) -> dict[str, int]:
    out: dict[str, int] = {}
    for code in codes:
        out[code] = out.get(code, 0) + 1
    return out


def assert_agrees(stats: EventStats, expected: dict, top: int = 5) -> None:
    got = {
        "events": stats.events, "open_now": stats.open_now, "intake": stats.intake,
        "by_source": {t.code: t.count for t in stats.by_source}, "closure": stats.closure,
        "sign_on_time": stats.sign_on_time, "resolve_on_time": stats.resolve_on_time,
        "overdue": stats.overdue, "overdue_sign": stats.overdue_sign,
        "overdue_resolve": stats.overdue_resolve, "returned_now": stats.returned_now,
        "returns": stats.returns,
    }
    assert got == {k: v for k, v in expected.items() if k in got}
    for tallies, counts in ((stats.top_categories, expected["categories"]),
                            (stats.top_streets, expected["streets"])):
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
        assert [(t.code, t.count) for t in tallies] == ranked


# ---- Hand-built events


def test_no_events_no_rates():
    store, index = _index([])
    stats = index.compute()
    assert stats.day == DAY and stats.events == stats.intake == stats.open_now == 0
    assert [(t.code, t.count) for t in stats.by_source] == [(s, 0) for s in SOURCES]
    for rate in (stats.closure, stats.sign_on_time, stats.resolve_on_time):
        assert rate == Rate(0, 0) and rate.value is None  # shown as "—", never 0 %
    assert (stats.overdue, stats.returned_now, stats.returns) == (0, 0, 0)
    assert stats.top_categories == stats.top_streets == ()
    assert index.latest == stats and len(index) == 0


def test_every_denominator_zero_while_there_are_events():
    # Reported yesterday, clocks running and not due: nothing of today's to rate.
    yesterday = NOW - timedelta(days=1)
    events = [_event(1, reported=yesterday, sign_due=NOW + timedelta(hours=1),
                     resolve_due=NOW + timedelta(days=1)),
              _event(2, status="closed", reported=yesterday)]  # closed with no clock record
    stats = _index(events)[1].compute()
    assert stats.events == 2 and stats.intake == 0
    assert stats.closure.value is None and stats.sign_on_time.value is None
    assert stats.resolve_on_time.value is None


def test_the_day_is_the_districts_day():
    events = [
        _event(1, reported=MIDNIGHT - timedelta(seconds=1)),          # 05-01 23:59:59 CST
        _event(2, reported=MIDNIGHT),                                  # 05-02 00:00:00 CST
        _event(3, reported=datetime(2026, 5, 1, 16, 30, tzinfo=UTC)),  # 05-02 00:30 CST
        _event(4, reported=datetime(2026, 5, 2, 15, 59, 59, tzinfo=UTC)),  # 05-02 23:59:59
        _event(5, reported=datetime(2026, 5, 2, 16, 0, tzinfo=UTC)),   # 05-03 00:00 CST
    ]
    store, index = _index(events, since=date(2026, 5, 1))
    assert index.compute(day=date(2026, 5, 1)).intake == 1
    assert index.compute(day=DAY).intake == 3
    assert index.compute(day=date(2026, 5, 3)).intake == 1
    # "Today" is the district's day of the clock, whatever zone the clock is read in.
    late_utc = datetime(2026, 5, 1, 16, 5, tzinfo=UTC)  # 05-02 00:05 in Wuxi
    assert district_day(late_utc) == DAY
    assert index.compute(now=late_utc).day == DAY
    assert EventStatsIndex(store, clock=lambda: late_utc).compute().intake == 3
    assert day_bounds(DAY) == (MIDNIGHT.timestamp(), MIDNIGHT.timestamp() + 86400)


def test_sign_for_counts_on_the_day_it_settles():
    hour = timedelta(hours=1)
    due = NOW - 2 * hour
    before, after = MIDNIGHT - hour, MIDNIGHT + hour
    events = [
        _event(1, status="signed", sign_due=due, signed=due - hour),   # in time
        _event(2, status="on_site", sign_due=due, signed=due),         # in time: at the due
        _event(3, status="signed", sign_due=due, signed=due + hour),   # late: at the due
        _event(4, status="dispatched", sign_due=due),                  # missed: at the due
        _event(5, status="new", sign_due=due),                         # not dispatched
        _event(6, status="closed", sign_due=due, actions=(("close", due - hour),)),  # not either
        _event(7, status="signed", sign_due=before, signed=after),     # late: yesterday
        _event(8, status="signed", sign_due=after, signed=before),     # in time: yesterday
        _event(9, status="dispatched", sign_due=None),                 # no deadline
        # Sent back after signing in time: it counts as signed (the desk's clock runs again).
        _event(10, status="returned", sign_due=due, signed=due - hour, returns=(due,)),
        _event(11, status="dispatched", sign_due=NOW + hour),          # not due yet
        # Resolved, unsigned, before its sign-for deadline: not rated.
        _event(12, status="resolved", lead=True, sign_due=due, resolved=due - hour),
    ]
    stats = _index(events)[1].compute()
    assert stats.sign_on_time == Rate(3, 5)
    assert stats.sign_on_time.value == pytest.approx(0.6)
    # Overdue is the desk's clock: 4, 5 (its sign-for clock runs from the report) and 10.
    assert (stats.overdue_sign, stats.overdue) == (3, 3)
    assert stats.resolve_on_time == Rate(0, 0)
    assert_agrees(stats, reference(events, DAY, NOW))
    # Later the same day the last dispatch is due too; the next day none of it counts.
    assert _index(events, NOW + 2 * hour)[1].compute().sign_on_time == Rate(3, 6)
    assert _index(events, NOW + 24 * hour)[1].compute().sign_on_time == Rate(0, 0)


def test_resolve_rate_closure_and_returns():
    hour = timedelta(hours=1)
    due = NOW - hour
    events = [
        _event(1, status="resolved", resolve_due=due, resolved=due - hour),  # in time
        _event(2, status="closed", resolve_due=due, resolved=due + 0.5 * hour,
               actions=(("close", due + hour),)),                             # late: at the due
        _event(3, status="on_site", resolve_due=due),                         # missed: at the due
        # Closed without a resolve report: stopped at the close, in time.
        _event(4, status="closed", resolve_due=due, actions=(("close", due - 0.5 * hour),)),
        _event(5, status="reopened", resolve_due=NOW + hour, resolved=due),   # running again
        # Late: the clock stopped at the first resolve after the reopen.
        _event(6, status="closed", resolve_due=due - 0.5 * hour,
               actions=(("close", due - 3 * hour), ("reopen", due - 2 * hour),
                        ("resolve", due - 0.25 * hour), ("close", due))),
        _event(7, status="returned", resolve_due=NOW + hour,
               returns=(MIDNIGHT - hour, MIDNIGHT + hour, NOW - hour)),       # 2 returns today
        _event(8, status="returned", reported=NOW - 30 * hour, returns=(NOW - 2 * hour,)),
    ]
    stats = _index(events)[1].compute()
    assert stats.resolve_on_time == Rate(2, 5)
    assert stats.closure == Rate(4, 7)  # the reopened one is not done; 8 is yesterday's
    assert stats.overdue_resolve == 1
    assert stats.returned_now == 2 and stats.returns == 3
    assert stats.open_now == 5
    assert_agrees(stats, reference(events, DAY, NOW))


def test_breakdowns_rank_by_count_then_code_with_catalog_names():
    events = ([_event(i, category="noise", street="tongjiang", source="grid") for i in range(3)]
              + [_event(10 + i, category="gas_safety", street="chonganshi", source="iot")
                 for i in range(3)]
              + [_event(20, category="water_env", street=None, source="iot"),
                 _event(21, category="not_in_catalog", street="atlantis", source="manual"),
                 _event(22, category="noise", reported=NOW - timedelta(days=1))])
    stats = _index(events)[1].compute()
    assert [(t.code, t.name, t.count) for t in stats.top_categories] == [
        ("gas_safety", "燃气安全", 3), ("noise", "噪声扰民", 3),
        ("not_in_catalog", "not_in_catalog", 1), ("water_env", "水环境", 1)]
    assert [(t.code, t.name, t.count) for t in stats.top_streets] == [
        ("chonganshi", "崇安寺街道", 3), ("tongjiang", "通江街道", 3), ("", "", 1),
        ("atlantis", "atlantis", 1)]
    assert [(t.code, t.name, t.count) for t in stats.by_source][:4] == [
        ("iot", "物联感知", 4), ("grid", "网格化治理", 3), ("manual", "人工录入", 1),
        ("hotline_12345", "12345热线", 0)]
    # Without a catalog, the codes stand in for the names.
    bare = _index(events, catalog=None)[1].compute()
    assert bare.top_categories[0].name == "gas_safety" and bare.by_source[0].name == "iot"
    store = _index(events)[0]
    assert [t.code for t in EventStatsIndex(store, clock=lambda: NOW, top=2)
            .compute().top_streets] == ["chonganshi", "tongjiang"]


def test_every_figure_recounts_event_by_event():
    """Random events in every status, dispatched or not, with and without deadlines, with
    returns, resolves, closes and reopens around the day's edges: every figure equals the
    recount event by event, for today and yesterday, at three moments."""
    rng = random.Random(5)
    categories = ["noise", "gas_safety", "water_env", "iot_fire", "grid_patrol", "road"]
    streets = ["tongjiang", "chonganshi", "guangyi", None, "jinxing"]

    def moment() -> datetime:
        return NOW + timedelta(minutes=rng.randrange(-40 * 60, 20 * 60))

    def maybe(share: float = 0.85) -> datetime | None:
        return moment() if rng.random() < share else None

    events = []
    for n in range(800):
        status = rng.choice(STATUSES)
        returns = tuple(moment() for _ in range(rng.choice((0, 0, 0, 1, 2))))
        if status == "returned" and not returns:
            returns = (moment(),)
        actions = tuple((rng.choice(("close", "reopen", "resolve", "note")), moment())
                        for _ in range(rng.choice((0, 0, 1, 2, 3))))
        events.append(_event(
            n, status=status, reported=moment(), source=rng.choice(SOURCES),
            category=rng.choice(categories), street=rng.choice(streets),
            sign_due=maybe(), resolve_due=maybe(), lead=rng.random() < 0.7,
            signed=maybe(0.5), resolved=maybe(0.4), returns=returns, actions=actions))
    store, index = _index(events, since=DAY - timedelta(days=1))
    for now in (NOW, MIDNIGHT + timedelta(minutes=3), NOW + timedelta(hours=8)):
        for day in (district_day(now), district_day(now) - timedelta(days=1)):
            assert_agrees(index.compute(day=day, now=now), reference(events, day, now))
    # By default, events finished before the day began are read for their status only:
    # today's figures are the same, earlier days' cannot be asked for.
    today = _index(events)[1]
    assert_agrees(today.compute(), reference(events, DAY, NOW))
    with pytest.raises(ValueError):
        today.compute(day=DAY - timedelta(days=1))


def test_it_follows_the_store():
    hour = timedelta(hours=1)
    store, index = _index([_event(1, sign_due=NOW + hour), _event(2, source="grid")])
    assert index.compute().intake == 2 and index.stale is False
    # A live update (higher seq) and a new event.
    store.upsert([_event(1, status="returned", sign_due=NOW - hour, returns=(NOW - hour,),
                         seq=10),
                  _event(3, status="closed", source="grid", reported=NOW - 2 * hour)])
    assert index.stale
    stats = index.compute()
    assert (stats.intake, stats.returned_now, stats.returns, stats.overdue) == (3, 1, 1, 1)
    assert stats.closure == Rate(1, 3)
    assert stats.by_source[0].code == "grid" and stats.by_source[0].count == 2
    # Sent again and signed: no longer returned; the return stays on the record of the day.
    store.upsert([_event(1, status="signed", sign_due=NOW + hour, signed=NOW,
                         returns=(NOW - hour,), seq=11)])
    stats = index.compute()
    assert (stats.returned_now, stats.returns, stats.overdue) == (0, 1, 0)
    # A full replacement (a reload) starts from the new events only.
    store.replace_all([_event(9, status="new", source="iot")], last_seq=50)
    stats = index.compute()
    assert (stats.events, stats.intake, stats.returns) == (1, 1, 0)
    assert stats.by_source[0].code == "iot"
    # Built over a store that already holds events, it reads them.
    assert EventStatsIndex(store, clock=lambda: NOW).compute() == stats


def test_refresh_waits_for_the_interval():
    ticks = [100.0]
    store = EventStore()
    index = EventStatsIndex(store, clock=lambda: NOW, monotonic=lambda: ticks[0],
                            since=DAY - timedelta(days=7))
    first = index.refresh()
    assert first is not None and first.events == 0
    assert index.refresh() is None  # nothing changed, the clock interval not over
    store.upsert([_event(1)])
    ticks[0] += MIN_INTERVAL / 2
    assert index.refresh() is None and index.latest.events == 0
    ticks[0] += MIN_INTERVAL / 2
    assert index.refresh().events == 1
    ticks[0] += MIN_INTERVAL
    assert index.refresh() is None  # no change: wait for the clock interval
    ticks[0] += CLOCK_INTERVAL
    assert index.refresh() is not None
    assert index.refresh(force=True) is not None
    # A day other than today is computed on demand and leaves `latest` alone.
    index.compute(day=DAY - timedelta(days=3))
    assert index.latest.day == DAY


def test_the_figures_open_queue_filters_that_show_them():
    hour = timedelta(hours=1)
    events = [_event(1, status="dispatched", sign_due=NOW - hour),
              _event(2, status="on_site", resolve_due=NOW - hour, source="grid"),
              _event(3, status="returned", sign_due=NOW + hour, returns=(NOW,)),
              _event(4, status="closed", resolve_due=NOW - hour, category="gas_safety"),
              _event(5, status="resolved", resolve_due=NOW - hour, street="guangyi")]
    store, index = _index(events)
    stats = index.compute()
    queue = QueueIndex(store, lambda: {}, NOW)
    overdue = queue_filter_for("overdue")
    assert overdue == next(f.filter for f in builtin_filters(None) if f.key == OVERDUE)
    shown = {}
    for figure, code in (("overdue", None), ("returned", None), ("intake", None),
                         ("open", None), ("source", "grid"), ("category", "gas_safety"),
                         ("street", "guangyi")):
        queue_filter = queue_filter_for(figure, code)
        # What the panel sends survives the trip through the saved-filter form.
        assert filter_from_dict(filter_to_dict(queue_filter)) == queue_filter
        queue.set_filter(queue_filter)
        shown[figure] = len(queue)
    assert shown == {"overdue": stats.overdue, "returned": stats.returned_now,
                     "intake": stats.intake, "open": stats.open_now, "source": 1,
                     "category": 1, "street": 1}
    assert queue_filter_for("closure") is None and queue_filter_for("source") is None


# ---- A real session on the real backend


def _report(proc, event: Event, action: str, unit_id: str) -> None:
    """A unit's report (sign, resolve, return), made by the admin for the unit over REST."""
    answer = requests.post(
        f"{proc.url}/api/v1/events/{event.id}/actions", timeout=10,
        headers={**proc.headers("admin"), "Idempotency-Key": str(uuid.uuid4())},
        json={"action": action, "expected_version": event.version, "unit_id": unit_id})
    assert answer.status_code == 200, answer.text[:300]


def test_the_figures_of_a_real_session(backend_factory):
    proc = backend_factory()
    grid = proc.sim_events(4, source="grid", category="noise")["ids"]
    iot = proc.sim_events(3, source="iot", category="gas_safety")["ids"]
    rest = proc.sim_events(5, source="hotline_12345", category="water_env")["ids"]
    hall = Hall(proc.url)  # leader1
    index = EventStatsIndex(hall.store)  # before the load, as the desk builds it
    try:
        hall.start()
        store, main = hall.store, hall.main
        ids = grid + iot + rest
        assert len(store) == 12 and len(index) == 12

        def settle(event_id: str, version: int) -> Event:
            assert main.run_until(lambda: store.get(event_id).version >= version), event_id
            return store.get(event_id)

        def hall_act(event_id: str, action: str, **fields) -> Event:
            version = store.get(event_id).version
            hall.session.act(event_id, action, **fields)
            return settle(event_id, version + 1)

        def unit(event_id: str, action: str, unit_id: str = "ecology") -> Event:
            event = store.get(event_id)
            _report(proc, event, action, unit_id)
            return settle(event_id, event.version + 1)

        def dispatch(event_id: str, lead: str = "ecology") -> Event:
            return hall_act(event_id, "dispatch",
                            assignments=[{"unit_id": lead, "role": "lead"}])

        e = dict(enumerate(ids))
        hall_act(e[0], "acknowledge")
        for n in (1, 2, 3):  # signed in time (seconds after a dispatch with 30 minutes)
            dispatch(e[n])
            unit(e[n], "sign")
        for n in (1, 2):
            unit(e[n], "resolve")
        hall_act(e[1], "close")
        dispatch(e[4])
        unit(e[4], "return")
        dispatch(e[5])
        unit(e[5], "return")
        dispatch(e[5], "city_mgmt")
        unit(e[5], "return", "city_mgmt")
        hall_act(e[6], "close")  # a duplicate, closed without dispatch
        dispatch(e[7], "team_gas")
        assert hall.errors == [] and all(r.ok for r in hall.results)

        now = datetime.now(CST)
        events = store.events()
        day = district_day(now)
        if {district_day(ev.reported_at) for ev in events} != {day}:
            pytest.skip("the events straddle midnight in Wuxi")
        stats = index.compute()
        assert stats.day == day and stats.events == stats.intake == 12
        assert {t.code: t.count for t in stats.by_source} == {
            **dict.fromkeys(SOURCES, 0), "grid": 4, "iot": 3, "hotline_12345": 5}
        assert stats.closure == Rate(3, 12)  # e1 closed, e2 resolved, e6 closed
        # Signed in time: e1-e3. Resolved in time: e1, e2, and e6 (stopped by its close).
        assert stats.sign_on_time == Rate(3, 3) and stats.resolve_on_time == Rate(3, 3)
        assert (stats.overdue, stats.returned_now, stats.returns) == (0, 2, 3)
        assert stats.open_now == 10
        assert [(t.code, t.name, t.count) for t in stats.top_categories] == [
            ("water_env", "水环境", 5), ("noise", "噪声扰民", 4), ("gas_safety", "燃气安全", 3)]
        assert_agrees(stats, reference(events, day, now))

        # Two days on, every running clock is overdue; today's rates also count the misses
        # whose deadlines fell today.
        later = now + timedelta(days=2)
        ahead = index.compute(day=day, now=later)
        assert ahead.overdue == 9  # all open events but e2 (resolved, waiting to be closed)
        assert ahead.sign_on_time.part == 3
        assert_agrees(ahead, reference(events, day, later))
    finally:
        hall.close()
