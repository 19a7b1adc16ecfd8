"""Request options checked against the spec's tables (``baidu_ocr_spec.OPTION_FIELDS``), before any network call.

Which options an endpoint has, which are booleans and which values an enum accepts are read from the generated
tables, so an option added to the spec reaches every client after regeneration with no edit here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypeAlias

from baidu_ocr_spec import INPUT_FIELDS, OPTION_FIELDS, OptionField

from ._errors import InvalidOptionError

__all__ = ["Endpoint", "OptionValue", "checked_options"]

Endpoint: TypeAlias = Literal["general_basic", "accurate_basic"]
"""An OCR operation of the spec."""
OptionValue: TypeAlias = str | bool | int | float
"""A value of an option the spec does not document (``extra_options``), sent as text (booleans as true/false)."""


def _checked(endpoint: str, field: OptionField, value: object) -> object:
    if field.kind == "boolean":
        if not isinstance(value, bool):
            raise InvalidOptionError(f"{field.name} must be True or False, got {value!r}")
        return value
    if field.kind == "enum":
        text = str(getattr(value, "value", value))
        if text not in field.choices:
            accepted = ", ".join(field.choices)
            raise InvalidOptionError(f"{field.name} {text!r} is not accepted by {endpoint}; use one of {accepted}")
        return text
    if field.kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidOptionError(f"{field.name} must be an integer, got {value!r}")
        return value
    return str(value)


def checked_options(
    endpoint: str, options: Mapping[str, object], extra_options: Mapping[str, OptionValue] | None = None
) -> dict[str, object]:
    """The form fields of ``options`` (``None`` values left out) and of ``extra_options`` (passed through as they
    are: options the spec does not document yet), each documented option checked against the endpoint's table."""
    fields = {field.name: field for field in OPTION_FIELDS[endpoint]}
    checked: dict[str, object] = {}
    for name, value in options.items():
        if value is None:
            continue
        field = fields.get(name)
        if field is None:
            raise InvalidOptionError(f"{name} is not an option of {endpoint}; its options: {', '.join(fields)}")
        checked[name] = _checked(endpoint, field, value)
    if extra_options is None:
        return checked
    if not isinstance(extra_options, Mapping):
        raise InvalidOptionError("extra_options must be a mapping of option names to values")
    for name, value in extra_options.items():
        if name in INPUT_FIELDS or name in checked:
            raise InvalidOptionError(f"extra_options may not set {name!r}: pass it as its own argument")
        if not isinstance(value, str | bool | int | float):
            raise InvalidOptionError(f"extra_options[{name!r}] must be text, a number or a bool, got {value!r}")
        checked[str(name)] = value
    return checked
