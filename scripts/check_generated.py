"""Fail, with a readable diff, when ``generated/`` is not exactly what the spec produces; fail when it is untyped.

Regenerates into a temporary directory and compares every file both ways, so a changed spec, a hand edit of a
generated file, or a stray or missing file all show up. Then runs ``mypy --strict`` on the regenerated packages
(as openapi-python-client's own end-to-end test does), so a template that produces untyped code fails too.
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from generate import GENERATED, SPEC, TEMPLATES, generate

IGNORED_PARTS = frozenset({"__pycache__", ".ruff_cache", ".mypy_cache"})
PACKAGES = ("baidu_ocr_client", "baidu_ocr_models", "baidu_ocr_spec")


def _files(root: Path) -> dict[str, Path]:
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and not IGNORED_PARTS.intersection(path.parts)
    }


def _read(path: Path | None) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True) if path else []


def diff_trees(expected_root: Path, actual_root: Path) -> list[str]:
    """Unified diff lines that turn ``actual_root`` (committed) into ``expected_root`` (regenerated)."""
    expected, actual = _files(expected_root), _files(actual_root)
    lines: list[str] = []
    for name in sorted(expected.keys() | actual.keys()):
        before, after = _read(actual.get(name)), _read(expected.get(name))
        if before != after:
            lines.extend(difflib.unified_diff(before, after, f"generated/{name}", f"regenerated/{name}"))
    return lines


def type_check(root: Path, scratch: Path) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` on the packages under ``root``, with no project configuration (``scratch``: its files)."""
    config = scratch / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    packages = [argument for package in PACKAGES for argument in ("-p", package)]
    command = [
        sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--config-file", str(config),
        "--cache-dir", str(scratch / "mypy-cache"), *packages,
    ]  # fmt: skip
    env = {**os.environ, "MYPYPATH": str(root)}
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--templates", type=Path, default=TEMPLATES)
    parser.add_argument("--generated", type=Path, default=GENERATED)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "generated"
        generate(args.spec.resolve(), fresh, templates=args.templates.resolve())
        lines = diff_trees(fresh, args.generated.resolve())
        typed = type_check(fresh, Path(scratch))
    failed = False
    if lines:
        sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in lines)
        print(
            "\ngenerated/ is out of sync with the spec: run `nox -s generate` and commit the result.", file=sys.stderr
        )
        failed = True
    if typed.returncode != 0:
        sys.stdout.write(typed.stdout + typed.stderr)
        print("\nthe regenerated packages fail mypy --strict: fix the templates in openapi/templates.", file=sys.stderr)
        failed = True
    if failed:
        return 1
    print("generated/ matches openapi/baidu-ocr.yaml and passes mypy --strict")
    return 0


if __name__ == "__main__":
    sys.exit(main())
