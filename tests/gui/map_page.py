"""The map page in tests: a MapView fixture (`map_view`, with `recorder` checking that the
page asks for nothing outside the machine) and helpers to run JavaScript on the page, wait
until it has drawn, and find colours in a grab."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QObject
from PySide6.QtGui import QImage
from PySide6.QtWebEngineCore import QWebEngineUrlRequestInterceptor

from views.map_scheme import hall_profile
from views.map_view import MapView

LOCAL_SCHEMES = {"hall", "qrc", "data", "blob"}


class RequestRecorder(QWebEngineUrlRequestInterceptor):
    """Records every URL the page asks for (QtWebEngine calls this off the GUI thread)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.urls: list[str] = []

    def interceptRequest(self, info) -> None:  # noqa: N802 (Qt API)
        self.urls.append(info.requestUrl().toString())


@pytest.fixture
def recorder(hall_app):
    profile = hall_profile()
    rec = RequestRecorder()
    profile.setUrlRequestInterceptor(rec)
    yield rec
    profile.setUrlRequestInterceptor(None)
    foreign = [u for u in rec.urls if u.split(":", 1)[0] not in LOCAL_SCHEMES]
    assert not foreign, f"the map page asked for {foreign}"


@pytest.fixture
def map_view(qtbot, hall_app, recorder):
    started = time.monotonic()
    view = MapView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    with qtbot.waitSignal(view.ready, timeout=60000):
        view.show()
    view.ready_seconds = time.monotonic() - started
    yield view
    view.close()
    view.deleteLater()  # the page before the profile, at the latest when Qt shuts down
    qtbot.wait(50)


def run_js(qtbot, view: MapView, script: str):
    box = []
    view.page().runJavaScript(script, 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10000)
    return box[0]


def wait_painted(qtbot, view: MapView) -> None:
    """Until the map has drawn every change (no pending tiles, sources or animation)."""
    try:
        qtbot.waitUntil(lambda: run_js(qtbot, view, "hallMap.loaded() && !hallMap.isMoving()"),
                        timeout=20000)
    except Exception:
        state = run_js(qtbot, view, "JSON.stringify({loaded: hallMap.loaded(), moving: "
                                    "hallMap.isMoving(), style: hallMap.isStyleLoaded(), "
                                    "pending: Object.keys(hallMap.style.sourceCaches).filter("
                                    "k => !hallMap.isSourceLoaded(k))})")
        raise AssertionError(f"the map did not settle: {state}") from None
    qtbot.wait(300)  # the compositor's frame after the last render


def pixels_of(image: QImage, colour: tuple[int, int, int], tol: int = 6) -> list[tuple[int, int]]:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    found = []
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if all(abs(a - b) <= tol for a, b in zip((c.red(), c.green(), c.blue()), colour,
                                                      strict=True)):
                found.append((x, y))
    return found


