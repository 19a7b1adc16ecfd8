"""The OCR endpoints over real HTTP (LocalService with a fake engine): options, inputs, every error code."""

from __future__ import annotations

import json
import logging
import os
import time
from typing import Any
from urllib.parse import urlencode

import anyio
import httpx
import pypdfium2 as pdfium
import pytest
from imaging import render_pdf
from servicekit import ACCURATE, DEMO_ID, DEMO_SECRET, GENERAL, TOKEN, Api, FakeEngine, b64, make_config, png

from baidu_ocr_models.models import OcrError, OcrResult
from baidu_ocr_server import app as app_module
from baidu_ocr_server.app import create_app
from baidu_ocr_server.engine import ACCURATE as ACCURATE_PROFILE
from baidu_ocr_server.engine import STANDARD
from baidu_ocr_server.language import detect_language
from baidu_ocr_server.layout import line_probability
from baidu_ocr_server.tokens import TokenIssuer


def error_code(body: dict[str, Any]) -> int:
    error = OcrError.model_validate(body)
    assert isinstance(error.log_id, int)
    assert error.error_msg
    return error.error_code


# --- success and options -----------------------------------------------------------------------------------------


def test_minimal_success(api: Api) -> None:
    body = api.ocr(image=b64(png(64, 32)))
    OcrResult.model_validate(body)
    assert body["words_result"] == [{"words": " TSINGTAO"}, {"words": "青島啤酒"}, {"words": "second paragraph"}]
    assert body["words_result_num"] == 3
    assert 0 <= body["log_id"] < 2**64
    assert set(body) == {"log_id", "words_result", "words_result_num"}
    (call,) = api.engine.calls
    assert call.size == (64, 32)
    assert call.profile == STANDARD
    assert call.detect_direction is False


def test_accurate_uses_the_accurate_profile(api: Api) -> None:
    body = api.ocr(ACCURATE, image=b64(png()))
    assert body["words_result_num"] == 3
    assert api.engine.calls[0].profile == ACCURATE_PROFILE


def test_probability(api: Api) -> None:
    body = api.ocr(image=b64(png()), probability="true")
    first = body["words_result"][0]["probability"]
    average, variance, minimum = line_probability(api.engine.lines[0].char_scores)
    assert first == pytest.approx({"average": average, "variance": variance, "min": minimum})
    assert first["min"] == pytest.approx(0.8)
    assert all("probability" in item for item in body["words_result"])


def test_probability_false_leaves_it_out(api: Api) -> None:
    body = api.ocr(image=b64(png()), probability="false", paragraph="false", detect_direction="false")
    assert set(body) == {"log_id", "words_result", "words_result_num"}


def test_paragraphs(api: Api) -> None:
    body = api.ocr(image=b64(png()), paragraph="true")
    assert body["paragraphs_result"] == [{"words_result_idx": [0, 1]}, {"words_result_idx": [2]}]
    assert body["paragraphs_result_num"] == 2


@pytest.mark.parametrize(("rotation", "direction"), [(0, 0), (90, 1), (180, 2), (270, 3)])
def test_detect_direction(api: Api, rotation: int, direction: int) -> None:
    api.engine.rotation = rotation
    body = api.ocr(image=b64(png()), detect_direction="true")
    assert body["direction"] == direction
    assert api.engine.calls[0].detect_direction is True


def test_detect_language_on_general(api: Api) -> None:
    body = api.ocr(image=b64(png()), detect_language="true")
    assert body["language"] == detect_language([line.text for line in api.engine.lines])


def test_detect_language_is_accepted_and_ignored_on_accurate(api: Api) -> None:
    body = api.ocr(ACCURATE, image=b64(png()), detect_language="true")
    assert "language" not in body
    assert body["words_result_num"] == 3


def test_unknown_options_pass(api: Api) -> None:
    body = api.ocr(image=b64(png()), multidirectional_recognize="true", ofd_file="whatever")
    assert body["words_result_num"] == 3


def test_every_accurate_language_is_accepted(api: Api) -> None:
    token = api.token()
    for language in ("auto_detect", "HUN", "THA", "VIE", "ARA", "HIN"):
        assert "error_code" not in api.ocr(ACCURATE, token=token, image=b64(png()), language_type=language)


