"""ApiClient's map calls (数字城市运行图) against the real backend."""

from __future__ import annotations

import pytest

from console.api import ApiClient, ApiError
from console.schema import MapConfig, MapLayer


@pytest.fixture
def api(backend):
    client = ApiClient(backend.url)
    token = backend.login("duty1")
    client.set_token_provider(lambda: token)
    yield client
    client.close()


def test_map_config_and_layers(api, backend):
    config = api.map_config()
    assert isinstance(config, MapConfig)
    lon, lat = config.center
    assert 120.26 < lon < 120.34 and 31.54 < lat < 31.61
    assert config.tile_sources == []

    layers = api.map_layers()
    assert all(isinstance(item, MapLayer) for item in layers)
    assert [item.id for item in layers] == ["district", "streets", "waterways", "roads",
                                            "grids", "sensors"]
    assert {item.id for item in layers if item.kind == "overlay"} == {"grids", "sensors"}

    streets = api.map_layer("streets")
    assert streets["type"] == "FeatureCollection"
    catalog = api.catalog()
    assert sorted(f["properties"]["street_id"] for f in streets["features"]) == \
        sorted(s.id for s in catalog.streets)
    roads = api.map_layer("roads")
    assert {"解放环路", "中山路", "人民路", "通扬路"} <= \
        {f["properties"]["name"] for f in roads["features"]}
    assert all(f["geometry"]["type"] == "LineString" for f in roads["features"])


def test_unknown_map_layer_is_a_not_found_error(api):
    with pytest.raises(ApiError) as refused:
        api.map_layer("no/such layer")
    assert refused.value.status == 404 and refused.value.code == "not_found"


def test_map_config_lists_a_tile_source_given_at_start(backend_factory):
    proc = backend_factory(tile_source="http://127.0.0.1:9/tiles/{z}/{x}/{y}.png")
    client = ApiClient(proc.url)
    token = proc.login("duty1")
    client.set_token_provider(lambda: token)
    try:
        [source] = client.map_config().tile_sources
        assert source.url == "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"
    finally:
        client.close()
