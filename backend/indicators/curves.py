"""Believable measured values (kind "sensor"): one curve per kind of sensor.

A curve gives the value of each minute `m0 .. m1 - 1` (minutes since the epoch) for a seed:
a daily rhythm in the district's local time (rush hours, evening crowds at the scenic
streets, daytime shoppers), slow wander from day to day, and noise — all from `noise`, so a
minute's value never changes and any past minute can be computed again. Each curve's `name`
(the indicator's id) keys its own noise; the weather is shared by all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .daily import bump, local_hour, plateau, weekend, winter
from .noise import episodes, key, normal, smooth, uniform
from .weather import extended, haze, rain_last, rain_memory, trailing_sum


class Curve:
    """Base of the sensor curves: `values(seed, m0, m1)` → float64 array of `m1 - m0`."""

    kind = "sensor"
    name: str

    def values(self, seed: int, m0: int, m1: int) -> np.ndarray:
        raise NotImplementedError

    def _key(self, seed: int, part: str = "") -> int:
        return key(seed, self.name, part)


def _minutes(m0: int, m1: int) -> np.ndarray:
    return np.arange(m0, m1, dtype=np.int64)


# ---- daily rhythms: (local hour, weekend?) → about 0 .. 1


def _commute(h: np.ndarray, we: np.ndarray) -> np.ndarray:
    workday = 0.85 * bump(h, 8.0, 0.8) + bump(h, 17.6, 1.05) + 0.3 * plateau(h, 9.5, 16.5, 1.5)
    rest = 0.35 * bump(h, 10.5, 1.6) + 0.6 * bump(h, 16.3, 2.2) + 0.15 * plateau(h, 10, 21, 2)
    return np.where(we, rest, workday)


def _shopping(h: np.ndarray, we: np.ndarray) -> np.ndarray:
    opening = np.where(we, plateau(h, 9.5, 22.0, 1.2), plateau(h, 10.0, 22.0, 1.2))
    busy = 0.45 + 0.35 * bump(h, 15.0, 2.2) + 0.45 * bump(h, 19.5, 1.5)
    return opening * busy / 1.05


def _night_scene(h: np.ndarray, we: np.ndarray) -> np.ndarray:
    """Old streets lit up at night (清名桥, 南长街): some daytime visitors, a crowded evening."""
    return plateau(h, 8.5, 23.0, 1.5) * (0.3 + 0.2 * bump(h, 14.5, 2.5)
                                         + 0.75 * bump(h, 20.0, 1.5)) / 1.05


def _day_trip(h: np.ndarray, we: np.ndarray) -> np.ndarray:
    """Sights visited by day (惠山古镇, 南禅寺): a midday peak, a small evening."""
    return plateau(h, 8.0, 18.0, 1.5) * (0.35 + 0.65 * bump(h, 13.5, 2.5)) \
        + 0.2 * bump(h, 19.5, 1.5)


RHYTHMS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "commute": _commute, "shopping": _shopping, "night_scene": _night_scene,
    "day_trip": _day_trip,
}


@dataclass(frozen=True)
class Congestion(Curve):
    """A congestion index (actual over free-flow travel time): about 1.1 at night, `peak` in
    the evening rush of a workday, lower at weekends; now and then an incident."""

    name: str
    peak: float
    base: float = 1.1

    def values(self, seed: int, m0: int, m1: int) -> np.ndarray:
        m = _minutes(m0, m1)
        h, we = local_hour(m), weekend(m)
        rhythm = _commute(h, we)
        busy = (self.peak - self.base) * rhythm * (1 + 0.08 * smooth(self._key(seed, "d"), m, 1440))
        shape, size = episodes(self._key(seed, "incident"), m, 360, 0.06, 20, 70)
        incident = shape * (0.25 + 0.6 * size) * (0.4 + rhythm)
        wobble = 0.04 * smooth(self._key(seed, "w"), m, 20) + 0.015 * normal(self._key(seed), m)
        return np.maximum(1.0, self.base + busy + incident + wobble)


@dataclass(frozen=True)
class Occupancy(Curve):
    """A car park's occupancy in %: `night` at night, about `peak` at its busiest hour."""

    name: str
    rhythm: str
    peak: float
    night: float = 12.0
    weekend_boost: float = 1.12

    def values(self, seed: int, m0: int, m1: int) -> np.ndarray:
        m = _minutes(m0, m1)
        h, we = local_hour(m), weekend(m)
        level = RHYTHMS[self.rhythm](h, we) * np.where(we, self.weekend_boost, 1.0)
        level = level * (1 + 0.06 * smooth(self._key(seed, "d"), m, 1440))
        value = self.night + (self.peak - self.night) * level \
            + 1.2 * normal(self._key(seed), m) + 2.0 * smooth(self._key(seed, "w"), m, 30)
        return np.clip(value, 0.0, 100.0)


