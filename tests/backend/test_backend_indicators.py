"""The city's vital signs (數字體征): the list, series, determinism, the figures computed from
the events, live samples, and values forced through the simulator."""

from __future__ import annotations

import math
import re
import time
from collections import defaultdict
from datetime import datetime

import numpy as np
import requests
from be_helpers import API, assert_error, bearer, get_event, last_seq, live, receive
from loop_helpers import audit, dispatch, ok, report

from console.schema import (
    CST,
    INDICATOR_GROUPS,
    Indicator,
    IndicatorSample,
    IndicatorSeries,
    LiveMessage,
)

HAN = re.compile(r"[\u4e00-\u9fff]")
LON, LAT = (120.24, 120.36), (31.53, 31.62)
FROM_EVENTS = {"ops.intake_today", "ops.open_events", "ops.closure_rate", "ops.sign_on_time",
               "ops.resolve_on_time", "ops.overdue", "livelihood.hotline_today",
               "livelihood.hotline_hour"}


def indicators(proc, token: str) -> dict[str, Indicator]:
    answer = requests.get(f"{proc.url}{API}/indicators", headers=bearer(token), timeout=10)
    assert answer.status_code == 200, answer.text[:500]
    return {item.id: item for item in map(Indicator.model_validate, answer.json())}


def series(proc, token: str, indicator_id: str, **params) -> requests.Response:
    for name, wire in (("start", "from"), ("end", "to")):
        if name in params:
            params[wire] = params.pop(name)
    return requests.get(f"{proc.url}{API}/indicators/{indicator_id}/series", params=params,
                        headers=bearer(token), timeout=30)


def series_ok(proc, token: str, indicator_id: str, **params) -> IndicatorSeries:
    answer = series(proc, token, indicator_id, **params)
    assert answer.status_code == 200, answer.text[:500]
    return IndicatorSeries.model_validate(answer.json())


def force(proc, token: str, body: dict) -> requests.Response:
    return requests.post(f"{proc.url}{API}/sim/indicators", json=body, headers=bearer(token),
                         timeout=10)


def minute_start(seconds_ago: int = 0, multiple: int = 60) -> int:
    return (int(time.time()) - seconds_ago) // multiple * multiple


# ---- the list


def test_every_group_with_valid_thresholds_places_and_states(backend):
    token = backend.login("duty1")
    items = indicators(backend, token)
    assert 38 <= len(items) <= 48
    groups = defaultdict(list)
    for item in items.values():
        groups[item.group].append(item)
    assert set(groups) == set(INDICATOR_GROUPS)
    assert all(len(members) >= 4 for members in groups.values()), \
        {group: len(members) for group, members in groups.items()}
    assert {i for i, item in items.items() if item.kind == "events"} == FROM_EVENTS
    assert len({item.name for item in items.values()}) == len(items)
    assert sum(item.thresholds.warning is not None for item in items.values()) >= 35
    assert items["safety.level_nanmen"].unit == "m" and items["env.pm25"].unit == "μg/m³"
    now = datetime.now(CST)
    for item in items.values():
        assert HAN.search(item.name), item.id
        warning, alarm = item.thresholds.warning, item.thresholds.alarm
        if warning is not None and alarm is not None:
            assert warning < alarm if item.thresholds.direction == "above" else warning > alarm
        place = item.location
        assert place is not None and place.address.startswith("梁溪"), item.id
        assert LON[0] <= place.lon <= LON[1] and LAT[0] <= place.lat <= LAT[1], item.id
        assert item.interval >= 60
        assert item.at is not None and abs((item.at - now).total_seconds()) < 30
        if item.kind == "sensor":
            assert item.value is not None, item.id
        if item.value is not None:
            assert round(item.value, item.precision) == item.value
        assert item.state == item.thresholds.state_of(item.value), item.id
    answer = requests.get(f"{backend.url}{API}/indicators", headers=bearer("x"), timeout=10)
    assert_error(answer, 401, "unauthorized")


# ---- series


