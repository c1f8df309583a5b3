"""Layouts on simulated halls: Qt's offscreen platform with a screens config file, one child
process per hall (the platform is fixed when the QApplication is made). Each child prints what
it sees; screenshots of every window go to tests/artifacts/hall_<hall>_<window>.png."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("hall_child.py")
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = pytest.mark.timeout(90)


def screen(name: str, x: int, width: int = 1920, height: int = 1080) -> dict:
    return {"name": name, "x": x, "y": 0, "width": width, "height": height, "logicalDpi": 96,
            "logicalBaseDpi": 96, "dpr": 1}


def run_hall(tmp_path: Path, name: str, screens: list[dict], hall: str | None = None) -> dict:
    config = tmp_path / f"{name}.json"
    config.write_text(json.dumps({"synchronousWindowSystemEvents": True,
                                  "windowFrameMargins": False, "screens": screens}))
    args = [sys.executable, str(CHILD), "--shots", str(ARTIFACTS / f"hall_{name}_")]
    if hall is not None:
        hall_file = tmp_path / "hall.toml"
        hall_file.write_text(hall)
        args += ["--hall", str(hall_file)]
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_one_screen_everything_on_the_desk(tmp_path):
    seen = run_hall(tmp_path, "one", [screen("laptop", 0, 1366, 768)])
    assert seen["layout"] == [{"id": "desk", "role": "desk", "arrangement": "tabs",
                               "views": ["event_board", "map", "video_wall", "dashboard",
                                         "statistics"]}]
    desk = seen["windows"]["desk"]
    assert list(seen["windows"]) == ["desk"]
    assert desk["on_screen"] == "laptop" and desk["visible"] and not desk["frameless"]


def test_desk_and_two_4k_walls(tmp_path):
    seen = run_hall(tmp_path, "two_4k", [screen("desk", 0), screen("wall-a", 1920, 3840, 2160),
                                         screen("wall-b", 5760, 3840, 2160)])
    w = seen["windows"]
    assert w["desk"]["on_screen"] == "desk" and not w["desk"]["fullscreen"]
    assert w["wall-1"]["views"] == ["map", "dashboard", "statistics"]
    assert w["wall-2"]["views"] == ["video_wall"]
    for wid, name, x in (("wall-1", "wall-a", 1920), ("wall-2", "wall-b", 5760)):
        assert w[wid]["on_screen"] == w[wid]["qt_screen"] == name
        assert w[wid]["geometry"] == [x, 0, 3840, 2160]
        assert w[wid]["frameless"] and w[wid]["fullscreen"] and w[wid]["visible"]
        assert w[wid]["font_pt"] == 36.0  # large type, scaled to the 2160-line screen
    assert all(p["home"] for p in seen["placements"])
    for wid in ("desk", "wall-1", "wall-2"):
        assert (ARTIFACTS / f"hall_two_4k_{wid}.png").stat().st_size > 1000


def test_desk_and_six_walls(tmp_path):
    names = ["desk"] + [f"w{i}" for i in range(1, 7)]
    seen = run_hall(tmp_path, "six", [screen(n, 1920 * i) for i, n in enumerate(names)])
    w = seen["windows"]
    assert [w[f"wall-{i}"]["views"] for i in range(1, 7)] == [
        ["map"], ["video_wall"], ["dashboard"], ["statistics"], ["video_wall"], ["map"]]
    for i in range(1, 7):
        wall = w[f"wall-{i}"]
        assert wall["on_screen"] == f"w{i}" and wall["geometry"] == [1920 * i, 0, 1920, 1080]
        assert wall["frameless"] and wall["fullscreen"] and wall["font_pt"] == 18.0


def test_hall_file_with_a_missing_screen_puts_the_wall_on_a_remaining_one(tmp_path):
    """A hall file naming three screens on a two-screen hall: the third is a visible guest."""
    hall = """
[[screen]]
role = "desk"
match = { position = 0 }
views = ["event_board"]

[[screen]]
role = "wall"
match = { position = 1 }
arrangement = "2x2"
views = ["map", "video_wall", "dashboard", "statistics"]

[[screen]]
role = "wall"
match = { name = "not-here" }
views = ["statistics"]
"""
    seen = run_hall(tmp_path, "missing", [screen("left", 0), screen("right", 1920)], hall)
    w = seen["windows"]
    assert w["desk"]["on_screen"] == "left"
    assert w["wall-1"]["on_screen"] == "right" and w["wall-1"]["fullscreen"]
    guest = w["wall-2"]
    assert guest["on_screen"] == "right" and guest["visible"] and not guest["fullscreen"]
    assert guest["geometry"][2:] == [1152, 648]  # 60 % of its host screen
