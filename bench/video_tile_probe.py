"""Decode + scale cost of one video tile's picture, as `console.video_stream` does it.

    python -m bench.video_tile_probe            # 150 pictures per case
    python -m bench.video_tile_probe --frames 60

Pictures are made with real encoders (PyAV's mjpeg and libx264) from a busy synthetic
scene (gradients, noise, moving blocks), then decoded and converted to 'bgra' at the
tile's size in this thread exactly as the reader thread does (MJPEG: one decoder thread
and the JPEG DCT scaling `lowres` when the tile allows it; H.264: the stream's decoder;
swscale BILINEAR through one VideoReformatter). Time is this process's CPU time
(time.process_time: H.264 slice threads included), so other load on the machine does not
inflate it. Baseline for MJPEG: a full-size decode with no scaling and no display
(TARGETS.md P7's baseline).
"""

from __future__ import annotations

import argparse
import time
from fractions import Fraction

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from console.video_stream import FRAME_FORMAT, StreamReader, fit_size, lowres_for


def scene(width: int, height: int, count: int) -> list[av.VideoFrame]:
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([(x * 255 // width), (y * 255 // height), ((x + y) * 127 // (width + height))],
                    axis=-1).astype(np.int16)
    frames = []
    for i in range(count):
        img = base + rng.integers(-60, 60, (height, width, 3), dtype=np.int16)
        for k in range(6):
            bx = (i * (5 + k) * 4 + k * 97) % (width - 64)
            by = (k * 53) % (height - 64)
            img[by:by + 64, bx:bx + 64] = (40 * k, 255 - 40 * k, 128)
        frames.append(av.VideoFrame.from_ndarray(np.clip(img, 0, 255).astype(np.uint8),
                                                 format="rgb24"))
    return frames


def encode(codec: str, width: int, height: int, count: int) -> list[bytes]:
    ctx = av.CodecContext.create(codec, "w")
    ctx.width, ctx.height = width, height
    ctx.time_base = Fraction(1, 25)
    ctx.framerate = Fraction(25, 1)
    if codec == "mjpeg":
        ctx.pix_fmt = "yuvj420p"
        ctx.options = {"q": "5"}
    else:
        ctx.pix_fmt = "yuv420p"
        ctx.bit_rate = 2_000_000
        ctx.options = {"preset": "veryfast", "tune": "zerolatency", "g": "50"}
    packets = []
    for i, frame in enumerate(scene(width, height, count)):
        frame = frame.reformat(format=ctx.pix_fmt)
        frame.pts = i
        packets += [bytes(p) for p in ctx.encode(frame)]
    packets += [bytes(p) for p in ctx.encode(None)]
    return packets


def measure(codec: str, packets: list[bytes], box: tuple[int, int] | None, *,
            full_decode_only: bool = False) -> tuple[float, tuple[int, int]]:
    """CPU ms per picture; the output size."""
    if codec == "mjpeg":
        probe = av.CodecContext.create("mjpeg", "r").decode(av.Packet(packets[0]))[0]
        src = (probe.width, probe.height)
        level = 0 if full_decode_only or box is None else lowres_for(*src, *box)
        decoder = StreamReader._mjpeg_decoder(level)
    else:
        decoder = av.CodecContext.create("h264", "r")
        decoder.thread_type = "SLICE"
    reformatter = VideoReformatter()
    size = (0, 0)
    n = 0
    started = time.process_time()
    for data in packets:
        for frame in decoder.decode(av.Packet(data)):
            if not full_decode_only:
                w, h = fit_size(frame.width, frame.height, *box)
                out = reformatter.reformat(frame, w, h, FRAME_FORMAT, interpolation="BILINEAR")
                size = (out.width, out.height)
            else:
                size = (frame.width, frame.height)
            n += 1
    if codec != "mjpeg":
        for frame in decoder.decode(None):
            if not full_decode_only:
                w, h = fit_size(frame.width, frame.height, *box)
                reformatter.reformat(frame, w, h, FRAME_FORMAT, interpolation="BILINEAR")
            n += 1
    return (time.process_time() - started) * 1000 / max(n, 1), size


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=150)
    args = parser.parse_args(argv)
    mjpeg = encode("mjpeg", 640, 360, args.frames)
    h264 = encode("libx264", 1280, 720, args.frames)
    print(f"av {av.__version__}; MJPEG 640×360 mean {np.mean([len(p) for p in mjpeg]) / 1024:.0f} KiB"
          f"/picture; H.264 1280×720 at ~2 Mbit/s, {len(h264)} packets")
    cases = [
        ("MJPEG 640×360, full-size decode only (baseline)", "mjpeg", mjpeg, (640, 360), True),
        ("MJPEG 640×360 → tile 480×270", "mjpeg", mjpeg, (480, 270), False),
        ("MJPEG 640×360 → tile 320×180 (lowres 1)", "mjpeg", mjpeg, (320, 180), False),
        ("MJPEG 640×360 → tile 960×540 (not enlarged)", "mjpeg", mjpeg, (960, 540), False),
        ("H.264 1280×720 → tile 480×270", "h264", h264, (480, 270), False),
        ("H.264 1280×720 → tile 960×540", "h264", h264, (960, 540), False),
    ]
    print(f"{'case':52} {'out':>9} {'ms/pic':>7} {'core@15':>8} {'core@25':>8}")
    for label, codec, packets, box, only in cases:
        measure(codec, packets[:10], box, full_decode_only=only)  # warm up
        ms, size = measure(codec, packets, box, full_decode_only=only)
        print(f"{label:52} {size[0]:>4}×{size[1]:<4} {ms:7.2f} {ms * 15 / 10:7.1f}% "
              f"{ms * 25 / 10:7.1f}%")


if __name__ == "__main__":
    main()
