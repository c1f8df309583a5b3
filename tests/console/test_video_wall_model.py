"""The video wall's rules without a screen: layouts, tiles, tours, the saved state."""

from __future__ import annotations

import json
import logging

import pytest

from console.schema import Camera, CameraStream
from console.video_wall import (
    LAYOUTS,
    MAX_TILES,
    STATE_VERSION,
    WallModel,
    WallState,
    choose_stream,
    load_state,
    save_state,
    smallest_grid_for,
)


def covered(layout):
    seen = set()
    for cell in layout.cells:
        for r in range(cell.row, cell.row + cell.rows):
            for c in range(cell.col, cell.col + cell.cols):
                assert (r, c) not in seen
                seen.add((r, c))
    return seen


@pytest.mark.parametrize("name,count,grid,big", [
    ("1", 1, 1, 1), ("4", 4, 2, 1), ("9", 9, 3, 1), ("16", 16, 4, 1), ("25", 25, 5, 1),
    ("36", 36, 6, 1), ("1+5", 6, 3, 2), ("1+7", 8, 4, 3), ("1+12", 13, 4, 2)])
def test_layouts_tile_the_grid(name, count, grid, big):
    layout = LAYOUTS[name]
    assert layout.count == count and layout.rows == layout.cols == grid
    assert layout.cells[0].rows == layout.cells[0].cols == big
    assert covered(layout) == {(r, c) for r in range(grid) for c in range(grid)}
    if name == "1+12":
        assert (layout.cells[0].row, layout.cells[0].col) == (1, 1)


def test_fill_picks_the_smallest_grid_and_keeps_order():
    model = WallModel()
    assert model.fill(["a", "b", "c"]) == ["a", "b", "c"]
    assert model.state.layout == "4"
    assert model.visible() == ["a", "b", "c", None]
    ids = [f"c{n}" for n in range(20)]
    assert model.fill(ids) == ids[:16]
    assert model.state.layout == "16"
    assert smallest_grid_for(1).name == "1" and smallest_grid_for(10).name == "16"


def test_layout_change_keeps_cameras_in_order_and_swap():
    model = WallModel()
    model.fill([f"c{n}" for n in range(9)])
    model.set_layout("4")
    assert model.visible() == ["c0", "c1", "c2", "c3"]
    model.set_layout("16")
    assert model.visible()[:9] == [f"c{n}" for n in range(9)]
    model.swap(0, 8)
    assert model.camera_at(0) == "c8" and model.camera_at(8) == "c0"
    assert model.first_free() == 9


def test_tour_on_a_tile_and_on_the_wall():
    model = WallModel()
    model.save_tour("T", ["a", "b", "c"], dwell_s=5)
    model.start_tour("T", now=100.0, tile=1)
    assert model.camera_at(1) == "a" and model.tour_label(1) == "T 1/3"
    assert not model.tick(104.0)
    assert model.tick(105.0) and model.camera_at(1) == "b"
    model.tick(110.0)
    model.tick(115.0)
    assert model.camera_at(1) == "a"
    model.assign(1, "z")  # a hand-placed camera ends the tour on that tile
    assert not model.runs
    model.save_tour("W", [f"w{n}" for n in range(6)], dwell_s=2)
    model.start_tour("W", now=0.0)
    assert model.visible() == ["w0", "w1", "w2", "w3"]
    model.tick(2.0)
    assert model.visible() == ["w4", "w5", None, None]
    model.tick(4.0)
    assert model.visible()[0] == "w0"


def test_state_round_trip_and_refusals(tmp_path, caplog):
    path = tmp_path / "wall" / "video_wall.json"
    model = WallModel()
    model.set_layout("1+5")
    model.assign(0, "CAM-001")
    model.assign(3, "CAM-002")
    model.save_tour("night", ["CAM-003", "CAM-004"], 7)
    save_state(path, model.state)
    assert not list(path.parent.glob("*.tmp"))
    back = load_state(path)
    assert back.layout == "1+5" and back.tiles[:4] == ["CAM-001", None, None, "CAM-002"]
    assert len(back.tiles) == MAX_TILES
    assert [(t.name, t.camera_ids, t.dwell_s) for t in back.tours] == \
        [("night", ["CAM-003", "CAM-004"], 7.0)]
    caplog.set_level(logging.WARNING, "console.video_wall")
    for bad in (b"{not json", b"\xff\xfe", json.dumps({"version": STATE_VERSION + 1}).encode(),
                json.dumps({"version": STATE_VERSION, "layout": "7"}).encode(),
                json.dumps({"version": STATE_VERSION, "layout": "4", "tiles": [1, 2]}).encode(),
                json.dumps({"version": STATE_VERSION, "layout": "4",
                            "tours": [{"name": "x", "camera_ids": [], "dwell_s": 1}]}).encode()):
        path.write_bytes(bad)
        caplog.clear()
        state = load_state(path)
        assert state == WallState()
        assert "refused" in caplog.text
    assert load_state(tmp_path / "none.json") == WallState()


def test_choose_stream_prefers_mjpeg_of_the_profile():
    camera = Camera(id="C", name="c", location=(120.3, 31.5), streams=[
        CameraStream(profile="main", kind="flv", url="http://h/main.flv"),
        CameraStream(profile="main", kind="mjpeg", url="http://h/main.mjpeg"),
        CameraStream(profile="sub", kind="flv", url="http://h/sub.flv")])
    assert choose_stream(camera, "main").url.endswith("main.mjpeg")
    assert choose_stream(camera, "sub").url.endswith("sub.flv")