@pytest.mark.parametrize(("fmt", "mode"), [("JPEG", "RGB"), ("PNG", "RGBA"), ("PNG", "L"), ("BMP", "RGB")])
def test_image_formats(api: Api, fmt: str, mode: str) -> None:
    body = api.ocr(image=b64(png(40, 30, fmt, mode)))
    assert body["words_result_num"] == 3
    assert api.engine.calls[0].size == (40, 30)


def test_unescaped_plus_in_base64_still_decodes(api: Api) -> None:
    encoded = b64(png(61, 37))
    assert "+" in encoded or "/" in encoded
    body = ("image=" + encoded.replace("/", "%2F").replace("=", "%3D")).encode()  # '+' left raw: a form space
    response = api.post(GENERAL, None, body)
    assert response.json()["words_result_num"] == 3


def test_image_wins_over_url_and_pdf(api: Api) -> None:
    body = api.ocr(image=b64(png(33, 22)), url="http://127.0.0.1/x.png", pdf_file="junk")
    assert body["words_result_num"] == 3
    assert api.engine.calls[0].size == (33, 22)


def test_url_wins_over_pdf(api: Api) -> None:
    # The loopback url is refused (private addresses are off here), which proves url was the one used.
    assert error_code(api.ocr(url="http://127.0.0.1/x.png", pdf_file=b64(render_pdf([["a"]])))) == 282111


# --- PDF ---------------------------------------------------------------------------------------------------------


def _page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].get_size() for i in range(len(document))]
    finally:
        document.close()


def test_pdf_page(api: Api) -> None:
    pdf = render_pdf([["page one"], ["page two is a much longer line", "and two lines"], ["three"]])
    body = api.ocr(pdf_file=b64(pdf), pdf_file_num="2")
    assert body["pdf_file_size"] == "3"
    assert body["words_result_num"] == 3
    width, height = _page_sizes(pdf)[1]
    assert api.engine.calls[0].size == pytest.approx((width * 2, height * 2), abs=1)


def test_pdf_defaults_to_page_one(api: Api) -> None:
    pdf = render_pdf([["first"], ["second page, wider"]])
    body = api.ocr(ACCURATE, pdf_file=b64(pdf))
    assert body["pdf_file_size"] == "2"
    width, height = _page_sizes(pdf)[0]
    assert api.engine.calls[0].size == pytest.approx((width * 2, height * 2), abs=1)


@pytest.mark.parametrize("page", ["3", "0", "-1", "abc", "1.5", ""])
def test_pdf_page_out_of_range_or_not_a_number(api: Api, page: str) -> None:
    pdf = render_pdf([["one"], ["two"]])
    assert error_code(api.ocr(pdf_file=b64(pdf), pdf_file_num=page)) == 216100


def test_not_a_pdf(api: Api) -> None:
    assert error_code(api.ocr(pdf_file=b64(png()))) == 216201
    assert error_code(api.ocr(pdf_file=b64(b"%PDF-1.4 but nothing else"))) == 216201
    assert error_code(api.ocr(pdf_file="not base64 at all!")) == 216201


# --- error codes -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"language_type": "XXX"},
        {"language_type": "auto_detect"},  # accurate only
        {"language_type": "chn_eng"},
        {"probability": "1"},
        {"paragraph": "yes"},
        {"detect_language": "on"},
    ],
)
def test_invalid_param_216100(api: Api, options: dict[str, str]) -> None:
    assert error_code(api.ocr(image=b64(png()), **options)) == 216100
    assert api.engine.calls == []


def test_booleans_as_the_official_sdk_sends_them(api: Api) -> None:
    body = api.ocr(image=b64(png()), detect_direction="True", probability="FALSE", detect_language="")
    assert "direction" in body
    assert "probability" not in body["words_result"][0]
    assert "language" not in body


def test_no_input_216101_and_empty_body_282003(api: Api) -> None:
    empty = api.ocr()
    assert (empty["error_code"], empty["error_msg"]) == (282003, "missing parameters: image")
    assert error_code(api.ocr(probability="true", language_type="ENG")) == 216101


def test_param_too_long_216103(api: Api) -> None:
    assert error_code(api.ocr(image=b64(png()), language_type="X" * 65)) == 216103
    assert error_code(api.ocr(pdf_file=b64(render_pdf([["x"]])), pdf_file_num="1" * 100)) == 216103


def test_empty_image_216200(api: Api) -> None:
    assert error_code(api.ocr(image="")) == 216200
    assert error_code(api.ocr(pdf_file="")) == 216200


