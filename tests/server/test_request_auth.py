"""The service verifies all three mechanisms: access tokens, bce-auth-v1 signatures and bearer API keys."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from servicekit import GENERAL, Api, b64, png
from typer.testing import CliRunner

from baidu_ocr_formats.bce_auth import authorization, format_timestamp
from baidu_ocr_server import cli, serve
from baidu_ocr_server.config import ConfigError, ServiceConfig
from baidu_ocr_server.credentials import DEMO_BEARER_KEY, DEMO_IAM_KEY, BearerKey, IamKeyPair

AK, SK = DEMO_IAM_KEY.access_key_id, DEMO_IAM_KEY.secret_access_key
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def body() -> bytes:
    return urlencode({"image": b64(png())}).encode()


def signed_headers(
    api: Api,
    *,
    path: str = GENERAL,
    query: list[tuple[str, str]] | None = None,
    when: float | None = None,
    expiration: int = 1800,
    names: tuple[str, ...] = ("host", "x-bce-date"),
    key: tuple[str, str] = (AK, SK),
    date_header: str | None = None,
) -> dict[str, str]:
    """Headers of a request signed as a bce-auth-v1 client would sign it."""
    timestamp = format_timestamp(time.time() if when is None else when)
    host = httpx.URL(api.service.base_url).netloc.decode()
    values = {"host": host, "x-bce-date": timestamp, "content-type": FORM["Content-Type"]}
    header = authorization(
        key[0],
        key[1],
        timestamp=timestamp,
        expiration_seconds=expiration,
        method="POST",
        path=path,
        query=query or [],
        signed_headers=[(name, values[name]) for name in names],
    )
    return {**FORM, "x-bce-date": date_header or timestamp, "Authorization": header}


def post(api: Api, headers: dict[str, str], params: dict[str, str] | None = None) -> dict[str, object]:
    response = api.http.post(GENERAL, params=params, content=body(), headers=headers)
    assert response.status_code == 200
    answer: dict[str, object] = response.json()
    return answer


def assert_iam_failure(answer: dict[str, object]) -> None:
    assert answer["error_code"] == 14
    assert answer["error_msg"] == "IAM Certification failed"
    assert "log_id" in answer


def test_signed_request_is_accepted(api: Api) -> None:
    answer = post(api, signed_headers(api))
    assert answer["words_result_num"] == 3


def test_signature_over_query_and_content_type_is_accepted(api: Api) -> None:
    query = [("aipSdk", "python"), ("aipVersion", "4.15.13")]
    headers = signed_headers(api, query=query, names=("host", "x-bce-date", "content-type"))
    assert post(api, headers, dict(query))["words_result_num"] == 3


def test_clock_skew_within_the_allowance_is_accepted(api: Api) -> None:
    assert post(api, signed_headers(api, when=time.time() + 120))["words_result_num"] == 3
    assert post(api, signed_headers(api, when=time.time() - 1800 - 120))["words_result_num"] == 3


@pytest.mark.parametrize(
    "change",
    [
        "altered signature",
        "expired",
        "expiration too long",
        "from the future",
        "query added after signing",
        "unknown access key id",
        "wrong secret",
        "x-bce-date not signed",
        "x-bce-date differs",
        "host not signed",
        "malformed",
    ],
)
def test_failed_signature_answers_14(api: Api, change: str) -> None:
    params = None
    if change == "altered signature":
        headers = signed_headers(api)
        signature = headers["Authorization"][-64:]
        headers["Authorization"] = headers["Authorization"][:-64] + signature[::-1]
    elif change == "expired":
        headers = signed_headers(api, when=time.time() - 3600, expiration=1800)
    elif change == "expiration too long":
        headers = signed_headers(api, expiration=8 * 24 * 3600)
    elif change == "from the future":
        headers = signed_headers(api, when=time.time() + 3600)
    elif change == "query added after signing":
        headers, params = signed_headers(api), {"language_type": "ENG"}
    elif change == "unknown access key id":
        headers = signed_headers(api, key=("someone-else", SK))
    elif change == "wrong secret":
        headers = signed_headers(api, key=(AK, "not-the-secret"))
    elif change == "x-bce-date not signed":
        headers = signed_headers(api, names=("host",))
    elif change == "x-bce-date differs":
        headers = signed_headers(api, date_header=format_timestamp(time.time() - 60))
    elif change == "host not signed":
        headers = signed_headers(api, names=("x-bce-date",))
    else:
        headers = {**FORM, "Authorization": "bce-auth-v1/only/three"}
    assert_iam_failure(post(api, headers, params))
    assert not api.engine.calls


def test_bearer_key_is_accepted_and_an_unknown_one_answers_14(api: Api) -> None:
    assert post(api, {**FORM, "Authorization": f"Bearer {DEMO_BEARER_KEY.key}"})["words_result_num"] == 3
    assert post(api, {**FORM, "Authorization": f"bearer {DEMO_BEARER_KEY.key}"})["words_result_num"] == 3
    assert_iam_failure(post(api, {**FORM, "Authorization": "Bearer bce-v3/ALTAK-unknown/secret"}))
    assert_iam_failure(post(api, {**FORM, "Authorization": "Basic dXNlcjpwYXNz"}))


def test_two_mechanisms_at_once_are_a_parameter_error(api: Api) -> None:
    token = api.token()
    answer = post(api, {**FORM, "Authorization": f"Bearer {DEMO_BEARER_KEY.key}"}, {"access_token": token})
    assert answer["error_code"] == 100
    assert answer["error_msg"] == "Invalid parameter"
    answer = post(api, signed_headers(api, query=[("access_token", token)]), {"access_token": token})
    assert answer["error_code"] == 100


def test_no_credential_still_answers_110(api: Api) -> None:
    assert post(api, FORM)["error_code"] == 110


def test_iam_and_bearer_keys_from_environment_file_and_flags(tmp_path: Path) -> None:
    env = {
        "BAIDU_OCR_SERVER_IAM_KEYS": "ak-one:sk-one, ak-two:sk-two",
        "BAIDU_OCR_SERVER_BEARER_KEYS": "bce-v3/ALTAK-a/s1,bce-v3/ALTAK-b/s2",
    }
    config = ServiceConfig.from_env(env)
    assert config.iam_keys == (IamKeyPair("ak-one", "sk-one"), IamKeyPair("ak-two", "sk-two"))
    assert [key.key_id for key in config.bearer_keys] == ["ALTAK-a", "ALTAK-b"]
    assert "sk-one" not in repr(config)
    assert "/s1" not in repr(config)

    file = tmp_path / "service.toml"
    file.write_text(
        'iam_keys = [{access_key_id = "file-ak", secret_access_key = "file-sk"}]\nbearer_keys = ["bce-v3/ALTAK-f/s"]\n'
    )
    config = ServiceConfig.from_file(file)
    assert config.iam_keys == (IamKeyPair("file-ak", "file-sk"),)
    assert config.bearer_keys == (BearerKey("bce-v3/ALTAK-f/s"),)
    assert ServiceConfig.from_json(config.to_json()) == config


@pytest.mark.parametrize(
    "env",
    [
        {"BAIDU_OCR_SERVER_IAM_KEYS": "no-colon"},
        {"BAIDU_OCR_SERVER_IAM_KEYS": "ak:sk,ak:other"},
        {"BAIDU_OCR_SERVER_BEARER_KEYS": "bce-v3/x/y,bce-v3/x/y"},
    ],
)
def test_bad_key_configuration_is_a_config_error(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        ServiceConfig.from_env(env)


def test_serve_logs_the_demo_credentials_and_only_ids_of_configured_ones() -> None:
    demo = "\n".join(ServiceConfig().credential_lines())
    for value in (AK, SK, DEMO_BEARER_KEY.key):
        assert value in demo
    configured = ServiceConfig(iam_keys=(IamKeyPair("my-ak", "my-sk"),), bearer_keys=(BearerKey("bce-v3/ALTAK-m/ms"),))
    text = "\n".join(configured.credential_lines())
    assert "my-ak" in text
    assert "ALTAK-m" in text
    assert "my-sk" not in text
    assert "/ms" not in text
    assert json.loads(configured.to_json())["bearer_keys"] == [{"key": "bce-v3/ALTAK-m/ms"}]


def test_serve_flags_give_iam_and_bearer_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[ServiceConfig] = []

    def run(config: ServiceConfig, *, log_level: str) -> None:
        calls.append(config)

    monkeypatch.setattr(serve, "run", run)
    for name in [name for name in os.environ if name.startswith("BAIDU_OCR_SERVER_")]:
        monkeypatch.delenv(name)
    flags = ["--iam-key", "flag-ak:flag-sk", "--iam-key", "ak2:sk2", "--bearer-key", "bce-v3/ALTAK-g/t"]
    result = CliRunner().invoke(cli.app, flags)
    assert result.exit_code == 0, result.output
    [config] = calls
    assert config.iam_keys == (IamKeyPair("flag-ak", "flag-sk"), IamKeyPair("ak2", "sk2"))
    assert config.bearer_keys == (BearerKey("bce-v3/ALTAK-g/t"),)
    result = CliRunner().invoke(cli.app, ["--iam-key", "no-colon"])
    assert result.exit_code == 2
    assert "ACCESS_KEY_ID:SECRET_ACCESS_KEY" in result.output
