"""P3 and P4 of TARGETS.md: the event queue at 100,000 events.

    python -m bench.queue                    # 100,000 events
    python -m bench.queue --events 20000     # a quicker look

What it measures, each part in a fresh process of its own (so that memory figures are clean),
on events made by the reference backend's simulator (`EventGenerator(seed).make`), spread
over three days and moved on into every status, with timelines of a few entries:

- P3: the time of a filter change (status, level, source, street, category, overdue, and the
  saved combination "open level 1–2"), of a sort by every column both ways, and of every
  keystroke of a search (Chinese and Latin words typed one character at a time, then
  cleared). "ours" is the desk's path: `EventQueueProxy.set_queue_filter` / `sort` /
  `set_text_filter` over `EventStore` + `EventQueueModel`, followed by a synchronous repaint
  of a shown 1400×900 `QTableView`; "index" is the core's `QueueIndex` alone. The baseline,
  in the same process: a NumPy mask over the same columns (`np.flatnonzero` of the
  filter's boolean mask; for a sort, `np.argsort` of the column's numeric key; for a
  search, `np.strings.find` over a fixed-width `U` array of the same search text).
- P4: VmRSS of a process holding the events: as a list of dicts (the baseline), as a list of
  pydantic `Event`s (what the store held before), in `EventStore` + `QueueIndex` (core only),
  and the console's queue: QApplication + store + model + proxy + shown table (no
  QtWebEngine). The events are loaded as the console loads them: validated into a list of
  `Event`s, made ready by `EventStore.prepare_load` (a REST thread's work in the console) and
  installed (`EventStore.install`, on the GUI thread), the list dropped. VmHWM is the peak.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import orjson  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from console.schema import CST  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=CST)
SEED = 7
#: Where events stand, as shares of the whole (most of three days' events are done).
STATUS_MIX = {"new": 6, "acknowledged": 6, "dispatched": 9, "signed": 6, "on_site": 5,
              "resolved": 14, "closed": 44, "returned": 5, "reopened": 5}
#: The timeline actions that bring an event to each status, after its report.
PATHS = {
    "new": (), "acknowledged": ("acknowledge",), "dispatched": ("acknowledge", "dispatch"),
    "signed": ("acknowledge", "dispatch", "sign"),
    "on_site": ("acknowledge", "dispatch", "sign", "arrive"),
    "resolved": ("acknowledge", "dispatch", "sign", "arrive", "resolve"),
    "closed": ("acknowledge", "dispatch", "sign", "arrive", "resolve", "close"),
    "returned": ("acknowledge", "dispatch", "return"),
    "reopened": ("acknowledge", "dispatch", "sign", "resolve", "close", "reopen"),
}
SEARCH_WORDS = ("梁溪区", "井盖", "中山路", "燃气泄漏", "EV-2", "1234", "wifi")


# ---- The events


def make_events(first: int, count: int) -> list[bytes]:
    """Events `first`..`first+count-1` of the bench's seed as JSON lines."""
    from backend.simulator.generator import EventGenerator

    generator = EventGenerator(SEED)
    rng = random.Random(first)
    statuses, weights = list(STATUS_MIX), list(STATUS_MIX.values())
    lines = []
    for n in range(first, first + count):
        reported = NOW - timedelta(seconds=rng.randrange(3 * 86400))
        event = generator.make(n, reported)
        status = rng.choices(statuses, weights)[0]
        at = datetime.fromisoformat(event["reported_at"])
        for action in PATHS[status]:
            at += timedelta(minutes=rng.randrange(1, 40))
            event["timeline"].append({"at": at.isoformat(), "actor": rng.choice(
                ("duty1", "leader1", "unit-城管", "unit-水务")), "action": action,
                "detail": "请牵头处置并及时反馈" if action == "dispatch" else ""})
        if "dispatch" in PATHS[status]:
            event["assignments"].append({
                "unit_id": "cgj", "role": "lead", "instructions": "请牵头处置并及时反馈",
                "status": "signed" if "sign" in PATHS[status] else "sent",
                "due_at": event["sla"]["sign_due"]})
        event.update(status=status, seq=n, version=len(event["timeline"]),
                     updated_at=at.isoformat())
        lines.append(orjson.dumps(event))
    return lines


