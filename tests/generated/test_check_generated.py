"""``scripts/check_generated.py`` passes on the committed tree and fails, with a diff, on any drift or untyped code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "scripts" / "check_generated.py"
SPEC = ROOT / "openapi" / "baidu-ocr.yaml"
TEMPLATES = ROOT / "openapi" / "templates"


def _check(spec: Path, generated: Path, templates: Path = TEMPLATES) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(CHECK), "--spec", str(spec), "--generated", str(generated)]
    command += ["--templates", str(templates)]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)


@pytest.fixture(scope="module")
def committed_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("committed") / "generated"
    shutil.copytree(ROOT / "generated", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_committed_tree_matches_the_spec_and_type_checks(committed_copy: Path) -> None:
    result = _check(SPEC, committed_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passes mypy --strict" in result.stdout


def test_a_docs_change_reaches_every_generated_package_as_a_diff(tmp_path: Path, committed_copy: Path) -> None:
    text = SPEC.read_text(encoding="utf-8")
    changes = {
        # a new response field
        "        paragraphs_result_num:\n": "        table_result:\n          type: string\n",
        # a new boolean option of general_basic (the first `probability:` is general_basic's)
        "        probability:\n          type: boolean\n": (
            "        multidirectional_recognize:\n          type: boolean\n"
            "          description: Recognize text in several directions (default `false`).\n"
        ),
        # a new error code
        "  - {code: 282000,": (
            "  - {code: 216401, name: INTERNAL_TIMEOUT, message: internal timeout, category: server, retry: backoff,"
            " meaning: 内部超时}\n"
        ),
    }
    for anchor, addition in changes.items():
        assert anchor in text
        text = text.replace(anchor, addition + anchor, 1)
    spec = tmp_path / "baidu-ocr.yaml"
    spec.write_text(text, encoding="utf-8")

    result = _check(spec, committed_copy)

    assert result.returncode == 1
    diff = result.stdout
    assert "+    table_result" in diff
    assert "regenerated/baidu_ocr_client/models/ocr_result.py" in diff
    assert "+    multidirectional_recognize: bool | Unset = UNSET" in diff
    assert "regenerated/baidu_ocr_client/models/general_basic_request.py" in diff
    assert "+    multidirectional_recognize: bool\n" in diff  # GeneralBasicOptions
    assert '"multidirectional_recognize",' in diff  # OPTION_FIELDS and BOOLEAN_OPTIONS
    assert "regenerated/baidu_ocr_spec/options.py" in diff
    assert "+    INTERNAL_TIMEOUT = 216401" in diff
    assert "regenerated/baidu_ocr_models/models.py" in diff
    assert "nox -s generate" in result.stderr
    assert "mypy" not in result.stderr  # the changed packages still type-check


def test_hand_edit_of_generated_code_fails_with_a_diff(tmp_path: Path, committed_copy: Path) -> None:
    edited = tmp_path / "generated"
    shutil.copytree(committed_copy, edited)
    target = edited / "baidu_ocr_spec" / "errors.py"
    original = target.read_text(encoding="utf-8")
    assert '"QPS超限额"' in original
    target.write_text(original.replace('"QPS超限额"', '"hand edit"'), encoding="utf-8")
    (edited / "baidu_ocr_client" / "stray.py").write_text("x = 1\n", encoding="utf-8")

    result = _check(SPEC, edited)

    assert result.returncode == 1
    assert '"hand edit"' in result.stdout
    assert "QPS超限额" in result.stdout
    assert "generated/baidu_ocr_client/stray.py" in result.stdout


def test_a_template_producing_untyped_code_fails_mypy(tmp_path: Path, committed_copy: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    errors = templates / "errors.py.jinja"
    errors.write_text(errors.read_text(encoding="utf-8") + "\n\ndef untyped(value):\n    return value\n")

    result = _check(SPEC, committed_copy, templates)

    assert result.returncode == 1
    assert "baidu_ocr_client/errors.py" in result.stdout
    assert "no-untyped-def" in result.stdout
    assert "fail mypy --strict" in result.stderr
