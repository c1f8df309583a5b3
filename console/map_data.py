"""The map's data from the backend (config and GeoJSON layers), mirrored to the offline cache so
the base map still shows during an outage. Called off the GUI thread.

The cache's `map_layers` table holds each layer's GeoJSON under its id, and the map's config
under `CONFIG_KEY`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import orjson

from console.api import NetworkError
from console.schema import MapConfig

log = logging.getLogger(__name__)

CONFIG_KEY = "_config"


@dataclass
class MapData:
    """Where the map opens, its tile sources, and the layers (id → GeoJSON) that were asked
    for and exist; `from_cache` when the backend could not be reached."""

    config: MapConfig
    layers: dict[str, dict]
    from_cache: bool = False


def load_map_data(api, cache, wanted: tuple[str, ...]) -> MapData:
    """The layers in `wanted` the backend has, with its config; written to `cache` (when
    given). When the backend cannot be reached, the cache's copy (NetworkError again when the
    cache has none)."""
    try:
        config = api.map_config()
        known = {layer.id for layer in api.map_layers()}
        layers = {lid: api.map_layer(lid) for lid in wanted if lid in known}
    except NetworkError:
        cached = cached_map_data(cache, wanted) if cache is not None else None
        if cached is None:
            raise
        log.info("map: backend unreachable, the base map comes from the offline cache")
        return cached
    if cache is not None:
        documents = {lid: orjson.dumps(data) for lid, data in layers.items()}
        documents[CONFIG_KEY] = config.model_dump_json().encode()
        cache.write(map_layers=documents)
    return MapData(config, layers)


def cached_map_data(cache, wanted: tuple[str, ...]) -> MapData | None:
    """The cache's copy of the map's data, or None when it holds no config."""
    documents = cache.documents("map_layers")
    if CONFIG_KEY not in documents:
        return None
    try:
        config = MapConfig.model_validate_json(documents[CONFIG_KEY])
        layers = {lid: orjson.loads(documents[lid]) for lid in wanted if lid in documents}
    except (ValueError, orjson.JSONDecodeError) as exc:
        log.warning("map: the cached base map is unreadable (%s)", exc)
        return None
    return MapData(config, layers, from_cache=True)

