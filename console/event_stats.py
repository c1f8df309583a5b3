"""The day's event statistics of the hall (issue 5): intake by source, closure rate, on-time
sign-for and resolve rates, overdue and sent-back tickets (退单), top categories and streets.

`EventStatsIndex` follows an `EventStore` and keeps one NumPy column per fact the figures
need (report time, status, source, category, street, the two deadlines, when the lead
signed and when the resolve clock stopped, the times of the returns). A store change costs
a read of the changed events only, while the store still serves them decoded (its
signals), and of little more than the status of events finished before the day began; the
figures are then a handful of vectorised passes over the columns (`compute`), a few
milliseconds for 100,000 events (`bench/stats.py`). `refresh` recomputes at most once every `MIN_INTERVAL` seconds after a
change, and every `CLOCK_INTERVAL` seconds without one (deadlines pass, the day turns).

The figures, for one district day `D` (00:00 to 24:00 Asia/Shanghai, UTC+8, no daylight
saving; "today" by default, from the console's clock) as of the moment `now`:

- **intake** (受理量): events whose `reported_at` falls on `D`; **by source**: the same, per
  `source` (every source of the contract, most first).
- **closure rate** (办结率): of the day's intake, the share whose status is now `resolved`
  or `closed`. A reopened event no longer counts as done.
- **on-time sign-for rate** (按时签收率): of the dispatched events (those with a lead
  assignment) whose sign-for was settled on `D`, the share signed in time. It is settled when
  the lead signed, if at or before `sla.sign_due` (in time); otherwise at `sla.sign_due`,
  once passed (late: signed after it, or not signed yet). Each dispatch restarts the
  deadline and replaces the assignments, so an event counts with its latest dispatch. An
  event resolved or closed before its deadline without a signature is not rated.
- **on-time resolve rate** (按期办结率): of the events whose resolve deadline was settled on
  `D`, the share resolved in time. The resolve clock stops at the first "resolve" or "close"
  timeline entry after the last "reopen" (`updated_at` if there is none) of a resolved or
  closed event; settled then if at or before `sla.resolve_due`, otherwise at the deadline
  once passed. A reopen restarts it.
- **overdue** (超时): open events with a running deadline (`console.flow.running_deadline`)
  before `now` — exactly what the queue's "overdue" filter shows; also per clock (an event
  with both clocks overdue counts in both).
- **sent back** (退单): `returned_now`, events whose status is `returned` (a unit sent them
  back and the hall has not dispatched them again); `returns`, "return" timeline entries
  whose time falls on `D` (an event sent back twice counts twice; `Event.bounces` is the
  same count over the event's whole life).
- **top categories / top streets**: the day's intake per `category` code (the event's own,
  not rolled up to its parent) and per `location.street_id` ("" when none), most first, then
  by code; names from the catalog (the code when the catalog does not know it).

Every rate keeps its numerator and denominator (`Rate`); with a zero denominator its value
is None, which the views show as "—", never 0 %.

The per-event milestones are the backend's (`backend/indicators/event_figures.py`: the
lead's `signed_at`, the resolve stop, the deadlines as restarted by `backend/flow.py` on each
dispatch and reopen), so these figures and the backend's event indicators agree on each
event. They differ in:
- the window: here the district day `D`; the backend's indicators are "today" for intake,
  the last 7 days for closure and the last 24 hours for the on-time rates;
- "open": here every status but `closed`, as the queue's "Open events" (a resolved event
  waits for the hall to close it); the backend's "在办事件" leaves resolved events out;
- a dispatched event resolved or closed unsigned before its sign-for deadline: not rated
  here, a miss at the deadline for the backend;
- the desk's clock badges (`console.clocks`): they show no resolve outcome for an event
  closed without a "resolve" report (counted here, at its close), and the sign-for clock of
  a sent-back event as running again (here its lead's signature, if any, still counts).
The backend has no figure of the returns (`bounces`).
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from console.flow import RESOLVE_CLOCK_STATUSES, SIGN_CLOCK_STATUSES
from console.queue_index import QueueFilter
from console.schema import CST, OPEN_STATUSES, SOURCES, STATUSES, Catalog, Event, now_cst

#: After a store change, the figures are recomputed at most this often (seconds).
MIN_INTERVAL = 2.0
#: Without a change, they are recomputed this often: deadlines pass, the day turns.
CLOCK_INTERVAL = 10.0
#: Entries in the top-category and top-street lists.
TOP = 5

_STATUS_CODE = {status: code for code, status in enumerate(STATUSES)}
_UNKNOWN = len(STATUSES)
_SOURCE_CODE = {source: code for code, source in enumerate(SOURCES)}


def _by_status(statuses: Iterable[str]) -> np.ndarray:
    """A lookup array: status code -> whether the status is in `statuses`."""
    wanted = set(statuses)
    return np.array([s in wanted for s in STATUSES] + [False])


_SIGN_RUNS = _by_status(SIGN_CLOCK_STATUSES)
_RESOLVE_RUNS = _by_status(RESOLVE_CLOCK_STATUSES)
_OPEN = _by_status(OPEN_STATUSES)
_DONE = _by_status({"resolved", "closed"})
_RETURNED = _STATUS_CODE["returned"]
_NAN = float("nan")
#: Statuses with no running clock: all an event's figures are in its past.
_FINISHED = frozenset(STATUSES) - RESOLVE_CLOCK_STATUSES


@dataclass(frozen=True)
class Rate:
    """A share: `part` of `whole`. `value` is None when `whole` is 0 (nothing to rate)."""

    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return self.part / self.whole if self.whole else None


@dataclass(frozen=True)
class Tally:
    """One line of a breakdown: a code (source, category or street id), its display name from
    the catalog, and how many events it has."""

    code: str
    name: str
    count: int


@dataclass(frozen=True)
class EventStats:
    """The hall's figures for one district day (see the module docstring for each one).

    `now` is the moment they were computed at; it is left out of equality, so two
    computations with the same figures compare equal.
    """

    day: date
    now: datetime = field(compare=False)
    #: Events held by the store, and those of them that are open.
    events: int
    open_now: int
    intake: int
    by_source: tuple[Tally, ...]
    closure: Rate
    sign_on_time: Rate
    resolve_on_time: Rate
    overdue: int
    overdue_sign: int
    overdue_resolve: int
    returned_now: int
    returns: int
    top_categories: tuple[Tally, ...]
    top_streets: tuple[Tally, ...]


def district_day(moment: datetime) -> date:
    """The district's calendar day (Asia/Shanghai) of `moment`."""
    return moment.astimezone(CST).date()


