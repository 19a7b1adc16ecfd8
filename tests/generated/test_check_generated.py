"""``scripts/check_generated.py`` passes on the committed tree and fails, with a diff, on any drift."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "scripts" / "check_generated.py"


def _check(spec: Path, generated: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(CHECK), "--spec", str(spec), "--generated", str(generated)]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)


@pytest.fixture(scope="module")
def committed_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("committed") / "generated"
    shutil.copytree(ROOT / "generated", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_committed_tree_matches_the_spec(committed_copy: Path) -> None:
    result = _check(ROOT / "openapi" / "baidu-ocr.yaml", committed_copy)
    assert result.returncode == 0, result.stdout + result.stderr


def test_changed_spec_fails_with_a_diff(tmp_path: Path, committed_copy: Path) -> None:
    spec = tmp_path / "baidu-ocr.yaml"
    text = (ROOT / "openapi" / "baidu-ocr.yaml").read_text(encoding="utf-8")
    anchor = "        paragraphs_result_num:\n"
    assert anchor in text
    spec.write_text(text.replace(anchor, "        table_result:\n          type: string\n" + anchor), encoding="utf-8")

    result = _check(spec, committed_copy)

    assert result.returncode == 1
    assert "+    table_result" in result.stdout
    assert "regenerated/baidu_ocr_client/models/ocr_result.py" in result.stdout
    assert "nox -s generate" in result.stderr


def test_hand_edit_of_generated_code_fails_with_a_diff(tmp_path: Path, committed_copy: Path) -> None:
    edited = tmp_path / "generated"
    shutil.copytree(committed_copy, edited)
    target = edited / "baidu_ocr_spec" / "__init__.py"
    target.write_text(target.read_text(encoding="utf-8").replace('"QPS超限额"', '"hand edit"'), encoding="utf-8")
    (edited / "baidu_ocr_client" / "stray.py").write_text("x = 1\n", encoding="utf-8")

    result = _check(ROOT / "openapi" / "baidu-ocr.yaml", edited)

    assert result.returncode == 1
    assert '-    18: ErrorCode(18, "Open api qps request limit reached", "hand edit"' in result.stdout or (
        '"hand edit"' in result.stdout and "QPS超限额" in result.stdout
    )
    assert "generated/baidu_ocr_client/stray.py" in result.stdout
