"""The indicators' use cases: the list with current values, a series, a forced value (the
simulator's), and the samples the feed publishes.

Values are rounded to each indicator's precision. Before the figures from events are read,
their milestones catch up with the events written since (`event_figures`). The reads go
through a second SQLite connection (WAL readers never wait for the writer), each in one read
transaction so a rate's two counts see the same events.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

import numpy as np

from console.schema import CST, now_cst

from ..errors import ApiError
from ..security import Principal
from ..store import Database
from . import event_figures, holds
from .catalog import BY_ID, INDICATORS, IndicatorDef
from .history import buckets, window

#: The milestones' definition they were built with, and the event seq they are up to date with.
META_VERSION = "indicator_event_times_version"
META_SEQ = "indicator_event_times_seq"
SAMPLE = "indicator.sample"


class IndicatorService:
    """Everything the routes and the feed ask of the indicators.

    `interval`, when given, replaces every indicator's own publishing interval (tests and
    demos use a short one).
    """

    def __init__(self, db: Database, *, seed: int, interval: float | None = None):
        self.db = db
        self.seed = seed
        self.interval = interval
        self.definitions: tuple[IndicatorDef, ...] = INDICATORS
        with db.write() as tx:
            if event_figures.install(tx.conn, tx.get_meta(META_VERSION, "") or None):
                tx.set_meta(META_SEQ, "0")
                tx.set_meta(META_VERSION, event_figures.VERSION)
            holds.install(tx.conn)
        self._caught_up = -1
        self._catch_up()
        self._reader = _Reader(db)
        self._described = {d.id: d.describe(self.interval_of(d)).model_dump(mode="json")
                           for d in self.definitions}
        self._sensor_lock = threading.Lock()
        self._sensor_minute: tuple[int, dict[str, float]] = (-1, {})

    def interval_of(self, definition: IndicatorDef) -> float:
        """Seconds between two live samples of an indicator."""
        return self.interval if self.interval is not None else definition.interval

    def close(self) -> None:
        self._reader.close()

    # ---- reads

    def definition(self, indicator_id: str) -> IndicatorDef:
        """The indicator with this id (404 `not_found` when there is none)."""
        definition = BY_ID.get(indicator_id)
        if definition is None:
            raise ApiError(404, "not_found", "No such indicator.", {"indicator_id": indicator_id})
        return definition

    def list_indicators(self) -> list[dict]:
        """Every indicator with its current value, `at` and state."""
        at = now_cst()
        values = self.current(at.timestamp())
        stamp = at.isoformat()
        out = []
        for definition in self.definitions:
            value = values[definition.id]
            out.append({**self._described[definition.id], "value": value, "at": stamp,
                        "state": definition.thresholds.state_of(value)})
        return out

    def series(self, indicator_id: str, start: float | None, end: float | None,
               step: float) -> dict:
        """`{"t": epoch seconds, "v": values (NaN where none)}` as NumPy arrays."""
        definition = self.definition(indicator_id)
        now = now_cst().timestamp()
        win = window(start, end, step, now)
        if win.m1 <= win.m0:
            return {"t": [], "v": []}
        if definition.kind == "events":
            self._catch_up()
        with self._reader.read() as conn:
            values = self._minute_values(definition, conn, win.m0, win.m1, now)
        t, v = buckets(values, win, definition.precision)
        return {"t": t, "v": v}

    def current(self, now: float, ids: Iterable[str] | None = None) -> dict[str, float | None]:
        """The value of each indicator (all, or those of `ids`) at `now`; None when there is
        none (a rate of nothing)."""
        chosen = self.definitions if ids is None else [BY_ID[i] for i in ids]
        minute = math.floor(now / 60.0)
        sensors = self._sensors_at(minute)
        out: dict[str, float | None] = {}
        figures = {d.id: d.source for d in chosen if d.kind == "events"}
        if figures:
            self._catch_up()
        with self._reader.read() as conn:
            held = holds.overlapping(conn, now, now)
            counted = event_figures.values_now(conn, figures, now) if figures else {}
            for definition in chosen:
                if definition.kind == "events":
                    value = float(np.round(counted[definition.id], definition.precision))
                else:
                    value = sensors[definition.id]
                forced = holds.value_at(held.get(definition.id, []), now)
                if forced is not None:
                    value = forced
                out[definition.id] = None if math.isnan(value) else value
        return out

    def _minute_values(self, definition: IndicatorDef, conn: sqlite3.Connection, m0: int,
                       m1: int, now: float) -> np.ndarray:
        if definition.kind == "events":
            raw = definition.source.values(conn, m0, m1, now)
        else:
            raw = definition.source.values(self.seed, m0, m1)
        values = np.round(raw, definition.precision)
        held = holds.overlapping(conn, m0 * 60.0, m1 * 60.0).get(definition.id, [])
        return holds.apply(values, held, m0, now)

    def _catch_up(self) -> None:
        """Bring the events' milestones up to date, if anything was written since the last
        time (a short write transaction; long only for many new events, or the first time)."""
        last = self.db.last_seq
        if last == self._caught_up:
            return
        with self.db.write() as tx:
            since = int(tx.get_meta(META_SEQ, "0"))
            upto = event_figures.catch_up(tx.conn, since)
            if upto != since:
                tx.set_meta(META_SEQ, str(upto))
        self._caught_up = last

    def _sensors_at(self, minute: int) -> dict[str, float]:
        """Every sensor's value of one minute (kept until the next minute is asked for)."""
        with self._sensor_lock:
            cached_minute, values = self._sensor_minute
            if cached_minute != minute:
                values = {d.id: float(np.round(d.source.values(self.seed, minute, minute + 1)[0],
                                               d.precision))
                          for d in self.definitions if d.kind == "sensor"}
                self._sensor_minute = (minute, values)
            return values

    # ---- writes

    def force(self, principal: Principal, indicator_id: str, value: float,
              hold_s: float) -> dict:
        """Set an indicator to `value` now and hold it there for `hold_s` seconds: the sample
        is published at once (audited as `sim.indicator`)."""
        definition = self.definition(indicator_id)
        at = now_cst()
        now = at.timestamp()
        value = round(value, definition.precision)
        sample = _sample(definition, value, at)
        with self.db.write() as tx:
            holds.add(tx.conn, indicator_id, holds.Hold(now, now + hold_s, value))
            seq = tx.append_message(SAMPLE, sample, at=at)
            tx.audit(actor=principal.user_id, seat=principal.seat, action="sim.indicator",
                     target=f"indicator:{indicator_id}", result="ok", idempotency_key=None,
                     event_id=None)
        until = datetime.fromtimestamp(now + hold_s, CST)
        return {"sample": sample, "seq": seq, "hold_until": until.isoformat()}

    def publish(self, ids: list[str]) -> int:
        """Publish the current sample of each indicator of `ids` that has a value, all in one
        transaction; returns how many."""
        at = now_cst()
        values = self.current(at.timestamp(), ids)
        samples = [_sample(BY_ID[i], v, at) for i in ids if (v := values[i]) is not None]
        if samples:
            with self.db.write() as tx:
                for sample in samples:
                    tx.append_message(SAMPLE, sample, at=at)
        return len(samples)


def _sample(definition: IndicatorDef, value: float, at: datetime) -> dict:
    return {"id": definition.id, "value": value, "at": at.isoformat(),
            "state": definition.thresholds.state_of(value)}


class _Reader:
    """A read-only second connection to the backend's database (or its own one, for a
    database that only exists in memory)."""

    def __init__(self, db: Database):
        self._db = db
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        if db.path and db.path != ":memory:" and not db.path.startswith("file:"):
            self._conn = sqlite3.connect(db.path, check_same_thread=False, isolation_level=None)
            self._conn.execute("PRAGMA query_only=ON")
            self._conn.execute("PRAGMA busy_timeout=5000")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        if self._conn is None:
            with self._db.read() as conn:
                yield conn
            return
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
