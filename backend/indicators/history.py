"""The time range of `GET /api/v1/indicators/{id}/series` and its bucketing.

The history is made of one-minute values; minute `m` (epoch seconds `60·m`) belongs to a
series when `from ≤ 60·m < to`. A series' points are buckets of `step` seconds aligned to the
district's midnight; each point is the bucket's start and the mean of its one-minute values
(NaN, sent as null, where it has none). The history reaches 7 days back: an older `from` is
moved up to then, a `to` in the future down to now.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import ApiError
from .daily import OFFSET_SECONDS
from .event_figures import DAY

HISTORY_SECONDS = 7 * DAY
DEFAULT_SPAN = DAY
MIN_STEP = 60.0
MAX_STEP = float(HISTORY_SECONDS)
MAX_POINTS = 20_000


@dataclass(frozen=True)
class Window:
    """Minutes `m0 .. m1 - 1` of the history, bucketed by `step` seconds (empty when m0 ≥ m1)."""

    m0: int
    m1: int
    step: float


def window(start: float | None, end: float | None, step: float, now: float) -> Window:
    """Check a series request (422 `invalid` with the field) and clip it to the history."""
    for name, value in (("from", start), ("to", end), ("step", step)):
        if value is not None and not math.isfinite(value):
            raise ApiError(422, "invalid", f"`{name}` must be a finite number.", {"field": name})
    if step < MIN_STEP or step > MAX_STEP:
        raise ApiError(422, "invalid", f"`step` must be {MIN_STEP:.0f} to {MAX_STEP:.0f} seconds.",
                       {"field": "step", "min": MIN_STEP, "max": MAX_STEP})
    if end is None:
        end = now
    if start is None:
        start = end - DEFAULT_SPAN
    if start >= end:
        raise ApiError(422, "invalid", "`from` must be before `to`.", {"field": "from"})
    points = math.ceil((end - start) / step)
    if points > MAX_POINTS:
        raise ApiError(422, "invalid", f"The range holds {points} steps; at most {MAX_POINTS}.",
                       {"field": "step", "points": points, "max_points": MAX_POINTS})
    start = max(start, now - HISTORY_SECONDS)
    end = min(end, now)
    if start >= end:
        return Window(0, 0, step)
    return Window(math.ceil(start / 60.0), math.ceil(end / 60.0), step)


def buckets(values: np.ndarray, win: Window, precision: int) -> tuple[np.ndarray, np.ndarray]:
    """`(t, v)`: bucket starts (epoch seconds) and the means of `values` (minutes `win.m0 ..`)
    in them, rounded to `precision` decimals (one more when a bucket holds several minutes)."""
    if win.m1 <= win.m0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    seconds = np.arange(win.m0, win.m1, dtype=np.float64) * 60.0
    bucket = np.floor((seconds + OFFSET_SECONDS) / win.step).astype(np.int64)
    index = bucket - bucket[0]
    valid = ~np.isnan(values)
    total = np.bincount(index, weights=np.where(valid, values, 0.0))
    count = np.bincount(index, weights=valid.astype(np.float64))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1.0), np.nan)
    starts = np.arange(bucket[0], bucket[-1] + 1) * win.step - OFFSET_SECONDS
    several = win.step > MIN_STEP
    mean = np.round(mean, precision + 1 if several else precision)
    if float(win.step).is_integer():
        starts = np.round(starts).astype(np.int64)
    return starts, mean
