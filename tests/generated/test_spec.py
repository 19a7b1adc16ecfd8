"""The OpenAPI document: valid, and faithful to the official tables."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args, get_type_hints

import pytest
import yaml
from openapi_spec_validator import validate

from baidu_ocr_spec import (
    BACKOFF_CODES,
    BOOLEAN_OPTIONS,
    ERROR_CODES,
    INPUT_FIELDS,
    LIMITS,
    OPTION_FIELDS,
    REFRESH_TOKEN_CODES,
    RETRY_ONCE_CODES,
    AccurateBasicOptions,
    ErrorCode,
    GeneralBasicOptions,
    OptionField,
    Retry,
)

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


def test_error_codes_have_upper_snake_names_and_an_enum_member_each() -> None:
    named = {
        4: "REQUEST_LIMIT_REACHED", 6: "NO_PERMISSION", 14: "IAM_CERTIFICATION_FAILED", 17: "DAILY_LIMIT_REACHED",
        18: "QPS_LIMIT_REACHED", 19: "TOTAL_LIMIT_REACHED", 100: "INVALID_PARAMETER", 110: "ACCESS_TOKEN_INVALID",
        111: "ACCESS_TOKEN_EXPIRED", 282000: "INTERNAL_ERROR", 216100: "INVALID_PARAM", 216101: "NOT_ENOUGH_PARAM",
        216102: "SERVICE_NOT_SUPPORT", 216103: "PARAM_TOO_LONG", 216200: "EMPTY_IMAGE", 216201: "IMAGE_FORMAT_ERROR",
        216202: "IMAGE_SIZE_ERROR", 282003: "MISSING_PARAMETERS", 282110: "URL_NOT_EXIST",
        282111: "URL_FORMAT_ILLEGAL", 282112: "URL_DOWNLOAD_TIMEOUT", 282113: "URL_RESPONSE_INVALID",
        282114: "URL_SIZE_ERROR",
    }  # fmt: skip
    for code, name in named.items():
        assert ErrorCode[name] == code
        assert ERROR_CODES[code].name == name
    assert len(ErrorCode) == len(ERROR_CODES) == len(SPEC["x-baidu-error-codes"])
    for code, row in ERROR_CODES.items():
        assert row.code == code == ErrorCode[row.name]
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", row.name)
    assert ErrorCode(18) is ErrorCode.QPS_LIMIT_REACHED
    assert ERROR_CODES[ErrorCode.QPS_LIMIT_REACHED] is ERROR_CODES[18]
    assert isinstance(ErrorCode.QPS_LIMIT_REACHED, int)


def test_retry_sets_come_from_the_retry_column() -> None:
    by_retry = {retry: {code for code, row in ERROR_CODES.items() if row.retry == retry} for retry in get_args(Retry)}
    assert REFRESH_TOKEN_CODES == by_retry["refresh_token"] == {110, 111}
    assert by_retry["backoff"] == BACKOFF_CODES
    assert {4, 18, 282000} <= BACKOFF_CODES
    assert RETRY_ONCE_CODES == by_retry["once"] == {282112}


def test_options_per_operation_exclude_the_inputs() -> None:
    assert {"image", "url", "pdf_file", "pdf_file_num"} == INPUT_FIELDS
    general = {option.name: option for option in OPTION_FIELDS["general_basic"]}
    accurate = {option.name: option for option in OPTION_FIELDS["accurate_basic"]}
    assert list(general) == ["language_type", "detect_direction", "detect_language", "paragraph", "probability"]
    assert list(accurate) == ["language_type", "detect_direction", "paragraph", "probability"]
    assert {
        "general_basic": {"detect_direction", "detect_language", "paragraph", "probability"},
        "accurate_basic": {"detect_direction", "paragraph", "probability"},
    } == BOOLEAN_OPTIONS
    assert general["language_type"].kind == "enum"
    assert general["language_type"].choices == LIMITS["general_basic"].language_types
    assert accurate["language_type"].choices == LIMITS["accurate_basic"].language_types
    assert general["probability"] == OptionField(
        "probability", "boolean", (), "Return each line's confidence (default `false`)."
    )
    for operation, options in OPTION_FIELDS.items():
        assert {o.name for o in options} | INPUT_FIELDS == set(LIMITS[operation].form_fields)
        assert all(o.description.endswith(".") and "\n" not in o.description for o in options)


@pytest.mark.parametrize(
    ("typed_dict", "operation"), [(GeneralBasicOptions, "general_basic"), (AccurateBasicOptions, "accurate_basic")]
)
def test_option_typed_dicts_have_one_key_per_option(typed_dict: type, operation: str) -> None:
    hints = get_type_hints(typed_dict)
    assert list(hints) == [option.name for option in OPTION_FIELDS[operation]]
    assert typed_dict.__total__ is False  # type: ignore[attr-defined]
    for option in OPTION_FIELDS[operation]:
        if option.kind == "boolean":
            assert hints[option.name] is bool
        assert option.name in (typed_dict.__doc__ or "")
    language = get_args(hints["language_type"])
    assert set(get_args(language[0])) == set(LIMITS[operation].language_types)
    assert language[1].__module__.startswith("baidu_ocr_client.models")


def test_ocr_operations_accept_any_of_three_security_schemes_and_take_no_token_parameter() -> None:
    schemes = SPEC["components"]["securitySchemes"]
    assert schemes["accessToken"] == {**schemes["accessToken"], "type": "apiKey", "in": "query", "name": "access_token"}
    assert schemes["bceAuthV1"]["type"] == "apiKey"
    assert schemes["bceAuthV1"]["in"] == "header"
    assert schemes["bceAuthV1"]["name"] == "Authorization"
    assert "x-bce-date" in schemes["bceAuthV1"]["description"]
    assert schemes["apiKeyBearer"]["type"] == "http"
    assert schemes["apiKeyBearer"]["scheme"] == "bearer"
    operations = {op["operationId"]: op for item in SPEC["paths"].values() for op in item.values()}
    assert operations["get_access_token"]["security"] == []
    for name in ("general_basic", "accurate_basic"):
        assert operations[name]["security"] == [{"accessToken": []}, {"bceAuthV1": []}, {"apiKeyBearer": []}]
        assert "parameters" not in operations[name]


def test_request_schemas_type_booleans_and_files() -> None:
    schemas = SPEC["components"]["schemas"]
    assert "BoolString" not in schemas
    for name in ("GeneralBasicRequest", "AccurateBasicRequest"):
        properties = schemas[name]["properties"]
        for field in ("detect_direction", "paragraph", "probability"):
            assert properties[field]["type"] == "boolean"
        for field, media in (("image", "image/*"), ("pdf_file", "application/pdf")):
            assert properties[field]["contentEncoding"] == "base64"
            assert properties[field]["contentMediaType"] == media
            assert "do not encode them yourself" in " ".join(properties[field]["description"].split())


def _official_request_rows(operation: str) -> dict[str, list[str]]:
    """The request-parameter table of ``operation``'s section of Baidu's page: name -> the other cells."""
    page = OFFICIAL_PAGE.read_text(encoding="utf-8")
    heading = {"general_basic": "## 通用文字识别（标准版）", "accurate_basic": "## 通用文字识别（高精度版）"}[operation]
    section = page.split(heading, 1)[1].split("\n## ", 1)[0]
    lines = section.split("请求参数详情**", 1)[1].strip().splitlines()
    rows = {}
    for line in lines[: next(i for i, line in enumerate(lines) if not line.startswith("|"))]:
        cells = [cell.strip().replace("\\", "") for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] not in ("参数", "---"):
            rows[cells[0]] = cells[1:]
    return rows


@pytest.mark.parametrize("operation", ["general_basic", "accurate_basic"])
def test_fields_inputs_booleans_and_languages_follow_the_official_request_table(operation: str) -> None:
    rows = _official_request_rows(operation)
    assert set(rows) == set(LIMITS[operation].form_fields)
    assert {name for name, cells in rows.items() if "三选一" in cells[0]} | {"pdf_file_num"} == INPUT_FIELDS
    assert {name for name, cells in rows.items() if cells[2] == "true/false"} == BOOLEAN_OPTIONS[operation]
    options = {option.name: option for option in OPTION_FIELDS[operation]}
    assert set(rows["language_type"][2].split()) <= set(options["language_type"].choices)
