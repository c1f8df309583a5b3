"""The offline cache: a SQLite mirror of the hall's data and the command outbox.

One file, `cache.db` in the data directory (mode 0600, WAL): events, units, cameras, map
layers, the catalog, indicators and their recent history, map tiles, the sync cursor
(`last_seq`) and the outbox. One writer thread owns the write connection; every batch is
one transaction together with its last seq. `OfflineCache.open(data_dir)` checks the file
first and quarantines a broken one, carrying its outbox over where it can be read.

It stores plain data and bytes: it knows nothing of Qt, the views or the console's models.
"""

from offline_cache.cache import DEFAULT_HISTORY_WINDOW, DEFAULT_TILE_BUDGET, OfflineCache
from offline_cache.rows import EventRow, IndicatorRow, OutboxRow
from offline_cache.startup import OpenReport

__all__ = [
    "DEFAULT_HISTORY_WINDOW", "DEFAULT_TILE_BUDGET", "EventRow", "IndicatorRow", "OfflineCache",
    "OpenReport", "OutboxRow",
]
