"""resolve_auth: one credential from ``auth=``, the keywords or the environment; two kinds or none are errors that
say what to do, without quoting a credential."""

from __future__ import annotations

import httpx
import pytest

from baidu_ocr._auth import BceV1Auth, BearerAuth
from baidu_ocr._credential_kinds import CredentialKind
from baidu_ocr._credentials import credential_kind_of, resolve_auth
from baidu_ocr._errors import ConfigurationError

BEARER = "bce-v3/ALTAK-abcdef/0123456789"
TOKEN_URL = "https://aip.baidubce.com/oauth/2.0/token"
IAM_ENV = {"BAIDU_OCR_ACCESS_KEY_ID": "env-ak", "BAIDU_OCR_SECRET_ACCESS_KEY": "env-sk"}


def test_explicit_auth_object_is_used_as_is() -> None:
    auth = BearerAuth(BEARER)
    assert resolve_auth(token_url=TOKEN_URL, auth=auth, environ=IAM_ENV) is auth


def test_explicit_auth_and_a_keyword_are_two_credentials() -> None:
    with pytest.raises(ConfigurationError, match=r"auth= and access_key_id= \+ secret_access_key= were both given"):
        resolve_auth(token_url=TOKEN_URL, auth=BearerAuth(BEARER), access_key_id="ak", environ={})


def test_auth_must_be_an_httpx_auth() -> None:
    with pytest.raises(ConfigurationError, match=r"must be an httpx\.Auth"):
        resolve_auth(token_url=TOKEN_URL, auth=("user", "password"), environ={})  # type: ignore[arg-type]


def test_keywords() -> None:
    iam = resolve_auth(token_url=TOKEN_URL, access_key_id="ak", secret_access_key="sk", environ={})
    assert isinstance(iam, BceV1Auth)
    assert credential_kind_of(iam) is CredentialKind.IAM_KEYS
    bearer = resolve_auth(token_url=TOKEN_URL, bearer_key=f" {BEARER} ", environ={})
    assert isinstance(bearer, BearerAuth)
    assert credential_kind_of(bearer) is CredentialKind.BEARER_KEY
    assert credential_kind_of(httpx.BasicAuth("u", "p")) is None


def test_environment() -> None:
    assert isinstance(resolve_auth(token_url=TOKEN_URL, environ=IAM_ENV), BceV1Auth)
    assert isinstance(resolve_auth(token_url=TOKEN_URL, environ={"BAIDU_OCR_BEARER_KEY": BEARER}), BearerAuth)


def test_keywords_win_over_the_environment_and_a_pair_may_be_completed_from_it() -> None:
    assert isinstance(resolve_auth(token_url=TOKEN_URL, bearer_key=BEARER, environ=IAM_ENV), BearerAuth)
    assert isinstance(resolve_auth(token_url=TOKEN_URL, access_key_id="ak", environ=IAM_ENV), BceV1Auth)


def test_two_kinds_by_keyword_are_named() -> None:
    with pytest.raises(ConfigurationError) as caught:
        resolve_auth(token_url=TOKEN_URL, bearer_key=BEARER, access_token="24.abc", environ={})
    message = str(caught.value)
    assert "two kinds of credentials were given (access_token= and bearer_key=)" in message
    assert "keep only the fixed access token or the bearer API key (bce-v3)" in message
    assert BEARER not in message


def test_two_kinds_in_the_environment_are_named() -> None:
    environ = {**IAM_ENV, "BAIDU_OCR_API_KEY": "k", "BAIDU_OCR_SECRET_KEY": "s"}
    with pytest.raises(ConfigurationError) as caught:
        resolve_auth(token_url=TOKEN_URL, environ=environ)
    message = str(caught.value)
    pairs = "BAIDU_OCR_API_KEY + BAIDU_OCR_SECRET_KEY and BAIDU_OCR_ACCESS_KEY_ID + BAIDU_OCR_SECRET_ACCESS_KEY"
    assert pairs in message
    assert "env-sk" not in message


def test_none_tells_what_to_set() -> None:
    with pytest.raises(ConfigurationError) as caught:
        resolve_auth(token_url=TOKEN_URL, environ={"BAIDU_OCR_API_KEY": ""})
    message = str(caught.value)
    assert message.startswith("no credentials: pass auth=, or set one of:")
    for name in ("BAIDU_OCR_API_KEY", "BAIDU_OCR_ACCESS_TOKEN", "BAIDU_OCR_ACCESS_KEY_ID", "BAIDU_OCR_BEARER_KEY"):
        assert name in message


def test_half_a_pair() -> None:
    given = r"the Access Key ID \(access_key_id= / BAIDU_OCR_ACCESS_KEY_ID\) was given without"
    with pytest.raises(ConfigurationError, match=given):
        resolve_auth(token_url=TOKEN_URL, access_key_id="ak", environ={})
    with pytest.raises(ConfigurationError, match=r"without the Access Key ID"):
        resolve_auth(token_url=TOKEN_URL, environ={"BAIDU_OCR_SECRET_ACCESS_KEY": "sk"})


def test_shape_mixups_are_caught_for_every_source() -> None:
    with pytest.raises(ConfigurationError, match="is a Baidu Cloud API key"):
        resolve_auth(token_url=TOKEN_URL, access_key_id=BEARER, secret_access_key="sk", environ={})
    with pytest.raises(ConfigurationError, match="is a Baidu Cloud API key"):
        resolve_auth(
            token_url=TOKEN_URL, environ={"BAIDU_OCR_ACCESS_KEY_ID": "ak", "BAIDU_OCR_SECRET_ACCESS_KEY": BEARER}
        )
