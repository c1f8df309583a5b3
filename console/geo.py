"""Places in the district for entering an event by hand: bounds, nearest street, address book.

Distances here only rank nearby points inside one district, so an equirectangular projection
(longitude shrunk by the cosine of the latitude) is exact enough and cheap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from console.schema import Event, Street

#: How far (degrees) around the streets' centroids a typed coordinate may lie.
BOUNDS_MARGIN = 0.1


@dataclass(frozen=True)
class Bounds:
    """A longitude/latitude box (degrees, WGS 84)."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.min_lon <= lon <= self.max_lon and self.min_lat <= lat <= self.max_lat

    @property
    def center(self) -> tuple[float, float]:
        return (self.min_lon + self.max_lon) / 2, (self.min_lat + self.max_lat) / 2


@dataclass(frozen=True)
class Place:
    """A known place to pick as an event's location: a street (its centroid) or the address
    of an earlier event."""

    label: str
    lon: float
    lat: float
    street_id: str | None
    kind: Literal["street", "address"]


def district_bounds(streets: Sequence[Street], margin: float = BOUNDS_MARGIN) -> Bounds | None:
    """The box around the streets' centroids, widened by `margin` degrees (None: no streets)."""
    if not streets:
        return None
    lons = [s.centroid[0] for s in streets]
    lats = [s.centroid[1] for s in streets]
    return Bounds(min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin)


def nearest_street(streets: Iterable[Street], lon: float, lat: float) -> Street | None:
    """The street whose centroid is nearest to (lon, lat), or None when there are none."""
    shrink = math.cos(math.radians(lat))
    best, best_d = None, math.inf
    for street in streets:
        d = ((street.centroid[0] - lon) * shrink) ** 2 + (street.centroid[1] - lat) ** 2
        if d < best_d:
            best, best_d = street, d
    return best


def address_book(streets: Sequence[Street], recent_events: Iterable[Event], *,
                 limit: int = 500) -> list[Place]:
    """Places to pick from: every street, then the distinct addresses of `recent_events`
    (newest first), at most `limit` of them. The events are read only as far as needed."""
    places = [Place(s.name, s.centroid[0], s.centroid[1], s.id, "street") for s in streets]
    seen = {p.label for p in places}
    added = 0
    for event in recent_events:
        if added >= limit:
            break
        label = event.location.address.strip()
        if not label or label in seen:
            continue
        seen.add(label)
        places.append(Place(label, event.location.lon, event.location.lat,
                            event.location.street_id, "address"))
        added += 1
    return places
