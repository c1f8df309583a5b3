"""The simulator tasks: a calm daily rhythm of events, bursts on demand, moving response teams,
and the responding units answering dispatches."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from datetime import datetime, timedelta

from console.schema import now_cst

from ..catalog_data import STREET_CENTROIDS, TEAMS
from .units import SimulatedUnits

log = logging.getLogger("backend.simulator")

#: Relative event rate by hour of the (simulated) day; the mean is about 1.
HOURLY = [0.25, 0.18, 0.15, 0.15, 0.18, 0.3, 0.6, 1.0, 1.45, 1.6, 1.55, 1.35,
          1.1, 1.25, 1.45, 1.5, 1.45, 1.3, 1.15, 1.2, 1.1, 0.85, 0.6, 0.4]
_MEAN = sum(HOURLY) / len(HOURLY)
#: How long a burst keeps colouring the background stream, in simulated seconds.
BURST_AFTERGLOW = 30 * 60
BURST_DEFAULT_COUNT = {"rainstorm": 16, "holiday_crowd": 12}


class Simulator:
    """Runs inside the server's event loop.

    With rate 0 no events are made and no team moves; the simulated units (on unless
    `units=False`) still answer the events the hall dispatches.
    """

    def __init__(self, service, *, seed: int = 1, rate: float = 6.0, speed: float = 1.0,
                 units: bool = True):
        self.service = service
        self.rate = max(0.0, rate)
        self.speed = max(0.01, speed)
        self.units = SimulatedUnits(service, seed=seed, speed=self.speed) if units else None
        self._rng = random.Random(f"hall-sim-clock:{seed}")
        self._started_real = time.monotonic()
        self._started_sim = now_cst()
        self._burst: str | None = None
        self._burst_until = 0.0
        self._tasks: list[asyncio.Task] = []
        self._team_pos = {uid: list(STREET_CENTROIDS[sid]) for uid, _name, sid in TEAMS}

    def sim_now(self) -> datetime:
        elapsed = (time.monotonic() - self._started_real) * self.speed
        return self._started_sim + timedelta(seconds=elapsed)

    def start(self) -> None:
        if self.rate > 0:
            self._tasks = [asyncio.create_task(self._events(), name="sim-events"),
                           asyncio.create_task(self._teams(), name="sim-teams")]
        if self.units is not None:
            self._tasks.append(asyncio.create_task(self.units.run(), name="sim-units"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        self._tasks = []

    async def burst(self, kind: str, count: int | None, principal=None) -> dict:
        """Create a burst now; with a running background stream it keeps the theme a while."""
        self._burst = kind
        self._burst_until = time.monotonic() + BURST_AFTERGLOW / self.speed
        n = count if count is not None else BURST_DEFAULT_COUNT[kind]
        return await asyncio.to_thread(self.service.generate, n, burst=kind, principal=principal)

    async def _events(self) -> None:
        while True:
            per_second = self.rate * self.speed * HOURLY[self.sim_now().hour] / _MEAN / 60.0
            await asyncio.sleep(min(self._rng.expovariate(per_second), 60.0))
            burst = None
            if self._burst and time.monotonic() < self._burst_until and self._rng.random() < 0.5:
                burst = self._burst
            try:
                await asyncio.to_thread(self.service.generate, 1, burst=burst)
            except Exception:  # the simulator must never take the server down
                log.exception("simulator failed to create an event")

    async def _teams(self) -> None:
        while True:
            await asyncio.sleep(max(0.5, 20.0 / self.speed))
            uid = self._rng.choice(list(self._team_pos))
            pos = self._team_pos[uid]
            pos[0] = min(120.355, max(120.245, pos[0] + self._rng.uniform(-0.002, 0.002)))
            pos[1] = min(31.618, max(31.535, pos[1] + self._rng.uniform(-0.0015, 0.0015)))
            try:
                # The status is left alone: dispatches and reports decide whether a team is busy.
                await asyncio.to_thread(self.service.move_unit, uid,
                                        (round(pos[0], 6), round(pos[1], 6)), None)
            except Exception:
                log.exception("simulator failed to move a team")
