"""widgets/video_tile.py: a real MJPEG stream (tests/console/test_video_stream.py's server)
through console.video_stream.StreamReader into a tile; the overlay, the placeholder, the
drop and drag wiring; screenshots tests/artifacts/video_tile.png and video_tile_lost.png."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QDropEvent

from console.video_stream import StreamReader
from tests.console.test_video_stream import COLOUR, VideoServer, free_port
from tests.gui.conftest import ARTIFACTS
from widgets.video_tile import CAMERA_MIME, TILE_MIME, VideoTile

NAME = "Camera 12 · Liangxi Rd bridge, east"


def near(colour: QColor, rgb, tol=30) -> bool:
    return all(abs(a - b) <= tol for a, b in zip((colour.red(), colour.green(), colour.blue()),
                                                   rgb, strict=True))


@pytest.fixture
def tile(qtbot):
    widget = VideoTile()
    widget.resize(480, 270)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_empty_tile_shows_the_placeholder(tile):
    image = tile.grab().toImage()
    assert not near(image.pixelColor(240, 200), COLOUR)
    assert tile.tr("drop a camera here") == "drop a camera here"


def test_live_then_lost_tile_with_a_real_stream(tile, qtbot):
    port = free_port()
    server = VideoServer(port, fps=15).start()
    reader = StreamReader(server.url("/mjpeg"), backoff=(0.3, 1.0), name="cam12").start()
    try:
        tile.set_source(reader, NAME)
        assert reader.output_size == (480, 270)  # the tile told its size (dpr 1 offscreen)
        qtbot.waitUntil(lambda: tile.shown_state() == "live" and tile._image is not None,
                        timeout=5000)
        qtbot.wait(1200)  # a second of frames: the fps and the age settle
        image = tile.grab().toImage()
        assert near(image.pixelColor(240, 150), COLOUR)   # the picture, not the placeholder
        text = tile.status_text()
        assert text.startswith("live") and "fps" in text and "now" in text, text
        assert 10 <= reader.stats().fps <= 20
        image.save(str(ARTIFACTS / "video_tile.png"))

        started = time.monotonic()
        server.stop()
        qtbot.waitUntil(lambda: tile.shown_state() in ("lost", "connecting"), timeout=3000)
        assert time.monotonic() - started < 2
        qtbot.waitUntil(lambda: tile.shown_state() == "lost"
                        and " s ago" in tile.status_text(), timeout=4000)
        image = tile.grab().toImage()
        assert "lost" in tile.status_text()
        image.save(str(ARTIFACTS / "video_tile_lost.png"))
        # the last picture stays, dimmed
        assert not near(image.pixelColor(240, 150), COLOUR)
        assert image.pixelColor(240, 150).red() > 60

        # the server comes back on the same port: live again
        server = VideoServer(port, fps=15).start()
        qtbot.waitUntil(lambda: tile.shown_state() == "live", timeout=4000)
    finally:
        reader.stop()
        server.stop()


def test_resizing_tells_the_source(tile, qtbot):
    sizes = []
    source = SimpleNamespace(take_frame=lambda: None, state="connecting",
                             stats=lambda: SimpleNamespace(fps=0.0, last_frame_age=None),
                             set_output_size=lambda w, h: sizes.append((w, h)))
    tile.set_source(source, "x")
    tile.resize(960, 540)
    assert sizes[-1] == (960, 540)
    qtbot.waitUntil(lambda: tile.status_text().startswith("connecting"), timeout=1000)
    assert "no picture yet" in tile.status_text()


def test_age_and_state_texts(tile, qtbot):
    stats = SimpleNamespace(fps=14.6, last_frame_age=2.4)
    source = SimpleNamespace(take_frame=lambda: None, state="stalled", stats=lambda: stats)
    tile.set_source(source, "x")
    qtbot.waitUntil(lambda: tile.shown_state() == "stalled", timeout=1000)
    assert tile.status_text() == "stalled  ·  2 s ago  ·  15 fps"
    stats.last_frame_age = 125
    source.state = "lost"
    qtbot.waitUntil(lambda: tile.shown_state() == "lost", timeout=1000)
    assert tile.status_text() == "lost  ·  2 min ago  ·  0 fps"  # not its old rate
    # hidden: no polling
    tile.hide()
    assert not tile.is_polling()


def test_drop_of_a_camera_and_of_a_tile(tile, qtbot):
    dropped, swapped = [], []
    tile.sig_camera_dropped.connect(dropped.append)
    tile.sig_tile_dropped.connect(swapped.append)
    for fmt, payload in ((CAMERA_MIME, b"cam-0042"), (TILE_MIME, b"7"), ("text/plain", b"x")):
        mime = QMimeData()
        mime.setData(fmt, payload)
        event = QDropEvent(QPointF(50, 50), Qt.DropAction.MoveAction, mime,
                           Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        tile.dropEvent(event)
    assert dropped == ["cam-0042"]
    assert swapped == [7]
    tile.set_tile_index(3)
    assert bytes(tile.drag_mime().data(TILE_MIME).data()) == b"3"


def test_double_click(tile, qtbot):
    with qtbot.waitSignal(tile.sig_double_clicked, timeout=1000):
        qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
