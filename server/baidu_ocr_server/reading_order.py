"""Reading order of text lines on a page: blocks and columns first, then rows within a block.

Pure geometry on line boxes (no OCR). The page is first deskewed by the median slant of its long lines. Lines
are then cut, top to bottom, into *bands* (runs of lines whose vertical extents overlap); consecutive bands
that share a vertical white gutter form a *group*. A group with a gutter whose two sides hold text columns
(long lines, or lines that do not pair up row by row) is read column by column, left to right, each column
laid out again the same way (so columns may hold sub-columns, and full-width titles stay first). Any other
group (full-width text, a form, a receipt, a table) is one block, read row by row: lines that overlap
vertically with every line already in the row, and not horizontally with any, share a row, read left to right.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["GUTTER", "reading_blocks", "reading_order"]

Box = Sequence[tuple[float, float]]

GUTTER = 0.6
"""A column gutter is at least this many (median) line heights wide."""
TEXT_COLUMN = 8.0
"""A side of a gutter holds text when its lines are at least this many line heights long (median)."""
PAIRED = 0.75
"""Two sides whose lines pair up row by row at least this often are a table or form (read by rows) ..."""
ROW_TOLERANCE = 0.3
"""... where a pair's vertical centres are at most this many line heights apart."""
ROW_OVERLAP = 0.5
"""Lines share a row when they overlap vertically by at least this share of the smaller height."""
_MAX_DEPTH = 12


@dataclass(frozen=True)
class _Rect:
    index: int
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1e-6)

    @property
    def width(self) -> float:
        return max(self.right - self.left, 1e-6)

    @property
    def cx(self) -> float:
        return (self.left + self.right) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def _skew(boxes: Sequence[Box]) -> float:
    """The page's slant (radians): the median angle of the top edges of long, near-horizontal boxes."""
    angles = []
    for box in boxes:
        if len(box) < 4:
            continue
        (x0, y0), (x1, y1), (x2, y2) = box[0], box[1], box[2]
        width, height = math.hypot(x1 - x0, y1 - y0), math.hypot(x2 - x1, y2 - y1)
        angle = math.atan2(y1 - y0, x1 - x0)
        if width >= 3 * height and abs(angle) < math.radians(30):
            angles.append(angle)
    return statistics.median(angles) if angles else 0.0


def _rects(boxes: Sequence[Box]) -> list[_Rect]:
    """Axis-aligned bounds of each box in the deskewed page."""
    angle = _skew(boxes)
    cos, sin = math.cos(-angle), math.sin(-angle)
    rects = []
    for index, box in enumerate(boxes):
        xs = [x * cos - y * sin for x, y in box]
        ys = [x * sin + y * cos for x, y in box]
        rects.append(_Rect(index, min(xs), min(ys), max(xs), max(ys)))
    return rects


def _median_height(rects: Sequence[_Rect]) -> float:
    return statistics.median(r.height for r in rects)


def _bands(rects: Sequence[_Rect]) -> list[list[_Rect]]:
    """Cut lines, top to bottom, where no line's vertical extent bridges the cut (a little overlap allowed)."""
    bands: list[list[_Rect]] = []
    bottom = -math.inf
    for rect in sorted(rects, key=lambda r: (r.top, r.left)):
        if bands and rect.top < bottom - 0.2 * rect.height:
            bands[-1].append(rect)
            bottom = max(bottom, rect.bottom)
        else:
            bands.append([rect])
            bottom = rect.bottom
    return bands


Interval = tuple[float, float]


def _free(rects: Sequence[_Rect], start: float, end: float, min_width: float) -> list[Interval]:
    """Horizontal intervals of [start, end] that no rect covers, at least ``min_width`` wide."""
    free, cursor = [], start
    for rect in sorted(rects, key=lambda r: r.left):
        if rect.left - cursor >= min_width:
            free.append((cursor, rect.left))
        cursor = max(cursor, rect.right)
    if end - cursor >= min_width:
        free.append((cursor, end))
    return free


def _intersect(a: Sequence[Interval], b: Sequence[Interval], min_width: float) -> list[Interval]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi - lo >= min_width:
                out.append((lo, hi))
    return out


def _interior(intervals: Sequence[Interval], start: float, end: float) -> list[Interval]:
    """The intervals that touch neither edge: text lies on both sides of them."""
    return [(lo, hi) for lo, hi in intervals if lo > start and hi < end]


def _continues(
    state: Sequence[Interval], free: Sequence[Interval], shared: Sequence[Interval], bounds: Interval, single: bool
) -> bool:
    """Whether a band with white ``free`` goes on a column group with gutters ``state`` (``shared``: both).

    Most of some gutter of the group must go on; while the group is a ``single`` band, most of the group's
    gutter or of the band's own.
    """
    start, end = bounds
    for lo, hi in _interior(shared, start, end):
        theirs = [(a, b) for a, b in state if a <= lo and hi <= b]
        if single:
            theirs += [(a, b) for a, b in _interior(free, start, end) if a <= lo and hi <= b]
            if any(hi - lo >= 0.5 * (b - a) for a, b in theirs):
                return True
        elif all(hi - lo >= 0.5 * (b - a) for a, b in theirs):
            return True
    return False


