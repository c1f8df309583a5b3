"""The live samples: every indicator publishes an `indicator.sample` (durable, with a seq)
every `interval` seconds — its own, or the backend's `--indicator-interval`.

Samples fall due on multiples of their interval in wall-clock time (a 60 s indicator on the
minute); all samples due at one moment are published in one transaction.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time

from ..loop_task import LoopTask
from .service import IndicatorService

log = logging.getLogger("backend.indicators")


def _next_due(now: float, interval: float) -> float:
    return (math.floor(now / interval) + 1) * interval


class IndicatorFeed(LoopTask):
    """The task that publishes the samples as they fall due (started and stopped with the
    app, on its event loop; the values are computed and written in a worker thread)."""

    name = "indicator-feed"

    def __init__(self, service: IndicatorService):
        super().__init__()
        self.service = service

    async def _run(self) -> None:
        intervals = {d.id: self.service.interval_of(d) for d in self.service.definitions}
        due = {i: _next_due(time.time(), interval) for i, interval in intervals.items()}
        while True:
            await asyncio.sleep(max(0.0, min(due.values()) - time.time()))
            now = time.time()
            ready = [i for i, when in due.items() if when <= now]
            if not ready:
                continue
            for i in ready:
                due[i] = _next_due(now, intervals[i])
            try:
                await asyncio.to_thread(self.service.publish, ready)
            except Exception:  # a failed tick must not stop the feed
                log.exception("indicator samples could not be published")
