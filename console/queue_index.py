"""The event queue's order: which of the store's events are shown, and in what order.

`QueueIndex` keeps one column per sortable or filterable field (NumPy arrays and lists that
grow with the store) and the current display order as an array of store rows. Changing the
sort or the filter recomputes the order with vectorised NumPy work, never a Python callback
per row; a live batch only costs work for the events in the batch (a binary search each).

The order is kept ascending internally; a descending sort is the same array read backwards.
"Display rows" are what a table shows (0 = top); "store rows" are `EventStore` rows.
The Qt proxy (`views/event_queue_model.EventQueueProxy`) drives the step-by-step methods so
that every structural change can be announced to the views as it happens.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from console.flow import running_deadline
from console.schema import OPEN_STATUSES, STATUSES, Event

#: Sortable columns, in the order the queue shows them.
SORT_KEYS: tuple[str, ...] = (
    "level", "category", "title", "source", "street", "reported", "status", "sla",
)
_STRING_KEYS = frozenset({"category", "title", "source", "street"})
_STATUS_CODE = {status: code for code, status in enumerate(STATUSES)}
_NO_DEADLINE = math.inf


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows: a set of statuses (None = every status) and a search text."""

    statuses: frozenset[str] | None = OPEN_STATUSES
    text: str = ""


