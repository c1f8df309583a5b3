"""The offline cache: a SQLite mirror of the hall's data and the command outbox.

It is built by the offline-failover work (issue 4): one writer thread, events, units, catalog,
indicators, map tiles, the sync cursor and the outbox in `cache.db` in the data directory.
Until then the console keeps its state in memory only and reloads from the backend at start.
"""
