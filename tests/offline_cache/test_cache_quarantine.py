"""The start-up check: a broken cache is moved aside (never deleted), a new one is built,
and the outbox is carried over as far as it can be read."""

from __future__ import annotations

import os
import random
import re
import sqlite3

import pytest
from cache_helpers import command, event, overwrite_pages, page_size, pages_of

from offline_cache import OfflineCache


@pytest.fixture
def filled(tmp_path):
    """A closed cache in `tmp_path` with 5 outbox commands (added first, so they sit on an
    early page) and 3,000 events of about 1.4 KB after them; returns the file's path."""
    cache, _ = OfflineCache.open(tmp_path)
    for n in range(5):
        cache.outbox_add(command(n))
    for start in range(0, 3000, 250):
        cache.write([event(n, note="x" * 1200) for n in range(start, start + 250)],
                    last_seq=start + 249)
    cache.close()
    return tmp_path / "cache.db"


def _outbox_root(path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'outbox'"
                            ).fetchone()[0]
    finally:
        conn.close()


def _assert_quarantined(report, path, damaged: bytes) -> None:
    """The broken file is kept, byte for byte, next to the new cache."""
    assert report.quarantined_to is not None
    assert report.quarantined_to.parent == path.parent
    assert re.fullmatch(r"cache\.db\.broken-\d{8}T\d{6}Z", report.quarantined_to.name)
    assert report.quarantined_to.read_bytes() == damaged


def _assert_fresh(cache) -> None:
    assert cache.last_seq() == 0 and cache.event_count() == 0
    cache.write([event(1)], last_seq=1).result()
    assert cache.last_seq() == 1


def test_random_bytes_are_quarantined(tmp_path, open_cache):
    damaged = random.Random(1).randbytes(64 * 1024)
    (tmp_path / "cache.db").write_bytes(damaged)

    cache, report = open_cache()

    _assert_quarantined(report, tmp_path / "cache.db", damaged)
    assert report.reason == "file is not a database"
    # Nothing tells what it held: the console must warn that commands may be lost.
    assert report.salvaged_outbox == 0 and report.outbox_unreadable
    _assert_fresh(cache)
    assert os.stat(tmp_path / "cache.db").st_mode & 0o777 == 0o600


def test_damaged_event_pages_are_quarantined_and_the_outbox_salvaged(filled, open_cache):
    event_pages = pages_of(filled, "events")
    overwrite_pages(filled, event_pages[len(event_pages) // 3:][:20])
    damaged = filled.read_bytes()

    cache, report = open_cache()

    _assert_quarantined(report, filled, damaged)
    assert report.reason.startswith("quick_check: ")
    assert report.salvaged_outbox == 5 and not report.outbox_unreadable
    assert [(row.id, row.body) for row in cache.outbox()] == [
        (f"c{n}", command(n).body) for n in range(5)]
    _assert_fresh(cache)


def test_a_file_overwritten_from_half_way_is_quarantined_and_the_outbox_salvaged(
        filled, open_cache):
    pages = filled.stat().st_size // page_size(filled)
    overwrite_pages(filled, list(range(pages // 2, pages // 2 + 40)))
    damaged = filled.read_bytes()

    cache, report = open_cache()

    _assert_quarantined(report, filled, damaged)
    assert report.salvaged_outbox == 5 and not report.outbox_unreadable
    assert [row.id for row in cache.outbox()] == [f"c{n}" for n in range(5)]


def test_a_file_cut_to_half_its_size_is_quarantined_and_the_outbox_salvaged(
        filled, open_cache):
    os.truncate(filled, filled.stat().st_size // 2)
    damaged = filled.read_bytes()

    cache, report = open_cache()

    _assert_quarantined(report, filled, damaged)
    assert report.reason.startswith("quick_check: ")
    assert report.salvaged_outbox == 5 and not report.outbox_unreadable
    assert [row.id for row in cache.outbox()] == [f"c{n}" for n in range(5)]


def test_an_unreadable_outbox_is_reported_and_the_broken_file_kept(filled, open_cache):
    overwrite_pages(filled, [_outbox_root(filled)])
    damaged = filled.read_bytes()

    cache, report = open_cache()

    _assert_quarantined(report, filled, damaged)
    assert report.outbox_unreadable
    assert report.salvaged_outbox == 0 and cache.outbox() == []
    _assert_fresh(cache)


def test_a_newer_schema_version_is_quarantined_not_downgraded(filled, open_cache):
    conn = sqlite3.connect(filled)
    conn.execute("PRAGMA user_version = 99")
    conn.close()

    cache, report = open_cache()

    assert report.quarantined_to is not None
    assert "newer" in report.reason and "99" in report.reason
    conn = sqlite3.connect(f"{report.quarantined_to.resolve().as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    conn.close()
    assert report.salvaged_outbox == 5 and not report.outbox_unreadable
    _assert_fresh(cache)


def test_the_wal_and_shm_files_go_with_the_broken_file(tmp_path, open_cache):
    damaged = b"not a database, " * 1000
    (tmp_path / "cache.db").write_bytes(damaged)
    (tmp_path / "cache.db-wal").write_bytes(b"wal bytes")
    (tmp_path / "cache.db-shm").write_bytes(b"shm bytes")

    cache, report = open_cache()

    moved = report.quarantined_to
    assert moved.read_bytes() == damaged
    assert (tmp_path / f"{moved.name}-wal").read_bytes() == b"wal bytes"
    # The -shm is SQLite's index of the -wal, rebuilt by whoever opens the file: it moves
    # with it, but its bytes are not kept.
    assert (tmp_path / f"{moved.name}-shm").exists()
    _assert_fresh(cache)


def test_a_second_quarantine_keeps_the_first(tmp_path, open_cache):
    for n in range(2):
        (tmp_path / "cache.db").write_bytes(f"garbage {n} ".encode() * 1000)
        cache, report = open_cache()
        cache.close()
    broken = sorted(tmp_path.glob("cache.db.broken-*"))
    assert len(broken) == 2
    assert {p.read_bytes()[:9] for p in broken} == {b"garbage 0", b"garbage 1"}


def test_a_healthy_file_is_not_quarantined(filled, open_cache):
    cache, report = open_cache()

    assert report.quarantined_to is None and not report.outbox_unreadable
    assert cache.last_seq() == 2999 and len(cache.outbox()) == 5
    assert list(filled.parent.glob("*.broken-*")) == []
