"""The SDK against the local service over real HTTP on 127.0.0.1: OCR, AsyncOCR, AipOcr and the CLI on generated
images, with the recognized text compared to what was drawn, and every error code reached and mapped."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from imaging import cer, render_pdf, render_text_image, solid_image
from responder import Answer, Responder
from typer.testing import CliRunner

from baidu_ocr import (
    OCR,
    AipOcr,
    APIError,
    AsyncOCR,
    AuthenticationError,
    Backoff,
    EmptyInputError,
    ImageDimensionsError,
    ImageError,
    InputError,
    InputTooLargeError,
    InvalidParameterError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
    UnsupportedFormatError,
    URLError,
    URLTooLongError,
)
from baidu_ocr._base import read_answer
from baidu_ocr._cli import app as cli_app
from baidu_ocr_client.api.ocr import general_basic
from baidu_ocr_client.models import OcrError, OcrResult, Probability
from baidu_ocr_client.types import Response, http_status
from baidu_ocr_server.config import AppCredentials, ServiceConfig
from baidu_ocr_server.embedded import LocalService
from baidu_ocr_server.engine import EngineProfile, EngineResult

pytestmark = pytest.mark.slow

ENGLISH = ["Invoice 2024-0117", "Total amount: 1,250.00 USD", "Thank you for your order"]
CHINESE = ["百度文字识别", "本地服务离线运行", "青岛啤酒欢迎您"]
MAX_CER = 0.05
NO_WAIT = Backoff(0, 0, 0)
CER_REPORT: dict[str, float] = {}


class FailingEngine:
    """An engine that breaks, for the one fault the real engine cannot be made to produce."""

    def recognize(self, image: Any, profile: EngineProfile, detect_direction: bool) -> EngineResult:
        raise RuntimeError("engine exploded")


@pytest.fixture(scope="module")
def service() -> Iterator[LocalService]:
    config = ServiceConfig(allow_private_urls=True, fetch_timeout=1.0, signing_key="e2e-key")
    with LocalService(config, wait_for_engine=True) as running:
        yield running


@pytest.fixture
def ocr(service: LocalService) -> Iterator[OCR]:
    with OCR(service.api_key, service.secret_key, base_url=service.base_url, backoff=NO_WAIT) as client:
        yield client


def _cer(expected: list[str], actual: list[str]) -> float:
    return cer("\n".join(expected), "\n".join(actual))


@pytest.mark.parametrize("endpoint", ["general_basic", "accurate_basic"])
@pytest.mark.parametrize(("name", "lines"), [("english", ENGLISH), ("chinese", CHINESE)])
def test_recognized_text_matches_what_was_drawn(ocr: OCR, endpoint: str, name: str, lines: list[str]) -> None:
    image = render_text_image(lines, font_size=30)
    recognize = ocr.general_basic if endpoint == "general_basic" else ocr.accurate_basic
    result = recognize(image, probability=True, paragraph=True)
    rate = _cer(lines, result.lines)
    CER_REPORT[f"{endpoint}/{name}"] = rate
    print(f"CER {endpoint} {name}: {rate:.4f}")
    assert rate <= MAX_CER, (result.lines, lines)
    assert result.words_result_num == len(result.lines)
    for line in result.words_result:
        assert isinstance(line.probability, Probability)
        low, mean = line.probability.min_, line.probability.average
        assert isinstance(low, float)
        assert isinstance(mean, float)
        assert 0 <= low <= mean <= 1
    assert result.paragraphs is not None
    assert isinstance(result.paragraphs_result, list)
    grouped = [i for p in result.paragraphs_result if isinstance(p.words_result_idx, list) for i in p.words_result_idx]
    assert sorted(grouped) == list(range(len(result.lines)))


def test_rotated_pages_with_async_client(service: LocalService) -> None:
    async def recognize_all() -> list[tuple[int | None, list[str]]]:
        async with AsyncOCR(service.api_key, service.secret_key, base_url=service.base_url) as ocr:
            images = [render_text_image(ENGLISH[:2], rotate=degrees, fmt="JPEG") for degrees in (90, 180, 270)]
            results = await asyncio.gather(*(ocr.general_basic(i, detect_direction=True) for i in images))
        return [(r.rotation_degrees, r.lines) for r in results]

    outcomes = asyncio.run(recognize_all())
    assert [degrees for degrees, _ in outcomes] == [90, 180, 270]
    for _, lines in outcomes:
        assert _cer(ENGLISH[:2], lines) <= MAX_CER, lines


def test_language_detection(ocr: OCR) -> None:
    mixed = ocr.general_basic(render_text_image(["Hello 世界", "百度 OCR service"]), detect_language=True)
    chinese = ocr.general_basic(render_text_image(CHINESE[:2]), detect_language=True)
    assert (mixed.language, chinese.language) == (3, -1)


def test_multi_page_pdf(ocr: OCR) -> None:
    pages = [["First page"], ["Second page text"], ["第三页"]]
    results = ocr.recognize_pdf(render_pdf(pages), endpoint="accurate_basic", concurrency=2)
    assert [r.page_count for r in results] == [3, 3, 3]
    assert [r.lines for r in results] == pages


def test_recognize_many_mixes_good_and_bad(ocr: OCR) -> None:
    items = list(ocr.recognize_many([render_text_image(["one"]), b"GIF89a", render_text_image(["two"])]))
    assert [item.result.lines if item.result else None for item in items] == [["one"], None, ["two"]]
    assert isinstance(items[1].error, UnsupportedFormatError)


def test_aip_ocr_drop_in(service: LocalService) -> None:
    aip = AipOcr("app", service.api_key, service.secret_key, base_url=service.base_url)
    answer = aip.basicAccurate(render_text_image(ENGLISH[:1]), {"probability": "true"})
    pdf_answer = aip.basicGeneralPdf(render_pdf([["Alpha"], ["Beta"]]), {"pdf_file_num": "2"})
    aip.close()
    assert set(answer) >= {"log_id", "words_result_num", "words_result"}
    assert answer["words_result"][0]["words"] == ENGLISH[0]
    assert set(answer["words_result"][0]["probability"]) == {"average", "variance", "min"}
    assert isinstance(answer["log_id"], int)
    assert (pdf_answer["pdf_file_size"], pdf_answer["words_result"]) == ("2", [{"words": "Beta"}])
    assert aip.basicGeneral(solid_image(10, 10)) == {"error_code": 216202, "error_msg": "image size error"}


def test_cli_json_against_the_service(service: LocalService, tmp_path: Any) -> None:
    image = tmp_path / "page.png"
    image.write_bytes(render_text_image(ENGLISH[:2]))
    args = ["recognize", str(image), "--json", "--base-url", service.base_url]
    env = {"BAIDU_OCR_API_KEY": service.api_key, "BAIDU_OCR_SECRET_KEY": service.secret_key}
    outcome = CliRunner().invoke(cli_app, args, env=env)
    assert outcome.exit_code == 0, outcome.output
    answer = json.loads(outcome.stdout.strip())
    assert [w["words"] for w in answer["words_result"]] == ENGLISH[:2]


# --- every error code, reached on the real service and mapped by the SDK --------------------------------------


def _raw(service: LocalService, path: str, form: dict[str, str], token: str | None = None) -> APIError:
    """Post a form the SDK would refuse to send, and let the SDK read the answer."""
    with httpx.Client(base_url=service.base_url, trust_env=False, timeout=30) as http:
        if token is None:
            data = {
                "grant_type": "client_credentials",
                "client_id": service.api_key,
                "client_secret": service.secret_key,
            }
            token = http.post("/oauth/2.0/token", data=data).json()["access_token"]
        response = http.post(path, params={"access_token": token}, data=form)
    parsed = general_basic.parse_response(response)
    status = http_status(response.status_code)
    answer: Response[OcrError | OcrResult] = Response(status, response.content, response.headers, parsed)
    with pytest.raises(APIError) as caught:
        read_answer(answer, 0.0)
    return caught.value


GENERAL = "/rest/2.0/ocr/v1/general_basic"
ACCURATE = "/rest/2.0/ocr/v1/accurate_basic"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


SHORT = solid_image(200, 10)  # shortest side under 15 px
LONG = solid_image(5000, 40)  # longest side over standard's 4096 px


@pytest.mark.parametrize(
    ("form", "code", "exception", "sdk_call", "input_error"),
    [
        ({}, 282003, InvalidParameterError, None, None),
        ({"probability": "true"}, 216101, InvalidParameterError, None, None),
        ({"image": ""}, 216200, ImageError, {"image": b""}, EmptyInputError),
        ({"image": _b64(b"GIF89a-not-supported")}, 216201, ImageError, {"image": b"GIF89a"}, UnsupportedFormatError),
        ({"image": "!!!not base64!!!"}, 216201, ImageError, None, None),
        (
            {"image": _b64(solid_image(200, 10))},
            216202,
            ImageError,
            {"image": solid_image(200, 10)},
            ImageDimensionsError,
        ),
        (
            {"image": _b64(solid_image(5000, 40))},
            216202,
            ImageError,
            {"image": solid_image(5000, 40)},
            ImageDimensionsError,
        ),
        ({"image": _b64(solid_image(40, 40)), "language_type": "THA"}, 216100, InvalidParameterError, None, None),
        ({"image": _b64(solid_image(40, 40)), "probability": "yes"}, 216100, InvalidParameterError, None, None),
        ({"image": _b64(solid_image(40, 40)), "language_type": "X" * 100}, 216103, InvalidParameterError, None, None),
        ({"url": "not a url"}, 282111, URLError, None, None),
        ({"url": "http://x/" + "a" * 1100}, 282114, URLError, {"url": "http://x/" + "a" * 1100}, URLTooLongError),
        ({"url": ""}, 282114, URLError, {"url": ""}, EmptyInputError),
        ({"pdf_file": _b64(render_pdf([["a"]])), "pdf_file_num": "5"}, 216100, InvalidParameterError, None, None),
    ],
)
def test_input_errors_reach_the_service_and_map_to_exceptions(
    service: LocalService,
    ocr: OCR,
    form: dict[str, str],
    code: int,
    exception: type[APIError],
    sdk_call: dict[str, Any] | None,
    input_error: type[InputError] | None,
) -> None:
    error = _raw(service, GENERAL, form)
    assert error.error_code == code
    assert type(error) is exception
    assert error.log_id is not None
    if sdk_call is not None and input_error is not None:
        with pytest.raises(input_error) as caught:
            ocr.general_basic(**sdk_call)
        assert caught.value.service_code == code, "the SDK's early check names the code the service answers"


def test_oversized_body_and_unknown_path(service: LocalService, ocr: OCR) -> None:
    big = _b64(solid_image(3000, 3000, fmt="BMP"))  # 27 MB of BMP: far over 4 MiB encoded
    assert _raw(service, GENERAL, {"image": big}).error_code == 216202
    with pytest.raises(InputTooLargeError):
        ocr.general_basic(solid_image(3000, 3000, fmt="BMP"))
    unknown = _raw(service, "/rest/2.0/ocr/v1/no_such_api", {"image": "x"})
    assert (unknown.error_code, type(unknown)) == (216102, InvalidParameterError)


def test_url_errors_through_the_sdk(ocr: OCR, responder: Responder) -> None:
    responder.route("/page.html", Answer(200, b"<html>not an image</html>", "text/html"))
    responder.route("/slow.png", Answer(200, b"\x89PNG", "image/png", delay=2.0))
    responder.route("/ok.png", Answer(200, render_text_image(["fetched"]), "image/png"))
    closed_port = "http://127.0.0.1:9/a.png"
    cases = {f"{responder.base_url}/page.html": 282113, f"{responder.base_url}/slow.png": 282112, closed_port: 282110}
    for url, code in cases.items():
        with pytest.raises(URLError) as caught:
            ocr.general_basic(url=url, max_retries=0)
        assert caught.value.error_code == code, url
    assert ocr.general_basic(url=f"{responder.base_url}/ok.png").lines == ["fetched"]


def test_private_urls_refused_by_default(responder: Responder) -> None:
    responder.route("/ok.png", Answer(200, render_text_image(["x"]), "image/png"))
    with (
        LocalService(ServiceConfig(), engine=FailingEngine()) as strict,
        OCR(strict.api_key, strict.secret_key, base_url=strict.base_url) as ocr,
        pytest.raises(URLError) as caught,
    ):
        ocr.general_basic(url=f"{responder.base_url}/ok.png")
    assert caught.value.error_code == 282111


def test_token_errors(service: LocalService) -> None:
    with (
        OCR("local-api-key", "wrong-secret", base_url=service.base_url) as wrong,
        pytest.raises(AuthenticationError, match=r"Client authentication failed|unknown client") as caught,
    ):
        wrong.general_basic(solid_image(40, 40))
    assert caught.value.status_code == 401
    assert "wrong-secret" not in str(caught.value)
    invalid = _raw(service, GENERAL, {"image": _b64(solid_image(40, 40))}, token="24.forged.2592000.1.x-local-api-key")
    assert (invalid.error_code, type(invalid)) == (110, AuthenticationError)


def test_expired_token_is_renewed_by_the_sdk() -> None:
    config = ServiceConfig(token_lifetime=1, signing_key="short", preload_engine=False)
    with LocalService(config, engine=FailingEngine()) as short, httpx.Client(base_url=short.base_url) as http:
        data = {"grant_type": "client_credentials", "client_id": short.api_key, "client_secret": short.secret_key}
        token = http.post("/oauth/2.0/token", data=data).json()["access_token"]
        time.sleep(2.1)
        expired = _raw(short, GENERAL, {"image": _b64(solid_image(40, 40))}, token=token)
        assert (expired.error_code, type(expired)) == (111, AuthenticationError)
        with OCR(access_token=token, base_url=short.base_url) as fixed, pytest.raises(AuthenticationError):
            fixed.general_basic(solid_image(40, 40))  # a fixed token cannot be renewed: 111 surfaces


def test_engine_failure_is_282000_and_retried(responder: Responder) -> None:
    with (
        LocalService(ServiceConfig(preload_engine=False), engine=FailingEngine()) as broken,
        OCR(broken.api_key, broken.secret_key, base_url=broken.base_url, backoff=NO_WAIT, max_retries=1) as ocr,
        pytest.raises(ServerError) as caught,
    ):
        ocr.general_basic(solid_image(40, 40))
    assert caught.value.error_code == 282000


def test_qps_and_daily_limits() -> None:
    apps = (AppCredentials("fast", "s1", qps=1), AppCredentials("daily", "s2", daily_limit=2))
    with LocalService(ServiceConfig(apps=apps, preload_engine=False), engine=FailingEngine()) as limited:
        with OCR("fast", "s1", base_url=limited.base_url, max_retries=0) as fast:
            codes = []
            for _ in range(3):
                try:
                    fast.general_basic(solid_image(40, 40))
                except APIError as error:
                    codes.append((error.error_code, type(error)))
        assert (18, RateLimitError) in codes
        with OCR("daily", "s2", base_url=limited.base_url, max_retries=0) as daily:
            for _ in range(2):
                with pytest.raises(ServerError):
                    daily.general_basic(solid_image(40, 40))
            with pytest.raises(QuotaExceededError) as caught:
                daily.general_basic(solid_image(40, 40))
        assert caught.value.error_code == 17
