"""One camera stream played in its own thread: connect, decode at the tile's size, reconnect.

`StreamReader(url)` plays one stream URL with PyAV (FFmpeg) in a daemon thread and hands
the newest picture to whoever asks (`take_frame`): a latest-frame-wins slot, so a slow
painter never queues frames; a frame replaced before it was taken is counted as dropped.

Each frame is converted in the reader thread (libswscale through PyAV's reformatter) to
`FRAME_FORMAT` ('bgra': QImage.Format_RGB32 on little-endian machines, and swscale's
fastest path from YUV) at the output size the tile asked for (`set_output_size`, scaled
to fit, never enlarged: a tile larger than the picture paints it enlarged itself). MJPEG
is decoded with the JPEG decoder's DCT scaling (`lowres`) when the tile is at most 1/2,
1/4 or 1/8 of the picture, so a small tile does not pay for a full-size decode.

States: `connecting` → `live` (frames come) → `stalled` (connected, but no frame for
`stall_after` seconds) → `lost` (the connection ended, failed, or gave no frame for
`lost_after` seconds) → `connecting` again after a jittered exponential backoff
(`backoff`, reset once a connection has shown a frame). `stopped` after `stop()`.

HTTP(S) streams (MJPEG multipart, MPEG-TS, FLV) are fetched by a small HTTP/1.1 client of
our own on a plain socket and fed to FFmpeg as a file object: the `headers()` callable is
asked again on every connect (a refreshed token is used), a non-200 answer is reported
(`stats().error`, e.g. "HTTP 401"), and `stop()` ends a blocked read at once by shutting
the socket down. PyAV 18 has no user interrupt callback (only `timeout=`, checked by its
own callback), and closing a container from another thread while it reads is not safe.
Other URLs (rtsp://, HLS playlists, files) go to FFmpeg directly with `timeout=`; there a
blocked read ends within `lost_after` at most, and `stop()` does not wait for it longer
than `join_timeout` (the thread is a daemon and exits by itself).

`pick_profile` is the rule for which stream a tile plays (sub for small tiles, main for
large ones, with hysteresis).
"""

from __future__ import annotations

import collections
import logging
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import av
from av.video.reformatter import VideoReformatter

log = logging.getLogger(__name__)

CONNECTING = "connecting"
LIVE = "live"
STALLED = "stalled"
LOST = "lost"
STOPPED = "stopped"
STATES = (CONNECTING, LIVE, STALLED, LOST, STOPPED)

#: The pixel format of delivered frames: B, G, R, A bytes (alpha 255) = QImage.Format_RGB32.
FRAME_FORMAT = "bgra"
BYTES_PER_PIXEL = 4

#: The largest tile (device pixels) that plays the sub stream.
SUB_MAX = (720, 405)
#: Hysteresis of the switch: leave sub above SUB_MAX × (1 + h), leave main below × (1 - h).
PROFILE_HYSTERESIS = 0.1

#: Container options for live streams: no input buffering, a small probe, and no frame
#: counting to guess a rate the stream states (FLV opened in 1.6-3.4 s without it, 0.3 s with).
LOW_LATENCY = {
    "fflags": "nobuffer",
    "flags": "low_delay",
    "probesize": "65536",
    "analyzeduration": "500000",
    "fpsprobesize": "0",
}

_FORMAT_OF_CONTENT_TYPE = {
    "multipart/x-mixed-replace": "mpjpeg",
    "video/mp2t": "mpegts",
    "video/x-flv": "flv",
    "video/h264": "h264",
}


# ---- the rule: which stream a tile plays


def _profiles(streams) -> set[str]:
    if isinstance(streams, Mapping):
        return set(streams)
    names = set()
    for s in streams or ():
        names.add(s if isinstance(s, str) else getattr(s, "profile", None))
    names.discard(None)
    return names