@dataclass(frozen=True)
class Crowd(Curve):
    """People in a scenic street or a shopping district: a daily rhythm peaking at `peak` on a
    workday, `weekend_boost` times that at weekends; festivals now and then draw more."""

    name: str
    rhythm: str
    peak: float
    weekend_boost: float = 1.6
    night: float = 150.0

    def values(self, seed: int, m0: int, m1: int) -> np.ndarray:
        m = _minutes(m0, m1)
        h, we = local_hour(m), weekend(m)
        rhythm = RHYTHMS[self.rhythm](h, we)
        shape, size = episodes(self._key(seed, "festival"), m, 1440, 0.08, 180, 420)
        level = rhythm * np.where(we, self.weekend_boost, 1.0) * (1 + 0.6 * shape * size)
        level = level * (1 + 0.1 * smooth(self._key(seed, "d"), m, 1440)) \
            * (1 + 0.04 * smooth(self._key(seed, "w"), m, 15))
        return (self.night + self.peak * level) * (1 + 0.015 * normal(self._key(seed), m))


# ---- air (GB 3095-2012 breakpoints for the individual air quality index)

_IAQI = np.array([0, 50, 100, 150, 200, 300, 400, 500], dtype=float)
_PM25 = np.array([0, 35, 75, 115, 150, 250, 350, 500], dtype=float)
_PM10 = np.array([0, 50, 150, 250, 350, 420, 500, 600], dtype=float)


def _pm(seed: int, m0: int, m1: int) -> tuple[np.ndarray, np.ndarray]:
    """(PM2.5, PM10) in μg/m³ at the district's monitoring station."""
    m = _minutes(m0, m1)
    h = local_hour(m)
    k = key(seed, "air")
    rhythm = 1 + 0.15 * bump(h, 8.5, 2.0) + 0.25 * bump(h, 22.0, 3.0) - 0.2 * bump(h, 15.0, 2.5)
    washout = 1.0 / (1.0 + 0.05 * rain_last(seed, m0, m1, 6 * 60))
    pm25 = 33.0 * haze(seed, m) * rhythm * washout * (1 + 0.06 * normal(k, m))
    dust = 10.0 * plateau(h, 7.0, 19.0, 2.0) * (1 + 0.5 * smooth(k ^ 0x5, m, 240))
    pm10 = pm25 * (1.5 + 0.25 * smooth(k ^ 0x7, m, 480)) + dust * washout
    return np.maximum(pm25, 2.0), np.maximum(pm10, 5.0)


@dataclass(frozen=True)
class Air(Curve):
    """PM2.5 or PM10 (μg/m³), or the AQI from both: hazy and clean spells lasting days, worse
    in winter and at night, washed out by rain."""

    name: str
    measure: str  # "pm25" | "pm10" | "aqi"

    def values(self, seed: int, m0: int, m1: int) -> np.ndarray:
        pm25, pm10 = _pm(seed, m0, m1)
        if self.measure == "pm25":
            return pm25
        if self.measure == "pm10":
            return pm10
        return np.maximum(np.interp(pm25, _PM25, _IAQI), np.interp(pm10, _PM10, _IAQI))


# ---- water


@dataclass(frozen=True)
class WaterLevel(Curve):
    """A canal's level (m): slow seasonal and day-to-day changes, and a rise after rain that
    falls back over about ten hours (`gain` m per mm of rain remembered)."""

    name: str
    base: float
    gain: float = 0.012

    def values(self, seed: int, m0: int, m1: int) -> np.ndarray:
        m = _minutes(m0, m1)
        k = key(seed, "hydro")
        slow = 0.10 * smooth(k, m, 4 * 1440) + 0.04 * smooth(k ^ 0x3, m, 1440) \
            - 0.08 * winter(m)
        local = 0.008 * smooth(self._key(seed, "w"), m, 120) + 0.003 * normal(self._key(seed), m)
        return self.base + slow + self.gain * rain_memory(seed, m0, m1, 10.0) + local


@dataclass(frozen=True)
class Rainfall(Curve):
    """Rain at a gauge over the last hour (mm): mostly 0, a shower now and then."""

    name: str

    def values(self, seed: int, m0: int, m1: int) -> np.ndarray:
        return rain_last(seed, m0, m1, 60, gauge=self.name)


@dataclass(frozen=True)
class Ammonia(Curve):
    """Ammonia nitrogen (mg/L) in a river section: around `base`, up after rain (runoff)."""

    name: str
    base: float

    def values(self, seed: int, m0: int, m1: int) -> np.ndarray:
        m = _minutes(m0, m1)
        value = self.base * (1 + 0.15 * smooth(self._key(seed, "d"), m, 720)) \
            + 0.03 * rain_memory(seed, m0, m1, 6.0, 24.0) + 0.02 * normal(self._key(seed), m)
        return np.maximum(value, 0.05)


