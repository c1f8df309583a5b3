"""The map page's tools, on the real page headless: the radius ring, pulsing events, the search
marker, the measure tool, and the coordinate/scale readout."""

from __future__ import annotations

import json
import math

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from tests.gui.conftest import ARTIFACTS
from tests.gui.map_page import pixels_of, run_js, wait_painted
from tests.gui.test_map_view import POINTS

RING = (88, 166, 255)      # #58a6ff
MEASURE = (227, 179, 65)   # #e3b341
CENTER = (120.30, 31.57)


def haversine_m(a, b) -> float:
    lat1, lat2 = math.radians(a[1]), math.radians(b[1])
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin(math.radians(b[0] - a[0]) / 2) ** 2)
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def project(qtbot, view, lon, lat) -> tuple[float, float]:
    return tuple(json.loads(run_js(
        qtbot, view, f"(p => JSON.stringify([p.x, p.y]))(hallMap.project([{lon}, {lat}]))")))


def test_ring_is_drawn_at_its_radius(qtbot, map_view):
    map_view.fly_to(*CENTER, 15, duration_ms=0)
    map_view.set_ring(CENTER, 300, "EV-1")
    qtbot.waitUntil(lambda: run_js(qtbot, map_view, "!!hallMap.getLayer('tool:ring-line')"),
                    timeout=5000)
    wait_painted(qtbot, map_view)
    image = map_view.grab().toImage()
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(str(ARTIFACTS / "map_ring.png"))
    cx, cy = project(qtbot, map_view, *CENTER)
    # 300 m north of the centre, in pixels at this zoom.
    _, ny = project(qtbot, map_view, CENTER[0], CENTER[1] + 300 / 111195)
    radius_px = cy - ny
    box = json.loads(run_js(qtbot, map_view, "(r => JSON.stringify([r.left, r.top, r.right, "
                            "r.bottom]))(document.getElementById('ring-label')"
                            ".getBoundingClientRect())"))
    blue = [(x, y) for x, y in pixels_of(image, RING, tol=30)
            if not (box[0] - 6 <= x <= box[2] + 6 and box[1] - 6 <= y <= box[3] + 6)]
    assert len(blue) > 50, "the ring is not drawn"
    distances = [math.hypot(x - cx, y - cy) for x, y in blue]
    on_ring = [d for d in distances if abs(d - radius_px) <= 4]
    assert len(on_ring) / len(distances) > 0.8
    label = run_js(qtbot, map_view, "document.getElementById('ring-label').textContent")
    assert label == "EV-1 300 m"

    map_view.set_ring(None)
    qtbot.waitUntil(lambda: run_js(qtbot, map_view, "hallTools.ring() === null"), timeout=5000)
    wait_painted(qtbot, map_view)
    assert len(pixels_of(map_view.grab().toImage(), RING, tol=30)) < 5
    assert run_js(qtbot, map_view, "document.getElementById('ring-label').hidden")


def test_ring_stays_under_points_set_later(qtbot, map_view):
    map_view.set_ring(CENTER, 500)
    map_view.set_layer("events", POINTS, {"type": "circle", "paint": {}})
    qtbot.waitUntil(lambda: run_js(qtbot, map_view, "!!hallMap.getLayer('events')"),
                    timeout=5000)
    order = run_js(qtbot, map_view,
                   "JSON.stringify(hallMap.getStyle().layers.map(l => l.id))")
    order = json.loads(order)
    assert order.index("tool:ring-line") < order.index("events")


