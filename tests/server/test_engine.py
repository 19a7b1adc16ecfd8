"""The RapidOCR engine on images generated at test time (real OCR, no network)."""

from __future__ import annotations

import io
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from imaging import cer, font, render_text_image
from PIL import Image, ImageDraw

from baidu_ocr_server.engine import (
    ACCURATE,
    RUNTIME_ENV,
    STANDARD,
    EngineProfile,
    EngineResult,
    RapidOCREngine,
    resolve_runtime,
)
from baidu_ocr_server.layout import group_paragraphs, line_probability

ENGLISH = [
    "The quick brown fox jumps over the lazy dog.",
    "Pack my box with five dozen liquor jugs.",
    "Invoice number 2024-0815, total 1,234.56 USD.",
]
CHINESE = [
    "百度文字识别服务提供通用文字识别能力。",
    "今天天气很好，我们一起去公园散步吧。",
    "北京市海淀区上地十街十号百度大厦",
]
PAGE = [
    *ENGLISH,
    "Sphinx of black quartz, judge my vow.",
    "How vexingly quick daft zebras jump!",
    "Call +1 (555) 010-9999 before 5:30 pm.",
    "Shipping address: 42 Wallaby Way, Sydney.",
    "The meeting moved to Thursday, 3 October.",
    "Error rate below 0.5% on all pages.",
    "Please return the signed form by email.",
]
MAX_CER = 0.03  # measured 0.000 for both profiles and both languages

PROFILES = [pytest.param(STANDARD, id="standard"), pytest.param(ACCURATE, id="accurate")]


@pytest.fixture(scope="module")
def engine() -> RapidOCREngine:
    return RapidOCREngine()


