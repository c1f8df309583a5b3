"""Plane geometry for the demo base map: ring area, point in polygon, half-plane clipping and a
Voronoi partition clipped to a polygon. Small and exact enough for a district of a few km.

Lon/lat are projected to a local plane (`x = lon · cos(lat0)`, `y = lat`) so that distances and
perpendicular bisectors mean what they do on the ground; results are projected back.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Point = tuple[float, float]
Ring = list[Point]


def signed_area(ring: Sequence[Point]) -> float:
    """Shoelace area of a ring (open or closed); positive when counter-clockwise."""
    pts = _open(ring)
    total = 0.0
    for i, (x1, y1) in enumerate(pts):
        x2, y2 = pts[(i + 1) % len(pts)]
        total += x1 * y2 - x2 * y1
    return total / 2.0


def contains(ring: Sequence[Point], point: Point) -> bool:
    """Whether `point` is inside the ring (even-odd rule; a point on an edge may go either way)."""
    x, y = point
    inside = False
    pts = _open(ring)
    j = len(pts) - 1
    for i in range(len(pts)):
        xi, yi = pts[i]
        xj, yj = pts[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def clip_half_plane(ring: Sequence[Point], normal: Point, offset: float) -> Ring:
    """The part of a polygon where `normal · p <= offset` (Sutherland–Hodgman, one edge)."""
    nx, ny = normal
    out: Ring = []
    pts = _open(ring)
    for i, cur in enumerate(pts):
        prev = pts[i - 1]
        d_cur = nx * cur[0] + ny * cur[1] - offset
        d_prev = nx * prev[0] + ny * prev[1] - offset
        if (d_cur <= 0) != (d_prev <= 0):
            t = d_prev / (d_prev - d_cur)
            out.append((prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])))
        if d_cur <= 0:
            out.append(cur)
    return out


def voronoi_cells(sites: Sequence[Point], boundary: Sequence[Point]) -> list[Ring]:
    """For each site, the part of `boundary` nearer to it than to any other site (lon/lat in,
    lon/lat out; open rings, counter-clockwise). The cells partition the boundary polygon."""
    lat0 = sum(lat for _lon, lat in boundary) / len(boundary)
    k = math.cos(math.radians(lat0))
    plane = [(lon * k, lat) for lon, lat in _open(boundary)]
    if signed_area(plane) < 0:
        plane.reverse()
    projected = [(lon * k, lat) for lon, lat in sites]
    cells: list[Ring] = []
    for i, (ax, ay) in enumerate(projected):
        cell = plane
        for j, (bx, by) in enumerate(projected):
            if i == j or not cell:
                continue
            # Nearer to a than to b: (b - a) · p <= (|b|² - |a|²) / 2.
            normal = (bx - ax, by - ay)
            cell = clip_half_plane(cell, normal, (bx * bx + by * by - ax * ax - ay * ay) / 2)
        cells.append([(x / k, y) for x, y in cell])
    return cells


def rounded_ring(ring: Sequence[Point], digits: int = 5) -> list[list[float]]:
    """A GeoJSON linear ring: rounded, without repeated points, counter-clockwise, closed."""
    pts: list[tuple[float, float]] = []
    for x, y in _open(ring):
        p = (round(x, digits), round(y, digits))
        if not pts or p != pts[-1]:
            pts.append(p)
    while len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    if len(pts) < 3:
        raise ValueError("a ring needs at least three distinct points")
    if signed_area(pts) < 0:
        pts.reverse()
    return [list(p) for p in pts] + [list(pts[0])]


def rounded_line(points: Sequence[Point], digits: int = 5) -> list[list[float]]:
    """A GeoJSON LineString's coordinates, rounded."""
    return [[round(x, digits), round(y, digits)] for x, y in points]


def _open(ring: Sequence[Point]) -> list[Point]:
    pts = [(float(x), float(y)) for x, y in ring]
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    return pts
