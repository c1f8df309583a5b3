"""The hall's screens as data: which screen plays which role and which views stand on it.

A hall layout names one **desk** screen (the operator's own) and any number of **wall**
screens, each with the views that stand on it (`map`, `video_wall`, `dashboard`,
`event_board`, `statistics`) and how they are arranged in it. It comes from a hall file
(TOML or JSON, `--hall FILE`) or, without one, from `default_layout()` for the screens found.

A hall file, in TOML::

    [[screen]]
    id = "desk"               # optional; "desk", "wall-1", "wall-2"… by default
    role = "desk"
    match = { position = 0 }  # name = "DP-1" | index = 0 | position = 0 (left to right)
    views = ["event_board"]

    [[screen]]
    role = "wall"
    match = { name = "HDMI-1" }
    arrangement = "1+2"       # single | tabs | columns | rows | 2x2 | 1+2
    views = ["map", "dashboard", "statistics"]

The same as JSON: `{"screen": [{...}, {...}]}` ("screens" is accepted too).

Optionally, the hall's modes (normal 平时, emergency 战时, topic 专题; console/hall_modes.py
holds their built-in rules) may be adjusted, and a daily schedule may switch them::

    [mode.emergency]
    indicator_groups = ["safety", "operations"]   # the dashboard's groups ([] or absent: default)
    map_layers = { grids = false, teams = true }  # layers named here are set, others default
    video_layout = "1+5"                          # a video wall layout (console/video_wall.py)
    alert_sound_max_level = 1                     # tones for levels 1..N only (0: silent)
    first_views = ["map", "video_wall"]           # put first on every screen
    walls = { wall-1 = { views = ["map", "video_wall"], arrangement = "columns" } }

    [[schedule]]
    at = "08:30"
    mode = "normal"

Screens are matched to the physical screens once (`bind`), and from then on by their name,
so unplugging one screen does not shift the others' roles; `place` then says where each
window stands now: at home, or as a guest on a remaining screen while its own is gone (R7).
Nothing here knows Qt: the views side describes its screens as `ScreenInfo`.
"""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from console.schema import INDICATOR_GROUPS
from console.video_wall import LAYOUTS as VIDEO_LAYOUTS

ViewKind = Literal["map", "video_wall", "dashboard", "event_board", "statistics"]
VIEW_KINDS: tuple[str, ...] = ("map", "video_wall", "dashboard", "event_board", "statistics")
Role = Literal["desk", "wall"]
Arrangement = Literal["single", "tabs", "columns", "rows", "2x2", "1+2"]
Mode = Literal["normal", "emergency", "topic"]
MODES: tuple[str, ...] = ("normal", "emergency", "topic")
#: The operation map's layers a mode may turn on or off (views/operation_map.py's checkboxes).
MAP_LAYERS: tuple[str, ...] = ("events", "teams", "cameras", "sensors", "grids", "roads",
                               "waterways", "streets")

#: The views the walls share when the console picks the layout, in the order they are given
#: out (the first walls get one each; more walls repeat them from `_REPEATS`).
_WALL_VIEWS: tuple[str, ...] = ("map", "video_wall", "dashboard", "statistics")
_REPEATS: tuple[str, ...] = ("video_wall", "map", "dashboard", "statistics")


class HallFileError(ValueError):
    """A hall file that cannot be used; the message names the file and the problem."""


class ScreenInfo(BaseModel):
    """A physical screen as the window system shows it (logical pixels)."""

    model_config = ConfigDict(frozen=True)

    name: str
    index: int = 0  # its place in the window system's list
    x: int = 0
    y: int = 0
    width: int = 1920
    height: int = 1080
    primary: bool = False

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2


class ScreenMatch(BaseModel):
    """How a layout screen finds its physical screen: exactly one of name, index, position.

    `index` counts in the window system's list; `position` counts left to right (then top
    to bottom), both from 0."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(default=None, min_length=1)
    index: int | None = Field(default=None, ge=0)
    position: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _exactly_one(self) -> ScreenMatch:
        given = [k for k in ("name", "index", "position") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"match needs exactly one of name, index, position (got "
                             f"{', '.join(given) or 'none'})")
        return self

    def describe(self) -> str:
        key = next(k for k in ("name", "index", "position") if getattr(self, k) is not None)
        return f"{key}={getattr(self, key)!r}"

    def find(self, screens: list[ScreenInfo]) -> ScreenInfo | None:
        """The screen this match names among `screens`, or None."""
        if self.name is not None:
            return next((s for s in screens if s.name == self.name), None)
        if self.index is not None:
            return next((s for s in screens if s.index == self.index), None)
        ordered = left_to_right(screens)
        return ordered[self.position] if self.position < len(ordered) else None


class Cell(BaseModel):
    """Where one view stands in its screen's grid."""

    model_config = ConfigDict(frozen=True)

    view: ViewKind
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1


