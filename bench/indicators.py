"""P9 of TARGETS.md, the core's part: indicators updating at 1 Hz on the GUI thread.

    python -m bench.indicators                       # 200 indicators, 60 s, 86,400 points
    python -m bench.indicators --seconds 10          # a quicker look

What it measures, in this process, on a board as the desk holds it (`IndicatorBoard`
following an `EventStore`'s `sig_other`), each indicator loaded with `--points` points of
history (1 Hz, the last day):

- apply: `--count` indicators each sending one `indicator.sample` a second for `--seconds`
  seconds of sample time. The samples are spread evenly over each second and handed over in
  the batches the desk's paced mailbox makes (one every 40 ms), as validated `LiveMessage`s
  (the live feed's reader thread validates them, not the GUI thread): what is timed is
  `EventStore.apply_batch` → `IndicatorBoard.apply_messages`, the GUI thread's share, as
  thread CPU time. "CPU per second" is that time divided by the seconds of samples applied;
  the target is at most 10 % of one core for the whole panel (this figure, plus painting).
  Baseline, in the same run: the least any consumer does with the same messages (the value
  and time of each put in a dict, and appended to a Python list per indicator).
- history: `IndicatorBoard.history(id)` of an indicator holding `--points` points (what a
  trend plot asks for), `history(id, since=an hour ago)` (a sparkline), and
  `same_time_yesterday`; median of many calls. Baseline: copying the same two arrays
  (`np.copy`), the least a reader that does not trust the board's arrays would do.

The GUI part of P9 (painting the indicator cards and trend plots) is added to this script by
the views' side; `make_board`, `sample_batches` and `apply_cpu` are meant to be reused there.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The repository root, not bench/ (whose queue.py would shadow the standard library's queue).
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import numpy as np  # noqa: E402

from console.indicators import INDICATOR_GROUPS, IndicatorBoard  # noqa: E402
from console.schema import CST, Indicator, LiveMessage  # noqa: E402
from console.store import EventStore  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=CST)
#: The desk's paced mailbox hands live data to the GUI thread at most this often.
BATCH_SECONDS = 0.04


def make_indicators(count: int) -> list[Indicator]:
    """`count` indicators over the dashboard's groups, thresholds at 80 and 100 above."""
    return [Indicator.model_validate({
        "id": f"ind-{n:03d}", "name": f"指标 {n}", "group": INDICATOR_GROUPS[n % 6],
        "unit": "件", "value": 50.0, "at": NOW, "state": "normal", "precision": 1,
        "thresholds": {"warning": 80.0, "alarm": 100.0, "direction": "above"},
        "interval": 1.0}) for n in range(count)]


def make_board(count: int, points: int, store: EventStore | None = None
               ) -> tuple[IndicatorBoard, EventStore]:
    """A board following `store` (a new one by default), loaded with `count` indicators of
    `points` points each: one a second up to NOW."""
    store = store if store is not None else EventStore()
    board = IndicatorBoard(store)
    end = NOW.timestamp()
    t = np.arange(end - points + 1, end + 1, dtype=np.float64)
    rng = np.random.default_rng(9)
    history = {}
    for indicator in make_indicators(count):
        history[indicator.id] = (t, 50 + 20 * np.sin(t / 3600 + rng.uniform(0, 6)))
    board.load(make_indicators(count), history)
    return board, store


def sample_batches(count: int, seconds: int, first_seq: int = 1) -> list[list[LiveMessage]]:
    """`count` indicators × one sample a second for `seconds` seconds after NOW, spread
    evenly over each second, grouped into the mailbox's 40 ms batches. About 2 % of the
    samples cross a threshold (state changes, a few breaches)."""
    per_batch: dict[int, list[LiveMessage]] = {}
    rng = np.random.default_rng(5)
    seq = first_seq
    for second in range(1, seconds + 1):
        for n in range(count):
            offset = n / count
            at = NOW + timedelta(seconds=second + offset)
            value = float(50 + 20 * rng.standard_normal())
            state = "alarm" if value >= 100 else "warning" if value >= 80 else "normal"
            message = LiveMessage.model_validate({
                "seq": seq, "type": "indicator.sample", "at": at.isoformat(),
                "data": {"id": f"ind-{n:03d}", "value": round(value, 1),
                         "at": at.isoformat(), "state": state}})
            per_batch.setdefault(int((second + offset) / BATCH_SECONDS), []).append(message)
            seq += 1
    return [per_batch[key] for key in sorted(per_batch)]


