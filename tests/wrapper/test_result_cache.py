"""The content-keyed result cache: keys, storage, limits, location, and two processes writing at once."""

from __future__ import annotations

import contextlib
import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from cache_writer import result_for, write_entries

from baidu_ocr import ConfigurationError
from baidu_ocr._result_cache import (
    ENV_RESULT_CACHE_DIR,
    ResultCache,
    cache_key,
    cache_scope,
    default_cache_path,
    input_identity,
)

IMAGE = b"\x89PNG fake image bytes"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_the_key_covers_input_endpoint_options_page_and_service() -> None:
    base = cache_key("general_basic", data=IMAGE, options={"detect_direction": True, "language_type": "ENG"})
    same = [
        cache_key("general_basic", data=IMAGE, options={"language_type": "ENG", "detect_direction": True}),
        cache_key("general_basic", data=IMAGE, options=[("language_type", "ENG"), ("detect_direction", "true")]),
        cache_key("general_basic", data=bytes(IMAGE), options={"detect_direction": True, "language_type": "ENG"}),
    ]
    different = [
        cache_key("accurate_basic", data=IMAGE, options={"detect_direction": True, "language_type": "ENG"}),
        cache_key("general_basic", data=IMAGE + b"!", options={"detect_direction": True, "language_type": "ENG"}),
        cache_key("general_basic", data=IMAGE, options={"detect_direction": False, "language_type": "ENG"}),
        cache_key("general_basic", data=IMAGE, options={"language_type": "ENG"}),
        cache_key("general_basic", data=IMAGE, options={"detect_direction": True, "language_type": "ENG"}, page=1),
        cache_key(
            "general_basic",
            data=IMAGE,
            options={"detect_direction": True, "language_type": "ENG"},
            service="http://127.0.0.1:8282",
        ),
        cache_key("general_basic", url="https://example.com/a.png", options={"detect_direction": True}),
    ]
    assert all(key == base for key in same)
    assert len({base, *different}) == len(different) + 1
    assert cache_key("general_basic", url="http://x/a.png", service="http://h/") == cache_key(
        "general_basic", url="http://x/a.png", service="http://h"
    )
    assert cache_key("general_basic", data=IMAGE, page=2) == cache_key(
        "general_basic", input_id=input_identity(data=IMAGE), page=2
    )
    assert input_identity(url="http://x/a.png") == "url:http://x/a.png"
    assert input_identity(data=b"") == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    with pytest.raises(ValueError, match="exactly one"):
        cache_key("general_basic")
    with pytest.raises(ValueError, match="exactly one"):
        cache_key("general_basic", data=b"x", url="http://x")
    with pytest.raises(ValueError, match="exactly one"):
        cache_key("general_basic", data=b"x", input_id="sha256:00")


def test_the_service_scope_is_the_base_url_unless_the_cache_names_one(tmp_path: Path) -> None:
    assert cache_scope("https://aip.baidubce.com/") == "https://aip.baidubce.com"
    with ResultCache(tmp_path / "a.sqlite3") as plain, ResultCache(tmp_path / "b.sqlite3", scope="local") as named:
        assert cache_scope("http://127.0.0.1:8282", plain) == "http://127.0.0.1:8282"
        assert cache_scope("http://127.0.0.1:40123", named) == "local"


def test_stored_results_come_back_equal(tmp_path: Path) -> None:
    result = {"log_id": 7, "words_result_num": 1, "words_result": [{"words": "青島 TSINGTAO"}], "extra": [1.5, None]}
    with ResultCache(tmp_path / "c.sqlite3") as cache:
        key = cache_key("general_basic", data=IMAGE)
        assert cache.get(key) is None
        assert key not in cache
        assert cache.put(key, result)
        assert cache.get(key) == result
        assert key in cache
    with ResultCache(tmp_path / "c.sqlite3") as reopened:  # and across processes / runs
        assert reopened.get(key) == result


def test_errors_are_never_stored(tmp_path: Path) -> None:
    with ResultCache(tmp_path / "c.sqlite3") as cache:
        key = cache_key("general_basic", data=IMAGE)
        assert not cache.put(key, {"error_code": 18, "error_msg": "Open api qps request limit reached"})
        assert cache.get(key) is None
        assert cache.stats().entries == 0


