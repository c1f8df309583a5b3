"""20,000 events written in batches of 100-500: correct, and the rate printed (run with -s).
No timing assertion: speed is measured by `python -m bench.cache`."""

from __future__ import annotations

import random
import time

from cache_helpers import event


def test_twenty_thousand_events_in_batches(cache):
    rng = random.Random(3)
    rows = [event(n, note="x" * 1000) for n in range(20_000)]
    futures = []
    started = time.perf_counter()
    start = 0
    while start < len(rows):
        size = rng.randint(100, 500)
        batch = rows[start:start + size]
        futures.append(cache.write(batch, last_seq=batch[-1].seq))
        start += size
    for future in futures:
        future.result()
    elapsed = time.perf_counter() - started

    assert cache.event_count() == 20_000
    assert cache.last_seq() == 19_999
    documents = cache.event_documents()
    assert documents[0] == rows[0].document and documents[-1] == rows[-1].document
    print(f"\n20,000 events in {len(futures)} batches of 100-500: {elapsed:.2f} s, "
          f"{20_000 / elapsed:,.0f} events/s")
