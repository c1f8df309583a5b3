"""Figures the backend computes from its own events (kind "events"): intake, open and overdue
events, closure and on-time rates, hotline calls.

Each event's milestones (reported, dispatched, signed, deadlines, when each clock stopped) are
kept as epoch seconds in `indicator_event_times`, one row per event. The table catches up
before it is read: every event written since the last catch-up has a higher `seq`, so one
INSERT … SELECT over `events WHERE seq > watermark` brings it up to date. Writing events
costs nothing extra, and the event store needs no hook.

Every figure is a count of intervals `[a, b)` that hold at a moment: "reported today" is
`[reported, next midnight)`, "overdue" is `[deadline, clock stopped)`. A series asks SQLite
for the +1/-1 changes per minute (GROUP BY minute) and adds them up with NumPy, so a 7-day
series is a handful of queries, not one per point. A minute's value is the figure at the end
of the minute (or now, for the current minute). The figures read the events as they are now:
an event re-dispatched or reopened counts with its latest deadlines.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .daily import OFFSET_SECONDS

TABLE = "indicator_event_times"
#: Bump when the milestones' definition changes: the table is then rebuilt from the events.
VERSION = "1"
HOTLINE = "hotline_12345"


def _epoch(expr: str) -> str:
    return f"round((julianday({expr}) - 2440587.5) * 86400.0, 3)"


def _field(path: str, document: str = "doc") -> str:
    return f"json_extract({document}, '{path}')"


def _milestones(since: str) -> str:
    """The SELECT that turns the events with a seq above `since` (an SQL expression) into
    milestone rows. A new event has no dispatch, signature or stop: its timeline is not
    read, which keeps catching up with many new events cheap."""
    field = _field
    # The event's JSON is `doc`, not `json`: inside json_each that is the function's own
    # hidden column.
    return f"""
SELECT id, source, reported, dispatched, sign_due, signed,
       CASE WHEN status IN ('signed', 'on_site', 'resolved', 'closed')
            THEN coalesce(signed, resolve_stop, updated) END,
       resolve_due, resolve_stop
FROM (SELECT id, status, source, reported, updated, sign_due, resolve_due, dispatched, signed,
             CASE WHEN status IN ('resolved', 'closed') THEN coalesce(stopped, updated) END
               AS resolve_stop
      FROM (SELECT id, status, source,
              {_epoch('reported_at')} AS reported, {_epoch('updated_at')} AS updated,
              {_epoch(field('$.sla.sign_due'))} AS sign_due,
              {_epoch(field('$.sla.resolve_due'))} AS resolve_due,
              CASE WHEN status <> 'new' THEN (
                SELECT {_epoch(field('$.at', 'd.value'))} FROM json_each(doc, '$.timeline') d
                 WHERE {field('$.action', 'd.value')} = 'dispatch'
                 ORDER BY d.key DESC LIMIT 1) END AS dispatched,
              CASE WHEN status <> 'new' THEN (
                SELECT {_epoch(field('$.signed_at', 'a.value'))}
                  FROM json_each(doc, '$.assignments') a
                 WHERE {field('$.role', 'a.value')} = 'lead'
                   AND {field('$.signed_at', 'a.value')} IS NOT NULL LIMIT 1) END AS signed,
              CASE WHEN status IN ('resolved', 'closed') THEN (
                SELECT {_epoch(field('$.at', 's.value'))} FROM json_each(doc, '$.timeline') s
                 WHERE {field('$.action', 's.value')} IN ('resolve', 'close')
                   AND s.key > coalesce((SELECT max(r.key) FROM json_each(doc, '$.timeline') r
                                          WHERE {field('$.action', 'r.value')} = 'reopen'), -1)
                 ORDER BY s.key LIMIT 1) END AS stopped
            FROM (SELECT id, status, source, reported_at, updated_at, json AS doc
                    FROM events WHERE seq > {since})))"""


_COLUMNS = ("id, source, reported, dispatched, sign_due, signed, sign_stop, resolve_due,"
            " resolve_stop")


def install(conn: sqlite3.Connection, current_version: str | None) -> bool:
    """Create the milestone table (inside the caller's write transaction). Returns True when
    it must be built again from all the events: new, or made by another `VERSION`."""
    conn.execute(f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        id TEXT PRIMARY KEY, source TEXT NOT NULL, reported REAL NOT NULL, dispatched REAL,
        sign_due REAL, signed REAL, sign_stop REAL, resolve_due REAL, resolve_stop REAL)""")
    # The windowed figures (today, the last hour, day or week) find their rows by these, so
    # they cost what the window holds, not the whole history, and read only the index (it
    # holds every column they use). Open and overdue events are counted from every row
    # (they may be old): no index would help them.
    for name, columns in (("reported", "reported, source, resolve_stop"),
                          ("sign_due", "sign_due, signed, dispatched"),
                          ("resolve_due", "resolve_due, resolve_stop")):
        conn.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_{name} ON {TABLE}({columns})")
    if current_version == VERSION:
        return False
    conn.execute(f"DELETE FROM {TABLE}")
    return True


