"""The simulated responding units: they sign for, reach, resolve or send back dispatched events.

Each unit acts through the same service path as a REST command (audited, with an
idempotency key), as principal `unit_id` with role `unit` at seat "sim". What a unit does and
when follows from `unit_plans` and the event itself, so the units keep no state beyond a
cache of which event is due when, and a restart carries on where they were.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import orjson

from console.schema import now_cst

from ..catalog_data import unit_name
from ..errors import ApiError
from ..security import Principal
from .unit_plans import ACTIVE_STATUSES, Step, next_step

log = logging.getLogger("backend.simulator.units")

#: Seconds between two looks at the dispatched events, at most and at least.
TICK_SECONDS = 1.0
MIN_WAIT_SECONDS = 0.05
#: Hall actions that the units answer at once.
WAKING_ACTIONS = frozenset({"dispatch", "urge"})
#: Reports one event may make in one tick (each needs the event's fresh version).
MAX_STEPS_PER_TICK = 4

#: (version, when its next report is due); due None: nothing to do until the version changes.
Known = tuple[int, datetime | None]


class SimulatedUnits:
    """Answers dispatches like the real units would (see `unit_plans` for how)."""

    def __init__(self, service, *, seed: int, speed: float, tick: float = TICK_SECONDS):
        self.service = service
        self.seed = seed
        self.speed = speed
        self.tick_seconds = tick
        self._known: dict[str, Known] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    async def run(self) -> None:
        """Tick until cancelled: about once a second, sooner when a report is due sooner or
        the hall dispatches or urges."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self.service.action_listeners.append(self.notice)
        try:
            while True:
                self._wake.clear()
                try:
                    wait = await asyncio.to_thread(self.tick)
                except Exception:  # the simulator must never take the server down
                    log.exception("simulated units failed")
                    wait = self.tick_seconds
                try:
                    await asyncio.wait_for(self._wake.wait(), wait)
                except TimeoutError:
                    pass
        finally:
            self.service.action_listeners.remove(self.notice)

    def notice(self, event: dict) -> None:
        """After an accepted action (any thread): a dispatch or an urge wakes the units now.

        Without it a new dispatch waits up to a tick, which at a high `--speed` is many
        simulated minutes of a short sign-for window.
        """
        timeline = event.get("timeline") or []
        if self._loop is not None and timeline and timeline[-1]["action"] in WAKING_ACTIONS:
            try:
                self._loop.call_soon_threadsafe(self._wake.set)
            except RuntimeError:  # the loop is closing: the units are stopping anyway
                pass

    def tick(self) -> float:
        """Make every report that is due now; returns the seconds to wait for the next tick."""
        now = now_cst()
        known: dict[str, Known] = {}
        for event_id, version in self.service.db.event_versions(list(ACTIVE_STATUSES)):
            cached = self._known.get(event_id)
            if cached is not None and cached[0] == version and \
                    (cached[1] is None or cached[1] > now):
                known[event_id] = cached
            else:
                known[event_id] = self._advance(event_id, now)
        self._known = known
        dues = [due for _version, due in known.values() if due is not None]
        if not dues:
            return self.tick_seconds
        wait = (min(dues) - now_cst()).total_seconds()
        return min(self.tick_seconds, max(MIN_WAIT_SECONDS, wait))

    def _advance(self, event_id: str, now: datetime) -> Known:
        """Make the reports of one event that are due; returns what to remember about it."""
        event = self.service.db.get_event(event_id)
        for _ in range(MAX_STEPS_PER_TICK):
            if event is None:
                return -1, None
            step = next_step(event, self.seed, self.speed)
            if step is None or step.due > now:
                return event["version"], step.due if step else None
            try:
                event = self._report(event, step)
            except ApiError as error:
                # Typically a version conflict: the hall changed the event meanwhile. The
                # changed version makes the next tick plan again from the fresh event.
                log.debug("unit %s could not %s %s: %s", step.unit_id, step.action, event_id,
                          error.code)
                return event["version"], None
        return event["version"], now

    def _report(self, event: dict, step: Step) -> dict:
        body = {"action": step.action, "expected_version": event["version"],
                "unit_id": step.unit_id}
        if step.note:
            body["note"] = step.note
        # The version makes the key unique per step: a retry after a conflict is a new step.
        key = f"sim-unit:{event['id']}:v{event['version']}:{step.action}:{step.unit_id}"
        result = self.service.act(unit_principal(step.unit_id), event["id"],
                                  orjson.dumps(body), key)
        return result.body


def unit_principal(unit_id: str) -> Principal:
    """The principal a simulated unit acts as."""
    return Principal(user_id=unit_id, name=unit_name(unit_id), roles=("unit",), seat="sim",
                     scope={"level": "district", "street_id": None})
