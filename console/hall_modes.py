"""The hall's modes as rules: normal (平时), emergency (战时) and topic (专题).

One switch changes every screen at once; what each mode means is data here, and the views
only apply it (views/hall_modes.py):

- the views and their arrangement on the walls: a hall file may give a wall other views in a
  mode (`[mode.emergency] walls = {...}`); otherwise the wall keeps its views, with the
  mode's `first_views` put first (the big cell of a `1+2` wall, the first tab);
- the operation map's layers (`layer_on`);
- the indicator groups the dashboard shows (`indicator_groups`, None: all of them);
- the video wall's preset: a layout, and in emergency mode the focus event's nearest cameras;
- the alert sound policy: the most serious levels whose tones still sound (`sounds`); the
  banner and the row flash are never silenced by a mode. The user's own alert settings
  (Alerts menu) stay as they are: a mode can only make the hall quieter, not louder.

Built-in rules (`DEFAULT_PROFILES`):

| mode      | map layers off | indicator groups                 | video wall        | tones    |
|-----------|----------------|----------------------------------|-------------------|----------|
| normal    | none           | all                              | as the user left  | user's   |
| emergency | grids          | safety, operations               | 1+5, focus cameras| level 1  |
| topic     | grids, teams   | economy, traffic, environment    | 9                 | user's   |

Emergency mode follows one event, the focus: `focus_candidates` are the open level-1 and
level-2 events, newest first, for the operator to choose from; `default_focus` (for
`--profile emergency` without `--focus`, or a scheduled switch) is the newest open level-1
event. `related_indicators` are the indicators the dashboard shows first for the focus: those
placed within `RELATED_RADIUS_M` of it (nearest first), then those of the indicator group
that matches the event's category (`category_group`).

A daily schedule (`[[schedule]] at = "08:30", mode = "normal"`) switches modes by the
clock: `due_switch` says which switch fell between two readings of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from console.hall import (
    MAP_LAYERS,
    MODES,
    HallLayout,
    HallScreen,
    Mode,
    ModeSettings,
    ScheduleEntry,
    ViewKind,
)
from console.schema import OPEN_STATUSES, Catalog, Event, Indicator
from console.units import distance_km

__all__ = ["DEFAULT_PROFILES", "MODES", "Mode", "ModeProfile", "arrange", "category_group",
           "default_focus", "due_switch", "focus_candidates", "next_mode", "profile_for",
           "related_indicators"]

#: Indicators placed within this distance of the focus event are related to it.
RELATED_RADIUS_M = 1500.0
#: Event category (or its parent) → the indicator group that watches the same things.
CATEGORY_GROUPS: dict[str, str] = {
    "safety": "safety", "urban": "environment", "economy": "economy", "society": "livelihood",
    "illegal_parking": "traffic", "muck_truck": "traffic", "shared_bike": "traffic",
    "water_env": "environment", "noise": "environment", "major_event": "economy",
    "crowd_warning": "economy", "public_help": "livelihood",
}
#: How many of the store's newest rows `focus_candidates` reads (rows are appended as events
#: arrive, so the open severe events of the day are among them).
FOCUS_SCAN_ROWS = 20000


class ModeProfile(BaseModel):
    """What one mode sets on every screen (see the module docstring)."""

    model_config = ConfigDict(frozen=True)

    mode: Mode
    map_layers_off: frozenset[str] = frozenset()
    indicator_groups: tuple[str, ...] | None = None
    video_layout: str | None = None
    #: Fill the video wall with the focus event's nearest cameras.
    video_follows_focus: bool = False
    #: Tones sound for levels 1..this (None: as the user's alert settings say; 0: none).
    alert_sound_max_level: int | None = Field(default=None, ge=0, le=4)
    first_views: tuple[ViewKind, ...] = ()
    #: Walls whose views and arrangement this mode replaces (from the hall file).
    walls: dict[str, tuple[tuple[ViewKind, ...], str | None]] = Field(default_factory=dict)
    #: Entering the mode asks for (or picks) the event to follow.
    needs_focus: bool = False

    def layer_on(self, layer_id: str) -> bool:
        return layer_id not in self.map_layers_off

    def map_layers(self) -> dict[str, bool]:
        """Every map layer → on/off in this mode."""
        return {layer: self.layer_on(layer) for layer in MAP_LAYERS}

    def sounds(self, level: int) -> bool:
        """True when an alert tone of `level` may sound in this mode (the user's own policy
        still decides whether it alerts at all)."""
        return self.alert_sound_max_level is None or 1 <= level <= self.alert_sound_max_level


DEFAULT_PROFILES: dict[str, ModeProfile] = {
    "normal": ModeProfile(mode="normal"),
    "emergency": ModeProfile(
        mode="emergency", map_layers_off=frozenset({"grids"}),
        indicator_groups=("safety", "operations"), video_layout="1+5",
        video_follows_focus=True, alert_sound_max_level=1,
        first_views=("map", "video_wall"), needs_focus=True),
    "topic": ModeProfile(
        mode="topic", map_layers_off=frozenset({"grids", "teams"}),
        indicator_groups=("economy", "traffic", "environment"), video_layout="9",
        first_views=("dashboard", "map")),
}


def profile_for(mode: str, layout: HallLayout | None = None) -> ModeProfile:
    """The rules of `mode`: the built-in ones with the hall file's `[mode.<mode>]` on top."""
    if mode not in DEFAULT_PROFILES:
        raise ValueError(f"unknown mode {mode!r}; the modes are {', '.join(MODES)}")
    base = DEFAULT_PROFILES[mode]
    settings: ModeSettings | None = layout.modes.get(mode) if layout is not None else None
    if settings is None:
        return base
    update: dict = {}
    if settings.indicator_groups:
        update["indicator_groups"] = tuple(settings.indicator_groups)
    if settings.map_layers:
        off = set(base.map_layers_off)
        for layer, on in settings.map_layers.items():
            (off.discard if on else off.add)(layer)
        update["map_layers_off"] = frozenset(off)
    if settings.video_layout is not None:
        update["video_layout"] = settings.video_layout
    if settings.alert_sound_max_level is not None:
        update["alert_sound_max_level"] = settings.alert_sound_max_level
    if settings.first_views is not None:
        update["first_views"] = tuple(settings.first_views)
    if settings.walls:
        update["walls"] = {wall: (tuple(spec.views), spec.arrangement)
                           for wall, spec in settings.walls.items()}
    return base.model_copy(update=update)


