"""Raster base-map tiles through hall://tiles/ (views/map_tiles.py), mirrored in the offline
cache: drawn in the real page (headless, WebGL via SwiftShader) from a small tile server of
our own on 127.0.0.1, then again from the cache once that server is gone; and the route's
edges: bad z/x/y, a non-http source, a request dropped before its answer, failure logging.

Nothing here reaches an address off this machine: the only server is the one below, on
loopback, and the page itself asks for hall:, qrc:, data: and blob: only (checked).
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time
import zlib
from concurrent.futures import Future
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import shiboken6
from PySide6.QtCore import QByteArray, QCoreApplication, QObject, QUrl

from console.schema import MapTileSource
from offline_cache import OfflineCache
from tests.gui.conftest import ARTIFACTS
from tests.gui.test_map_view import pixels_of, run_js
from views.map_scheme import HallSchemeHandler, Reply, hall_scheme_handler
from views.map_tiles import TileService, check_source, install_tile_sources, parse_tile_path
from views.map_view import MapView

CENTER = (120.30, 31.57)
FILL = (47, 129, 247)  # #2f81f7
# A polygon around the centre, drawn over the tiles.
POLYGON = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "id": "street-1", "properties": {},
    "geometry": {"type": "Polygon", "coordinates": [[
        [120.29, 31.565], [120.31, 31.565], [120.31, 31.575], [120.29, 31.575],
        [120.29, 31.565]]]},
}]}


def colour_of(z: int) -> tuple[int, int, int]:
    """The solid colour of the test server's tiles at zoom z (distinct per z, never the
    page's dark background)."""
    return ((60 + 37 * z) % 190 + 50, (200 - 23 * z) % 190 + 50, (90 + 59 * z) % 190 + 50)


def tile_png(rgb: tuple[int, int, int], size: int = 256, edge: int = 2) -> bytes:
    """A `size`² PNG of one colour with a darker `edge` px frame (so the tiles' seams show
    in the screenshot); made by hand: no imaging library needed."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    dark = bytes(c // 2 for c in rgb)
    edge_row = b"\x00" + dark * size
    row = b"\x00" + dark * edge + bytes(rgb) * (size - 2 * edge) + dark * edge
    raw = edge_row * edge + row * (size - 2 * edge) + edge_row * edge
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


class TileServer:
    """XYZ PNG tiles on 127.0.0.1 (`/<z>/<x>/<y>.png`, solid `colour_of(z)`); records the
    paths asked; `gate` (a threading.Event, set by default) holds answers while cleared."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.gate = threading.Event()
        self.gate.set()
        pngs: dict[int, bytes] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server API)
                server.paths.append(self.path)
                server.gate.wait(10)
                try:
                    z, _x, _y = (int(p) for p in self.path.strip("/").removesuffix(".png")
                                 .split("/"))
                except ValueError:
                    self.send_error(404)
                    return
                body = pngs.setdefault(z, tile_png(colour_of(z)))
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = False  # server_close() waits for the answers under way
        self.port = self._httpd.server_address[1]
        self.template = f"http://127.0.0.1:{self.port}/{{z}}/{{x}}/{{y}}.png"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="tile-server",
                                        kwargs={"poll_interval": 0.05})
        self._thread.start()
        self.running = True

    def stop(self) -> None:
        """Stop answering and close the port (nothing listens there any more)."""
        if not self.running:
            return
        self.running = False
        self.gate.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


@pytest.fixture
def tile_server():
    server = TileServer()
    yield server
    server.stop()


