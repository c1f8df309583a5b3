"""console/hall.py: hall files, the default layouts, binding and placing screens (no Qt)."""

from __future__ import annotations

import json

import pytest

from console.hall import (
    HallFileError,
    HallLayout,
    ScreenInfo,
    bind,
    default_layout,
    guest_geometry,
    load_layout,
    place,
    wall_font_points,
)

HALL = """
[[screen]]
role = "desk"
match = { name = "DP-1" }
views = ["event_board", "statistics"]

[[screen]]
id = "big"
role = "wall"
match = { position = 1 }
arrangement = "1+2"
views = ["map", "dashboard", "statistics"]

[[screen]]
role = "wall"
match = { index = 2 }
views = ["video_wall"]
"""


def screens(*sizes: tuple[str, int, int]) -> list[ScreenInfo]:
    out, x = [], 0
    for i, (name, w, h) in enumerate(sizes):
        out.append(ScreenInfo(name=name, index=i, x=x, width=w, height=h))
        x += w
    return out


def test_toml_hall_file(tmp_path):
    path = tmp_path / "hall.toml"
    path.write_text(HALL)
    layout = load_layout(path)
    assert [s.id for s in layout.screens] == ["desk", "big", "wall-2"]
    assert layout.desk.effective_arrangement == "tabs"
    big = layout.screen("big")
    assert big.grid() == (2, 2)
    assert [(c.view, c.row, c.col, c.row_span) for c in big.cells()] == [
        ("map", 0, 0, 2), ("dashboard", 0, 1, 1), ("statistics", 1, 1, 1)]
    assert layout.views_on("wall") == ["map", "dashboard", "statistics", "video_wall"]
    assert layout.source == str(path)


def test_json_hall_file_same_as_toml(tmp_path):
    import tomllib

    (tmp_path / "hall.toml").write_text(HALL)
    (tmp_path / "hall.json").write_text(json.dumps(tomllib.loads(HALL)))
    a, b = load_layout(tmp_path / "hall.toml"), load_layout(tmp_path / "hall.json")
    assert a.screens == b.screens


def test_arrangements_cells():
    layout = HallLayout.model_validate({"screen": [
        {"role": "desk", "views": ["event_board"]},
        {"role": "wall", "views": ["map", "video_wall", "dashboard"], "arrangement": "2x2"},
        {"role": "wall", "views": ["map", "dashboard"], "arrangement": "columns"},
        {"role": "wall", "views": ["map", "dashboard"], "arrangement": "rows"},
        {"role": "wall", "views": ["map", "dashboard", "statistics", "video_wall"]},
    ]})
    w1, w2, w3, w4 = layout.walls
    assert w1.grid() == (2, 2) and w1.cells()[2].col_span == 2
    assert w2.grid() == (1, 2) and [c.col for c in w2.cells()] == [0, 1]
    assert w3.grid() == (2, 1) and [c.row for c in w3.cells()] == [0, 1]
    assert w4.effective_arrangement == "2x2"  # default for walls with 2–4 views
    assert [s.match.position for s in layout.screens] == [0, 1, 2, 3, 4]  # default: in order


