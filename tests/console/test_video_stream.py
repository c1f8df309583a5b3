"""console/video_stream.py against real streams: real encoders (PyAV's mjpeg and libx264)
served by a small HTTP server of our own on 127.0.0.1 (MJPEG multipart, and H.264 in
MPEG-TS, chunked and endless); cuts, restarts, a silent server, a 401, a blocked stop.

`VideoServer` is used by tests/gui/test_video_tile.py too.
"""

from __future__ import annotations

import socket
import threading
import time
from fractions import Fraction
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import av
import numpy as np
import pytest

from console.video_stream import (
    CONNECTING,
    LIVE,
    LOST,
    STALLED,
    STOPPED,
    StreamReader,
    fit_size,
    lowres_for,
    pick_profile,
)

#: The test picture's colour (R, G, B): a known colour a tile must show.
COLOUR = (200, 40, 30)


def solid_frame(width: int, height: int, colour=COLOUR, seq: int = 0) -> av.VideoFrame:
    img = np.empty((height, width, 3), np.uint8)
    img[:] = colour
    # A small moving block so successive pictures differ (the encoder must really work).
    x = (seq * 8) % max(1, width - 16)
    img[:16, x:x + 16] = (255, 255, 255)
    return av.VideoFrame.from_ndarray(img, format="rgb24")


def encode_jpeg(width: int, height: int, colour=COLOUR, seq: int = 0) -> bytes:
    codec = av.CodecContext.create("mjpeg", "w")
    codec.width, codec.height, codec.pix_fmt = width, height, "yuvj420p"
    codec.time_base = Fraction(1, 25)
    frame = solid_frame(width, height, colour, seq).reformat(format="yuvj420p")
    packets = codec.encode(frame) + codec.encode(None)
    return bytes(packets[0])


class _Writer:
    """A file object for PyAV's muxer that writes each block as one HTTP chunk."""

    def __init__(self, wfile) -> None:
        self.wfile = wfile

    def write(self, data) -> int:
        data = bytes(data)
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
        return len(data)


class VideoServer:
    """An HTTP server on 127.0.0.1: `/mjpeg` (multipart/x-mixed-replace, `fps`), `/ts`
    (H.264 in MPEG-TS, chunked, encoded live, endless), `/silent` (accepts and sends
    nothing). With `token`, a request without `Authorization: Bearer <token>` gets 401.
    `stop()` closes the listener and every open connection; `start()` again on the same
    port."""

    def __init__(self, port: int = 0, *, fps: float = 25.0, size=(640, 360), token=None,
                 ts_size=(320, 180)) -> None:
        self.port = port
        self.fps = fps
        self.size = size
        self.ts_size = ts_size
        self.token = token
        self.jpeg = encode_jpeg(*size)
        self.auth_seen: list[str | None] = []
        self._server: ThreadingHTTPServer | None = None
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._alive = threading.Event()
        #: Set: the MJPEG handler sends nothing more but keeps the connection open.
        self.paused = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> VideoServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                with owner._lock:
                    owner._conns.add(self.connection)
                try:
                    auth = self.headers.get("Authorization")
                    owner.auth_seen.append(auth)
                    if owner.token is not None and auth != f"Bearer {owner.token}":
                        self.send_response(401)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    if self.path == "/mjpeg":
                        owner._mjpeg(self)
                    elif self.path == "/ts":
                        owner._ts(self)
                    elif self.path == "/silent":
                        while owner._alive.is_set():
                            time.sleep(0.05)
                    else:
                        self.send_error(404)
                except (OSError, ValueError):
                    pass
                finally:
                    with owner._lock:
                        owner._conns.discard(self.connection)

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        self._alive.set()
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        """Kill the server mid-stream: the listener and every connection close."""
        self._alive.clear()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _mjpeg(self, handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "multipart/x-mixed-replace; boundary=hallframe")
        handler.send_header("Cache-Control", "no-cache")
        handler.send_header("Connection", "close")
        handler.end_headers()
        period = 1.0 / self.fps
        next_at = time.monotonic()
        while self._alive.is_set():
            if self.paused.is_set():
                time.sleep(0.02)
                next_at = time.monotonic()
                continue
            part = (b"--hallframe\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n"
                    % len(self.jpeg)) + self.jpeg + b"\r\n"
            handler.wfile.write(part)
            handler.wfile.flush()
            next_at += period
            time.sleep(max(0.0, next_at - time.monotonic()))

    def _ts(self, handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "video/mp2t")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.send_header("Connection", "close")
        handler.end_headers()
        width, height = self.ts_size
        out = av.open(_Writer(handler.wfile), "w", format="mpegts",
                      options={"flush_packets": "1"})
        stream = out.add_stream("libx264", rate=int(self.fps),
                                options={"preset": "ultrafast", "tune": "zerolatency",
                                         "g": str(int(self.fps))})
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        period = 1.0 / self.fps
        next_at = time.monotonic()
        seq = 0
        try:
            while self._alive.is_set():
                frame = solid_frame(width, height, seq=seq).reformat(format="yuv420p")
                frame.pts = seq
                for packet in stream.encode(frame):
                    out.mux(packet)
                seq += 1
                next_at += period
                time.sleep(max(0.0, next_at - time.monotonic()))
        finally:
            try:
                out.close()
            except Exception:
                pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = 5.0, step: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def pixel(frame, x: int, y: int) -> tuple[int, int, int]:
    """(R, G, B) of a delivered BGRA frame."""
    at = y * frame.stride + x * 4
    b, g, r = frame.data[at], frame.data[at + 1], frame.data[at + 2]
    return r, g, b


