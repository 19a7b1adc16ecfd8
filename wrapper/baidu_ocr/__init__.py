"""baidu-ocr: a typed SDK for Baidu OCR general text recognition (standard and high accuracy).

>>> from baidu_ocr import OCR
>>> with OCR(api_key="...", secret_key="...") as ocr:  # doctest: +SKIP
...     print(ocr.general_basic("receipt.jpg").text)

``OCR`` / ``AsyncOCR`` are the clients, ``AipOcr`` is a drop-in for the official ``aip.AipOcr``, and every error
derives from ``BaiduOCRError``. The generated low-level client is ``baidu_ocr_client`` (``OCR.generated_client``).
"""

from baidu_ocr_spec import AccurateBasicOptions, GeneralBasicOptions

from ._accounting import CallCounters, CallTally
from ._aip import AipOcr
from ._async_client import AsyncOCR
from ._auth import BceV1Auth, BearerAuth
from ._base import DEFAULT_BASE_URL, NOT_GIVEN, NotGiven
from ._batch import ImageURL, ItemResult, PageSelection, PdfPage, RateLimiter, Source
from ._client import OCR
from ._errors import (
    APIError,
    AuthenticationError,
    BaiduOCRError,
    ConfigurationError,
    ConnectionFailedError,
    EmptyInputError,
    ImageDimensionsError,
    ImageError,
    InputError,
    InputTooLargeError,
    InvalidOptionError,
    InvalidParameterError,
    InvalidResponseError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    TransportError,
    UnsupportedFormatError,
    URLError,
    URLTooLongError,
)
from ._inputs import FileSource
from ._options import Endpoint
from ._pace import AdaptivePace
from ._result import OCRResult, ResponseInfo
from ._result_cache import ResultCache
from ._retry import Backoff
from ._token import AccessTokenAuth, ClientCredentialsAuth, MemoryTokenStore, StoredToken, TokenStore

__all__ = [
    "DEFAULT_BASE_URL",
    "NOT_GIVEN",
    "OCR",
    "APIError",
    "AccessTokenAuth",
    "AccurateBasicOptions",
    "AdaptivePace",
    "AipOcr",
    "AsyncOCR",
    "AuthenticationError",
    "Backoff",
    "BaiduOCRError",
    "BceV1Auth",
    "BearerAuth",
    "CallCounters",
    "CallTally",
    "ClientCredentialsAuth",
    "ConfigurationError",
    "ConnectionFailedError",
    "EmptyInputError",
    "Endpoint",
    "FileSource",
    "GeneralBasicOptions",
    "ImageDimensionsError",
    "ImageError",
    "ImageURL",
    "InputError",
    "InputTooLargeError",
    "InvalidOptionError",
    "InvalidParameterError",
    "InvalidResponseError",
    "ItemResult",
    "MemoryTokenStore",
    "NotGiven",
    "OCRResult",
    "PageSelection",
    "PdfPage",
    "PermissionDeniedError",
    "QuotaExceededError",
    "RateLimitError",
    "RateLimiter",
    "RequestTimeoutError",
    "ResponseInfo",
    "ResultCache",
    "ServerError",
    "Source",
    "StoredToken",
    "TokenStore",
    "TransportError",
    "URLError",
    "URLTooLongError",
    "UnsupportedFormatError",
]
