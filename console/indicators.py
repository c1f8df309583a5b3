"""The city's vital signs (數字體征) as the console holds them: `IndicatorBoard`.

The board starts from `GET /api/v1/indicators` and each indicator's recent history
(`/series`), and follows `indicator.sample` messages from the live feed (the store's
`sig_other`). It keeps, per indicator, the current value and state and a history of the last
`HISTORY_HOURS` hours as NumPy arrays (epoch seconds, values), enough for a sparkline and for
the change against the same time yesterday. Call its methods on the thread that owns the
store (the GUI thread); nothing here does network or disk work.

Breaches: when an indicator enters "alarm" from another state, `sig_breach(indicator)` is
emitted once. It is not announced again until the indicator has stayed out of alarm for
`REARM_AFTER` seconds (an indicator hovering at its threshold must not flood the hall).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import numpy as np
from pydantic import Field, ValidationError

from console.events import Signal
from console.schema import (
    CST,
    INDICATOR_GROUPS,
    INDICATOR_STATES,
    Indicator,
    IndicatorSample,
    IndicatorState,
    LiveMessage,
)

log = logging.getLogger(__name__)

#: History kept per indicator: a day and an hour, so "the same time yesterday" is in it.
HISTORY_HOURS = 25
#: Seconds out of alarm after which a new alarm is announced again.
REARM_AFTER = 300.0
#: "The same time yesterday" is the kept sample nearest to 24 h ago, if it is this close.
YESTERDAY_TOLERANCE = 300.0
#: Indicators heard on the live feed before the list named them (the feed may start before
#: the list is loaded) are kept for the next `load`, up to this many.
MAX_UNLISTED = 1000

#: `(t, v)` float64 arrays (epoch seconds ascending, values) by indicator id.
Histories = dict[str, tuple[np.ndarray, np.ndarray]]

_KEEP_SECONDS = HISTORY_HOURS * 3600.0
_DAY = 86400.0
_EMPTY = np.empty(0, dtype=np.float64)
_EMPTY.flags.writeable = False


class LiveSample(IndicatorSample):
    """An `indicator.sample` as the console accepts it: a finite value, and a state that may
    be missing (then the indicator's thresholds decide it)."""

    id: str = Field(min_length=1, max_length=64)
    value: float = Field(allow_inf_nan=False)
    state: IndicatorState | None = None  # type: ignore[assignment]


def parse_sample(data: dict[str, Any]) -> LiveSample:
    """The sample in a live message's `data`; raises `pydantic.ValidationError`."""
    return LiveSample.model_validate(data)


def series_arrays(t: Iterable[float], v: Iterable[float | None]
                  ) -> tuple[np.ndarray, np.ndarray]:
    """`(t, v)` float64 arrays of a series, ascending in t, without the steps that have no
    (finite) value."""
    times = np.asarray(list(t) if not isinstance(t, np.ndarray) else t, dtype=np.float64)
    values = np.asarray(list(v) if not isinstance(v, np.ndarray) else v, dtype=np.float64)
    if times.shape != values.shape or times.ndim != 1:
        raise ValueError("a series needs as many times as values")
    keep = np.isfinite(times) & np.isfinite(values)
    if not keep.all():
        times, values = times[keep], values[keep]
    if len(times) > 1 and not (np.diff(times) > 0).all():
        times, first = np.unique(times, return_index=True)  # sorted; the first of repeats
        values = values[first]
    return times, values


class _History:
    """Append-only `(t, v)` buffers with a moving start: appends are amortised O(1), pruning
    moves the start. Data in `[lo, hi)` is never written again (a compaction copies to new
    buffers), so the views `view` hands out stay valid and unchanged."""

    __slots__ = ("hi", "last_t", "lo", "t", "v")

    def __init__(self, t: np.ndarray = _EMPTY, v: np.ndarray = _EMPTY) -> None:
        n = len(t)
        capacity = n + max(n // 4, 64)
        self.t = np.empty(capacity, dtype=np.float64)
        self.v = np.empty(capacity, dtype=np.float64)
        self.t[:n] = t
        self.v[:n] = v
        self.lo, self.hi = 0, n
        #: The time of the newest sample (-inf: none), as a Python float (read per sample).
        self.last_t = float(t[-1]) if n else -math.inf

    def __len__(self) -> int:
        return self.hi - self.lo

    def append(self, at: float, value: float) -> None:
        """Add a sample later than the last one (the caller checks)."""
        hi = self.hi
        if hi == len(self.t):
            self._move(1)
            hi = self.hi
        self.t[hi] = at
        self.v[hi] = value
        self.hi = hi + 1
        self.last_t = at

    def extend(self, t: np.ndarray, v: np.ndarray) -> None:
        """Add samples later than the last one, ascending."""
        n = len(t)
        if self.hi + n > len(self.t):
            self._move(n)
        if not n:
            return
        self.t[self.hi:self.hi + n] = t
        self.v[self.hi:self.hi + n] = v
        self.hi += n
        self.last_t = float(t[-1])

    def prune(self, cutoff: float) -> None:
        """Forget the samples before `cutoff`."""
        if self.hi > self.lo and self.t[self.lo] < cutoff:
            self.lo += int(np.searchsorted(self.t[self.lo:self.hi], cutoff, "left"))

    def view(self, since: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        lo = self.lo
        if since is not None and self.hi > lo and self.t[lo] < since:
            lo += int(np.searchsorted(self.t[lo:self.hi], since, "left"))
        t, v = self.t[lo:self.hi], self.v[lo:self.hi]
        t.flags.writeable = False
        v.flags.writeable = False
        return t, v

    def after(self, at: float) -> tuple[np.ndarray, np.ndarray]:
        """The samples later than `at`."""
        return self.view(np.nextafter(at, math.inf))

    def _move(self, extra: int) -> None:
        live = self.hi - self.lo
        capacity = live + extra + max(live // 2, 64)
        t = np.empty(capacity, dtype=np.float64)
        v = np.empty(capacity, dtype=np.float64)
        t[:live] = self.t[self.lo:self.hi]
        v[:live] = self.v[self.lo:self.hi]
        self.t, self.v, self.lo, self.hi = t, v, 0, live


class _Track:
    """What the board knows of one indicator. `definition` is None for an indicator heard
    on the live feed that no list has named yet."""

    __slots__ = ("armed", "at", "at_ts", "definition", "history", "quiet_since", "snapshot",
                 "state", "value")

    def __init__(self, definition: Indicator | None, history: _History) -> None:
        self.definition = definition
        self.history = history
        self.value: float | None = None
        self.at: datetime | None = None
        self.at_ts = -math.inf
        self.state: str | None = "normal"
        # Breaches: an entry into alarm is announced when `armed`, or when the indicator
        # left alarm (at `quiet_since`) at least REARM_AFTER before.
        self.armed = True
        self.quiet_since: float | None = None
        self.snapshot: Indicator | None = None
        if definition is not None:
            self.value, self.at, self.state = definition.value, definition.at, definition.state
            self.at_ts = definition.at.timestamp() if definition.at is not None else -math.inf

    def indicator(self) -> Indicator:
        snapshot = self.snapshot
        if snapshot is None:
            assert self.definition is not None
            state = self.state
            if state is None:
                state = self.definition.thresholds.state_of(self.value)
            snapshot = self.snapshot = self.definition.model_copy(
                update={"value": self.value, "at": self.at, "state": state})
        return snapshot


class IndicatorBoard:
    """Every indicator by id, with its recent history, following the live feed.

    Signals:
    - `sig_loaded()` after `load` replaced everything;
    - `sig_changed(ids)` after live samples changed these indicators (one emit per batch);
    - `sig_state(indicator, old_state)` when an indicator's state changed;
    - `sig_breach(indicator)` when an indicator entered alarm (see the module's docstring).

    A batch's `sig_changed` comes first, then its `sig_state` and `sig_breach` in the order
    the changes happened, each with the indicator as it was then; the board already holds the
    whole batch when they are emitted.
    """

    def __init__(self, store=None) -> None:
        self.sig_loaded = Signal("indicators loaded")
        self.sig_changed = Signal("indicators changed")
        self.sig_state = Signal("indicator state")
        self.sig_breach = Signal("indicator breach")
        self._tracks: dict[str, _Track] = {}
        self._order: list[str] = []
        self._unlisted = 0
        self._unlisted_warned = False
        if store is not None:
            store.sig_other.connect(self.apply_messages)

    # ---- Filling

    def load(self, indicators: Iterable[Indicator],
             history: dict[str, tuple[np.ndarray, np.ndarray]] | None = None) -> None:
        """Replace every indicator, and the histories given (`(t, v)` arrays, epoch seconds
        ascending). No breach is announced for states an indicator already had.

        What the live feed brought since the list was read is kept: a current value later
        than the listed one wins, and samples later than a given history's end are kept
        after it (also for indicators heard live before any list named them). An indicator
        without a given history keeps the one the board holds."""
        history = history or {}
        old = self._tracks
        tracks: dict[str, _Track] = {}
        listed: list[Indicator] = []
        for indicator in indicators:
            if indicator.id in tracks:
                log.warning("indicator %s listed twice; the first kept", indicator.id)
                continue
            previous = old.get(indicator.id)
            given = history.get(indicator.id)
            if given is not None:
                kept = _History(*series_arrays(*given))
                if previous is not None:
                    kept.extend(*previous.history.after(kept.last_t))
            elif previous is not None:
                kept = previous.history
            else:
                kept = _History()
            track = _Track(indicator, kept)
            if previous is not None:
                self._carry_over(previous, track)
            elif track.state == "alarm":
                track.armed = False  # already in alarm: not news
            newest = max(kept.last_t, track.at_ts)
            if newest > -math.inf:
                kept.prune(newest - _KEEP_SECONDS)
            tracks[indicator.id] = track
            listed.append(indicator)
        ranks = {group: n for n, group in enumerate(INDICATOR_GROUPS)}
        position = {indicator.id: n for n, indicator in enumerate(listed)}
        self._order = sorted(position, key=lambda i: (
            ranks.get(tracks[i].definition.group, len(ranks)), position[i]))
        self._tracks = tracks
        self._unlisted = 0
        self.sig_loaded.emit()

    @staticmethod
    def _carry_over(previous: _Track, track: _Track) -> None:
        """Live news newer than the list, and the breach bookkeeping, from `previous`."""
        if previous.value is not None and previous.at_ts > track.at_ts:
            track.value, track.at, track.at_ts = previous.value, previous.at, previous.at_ts
            track.state = (previous.state if previous.state is not None
                           else track.definition.thresholds.state_of(previous.value))
        was_alarm = previous.definition is not None and previous.state == "alarm"
        if track.state == "alarm":
            track.armed = False
            track.quiet_since = None
        elif was_alarm:  # it left alarm by the time of the list: the re-arm clock runs
            track.armed = track.at_ts == -math.inf
            track.quiet_since = None if track.armed else track.at_ts
        else:
            track.armed, track.quiet_since = previous.armed, previous.quiet_since

    def apply_messages(self, messages: list[LiveMessage]) -> None:
        """Apply the `indicator.sample` messages among `messages` (others are ignored); a
        malformed sample is logged and skipped."""
        samples: list[LiveSample] = []
        for message in messages:
            if message.type != "indicator.sample":
                continue
            try:
                samples.append(LiveSample.model_validate(message.data))
            except ValidationError as exc:
                log.warning("skipped indicator.sample seq %d: %d validation errors",
                            message.seq, exc.error_count())
        if samples:
            self.apply_samples(samples)

    def apply_samples(self, samples: Iterable[IndicatorSample]) -> None:
        """Apply samples (in time order): value, state and history; emits as documented."""
        tracks = self._tracks
        changed: dict[str, None] = {}
        news: list[tuple[Indicator, str, bool]] = []  # (indicator, old state, breach)
        newest: dict[str, _Track] = {}
        for sample in samples:
            track = tracks.get(sample.id)
            if track is None:
                track = self._unlisted_track(sample.id)
                if track is None:
                    continue
            at_ts = sample.at.timestamp()
            value = sample.value
            if at_ts < track.at_ts or not math.isfinite(value):
                continue  # an older sample (a replay after a reload): history has it
            state = sample.state
            definition = track.definition
            if state is None and definition is not None:
                state = definition.thresholds.state_of(value)
            if at_ts == track.at_ts and value == track.value and state == track.state:
                continue
            history = track.history
            if at_ts > history.last_t:
                history.append(at_ts, value)
                newest[sample.id] = track
            old = track.state
            track.value, track.at, track.at_ts, track.state = value, sample.at, at_ts, state
            track.snapshot = None
            if definition is None:
                continue
            changed[sample.id] = None
            if state != old:
                news.append((track.indicator(), old or "normal", self._breach(track, old, at_ts)))
        for track in newest.values():
            track.history.prune(track.history.last_t - _KEEP_SECONDS)
        if changed:
            self.sig_changed.emit(list(changed))
        for indicator, old, breach in news:
            self.sig_state.emit(indicator, old)
            if breach:
                self.sig_breach.emit(indicator)

    @staticmethod
    def _breach(track: _Track, old: str | None, at: float) -> bool:
        """Follow a state change at `at`; True when it is a breach to announce."""
        if track.state == "alarm":
            announce = track.armed or (track.quiet_since is not None
                                       and at - track.quiet_since >= REARM_AFTER)
            track.armed, track.quiet_since = False, None
            return announce
        if old == "alarm":
            track.quiet_since = at
        return False

    def _unlisted_track(self, indicator_id: str) -> _Track | None:
        if self._unlisted >= MAX_UNLISTED:
            if not self._unlisted_warned:
                log.warning("more than %d indicators not listed by the backend; samples of "
                            "others are ignored until the next load", MAX_UNLISTED)
                self._unlisted_warned = True
            return None
        self._unlisted += 1
        track = self._tracks[indicator_id] = _Track(None, _History())
        track.state = None
        return track

    # ---- Reading

    def __len__(self) -> int:
        return len(self._order)

    def get(self, indicator_id: str) -> Indicator | None:
        """The indicator with its current value, `at` and state."""
        track = self._tracks.get(indicator_id)
        if track is None or track.definition is None:
            return None
        return track.indicator()

    def indicators(self) -> list[Indicator]:
        """All indicators, by group (INDICATOR_GROUPS order, unknown groups last) and then in
        the order the backend listed them."""
        tracks = self._tracks
        return [tracks[i].indicator() for i in self._order]

    def groups(self) -> list[tuple[str, list[Indicator]]]:
        """`(group, indicators)` in the order `indicators()` gives."""
        groups: list[tuple[str, list[Indicator]]] = []
        for indicator in self.indicators():
            if not groups or groups[-1][0] != indicator.group:
                groups.append((indicator.group, []))
            groups[-1][1].append(indicator)
        return groups

    def history(self, indicator_id: str, since: float | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
        """`(t, v)` float64 arrays of the kept history from `since` (epoch seconds) on.

        The arrays are read-only views (no copy): they stay as they are while the board goes
        on; an unknown indicator has empty ones."""
        track = self._tracks.get(indicator_id)
        if track is None or track.definition is None:
            return _EMPTY, _EMPTY
        return track.history.view(since)

    def same_time_yesterday(self, indicator_id: str, now: float) -> float | None:
        """The value 24 h before `now` (the nearest kept sample within 5 minutes of it)."""
        t, v = self.history(indicator_id)
        if not len(t):
            return None
        target = now - _DAY
        k = int(np.searchsorted(t, target))
        best: int | None = None
        for i in (k - 1, k):
            if 0 <= i < len(t) and abs(t[i] - target) <= YESTERDAY_TOLERANCE and (
                    best is None or abs(t[i] - target) < abs(t[best] - target)):
                best = i
        return None if best is None else float(v[best])

    def change_vs_yesterday(self, indicator_id: str, now: float) -> float | None:
        """Current value minus `same_time_yesterday`; None if either is unknown."""
        indicator = self.get(indicator_id)
        if indicator is None or indicator.value is None:
            return None
        before = self.same_time_yesterday(indicator_id, now)
        return None if before is None else indicator.value - before


def indicator_from_cache(document: bytes, value: float | None, state: str | None,
                         at: float | None) -> Indicator:
    """An indicator as the offline cache kept it: its listed definition (`document`) with
    the latest value the cache holds; a state the cache does not hold (or not a known one)
    comes from the thresholds. Raises ValueError for an unreadable document."""
    indicator = Indicator.model_validate_json(document)
    if value is None or not math.isfinite(value) or at is None:
        return indicator
    if state not in INDICATOR_STATES:
        state = indicator.thresholds.state_of(value)
    return indicator.model_copy(update={
        "value": float(value), "state": state, "at": datetime.fromtimestamp(at, CST)})


__all__ = ["HISTORY_HOURS", "INDICATOR_GROUPS", "MAX_UNLISTED", "REARM_AFTER",
           "YESTERDAY_TOLERANCE", "Histories", "IndicatorBoard", "LiveSample", "indicator_from_cache",
           "parse_sample", "series_arrays"]