def catch_up(conn: sqlite3.Connection, since_seq: int) -> int:
    """Bring the milestones up to date with the events written after `since_seq` (inside the
    caller's write transaction); returns the seq they are now up to date with."""
    last = conn.execute("SELECT max(seq) FROM events").fetchone()[0] or 0
    if last > since_seq:
        conn.execute(f"INSERT OR REPLACE INTO {TABLE}({_COLUMNS}) {_milestones(':since')}",
                     {"since": since_seq})
    return max(last, since_seq)


@dataclass(frozen=True)
class Span:
    """Intervals `[a, b)` (SQL expressions over the milestone columns; `b` NULL = still
    open) of the rows matching `where`, counted `sign` times. `where` may use `:lo` (the
    first second asked for) to let SQLite skip rows by an index."""

    a: str
    b: str
    where: str = "1"
    sign: int = 1


def _rows(span: Span) -> str:
    # OFFSET 0 keeps SQLite from folding the subquery into the outer one, which would compute
    # `a` and `b` again for every condition that names them.
    return (f"(SELECT {span.a} AS a, {span.b} AS b FROM {TABLE} WHERE {span.where}"
            f" LIMIT -1 OFFSET 0)")


def _counts(conn: sqlite3.Connection, spans: tuple[Span, ...], m0: int, m1: int,
            now: float) -> np.ndarray:
    """How many intervals hold at the end of each minute `m0 .. m1 - 1` (at `now` for the
    current one)."""
    changes = np.zeros(m1 - m0, dtype=np.float64)
    params = {"m0": m0, "lo": m0 * 60.0, "hi": m1 * 60.0, "now": now}
    for span in spans:
        rows = _rows(span)
        # An interval counts from the minute it starts (the range's first minute if earlier)
        # until the minute it ends, if it has ended by now. One that ended before the range,
        # or is empty, does not count at all.
        starts = (f"SELECT max(CAST(a / 60 AS INTEGER), :m0) AS m, count(*) FROM {rows}"
                  f" WHERE a IS NOT NULL AND a <= :now AND a < :hi"
                  f" AND (b IS NULL OR (b > a AND b >= :lo)) GROUP BY m")
        ends = (f"SELECT CAST(b / 60 AS INTEGER) AS m, count(*) FROM {rows}"
                f" WHERE a IS NOT NULL AND a <= :now AND b > a AND b >= :lo AND b <= :now"
                f" AND b < :hi GROUP BY m")
        for sql, sign in ((starts, span.sign), (ends, -span.sign)):
            counted = np.array(conn.execute(sql, params).fetchall(), dtype=np.int64)
            if len(counted):
                np.add.at(changes, counted[:, 0] - m0, sign * counted[:, 1])
    return np.cumsum(changes)


class EventFigure:
    """A figure computed from the events: how many intervals of each group of spans hold,
    combined into one number."""

    kind = "events"

    @property
    def groups(self) -> tuple[tuple[Span, ...], ...]:
        raise NotImplementedError

    def combine(self, counts: list[np.ndarray]) -> np.ndarray:
        raise NotImplementedError

    def values(self, conn: sqlite3.Connection, m0: int, m1: int, now: float) -> np.ndarray:
        """The figure at the end of each minute `m0 .. m1 - 1` (at `now` for the current one)."""
        return self.combine([_counts(conn, group, m0, m1, now) for group in self.groups])


@dataclass(frozen=True)
class EventCount(EventFigure):
    """A count of events."""

    spans: tuple[Span, ...]

    @property
    def groups(self) -> tuple[tuple[Span, ...], ...]:
        return (self.spans,)

    def combine(self, counts: list[np.ndarray]) -> np.ndarray:
        return counts[0]