@pytest.fixture
def cache(tmp_path):
    opened, _report = OfflineCache.open(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def services():
    """Factory of TileServices, every one closed (workers joined) at the end."""
    made: list[TileService] = []

    def make(*args, **kwargs) -> TileService:
        service = TileService(*args, **kwargs)
        made.append(service)
        return service

    yield make
    for service in made:
        service.close()


@pytest.fixture
def open_view(qtbot, hall_app, recorder):
    """`open_view()`: a MapView 800×600, shown and ready; closed at the end."""
    views: list[MapView] = []

    def open_() -> MapView:
        view = MapView()  # not qtbot.addWidget: a test may delete it
        view.resize(800, 600)
        with qtbot.waitSignal(view.ready, timeout=60000):
            view.show()
        views.append(view)
        return view

    yield open_
    for view in views:
        if shiboken6.isValid(view):
            view.close()
            view.deleteLater()
    qtbot.wait(50)


def source(url: str, source_id: str = "demo", max_zoom: int = 18) -> MapTileSource:
    return MapTileSource(id=source_id, url=url, attribution="© test tiles", max_zoom=max_zoom)


def drawn_tiles(qtbot, view: MapView):
    """Wait until the raster layer is there and its tiles are drawn; the grabbed image."""
    qtbot.waitUntil(lambda: run_js(qtbot, view, "!!hallMap.getLayer('raster:demo')"),
                    timeout=10000)
    qtbot.waitUntil(lambda: run_js(qtbot, view, "hallMap.loaded() && hallMap.areTilesLoaded()"
                                                " && !hallMap.isMoving()"), timeout=20000)
    qtbot.wait(400)  # the compositor's frame after the last render
    return view.grab().toImage()


def page_tile_zoom(qtbot, view: MapView) -> int:
    """The zoom of the raster tiles the page is showing (one z at a settled view)."""
    return int(run_js(qtbot, view, "Math.max(...Object.values(hallMap.style.sourceCaches"
                                   "['raster:demo']._tiles).map(t => t.tileID.canonical.z))"))


def test_tiles_render_from_the_server_then_from_the_cache(qtbot, open_view, tile_server,
                                                          cache, services):
    started = time.monotonic()
    service = services([source(tile_server.template)], cache).install()
    view = open_view()
    # A layer set before the tiles still lies over them.
    view.set_layer("streets", POLYGON, {"type": "fill", "paint": {"fill-color": "#2f81f7"}})
    service.show(view)
    view.fly_to(*CENTER, 12.0, duration_ms=0)
    image = drawn_tiles(qtbot, view)
    z = page_tile_zoom(qtbot, view)
    first_seconds = time.monotonic() - started

    # The tiles' colour fills the map, under the (empty) page's background.
    share = len(pixels_of(image, colour_of(z))) / ((image.width() // 2) * (image.height() // 2))
    assert share > 0.8, f"only {share:.0%} of the map shows the tiles of z={z}"
    # The raster layer sits right above the background, under every other layer.
    order = run_js(qtbot, view, "hallMap.getStyle().layers.map(l => l.id).join(',')")
    assert order.startswith("background,raster:demo"), order
    w, h = image.width(), image.height()
    assert len(pixels_of(image.copy(w // 2 - 20, h // 2 - 20, 40, 40), FILL)) > 300

    # The server was asked for exactly what was drawn; every tile is now in the cache.
    asked = {p.strip("/").removesuffix(".png") for p in tile_server.paths}
    assert asked and all(p.startswith(f"{z}/") for p in asked), asked
    assert service.fetched == len(tile_server.paths) and service.failed == 0
    qtbot.waitUntil(lambda: service.stored == service.fetched, timeout=5000)
    for path in asked:
        stored = cache.tile(f"demo/{path}")
        assert stored is not None and stored[1] == "image/png", path
        assert stored[0] == tile_png(colour_of(z))

    # The outage: the server is gone (its port closed); a new map, a new service on the
    # same cache draws the same tiles, and nothing tries the server.
    tile_server.stop()
    view.close()
    service.close()
    asked_before = len(tile_server.paths)
    started = time.monotonic()
    again = services([source(tile_server.template)], cache).install()
    view2 = open_view()
    view2.set_layer("streets", POLYGON, {"type": "fill", "paint": {"fill-color": "#2f81f7"}})
    again.show(view2)
    view2.fly_to(*CENTER, 12.0, duration_ms=0)
    image2 = drawn_tiles(qtbot, view2)
    second_seconds = time.monotonic() - started
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert view2.grab().save(str(ARTIFACTS / "map_tiles.png"))

    assert page_tile_zoom(qtbot, view2) == z
    share2 = len(pixels_of(image2, colour_of(z))) / ((image2.width() // 2)
                                                     * (image2.height() // 2))
    assert share2 > 0.8, f"from the cache only {share2:.0%} of the map shows the tiles"
    assert again.served_from_cache >= len(asked)
    assert again.fetched == 0 and again.failed == 0  # not even tried
    assert len(tile_server.paths) == asked_before
    print(f"tiles: {len(asked)} fetched and drawn {first_seconds:.2f} s, "
          f"drawn from the cache {second_seconds:.2f} s (each with a new MapView)")


def test_a_request_dropped_before_its_answer(qtbot, open_view, tile_server, services):
    """The page goes away while its tiles are being fetched: the late answers are dropped,
    nothing crashes, and queued fetches of dropped tiles are skipped."""
    tile_server.gate.clear()  # the server holds its answers
    service = services([source(tile_server.template)], None, fetch_workers=1).install()
    view = open_view()
    handler = hall_scheme_handler()
    service.show(view)
    qtbot.waitUntil(lambda: len(tile_server.paths) >= 1, timeout=15000)
    qtbot.waitUntil(lambda: handler.pending >= 2, timeout=5000)
    view.close()
    view.deleteLater()  # the page and its requests go with it
    qtbot.waitUntil(lambda: handler.pending == 0, timeout=10000)
    tile_server.gate.set()
    qtbot.waitUntil(lambda: service.fetched >= 1, timeout=10000)
    qtbot.wait(300)  # the late answer reaches the GUI thread, and is dropped
    # One worker: the one fetch under way finished, the others were skipped, not fetched.
    assert service.fetched == 1
    assert len(tile_server.paths) == 1


class FakeJob(QObject):
    """Stands in for a QWebEngineUrlRequestJob (which only QtWebEngine makes)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = QUrl(url)
        self.replies: list[tuple[bytes, bytes]] = []
        self.failures: list = []

    def requestUrl(self):  # noqa: N802 (Qt API)
        return self.url

    def requestMethod(self):  # noqa: N802 (Qt API)
        return QByteArray(b"GET")

    def reply(self, mime, device):
        self.replies.append((bytes(mime), bytes(device.data().data())))

    def fail(self, error):
        self.failures.append(error)


def test_async_route_answers_on_the_gui_thread(qtbot, hall_app):
    handler = HallSchemeHandler()
    futures: list[Future] = []

    def route(path: str) -> Future:
        futures.append(Future())
        return futures[-1]

    handler.add_route("slow", "/", route)
    job = FakeJob("hall://slow/a")
    handler.requestStarted(job)
    assert handler.pending == 1 and job.replies == []
    answered_from = []
    worker = threading.Thread(target=lambda: (answered_from.append(threading.current_thread()),
                                              futures[0].set_result(Reply(b"late", "text/plain"))))
    worker.start()
    worker.join()
    assert job.replies == []  # not from the worker: on the GUI thread, from its event loop
    qtbot.waitUntil(lambda: bool(job.replies), timeout=2000)
    assert job.replies == [(b"text/plain", b"late")]
    assert handler.pending == 0

    # A route's None and its exception: not found, failed.
    job2, job3 = FakeJob("hall://slow/b"), FakeJob("hall://slow/c")
    handler.requestStarted(job2)
    handler.requestStarted(job3)
    futures[1].set_result(None)
    futures[2].set_exception(OSError("disk"))
    qtbot.waitUntil(lambda: bool(job2.failures and job3.failures), timeout=2000)
    assert job2.failures[0].name == "UrlNotFound" and job3.failures[0].name == "RequestFailed"
    # Synchronous routes answer at once, as before.
    handler.add_route("now", "/", lambda path: Reply(path.encode(), "text/plain"))
    job4 = FakeJob("hall://now/x")
    handler.requestStarted(job4)
    assert job4.replies == [(b"text/plain", b"x")]


def test_a_job_destroyed_before_the_answer_is_left_alone(qtbot, hall_app):
    handler = HallSchemeHandler()
    futures: list[Future] = []
    handler.add_route("slow", "/", lambda path: futures.append(Future()) or futures[-1])

    # Destroyed while the worker has not started: the future is cancelled, nothing answered.
    job = FakeJob("hall://slow/a")
    handler.requestStarted(job)
    shiboken6.delete(job)
    assert handler.pending == 0 and futures[0].cancelled()

    # Answered, then destroyed before the answer reached the GUI thread: dropped.
    job2 = FakeJob("hall://slow/b")
    replies = job2.replies
    handler.requestStarted(job2)
    futures[1].set_result(Reply(b"late", "text/plain"))  # the delivery is queued
    shiboken6.delete(job2)
    QCoreApplication.processEvents()
    qtbot.wait(50)
    assert replies == [] and handler.pending == 0


def test_bad_tile_addresses_are_refused(hall_app, services):
    service = services([source("http://127.0.0.1:9/{z}/{x}/{y}.png", max_zoom=5)])
    for bad in ("a/b/c", "1/0", "1/0/0/0", "-1/0/0", "1/2/0", "1/0/2", "6/0/0", "1/0x1/0",
                "１/0/0", "1/ 0/0", "", "1e1/0/0", "99999999999/0/0"):
        assert service.request("demo", bad) is None, bad
    assert service.request("other", "1/0/0") is None  # no such source
    assert parse_tile_path("5/31/31", 5) == (5, 31, 31)
    assert parse_tile_path("0/0/0.png", 5) == (0, 0, 0)
    handler = HallSchemeHandler()
    service.install(handler)
    assert handler.resolve("tiles", "/demo/../../etc/passwd") is None
    assert handler.resolve("tiles", "/demo/9/0/0") is None
    assert isinstance(handler.resolve("tiles", "/demo/1/1/1"), Future)
    service.close()
    assert handler.resolve("tiles", "/demo/1/1/1") is None  # its routes went with it


@pytest.mark.parametrize("url", [
    "file:///etc/{z}/{x}/{y}.png", "ftp://127.0.0.1/{z}/{x}/{y}.png",
    "hall://tiles/demo/{z}/{x}/{y}", "javascript:alert(1)//{z}{x}{y}", "//127.0.0.1/{z}/{x}/{y}",
    "http:///{z}/{x}/{y}", "http://127.0.0.1/tiles/{z}/{x}.png",
])
def test_non_http_sources_are_refused(hall_app, caplog, url):
    with pytest.raises(ValueError):
        check_source(source(url))
    caplog.set_level(logging.WARNING, logger="views.map_tiles")

    class View:
        sets: list = []

        def set_raster_source(self, *args):
            self.sets.append(args)

    config = type("Config", (), {"tile_sources": [source(url)]})()
    assert install_tile_sources(View(), config, None) is None
    assert View.sets == []
    assert "source refused" in caplog.text
    service = TileService([source(url), source("https://127.0.0.1:9/{z}/{x}/{y}", "ok")])
    try:
        assert list(service.sources) == ["ok"] and "demo" in service.rejected
        assert service.request("demo", "1/0/0") is None
    finally:
        service.close()
    with pytest.raises(ValueError):
        check_source(source("http://127.0.0.1/{z}/{x}/{y}", source_id="a/b"))


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_failures_are_logged_once_per_source_per_interval(hall_app, services, caplog):
    caplog.set_level(logging.WARNING, logger="views.map_tiles")
    url = f"http://127.0.0.1:{closed_port()}/{{z}}/{{x}}/{{y}}.png"
    service = services([source(url), source(url, "second")], None, log_interval=0.5)
    answers = [service.request("demo", f"4/{x}/3") for x in range(10)]
    assert all(a.result(10) is None for a in answers)  # 404: no tile, no crash
    assert service.failed == 10 and service.fetched == 0
    warnings = [r for r in caplog.records if r.name == "views.map_tiles"]
    assert len(warnings) == 1 and "'demo'" in warnings[0].getMessage()
    assert service.request("second", "1/0/0").result(10) is None  # its own warning
    assert len([r for r in caplog.records if "'second'" in r.getMessage()]) == 1
    time.sleep(0.6)
    assert service.request("demo", "4/0/0").result(10) is None
    demo = [r.getMessage() for r in caplog.records if "'demo'" in r.getMessage()]
    assert len(demo) == 2 and "and 9 more failures" in demo[1]


class RecordingCache:
    """An OfflineCache stand-in that records on which thread it is used."""

    def __init__(self, tiles: dict | None = None) -> None:
        self.tiles = dict(tiles or {})
        self.threads: list[str] = []

    def tile(self, key):
        self.threads.append(threading.current_thread().name)
        return self.tiles.get(key)

    def tile_put(self, key, data, content_type):
        self.threads.append(threading.current_thread().name)
        self.tiles[key] = (data, content_type)
        done: Future = Future()
        done.set_result(True)
        return done


def test_cache_work_stays_off_the_gui_thread(hall_app, services, tile_server):
    cache = RecordingCache({"demo/2/1/1": (b"cached", "image/webp")})
    service = services([source(tile_server.template)], cache)
    assert service.request("demo", "2/1/1").result(10) == Reply(b"cached", "image/webp")
    fetched = service.request("demo", "2/1/2").result(10)
    assert fetched == Reply(tile_png(colour_of(2)), "image/png")
    assert tile_server.paths == ["/2/1/2.png"]
    assert cache.tiles["demo/2/1/2"] == (fetched.data, "image/png")
    assert (service.served_from_cache, service.fetched, service.stored) == (1, 1, 1)
    assert cache.threads and threading.main_thread().name not in cache.threads
    # Without a cache: fetched every time, stored nowhere.
    bare = services([source(tile_server.template)], None)
    for _ in range(2):
        assert bare.request("demo", "2/1/2").result(10) == fetched
    assert bare.fetched == 2 and bare.served_from_cache == 0
    # A plain HTTP error upstream is a failure like any other.
    broken = services([source(tile_server.template.replace("{z}/", "nope/{z}/"))], None)
    assert broken.request("demo", "1/0/0").result(10) is None and broken.failed == 1
    assert requests.get(f"http://127.0.0.1:{tile_server.port}/0/0/0.png", timeout=5).ok
