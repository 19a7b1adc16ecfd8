"""``baidu-ocr auth check``: the kind of credential, one tiny call, the clock, the fix; secrets never printed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from blank_service import blank_service
from typer.testing import CliRunner

from baidu_ocr._cli import app as cli_app
from baidu_ocr._cli_auth import blank_png, run_check
from baidu_ocr._cli_credentials import CredentialFlags
from baidu_ocr_formats import image_size, sniff_format
from baidu_ocr_server.credentials import DEMO_BEARER_KEY, DEMO_IAM_KEY
from baidu_ocr_server.embedded import LocalService


@pytest.fixture(scope="module")
def service() -> Iterator[LocalService]:
    with blank_service() as running:
        yield running


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "BAIDU_OCR_API_KEY",
        "BAIDU_OCR_SECRET_KEY",
        "BAIDU_OCR_ACCESS_TOKEN",
        "BAIDU_OCR_ACCESS_KEY_ID",
        "BAIDU_OCR_SECRET_ACCESS_KEY",
        "BAIDU_OCR_BEARER_KEY",
        "BAIDU_OCR_BASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))


def check(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli_app, ["auth", "check", *arguments])
    return result.exit_code, result.output


def clock_offset(lines: list[str], direction: str) -> int:
    [line] = [line for line in lines if line.startswith("clock: ")]
    prefix, suffix = "clock: this machine's clock is ", f" s {direction} the service's"
    assert line.startswith(prefix)
    assert line.endswith(suffix)
    return int(line.removeprefix(prefix).removesuffix(suffix))


def test_the_test_image_is_a_valid_png() -> None:
    data = blank_png()
    assert sniff_format(data) == "png"
    assert image_size(data, "png") == (32, 32)


def test_app_keys_that_work(service: LocalService) -> None:
    code, output = check(
        "--api-key", service.api_key, "--secret-key", service.secret_key, "--base-url", service.base_url
    )
    assert code == 0, output
    assert "credential: app API Key + Secret Key" in output
    assert "from command-line flags" in output
    assert "ok: the service accepted the credential" in output
    assert service.secret_key not in output


def test_iam_keys_from_the_environment_and_the_clock(service: LocalService, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BAIDU_OCR_ACCESS_KEY_ID", DEMO_IAM_KEY.access_key_id)
    monkeypatch.setenv("BAIDU_OCR_SECRET_ACCESS_KEY", DEMO_IAM_KEY.secret_access_key)
    code, output = check("--base-url", service.base_url)
    assert code == 0, output
    assert (
        "credential: IAM Access Key ID + Secret Access Key (bce-auth-v1 request signing), from the environment"
        in output
    )
    assert "clock: this machine's clock agrees with the service's" in output
    assert DEMO_IAM_KEY.secret_access_key not in output


def test_a_refused_bearer_key(service: LocalService) -> None:
    code, output = check("--bearer-key", "bce-v3/ALTAK-nobody/hidden-part", "--base-url", service.base_url)
    assert code == 3
    assert "problem: Baidu OCR error 14: IAM Certification failed" in output
    assert "fix: bearer API key (bce-v3) used: the bearer API key was refused" in output
    assert "hidden-part" not in output


def test_the_demo_bearer_key(service: LocalService) -> None:
    code, output = check("--bearer-key", DEMO_BEARER_KEY.key, "--base-url", service.base_url)
    assert code == 0, output
    assert DEMO_BEARER_KEY.key not in output


def test_a_wrong_secret_key(service: LocalService) -> None:
    code, output = check("--api-key", service.api_key, "--secret-key", "the-wrong-one", "--base-url", service.base_url)
    assert code == 3
    assert "problem: Baidu OCR error invalid_client: Client authentication failed" in output
    assert "does not match it: copy the Secret Key of the same application" in output
    assert "the-wrong-one" not in output


def test_a_bce_v3_key_given_as_api_key() -> None:
    code, output = check("--api-key", DEMO_BEARER_KEY.key, "--secret-key", "s")
    assert code == 3
    assert "problem: the API Key (--api-key / BAIDU_OCR_API_KEY) is a Baidu Cloud API key (bce-v3/ALTAK-…)" in output
    assert "pass it as --bearer-key, or BAIDU_OCR_BEARER_KEY" in output
    assert DEMO_BEARER_KEY.key not in output


def test_two_kinds_and_none() -> None:
    code, output = check("--bearer-key", DEMO_BEARER_KEY.key, "--access-token", "24.abc")
    assert code == 3
    assert "two kinds of credentials were given (--access-token and --bearer-key)" in output
    code, output = check()
    assert code == 3
    assert "problem: no credentials: give one of: --api-key + --secret-key (or BAIDU_OCR_API_KEY + " in output
    assert "--bearer-key (or BAIDU_OCR_BEARER_KEY)" in output


def test_an_unreachable_service() -> None:
    code, output = check("--bearer-key", DEMO_BEARER_KEY.key, "--base-url", "http://127.0.0.1:9", "--timeout", "2")
    assert code == 4
    assert "problem: the service could not be used" in output


def test_a_clock_far_off_is_named_as_the_fix(service: LocalService) -> None:
    lines: list[str] = []
    flags = CredentialFlags(access_key_id=DEMO_IAM_KEY.access_key_id, secret_access_key="not-the-secret")
    code = run_check(
        flags,
        base_url=service.base_url,
        token_cache=False,
        timeout=10,
        echo=lines.append,
        environ={},
        now=lambda: time.time() + 3600,
    )
    assert code == 3
    # an hour ahead, give or take the Date header's whole seconds and the time the call took on a busy machine
    assert 3500 < clock_offset(lines, "ahead of") < 3700
    assert lines[-1].startswith("fix: synchronize this machine's clock")


def test_a_clock_off_is_a_problem_for_signing_even_when_accepted(service: LocalService) -> None:
    lines: list[str] = []
    flags = CredentialFlags(access_key_id=DEMO_IAM_KEY.access_key_id, secret_access_key=DEMO_IAM_KEY.secret_access_key)
    code = run_check(
        flags,
        base_url=service.base_url,
        token_cache=False,
        timeout=10,
        echo=lines.append,
        environ={},
        now=lambda: time.time() - 600,
    )
    assert code == 3
    assert 500 < clock_offset(lines, "behind") < 700  # ten minutes, give or take a busy machine


def test_recognize_takes_every_kind_of_credential_flag(service: LocalService, tmp_path: Path) -> None:
    image = tmp_path / "a.png"
    image.write_bytes(blank_png())
    runner = CliRunner()
    for flags in (
        ["--bearer-key", DEMO_BEARER_KEY.key],
        ["--access-key-id", DEMO_IAM_KEY.access_key_id, "--secret-access-key", DEMO_IAM_KEY.secret_access_key],
        ["--api-key", service.api_key, "--secret-key", service.secret_key],
    ):
        result = runner.invoke(cli_app, ["recognize", str(image), "--json", "--base-url", service.base_url, *flags])
        assert result.exit_code == 0, result.output
        assert '"words_result_num":0' in result.output
    both = ["--bearer-key", "bce-v3/ALTAK-x/y", "--access-token", "t"]
    result = runner.invoke(cli_app, ["recognize", str(image), *both])
    assert result.exit_code == 3
    assert "two kinds of credentials were given (--access-token and --bearer-key)" in result.output
