"""Substring search over the text of many rows without a Python step per row.

Every row's searchable text, casefolded and UTF-8 encoded, lives in one growing byte buffer
as a segment `[start, end)`. A search looks for the needle's bytes in the whole buffer with
NumPy compares (starting from the needle's rarest byte) and maps the hits to segments with a
binary search. UTF-8 never lets a character's bytes match in the middle of another
character, so a byte match is a character match.

Changing a row's text appends the new text and abandons the old segment; the buffer is
compacted when abandoned bytes outweigh the live ones. A row whose text is unchanged (most
live updates change only the status) costs no bytes.

Memory: one byte per UTF-8 byte of text plus about 32 bytes per row, against 4 bytes per
character of the longest row for every row in a NumPy `U` array.
"""

from __future__ import annotations

import numpy as np

#: Rows in a partial search at or under this share of the buffer are searched on their own.
_SUBSET_SHARE = 0.2
#: Bytes sampled to find the needle's rarest byte.
_SAMPLE = 1 << 16


class SearchBuffer:
    """The searchable text of rows 0..n-1 (see the module docstring)."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Forget every row."""
        self._bytes = np.zeros(0, dtype=np.uint8)
        self._used = 0
        self._live = 0  # bytes of the rows' current segments
        # Segments in buffer order (starts ascend); the owner row, or -1 once abandoned.
        self._seg_start = np.zeros(0, dtype=np.int64)
        self._seg_end = np.zeros(0, dtype=np.int64)
        self._seg_row = np.zeros(0, dtype=np.int64)
        self._segments = 0
        self._row_seg = np.zeros(0, dtype=np.int64)  # row -> its segment, -1 for none
        self._rows = 0

    def __len__(self) -> int:
        return self._rows

    @property
    def nbytes(self) -> int:
        """Bytes held in NumPy arrays (capacity included)."""
        return sum(a.nbytes for a in (self._bytes, self._seg_start, self._seg_end,
                                      self._seg_row, self._row_seg))

    # ---- Changing

    def set(self, rows: np.ndarray, texts: list[str]) -> None:
        """Give `rows` (distinct) these texts; rows past the end are added (others get "")."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return
        encoded = [text.casefold().encode() for text in texts]
        self._grow_rows(int(rows.max()) + 1)
        old = self._row_seg[rows]
        changed = np.ones(len(rows), dtype=bool)
        data = self._bytes
        for i in np.flatnonzero(old >= 0).tolist():
            segment = old[i]
            start, end = self._seg_start[segment], self._seg_end[segment]
            changed[i] = data[start:end].tobytes() != encoded[i]
        if not changed.all():
            rows, old = rows[changed], old[changed]
            encoded = [text for text, keep in zip(encoded, changed.tolist(), strict=True) if keep]
        if not len(rows):
            return
        abandoned = old[old >= 0]
        self._seg_row[abandoned] = -1
        self._live -= int((self._seg_end[abandoned] - self._seg_start[abandoned]).sum())
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        blob = b"".join(encoded)
        self._reserve(self._used + len(blob), self._segments + len(rows))
        self._bytes[self._used: self._used + len(blob)] = np.frombuffer(blob, dtype=np.uint8)
        starts = self._used + np.concatenate(([0], np.cumsum(lengths[:-1])))
        segments = np.arange(self._segments, self._segments + len(rows))
        self._seg_start[segments] = starts
        self._seg_end[segments] = starts + lengths
        self._seg_row[segments] = rows
        self._row_seg[rows] = segments
        self._segments += len(rows)
        self._used += len(blob)
        self._live += len(blob)
        if self._used - self._live > max(self._live, 1 << 20):
            self._compact()

    # ---- Searching

    def contains(self, needle: str, rows: np.ndarray | None = None) -> np.ndarray:
        """Which rows' text contains `needle` (casefolded): a mask over all rows, or over
        `rows` when given."""
        pattern = np.frombuffer(needle.casefold().encode(), dtype=np.uint8)
        if rows is not None:
            rows = np.asarray(rows, dtype=np.int64)
            if len(rows) * (self._live / max(1, self._rows)) <= _SUBSET_SHARE * self._live:
                return self._contains_in(pattern, rows)
        segments = self._segments
        found = _found_in_segments(self._bytes[: self._used], pattern,
                                   self._seg_start[:segments], self._seg_end[:segments])
        owners = self._seg_row[:segments]
        mask = np.zeros(self._rows, dtype=bool)
        mask[owners[found & (owners >= 0)]] = True
        return mask if rows is None else mask[rows]

    # ----

    def _contains_in(self, pattern: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """`contains` for a few rows: their segments copied out and searched on their own."""
        inside = rows < self._rows
        segments = np.where(inside, self._row_seg[np.where(inside, rows, 0)], -1)
        known = segments >= 0
        starts = np.where(known, self._seg_start[segments], 0)
        lengths = np.where(known, self._seg_end[segments] - starts, 0)
        offsets = np.concatenate(([0], np.cumsum(lengths)))
        picked = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1])
        return _found_in_segments(self._bytes[picked], pattern, offsets[:-1], offsets[1:])

    def _grow_rows(self, rows: int) -> None:
        if rows <= self._rows:
            return
        if rows > len(self._row_seg):
            grown = np.full(max(rows, len(self._row_seg) * 3 // 2, 1024), -1, dtype=np.int64)
            grown[: self._rows] = self._row_seg[: self._rows]
            self._row_seg = grown
        self._row_seg[self._rows: rows] = -1
        self._rows = rows

    def _reserve(self, size: int, segments: int) -> None:
        if size > len(self._bytes):
            grown = np.empty(max(size, len(self._bytes) * 3 // 2), dtype=np.uint8)
            grown[: self._used] = self._bytes[: self._used]
            self._bytes = grown
        if segments > len(self._seg_start):
            capacity = max(segments, len(self._seg_start) * 3 // 2, 1024)
            for name in ("_seg_start", "_seg_end", "_seg_row"):
                old = getattr(self, name)
                grown = np.empty(capacity, dtype=np.int64)
                grown[: self._segments] = old[: self._segments]
                setattr(self, name, grown)

    def _compact(self) -> None:
        """Drop abandoned segments: the live ones move down, in the same order."""
        keep = np.flatnonzero(self._seg_row[: self._segments] >= 0)
        starts, ends = self._seg_start[keep], self._seg_end[keep]
        step = np.zeros(self._used + 1, dtype=np.int8)
        np.add.at(step, starts, 1)
        np.add.at(step, ends, -1)
        inside = np.cumsum(step[:-1], dtype=np.int8).view(bool)
        data = self._bytes[: self._used][inside]
        self._bytes = np.empty(max(len(data) * 5 // 4, 1024), dtype=np.uint8)
        self._bytes[: len(data)] = data
        lengths = ends - starts
        new_starts = np.concatenate(([0], np.cumsum(lengths[:-1])))
        count = len(keep)
        rows = self._seg_row[keep]
        self._seg_start[:count] = new_starts
        self._seg_end[:count] = new_starts + lengths
        self._seg_row[:count] = rows
        self._row_seg[rows] = np.arange(count)
        self._segments = count
        self._used = self._live = len(data)


def _found_in_segments(data: np.ndarray, pattern: np.ndarray, starts: np.ndarray,
                       ends: np.ndarray) -> np.ndarray:
    """For each segment [start, end) of `data`, whether `pattern` occurs wholly inside it."""
    hits = _occurrences(data, pattern)
    found = np.zeros(len(starts), dtype=bool)
    if len(hits) < len(starts):  # few hits: find each one's segment
        segment = np.searchsorted(starts, hits, side="right") - 1
        found[segment[hits + len(pattern) <= ends[segment]]] = True
        return found
    first = np.searchsorted(hits, starts, side="left")
    last = np.searchsorted(hits, ends - len(pattern), side="right")
    return last > first


def _occurrences(data: np.ndarray, pattern: np.ndarray) -> np.ndarray:
    """Ascending start positions of `pattern` in `data`: the rarest byte's positions, then
    the rest of the pattern checked there eight, four or one bytes at a time."""
    width = len(pattern)
    span = len(data) - width + 1
    if width == 0 or span <= 0:
        return np.zeros(0, dtype=np.int64)
    sample = data[:: max(1, len(data) // _SAMPLE)]
    anchor = int(np.argmin(np.bincount(sample, minlength=256)[pattern]))
    hits = np.flatnonzero(data[anchor: anchor + span] == pattern[anchor])
    at = 0
    while at < width and len(hits):
        size = 8 if width - at >= 8 else 4 if width - at >= 4 else 1
        if size == 1 and at == anchor:
            at += 1
            continue
        words = _unaligned(data, size)
        wanted = pattern[at: at + size].view(words.dtype)[0]
        hits = hits[words[hits + at] == wanted]
        at += size
    return hits


def _unaligned(data: np.ndarray, size: int) -> np.ndarray:
    """`data` read as `size`-byte words starting at every byte (a view, no copy)."""
    if size == 1:
        return data
    dtype = np.dtype(f"<u{size}")
    return np.ndarray((len(data) - size + 1,), dtype=dtype, buffer=data, strides=(1,))
