"""The map view: a real MapLibre GL JS page in QtWebEngine, headless (WebGL via SwiftShader).

The page loads through the `hall:` scheme, reports `ready`, draws layers sent from Python,
moves on `fly_to`, reports clicks on features, and asks for nothing outside the machine.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWebEngineCore import QWebEnginePage

from tests.gui.conftest import ARTIFACTS
from tests.gui.map_page import (  # noqa: F401 (used by other tests)
    LOCAL_SCHEMES,
    RequestRecorder,
    pixels_of,
    run_js,
    wait_painted,
)
from views.map_bridge import MapBridge
from views.map_scheme import HallSchemeHandler, Reply, hall_profile

CENTER = (120.30, 31.57)
FILL = (47, 129, 247)     # #2f81f7
POINT = (248, 81, 73)     # #f85149

POLYGON = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "id": "street-1", "properties": {"name": "崇安寺街道"},
    "geometry": {"type": "Polygon", "coordinates": [[
        [120.28, 31.56], [120.32, 31.56], [120.32, 31.58], [120.28, 31.58], [120.28, 31.56]]]},
}]}
POINTS = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "id": "ev-42", "properties": {"level": 1},
    "geometry": {"type": "Point", "coordinates": [120.345, 31.585]},
}]}


def test_page_loads_and_reports_ready(qtbot, map_view, recorder):
    assert map_view.bridge.is_ready
    assert "hall://map/index.html" in recorder.urls
    assert "hall://map/lib/maplibre-gl.js" in recorder.urls
    assert run_js(qtbot, map_view, "maplibregl.getVersion()") == "5.3.0"
    print(f"map ready {map_view.ready_seconds:.2f} s after MapView()")


def test_layers_render_where_expected(qtbot, map_view):
    map_view.set_layer("streets", POLYGON, {"type": "fill", "paint": {
        "fill-color": "#2f81f7", "fill-opacity": 1.0}})
    map_view.set_layer("events", POINTS, {"type": "circle", "paint": {
        "circle-color": "#f85149", "circle-radius": 10}}, clickable=True)
    qtbot.waitUntil(lambda: run_js(qtbot, map_view, "!!hallMap.getLayer('events')"),
                    timeout=5000)
    wait_painted(qtbot, map_view)
    image = map_view.grab().toImage()
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(str(ARTIFACTS / "map_view.png"))

    # The polygon covers the centre of the view (the map is centred in it).
    w, h = image.width(), image.height()
    fill = pixels_of(image.copy(w // 2 - 20, h // 2 - 20, 40, 40), FILL)
    assert len(fill) > 300, "the polygon is not drawn at the centre"
    # The point is drawn where the map projects it, and nowhere else.
    x, y = json.loads(run_js(qtbot, map_view,
                             "(p => JSON.stringify([p.x, p.y]))(hallMap.project([120.345, 31.585]))"))
    red = pixels_of(image, POINT)
    assert red, "the point is not drawn"
    assert all(abs(px - x) <= 12 and abs(py - y) <= 12 for px, py in red)


def test_updates_are_batched(qtbot, map_view):
    sent = map_view.bridge.batches_sent
    for i in range(50):
        map_view.set_layer("events", POINTS, {"type": "circle",
                                              "paint": {"circle-radius": 4 + i % 5}})
    map_view.fly_to(120.31, 31.58, 13, duration_ms=0)
    qtbot.wait(350)
    # 51 calls in a row go out in one or two batches; same-layer data is coalesced.
    assert map_view.bridge.batches_sent - sent <= 2


def test_fly_to_moves_the_map(qtbot, map_view):
    with qtbot.waitSignal(map_view.moved, timeout=10000) as moved:
        map_view.fly_to(120.35, 31.60, 14.5, duration_ms=300)
    lon, lat, zoom = moved.args
    assert lon == pytest.approx(120.35, abs=1e-6)
    assert lat == pytest.approx(31.60, abs=1e-6)
    assert zoom == pytest.approx(14.5, abs=1e-6)


def test_click_on_a_point_reaches_python(qtbot, map_view):
    map_view.set_layer("events", POINTS, {"type": "circle", "paint": {
        "circle-color": "#f85149", "circle-radius": 10}}, clickable=True)
    qtbot.waitUntil(lambda: run_js(qtbot, map_view, "!!hallMap.getLayer('events')"),
                    timeout=5000)
    wait_painted(qtbot, map_view)
    red = pixels_of(map_view.grab().toImage(), POINT)
    assert red
    x = sum(p[0] for p in red) // len(red)
    y = sum(p[1] for p in red) // len(red)
    target = map_view.focusProxy()
    assert target is not None
    with qtbot.waitSignal(map_view.clicked, timeout=10000) as clicked:
        QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(x, y))
    assert clicked.args == ["events", "ev-42"]
    # A click on empty map reports nothing.
    got = []
    map_view.clicked.connect(lambda *a: got.append(a))
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(20, 20))
    qtbot.wait(500)
    assert got == []


def test_scheme_routes():
    handler = HallSchemeHandler()
    handler.add_route("tiles", "/", lambda path: Reply(path.encode(), "text/plain"))
    handler.add_route("tiles", "/v2/", lambda path: Reply(b"v2:" + path.encode(), "text/plain"))
    assert handler.resolve("tiles", "/1/2/3.pbf").data == b"1/2/3.pbf"
    assert handler.resolve("tiles", "/v2/1/2/3.pbf").data == b"v2:1/2/3.pbf"
    assert handler.resolve("tiles", "/../secret") is None
    assert handler.resolve("nowhere", "/x") is None


def test_bridge_waits_for_the_page(qtbot, hall_app):
    bridge = MapBridge()
    got = []
    bridge.updates.connect(got.append)
    bridge.send({"op": "setLayer", "id": "a", "data": 1})
    bridge.send({"op": "setLayer", "id": "a", "data": 2})
    qtbot.wait(250)
    assert got == []  # not before the page is ready
    bridge.pageReady()
    qtbot.waitUntil(lambda: bool(got), timeout=1000)
    assert got == ['[{"op":"setLayer","id":"a","data":2}]']


def test_page_refuses_outside_requests(qtbot, map_view, recorder):
    """The page's CSP stops a request to anywhere else before it is made (127.0.0.1:9, the
    discard port, stands in for the outside)."""
    run_js(qtbot, map_view, "window.outcome = null; fetch('http://127.0.0.1:9/x')"
                            ".then(() => outcome = 'fetched', e => outcome = 'refused'); 1")
    qtbot.waitUntil(lambda: run_js(qtbot, map_view, "window.outcome") is not None, timeout=5000)
    assert run_js(qtbot, map_view, "window.outcome") == "refused"
    assert not [u for u in recorder.urls if u.startswith("http")]


def test_recorder_sees_outside_requests(qtbot, recorder):
    """The interceptor the other tests rely on does see a plain page's outside request."""
    page = QWebEnginePage(hall_profile())
    with qtbot.waitSignal(page.loadFinished, timeout=20000):
        page.setHtml('<img src="http://127.0.0.1:9/probe.png">', QUrl("about:blank"))
    qtbot.waitUntil(lambda: "http://127.0.0.1:9/probe.png" in recorder.urls, timeout=5000)
    recorder.urls.clear()  # expected here; the fixture checks the rest
    page.deleteLater()
    qtbot.wait(50)