@dataclass(frozen=True)
class DissolvedOxygen(Curve):
    """Dissolved oxygen (mg/L): up in the afternoon (photosynthesis), down before dawn, lower
    in summer and after rain."""

    name: str
    base: float

    def values(self, seed: int, m0: int, m1: int) -> np.ndarray:
        m = _minutes(m0, m1)
        h = local_hour(m)
        value = self.base + 1.0 * bump(h, 15.0, 3.0) - 0.7 * bump(h, 5.0, 3.0) \
            + 0.4 * winter(m) + 0.3 * smooth(self._key(seed, "d"), m, 1440) \
            - 0.04 * rain_memory(seed, m0, m1, 6.0, 24.0) + 0.08 * normal(self._key(seed), m)
        return np.maximum(value, 0.2)


# ---- city life


@dataclass(frozen=True)
class Noise(Curve):
    """Sound level (dB(A)): `quiet` at night, up to `busy` in the day with the traffic; now and
    then something loud for a while (works, a street show)."""

    name: str
    quiet: float
    busy: float

    def values(self, seed: int, m0: int, m1: int) -> np.ndarray:
        m = _minutes(m0, m1)
        h, we = local_hour(m), weekend(m)
        activity = plateau(h, 6.5, 22.5, 1.5) * (0.75 + 0.25 * _commute(h, we))
        shape, size = episodes(self._key(seed, "loud"), m, 720, 0.12, 15, 90)
        return self.quiet + (self.busy - self.quiet) * activity + shape * (5 + 8 * size) \
            + 1.2 * normal(self._key(seed), m)


@dataclass(frozen=True)
class AlarmCount(Curve):
    """IoT alarms raised in the last `window` minutes: about `per_day` a day, more around
    meal times, and now and then a cluster (a faulty batch of detectors, a storm)."""

    name: str
    per_day: float
    window: int = 30

    def values(self, seed: int, m0: int, m1: int) -> np.ndarray:
        m = extended(m0, m1, self.window)
        h = local_hour(m)
        rhythm = 0.55 + 0.6 * bump(h, 11.5, 1.2) + 0.8 * bump(h, 18.0, 1.5) \
            + 0.3 * plateau(h, 8.0, 22.0, 2.0)
        rate = self.per_day / 1440.0 * rhythm
        shape, size = episodes(self._key(seed, "cluster"), m, 720, 0.05, 10, 40)
        rate = rate + 0.3 * shape * size
        k = self._key(seed)
        arrivals = (uniform(k, m) < rate).astype(float) \
            + (uniform(k ^ 0xA, m) < rate * rate).astype(float)
        return trailing_sum(arrivals, self.window)


@dataclass(frozen=True)
class SitesOnline(Curve):
    """Building sites whose monitoring (dust, video) is online, of `total`: a few always off,
    more at night, and now and then a network outage takes a batch offline."""

    name: str
    total: int

    def values(self, seed: int, m0: int, m1: int) -> np.ndarray:
        m = _minutes(m0, m1)
        h = local_hour(m)
        shape, size = episodes(self._key(seed, "outage"), m, 1440, 0.08, 30, 240)
        offline = 2.0 + 3.0 * (1 - plateau(h, 7.0, 19.0, 1.5)) \
            + 1.5 * (smooth(self._key(seed, "d"), m, 240) + 1) + shape * (8 + 14 * size) \
            + 0.6 * normal(self._key(seed), m)
        return np.clip(np.round(self.total - offline), 0, self.total)


@dataclass(frozen=True)
class Percentage(Curve):
    """A service rate (%): around `base`, wandering over days, dipping in busy hours by up to
    `load` points, and now and then a bad spell of `dip` to 2×`dip` points."""

    name: str
    base: float
    wander: float
    load: float = 0.0
    dip: float = 3.0

    def values(self, seed: int, m0: int, m1: int) -> np.ndarray:
        m = _minutes(m0, m1)
        h = local_hour(m)
        busy = 0.55 * bump(h, 9.5, 1.2) + 0.45 * bump(h, 14.5, 1.5)
        shape, size = episodes(self._key(seed, "dip"), m, 1440, 0.1, 120, 480)
        value = self.base + self.wander * smooth(self._key(seed, "d"), m, 3 * 1440) \
            + 0.35 * smooth(self._key(seed, "w"), m, 240) - self.load * busy \
            - shape * self.dip * (1 + size) + 0.1 * normal(self._key(seed), m)
        return np.clip(value, 0.0, 100.0)
