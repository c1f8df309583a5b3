"""The hall's event statistics at 100,000 events (`console.event_stats`).

    python -m bench.stats                    # 100,000 events
    python -m bench.stats --events 20000     # a quicker look

The events are `bench/queue.py`'s (made by the reference simulator, spread over the three
days before 2026-11-23 09:00 CST, moved on into every status), with what the statistics
read filled in as the backend records it: the lead's `signed_at` at its "sign" entry, and
`bounces` counting the "return" entries. They are loaded as the console loads them
(`prepare_load`, then `install` on the GUI thread) with an `EventStatsIndex` following the
store. Measured, on this thread as on the GUI thread:

- **compute**: `EventStatsIndex.compute()` — today's figures from the columns (target
  ≤ 50 ms); baseline, in the same run: the same figures counted in one Python pass over
  the events already decoded (a list of `Event`s in memory), as a panel without the columns
  would; the two must agree.
- **following the store**: what the index adds to the GUI thread's work when the store
  changes (its signal handlers, timed inside the signals): a full load (`install`; events
  finished before the day began are read for their status only) and a live change of 1,000
  events (`upsert` with newer copies, moved on now: read in full).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.queue import NOW, catalog, make_events  # noqa: E402
from console.schema import Event  # noqa: E402

CHUNK = 5000


def make_chunk(first: int, count: int) -> list[bytes]:
    """`bench/queue.py`'s events with the lead's `signed_at` and `bounces` filled in."""
    lines = []
    for line in make_events(first, count):
        event = orjson.loads(line)
        signs = [e["at"] for e in event["timeline"] if e["action"] == "sign"]
        for assignment in event["assignments"]:
            if assignment["role"] == "lead" and signs:
                assignment["signed_at"] = signs[-1]
            if event["status"] == "returned" and assignment["role"] == "lead":
                assignment["status"] = "returned"
        event["bounces"] = sum(e["action"] == "return" for e in event["timeline"])
        lines.append(orjson.dumps(event))
    return lines


def make_all(count: int) -> list[bytes]:
    firsts = list(range(1, count + 1, CHUNK))
    sizes = [min(CHUNK, count + 1 - f) for f in firsts]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return [line for chunk in pool.map(make_chunk, firsts, sizes) for line in chunk]


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50": statistics.median(ordered),
            "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
            "max": ordered[-1], "n": len(ordered)}


def baseline_pass(events: list[Event], now: datetime) -> dict:
    """Today's figures in one Python pass over decoded events, each figure as the module
    docstring of `console.event_stats` defines it (overdue with the desk's clocks)."""
    from console.clocks import is_overdue
    from console.event_stats import day_bounds, district_day
    from console.schema import OPEN_STATUSES

    start, end = (datetime.fromtimestamp(t, now.tzinfo) for t in day_bounds(district_day(now)))
    out = {"intake": 0, "done": 0, "open": 0, "overdue": 0, "returned": 0, "returns": 0,
           "sign": [0, 0], "resolve": [0, 0], "sources": {}, "categories": {}, "streets": {}}

    def count(key: str, at: datetime, in_time: bool) -> None:
        if start <= at < end and at <= now:
            out[key][1] += 1
            out[key][0] += in_time

    for event in events:
        if start <= event.reported_at < end:
            out["intake"] += 1
            out["done"] += event.status in ("resolved", "closed")
            for key, code in (("sources", event.source), ("categories", event.category),
                              ("streets", event.location.street_id or "")):
                out[key][code] = out[key].get(code, 0) + 1
        out["open"] += event.status in OPEN_STATUSES
        out["returned"] += event.status == "returned"
        out["returns"] += sum(start <= t.at < end for t in event.timeline
                              if t.action == "return")
        out["overdue"] += is_overdue(event, now)
        stop = None
        if event.status in ("resolved", "closed"):
            for entry in event.timeline:
                if entry.action == "reopen":
                    stop = None
                elif stop is None and entry.action in ("resolve", "close"):
                    stop = entry.at
            stop = stop or event.updated_at
        sign_due, resolve_due = event.sla.sign_due, event.sla.resolve_due
        leads = [a for a in event.assignments if a.role == "lead"]
        if leads and sign_due is not None:
            signed = next((a.signed_at for a in leads if a.signed_at is not None), None)
            if signed is not None and signed <= sign_due:
                count("sign", signed, True)
            elif not (signed is None and stop is not None and stop < sign_due):
                count("sign", sign_due, False)
        if resolve_due is not None:
            in_time = stop is not None and stop <= resolve_due
            count("resolve", stop if in_time else resolve_due, in_time)
    return out


def timed_index(store):
    """An `EventStatsIndex` on `store` whose store handlers are timed: returns the index and
    a list that gets the seconds of each handler call."""
    from console.event_stats import EventStatsIndex

    spent: list[float] = []
    index = EventStatsIndex(store, clock=lambda: NOW)
    for signal, handler in ((store.sig_inserted, index._inserted),
                            (store.sig_updated, index._updated),
                            (store.sig_reset, index._reset)):
        signal.disconnect(handler)

        def timed(*args, _handler=handler) -> None:
            started = time.perf_counter()
            _handler(*args)
            spent.append(time.perf_counter() - started)

        signal.connect(timed)
    return index, spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=40, help="computations measured")
    args = parser.parse_args(argv)

    from console.runtime import settle_after_bulk_load, tune_garbage_collector
    from console.store import EventStore

    tune_garbage_collector()
    started = time.perf_counter()
    lines = make_all(args.events)
    events = [Event.model_validate(orjson.loads(line)) for line in lines]
    del lines
    made_s = time.perf_counter() - started

    # A full load, the index following the store: the time its handler takes on the GUI
    # thread, measured inside the store's signal.
    store = EventStore()
    store.set_catalog(catalog())
    index, spent = timed_index(store)
    load = store.prepare_load(events, len(events))
    store.install(load)
    del load
    settle_after_bulk_load()
    gc.collect()
    full_load_s = spent.pop()

    computes = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        stats = index.compute()
        computes.append((time.perf_counter() - started) * 1000)
    baselines = []
    for _ in range(3):
        started = time.perf_counter()
        base = baseline_pass(events, NOW)
        baselines.append((time.perf_counter() - started) * 1000)
    agree = (base["intake"], base["done"], base["overdue"], base["returned"], base["returns"],
             tuple(base["sign"]), tuple(base["resolve"])) == (
        stats.intake, stats.closure.part, stats.overdue, stats.returned_now, stats.returns,
        (stats.sign_on_time.part, stats.sign_on_time.whole),
        (stats.resolve_on_time.part, stats.resolve_on_time.whole))

    # A live change: 1,000 events moved on now (newer copies, read in full).
    changed = [event.model_copy(update={"seq": event.seq + 10 * args.events,
                                        "status": "on_site", "updated_at": NOW})
               for event in events[:1000]]
    store.upsert(changed)
    live_ms = spent.pop() * 1000

    midnight = NOW.replace(hour=0, minute=0, second=0, microsecond=0)
    finished = sum(e.status in ("resolved", "closed") and e.updated_at < midnight
                   for e in events)
    c, b = percentiles(computes), percentiles(baselines)
    print(f"# bench/stats.py — {datetime.now().isoformat(timespec='seconds')}, "
          f"{os.cpu_count()} cores")
    print(f"command: python -m bench.stats {' '.join(argv if argv is not None else sys.argv[1:])}"
          .rstrip())
    print(f"{args.events:,} simulated events made in {made_s:.1f} s; today "
          f"({stats.day}, as of {NOW:%H:%M} CST): intake {stats.intake:,}, "
          f"{stats.open_now:,} open, {stats.overdue:,} overdue; {finished:,} finished before "
          f"today (read for their status only)")
    print()
    print("| figure | value | target | baseline | ratio |")
    print("|---|---|---|---|---|")
    print(f"| `compute()`, today's figures, ms p50 / p95 / max ({c['n']} runs) | "
          f"{c['p50']:.1f} / **{c['p95']:.1f}** / {c['max']:.1f} | ≤ 50 ms | "
          f"{b['p50']:.0f} (one Python pass over decoded events, p50 of {b['n']}) | "
          f"{c['p50'] / b['p50']:.3f} |")
    print(f"| following a full load of {args.events:,} events (the index's part of "
          f"`install`), s | {full_load_s:.2f} ({full_load_s / args.events * 1e6:.1f} µs an "
          f"event) | — | — | — |")
    print(f"| following a live change of 1,000 events (its part of `upsert`), ms | "
          f"{live_ms:.1f} ({live_ms:.1f} µs an event) | — | — | — |")
    print()
    print(f"The figures agree with the baseline's recount: {'yes' if agree else 'NO'} "
          f"(closure {stats.closure.part:,}/{stats.closure.whole:,}, sign-for on time "
          f"{stats.sign_on_time.part:,}/{stats.sign_on_time.whole:,}, resolve on time "
          f"{stats.resolve_on_time.part:,}/{stats.resolve_on_time.whole:,}, "
          f"{stats.returned_now:,} returned, {stats.returns:,} returns today).")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