def pick_profile(tile_width: float, tile_height: float, streams: Iterable | Mapping = ("main", "sub"),
                 current: str | None = None, *, sub_max: tuple[int, int] = SUB_MAX,
                 hysteresis: float = PROFILE_HYSTERESIS) -> str | None:
    """"sub" for a tile of at most `sub_max` device pixels, "main" for a larger one.

    `streams`: the profiles a camera offers (names, a mapping by name, or objects with a
    `profile`, e.g. `Camera.streams`); with only one of them that one is played, with none
    None. `current`: the profile playing now; it is kept while the tile stays within
    `hysteresis` of the threshold, so a resize jitter around it does not flap."""
    have = _profiles(streams)
    if not have:
        return None
    if len(have) == 1 or not {"main", "sub"} <= have:
        return "sub" if "sub" in have else ("main" if "main" in have else sorted(have)[0])
    w, h = sub_max
    if current == "sub":
        small = tile_width <= w * (1 + hysteresis) and tile_height <= h * (1 + hysteresis)
    elif current == "main":
        small = tile_width <= w * (1 - hysteresis) and tile_height <= h * (1 - hysteresis)
    else:
        small = tile_width <= w and tile_height <= h
    return "sub" if small else "main"


def fit_size(src_w: int, src_h: int, box_w: int, box_h: int) -> tuple[int, int]:
    """The size of a `src_w`×`src_h` picture scaled to fit `box_w`×`box_h` (aspect kept),
    never enlarged; at least 1×1. Without a box (0 or less) the picture's own size."""
    if box_w <= 0 or box_h <= 0 or src_w <= 0 or src_h <= 0:
        return max(src_w, 1), max(src_h, 1)
    scale = min(box_w / src_w, box_h / src_h, 1.0)
    return max(1, round(src_w * scale)), max(1, round(src_h * scale))


def lowres_for(src_w: int, src_h: int, out_w: int, out_h: int) -> int:
    """The JPEG DCT scaling (0..3: 1/1 .. 1/8) that still decodes at least `out_w`×`out_h`."""
    level = 0
    while level < 3 and (src_w >> (level + 1)) >= out_w and (src_h >> (level + 1)) >= out_h:
        level += 1
    return level


# ---- what the reader hands out


@dataclass(frozen=True, slots=True)
class VideoFrame:
    """One picture in `FRAME_FORMAT`: `height` rows of `stride` bytes in `data` (a buffer:
    keep this object while an image uses it). `seq` counts decoded frames from 1; `time`
    is when it was decoded (time.monotonic())."""

    data: memoryview
    width: int
    height: int
    stride: int
    seq: int
    time: float
    owner: object = None  # keeps the buffer's memory alive


@dataclass(frozen=True, slots=True)
class StreamStats:
    state: str
    frames_decoded: int
    frames_dropped: int
    reconnects: int
    fps: float
    last_frame_time: float | None  # time.monotonic() of the newest frame
    last_frame_age: float | None   # seconds since it
    source_size: tuple[int, int] | None
    error: str | None               # why the last connection ended


class StreamHttpError(ConnectionError):
    """The server answered with another status than 200."""

    def __init__(self, status: int, reason: str = "") -> None:
        super().__init__(f"HTTP {status} {reason}".strip())
        self.status = status


class _Stopped(Exception):
    pass