def test_the_backends_base_map_renders(qtbot, map_view, backend):
    """The demo base map from the real backend (streets, waterways, roads) drawn in the page:
    each layer's colour shows, and the street polygons cover the view's centre."""
    from console.api import ApiClient

    api = ApiClient(backend.url)
    token = backend.login("duty1")
    api.set_token_provider(lambda: token)
    try:
        config = api.map_config()
        layers = {layer.id: api.map_layer(layer.id) for layer in api.map_layers()}
    finally:
        api.close()
    styles = {
        "streets": {"type": "fill", "paint": {"fill-color": "#1f3a5f", "fill-opacity": 1.0,
                                              "fill-outline-color": "#8b949e"}},
        "waterways": {"type": "line", "paint": {"line-color": "#39c5cf", "line-width": 5}},
        "roads": {"type": "line", "paint": {"line-color": "#d29922", "line-width": 3}},
    }
    for layer_id, style in styles.items():
        map_view.set_layer(layer_id, layers[layer_id], style)
    with qtbot.waitSignal(map_view.moved, timeout=10000):
        map_view.fly_to(config.center[0], config.center[1], 12.5, duration_ms=0)
    qtbot.waitUntil(lambda: run_js(qtbot, map_view, "window.hallMap.areTilesLoaded()"),
                    timeout=10000)
    qtbot.wait(500)
    image = map_view.grab().toImage()
    colours = _colour_counts(image, {"streets": (31, 58, 95), "waterways": (57, 197, 207),
                                     "roads": (210, 153, 34)})
    assert all(count > 200 for count in colours.values()), colours
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    assert (centre.red(), centre.green(), centre.blue()) in {(31, 58, 95), (57, 197, 207),
                                                             (210, 153, 34), (139, 148, 158)}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert image.save(str(ARTIFACTS / "map_base.png"))


def _colour_counts(image: QImage, colours: dict[str, tuple[int, int, int]]) -> dict[str, int]:
    counts = dict.fromkeys(colours, 0)
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            rgb = (c.red(), c.green(), c.blue())
            for name, want in colours.items():
                if max(abs(a - b) for a, b in zip(rgb, want, strict=True)) <= 6:
                    counts[name] += 1
    return counts
