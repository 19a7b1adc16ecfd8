"""The result of one recognition: the generated ``OcrResult`` model plus what a caller usually wants from it."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import attrs
import httpx
from attrs import define
from attrs import field as attrs_field

from baidu_ocr_client.models import OcrResult
from baidu_ocr_client.types import Response, Unset

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

    http: ResponseInfo | None = attrs_field(init=False, default=None, repr=False)
    """Status, headers and body of the HTTP answer (``None`` for a result that did not come over HTTP)."""
    from_cache: bool = attrs_field(init=False, default=False, repr=False)
    """Whether this result was answered from a result cache instead of the service."""
    _raw: dict[str, Any] | None = attrs_field(init=False, default=None, repr=False)

    @classmethod
    def from_model(cls, model: OcrResult, response: Response[Any], elapsed: float) -> OCRResult:
        """The generated model's fields (no second parse) plus the HTTP side of the answer."""
        values = {item.name: getattr(model, item.name) for item in attrs.fields(OcrResult) if item.init}
        result = cls(**values)
        result.additional_properties = model.additional_properties
        result.http = ResponseInfo(
            int(response.status_code), httpx.Headers(response.headers), response.content, elapsed
        )
        return result

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OCRResult:
        """A result from the service's JSON (e.g. kept in a cache)."""
        result = cls.from_dict(data)
        result._raw = dict(data)
        return result

    @property
    def raw(self) -> dict[str, Any]:
        """The service's JSON, exactly as received."""
        if self._raw is None:
            self._raw = json.loads(self.http.content) if self.http is not None else self.to_dict()
        return self._raw

    def __repr__(self) -> str:
        shown = []
        for item in attrs.fields(OcrResult):
            value = getattr(self, item.name)
            if not item.init or isinstance(value, Unset):
                continue
            if item.name == "words_result":
                shown.append(f"lines={self.lines!r}")
            elif item.name == "paragraphs_result":
                shown.append(f"paragraphs={self.paragraphs!r}")
            else:
                shown.append(f"{item.name}={value!r}")
        extra = f", additional_properties={self.additional_properties!r}" if self.additional_properties else ""
        return f"OCRResult({', '.join(shown)}{extra})"

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
