"""Render what the spec says as typed Python tables (``generated/baidu_ocr_spec``).

Three modules and a package ``__init__`` re-exporting them:

* ``errors``: ``x-baidu-error-codes`` as the ``ErrorCode`` enum, the ``ERROR_CODES`` rows and the code sets each
  ``retry`` policy selects;
* ``limits``: each OCR operation's ``x-baidu-limits``, its ``language_type`` values and form fields;
* ``options``: each OCR operation's options (its request schema's fields minus ``x-baidu-inputs``): kind, choices,
  one-sentence description, and a ``TypedDict`` per operation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["render_tables"]

CATEGORIES = ("quota", "rate_limit", "auth", "permission", "invalid_parameter", "image", "url", "server")
RETRIES = ("never", "backoff", "refresh_token", "once")
RETRY_SETS = {
    "REFRESH_TOKEN_CODES": ("refresh_token", "drop the token, fetch a new one, replay the request once"),
    "BACKOFF_CODES": ("backoff", "retry with bounded exponential backoff and jitter"),
    "RETRY_ONCE_CODES": ("once", "may be retried a single time"),
}
FORM = "application/x-www-form-urlencoded"
CLIENT_MODELS = "baidu_ocr_client.models"
NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
DO_NOT_EDIT = "Generated from openapi/baidu-ocr.yaml by scripts/render_tables.py. Do not edit: run ``nox -s generate``."

ERRORS_HEADER = f'''"""Baidu's error codes, from the spec's ``x-baidu-error-codes``.

{DO_NOT_EDIT}
"""

import enum
from typing import Final, Literal, NamedTuple

__all__ = [
    "BACKOFF_CODES",
    "ERROR_CODES",
    "REFRESH_TOKEN_CODES",
    "RETRY_ONCE_CODES",
    "Category",
    "ErrorCode",
    "ErrorCodeInfo",
    "Retry",
]

Category = Literal[{{categories}}]
"""Which exception branch a client raises for a code."""
Retry = Literal[{{retries}}]
"""never; backoff: bounded exponential backoff; refresh_token: new token, replay once; once: a single retry."""


class ErrorCodeInfo(NamedTuple):
    """One row of Baidu's error-code table."""

    code: int
    name: str
    """The ``ErrorCode`` member's name."""
    message: str
    """Baidu's ``error_msg``."""
    meaning: str
    """Baidu's explanation (Chinese)."""
    category: Category
    retry: Retry

'''

LIMITS_HEADER = f'''"""What each OCR operation accepts: ``x-baidu-limits``, ``language_type`` values, form fields.

{DO_NOT_EDIT}
"""

from typing import Final, NamedTuple

__all__ = ["LIMITS", "EndpointLimits"]


class EndpointLimits(NamedTuple):
    """What one OCR endpoint accepts."""

    path: str
    max_encoded_bytes: int
    min_side_px: int
    max_side_px: int
    max_url_bytes: int
    image_formats: tuple[str, ...]
    language_types: tuple[str, ...]
    form_fields: tuple[str, ...]

'''

OPTIONS_HEADER = f'''"""The options of each OCR operation: its request schema's fields except ``x-baidu-inputs``.

``OPTION_FIELDS`` drives keyword arguments, CLI flags and the service's parsing; the ``TypedDict`` per operation
types the options a caller passes. A field added to a request schema appears here after regeneration.

{DO_NOT_EDIT}
"""

from typing import Final, Literal, NamedTuple, TypedDict

{{imports}}

__all__ = [{{all_names}}]


class OptionField(NamedTuple):
    """One option of an OCR operation."""

    name: str
    """The form field's name."""
    kind: Literal["boolean", "enum", "string", "integer"]
    """``boolean``: sent as ``true`` / ``false``; ``enum``: one of ``choices``."""
    choices: tuple[str, ...]
    """The allowed values of an ``enum`` option, else ``()``."""
    description: str
    """The first sentence of the spec's description (for help texts)."""

'''

PACKAGE_INIT = f'''"""What openapi/baidu-ocr.yaml says, as tables: error codes, per-endpoint limits and options.

{DO_NOT_EDIT}
"""

from .errors import {{errors}}
from .limits import {{limits}}
from .options import {{options}}

