"""The operation map's layers and tools in the desk, on the real backend: cameras and sensors
drawn with their state, the ring around the selected event lists what is inside it, the search
box finds any element in one step, and new urgent events pulse."""

from __future__ import annotations

import json
import math

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from console.map_marks import MAX_PULSING, pulses
from console.schema import OPEN_STATUSES
from tests.gui.conftest import ARTIFACTS
from tests.gui.test_map_view import run_js, wait_painted
from tests.gui.test_operation_map import _open_event, open_map, widen_map


def metres(a, b) -> float:
    lat1, lat2 = math.radians(a[1]), math.radians(b[1])
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin(math.radians(b[0] - a[0]) / 2) ** 2)
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def backend_cameras(backend) -> list[dict]:
    answer = requests.get(f"{backend.url}/api/v1/cameras", headers=backend.headers(),
                          timeout=10)
    answer.raise_for_status()
    return answer.json()


def set_camera(backend, camera_id: str, status: str) -> None:
    requests.post(f"{backend.url}/api/v1/sim/cameras/{camera_id}", json={"status": status},
                  headers=backend.headers("admin"), timeout=10).raise_for_status()


def source_features(qtbot, view, source: str) -> list[dict]:
    return json.loads(run_js(qtbot, view, f"JSON.stringify(hallMap.querySourceFeatures("
                                          f"'{source}').map(f => f.properties))"))


def expected_within(backend, center, radius) -> list[str]:
    found = [(metres(center, c["location"]), c["id"]) for c in backend_cameras(backend)]
    return [cid for d, cid in sorted(found) if d <= radius]


def test_ring_lists_the_cameras_inside_it(qtbot, make_desk, backend):
    desk, omap, view = open_map(qtbot, make_desk, backend)
    event = _open_event(desk)
    center = (event.location.lon, event.location.lat)
    assert desk.queue.select_event(event.id)
    qtbot.waitUntil(lambda: omap.ring_panel.isVisible(), timeout=5000)
    assert omap.ring_panel.entries("camera") == expected_within(backend, center, 500)

    # A wider ring: more cameras, nearest first, and the page draws it at that radius.
    omap.ring_panel.radius.setValue(2000)
    expected = expected_within(backend, center, 2000)
    assert len(expected) >= 3, "the demo city has cameras within 2 km of every event"
    assert omap.ring_panel.entries("camera") == expected
    qtbot.waitUntil(lambda: run_js(qtbot, view, "hallTools.ring() && hallTools.ring().radius")
                    == 2000, timeout=5000)
    ring = json.loads(run_js(qtbot, view, "JSON.stringify(hallTools.ring())"))
    assert ring["center"] == pytest.approx(list(center), abs=1e-6)
    teams = {u.id for u in desk.window._bridge.units.all() if u.position is not None
             and metres(center, u.position) <= 2000}
    assert set(omap.ring_panel.entries("team")) == teams

    wait_painted(qtbot, view)
    ARTIFACTS.mkdir(exist_ok=True)
    desk.window.grab().save(str(ARTIFACTS / "desk_map_ring.png"))

    # "Show these cameras" sends the online ones, nearest first; an offline one is left out.
    set_camera(backend, expected[0], "offline")
    try:
        qtbot.waitUntil(lambda: omap.ring_panel.entries("camera") == expected and
                        desk.app.session.cameras.get(expected[0]).status == "offline",
                        timeout=10000)
        with qtbot.waitSignal(omap.sig_show_cameras, timeout=5000) as shown:
            QTest.mouseClick(omap.ring_panel.show_cameras, Qt.MouseButton.LeftButton)
        assert shown.args[0] == expected[1:]
        assert desk.window.current_view() == "video_wall"  # the wall is raised
        assert desk.window.view_in_sight("video_wall") and not omap.isVisible()
    finally:
        set_camera(backend, expected[0], "online")


def test_cameras_and_sensors_are_drawn_with_their_state(qtbot, make_desk, backend):
    desk, omap, view = open_map(qtbot, make_desk, backend)
    # Its source features are those of the tiles in view: the city's cameras need the width.
    widen_map(qtbot, desk, view)
    cameras = backend_cameras(backend)
    qtbot.waitUntil(lambda: len({f["id"] for f in source_features(qtbot, view, "cameras")})
                    == len(cameras), timeout=10000)
    sensors = requests.get(f"{backend.url}/api/v1/map/layers/sensors",
                           headers=backend.headers(), timeout=10).json()["features"]
    drawn = {f["id"]: f for f in source_features(qtbot, view, "sensors")}
    assert set(drawn) == {f["properties"]["id"] for f in sensors}
    board = desk.app.session.indicators
    for sensor_id, props in drawn.items():
        indicator = board.get(sensor_id)
        assert props["state"] == (indicator.state if indicator is not None else "unknown")

    camera_id = cameras[3]["id"]
    set_camera(backend, camera_id, "offline")
    try:
        qtbot.waitUntil(lambda: {f["id"]: f["status"] for f in source_features(
            qtbot, view, "cameras")}.get(camera_id) == "offline", timeout=10000)
    finally:
        set_camera(backend, camera_id, "online")


def test_search_finds_a_camera_a_street_and_an_event(qtbot, make_desk, backend):
    desk, omap, view = open_map(qtbot, make_desk, backend)
    box = omap.search_box
    camera = backend_cameras(backend)[7]

    def search(text: str):
        box.setFocus()
        box.clear()
        # Typed through the input method, as Chinese text is (QTest types Latin keys only).
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(box, event)
        assert box.search_pending  # searched after a pause, not at every key
        qtbot.waitUntil(lambda: not box.search_pending, timeout=3000)
        return box.results

    results = search(camera["name"])
    assert (results[0].kind, results[0].id) == ("camera", camera["id"])
    with qtbot.waitSignal(view.moved, timeout=10000) as moved:
        QTest.keyClick(box, Qt.Key.Key_Return)
    assert moved.args[:2] == pytest.approx(camera["location"], abs=1e-5)
    wait_painted(qtbot, view)
    marked = json.loads(run_js(qtbot, view, "JSON.stringify(hallMap.querySourceFeatures("
                                            "'tool:marker').map(f => f.geometry.coordinates))"))
    assert marked and all(p == pytest.approx(camera["location"], abs=1e-4) for p in marked)

    results = search("崇安寺")
    assert results[0].kind == "street"

    event = _open_event(desk)
    results = search(event.id.lower())
    assert (results[0].kind, results[0].id) == ("event", event.id)
    with qtbot.waitSignal(omap.sig_event_clicked, timeout=5000):
        QTest.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.queue.selected_event_id() == event.id, timeout=5000)
    # An address finds its events too.
    results = search(event.location.address)
    assert any(p.kind == "event" and p.id == event.id for p in results) or \
        all(p.kind == "event" for p in results[:5])


def test_new_urgent_events_pulse(qtbot, make_desk, backend):
    backend.sim_events(4, level=1)
    desk, omap, view = open_map(qtbot, make_desk, backend)
    store = desk.app.store
    urgent = [e.id for e in store.events()
              if e.status in OPEN_STATUSES and pulses(e.level, e.status)]
    assert len(urgent) >= 4
    # The newest (the last rows of the store) pulse, at most MAX_PULSING of them.
    expected = set(urgent[-MAX_PULSING:])  # store.events() is in row order
    qtbot.waitUntil(lambda: set(json.loads(run_js(
        qtbot, view, "JSON.stringify(hallTools.pulsing())"))) == expected, timeout=10000)
    ARTIFACTS.mkdir(exist_ok=True)
    view.grab().save(str(ARTIFACTS / "map_pulse.png"))
