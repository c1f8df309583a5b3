"""Moving many small long-lived strings to fresh memory after a bulk load.

CPython's small-object allocator returns memory to the system by whole arenas (1 MiB), only
once nothing is left in one. Strings kept from a bulk load (the queue index's titles and
codes: the loaded events' own strings) sit scattered among the loaded objects, so a few
thousand of them keep every arena of the load. Copying them does not help while they are
alive: new objects of the same size go into the same half-empty pools. Parking them in one
large string (memory from the system allocator), dropping them, and unparking moves them.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def park_strings(strings: Iterable[str]) -> tuple[str, np.ndarray]:
    """The strings as one joined string and their lengths; drop the originals, then
    `unpark_strings`."""
    strings = list(strings)
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
    return "".join(strings), lengths


def unpark_strings(parked: tuple[str, np.ndarray]) -> list[str]:
    """The strings of `park_strings`, as new objects."""
    joined, lengths = parked
    ends = np.cumsum(lengths).tolist()
    starts = [0, *ends[:-1]]
    return [joined[start:end] for start, end in zip(starts, ends, strict=True)]