@dataclass(frozen=True)
class EventRate(EventFigure):
    """A percentage: the events of `part` among those of `whole` (NaN while there are none)."""

    part: tuple[Span, ...]
    whole: tuple[Span, ...]

    @property
    def groups(self) -> tuple[tuple[Span, ...], ...]:
        return (self.part, self.whole)

    def combine(self, counts: list[np.ndarray]) -> np.ndarray:
        part, whole = counts
        return np.where(whole > 0, 100.0 * part / np.maximum(whole, 1.0), np.nan)


def values_now(conn: sqlite3.Connection, figures: Mapping[str, EventFigure],
               now: float) -> dict[str, float]:
    """Every figure's value at `now` (as the current minute of `EventFigure.values`), by plain
    counts."""
    params = {"lo": (now // 60) * 60.0, "now": now}
    out = {}
    for name, figure in figures.items():
        counts = []
        for group in figure.groups:
            total = 0
            for span in group:
                sql = (f"SELECT count(*) FROM {_rows(span)}"
                       f" WHERE a <= :now AND (b IS NULL OR b > :now)")
                total += span.sign * conn.execute(sql, params).fetchone()[0]
            counts.append(np.array([float(total)]))
        out[name] = float(figure.combine(counts)[0])
    return out


DAY = 86400
_NEXT_MIDNIGHT = (f"((CAST((reported + {OFFSET_SECONDS}) / {DAY} AS INTEGER) + 1) * {DAY}"
                  f" - {OFFSET_SECONDS})")
_SIGN_DECIDED = "(CASE WHEN signed <= sign_due THEN signed ELSE sign_due END)"
_RESOLVE_DECIDED = "(CASE WHEN resolve_stop <= resolve_due THEN resolve_stop ELSE resolve_due END)"
_BOTH_STOPPED = ("(CASE WHEN sign_stop IS NULL THEN resolve_stop WHEN resolve_stop IS NULL"
                 " THEN sign_stop ELSE min(sign_stop, resolve_stop) END)")

#: Events reported since midnight.
INTAKE_TODAY = EventCount((Span("reported", _NEXT_MIDNIGHT, f"reported >= :lo - {DAY}"),))
#: Events not yet resolved or closed.
OPEN = EventCount((Span("reported", "resolve_stop"),))
#: Events with a running clock past its deadline (as the console's overdue filter): a sign-for
#: clock until a unit signs, a resolve clock until resolved; both overdue counts once.
OVERDUE = EventCount((
    Span("sign_due", "sign_stop"),
    Span("resolve_due", "resolve_stop"),
    Span("max(sign_due, resolve_due)", _BOTH_STOPPED, sign=-1),
))
#: Of the events reported in the last 7 days, the share resolved or closed.
CLOSURE_7D = EventRate(
    part=(Span("max(reported, resolve_stop)", f"reported + {7 * DAY}",
               f"resolve_stop IS NOT NULL AND reported >= :lo - {7 * DAY}"),),
    whole=(Span("reported", f"reported + {7 * DAY}", f"reported >= :lo - {7 * DAY}"),),
)
#: Of the dispatched events whose sign-for was decided in the last 24 h (the lead signed, or
#: the deadline passed first), the share signed in time.
SIGN_ON_TIME = EventRate(
    part=(Span("signed", f"signed + {DAY}",
               f"dispatched IS NOT NULL AND signed <= sign_due AND sign_due >= :lo - {DAY}"),),
    whole=(Span(_SIGN_DECIDED, f"{_SIGN_DECIDED} + {DAY}",
                f"dispatched IS NOT NULL AND sign_due >= :lo - {DAY}"),),
)
#: Of the events whose resolve deadline was decided in the last 24 h (resolved or closed, or
#: the deadline passed first), the share resolved in time.
RESOLVE_ON_TIME = EventRate(
    part=(Span("resolve_stop", f"resolve_stop + {DAY}",
               f"resolve_stop <= resolve_due AND resolve_due >= :lo - {DAY}"),),
    whole=(Span(_RESOLVE_DECIDED, f"{_RESOLVE_DECIDED} + {DAY}",
                f"resolve_due >= :lo - {DAY}"),),
)
#: 12345 hotline events reported since midnight / in the last hour.
HOTLINE_TODAY = EventCount((Span("reported", _NEXT_MIDNIGHT,
                                 f"source = '{HOTLINE}' AND reported >= :lo - {DAY}"),))
HOTLINE_HOUR = EventCount((Span("reported", "reported + 3600",
                                f"source = '{HOTLINE}' AND reported >= :lo - 3600"),))
