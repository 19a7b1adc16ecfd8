"""The options of each OCR operation: its request schema's fields except ``x-baidu-inputs``.

``OPTION_FIELDS`` drives keyword arguments, CLI flags and the service's parsing; the ``TypedDict`` per operation
types the options a caller passes. A field added to a request schema appears here after regeneration.

Generated from openapi/baidu-ocr.yaml by scripts/render_tables.py. Do not edit: run ``nox -s generate``.
"""

from typing import Final, Literal, NamedTuple, TypedDict

from baidu_ocr_client.models import AccurateLanguageType, GeneralLanguageType

__all__ = [
    "AccurateBasicOptions",
    "BOOLEAN_OPTIONS",
    "GeneralBasicOptions",
    "INPUT_FIELDS",
    "OPTION_FIELDS",
    "OptionField",
]


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


INPUT_FIELDS: Final[frozenset[str]] = frozenset(
    {"image", "pdf_file", "pdf_file_num", "url"}
)
"""Form fields that carry the input (``x-baidu-inputs``): never options."""

OPTION_FIELDS: Final[dict[str, tuple[OptionField, ...]]] = {
    "general_basic": (
        OptionField(
            "language_type",
            "enum",
            ("CHN_ENG", "ENG", "JAP", "KOR", "FRE", "SPA", "POR", "GER", "ITA", "RUS"),
            "Languages of the standard edition (default `CHN_ENG`).",
        ),
        OptionField(
            "detect_direction",
            "boolean",
            (),
            "Detect whether the image is rotated 0/90/180/270° counter-clockwise (default `false`).",
        ),
        OptionField(
            "detect_language",
            "boolean",
            (),
            "Detect the language (Chinese, English, Japanese, Korean); default `false`.",
        ),
        OptionField(
            "paragraph",
            "boolean",
            (),
            "Return paragraph information (default `false`).",
        ),
        OptionField(
            "probability",
            "boolean",
            (),
            "Return each line's confidence (default `false`).",
        ),
    ),
    "accurate_basic": (
        OptionField(
            "language_type",
            "enum",
            (
                "auto_detect",
                "CHN_ENG",
                "ENG",
                "JAP",
                "KOR",
                "FRE",
                "SPA",
                "POR",
                "GER",
                "ITA",
                "RUS",
                "DAN",
                "DUT",
                "MAL",
                "SWE",
                "IND",
                "POL",
                "ROM",
                "TUR",
                "GRE",
                "HUN",
                "THA",
                "VIE",
                "ARA",
                "HIN",
            ),
            "Languages of the high-accuracy edition (default `CHN_ENG`): the union of the table and the description, which also names THA, VIE, ARA and HIN.",
        ),
        OptionField(
            "detect_direction",
            "boolean",
            (),
            "Detect whether the image is rotated 0/90/180/270° counter-clockwise (default `false`).",
        ),
        OptionField(
            "paragraph",
            "boolean",
            (),
            "Return paragraph information (default `false`).",
        ),
        OptionField(
            "probability",
            "boolean",
            (),
            "Return each line's confidence (default `false`).",
        ),
    ),
}
"""Per OCR operation id, in the spec's order."""

BOOLEAN_OPTIONS: Final[dict[str, frozenset[str]]] = {
    "general_basic": frozenset(
        {"detect_direction", "detect_language", "paragraph", "probability"}
    ),
    "accurate_basic": frozenset({"detect_direction", "paragraph", "probability"}),
}
"""Per OCR operation id: the options sent as ``true`` / ``false``."""


class GeneralBasicOptions(TypedDict, total=False):
    """The options of ``general_basic``, each optional.

    Keys:
        language_type: Languages of the standard edition (default `CHN_ENG`).
        detect_direction: Detect whether the image is rotated 0/90/180/270° counter-clockwise (default `false`).
        detect_language: Detect the language (Chinese, English, Japanese, Korean); default `false`.
        paragraph: Return paragraph information (default `false`).
        probability: Return each line's confidence (default `false`).
    """

    language_type: (
        Literal[
            "CHN_ENG", "ENG", "JAP", "KOR", "FRE", "SPA", "POR", "GER", "ITA", "RUS"
        ]
        | GeneralLanguageType
    )
    detect_direction: bool
    detect_language: bool
    paragraph: bool
    probability: bool


class AccurateBasicOptions(TypedDict, total=False):
    """The options of ``accurate_basic``, each optional.

    Keys:
        language_type: Languages of the high-accuracy edition (default `CHN_ENG`): the union of the table and the description, which also names THA, VIE, ARA and HIN.
        detect_direction: Detect whether the image is rotated 0/90/180/270° counter-clockwise (default `false`).
        paragraph: Return paragraph information (default `false`).
        probability: Return each line's confidence (default `false`).
    """

    language_type: (
        Literal[
            "auto_detect",
            "CHN_ENG",
            "ENG",
            "JAP",
            "KOR",
            "FRE",
            "SPA",
            "POR",
            "GER",
            "ITA",
            "RUS",
            "DAN",
            "DUT",
            "MAL",
            "SWE",
            "IND",
            "POL",
            "ROM",
            "TUR",
            "GRE",
            "HUN",
            "THA",
            "VIE",
            "ARA",
            "HIN",
        ]
        | AccurateLanguageType
    )
    detect_direction: bool
    paragraph: bool
    probability: bool