def day_bounds(day: date) -> tuple[float, float]:
    """Epoch seconds of the start of `day` (00:00 in the district) and of the next day."""
    start = datetime.combine(day, datetime.min.time(), CST).timestamp()
    return start, start + 86400.0


# ---- Clicking a figure: the queue filter that shows what it counts

def queue_filter_for(figure: str, code: str | None = None) -> QueueFilter | None:
    """The queue filter that shows the events behind `figure` (with `code` for a breakdown
    line: a source, category or street id), or None when the queue cannot show them.

    The queue has no filter by day, so the day's figures (intake, its breakdowns) open the
    events of every day, of every status, with the same source / category / street; the
    queue lists the newest first. Overdue and sent-back are "now" figures and match exactly.
    The rates have no filter.
    """
    if figure == "intake":
        return QueueFilter(statuses=None)
    if figure == "open":
        return QueueFilter(statuses=OPEN_STATUSES)
    if figure == "overdue":
        return QueueFilter(statuses=OPEN_STATUSES, overdue=True)
    if figure == "returned":
        return QueueFilter(statuses=frozenset({"returned"}))
    if code is None:
        return None
    if figure == "source":
        return QueueFilter(statuses=None, sources=frozenset({code}))
    if figure == "category":
        return QueueFilter(statuses=None, categories=frozenset({code}))
    if figure == "street":
        return QueueFilter(statuses=None, streets=frozenset({code}))
    return None


# ---- Following the store


