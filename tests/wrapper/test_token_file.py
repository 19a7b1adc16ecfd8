"""The token file: where it lives, what it holds (never a secret), its mode, and what it does with bad content."""

from __future__ import annotations

import json
import logging
import stat
from pathlib import Path

import pytest

from baidu_ocr._token import StoredToken
from baidu_ocr._token_file import MAX_FILE_BYTES, TokenFile, default_token_file

URL = "https://aip.baidubce.com/oauth/2.0/token"
API_KEY = "test-api-key-123"


def test_default_file_is_in_the_user_cache_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert default_token_file() == tmp_path / "cache" / "baidu-ocr" / "tokens.json"
    assert TokenFile().path == default_token_file()


def test_store_load_and_mode(tmp_path: Path) -> None:
    file = TokenFile(tmp_path / "dir" / "tokens.json")
    key = TokenFile.key(URL, API_KEY)
    with file.lock():
        assert file.load(key) is None
        file.store(key, StoredToken("24.abc", 2000.0, 1900.0), now=1000.0)
        assert file.load(key) == StoredToken("24.abc", 2000.0, 1900.0)
    assert stat.S_IMODE(file.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(file.path.with_name("tokens.json.lock").stat().st_mode) == 0o600
    assert stat.S_IMODE(file.path.parent.stat().st_mode) == 0o700
    content = file.path.read_text()
    assert API_KEY not in content
    assert URL not in content
    assert json.loads(content) == {
        "version": 1,
        "tokens": {key: {"access_token": "24.abc", "expires_at": 2000.0, "renew_at": 1900.0}},
    }


def test_keys_differ_by_url_and_api_key() -> None:
    keys = {TokenFile.key(URL, API_KEY), TokenFile.key(URL, "other"), TokenFile.key("http://127.0.0.1:1/t", API_KEY)}
    assert len(keys) == 3


def test_drop_only_the_token_that_was_refused(tmp_path: Path) -> None:
    file = TokenFile(tmp_path / "tokens.json")
    key = TokenFile.key(URL, API_KEY)
    file.store(key, StoredToken("24.new", 5000.0, 4900.0), now=1000.0)
    file.drop(key, "24.old")  # another process already renewed it
    assert file.load(key) == StoredToken("24.new", 5000.0, 4900.0)
    file.drop(key, "24.new")
    assert file.load(key) is None


def test_expired_entries_are_pruned_on_write(tmp_path: Path) -> None:
    file = TokenFile(tmp_path / "tokens.json")
    file.store("old", StoredToken("24.old", 1500.0, 1400.0), now=1000.0)
    file.store("new", StoredToken("24.new", 3000.0, 2900.0), now=2000.0)
    assert file.load("old") is None
    assert file.load("new") is not None


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"[]",
        b'{"version": 99, "tokens": {}}',
        b'{"version": 1, "tokens": []}',
        b" " * (MAX_FILE_BYTES + 1),
    ],
)
def test_unreadable_content_is_ignored_and_replaced(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    file = TokenFile(tmp_path / "tokens.json")
    file.path.write_bytes(content)
    with caplog.at_level(logging.WARNING, "baidu_ocr"):
        assert file.load("k") is None
    assert "is not a token file of this version" in caplog.text
    file.store("k", StoredToken("24.t", 3000.0, 2900.0), now=1000.0)
    assert file.load("k") == StoredToken("24.t", 3000.0, 2900.0)


def test_malformed_entries_are_ignored(tmp_path: Path) -> None:
    file = TokenFile(tmp_path / "tokens.json")
    entries = {
        "a": {"access_token": "", "expires_at": 1, "renew_at": 1},
        "b": {"access_token": "t", "expires_at": "soon", "renew_at": 1},
        "c": {"access_token": "t", "expires_at": 1, "renew_at": 2},
        "d": "text",
    }
    file.path.write_text(json.dumps({"version": 1, "tokens": entries}))
    assert all(file.load(name) is None for name in entries)


def test_a_file_that_cannot_be_read_is_ignored(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    file = TokenFile(tmp_path / "tokens.json")
    file.path.mkdir()  # reading it fails with an OSError, as an unreadable file would
    with caplog.at_level(logging.WARNING, "baidu_ocr"):
        assert file.load("k") is None
    assert "cannot be read" in caplog.text
