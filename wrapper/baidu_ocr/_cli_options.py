"""The command line's request-option flags, made from the spec's option tables (``baidu_ocr_spec.OPTION_FIELDS``).

An option added to the spec becomes a flag after regeneration with no edit here: booleans become flags
(``--detect-direction``), enums an option with its choices (``--language-type ENG``), others an option with a value.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeVar

import typer

from baidu_ocr_spec import OPTION_FIELDS, OptionField

__all__ = ["REQUEST_OPTIONS_PANEL", "request_options", "with_request_option_flags"]

REQUEST_OPTIONS_PANEL = "Request options (from the API specification)"
CommandT = TypeVar("CommandT", bound=Callable[..., Any])


def _fields_by_name() -> dict[str, tuple[OptionField, list[str]]]:
    """Every option of any OCR operation, with the operations that have it (choices merged)."""
    merged: dict[str, tuple[OptionField, list[str]]] = {}
    for operation, fields in OPTION_FIELDS.items():
        for field in fields:
            known = merged.get(field.name)
            if known is None:
                merged[field.name] = (field, [operation])
            else:
                choices = tuple(dict.fromkeys((*known[0].choices, *field.choices)))
                merged[field.name] = (known[0]._replace(choices=choices), [*known[1], operation])
    return merged


def _help(field: OptionField, operations: list[str]) -> str:
    text = field.description.rstrip(".")
    if len(operations) < len(OPTION_FIELDS):
        text += f" ({', '.join(operations)} only)"
    return text + "."


def _parameter(field: OptionField, operations: list[str]) -> inspect.Parameter:
    flag = "--" + field.name.replace("_", "-")
    help_text = _help(field, operations)
    annotation: Any
    default: Any = None
    if field.kind == "boolean":
        annotation = Annotated[bool, typer.Option(flag, help=help_text, rich_help_panel=REQUEST_OPTIONS_PANEL)]
        default = False
    elif field.kind == "enum":  # checked by the SDK, whose message names the endpoint and its choices
        help_text += f" One of: {', '.join(field.choices)}."
        option = typer.Option(flag, help=help_text, metavar="CHOICE", rich_help_panel=REQUEST_OPTIONS_PANEL)
        annotation = Annotated[str | None, option]
    elif field.kind == "integer":
        annotation = Annotated[int | None, typer.Option(flag, help=help_text, rich_help_panel=REQUEST_OPTIONS_PANEL)]
    else:
        annotation = Annotated[str | None, typer.Option(flag, help=help_text, rich_help_panel=REQUEST_OPTIONS_PANEL)]
    return inspect.Parameter(field.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def with_request_option_flags(command: CommandT) -> CommandT:
    """Give ``command`` (which takes ``**options``) one flag per request option of the spec."""
    signature = inspect.signature(command, eval_str=True)
    fixed = [p for p in signature.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
    taken = {p.name for p in fixed}
    flags = [_parameter(field, ops) for name, (field, ops) in _fields_by_name().items() if name not in taken]
    command.__signature__ = signature.replace(parameters=[*fixed, *flags])  # type: ignore[attr-defined]
    return command


def request_options(values: Mapping[str, Any]) -> dict[str, object]:
    """The options asked for on the command line: flags set and values given (a flag left out is not sent)."""
    names = _fields_by_name()
    return {name: value for name, value in values.items() if name in names and value is not None and value is not False}
