"""The outbox: durable before the command is sent, in replay order, across restarts."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from cache_helpers import command, event

from offline_cache import OfflineCache


def test_add_returns_the_stored_row_with_increasing_positions(cache):
    first = cache.outbox_add(command(1))
    second = cache.outbox_add(command(2, kind="create", event_id=""))

    assert first == dataclasses.replace(command(1), position=first.position)
    assert second.position > first.position
    assert cache.outbox() == [first, second]


def test_a_command_is_committed_when_add_returns(tmp_path, cache):
    cache.outbox_add(command(1))

    conn = sqlite3.connect(tmp_path / "cache.db")
    try:
        rows = conn.execute("SELECT id, idempotency_key, body FROM outbox").fetchall()
    finally:
        conn.close()
    assert rows == [("c1", "key-1", command(1).body)]


def test_adding_an_id_again_changes_nothing(cache):
    stored = cache.outbox_add(command(1))
    cache.outbox_update("c1", state="sending", attempts=1)

    again = cache.outbox_add(command(1, body=b"other", idempotency_key="other"))

    assert again == dataclasses.replace(stored, state="sending", attempts=1)
    assert cache.outbox() == [again]


def test_update_and_remove(cache):
    cache.outbox_add(command(1))
    cache.outbox_add(command(2))

    updated = cache.outbox_update("c1", state="failed", attempts=3, last_error="HTTP 503")

    assert (updated.state, updated.attempts, updated.last_error) == ("failed", 3, "HTTP 503")
    assert cache.outbox_remove("c2") is True
    assert cache.outbox_remove("c2") is False
    assert cache.outbox_update("c2", state="sending") is None
    assert cache.outbox() == [updated]
    with pytest.raises(ValueError):
        cache.outbox_update("c1", idempotency_key="another")


def test_a_rebased_request_body_can_be_stored(tmp_path):
    cache, _ = OfflineCache.open(tmp_path)
    cache.outbox_add(command(1))

    cache.outbox_update("c1", body=b'{"action":"ack","expected_version":8}')
    cache.close()

    cache, _ = OfflineCache.open(tmp_path)
    try:
        (row,) = cache.outbox()
        assert row.body == b'{"action":"ack","expected_version":8}'
        assert row.idempotency_key == "key-1"
    finally:
        cache.close()


def test_a_position_is_never_given_twice(cache):
    cache.outbox_add(command(1))
    removed = cache.outbox_add(command(2))
    cache.outbox_remove("c2")

    later = cache.outbox_add(command(3))

    assert later.position > removed.position


def test_the_outbox_survives_a_restart_in_order(tmp_path):
    cache, _ = OfflineCache.open(tmp_path)
    for n in (5, 3, 9, 1):
        cache.outbox_add(command(n))
    cache.outbox_update("c3", state="failed", attempts=2, last_error="timeout")
    cache.outbox_remove("c9")
    before = cache.outbox()
    cache.close()

    cache, _ = OfflineCache.open(tmp_path)
    try:
        after = cache.outbox()
        assert after == before
        assert [row.id for row in after] == ["c5", "c3", "c1"]
        assert cache.outbox_add(command(7)).position > after[-1].position
    finally:
        cache.close()


def test_an_outbox_add_among_queued_batches_loses_none_of_them(cache):
    futures = [cache.write([event(n)], last_seq=n) for n in range(1, 200)]
    cache.outbox_add(command(1))
    for future in futures:
        future.result()

    assert [row.id for row in cache.outbox()] == ["c1"]
    assert cache.last_seq() == 199