def test_series_lengths_steps_means_and_refusals(backend):
    token = backend.login("duty1")
    end = minute_start(300, multiple=300)
    day = series_ok(backend, token, "traffic.tci_zhongshan", start=end - 86400, end=end)
    assert len(day.t) == len(day.v) == 1440
    assert day.t[0] == end - 86400 and set(np.diff(day.t)) == {60}
    assert None not in day.v and len(set(day.v)) > 20
    five = series_ok(backend, token, "traffic.tci_zhongshan", start=end - 86400, end=end,
                     step=300)
    assert len(five.t) == 288 and five.t == day.t[::5]
    means = np.array(day.v).reshape(-1, 5).mean(axis=1)
    assert np.abs(np.array(five.v) - means).max() <= 0.0005 + 1e-9  # 2 decimals, means 3

    default = series_ok(backend, token, "economy.crowd_huishan")
    assert len(default.t) == 1440 and 0 <= time.time() - default.t[-1] <= 62

    now = time.time()
    week = series_ok(backend, token, "safety.level_nanmen", start=now - 8 * 86400)
    assert len(week.t) == 10080 and week.t[0] >= now - 7 * 86400 - 60
    assert None not in week.v
    hourly = series_ok(backend, token, "safety.level_nanmen", start=now - 8 * 86400, step=3600)
    assert len(hourly.t) in (168, 169) and set(np.diff(hourly.t)) == {3600}
    minutes, values = np.array(week.t), np.array(week.v, dtype=float)
    full = 0
    for start, mean in zip(hourly.t, hourly.v, strict=True):
        inside = values[(minutes >= start) & (minutes < start + 3600)]
        if len(inside) == 60:
            full += 1
            assert abs(mean - inside.mean()) <= 0.0005 + 1e-9
    assert full >= 167
    assert series_ok(backend, token, "env.pm25", start=now - 10 * 86400,
                     end=now - 8 * 86400).t == []

    assert_error(series(backend, token, "no.such"), 404, "not_found")
    refusals = [({"step": 59}, "step"), ({"start": end, "end": end}, "from"),
                ({"start": end, "end": end - 60}, "from"),
                ({"start": end - 20_001 * 60, "end": end}, "step"), ({"step": "nan"}, "step")]
    for params, field in refusals:
        details = assert_error(series(backend, token, "env.pm25", **params), 422, "invalid")
        assert details["field"] == field, params
    assert_error(series(backend, token, "env.pm25", start="yesterday"), 422, "invalid")
    assert series(backend, token, "env.pm25", start=end - 20_000 * 60, end=end).status_code == 200
    assert_error(series(backend, "x", "env.pm25"), 401, "unauthorized")


def test_history_follows_from_the_seed_and_survives_a_restart(backend_factory, backend):
    proc = backend_factory(seed=7)
    proc.sim_events(12)
    sensors = ["safety.level_qingmingqiao", "economy.crowd_qingmingqiao", "env.aqi",
               "traffic.tci_district", "safety.rain_huangxiang"]
    end = minute_start(120)
    start = end - 3 * 86400

    def history(server) -> tuple[dict[str, IndicatorSeries], IndicatorSeries]:
        token = server.login("duty1")
        past = {i: series_ok(server, token, i, start=start, end=end) for i in sensors}
        # Up to now: the events were made moments ago.
        return past, series_ok(server, token, "ops.open_events", start=end - 600)

    before, events_before = history(proc)
    assert events_before.v[0] == 0 and events_before.v[-1] == 12
    for i in sensors[:4]:
        assert len(before[i].t) == 3 * 1440 and len(set(before[i].v)) > 30, i
    proc.restart()
    after, events_after = history(proc)
    assert after == before
    # A minute may have ended meanwhile: the series then has one more point.
    assert events_after.t[:len(events_before.t)] == events_before.t
    assert events_after.v[:len(events_before.v)] == events_before.v
    assert history(backend_factory(seed=7))[0] == before  # a new database: nothing was stored
    other = history(backend)[0]  # seed 1
    assert all(other[i].v != before[i].v for i in sensors[:4])
    # A minute's value does not depend on the range asked for.
    hour = series_ok(proc, proc.login("duty1"), sensors[0], start=end - 3600, end=end)
    assert hour.t == before[sensors[0]].t[-60:] and hour.v == before[sensors[0]].v[-60:]


# ---- figures from the events


