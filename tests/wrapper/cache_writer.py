"""A process that writes to a shared result cache (the target of the multi-process cache test)."""

from __future__ import annotations

from pathlib import Path

from baidu_ocr._result_cache import ResultCache, cache_key


def result_for(name: str) -> dict[str, object]:
    return {"log_id": 1, "words_result_num": 1, "words_result": [{"words": f"text of {name} 文字"}]}


def write_entries(path: str, prefix: str, count: int, shared: int, max_bytes: int) -> int:
    """Store ``count`` entries of its own and ``shared`` entries every writer stores; returns how many were stored."""
    stored = 0
    with ResultCache(Path(path), max_bytes=max_bytes) as cache:
        for index in range(count):
            name = f"{prefix}-{index}"
            stored += cache.put(cache_key("general_basic", data=name.encode()), result_for(name))
            if index < shared:
                common = f"shared-{index}"
                stored += cache.put(cache_key("general_basic", data=common.encode()), result_for(common))
    return stored
