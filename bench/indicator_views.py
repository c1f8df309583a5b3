"""P9 of TARGETS.md, the views' part: the dashboard and a trend window at 1 Hz, in real time.

    python -m bench.indicator_views                  # 200 indicators, 30 s, 86,400 points
    python -m bench.indicator_views --seconds 10     # a quicker look

A board as in `bench.indicators` (`--count` indicators of `--points` points each, one
sample a second per indicator, handed over in the mailbox's 40 ms batches) feeds, offscreen:

- the dashboard at 1920×1080 (desk type) and at 3840×2160 (wall type), each run for
  `--seconds` seconds of wall-clock time with its own refresh timer, batches delivered on
  time by a QTimer; plus a trend window of one indicator (24 h = `--points` points) open
  beside it. What is measured is the GUI thread's CPU time (`time.thread_time`) over the
  run, applying and painting included, divided by the seconds: the target is at most 10 %
  of one core. Baseline, in the same run: the same batches applied to a board with no view
  (the core's share), so the difference is what the views add.
- the trend window's redraw after a pan or zoom over `--points` points (median of 20).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.indicators import BATCH_SECONDS, NOW, make_board, sample_batches  # noqa: E402
from views.app_setup import apply_theme, install_translators  # noqa: E402
from views.bridge import IndicatorBridge, MainThreadInvoker  # noqa: E402
from views.indicator_dashboard import IndicatorDashboard  # noqa: E402
from views.indicator_trend import IndicatorTrendWindow  # noqa: E402


def run_live(app: QApplication, store, batches, seconds: float) -> float:
    """Deliver `batches` on time (one every 40 ms) for `seconds`; GUI-thread CPU seconds."""
    queue = list(batches)
    started_wall = time.monotonic()
    started_cpu = time.thread_time()
    timer = QTimer()
    timer.setInterval(round(BATCH_SECONDS * 1000))

    def tick() -> None:
        due = int((time.monotonic() - started_wall) / BATCH_SECONDS)
        while queue and due > 0:
            store.apply_batch(queue.pop(0))
            due -= 1

    timer.timeout.connect(tick)
    timer.start()
    while time.monotonic() - started_wall < seconds:
        app.processEvents()
        time.sleep(0.002)
    timer.stop()
    return time.thread_time() - started_cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="indicators")
    parser.add_argument("--seconds", type=int, default=30, help="seconds of each run")
    parser.add_argument("--points", type=int, default=86_400, help="history points each")
    args = parser.parse_args(argv)

    app = QApplication.instance() or QApplication([])
    apply_theme(app)
    translators = install_translators(app, "zh_CN")  # noqa: F841 - kept alive for the run
    invoker = MainThreadInvoker()
    print(f"{args.count} indicators × {args.points:,} points, one sample a second each, "
          f"runs of {args.seconds} s ...", flush=True)

    board, store = make_board(args.count, args.points)
    batches = sample_batches(args.count, args.seconds)
    base = run_live(app, store, batches, args.seconds)

    results = []
    for label, size, large in (("desk 1920×1080", (1920, 1080), False),
                               ("wall 3840×2160, large type", (3840, 2160), True)):
        board, store = make_board(args.count, args.points)
        bridge = IndicatorBridge(board, invoker)
        started = time.monotonic()
        clock = lambda started=started: NOW.timestamp() + time.monotonic() - started  # noqa: E731
        dashboard = IndicatorDashboard(bridge, clock=clock)
        dashboard.set_large(large)
        dashboard.resize(*size)
        dashboard.show()
        trend = IndicatorTrendWindow(bridge, "ind-007", clock=clock)
        trend.resize(1280, 720)
        trend.show()
        app.processEvents()
        cpu = run_live(app, store, sample_batches(args.count, args.seconds), args.seconds)
        visible = sum(1 for c in dashboard.cards() if not c.visibleRegion().isEmpty())
        results.append((label, cpu, visible, dashboard.last_refresh_seconds))
        trend.close()
        dashboard.close()
        bridge.detach()
        dashboard.deleteLater()
        app.processEvents()

    print(f"\nP9 views: GUI-thread CPU while {args.count} indicators update at 1 Hz "
          f"(target ≤ 10 % of one core)")
    print(f"  baseline (the board alone, no view):        {base / args.seconds * 100:6.2f} %")
    for label, cpu, visible, refresh in results:
        print(f"  dashboard {label:<27} {cpu / args.seconds * 100:6.2f} %  "
              f"({visible} cards in sight; one refresh of all {args.count}: "
              f"{refresh * 1000:.1f} ms) + a 24 h trend window of {args.points:,} points")

    board, _store = make_board(1, args.points)
    bridge = IndicatorBridge(board, invoker)
    trend = IndicatorTrendWindow(bridge, "ind-000", clock=lambda: NOW.timestamp())
    trend.resize(1600, 900)
    trend.show()
    app.processEvents()
    item = trend.plot.getPlotItem()
    draws = []
    for n in range(20):
        item.setXRange(NOW.timestamp() - 86400 + n * 2000, NOW.timestamp() - 30000 + n * 1500,
                       padding=0)
        started = time.perf_counter()
        trend.plot.grab()
        draws.append(time.perf_counter() - started)
    print(f"\nP9 views: trend window of {len(trend.series()[0]):,} points, redraw after a pan "
          f"or zoom: {statistics.median(draws) * 1000:.1f} ms (median of 20, 1600×900)")
    trend.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
