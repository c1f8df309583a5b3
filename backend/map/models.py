"""GeoJSON shapes of `GET /api/v1/map/layers/{id}` (RFC 7946, as far as the map uses it)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Geometry(BaseModel):
    type: Literal["Point", "LineString", "Polygon", "MultiLineString", "MultiPolygon"]
    coordinates: list[Any] = Field(description="WGS84 [lon, lat] positions, 5 decimals")


class Feature(BaseModel):
    type: Literal["Feature"]
    id: str | None = None
    properties: dict[str, Any] = Field(description="`id`, `name`; streets also `street_id`")
    geometry: Geometry


class FeatureCollection(BaseModel):
    type: Literal["FeatureCollection"]
    features: list[Feature]