@pytest.mark.parametrize(("text", "problem"), [
    ("[[screen]]\nrole = 'wall'\nviews = ['map']\n", "exactly one desk screen"),
    ("[[screen]]\nrole = 'desk'\nviews = ['radar']\n", "'radar' is not one of"),
    ("[[screen]]\nrole = 'desk'\nviews = []\n", "screen 1 (views)"),
    ("[[screen]]\nrole = 'desk'\nviews = ['map']\nmatch = {name = 'a', index = 1}\n",
     "exactly one of name, index, position"),
    ("[[screen]]\nrole = 'desk'\nviews = ['map', 'dashboard']\narrangement = 'single'\n",
     "arrangement 'single' takes 1–1 views, got 2"),
    ("[[screen]]\nrole = 'desk'\nviews = ['map']\n[[screen]]\nrole = 'wall'\n"
     "views = ['map']\nmatch = {position = 0}\n", "both match position=0"),
    ("[[screen]]\nrole = 'desk'\nviews = ['map']\ncolour = 'red'\n", "screen 1 (colour)"),
    ("[[screen]\nrole = 'desk'", "not valid TOML"),
])
def test_bad_hall_files_name_the_file_and_the_problem(tmp_path, text, problem):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(HallFileError) as caught:
        load_layout(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_missing_hall_file(tmp_path):
    with pytest.raises(HallFileError, match="cannot read"):
        load_layout(tmp_path / "nope.toml")


def test_default_one_screen_desk_holds_everything():
    layout = default_layout(screens(("eDP-1", 1366, 768)))
    assert len(layout.screens) == 1
    assert layout.desk.views == ["event_board", "map", "video_wall", "dashboard", "statistics"]
    assert layout.desk.effective_arrangement == "tabs"


def test_default_two_4k_walls():
    found = screens(("desk", 1920, 1080), ("w-a", 3840, 2160), ("w-b", 3840, 2160))
    layout = default_layout(found)
    assert layout.desk.views == ["event_board"] and layout.desk.match.name == "desk"
    assert [(w.match.name, w.views, w.effective_arrangement) for w in layout.walls] == [
        ("w-a", ["map", "dashboard", "statistics"], "1+2"), ("w-b", ["video_wall"], "single")]


def test_default_primary_screen_is_the_desk():
    found = screens(("left", 1920, 1080), ("middle", 1920, 1080))
    found[1] = found[1].model_copy(update={"primary": True})
    layout = default_layout(found)
    assert layout.desk.match.name == "middle" and layout.walls[0].match.name == "left"


@pytest.mark.parametrize(("walls", "views"), [
    (1, [["map", "video_wall", "dashboard", "statistics"]]),
    (3, [["map"], ["video_wall"], ["dashboard", "statistics"]]),
    (6, [["map"], ["video_wall"], ["dashboard"], ["statistics"], ["video_wall"], ["map"]]),
])
def test_default_walls_share_the_views(walls, views):
    layout = default_layout(screens(*[(f"s{i}", 1920, 1080) for i in range(walls + 1)]))
    assert [w.views for w in layout.walls] == views
    assert {v for w in layout.walls for v in w.views} == {"map", "video_wall", "dashboard",
                                                          "statistics"}


def test_binding_survives_an_unplug_and_walls_become_guests():
    found = screens(("desk", 1920, 1080), ("a", 1920, 1080), ("b", 1920, 1080))
    layout = HallLayout.model_validate({"screen": [
        {"role": "desk", "views": ["event_board"]},
        {"role": "wall", "views": ["map"], "match": {"position": 1}},
        {"role": "wall", "views": ["video_wall"], "match": {"position": 2}},
    ]})
    binding = bind(layout, found)
    assert binding == {"desk": "desk", "wall-1": "a", "wall-2": "b"}
    seen = {s.name: s for s in found}
    # "a" (the middle) unplugged: position 1 would now mean "b"; the binding does not shift.
    remaining = [found[0], found[2].model_copy(update={"index": 1})]
    assert bind(layout, remaining, binding) == binding
    placed = {p.screen_id: p for p in place(layout, remaining, binding, seen)}
    assert placed["wall-2"].home and placed["wall-2"].target.name == "b"
    assert not placed["wall-1"].home
    assert placed["wall-1"].target.name == "b"  # the other wall, not the desk
    assert placed["desk"].home
    # Only the desk left: the walls are guests there, in slots.
    placed = place(layout, [found[0]], binding, seen)
    assert [(p.screen_id, p.home, p.target.name, p.slot) for p in placed] == [
        ("desk", True, "desk", 0), ("wall-1", False, "desk", 0), ("wall-2", False, "desk", 1)]


def test_desk_screen_unplugged_goes_to_the_nearest():
    found = screens(("desk", 1920, 1080), ("a", 1920, 1080), ("b", 1920, 1080))
    layout = default_layout(found)
    binding = bind(layout, found)
    placed = {p.screen_id: p for p in place(layout, found[1:], binding,
                                            {s.name: s for s in found})}
    assert placed["desk"].target.name == "a" and not placed["desk"].home


def test_guest_geometry_stays_on_its_screen():
    host = ScreenInfo(name="a", x=1920, y=0, width=1920, height=1080)
    for slot in range(12):
        x, y, w, h = guest_geometry(host, slot)
        assert (w, h) == (1152, 648)
        assert host.x <= x and x + w <= host.x + host.width
        assert host.y <= y and y + h <= host.y + host.height
    assert guest_geometry(host, 0) != guest_geometry(host, 1)


def test_wall_type_size():
    assert wall_font_points(1080) == 18.0
    assert wall_font_points(2160) == 36.0
    assert wall_font_points(768) == 18.0
    assert wall_font_points(4320) == 40.0
