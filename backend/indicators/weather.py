"""The district's weather, shared by the curves that depend on it: rain showers (mostly dry,
now and then a shower, rarely a downpour), what the last hours of rain add up to, and the air's
slow wander between clean and hazy days."""

from __future__ import annotations

import numpy as np

from .daily import winter
from .noise import episodes, key, smooth

#: One block of this many minutes holds at most one shower.
SHOWER_BLOCK = 240
SHOWER_CHANCE = 0.06
SHOWER_MINUTES = (20.0, 150.0)


def district_rain(seed: int, minutes: np.ndarray) -> np.ndarray:
    """Rain over the district in mm per minute.

    A shower rises and falls over its length; its peak intensity is 1.5 to 61.5 mm/h, most
    of them light (the fourth power of a uniform number skews it low).
    """
    shape, size = episodes(key(seed, "weather", "shower"), minutes, SHOWER_BLOCK, SHOWER_CHANCE,
                           *SHOWER_MINUTES)
    peak_per_hour = 1.5 + 60.0 * size ** 4
    return shape * peak_per_hour / 60.0


def gauge_rain(seed: int, gauge: str, minutes: np.ndarray) -> np.ndarray:
    """Rain at one gauge: the district's, 0.7 to 1.3 times as much (showers are patchy)."""
    local = 1.0 + 0.3 * smooth(key(seed, "gauge", gauge), minutes, 90.0)
    return district_rain(seed, minutes) * local


def extended(m0: int, m1: int, lookback: int) -> np.ndarray:
    """Minutes `m0 - lookback + 1` .. `m1 - 1`: a range with `lookback - 1` minutes before it."""
    return np.arange(m0 - lookback + 1, m1, dtype=np.int64)


def trailing_sum(values: np.ndarray, window: int) -> np.ndarray:
    """Sums over the last `window` entries (this one included), for the entries from
    `window - 1` on: `len(values) - window + 1` sums."""
    total = np.concatenate(([0.0], np.cumsum(values)))
    return total[window:] - total[:-window]


def rain_last(seed: int, m0: int, m1: int, window: int, gauge: str | None = None) -> np.ndarray:
    """Rain in mm over the `window` minutes up to each minute of `m0 .. m1 - 1`."""
    minutes = extended(m0, m1, window)
    rain = district_rain(seed, minutes) if gauge is None else gauge_rain(seed, gauge, minutes)
    return np.maximum(trailing_sum(rain, window), 0.0)


def rain_memory(seed: int, m0: int, m1: int, hours: float, span_hours: float = 48.0
                ) -> np.ndarray:
    """Past rain (mm) fading with time constant `hours`, as a canal's level remembers it,
    for each minute of `m0 .. m1 - 1` (rain more than `span_hours` ago is forgotten)."""
    span = int(span_hours * 60)
    minutes = extended(m0, m1, span)
    kernel = np.exp(-np.arange(span) / (hours * 60.0))
    return np.convolve(district_rain(seed, minutes), kernel, mode="valid")


def haze(seed: int, minutes: np.ndarray) -> np.ndarray:
    """How hazy the air is, as a factor around 1: clean and hazy spells lasting days, worse in
    winter (about 0.35 to 4)."""
    k = key(seed, "weather", "haze")
    spell = 0.85 * smooth(k, minutes, 1.8 * 1440) + 0.3 * smooth(k ^ 0x9, minutes, 360.0)
    return np.exp(spell + 0.3 * winter(minutes))
