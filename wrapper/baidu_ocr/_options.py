"""The documented options as form fields: booleans as ``true``/``false``, languages checked per endpoint."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypeAlias, TypedDict

from baidu_ocr_client.models import AccurateLanguageType, GeneralLanguageType
from baidu_ocr_spec import LIMITS

from ._errors import InvalidOptionError

__all__ = ["AccurateOptions", "Endpoint", "GeneralOptions", "OptionValue", "option_fields"]

Endpoint: TypeAlias = Literal["general_basic", "accurate_basic"]
OptionValue: TypeAlias = str | bool | int | float


class AccurateOptions(TypedDict, total=False):
    """Options of ``accurate_basic`` (for helpers that take ``**options``)."""

    language_type: AccurateLanguageType | str
    detect_direction: bool
    paragraph: bool
    probability: bool
    extra_options: Mapping[str, OptionValue]


class GeneralOptions(TypedDict, total=False):
    """Options of ``general_basic`` (for helpers that take ``**options``)."""

    language_type: GeneralLanguageType | str
    detect_direction: bool
    detect_language: bool
    paragraph: bool
    probability: bool
    extra_options: Mapping[str, OptionValue]


_INPUT_FIELDS = frozenset({"image", "url", "pdf_file", "pdf_file_num"})
_BOOLEAN_OPTIONS = ("detect_direction", "detect_language", "paragraph", "probability")


def _text(value: OptionValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def option_fields(endpoint: Endpoint, options: Mapping[str, object]) -> list[tuple[str, str]]:
    """Form fields for ``options`` (``None`` values left out), checked against the endpoint's table."""
    limits = LIMITS[endpoint]
    fields: list[tuple[str, str]] = []
    language = options.get("language_type")
    if language is not None:
        value = str(getattr(language, "value", language))
        if value not in limits.language_types:
            accepted = ", ".join(limits.language_types)
            raise InvalidOptionError(f"language_type {value!r} is not accepted by {endpoint}; use one of {accepted}")
        fields.append(("language_type", value))
    for name in _BOOLEAN_OPTIONS:
        flag = options.get(name)
        if flag is None:
            continue
        if name not in limits.form_fields:
            raise InvalidOptionError(f"{name} is not an option of {endpoint}")
        if not isinstance(flag, bool):
            raise InvalidOptionError(f"{name} must be True or False, got {flag!r}")
        fields.append((name, _text(flag)))
    extra = options.get("extra_options") or {}
    if not isinstance(extra, Mapping):
        raise InvalidOptionError("extra_options must be a mapping of option names to values")
    for name, extra_value in extra.items():
        if name in _INPUT_FIELDS or any(name == field for field, _ in fields):
            raise InvalidOptionError(f"extra_options may not set {name!r}: pass it as its own argument")
        fields.append((str(name), _text(extra_value)))
    return fields
