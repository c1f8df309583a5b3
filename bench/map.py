"""P8 of TARGETS.md: the map with 20,000 point features and 200 updates a second.

    python -m bench.map                  # phases of 20 s
    python -m bench.map --seconds 30

A MapView at 1920×1080 (offscreen, WebGL through SwiftShader) shows three point layers over
the Liangxi district: 12,000 events clustered by level (the operation map's style and
clusters), 5,000 cameras, 3,000 sensors. A Python QTimer makes 200 feature updates a second
(90 % moved or changed, 5 % added, 5 % removed; 60 % events, 25 % cameras, 15 % sensors).
Phases, `--seconds` each:

- baseline: a scripted pan and zoom (the centre circling, zoom swinging 11–15.5, one jump
  per animation frame) and no updates: the animation frames' intervals (frame time).
- updateData: the updates through `MapView.update_features` (one call each; the bridge
  merges them into ≤ 10 batches a second, the page applies them with updateData), the view
  still, then the same while panning and zooming.
- setData: what the console did before: each layer's whole GeoJSON re-sent with `set_layer`
  every 100 ms when it changed (setData of all 12,000 events), still, then panning.

Update-to-map latency: from the Python call that made a change to the end of the first
frame the page rendered with it. Measuring JavaScript is injected (nothing is added to the
page's own scripts): it wraps the page's `updateFeatures`/`setLayer` ops to note when each
was applied, and on every map 'render' marks as rendered then the `updateFeatures` ops that
resources/map/updates.js counts as drawn (`hallUpdates.shown`), and the `setLayer` ops whose
source has loaded all its tiles again (`map.isSourceLoaded`). Ops are matched to the Python
calls they carried by order per layer (the bench notes which calls went out in each batch).
After the load stops, the bench waits (up to DRAIN_S) until every change has been drawn.
Both clocks are this machine's wall clock (`time.time()` and `Date.now()`); the split into
Python queue (call → batch sent, Python clock) and page (applied → rendered, page clock) is
printed too. GUI-thread CPU: `time.thread_time()` of the Python GUI thread over the phase.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict, deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS",
                      "--use-gl=angle --use-angle=swiftshader --enable-unsafe-swiftshader")

import orjson  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from views.map_scheme import register_hall_scheme  # noqa: E402

register_hall_scheme()

from views.map_view import MapView  # noqa: E402
from views.operation_map import EVENT_CLUSTER, STYLES  # noqa: E402

CENTER = (120.30, 31.57)
SPREAD = (0.08, 0.05)  # ± degrees of lon, lat around CENTER
LAYERS = {  # layer -> (features, share of the updates)
    "events": (12_000, 0.60),
    "cameras": (5_000, 0.25),
    "sensors": (3_000, 0.15),
}
LAYER_STYLES = {
    "events": STYLES["events"],
    "cameras": {"type": "circle", "paint": {
        "circle-color": ["match", ["get", "status"], "down", "#8b949e", "#58a6ff"],
        "circle-radius": 3}},
    "sensors": {"type": "circle", "paint": {
        "circle-color": ["interpolate", ["linear"], ["get", "value"], 0, "#3fb950",
                         100, "#f85149"],
        "circle-radius": 3}},
}
CLUSTERS = {"events": EVENT_CLUSTER}
RATE = 200  # updates a second
REBUILD_MS = 100  # the setData phase: whole layers re-sent at most this often
DRAIN_S = 60  # after a phase's load, how long to wait for the map to draw the last changes

MEASURE_JS = """
(() => {
  const map = hallMap, ops = hallOps;
  const M = window.hallBench = { track: false, pending: [], done: [], frames: [], moving: false,
                                  count: {} };
  for (const name of ["updateFeatures", "setLayer"]) {
    const fn = ops[name];
    ops[name] = (op) => {
      const applied = Date.now();
      const n = name === "updateFeatures" ? (M.count[op.id] = (M.count[op.id] || 0) + 1) : 0;
      fn(op);
      if (M.track) M.pending.push([op.id, applied, n]);
    };
  }
  function settle() {
    // updateFeatures: drawn once updates.js counts it shown; setLayer: once the source has
    // loaded all its tiles again.
    if (!M.pending.length) return;
    const now = Date.now(), keep = [];
    for (const p of M.pending) {
      const drawn = p[2] ? hallUpdates.shown(p[0]) >= p[2] : map.isSourceLoaded(p[0]);
      if (drawn) M.done.push([p[0], p[1], now]); else keep.push(p);
    }
    M.pending = keep;
  }
  map.on("render", settle);
  map.on("idle", settle);
  M.take = () => { const out = JSON.stringify({ done: M.done, frames: M.frames,
                                                pending: M.pending.length });
                   M.done = []; M.frames = []; return out; };
  M.startMotion = (seconds) => {
    const t0 = performance.now();
    let last = null;
    M.moving = true;
    function step(now) {
      if (last !== null) M.frames.push(now - last);
      last = now;
      const s = (now - t0) / 1000;
      if (s > seconds) { M.moving = false; return; }
      const a = s * 0.5;
      map.jumpTo({ center: [120.30 + 0.03 * Math.cos(a), 31.57 + 0.02 * Math.sin(a)],
                   zoom: 13.25 + 2.25 * Math.sin(s * 0.4) });
      requestAnimationFrame(step);
    }
    requestAnimationFrame(step);
  };
  return true;
})()
"""


def make_layers(rng: random.Random) -> dict[str, dict[str, dict]]:
    """layer -> feature id -> Feature, spread over the district."""
    layers = {}
    for layer, (count, _share) in LAYERS.items():
        layers[layer] = {}
        for n in range(count):
            fid = f"{layer[:3]}-{n}"
            layers[layer][fid] = make_feature(rng, layer, fid)
    return layers


def make_feature(rng: random.Random, layer: str, fid: str, near=None) -> dict:
    if near is None:
        lon = CENTER[0] + rng.uniform(-SPREAD[0], SPREAD[0])
        lat = CENTER[1] + rng.uniform(-SPREAD[1], SPREAD[1])
    else:
        lon = near[0] + rng.uniform(-0.0005, 0.0005)
        lat = near[1] + rng.uniform(-0.0005, 0.0005)
    if layer == "events":
        props = {"id": fid, "level": rng.choices((1, 2, 3, 4), (1, 3, 6, 10))[0]}
    elif layer == "cameras":
        props = {"id": fid, "status": "down" if rng.random() < 0.05 else "ok"}
    else:
        props = {"id": fid, "value": round(rng.uniform(0, 100), 1)}
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}}


def collection(features: dict[str, dict]) -> bytes:
    return orjson.dumps({"type": "FeatureCollection", "features": list(features.values())})


def wait(app: QApplication, seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def js(view: MapView, script: str, timeout: float = 30.0):
    box = []
    loop = QEventLoop()

    def got(value) -> None:
        box.append(value)
        loop.quit()

    view.page().runJavaScript(script, 0, got)
    QTimer.singleShot(round(timeout * 1000), loop.quit)
    if not box:
        loop.exec()
    if not box:
        raise TimeoutError(script[:80])
    return box[0]


def wait_for(app: QApplication, view: MapView, script: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not js(view, script):
        if time.monotonic() > deadline:
            raise TimeoutError(script)
        wait(app, 0.2)


class Load:
    """200 updates a second from a QTimer, through update_features (`mode` "diff") or by
    re-sending whole layers every REBUILD_MS (`mode` "whole"); notes which calls each batch
    carried, per layer."""

    def __init__(self, view: MapView, layers: dict[str, dict[str, dict]], mode: str,
                 rng: random.Random) -> None:
        self.view, self.layers, self.mode, self.rng = view, layers, mode, rng
        self.staged: dict[str, list[float]] = defaultdict(list)  # handed to the view
        self.changed: dict[str, list[float]] = defaultdict(list)  # whole mode: not yet
        self.sent: dict[str, deque] = defaultdict(deque)  # per op: (sent at, [call times])
        self.calls = 0
        self.next_id = 1_000_000
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self.tick)
        self.rebuild = QTimer()
        self.rebuild.setInterval(REBUILD_MS)
        self.rebuild.timeout.connect(self.resend)
        view.bridge.updates.connect(self.batch_sent)
        self.names = list(LAYERS)
        self.weights = [share for _count, share in LAYERS.values()]

    def start(self) -> None:
        self.started = time.monotonic()
        self.timer.start()
        if self.mode == "whole":
            self.rebuild.start()

    def stop(self) -> None:
        self.timer.stop()
        self.rebuild.stop()
        if self.mode == "whole":
            self.resend()

    def close(self) -> None:
        self.view.bridge.updates.disconnect(self.batch_sent)

    def tick(self) -> None:
        due = int((time.monotonic() - self.started) * RATE) - self.calls
        for _ in range(max(0, due)):
            self.one()

    def one(self) -> None:
        rng = self.rng
        layer = rng.choices(self.names, self.weights)[0]
        features = self.layers[layer]
        roll = rng.random()
        upserts, removed = [], []
        if roll < 0.05 or len(features) < 100:  # a new one
            fid = f"{layer[:3]}-{self.next_id}"
            self.next_id += 1
            feature = make_feature(rng, layer, fid)
            features[fid] = feature
            upserts.append(feature)
        else:
            fid = self.pick(features)
            if roll < 0.10:
                del features[fid]
                removed.append(fid)
            else:  # moved, and its properties changed
                old = features[fid]
                feature = make_feature(rng, layer, fid, near=old["geometry"]["coordinates"])
                features[fid] = feature
                upserts.append(feature)
        now = time.time()
        self.calls += 1
        if self.mode == "diff":
            self.view.update_features(layer, upserts, removed)
            self.staged[layer].append(now)
        else:
            self.changed[layer].append(now)

    def pick(self, features: dict[str, dict]) -> str:
        # A feature at random without listing the dict each time: ids of the first ones.
        keys = getattr(self, "_keys", None)
        if keys is None or self.rng.random() < 0.01:
            keys = self._keys = list(features)
        fid = self.rng.choice(keys)
        return fid if fid in features else next(iter(features))

    def resend(self) -> None:
        for layer, calls in list(self.changed.items()):
            if not calls:
                continue
            self.view.set_layer(layer, collection(self.layers[layer]), LAYER_STYLES[layer],
                                clickable=layer == "events", cluster=CLUSTERS.get(layer))
            self.staged[layer].extend(calls)
            self.changed[layer] = []

    def batch_sent(self, _text: str) -> None:
        now = time.time()
        for layer, calls in self.staged.items():
            if calls:
                self.sent[layer].append((now, calls))
        self.staged = defaultdict(list)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def run_phase(app: QApplication, view: MapView, layers, label: str, seconds: float,
              mode: str | None, motion: bool, rng: random.Random) -> dict:
    load_before = os.getloadavg()[0]
    js(view, "hallBench.take(); hallBench.track = true")
    load = Load(view, layers, mode, rng) if mode else None
    cpu0, wall0 = time.thread_time(), time.monotonic()
    if motion:
        js(view, f"hallBench.startMotion({seconds}); true")
    if load:
        load.start()
    wait(app, seconds)
    if load:
        load.stop()
    cpu = time.thread_time() - cpu0
    wall = time.monotonic() - wall0
    drain = time.monotonic()
    wait(app, 0.5)  # the last batch goes out
    while js(view, "hallBench.pending.length") and time.monotonic() - drain < DRAIN_S:
        wait(app, 0.25)  # until the map has drawn every change (or gave up)
    drain = time.monotonic() - drain
    js(view, "hallBench.track = false")
    taken = json.loads(js(view, "hallBench.take()"))
    result = {"label": label, "frames": taken["frames"], "cpu": cpu / wall,
              "load": (load_before, os.getloadavg()[0]), "latency": [], "queue": [],
              "page": [], "unmatched": taken["pending"], "calls": 0, "drain": drain}
    if load:
        load.close()
        result["calls"] = load.calls
        by_layer = defaultdict(list)
        for layer, applied, rendered in taken["done"]:
            by_layer[layer].append((applied, rendered))
        for layer, sent in load.sent.items():
            done = by_layer.get(layer, [])
            for (sent_at, calls), (applied, rendered) in zip(sent, done, strict=False):
                result["page"].append(rendered - applied)
                result.setdefault("by_layer", defaultdict(list))[layer].append(
                    rendered - applied)
                for called in calls:
                    result["latency"].append(rendered - called * 1000)
                    result["queue"].append((sent_at - called) * 1000)
            result["unmatched"] += abs(len(sent) - len(done))
    return result


def show(result: dict) -> None:
    frames = result["frames"]
    print(f"\n{result['label']}  (load average {result['load'][0]:.1f} → "
          f"{result['load'][1]:.1f}; GUI-thread CPU {result['cpu'] * 100:.1f} % of one core)")
    if frames:
        print(f"  frames: {len(frames)} in motion, frame time p50 {pct(frames, 50):.1f} ms, "
              f"p95 {pct(frames, 95):.1f} ms, p99 {pct(frames, 99):.1f} ms, "
              f"max {max(frames):.1f} ms ({len(frames) / sum(frames) * 1000:.1f} fps)")
    if result["calls"] and not result["latency"]:
        print(f"  {result['calls']:,} updates; none seen rendered "
              f"({result['unmatched']} ops pending or unmatched)")
    elif result["calls"]:
        lat = result["latency"]
        print(f"  {result['calls']:,} updates; update-to-map latency of {len(lat):,}: "
              f"p50 {pct(lat, 50):.0f} ms, p95 {pct(lat, 95):.0f} ms, max {max(lat):.0f} ms")
        print(f"    of which Python queue (call → batch): p50 {pct(result['queue'], 50):.0f}, "
              f"p95 {pct(result['queue'], 95):.0f} ms; page (op applied → rendered), per op: "
              f"p50 {pct(result['page'], 50):.0f}, p95 {pct(result['page'], 95):.0f}, "
              f"max {max(result['page'], default=float('nan')):.0f} ms "
              f"({len(result['page'])} ops)")
        print("    page per op by layer: " + ", ".join(
            f"{layer} p50 {pct(v, 50):.0f} ms" for layer, v in result.get("by_layer", {}).items()))
        print(f"    after the load stopped, the map had drawn every change in "
              f"{result['drain']:.1f} s")
        if result["unmatched"]:
            print(f"    {result['unmatched']} ops not rendered or not matched by the end")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="seconds of each phase")
    args = parser.parse_args(argv)

    app = QApplication.instance() or QApplication([])
    rng = random.Random(8)
    layers = make_layers(rng)
    print(f"P8: {sum(len(f) for f in layers.values()):,} points "
          f"({', '.join(f'{len(f):,} {k}' for k, f in layers.items())}), {RATE} updates/s, "
          f"phases of {args.seconds:g} s; {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}, WebGL through SwiftShader", flush=True)

    started = time.monotonic()
    view = MapView()
    view.resize(1920, 1080)
    view.show()
    loop = QEventLoop()
    view.ready.connect(loop.quit)
    QTimer.singleShot(120_000, loop.quit)
    loop.exec()
    if not view.bridge.is_ready:
        print("the map page did not get ready")
        return 1
    # `ready` can come before the page's later scripts have added their ops (updates.js).
    wait_for(app, view, "document.readyState === 'complete' && !!hallOps.updateFeatures")
    js(view, MEASURE_JS)
    for layer, features in layers.items():
        view.set_layer(layer, collection(features), LAYER_STYLES[layer],
                       clickable=layer == "events", cluster=CLUSTERS.get(layer))
    view.fly_to(CENTER[0], CENTER[1], 13, duration_ms=0)
    wait_for(app, view, "hallMap.getSource('sensors') !== undefined && hallMap.loaded()")
    print(f"map ready with the three layers in {time.monotonic() - started:.1f} s", flush=True)
    wait(app, 1.0)

    results = []
    phases = (("baseline: pan/zoom, no updates", None, True),
              ("updateData, 200 updates/s, view still", "diff", False),
              ("updateData, 200 updates/s, pan/zoom", "diff", True),
              ("whole-layer setData every 100 ms, 200 updates/s, view still", "whole", False),
              ("whole-layer setData every 100 ms, 200 updates/s, pan/zoom", "whole", True))
    for label, mode, motion in phases:
        view.fly_to(CENTER[0], CENTER[1], 13, duration_ms=0)
        wait(app, 1.0)
        result = run_phase(app, view, layers, label, args.seconds, mode, motion, rng)
        show(result)
        results.append(result)
        sys.stdout.flush()

    base = results[0]["frames"]
    print(f"\nP8 targets: update-to-map p95 ≤ 200 ms; pan/zoom frame p95 ≤ 33 ms "
          f"(baseline frame p95 {pct(base, 95):.1f} ms)")
    for result in results[1:]:
        lat = result["latency"]
        frames = result["frames"]
        line = f"  {result['label']}: latency p95 {pct(lat, 95):.0f} ms"
        if frames:
            line += f", frame p95 {pct(frames, 95):.1f} ms"
        print(line)
    view.close()
    view.deleteLater()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
