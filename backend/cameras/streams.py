"""The demo cameras' video, served only while someone watches.

Two kinds per profile (`main` 1280×720, `sub` 640×360):

- `GET /api/v1/cameras/{id}/{profile}.mjpeg`: `multipart/x-mixed-replace; boundary=hallframe`,
  one JPEG per part (`Content-Type: image/jpeg` and `Content-Length` in every part).
- `GET /api/v1/cameras/{id}/{profile}.flv`: HTTP-FLV (`video/x-flv`), H.264 from libx264
  (ultrafast, zerolatency, one keyframe a second, no B-frames). Each client gets the FLV
  header, `onMetaData` and the AVC sequence header, then the tags from the next keyframe on,
  its timestamps counted from 0.

One `Producer` per (camera, profile, kind): a thread that draws the frames (`FrameMaker`) and
encodes them at the stream's fps, started by the first client and stopped `linger` seconds
after the last one leaves. Its output is handed to the event loop and fanned out to every
client's own small buffer (`Subscriber`): a client that does not keep up loses frames (the
oldest JPEGs; for H.264 everything up to the next keyframe) instead of holding the others
back or growing memory. A producer that falls behind (CPU) skips frames rather than drifting.

A camera that goes offline ends its open streams (the answer finishes; the client sees the
end) and refuses new ones with 503 `camera_offline` until it is back. External cameras are
not served here (404): their URLs point elsewhere.
"""

from __future__ import annotations

import asyncio
import io
import logging
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction

import av
from starlette.responses import Response

from console.schema import Camera

from ..errors import ApiError
from .demo import MAIN, SUB
from .frames import FrameMaker

log = logging.getLogger("backend.cameras.streams")

PROFILES = {"main": MAIN, "sub": SUB}
KINDS = ("mjpeg", "flv")
BOUNDARY = "hallframe"
JPEG_QUALITY = 75
#: Frames a client may have waiting before it loses some: JPEGs, and H.264 tags (≈ 2 s).
MJPEG_BACKLOG = 3
FLV_BACKLOG = 50
#: Keyframes every this many seconds (a client joins at the next one).
KEYFRAME_S = 1.0


@dataclass(slots=True)
class Chunk:
    """One encoded frame: a JPEG, or the payload of an FLV video tag."""

    data: bytes
    ts_ms: int = 0
    key: bool = True


_END = None  # what a subscriber gets when its stream ends


class Subscriber:
    """One client's buffer of a producer's output."""

    def __init__(self, kind: str):
        self.kind = kind
        self.limit = MJPEG_BACKLOG if kind == "mjpeg" else FLV_BACKLOG
        self._items: deque[Chunk] = deque()
        self._ready = asyncio.Event()
        self.closed = False
        self._need_key = kind == "flv"
        self.dropped = 0

    def offer(self, chunk: Chunk) -> None:
        if self.closed:
            return
        if self._need_key and not chunk.key:
            self.dropped += 1
            return
        if len(self._items) >= self.limit:
            if self.kind == "mjpeg":
                self._items.popleft()
            else:  # the next frames need the ones dropped: wait for a keyframe
                self.dropped += len(self._items)
                self._items.clear()
                if not chunk.key:
                    self._need_key = True
                    self.dropped += 1
                    return
            self.dropped += 1
        self._need_key = False
        self._items.append(chunk)
        self._ready.set()

    def close(self) -> None:
        self.closed = True
        self._ready.set()

    async def get(self) -> Chunk | None:
        """The next chunk, or None once the stream has ended."""
        while not self._items:
            if self.closed:
                return _END
            self._ready.clear()
            await self._ready.wait()
        if self.closed:
            return _END
        return self._items.popleft()