@pytest.mark.parametrize(
    "image",
    [
        "not base64!",
        "abc",  # bad padding
        b64(b"GIF89a" + b"\0" * 40),
        b64(os.urandom(100)),
        b64(png()[:40]),  # a PNG header and then nothing
        b64(b"\xff\xd8\xff\xe0" + b"\0" * 20),  # JPEG magic, no frame
    ],
)
def test_image_format_error_216201(api: Api, image: str) -> None:
    assert error_code(api.ocr(image=image)) == 216201


@pytest.mark.parametrize(
    ("path", "size"),
    [
        (GENERAL, (14, 100)),
        (GENERAL, (100, 14)),
        (GENERAL, (4097, 20)),
        (ACCURATE, (8193, 20)),
        (ACCURATE, (20, 8193)),
    ],
)
def test_image_sides_216202(api: Api, path: str, size: tuple[int, int]) -> None:
    assert error_code(api.ocr(path, image=b64(png(*size)))) == 216202
    assert api.engine.calls == []


def test_largest_sides_are_accepted(api: Api) -> None:
    assert api.ocr(GENERAL, image=b64(png(4096, 15)))["words_result_num"] == 3
    assert api.ocr(ACCURATE, image=b64(png(8192, 15)))["words_result_num"] == 3


def _padded_png(encoded_size: int) -> str:
    """A valid PNG with junk after IEND (Pillow ignores it) whose base64 is about ``encoded_size`` long."""
    return b64(png() + os.urandom(encoded_size * 3 // 4))


def test_encoded_image_over_the_limit_216202(api: Api) -> None:
    image = _padded_png(4 * 1024 * 1024 + 1000)
    body = urlencode({"image": image}).encode()
    assert len(body) < 4 * 1024 * 1024 * 1.5  # inside the body allowance only because of the field check
    assert error_code(api.post(GENERAL, None, body).json()) == 216202


def test_body_over_the_limit_is_refused_by_content_length_216202(api: Api) -> None:
    body = b"image=" + b"A" * (4 * 1024 * 1024 + 128 * 1024)
    assert error_code(api.post(GENERAL, None, body).json()) == 216202


def test_ten_megabyte_body_on_accurate(api: Api) -> None:
    image = _padded_png(9_800_000)
    body = urlencode({"image": image, "probability": "true"}).encode()
    assert 9_900_000 < len(body) <= 10 * 1024 * 1024
    result = api.post(ACCURATE, None, body).json()
    assert result["words_result_num"] == 3
    assert error_code(api.post(GENERAL, None, body).json()) == 216202


def test_engine_failure_282000(api: Api) -> None:
    api.engine.fail = True
    body = api.ocr(image=b64(png()))
    assert error_code(body) == 282000
    assert body["error_msg"] == "internal error"
    assert "Traceback" not in json.dumps(body)


def test_qps_limit_18(api: Api) -> None:
    token = api.token("qps-app", "qps-secret")
    codes = [api.ocr(token=token, image=b64(png())).get("error_code") for _ in range(3)]
    assert codes[0] is None
    assert 18 in codes[1:]
    body = api.ocr(token=token, image=b64(png()))
    if "error_code" in body:
        assert body["error_msg"] == "Open api qps request limit reached"
    # other apps are not affected
    assert "error_code" not in api.ocr(image=b64(png()))


def test_daily_limit_17(api: Api) -> None:
    token = api.token("daily-app", "daily-secret")
    assert "error_code" not in api.ocr(token=token, image=b64(png()))
    assert "error_code" not in api.ocr(token=token, image=b64(png()))
    body = api.ocr(token=token, image=b64(png()))
    assert error_code(body) == 17
    assert body["error_msg"] == "Open api daily request limit reached"


def test_unknown_path_216102(api: Api) -> None:
    response = api.http.post("/rest/2.0/ocr/v1/webimage", data={"image": "x"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error_code"] == 216102
    assert response.json()["error_msg"] == "service not support"


def test_trailing_slash_is_an_unknown_path_not_a_redirect(api: Api) -> None:
    response = api.http.post(GENERAL + "/", data={"image": "x"})
    assert response.status_code == 404
    assert response.json()["error_code"] == 216102


def test_wrong_method_216102(api: Api) -> None:
    response = api.http.get(GENERAL)
    assert response.status_code == 405
    assert response.json()["error_code"] == 216102


def test_healthz(api: Api) -> None:
    response = api.http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "engine_loaded": True}


def test_access_log_has_no_secrets(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="baidu_ocr_server")
    token = api.token()
    api.ocr(token=token, image=b64(png()))
    api.ocr(token=token, language_type="bad", image=b64(png()))
    lines: list[str] = []
    for _ in range(500):  # the server thread writes a request's line just after its answer has gone out
        lines = [r.getMessage() for r in caplog.records if r.name == "baidu_ocr_server.access"]
        if len(lines) >= 3:
            break
        time.sleep(0.01)
    assert any(line.startswith(f"POST {TOKEN} 200 error_code=- app={DEMO_ID} ") for line in lines)
    assert any(line.startswith(f"POST {GENERAL} 200 error_code=- app={DEMO_ID} ") for line in lines)
    assert any(line.startswith(f"POST {GENERAL} 200 error_code=216100 app={DEMO_ID} ") for line in lines)
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert token not in everything
    assert token.split(".")[1] not in everything
    assert DEMO_SECRET not in everything
    assert "access_token" not in everything


# --- in-process (ASGI) -------------------------------------------------------------------------------------------


async def _token(client: httpx.AsyncClient) -> str:
    response = await client.post(
        TOKEN, data={"grant_type": "client_credentials", "client_id": DEMO_ID, "client_secret": DEMO_SECRET}
    )
    return str(response.json()["access_token"])


def _asgi_client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


@pytest.mark.anyio
async def test_log_id_above_2_63_survives_json(monkeypatch: pytest.MonkeyPatch) -> None:
    big = 2**64 - 1
    monkeypatch.setattr(app_module, "new_log_id", lambda: big)
    async with _asgi_client(create_app(make_config(), FakeEngine())) as client:
        token = await _token(client)
        for form in ({"image": b64(png())}, {"image": "bad"}):
            response = await client.post(GENERAL, params={"access_token": token}, data=form)
            assert f'"log_id":{big}' in response.text
            assert json.loads(response.text)["log_id"] == big


@pytest.mark.anyio
async def test_unexpected_exception_is_json_282000(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args: object) -> None:
        raise RuntimeError("boom")

    app = create_app(make_config(), FakeEngine())
    async with _asgi_client(app) as client:
        token = await _token(client)
        monkeypatch.setattr(app_module, "parse_form", explode)
        ocr = await client.post(GENERAL, params={"access_token": token}, data={"image": "x"})
        assert ocr.status_code == 200
        assert ocr.json()["error_code"] == 282000
        monkeypatch.setattr(TokenIssuer, "issue", explode)
        response = await client.post(
            TOKEN, data={"grant_type": "client_credentials", "client_id": DEMO_ID, "client_secret": DEMO_SECRET}
        )
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/json"
        assert response.json()["error_code"] == 282000
        assert "boom" not in response.text


@pytest.mark.anyio
async def test_engine_is_loaded_once_lazily_and_healthz_answers_meanwhile() -> None:
    loads: list[int] = []
    release = anyio.Event()
    engine = FakeEngine()

    def loader() -> FakeEngine:
        loads.append(1)
        anyio.from_thread.run(release.wait)
        return engine

    app = create_app(make_config(), engine_loader=loader)
    async with _asgi_client(app) as client:
        token = await _token(client)
        assert (await client.get("/healthz")).json()["engine_loaded"] is False
        results: list[dict[str, Any]] = []

        async def call() -> None:
            response = await client.post(GENERAL, params={"access_token": token}, data={"image": b64(png())})
            results.append(response.json())

        async with anyio.create_task_group() as group:
            for _ in range(3):
                group.start_soon(call)
            await anyio.sleep(0.2)
            assert (await client.get("/healthz")).json() == {"status": "ok", "engine_loaded": False}
            release.set()
        assert loads == [1]
        assert [r["words_result_num"] for r in results] == [3, 3, 3]
        assert (await client.get("/healthz")).json()["engine_loaded"] is True


@pytest.mark.anyio
async def test_engine_load_failure_is_282000() -> None:
    def loader() -> FakeEngine:
        raise OSError("models missing")

    async with _asgi_client(create_app(make_config(), engine_loader=loader)) as client:
        token = await _token(client)
        response = await client.post(GENERAL, params={"access_token": token}, data={"image": b64(png())})
        assert response.json()["error_code"] == 282000