class QueueIndex:
    """Sorted and filtered view of an `EventStore`'s rows (see the module docstring).

    `names` gives display names used for sorting and searching: a mapping per kind
    ("category", "street", "source", "status") from code to name; it may change when the
    catalog arrives (`refresh_all`).
    """

    def __init__(self, store, names: Callable[[], Mapping[str, Mapping[str, str]]]) -> None:
        self._store = store
        self._names_of = names
        self._names: Mapping[str, Mapping[str, str]] = names()
        self._capacity = 0
        self._count = 0
        self._level = np.zeros(0, dtype=np.float64)
        self._status = np.zeros(0, dtype=np.int8)
        self._reported = np.zeros(0, dtype=np.float64)
        self._due = np.zeros(0, dtype=np.float64)
        self._strings: dict[str, list[str]] = {key: [] for key in _STRING_KEYS}
        self._haystack: list[str] = []
        self._haystack_array: np.ndarray | None = None
        self.sort_key = "reported"
        self.descending = True
        self.filter = QueueFilter()
        self._order = np.zeros(0, dtype=np.int64)  # store rows, ascending by the sort key
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

    # ---- Whole recomputes (sort or filter changed, catalog arrived)

    def refresh_all(self) -> None:
        """Re-read every event (new names from the catalog) and recompute the order."""
        self._names = self._names_of()
        self._count = 0
        for values in self._strings.values():
            values.clear()
        self._haystack.clear()
        self._ensure(len(self._store))
        self._read(range(len(self._store)))
        self.recompute()

    def set_sort(self, key: str, descending: bool) -> None:
        if key not in SORT_KEYS:
            raise ValueError(f"unknown sort key {key!r}")
        self.sort_key, self.descending = key, descending
        self.recompute()

    def set_filter(self, queue_filter: QueueFilter) -> None:
        self.filter = queue_filter
        self.recompute()

    def recompute(self) -> None:
        """The whole order from the columns: a vectorised mask and one stable sort."""
        rows = np.flatnonzero(self._mask(slice(0, self._count)))
        keys = self._keys(rows)
        sortable = keys.astype(str) if keys.dtype == object else keys
        self._order = rows[np.argsort(sortable, kind="stable")]
        self._sorted_keys = self._keys(self._order)
        self._position = None

    # ---- Live changes, announced step by step

    def appended(self, first: int, count: int) -> list[tuple[int, np.ndarray]]:
        """Read the store rows [first, first+count) and plan where the shown ones go.

        Returns runs `(display_row, store_rows)` in ascending display order; apply each with
        `insert_run` after announcing it (each run's display row is final once the runs
        before it are in)."""
        self._ensure(first + count)
        self._read(range(first, first + count))
        rows = np.arange(first, first + count, dtype=np.int64)
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
        rows = np.unique(np.fromiter(rows, dtype=np.int64))
        old_keys = self._keys(rows)
        before = self._positions()[rows] >= 0
        self._read(rows.tolist())
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
        keys = self._keys(self._order)
        by_key = np.lexsort((self._order, keys)) if keys.dtype != object else \
            _object_lexsort(self._order, keys)
        self._order = self._order[by_key]
        self._sorted_keys = keys[by_key]
        self._position = None

    def remove(self, store_row: int) -> int:
        """Take `store_row` out of the display; returns the display row it had."""
        display = self.display_row(store_row)
        self.remove_display_range(display, display)
        return display

    def plan_enter(self, rows: Iterable[int]) -> list[tuple[int, np.ndarray]]:
        """Plan the insertion of known store rows (after `updated`/`remove`)."""
        return self._plan(np.asarray(sorted(rows), dtype=np.int64))

    # ----

    def _plan(self, rows: np.ndarray) -> list[tuple[int, np.ndarray]]:
        if not len(rows):
            return []
        keys = self._keys(rows)
        by_key = np.lexsort((rows, keys)) if keys.dtype != object else _object_lexsort(rows, keys)
        rows, keys = rows[by_key], keys[by_key]
        final = np.searchsorted(self._sorted_keys, keys, side="right") + np.arange(len(rows))
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
        capacity = max(1024, size, self._capacity * 2)
        for name in ("_level", "_status", "_reported", "_due"):
            old = getattr(self, name)
            new = np.zeros(capacity, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)
        self._capacity = capacity

    def _read(self, rows: Iterable[int]) -> None:
        names = self._names
        categories, streets = names.get("category", {}), names.get("street", {})
        sources, statuses = names.get("source", {}), names.get("status", {})
        strings, haystack = self._strings, self._haystack
        for row in rows:
            event: Event = self._store.event_at(row)
            street_id = event.location.street_id or ""
            values = {
                "category": categories.get(event.category, event.category),
                "title": event.title,
                "source": sources.get(event.source, event.source),
                "street": streets.get(street_id, street_id),
            }
            hay = " ".join((event.id, *values.values(), statuses.get(event.status, event.status),
                            event.location.address)).casefold()
            if row == self._count:
                for key, value in values.items():
                    strings[key].append(value)
                haystack.append(hay)
                self._count += 1
            else:
                for key, value in values.items():
                    strings[key][row] = value
                haystack[row] = hay
            self._level[row] = event.level
            self._status[row] = _STATUS_CODE.get(event.status, -1)
            self._reported[row] = event.reported_at.timestamp()
            deadline = running_deadline(event)
            self._due[row] = deadline[1].timestamp() if deadline else _NO_DEADLINE
        self._haystack_array = None

    def _mask(self, rows) -> np.ndarray:
        statuses = self.filter.statuses
        if isinstance(rows, slice):
            size = rows.stop - rows.start
        else:
            size = len(rows)
        mask = np.ones(size, dtype=bool)
        if statuses is not None:
            codes = np.array([_STATUS_CODE[s] for s in statuses if s in _STATUS_CODE], dtype=np.int8)
            mask &= np.isin(self._status[rows], codes)
        if self.filter.text:
            needle = self.filter.text.casefold()
            if isinstance(rows, slice):
                if self._haystack_array is None or len(self._haystack_array) != self._count:
                    self._haystack_array = np.array(self._haystack[: self._count], dtype=str)
                mask &= np.char.find(self._haystack_array[rows], needle) >= 0
            else:
                mask &= np.fromiter((needle in self._haystack[row] for row in rows),
                                    dtype=bool, count=len(rows))
        return mask

    def _keys(self, rows: np.ndarray) -> np.ndarray:
        key = self.sort_key
        if key in _STRING_KEYS:
            values = self._strings[key]
            return np.array([values[row] for row in rows], dtype=object)
        column = {"level": self._level, "reported": self._reported,
                  "status": self._status, "sla": self._due}[key]
        return column[rows].astype(np.float64)



def _object_lexsort(rows: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Sort positions by (key, row) for string keys (NumPy's lexsort needs numbers)."""
    return np.array(sorted(range(len(rows)), key=lambda i: (keys[i], rows[i])), dtype=np.int64)