class Producer:
    """Frames of one (camera, profile, kind), drawn and encoded in a thread of its own."""

    def __init__(self, camera: Camera, profile: str, kind: str,
                 loop: asyncio.AbstractEventLoop):
        self.camera_id, self.profile, self.kind = camera.id, profile, kind
        self.name = camera.name
        self.width, self.height, self.fps = PROFILES[profile]
        self.loop = loop
        self.subscribers: set[Subscriber] = set()
        self.frames = 0
        self.skipped = 0
        self.started_at = time.time()
        #: FLV: onMetaData and the AVC sequence header, once the first keyframe is out.
        self.flv_init: bytes | None = None
        #: MJPEG: the latest JPEG, shown at once to a client that joins.
        self.last: Chunk | None = None
        self.linger_handle: asyncio.TimerHandle | None = None
        self._stop = threading.Event()
        self._on_end: Callable[[Producer], None] | None = None
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"stream-{camera.id}-{profile}-{kind}")

    @property
    def key(self) -> tuple[str, str, str]:
        return self.camera_id, self.profile, self.kind

    def start(self, on_end: Callable[[Producer], None]) -> None:
        self._on_end = on_end
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    # ---- in the event loop

    def _deliver(self, chunk: Chunk | None, flv_init: bytes | None = None) -> None:
        if chunk is None:  # the thread ended (stopped or failed)
            if self._on_end is not None:
                self._on_end(self)
            return
        if flv_init is not None:
            self.flv_init = flv_init
        if self.kind == "mjpeg":
            self.last = chunk
        for sub in self.subscribers:
            sub.offer(chunk)

    def _hand_over(self, chunk: Chunk | None, flv_init: bytes | None = None) -> None:
        try:
            self.loop.call_soon_threadsafe(self._deliver, chunk, flv_init)
        except RuntimeError:  # the loop is closed: the app is gone
            self._stop.set()

    # ---- in the producer's thread

    def _run(self) -> None:
        try:
            maker = FrameMaker(self.camera_id, self.name, self.width, self.height)
            encode = self._mjpeg_encoder(maker) if self.kind == "mjpeg" \
                else self._flv_encoder(maker)
            t0 = time.monotonic()
            n = 0
            while not self._stop.is_set():
                encode(n)
                self.frames += 1
                behind = int((time.monotonic() - t0) * self.fps)
                if behind > n + 1:  # too slow: skip what is already late
                    self.skipped += behind - n - 1
                    n = behind
                else:
                    n += 1
                wait = t0 + n / self.fps - time.monotonic()
                if wait > 0:
                    self._stop.wait(wait)
        except Exception:
            log.exception("stream %s/%s.%s failed", self.camera_id, self.profile, self.kind)
        finally:
            self._hand_over(None)

    def _mjpeg_encoder(self, maker: FrameMaker) -> Callable[[int], None]:
        def encode(n: int) -> None:
            out = io.BytesIO()
            maker.frame(n / self.fps).save(out, "JPEG", quality=JPEG_QUALITY)
            self._hand_over(Chunk(out.getvalue()))
        return encode

    def _flv_encoder(self, maker: FrameMaker) -> Callable[[int], None]:
        encoder = h264_encoder(self.width, self.height, self.fps)
        sent_init = False

        def encode(n: int) -> None:
            nonlocal sent_init
            ts = round(n * 1000 / self.fps)
            frame = av.VideoFrame.from_ndarray(maker.yuv_frame(n / self.fps), format="yuv420p")
            frame.pts = ts
            for packet in encoder.encode(frame):
                nals = annexb_nals(bytes(packet))
                sps = next((x for x in nals if x[0] & 0x1F == 7), None)
                pps = next((x for x in nals if x[0] & 0x1F == 8), None)
                init = None
                if not sent_init and sps is not None and pps is not None:
                    # The sequence header first: FFmpeg's demuxer then has the video stream
                    # when it reads onMetaData, whose empty `audiocodecid` tells it there is
                    # no audio (else it keeps probing for 5 s, `analyzeduration`).
                    init = flv_tag(9, 0, avc_sequence_header(sps, pps)) + flv_script_tag(
                        self.width, self.height, self.fps)
                    sent_init = True
                if not sent_init:
                    continue
                body = b"".join(struct.pack(">I", len(x)) + x for x in nals
                                if x[0] & 0x1F not in (7, 8, 9))  # the SPS/PPS are in init
                key = bool(packet.is_keyframe)
                payload = bytes((0x17 if key else 0x27, 1, 0, 0, 0)) + body
                self._hand_over(Chunk(payload, int(packet.pts or ts), key), init)
        return encode


