"""The result of one recognition: the generated ``OcrResult`` model plus what a caller usually wants from it."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

import httpx
from attrs import define
from attrs import field as attrs_field

from baidu_ocr_client.models import OcrResult
from baidu_ocr_client.types import Unset

__all__ = ["OCRResult", "ResponseInfo", "join_lines"]


@dataclass(frozen=True)
class ResponseInfo:
    """The HTTP side of an answer: status, headers and the raw body (the URL is left out: it holds the token)."""

    status_code: int
    headers: httpx.Headers
    content: bytes = field(repr=False)
    elapsed_seconds: float


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines of one paragraph: no space between CJK characters, one space between words."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if text and not (_is_cjk(text[-1]) and _is_cjk(line[0])):
            text += " "
        text += line
    return text


@define
class OCRResult(OcrResult):
    """A successful recognition (the generated ``OcrResult``) with conveniences.

    ``words_result``, ``direction``, ``language``, ``paragraphs_result`` and every other field of the service's
    answer are here as the generated model has them; unknown fields are kept in ``additional_properties``.
    """

    raw: dict[str, Any] = attrs_field(init=False, factory=dict, repr=False)
    """The service's JSON, exactly as received."""
    http: ResponseInfo | None = attrs_field(init=False, default=None, repr=False)
    """Status, headers and body of the HTTP answer."""

    @property
    def request_id(self) -> int:
        """``log_id`` as an integer (some gateways send it as a string)."""
        return int(self.log_id)

    @property
    def lines(self) -> list[str]:
        """The recognized lines, in the service's order, exactly as sent."""
        return [item.words for item in self.words_result if isinstance(item.words, str)]

    @property
    def text(self) -> str:
        """All lines, one per line (paragraphs separated by a blank line when they were requested)."""
        paragraphs = self.paragraphs
        if paragraphs is not None:
            return "\n\n".join(paragraphs)
        return "\n".join(self.lines)

    @property
    def paragraphs(self) -> list[str] | None:
        """Each paragraph's lines joined into text, when ``paragraph=True`` was requested."""
        if isinstance(self.paragraphs_result, Unset):
            return None
        lines = [item.words if isinstance(item.words, str) else "" for item in self.words_result]
        texts = []
        for paragraph in self.paragraphs_result:
            indexes = paragraph.words_result_idx if isinstance(paragraph.words_result_idx, list) else []
            texts.append(join_lines([lines[i] for i in indexes if 0 <= i < len(lines)]))
        return texts

    @property
    def confidences(self) -> list[float | None]:
        """Each line's mean confidence (``probability.average``, when ``probability=True``), else ``None``."""
        averages: list[float | None] = []
        for item in self.words_result:
            average: float | None = None
            if not isinstance(item.probability, Unset) and not isinstance(item.probability.average, Unset):
                average = float(item.probability.average)
            averages.append(average)
        return averages

    @property
    def rotation_degrees(self) -> int | None:
        """How far the input was rotated counter-clockwise (0/90/180/270), when ``detect_direction=True``."""
        if isinstance(self.direction, Unset) or self.direction not in (0, 1, 2, 3):
            return None
        return self.direction * 90

    @property
    def page_count(self) -> int | None:
        """The PDF's page count (``pdf_file_size``), for PDF input."""
        if isinstance(self.pdf_file_size, Unset):
            return None
        try:
            return int(self.pdf_file_size)
        except ValueError:
            return None