def next_mode(mode: str) -> str:
    """The mode after `mode` in the cycle normal → emergency → topic → normal."""
    return MODES[(MODES.index(mode) + 1) % len(MODES)] if mode in MODES else MODES[0]


# ---- the screens


def _first(views: Sequence[str], first: Sequence[str]) -> list[str]:
    front = [v for v in first if v in views]
    return front + [v for v in views if v not in front]


def arrange(layout: HallLayout, profile: ModeProfile) -> HallLayout:
    """`layout` as it stands in `profile`'s mode: walls the mode names get the mode's views
    and arrangement; every other screen keeps its views, the mode's first views put first.
    Screen ids and matches are unchanged, so the windows stay where they are."""
    screens: list[HallScreen] = []
    for screen in layout.screens:
        if screen.id in profile.walls:
            views, arrangement = profile.walls[screen.id]
            screens.append(screen.model_copy(update={"views": list(views),
                                                     "arrangement": arrangement}))
        else:
            views = _first(screen.views, profile.first_views)
            screens.append(screen.model_copy(update={"views": views}))
    return layout.model_copy(update={"screens": screens})


# ---- the focus event


def focus_candidates(store, scan_rows: int = FOCUS_SCAN_ROWS) -> list[Event]:
    """The open level-1 and level-2 events among the store's newest `scan_rows` rows, newest
    (by report time) first: what the operator chooses the emergency's focus from."""
    found: list[Event] = []
    total = len(store)
    for row in range(total - 1, max(-1, total - 1 - scan_rows), -1):
        event = store.event_at(row)
        if event.level <= 2 and event.status in OPEN_STATUSES:
            found.append(event)
    found.sort(key=lambda e: (e.reported_at, e.id), reverse=True)
    return found


def default_focus(candidates: Iterable[Event]) -> Event | None:
    """The newest open level-1 event among `candidates` (None: there is none; ask)."""
    level_one = [e for e in candidates if e.level == 1 and e.status in OPEN_STATUSES]
    return max(level_one, key=lambda e: (e.reported_at, e.id), default=None)


def category_group(category: str, catalog: Catalog | None = None) -> str | None:
    """The indicator group that watches what events of `category` are about: the category's
    own entry in `CATEGORY_GROUPS`, else its parent's (from `catalog`), else None."""
    if category in CATEGORY_GROUPS:
        return CATEGORY_GROUPS[category]
    if catalog is not None:
        parent = next((c.parent for c in catalog.categories if c.code == category), None)
        if parent is not None:
            return CATEGORY_GROUPS.get(parent)
    return None


def related_indicators(event: Event, indicators: Iterable[Indicator],
                       catalog: Catalog | None = None,
                       radius_m: float = RELATED_RADIUS_M) -> list[str]:
    """The indicators related to `event`, most related first: those placed at a street-level
    site (not district-wide figures) within `radius_m` of it, nearest first; then those of
    the group of its category (`category_group`), in the board's order."""
    indicators = list(indicators)
    here = (event.location.lon, event.location.lat)
    near: list[tuple[float, str]] = []
    for indicator in indicators:
        place = indicator.location
        if place is None or place.street_id is None:
            continue
        metres = distance_km(here, (place.lon, place.lat)) * 1000.0
        if metres <= radius_m:
            near.append((metres, indicator.id))
    near.sort()
    result = [indicator_id for _m, indicator_id in near]
    group = category_group(event.category, catalog)
    result += [i.id for i in indicators if i.group == group and i.id not in result]
    return result


# ---- the schedule


def due_switch(schedule: Sequence[ScheduleEntry], since: datetime,
               now: datetime) -> ScheduleEntry | None:
    """The latest schedule entry whose time of day fell in (since, now] (across midnight
    too; a gap over a day gives the last entry before `now`), or None."""
    if not schedule or now <= since:
        return None
    best: tuple[datetime, ScheduleEntry] | None = None
    day = since.replace(hour=0, minute=0, second=0, microsecond=0)
    last_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if last_day - day > timedelta(days=1):
        day = last_day - timedelta(days=1)
    while day <= last_day:
        for entry in schedule:
            moment = day + timedelta(minutes=entry.minute)
            if since < moment <= now and (best is None or moment >= best[0]):
                best = (moment, entry)
        day += timedelta(days=1)
    return best[1] if best is not None else None
