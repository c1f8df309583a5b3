"""The video wall's rules, free of Qt: layouts, which camera plays in which tile, tours, and
the saved state.

- `LAYOUTS`: the usual VMS layouts as data: the square grids 1, 4, 9, 16, 25, 36 and the
  "one big tile plus small ones" 1+5 (3×3, a 2×2 big tile), 1+7 (4×4, a 3×3 big tile) and
  1+12 (4×4, a 2×2 big tile in the middle). Tile 0 is the big one; the others follow in
  reading order.
- `WallModel`: the layout, the camera of each tile (a list as long as the largest layout, so
  going 16 → 4 → 16 gives the same cameras back in the same order), the tours and the tours
  playing. `sig_changed()` after every change. `tick(now)` advances the tours that are due:
  the view calls it from a timer, the tests call it with a fake clock.
- `Tour`: a named group of cameras with a dwell time per camera, played on one tile (one
  camera after the other) or on the whole wall (the layout pages through the group).
- `load_state` / `save_state`: a versioned JSON file written atomically (temporary file,
  fsync, rename); an old, unreadable or malformed file gives the default state and one log
  line, never an exception.
"""

from __future__ import annotations

import json
import logging
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from console.events import Signal
from console.schema import Camera

log = logging.getLogger(__name__)

#: The version of the saved state; a file of another version is not read (default used).
STATE_VERSION = 1
STATE_FILE = "video_wall.json"
DEFAULT_LAYOUT = "4"
#: The largest layout `fill` chooses for a group of cameras (event video).
FILL_MAX = 16
#: Dwell times a tour accepts, seconds.
DWELL_RANGE = (1.0, 3600.0)
#: Stream kinds in the order the wall prefers them (MJPEG: intra-only, cheap to scale down
#: in the decoder; then H.264 ones).
KIND_PREFERENCE = ("mjpeg", "flv", "hls", "rtsp")


# ---- layouts


@dataclass(frozen=True)
class Cell:
    """One tile's place in a layout's grid (row, column, spans)."""

    row: int
    col: int
    rows: int = 1
    cols: int = 1


@dataclass(frozen=True)
class Layout:
    """A grid of `rows` × `cols` with its tiles' cells (tile 0 first)."""

    name: str
    rows: int
    cols: int
    cells: tuple[Cell, ...]

    @property
    def count(self) -> int:
        return len(self.cells)


def _grid(n: int) -> Layout:
    return Layout(str(n * n), n, n, tuple(Cell(r, c) for r in range(n) for c in range(n)))


def _big_plus(name: str, n: int, top: int, left: int, span: int) -> Layout:
    big = Cell(top, left, span, span)
    rest = tuple(Cell(r, c) for r in range(n) for c in range(n)
                 if not (top <= r < top + span and left <= c < left + span))
    return Layout(name, n, n, (big, *rest))


LAYOUTS: dict[str, Layout] = {
    layout.name: layout for layout in (
        _grid(1), _grid(2), _grid(3), _grid(4), _grid(5), _grid(6),
        _big_plus("1+5", 3, 0, 0, 2),
        _big_plus("1+7", 4, 0, 0, 3),
        _big_plus("1+12", 4, 1, 1, 2),
    )
}
#: The most tiles any layout has.
MAX_TILES = max(layout.count for layout in LAYOUTS.values())


def smallest_grid_for(count: int, largest: int = FILL_MAX) -> Layout:
    """The smallest square grid holding `count` tiles, at most `largest` tiles."""
    grids = sorted((lay for lay in LAYOUTS.values() if lay.rows * lay.cols == lay.count),
                   key=lambda lay: lay.count)
    fitting = [lay for lay in grids if lay.count <= largest] or grids[:1]
    for layout in fitting:
        if layout.count >= count:
            return layout
    return fitting[-1]


def choose_stream(camera: Camera, profile: str | None):
    """The camera's stream of `profile` of the preferred kind (see KIND_PREFERENCE)."""
    candidates = [s for s in camera.streams if s.profile == profile] or list(camera.streams)
    if not candidates:
        return None
    rank = {kind: n for n, kind in enumerate(KIND_PREFERENCE)}
    return min(candidates, key=lambda s: rank.get(s.kind, len(rank)))


# ---- tours


@dataclass
class Tour:
    """A named camera group shown `dwell_s` seconds per camera (per page on a whole wall)."""

    name: str
    camera_ids: list[str]
    dwell_s: float = 10.0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "camera_ids": list(self.camera_ids), "dwell_s": self.dwell_s}

    @classmethod
    def from_dict(cls, data: Any) -> Tour:
        """Raises ValueError for anything malformed."""
        if not isinstance(data, dict):
            raise ValueError("a tour is not an object")
        name = data.get("name")
        ids = data.get("camera_ids")
        dwell = data.get("dwell_s", 10.0)
        if not isinstance(name, str) or not name.strip():
            raise ValueError("a tour without a name")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i
                                                           for i in ids):
            raise ValueError(f"tour {name!r}: camera_ids is not a list of ids")
        if isinstance(dwell, bool) or not isinstance(dwell, (int, float)) \
                or not DWELL_RANGE[0] <= dwell <= DWELL_RANGE[1]:
            raise ValueError(f"tour {name!r}: bad dwell_s")
        return cls(name.strip(), list(ids), float(dwell))


