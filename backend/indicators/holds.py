"""Forced values (`POST /api/v1/sim/indicators`): an indicator held at a value for a while.

A hold is stored (`indicator_holds`) so that it survives a restart and shows in the history
like the samples it produced: while it lasts, the indicator's value is the held one in the
list, in the live samples and in every minute of its series.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass

import numpy as np

from .event_figures import DAY

TABLE = "indicator_holds"
#: Holds are kept a day longer than the history reaches back.
KEEP_SECONDS = 8 * DAY


@dataclass(frozen=True)
class Hold:
    """`value` from `starts` until `ends` (epoch seconds)."""

    starts: float
    ends: float
    value: float


def install(conn: sqlite3.Connection) -> None:
    conn.execute(f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        indicator_id TEXT NOT NULL, starts REAL NOT NULL, ends REAL NOT NULL,
        value REAL NOT NULL)""")
    conn.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_id ON {TABLE}(indicator_id, ends)")


def add(conn: sqlite3.Connection, indicator_id: str, hold: Hold) -> None:
    """Store a hold (in the caller's write transaction); one still running is cut short."""
    conn.execute(f"UPDATE {TABLE} SET ends = ? WHERE indicator_id = ? AND ends > ?",
                 (hold.starts, indicator_id, hold.starts))
    conn.execute(f"DELETE FROM {TABLE} WHERE ends < ?", (hold.starts - KEEP_SECONDS,))
    conn.execute(f"INSERT INTO {TABLE}(indicator_id, starts, ends, value) VALUES (?,?,?,?)",
                 (indicator_id, hold.starts, hold.ends, hold.value))


def overlapping(conn: sqlite3.Connection, since: float, until: float
                ) -> dict[str, list[Hold]]:
    """The holds that overlap `[since, until]`, by indicator, oldest first."""
    out: dict[str, list[Hold]] = {}
    rows = conn.execute(f"SELECT indicator_id, starts, ends, value FROM {TABLE}"
                        f" WHERE ends > ? AND starts <= ? ORDER BY starts", (since, until))
    for indicator_id, starts, ends, value in rows:
        out.setdefault(indicator_id, []).append(Hold(starts, ends, value))
    return out


def apply(values: np.ndarray, holds: list[Hold], m0: int, now: float) -> np.ndarray:
    """`values` of minutes `m0 ..` with the minutes a hold covers set to its value: those it
    lasts over the end of (over now, for the current minute; the figures from events are
    taken then too), and always the minute it was forced in, which holds its sample."""
    if not holds:
        return values
    minutes = np.arange(m0, m0 + len(values), dtype=np.int64)
    at = np.minimum((minutes + 1) * 60.0, now)
    out = values.copy()
    for hold in holds:
        covered = (hold.starts <= at) & (at < hold.ends)
        covered |= minutes == math.floor(hold.starts / 60.0)
        out[covered] = hold.value
    return out


def value_at(holds: list[Hold], now: float) -> float | None:
    """The held value at `now`, if a hold lasts then (the latest forced one)."""
    held = [hold for hold in holds if hold.starts <= now < hold.ends]
    return held[-1].value if held else None
