"""The cache file: where it is, who may read it, its schema and its version."""

from __future__ import annotations

import os
import sqlite3
import stat

from cache_helpers import event

from offline_cache import OfflineCache, schema


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_cache_has_every_table_and_the_schema_version(tmp_path, open_cache):
    cache, report = open_cache()

    assert report.quarantined_to is None and report.reason == ""
    conn = sqlite3.connect(tmp_path / "cache.db")
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master"
                                               " WHERE type = 'table'")}
    assert {"events", "units", "catalog", "indicators", "indicator_history", "map_layers",
            "cameras", "tiles", "sync", "outbox"} <= tables
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1 == len(schema.MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    indexed = {row[2] for name in [r[1] for r in conn.execute("PRAGMA index_list(events)")]
               for row in conn.execute(f"PRAGMA index_info({name})")}
    assert {"id", "seq", "status", "level", "category", "reported_at", "updated_at"} <= indexed
    conn.close()
    assert cache.last_seq() == 0 and cache.written_at() is None and cache.event_count() == 0


def test_the_file_and_its_wal_and_shm_are_private(tmp_path, cache):
    cache.write([event(1)], last_seq=1).result()

    for name in ("cache.db", "cache.db-wal", "cache.db-shm"):
        assert (tmp_path / name).exists(), name
        assert _mode(tmp_path / name) == 0o600, name


def test_a_file_left_readable_by_others_is_made_private(tmp_path):
    cache, _ = OfflineCache.open(tmp_path)
    cache.close()
    os.chmod(tmp_path / "cache.db", 0o644)

    cache, _ = OfflineCache.open(tmp_path)
    cache.close()
    assert _mode(tmp_path / "cache.db") == 0o600


def test_an_empty_file_is_a_new_cache(tmp_path, open_cache):
    (tmp_path / "cache.db").touch()

    cache, report = open_cache()

    assert report.quarantined_to is None
    assert list(tmp_path.glob("*.broken-*")) == []
    cache.write([event(1)], last_seq=1).result()
    assert cache.last_seq() == 1


def test_the_data_directory_is_created(tmp_path):
    cache, _ = OfflineCache.open(tmp_path / "a" / "b")
    cache.close()
    assert (tmp_path / "a" / "b" / "cache.db").is_file()


def test_a_new_migration_upgrades_an_existing_cache(tmp_path, monkeypatch):
    cache, _ = OfflineCache.open(tmp_path)
    cache.write([event(1)], last_seq=1).result()
    cache.close()

    def v2_event_street(db):
        db["events"].add_column("street", str)

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, v2_event_street))
    cache, report = OfflineCache.open(tmp_path)
    cache.close()

    assert report.quarantined_to is None
    conn = sqlite3.connect(tmp_path / "cache.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert "street" in [row[1] for row in conn.execute("PRAGMA table_info(events)")]
    assert conn.execute("SELECT id FROM events").fetchall() == [("e1",)]
    conn.close()
