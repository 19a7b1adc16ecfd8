"""Shared fixtures."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from responder import Responder, serve

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def responder() -> Iterator[Responder]:
    """A real HTTP server on 127.0.0.1 with scripted answers."""
    with serve() as running:
        yield running


@pytest.fixture(autouse=True)
def private_result_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's result cache (the command line uses it for runs of several items)."""
    monkeypatch.setenv("BAIDU_OCR_RESULT_CACHE_DIR", str(tmp_path_factory.mktemp("result-cache")))
