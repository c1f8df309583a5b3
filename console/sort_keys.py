"""Integer stand-ins for the queue's text columns, so that sorting and filtering by them is
plain NumPy work on integers.

- `Vocabulary`: a small set of codes (categories, streets, sources) as dense ids; each id's
  rank by display name is its sort key, and filters and name searches become lookup tables.
- `TitleKeys`: a sort key for every distinct title (free text, one per event or so). Keys
  are spaced apart, so a new title takes a free key between its neighbours and no other key
  moves; when a gap is used up every key is renumbered (rare), and the holder of keys
  re-maps its column with `TitleKeys.remap`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping

import numpy as np

from console.string_parking import park_strings, unpark_strings

#: Space between neighbouring title keys when they are (re)numbered.
TITLE_GAP = 1 << 32
#: More new titles than this in one call are merged by a sort instead of one by one.
_MERGE_ABOVE = 256


class Vocabulary:
    """Codes as dense ids (in order of first sight), with display names for sort and search."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._codes: list[str] = []
        self._names: Mapping[str, str] = {}
        self._ranks: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self._codes)

    def id_of(self, code: str) -> int:
        """The id of `code`, given a new one on first sight."""
        found = self._ids.get(code)
        if found is None:
            found = self._ids[code] = len(self._codes)
            self._codes.append(code)
            self._ranks = None
        return found

    def set_names(self, names: Mapping[str, str]) -> None:
        """Display names by code (a code without one shows as itself)."""
        self._names = dict(names)
        self._ranks = None

    def rehome(self) -> None:
        """Re-create the held codes as new objects (see `TitleKeys.rehome`)."""
        parked = park_strings(self._codes)
        self._codes, self._ids = [], {}
        self._codes = unpark_strings(parked)
        self._ids = {code: at for at, code in enumerate(self._codes)}

    def name(self, code: str) -> str:
        return self._names.get(code, code)

    def ranks(self) -> np.ndarray:
        """Sort key by id: the dense rank of the code's display name (equal names, equal rank)."""
        if self._ranks is None:
            names = [self.name(code) for code in self._codes]
            distinct = {name: rank for rank, name in enumerate(sorted(set(names)))}
            self._ranks = np.array([distinct[name] for name in names], dtype=np.int32)
        return self._ranks

    def allowed(self, codes: Iterable[str]) -> np.ndarray:
        """Lookup table by id: True for the ids of `codes` (codes never seen match nothing)."""
        table = np.zeros(len(self._codes), dtype=bool)
        table[[self._ids[code] for code in codes if code in self._ids]] = True
        return table

    def matching(self, needle: str) -> np.ndarray:
        """Lookup table by id: True where the display name contains `needle` (casefolded)."""
        return np.array([needle in self.name(code).casefold() for code in self._codes],
                        dtype=bool)


class TitleKeys:
    """Sort keys of titles: equal titles share a key; keys order as the titles do (code-point
    order, as Python compares strings). See the module docstring for renumbering."""

    def __init__(self) -> None:
        self._sorted: list[str] = []
        self._key: dict[str, int] = {}
        self._remaps: list[tuple[np.ndarray, np.ndarray]] = []

    def clear(self) -> None:
        self._sorted, self._key, self._remaps = [], {}, []

    def keys(self, titles: list[str]) -> np.ndarray:
        """The keys of `titles`, adding the new ones. Check `take_remaps` afterwards."""
        new = {title for title in titles if title not in self._key}
        if len(new) > _MERGE_ABOVE:
            self._renumber(sorted(new.union(self._sorted)))
        else:
            for title in sorted(new):
                self._insert(title)
        key = self._key
        return np.fromiter((key[title] for title in titles), dtype=np.int64, count=len(titles))

    def rehome(self) -> None:
        """Re-create the held titles and keys as new objects: after a bulk load, once the
        loaded events are gone, so that the memory they shared pages with can be returned
        (see `park_strings`)."""
        keys = np.fromiter((self._key[title] for title in self._sorted), dtype=np.int64,
                           count=len(self._sorted))
        parked = park_strings(self._sorted)
        self._sorted, self._key = [], {}
        self._sorted = unpark_strings(parked)
        self._key = dict(zip(self._sorted, keys.tolist(), strict=True))

    def take_remaps(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Renumberings since the last call, oldest first: apply each, in order, to keys
        handed out before with `remap`."""
        remaps, self._remaps = self._remaps, []
        return remaps

    @staticmethod
    def remap(keys: np.ndarray, renumbering: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """Keys from before a renumbering in the new numbering (values that were no key come
        out as some key: only overwrite-to-be slots may hold them)."""
        old_keys, new_keys = renumbering
        if not len(old_keys):
            return keys
        at = np.minimum(np.searchsorted(old_keys, keys), len(old_keys) - 1)
        return new_keys[at]

    # ----

    def _insert(self, title: str) -> None:
        titles, key = self._sorted, self._key
        at = bisect_left(titles, title)
        below = key[titles[at - 1]] if at > 0 else None
        above = key[titles[at]] if at < len(titles) else None
        if below is None and above is None:
            value = TITLE_GAP
        elif above is None:
            value = below + TITLE_GAP
        elif below is None:
            value = above - TITLE_GAP
        elif above - below >= 2:
            value = (below + above) // 2
        else:
            titles.insert(at, title)
            self._renumber(titles)
            return
        titles.insert(at, title)
        key[title] = value

    def _renumber(self, titles: list[str]) -> None:
        """Key every title in `titles` (sorted, a superset of the known ones) afresh."""
        old, known = self._key, [title for title in self._sorted if title in self._key]
        self._sorted = titles
        self._key = new = {title: (at + 1) * TITLE_GAP for at, title in enumerate(titles)}
        if known:
            self._remaps.append((np.fromiter((old[title] for title in known), dtype=np.int64),
                                 np.fromiter((new[title] for title in known), dtype=np.int64)))

