"""A change of Baidu's docs reaches every way in by regenerating, with no hand edit.

The test edits a temporary copy of the spec as a docs change would (a new boolean option, a new response field, a
new error code, a new language value), regenerates into a temporary folder, type-checks code that uses the new
option and field, and runs a probe — with the regenerated packages first on ``sys.path`` — that drives ``OCR``,
``AsyncOCR``, ``AipOcr``, the CLI and the local service and reports what each saw.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
NEW_OPTION = "multidirectional_recognize"
NEW_FIELD = "table_count"
NEW_CODE = 282999
NEW_LANGUAGE = "VIE"

PROBE = r"""
import asyncio, json, pathlib, sys
from urllib.parse import parse_qs

sys.path[:0] = [sys.argv[1], sys.argv[1] + "/server"]
from responder import Answer, Responder, serve  # noqa: E402
from servicekit import FakeEngine, png  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from baidu_ocr import OCR, AipOcr, AsyncOCR, Backoff, RateLimitError  # noqa: E402
from baidu_ocr._cli import app  # noqa: E402
from baidu_ocr_server.embedded import LocalService  # noqa: E402
from baidu_ocr_spec import ERROR_CODES, ErrorCode  # noqa: E402

TOKEN = Answer.json({"access_token": "24.t", "expires_in": 2592000})
RESULT = Answer.json({"log_id": 1, "words_result_num": 1, "words_result": [{"words": "x"}], "table_count": 3})
NEW_ERROR = Answer.json({"error_code": 282999, "error_msg": "new limit reached"})
NO_WAIT = Backoff(0, 0, 0)
seen = {}


def last_form(responder):
    return {name: values[0] for name, values in responder.calls("/rest/2.0/ocr/v1/general_basic")[-1].form().items()
            if name != "image"}


with serve() as responder:
    responder.route("/oauth/2.0/token", TOKEN)
    responder.route("/rest/2.0/ocr/v1/general_basic", [NEW_ERROR, RESULT])
    with OCR("k", "s", base_url=responder.base_url, backoff=NO_WAIT) as ocr:
        result = ocr.general_basic(png(), multidirectional_recognize=True, language_type="VIE")
        seen["ocr_form"] = last_form(responder)
        seen["ocr_field"] = result.table_count
        seen["ocr_attempts"] = len(responder.calls("/rest/2.0/ocr/v1/general_basic"))
        responder.route("/rest/2.0/ocr/v1/general_basic", NEW_ERROR)
        try:
            ocr.general_basic(png(), max_retries=0)
        except RateLimitError as error:
            seen["ocr_error"] = [type(error).__name__, error.error_code, error.info.name]

    async def run_async():
        responder.route("/rest/2.0/ocr/v1/general_basic", RESULT)
        async with AsyncOCR("k", "s", base_url=responder.base_url) as ocr:
            result = await ocr.general_basic(png(), multidirectional_recognize=True, language_type="VIE")
        seen["async_form"] = last_form(responder)
        seen["async_field"] = result.table_count

    asyncio.run(run_async())
    aip = AipOcr("id", "k", "s", base_url=responder.base_url)
    seen["aip_field"] = aip.basicGeneral(png(), {"multidirectional_recognize": True})["table_count"]
    seen["aip_form"] = last_form(responder)
    aip.close()
    image = pathlib.Path(sys.argv[2]) / "a.png"
    image.write_bytes(png())
    cli = CliRunner().invoke(app, ["recognize", "--multidirectional-recognize", "--language-type", "VIE",
                                   "--base-url", responder.base_url, "--api-key", "k", "--secret-key", "s", str(image)])
    seen["cli_exit"] = cli.exit_code
    seen["cli_form"] = last_form(responder)

