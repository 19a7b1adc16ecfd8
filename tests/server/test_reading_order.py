"""Reading order on synthetic page geometries with a known order (pure: boxes only, no OCR)."""

from __future__ import annotations

import math

from baidu_ocr_server.layout import group_paragraphs
from baidu_ocr_server.reading_order import reading_blocks, reading_order

Box = tuple[tuple[float, float], ...]


def box(left: float, top: float, right: float, bottom: float, angle: float = 0.0) -> Box:
    """A rectangle (tl, tr, br, bl), turned ``angle`` degrees about the origin (y down, like images)."""
    corners = ((left, top), (right, top), (right, bottom), (left, bottom))
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return tuple((x * cos - y * sin, x * sin + y * cos) for x, y in corners)


def column(left: float, right: float, top: float, count: int, step: float = 40, height: float = 28) -> list[Box]:
    return [box(left, top + i * step, right, top + i * step + height) for i in range(count)]


def test_two_columns_under_a_full_width_title_read_column_by_column() -> None:
    title = [box(100, 20, 1100, 70)]
    abstract = column(100, 1100, 100, 2)
    left, right = column(100, 580, 220, 8), column(620, 1100, 220, 8)
    boxes = [*title, *abstract, *left, *right]
    assert reading_order(boxes) == list(range(len(boxes)))


def test_three_columns_and_a_full_width_footer() -> None:
    columns = [column(100 + k * 340, 400 + k * 340, 100, 6) for k in range(3)]
    footer = [box(100, 400, 1080, 430)]
    boxes = [b for c in columns for b in c] + footer
    assert reading_order(boxes) == list(range(len(boxes)))


def test_columns_with_offset_baselines_and_a_centred_heading_in_one_column() -> None:
    left = column(100, 580, 200, 10, step=38)
    right = [*column(620, 1100, 190, 3, step=38), box(760, 310, 960, 340), *column(620, 1100, 350, 6, step=38)]
    boxes = [*left, *right]
    assert reading_order(boxes) == list(range(len(boxes)))


def test_sidebar_beside_the_main_text_comes_after_it() -> None:
    heading = [box(80, 20, 700, 90)]
    main = column(80, 840, 150, 20, step=36, height=26)
    sidebar = [box(900, 160, 1150, 195), *column(900, 1150, 220, 10, step=28, height=20)]
    boxes = [*heading, *main, *sidebar]
    assert reading_order(boxes) == list(range(len(boxes)))


def test_receipt_rows_stay_rows_even_when_skewed() -> None:
    for angle in (0.0, 4.0, -7.0):
        boxes: list[Box] = [box(40, 20, 400, 60, angle)]
        for i in range(6):
            top = 100 + i * 46
            boxes += [box(40, top, 40 + 90 + 25 * (i % 3), top + 30, angle), box(380, top, 460, top + 30, angle)]
        assert reading_order(boxes) == list(range(len(boxes))), angle


def test_form_fields_are_read_row_by_row() -> None:
    boxes = []
    for i in range(5):
        top = 100 + i * 64
        for left in (70, 235, 560, 725):
            boxes.append(box(left, top, left + 60 + 15 * (i % 2), top + 30))
    assert reading_order(boxes) == list(range(len(boxes)))


def test_a_tall_line_does_not_chain_two_small_ones_into_a_row() -> None:
    # "315 西" above on the left, the big street name, "309 东" lower on the right.
    boxes = [box(0, 0, 80, 30), box(100, 0, 300, 90), box(320, 60, 400, 90)]
    assert reading_order(boxes) == [0, 1, 2]
    stacked = [box(0, 0, 80, 30), box(0, 60, 80, 90), box(100, 0, 300, 90)]
    order = reading_order(stacked)
    assert order.index(0) < order.index(1)  # the stacked small lines keep their top-to-bottom order


def test_menu_bar_then_navigation_then_content() -> None:
    menu = [box(15 + 80 * i, 10, 55 + 80 * i, 36) for i in range(4)]
    nav = [box(25, 75 + 40 * i, 85, 103 + 40 * i) for i in range(5)]
    content = [box(256, 68, 440, 98), *[box(257, 118 + 30 * i, 540, 141 + 30 * i) for i in range(4)]]
    boxes = [*menu, *nav, *content]
    assert reading_order(boxes) == list(range(len(boxes)))


def test_blocks_and_trivial_inputs() -> None:
    assert reading_blocks([]) == []
    assert reading_order([box(0, 0, 10, 10)]) == [0]
    left, right = column(100, 580, 100, 3), column(620, 1100, 100, 3)
    assert reading_blocks([*left, *right]) == [[0, 1, 2], [3, 4, 5]]


class _Line:
    def __init__(self, b: Box) -> None:
        self.box = b


def test_paragraphs_do_not_span_columns() -> None:
    left, right = column(100, 580, 100, 4), column(620, 1100, 100, 4)
    # A line straddling nothing: both columns' lines touch the gutter, as justified text does.
    lines = [_Line(b) for b in [*left, *right]]
    assert group_paragraphs(lines) == [[0, 1, 2, 3], [4, 5, 6, 7]]
