"""The ``baidu-ocr`` command line against a real local HTTP server playing Baidu."""

from __future__ import annotations

import base64
import io
import json
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PIL import Image
from responder import Answer, Recorded, Responder
from typer.testing import CliRunner

from baidu_ocr import _cli_connection
from baidu_ocr._cli import app

TOKEN = "/oauth/2.0/token"
GENERAL = "/rest/2.0/ocr/v1/general_basic"
ACCURATE = "/rest/2.0/ocr/v1/accurate_basic"
SECRET = "s3cret-value-never-printed"
HELLO = {"log_id": 1, "words_result_num": 1, "words_result": [{"words": "hello"}]}
IMAGE_FORMAT_ERROR = {"error_code": 216201, "error_msg": "image format error", "log_id": 7}


def png(width: int = 100, height: int = 40, color: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf(pages: int) -> bytes:
    images = [Image.new("RGB", (200, 100), "white") for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def sent_image(request: Recorded) -> bytes:
    return base64.b64decode(request.form()["image"][0])


@pytest.fixture(autouse=True)
def no_environment_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BAIDU_OCR_API_KEY", "BAIDU_OCR_SECRET_KEY", "BAIDU_OCR_ACCESS_TOKEN", "BAIDU_OCR_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def baidu(responder: Responder) -> Responder:
    responder.route(TOKEN, Answer.json({"access_token": "t", "expires_in": 2592000}))
    responder.route(GENERAL, Answer.json(HELLO))
    return responder


def run(base_url: str, *args: str) -> SimpleNamespace:
    """``baidu-ocr recognize ARGS`` against the service at ``base_url``; exit code, stdout and stderr apart."""
    connection = ["--api-key", "key", "--secret-key", SECRET, "--base-url", base_url]
    result = CliRunner().invoke(app, ["recognize", *args, *connection])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return SimpleNamespace(code=result.exit_code, out=result.stdout, err=result.stderr)


def test_plain_text_of_one_image(baidu: Responder, tmp_path: Path) -> None:
    image = tmp_path / "a.png"
    image.write_bytes(png())
    result = run(baidu.base_url, str(image))
    assert (result.code, result.out, result.err) == (0, "hello\n", "")
    [request] = baidu.calls(GENERAL)
    assert request.query["access_token"] == ["t"]
    assert sent_image(request) == image.read_bytes()


def test_json_is_the_service_json_one_line_per_input(baidu: Responder, tmp_path: Path) -> None:
    answer = {**HELLO, "direction": 0, "extra": {"kept": "as is"}, "words_result": [{"words": " 青岛 TSINGTAO"}]}
    baidu.route(GENERAL, Answer.json(answer))
    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes(png())
    result = run(baidu.base_url, "--json", str(tmp_path / "a.png"), str(tmp_path / "b.png"))
    assert result.code == 0
    lines = result.out.splitlines()
    assert [json.loads(line) for line in lines] == [answer, answer]
    assert "青岛" in lines[0]  # not \u-escaped
    assert "==>" not in result.out


def test_several_inputs_and_a_quoted_glob_keep_their_order_with_headers(baidu: Responder, tmp_path: Path) -> None:
    images = {"b.png": png(100, 40), "a.png": png(101, 40), "c.png": png(102, 40)}
    for name, data in images.items():
        (tmp_path / name).write_bytes(data)
    words = {data: f"text of {name}" for name, data in images.items()}
    baidu.route(
        GENERAL, lambda request: Answer.json({**HELLO, "words_result": [{"words": words[sent_image(request)]}]})
    )
    result = run(baidu.base_url, str(tmp_path / "c.png"), str(tmp_path / "[ab].png"))
    assert result.code == 0
    expected = [
        f"==> {tmp_path / 'c.png'} <==",
        "text of c.png",
        "",
        f"==> {tmp_path / 'a.png'} <==",
        "text of a.png",
        "",
        f"==> {tmp_path / 'b.png'} <==",
        "text of b.png",
    ]
    assert result.out.splitlines() == expected
    assert result.err == ""  # no progress bar when stderr is not a terminal


def test_an_url_is_sent_as_the_url_field(baidu: Responder) -> None:
    result = run(baidu.base_url, "https://example.com/receipt.png")
    assert (result.code, result.out) == (0, "hello\n")
    [request] = baidu.calls(GENERAL)
    assert request.form()["url"] == ["https://example.com/receipt.png"]
    assert "image" not in request.form()


def test_pdf_pages_are_recognized_in_order(baidu: Responder, tmp_path: Path) -> None:
    document = tmp_path / "scan.bin"  # a PDF is told by its content, not its name
    document.write_bytes(pdf(3))

    def page(request: Recorded) -> Answer:
        form = request.form()
        assert base64.b64decode(form["pdf_file"][0]) == document.read_bytes()
        number = form["pdf_file_num"][0]
        return Answer.json({**HELLO, "words_result": [{"words": f"page {number}"}], "pdf_file_size": "3"})

    baidu.route(GENERAL, page)
    result = run(baidu.base_url, "--pages", "2-", str(document))
    assert result.code == 0
    assert result.out.splitlines() == [
        f"==> {document} [page 2] <==",
        "page 2",
        "",
        f"==> {document} [page 3] <==",
        "page 3",
    ]
    assert sorted(request.form()["pdf_file_num"][0] for request in baidu.calls(GENERAL)) == ["2", "3"]

    baidu.requests.clear()
    everything = run(baidu.base_url, "--json", str(document))
    assert [json.loads(line)["words_result"][0]["words"] for line in everything.out.splitlines()] == [
        "page 1",
        "page 2",
        "page 3",
    ]


def test_pages_beyond_the_pdf_fail_that_input(baidu: Responder, tmp_path: Path) -> None:
    document = tmp_path / "scan.pdf"
    document.write_bytes(pdf(2))
    baidu.route(GENERAL, Answer.json({**HELLO, "pdf_file_size": "2"}))
    result = run(baidu.base_url, "--pages", "1-5", str(document))
    assert result.code == 1
    assert "page 5 asked for, but the PDF has 2 pages" in result.err
    assert result.out == ""


def test_accurate_uses_accurate_basic(baidu: Responder, tmp_path: Path) -> None:
    baidu.route(ACCURATE, Answer.json({**HELLO, "words_result": [{"words": "precise"}]}))
    (tmp_path / "a.png").write_bytes(png())
    result = run(baidu.base_url, "--accurate", "--language-type", "auto_detect", str(tmp_path / "a.png"))
    assert (result.code, result.out) == (0, "precise\n")
    assert baidu.calls(GENERAL) == []
    assert baidu.calls(ACCURATE)[0].form()["language_type"] == ["auto_detect"]


def test_options_are_sent_as_form_fields(baidu: Responder, tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(png())
    flags = ["--detect-direction", "--detect-language", "--paragraph", "--probability", "--language-type", "ENG"]
    assert run(baidu.base_url, *flags, str(tmp_path / "a.png")).code == 0
    form = baidu.calls(GENERAL)[0].form()
    for name in ("detect_direction", "detect_language", "paragraph", "probability"):
        assert form[name] == ["true"]
    assert form["language_type"] == ["ENG"]

    baidu.requests.clear()
    assert run(baidu.base_url, str(tmp_path / "a.png")).code == 0
    assert set(baidu.calls(GENERAL)[0].form()) == {"image"}  # a flag left out is not sent


def test_a_failing_item_exits_1_and_the_others_are_printed(baidu: Responder, tmp_path: Path) -> None:
    bad = png(120, 40, "black")
    (tmp_path / "a.png").write_bytes(png())
    (tmp_path / "bad.png").write_bytes(bad)
    (tmp_path / "c.png").write_bytes(png())
    baidu.route(GENERAL, lambda request: Answer.json(IMAGE_FORMAT_ERROR if sent_image(request) == bad else HELLO))
    paths = [str(tmp_path / name) for name in ("a.png", "bad.png", "c.png")]

    text = run(baidu.base_url, *paths)
    assert text.code == 1
    assert text.out.count("hello") == 2
    assert f"==> {paths[1]} <==" not in text.out
    assert f"{paths[1]}: Baidu OCR error 216201: image format error" in text.err

    as_json = run(baidu.base_url, "--json", *paths)
    assert as_json.code == 1
    assert [json.loads(line) for line in as_json.out.splitlines()] == [HELLO, IMAGE_FORMAT_ERROR, HELLO]


def test_an_input_refused_before_sending_keeps_its_json_line(baidu: Responder, tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(png())
    (tmp_path / "notes.txt").write_bytes(b"not an image")
    result = run(baidu.base_url, "--json", str(tmp_path / "a.png"), str(tmp_path / "notes.txt"))
    assert result.code == 1
    first, second = (json.loads(line) for line in result.out.splitlines())
    assert first == HELLO
    assert second["error_code"] == 216201  # what the service would have answered
    assert "not a recognized image" in second["error_msg"]
    assert len(baidu.calls(GENERAL)) == 1


def test_wrong_key_exits_3_with_baidus_description_and_no_secret(responder: Responder, tmp_path: Path) -> None:
    oauth_error = {"error": "invalid_client", "error_description": "unknown client id"}
    responder.route(TOKEN, Answer.json(oauth_error, status=401))
    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes(png())
    result = run(responder.base_url, str(tmp_path / "a.png"), str(tmp_path / "b.png"))
    assert result.code == 3
    assert "unknown client id" in result.err
    assert result.err.count("\n") == 1  # one message, not one per input
    assert SECRET not in result.out + result.err
    assert len(responder.calls(TOKEN)) == 1  # checked once, before any input
    assert responder.calls(GENERAL) == []


def test_quota_used_up_stops_at_once_with_exit_3(baidu: Responder, tmp_path: Path) -> None:
    baidu.route(GENERAL, Answer.json({"error_code": 17, "error_msg": "Open api daily request limit reached"}))
    paths = []
    for number in range(6):
        paths.append(str(tmp_path / f"{number}.png"))
        Path(paths[-1]).write_bytes(png(100 + number, 40))
    result = run(baidu.base_url, "--concurrency", "1", *paths)
    assert result.code == 3
    assert result.err.startswith("baidu-ocr: quota used up: Baidu OCR error 17: Open api daily request limit")
    assert result.err.count("\n") == 1
    assert result.out == ""
    assert len(baidu.calls(GENERAL)) < len(paths)


def test_a_fixed_access_token_needs_no_keys(baidu: Responder, tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(png())
    args = ["recognize", str(tmp_path / "a.png"), "--access-token", "fixed", "--base-url", baidu.base_url]
    result = CliRunner().invoke(app, args)
    assert (result.exit_code, result.stdout) == (0, "hello\n")
    assert baidu.calls(TOKEN) == []
    assert baidu.calls(GENERAL)[0].query["access_token"] == ["fixed"]


def test_service_unreachable_exits_4(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    (tmp_path / "a.png").write_bytes(png())
    result = run(closed_url, str(tmp_path / "a.png"))
    assert result.code == 4
    assert "ConnectError" in result.err


def test_no_answer_like_baidu_for_any_input_exits_4(baidu: Responder, tmp_path: Path) -> None:
    bad_gateway = Answer(status=502, body=b"<html>bad gateway</html>", content_type="text/html")
    good = png()
    baidu.route(GENERAL, bad_gateway)
    (tmp_path / "a.png").write_bytes(good)
    (tmp_path / "b.png").write_bytes(png(120, 40))
    paths = [str(tmp_path / "a.png"), str(tmp_path / "b.png")]
    result = run(baidu.base_url, "--max-retries", "0", *paths)
    assert result.code == 4
    assert result.err.count("HTTP 502") == 2

    baidu.route(GENERAL, lambda request: Answer.json(HELLO) if sent_image(request) == good else bad_gateway)
    assert run(baidu.base_url, "--max-retries", "0", *paths).code == 1  # one answered: some failed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.png"], "missing.png: no such file"),
        (["nothing-*.png"], "nothing-*.png: no file matches"),
        (["--pages", "x", "a.png"], "pages: cannot read 'x'"),
        (["--accurate", "--detect-language", "a.png"], "detect_language is not an option of accurate_basic"),
        (["--language-type", "KLINGON", "a.png"], "language_type 'KLINGON' is not accepted"),
        (["--concurrency", "0", "a.png"], "--concurrency"),
        (["--qps", "0", "a.png"], "0.0 is not above 0"),
        (["--timeout", "-1", "a.png"], "is not above 0"),
    ],
)
def test_usage_errors_exit_2_before_any_request(
    baidu: Responder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.png").write_bytes(png())
    result = run(baidu.base_url, *args)
    assert result.code == 2
    assert message in result.err
    assert result.out == ""
    assert baidu.requests == []


def test_no_credentials_start_the_local_service(
    baidu: Responder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[bool] = []

    @contextmanager
    def local_service(**_: object) -> Iterator[SimpleNamespace]:
        started.append(True)
        yield SimpleNamespace(base_url=baidu.base_url, api_key="local-api-key", secret_key="local-secret-key")

    monkeypatch.setattr(_cli_connection, "start_local_service", local_service)
    (tmp_path / "a.png").write_bytes(png())
    result = CliRunner().invoke(app, ["recognize", str(tmp_path / "a.png")])
    assert (result.exit_code, result.stdout) == (0, "hello\n")
    assert started == [True]
    assert f"no Baidu credentials given: using the local OCR service at {baidu.base_url}" in result.stderr
    assert "client_id=local-api-key" in baidu.calls(TOKEN)[0].body.decode()
    assert "local-secret-key" not in result.stderr


def test_environment_credentials_do_not_start_the_local_service(
    baidu: Responder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_cli_connection, "start_local_service", lambda **_: pytest.fail("local service started"))
    monkeypatch.setenv("BAIDU_OCR_API_KEY", "key")
    monkeypatch.setenv("BAIDU_OCR_SECRET_KEY", SECRET)
    monkeypatch.setenv("BAIDU_OCR_BASE_URL", baidu.base_url)
    (tmp_path / "a.png").write_bytes(png())
    result = CliRunner().invoke(app, ["recognize", str(tmp_path / "a.png")])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "hello\n", "")


def test_serve_hands_its_flags_to_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    serve = pytest.importorskip("baidu_ocr_server.serve")
    calls: list[tuple[Any, str]] = []
    monkeypatch.setattr(serve, "run", lambda config, *, log_level: calls.append((config, log_level)))
    flags = ["--port", "9000", "--app", "id:secret:2", "--qps", "5", "--allow-private-urls", "--log-level", "warning"]
    result = CliRunner().invoke(app, ["serve", *flags])
    assert result.exit_code == 0, result.stderr
    [(config, log_level)] = calls
    assert (config.port, config.qps, config.allow_private_urls, log_level) == (9000, 5.0, True, "warning")
    assert [(a.client_id, a.client_secret, a.qps) for a in config.apps] == [("id", "secret", 2.0)]

    bad = CliRunner().invoke(app, ["serve", "--app", "no-secret"])
    assert bad.exit_code == 2
    assert "id:secret" in bad.stderr
    assert len(calls) == 1


def test_installed_script(baidu: Responder, tmp_path: Path) -> None:
    script = shutil.which("baidu-ocr", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the baidu-ocr script is not installed")
    (tmp_path / "a.png").write_bytes(png())
    connection = ["--api-key", "key", "--secret-key", SECRET, "--base-url", baidu.base_url]
    done = subprocess.run(
        [script, "recognize", "--json", str(tmp_path / "a.png"), *connection],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, json.loads(done.stdout), done.stderr) == (0, HELLO, "")


@pytest.mark.slow
def test_real_local_service_without_credentials(tmp_path: Path) -> None:
    pytest.importorskip("baidu_ocr_server.embedded")
    from imaging import render_text_image

    (tmp_path / "hello.png").write_bytes(render_text_image(["Hello World 2024"]))
    result = CliRunner().invoke(app, ["recognize", str(tmp_path / "hello.png")])
    assert result.exit_code == 0, result.stderr
    assert "no Baidu credentials given: using the local OCR service at http://127.0.0.1:" in result.stderr
    assert "Hello World 2024" in result.stdout


def test_script_without_the_cli_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from baidu_ocr._entry import main as entry_main

    monkeypatch.delitem(sys.modules, "baidu_ocr._cli", raising=False)
    monkeypatch.setitem(sys.modules, "typer", None)
    with pytest.raises(SystemExit) as caught:
        entry_main()
    assert caught.value.code == 2
    assert "pip install 'baidu-ocr[cli]'" in capsys.readouterr().err
