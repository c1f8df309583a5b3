"""The 16 streets' (街道) outlines: the district split among the catalog's street centroids
(each point goes to the street whose centroid is nearest, as `nearest_street` does)."""

from __future__ import annotations

from functools import cache

from ..catalog_data import STREETS
from .geometry import Point, voronoi_cells
from .liangxi import DISTRICT_RING


@cache
def street_cells() -> dict[str, list[Point]]:
    """street id → its outline (an open ring, lon/lat), in the catalog's order."""
    cells = voronoi_cells([(lon, lat) for _sid, _name, lon, lat in STREETS], DISTRICT_RING)
    return {sid: cell for (sid, _name, _lon, _lat), cell in zip(STREETS, cells, strict=True)}