def close(a, b, tol=24) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


@pytest.fixture
def server():
    srv = VideoServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def readers():
    made: list[StreamReader] = []

    def make(url, **kw) -> StreamReader:
        kw.setdefault("backoff", (0.2, 0.8))
        reader = StreamReader(url, **kw)
        made.append(reader)
        return reader.start()

    yield make
    for reader in made:
        reader.stop()


# ---- the rule


def test_pick_profile_rule_and_hysteresis():
    both = ("main", "sub")
    assert pick_profile(480, 270, both) == "sub"
    assert pick_profile(720, 405, both) == "sub"
    assert pick_profile(721, 405, both) == "main"
    assert pick_profile(960, 540, both) == "main"
    # only one stream: that one, whatever the size; none: None
    assert pick_profile(1920, 1080, ["sub"]) == "sub"
    assert pick_profile(100, 60, {"main": "u"}) == "main"
    assert pick_profile(100, 60, []) is None

    class S:
        def __init__(self, profile):
            self.profile = profile

    assert pick_profile(400, 225, [S("main"), S("sub")]) == "sub"
    # hysteresis: a jitter around 720×405 keeps what plays
    assert pick_profile(740, 416, both, current="sub") == "sub"
    assert pick_profile(800, 450, both, current="sub") == "main"
    assert pick_profile(700, 394, both, current="main") == "main"
    assert pick_profile(640, 360, both, current="main") == "sub"
    current = "sub"
    for w in (715, 725, 718, 730, 712, 760, 705):  # a resize jitter: no flap
        current = pick_profile(w, w * 9 / 16, both, current=current)
        assert current == "sub"


def test_fit_and_lowres():
    assert fit_size(640, 360, 480, 270) == (480, 270)
    assert fit_size(640, 360, 480, 480) == (480, 270)   # letterbox: width-bound
    assert fit_size(640, 360, 1280, 720) == (640, 360)  # never enlarged
    assert fit_size(640, 360, 0, 0) == (640, 360)
    assert lowres_for(1920, 1080, 480, 270) == 2
    assert lowres_for(640, 360, 480, 270) == 0
    assert lowres_for(640, 360, 320, 180) == 1
    assert lowres_for(640, 360, 10, 10) == 3


# ---- real streams


def test_mjpeg_frames_at_the_requested_size(server, readers):
    reader = readers(server.url("/mjpeg"), output_size=(480, 270))
    assert wait_for(lambda: reader.state == LIVE, 5)
    frame = wait_for(reader.take_frame, 3)
    assert (frame.width, frame.height) == (480, 270)
    assert frame.stride >= 480 * 4
    assert close(pixel(frame, 240, 200), COLOUR)
    # a smaller box: DCT-scaled decode (lowres) and scale to fit, aspect kept
    reader.set_output_size(300, 300)
    frame = wait_for(lambda: (f := reader.take_frame()) and f.width == 300 and f, 3)
    assert (frame.width, frame.height) == (300, 169)
    assert close(pixel(frame, 150, 120), COLOUR)
    time.sleep(1.0)
    stats = reader.stats()
    assert stats.source_size == (640, 360)
    assert 15 <= stats.fps <= 35
    assert stats.frames_decoded >= 20
    # nobody took frames for a second: the replaced ones were dropped and counted
    assert stats.frames_dropped >= 10
    assert stats.last_frame_age < 0.5