class _HttpBody:
    """GET `url` on a plain socket; `read(n)` gives the body (chunked or not) to FFmpeg.

    Reads wake every `tick` seconds to call `on_tick()` (which may raise to give up) and to
    see `stopping`; `abort()` (any thread) shuts the socket down to end a blocked read."""

    def __init__(self, url: str, headers: Mapping[str, str], *, connect_timeout: float,
                 tick: float, on_tick: Callable[[], None], stopping: threading.Event,
                 on_connected: Callable[[], None]) -> None:
        self.url = url
        self._headers = dict(headers)
        self._connect_timeout = connect_timeout
        self._tick = tick
        self._on_tick = on_tick
        self._stopping = stopping
        self._on_connected = on_connected
        self._sock: socket.socket | None = None
        self._buf = bytearray()
        self._chunked = False
        self._chunk_left = 0
        self._left: int | None = None  # Content-Length still to read
        self._eof = False
        self.content_type = ""

    def open(self) -> None:
        parts = urlsplit(self.url)
        https = parts.scheme == "https"
        host = parts.hostname or "localhost"
        port = parts.port or (443 if https else 80)
        sock = socket.create_connection((host, port), timeout=self._connect_timeout)
        if https:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        sock.settimeout(self._tick)
        self._sock = sock
        if self._stopping.is_set():
            raise _Stopped
        self._on_connected()
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        default_port = port == (443 if https else 80)
        lines = [f"GET {path} HTTP/1.1", f"Host: {host if default_port else f'{host}:{port}'}",
                 "User-Agent: hall-console", "Accept: */*", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in self._headers.items()]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        head = self._read_until(b"\r\n\r\n", limit=65536)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        fields = status_line.split(" ", 2)
        status = int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else 0
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if status != 200:
            raise StreamHttpError(status, fields[2] if len(fields) > 2 else "")
        self.content_type = headers.get("content-type", "")
        self._chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        if not self._chunked and "content-length" in headers:
            self._left = int(headers["content-length"])

    def format_hint(self) -> str | None:
        kind = self.content_type.split(";", 1)[0].strip().lower()
        return _FORMAT_OF_CONTENT_TYPE.get(kind)

    def abort(self) -> None:
        sock = self._sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass

    # -- raw socket

    def _fill(self) -> bool:
        """Append what the socket gives to the buffer; False at the end of the connection."""
        while True:
            if self._stopping.is_set():
                raise _Stopped
            sock = self._sock
            if sock is None:
                return False
            try:
                data = sock.recv(65536)
            except TimeoutError:
                self._on_tick()
                continue
            except OSError:
                if self._stopping.is_set():
                    raise _Stopped from None
                raise
            if not data:
                return False
            self._buf += data
            return True

    def _read_until(self, marker: bytes, limit: int) -> bytes:
        while True:
            at = self._buf.find(marker)
            if at >= 0:
                out = bytes(self._buf[:at])
                del self._buf[:at + len(marker)]
                return out
            if len(self._buf) > limit:
                raise ConnectionError("HTTP header or chunk line too long")
            if not self._fill():
                raise ConnectionError("connection closed by the server")

    # -- the file object FFmpeg reads

    def readable(self) -> bool:
        return True

    def read(self, n: int = 65536) -> bytes:
        try:
            if self._eof:
                return b""
            if self._chunked:
                while self._chunk_left == 0:
                    line = self._read_until(b"\r\n", limit=1024)
                    if not line:
                        continue  # the CRLF that ends the previous chunk
                    size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                    if size == 0:
                        self._eof = True
                        return b""
                    self._chunk_left = size
                limit = self._chunk_left
            else:
                limit = n if self._left is None else self._left
                if limit == 0:
                    self._eof = True
                    return b""
            if not self._buf and not self._fill():
                self._eof = True
                return b""
            take = min(n, limit, len(self._buf))
            out = bytes(self._buf[:take])
            del self._buf[:take]
            if self._chunked:
                self._chunk_left -= take
            elif self._left is not None:
                self._left -= take
            return out
        except _Stopped:
            self._eof = True
            return b""


# ---- the reader


