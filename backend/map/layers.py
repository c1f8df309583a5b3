"""The demo base map's layers as GeoJSON FeatureCollections, built once and kept in memory."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

import orjson

from console.schema import MapConfig, MapLayer, MapTileSource

from ..catalog_data import STREETS
from ..indicators.catalog import INDICATORS
from .geometry import Point, rounded_line, rounded_ring
from .grids import grid_cells
from .liangxi import DISTRICT_NAME, DISTRICT_RING, ROADS, WATERWAYS
from .streets import street_cells

#: Where the map opens: the middle of the district, the whole district in view.
CENTER: tuple[float, float] = (120.3050, 31.5790)
ZOOM = 13

LAYERS: list[MapLayer] = [
    MapLayer(id="district", name="梁溪区区界", kind="base", geometry="polygon"),
    MapLayer(id="streets", name="街道边界", kind="base", geometry="polygon"),
    MapLayer(id="waterways", name="河道", kind="base", geometry="line"),
    MapLayer(id="roads", name="主要道路", kind="base", geometry="line"),
    MapLayer(id="grids", name="网格单元", kind="overlay", geometry="polygon"),
    MapLayer(id="sensors", name="物联感知设备", kind="overlay", geometry="point"),
]


@dataclass(frozen=True)
class LayerBody:
    """A layer's FeatureCollection as sent: JSON bytes and their strong ETag."""

    body: bytes
    etag: str


def map_config(tile_urls: list[str] | tuple[str, ...] = ()) -> MapConfig:
    """The map's start view, with one tile source per URL template given at start-up."""
    sources = [MapTileSource(id=f"tiles{n}", url=url, attribution="", max_zoom=19)
               for n, url in enumerate(tile_urls, start=1)]
    return MapConfig(center=CENTER, zoom=ZOOM, tile_sources=sources)


def layer_ids() -> list[str]:
    return [layer.id for layer in LAYERS]


def feature_collection(layer_id: str) -> dict | None:
    """A layer as GeoJSON (None for an unknown id)."""
    build = _BUILDERS.get(layer_id)
    return build() if build is not None else None


def layer_body(layer_id: str) -> LayerBody | None:
    """A layer serialised once and kept (None for an unknown id)."""
    return _layer_body(layer_id) if layer_id in _BUILDERS else None


@cache
def _layer_body(layer_id: str) -> LayerBody:
    body = orjson.dumps(_BUILDERS[layer_id]())
    return LayerBody(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def _polygon(props: dict, ring: list[Point]) -> dict:
    return {"type": "Feature", "id": props["id"], "properties": props,
            "geometry": {"type": "Polygon", "coordinates": [rounded_ring(ring)]}}


def _line(props: dict, points: list[Point]) -> dict:
    return {"type": "Feature", "id": props["id"], "properties": props,
            "geometry": {"type": "LineString", "coordinates": rounded_line(points)}}


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _district() -> dict:
    return _collection([_polygon({"id": "liangxi", "name": DISTRICT_NAME}, DISTRICT_RING)])


def _streets() -> dict:
    """One polygon per catalog street: the district split among the street centroids
    (each point goes to the street whose centroid is nearest, as `nearest_street` does)."""
    cells = street_cells()
    return _collection([
        _polygon({"id": sid, "name": name, "street_id": sid, "centroid": [lon, lat]}, cells[sid])
        for sid, name, lon, lat in STREETS])


def _grids() -> dict:
    """The grid units (网格): about 24 cells per street, ids `{street_id}-NN` (`grids`)."""
    names = {sid: name for sid, name, _lon, _lat in STREETS}
    return _collection([
        {"type": "Feature", "id": cell.id,
         "properties": {"id": cell.id, "name": f"{names[sid]}{cell.id[-2:]}网格",
                        "street_id": sid},
         "geometry": {"type": "Polygon", "coordinates": [cell.ring]}}
        for sid, cells in grid_cells().items() for cell in cells])


def _sensors() -> dict:
    """The IoT sensors: every indicator measured at a place in a street (the district-wide
    figures have no street and are left out), one point each."""
    features = []
    for d in INDICATORS:
        loc = d.location
        if loc.street_id is None:
            continue
        props = {"id": d.id, "name": d.name, "group": d.group, "unit": d.unit,
                 "address": loc.address, "street_id": loc.street_id}
        features.append({"type": "Feature", "id": d.id, "properties": props,
                         "geometry": {"type": "Point", "coordinates": rounded_line(
                             [(loc.lon, loc.lat)])[0]}})
    return _collection(features)


def _waterways() -> dict:
    return _collection([_line({"id": wid, "name": name, "kind": "river"}, pts)
                        for wid, name, pts in WATERWAYS])


def _roads() -> dict:
    return _collection([_line({"id": rid, "name": name, "kind": "road"}, pts)
                        for rid, name, pts in ROADS])


_BUILDERS = {"district": _district, "streets": _streets, "waterways": _waterways,
             "roads": _roads, "grids": _grids, "sensors": _sensors}
