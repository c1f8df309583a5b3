"""What is around a place: the cameras, response teams and sensors within a radius.

The map's ring around a selected event lists these, nearest first, and "show these cameras"
sends the online cameras among them to the video wall.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from console.units import distance_km

#: The ring's radius when an event is first selected, and the bounds a user can set.
DEFAULT_RADIUS_M = 500
MIN_RADIUS_M = 100
MAX_RADIUS_M = 5000
#: At most this many cameras go to the wall at once (the largest layout has 36 tiles).
WALL_CAMERAS = 36


@dataclass(frozen=True)
class Place:
    """Something on the map: `kind` is "camera", "team", "sensor", "event" or "street"."""

    kind: str
    id: str
    name: str
    lon: float
    lat: float
    status: str = ""
    detail: str = ""


@dataclass(frozen=True)
class NearbyItem:
    place: Place
    distance_m: float


@dataclass
class Nearby:
    """The places within `radius_m` of `center`, by kind, nearest first."""

    center: tuple[float, float]
    radius_m: float
    cameras: list[NearbyItem] = field(default_factory=list)
    teams: list[NearbyItem] = field(default_factory=list)
    sensors: list[NearbyItem] = field(default_factory=list)

    def wall_cameras(self) -> list[str]:
        """The camera ids to send to the video wall: online ones, nearest first, at most
        `WALL_CAMERAS`."""
        return [item.place.id for item in self.cameras
                if item.place.status != "offline"][:WALL_CAMERAS]


def clamp_radius(radius_m: float) -> int:
    return int(min(MAX_RADIUS_M, max(MIN_RADIUS_M, round(radius_m))))


def within(center: tuple[float, float], radius_m: float,
           places: Iterable[Place]) -> list[NearbyItem]:
    """The places within `radius_m` metres of `center` (lon, lat), nearest first."""
    found = []
    for place in places:
        metres = distance_km(center, (place.lon, place.lat)) * 1000.0
        if metres <= radius_m:
            found.append(NearbyItem(place, metres))
    found.sort(key=lambda item: (item.distance_m, item.place.id))
    return found


def nearby(center: tuple[float, float], radius_m: float, *, cameras: Iterable[Place] = (),
           teams: Iterable[Place] = (), sensors: Iterable[Place] = ()) -> Nearby:
    """What lies within `radius_m` of `center`."""
    return Nearby(center, radius_m, within(center, radius_m, cameras),
                  within(center, radius_m, teams), within(center, radius_m, sensors))


def camera_places(cameras) -> list[Place]:
    """Cameras (console.schema.Camera) as places."""
    return [Place("camera", c.id, c.name, c.location[0], c.location[1], c.status)
            for c in cameras]


def team_places(units) -> list[Place]:
    """Response units with a known position as places."""
    return [Place("team", u.id, u.name, u.position[0], u.position[1], u.status)
            for u in units if u.position is not None]
