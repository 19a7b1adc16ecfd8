"""Render the spec's ``x-baidu-*`` extensions as a typed Python module (``generated/baidu_ocr_spec``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

HEADER = '''"""Tables generated from openapi/baidu-ocr.yaml. Do not edit: run ``nox -s generate``.

``ERROR_CODES`` comes from ``x-baidu-error-codes``; ``LIMITS`` from each OCR operation's ``x-baidu-limits``,
its request schema's ``language_type`` enum and its form fields.
"""

from typing import Final, Literal, NamedTuple

__all__ = ["ERROR_CODES", "LIMITS", "Category", "EndpointLimits", "ErrorCode", "Retry"]

Category = Literal[{categories}]
"""Which exception branch a client raises for a code."""
Retry = Literal[{retries}]
"""never; backoff: bounded exponential backoff; refresh_token: new token, replay once; once: a single retry."""


class ErrorCode(NamedTuple):
    """One row of Baidu's error-code table."""

    code: int
    message: str
    meaning: str
    category: Category
    retry: Retry


class EndpointLimits(NamedTuple):
    """What one OCR endpoint accepts."""

    path: str
    max_encoded_bytes: int
    min_side_px: int
    max_side_px: int
    max_url_bytes: int
    image_formats: tuple[str, ...]
    language_types: tuple[str, ...]
    form_fields: tuple[str, ...]

'''

CATEGORIES = ("quota", "rate_limit", "auth", "permission", "invalid_parameter", "image", "url", "server")
RETRIES = ("never", "backoff", "refresh_token", "once")


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _error_rows(spec: dict[str, Any]) -> list[str]:
    rows = []
    for entry in spec["x-baidu-error-codes"]:
        if entry["category"] not in CATEGORIES or entry["retry"] not in RETRIES:
            raise ValueError(f"error code {entry['code']}: unknown category or retry")
        row = (int(entry["code"]), str(entry["message"]), str(entry["meaning"]), entry["category"], entry["retry"])
        rows.append(f"    {row[0]}: ErrorCode{row!r},")
    return rows


def _limit_rows(spec: dict[str, Any]) -> list[str]:
    rows = []
    for path, item in spec["paths"].items():
        operation = item["post"]
        limits = operation.get("x-baidu-limits")
        if limits is None:
            continue
        body = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
        properties = _resolve(spec, body)["properties"]
        languages = tuple(_resolve(spec, properties["language_type"])["enum"])
        values = (
            path,
            int(limits["max_encoded_bytes"]),
            int(limits["min_side_px"]),
            int(limits["max_side_px"]),
            int(limits["max_url_bytes"]),
            tuple(limits["image_formats"]),
            languages,
            tuple(properties),
        )
        rows.append(f"    {operation['operationId']!r}: EndpointLimits{values!r},")
    return rows


def render_tables(spec_path: Path) -> str:
    """Return the module text for the spec at ``spec_path``."""
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    parts = [
        HEADER.format(categories=", ".join(repr(c) for c in CATEGORIES), retries=", ".join(repr(r) for r in RETRIES)),
        "ERROR_CODES: Final[dict[int, ErrorCode]] = {",
        *_error_rows(spec),
        "}",
        '"""Every documented error code, by code."""',
        "",
        "LIMITS: Final[dict[str, EndpointLimits]] = {",
        *_limit_rows(spec),
        "}",
        '"""Per OCR operation id (``general_basic``, ``accurate_basic``)."""',
        "",
    ]
    return "\n".join(parts)