def test_event_figures_count_the_events_and_no_samples_when_off(backend_factory):
    # Samples off (the tests' default) with a short interval: none may be published.
    proc = backend_factory(indicator_interval=0.2)
    duty, leader, admin = proc.login("duty1"), proc.login("leader1"), proc.login("admin")
    empty = indicators(proc, duty)
    for name in ("ops.intake_today", "ops.open_events", "ops.overdue",
                 "livelihood.hotline_today", "livelihood.hotline_hour"):
        assert empty[name].value == 0, name
    for name in ("ops.closure_rate", "ops.sign_on_time", "ops.resolve_on_time"):
        assert empty[name].value is None and empty[name].state == "normal", name

    started = time.time()
    grid = proc.sim_events(7, source="grid")["ids"]
    calls = proc.sim_events(3, source="hotline_12345")["ids"]
    events = [get_event(proc, duty, i) for i in grid + calls]
    today = datetime.now(CST).date()
    reported_today = [datetime.fromisoformat(e["reported_at"]).date() == today for e in events]
    figures = indicators(proc, duty)
    assert figures["ops.intake_today"].value == sum(reported_today)  # 10 unless past midnight
    assert figures["livelihood.hotline_today"].value == sum(reported_today[7:])
    assert figures["livelihood.hotline_hour"].value == 3
    assert figures["ops.open_events"].value == 10
    assert figures["ops.overdue"].value == 0  # the first deadline is minutes away
    assert figures["ops.closure_rate"].value == 0.0
    assert figures["ops.closure_rate"].state == "alarm"

    event = dispatch(proc, leader, events[0], "city_mgmt")
    event = ok(report(proc, admin, event, "sign", "city_mgmt"))
    ok(report(proc, admin, event, "resolve", "city_mgmt"))
    figures = indicators(proc, duty)
    assert figures["ops.open_events"].value == 9
    assert figures["ops.closure_rate"].value == 10.0  # 1 of the 10 reported this week
    assert figures["ops.sign_on_time"].value == 100.0  # the one dispatch was signed in time
    assert figures["ops.resolve_on_time"].value == 100.0  # the one decided was in time

    since = started - 300
    intake = series_ok(proc, duty, "ops.intake_today", start=since)
    assert intake.v[0] == 0 and intake.v[-1] == figures["ops.intake_today"].value
    assert all(b >= a for a, b in zip(intake.v, intake.v[1:], strict=False))
    closure = series_ok(proc, duty, "ops.closure_rate", start=since)
    assert closure.v[0] is None and closure.v[-1] == 10.0
    assert series_ok(proc, duty, "livelihood.hotline_hour", start=since).v[-1] == 3
    assert series_ok(proc, duty, "ops.open_events", start=since).v[-1] == 9

    time.sleep(max(0.0, started + 1.0 - time.time()))  # five intervals at least
    with live(proc, duty, 0) as ws:
        messages = receive(ws, last_seq(proc))
    assert {m["type"] for m in messages} == {"event.upsert"}
    assert [m["seq"] for m in messages] == list(range(1, 14))  # 10 reports, 3 actions


# ---- live samples


def test_live_samples_every_interval_with_consecutive_seqs(backend_factory):
    proc = backend_factory(indicators="on", indicator_interval=0.5)
    token, admin = proc.login("duty1"), proc.login("admin")
    listed = indicators(proc, token)
    assert {item.interval for item in listed.values()} == {0.5}
    with_value = {i for i, item in listed.items() if item.value is not None}
    assert len(with_value) >= 35  # all but the rates of a database without events
    with live(proc, token, 0) as ws:
        messages = receive(ws, 3 * len(with_value))
    assert [m["seq"] for m in messages] == list(range(1, len(messages) + 1))
    ticks: dict[datetime, set[str]] = defaultdict(set)
    for message in messages:
        assert LiveMessage.model_validate(message).type == "indicator.sample"
        sample = IndicatorSample.model_validate(message["data"])
        assert sample.state == listed[sample.id].thresholds.state_of(sample.value)
        ticks[sample.at].add(sample.id)
    assert list(ticks.values()) == [with_value] * 3
    gaps = np.diff([at.timestamp() for at in ticks])
    assert all(0.3 <= gap <= 2.0 for gap in gaps), gaps

    # A sensor's sample is its history's value of that minute.
    sample = next(IndicatorSample.model_validate(m["data"]) for m in messages
                  if m["data"]["id"] == "traffic.tci_district")
    minute = math.floor(sample.at.timestamp() / 60) * 60
    assert series_ok(proc, token, sample.id, start=minute, end=minute + 60).v == [sample.value]

    # A forced value is published at once, then by every tick while it is held.
    seq = last_seq(proc)
    with live(proc, token, seq) as ws:
        forced = force(proc, admin, {"id": "safety.level_nanmen", "value": 4.5, "hold_s": 60})
        assert forced.status_code == 200, forced.text
        later = receive(ws, forced.json()["seq"] - seq + 2 * len(with_value))
    mine = [m for m in later if m["data"]["id"] == "safety.level_nanmen"
            and m["seq"] >= forced.json()["seq"]]
    assert mine[0]["seq"] == forced.json()["seq"]
    assert len(mine) >= 3 and {(m["data"]["value"], m["data"]["state"]) for m in mine} == \
        {(4.5, "alarm")}


