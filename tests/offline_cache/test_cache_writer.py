"""The writer thread: one bad write never stops it, and a closed cache says so."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from cache_helpers import command, event

from offline_cache import EventRow


def test_a_failed_write_is_logged_and_the_next_one_works(cache, caplog):
    broken = EventRow(None, 2, "new", 1, "road", "", "", b"{}")  # type: ignore[arg-type]

    with caplog.at_level(logging.ERROR, logger="offline_cache"):
        failed = cache.write([broken], last_seq=2)
        with pytest.raises(sqlite3.IntegrityError):
            failed.result()

    assert "write failed" in caplog.text
    cache.write([event(3)], last_seq=3).result()
    assert cache.last_seq() == 3 and cache.event_count() == 1


def test_a_database_locked_too_long_fails_that_write_only(tmp_path, open_cache):
    cache, _ = open_cache(busy_timeout=0.2)
    other = sqlite3.connect(tmp_path / "cache.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            cache.write([event(1)], last_seq=1).result()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            cache.outbox_add(command(1))
    finally:
        other.execute("ROLLBACK")
        other.close()

    cache.write([event(2)], last_seq=2).result()
    assert cache.outbox_add(command(1)).id == "c1"
    assert cache.last_seq() == 2 and cache.event_count() == 1


def test_writes_and_reads_after_close_raise(cache):
    cache.close()
    cache.close()

    for call in (lambda: cache.write([event(1)]), lambda: cache.replace_events([], 0),
                 lambda: cache.tile_put("k", b"x", "image/png"),
                 lambda: cache.outbox_add(command(1)), cache.last_seq, cache.outbox):
        with pytest.raises(RuntimeError, match="closed"):
            call()
