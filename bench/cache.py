"""The offline cache: batch writes, reading every event back, and durable outbox adds.

    python -m bench.cache                        # 100,000 events in batches of 250
    python -m bench.cache --events 20000         # a quicker look
    python -m bench.cache --dir /some/disk       # where the cache file goes (default: a
                                                 # temporary directory, removed after)

What it measures, in a fresh data directory:
- write: events of about 1.3 KB of JSON each (made by the reference backend's simulator,
  with a few timeline entries) through `OfflineCache.write` in batches of 250, each batch one
  transaction with its last seq. "queued": every batch submitted at once, then waited (the
  live thread does not wait); "one by one": each batch waited before the next is submitted.
  Baseline, in the same run: plain sqlite3 on the same disk, WAL, synchronous=NORMAL,
  `executemany` of plain INSERTs into a table of (id PRIMARY KEY, document), a commit a batch,
  on the calling thread; and the same into the cache's own events table with its indexes
  (what the indexes cost, apart from the writer thread and the seq-guarded upsert).
- read: `event_documents()` of all of them, against the baseline's `SELECT document ORDER BY
  rowid`; and `OfflineCache.open` of the full file (the start-up `quick_check` included).
- outbox: `outbox_add` one after another, each durable (synchronous=FULL: the WAL is
  fsync'd before it returns), p50/p99/max; baseline: plain sqlite3 INSERT + COMMIT with
  synchronous=FULL in WAL mode.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The repository root, not bench/ (whose queue.py would shadow the standard library's queue).
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import orjson  # noqa: E402

from offline_cache import EventRow, OfflineCache, OutboxRow  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEMPLATES = 500
DOCUMENT_SIZE = 1300


def make_events(count: int) -> list[EventRow]:
    """`count` events: simulator templates with timeline entries added up to ~1.3 KB,
    each with its own id and seq."""
    from backend.simulator.generator import EventGenerator

    generator = EventGenerator(1)
    templates = []
    for n in range(TEMPLATES):
        event = generator.make(n, NOW - timedelta(minutes=n))
        at = datetime.fromisoformat(event["reported_at"])
        while len(orjson.dumps(event)) < DOCUMENT_SIZE - 60:
            at += timedelta(minutes=7)
            event["timeline"].append({"at": at.isoformat(), "actor": "leader1",
                                      "action": "note", "detail": "请牵头处置并及时反馈"})
        templates.append(event)
    rows = []
    first = NOW - timedelta(seconds=count)
    for n in range(count):
        # One event a second, reported in order, as a live stream brings them.
        at = (first + timedelta(seconds=n)).isoformat()
        event = dict(templates[n % TEMPLATES], id=f"EV-BENCH-{n:07d}", seq=n + 1,
                     reported_at=at, updated_at=at)
        rows.append(EventRow(event["id"], n + 1, event["status"], event["level"],
                             event["category"], event["reported_at"], event["updated_at"],
                             orjson.dumps(event)))
    return rows


def batches(rows: list, size: int) -> list[list]:
    return [rows[i:i + size] for i in range(0, len(rows), size)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


# ---- baselines: plain sqlite3 on the calling thread


def baseline_connection(path: Path, synchronous: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    return conn


def baseline_write(path: Path, groups: list[list[EventRow]]) -> float:
    conn = baseline_connection(path, "NORMAL")
    conn.execute("CREATE TABLE events (id TEXT PRIMARY KEY, document BLOB)")
    started = time.perf_counter()
    for group in groups:
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO events VALUES (?, ?)",
                         [(row.id, row.document) for row in group])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def baseline_write_same_table(path: Path, groups: list[list[EventRow]]) -> float:
    """The cache's own events table (its six secondary indexes included), plain INSERTs."""
    from sqlite_utils import Database

    from offline_cache.schema import migrate

    conn = baseline_connection(path, "NORMAL")
    migrate(Database(conn))
    sql = ("INSERT INTO events (id, seq, status, level, category, reported_at, updated_at,"
           " document) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    started = time.perf_counter()
    for group in groups:
        conn.execute("BEGIN")
        conn.executemany(sql, [(r.id, r.seq, r.status, r.level, r.category, r.reported_at,
                                r.updated_at, r.document) for r in group])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def baseline_read(path: Path) -> float:
    conn = sqlite3.connect(path)
    started = time.perf_counter()
    documents = [row[0] for row in conn.execute("SELECT document FROM events ORDER BY rowid")]
    elapsed = time.perf_counter() - started
    conn.close()
    del documents
    return elapsed


def ours_read(cache: OfflineCache, expected: int) -> float:
    started = time.perf_counter()
    documents = cache.event_documents()
    elapsed = time.perf_counter() - started
    assert len(documents) == expected
    del documents
    return elapsed


def baseline_outbox(path: Path, rows: list[OutboxRow]) -> list[float]:
    conn = baseline_connection(path, "FULL")
    conn.execute("CREATE TABLE outbox (id TEXT PRIMARY KEY, position INTEGER, body BLOB)")
    latencies = []
    for n, row in enumerate(rows, 1):
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO outbox VALUES (?, ?, ?)", (row.id, n, row.body))
        conn.execute("COMMIT")
        latencies.append(time.perf_counter() - started)
    conn.close()
    return latencies


# ---- ours


def ours_write(data_dir: Path, groups: list[list[EventRow]], *, queued: bool) -> float:
    cache, _ = OfflineCache.open(data_dir)
    started = time.perf_counter()
    if queued:
        futures = [cache.write(group, last_seq=group[-1].seq) for group in groups]
        for future in futures:
            future.result()
    else:
        for group in groups:
            cache.write(group, last_seq=group[-1].seq).result()
    elapsed = time.perf_counter() - started
    cache.close()
    return elapsed


def command(n: int) -> OutboxRow:
    body = orjson.dumps({"action": "dispatch", "expected_version": 3, "note": "请牵头处置",
                         "assignments": [{"unit_id": "cgj", "role": "lead"}]})
    return OutboxRow(f"cmd-{n:06d}", "action", f"EV-BENCH-{n:07d}", f"idem-{n:06d}", body,
                     NOW.isoformat(), "leader1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--outbox", type=int, default=1000, help="outbox adds timed")
    parser.add_argument("--dir", type=Path, help="parent of the data directories")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="bench-cache-", dir=args.dir))
    try:
        print(f"making {args.events:,} events ...", flush=True)
        rows = make_events(args.events)
        groups = batches(rows, args.batch)
        size = statistics.mean(len(row.document) for row in rows)
        print(f"{args.events:,} events, {size:,.0f} bytes of JSON each on average, "
              f"{len(groups):,} batches of {args.batch}; files in {workdir}")

        base = baseline_write(workdir / "baseline.db", groups)
        same_table = baseline_write_same_table(workdir / "baseline_indexed.db", groups)
        queued = ours_write(workdir / "queued", groups, queued=True)
        one_by_one = ours_write(workdir / "one_by_one", groups, queued=False)
        n = args.events
        print("\nwrite")
        print(f"  baseline (sqlite3 executemany INSERT, commit a batch): {n / base:>10,.0f} "
              f"events/s  ({base:.2f} s)")
        print(f"  baseline on the cache's table (6 secondary indexes), plain INSERT: "
              f"{n / same_table:>10,.0f} events/s  ({same_table:.2f} s)")
        print(f"  ours, queued:      {n / queued:>10,.0f} events/s  ({queued:.2f} s)  "
              f"ratio {base / queued:.2f}")
        print(f"  ours, one by one:  {n / one_by_one:>10,.0f} events/s  ({one_by_one:.2f} s)  "
              f"ratio {base / one_by_one:.2f}")
        file_size = (workdir / "queued" / "cache.db").stat().st_size
        print(f"  cache.db: {file_size / 2**20:,.0f} MB")

        started = time.perf_counter()
        cache, report = OfflineCache.open(workdir / "queued")
        opened = time.perf_counter() - started
        assert report.quarantined_to is None
        assert cache.event_documents()[-1] == rows[-1].document
        # Alternating, best of three each: both files are in the OS page cache by then.
        base_reads, reads = [], []
        for _ in range(3):
            base_reads.append(baseline_read(workdir / "baseline.db"))
            reads.append(ours_read(cache, n))
        base_read, read = min(base_reads), min(reads)
        print("\nread (best of 3)")
        print(f"  baseline (SELECT document ORDER BY rowid): {base_read:.3f} s")
        print(f"  ours, event_documents(): {read:.3f} s  ratio {base_read / read:.2f}")
        print(f"  ours, OfflineCache.open of the full file (quick_check included): "
              f"{opened:.3f} s")

        commands = [command(i) for i in range(args.outbox)]
        latencies = []
        for row in commands:
            started = time.perf_counter()
            cache.outbox_add(row)
            latencies.append(time.perf_counter() - started)
        cache.close()
        base_latencies = baseline_outbox(workdir / "baseline_outbox.db", commands)
        print(f"\noutbox add, durable ({args.outbox:,} adds one after another)")
        for name, values in (("baseline (sqlite3 INSERT + COMMIT, synchronous=FULL)",
                              base_latencies), ("ours, outbox_add", latencies)):
            print(f"  {name}: p50 {percentile(values, 50) * 1000:.2f} ms, "
                  f"p99 {percentile(values, 99) * 1000:.2f} ms, "
                  f"max {max(values) * 1000:.2f} ms")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
