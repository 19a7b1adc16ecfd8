"""Sessions: tests, lint, typecheck, docs, generate, check_generated. ``nox`` alone runs what CI runs."""

from __future__ import annotations

import tomllib
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["lint", "check_generated", "typecheck", "docs", "tests"]
nox.options.error_on_missing_interpreters = True

PYTHON = "3.11"
HAND_WRITTEN = ["common", "wrapper", "server", "testkit", "scripts", "tests", "examples", "noxfile.py"]


@nox.session(python=PYTHON, tags=["ci"])
def tests(session: nox.Session) -> None:
    """Run the whole test suite (unit, real local servers, end to end)."""
    session.install("-e", ".[dev]")
    session.run("python", "scripts/ensure_fonts.py")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON, tags=["ci"])
def lint(session: nox.Session) -> None:
    """Ruff lint and format check on the hand-written code (generated/ is excluded), and the import layers
    (import-linter contracts in pyproject.toml: generated <- wrapper, generated <- server, no SDK <-> service)."""
    session.install("ruff==0.17.5", "import-linter==2.16")
    session.install("--no-deps", "-e", ".")
    session.run("ruff", "check", *HAND_WRITTEN)
    session.run("ruff", "format", "--check", *HAND_WRITTEN)
    session.run("lint-imports")


@nox.session(python=PYTHON, tags=["ci"])
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the hand-written code (tests included, with the typing test of the public API) and on the
    generated packages."""
    session.install("-e", ".[dev]")
    hand_written = [
        "common/baidu_ocr_formats",
        "wrapper/baidu_ocr",
        "server/baidu_ocr_server",
        "testkit/baidu_ocr_testing",
        "scripts",
        "examples",
    ]
    session.run("mypy", *hand_written)
    session.run("mypy", "-p", "baidu_ocr_client", "-p", "baidu_ocr_models", "-p", "baidu_ocr_spec")
    # The tests import their helpers by file name (as pytest puts their folders on sys.path); two runs, because
    # tests/ and tests/server/ each have a conftest.py.
    suites = [
        "tests/wrapper",
        "tests/e2e",
        "tests/generated",
        "tests/typing",
        "tests/testkit",
        *map(str, Path("tests").glob("*.py")),
    ]
    session.run("mypy", *suites, env={"MYPYPATH": "tests:tests/wrapper"})
    session.run("mypy", "tests/server", env={"MYPYPATH": "tests:tests/server"})


def _extra(name: str) -> list[str]:
    """The requirements of one optional-dependency group of pyproject.toml (pins said once, there)."""
    project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project["optional-dependencies"][name])


@nox.session(python=PYTHON, tags=["ci"])
def docs(session: nox.Session) -> None:
    """Build the documentation site with ``mkdocs build --strict`` (a broken reference or link fails), into a
    temporary folder (``nox -s docs -- --site-dir site`` to keep it)."""
    session.install(*_extra("docs"))
    site = session.posargs or ["--site-dir", str(Path(session.create_tmp()) / "site")]
    session.run("mkdocs", "build", "--strict", *site, env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from openapi/baidu-ocr.yaml with the pinned generators, and the sync client from the
    async one."""
    session.install("-r", "scripts/generators.txt")
    session.run("python", "scripts/generate.py")
    session.run("python", "scripts/unasync.py")


@nox.session(python=PYTHON, tags=["ci"])
def check_generated(session: nox.Session) -> None:
    """Fail with a diff when generated/ is not what the spec and templates produce (spec changed, or generated/
    edited), or when the regenerated packages fail mypy --strict (a template producing untyped code)."""
    session.install("-r", "scripts/generators.txt")
    session.run("openapi-spec-validator", "openapi/baidu-ocr.yaml")
    session.run("python", "scripts/check_generated.py")
    session.run("python", "scripts/unasync.py", "--check")
