"""The command line as a newcomer meets it: flags, version, progress, machine output, checks before any service,
messages in its own terms, and the private-address policy named when it refuses a url."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from blank_service import BlankEngine
from responder import Answer, Responder
from rich.console import Console
from typer.testing import CliRunner

from baidu_ocr import _cli_connection
from baidu_ocr._cli import app
from baidu_ocr._cli_output import ProgressBar
from baidu_ocr_server.config import ServiceConfig
from baidu_ocr_server.embedded import LocalService

TOKEN = "/oauth/2.0/token"
GENERAL = "/rest/2.0/ocr/v1/general_basic"
HELLO = {"log_id": 1, "words_result_num": 1, "words_result": [{"words": "hello"}]}


@pytest.fixture(autouse=True)
def no_environment_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BAIDU_OCR_API_KEY", "BAIDU_OCR_SECRET_KEY", "BAIDU_OCR_ACCESS_TOKEN", "BAIDU_OCR_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def baidu(responder: Responder) -> Responder:
    responder.route(TOKEN, Answer.json({"access_token": "t", "expires_in": 2592000}))
    responder.route(GENERAL, Answer.json(HELLO))
    return responder


def png(width: int = 64, height: int = 32) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def pdf(pages: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    images = [Image.new("RGB", (200, 100), "white") for _ in range(pages)]
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def remote(base_url: str) -> list[str]:
    return ["--api-key", "key", "--secret-key", "secret", "--base-url", base_url, "--no-token-cache"]


def test_boolean_options_are_flags_and_enums_list_their_choices() -> None:
    code, out, _ = invoke("recognize", "--help")
    assert code == 0
    assert "--detect-direction " in out
    assert "<bool>" not in out
    assert "CHN_ENG" in out


def test_a_boolean_flag_sends_true(baidu: Responder, tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(png())
    code, _, _ = invoke("recognize", "--detect-direction", str(tmp_path / "a.png"), *remote(baidu.base_url))
    assert code == 0
    assert baidu.calls(GENERAL)[0].form()["detect_direction"] == ["true"]


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert code == 0
    assert out.startswith("baidu-ocr ")


def test_jsonl_names_the_input_and_page_of_each_item(baidu: Responder, tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(png())
    (tmp_path / "b.txt").write_text("not an image")
    (tmp_path / "c.pdf").write_bytes(pdf(2))
    files = [str(tmp_path / name) for name in ("a.png", "b.txt", "c.pdf")]
    code, out, _ = invoke("recognize", "--jsonl", *files, *remote(baidu.base_url))
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [(line["input"], line["page"]) for line in lines] == [
        (files[0], None),
        (files[1], None),
        (files[2], 1),
        (files[2], 2),
    ]
    assert lines[0]["result"]["words_result"] == HELLO["words_result"]
    assert lines[1]["error"]["error_code"] == 216201
    assert invoke("recognize", "--json", "--jsonl", files[0], *remote(baidu.base_url))[0] == 2


def test_inputs_that_cannot_succeed_start_no_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_cli_connection, "start_local_service", lambda **_: pytest.fail("service started"))
    (tmp_path / "tiny.png").write_bytes(png(1, 1))
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "three.pdf").write_bytes(pdf(3))
    code, _, err = invoke("recognize", str(tmp_path / "tiny.png"), str(tmp_path / "notes.txt"))
    assert code == 1
    assert "1x1 px" in err
    assert "not a recognized image" in err
    code, _, err = invoke("recognize", "--pages", "9", str(tmp_path / "three.pdf"))
    assert code == 1
    assert "the PDF has 3 pages" in err


def test_credential_messages_speak_in_flags(baidu: Responder, tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(png())
    code, _, err = invoke("recognize", str(tmp_path / "a.png"), "--api-key", "k", "--base-url", baidu.base_url)
    assert code == 3
    assert "--secret-key" in err
    assert "secret_key=" not in err


def test_progress_bar_shows_counts_and_rate() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120)
    with ProgressBar(console, total=3, show=True) as bar:
        bar.advance()
        bar.advance()
    assert "2/3" in screen.getvalue()
    assert "items/s" in screen.getvalue()


@contextmanager
def local_service(*, allow_private_urls: bool = False) -> Iterator[LocalService]:
    config = ServiceConfig(preload_engine=False, engine_threads=1, allow_private_urls=allow_private_urls)
    with LocalService(config, engine=BlankEngine()) as running:
        yield running


def test_a_private_url_names_the_policy_and_the_flag_lets_it_through(
    responder: Responder, monkeypatch: pytest.MonkeyPatch
) -> None:
    responder.route("/a.png", Answer(200, png(), "image/png"))
    monkeypatch.setattr(_cli_connection, "start_local_service", local_service)
    url = responder.base_url + "/a.png"
    code, _, err = invoke("recognize", url)
    assert code == 1
    assert "282111" in err
    assert "--allow-private-urls" in err
    code, _, err = invoke("recognize", "--allow-private-urls", url)
    assert code == 0, err
    assert len(responder.calls("/a.png")) == 1