@dataclass
class TourRun:
    """A tour playing: on tile `tile`, or on the whole wall (tile None)."""

    tour: Tour
    tile: int | None
    position: int = 0      # the camera (tile tour) or the page (wall tour) shown
    due: float = 0.0       # when the next step is due (the clock `tick` is given)

    def pages(self, tiles: int) -> int:
        if self.tile is not None:
            return len(self.tour.camera_ids)
        return max(1, math.ceil(len(self.tour.camera_ids) / max(1, tiles)))

    def label(self, tiles: int) -> str:
        """"Tour name 2/5": what the tiles of the tour show."""
        return f"{self.tour.name} {self.position + 1}/{self.pages(tiles)}"


# ---- the model


@dataclass
class WallState:
    """What is saved: the layout, the camera of each tile, the tours."""

    layout: str = DEFAULT_LAYOUT
    tiles: list[str | None] = field(default_factory=lambda: [None] * MAX_TILES)
    tours: list[Tour] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        last = max((n for n, c in enumerate(self.tiles) if c), default=-1)
        return {"version": STATE_VERSION, "layout": self.layout,
                "tiles": list(self.tiles[:last + 1]),
                "tours": [t.to_dict() for t in self.tours]}

    @classmethod
    def from_dict(cls, data: Any) -> WallState:
        """Raises ValueError for a state of another version or anything malformed."""
        if not isinstance(data, dict):
            raise ValueError("not an object")
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"version {data.get('version')!r}, not {STATE_VERSION}")
        layout = data.get("layout")
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}")
        tiles = data.get("tiles", [])
        if not isinstance(tiles, list) or len(tiles) > MAX_TILES \
                or not all(t is None or (isinstance(t, str) and t) for t in tiles):
            raise ValueError("tiles is not a list of camera ids")
        tours_data = data.get("tours", [])
        if not isinstance(tours_data, list):
            raise ValueError("tours is not a list")
        tours = [Tour.from_dict(t) for t in tours_data]
        if len({t.name for t in tours}) != len(tours):
            raise ValueError("two tours of the same name")
        return cls(layout, list(tiles) + [None] * (MAX_TILES - len(tiles)), tours)