# ---- forced values (the simulator)


def test_a_forced_value_breaches_and_shows_in_the_series(backend):
    duty, admin = backend.login("duty1"), backend.login("admin")
    level = "safety.level_jiangjian"  # warning at 3.90 m, alarm at 4.20 m
    assert_error(force(backend, duty, {"id": level, "value": 4.5}), 403, "forbidden")
    assert_error(force(backend, admin, {"id": "no.such", "value": 4.5}), 404, "not_found")
    for body in ({"id": level, "value": 4.5, "hold_s": 0}, {"id": level},
                 {"id": level, "value": 4.5, "extra": 1}, {"id": level, "value": "NaN"}):
        assert_error(force(backend, admin, body), 422, "invalid")

    past = {"start": minute_start() - 1800, "end": minute_start()}
    history_before = series_ok(backend, duty, level, **past)
    seq = last_seq(backend)
    with live(backend, duty, seq) as ws:
        warning = force(backend, admin, {"id": level, "value": 4.0}).json()
        alarm = force(backend, admin, {"id": level, "value": 4.35, "hold_s": 600}).json()
        messages = receive(ws, 2)
    assert (warning["seq"], alarm["seq"]) == (seq + 1, seq + 2)
    assert [m["seq"] for m in messages] == [seq + 1, seq + 2]
    assert [m["data"] for m in messages] == [warning["sample"], alarm["sample"]]
    assert warning["sample"]["state"] == "warning" and alarm["sample"]["state"] == "alarm"
    hold_until = datetime.fromisoformat(alarm["hold_until"])
    assert abs((hold_until - datetime.fromisoformat(alarm["sample"]["at"])).total_seconds()
               - 600) < 0.01
    listed = indicators(backend, duty)[level]
    assert (listed.value, listed.state) == (4.35, "alarm")
    assert series_ok(backend, duty, level, start=time.time() - 600).v[-1] == 4.35
    assert series_ok(backend, duty, level, **past) == history_before  # the past is unchanged
    audited = {(e["action"], e["target"]) for e in audit(backend, admin, actor="admin")}
    assert ("sim.indicator", f"indicator:{level}") in audited

    # At each threshold, both directions.
    for indicator, value, state in (
            (level, 3.89, "normal"), (level, 3.9, "warning"), (level, 4.2, "alarm"),
            ("safety.sites_online", 76, "normal"), ("safety.sites_online", 75, "warning"),
            ("safety.sites_online", 60, "alarm")):
        answer = force(backend, admin, {"id": indicator, "value": value})
        assert answer.json()["sample"]["state"] == state, (indicator, value)
        assert indicators(backend, duty)[indicator].state == state

    # When the hold is over the indicator is back on its curve.
    assert force(backend, admin, {"id": "env.pm10", "value": 999, "hold_s": 1}).json()[
        "sample"]["state"] == "alarm"
    time.sleep(1.2)
    pm10 = indicators(backend, duty)["env.pm10"]
    assert pm10.value != 999 and pm10.state == pm10.thresholds.state_of(pm10.value)


# ---- the published contract


def test_openapi_declares_the_indicator_routes(backend):
    doc = requests.get(f"{backend.url}/openapi.json", timeout=10).json()

    def answer_schema(operation: dict) -> dict:
        return operation["responses"]["200"]["content"]["application/json"]["schema"]

    listing = doc["paths"][f"{API}/indicators"]["get"]
    assert answer_schema(listing)["items"]["$ref"].endswith("/Indicator")
    history = doc["paths"][f"{API}/indicators/{{indicator_id}}/series"]["get"]
    assert answer_schema(history)["$ref"].endswith("/IndicatorSeries")
    assert {p["name"] for p in history["parameters"]} == {"indicator_id", "from", "to", "step"}
    assert {"401", "404", "422"} <= set(history["responses"])
    forcing = doc["paths"][f"{API}/sim/indicators"]["post"]
    assert answer_schema(forcing)["$ref"].endswith("/SimIndicatorResult")
    body = forcing["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/SimIndicatorRequest")
    assert {"Indicator", "Thresholds", "IndicatorSeries", "IndicatorSample"} <= \
        set(doc["components"]["schemas"])
