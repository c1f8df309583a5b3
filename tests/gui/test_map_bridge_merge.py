"""MapBridge's queue without a page: queued `updateFeatures` of a layer are merged, and a
`setLayer` of the layer makes the updates queued before it moot (views/map_bridge.py)."""

from __future__ import annotations

import orjson
import pytest

from views.map_bridge import MapBridge, feature_id


def point(fid: str, lon: float = 120.30, lat: float = 31.57, **props) -> dict:
    return {"type": "Feature", "properties": {"id": fid, **props},
            "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def update(layer: str, upserts=(), removed=()) -> dict:
    """The op as MapView.update_features queues it."""
    return {"op": "updateFeatures", "id": layer,
            "upserts": upserts if isinstance(upserts, bytes) else list(upserts),
            "removed": list(removed)}


@pytest.fixture
def bridge(hall_app):
    """A ready bridge whose batches are taken by hand (`sent`), never by its timer."""
    bridge = MapBridge()
    bridge.sent = []
    bridge.updates.connect(lambda text: bridge.sent.append(orjson.loads(text)))
    bridge.pageReady()
    bridge._timer.stop()
    yield bridge
    bridge._timer.stop()
    bridge.deleteLater()


def flushed(bridge: MapBridge) -> list[dict]:
    bridge.flush()
    bridge._timer.stop()
    return bridge.sent.pop()


def upserted(op: dict) -> dict[str, dict]:
    return {f["properties"]["id"]: f for f in op["upserts"]}


def test_latest_version_of_each_feature_wins(bridge):
    bridge.send(update("events", [point("a", level=1), point("b", level=2)]))
    bridge.send(update("events", [point("a", 120.31, level=3)]))
    bridge.send(update("events", [point("c")]))
    (op,) = flushed(bridge)
    assert op["op"] == "updateFeatures" and op["id"] == "events"
    got = upserted(op)
    assert list(got) == ["a", "b", "c"]
    assert got["a"]["properties"]["level"] == 3
    assert got["a"]["geometry"]["coordinates"] == [120.31, 31.57]
    assert op["removed"] == []


def test_a_removal_after_an_upsert_wins(bridge):
    bridge.send(update("events", [point("a"), point("b")]))
    bridge.send(update("events", removed=["a"]))
    (op,) = flushed(bridge)
    assert list(upserted(op)) == ["b"]
    assert op["removed"] == ["a"]


def test_an_upsert_after_a_removal_wins(bridge):
    bridge.send(update("events", removed=["a", "b"]))
    bridge.send(update("events", [point("a", level=4)]))
    (op,) = flushed(bridge)
    assert upserted(op)["a"]["properties"]["level"] == 4
    assert op["removed"] == ["b"]


def test_layers_are_merged_apart_and_other_ops_keep_their_place(bridge):
    bridge.send(update("events", [point("a")]))
    bridge.send({"op": "flyTo", "center": [120.3, 31.5], "zoom": 12, "duration": 0})
    bridge.send(update("cameras", [point("cam-1")]))
    bridge.send({"op": "setVisible", "id": "events", "visible": False})
    bridge.send(update("events", [point("b")]))
    ops = flushed(bridge)
    assert [(o["op"], o.get("id")) for o in ops] == [
        ("updateFeatures", "events"), ("flyTo", None), ("updateFeatures", "cameras"),
        ("setVisible", "events")]
    assert list(upserted(ops[0])) == ["a", "b"]


def test_set_layer_supersedes_the_updates_queued_before_it(bridge):
    bridge.send(update("events", [point("a")]))
    bridge.send(update("cameras", [point("cam-1")]))
    bridge.send({"op": "setLayer", "id": "events", "data": {"features": []}})
    bridge.send(update("events", [point("b")]))  # after the new data: kept, after it
    ops = flushed(bridge)
    assert [(o["op"], o["id"]) for o in ops] == [
        ("updateFeatures", "cameras"), ("setLayer", "events"), ("updateFeatures", "events")]
    assert list(upserted(ops[2])) == ["b"]


def test_no_merge_across_a_remove_layer(bridge):
    bridge.send(update("events", [point("a")]))
    bridge.send({"op": "removeLayer", "id": "events"})
    bridge.send(update("events", [point("b")]))
    ops = flushed(bridge)
    assert [o["op"] for o in ops] == ["updateFeatures", "removeLayer", "updateFeatures"]


def test_bytes_go_as_they_are_and_are_parsed_to_be_merged(bridge):
    raw = orjson.dumps([point("a", level=1), point("b", level=1)])
    bridge.send(update("events", raw))
    (op,) = flushed(bridge)
    assert op["upserts"] == orjson.loads(raw)

    bridge.send(update("events", raw, removed=["z"]))
    bridge.send(update("events", orjson.dumps([point("a", level=2)]), removed=["b"]))
    (op,) = flushed(bridge)
    got = upserted(op)
    assert list(got) == ["a"] and got["a"]["properties"]["level"] == 2
    assert op["removed"] == ["z", "b"]


def test_sent_batches_are_not_merged_into(bridge):
    bridge.send(update("events", [point("a")]))
    first = flushed(bridge)
    bridge.send(update("events", [point("b")]))
    second = flushed(bridge)
    assert list(upserted(first[0])) == ["a"]
    assert list(upserted(second[0])) == ["b"]


def test_feature_ids():
    assert feature_id(point("a")) == "a"
    assert feature_id({"type": "Feature", "id": "ev-1", "properties": {}}) == "ev-1"
    assert feature_id({"type": "Feature", "id": "x", "properties": {"id": "y"}}) == "y"
    assert feature_id({"type": "Feature", "id": 7, "properties": None}) == "7"
    assert feature_id({"type": "Feature", "properties": {}}) is None
