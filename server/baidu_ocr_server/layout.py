"""Pure layout helpers: paragraph grouping and per-line probability statistics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .reading_order import reading_blocks

__all__ = ["group_paragraphs", "line_probability"]

MAX_GAP = 0.8
"""Lines of one paragraph are at most this many line heights apart vertically."""
MAX_HEIGHT_RATIO = 1.5
"""Lines of one paragraph differ in height by at most this factor."""
INDENT = 1.0
"""A line indented by more than this many line heights from its paragraph starts a new one."""


class _Boxed(Protocol):
    """What the layout needs of a line (e.g. :class:`~baidu_ocr_server.engine.RecognizedLine`)."""

    @property
    def box(self) -> tuple[tuple[float, float], ...]: ...


@dataclass(frozen=True)
class _Extent:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1e-6)

    @classmethod
    def of(cls, line: _Boxed) -> _Extent:
        xs = [p[0] for p in line.box]
        ys = [p[1] for p in line.box]
        return cls(min(xs), min(ys), max(xs), max(ys))


def _continues(para: list[_Extent], line: _Extent) -> bool:
    """Whether ``line`` goes on the paragraph whose lines (so far) are ``para``."""
    last = para[-1]
    height = min(last.height, line.height)
    if max(last.height, line.height) > MAX_HEIGHT_RATIO * height:
        return False
    gap = line.top - last.bottom
    if gap > MAX_GAP * height or line.top < last.top + 0.5 * last.height:  # too far, or same row
        return False
    if min(last.right, line.right) <= max(last.left, line.left):  # no horizontal overlap
        return False
    return line.left <= min(p.left for p in para) + INDENT * height


def group_paragraphs(lines: Sequence[_Boxed]) -> list[list[int]]:
    """Group line indexes into paragraphs by layout.

    Lines are taken in the given (reading) order; each joins the open paragraph
    of its layout block (see :func:`~baidu_ocr_server.reading_order.reading_blocks`:
    a paragraph never spans two columns) whose last line is just above it: a vertical gap of at most ``MAX_GAP`` line
    heights, overlapping horizontally, of similar height and not indented by more
    than ``INDENT`` line heights (a first-line indent starts a new paragraph).
    Paragraphs are returned in order of their first line.
    """
    block_of = {index: k for k, block in enumerate(reading_blocks([line.box for line in lines])) for index in block}
    paragraphs: list[list[int]] = []
    extents: list[list[_Extent]] = []
    for index, line in enumerate(lines):
        extent = _Extent.of(line)
        # Prefer the paragraph whose last line is closest above this one.
        candidates = [
            k
            for k, para in enumerate(extents)
            if block_of.get(paragraphs[k][-1]) == block_of.get(index) and _continues(para, extent)
        ]
        if candidates:
            best = max(candidates, key=lambda k: extents[k][-1].bottom)
            paragraphs[best].append(index)
            extents[best].append(extent)
        else:
            paragraphs.append([index])
            extents.append([extent])
    return paragraphs


def line_probability(char_scores: Sequence[float]) -> tuple[float, float, float]:
    """``(average, variance, min)`` of a line's character confidences; zeros if there are none.

    The variance is the population variance (Baidu's ``probability.variance``).
    """
    if not char_scores:
        return 0.0, 0.0, 0.0
    average = sum(char_scores) / len(char_scores)
    variance = sum((s - average) ** 2 for s in char_scores) / len(char_scores)
    return average, variance, min(char_scores)
