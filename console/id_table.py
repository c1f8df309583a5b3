"""Event ids to store rows without a Python object per id.

A dict of 100,000 ids costs about 14 MB (a string and a number object per id, and the table)
and, filled during a bulk load, keeps the load's memory from being returned (see
`console.string_parking`). `IdTable` keeps the ids as UTF-8 in one byte buffer and an
open-addressing hash table (linear probing) of (hash, row) in two flat arrays: about 56
bytes an id, and no object per id. A lookup confirms a hash match against the stored id, so
collisions never mix events up.
"""

from __future__ import annotations

from array import array

_EMPTY = -1
_FIRST_CAPACITY = 1024  # slots; always a power of two, at most half full


class IdTable:
    """Ids (distinct strings) numbered 0, 1, 2... in the order they were added."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._ids = bytearray()
        self._starts = array("q", [0])  # id n is _ids[_starts[n]:_starts[n + 1]]
        self._rows = array("i", [_EMPTY]) * _FIRST_CAPACITY
        self._hashes = array("q", [0]) * _FIRST_CAPACITY
        self._mask = _FIRST_CAPACITY - 1

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __iter__(self):
        ids, starts = self._ids, self._starts
        return (ids[starts[n]: starts[n + 1]].decode() for n in range(len(self)))

    def get(self, event_id: str) -> int | None:
        """The number of `event_id`, or None."""
        key = hash(event_id)
        rows, hashes, mask = self._rows, self._hashes, self._mask
        slot = key & mask
        encoded = None
        while (row := rows[slot]) != _EMPTY:
            if hashes[slot] == key:
                encoded = encoded or event_id.encode()
                if self._ids[self._starts[row]: self._starts[row + 1]] == encoded:
                    return row
            slot = (slot + 1) & mask
        return None

    def add(self, event_id: str) -> int:
        """Number a new id (the caller knows it is not in the table); returns its number."""
        row = len(self)
        self._ids += event_id.encode()
        self._starts.append(len(self._ids))
        if 2 * (row + 1) > len(self._rows):
            self._grow()
        else:
            self._place(hash(event_id), row)
        return row

    def reserve(self, count: int) -> None:
        """Make room for `count` more ids at once (no re-hashing while they are added)."""
        capacity = len(self._rows)
        while 2 * (len(self) + count) > capacity:
            capacity *= 2
        if capacity > len(self._rows):
            self._grow(capacity)

    @property
    def nbytes(self) -> int:
        return (len(self._ids) + self._starts.itemsize * len(self._starts)
                + self._rows.itemsize * len(self._rows)
                + self._hashes.itemsize * len(self._hashes))

    # ----

    def _place(self, key: int, row: int) -> None:
        rows, mask = self._rows, self._mask
        slot = key & mask
        while rows[slot] != _EMPTY:
            slot = (slot + 1) & mask
        rows[slot] = row
        self._hashes[slot] = key

    def _grow(self, capacity: int | None = None) -> None:
        capacity = capacity or len(self._rows) * 2
        self._rows = array("i", [_EMPTY]) * capacity
        self._hashes = array("q", [0]) * capacity
        self._mask = capacity - 1
        for row, event_id in enumerate(self):
            self._place(hash(event_id), row)
