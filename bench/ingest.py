"""P1 and P2 of TARGETS.md: live ingest into the desk's event queue, and event-to-screen latency.

    python -m bench.ingest                   # full run: 100k prefill, 60 s at 5,000/s, 20 s at 500/s
    python -m bench.ingest --seconds 10      # shorter sustained phase

What it measures, all in one run on this machine:
- baseline: a raw `websockets` client doing recv + `orjson.loads` of a stream, as fast as it goes;
- ours, max: the console's path on the same stream — LiveFeedProcess (receive, parse,
  validate and batch in the feed's process; validate again here) →
  GUI thread → EventStore → EventQueueModel → sort/filter proxy → a shown QTableView — and the
  ratio of the two rates;
- P1 sustained: 100,000 events held, then 5,000 events/s for `--seconds`: the applied rate, the
  backlog, and GUI-thread stalls (gaps between ticks of a 5 ms probe timer on the GUI thread);
- P2: 500 events/s of new events: latency from the frame's publish time (its `at`) to the
  first repaint of the table after the batch was applied; level-1 events separately.

The stream is event templates taken from the real reference backend (`python -m backend`),
replayed by `bench.live_feeder` in its own process with consecutive seqs.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import orjson  # noqa: E402
import requests  # noqa: E402
from websockets.sync.client import connect  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# The repository root, not bench/ (whose queue.py would shadow the standard library's queue).
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from main import DemoBackend  # noqa: E402

TEMPLATES = 2000


# ---- The stream


def fetch_templates(workdir: Path) -> Path:
    """Events made by the real backend's simulator, saved as the feeder's templates."""
    backend = DemoBackend(workdir, rate=0)
    url = backend.start()
    try:
        session = requests.Session()
        token = session.post(f"{url}/api/v1/auth/login", json={"username": "admin", "password": "admin", "seat": "bench"}, timeout=10).json()["access_token"]
        session.headers["Authorization"] = f"Bearer {token}"
        session.post(f"{url}/api/v1/sim/events", json={"count": TEMPLATES}, timeout=120).raise_for_status()
        # The daily mix has almost no level-1 events; P2 measures them separately.
        session.post(f"{url}/api/v1/sim/events", json={"count": TEMPLATES // 50, "level": 1},
                     timeout=120).raise_for_status()
        events, cursor = [], None
        while True:
            params = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
            page = session.get(f"{url}/api/v1/events", params=params, timeout=30).json()
            events += page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                break
    finally:
        backend.stop()
    path = workdir / "templates.json"
    path.write_bytes(orjson.dumps(events))
    return path


class Feeder:
    """`bench.live_feeder` in its own process."""

    def __init__(self, templates: Path, workdir: Path, **options) -> None:
        self.port_file = workdir / f"feeder-{time.monotonic_ns()}.port"
        args = [sys.executable, "-m", "bench.live_feeder", "--templates", str(templates), "--port-file", str(self.port_file)]
        for key, value in options.items():
            args += [f"--{key.replace('_', '-')}", str(value)]
        self.process = subprocess.Popen(args, cwd=ROOT)
        deadline = time.monotonic() + 30
        while not (self.port_file.exists() and self.port_file.read_text().strip()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("the feeder did not start")
            time.sleep(0.05)
        self.url = f"ws://127.0.0.1:{int(self.port_file.read_text())}/api/v1/live"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def baseline_rate(templates: Path, workdir: Path, count: int) -> float:
    """Raw websockets recv + orjson.loads of `count` frames, as fast as they come."""
    feeder = Feeder(templates, workdir, rate=0, count=count)
    try:
        with connect(feeder.url, max_size=None, compression=None) as ws:
            received = 0
            start = None
            while received < count:
                message = orjson.loads(ws.recv())
                if message["type"] != "event.upsert":
                    continue
                if start is None:
                    start = time.perf_counter()
                received += 1
            return (count - 1) / (time.perf_counter() - start)
    finally:
        feeder.stop()


# ---- The console's path


class Desk:
    """The console's ingest path with a shown event queue, and the probes that measure it."""

    def __init__(self, url: str) -> None:
        from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer
        from PySide6.QtWidgets import QApplication

        from console.live import LiveUrl
        from console.live_process import LiveFeedProcess
        from console.mailbox import BatchMailbox
        from console.runtime import tune_garbage_collector
        from console.store import EventStore
        from views.bridge import MainThreadInvoker, SessionBridge
        from views.event_queue import EventQueueView

        tune_garbage_collector()  # as main.py does
        self.app = QApplication.instance() or QApplication([])
        self.store = EventStore()
        self.invoker = MainThreadInvoker()

        class NoSession:
            """The bridge's session side: nothing but the signals it forwards."""

            def __init__(self) -> None:
                from console.events import Signal

                self.sig_connection = Signal()
                self.sig_loaded = Signal()
                self.sig_error = Signal()
                self.sig_command_finished = Signal()
                self.sig_connectivity = Signal()
                self.sig_outbox = Signal()

        self.bridge = SessionBridge(NoSession(), self.store, self.invoker)
        self.view = EventQueueView(self.bridge)
        self.view.resize(1400, 900)
        self.view.show()
        self.applied = 0
        self.first_applied_at: float | None = None
        self.last_applied_at = 0.0
        self.pending: list[tuple[float, int]] = []  # (publish epoch, level) awaiting a repaint
        self.latencies: list[tuple[float, int]] = []
        self.gaps: list[float] = []
        self.measuring_latency = False

        desk = self

        class PaintProbe(QObject):
            def eventFilter(self, _obj, event):  # noqa: N802
                if event.type() == QEvent.Type.Paint and desk.pending:
                    batch, desk.pending = desk.pending, []
                    QTimer.singleShot(0, lambda: desk._painted(batch))
                return False

        self.paint_probe = PaintProbe()
        self.view.table.viewport().installEventFilter(self.paint_probe)

        self.clock = QElapsedTimer()
        self.clock.start()
        self.last_tick = 0
        self.probe = QTimer(interval=5, timerType=Qt.TimerType.PreciseTimer)
        self.probe.timeout.connect(self._tick)

        self.mailbox = BatchMailbox(self.invoker.call_paced, self._apply)  # as the desk does
        self.feed = LiveFeedProcess(LiveUrl(url), lambda: "bench", since_seq=0,  # as the desk
                                    on_batch=self.mailbox.put, on_state=lambda *_: None,
                                    on_resync=lambda: None)

    def _apply(self, batch) -> None:
        self.store.apply_batch(batch)
        now = time.perf_counter()
        if self.first_applied_at is None:
            self.first_applied_at = now
        self.last_applied_at = now
        self.applied += len(batch)
        if self.measuring_latency:
            for message in batch:
                self.pending.append((message.at.timestamp(), message.event.level))
            self.view.table.viewport().update()

    def _painted(self, batch) -> None:
        now = time.time()
        self.latencies.extend((now - at, level, at) for at, level in batch)

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        if self.last_tick:
            self.gaps.append((now - self.last_tick) / 1e6)
        self.last_tick = now

    def run_until(self, applied: int, timeout: float, every_second=None) -> None:
        """Run the real event loop until `applied` events are in the store (or `timeout`)."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        deadline = time.monotonic() + timeout
        next_second = time.perf_counter() + 1

        def check() -> None:
            nonlocal next_second
            if every_second is not None and time.perf_counter() >= next_second:
                every_second()
                next_second += 1
            if self.applied >= applied or time.monotonic() > deadline:
                loop.quit()

        watch = QTimer(interval=20)
        watch.timeout.connect(check)
        watch.start()
        loop.exec()
        watch.stop()

    def close(self) -> None:
        self.mailbox.close()
        self.feed.stop()
        self.probe.stop()
        self.bridge.detach()
        self.view.close()


def ours_max_rate(templates: Path, workdir: Path, count: int) -> float:
    feeder = Feeder(templates, workdir, rate=0, count=count)
    desk = Desk(feeder.url)
    try:
        desk.feed.start()
        desk.run_until(count, timeout=300)
        return (desk.applied - 1) / (desk.last_applied_at - desk.first_applied_at)
    finally:
        desk.close()
        feeder.stop()


def sustained(templates: Path, workdir: Path, prefill: int, rate: float, seconds: float) -> dict:
    feeder = Feeder(templates, workdir, prefill=prefill, rate=rate, seconds=seconds)
    desk = Desk(feeder.url)
    try:
        desk.feed.start()
        desk.run_until(prefill, timeout=300)
        held_before = len(desk.store)
        desk.gaps.clear()
        desk.probe.start()
        start_applied, start = desk.applied, time.perf_counter()
        backlog = []
        total = prefill + int(rate * seconds)

        def sample() -> None:
            expected = min(total - prefill, rate * (time.perf_counter() - start))
            backlog.append(expected - (desk.applied - start_applied))

        desk.run_until(total, timeout=seconds + 60, every_second=sample)
        elapsed = desk.last_applied_at - start
        gaps = sorted(desk.gaps)
        stalls = [g - 5.0 for g in gaps]
        return {
            "held_before": held_before,
            "held_after": len(desk.store),
            "applied": desk.applied - start_applied,
            "rate": (desk.applied - start_applied) / elapsed,
            "backlog_max": max(backlog) if backlog else 0,
            "stall_p99": max(0.0, stalls[int(len(stalls) * 0.99)]),
            "stall_max": max(0.0, stalls[-1]),
            "stalls_over_50": sum(1 for s in stalls if s > 50),
            "ticks": len(gaps),
        }
    finally:
        desk.close()
        feeder.stop()


def latency(templates: Path, workdir: Path, prefill: int, rate: float, seconds: float) -> dict:
    feeder = Feeder(templates, workdir, prefill=prefill, rate=rate, seconds=seconds, new_share=1.0)
    desk = Desk(feeder.url)
    try:
        desk.feed.start()
        desk.run_until(prefill, timeout=300)
        desk.measuring_latency = True
        since = time.time()
        desk.run_until(prefill + int(rate * seconds), timeout=seconds + 60)
        desk.run_until(sys.maxsize, timeout=0.3)
        # The feeder goes on to the 500/s phase as soon as it has sent the prefill, while the
        # desk may still be applying it: events published before the desk caught up measure
        # that catch-up, not the steady latency, and are counted apart.
        steady = [(lat, level) for lat, level, at in desk.latencies if at >= since]
        all_ms = sorted(lat * 1000 for lat, _ in steady)
        level1 = sorted(lat * 1000 for lat, level in steady if level == 1)
        return {"n": len(all_ms), "p50": _pct(all_ms, 50), "p99": _pct(all_ms, 99),
                "n_level1": len(level1), "level1_p99": _pct(level1, 99),
                "backlog": len(desk.latencies) - len(steady),
                "backlog_p50": _pct(sorted(lat * 1000 for lat, _, at in desk.latencies
                                           if at < since), 50)}
    finally:
        desk.close()
        feeder.stop()


def _pct(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(len(values) * pct / 100))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefill", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=5000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--burst", type=int, default=100_000, help="events in the max-rate runs")
    parser.add_argument("--latency-rate", type=float, default=500)
    parser.add_argument("--latency-seconds", type=float, default=20)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        workdir = Path(tmp)
        templates = fetch_templates(workdir)
        base = baseline_rate(templates, workdir, args.burst)
        ours = ours_max_rate(templates, workdir, args.burst)
        p1 = sustained(templates, workdir, args.prefill, args.rate, args.seconds)
        p2 = latency(templates, workdir, args.prefill, args.latency_rate, args.latency_seconds)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"# bench/ingest.py — {datetime.now().isoformat(timespec='seconds')}, {os.cpu_count()} cores")
    print(f"command: python -m bench.ingest {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    print()
    print("| figure | value | target | ratio to baseline |")
    print("|---|---|---|---|")
    print(f"| baseline: raw websockets recv + orjson.loads, {args.burst:,} frames | {base:,.0f} events/s | — | 1.00 |")
    print(f"| ours, max rate: feed → store → model → shown table, {args.burst:,} frames | {ours:,.0f} events/s | ≥ 0.5 of baseline | {ours / base:.2f} |")
    print(f"| P1 sustained rate, {p1['held_before']:,} held → {p1['held_after']:,}, {args.rate:,.0f}/s offered for {args.seconds:.0f} s | {p1['rate']:,.0f} events/s | ≥ 5,000 events/s | {p1['rate'] / base:.2f} |")
    print(f"| P1 largest backlog during the run | {p1['backlog_max']:,.0f} events | — | — |")
    print(f"| P1 GUI-thread stall p99 ({p1['ticks']:,} ticks of a 5 ms probe) | {p1['stall_p99']:.1f} ms | ≤ 16.7 ms | — |")
    print(f"| P1 GUI-thread stall max / count over 50 ms | {p1['stall_max']:.1f} ms / {p1['stalls_over_50']} | none over 50 ms | — |")
    print(f"| P2 publish → painted, {args.latency_rate:.0f}/s, {p2['n']:,} events: p50 | {p2['p50']:.0f} ms | ≤ 100 ms | — |")
    print(f"| P2 p99 | {p2['p99']:.0f} ms | ≤ 250 ms | — |")
    print(f"| P2 level-1 p99 ({p2['n_level1']:,} events) | {p2['level1_p99']:.0f} ms | ≤ 100 ms | — |")
    print(f"| P2 left out: published while the desk still applied the prefill "
          f"({p2['backlog']:,} events), p50 | {p2['backlog_p50']:.0f} ms | — | — |")
    print(f"| peak RSS of this process (all runs) | {rss:,.0f} MB | — | — |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
