"""Schemathesis: the running service answers as openapi/baidu-ocr.yaml says (positive data, a few examples)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
import schemathesis
from hypothesis import settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from servicekit import DEMO_ID, DEMO_SECRET, GENERAL, TOKEN, FakeEngine, make_config, png

from baidu_ocr_server.embedded import LocalService

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "baidu-ocr.yaml"
SCHEMA = schemathesis.openapi.from_path(str(SPEC))
SCHEMA.config.generation.update(modes=[GenerationMode.POSITIVE], max_examples=25)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def contract_service() -> Iterator[LocalService]:
    with LocalService(make_config(fetch_timeout=2.0), engine=FakeEngine()) as service:
        yield service


@pytest.fixture(scope="module")
def valid_token(contract_service: LocalService) -> str:
    response = httpx.post(
        contract_service.base_url + TOKEN,
        data={"grant_type": "client_credentials", "client_id": DEMO_ID, "client_secret": DEMO_SECRET},
    )
    return str(response.json()["access_token"])


@SCHEMA.parametrize()
@settings(database=None, deadline=None)
def test_generated_requests_conform(
    case: schemathesis.Case[Any], contract_service: LocalService, valid_token: str
) -> None:
    # About half of the cases get a valid token so that they get past authentication.
    if case.path != TOKEN and case.query is not None and len(str(case.query.get("access_token", ""))) % 2 == 0:
        case.query["access_token"] = valid_token
    case.call_and_validate(base_url=contract_service.base_url, checks=CHECKS)


def test_token_success_conforms(contract_service: LocalService) -> None:
    operation = SCHEMA[TOKEN]["POST"]
    case = operation.Case(
        body={"grant_type": "client_credentials", "client_id": DEMO_ID, "client_secret": DEMO_SECRET},
        media_type="application/x-www-form-urlencoded",
    )
    response = case.call_and_validate(base_url=contract_service.base_url, checks=CHECKS)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"image": base64.b64encode(png()).decode(), "probability": "true", "paragraph": "true",
         "detect_direction": "true", "detect_language": "true"},
        {"image": "not an image"},
        {},
    ],
)  # fmt: skip
def test_ocr_result_and_errors_conform(contract_service: LocalService, valid_token: str, body: dict[str, str]) -> None:
    operation = SCHEMA[GENERAL]["POST"]
    case = operation.Case(
        query={"access_token": valid_token}, body=cast(Any, body), media_type="application/x-www-form-urlencoded"
    )
    response = case.call_and_validate(base_url=contract_service.base_url, checks=CHECKS)
    assert response.status_code == 200
