"""The token file in use: a token outlives the process (two CLI runs, one fetch), processes starting together
share one fetch, a rejected token leaves the file too, and the file never holds a secret."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from baidu_fakes import API_KEY, GENERAL_PATH, SECRET_KEY, TOKEN_PATH, error, image_bytes, success, token_answer
from responder import Answer, Recorded, Responder

from baidu_ocr import OCR, ClientCredentialsAuth
from baidu_ocr._token import StoredToken
from baidu_ocr._token_file import TokenFile, TokenFileStore

PROCESSES = 8
CHILD = """
import sys, time
from pathlib import Path
from baidu_ocr import OCR
base_url, cache, go, image = sys.argv[1:5]
for _ in range(600):  # wait (at most 30 s) until every process is up, then start together
    if Path(go).exists():
        break
    time.sleep(0.05)
with OCR("{api_key}", "{secret_key}", base_url=base_url, cache_file=cache) as ocr:
    print(ocr.general_basic(Path(image).read_bytes()).text)
"""


def counting_baidu(responder: Responder, token_delay: float = 0.0) -> None:
    """A token endpoint (slow when asked) issuing a new token per fetch, and an OCR endpoint accepting any."""
    issued: list[str] = []

    def token(_: Recorded) -> Answer:
        issued.append(f"24.token-{len(issued) + 1}")
        answer = token_answer(issued[-1])
        return Answer(answer.status, answer.body, delay=token_delay)

    responder.route(TOKEN_PATH, token)
    responder.route(GENERAL_PATH, success(["ok"]))


def assert_safe_file(path: Path) -> None:
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_text()
    assert SECRET_KEY not in content
    assert API_KEY not in content
    assert "24.token-1" in content


def test_two_cli_runs_fetch_one_token(responder: Responder, tmp_path: Path) -> None:
    counting_baidu(responder)
    image = tmp_path / "a.png"
    image.write_bytes(image_bytes())
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "BAIDU_OCR_SECRET_KEY": SECRET_KEY}
    for name in ("BAIDU_OCR_ACCESS_TOKEN", "BAIDU_OCR_ACCESS_KEY_ID", "BAIDU_OCR_BEARER_KEY", "BAIDU_OCR_API_KEY"):
        env.pop(name, None)
    command = [sys.executable, "-c", "from baidu_ocr._entry import main; main()", "recognize", str(image)]
    command += ["--api-key", API_KEY]
    command += ["--base-url", responder.base_url]
    for _ in range(2):
        run = subprocess.run(command, check=False, env=env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert run.stdout == "ok\n"
    assert len(responder.calls(TOKEN_PATH)) == 1
    assert len(responder.calls(GENERAL_PATH)) == 2
    assert_safe_file(tmp_path / "cache" / "baidu-ocr" / "tokens.json")
    run = subprocess.run(
        [*command, "--no-token-cache"], check=False, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0
    assert len(responder.calls(TOKEN_PATH)) == 2


def test_processes_started_together_fetch_one_token(responder: Responder, tmp_path: Path) -> None:
    counting_baidu(responder, token_delay=0.3)
    cache, go, image = tmp_path / "tokens.json", tmp_path / "go", tmp_path / "a.png"
    image.write_bytes(image_bytes())
    script = CHILD.format(api_key=API_KEY, secret_key=SECRET_KEY)
    arguments = [responder.base_url, str(cache), str(go), str(image)]
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script, *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(PROCESSES)
    ]
    go.touch()
    outputs = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0] * PROCESSES, [err for _, err in outputs]
    assert [out for out, _ in outputs] == ["ok\n"] * PROCESSES
    assert len(responder.calls(TOKEN_PATH)) == 1
    assert len(responder.calls(GENERAL_PATH)) == PROCESSES
    assert_safe_file(cache)


def store_for(responder: Responder, path: Path) -> TokenFileStore:
    return TokenFileStore(TokenFile(path), token_url=responder.base_url + TOKEN_PATH, api_key=API_KEY)


def test_a_rejected_token_leaves_the_file(responder: Responder, tmp_path: Path) -> None:
    def by_token(request: Recorded) -> Answer:
        if request.query["access_token"] == ["24.stale"]:
            return error(110, "Access token invalid or no longer valid")
        return success(["ok"])

    responder.route(TOKEN_PATH, token_answer("24.fresh"))
    responder.route(GENERAL_PATH, by_token)
    path = tmp_path / "tokens.json"
    store_for(responder, path).save(StoredToken.issued("24.stale", 2592000, 2.0e9))
    with OCR(API_KEY, SECRET_KEY, base_url=responder.base_url, cache_file=path) as ocr:
        assert ocr.general_basic(image_bytes()).text == "ok"
    assert [call.query["access_token"] for call in responder.calls(GENERAL_PATH)] == [["24.stale"], ["24.fresh"]]
    assert len(responder.calls(TOKEN_PATH)) == 1
    stored = store_for(responder, path).load()
    assert stored is not None
    assert stored.value == "24.fresh"


def test_a_token_renewed_by_another_process_is_used_without_a_fetch(responder: Responder, tmp_path: Path) -> None:
    def by_token(request: Recorded) -> Answer:
        if request.query["access_token"] == ["24.old"]:
            return error(111, "Access token expired")
        return success(["ok"])

    responder.route(TOKEN_PATH, token_answer("24.never"))
    responder.route(GENERAL_PATH, by_token)
    path = tmp_path / "tokens.json"
    ours = store_for(responder, path)
    ours.save(StoredToken.issued("24.old", 2592000, 2.0e9))
    assert ours.load() is not None  # now known in memory
    store_for(responder, path).save(StoredToken.issued("24.other", 2592000, 2.0e9))  # another process renewed
    auth = ClientCredentialsAuth(API_KEY, SECRET_KEY, store=ours)
    with httpx.Client(base_url=responder.base_url, auth=auth) as client:
        client.post(GENERAL_PATH, content=b"image=x")
    assert [call.query["access_token"] for call in responder.calls(GENERAL_PATH)] == [["24.old"], ["24.other"]]
    assert not responder.calls(TOKEN_PATH)


def test_default_cache_file_is_the_user_cache_directory(
    responder: Responder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting_baidu(responder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with OCR(API_KEY, SECRET_KEY, base_url=responder.base_url, cache_file=True) as ocr:
        ocr.general_basic(image_bytes())
        assert "tokens.json" in repr(ocr.auth)
    assert_safe_file(tmp_path / "baidu-ocr" / "tokens.json")


def test_the_sdk_keeps_tokens_in_memory_unless_asked(
    responder: Responder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting_baidu(responder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with OCR(API_KEY, SECRET_KEY, base_url=responder.base_url) as ocr:
        ocr.general_basic(image_bytes())
    assert not list(tmp_path.iterdir())


def test_a_lock_held_too_long_is_logged_and_passed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    file = TokenFile(tmp_path / "tokens.json", lock_timeout=0.05)
    store = TokenFileStore(file, token_url="http://x/oauth/2.0/token", api_key=API_KEY)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with file.lock():
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        with caplog.at_level(logging.WARNING, "baidu_ocr"), store.locked():
            store.save(StoredToken.issued("24.t", 100, 1.0e9))
    finally:
        release.set()
        holder.join(10)
    assert "cannot be locked (another process holds it too long)" in caplog.text
    assert json.loads(file.path.read_text())["tokens"]
