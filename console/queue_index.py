"""The event queue's order: which of the store's events are shown, and in what order.

`QueueIndex` keeps one NumPy column per sortable or filterable field, all numbers: levels,
status codes, times, and integer ids for the text columns (`console.sort_keys`: category,
street and source ids ranked by display name, a key per distinct title), plus the rows'
search text in one byte buffer (`console.search_buffer`). The current display order is an
array of store rows. Changing the sort, the filter or the search text recomputes the order
with vectorised NumPy work and no Python step per row; a live batch costs work for the
events in the batch only (reading them, a binary search each).

The order is kept ascending by (sort key, store row); a descending sort is the same array
read backwards, so ties then come by descending store row.
"Display rows" are what a table shows (0 = top); "store rows" are `EventStore` rows.
The Qt proxy (`views/event_queue_model.EventQueueProxy`) drives the step-by-step methods so
that every structural change can be announced to the views as it happens.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.ma  # noqa: F401  np.unique imports it on first use: mid-paint, 100+ ms

from console.flow import running_deadline
from console.schema import OPEN_STATUSES, STATUSES, Event
from console.search_buffer import SearchBuffer
from console.sort_keys import TitleKeys, Vocabulary

#: Sortable columns, in the order the queue shows them.
SORT_KEYS: tuple[str, ...] = (
    "level", "category", "title", "source", "street", "reported", "status", "sla",
)
#: The text columns held as vocabulary ids (the name kinds of `QueueIndex`'s `names`).
_CODED = ("category", "source", "street")
_STATUS_CODE = {status: code for code, status in enumerate(STATUSES)}
_UNKNOWN_STATUS = len(STATUSES)
_NO_DEADLINE = math.inf
#: Rows read at once from which the held titles are re-created at the next change.
_BULK = 5000


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows. Each set restricts one column (None = no restriction):

    - `statuses`: status codes; `levels`: levels 1-4; `sources`: source codes;
    - `streets`: street ids ("" for events without a street);
    - `categories`: category codes, exactly these (the caller expands a parent to its
      children);
    - `overdue`: only events whose running SLA deadline (`console.flow.running_deadline`)
      has passed;
    - `text`: case-insensitive search in the id, title, address and description, and in the
      category, street, source and status display names (surrounding blanks ignored).
    """

    statuses: frozenset[str] | None = OPEN_STATUSES
    levels: frozenset[int] | None = None
    sources: frozenset[str] | None = None
    streets: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    overdue: bool = False
    text: str = ""