def load(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def text_of(result: EngineResult) -> str:
    return "\n".join(line.text for line in result.lines)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("lines", [ENGLISH, CHINESE], ids=["english", "chinese"])
def test_reads_text_in_reading_order(engine: RapidOCREngine, profile: EngineProfile, lines: list[str]) -> None:
    image = load(render_text_image(lines))
    result = engine.recognize(image, profile, detect_direction=False)
    assert cer("\n".join(lines), text_of(result)) <= MAX_CER, text_of(result)
    assert (result.rotation, result.width, result.height) == (0, image.width, image.height)
    tops = [min(y for _, y in line.box) for line in result.lines]
    assert tops == sorted(tops)


def test_reads_small_jpeg_text(engine: RapidOCREngine) -> None:
    image = load(render_text_image(ENGLISH, font_size=18, fmt="JPEG"))
    result = engine.recognize(image, ACCURATE, detect_direction=False)
    assert cer("\n".join(ENGLISH), text_of(result)) <= 0.05, text_of(result)


@pytest.mark.parametrize("profile", PROFILES)
def test_wrong_line_classifier_flips_are_undone(engine: RapidOCREngine, profile: EngineProfile) -> None:
    # On this page the 0/180 line classifier flips an upright line with >0.9 confidence
    # (CER 0.07 if trusted); the engine must keep the more confident, upright reading.
    assert profile.use_cls
    result = engine.recognize(load(render_text_image(PAGE, font_size=24, line_gap=1.2)), profile, False)
    assert cer("\n".join(PAGE), text_of(result)) <= MAX_CER, text_of(result)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("lines", [ENGLISH, CHINESE], ids=["english", "chinese"])
def test_detects_page_rotation(engine: RapidOCREngine, lines: list[str], rotation: int) -> None:
    upright = load(render_text_image(lines))
    result = engine.recognize(load(render_text_image(lines, rotate=rotation)), STANDARD, detect_direction=True)
    assert result.rotation == rotation
    assert (result.width, result.height) == upright.size
    assert cer("\n".join(lines), text_of(result)) <= MAX_CER, text_of(result)
    for line in result.lines:  # boxes are in upright-page coordinates
        assert all(-1 <= x <= result.width + 1 and -1 <= y <= result.height + 1 for x, y in line.box)


def test_accurate_profile_detects_rotation_too(engine: RapidOCREngine) -> None:
    result = engine.recognize(load(render_text_image(CHINESE, rotate=90)), ACCURATE, detect_direction=True)
    assert result.rotation == 90
    assert cer("\n".join(CHINESE), text_of(result)) <= MAX_CER


def test_without_direction_detection_the_image_is_read_as_given(engine: RapidOCREngine) -> None:
    image = load(render_text_image(ENGLISH, rotate=90))
    result = engine.recognize(image, STANDARD, detect_direction=False)
    assert (result.rotation, result.width, result.height) == (0, image.width, image.height)


def test_char_scores_match_text(engine: RapidOCREngine) -> None:
    result = engine.recognize(load(render_text_image(ENGLISH + CHINESE)), STANDARD, detect_direction=False)
    assert len(result.lines) == len(ENGLISH + CHINESE)
    for line in result.lines:
        assert len(line.char_scores) == len(line.text)
        assert all(0.0 <= s <= 1.0 for s in line.char_scores)
        assert line.score == pytest.approx(sum(line.char_scores) / len(line.char_scores))
        average, variance, minimum = line_probability(line.char_scores)
        assert 0.0 <= minimum <= average <= 1.0
        assert variance >= 0.0
        assert average >= STANDARD.text_score
        assert len(line.box) == 4


def test_paragraphs_from_a_real_page(engine: RapidOCREngine) -> None:
    page = [
        "First paragraph starts here and",
        "goes on for a second line.",
        "",
        "",
        "Second block of text",
        "ends here.",
    ]
    result = engine.recognize(load(render_text_image(page)), STANDARD, detect_direction=False)
    assert [line.text for line in result.lines] == [line for line in page if line]
    assert group_paragraphs(result.lines) == [[0, 1], [2, 3]]


def test_array_and_image_modes_give_the_same_text(engine: RapidOCREngine) -> None:
    image = load(render_text_image(ENGLISH)).convert("RGB")
    rgba = image.convert("RGBA")
    rgba.putalpha(255)
    inputs: list[np.ndarray | Image.Image] = [
        np.asarray(image),
        np.asarray(image.convert("L")),
        rgba,
        image.convert("P"),
    ]
    texts = {text_of(engine.recognize(item, STANDARD, detect_direction=False)) for item in inputs}
    assert len(texts) == 1
    assert cer("\n".join(ENGLISH), texts.pop()) <= MAX_CER


def test_blank_and_tiny_images_have_no_lines(engine: RapidOCREngine) -> None:
    for size in [(400, 300), (20, 20)]:
        result = engine.recognize(Image.new("RGB", size, "white"), ACCURATE, detect_direction=True)
        assert result.lines == ()
        assert (result.rotation, result.width, result.height) == (0, *size)


def test_concurrent_calls_match_sequential_ones(engine: RapidOCREngine) -> None:
    images = [load(render_text_image(lines, rotate=r)) for lines, r in [(ENGLISH, 0), (CHINESE, 90), (ENGLISH, 180)]]
    expected = [engine.recognize(image, STANDARD, detect_direction=True) for image in images]
    with ThreadPoolExecutor(max_workers=3) as pool:
        actual = list(pool.map(lambda image: engine.recognize(image, STANDARD, detect_direction=True), images))
    assert actual == expected


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.usefixtures("no_network")
def test_models_load_and_run_without_network() -> None:
    fresh = RapidOCREngine()
    result = fresh.recognize(load(render_text_image(CHINESE[:1])), STANDARD, detect_direction=False)
    assert cer(CHINESE[0], text_of(result)) <= MAX_CER


def two_column_page(title: str, left: list[str], right: list[str], size: int = 26) -> Image.Image:
    """A title across the page over two columns whose lines sit at the same heights (the hard case)."""
    face = font(size)
    step = round(size * 1.6)
    column = max(face.getlength(line) for line in [*left, *right])
    gutter = 2 * size
    width = round(2 * column + gutter + 2 * size)
    page = Image.new("RGB", (width, 3 * size + step * max(len(left), len(right)) + 2 * size), "white")
    draw = ImageDraw.Draw(page)
    draw.text((size, size), title, font=font(round(size * 1.4)), fill="black")
    for k, lines in enumerate((left, right)):
        for i, line in enumerate(lines):
            draw.text((size + k * (column + gutter), 3 * size + i * step), line, font=face, fill="black")
    return page


@pytest.mark.slow
@pytest.mark.parametrize(
    ("title", "left", "right"),
    [
        pytest.param("Two columns", ENGLISH + PAGE[3:5], PAGE[5:10], id="english"),
        pytest.param("两栏排版的页面", [*CHINESE, "文字识别结果按阅读顺序返回。"], CHINESE[::-1], id="chinese"),
    ],
)
def test_columns_are_read_one_after_the_other(
    engine: RapidOCREngine, title: str, left: list[str], right: list[str]
) -> None:
    page = two_column_page(title, left, right)
    for profile in (STANDARD, ACCURATE):
        result = engine.recognize(page, profile, detect_direction=False)
        assert cer("\n".join([title, *left, *right]), text_of(result)) <= MAX_CER, (profile.name, text_of(result))


@pytest.mark.slow
def test_accurate_reads_a_tight_crop_that_general_reads() -> None:
    """A small, tightly cropped sign: the accurate profile pads it instead of blowing it up."""
    sign = Image.new("RGB", (362, 78), "#1f4e9c")
    ImageDraw.Draw(sign).text((8, 4), "南京西路 315", font=font(62), fill="white")
    engine = RapidOCREngine()
    general = text_of(engine.recognize(sign, STANDARD, detect_direction=False))
    accurate = text_of(engine.recognize(sign, ACCURATE, detect_direction=False))
    assert cer("南京西路315", general.replace(" ", "")) <= 0.2, general
    assert cer("南京西路315", accurate.replace(" ", "")) <= 0.2, accurate


def test_runtime_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Path("/nonexistent/rec.onnx")
    assert resolve_runtime("onnxruntime", rec) == "onnxruntime"
    monkeypatch.setenv(RUNTIME_ENV, "onnxruntime")
    assert resolve_runtime(None, rec) == "onnxruntime"
    monkeypatch.setenv(RUNTIME_ENV, "cuda")
    with pytest.raises(ValueError, match="unknown OCR runtime 'cuda'"):
        resolve_runtime(None, rec)
    monkeypatch.delenv(RUNTIME_ENV)
    assert resolve_runtime("auto", rec) == "onnxruntime"  # OpenVINO cannot read a missing model: fall back


@pytest.mark.slow
def test_both_runtimes_read_the_same_text(engine: RapidOCREngine) -> None:
    baseline = RapidOCREngine(runtime="onnxruntime")
    assert baseline.runtime == "onnxruntime"
    image = load(render_text_image(PAGE[:4]))
    ours = text_of(engine.recognize(image, STANDARD, detect_direction=False))
    theirs = text_of(baseline.recognize(image, STANDARD, detect_direction=False))
    assert cer(theirs, ours) <= 0.02, (ours, theirs)