def write_events(path: Path, count: int) -> None:
    chunk = 5000
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool, path.open("wb") as out:
        firsts = range(1, count + 1, chunk)
        for lines in pool.map(make_events, firsts, [min(chunk, count + 1 - f) for f in firsts]):
            out.write(b"\n".join(lines) + b"\n")


def read_lines(path: str) -> list[bytes]:
    with open(path, "rb") as data:
        return data.read().splitlines()


# ---- Measuring helpers


def memory() -> dict[str, float]:
    """VmRSS and VmHWM of this process, in MB."""
    found = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) / 1024
    return found


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50": statistics.median(ordered),
            "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
            "max": ordered[-1], "n": len(ordered)}


def catalog():
    from backend.catalog_data import build_catalog
    from console.schema import Catalog

    return Catalog.model_validate(build_catalog())


def load_store(path: str, store) -> tuple[float, float]:
    """Load the events as the console does: each decoded (orjson) and validated into a list
    (`ApiClient.all_events`), made ready with `prepare_load` (on a REST thread in the
    console), installed, the list dropped, then the live feed's first batch (one new event).
    Returns the seconds `prepare_load` and `install` (the GUI thread's part) took."""
    from console.schema import Event, LiveMessage

    events = [Event.model_validate(orjson.loads(line)) for line in read_lines(path)]
    start = time.perf_counter()
    load = store.prepare_load(events, len(events))
    prepared = time.perf_counter()
    store.install(load)
    took = (prepared - start, time.perf_counter() - prepared)
    del load
    first = events[0].model_copy(update={"id": "EV-LIVE-1", "seq": len(events) + 1})
    del events
    message = LiveMessage(seq=first.seq, type="event.upsert", at=NOW, data={})
    message.attach_event(first)
    store.apply_batch([message])
    gc.collect()
    return took


def shown_queue(store, now=None) -> tuple:
    """The desk's queue over `store`: (app, model, proxy, a shown 1400×900 table)."""
    from PySide6.QtWidgets import QApplication, QTableView

    from views.event_queue_model import EventQueueModel, EventQueueProxy

    app = QApplication.instance() or QApplication([])
    model = EventQueueModel(store)
    model.on_catalog()
    if now is not None:
        model.tick_sla(now)
    proxy = EventQueueProxy()
    proxy.setSourceModel(model)
    store.sig_reset.connect(model.on_reset)
    store.sig_inserted.connect(model.on_rows_inserted)
    view = QTableView()
    view.setModel(proxy)
    view.resize(1400, 900)
    view.show()
    app.processEvents()
    return app, model, proxy, view


# ---- P4 children


def child_rss(kind: str, path: str) -> dict:
    from console.runtime import settle_after_bulk_load, tune_garbage_collector
    from console.schema import Event

    tune_garbage_collector()
    result: dict = {"kind": kind}
    if kind == "dicts":
        held = [orjson.loads(line) for line in read_lines(path)]
    elif kind == "models":
        held = [Event.model_validate(orjson.loads(line)) for line in read_lines(path)]
    else:
        from console.queue_index import QueueIndex
        from console.store import EventStore

        result["before_load"] = memory()["VmRSS"]
        store = EventStore()
        store.set_catalog(catalog())
        if kind == "core":
            index = QueueIndex(store, lambda: {}, NOW)
            store.sig_reset.connect(index.refresh_all)
            store.sig_inserted.connect(index.appended)
            held = (store, index)
        else:
            app, model, proxy, view = shown_queue(store)
            result["before_load"] = memory()["VmRSS"]
            held = (app, store, model, proxy, view)
        result["prepare_s"], result["install_s"] = load_store(path, store)
        if kind == "console":
            app.processEvents()
        result["events"] = len(store)
    settle_after_bulk_load()
    gc.collect()
    result.update(memory())
    result["held"] = len(held)
    if kind in ("core", "console"):
        result.update(event_at_timings(store))  # after the memory figure: it churns the heap
    return result