def _is_row_of_items(band: Sequence[_Rect]) -> bool:
    """A band of several short items side by side (a menu bar, tabs, a table's header): a row, not columns."""
    height = _median_height(band)
    return len(band) >= 2 and all(r.width < 3 * height for r in band)


def _groups(rects: Sequence[_Rect], gutter: float) -> list[tuple[list[_Rect], list[Interval]]]:
    """Consecutive bands that share a gutter, each group with its gutters (none for full-width runs)."""
    start, end = min(r.left for r in rects), max(r.right for r in rects)
    groups: list[list[_Rect]] = []
    state: list[Interval] = []
    bands_in_group = 0
    closed = False
    for band in _bands(rects):
        free = _free(band, start, end, gutter)
        if groups and not closed:
            shared = _intersect(state, free, gutter)
            was_columns = bool(_interior(state, start, end))
            if (was_columns and _continues(state, free, shared, (start, end), bands_in_group == 1)) or not (
                was_columns or _interior(free, start, end)
            ):
                groups[-1].extend(band)
                state = shared if was_columns else free
                bands_in_group += 1
                continue
        groups.append(list(band))
        state = free
        bands_in_group = 1
        closed = _is_row_of_items(band)
    return [(members, _interior(_free(members, start, end, gutter), start, end)) for members in groups]


def _text_like(side: Sequence[_Rect]) -> bool:
    return statistics.median(r.width for r in side) >= TEXT_COLUMN * _median_height(side)


def _paired(left: Sequence[_Rect], right: Sequence[_Rect]) -> bool:
    """Whether the two sides' lines pair up row by row (a table, a form, a receipt)."""
    height = _median_height([*left, *right])
    fewer, more = (left, right) if len(left) <= len(right) else (right, left)
    pairs = sum(1 for a in fewer if any(abs(a.cy - b.cy) <= ROW_TOLERANCE * height for b in more))
    return pairs >= PAIRED * len(fewer)


def _columns(members: Sequence[_Rect], gutters: Sequence[Interval]) -> list[list[_Rect]] | None:
    """Split ``members`` at the gutters that separate text columns; None when it is read by rows."""
    cuts = []
    for lo, hi in gutters:
        left = [r for r in members if r.right <= lo]
        right = [r for r in members if r.left >= hi]
        if not left or not right:
            continue
        if _paired(left, right) and not (_text_like(left) and _text_like(right)):
            continue
        cuts.append((lo + hi) / 2)
    if not cuts:
        return None
    columns: list[list[_Rect]] = [[] for _ in range(len(cuts) + 1)]
    for rect in members:
        columns[sum(1 for cut in cuts if rect.cx > cut)].append(rect)
    return [c for c in columns if c]


def _rows(rects: Sequence[_Rect]) -> list[int]:
    """Row by row, top to bottom; within a row left to right."""
    rows: list[list[_Rect]] = []
    for rect in sorted(rects, key=lambda r: (r.cy, r.left)):
        if rows and _joins(rows[-1], rect):
            rows[-1].append(rect)
        else:
            rows.append([rect])
    return [r.index for row in rows for r in sorted(row, key=lambda r: r.left)]


def _joins(row: Sequence[_Rect], rect: _Rect) -> bool:
    for other in row:
        overlap = min(other.bottom, rect.bottom) - max(other.top, rect.top)
        if overlap < ROW_OVERLAP * min(other.height, rect.height):
            return False
        if min(other.right, rect.right) - max(other.left, rect.left) > 0.5 * min(other.height, rect.height):
            return False  # stacked, not side by side
    return True


def _layout(rects: Sequence[_Rect], blocks: list[list[int]], depth: int) -> None:
    if len(rects) <= 1 or depth >= _MAX_DEPTH:
        blocks.append(_rows(rects))
        return
    gutter = GUTTER * _median_height(rects)
    for members, gutters in _groups(rects, gutter):
        columns = _columns(members, gutters) if gutters else None
        if columns is None or len(columns) < 2:
            blocks.append(_rows(members))
        else:
            for column in columns:
                _layout(column, blocks, depth + 1)


def reading_blocks(boxes: Sequence[Box]) -> list[list[int]]:
    """Indexes of ``boxes`` (line quadrilaterals) in reading order, grouped by layout block."""
    if not boxes:
        return []
    blocks: list[list[int]] = []
    _layout(_rects(boxes), blocks, 0)
    return [block for block in blocks if block]


def reading_order(boxes: Sequence[Box]) -> list[int]:
    """Indexes of ``boxes`` in reading order (see the module docstring)."""
    return [index for block in reading_blocks(boxes) for index in block]
