"""The Liangxi simulator: sources, Chinese text, coordinates, masked phones, bursts, determinism."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import requests
from be_helpers import API, act, bearer, get_event

from backend.simulator.generator import SIM_SOURCES, EventGenerator
from backend.simulator.templates import BURST_CATEGORIES
from console.schema import CST, Event

HAN = re.compile(r"[\u4e00-\u9fff]")
FULL_PHONE = re.compile(rb"(?<!\d)1[3-9]\d{9}(?!\d)")
MASKED = re.compile(r"^1[3-9]\d\*{4}\d{4}$")


def fetch(backend, token, ids) -> list[dict]:
    return [get_event(backend, token, i) for i in ids]


def check_event(event: dict) -> None:
    Event.model_validate(event)
    assert HAN.search(event["title"]) and HAN.search(event["description"])
    assert event["location"]["address"].startswith("梁溪区")
    assert 120.24 <= event["location"]["lon"] <= 120.36
    assert 31.53 <= event["location"]["lat"] <= 31.62
    phone = event["reporter"]["phone_masked"]
    assert phone == "" or MASKED.match(phone), phone
    reported = datetime.fromisoformat(event["reported_at"])
    assert reported.utcoffset() == CST.utcoffset(None)


def test_every_source_with_believable_content(backend_factory):
    proc = backend_factory()
    token = proc.login("duty1")
    catalog = requests.get(f"{proc.url}{API}/catalog", headers=bearer(token), timeout=10).json()
    categories = {c["code"]: c for c in catalog["categories"]}
    for source in SIM_SOURCES:
        events = fetch(proc, token, proc.sim_events(4, source=source)["ids"])
        assert {e["source"] for e in events} == {source}
        for event in events:
            check_event(event)
    events = fetch(proc, token, proc.sim_events(60)["ids"])
    assert len({e["source"] for e in events}) >= 4
    assert len({e["category"] for e in events}) >= 10
    assert len({e["location"]["street_id"] for e in events}) >= 8
    for event in events:
        check_event(event)
        category = categories[event["category"]]
        assert abs(event["level"] - category["default_level"]) <= 1
        reported = datetime.fromisoformat(event["reported_at"])
        sign_due = datetime.fromisoformat(event["sla"]["sign_due"])
        resolve_due = datetime.fromisoformat(event["sla"]["resolve_due"])
        assert (sign_due - reported).total_seconds() == category["sla"]["sign_minutes"] * 60
        assert (resolve_due - reported).total_seconds() == \
            category["sla"]["resolve_hours"] * 3600
    level_one = fetch(proc, token, proc.sim_events(2, level=1)["ids"])
    assert {e["level"] for e in level_one} == {1}

    # Full numbers typed into notes or a manual report are masked before they are stored.
    act(proc, token, events[0]["id"], {"action": "note", "expected_version": 1,
                                       "note": "报告人电话13912345678，已回访"})
    assert "139****5678" in get_event(proc, token, events[0]["id"])["timeline"][-1]["detail"]
    listing = requests.get(f"{proc.url}{API}/events", headers=bearer(token), timeout=10)
    assert not FULL_PHONE.search(listing.content)
    proc.stop()
    for path in Path(proc.db_path).parent.glob("backend.db*"):
        assert not FULL_PHONE.search(path.read_bytes()), path


def test_bursts_bring_their_categories(backend):
    admin = backend.headers("admin")
    token = backend.login("duty1")
    answer = requests.post(f"{backend.url}{API}/sim/burst", json={"kind": "rainstorm"},
                           headers=admin, timeout=30)
    assert answer.status_code == 200, answer.text
    rain = fetch(backend, token, answer.json()["ids"])
    assert len(rain) >= 10
    categories = [e["category"] for e in rain]
    assert set(categories) <= BURST_CATEGORIES["rainstorm"]
    assert categories.count("flood_typhoon") > len(rain) / 2
    assert "iot" in {e["source"] for e in rain}
    for event in rain:
        check_event(event)

    answer = requests.post(f"{backend.url}{API}/sim/burst",
                           json={"kind": "holiday_crowd", "count": 20}, headers=admin, timeout=30)
    crowd = fetch(backend, token, answer.json()["ids"])
    assert len(crowd) == 20
    assert set(e["category"] for e in crowd) <= BURST_CATEGORIES["holiday_crowd"]
    assert "crowd_warning" in {e["category"] for e in crowd}
    assert {e["location"]["street_id"] for e in crowd} <= {"qingmingqiao", "huishan"}
    assert any(re.search("清名桥|南长街|惠山古镇", e["title"]) for e in crowd)
    for event in crowd:
        check_event(event)


def test_generation_is_deterministic_for_a_seed():
    now = datetime(2024, 6, 1, 9, 30, tzinfo=CST)
    a = [EventGenerator(7).make(n, now) for n in range(1, 30)]
    b = [EventGenerator(7).make(n, now) for n in range(1, 30)]
    c = [EventGenerator(8).make(n, now) for n in range(1, 30)]
    assert a == b
    assert [e["title"] for e in a] != [e["title"] for e in c]
