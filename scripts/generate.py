"""Regenerate everything under ``generated/`` from ``openapi/baidu-ocr.yaml``.

Three products, each from the same spec:

* ``baidu_ocr_client``: the low-level httpx client and attrs models (openapi-python-client);
* ``baidu_ocr_models``: pydantic v2 models for the local service (datamodel-code-generator);
* ``baidu_ocr_spec``: what the spec says as tables (error codes, per-endpoint limits and options), typed Python;

plus ``GENERATED.json``, the record of what produced them. Run through ``nox -s generate``, which installs the
pinned generator versions; ``scripts/check_generated.py`` calls :func:`generate` into a temporary directory.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from render_tables import render_tables

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "baidu-ocr.yaml"
CLIENT_CONFIG = ROOT / "openapi" / "openapi-python-client.yaml"
TEMPLATES = ROOT / "openapi" / "templates"
EXTRA_MODULES = {"form.py": "form.py.jinja"}
"""Modules of ``baidu_ocr_client`` the generator has no template for: written from these files of TEMPLATES."""
GENERATED = ROOT / "generated"

GENERATORS = ("openapi-python-client", "datamodel-code-generator", "ruff")
DATAMODEL_OPTIONS = (
    "--input-file-type", "openapi",
    "--output-model-type", "pydantic_v2.BaseModel",
    "--target-python-version", "3.11",
    "--disable-timestamp",
    "--extra-fields", "allow",
    "--collapse-root-models",
    "--use-annotated",
    "--field-constraints",
    "--use-standard-collections",
    "--use-union-operator",
    "--use-schema-description",
    "--use-field-description",
    "--enum-field-as-literal", "one",
    "--formatters", "builtin",
)  # fmt: skip
MODELS_INIT = '"""Pydantic v2 models generated from openapi/baidu-ocr.yaml. Do not edit: run ``nox -s generate``."""\n'


def _run(*command: str, cwd: Path | None = None) -> None:
    # The generators' post hooks call `ruff` by name: make it the pinned one installed beside this Python.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    subprocess.run(command, check=True, cwd=cwd, env={**os.environ, "PATH": path})


def _format(package: Path) -> None:
    """Format with the pinned ruff and no project config, so the output does not depend on the machine."""
    _run(sys.executable, "-m", "ruff", "format", "--isolated", "--quiet", "--no-cache", str(package))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree_sha256(root: Path) -> str:
    """One hash over every file under ``root``: names and contents, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _generate_client(spec: Path, out: Path, templates: Path) -> None:
    target = out / "baidu_ocr_client"
    with tempfile.TemporaryDirectory() as scratch:
        scratch_target = Path(scratch) / "baidu_ocr_client"
        _run(
            sys.executable, "-m", "openapi_python_client", "generate",
            "--path", str(spec),
            "--config", str(CLIENT_CONFIG),
            "--meta", "none",
            "--custom-template-path", str(templates),
            "--fail-on-warning",
            "--output-path", str(scratch_target),
        )  # fmt: skip
        for module, template in EXTRA_MODULES.items():
            shutil.copyfile(templates / template, scratch_target / module)
        _format(scratch_target)
        shutil.rmtree(scratch_target / ".ruff_cache", ignore_errors=True)
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(scratch_target, target)


def _generate_models(spec: Path, out: Path) -> None:
    package = out / "baidu_ocr_models"
    shutil.rmtree(package, ignore_errors=True)
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(MODELS_INIT, encoding="utf-8")
    (package / "py.typed").write_text("", encoding="utf-8")
    models = package / "models.py"
    _run(sys.executable, "-m", "datamodel_code_generator", "--input", str(spec), "--output", str(models),
         *DATAMODEL_OPTIONS)  # fmt: skip
    _format(package)


def _generate_tables(spec: Path, out: Path) -> None:
    package = out / "baidu_ocr_spec"
    shutil.rmtree(package, ignore_errors=True)
    package.mkdir(parents=True)
    for module, text in render_tables(spec).items():
        (package / module).write_text(text, encoding="utf-8")
    (package / "py.typed").write_text("", encoding="utf-8")
    _format(package)


def _write_record(spec: Path, out: Path, templates: Path) -> None:
    record = {
        "spec": "openapi/baidu-ocr.yaml",
        "spec_sha256": _sha256(spec),
        "client_config_sha256": _sha256(CLIENT_CONFIG),
        "client_templates": "openapi/templates",
        "client_templates_sha256": _tree_sha256(templates),
        "client_options": ["--meta", "none", "--custom-template-path", "openapi/templates", "--fail-on-warning"],
        "generators": {name: importlib.metadata.version(name) for name in GENERATORS},
        "datamodel_code_generator_options": list(DATAMODEL_OPTIONS),
        "command": "nox -s generate",
    }
    (out / "GENERATED.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def generate(spec: Path = SPEC, out: Path = GENERATED, *, templates: Path = TEMPLATES) -> None:
    """Write every generated package for ``spec`` into ``out`` (the client shaped by ``templates``)."""
    out.mkdir(parents=True, exist_ok=True)
    _generate_client(spec, out, templates)
    _generate_models(spec, out)
    _generate_tables(spec, out)
    _write_record(spec, out, templates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--out", type=Path, default=GENERATED)
    args = parser.parse_args()
    generate(args.spec.resolve(), args.out.resolve())


if __name__ == "__main__":
    main()
