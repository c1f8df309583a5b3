"""Rows that came in bulk, kept compressed until they change.

A full load brings 100,000 events at once, and most of them are never read again (closed
events of the last days). Their JSON documents are compressed in groups of `GROUP`
consecutive rows: events share their key names and much of their text, so a group packs
five times smaller (one document alone, barely two), and one zlib call for 32 documents
costs a fraction of 32 calls. Reading a row inflates its group (about 0.1 ms); the last few
inflated groups are kept, since neighbouring rows (events reported together) tend to be
painted together. A row that changes leaves its group for good (`drop`); a group without
rows is freed.
"""

from __future__ import annotations

import zlib
from array import array
from collections import OrderedDict

#: Rows per compressed group.
GROUP = 32
#: Inflated groups kept.
_INFLATED = 8
_LEVEL = 1


class ColdRows:
    """Compressed documents of some rows (see the module docstring)."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._group_of = array("i")  # row -> its group, or -1
        self._groups: list[bytes | None] = []
        self._first = array("q")  # group -> its first row
        self._ends: list[array] = []  # group -> end offset of each row's document
        self._left = array("i")  # group -> rows still in it
        self._inflated: OrderedDict[int, bytes] = OrderedDict()

    def __contains__(self, row: int) -> bool:
        return 0 <= row < len(self._group_of) and self._group_of[row] >= 0

    @property
    def nbytes(self) -> int:
        """Compressed bytes held."""
        return sum(len(group) for group in self._groups if group is not None)

    def freeze(self, first_row: int, documents: list[bytes]) -> None:
        """Take in the documents of rows `first_row`, `first_row + 1`... (none held yet)."""
        group_of = self._group_of
        if len(group_of) < first_row:
            group_of.extend(array("i", [-1]) * (first_row - len(group_of)))
        for start in range(0, len(documents), GROUP):
            chunk = documents[start: start + GROUP]
            group = len(self._groups)
            ends = array("i")
            end = 0
            for document in chunk:
                end += len(document)
                ends.append(end)
            self._groups.append(zlib.compress(b"".join(chunk), _LEVEL))
            self._first.append(first_row + start)
            self._ends.append(ends)
            self._left.append(len(chunk))
            group_of.extend(array("i", [group]) * len(chunk))

    def get(self, row: int) -> memoryview:
        """The document of a held row."""
        group = self._group_of[row]
        data = self._inflated.get(group)
        if data is None:
            data = self._inflated[group] = zlib.decompress(self._groups[group])
            if len(self._inflated) > _INFLATED:
                self._inflated.popitem(last=False)
        else:
            self._inflated.move_to_end(group)
        at = row - self._first[group]
        ends = self._ends[group]
        return memoryview(data)[ends[at - 1] if at else 0: ends[at]]

    def drop(self, row: int) -> None:
        """`row` has a new document elsewhere: forget its old one."""
        if row not in self:
            return
        group = self._group_of[row]
        self._group_of[row] = -1
        self._left[group] -= 1
        if not self._left[group]:
            self._groups[group] = None
            self._ends[group] = array("i")
            self._inflated.pop(group, None)
