"""The README walk-through, executed: every ```python block preceded by a ``<!-- readme: run -->`` line runs against
the local service, in a temporary folder holding the sample files the snippets name (``receipt.jpg``,
``report.pdf``, ``a.png``, ``b.png``), with the ``BAIDU_OCR_*`` environment pointing at the service.

``<!-- readme: run, expect "TEXT" -->`` also checks that the snippet printed TEXT. The README's address of a
service started with ``baidu-ocr serve`` (``http://127.0.0.1:8282``) is replaced by the test service's address.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from imaging import render_pdf, render_text_image

from baidu_ocr_server.embedded import LocalService

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parent.parent / "README.md"
SERVE_URL = "http://127.0.0.1:8282"
_MARK = re.compile(r'^<!-- readme: run(?:, expect "(?P<expect>[^"]+)")? -->$')
RECEIPT = ["Coffee shop receipt", "Total 42.50", "Thank you"]


@dataclass(frozen=True)
class Snippet:
    line: int
    code: str
    expect: str | None


def readme_snippets(text: str) -> list[Snippet]:
    """The marked ```python blocks of a README, in order; a mark not followed by a python block is an error."""
    lines = text.splitlines()
    snippets = []
    for index, line in enumerate(lines):
        mark = _MARK.match(line.strip())
        if mark is None:
            continue
        if index + 1 >= len(lines) or lines[index + 1].strip() != "```python":
            raise ValueError(f"README.md:{index + 1}: a readme mark must be followed by a ```python block")
        end = lines.index("```", index + 2)
        snippets.append(Snippet(index + 3, "\n".join(lines[index + 2 : end]) + "\n", mark["expect"]))
    return snippets


SNIPPETS = readme_snippets(README.read_text(encoding="utf-8"))


def test_the_readme_has_runnable_snippets() -> None:
    assert len(SNIPPETS) >= 5
    with pytest.raises(ValueError, match="must be followed by a ```python block"):
        readme_snippets("<!-- readme: run -->\n```bash\nls\n```\n")


@pytest.fixture(scope="module")
def service() -> Iterator[LocalService]:
    with LocalService(wait_for_engine=True) as running:
        yield running


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, service: LocalService) -> Path:
    (tmp_path / "receipt.jpg").write_bytes(render_text_image(RECEIPT, fmt="JPEG"))
    (tmp_path / "report.pdf").write_bytes(render_pdf([["First page"], ["Second page"], ["Third page"]]))
    (tmp_path / "a.png").write_bytes(render_text_image(["Alpha"]))
    (tmp_path / "b.png").write_bytes(render_text_image(["Bravo"]))
    monkeypatch.chdir(tmp_path)
    proxies = ("http_proxy", "https_proxy", "all_proxy")  # the snippets' clients must reach 127.0.0.1 directly
    for name in [name for name in os.environ if name.startswith("BAIDU_OCR_") or name.lower() in proxies]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("BAIDU_OCR_BASE_URL", service.base_url)
    monkeypatch.setenv("BAIDU_OCR_API_KEY", service.api_key)
    monkeypatch.setenv("BAIDU_OCR_SECRET_KEY", service.secret_key)
    return tmp_path


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[f"README.md:{s.line}" for s in SNIPPETS])
def test_readme_snippet(snippet: Snippet, workdir: Path, service: LocalService) -> None:
    code = snippet.code.replace(SERVE_URL, service.base_url)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, f"README.md:{snippet.line}", "exec"), {"__name__": "__readme__"})
    if snippet.expect is not None:
        assert snippet.expect in printed.getvalue(), printed.getvalue()
