"""``baidu-ocr cache info`` / ``cache clear``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from baidu_ocr._cache_command import cache_app
from baidu_ocr._result_cache import ENV_RESULT_CACHE_DIR, ResultCache, cache_key


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_RESULT_CACHE_DIR, str(tmp_path))
    return tmp_path


def test_info_and_clear(cache_dir: Path) -> None:
    runner = CliRunner()
    none = runner.invoke(cache_app, ["info"])
    assert none.exit_code == 0
    assert "entries:  0 (no cache yet)" in none.output
    assert not (cache_dir / "results.sqlite3").exists()  # looking creates nothing
    assert "nothing to clear" in runner.invoke(cache_app, ["clear"]).output
    with ResultCache() as cache:
        for index in range(3):
            cache.put(cache_key("general_basic", data=bytes([index])), {"log_id": index, "words_result": []})
    shown = runner.invoke(cache_app, ["info"])
    assert shown.exit_code == 0, shown.output
    assert f"path:     {cache_dir / 'results.sqlite3'}" in shown.output
    assert "entries:  3" in shown.output
    assert "(cap 256.0 MiB)" in shown.output
    assert "kept for: 30 days" in shown.output
    cleared = runner.invoke(cache_app, ["clear"])
    assert cleared.exit_code == 0
    assert cleared.output.startswith("cleared 3 cached results from ")
    assert "entries:  0" in runner.invoke(cache_app, ["info"]).output


def test_an_unusable_cache_exits_1(cache_dir: Path) -> None:
    (cache_dir / "results.sqlite3").mkdir()
    result = CliRunner().invoke(cache_app, ["info"])
    assert result.exit_code == 1
    assert "cannot open the result cache" in result.output