__all__ = [{{all_names}}]
'''


@dataclass(frozen=True)
class _Option:
    name: str
    kind: str
    choices: tuple[str, ...]
    description: str
    enum_class: str | None


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _ocr_operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """``(path, operation)`` of every operation with ``x-baidu-limits``, in spec order."""
    return [
        (path, operation)
        for path, item in spec["paths"].items()
        for operation in item.values()
        if isinstance(operation, dict) and "x-baidu-limits" in operation
    ]


def _form_properties(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    body = operation["requestBody"]["content"][FORM]["schema"]
    properties: dict[str, Any] = _resolve(spec, body)["properties"]
    return properties


def _first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    match = re.search(r"\.(\s|$)", flat)
    return flat[: match.start() + 1] if match else flat


def _option(spec: dict[str, Any], name: str, node: dict[str, Any]) -> _Option:
    schema = _resolve(spec, node)
    description = _first_sentence(str(node.get("description") or schema.get("description") or ""))
    enum_class = node["$ref"].rsplit("/", 1)[-1] if "$ref" in node else None
    kind = schema.get("type")
    if "enum" in schema:
        if enum_class is None:
            raise ValueError(f"option {name}: an enum option must be a $ref to a named schema (its client enum)")
        return _Option(name, "enum", tuple(str(value) for value in schema["enum"]), description, enum_class)
    if kind in ("boolean", "string", "integer"):
        return _Option(name, kind, (), description, None)
    raise ValueError(f"option {name}: type {kind!r} is not an option kind (boolean, enum, string, integer)")


def _options(spec: dict[str, Any]) -> dict[str, list[_Option]]:
    options = {}
    for _path, operation in _ocr_operations(spec):
        inputs = set(operation.get("x-baidu-inputs", ()))
        properties = _form_properties(spec, operation)
        if not inputs <= set(properties):
            raise ValueError(f"{operation['operationId']}: x-baidu-inputs names fields the request does not have")
        options[operation["operationId"]] = [
            _option(spec, name, node) for name, node in properties.items() if name not in inputs
        ]
    return options


def _inputs(spec: dict[str, Any]) -> list[str]:
    names: dict[str, None] = {}
    for _path, operation in _ocr_operations(spec):
        names.update(dict.fromkeys(operation.get("x-baidu-inputs", ())))
    return sorted(names)


def _render_errors(spec: dict[str, Any]) -> str:
    members, rows = [], []
    sets: dict[str, list[str]] = {name: [] for name in RETRY_SETS}
    seen: set[str] = set()
    for entry in spec["x-baidu-error-codes"]:
        code, name = int(entry["code"]), str(entry["name"])
        if entry["category"] not in CATEGORIES or entry["retry"] not in RETRIES:
            raise ValueError(f"error code {code}: unknown category or retry")
        if not NAME.match(name) or name in seen:
            raise ValueError(f"error code {code}: name {name!r} is not a new UPPER_SNAKE name")
        seen.add(name)
        members.append(f"    {name} = {code}\n    {_docstring(str(entry['message']))}")
        row = (code, name, str(entry["message"]), str(entry["meaning"]), entry["category"], entry["retry"])
        rows.append(f"    ErrorCode.{name}: ErrorCodeInfo{row!r},")
        for set_name, (retry, _) in RETRY_SETS.items():
            if entry["retry"] == retry:
                sets[set_name].append(f"ErrorCode.{name}")
    parts = [
        ERRORS_HEADER.format(
            categories=", ".join(repr(c) for c in CATEGORIES), retries=", ".join(repr(r) for r in RETRIES)
        ),
        "",
        "class ErrorCode(enum.IntEnum):",
        '    """Every documented error code, by the name of the spec\'s ``name`` column."""',
        "",
        "\n".join(members),
        "",
        "",
        "ERROR_CODES: Final[dict[int, ErrorCodeInfo]] = {",
        *rows,
        "}",
        '"""Every documented error code, by code."""',
        "",
    ]
    for set_name, (retry, meaning) in RETRY_SETS.items():
        literal = f"{{{', '.join(sets[set_name])}}}" if sets[set_name] else ""
        parts.append(f"{set_name}: Final[frozenset[int]] = frozenset({literal})")
        parts.append(f'"""The codes whose ``retry`` is ``{retry}``: {meaning}."""')
        parts.append("")
    return "\n".join(parts)


def _docstring(text: str) -> str:
    return '"""' + text.replace("\\", "\\\\").replace('"', '\\"') + '"""'


def _render_limits(spec: dict[str, Any]) -> str:
    rows = []
    for path, operation in _ocr_operations(spec):
        limits = operation["x-baidu-limits"]
        properties = _form_properties(spec, operation)
        languages = tuple(str(v) for v in _resolve(spec, properties["language_type"])["enum"])
        values = (
            path,
            int(limits["max_encoded_bytes"]),
            int(limits["min_side_px"]),
            int(limits["max_side_px"]),
            int(limits["max_url_bytes"]),
            tuple(limits["image_formats"]),
            languages,
            tuple(properties),
        )
        rows.append(f"    {operation['operationId']!r}: EndpointLimits{values!r},")
    parts = [
        LIMITS_HEADER,
        "LIMITS: Final[dict[str, EndpointLimits]] = {",
        *rows,
        "}",
        '"""Per OCR operation id (``general_basic``, ``accurate_basic``)."""',
        "",
    ]
    return "\n".join(parts)


def _frozenset(names: Iterable[str]) -> str:
    """A ``frozenset`` literal with sorted members (a set's repr follows string hashing, which varies per run)."""
    members = sorted(names)
    return f"frozenset({{{', '.join(repr(name) for name in members)}}})" if members else "frozenset()"


def _typed_dict_name(operation_id: str) -> str:
    return "".join(part.capitalize() for part in operation_id.split("_")) + "Options"


def _annotation(option: _Option) -> str:
    if option.kind == "boolean":
        return "bool"
    if option.kind == "integer":
        return "int"
    if option.kind == "enum":
        return f"Literal[{', '.join(repr(c) for c in option.choices)}] | {option.enum_class}"
    return "str"


def _render_options(spec: dict[str, Any]) -> tuple[str, list[str]]:
    options = _options(spec)
    enum_classes = sorted({o.enum_class for fields in options.values() for o in fields if o.enum_class})
    typed_dicts = [_typed_dict_name(operation_id) for operation_id in options]
    all_names = ["BOOLEAN_OPTIONS", "INPUT_FIELDS", "OPTION_FIELDS", "OptionField", *typed_dicts]
    imports = f"from {CLIENT_MODELS} import {', '.join(enum_classes)}" if enum_classes else ""
    parts = [
        OPTIONS_HEADER.format(imports=imports, all_names=", ".join(repr(n) for n in sorted(all_names))),
        f"INPUT_FIELDS: Final[frozenset[str]] = {_frozenset(_inputs(spec))}",
        '"""Form fields that carry the input (``x-baidu-inputs``): never options."""',
        "",
        "OPTION_FIELDS: Final[dict[str, tuple[OptionField, ...]]] = {",
    ]
    for operation_id, fields in options.items():
        parts.append(f"    {operation_id!r}: (")
        parts.extend(f"        OptionField{(o.name, o.kind, o.choices, o.description)!r}," for o in fields)
        parts.append("    ),")
    parts += ["}", '"""Per OCR operation id, in the spec\'s order."""', ""]
    parts.append("BOOLEAN_OPTIONS: Final[dict[str, frozenset[str]]] = {")
    for operation_id, fields in options.items():
        parts.append(f"    {operation_id!r}: {_frozenset(o.name for o in fields if o.kind == 'boolean')},")
    parts += ["}", '"""Per OCR operation id: the options sent as ``true`` / ``false``."""', ""]
    for operation_id, fields in options.items():
        name = _typed_dict_name(operation_id)
        keys = "\n".join(f"        {o.name}: {o.description}" for o in fields)
        parts += [
            "",
            f"class {name}(TypedDict, total=False):",
            f'    """The options of ``{operation_id}``, each optional.',
            "",
            "    Keys:",
            keys.replace("\\", "\\\\").replace('"""', '\\"\\"\\"'),
            '    """',
            "",
            *(f"    {o.name}: {_annotation(o)}" for o in fields),
            "",
        ]
    return "\n".join(parts), all_names


def render_tables(spec_path: Path) -> dict[str, str]:
    """The modules of ``baidu_ocr_spec`` for the spec at ``spec_path``: file name -> text."""
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    options, option_names = _render_options(spec)
    error_names = [
        "BACKOFF_CODES", "ERROR_CODES", "REFRESH_TOKEN_CODES", "RETRY_ONCE_CODES", "Category", "ErrorCode",
        "ErrorCodeInfo", "Retry",
    ]  # fmt: skip
    limit_names = ["LIMITS", "EndpointLimits"]
    package = PACKAGE_INIT.format(
        errors=", ".join(error_names),
        limits=", ".join(limit_names),
        options=", ".join(sorted(option_names)),
        all_names=", ".join(repr(n) for n in sorted([*error_names, *limit_names, *option_names])),
    )
    return {
        "__init__.py": package,
        "errors.py": _render_errors(spec),
        "limits.py": _render_limits(spec),
        "options.py": options,
    }
