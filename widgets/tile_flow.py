"""Tiles of one size in titled sections, flowing to fill the width (for a scroll area).

The width is cut into as many equal columns as tiles of the least width fit. Sections run
in order: one that fits beside the previous one in the same band shares its band (both
headings on one line above their tiles); a longer one starts a new band and wraps over
whole rows. So a handful of short groups share rows on a wide wall, and nothing ever sits
under another section's heading.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class TileFlow(QWidget):
    """Lays out its sections' tiles (see the module's docstring). Give it the sections with
    `set_sections` and the tile size with `set_tile_size`; it reports its height for a
    width, so a resizable `QScrollArea` scrolls it vertically."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tileFlow")
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._sections: list[tuple[QLabel, list[QWidget]]] = []
        self._min_width = 200
        self._tile_height = 120
        self._gap = 10
        self._margin = 12
        self._heading_font = QFont(self.font())

    # ---- Public API

    def set_sections(self, sections: list[tuple[str, list[QWidget]]]) -> None:
        """Show these sections (heading text, tiles) in order. The tiles are reparented to
        the flow; headings and tiles of sections given before and not now are deleted."""
        keep = {id(tile) for _heading, tiles in sections for tile in tiles}
        for heading, tiles in self._sections:
            heading.deleteLater()
            for tile in tiles:
                if id(tile) not in keep:
                    tile.deleteLater()
        self._sections = []
        for text, tiles in sections:
            heading = QLabel(text, self)
            heading.setObjectName("tileFlowHeading")
            heading.setFont(self._heading_font)
            heading.show()
            for tile in tiles:
                tile.setParent(self)
                tile.show()
            self._sections.append((heading, list(tiles)))
        self._relayout()

    def set_heading_text(self, index: int, text: str) -> None:
        """Change the heading of the section at `index`."""
        self._sections[index][0].setText(text)

    def headings(self) -> list[QLabel]:
        return [heading for heading, _tiles in self._sections]

    def set_tile_size(self, min_width: int, height: int, gap: int, margin: int,
                      heading_font: QFont) -> None:
        """Tiles at least `min_width` wide (they stretch to fill the columns), `height`
        high, `gap` apart, `margin` from the edges; headings in `heading_font`."""
        self._min_width, self._tile_height = max(1, min_width), max(1, height)
        self._gap, self._margin = gap, margin
        self._heading_font = QFont(heading_font)
        for heading, _tiles in self._sections:
            heading.setFont(self._heading_font)
        self._relayout()

    def columns(self, width: int | None = None) -> int:
        """How many tile columns fit in `width` (default: the flow's width)."""
        inner = (self.width() if width is None else width) - 2 * self._margin
        return max(1, (inner + self._gap) // (self._min_width + self._gap))

    # ---- Size

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return self._arrange(width, apply=False)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        width = max(self.width(), self._min_width + 2 * self._margin)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self._min_width + 2 * self._margin, self._tile_height)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._arrange(self.width(), apply=True)

    # ----

    def _relayout(self) -> None:
        self.updateGeometry()
        self._arrange(self.width(), apply=True)

    def _heading_height(self) -> int:
        return math.ceil(self.fontMetrics().height() if not self._sections
                         else self._sections[0][0].sizeHint().height())

    def _arrange(self, width: int, *, apply: bool) -> int:
        """Place everything for `width` (or only measure); returns the height needed."""
        margin, gap = self._margin, self._gap
        cols = self.columns(width)
        tile_w = (max(1, width - 2 * margin) - (cols - 1) * gap) / cols
        heading_h = self._heading_height()
        row_h = self._tile_height + gap

        def x_of(col: int) -> int:
            return margin + round(col * (tile_w + gap))

        def right_of(col: int) -> int:  # the right edge of the tile in column `col`
            return x_of(col + 1) - gap if col + 1 < cols else width - margin

        y = margin  # the top of the current band
        col = 0  # the next free column in it
        for heading, tiles in self._sections:
            count = max(1, len(tiles))
            if col and col + count > cols:  # does not fit beside the previous section
                y += heading_h + row_h
                col = 0
            rows = math.ceil((col + count) / cols)
            if apply:
                last = cols - 1 if rows > 1 else col + count - 1
                heading.setGeometry(QRect(x_of(col), y, right_of(last) - x_of(col), heading_h))
                for index, tile in enumerate(tiles):
                    row, at = divmod(col + index, cols)
                    tile.setGeometry(QRect(x_of(at), y + heading_h + row * row_h,
                                           right_of(at) - x_of(at), self._tile_height))
            if rows > 1:  # wrapped over whole rows: the next section starts a band
                y += heading_h + rows * row_h
                col = 0
            else:
                col += count
                if col == cols:
                    y += heading_h + row_h
                    col = 0
        bottom = y + heading_h + row_h if col else y
        return max(bottom - gap, margin) + margin


__all__ = ["TileFlow"]
