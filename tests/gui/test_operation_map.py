"""The operation map in the desk, on the real backend: the base map and the open events
draw, a click on an event selects it in the queue, a selection in the queue moves the map,
and the layer checkboxes hide layers."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from console.schema import OPEN_STATUSES
from tests.gui.conftest import ARTIFACTS
from tests.gui.test_map_view import pixels_of, run_js, wait_painted
from views.operation_map import LEVEL_COLOURS, STREET_FILL, EventPoints


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


LEVELS = [_rgb(c) for c in LEVEL_COLOURS.values()]


def _level_pixels(image) -> int:
    return sum(len(pixels_of(image, colour, tol=4)) for colour in LEVELS)


def open_map(qtbot, make_desk, backend, count: int = 40):
    """A desk with `count` new events, its map dock raised and drawn."""
    backend.sim_events(count)
    started = time.monotonic()
    desk = make_desk()
    window = desk.window
    omap = window.operation_map
    qtbot.waitUntil(lambda: omap.points.open_count() >= count, timeout=20000)
    assert window.show_view("map")  # raised by default: its page may be ready already
    qtbot.waitUntil(lambda: omap.ready_at is not None, timeout=60000)
    desk.map_ready_seconds = time.monotonic() - started
    desk.page_ready_seconds = omap.ready_at - omap.view_created_at
    qtbot.waitUntil(lambda: omap.base_loaded, timeout=20000)
    view = omap.view
    qtbot.waitUntil(lambda: run_js(qtbot, view, "!!hallMap.getLayer('events') && "
                                                "!!hallMap.getLayer('streets')"), timeout=10000)
    wait_painted(qtbot, view)
    return desk, omap, view


def test_base_map_and_events_render(qtbot, make_desk, backend):
    desk, omap, view = open_map(qtbot, make_desk, backend)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert desk.window.grab().save(str(ARTIFACTS / "desk_operation_map.png"))
    widen_map(qtbot, desk, view)
    image = view.grab().toImage()
    streets = pixels_of(image, _rgb(STREET_FILL), tol=3)
    assert len(streets) > 2000, "the street polygons are not drawn"
    # Drawn where the user sees them: points and clusters rendered on the page, and level
    # colours in the picture (clusters are drawn at 85 % opacity, so only points match the
    # exact colours; how many are unclustered depends on the shared backend's events).
    drawn = run_js(qtbot, view, "hallMap.queryRenderedFeatures({layers: ['events', "
                                "'events:clusters']}).length")
    assert drawn > 0, "no event (or cluster) is drawn"
    assert _level_pixels(image) > 0, "no event in a level colour is drawn"
    assert omap.last_build_count == omap.points.open_count()
    print(f"desk start to map ready {desk.map_ready_seconds:.2f} s "
          f"(page {desk.page_ready_seconds:.2f} s after MapView())")


def _open_event(desk):
    store = desk.window._bridge.store
    for event in reversed(store.events()):
        if event.status in OPEN_STATUSES:
            return event
    raise AssertionError("no open event")


def test_click_on_an_event_selects_it_in_the_queue(qtbot, make_desk, backend):
    desk, omap, view = open_map(qtbot, make_desk, backend)
    event = _open_event(desk)
    lon, lat = event.location.lon, event.location.lat
    with qtbot.waitSignal(view.moved, timeout=10000):
        view.fly_to(lon, lat, 18, duration_ms=0)
    wait_painted(qtbot, view)
    x, y = json.loads(run_js(qtbot, view, "(p => JSON.stringify([p.x, p.y]))"
                                          f"(hallMap.project([{lon}, {lat}]))"))
    with qtbot.waitSignal(omap.sig_event_clicked, timeout=10000) as clicked:
        QTest.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, QPoint(round(x), round(y)))
    assert clicked.args == [event.id]
    qtbot.waitUntil(lambda: desk.queue.selected_event_id() == event.id, timeout=5000)
    assert desk.window.current_view() == "map" and omap.isVisible()  # the map stays in view


def test_selecting_in_the_queue_moves_the_map(qtbot, make_desk, backend):
    desk, omap, view = open_map(qtbot, make_desk, backend)
    event = _open_event(desk)
    with qtbot.waitSignal(view.moved, timeout=10000) as moved:
        assert desk.queue.select_event(event.id)
    lon, lat, zoom = moved.args
    assert lon == pytest.approx(event.location.lon, abs=1e-5)
    assert lat == pytest.approx(event.location.lat, abs=1e-5)
    assert zoom >= 14  # in to its ring (fitted to the map dock: ~14 at 640 px, 15+ wider)


def widen_map(qtbot, desk, view, size=(1600, 900)) -> None:
    """Float the map's dock at `size`, as wide as the old tab was: the desk's docked map is
    as narrow as its screen leaves it (360 px in CI's 800 px test screen)."""
    dock = desk.window.dock("map")
    dock.setFloating(True)
    dock.resize(*size)
    qtbot.waitUntil(lambda: view.width() >= size[0] * 0.8, timeout=5000)
    wait_painted(qtbot, view)


def test_unticking_events_hides_their_points(qtbot, make_desk, backend):
    desk, omap, view = open_map(qtbot, make_desk, backend)
    widen_map(qtbot, desk, view)
    # Sensors in alarm share level 1's red: off, so that every level colour left is an event's.
    omap.checkboxes["sensors"].setChecked(False)
    qtbot.waitUntil(lambda: run_js(qtbot, view, "hallMap.getLayer('sensors') ? hallMap."
                                                "getLayoutProperty('sensors', 'visibility') "
                                                ": 'none'") == "none", timeout=5000)
    wait_painted(qtbot, view)
    assert _level_pixels(view.grab().toImage()) > 20
    omap.checkboxes["events"].setChecked(False)
    qtbot.waitUntil(lambda: run_js(qtbot, view, "hallMap.getLayoutProperty('events', "
                                                "'visibility')") == "none", timeout=5000)
    wait_painted(qtbot, view)
    image = view.grab().toImage()
    left = {c: pixels_of(image, c, tol=4)[:5] for c in LEVELS}
    assert not any(left.values()), left
    omap.checkboxes["events"].setChecked(True)
    qtbot.waitUntil(lambda: run_js(qtbot, view, "hallMap.getLayoutProperty('events', "
                                                "'visibility')") == "visible", timeout=5000)


class _Columns:
    """A store stand-in for timing: `count` open events, only what EventPoints reads."""

    def __init__(self, count: int) -> None:
        from console.schema import Event

        rng = np.random.default_rng(6)
        template = {"id": "E0", "seq": 1, "version": 1, "title": "t", "category": "c",
                    "source": "hotline_12345", "level": 1, "status": "new",
                    "reported_at": "2026-11-24T03:00:00Z", "updated_at": "2026-11-24T03:00:00Z",
                    "location": {"lon": 120.3, "lat": 31.57}}
        base = Event.model_validate(template)
        self.events = []
        for n in range(count):
            location = base.location.model_copy(update={
                "lon": 120.25 + rng.random() * 0.1, "lat": 31.54 + rng.random() * 0.07})
            self.events.append(base.model_copy(update={
                "id": f"E{n}", "level": int(rng.integers(1, 5)), "location": location}))

    def __len__(self) -> int:
        return len(self.events)

    def event_at(self, row: int):
        return self.events[row]

    def row_of(self, event_id: str) -> int:
        return int(event_id[1:])


@pytest.mark.parametrize("count", [10_000, 100_000])
def test_events_geojson_build_time(count):
    """The events layer is built from EventPoints' columns, not from the events: measured
    for 10k and 100k open events (the read is per changed event, when the store announces
    it)."""
    store = _Columns(count)
    started = time.perf_counter()
    points = EventPoints(store)
    read = time.perf_counter() - started
    started = time.perf_counter()
    data = points.feature_collection()
    build = time.perf_counter() - started
    features = json.loads(data)["features"]
    assert len(features) == count
    assert features[7]["properties"] == {"id": "E7", "level": store.events[7].level}
    print(f"{count} open events: read {read * 1000:.0f} ms, GeoJSON build {build * 1000:.0f} ms "
          f"({len(data) / 1e6:.1f} MB)")
    assert build < (0.1 if count <= 10_000 else 1.0)


def test_events_that_come_while_the_map_is_hidden_are_drawn_when_it_is_shown(
        qtbot, make_desk, backend):
    desk, omap, view = open_map(qtbot, make_desk, backend)
    window = desk.window
    window.show_view("statistics")  # raised over the map, tabbed with it
    assert not omap.isVisible()
    built = omap.last_build_count
    created = backend.sim_events(15)["ids"]
    store = desk.app.store
    qtbot.waitUntil(lambda: all(store.get(i) is not None for i in created), timeout=15000)
    qtbot.wait(800)  # past the rebuild interval: nothing is sent to a hidden map
    assert omap.last_build_count == built
    window.show_view("map")
    qtbot.waitUntil(lambda: omap.last_build_count == built + 15, timeout=5000)
    assert omap.last_build_count == omap.points.open_count()


def test_changed_events_go_to_the_page_as_changes(qtbot, make_desk, backend):
    desk, omap, view = open_map(qtbot, make_desk, backend)
    store = desk.app.store
    sent = []
    view.bridge.updates.connect(sent.append)
    created = backend.sim_events(3, level=1)["ids"]
    qtbot.waitUntil(lambda: all(store.get(i) is not None for i in created), timeout=15000)
    qtbot.waitUntil(lambda: any('"updateFeatures"' in batch for batch in sent), timeout=5000)
    ops = [op for batch in sent for op in json.loads(batch)]
    assert not [op for op in ops if op["op"] == "setLayer" and op["id"] == "events"]
    upserted = {f["properties"]["id"] for op in ops if op["op"] == "updateFeatures"
                for f in op["upserts"]}
    assert set(created) <= upserted
    # The page has them: each is drawn at its place (unclustered at zoom 16).
    event = store.get(created[0])
    with qtbot.waitSignal(view.moved, timeout=10000):
        view.fly_to(event.location.lon, event.location.lat, 17, duration_ms=0)
    wait_painted(qtbot, view)
    qtbot.waitUntil(lambda: event.id in json.loads(run_js(
        qtbot, view, "JSON.stringify(hallMap.queryRenderedFeatures({layers: ['events']})"
                     ".map(f => f.properties.id))")), timeout=10000)


def test_event_points_hand_over_only_the_changes():
    store = _Columns(50)
    points = EventPoints(store)
    assert points.take_changes() is None  # everything is new: the whole layer goes
    assert points.take_changes() == (b"[]", [])
    store.events[3] = store.events[3].model_copy(update={"status": "closed"})
    store.events[9] = store.events[9].model_copy(update={"level": 1})
    points.read([3, 9])
    upserts, removed = points.take_changes()
    assert removed == ["E3"]
    assert [f["properties"] for f in json.loads(upserts)] == [{"id": "E9", "level": 1}]
    points.read_all()
    assert points.take_changes() is None
