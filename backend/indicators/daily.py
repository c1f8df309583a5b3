"""The district's clock for the curves: local hour, weekday and season of a minute (Wuxi,
UTC+8, no daylight saving), and bell-shaped bumps over the day."""

from __future__ import annotations

import numpy as np

from console.schema import CST

#: Seconds the district's wall clock is ahead of UTC.
OFFSET_SECONDS = int(CST.utcoffset(None).total_seconds())
MINUTES_PER_DAY = 1440


def local_hour(minutes: np.ndarray) -> np.ndarray:
    """Hour of the local day, fractional (0 ≤ h < 24)."""
    local = np.asarray(minutes, dtype=np.int64) + OFFSET_SECONDS // 60
    return (local % MINUTES_PER_DAY) / 60.0


def local_day(minutes: np.ndarray) -> np.ndarray:
    """Local days since 1970-01-01."""
    return (np.asarray(minutes, dtype=np.int64) + OFFSET_SECONDS // 60) // MINUTES_PER_DAY


def weekend(minutes: np.ndarray) -> np.ndarray:
    """True on Saturdays and Sundays (1970-01-01 was a Thursday)."""
    return (local_day(minutes) + 3) % 7 >= 5


def winter(minutes: np.ndarray) -> np.ndarray:
    """1 in mid-January, -1 in mid-July, smoothly between."""
    return np.cos(2.0 * np.pi * (local_day(minutes) % 365.2425 - 15.0) / 365.2425)


def bump(hour: np.ndarray, centre: float, width: float) -> np.ndarray:
    """A bell over the day around `centre` o'clock (hours; wraps around midnight)."""
    d = (hour - centre + 12.0) % 24.0 - 12.0
    return np.exp(-0.5 * (d / width) ** 2)


def plateau(hour: np.ndarray, opens: float, closes: float, ramp: float = 1.0) -> np.ndarray:
    """About 1 between `opens` and `closes` o'clock, 0 outside, with soft edges."""
    rise = 1.0 / (1.0 + np.exp(-(hour - opens) / (ramp / 4.0)))
    fall = 1.0 / (1.0 + np.exp((hour - closes) / (ramp / 4.0)))
    return rise * fall
