"""The OpenAPI document: valid, and faithful to the official tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

from baidu_ocr_spec import ERROR_CODES, LIMITS

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "openapi" / "baidu-ocr.yaml").read_text(encoding="utf-8"))
OFFICIAL_PAGE = ROOT / "openapi" / "source" / "baidu-ocr-general-text-recognition.md"
"""The copy of Baidu's page the spec was written from (refresh it when Baidu's docs change)."""


def test_spec_is_valid_openapi() -> None:
    validate(SPEC)


def _official_error_codes() -> dict[int, str]:
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \|", OFFICIAL_PAGE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {int(code): " ".join(message.split()) for code, message in rows}


def test_every_official_error_code_is_in_the_generated_table() -> None:
    official = _official_error_codes()
    assert len(official) == 33
    assert set(ERROR_CODES) == set(official)
    for code, message in official.items():
        assert " ".join(ERROR_CODES[code].message.split()) == message.replace("\\", "")


@pytest.mark.parametrize(
    ("operation", "max_bytes", "max_side", "has_detect_language"),
    [("general_basic", 4 * 1024 * 1024, 4096, True), ("accurate_basic", 10 * 1024 * 1024, 8192, False)],
)
def test_limits_per_endpoint(operation: str, max_bytes: int, max_side: int, has_detect_language: bool) -> None:
    limits = LIMITS[operation]
    assert limits.max_encoded_bytes == max_bytes
    assert limits.max_side_px == max_side
    assert limits.min_side_px == 15
    assert limits.max_url_bytes == 1024
    assert ("detect_language" in limits.form_fields) is has_detect_language
    assert "CHN_ENG" in limits.language_types


def test_accurate_languages_are_the_union_of_table_and_description() -> None:
    accurate = set(LIMITS["accurate_basic"].language_types)
    assert {"auto_detect", "HUN", "THA", "VIE", "ARA", "HIN"} <= accurate
    assert set(LIMITS["general_basic"].language_types) < accurate


def test_response_schemas_have_no_enums_and_keep_unknown_fields() -> None:
    schemas = SPEC["components"]["schemas"]
    for name in ("OcrResult", "OcrError", "WordsResult", "Probability", "ParagraphResult", "TokenResponse"):
        assert schemas[name].get("additionalProperties") is True, name
        assert "enum" not in str(schemas[name]), name