class StreamHub:
    """The producers of the demo cameras' streams, shared by their clients."""

    def __init__(self, cameras, served: Iterable[str], *, linger: float = 2.0,
                 max_producers: int = 64):
        self.cameras = cameras  # CameraService: the list and the statuses
        self.served = frozenset(served)
        self.linger = linger
        self.max_producers = max_producers
        self.producers: dict[tuple[str, str, str], Producer] = {}
        #: How many producers were ever started (tests: two clients share one).
        self.started = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Follow the cameras' statuses from the running loop."""
        self._loop = loop

        def changed(camera_id: str, status: str) -> None:
            try:
                loop.call_soon_threadsafe(self.status_changed, camera_id, status)
            except RuntimeError:
                pass
        self.cameras.add_listener(changed)

    def subscribe(self, camera_id: str, profile: str, kind: str) -> tuple[Producer, Subscriber]:
        """A new client of a stream (a 404 / 503 `ApiError` when it cannot be had)."""
        camera = self.cameras.get(camera_id)
        if camera is None or camera_id not in self.served or profile not in PROFILES \
                or kind not in KINDS:
            raise ApiError(404, "not_found", "No such camera stream.",
                           {"camera_id": camera_id[:64], "stream": f"{profile[:8]}.{kind}"})
        if camera.status != "online" or self._closed:
            raise ApiError(503, "camera_offline", "The camera is offline.",
                           {"camera_id": camera_id})
        key = (camera_id, profile, kind)
        producer = self.producers.get(key)
        if producer is None:
            if len(self.producers) >= self.max_producers:
                raise ApiError(503, "stream_limit", "Too many camera streams are open.",
                               {"limit": self.max_producers})
            assert self._loop is not None, "attach() first"
            producer = Producer(camera, profile, kind, self._loop)
            self.producers[key] = producer
            self.started += 1
            producer.start(self._ended)
        if producer.linger_handle is not None:
            producer.linger_handle.cancel()
            producer.linger_handle = None
        sub = Subscriber(kind)
        producer.subscribers.add(sub)
        if producer.last is not None:
            sub.offer(producer.last)
        return producer, sub

    def unsubscribe(self, producer: Producer, sub: Subscriber) -> None:
        sub.close()
        producer.subscribers.discard(sub)
        if not producer.subscribers and self.producers.get(producer.key) is producer \
                and producer.linger_handle is None:
            producer.linger_handle = asyncio.get_running_loop().call_later(
                self.linger, self._retire, producer)

    def _retire(self, producer: Producer) -> None:
        producer.linger_handle = None
        if not producer.subscribers:
            self._drop(producer)

    def _drop(self, producer: Producer) -> None:
        if self.producers.get(producer.key) is producer:
            del self.producers[producer.key]
        if producer.linger_handle is not None:
            producer.linger_handle.cancel()
            producer.linger_handle = None
        producer.stop()
        for sub in list(producer.subscribers):
            sub.close()

    def _ended(self, producer: Producer) -> None:
        """The producer's thread is over (stopped, or failed): its clients' streams end."""
        self._drop(producer)

    def status_changed(self, camera_id: str, status: str) -> None:
        if status == "online":
            return
        for producer in [p for p in self.producers.values() if p.camera_id == camera_id]:
            self._drop(producer)

    def describe(self) -> dict:
        return {"started": self.started, "producers": [
            {"camera_id": p.camera_id, "profile": p.profile, "kind": p.kind,
             "clients": len(p.subscribers), "frames": p.frames, "skipped": p.skipped,
             "fps": p.fps, "width": p.width, "height": p.height}
            for p in self.producers.values()]}

    async def close(self) -> None:
        """Stop every producer and end every stream (the app is shutting down)."""
        self._closed = True
        producers = list(self.producers.values())
        for producer in producers:
            self._drop(producer)
        for producer in producers:
            await asyncio.to_thread(producer.join, 2.0)