class _Codes:
    """Small integer ids for the codes of one text column (categories, streets)."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self._ids: dict[str, int] = {}

    def id_of(self, code: str) -> int:
        found = self._ids.get(code)
        if found is None:
            found = self._ids[code] = len(self.codes)
            self.codes.append(code)
        return found

    def __len__(self) -> int:
        return len(self.codes)


class EventStatsIndex:
    """The facts of every store row the figures need, as NumPy columns, kept up to date from
    the store's signals (see the module docstring). Build it before the store is loaded: a
    load is then read while the store still serves its events decoded; built over a full
    store, it decodes every row once (about 30 µs each).

    `since` is the first day whose figures will be asked for (default: the day each event
    is read on). An event finished (resolved or closed) before that day began takes no part
    in that day's figures or any later day's but for its status, so only its status is read
    (most of a full load: a fifth of the work). Figures of an earlier day raise ValueError.

    `clock` gives the console's current time (aware); `monotonic` the throttle's clock.
    Call everything on the thread that changes the store (the GUI thread).
    """

    def __init__(self, store, clock: Callable[[], datetime] = now_cst,
                 monotonic: Callable[[], float] = time.monotonic, top: int = TOP,
                 since: date | None = None) -> None:
        self._store = store
        self._clock = clock
        self._monotonic = monotonic
        self._top = top
        self._since = day_bounds(since)[0] if since is not None else None
        #: Epoch seconds: figures of days starting before this may be missing events.
        self._horizon = -math.inf
        self._count = 0
        self._capacity = 0
        self._status = np.zeros(0, dtype=np.int8)
        self._source = np.zeros(0, dtype=np.int8)
        self._category = np.zeros(0, dtype=np.int32)
        self._street = np.zeros(0, dtype=np.int32)
        self._reported = np.zeros(0, dtype=np.float64)
        self._sign_due = np.zeros(0, dtype=np.float64)
        self._signed = np.zeros(0, dtype=np.float64)  # NaN: not dispatched; inf: not signed
        self._resolve_due = np.zeros(0, dtype=np.float64)
        self._resolve_stop = np.zeros(0, dtype=np.float64)
        self._categories = _Codes()
        self._streets = _Codes()
        #: Store row -> times of its "return" entries (only rows that were sent back).
        self._returns: dict[int, tuple[float, ...]] = {}
        self._return_times: np.ndarray | None = np.zeros(0)
        self._changed = True
        self._computed_at: float | None = None
        #: The figures of the last `compute` (None before the first).
        self.latest: EventStats | None = None
        store.sig_inserted.connect(self._inserted)
        store.sig_updated.connect(self._updated)
        store.sig_reset.connect(self._reset)
        store.sig_catalog.connect(self._catalog_changed)
        self._reset()

    # ---- Public API

    def __len__(self) -> int:
        return self._count

    @property
    def stale(self) -> bool:
        """True when the store changed since the last `compute`."""
        return self._changed

    def compute(self, day: date | None = None, now: datetime | None = None) -> EventStats:
        """The figures of `day` (default: the district's day of `now`) as of `now` (default:
        the clock's time); also kept as `latest` when `day` is the default."""
        now = now if now is not None else self._clock()
        today = district_day(now)
        stats = self._figures(day if day is not None else today, now)
        if day is None or day == today:
            self.latest = stats
            self._changed = False
            self._computed_at = self._monotonic()
        return stats

    def refresh(self, force: bool = False) -> EventStats | None:
        """Today's figures recomputed, when due: the store changed and `MIN_INTERVAL` has
        passed since the last computation, or `CLOCK_INTERVAL` has, or `force`. None when
        not due (`latest` still holds the last figures)."""
        last = self._computed_at
        if not force and last is not None:
            waited = self._monotonic() - last
            if waited < (MIN_INTERVAL if self._changed else CLOCK_INTERVAL):
                return None
        return self.compute()

    # ---- The figures

    def _figures(self, day: date, now: datetime) -> EventStats:
        n = self._count
        start, end = day_bounds(day)
        if start < self._horizon:
            raise ValueError(f"the figures of {day} need events this index did not read in "
                             f"full (build it with an earlier `since`)")
        at = now.timestamp()
        status = self._status[:n]
        reported = self._reported[:n]
        intake = (reported >= start) & (reported < end)
        intake_count = int(np.count_nonzero(intake))
        sign_runs = _SIGN_RUNS[status]
        resolve_runs = _RESOLVE_RUNS[status]
        sign_due, resolve_due = self._sign_due[:n], self._resolve_due[:n]
        overdue_sign = sign_runs & (sign_due < at)  # NaN (no deadline) compares False
        overdue_resolve = resolve_runs & (resolve_due < at)
        per_source = np.bincount(self._source[:n][intake], minlength=len(SOURCES) + 1)
        sources = sorted(
            (Tally(code, self._source_name(code), int(per_source[i]))
             for i, code in enumerate(SOURCES)),
            key=lambda tally: -tally.count)  # stable: ties keep the contract's order
        return EventStats(
            day=day, now=now, events=n, open_now=int(np.count_nonzero(_OPEN[status])),
            intake=intake_count, by_source=tuple(sources),
            closure=Rate(int(np.count_nonzero(intake & _DONE[status])), intake_count),
            sign_on_time=self._sign_rate(n, at, start, end),
            resolve_on_time=_rate(resolve_due, self._resolve_stop[:n], np.bool_(True), at,
                                  start, end),
            overdue=int(np.count_nonzero(overdue_sign | overdue_resolve)),
            overdue_sign=int(np.count_nonzero(overdue_sign)),
            overdue_resolve=int(np.count_nonzero(overdue_resolve)),
            returned_now=int(np.count_nonzero(status == _RETURNED)),
            returns=self._returns_between(start, end),
            top_categories=self._top_of(self._category[:n][intake], self._categories,
                                        self._category_names()),
            top_streets=self._top_of(self._street[:n][intake], self._streets,
                                     self._street_names()),
        )

    def _sign_rate(self, n: int, now: float, start: float, end: float) -> Rate:
        signed, due = self._signed[:n], self._sign_due[:n]
        # Not rated: never dispatched, or resolved/closed unsigned before the deadline.
        rated = ~np.isnan(signed) & ~(np.isinf(signed) & (self._resolve_stop[:n] < due))
        return _rate(due, signed, rated, now, start, end)

    def _top_of(self, ids: np.ndarray, codes: _Codes, names: dict[str, str]
                ) -> tuple[Tally, ...]:
        counts = np.bincount(ids, minlength=len(codes))
        present = np.flatnonzero(counts)
        ranked = sorted(present.tolist(), key=lambda i: (-int(counts[i]), codes.codes[i]))
        return tuple(Tally(codes.codes[i], names.get(codes.codes[i], codes.codes[i]),
                           int(counts[i])) for i in ranked[: self._top])

    def _returns_between(self, start: float, end: float) -> int:
        if self._return_times is None:
            self._return_times = np.fromiter(
                itertools.chain.from_iterable(self._returns.values()), dtype=np.float64)
        times = self._return_times
        return int(np.count_nonzero((times >= start) & (times < end)))

    def _catalog(self) -> Catalog | None:
        return getattr(self._store, "catalog", None)

    def _category_names(self) -> dict[str, str]:
        catalog = self._catalog()
        return {c.code: c.name for c in catalog.categories} if catalog else {}

    def _street_names(self) -> dict[str, str]:
        catalog = self._catalog()
        return {s.id: s.name for s in catalog.streets} if catalog else {}

    def _source_name(self, code: str) -> str:
        catalog = self._catalog()
        for source in catalog.sources if catalog else ():
            if not isinstance(source, str) and source.code == code:
                return source.name
        return code

    # ---- Reading the store

    def _inserted(self, first: int, count: int) -> None:
        stop = min(first + count, len(self._store))
        if stop > self._count:
            self._read(range(self._count, stop))

    def _updated(self, rows: Iterable[int]) -> None:
        self._read([row for row in rows if 0 <= row < self._count])

    def _reset(self) -> None:
        self._count = 0
        self._horizon = -math.inf
        self._categories = _Codes()
        self._streets = _Codes()
        self._returns = {}
        self._return_times = None
        self._read(range(len(self._store)))
        self._changed = True

    def _catalog_changed(self, _catalog) -> None:
        self._changed = True

    def _read(self, rows: Iterable[int]) -> None:
        """Read `rows` (existing rows, or the next ones in order) into the columns: the one
        Python step per event, so it reads only what the figures can use (the status alone of
        an event finished before the first day asked for; the timeline only of a finished
        event or one that was sent back)."""
        rows = list(rows)
        if not rows:
            return
        end = max(rows) + 1
        self._ensure(end)
        finished_before = self._since
        if finished_before is None:
            finished_before = day_bounds(district_day(self._clock()))[0]
        self._horizon = max(self._horizon, finished_before)
        event_at = self._store.event_at
        category_id, street_id = self._categories.id_of, self._streets.id_of
        returns = self._returns
        returns_changed = False
        # One list per column, no tuple per event: allocating 100,000 containers on a full
        # load would wake the garbage collector over the heap the load just built.
        statuses: list[int] = []
        full: list[int] = []  # the rows read in full; the others: status only
        sources: list[int] = []
        categories: list[int] = []
        streets: list[int] = []
        reported: list[float] = []
        sign_dues: list[float] = []
        signed_ats: list[float] = []
        resolve_dues: list[float] = []
        stops: list[float] = []
        for row in rows:
            event: Event = event_at(row)
            status = event.status
            statuses.append(_STATUS_CODE.get(status, _UNKNOWN))
            if status in _FINISHED and event.updated_at.timestamp() < finished_before:
                # Every time it holds is before `finished_before`, and no clock runs.
                if returns and returns.pop(row, None) is not None:
                    returns_changed = True
                continue
            full.append(row)
            sources.append(_SOURCE_CODE.get(event.source, len(SOURCES)))
            categories.append(category_id(event.category))
            streets.append(street_id(event.location.street_id or ""))
            reported.append(event.reported_at.timestamp())
            sla = event.sla
            sign_dues.append(_NAN if sla.sign_due is None else sla.sign_due.timestamp())
            resolve_dues.append(_NAN if sla.resolve_due is None else sla.resolve_due.timestamp())
            signed = _NAN  # not dispatched
            for assignment in event.assignments:
                if assignment.role == "lead":
                    if assignment.signed_at is not None:
                        signed = assignment.signed_at.timestamp()
                        break
                    signed = math.inf  # dispatched, not signed (yet)
            signed_ats.append(signed)
            stops.append(_resolve_stop(event) if status in _FINISHED else _NAN)
            if event.bounces:
                returns[row] = tuple(entry.at.timestamp() for entry in event.timeline
                                     if entry.action == "return")
                returns_changed = True
            elif returns and returns.pop(row, None) is not None:
                returns_changed = True
        if returns_changed:
            self._return_times = None
        index = np.fromiter(rows, dtype=np.int64, count=len(rows))
        self._status[index] = statuses
        if len(full) < len(rows):
            self._clear(index)
        if full:
            index = np.fromiter(full, dtype=np.int64, count=len(full))
            for column, values in ((self._source, sources), (self._category, categories),
                                   (self._street, streets), (self._reported, reported),
                                   (self._sign_due, sign_dues), (self._signed, signed_ats),
                                   (self._resolve_due, resolve_dues),
                                   (self._resolve_stop, stops)):
                column[index] = values
        self._count = max(self._count, end)
        self._changed = True

    def _clear(self, rows: np.ndarray) -> None:
        """Blank every column but the status of `rows`: no time, no known source."""
        self._source[rows] = len(SOURCES)
        self._category[rows] = 0
        self._street[rows] = 0
        for column in (self._reported, self._sign_due, self._signed, self._resolve_due,
                       self._resolve_stop):
            column[rows] = np.nan

    def _ensure(self, size: int) -> None:
        if size <= self._capacity:
            return
        capacity = max(1024, size, self._capacity * 3 // 2)
        for name in ("_status", "_source", "_category", "_street", "_reported", "_sign_due",
                     "_signed", "_resolve_due", "_resolve_stop"):
            column = getattr(self, name)
            grown = np.zeros(capacity, dtype=column.dtype)
            grown[: self._count] = column[: self._count]
            setattr(self, name, grown)
        self._capacity = capacity


def _resolve_stop(event: Event) -> float:
    """Epoch seconds at which a resolved or closed event's resolve clock stopped: its first
    "resolve" or "close" entry after the last "reopen", else its `updated_at` (as the
    backend's indicators have it)."""
    stop = None
    for entry in event.timeline:
        action = entry.action
        if action == "reopen":
            stop = None
        elif stop is None and (action == "resolve" or action == "close"):
            stop = entry.at
    return (stop if stop is not None else event.updated_at).timestamp()


def _rate(due: np.ndarray, stop: np.ndarray, rated: np.ndarray, now: float, start: float,
          end: float) -> Rate:
    """The on-time rate of one deadline over the events settled in [start, end) by `now`:
    in time when `stop` (NaN or inf: not stopped) is at or before `due` (settled at `stop`),
    else late (settled at `due`). See the module docstring."""
    in_time = stop <= due  # NaN and inf compare False
    settled_at = np.where(in_time, stop, due)
    counted = rated & (settled_at >= start) & (settled_at < end) & (settled_at <= now)
    return Rate(int(np.count_nonzero(in_time & counted)), int(np.count_nonzero(counted)))


__all__ = ["CLOCK_INTERVAL", "MIN_INTERVAL", "TOP", "EventStats",
           "EventStatsIndex", "Rate", "Tally", "day_bounds", "district_day", "queue_filter_for"]
