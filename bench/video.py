"""P7 of TARGETS.md: the video wall with 16 and 36 tiles of 640×360 MJPEG at 15 fps.

    python -m bench.video                    # 16 then 36 tiles, 20 s each, replayed streams
    python -m bench.video --seconds 10 --tiles 16
    python -m bench.video --source backend   # the reference backend's live streams instead

The streams (default `--source replay`): a light replay server in a subprocess of this bench
(`--serve`, asyncio, one thread) that pre-encodes 60 distinct 640×360 JPEGs once (Pillow,
moving content, ~30 KiB like the backend's sub streams) and serves each tile its own URL as
multipart/x-mixed-replace at exactly 15 fps (an absolute schedule per connection; a tick it
could not keep is skipped, not sent late in a burst), counting the parts it wrote per
connection: "frames sent" is exact. Its CPU is measured separately (/proc). With
`--source backend` the reference backend is started instead (its demo cameras, dropouts
off) and "sent" is its producers' counters (GET /api/v1/sim/streams, approximate: the
backend draws and encodes live on the same cores and skips frames under load).

The console, in this process and offscreen: a 1920×1080 `VideoWall` (views/video_wall.py,
the one the desk shows) plays N cameras; every tile is at most 720×405 device pixels, so
each plays its `sub` stream, decoded in its reader thread at the tile's size. Once every
tile is live, for `--seconds`:

- frames shown: distinct frames the tiles painted (`VideoTile.frames_painted`: counted in
  paintEvent, not polls), per tile min / median / max, and the total as a share of sent;
- CPU: this process (process_time: reader threads, decoding, GUI thread, painting), its GUI
  thread alone (thread_time), and the stream server's process, in cores.

Baseline (TARGETS.md: "full-size decode of the same JPEGs with no display"): the same JPEGs
decoded full size by PyAV's mjpeg decoder (one thread) in a loop, no scaling, no display; its
CPU per frame × 15 fps × N is what decoding alone costs for N tiles.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FPS = 15
TICK = os.sysconf("SC_CLK_TCK")
SIZE = (640, 360)
REPLAY_FRAMES = 60
BOUNDARY = b"hallframe"


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process `pid` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# ---- the replay server (runs in a subprocess: `python -m bench.video --serve`)


def make_jpegs(count: int = REPLAY_FRAMES, size: tuple[int, int] = SIZE) -> list[bytes]:
    """`count` distinct JPEGs of moving content (a sweeping bar, a bouncing box, a counter)."""
    from PIL import Image, ImageDraw

    w, h = size
    base = Image.linear_gradient("L").resize(size).convert("RGB")
    jpegs = []
    for n in range(count):
        image = base.copy()
        draw = ImageDraw.Draw(image)
        x = n * w // count
        draw.rectangle((x, 0, x + 40, h), fill=(40, 120, 200))
        y = abs((n * 12) % (2 * (h - 80)) - (h - 80))
        draw.rectangle((w - 200, y, w - 120, y + 80), fill=(220, 80, 40))
        for k in range(0, w, 32):  # some detail, so the size is like a camera's
            draw.line((k, 0, (k + n * 3) % w, h), fill=((k * 7) % 255, 200, (n * 4) % 255))
        draw.text((20, 20), f"frame {n:03d}", fill=(255, 255, 255))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
        jpegs.append(out.getvalue())
    return jpegs


def serve(port: int, fps: float) -> None:
    """Serve /cam/<anything> as MJPEG at `fps` (each connection its own absolute schedule),
    GET /stats as JSON: per path, the parts written and the ticks skipped."""
    jpegs = make_jpegs()
    parts = [(b"--%s\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n"
              % (BOUNDARY, len(j))) + j + b"\r\n" for j in jpegs]
    counts: dict[str, dict[str, int]] = {}
    period = 1.0 / fps

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1].decode("latin-1")
            if path == "/stats":
                body = json.dumps({"counts": counts, "cpu": time.process_time()}).encode()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
                await writer.drain()
                return
            if not path.startswith("/cam/"):
                writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
                return
            entry = counts.setdefault(path, {"sent": 0, "skipped": 0, "connections": 0})
            entry["connections"] += 1
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary="
                         + BOUNDARY + b"\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
            loop = asyncio.get_running_loop()
            phase = sum(path.encode()) % len(parts)  # tiles do not show the same frame
            start = loop.time()
            tick = 0
            while True:
                writer.write(parts[(phase + tick) % len(parts)])
                await writer.drain()
                entry["sent"] += 1
                tick += 1
                late = loop.time() - (start + tick * period)
                if late > period:  # missed whole ticks: skip them, no burst
                    missed = int(late / period)
                    entry["skipped"] += missed
                    tick += missed
                await asyncio.sleep(max(0.0, start + tick * period - loop.time()))
        except (ConnectionError, asyncio.IncompleteReadError, IndexError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port)
        print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


class ReplayServer:
    """The replay server in a subprocess; `url(n)`, `sent()` by path, `pid`, `stop()`."""

    def __init__(self, fps: float = FPS) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.video", "--serve",
                                      "--fps", str(fps)], cwd=ROOT, stdout=subprocess.PIPE,
                                     text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"replay server did not start: {line!r}")
        self.port = int(line.split()[1])
        self.pid = self.proc.pid

    def url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.port}/cam/{n:02d}"

    def counts(self) -> dict[str, dict[str, int]]:
        import requests

        return requests.get(f"http://127.0.0.1:{self.port}/stats", timeout=10).json()["counts"]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# ---- the console side


def spin(app, seconds: float) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def wait_for(app, what, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if what():
            return True
        spin(app, 0.1)
    return what()


def run_wall(app, board, headers, ids: list[str], sent_of, server_pid: int,
             seconds: float) -> dict:
    """Play cameras `ids` on a 1920×1080 wall; `sent_of()` → {camera id: (sent, skipped)}."""
    from views.video_wall import VideoWall

    tiles = len(ids)
    wall = VideoWall(board, headers, state_path="")
    wall.resize(1920, 1080)
    wall.show()
    wall.model.set_layout("16" if tiles <= 16 else "36")
    for index, camera_id in enumerate(ids):
        wall.model.assign(index, camera_id)
    try:
        spin(app, 0.5)
        profiles = {wall.profile_of(i) for i in range(tiles)}
        sizes = {wall.tile(i).size().toTuple() for i in range(tiles)}
        live = wait_for(app, lambda: all(wall.tile(i).shown_state() == "live"
                                         for i in range(tiles)), 30)
        spin(app, 2.0)  # settle
        readers = [wall.reader(i) for i in range(tiles)]
        before = [r.stats() for r in readers]
        painted0 = [wall.tile(i).frames_painted() for i in range(tiles)]
        sent0 = sent_of()
        cpu0, scpu0, t0 = time.process_time(), proc_cpu(server_pid), time.monotonic()
        gui0 = time.thread_time()
        spin(app, seconds)
        cpu1, scpu1, t1 = time.process_time(), proc_cpu(server_pid), time.monotonic()
        gui1 = time.thread_time()
        sent1 = sent_of()
        painted1 = [wall.tile(i).frames_painted() for i in range(tiles)]
        after = [r.stats() for r in readers]
        load = load_average()
    finally:
        wall.shutdown()
        wall.deleteLater()
        spin(app, 0.2)
    elapsed = t1 - t0
    shown = [b - a for a, b in zip(painted0, painted1, strict=True)]
    decoded = [a.frames_decoded - b.frames_decoded for a, b in zip(after, before, strict=True)]
    sent = [sent1.get(c, (0, 0))[0] - sent0.get(c, (0, 0))[0] for c in ids]
    skipped = sum(sent1.get(c, (0, 0))[1] - sent0.get(c, (0, 0))[1] for c in ids)
    return {"tiles": tiles, "live": live, "profiles": profiles, "sizes": sizes,
            "seconds": elapsed, "shown": shown, "decoded": decoded, "sent": sent,
            "skipped": skipped, "nominal": FPS * elapsed, "load": load,
            "cpu": (cpu1 - cpu0) / elapsed, "gui_cpu": (gui1 - gui0) / elapsed,
            "server_cpu": (scpu1 - scpu0) / elapsed}


def baseline(jpegs: list[bytes], rounds: int) -> float:
    """CPU seconds per full-size decode of these JPEGs (PyAV mjpeg, one thread, no display)."""
    import av

    decoder = av.CodecContext.create("mjpeg", "r")
    decoder.thread_count = 1
    frames = 0
    t0 = time.process_time()
    for _ in range(rounds):
        for data in jpegs:
            for _frame in decoder.decode(av.Packet(data)):
                frames += 1
    return (time.process_time() - t0) / max(1, frames)


def report(r: dict, per_frame: float, server: str) -> None:
    tiles = r["tiles"]
    sent_total = sum(r["sent"])
    shown_total = sum(r["shown"])
    print(f"== {tiles} tiles (tile {sorted(r['sizes'])[0]} px, profiles "
          f"{sorted(p or '-' for p in r['profiles'])}, all live: {r['live']}; "
          f"load average {r['load']})")
    print(f"  frames sent by the {server}: {sent_total} "
          f"({sent_total / tiles / r['seconds']:.2f} fps per stream; nominal "
          f"{r['nominal'] * tiles:.0f}; skipped {r['skipped']})")
    print(f"  frames decoded: {sum(r['decoded'])}; painted (shown): {shown_total} = "
          f"{100 * shown_total / max(1, sent_total):.1f} % of sent, "
          f"{100 * shown_total / (r['nominal'] * tiles):.1f} % of nominal")
    shares = sorted(s / max(1, n) for s, n in zip(r["shown"], r["sent"], strict=True))
    print(f"  per tile shown/sent: min {100 * shares[0]:.1f} %, "
          f"median {100 * statistics.median(shares):.1f} %, max {100 * shares[-1]:.1f} %")
    print(f"  CPU: console {r['cpu']:.2f} cores (GUI thread {r['gui_cpu']:.2f}); "
          f"{server} {r['server_cpu']:.2f} cores; "
          f"baseline decode for {tiles} streams {per_frame * FPS * tiles:.2f} cores\n")


def replay_cameras(server: ReplayServer, count: int) -> list:
    from console.schema import Camera, CameraStream

    return [Camera(id=f"replay-{n:02d}", name=f"Replay {n:02d}", location=(120.3, 31.5),
                   streams=[CameraStream(profile="sub", kind="mjpeg", url=server.url(n),
                                         width=SIZE[0], height=SIZE[1], fps=FPS)])
            for n in range(count)]


def main_replay(app, args) -> None:
    from console.cameras import CameraBoard

    server = ReplayServer()
    try:
        board = CameraBoard()
        board.load(replay_cameras(server, max(args.tiles)))
        jpegs = make_jpegs()
        per_frame = baseline(jpegs, 5)
        print(f"machine: {os.cpu_count()} cores; GIL switch interval "
              f"{sys.getswitchinterval() * 1000:g} ms; replay server pid {server.pid} "
              f"({len(jpegs)} JPEGs, {sum(map(len, jpegs)) // len(jpegs) // 1024} KiB each); "
              f"{args.seconds:g} s per run\n")
        print(f"baseline: full-size decode of the replayed JPEGs (640×360): "
              f"{per_frame * 1e3:.2f} ms CPU per frame = "
              f"{per_frame * FPS:.3f} cores per 15 fps stream\n")

        def sent_of() -> dict[str, tuple[int, int]]:
            counts = server.counts()
            out = {}
            for n in range(max(args.tiles)):
                entry = counts.get(f"/cam/{n:02d}", {})
                out[f"replay-{n:02d}"] = (entry.get("sent", 0), entry.get("skipped", 0))
            return out

        for tiles in args.tiles:
            spin(app, 1.0)
            ids = [c.id for c in board.all()[:tiles]]
            r = run_wall(app, board, None, ids, sent_of, server.pid, args.seconds)
            report(r, per_frame, "replay server")
    finally:
        server.stop()


def grab_jpegs(url: str, headers: dict, count: int) -> list[bytes]:
    """`count` JPEGs of one MJPEG stream (its parts, as the server sent them)."""
    import requests

    jpegs: list[bytes] = []
    with requests.get(url, headers=headers, stream=True, timeout=10) as answer:
        answer.raise_for_status()
        buf = b""
        for chunk in answer.iter_content(65536):
            buf += chunk
            while True:
                start = buf.find(b"\xff\xd8")
                end = buf.find(b"\xff\xd9", start + 2) if start >= 0 else -1
                if start < 0 or end < 0:
                    break
                jpegs.append(buf[start:end + 2])
                buf = buf[end + 2:]
            if len(jpegs) >= count:
                break
    return jpegs[:count]


def main_backend(app, args) -> None:
    import requests

    from backend.launcher import BackendProcess
    from console.api import ApiClient
    from console.cameras import CameraBoard

    workdir = Path(tempfile.mkdtemp(prefix="bench-video-"))
    backend = BackendProcess(workdir / "backend.db", log_file=workdir / "backend.log",
                             log_level="warning", units="off", indicators="off",
                             camera_dropouts="off")
    backend.start()
    api = ApiClient(backend.url)
    try:
        token = requests.post(f"{backend.url}/api/v1/auth/login", timeout=10, json={
            "username": "duty1", "password": "duty1", "seat": "bench"}).json()["access_token"]
        api.set_token_provider(lambda: token)
        admin_token = requests.post(f"{backend.url}/api/v1/auth/login", timeout=10, json={
            "username": "admin", "password": "admin", "seat": "bench"}).json()["access_token"]
        admin = {"Authorization": f"Bearer {admin_token}"}
        board = CameraBoard()
        board.load(api.cameras())
        print(f"machine: {os.cpu_count()} cores; GIL switch interval "
              f"{sys.getswitchinterval() * 1000:g} ms; backend pid {backend.pid}; "
              f"{len(board)} cameras; {args.seconds:g} s per run\n")
        sub = board.all()[0].stream("sub")
        jpegs = grab_jpegs(sub.url, api.auth_headers(), 60)
        per_frame = baseline(jpegs, 5)
        print(f"baseline: full-size decode of {len(jpegs)} sub JPEGs "
              f"({sum(map(len, jpegs)) // len(jpegs) // 1024} KiB each, 640×360): "
              f"{per_frame * 1e3:.2f} ms CPU per frame = "
              f"{per_frame * FPS:.3f} cores per 15 fps stream\n")

        def sent_of() -> dict[str, tuple[int, int]]:
            answer = requests.get(f"{backend.url}/api/v1/sim/streams", headers=admin,
                                  timeout=10)
            answer.raise_for_status()
            return {p["camera_id"]: (p["frames"], p["skipped"])
                    for p in answer.json()["producers"]
                    if p["profile"] == "sub" and p["kind"] == "mjpeg"}

        for tiles in args.tiles:
            spin(app, 3.0)  # the previous run's producers linger 2 s
            ids = [c.id for c in board.all()[:tiles]]
            r = run_wall(app, board, api.auth_headers, ids, sent_of, backend.pid, args.seconds)
            report(r, per_frame, "backend")
    finally:
        api.close()
        backend.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--tiles", type=int, nargs="*", default=[16, 36])
    parser.add_argument("--source", choices=("replay", "backend"), default="replay",
                        help="the streams: the bench's replay server (default) or the "
                             "reference backend's live ones")
    parser.add_argument("--switch-interval", type=float, default=None, metavar="MS",
                        help="sys.setswitchinterval for this process, ms (Python's is 5)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--fps", type=float, default=FPS, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.port, args.fps)
        return 0
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval / 1000)

    from PySide6.QtWidgets import QApplication

    from views.app_setup import apply_theme

    app = QApplication.instance() or QApplication([])
    apply_theme(app)
    if args.source == "replay":
        main_replay(app, args)
    else:
        main_backend(app, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
