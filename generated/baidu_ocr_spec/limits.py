"""What each OCR operation accepts: ``x-baidu-limits``, ``language_type`` values, form fields.

Generated from openapi/baidu-ocr.yaml by scripts/render_tables.py. Do not edit: run ``nox -s generate``.
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


LIMITS: Final[dict[str, EndpointLimits]] = {
    "general_basic": EndpointLimits(
        "/rest/2.0/ocr/v1/general_basic",
        4194304,
        15,
        4096,
        1024,
        ("jpeg", "png", "bmp"),
        ("CHN_ENG", "ENG", "JAP", "KOR", "FRE", "SPA", "POR", "GER", "ITA", "RUS"),
        (
            "image",
            "url",
            "pdf_file",
            "pdf_file_num",
            "language_type",
            "detect_direction",
            "detect_language",
            "paragraph",
            "probability",
        ),
    ),
    "accurate_basic": EndpointLimits(
        "/rest/2.0/ocr/v1/accurate_basic",
        10485760,
        15,
        8192,
        1024,
        ("jpeg", "png", "bmp"),
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
        (
            "image",
            "url",
            "pdf_file",
            "pdf_file_num",
            "language_type",
            "detect_direction",
            "paragraph",
            "probability",
        ),
    ),
}
"""Per OCR operation id (``general_basic``, ``accurate_basic``)."""