def event_at_timings(store) -> dict:
    """µs per `event_at`: a painted row (cached) and a row not read for a while (decoded)."""
    rows = list(range(40))
    for row in rows:
        store.event_at(row)
    start = time.perf_counter()
    for _ in range(500):
        for row in rows:
            store.event_at(row)
    hit = (time.perf_counter() - start) / (500 * len(rows)) * 1e6
    population = range(min(1000, len(store) // 2), len(store))
    far = random.Random(1).sample(population, min(3000, len(population)))
    start = time.perf_counter()
    for row in far:
        store.event_at(row)
    miss = (time.perf_counter() - start) / len(far) * 1e6
    return {"event_at_cached_us": hit, "event_at_decoded_us": miss}


# ---- P3 child


class Baseline:
    """The same columns as plain NumPy arrays, for the baseline's masks and sorts."""

    def __init__(self, lines: list[bytes], names) -> None:
        import numpy as np

        from console.flow import RESOLVE_CLOCK_STATUSES, SIGN_CLOCK_STATUSES
        from console.schema import STATUSES

        codes = {kind: {} for kind in ("category", "source", "street")}
        columns = {kind: [] for kind in ("level", "status", "category", "source", "street",
                                         "reported", "sla", "title")}
        texts = []
        for line in lines:
            e = orjson.loads(line)
            street = e["location"].get("street_id") or ""
            columns["level"].append(e["level"])
            columns["status"].append(STATUSES.index(e["status"]))
            for kind, code in (("category", e["category"]), ("source", e["source"]),
                               ("street", street)):
                columns[kind].append(codes[kind].setdefault(code, len(codes[kind])))
            columns["reported"].append(datetime.fromisoformat(e["reported_at"]).timestamp())
            due = (e["sla"].get("sign_due") if e["status"] in SIGN_CLOCK_STATUSES else
                   e["sla"].get("resolve_due") if e["status"] in RESOLVE_CLOCK_STATUSES else None)
            columns["sla"].append(datetime.fromisoformat(due).timestamp() if due else np.inf)
            columns["title"].append(e["title"])
            texts.append("\n".join((e["id"], e["title"], e["location"]["address"],
                                    e["description"])).casefold())
        self.codes = codes
        self.columns = {kind: np.array(values) for kind, values in columns.items()
                        if kind != "title"}
        for kind in ("category", "source", "street"):
            ranks = {code: rank for rank, code in enumerate(sorted(
                codes[kind], key=lambda c, kind=kind: names[kind].get(c, c)))}
            by_id = np.array([ranks[c] for c in codes[kind]])
            self.columns[f"{kind}_key"] = by_id[self.columns[kind]]
        self.columns["title_key"] = np.unique(np.array(columns["title"]), return_inverse=True)[1]
        self.texts = np.array(texts, dtype=str)
        self.text_mb = self.texts.nbytes / 1e6

    def mask(self, queue_filter):
        import numpy as np

        from console.schema import STATUSES

        c = self.columns
        mask = np.ones(len(c["level"]), dtype=bool)
        if queue_filter.statuses is not None:
            mask &= np.isin(c["status"], [STATUSES.index(s) for s in queue_filter.statuses])
        if queue_filter.levels is not None:
            mask &= np.isin(c["level"], list(queue_filter.levels))
        for kind, wanted in (("source", queue_filter.sources), ("street", queue_filter.streets),
                             ("category", queue_filter.categories)):
            if wanted is not None:
                mask &= np.isin(c[kind], [self.codes[kind][w] for w in wanted
                                          if w in self.codes[kind]])
        if queue_filter.overdue:
            mask &= c["sla"] < NOW.timestamp()
        if queue_filter.text:
            mask &= np.strings.find(self.texts, queue_filter.text.casefold()) >= 0
        return np.flatnonzero(mask)

    def sort(self, key: str):
        import numpy as np

        column = self.columns.get(f"{key}_key", self.columns.get(key))
        return np.argsort(column, kind="stable")


def child_p3(path: str, repeats: int) -> dict:
    from PySide6.QtCore import Qt

    from console.queue_index import SORT_KEYS, QueueFilter, QueueIndex
    from console.runtime import settle_after_bulk_load, tune_garbage_collector
    from console.store import EventStore
    from views.event_queue_model import Column

    tune_garbage_collector()
    store = EventStore()
    store.set_catalog(catalog())
    app, model, proxy, view = shown_queue(store, NOW)
    index = QueueIndex(store, model.names, NOW)
    store.sig_reset.connect(index.refresh_all)
    store.sig_inserted.connect(index.appended)
    prepare_s, load_s = load_store(path, store)
    settle_after_bulk_load()
    baseline = Baseline(read_lines(path), model.names())
    app.processEvents()

    ours: dict[str, list[float]] = {}
    core: dict[str, list[float]] = {}
    base: dict[str, list[float]] = {}

    def measure(group: str, change, change_index, change_baseline) -> None:
        start = time.perf_counter()
        change()
        view.viewport().repaint()
        ours.setdefault(group, []).append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        change_index()
        core.setdefault(group, []).append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        change_baseline()
        base.setdefault(group, []).append((time.perf_counter() - start) * 1000)

    for _ in range(repeats * 3):  # the floor of "ours": painting the table, nothing changed
        measure("repaint only (no change)", lambda: None, lambda: None, lambda: None)

    safety = frozenset(c.code for c in store.catalog.categories
                       if c.code == "safety" or c.parent == "safety")
    filters = [
        ("filter: status all", QueueFilter(statuses=None)),
        ("filter: status open", QueueFilter()),
        ("filter: status dispatched", QueueFilter(statuses=frozenset({"dispatched"}))),
        ("filter: level 1", QueueFilter(statuses=None, levels=frozenset({1}))),
        ("filter: source 12345 + grid", QueueFilter(statuses=None,
                                                    sources=frozenset({"hotline_12345", "grid"}))),
        ("filter: street 崇安寺 + 清名桥", QueueFilter(statuses=None,
                                                  streets=frozenset({"chonganshi", "qingmingqiao"}))),
        ("filter: category 安全 (with children)", QueueFilter(statuses=None, categories=safety)),
        ("filter: overdue (open)", QueueFilter(overdue=True)),
        ("filter: saved \"open level 1–2\"", QueueFilter(levels=frozenset({1, 2}))),
    ]
    for _ in range(repeats):
        for group, queue_filter in filters:
            measure(group, lambda f=queue_filter: proxy.set_queue_filter(f),
                    lambda f=queue_filter: index.set_filter(f),
                    lambda f=queue_filter: baseline.mask(f))

    proxy.set_queue_filter(QueueFilter(statuses=None))
    index.set_filter(QueueFilter(statuses=None))
    for _ in range(repeats):
        for column, key in zip(Column, SORT_KEYS, strict=True):
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                descending = order == Qt.SortOrder.DescendingOrder
                group = f"sort: {key} {'desc' if descending else 'asc'}"
                measure(group, lambda c=column, o=order: proxy.sort(int(c), o),
                        lambda k=key, d=descending: index.set_sort(k, d),
                        lambda k=key: baseline.sort(k))

    proxy.sort(int(Column.REPORTED), Qt.SortOrder.DescendingOrder)
    index.set_sort("reported", True)
    proxy.set_queue_filter(QueueFilter())
    index.set_filter(QueueFilter())
    for _ in range(repeats):
        for word in SEARCH_WORDS:
            for typed in [word[: n] for n in range(1, len(word) + 1)] + [""]:
                group = f"search: {word}" if typed else "search: cleared"
                with_text = QueueFilter(text=typed)
                measure(group, lambda t=typed: proxy.set_text_filter(t),
                        lambda f=with_text: index.set_filter(f),
                        lambda f=with_text: baseline.mask(f))

    groups = {}
    for group in ours:
        groups[group] = {"ours": percentiles(ours[group]), "index": percentiles(core[group]),
                         "baseline": percentiles(base[group])}
    kinds = {}
    for kind in ("filter", "sort", "search"):
        picked = [g for g in ours if g.startswith(kind)]
        kinds[kind] = {name: percentiles([x for g in picked for x in source[g]])
                       for name, source in (("ours", ours), ("index", core), ("baseline", base))}
    return {"groups": groups, "kinds": kinds, "load_s": load_s, "prepare_s": prepare_s, "events": len(store),
            "open": proxy.rowCount(), "u_array_mb": baseline.text_mb, **memory()}


# ---- The parent


def run_child(*args: str) -> dict:
    answer = subprocess.run([sys.executable, "-m", "bench.queue", *args], cwd=ROOT, check=True,
                            stdout=subprocess.PIPE, text=True)
    return orjson.loads(answer.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=6, help="rounds of every change")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "p3":
        print(orjson.dumps(child_p3(args.data, args.repeats)).decode())
        return 0
    if args.child:
        print(orjson.dumps(child_rss(args.child, args.data)).decode())
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-queue-") as workdir:
        data = Path(workdir) / "events.jsonl"
        start = time.perf_counter()
        write_events(data, args.events)
        made_s = time.perf_counter() - start
        p3 = run_child("--child", "p3", "--data", str(data), "--repeats", str(args.repeats))
        rss = {kind: run_child("--child", kind, "--data", str(data))
               for kind in ("dicts", "models", "core", "console")}

    print(f"# bench/queue.py — {datetime.now().isoformat(timespec='seconds')}, "
          f"{os.cpu_count()} cores")
    print(f"command: python -m bench.queue {' '.join(argv if argv is not None else sys.argv[1:])}"
          .rstrip())
    print(f"{args.events:,} simulated events made in {made_s:.1f} s ({p3['open']:,} open); "
          f"full load: `prepare_load` {p3['prepare_s']:.2f} s (REST thread), `install` with "
          f"the queue following it {p3['load_s']:.2f} s (GUI thread)")
    print()
    print("## P3 — each change, ms (ours: proxy change + synchronous repaint of the shown "
          "table; index: QueueIndex alone; baseline: a NumPy mask/argsort over the same "
          "columns)")
    print()
    print("| change | ours p50 | ours p95 | ours max | index p95 | baseline p95 | ours p95 / baseline p95 |")
    print("|---|---|---|---|---|---|---|")
    for kind, label in (("filter", "all filter changes"), ("sort", "all sorts"),
                        ("search", "all search keystrokes")):
        f = p3["kinds"][kind]
        print(f"| **{label}** ({f['ours']['n']}) | {f['ours']['p50']:.1f} | "
              f"**{f['ours']['p95']:.1f}** | {f['ours']['max']:.1f} | {f['index']['p95']:.1f} | "
              f"{f['baseline']['p95']:.1f} | {f['ours']['p95'] / f['baseline']['p95']:.2f} |")
    for group, figures in p3["groups"].items():
        if group.startswith("repaint"):
            o = figures["ours"]
            print(f"| {group} | {o['p50']:.1f} | {o['p95']:.1f} | {o['max']:.1f} | — | — | — |")
            continue
        o, i, b = figures["ours"], figures["index"], figures["baseline"]
        print(f"| {group} | {o['p50']:.1f} | {o['p95']:.1f} | {o['max']:.1f} | {i['p95']:.1f} | "
              f"{b['p95']:.1f} | {o['p95'] / b['p95']:.2f} |")
    print()
    print(f"The baseline's fixed-width `U` array of the search text takes {p3['u_array_mb']:.0f} MB "
          f"(4 bytes per character of the longest row, for every row).")
    print()
    print("## P4 — memory of a fresh process holding the events, MB")
    print()
    print("| process | VmRSS | VmHWM (peak) | ratio to baseline |")
    print("|---|---|---|---|")
    base = rss["dicts"]["VmRSS"]
    for kind, label in (("dicts", "baseline: the events as a list of dicts"),
                        ("models", "a list of pydantic `Event`s (what the store held before)"),
                        ("core", "ours, core: EventStore + QueueIndex"),
                        ("console", "ours, console queue: Qt + store + model + proxy + shown table")):
        r = rss[kind]
        print(f"| {label} | {r['VmRSS']:,.0f} | {r['VmHWM']:,.0f} | {r['VmRSS'] / base:.2f} |")
    core, console = rss["core"], rss["console"]
    print()
    print(f"Before loading: core {core['before_load']:.0f} MB, console {console['before_load']:.0f} MB. "
          f"Full load of {console['events']:,} events: `prepare_load` {console['prepare_s']:.2f} s "
          f"(REST thread), `install` with the queue following it {console['install_s']:.2f} s "
          f"(GUI thread). `EventStore.event_at`: "
          f"{core['event_at_cached_us']:.2f} µs for a cached row, "
          f"{core['event_at_decoded_us']:.0f} µs for a row decoded from its JSON.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
