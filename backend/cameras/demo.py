"""The demo cameras of Liangxi: on the main roads and at the streets' landmarks.

Placed from the demo map's own shapes (`backend/map/liangxi.py`), so they sit on the roads
the map draws: one at every bend of a road and one half way along each long stretch, then one at
each landmark (scenic streets, water-level stations, squares, markets, estates), then one at
the centre of any street that has fewer than two. A camera where two roads meet is named after both
(`解放环路·中山路口 球机`); one elsewhere after the street's own road nearest in the list
(`人民路·学前街口 枪机`). Crossings and landmarks get dome cameras (球机, PTZ); the rest
fixed ones (枪机). Ids `CAM-001` … in that order; nothing random, nothing downloaded.
"""

from __future__ import annotations

import math

from console.schema import API_PREFIX, Camera, CameraStream

from ..catalog_data import STREET_CENTROIDS, STREET_NAMES, STREETS, nearest_street
from ..map.liangxi import ROADS
from ..simulator.places import STREET_PLACES

#: Within this many metres of another road, a camera is at the crossing.
CROSSING_M = 150.0
#: A stretch of road longer than this gets a camera half way along as well.
LONG_STRETCH_M = 900.0

MAIN = (1280, 720, 25.0)
SUB = (640, 360, 15.0)

#: (name, lon, lat): landmarks with a dome camera of their own.
LANDMARKS: list[tuple[str, float, float]] = [
    ("清名桥历史文化街区", 120.3128, 31.5602),
    ("南长街", 120.3112, 31.5640),
    ("惠山古镇", 120.2762, 31.5853),
    ("崇安寺步行街", 120.3032, 31.5792),
    ("南禅寺", 120.3072, 31.5697),
    ("三阳广场", 120.3001, 31.5773),
    ("古运河南门水位站", 120.3102, 31.5668),
    ("古运河江尖", 120.2905, 31.5890),
    ("梁溪河迎龙桥", 120.2882, 31.5702),
    ("黄巷空气质量监测站", 120.2858, 31.6102),
    ("北兴塘河广瑞路", 120.3140, 31.6002),
    ("惠山古镇停车场", 120.2772, 31.5858),
    ("广益农贸市场", 120.3360, 31.5860),
    ("金星农贸市场", 120.2975, 31.5580),
    ("南湖家园", 120.3120, 31.5480),
    ("惠龙社区", 120.3085, 31.6120),
    ("盛岸新村", 120.2760, 31.6040),
]


def stream_path(camera_id: str, profile: str, kind: str = "mjpeg") -> str:
    """Where the reference backend serves a demo camera's stream (relative to its base)."""
    return f"{API_PREFIX}/cameras/{camera_id}/{profile}.{kind}"


def demo_streams(camera_id: str) -> list[CameraStream]:
    """MJPEG main and sub first (what `Camera.stream(profile)` picks), then the same two as
    H.264 in HTTP-FLV (`streams.py` serves both)."""
    return [CameraStream(profile=profile, kind=kind, url=stream_path(camera_id, profile, kind),
                         width=w, height=h, fps=fps)
            for kind in ("mjpeg", "flv") for profile, (w, h, fps) in (("main", MAIN), ("sub", SUB))]


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    k = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * k, a[1] - b[1]) * 111_320.0


def _to_segment(p, a, b) -> float:
    k = math.cos(math.radians(p[1]))
    ax, ay, bx, by, px, py = a[0] * k, a[1], b[0] * k, b[1], p[0] * k, p[1]
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / ((dx * dx + dy * dy) or 1.0)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy) * 111_320.0


def _road_points() -> list[tuple[str, float, float, bool]]:
    """(name, lon, lat, ptz) along every road: its bends and the middle of each stretch."""
    out: list[tuple[str, float, float, bool]] = []
    for road_id, road, course in ROADS:
        points = list(course)
        if points[0] == points[-1]:  # a ring: its first point once
            points.pop()
            stretches = list(zip(points, points[1:] + points[:1], strict=True))
        else:
            stretches = list(zip(points, points[1:], strict=False))
        spots = []
        for a, b in stretches:
            spots.append(a)
            if _metres(a, b) > LONG_STRETCH_M:
                spots.append(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))
        if course[0] != course[-1]:
            spots.append(points[-1])
        for n, p in enumerate(spots):
            cross = _crossing(road_id, p)
            ptz = cross is not None
            if cross is None:
                street = nearest_street(*p)
                roads = [r for r in STREET_PLACES[street][0] if r != road]
                cross = roads[n % len(roads)]
            kind = "球机" if ptz else "枪机"
            out.append((f"{road}·{cross}口", round(p[0], 5), round(p[1], 5), kind))
    return out


def _crossing(road_id: str, p: tuple[float, float]) -> str | None:
    best, name = CROSSING_M, None
    for other_id, other, course in ROADS:
        if other_id == road_id:
            continue
        for a, b in zip(course, course[1:], strict=False):
            d = _to_segment(p, a, b)
            if d < best:
                best, name = d, other
    return name


def demo_cameras() -> list[Camera]:
    """The demo cameras, all online, in id order."""
    spots = _road_points()
    spots += [(name, lon, lat, "球机") for name, lon, lat in LANDMARKS]
    covered: dict[str, int] = {}
    for _name, lon, lat, _kind in spots:
        sid = nearest_street(lon, lat)
        covered[sid] = covered.get(sid, 0) + 1
    for sid, _name, lon, lat in STREETS:
        if covered.get(sid, 0) < 2:
            roads = STREET_PLACES[sid][0]
            spots.append((f"{STREET_NAMES[sid]}·{roads[0]}{roads[1]}口", lon, lat, "球机"))
    # A name used twice (a ring road crosses a road twice) says which side it is on.
    count: dict[str, int] = {}
    for name, *_rest in spots:
        count[name] = count.get(name, 0) + 1
    cameras: list[Camera] = []
    for n, (name, lon, lat, kind) in enumerate(spots, start=1):
        if count[name] > 1:
            name = f"{name}{_side(lon, lat)}"
        camera_id = f"CAM-{n:03d}"
        cameras.append(Camera(id=camera_id, name=f"{name} {kind}", location=(lon, lat),
                              street_id=nearest_street(lon, lat), status="online",
                              ptz=kind == "球机", streams=demo_streams(camera_id)))
    return cameras


def _side(lon: float, lat: float) -> str:
    """东/西/南/北 of the old town's centre (崇安寺), by the larger offset."""
    c_lon, c_lat = STREET_CENTROIDS["chonganshi"]
    dx = (lon - c_lon) * math.cos(math.radians(lat))
    dy = lat - c_lat
    if abs(dx) > abs(dy):
        return "（东）" if dx > 0 else "（西）"
    return "（北）" if dy > 0 else "（南）"