async def stream_body(hub: StreamHub, producer: Producer, sub: Subscriber, send, receive
                      ) -> None:
    """Write one client's stream until it ends or the client leaves."""

    async def watch() -> None:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                sub.close()
                return

    watcher = asyncio.create_task(watch())
    try:
        first_ts: int | None = None
        while (chunk := await sub.get()) is not None:
            if producer.kind == "mjpeg":
                data = (f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: "
                        f"{len(chunk.data)}\r\n\r\n").encode() + chunk.data + b"\r\n"
            else:
                if first_ts is None:
                    first_ts = chunk.ts_ms
                    head = FLV_HEADER + (producer.flv_init or b"")
                else:
                    head = b""
                data = head + flv_tag(9, chunk.ts_ms - first_ts, chunk.data)
            await send({"type": "http.response.body", "body": data, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except OSError:  # the client is gone
        pass
    finally:
        watcher.cancel()
        hub.unsubscribe(producer, sub)


class StreamResponse(Response):
    """The ASGI answer of a stream route (`stream_body` with the kind's headers; chunked, no
    Content-Length)."""

    def __init__(self, hub: StreamHub, producer: Producer, sub: Subscriber):
        # Not Response.__init__: that would add `Content-Length: 0`.
        self.hub, self.producer, self.sub = hub, producer, sub
        self.status_code = 200
        self.background = None
        self.media_type = (f"multipart/x-mixed-replace; boundary={BOUNDARY}"
                           if producer.kind == "mjpeg" else "video/x-flv")
        self.raw_headers = [(b"content-type", self.media_type.encode()),
                            (b"cache-control", b"no-store"), (b"x-accel-buffering", b"no")]

    async def __call__(self, scope, receive, send) -> None:
        try:
            await send({"type": "http.response.start", "status": 200,
                        "headers": self.raw_headers})
        except BaseException:
            self.hub.unsubscribe(self.producer, self.sub)
            raise
        await stream_body(self.hub, self.producer, self.sub, send, receive)


# ---- H.264 and FLV


def h264_encoder(width: int, height: int, fps: float) -> av.VideoCodecContext:
    """libx264 for live: ultrafast, zerolatency, a keyframe every KEYFRAME_S, one thread."""
    encoder = av.CodecContext.create("libx264", "w")
    encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuv420p"
    encoder.time_base = Fraction(1, 1000)
    encoder.framerate = Fraction(fps).limit_denominator(1000)
    encoder.thread_count = 1
    gop = max(1, round(fps * KEYFRAME_S))
    encoder.options = {"preset": "ultrafast", "tune": "zerolatency", "profile": "baseline",
                       "x264-params": f"keyint={gop}:min-keyint={gop}:scenecut=0:bframes=0"}
    encoder.bit_rate = width * height * 2  # ≈ 1.8 Mb/s main, 0.46 Mb/s sub
    return encoder


def annexb_nals(data: bytes) -> list[bytes]:
    """The NAL units of an Annex B byte stream (start codes 00 00 01 / 00 00 00 01)."""
    nals = []
    start = data.find(b"\x00\x00\x01")
    while start >= 0:
        begin = start + 3
        start = data.find(b"\x00\x00\x01", begin)
        nal = data[begin:] if start < 0 else data[begin:start]
        nal = nal.rstrip(b"\x00") if start >= 0 else nal
        if nal:
            nals.append(nal)
    return nals


FLV_HEADER = b"FLV\x01\x01\x00\x00\x00\x09" + b"\x00\x00\x00\x00"  # video only, PreviousTagSize0


def flv_tag(tag_type: int, ts_ms: int, data: bytes) -> bytes:
    """One FLV tag and the PreviousTagSize after it."""
    ts_ms &= 0xFFFFFFFF
    head = struct.pack(">B", tag_type) + len(data).to_bytes(3, "big") \
        + (ts_ms & 0xFFFFFF).to_bytes(3, "big") + bytes((ts_ms >> 24,)) + b"\x00\x00\x00"
    return head + data + struct.pack(">I", 11 + len(data))


def avc_sequence_header(sps: bytes, pps: bytes) -> bytes:
    """The video tag payload carrying the AVCDecoderConfigurationRecord."""
    record = bytes((1, sps[1], sps[2], sps[3], 0xFF, 0xE1)) + struct.pack(">H", len(sps)) \
        + sps + b"\x01" + struct.pack(">H", len(pps)) + pps
    return bytes((0x17, 0, 0, 0, 0)) + record


def flv_script_tag(width: int, height: int, fps: float) -> bytes:
    """`onMetaData` with the picture's size, rate and codec (AMF0), and `audiocodecid` an
    empty object: no audio (how FFmpeg's demuxer learns that a stream is video only)."""
    def string(text: str) -> bytes:
        raw = text.encode()
        return struct.pack(">H", len(raw)) + raw

    fields = {"width": width, "height": height, "framerate": fps, "videocodecid": 7.0}
    body = b"\x02" + string("onMetaData") + b"\x08" + struct.pack(">I", len(fields))
    for name, value in fields.items():
        body += string(name) + b"\x00" + struct.pack(">d", float(value))
    body += string("audiocodecid") + b"\x03" + b"\x00\x00\x09"  # {}
    body += b"\x00\x00\x09"
    return flv_tag(18, 0, body)