class QueueIndex:
    """Sorted and filtered view of an `EventStore`'s rows (see the module docstring).

    `names` gives display names used for sorting and searching: a mapping per kind
    ("category", "street", "source", "status") from code to name; it may change when the
    catalog arrives (`refresh_all`). `now` is the clock of the overdue filter; move it on
    with `set_now`.
    """

    def __init__(self, store, names: Callable[[], Mapping[str, Mapping[str, str]]],
                 now: datetime | None = None) -> None:
        self._store = store
        self._names_of = names
        self._now = now.timestamp() if now is not None else time.time()
        self._capacity = 0
        self._count = 0
        self._level = np.zeros(0, dtype=np.int8)
        self._status = np.zeros(0, dtype=np.int8)
        self._reported = np.zeros(0, dtype=np.float64)
        self._due = np.zeros(0, dtype=np.float64)
        self._title_key = np.zeros(0, dtype=np.int64)
        self._codes = {kind: np.zeros(0, dtype=np.int32) for kind in _CODED}
        self._vocabulary = {kind: Vocabulary() for kind in _CODED}
        self._status_names: Mapping[str, str] = {}
        self._titles = TitleKeys()
        self._text = SearchBuffer()
        self._generation = None
        self._rehome_due = False
        self.sort_key = "reported"
        self.descending = True
        self.filter = QueueFilter()
        self._order = np.zeros(0, dtype=np.int64)  # store rows, ascending by (key, row)
        self._sorted_keys: np.ndarray = np.zeros(0)
        self._position: np.ndarray | None = None  # store row -> ascending position, or -1
        self.refresh_all()

    # ---- Reading

    def __len__(self) -> int:
        return len(self._order)

    def store_row(self, display_row: int) -> int:
        """The store row shown at `display_row`."""
        return int(self._order[self._ascending(display_row, len(self._order))])

    def display_row(self, store_row: int) -> int:
        """The display row of `store_row`, or -1 when it is filtered out."""
        position = self._positions()
        if not 0 <= store_row < len(position):
            return -1
        ascending = int(position[store_row])
        return -1 if ascending < 0 else self._ascending(ascending, len(self._order))

    def shown_rows(self) -> np.ndarray:
        """The shown store rows in display order (a copy)."""
        return self._order[::-1].copy() if self.descending else self._order.copy()

    # ---- Whole recomputes (sort or filter changed, catalog arrived, store replaced)

    def refresh_all(self) -> None:
        """Take new display names (the catalog changed) and, when the store was replaced,
        re-read every event; then recompute the order."""
        names = self._names_of()
        for kind in _CODED:
            self._vocabulary[kind].set_names(names.get(kind, {}))
        self._status_names = dict(names.get("status", {}))
        generation = getattr(self._store, "generation", None)
        if generation is None or generation != self._generation or self._count > len(self._store):
            self._generation = generation
            self._count = 0
            self._titles.clear()
            self._text.clear()
        if len(self._store) > self._count:
            first = self._count
            self._ensure(len(self._store))
            self._read(np.arange(first, len(self._store), dtype=np.int64))
            self._rehome_due = len(self._store) - first >= _BULK
        self.recompute()

    def set_sort(self, key: str, descending: bool) -> None:
        if key not in SORT_KEYS:
            raise ValueError(f"unknown sort key {key!r}")
        self.sort_key, self.descending = key, descending
        self.recompute()

    def set_filter(self, queue_filter: QueueFilter) -> None:
        self.filter = queue_filter
        self.recompute(narrowing=True)

    def recompute(self, narrowing: bool = False) -> None:
        """The whole order from the columns: a vectorised mask and one stable sort. With
        `narrowing` (only the filter changed), when every row that passes is shown already
        (another character typed, a restriction added) the order is kept and thinned."""
        mask = self._mask(slice(0, self._count))
        if narrowing and len(self._order) and (self._positions()[mask] >= 0).all():
            keep = mask[self._order]
            self._order = self._order[keep]
            self._sorted_keys = self._sorted_keys[keep]
            self._position = None
            return
        rows = np.flatnonzero(mask)
        keys = self._keys(rows)
        by_key = np.argsort(keys, kind="stable")  # rows ascend, so ties keep row order
        self._order = rows[by_key]
        self._sorted_keys = keys[by_key]
        self._position = None

    # ---- The clock

    def set_now(self, now: datetime | float) -> tuple[np.ndarray, np.ndarray]:
        """Move the overdue filter's clock. Returns `(leave, enter)` store rows: shown rows
        that no longer pass the filter (the clock went back) and rows that pass it now.
        Apply them as `updated` describes; without the overdue filter both are empty."""
        now = now.timestamp() if isinstance(now, datetime) else float(now)
        before, self._now = self._now, now
        empty = np.zeros(0, dtype=np.int64)
        if not self.filter.overdue or now == before:
            return empty, empty
        low, high = min(before, now), max(before, now)
        due = self._due[: self._count]
        rows = np.flatnonzero((due >= low) & (due < high))
        if not len(rows):
            return empty, empty
        shown = self._positions()[rows] >= 0
        passes = self._mask(rows)
        return rows[shown & ~passes], rows[~shown & passes]

    # ---- Live changes, announced step by step

    def appended(self, first: int, count: int) -> list[tuple[int, np.ndarray]]:
        """Read the store rows [first, first+count) and plan where the shown ones go.

        Returns runs `(display_row, store_rows)` in ascending display order; apply each with
        `insert_run` after announcing it (each run's display row is final once the runs
        before it are in)."""
        self._rehome()
        # Rows read already (a refresh ran before the insert was announced) are not new.
        stop = min(first + count, len(self._store))
        first = self._count
        if stop <= first:
            return []
        self._ensure(stop)
        rows = np.arange(first, stop, dtype=np.int64)
        self._read(rows)
        return self._plan(rows[self._mask(rows)])

    def insert_run(self, display_row: int, rows: np.ndarray) -> None:
        """Put `rows` (in display order) at `display_row`."""
        total = len(self._order)
        if self.descending:
            at, rows = total - display_row, rows[::-1]
        else:
            at = display_row
        self._order = np.insert(self._order, at, rows)
        self._sorted_keys = np.insert(self._sorted_keys, at, self._keys(rows))
        self._position = None

    def updated(self, rows: Iterable[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                      np.ndarray]:
        """Re-read changed store rows. Returns four arrays of store rows: `stay` (shown, same
        place), `leave` (shown before, filtered out now), `move` (shown, sort key changed) and
        `enter` (filtered in now). Apply them in that order: `remove_display_range` for the
        leaving rows, `move`/`resort` for the moving ones, `plan_enter` + `insert_run` last."""
        self._rehome()
        rows = np.unique(np.fromiter(rows, dtype=np.int64))
        rows = rows[(rows >= 0) & (rows < self._count)]
        old_keys = self._keys(rows)
        before = self._positions()[rows] >= 0
        self._read(rows)
        now = self._mask(rows)
        same_key = np.asarray(self._keys(rows) == old_keys, dtype=bool)
        return (rows[before & now & same_key], rows[before & ~now],
                rows[before & now & ~same_key], rows[~before & now])

    def display_rows(self, store_rows: np.ndarray) -> np.ndarray:
        """Display rows of shown store rows (vectorised `display_row`)."""
        ascending = self._positions()[store_rows]
        return len(self._order) - 1 - ascending if self.descending else ascending

    def remove_display_range(self, first: int, last: int) -> None:
        """Take display rows first..last out."""
        total = len(self._order)
        low, high = (total - 1 - last, total - 1 - first) if self.descending else (first, last)
        self._order = np.delete(self._order, slice(low, high + 1))
        self._sorted_keys = np.delete(self._sorted_keys, slice(low, high + 1))
        self._position = None

    def resort(self) -> None:
        """Sort the shown rows again (after many sort keys changed); the rows stay the same."""
        rows = np.sort(self._order)
        keys = self._keys(rows)
        by_key = np.argsort(keys, kind="stable")
        self._order = rows[by_key]
        self._sorted_keys = keys[by_key]
        self._position = None

    def remove(self, store_row: int) -> int:
        """Take `store_row` out of the display; returns the display row it had."""
        display = self.display_row(store_row)
        self.remove_display_range(display, display)
        return display

    def plan_enter(self, rows: Iterable[int]) -> list[tuple[int, np.ndarray]]:
        """Plan the insertion of known store rows (after `updated`/`remove`/`set_now`)."""
        return self._plan(np.unique(np.fromiter(rows, dtype=np.int64)))

    # ----

    def _plan(self, rows: np.ndarray) -> list[tuple[int, np.ndarray]]:
        """Runs `(display_row, rows)` that put `rows` (ascending, none shown) in place."""
        if not len(rows):
            return []
        keys = self._keys(rows)
        by_key = np.argsort(keys, kind="stable")
        rows, keys = rows[by_key], keys[by_key]
        final = self._insert_positions(rows, keys) + np.arange(len(rows))
        total = len(self._order) + len(rows)
        if self.descending:
            display, rows = (total - 1 - final)[::-1], rows[::-1]
        else:
            display = final
        runs: list[tuple[int, np.ndarray]] = []
        breaks = np.flatnonzero(np.diff(display) != 1) + 1
        for start, chunk in zip(np.concatenate(([0], breaks)), np.split(rows, breaks), strict=True):
            runs.append((int(display[start]), chunk))
        return runs

    def _insert_positions(self, rows: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Where each (key, row) goes in the current ascending order, by key then by row."""
        sorted_keys = self._sorted_keys
        last = np.searchsorted(sorted_keys, keys, side="right")
        if not len(sorted_keys):
            return last
        first = np.searchsorted(sorted_keys, keys, side="left")
        # Past every tied row unless a tied row has a higher store row (an older event that
        # changed): then among the ties, whose rows ascend.
        tied = np.flatnonzero((last > first) & (self._order[np.maximum(last - 1, 0)] > rows))
        for i in tied.tolist():
            low = int(first[i])
            last[i] = low + np.searchsorted(self._order[low: int(last[i])], rows[i])
        return last

    def _rehome(self) -> None:
        """After a bulk read, at the next change (the loaded events are gone by then): new
        objects for the titles held, which were the loaded events' own strings and would
        keep those events' memory from being returned to the system."""
        if self._rehome_due:
            self._rehome_due = False
            self._titles.rehome()
            for vocabulary in self._vocabulary.values():
                vocabulary.rehome()

    def _positions(self) -> np.ndarray:
        """Store row -> ascending position in the order, or -1 (rebuilt after a change)."""
        if self._position is None or len(self._position) != self._count:
            position = np.full(self._count, -1, dtype=np.int64)
            position[self._order] = np.arange(len(self._order))
            self._position = position
        return self._position

    def _ascending(self, row: int, total: int) -> int:
        return total - 1 - row if self.descending else row

    def _ensure(self, size: int) -> None:
        if size <= self._capacity:
            return
        capacity = max(1024, size, self._capacity * 3 // 2)
        for name in ("_level", "_status", "_reported", "_due", "_title_key"):
            setattr(self, name, _grown(getattr(self, name), capacity, self._count))
        for kind in _CODED:
            self._codes[kind] = _grown(self._codes[kind], capacity, self._count)
        self._capacity = capacity

    def _read(self, rows: np.ndarray) -> None:
        """Read `rows` (distinct; existing ones or the next ones) from the store into the
        columns. The one Python loop per event is here, on the way in."""
        event_at = self._store.event_at
        ids = {kind: self._vocabulary[kind].id_of for kind in _CODED}
        category_id, source_id, street_id = ids["category"], ids["source"], ids["street"]
        sizes = {kind: len(self._vocabulary[kind]) for kind in _CODED}
        columns: list[tuple] = []
        titles: list[str] = []
        texts: list[str] = []
        for row in rows.tolist():
            event: Event = event_at(row)
            location = event.location
            deadline = running_deadline(event)
            columns.append((
                event.level, _STATUS_CODE.get(event.status, _UNKNOWN_STATUS),
                event.reported_at.timestamp(),
                deadline[1].timestamp() if deadline else _NO_DEADLINE,
                category_id(event.category), source_id(event.source),
                street_id(location.street_id or ""),
            ))
            titles.append(event.title)
            texts.append(f"{event.id}\n{event.title}\n{location.address}\n{event.description}")
        if not columns:
            return
        level, status, reported, due, category, source, street = zip(*columns, strict=True)
        self._level[rows] = level
        self._status[rows] = status
        self._reported[rows] = reported
        self._due[rows] = due
        self._codes["category"][rows] = category
        self._codes["source"][rows] = source
        self._codes["street"][rows] = street
        title_keys = self._titles.keys(titles)
        renumbered = False
        for renumbering in self._titles.take_remaps():
            self._title_key[: self._count] = TitleKeys.remap(self._title_key[: self._count],
                                                              renumbering)
            renumbered = True
        self._title_key[rows] = title_keys
        self._text.set(rows, texts)
        self._count = max(self._count, int(rows.max()) + 1)
        grew = {kind for kind in _CODED if len(self._vocabulary[kind]) != sizes[kind]}
        if (self.sort_key == "title" and renumbered) or self.sort_key in grew:
            # New ranks keep the old order; only the cached keys of the order change.
            self._sorted_keys = self._keys(self._order)

    def _mask(self, rows) -> np.ndarray:
        """Which of `rows` (a slice or an array of store rows) pass the filter."""
        qf = self.filter
        status = self._status[rows]
        mask = np.ones(len(status), dtype=bool)
        if qf.statuses is not None:
            allowed = np.zeros(_UNKNOWN_STATUS + 1, dtype=bool)
            allowed[[_STATUS_CODE[s] for s in qf.statuses if s in _STATUS_CODE]] = True
            mask &= allowed[status]
        if qf.levels is not None:
            mask &= np.isin(self._level[rows], np.fromiter(qf.levels, dtype=np.int64))
        for kind, codes in (("source", qf.sources), ("street", qf.streets),
                            ("category", qf.categories)):
            if codes is not None:
                mask &= self._vocabulary[kind].allowed(codes)[self._codes[kind][rows]]
        if qf.overdue:
            mask &= self._due[rows] < self._now
        needle = qf.text.strip().casefold()
        if needle and mask.any():
            mask &= self._matches(needle, rows, mask)
        return mask

    def text_rows(self, text: str) -> np.ndarray:
        """Store rows whose own text (id, title, address, description) contains `text`
        (case-folded), in store order."""
        needle = text.strip().casefold()
        if not needle or self._count == 0:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(self._text.contains(needle)[:self._count])

    def _matches(self, needle: str, rows, mask: np.ndarray) -> np.ndarray:
        """The search: in the rows' own text, or in one of their names."""
        hit = np.zeros(len(mask), dtype=bool)
        for kind in _CODED:
            names = self._vocabulary[kind].matching(needle)
            if names.any():
                hit |= names[self._codes[kind][rows]]
        statuses = np.array([needle in self._status_names.get(s, s).casefold()
                             for s in STATUSES] + [False])
        if statuses.any():
            hit |= statuses[self._status[rows]]
        candidates = mask & ~hit
        if isinstance(rows, slice) and candidates.sum() > len(mask) * 0.2:
            hit |= self._text.contains(needle)[rows]
        else:
            store_rows = (np.arange(rows.start, rows.stop) if isinstance(rows, slice)
                          else rows)[candidates]
            hit[candidates] = self._text.contains(needle, store_rows)
        return hit

    def _keys(self, rows: np.ndarray) -> np.ndarray:
        key = self.sort_key
        if key in _CODED:
            return self._vocabulary[key].ranks()[self._codes[key][rows]]
        column = {"level": self._level, "reported": self._reported, "status": self._status,
                  "sla": self._due, "title": self._title_key}[key]
        return column[rows]


def _grown(column: np.ndarray, capacity: int, used: int) -> np.ndarray:
    grown = np.zeros(capacity, dtype=column.dtype)
    grown[:used] = column[:used]
    return grown
