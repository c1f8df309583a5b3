"""Deterministic randomness for the sensor curves: the same (key, index) always gives the same
number, so the value of any past minute can be computed again instead of being stored.

Indices are minutes since the epoch (or blocks of minutes); every function takes and returns
NumPy arrays and is vectorised.
"""

from __future__ import annotations

import hashlib

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_TO_UNIT = 1.0 / float(1 << 53)


def key(seed: int, *names: object) -> int:
    """A 64-bit stream key for the backend's seed and a name ("rain", an indicator id...)."""
    text = ":".join([str(seed), *map(str, names)])
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def uniform(stream: int, index) -> np.ndarray:
    """Uniform numbers in [0, 1), one per index (splitmix64 of the stream and the index)."""
    x = np.asarray(index, dtype=np.int64).reshape(-1).astype(np.uint64)
    x = x * _GOLDEN ^ np.uint64(stream)
    x = (x ^ (x >> _S30)) * _MIX1
    x = (x ^ (x >> _S27)) * _MIX2
    x = x ^ (x >> _S31)
    return (x >> _S11).astype(np.float64) * _TO_UNIT


def normal(stream: int, index) -> np.ndarray:
    """About standard-normal numbers (a sum of four uniforms), one per index."""
    total = sum(uniform(stream ^ (0x51ED27 * (i + 1)), index) for i in range(4))
    return (total - 2.0) * np.sqrt(3.0)


def smooth(stream: int, minutes: np.ndarray, period: float) -> np.ndarray:
    """Value noise in [-1, 1] that wanders with a typical period of `period` minutes."""
    x = np.asarray(minutes, dtype=np.float64) / period
    cell = np.floor(x)
    f = x - cell
    f = f * f * (3.0 - 2.0 * f)
    cell = cell.astype(np.int64)
    a = uniform(stream, cell) * 2.0 - 1.0
    b = uniform(stream, cell + 1) * 2.0 - 1.0
    return a + (b - a) * f


def episodes(stream: int, minutes: np.ndarray, block: int, chance: float, shortest: float,
             longest: float) -> tuple[np.ndarray, np.ndarray]:
    """Occasional episodes (a shower, an incident, an outage): each block of `block` minutes
    holds one with probability `chance`, lasting `shortest`..`longest` minutes at a random
    place in the block.

    Returns `(shape, size)` per minute: shape rises and falls as sin² over the episode (0
    outside), size is the episode's uniform random magnitude in [0, 1).
    """
    minutes = np.asarray(minutes, dtype=np.int64)
    cell = minutes // block
    length = shortest + (longest - shortest) * uniform(stream ^ 0x1, cell)
    start = (block - length) * uniform(stream ^ 0x2, cell)
    size = uniform(stream ^ 0x3, cell)
    happens = uniform(stream, cell) < chance
    x = ((minutes - cell * block) - start) / length
    inside = happens & (x >= 0.0) & (x < 1.0)
    shape = np.where(inside, np.sin(np.pi * np.clip(x, 0.0, 1.0)) ** 2, 0.0)
    return shape, size