class WallModel:
    """The wall's layout, tiles, tours and the tours playing; see the module's doc.

    Signals: `sig_changed()` after the layout, a tile or a tour playing changed;
    `sig_tours_changed()` after the saved tours changed. Use it from one thread (the GUI's).
    """

    def __init__(self, state: WallState | None = None) -> None:
        self.state = state or WallState()
        self.runs: list[TourRun] = []
        self.sig_changed = Signal("wall changed")
        self.sig_tours_changed = Signal("wall tours changed")

    # ---- Public API: what is shown

    @property
    def layout(self) -> Layout:
        return LAYOUTS[self.state.layout]

    def visible(self) -> list[str | None]:
        """The camera of each tile of the current layout (None: empty)."""
        return list(self.state.tiles[:self.layout.count])

    def camera_at(self, index: int) -> str | None:
        return self.state.tiles[index] if 0 <= index < MAX_TILES else None

    def first_free(self) -> int | None:
        """The first empty tile of the layout, or None when every tile plays."""
        return next((n for n, c in enumerate(self.visible()) if c is None), None)

    def tour_label(self, index: int) -> str:
        """The tour playing on tile `index` ("" when none)."""
        for run in self.runs:
            if run.tile == index or (run.tile is None and index < self.layout.count):
                return run.label(self.layout.count)
        return ""

    # ---- Public API: changes

    def set_layout(self, name: str) -> None:
        """Show layout `name`; the cameras keep their order (those past its tiles wait)."""
        if name not in LAYOUTS:
            raise ValueError(f"unknown layout {name!r}")
        if name == self.state.layout:
            return
        self.state.layout = name
        count = self.layout.count
        self.runs = [r for r in self.runs if r.tile is None or r.tile < count]
        for run in self.runs:
            if run.tile is None:
                run.position = min(run.position, run.pages(count) - 1)
                self._show_run(run)
        self.sig_changed.emit()

    def assign(self, index: int, camera_id: str | None) -> None:
        """Play `camera_id` in tile `index` (None: empty it). A tour on that tile stops."""
        if not 0 <= index < self.layout.count:
            raise IndexError(index)
        self._stop_runs_on(index)
        self.state.tiles[index] = camera_id or None
        self.sig_changed.emit()

    def swap(self, a: int, b: int) -> None:
        """Exchange the cameras of tiles `a` and `b` (tours on them stop)."""
        count = self.layout.count
        if a == b or not (0 <= a < count and 0 <= b < count):
            return
        self._stop_runs_on(a)
        self._stop_runs_on(b)
        tiles = self.state.tiles
        tiles[a], tiles[b] = tiles[b], tiles[a]
        self.sig_changed.emit()

    def fill(self, camera_ids: Sequence[str], largest: int = FILL_MAX) -> list[str]:
        """Show these cameras in order on the smallest grid that holds them (at most
        `largest` tiles); the other tiles are emptied and every tour stops. Returns the
        cameras shown (duplicates and those past the largest grid left out)."""
        ids = list(dict.fromkeys(i for i in camera_ids if i))
        layout = smallest_grid_for(len(ids), largest)
        ids = ids[:layout.count]
        self.runs = []
        self.state.layout = layout.name
        self.state.tiles = ids + [None] * (MAX_TILES - len(ids))
        self.sig_changed.emit()
        return ids

    def clear(self) -> None:
        """Empty every tile and stop the tours."""
        self.runs = []
        self.state.tiles = [None] * MAX_TILES
        self.sig_changed.emit()

    # ---- Public API: tours

    @property
    def tours(self) -> list[Tour]:
        return list(self.state.tours)

    def tour(self, name: str) -> Tour | None:
        return next((t for t in self.state.tours if t.name == name), None)

    def save_tour(self, name: str, camera_ids: Iterable[str], dwell_s: float = 10.0) -> Tour:
        """Add (or replace) the tour `name`."""
        tour = Tour.from_dict({"name": name, "camera_ids": list(camera_ids), "dwell_s": dwell_s})
        self.state.tours = [t for t in self.state.tours if t.name != tour.name] + [tour]
        self.sig_tours_changed.emit()
        return tour

    def delete_tour(self, name: str) -> None:
        self.stop_tour(name)
        self.state.tours = [t for t in self.state.tours if t.name != name]
        self.sig_tours_changed.emit()

    def start_tour(self, name: str, now: float, tile: int | None = None) -> TourRun:
        """Play tour `name` on tile `tile`, or on the whole wall (None: the layout pages
        through the group). Another tour on the same tiles stops."""
        tour = self.tour(name)
        if tour is None:
            raise KeyError(name)
        if tile is not None and not 0 <= tile < self.layout.count:
            raise IndexError(tile)
        if tile is None:
            self.runs = []
        else:
            self.runs = [r for r in self.runs if r.tile is not None and r.tile != tile]
        run = TourRun(tour, tile, 0, now + tour.dwell_s)
        self.runs.append(run)
        self._show_run(run)
        self.sig_changed.emit()
        return run

    def stop_tour(self, name: str | None = None) -> None:
        """Stop the tour `name` (None: every tour); the tiles keep what they show."""
        before = len(self.runs)
        self.runs = [r for r in self.runs if name is not None and r.tour.name != name]
        if len(self.runs) != before:
            self.sig_changed.emit()

    def tick(self, now: float) -> bool:
        """Advance the tours that are due at `now`; True when something changed."""
        changed = False
        for run in self.runs:
            if now < run.due:
                continue
            run.position = (run.position + 1) % run.pages(self.layout.count)
            run.due = now + run.tour.dwell_s
            self._show_run(run)
            changed = True
        if changed:
            self.sig_changed.emit()
        return changed

    # ---- Public API: saving

    def to_dict(self) -> dict[str, Any]:
        return self.state.to_dict()

    # ----

    def _stop_runs_on(self, index: int) -> None:
        self.runs = [r for r in self.runs if r.tile is not None and r.tile != index]

    def _show_run(self, run: TourRun) -> None:
        ids = run.tour.camera_ids
        if run.tile is not None:
            self.state.tiles[run.tile] = ids[run.position % len(ids)]
            return
        count = self.layout.count
        page = ids[run.position * count:(run.position + 1) * count]
        self.state.tiles[:count] = page + [None] * (count - len(page))


# ---- the saved state


def load_state(path: Path | str) -> WallState:
    """The state saved at `path`; the default (and one log line) when there is none, or it
    is of another version, unreadable or malformed."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return WallState()
    except OSError as exc:
        log.warning("video wall: cannot read %s (%s); the default layout is used", path, exc)
        return WallState()
    try:
        return WallState.from_dict(json.loads(raw))
    except (ValueError, UnicodeDecodeError) as exc:
        log.warning("video wall: saved state %s refused (%s); the default layout is used",
                    path, exc)
        return WallState()


def save_state(path: Path | str, state: WallState) -> None:
    """Write `state` to `path` atomically (a temporary file in the same folder, fsync'd,
    renamed over the old one)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(state.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def default_state_path() -> Path:
    """<the user's data dir>/video_wall.json (the console's data dir, as main.py's)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("hall-console", appauthor=False)) / STATE_FILE


def nearest_cameras(cameras: Iterable[Camera] | Any, lon: float, lat: float, *,
                    radius_m: float = 500.0, limit: int = 9,
                    online_only: bool = True) -> list[str]:
    """The ids of the cameras nearest to (lon, lat) within `radius_m` (a CameraBoard's
    `within`), online ones only unless told, at most `limit`."""
    found = cameras.within(lon, lat, radius_m)
    return [c.id for c in found if not online_only or c.status == "online"][:limit]