def test_h264_mpegts_chunked(server, readers):
    reader = readers(server.url("/ts"), output_size=(160, 90))
    frame = wait_for(reader.take_frame, 6)
    assert frame is not None, reader.stats()
    assert (frame.width, frame.height) == (160, 90)
    assert close(pixel(frame, 80, 60), COLOUR, tol=30)
    assert reader.state == LIVE
    reader.set_output_size(0, 0)  # full size
    frame = wait_for(lambda: (f := reader.take_frame()) and f.width == 320 and f, 3)
    assert (frame.width, frame.height) == (320, 180)


def test_server_killed_then_back_on_the_same_port(readers):
    port = free_port()
    server = VideoServer(port).start()
    states: list[str] = []
    reader = readers(server.url("/mjpeg"), output_size=(320, 180), on_state=states.append,
                     backoff=(0.2, 0.8))
    try:
        assert wait_for(lambda: reader.state == LIVE, 5)
        server.stop()
        assert wait_for(lambda: LOST in states, 3), states
        # then connecting again (refused), lost again, with backoff between the tries
        assert wait_for(lambda: states.count(CONNECTING) >= 3, 4), states
        assert reader.state in (CONNECTING, LOST)
        assert reader.stats().reconnects >= 2
        decoded = reader.stats().frames_decoded
        server = VideoServer(port).start()
        assert wait_for(lambda: reader.state == LIVE, 4), reader.stats()
        assert wait_for(lambda: reader.stats().frames_decoded > decoded + 5, 3)
        assert states[:2] == [CONNECTING, LIVE]
        assert states[-1] == LIVE
    finally:
        server.stop()


def test_backoff_grows_and_is_jittered(readers):
    port = free_port()  # nothing listens: every try is refused at once
    times: list[float] = []
    reader = readers(f"http://127.0.0.1:{port}/mjpeg", backoff=(0.1, 0.4),
                     on_state=lambda s: s == CONNECTING and times.append(time.monotonic()))
    assert wait_for(lambda: len(times) >= 6, 4)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert all(g >= 0.045 for g in gaps), gaps     # 0.1 × (0.5 .. 1)
    assert all(g <= 0.5 for g in gaps), gaps       # capped at 0.4
    assert max(gaps[3:]) > min(gaps[:1]) * 1.5, gaps  # doubling
    assert "ConnectionRefusedError" in (reader.stats().error or "")


def test_silent_server_is_stalled_then_lost(server, readers):
    states: list[str] = []
    reader = readers(server.url("/silent"), stall_after=0.4, lost_after=1.2,
                     on_state=states.append)
    assert wait_for(lambda: reader.state == STALLED, 2), states
    assert wait_for(lambda: LOST in states, 2), states
    assert "no frame" in reader.stats().error


def test_live_stream_that_stops_sending_is_stalled(readers):
    server = VideoServer().start()
    reader = readers(server.url("/mjpeg"), stall_after=0.4, lost_after=30)
    try:
        assert wait_for(lambda: reader.state == LIVE, 5)
        server.paused.set()  # the handler stops writing; the connection stays open
        assert wait_for(lambda: reader.state == STALLED, 2)
        server.paused.clear()
        assert wait_for(lambda: reader.state == LIVE, 2)
    finally:
        server.stop()


def test_headers_callable_is_asked_on_every_connect(readers):
    server = VideoServer(token="t1").start()
    token = {"value": "wrong"}
    calls = []

    def headers():
        calls.append(token["value"])
        return {"Authorization": f"Bearer {token['value']}"}

    try:
        reader = readers(server.url("/mjpeg"), headers=headers, backoff=(0.1, 0.2))
        assert wait_for(lambda: reader.stats().error == "HTTP 401 Unauthorized", 3)
        assert reader.state in (LOST, CONNECTING)
        token["value"] = "t1"  # the token was refreshed
        assert wait_for(lambda: reader.state == LIVE, 3), reader.stats()
        assert "Bearer t1" in server.auth_seen
        assert "Bearer wrong" in server.auth_seen
        assert len(calls) >= 2 and calls[-1] == "t1"
    finally:
        server.stop()


@pytest.mark.parametrize("path", ["/silent", "/mjpeg"])
def test_stop_returns_promptly_while_a_read_is_blocked(server, readers, path):
    reader = readers(server.url(path), lost_after=30, stall_after=10)
    time.sleep(0.5)  # connected; /silent blocks in recv, /mjpeg between frames
    started = time.monotonic()
    assert reader.stop() is True
    took = time.monotonic() - started
    assert took < 0.3, took
    assert reader.state == STOPPED


def test_stop_during_backoff_is_prompt(readers):
    reader = readers(f"http://127.0.0.1:{free_port()}/x", backoff=(5.0, 10.0))
    assert wait_for(lambda: reader.state == LOST, 2)
    started = time.monotonic()
    assert reader.stop() is True
    assert time.monotonic() - started < 0.3
