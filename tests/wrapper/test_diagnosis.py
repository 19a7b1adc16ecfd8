"""Credential diagnosis: each confusion gives its own message, and no message quotes a credential."""

from __future__ import annotations

import pytest

from baidu_ocr._auth import BceV1Auth, BearerAuth
from baidu_ocr._credential_kinds import CredentialKind
from baidu_ocr._diagnosis import (
    KeyShape,
    check_value,
    diagnose,
    explain_answer,
    explain_token_failure,
    key_shape,
)
from baidu_ocr._errors import APIError, ConfigurationError, PermissionDeniedError, api_error

BEARER = "bce-v3/ALTAK-n2ZzQ8bXyE0p5vJkLmNoP/7c1f9e3a5b7d9f1e3a5c7b9d1f3e5a7c9b1d3f5e"
IAM_AK = "5e2bc7a8d2de4b4f8b5d1b8d6a9e7c3f"
IAM_SK = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
APP_KEY = "Va5yQRHlA4Fq5eR3LT0vuXV4"
APP_SECRET = "0rDSjzQ20XUj5itV6WRtznPQSzr5pVw2"
TOKEN = "24.6c5e1ff107f0e8bcef8c46d3424a0e78.2592000.1485516651.282335-8574074"


@pytest.mark.parametrize(
    ("value", "shape"),
    [
        (BEARER, KeyShape.BEARER_KEY),
        (TOKEN, KeyShape.ACCESS_TOKEN),
        (IAM_AK, KeyShape.IAM_KEY),
        (APP_KEY, KeyShape.APP_API_KEY),
        ("local-api-key", KeyShape.OTHER),
    ],
)
def test_key_shapes(value: str, shape: KeyShape) -> None:
    assert key_shape(value) is shape


@pytest.mark.parametrize(
    ("kind", "index", "value", "expected"),
    [
        (CredentialKind.APP_KEYS, 0, BEARER, "the API Key (api_key= / BAIDU_OCR_API_KEY) is a Baidu Cloud API key"),
        (CredentialKind.APP_KEYS, 1, BEARER, "the Secret Key (secret_key= / BAIDU_OCR_SECRET_KEY) is a Baidu Cloud"),
        (CredentialKind.ACCESS_TOKEN, 0, BEARER, "pass it as BearerAuth(...), or bearer_key=, or BAIDU_OCR_BEARER_KEY"),
        (CredentialKind.IAM_KEYS, 0, BEARER, "the Access Key ID (access_key_id= / BAIDU_OCR_ACCESS_KEY_ID) is a Baidu"),
        (CredentialKind.APP_KEYS, 0, TOKEN, "is an access token (24.…); that is not a value for the app API Key"),
        (CredentialKind.BEARER_KEY, 0, TOKEN, "pass it as AccessTokenAuth(...), or access_token="),
        (CredentialKind.BEARER_KEY, 0, "Bearer " + BEARER, "starts with 'Bearer ': pass the key alone"),
        (CredentialKind.APP_KEYS, 0, "two words", "contains whitespace"),
        (CredentialKind.APP_KEYS, 1, "  ", "the Secret Key (secret_key= / BAIDU_OCR_SECRET_KEY) is empty"),
    ],
)
def test_mixups_told_by_shape_are_refused_before_sending(
    kind: CredentialKind, index: int, value: str, expected: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        check_value(kind, index, value)
    message = str(caught.value)
    assert expected in message
    for secret in (BEARER, TOKEN, "ALTAK-n2Z", "two words"):
        assert secret not in message


def test_plausible_values_pass_and_are_stripped() -> None:
    assert check_value(CredentialKind.APP_KEYS, 0, f" {APP_KEY}\n") == APP_KEY
    assert check_value(CredentialKind.APP_KEYS, 0, IAM_AK) == IAM_AK  # could be a local service's key: a hint later
    assert check_value(CredentialKind.BEARER_KEY, 0, BEARER) == BEARER


def test_unknown_client_id_means_a_wrong_api_key() -> None:
    hint = explain_token_failure("invalid_client", "unknown client id", APP_KEY, APP_SECRET)
    assert "app API Key + Secret Key used" in hint
    assert "does not know the API Key (api_key= / BAIDU_OCR_API_KEY)" in hint
    assert "IAM" not in hint


def test_unknown_client_id_with_an_iam_shaped_key_points_at_signing() -> None:
    hint = explain_token_failure("invalid_client", "unknown client id", IAM_AK, IAM_SK)
    assert "It looks like an IAM Access Key ID or Secret Access Key (32 hex digits), used for IAM AK/SK" in hint
    assert "BceV1Auth(...), or access_key_id=, secret_access_key=" in hint
    assert IAM_AK not in hint


def test_client_authentication_failed_means_a_wrong_secret_key() -> None:
    hint = explain_token_failure("invalid_client", "Client authentication failed", APP_KEY, APP_SECRET)
    assert "the API Key is known but the Secret Key (secret_key= / BAIDU_OCR_SECRET_KEY) does not match" in hint
    assert APP_SECRET not in hint


def test_error_14_with_signing_points_at_the_keys_and_the_clock() -> None:
    hint = explain_answer(CredentialKind.IAM_KEYS, 14, IAM_AK)
    assert hint.startswith("IAM AK/SK signing (bce-auth-v1) used: the bce-auth-v1 signature was refused")
    assert "clock" in hint
    assert "application API Key" in explain_answer(CredentialKind.IAM_KEYS, 14, APP_KEY)
    assert "application API Key" not in hint


def test_error_6_means_the_app_lacks_the_ocr_permission() -> None:
    for kind in CredentialKind:
        assert "enable 通用文字识别 for the application" in explain_answer(kind, 6)


def test_refused_bearer_key_and_fixed_token() -> None:
    assert "the bearer API key was refused" in explain_answer(CredentialKind.BEARER_KEY, 14)
    iam_shaped = explain_answer(CredentialKind.BEARER_KEY, 14, IAM_AK)
    assert "The key looks like an IAM Access Key ID or Secret Access Key (32 hex digits)" in iam_shaped
    assert "BceV1Auth(...)" in iam_shaped
    assert IAM_AK not in iam_shaped
    assert "ClientCredentialsAuth(...)" in explain_answer(CredentialKind.BEARER_KEY, 14, APP_KEY)
    fixed = explain_answer(CredentialKind.ACCESS_TOKEN, 111)
    assert "the token is expired and a fixed token cannot be renewed" in fixed
    assert "ClientCredentialsAuth(...)" in fixed
    assert explain_answer(CredentialKind.IAM_KEYS, 216202) == ""


def test_diagnose_adds_the_hint_of_the_auth_used() -> None:
    error = api_error(14, "IAM Certification failed", log_id=7, raw={"error_code": 14, "error_msg": "x", "log_id": 7})
    diagnosed = diagnose(error, BceV1Auth(APP_KEY, APP_SECRET))
    assert isinstance(diagnosed, PermissionDeniedError)
    assert diagnosed.log_id == 7
    assert diagnosed.raw == error.raw
    assert "signature was refused" in diagnosed.hint
    assert "signature was refused" in str(diagnosed)
    assert APP_KEY not in str(diagnosed)
    assert APP_SECRET not in str(diagnosed)
    assert diagnose(error, object()) is error
    assert diagnose(APIError(216202, "image size error"), BearerAuth(BEARER)).hint == ""
