"""Write the sync client (``wrapper/baidu_ocr/_client.py``) from the async one (``_async_client.py``).

The async client is the one source of both: this script renames each async construct and name to its sync twin
(``async def`` → ``def``, ``await x`` → ``x``, ``AsyncOCR`` → ``OCR``, ``asyncio_detailed`` → ``sync_detailed``,
``AsyncOrderedPool`` → ``OrderedPool``, …) and formats the result with the pinned ruff. ``--check`` fails with a
diff when the committed sync client is not what the async one produces (run by ``nox -s check_generated``).
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "wrapper" / "baidu_ocr" / "_async_client.py"
TARGET = ROOT / "wrapper" / "baidu_ocr" / "_client.py"

SYNTAX = (
    (r"\basync def ", "def "),
    (r"\bawait ", ""),
    (r"\basync for ", "for "),
    (r"\basync with ", "with "),
)
NAMES = {
    "AsyncOCR": "OCR",
    "AsyncIterator": "Iterator",
    "AsyncIterable": "Iterable",
    "AsyncOrderedPool": "OrderedPool",
    "AsyncBaseTransport": "BaseTransport",
    "AsyncClient": "Client",
    "StopAsyncIteration": "StopIteration",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "aclose": "close",
    "asyncio_detailed": "sync_detailed",
    "get_async_httpx_client": "get_httpx_client",
    "arun_blocking": "run_blocking",
    "asleep": "sleep",
    "atime_limit": "time_limit",
    "atoken": "token",
    "await_turn": "wait_turn",
    "bound_async_response": "bound_response",
}
TEXT = {
    '"""The asyncio client, and the one source of the sync client: ``scripts/unasync.py`` writes ``_client.py`` from\n'
    'this file (``nox -s check_generated`` fails when the two differ). Edit this file, never ``_client.py``."""': (
        '"""The synchronous client. Generated from ``_async_client.py`` by ``scripts/unasync.py``: do not edit this\n'
        'file; edit the async client and run ``python scripts/unasync.py``."""'
    ),
    "Baidu OCR general text recognition for asyncio: ``await`` every call; use one instance for many calls.": (
        "Baidu OCR general text recognition, synchronous. Thread-safe; use one instance for many calls."
    ),
}


def unasync(text: str) -> str:
    """The sync twin of the async client's source (before formatting)."""
    for old, new in TEXT.items():
        if old not in text:
            raise SystemExit(f"unasync: the async client no longer contains {old[:60]!r}…; update scripts/unasync.py")
        text = text.replace(old, new)
    for pattern, replacement in SYNTAX:
        text = re.sub(pattern, replacement, text)
    names = re.compile(r"\b(" + "|".join(map(re.escape, NAMES)) + r")\b")
    return names.sub(lambda match: NAMES[match.group(1)], text)


def _formatted(text: str) -> str:
    """``text`` with imports sorted and formatted by the pinned ruff, under the project's settings."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / TARGET.name
        path.write_text(text, encoding="utf-8")
        config = str(ROOT / "pyproject.toml")
        ruff = [sys.executable, "-m", "ruff"]
        subprocess.run(
            [*ruff, "check", "--config", config, "--select", "I,F401", "--fix-only", "--quiet", str(path)], check=True
        )
        subprocess.run([*ruff, "format", "--config", config, "--quiet", str(path)], check=True)
        return path.read_text(encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail with a diff instead of writing")
    args = parser.parse_args()
    expected = _formatted(unasync(SOURCE.read_text(encoding="utf-8")))
    if not args.check:
        TARGET.write_text(expected, encoding="utf-8")
        return
    actual = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if actual != expected:
        diff = difflib.unified_diff(actual.splitlines(True), expected.splitlines(True), str(TARGET), "expected")
        sys.stdout.writelines(diff)
        raise SystemExit(f"{TARGET.relative_to(ROOT)} is not what scripts/unasync.py makes of {SOURCE.name}")


if __name__ == "__main__":
    main()
