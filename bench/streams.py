"""The reference backend's demo camera streams: CPU per stream (picture + encode).

    python -m bench.streams                 # 150 frames of each stream
    python -m bench.streams --frames 50     # a quicker look

What it measures, in this process, one stream at a time, with the code the backend's producer
threads run (`backend/cameras/frames.py`, `streams.py`): for each of MJPEG and H.264 (the
HTTP-FLV streams: libx264 ultrafast/zerolatency, one thread) at `sub` 640×360 and `main`
1280×720, the process CPU time to draw and encode `--frames` frames. "Share of a core" is that
per frame times the stream's fps: what one watched stream costs the backend. Baseline, in the
same run: encoding the same picture made once (no drawing per frame), the least any server of
the stream would spend.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The repository root, not bench/ (whose queue.py would shadow the standard library's queue).
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import av  # noqa: E402

from backend.cameras.frames import FrameMaker  # noqa: E402
from backend.cameras.streams import JPEG_QUALITY, PROFILES, h264_encoder  # noqa: E402

NAME = "中山路·人民路口 球机"


def cpu_per_frame(kind: str, profile: str, frames: int, *, draw: bool) -> tuple[float, int]:
    """(CPU seconds per frame, bytes per frame) of drawing (or not) and encoding `frames`."""
    width, height, fps = PROFILES[profile]
    maker = FrameMaker("CAM-007", NAME, width, height)
    size = 0
    if kind == "mjpeg":
        fixed = maker.frame(0.0)
        t0 = time.process_time()
        for n in range(frames):
            out = io.BytesIO()
            (maker.frame(n / fps) if draw else fixed).save(out, "JPEG", quality=JPEG_QUALITY)
            size += out.tell()
    else:
        encoder = h264_encoder(width, height, fps)
        fixed = maker.yuv_frame(0.0)
        t0 = time.process_time()
        for n in range(frames):
            frame = av.VideoFrame.from_ndarray(maker.yuv_frame(n / fps) if draw else fixed,
                                               format="yuv420p")
            frame.pts = round(n * 1000 / fps)
            size += sum(p.size for p in encoder.encode(frame))
    return (time.process_time() - t0) / frames, size // frames


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=150)
    args = parser.parse_args(argv)
    print(f"camera streams: CPU per stream, {args.frames} frames each (process CPU time)\n")
    print(f"{'stream':<16}{'fps':>5}{'baseline ms/frame':>19}{'ours ms/frame':>15}"
          f"{'share of a core':>17}{'kB/frame':>10}{'ratio':>7}")
    for kind in ("mjpeg", "flv"):
        for profile in ("sub", "main"):
            fps = PROFILES[profile][2]
            cpu_per_frame(kind, profile, 5, draw=True)  # warm up (fonts, encoder)
            base, _ = cpu_per_frame(kind, profile, args.frames, draw=False)
            ours, size = cpu_per_frame(kind, profile, args.frames, draw=True)
            label = f"{'H.264' if kind == 'flv' else 'MJPEG'} {profile}"
            print(f"{label:<16}{fps:>5.0f}{base * 1e3:>19.2f}{ours * 1e3:>15.2f}"
                  f"{ours * fps:>16.1%}{size / 1024:>10.1f}{ours / base:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
