"""console/hall_modes.py and the hall file's modes and schedule (no Qt)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from backend.catalog_data import build_catalog
from console.hall import HallFileError, ScreenInfo, default_layout, load_layout
from console.hall_modes import (
    DEFAULT_PROFILES,
    arrange,
    category_group,
    default_focus,
    due_switch,
    focus_candidates,
    next_mode,
    profile_for,
    related_indicators,
)
from console.schema import CST, Catalog, Event, Indicator, Location

HALL = """
[[screen]]
role = "desk"
views = ["event_board"]

[[screen]]
role = "wall"
arrangement = "1+2"
views = ["dashboard", "map", "statistics"]

[[screen]]
role = "wall"
views = ["video_wall"]

[mode.emergency]
indicator_groups = ["safety"]
map_layers = { grids = true, teams = false }
video_layout = "9"
alert_sound_max_level = 2
walls = { wall-2 = { views = ["video_wall", "statistics"], arrangement = "rows" } }

[[schedule]]
at = "20:00"
mode = "topic"

[[schedule]]
at = "08:30"
mode = "normal"
"""


def _write(tmp_path, text: str, name: str = "hall.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_built_in_rules():
    normal, emergency, topic = (DEFAULT_PROFILES[m] for m in ("normal", "emergency", "topic"))
    assert all(normal.map_layers().values()) and normal.indicator_groups is None
    assert normal.sounds(2) and normal.video_layout is None and not normal.needs_focus
    assert emergency.map_layers()["grids"] is False and emergency.layer_on("events")
    assert emergency.indicator_groups == ("safety", "operations")
    assert emergency.video_layout == "1+5" and emergency.video_follows_focus
    assert emergency.sounds(1) and not emergency.sounds(2) and emergency.needs_focus
    assert topic.indicator_groups == ("economy", "traffic", "environment")
    assert not topic.layer_on("teams") and topic.sounds(2)
    assert [next_mode(m) for m in ("normal", "emergency", "topic")] == [
        "emergency", "topic", "normal"]
    with pytest.raises(ValueError, match="unknown mode"):
        profile_for("wartime")


def test_hall_file_modes_and_schedule(tmp_path):
    layout = load_layout(_write(tmp_path, HALL))
    assert [e.at for e in layout.schedule] == ["08:30", "20:00"]  # in time order
    emergency = profile_for("emergency", layout)
    assert emergency.indicator_groups == ("safety",)
    assert emergency.layer_on("grids") and not emergency.layer_on("teams")
    assert emergency.video_layout == "9" and emergency.sounds(2)
    assert emergency.video_follows_focus  # not given: the built-in value
    arranged = arrange(layout, emergency)
    wall1, wall2 = arranged.walls
    assert wall1.views == ["map", "dashboard", "statistics"]  # map first, still 1+2
    assert (wall2.views, wall2.effective_arrangement) == (["video_wall", "statistics"], "rows")
    assert [s.match for s in arranged.screens] == [s.match for s in layout.screens]
    assert arrange(layout, profile_for("normal", layout)).walls[0].views == [
        "dashboard", "map", "statistics"]


@pytest.mark.parametrize(("extra", "expected"), [
    ('[mode.wartime]\nvideo_layout = "4"\n', "'wartime' is not one of"),
    ('[mode.emergency]\nindicator_groups = ["weather"]\n', "unknown indicator group"),
    ('[mode.emergency]\nmap_layers = { tiles = false }\n', "unknown map layer"),
    ('[mode.emergency]\nvideo_layout = "3"\n', "unknown video wall layout '3'"),
    ('[mode.emergency]\nalert_sound_max_level = 7\n', "mode emergency.alert_sound_max_level"),
    ('[mode.topic]\nwalls = { wall-9 = { views = ["map"] } }\n', "'wall-9', which is not a wall"),
    ('[mode.topic]\nwalls = { wall-1 = { views = ["map"], arrangement = "1+2" } }\n',
     "mode 'topic', wall 'wall-1': arrangement '1+2' takes 3–3 views"),
    ('[[schedule]]\nat = "8:30"\nmode = "normal"\n', "schedule entry 1 (at): '8:30' is not a time"),
    ('[[schedule]]\nat = "08:30"\nmode = "normal"\n[[schedule]]\nat = "08:30"\nmode = "topic"\n',
     "two schedule entries at the same time"),
])
def test_broken_modes_are_refused_clearly(tmp_path, extra, expected):
    base = HALL.split("[mode.emergency]")[0]
    with pytest.raises(HallFileError) as caught:
        load_layout(_write(tmp_path, base + extra))
    assert expected in str(caught.value) and "hall.toml" in str(caught.value)


def test_json_modes(tmp_path):
    path = _write(tmp_path, '{"screen": [{"role": "desk", "views": ["event_board", "map"]}],'
                            ' "mode": {"topic": {"first_views": ["map"]}},'
                            ' "schedule": [{"at": "07:00", "mode": "normal"}]}', "hall.json")
    layout = load_layout(path)
    assert arrange(layout, profile_for("topic", layout)).desk.views == ["map", "event_board"]
    assert layout.schedule[0].minute == 420


def test_schedule_switches(tmp_path):
    layout = load_layout(_write(tmp_path, HALL))
    day = datetime(2024, 5, 1, tzinfo=CST)

    def at(h, m, days=0):
        return day + timedelta(days=days, hours=h, minutes=m)

    assert due_switch(layout.schedule, at(8, 29), at(8, 30)).mode == "normal"
    assert due_switch(layout.schedule, at(8, 30), at(8, 31)) is None  # once only
    assert due_switch(layout.schedule, at(19, 0), at(21, 0)).mode == "topic"
    assert due_switch(layout.schedule, at(23, 50), at(8, 40, days=1)).mode == "normal"
    assert due_switch(layout.schedule, at(7, 0), at(21, 0)).mode == "topic"  # the latest
    assert due_switch(layout.schedule, at(9, 0), at(9, 0, days=5)).mode == "normal"
    assert due_switch([], at(0, 0), at(23, 0)) is None


def _event(eid: str, level: int, status: str, minutes: int, category: str = "gas_safety",
           lon: float = 120.3100, lat: float = 31.5668) -> Event:
    when = datetime(2024, 5, 1, 12, tzinfo=CST) + timedelta(minutes=minutes)
    return Event(id=eid, seq=1, version=1, title=eid, category=category, level=level,
                 source="iot", status=status, location=Location(lon=lon, lat=lat),
                 reported_at=when, updated_at=when)


class _Store:
    def __init__(self, events):
        self._events = events

    def __len__(self):
        return len(self._events)

    def event_at(self, row):
        return self._events[row]


def test_focus_candidates_and_default():
    store = _Store([_event("a", 1, "new", 1), _event("b", 2, "dispatched", 5),
                    _event("c", 3, "new", 9), _event("d", 1, "closed", 10),
                    _event("e", 1, "signed", 3), _event("f", 2, "new", 7)])
    candidates = focus_candidates(store)
    assert [e.id for e in candidates] == ["f", "b", "e", "a"]  # open, level 1–2, newest first
    assert default_focus(candidates).id == "e"
    assert default_focus([e for e in candidates if e.level == 2]) is None


def test_related_indicators():
    def ind(iid, group, lon, lat, street="nanchansi"):
        return Indicator(id=iid, name=iid, group=group,
                         location=Location(lon=lon, lat=lat, street_id=street))

    indicators = [
        ind("safety.level_nanmen", "safety", 120.3102, 31.5668),  # ~20 m
        ind("economy.crowd_nanchansi", "economy", 120.3072, 31.5697),  # ~400 m
        ind("safety.fire_iot", "safety", 120.3035, 31.5800, street=None),  # district-wide
        ind("traffic.tci_tongyang", "traffic", 120.3252, 31.5905),  # far away
        ind("safety.rain_huangxiang", "safety", 120.2852, 31.6108),  # far, same group
    ]
    catalog = Catalog.model_validate(build_catalog())
    event = _event("g", 1, "new", 0)  # gas safety: its parent is "safety"
    assert related_indicators(event, indicators)[:2] == [
        "safety.level_nanmen", "economy.crowd_nanchansi"]  # without a catalog: near ones only
    assert related_indicators(event, indicators, catalog) == [
        "safety.level_nanmen", "economy.crowd_nanchansi", "safety.fire_iot",
        "safety.rain_huangxiang"]
    parking = _event("p", 2, "new", 0, category="illegal_parking", lon=120.0, lat=31.0)
    assert related_indicators(parking, indicators) == ["traffic.tci_tongyang"]
    assert category_group("flood_typhoon") is None  # no catalog: the parent is unknown
    assert category_group("flood_typhoon", catalog) == "safety"
    assert category_group("noise", catalog) == "environment"
    assert category_group("unknown") is None


def test_default_layouts_take_the_modes():
    layout = default_layout([ScreenInfo(name="d", width=1920, height=1080, primary=True),
                             ScreenInfo(name="a", index=1, x=1920, width=3840, height=2160),
                             ScreenInfo(name="b", index=2, x=5760, width=3840, height=2160)])
    arranged = arrange(layout, profile_for("topic"))
    assert arranged.walls[0].views == ["dashboard", "map", "statistics"]
    assert arrange(layout, profile_for("emergency")).walls[0].views == [
        "map", "dashboard", "statistics"]