def test_old_entries_are_not_returned_and_are_dropped(tmp_path: Path) -> None:
    clock = Clock()
    with ResultCache(tmp_path / "c.sqlite3", max_age=3600, clock=clock) as cache:
        old = cache_key("general_basic", data=b"old")
        cache.put(old, result_for("old"))
        clock.now += 1800
        assert cache.get(old) == result_for("old")
        clock.now += 1801
        assert cache.get(old) is None
        assert cache.stats().entries == 1  # still on disk until the next write
        cache.put(cache_key("general_basic", data=b"new"), result_for("new"))
        assert cache.stats().entries == 1


def test_the_size_cap_drops_the_oldest_first(tmp_path: Path) -> None:
    clock = Clock()
    entry_size = len(
        b'{"log_id":1,"words_result_num":1,"words_result":[{"words":"text of item-00 \xe6\x96\x87\xe5\xad\x97"}]}'
    )
    with ResultCache(tmp_path / "c.sqlite3", max_bytes=10 * entry_size, clock=clock) as cache:
        keys = []
        for index in range(25):
            clock.now += 1
            keys.append(cache_key("general_basic", data=f"item-{index:02d}".encode()))
            cache.put(keys[-1], result_for(f"item-{index:02d}"))
        stats = cache.stats()
        assert stats.entries == 10
        assert stats.stored_bytes == 10 * entry_size
        assert [cache.get(key) is not None for key in keys] == [False] * 15 + [True] * 10
        assert not cache.put(cache_key("general_basic", data=b"huge"), {"words": "x" * 11 * entry_size})


def test_stats_and_clear(tmp_path: Path) -> None:
    clock = Clock()
    with ResultCache(tmp_path / "c.sqlite3", clock=clock) as cache:
        empty = cache.stats()
        assert (empty.entries, empty.stored_bytes, empty.oldest, empty.newest) == (0, 0, None, None)
        for index in range(3):
            clock.now += 10
            cache.put(cache_key("general_basic", data=bytes([index])), result_for(str(index)))
        stats = cache.stats()
        assert stats.entries == 3
        assert stats.oldest == clock.now - 20
        assert stats.newest == clock.now
        assert stats.stored_bytes > 0
        assert stats.file_bytes > 0
        assert stats.path == tmp_path / "c.sqlite3"
        assert cache.clear() == 3
        assert cache.stats().entries == 0
        assert cache.stats().stored_bytes == 0
    assert "c.sqlite3" in repr(cache)
    with pytest.raises(ConfigurationError, match="closed"):
        cache.get("x")


def test_the_location_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_RESULT_CACHE_DIR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_path() == tmp_path / "xdg" / "baidu-ocr" / "results.sqlite3"
    monkeypatch.setenv(ENV_RESULT_CACHE_DIR, str(tmp_path / "mine"))
    assert default_cache_path() == tmp_path / "mine" / "results.sqlite3"
    with ResultCache() as cache:
        assert cache.path == tmp_path / "mine" / "results.sqlite3"
        assert cache.path.exists()


def test_bad_settings_and_places(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="positive"):
        ResultCache(tmp_path / "c.sqlite3", max_bytes=0)
    (tmp_path / "a-directory").mkdir()
    with pytest.raises(ConfigurationError, match="cannot open the result cache"):
        ResultCache(tmp_path / "a-directory")


@pytest.mark.parametrize("max_bytes", [1 << 30, 4000], ids=["no-eviction", "evicting"])
def test_two_processes_write_at_once_without_corruption(tmp_path: Path, max_bytes: int) -> None:
    path = tmp_path / "shared.sqlite3"
    count, shared = 150, 50
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        pending = [pool.apply_async(write_entries, (str(path), prefix, count, shared, max_bytes)) for prefix in "ab"]
        stored = [job.get(timeout=120) for job in pending]
    assert stored == [count + shared, count + shared]
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (total,) = db.execute("SELECT bytes FROM totals").fetchone()
        (summed,) = db.execute("SELECT COALESCE(SUM(size), 0) FROM results").fetchone()
        (entries,) = db.execute("SELECT COUNT(*) FROM results").fetchone()
    assert total == summed  # the running total kept by triggers agrees with the rows
    with ResultCache(path, max_bytes=max_bytes) as cache:
        if max_bytes > 1 << 20:
            assert entries == 2 * count + shared
            for name in [*(f"{p}-{i}" for p in "ab" for i in range(count)), *(f"shared-{i}" for i in range(shared))]:
                assert cache.get(cache_key("general_basic", data=name.encode())) == result_for(name)
        else:
            assert total <= max_bytes
            assert 0 < entries < 2 * count + shared
