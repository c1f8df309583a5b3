"""Map tiles: a byte budget, least recently used out first."""

from __future__ import annotations

from offline_cache import OfflineCache


def test_the_least_recently_used_tile_is_evicted_over_budget(open_cache):
    cache, _ = open_cache(tile_budget=1000)
    cache.tile_put("a", b"a" * 400, "image/png").result()
    cache.tile_put("b", b"b" * 400, "image/png").result()
    assert cache.tile("a") == (b"a" * 400, "image/png")

    cache.tile_put("c", b"c" * 400, "image/webp").result()

    assert cache.tile("b") is None
    assert cache.tile("a") == (b"a" * 400, "image/png")
    assert cache.tile("c") == (b"c" * 400, "image/webp")


def test_replacing_a_tile_counts_its_new_size_only(open_cache):
    cache, _ = open_cache(tile_budget=1000)
    cache.tile_put("a", b"a" * 400, "image/png").result()
    cache.tile_put("b", b"b" * 400, "image/png").result()

    cache.tile_put("a", b"A" * 500, "image/png").result()

    assert cache.tile("a") == (b"A" * 500, "image/png")
    assert cache.tile("b") == (b"b" * 400, "image/png")


def test_a_tile_larger_than_the_budget_is_not_stored(open_cache):
    cache, _ = open_cache(tile_budget=1000)
    cache.tile_put("a", b"a" * 400, "image/png").result()

    assert cache.tile_put("huge", b"x" * 1001, "image/png").result() is False

    assert cache.tile("huge") is None
    assert cache.tile("a") is not None


def test_the_budget_counts_tiles_stored_before_a_restart(tmp_path):
    cache, _ = OfflineCache.open(tmp_path, tile_budget=1000)
    cache.tile_put("a", b"a" * 400, "image/png").result()
    cache.tile_put("b", b"b" * 400, "image/png").result()
    cache.close()

    cache, _ = OfflineCache.open(tmp_path, tile_budget=1000)
    try:
        cache.tile_put("c", b"c" * 400, "image/png").result()
        assert cache.tile("a") is None
        assert cache.tile("b") is not None and cache.tile("c") is not None
    finally:
        cache.close()
