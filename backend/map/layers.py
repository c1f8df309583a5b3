"""The demo base map's layers as GeoJSON FeatureCollections, built once and kept in memory."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

import orjson

from console.schema import MapConfig, MapLayer, MapTileSource

from ..catalog_data import STREETS
from .geometry import Point, rounded_line, rounded_ring, voronoi_cells
from .liangxi import DISTRICT_NAME, DISTRICT_RING, ROADS, WATERWAYS

#: Where the map opens: the middle of the district, the whole district in view.
CENTER: tuple[float, float] = (120.3050, 31.5790)
ZOOM = 13

LAYERS: list[MapLayer] = [
    MapLayer(id="district", name="梁溪区区界", kind="base", geometry="polygon"),
    MapLayer(id="streets", name="街道边界", kind="base", geometry="polygon"),
    MapLayer(id="waterways", name="河道", kind="base", geometry="line"),
    MapLayer(id="roads", name="主要道路", kind="base", geometry="line"),
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
    cells = voronoi_cells([(lon, lat) for _sid, _name, lon, lat in STREETS], DISTRICT_RING)
    return _collection([
        _polygon({"id": sid, "name": name, "street_id": sid, "centroid": [lon, lat]}, cell)
        for (sid, name, lon, lat), cell in zip(STREETS, cells, strict=True)])


def _waterways() -> dict:
    return _collection([_line({"id": wid, "name": name, "kind": "river"}, pts)
                        for wid, name, pts in WATERWAYS])


def _roads() -> dict:
    return _collection([_line({"id": rid, "name": name, "kind": "road"}, pts)
                        for rid, name, pts in ROADS])


_BUILDERS = {"district": _district, "streets": _streets, "waterways": _waterways,
             "roads": _roads}