def apply_cpu(store: EventStore, batches: list[list[LiveMessage]]) -> float:
    """Thread CPU seconds of applying `batches` through the store (and whatever follows it)."""
    started = time.thread_time()
    for batch in batches:
        store.apply_batch(batch)
    return time.thread_time() - started


def baseline_cpu(batches: list[list[LiveMessage]]) -> float:
    latest: dict[str, tuple[float, str]] = {}
    series: dict[str, list[tuple[str, float]]] = {}
    started = time.thread_time()
    for batch in batches:
        for message in batch:
            data = message.data
            latest[data["id"]] = (data["value"], data["at"])
            series.setdefault(data["id"], []).append((data["at"], data["value"]))
    return time.thread_time() - started


def median_call_us(fn, repeat: int = 2000) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="indicators")
    parser.add_argument("--seconds", type=int, default=60, help="seconds of samples")
    parser.add_argument("--points", type=int, default=86_400, help="history points each")
    args = parser.parse_args(argv)

    print(f"loading {args.count} indicators × {args.points:,} points ...", flush=True)
    started = time.perf_counter()
    board, store = make_board(args.count, args.points)
    loaded = time.perf_counter() - started
    batches = sample_batches(args.count, args.seconds)
    samples = sum(len(b) for b in batches)
    breaches: list[str] = []
    board.sig_breach.connect(lambda indicator: breaches.append(indicator.id))

    ours = apply_cpu(store, batches)
    base = baseline_cpu(batches)
    assert len(board.history("ind-000")[0]) == args.points + args.seconds
    share = ours / args.seconds
    print(f"\nP9 core: apply {samples:,} samples ({args.count} indicators at 1 Hz for "
          f"{args.seconds} s) in {len(batches):,} batches of {BATCH_SECONDS * 1000:.0f} ms; "
          f"{len(breaches)} breaches announced")
    print(f"  baseline (dict + list append of the same messages): {base * 1000:8.1f} ms CPU "
          f"= {base / args.seconds * 100:.3f} % of one core")
    print(f"  ours (EventStore.apply_batch → IndicatorBoard):      {ours * 1000:8.1f} ms CPU "
          f"= {share * 100:.3f} % of one core  (target ≤ 10 % with painting; "
          f"ratio to baseline {ours / base:.1f})")
    print(f"  per sample: {ours / samples * 1e6:.1f} µs; per batch: "
          f"{ours / len(batches) * 1000:.3f} ms")
    print(f"  (load of {args.count} × {args.points:,} points: {loaded:.2f} s)")

    target = "ind-007"
    since = NOW.timestamp() + args.seconds - 3600
    t, v = board.history(target)
    now = NOW.timestamp() + args.seconds
    full = median_call_us(lambda: board.history(target))
    hour = median_call_us(lambda: board.history(target, since=since))
    yesterday = median_call_us(lambda: board.same_time_yesterday(target, now))
    copy = median_call_us(lambda: (np.copy(t), np.copy(v)))
    print(f"\nP9 core: reading an indicator of {len(t):,} points (median of 2,000 calls)")
    print(f"  baseline (np.copy of t and v): {copy:8.1f} µs")
    print(f"  history(id):                   {full:8.1f} µs  ratio {full / copy:.3f}")
    print(f"  history(id, since=1 h ago):    {hour:8.1f} µs  ratio {hour / copy:.3f}")
    print(f"  same_time_yesterday:           {yesterday:8.1f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
