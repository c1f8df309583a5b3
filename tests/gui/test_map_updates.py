"""Changes-only updates of point layers on the real page, headless: MapView.update_features →
MapBridge (merged) → resources/map/updates.js → GeoJSONSource.updateData."""

from __future__ import annotations

import json

from tests.gui.test_map_view import CENTER, pixels_of, run_js, wait_painted

CIRCLE = {"type": "circle", "paint": {"circle-color": "#f85149", "circle-radius": 8}}
RED = (248, 81, 73)
CLUSTER = {"radius": 40, "maxZoom": 14, "properties": {"level": ["min", ["get", "level"]]},
           "paint": {"circle-color": "#2f81f7", "circle-radius": 12}}


def point(fid: str, lon: float, lat: float, **props) -> dict:
    return {"type": "Feature", "id": fid, "properties": dict(props),
            "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def source_points(qtbot, view, layer: str) -> dict[str, list[float]]:
    """id -> [lon, lat] of the source's features in the loaded tiles (unclustered ones)."""
    return json.loads(run_js(qtbot, view, f"""JSON.stringify(Object.fromEntries(
        hallMap.querySourceFeatures({json.dumps(layer)})
          .filter(f => !f.properties.cluster)
          .map(f => [f.properties.id, f.geometry.coordinates])))"""))


def rendered(qtbot, view, layer: str) -> dict[str, dict]:
    """What is drawn of a clustered layer: 'cluster:<n>' or the feature id -> its properties."""
    script = f"""(() => {{
        const layers = [{json.dumps(layer)}, {json.dumps(layer + ":clusters")}]
          .filter(id => hallMap.getLayer(id));
        const out = {{}};
        for (const f of hallMap.queryRenderedFeatures({{layers}})) {{
          const p = f.properties;
          out[p.cluster ? "cluster:" + p.cluster_id : p.id] = p;
        }}
        return JSON.stringify(out);
    }})()"""
    return json.loads(run_js(qtbot, view, script))


def close(a: list[float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < 1e-4 and abs(a[1] - b[1]) < 1e-4


def wait_points(qtbot, view, layer: str, expected: dict[str, tuple[float, float]]) -> None:
    def matches() -> bool:
        got = source_points(qtbot, view, layer)
        return got.keys() == expected.keys() and all(
            close(got[k], v) for k, v in expected.items())

    qtbot.waitUntil(matches, timeout=20000)


def test_upserts_move_and_add_removals_remove(qtbot, map_view):
    lon, lat = CENTER
    map_view.set_layer("cams", collection(point("a", lon, lat), point("b", lon + 0.01, lat),
                                          point("c", lon, lat + 0.01)), CIRCLE)
    wait_points(qtbot, map_view, "cams", {"a": (lon, lat), "b": (lon + 0.01, lat),
                                          "c": (lon, lat + 0.01)})
    batches = map_view.bridge.batches_sent
    map_view.update_features("cams", [point("a", lon - 0.02, lat - 0.01),
                                      point("d", lon + 0.02, lat + 0.005)], ["b"])
    expected = {"a": (lon - 0.02, lat - 0.01), "c": (lon, lat + 0.01),
                "d": (lon + 0.02, lat + 0.005)}
    wait_points(qtbot, map_view, "cams", expected)
    assert map_view.bridge.batches_sent == batches + 1
    # Drawn where they are now, and nothing is left where "b" was.
    wait_painted(qtbot, map_view)
    image = map_view.grab().toImage()
    for fid in ("a", "b", "d"):
        x, y = json.loads(run_js(qtbot, map_view, "(p => JSON.stringify([p.x, p.y]))"
                                 f"(hallMap.project({list(expected.get(fid, (lon + 0.01, lat)))}))"))
        red = pixels_of(image.copy(round(x) - 6, round(y) - 6, 12, 12), RED)
        assert bool(red) == (fid != "b"), fid


def test_bytes_and_properties_are_updated(qtbot, map_view):
    import orjson

    lon, lat = CENTER
    map_view.set_layer("cams", collection(point("a", lon, lat, status="ok")), CIRCLE)
    wait_points(qtbot, map_view, "cams", {"a": (lon, lat)})
    map_view.update_features("cams", orjson.dumps([point("a", lon, lat, status="down")]))
    qtbot.waitUntil(lambda: run_js(qtbot, map_view, "[...new Set(hallMap.querySourceFeatures("
                                   "'cams').map(f => f.properties.status))].join()") == "down",
                    timeout=20000)


def test_merged_updates_end_in_the_right_state(qtbot, map_view):
    lon, lat = CENTER
    map_view.set_layer("sensors", collection(*(point(f"s{i}", lon + i * 0.002, lat)
                                               for i in range(5))), CIRCLE)
    wait_points(qtbot, map_view, "sensors", {f"s{i}": (lon + i * 0.002, lat) for i in range(5)})
    batches = map_view.bridge.batches_sent
    # All in one go: they are queued together and merged into one op.
    map_view.update_features("sensors", [point("s0", lon, lat + 0.003)])
    map_view.update_features("sensors", [point("s0", lon, lat + 0.006)])      # latest wins
    map_view.update_features("sensors", [point("s5", lon, lat - 0.004)], ["s1"])
    map_view.update_features("sensors", [], ["s5", "s2"])                     # removal wins
    map_view.update_features("sensors", [point("s1", lon - 0.004, lat)])      # upsert wins
    expected = {"s0": (lon, lat + 0.006), "s1": (lon - 0.004, lat),
                "s3": (lon + 0.006, lat), "s4": (lon + 0.008, lat)}
    wait_points(qtbot, map_view, "sensors", expected)
    assert map_view.bridge.batches_sent - batches <= 2


def test_a_clustered_layer_gets_updates_right(qtbot, map_view):
    lon, lat = CENTER
    # 30 level-3 events in a 0.004° square: one cluster at zoom 12.
    events = [point(f"ev-{i}", lon + (i % 6) * 0.0008, lat + (i // 6) * 0.0008, level=3)
              for i in range(30)]
    map_view.set_layer("events", collection(*events), CIRCLE, cluster=CLUSTER)
    map_view.fly_to(lon, lat, 12, duration_ms=0)

    def drawn() -> tuple[int, list[int], list[str]]:
        got = rendered(qtbot, map_view, "events")
        count = sum(p.get("point_count", 1) for p in got.values())
        levels = sorted(p["level"] for k, p in got.items() if k.startswith("cluster:"))
        return count, levels, sorted(k for k in got if not k.startswith("cluster:"))

    qtbot.waitUntil(lambda: drawn() == (30, [3], []), timeout=20000)
    # 5 removed, one of the rest now level 1 (the cluster's level is its minimum), one moved
    # out of the cluster (0.05° east), two added.
    map_view.update_features(
        "events",
        [point("ev-7", lon + 0.0008, lat + 0.0008, level=1),
         point("ev-8", lon + 0.05, lat, level=2),
         point("new-1", lon + 0.001, lat + 0.001, level=3),
         point("new-2", lon + 0.002, lat, level=3)],
        [f"ev-{i}" for i in range(20, 25)])
    qtbot.waitUntil(lambda: drawn() == (27, [1], ["ev-8"]), timeout=20000)
    # Zoomed in past the clusters' last zoom, every event is its own point.
    map_view.fly_to(lon + 0.002, lat + 0.002, 16, duration_ms=0)
    qtbot.waitUntil(lambda: len(drawn()[2]) == 26 and not drawn()[1], timeout=20000)
    ids = set(drawn()[2])
    assert {"new-1", "new-2", "ev-7"} <= ids
    assert not ids & {f"ev-{i}" for i in range(20, 25)}
