"""What openapi/baidu-ocr.yaml says, as tables: error codes, per-endpoint limits and options.

Generated from openapi/baidu-ocr.yaml by scripts/render_tables.py. Do not edit: run ``nox -s generate``.
"""

from .errors import (
    BACKOFF_CODES,
    ERROR_CODES,
    REFRESH_TOKEN_CODES,
    RETRY_ONCE_CODES,
    Category,
    ErrorCode,
    ErrorCodeInfo,
    Retry,
)
from .limits import LIMITS, EndpointLimits
from .options import (
    AccurateBasicOptions,
    BOOLEAN_OPTIONS,
    GeneralBasicOptions,
    INPUT_FIELDS,
    OPTION_FIELDS,
    OptionField,
)

__all__ = [
    "AccurateBasicOptions",
    "BACKOFF_CODES",
    "BOOLEAN_OPTIONS",
    "Category",
    "ERROR_CODES",
    "EndpointLimits",
    "ErrorCode",
    "ErrorCodeInfo",
    "GeneralBasicOptions",
    "INPUT_FIELDS",
    "LIMITS",
    "OPTION_FIELDS",
    "OptionField",
    "REFRESH_TOKEN_CODES",
    "RETRY_ONCE_CODES",
    "Retry",
]