with LocalService(engine=FakeEngine()) as service:
    with OCR(service.api_key, service.secret_key, base_url=service.base_url) as ocr:
        result = ocr.general_basic(png(), multidirectional_recognize=True, language_type="VIE")
        seen["service_lines"] = result.lines
    aip = AipOcr("id", service.api_key, service.secret_key, base_url=service.base_url)
    official = aip.basicGeneral(png(), {"multidirectional_recognize": "True"})  # the official SDK's spelling
    seen["service_official_sdk_boolean"] = "error_code" not in official
    wrong = aip.basicGeneral(png(), {"multidirectional_recognize": "maybe"})
    seen["service_rejects_bad_boolean"] = wrong.get("error_code")
    aip.close()
seen["spec_row"] = [int(ErrorCode.NEW_LIMIT_REACHED), ERROR_CODES[282999].category, ERROR_CODES[282999].retry]
print(json.dumps(seen))
"""

TYPED = """
from baidu_ocr import OCR

def use(ocr: OCR, image: bytes) -> int:
    result = ocr.general_basic(image, multidirectional_recognize=True, language_type="VIE")
    return result.table_count if isinstance(result.table_count, int) else 0
"""
MISTYPED = """
from baidu_ocr import OCR

def use(ocr: OCR, image: bytes) -> None:
    ocr.general_basic(image, multidirectional_recognize="yes")
"""


def _docs_change(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    schemas["GeneralBasicRequest"]["properties"][NEW_OPTION] = {
        "type": "boolean",
        "description": "Recognize text written in several directions (default `false`).",
    }
    schemas["OcrResult"]["properties"][NEW_FIELD] = {"type": "integer", "description": "Number of tables found."}
    schemas["GeneralLanguageType"]["enum"].append(NEW_LANGUAGE)
    spec["x-baidu-error-codes"].append(
        {
            "code": NEW_CODE,
            "name": "NEW_LIMIT_REACHED",
            "message": "new limit reached",
            "category": "rate_limit",
            "retry": "backoff",
            "meaning": "新限额",
        }
    )


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs-change")
    spec = yaml.safe_load((ROOT / "openapi" / "baidu-ocr.yaml").read_text(encoding="utf-8"))
    _docs_change(spec)
    spec_path = folder / "baidu-ocr.yaml"
    spec_path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = folder / "generated"
    command = [sys.executable, str(ROOT / "scripts" / "generate.py"), "--spec", str(spec_path), "--out", str(out)]
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
    return out


def _env(generated: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(generated), os.environ.get("PYTHONPATH", "")])}


def _mypy(generated: Path, tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    module = tmp_path / "uses_the_new_option.py"
    module.write_text(source, encoding="utf-8")
    mypy_path = os.pathsep.join([str(generated), str(ROOT / "wrapper"), str(ROOT / "common")])
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--follow-imports=silent", str(module)]
    env = {**os.environ, "MYPYPATH": mypy_path}
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=tmp_path, check=False)


def test_the_new_option_and_field_type_check(regenerated: Path, tmp_path: Path) -> None:
    typed = _mypy(regenerated, tmp_path, TYPED)
    assert typed.returncode == 0, typed.stdout
    mistyped = _mypy(regenerated, tmp_path, MISTYPED)
    assert mistyped.returncode != 0
    assert NEW_OPTION in mistyped.stdout


def test_a_docs_change_reaches_every_way_in(regenerated: Path, tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(probe), str(ROOT / "tests"), str(tmp_path)],
        env=_env(regenerated),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    sent = {NEW_OPTION: "true", "language_type": NEW_LANGUAGE}
    assert seen["ocr_form"] == sent
    assert seen["async_form"] == sent
    assert seen["aip_form"] == {NEW_OPTION: "true"}
    assert seen["ocr_field"] == seen["async_field"] == seen["aip_field"] == 3
    assert seen["ocr_attempts"] == 2  # the new code's spec row says "backoff": retried
    assert seen["ocr_error"] == ["RateLimitError", NEW_CODE, "NEW_LIMIT_REACHED"]
    assert seen["cli_exit"] == 0
    assert seen["cli_form"] == sent
    assert seen["service_lines"]
    assert seen["service_official_sdk_boolean"] is True
    assert seen["service_rejects_bad_boolean"] == 216100
    assert seen["spec_row"] == [NEW_CODE, "rate_limit", "backoff"]
