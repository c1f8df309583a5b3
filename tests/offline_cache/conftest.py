"""Fixtures of the offline cache tests: a cache in a fresh data directory, closed after."""

from __future__ import annotations

import pytest

from offline_cache import OfflineCache


@pytest.fixture
def open_cache(tmp_path):
    """`open_cache(**options) -> (cache, report)` on `tmp_path`; every cache opened this way
    is closed at the end of the test."""
    opened: list[OfflineCache] = []

    def open_(**options):
        cache, report = OfflineCache.open(tmp_path, **options)
        opened.append(cache)
        return cache, report

    yield open_
    for cache in opened:
        cache.close()


@pytest.fixture
def cache(open_cache):
    return open_cache()[0]