def test_pulse_marks_the_events_and_stops(qtbot, map_view):
    features = [{"type": "Feature", "properties": {"id": f"ev-{n}", "level": 1 + n % 2},
                 "geometry": {"type": "Point", "coordinates": [CENTER[0] + n * 0.001,
                                                               CENTER[1]]}}
                for n in range(3)]
    map_view.fly_to(*CENTER, 14, duration_ms=0)
    map_view.set_pulse(features)
    qtbot.waitUntil(lambda: run_js(qtbot, map_view, "hallTools.pulsing().length") == 3,
                    timeout=5000)
    # Each pulse sits where its event is and runs its CSS animation.
    marks = json.loads(run_js(qtbot, map_view, """JSON.stringify([...document.querySelectorAll(
        '.hall-pulse')].map(el => { const r = el.getBoundingClientRect();
        return [el.dataset.id, r.left + r.width / 2, r.top + r.height / 2,
                getComputedStyle(el, '::after').animationName]; }))"""))
    for event_id, x, y, animation in marks:
        n = int(event_id.split("-")[1])
        px, py = project(qtbot, map_view, CENTER[0] + n * 0.001, CENTER[1])
        assert abs(x - px) <= 2 and abs(y - py) <= 2
        assert animation == "hall-pulse"
    map_view.set_pulse(features[:1])
    qtbot.waitUntil(lambda: run_js(qtbot, map_view, "hallTools.pulsing().join()") == "ev-0",
                    timeout=5000)
    map_view.set_pulse([])
    qtbot.waitUntil(lambda: run_js(qtbot, map_view,
                                   "document.querySelectorAll('.hall-pulse').length") == 0,
                    timeout=5000)


def test_measure_sums_the_clicked_legs(qtbot, map_view):
    map_view.set_layer("events", POINTS, {"type": "circle", "paint": {
        "circle-color": "#f85149", "circle-radius": 10}}, clickable=True)
    map_view.fly_to(*CENTER, 14, duration_ms=0)
    map_view.set_measuring(True)
    qtbot.waitUntil(lambda: run_js(qtbot, map_view, "hallTools.measuring()"), timeout=5000)
    wait_painted(qtbot, map_view)
    target = map_view.focusProxy()
    clicks = [QPoint(200, 300), QPoint(500, 300), QPoint(500, 100)]
    got = []
    map_view.clicked.connect(lambda *a: got.append(a))
    for point in clicks:
        QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         point)
        qtbot.wait(350)  # more than a double click apart
    where = [json.loads(run_js(qtbot, map_view,
                               f"JSON.stringify(hallMap.unproject([{p.x()}, {p.y()}]).toArray())"))
             for p in clicks]
    expected = haversine_m(where[0], where[1]) + haversine_m(where[1], where[2])
    measured = run_js(qtbot, map_view, "hallTools.measureMeters()")
    assert measured == pytest.approx(expected, rel=0.01)
    label = run_js(qtbot, map_view, "document.getElementById('measure-label').textContent")
    assert label.endswith(" km") or label.endswith(" m")
    wait_painted(qtbot, map_view)
    image = map_view.grab().toImage()
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(str(ARTIFACTS / "map_measure.png"))
    assert len(pixels_of(image, MEASURE, tol=30)) > 30
    assert got == []  # measuring clicks select nothing

    map_view.set_measuring(False)
    qtbot.waitUntil(lambda: not run_js(qtbot, map_view, "hallTools.measuring()"), timeout=5000)
    assert run_js(qtbot, map_view, "hallTools.measureMeters()") == 0


def test_readout_shows_the_cursor_and_a_scale(qtbot, map_view):
    map_view.fly_to(*CENTER, 13, duration_ms=0)
    wait_painted(qtbot, map_view)
    target = map_view.focusProxy()
    QTest.mouseMove(target, QPoint(400, 300))
    lon, lat = json.loads(run_js(qtbot, map_view,
                                 "JSON.stringify(hallMap.unproject([400, 300]).toArray())"))
    qtbot.waitUntil(lambda: run_js(qtbot, map_view,
                                   "document.getElementById('readout').textContent")
                    .startswith(f"{lon:.5f}"[:7]), timeout=5000)
    text = run_js(qtbot, map_view, "document.getElementById('readout').textContent")
    assert f"{lat:.5f}"[:6] in text and "z 13.0" in text
    scale = run_js(qtbot, map_view,
                   "document.querySelector('.maplibregl-ctrl-scale').textContent")
    assert scale.endswith("m")
