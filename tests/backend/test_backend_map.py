"""The map routes (数字城市运行图): start view, layer list and the demo base map's GeoJSON."""

from __future__ import annotations

import http.server
import threading
from itertools import combinations

import pytest
import requests
from be_helpers import API, assert_error

from console.schema import Catalog, MapConfig, MapLayer

# The real district's extent, with a margin: every shape of the demo base map lies in it.
LON_RANGE = (120.25, 120.36)
LAT_RANGE = (31.53, 31.63)


def get(backend, path: str, **kwargs) -> requests.Response:
    kwargs.setdefault("headers", backend.headers())
    return requests.get(f"{backend.url}{API}{path}", timeout=10, **kwargs)


def area(ring: list[list[float]]) -> float:
    """Signed shoelace area of a closed ring (positive: counter-clockwise)."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def inside(ring: list[list[float]], x: float, y: float) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            hit = not hit
    return hit


def distance_to_ring(ring: list[list[float]], x: float, y: float) -> float:
    best = float("inf")
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        dx, dy = x2 - x1, y2 - y1
        t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
        best = min(best, ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5)
    return best


def segments_cross(a, b, c, d) -> bool:
    def orient(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    return (orient(a, b, c) * orient(a, b, d) < 0) and (orient(c, d, a) * orient(c, d, b) < 0)


def assert_valid_ring(ring: list[list[float]]) -> None:
    assert len(ring) >= 4 and ring[0] == ring[-1], "a closed ring of at least 3 points"
    assert area(ring) > 0, "exterior rings are counter-clockwise (RFC 7946)"
    edges = list(zip(ring, ring[1:], strict=False))
    for i, j in combinations(range(len(edges)), 2):
        if j - i > 1 and not (i == 0 and j == len(edges) - 1):
            assert not segments_cross(*edges[i], *edges[j]), "a simple ring"
    assert_coordinates(ring)


def assert_coordinates(positions: list[list[float]]) -> None:
    for lon, lat in positions:
        assert LON_RANGE[0] < lon < LON_RANGE[1] and LAT_RANGE[0] < lat < LAT_RANGE[1]
        assert round(lon, 5) == lon and round(lat, 5) == lat, "5 decimals"


def layer(backend, layer_id: str) -> dict:
    answer = get(backend, f"/map/layers/{layer_id}")
    assert answer.status_code == 200
    data = answer.json()
    assert data["type"] == "FeatureCollection"
    return data


def district_ring(backend) -> list[list[float]]:
    [feature] = layer(backend, "district")["features"]
    assert feature["properties"]["name"] == "梁溪区"
    assert feature["geometry"]["type"] == "Polygon"
    [ring] = feature["geometry"]["coordinates"]
    assert_valid_ring(ring)
    return ring


def test_map_config_opens_on_the_district_without_tiles(backend):
    answer = get(backend, "/map/config")
    assert answer.status_code == 200
    config = MapConfig.model_validate(answer.json())
    assert config.tile_sources == []
    assert 12 <= config.zoom <= 14
    assert inside(district_ring(backend), *config.center)


def test_map_routes_need_a_signed_in_user(backend):
    for path in ("/map/config", "/map/layers", "/map/layers/streets"):
        assert_error(get(backend, path, headers={}), 401, "unauthorized")


def test_map_layers_list_the_base_map(backend):
    answer = get(backend, "/map/layers")
    assert answer.status_code == 200
    layers = {item["id"]: MapLayer.model_validate(item) for item in answer.json()}
    assert set(layers) == {"district", "streets", "waterways", "roads", "grids", "sensors"}
    assert layers["district"].geometry == "polygon" and layers["streets"].geometry == "polygon"
    assert layers["waterways"].geometry == "line" and layers["roads"].geometry == "line"
    assert {lid for lid, item in layers.items() if item.kind == "base"} == {
        "district", "streets", "waterways", "roads"}
    assert layers["grids"].kind == "overlay" and layers["grids"].geometry == "polygon"
    assert layers["sensors"].kind == "overlay" and layers["sensors"].geometry == "point"
    assert all(item.name and item.kind in ("base", "overlay") for item in layers.values())
    for layer_id in layers:
        assert layer(backend, layer_id)["features"]


def test_every_street_has_one_polygon_and_they_tile_the_district(backend):
    catalog = Catalog.model_validate(get(backend, "/catalog").json())
    district = district_ring(backend)
    features = layer(backend, "streets")["features"]
    by_street = {}
    for feature in features:
        props = feature["properties"]
        assert props["id"] and props["name"] and props["street_id"] not in by_street
        assert feature["geometry"]["type"] == "Polygon"
        by_street[props["street_id"]] = feature
    assert set(by_street) == {s.id for s in catalog.streets}
    assert len(features) == len(catalog.streets) == 16

    rings = {}
    for street in catalog.streets:
        feature = by_street[street.id]
        assert feature["properties"]["name"] == street.name
        [ring] = feature["geometry"]["coordinates"]
        assert_valid_ring(ring)
        assert inside(ring, *street.centroid), f"{street.name} holds its centroid"
        assert inside(district, *street.centroid)
        for lon, lat in ring:
            assert inside(district, lon, lat) or distance_to_ring(district, lon, lat) < 2e-5
        rings[street.id] = ring
    # No street holds another's centroid, and together they cover the district once.
    for sid, ring in rings.items():
        for other in catalog.streets:
            if other.id != sid:
                assert not inside(ring, *other.centroid)
    total = sum(area(ring) for ring in rings.values())
    assert total == pytest.approx(area(district), rel=1e-3)
    assert min(area(ring) for ring in rings.values()) > area(district) / 100


@pytest.mark.parametrize(("layer_id", "names"), [
    ("waterways", {"古运河", "梁溪河"}),
    ("roads", {"解放环路", "中山路", "人民路", "通扬路"}),
])
def test_waterways_and_roads_are_named_lines(backend, layer_id, names):
    district = district_ring(backend)
    features = layer(backend, layer_id)["features"]
    found = set()
    for feature in features:
        props = feature["properties"]
        assert props["id"] and props["name"]
        found.add(props["name"])
        assert feature["geometry"]["type"] == "LineString"
        line = feature["geometry"]["coordinates"]
        assert len(line) >= 2
        assert_coordinates(line)
        assert all(inside(district, lon, lat) for lon, lat in line)
    assert names <= found
    assert len({f["properties"]["id"] for f in features}) == len(features)


def _street_rings(backend) -> dict[str, list[list[float]]]:
    return {f["properties"]["street_id"]: f["geometry"]["coordinates"][0]
            for f in layer(backend, "streets")["features"]}


def _grids_by_street(backend) -> dict[str, list[dict]]:
    by_street: dict[str, list[dict]] = {}
    for feature in layer(backend, "grids")["features"]:
        by_street.setdefault(feature["properties"]["street_id"], []).append(feature)
    return by_street


def test_every_street_is_cut_into_about_24_grid_units_inside_it(backend):
    streets = _street_rings(backend)
    by_street = _grids_by_street(backend)
    assert set(by_street) == set(streets)
    ids = [f["properties"]["id"] for cells in by_street.values() for f in cells]
    assert len(ids) == len(set(ids)), "grid ids are unique"
    for street_id, cells in by_street.items():
        assert 18 <= len(cells) <= 30, (street_id, len(cells))
        # Numbered 01..N without gaps, in the simulator's format.
        assert [f["properties"]["id"] for f in cells] == [
            f"{street_id}-{n:02d}" for n in range(1, len(cells) + 1)]
        street = streets[street_id]
        total = 0.0
        for feature in cells:
            assert feature["id"] == feature["properties"]["id"] and feature["properties"]["name"]
            assert feature["geometry"]["type"] == "Polygon"
            [ring] = feature["geometry"]["coordinates"]
            assert len(ring) >= 4 and ring[0] == ring[-1] and area(ring) > 0
            assert_coordinates(ring)
            for lon, lat in ring:
                assert inside(street, lon, lat) or distance_to_ring(street, lon, lat) < 2e-5
            total += area(ring)
        # Together they cover the street (without overlapping: the areas add up).
        assert total == pytest.approx(area(street), rel=1e-3)


def test_sensors_are_the_indicators_measured_in_a_street(backend):
    listed = {i["id"]: i for i in get(backend, "/indicators").json()}
    features = layer(backend, "sensors")["features"]
    placed = {i for i, item in listed.items()
              if (item.get("location") or {}).get("street_id") is not None}
    assert {f["properties"]["id"] for f in features} == placed
    assert 20 <= len(features) < len(listed), "the district-wide figures are left out"
    district = district_ring(backend)
    for feature in features:
        props = feature["properties"]
        item = listed[props["id"]]
        assert feature["id"] == props["id"]
        assert (props["name"], props["group"], props["unit"]) == (
            item["name"], item["group"], item["unit"])
        assert props["address"] == item["location"]["address"]
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert (lon, lat) == pytest.approx((item["location"]["lon"], item["location"]["lat"]),
                                           abs=1e-5)
        assert inside(district, lon, lat)


def test_a_simulated_event_is_in_the_grid_unit_that_holds_its_point(backend):
    by_street = _grids_by_street(backend)
    ids = backend.sim_events(60)["ids"]
    headers = backend.headers()
    contained = 0
    for event_id in ids:
        location = get(backend, f"/events/{event_id}", headers=headers).json()["location"]
        point = (location["lon"], location["lat"])
        cells = {f["properties"]["id"]: f["geometry"]["coordinates"][0]
                 for f in by_street[location["street_id"]]}
        holding = [cid for cid, ring in cells.items() if inside(ring, *point)]
        if holding:
            contained += 1
            assert location["grid_id"] == holding[0], (event_id, location)
        else:  # the point is outside its street: the street's nearest cell
            assert location["grid_id"] in cells
    assert contained >= len(ids) // 2


def test_the_overlays_are_stable(backend):
    for layer_id in ("grids", "sensors"):
        first, again = get(backend, f"/map/layers/{layer_id}"), get(
            backend, f"/map/layers/{layer_id}")
        assert first.content == again.content and first.headers["ETag"] == again.headers["ETag"]


def test_unknown_layer_is_not_found(backend):
    assert_error(get(backend, "/map/layers/no-such-layer"), 404, "not_found")


def test_layers_are_cacheable_and_stable(backend):
    first = get(backend, "/map/layers/streets")
    again = get(backend, "/map/layers/streets")
    assert first.content == again.content
    etag = first.headers["ETag"]
    assert etag and etag == again.headers["ETag"]
    assert "max-age" in first.headers["Cache-Control"]
    headers = {**backend.headers(), "If-None-Match": etag}
    unchanged = get(backend, "/map/layers/streets", headers=headers)
    assert unchanged.status_code == 304 and not unchanged.content


def test_map_routes_are_in_openapi(backend):
    doc = requests.get(f"{backend.url}/openapi.json", timeout=10).json()
    for path, schema in (("/map/config", "MapConfig"), ("/map/layers/{layer_id}",
                                                         "FeatureCollection")):
        answer = doc["paths"][f"{API}{path}"]["get"]["responses"]["200"]
        assert answer["content"]["application/json"]["schema"]["$ref"].endswith(schema)
    listed = doc["paths"][f"{API}/map/layers"]["get"]["responses"]["200"]
    assert listed["content"]["application/json"]["schema"]["items"]["$ref"].endswith("MapLayer")


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


class _Tiles(http.server.BaseHTTPRequestHandler):
    requested: list[str] = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        type(self).requested.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *_args):
        pass


def test_tile_source_option_shows_in_the_config(backend_factory):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        template = f"http://127.0.0.1:{server.server_port}/tiles/{{z}}/{{x}}/{{y}}.png"
        proc = backend_factory(tile_source=template)
        config = MapConfig.model_validate(get(proc, "/map/config").json())
        [source] = config.tile_sources
        assert source.url == template and source.id and source.max_zoom >= 13
        # A client fills in the template and gets the tile from the local server.
        tile = requests.get(source.url.format(z=13, x=6838, y=3318), timeout=10)
        assert tile.status_code == 200 and tile.content.startswith(b"\x89PNG")
        assert _Tiles.requested[-1] == "/tiles/13/6838/3318.png"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_tile_source_must_be_an_xyz_template(capsys):
    from backend.__main__ import parse_args

    for bad in ("ftp://host/{z}/{x}/{y}.png", "http://host/tiles.png"):
        with pytest.raises(SystemExit):
            parse_args(["--tile-source", bad])
    assert "{z}, {x} and {y}" in capsys.readouterr().err
    args = parse_args(["--tile-source", "http://a/{z}/{x}/{y}.png",
                       "--tile-source", "https://b/{z}/{x}/{y}.png"])
    assert args.tile_source == ["http://a/{z}/{x}/{y}.png", "https://b/{z}/{x}/{y}.png"]