class StreamReader:
    """Plays `url` in its own thread; see the module's doc.

    `headers`: a callable giving the HTTP headers (e.g. `{"Authorization": "Bearer …"}`),
    asked on every connect. `output_size`: the box frames are scaled to fit (0×0: the
    picture's own size). `on_state(state)` and `on_frame()` are called in the reader thread
    (keep them short and thread-safe: e.g. post a wake to the GUI)."""

    def __init__(self, url: str, *, headers: Callable[[], Mapping[str, str]] | None = None,
                 output_size: tuple[int, int] = (0, 0), open_timeout: float = 5.0,
                 stall_after: float = 2.0, lost_after: float = 10.0,
                 backoff: tuple[float, float] = (0.5, 10.0), fps_window: float = 2.0,
                 tick: float = 0.1, join_timeout: float = 2.0, name: str = "",
                 on_state: Callable[[str], None] | None = None,
                 on_frame: Callable[[], None] | None = None) -> None:
        self.url = url
        self.name = name or url
        self._headers = headers
        self._open_timeout = open_timeout
        self.stall_after = stall_after
        self.lost_after = lost_after
        self._backoff = backoff
        self._fps_window = fps_window
        self._tick = tick
        self._join_timeout = join_timeout
        self._on_state = on_state
        self._on_frame = on_frame
        self._out_size = (max(0, int(output_size[0])), max(0, int(output_size[1])))

        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._body: _HttpBody | None = None

        self._state = STOPPED
        self._latest: VideoFrame | None = None
        self._latest_taken = True
        self._decoded = 0
        self._dropped = 0
        self._reconnects = 0
        self._times: collections.deque[float] = collections.deque(maxlen=512)
        self._last_frame: float | None = None
        self._connected_at: float | None = None
        self._source_size: tuple[int, int] | None = None
        self._error: str | None = None

    # -- control (any thread)

    def start(self) -> StreamReader:
        """Start playing (once; a stopped reader is not restarted)."""
        if self._thread is None:
            self._set_state(CONNECTING)
            self._thread = threading.Thread(target=self._run, name=f"video {self.name}",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self) -> bool:
        """End the thread: a blocked HTTP read ends at once. True when the thread ended
        within `join_timeout` (an FFmpeg-native read may take up to `lost_after`)."""
        self._stopping.set()
        body = self._body
        if body is not None:
            body.abort()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(self._join_timeout)
        self._set_state(STOPPED)
        return thread is None or not thread.is_alive()

    def set_output_size(self, width: int, height: int) -> None:
        """The box (device pixels) the next frames are scaled to fit; 0×0 for full size."""
        self._out_size = (max(0, int(width)), max(0, int(height)))

    @property
    def output_size(self) -> tuple[int, int]:
        return self._out_size

    # -- what the GUI reads (any thread)

    def take_frame(self) -> VideoFrame | None:
        """The newest frame if it was not taken yet, else None."""
        with self._lock:
            if self._latest_taken:
                return None
            self._latest_taken = True
            return self._latest

    def latest_frame(self) -> VideoFrame | None:
        """The newest frame, taken or not (None before the first)."""
        return self._latest

    @property
    def state(self) -> str:
        state = self._state
        if state == LIVE:
            last = self._last_frame
            if last is not None and time.monotonic() - last > self.stall_after:
                return STALLED
        return state

    def stats(self) -> StreamStats:
        now = time.monotonic()
        with self._lock:
            last = self._last_frame
            return StreamStats(
                state=self.state, frames_decoded=self._decoded, frames_dropped=self._dropped,
                reconnects=self._reconnects, fps=self._fps(now), last_frame_time=last,
                last_frame_age=None if last is None else max(0.0, now - last),
                source_size=self._source_size, error=self._error)

    def _fps(self, now: float) -> float:
        """Frames per second over the last `fps_window` seconds (decays when frames stop)."""
        start = now - self._fps_window
        times = self._times
        # (called under the lock) forget what is older than the window, keeping one older
        while len(times) > 1 and times[1] < start:
            times.popleft()
        recent = [t for t in times if t >= start]
        if len(recent) < 2:
            return 0.0
        if times[0] < start:  # frames for the whole window: count them over it
            return len(recent) / self._fps_window
        return (len(recent) - 1) / max(now - recent[0], recent[-1] - recent[0], 1e-6)

    # -- the thread

    def _set_state(self, state: str) -> None:
        with self._lock:
            if self._state == state or (self._state == STOPPED and self._stopping.is_set()):
                return
            self._state = state
        log.debug("%s: %s", self.name, state)
        if self._on_state is not None:
            try:
                self._on_state(state)
            except Exception:  # a listener's bug must not end the stream
                log.exception("on_state listener failed")

    def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            self._set_state(CONNECTING)
            self._connected_at = None
            had_frame = [False]
            try:
                self._play_once(had_frame)
                error = "stream ended"
            except _Stopped:
                break
            except StreamHttpError as exc:
                error = str(exc)
            except (av.FFmpegError, OSError, ValueError, EOFError) as exc:
                error = f"{type(exc).__name__}: {exc}"
            except Exception as exc:  # never let the thread die silently
                log.exception("%s: reader failed", self.name)
                error = f"{type(exc).__name__}: {exc}"
            if self._stopping.is_set():
                break
            self._error = error
            log.info("%s: lost (%s)", self.name, error)
            self._set_state(LOST)
            failures = 1 if had_frame[0] else failures + 1
            first, cap = self._backoff
            delay = min(cap, first * 2 ** (failures - 1)) * random.uniform(0.5, 1.0)
            if self._stopping.wait(delay):
                break
            with self._lock:
                self._reconnects += 1
        self._set_state(STOPPED)

    def _connected(self) -> None:
        self._connected_at = time.monotonic()

    def _check_idle(self) -> None:
        """Called while waiting for data: stalled after `stall_after` without a frame since
        the connection (or the last frame); give up after `lost_after`."""
        now = time.monotonic()
        since = max(t for t in (self._connected_at, self._last_frame, 0.0) if t is not None)
        if not since:
            return
        idle = now - since
        if idle > self.lost_after:
            raise TimeoutError(f"no frame for {idle:.1f} s")
        if idle > self.stall_after and self._state in (CONNECTING, LIVE):
            self._set_state(STALLED)

    def _play_once(self, had_frame: list[bool]) -> None:
        headers = dict(self._headers() if self._headers is not None else {})
        scheme = urlsplit(self.url).scheme.lower()
        native = scheme not in ("http", "https") or urlsplit(self.url).path.endswith(".m3u8")
        options = dict(LOW_LATENCY)
        body = None
        try:
            if native:
                if headers and scheme in ("http", "https"):
                    options["headers"] = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                if scheme == "rtsp":
                    options["rtsp_transport"] = "tcp"
                container = av.open(self.url, options=options,
                                    timeout=(self._open_timeout, self.lost_after))
                self._connected()
            else:
                body = _HttpBody(self.url, headers, connect_timeout=self._open_timeout,
                                 tick=self._tick, on_tick=self._check_idle,
                                 stopping=self._stopping, on_connected=self._connected)
                self._body = body
                if self._stopping.is_set():
                    raise _Stopped
                body.open()
                container = av.open(body, format=body.format_hint(), options=options)
            with container:
                self._decode(container, had_frame)
        finally:
            self._body = None
            if body is not None:
                body.close()
        if self._stopping.is_set():
            raise _Stopped

    def _decode(self, container, had_frame: list[bool]) -> None:
        video = next((s for s in container.streams if s.type == "video"), None)
        if video is None:
            raise ValueError("no video stream")
        codec_name = video.codec_context.name
        mjpeg = codec_name in ("mjpeg", "jpeg")
        lowres = 0
        if mjpeg:
            # Intra-only: a fresh decoder for each lowres level is free, and one thread
            # each is best with many tiles (the tiles are the parallelism).
            decoder = self._mjpeg_decoder(lowres)
        else:
            decoder = video.codec_context
            decoder.thread_type = "SLICE"
        reformatter = VideoReformatter()
        for packet in container.demux(video):
            if self._stopping.is_set():
                return
            if packet.size == 0:
                continue
            if mjpeg and self._source_size is not None:
                want = lowres_for(*self._source_size, *self._box())
                if want != lowres:
                    lowres = want
                    decoder = self._mjpeg_decoder(lowres)
            try:
                frames = decoder.decode(packet)
            except av.InvalidDataError:
                continue  # a damaged picture: skip it, the next may be fine
            for frame in frames:
                self._deliver(frame, reformatter, lowres)
                had_frame[0] = True
            self._check_idle()

    @staticmethod
    def _mjpeg_decoder(lowres: int):
        decoder = av.CodecContext.create("mjpeg", "r")
        decoder.thread_count = 1
        if lowres:
            decoder.options = {"lowres": str(lowres)}
        return decoder

    def _box(self) -> tuple[int, int]:
        w, h = self._out_size
        if (w <= 0 or h <= 0) and self._source_size is not None:
            return self._source_size
        return w, h

    def _deliver(self, frame, reformatter: VideoReformatter, lowres: int) -> None:
        src_w, src_h = frame.width << lowres, frame.height << lowres
        self._source_size = (src_w, src_h)
        box_w, box_h = self._out_size
        w, h = fit_size(frame.width, frame.height, box_w, box_h)
        # threads=1: PyAV's default (0) gives every reformatter a pool of one swscale thread
        # per CPU, which for a small picture costs more in handoffs than it saves (the tiles
        # are the parallelism). Decode and swscale run without the GIL (PyAV 18).
        out = reformatter.reformat(frame, w, h, FRAME_FORMAT, interpolation="BILINEAR",
                                   threads=1)
        plane = out.planes[0]
        now = time.monotonic()
        with self._lock:
            self._decoded += 1
            item = VideoFrame(data=memoryview(plane), width=w, height=h,
                              stride=plane.line_size, seq=self._decoded, time=now, owner=out)
            if not self._latest_taken:
                self._dropped += 1
            self._latest = item
            self._latest_taken = False
            self._last_frame = now
            self._times.append(now)
        if self._state != LIVE:
            self._set_state(LIVE)
        if self._on_frame is not None:
            self._on_frame()