class HallScreen(BaseModel):
    """One screen of the hall: its role, how it is found, and its views and their arrangement.

    `tabs` puts every view in one tab widget (one visible at a time); the other arrangements
    show all views at once: `columns`/`rows` side by side / stacked, `2x2` a grid of up to
    four, `1+2` a large cell on the left (the first view) and two stacked on the right."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = ""
    role: Role
    match: ScreenMatch | None = None
    views: list[ViewKind] = Field(min_length=1)
    arrangement: Arrangement | None = None  # None: single for one view, else tabs (desk) / 2x2

    @model_validator(mode="after")
    def _fits(self) -> HallScreen:
        if len(set(self.views)) != len(self.views):
            raise ValueError(f"a view appears twice on one screen: {self.views}")
        n, arr = len(self.views), self.effective_arrangement
        limits = {"single": (1, 1), "2x2": (2, 4), "1+2": (3, 3)}
        low, high = limits.get(arr, (1, 99))
        if not low <= n <= high:
            raise ValueError(f"arrangement {arr!r} takes {low}–{high} views, got {n}")
        return self

    @property
    def effective_arrangement(self) -> str:
        if self.arrangement is not None:
            return self.arrangement
        if len(self.views) == 1:
            return "single"
        return "tabs" if self.role == "desk" or len(self.views) > 4 else "2x2"

    def grid(self) -> tuple[int, int]:
        """(rows, columns) of this screen's grid (`tabs` is one cell holding the tab widget)."""
        n, arr = len(self.views), self.effective_arrangement
        return {"single": (1, 1), "tabs": (1, 1), "columns": (1, n), "rows": (n, 1),
                "2x2": (math.ceil(n / 2), 2 if n > 1 else 1), "1+2": (2, 2)}[arr]

    def cells(self) -> list[Cell]:
        """The views with their grid cells (for `tabs`, every view in cell 0,0, in tab order)."""
        arr = self.effective_arrangement
        if arr in ("single", "tabs"):
            return [Cell(view=v, row=0, col=0) for v in self.views]
        if arr == "columns":
            return [Cell(view=v, row=0, col=i) for i, v in enumerate(self.views)]
        if arr == "rows":
            return [Cell(view=v, row=i, col=0) for i, v in enumerate(self.views)]
        if arr == "1+2":
            big, top, bottom = self.views
            return [Cell(view=big, row=0, col=0, row_span=2), Cell(view=top, row=0, col=1),
                    Cell(view=bottom, row=1, col=1)]
        cells = [Cell(view=v, row=i // 2, col=i % 2) for i, v in enumerate(self.views)]
        if len(cells) == 3:  # the third spans the bottom row
            cells[2] = cells[2].model_copy(update={"col_span": 2})
        return cells


class WallViews(BaseModel):
    """A mode's views and arrangement for one wall screen (instead of the layout's own)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    views: list[ViewKind] = Field(min_length=1)
    arrangement: Arrangement | None = None


class ModeSettings(BaseModel):
    """A hall file's adjustments to one mode's built-in rules (`[mode.<name>]`); what is not
    given keeps the built-in value (console/hall_modes.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    indicator_groups: list[str] | None = None
    map_layers: dict[str, bool] = Field(default_factory=dict)
    video_layout: str | None = None
    alert_sound_max_level: int | None = Field(default=None, ge=0, le=4)
    first_views: list[ViewKind] | None = None
    walls: dict[str, WallViews] = Field(default_factory=dict)

    @field_validator("indicator_groups")
    @classmethod
    def _known_groups(cls, groups: list[str] | None) -> list[str] | None:
        unknown = [g for g in groups or () if g not in INDICATOR_GROUPS]
        if unknown:
            raise ValueError(f"unknown indicator group(s) {unknown}; the groups are "
                             f"{', '.join(INDICATOR_GROUPS)}")
        return groups

    @field_validator("map_layers")
    @classmethod
    def _known_layers(cls, layers: dict[str, bool]) -> dict[str, bool]:
        unknown = [name for name in layers if name not in MAP_LAYERS]
        if unknown:
            raise ValueError(f"unknown map layer(s) {unknown}; the layers are "
                             f"{', '.join(MAP_LAYERS)}")
        return layers

    @field_validator("video_layout")
    @classmethod
    def _known_layout(cls, name: str | None) -> str | None:
        if name is not None and name not in VIDEO_LAYOUTS:
            raise ValueError(f"unknown video wall layout {name!r}; the layouts are "
                             f"{', '.join(VIDEO_LAYOUTS)}")
        return name


class ScheduleEntry(BaseModel):
    """`[[schedule]] at = "HH:MM", mode = "normal"`: every day at `at` (the console's local
    time) the hall switches to `mode`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    at: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    mode: Mode

    @property
    def minute(self) -> int:
        """Minutes after midnight."""
        hours, minutes = self.at.split(":")
        return int(hours) * 60 + int(minutes)


class HallLayout(BaseModel):
    """The whole hall: exactly one desk screen, any number of wall screens."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    screens: list[HallScreen] = Field(min_length=1)
    source: str | None = None  # the file it came from, for messages
    #: A hall file's adjustments of the modes (`[mode.emergency]` …), by mode.
    modes: dict[Mode, ModeSettings] = Field(default_factory=dict)
    #: The daily mode switches (`[[schedule]]`), in the order of their times.
    schedule: list[ScheduleEntry] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _accept_screen_key(cls, data):
        if isinstance(data, dict) and "screen" in data and "screens" not in data:
            data = {k: v for k, v in data.items() if k != "screen"} | {"screens": data["screen"]}
        if isinstance(data, dict) and "mode" in data and "modes" not in data:
            data = {k: v for k, v in data.items() if k != "mode"} | {"modes": data["mode"]}
        return data

    @model_validator(mode="after")
    def _check(self) -> HallLayout:
        desks = [s for s in self.screens if s.role == "desk"]
        if len(desks) != 1:
            raise ValueError(f"a hall has exactly one desk screen, this one has {len(desks)}")
        named: list[HallScreen] = []
        walls = 0
        for i, screen in enumerate(self.screens):
            update: dict = {}
            if not screen.id:
                if screen.role == "wall":
                    walls += 1
                update["id"] = "desk" if screen.role == "desk" else f"wall-{walls}"
            elif screen.role == "wall":
                walls += 1
            if screen.match is None:
                update["match"] = ScreenMatch(position=i)
            named.append(screen.model_copy(update=update) if update else screen)
        ids = [s.id for s in named]
        if len(set(ids)) != len(ids):
            raise ValueError(f"screen ids must differ: {ids}")
        matches = [s.match for s in named]
        for a in range(len(matches)):
            for b in range(a + 1, len(matches)):
                if matches[a] == matches[b]:
                    raise ValueError(f"screens {ids[a]!r} and {ids[b]!r} both match "
                                     f"{matches[a].describe()}")
        object.__setattr__(self, "screens", named)
        walls = {s.id for s in named if s.role == "wall"}
        for mode, settings in self.modes.items():
            for wall_id, spec in settings.walls.items():
                if wall_id not in walls:
                    raise ValueError(f"mode {mode!r} arranges {wall_id!r}, which is not a wall "
                                     f"screen of this hall (walls: {', '.join(sorted(walls)) or 'none'})")
                try:
                    HallScreen(id=wall_id, role="wall", views=spec.views,
                               arrangement=spec.arrangement)
                except ValidationError as exc:
                    problem = exc.errors()[0].get("msg", "invalid").removeprefix("Value error, ")
                    raise ValueError(f"mode {mode!r}, wall {wall_id!r}: {problem}") from None
        times = [entry.at for entry in self.schedule]
        if len(set(times)) != len(times):
            raise ValueError(f"two schedule entries at the same time: {sorted(times)}")
        object.__setattr__(self, "schedule", sorted(self.schedule, key=lambda e: e.minute))
        return self

    @property
    def desk(self) -> HallScreen:
        return next(s for s in self.screens if s.role == "desk")

    @property
    def walls(self) -> list[HallScreen]:
        return [s for s in self.screens if s.role == "wall"]

    def screen(self, screen_id: str) -> HallScreen:
        return next(s for s in self.screens if s.id == screen_id)

    def views_on(self, role: Role) -> list[str]:
        """Every view that stands on a screen of `role`, once each, in layout order."""
        seen: list[str] = []
        for s in self.screens:
            if s.role == role:
                seen.extend(v for v in s.views if v not in seen)
        return seen


def left_to_right(screens: list[ScreenInfo]) -> list[ScreenInfo]:
    """The screens ordered left to right, then top to bottom."""
    return sorted(screens, key=lambda s: (s.x, s.y, s.index))


def load_layout(path: str | Path) -> HallLayout:
    """Read a hall file (.toml or .json); raise HallFileError naming the file and the problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise HallFileError(f"hall file {path}: cannot read it ({exc.strerror or exc})") from exc
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(raw)
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        kind = "JSON" if path.suffix.lower() == ".json" else "TOML"
        raise HallFileError(f"hall file {path}: not valid {kind}: {exc}") from exc
    if not isinstance(data, dict):
        raise HallFileError(f"hall file {path}: expected a table/object with a 'screen' list")
    try:
        return HallLayout.model_validate({**data, "source": str(path)})
    except ValidationError as exc:
        problems = "; ".join(_describe_error(e, data) for e in exc.errors())
        raise HallFileError(f"hall file {path}: {problems}") from exc


def _describe_error(error: dict, data: dict) -> str:
    loc = list(error.get("loc", ()))
    where = ""
    if len(loc) >= 2 and loc[0] in ("screens", "screen") and isinstance(loc[1], int):
        where = f"screen {loc[1] + 1}"
        rest = [str(p) for p in loc[2:] if not str(p).startswith("function-")]
        if rest:
            where += f" ({'.'.join(rest)})"
        where += ": "
    elif len(loc) >= 2 and loc[0] == "schedule" and isinstance(loc[1], int):
        rest = ".".join(str(p) for p in loc[2:])
        where = f"schedule entry {loc[1] + 1}" + (f" ({rest})" if rest else "") + ": "
    elif loc and loc[0] == "modes":
        where = f"mode {'.'.join(str(p) for p in loc[1:])}: " if len(loc) > 1 else "mode: "
    elif loc:
        where = f"{'.'.join(str(p) for p in loc)}: "
    message = error.get("msg", "invalid").removeprefix("Value error, ")
    if error.get("type") == "literal_error" and "input" in error:
        message = f"{error['input']!r} is not one of: {error.get('ctx', {}).get('expected', '')}"
    elif error.get("type") == "string_pattern_mismatch":
        message = f"{error.get('input')!r} is not a time of day as HH:MM"
    return where + message


def default_layout(screens: list[ScreenInfo]) -> HallLayout:
    """A sensible hall for the screens found.

    One screen: the desk holds every view (as tabs). Two or more: the primary screen (or the
    leftmost) is the desk with the event board (queue + detail); the others, left to right,
    are walls sharing the map, video wall, dashboard and statistics: one wall takes all four
    (2×2); two walls take map + dashboard + statistics (1+2) and the video wall; three take
    the map, the video wall, and dashboard over statistics; four or more one view each, the
    views repeating (video wall first) on the walls beyond four."""
    if not screens:
        raise ValueError("no screens")
    if len(screens) == 1:
        only = screens[0]
        return HallLayout(screens=[HallScreen(id="desk", role="desk",
                                              match=ScreenMatch(name=only.name),
                                              views=["event_board", *_WALL_VIEWS],
                                              arrangement="tabs")])
    desk = next((s for s in screens if s.primary), None) or left_to_right(screens)[0]
    walls = [s for s in left_to_right(screens) if s is not desk]
    plans = _wall_plans(len(walls))
    entries = [HallScreen(id="desk", role="desk", match=ScreenMatch(name=desk.name),
                          views=["event_board"], arrangement="single")]
    for i, (screen, (views, arrangement)) in enumerate(zip(walls, plans, strict=True), 1):
        entries.append(HallScreen(id=f"wall-{i}", role="wall", match=ScreenMatch(name=screen.name),
                                  views=views, arrangement=arrangement))
    return HallLayout(screens=entries)


def _wall_plans(n: int) -> list[tuple[list[str], str]]:
    if n == 1:
        return [(list(_WALL_VIEWS), "2x2")]
    if n == 2:
        return [(["map", "dashboard", "statistics"], "1+2"), (["video_wall"], "single")]
    if n == 3:
        return [(["map"], "single"), (["video_wall"], "single"),
                (["dashboard", "statistics"], "rows")]
    views = list(_WALL_VIEWS) + [_REPEATS[i % len(_REPEATS)] for i in range(n - len(_WALL_VIEWS))]
    return [([v], "single") for v in views]


# --- screens coming and going --------------------------------------------------------------


class Placement(BaseModel):
    """Where the window of layout screen `screen_id` stands now.

    `home`: on its own screen (full screen, for a wall). Otherwise a guest on `target` while
    its own screen is gone, in `slot` (0, 1, …) among the guests there."""

    model_config = ConfigDict(frozen=True)

    screen_id: str
    role: Role
    target: ScreenInfo
    home: bool
    slot: int = 0


def bind(layout: HallLayout, screens: list[ScreenInfo],
         bound: dict[str, str] | None = None) -> dict[str, str]:
    """Layout screen id → physical screen name, for those that can be matched now.

    Bindings already made (`bound`) are kept even if their screen is gone, so that roles do
    not shift when a screen is unplugged; the others are matched (name, index, position)
    among the screens not yet claimed, names first."""
    result = dict(bound or {})
    claimed = set(result.values())
    pending = [s for s in layout.screens if s.id not in result]
    pending.sort(key=lambda s: s.match.name is None)  # names claim their screens first
    for entry in pending:
        found = entry.match.find(screens)
        if found is not None and found.name not in claimed:
            result[entry.id] = found.name
            claimed.add(found.name)
    return result


def place(layout: HallLayout, screens: list[ScreenInfo], binding: dict[str, str],
          last_seen: dict[str, ScreenInfo] | None = None) -> list[Placement]:
    """Where every layout screen's window stands with the screens present now.

    A window whose screen is here stands at home. Otherwise it is a guest on the nearest
    remaining screen to where its own screen was (`last_seen`, by name); walls prefer other
    walls to the desk's screen, so the operator's desk is covered only when nothing else is
    left. Guests on one screen get slots 0, 1, … in layout order."""
    if not screens:
        return []
    by_name = {s.name: s for s in screens}
    last_seen = last_seen or {}
    desk_home = by_name.get(binding.get(layout.desk.id, ""))
    wall_homes = {binding[w.id] for w in layout.walls if binding.get(w.id) in by_name}
    result: list[Placement] = []
    slots: dict[str, int] = {}
    for entry in layout.screens:
        home = by_name.get(binding.get(entry.id, ""))
        if home is not None:
            result.append(Placement(screen_id=entry.id, role=entry.role, target=home, home=True))
            continue
        candidates = list(screens)
        if entry.role == "wall":
            walls = [s for s in screens if s.name in wall_homes]
            others = [s for s in screens if s is not desk_home]
            candidates = walls or others or candidates
        was = last_seen.get(binding.get(entry.id, ""))
        target = _nearest(candidates, was) if was is not None else left_to_right(candidates)[-1]
        if entry.role == "desk" and was is None:
            target = next((s for s in screens if s.primary), left_to_right(screens)[0])
        slot = slots.get(target.name, 0)
        slots[target.name] = slot + 1
        result.append(Placement(screen_id=entry.id, role=entry.role, target=target, home=False,
                                slot=slot))
    return result


def _nearest(screens: list[ScreenInfo], was: ScreenInfo) -> ScreenInfo:
    cx, cy = was.center
    return min(screens, key=lambda s: (math.hypot(s.center[0] - cx, s.center[1] - cy), s.index))


def guest_geometry(target: ScreenInfo, slot: int) -> tuple[int, int, int, int]:
    """(x, y, width, height) of a guest window on `target`: 60 % of the screen, cascaded from
    its top-left by slot, so the guest and its host stay visible together."""
    w, h = int(target.width * 0.6), int(target.height * 0.6)
    step = max(24, target.height // 20)
    room_x, room_y = target.width - w, target.height - h
    dx = (target.width // 20 + slot * step) % max(1, room_x)
    dy = (target.height // 20 + slot * step) % max(1, room_y)
    return target.x + dx, target.y + dy, w, h


def wall_font_points(logical_height: int) -> float:
    """The wall windows' base type size: 18 pt on a 1080-line screen, in proportion above it
    (capped at 40 pt), for reading from across the hall."""
    return round(min(40.0, 18.0 * max(1.0, logical_height / 1080)), 1)
