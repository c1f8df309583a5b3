"""Live data: batches with their seq, the seq guard, full reloads, restarts."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import orjson
import pytest
from cache_helpers import event

from offline_cache import EventRow, IndicatorRow, OfflineCache


def _ids(cache: OfflineCache) -> list[str]:
    return [orjson.loads(doc)["id"] for doc in cache.event_documents()]


def test_a_batch_and_its_last_seq_are_written_together(cache):
    cache.write([event(n) for n in range(1, 4)], last_seq=3).result()

    assert cache.last_seq() == 3
    assert cache.event_count() == 3
    assert _ids(cache) == ["e1", "e2", "e3"]
    assert cache.written_at() is not None


def test_a_failing_batch_leaves_neither_its_events_nor_its_seq(cache):
    cache.write([event(1)], last_seq=1).result()
    broken = EventRow(None, 3, "new", 1, "road", "", "", b"{}")  # type: ignore[arg-type]

    future = cache.write([event(2), broken, event(4)], last_seq=4)

    with pytest.raises(sqlite3.IntegrityError):
        future.result()
    assert cache.last_seq() == 1
    assert _ids(cache) == ["e1"]


def test_an_older_copy_never_overwrites_a_newer_one(cache):
    cache.write([event(1, seq=5, status="dispatched"), event(2, seq=6)], last_seq=6).result()

    cache.write([event(1, seq=3, status="new")], last_seq=3).result()
    cache.write([event(1, seq=5, status="closed")]).result()

    assert orjson.loads(cache.event_documents()[0])["status"] == "dispatched"
    assert cache.last_seq() == 6


def test_a_newer_copy_replaces_the_document_and_keeps_the_event_in_its_place(cache):
    cache.write([event(1), event(2), event(3)], last_seq=3).result()

    cache.write([event(1, seq=9, status="closed")], last_seq=9).result()

    assert _ids(cache) == ["e1", "e2", "e3"]
    assert orjson.loads(cache.event_documents()[0]) == orjson.loads(
        event(1, seq=9, status="closed").document)
    assert cache.event_count() == 3


def test_replace_events_is_a_full_reload_and_may_move_last_seq_back(cache):
    cache.write([event(n) for n in range(1, 6)], last_seq=50).result()

    cache.replace_events([event(7, seq=20), event(3, seq=18)], last_seq=20).result()

    assert _ids(cache) == ["e7", "e3"]
    assert cache.last_seq() == 20
    cache.write([], last_seq=19).result()
    assert cache.last_seq() == 20


def test_a_restart_resumes_at_last_seq_with_the_same_documents(tmp_path):
    cache, _ = OfflineCache.open(tmp_path)
    for start in range(0, 600, 200):
        cache.write([event(n) for n in range(start, start + 200)], last_seq=start + 199)
    cache.write(units={"u1": b'{"id":"u1"}'}, catalog=b'{"units":[]}').result()
    documents = cache.event_documents()
    cache.close()

    cache, report = OfflineCache.open(tmp_path)
    try:
        assert report.quarantined_to is None
        assert cache.last_seq() == 599
        assert cache.event_documents() == documents
        assert cache.documents("units") == {"u1": b'{"id":"u1"}'}
        assert cache.catalog_document() == b'{"units":[]}'
    finally:
        cache.close()


def test_a_process_killed_without_closing_resumes_at_its_last_committed_batch(tmp_path):
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from cache_helpers import event
        from offline_cache import OfflineCache
        cache, _ = OfflineCache.open({str(tmp_path)!r})
        for start in range(0, 300, 100):
            cache.write([event(n) for n in range(start, start + 100)],
                        last_seq=start + 99).result()
        os._exit(0)
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60,
                   cwd=Path(__file__).parents[2])

    cache, report = OfflineCache.open(tmp_path)
    try:
        assert report.quarantined_to is None
        assert cache.last_seq() == 299
        assert cache.event_count() == 300
    finally:
        cache.close()


def test_close_commits_the_writes_still_queued(tmp_path):
    cache, _ = OfflineCache.open(tmp_path)
    for n in range(50):
        cache.write([event(n)], last_seq=n)
    cache.close()

    cache, _ = OfflineCache.open(tmp_path)
    try:
        assert cache.last_seq() == 49 and cache.event_count() == 50
    finally:
        cache.close()


def test_documents_catalog_and_indicators(cache):
    cache.write(units={"u1": b"1", "u2": b"2"}, cameras={"c1": b"cam"},
                map_layers={"grid": b"layer"}, catalog=b"catalog 1").result()
    cache.write(units={"u2": b"2b", "u3": b"3"}, catalog=b"catalog 2",
                indicators=[IndicatorRow("calls", 10, "normal", 100.0, b"a"),
                            IndicatorRow("load", 0.5, "warning", 100.0, b"b")]).result()
    cache.write(indicators=[IndicatorRow("calls", 12, "alarm", 200.0, b"c"),
                            IndicatorRow("load", 0.1, "normal", 50.0, b"late")]).result()

    assert cache.documents("units") == {"u1": b"1", "u2": b"2b", "u3": b"3"}
    assert cache.documents("cameras") == {"c1": b"cam"}
    assert cache.documents("map_layers") == {"grid": b"layer"}
    assert cache.catalog_document() == b"catalog 2"
    assert cache.indicators() == [IndicatorRow("calls", 12.0, "alarm", 200.0, b"c"),
                                  IndicatorRow("load", 0.5, "warning", 100.0, b"b")]
    with pytest.raises(ValueError):
        cache.documents("events")


def test_indicator_history_keeps_a_window_behind_the_newest_sample(open_cache):
    cache, _ = open_cache(history_window=100)
    cache.write(history=[("calls", at, at / 10) for at in (0.0, 50.0, 100.0)]
                + [("load", 10.0, 1.0)]).result()
    cache.write(history=[("calls", at, at / 10) for at in (150.0, 200.0)]).result()

    assert cache.indicator_history("calls", since=0) == [(100.0, 10.0), (150.0, 15.0),
                                                         (200.0, 20.0)]
    assert cache.indicator_history("calls", since=150) == [(150.0, 15.0), (200.0, 20.0)]
    assert cache.indicator_history("load", since=0) == [(10.0, 1.0)]


def test_a_sample_delivered_twice_is_kept_once(cache):
    cache.write(history=[("calls", 10.0, 1.0)]).result()
    cache.write(history=[("calls", 10.0, 1.0)]).result()

    assert cache.indicator_history("calls", since=0) == [(10.0, 1.0)]


def test_reads_from_another_thread_see_committed_writes(cache):
    cache.write([event(1)], last_seq=1).result()
    seen = []
    reader = threading.Thread(target=lambda: seen.append((cache.last_seq(), _ids(cache))))
    reader.start()
    reader.join()

    assert seen == [(1, ["e1"])]


def test_open_events_newest_first_then_the_closed_in_slices(cache):
    from dataclasses import replace

    rows = [replace(event(n, status="closed" if n % 3 == 0 else "new"),
                    reported_at=f"2026-11-23T08:{n:02d}:00+08:00") for n in range(1, 10)]
    cache.write(rows, last_seq=9).result()

    def ids(**kw):
        return [orjson.loads(doc)["id"] for doc in cache.event_documents(open_newest_first=True,
                                                                         **kw)]

    assert ids() == ["e8", "e7", "e5", "e4", "e2", "e1", "e9", "e6", "e3"]
    assert ids(count=4) == ["e8", "e7", "e5", "e4"]
    assert ids(start=4) == ["e2", "e1", "e9", "e6", "e3"]
    assert ids(start=4, count=2) == ["e2", "e1"]
    assert _ids(cache) == [f"e{n}" for n in range(1, 10)]  # the plain order is unchanged
