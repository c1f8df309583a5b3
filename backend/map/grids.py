"""Grid units (网格): each street cut into about 24 cells for the grid-management teams.

A regular grid over the street's bounding box (cells about square on the ground) is clipped
against the street's outline (Sutherland–Hodgman: the clip window, a rectangle, is convex);
empty cells and slivers that vanish at 5 decimals are dropped, and the rest are numbered
row by row from the north-west: ids `{street_id}-01` … `{street_id}-NN`. The grid size is
the one whose count of kept cells comes nearest to 24 (at most 24 when one does as well).
Everything is computed from fixed outlines, so ids and shapes never change between runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from .geometry import Point, clip_half_plane, contains, rounded_ring
from .streets import street_cells

#: How many cells a street is cut into, about.
TARGET_CELLS = 24


@dataclass(frozen=True)
class GridCell:
    id: str
    street_id: str
    #: The served ring: closed, counter-clockwise, 5 decimals (GeoJSON).
    ring: list[list[float]]
    centroid: Point


def _clip_rect(ring: list[Point], x0: float, y0: float, x1: float, y1: float) -> list[Point]:
    for normal, offset in (((1.0, 0.0), x1), ((-1.0, 0.0), -x0), ((0.0, 1.0), y1),
                           ((0.0, -1.0), -y0)):
        ring = clip_half_plane(ring, normal, offset)
        if not ring:
            break
    return ring


def _cut(street_id: str, outline: list[Point], rows: int, cols: int) -> list[GridCell]:
    lons = [p[0] for p in outline]
    lats = [p[1] for p in outline]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    dx, dy = (east - west) / cols, (north - south) / rows
    cells: list[GridCell] = []
    for r in range(rows):
        top = north - r * dy
        for c in range(cols):
            left = west + c * dx
            part = _clip_rect(outline, left, top - dy, left + dx, top)
            if len(part) < 3:
                continue
            try:
                ring = rounded_ring(part)
            except ValueError:  # a sliver thinner than the rounding
                continue
            pts = ring[:-1]
            centroid = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
            cells.append(GridCell(f"{street_id}-{len(cells) + 1:02d}", street_id, ring,
                                  centroid))
    return cells


def _street_grid(street_id: str, outline: list[Point]) -> list[GridCell]:
    lons = [p[0] for p in outline]
    lats = [p[1] for p in outline]
    k = math.cos(math.radians(sum(lats) / len(lats)))
    width, height = (max(lons) - min(lons)) * k, max(lats) - min(lats)
    best: list[GridCell] = []
    best_key: tuple[int, int] | None = None
    # From a grid of TARGET_CELLS rectangles upwards (a street fills only part of its box).
    for total in range(TARGET_CELLS, TARGET_CELLS * 3):
        cols = max(1, round(math.sqrt(total * width / height)))
        rows = max(1, round(total / cols))
        cells = _cut(street_id, outline, rows, cols)
        key = (abs(len(cells) - TARGET_CELLS), len(cells) > TARGET_CELLS)
        if best_key is None or key < best_key:
            best, best_key = cells, key
        if len(cells) >= TARGET_CELLS:
            break
    return best


@cache
def grid_cells() -> dict[str, list[GridCell]]:
    """street id → its grid cells, numbered from 01."""
    return {sid: _street_grid(sid, outline) for sid, outline in street_cells().items()}


def grid_of(street_id: str, lon: float, lat: float) -> str | None:
    """The id of the cell of `street_id` that holds the point, else the cell of that street
    whose centre is nearest (None for a street without cells)."""
    cells = grid_cells().get(street_id)
    if not cells:
        return None
    for cell in cells:
        if contains(cell.ring, (lon, lat)):
            return cell.id
    k = math.cos(math.radians(lat))
    return min(cells, key=lambda c: ((c.centroid[0] - lon) * k) ** 2
               + (c.centroid[1] - lat) ** 2).id
