"""What the sync and async clients share: settings, building requests, reading answers. No I/O here."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any, Final, Generic, TypeAlias, TypeVar

import httpx
import stamina

from baidu_ocr_client import Client
from baidu_ocr_client.models import OcrError
from baidu_ocr_spec import LIMITS

from ._batch import PageSelection, PdfPlan, pdf_page_body
from ._encoding import encode_form
from ._errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    ConnectionFailedError,
    InvalidOptionError,
    InvalidResponseError,
    RequestTimeoutError,
    TransportError,
    api_error,
    as_error_code,
    as_integer,
)
from ._inputs import FileSource, Fitter, encode_image, encode_pdf, read_source, validate_url
from ._options import Endpoint, option_fields
from ._redact import install_log_redaction
from ._result import OCRResult, ResponseInfo
from ._retry import DEFAULT_MAX_RETRIES, Backoff, RetryDecider
from ._token import TokenCache, token_request_body

__all__ = ["DEFAULT_BASE_URL", "NOT_GIVEN", "BaseOCR", "NotGiven", "TimeoutTypes"]

DEFAULT_BASE_URL: Final = "https://aip.baidubce.com"
DEFAULT_TIMEOUT: Final = httpx.Timeout(60.0, connect=10.0)
ENV_API_KEY: Final = "BAIDU_OCR_API_KEY"
ENV_SECRET_KEY: Final = "BAIDU_OCR_SECRET_KEY"
ENV_ACCESS_TOKEN: Final = "BAIDU_OCR_ACCESS_TOKEN"
ENV_BASE_URL: Final = "BAIDU_OCR_BASE_URL"
FORM_HEADERS: Final = {"Content-Type": "application/x-www-form-urlencoded"}
REFRESH_CODES: Final = frozenset({110, 111})
_LOOPBACK_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})

TimeoutTypes: TypeAlias = float | httpx.Timeout | None
TransportT = TypeVar("TransportT", httpx.BaseTransport, httpx.AsyncBaseTransport)


class NotGiven:
    """The type of :data:`NOT_GIVEN`: an argument left out, as opposed to one passed as ``None``."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


def _excerpt(content: bytes) -> str:
    return content[:200].decode("utf-8", "replace")


def interpret_ocr_answer(status_code: int, headers: httpx.Headers, content: bytes, elapsed: float) -> OCRResult:
    """The result in an OCR answer, or the matching exception (in-band error, HTML page, truncated JSON)."""
    try:
        data = json.loads(content)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        kind = "an empty body" if not content else "a body that is not JSON"
        raise InvalidResponseError(
            f"OCR endpoint answered HTTP {status_code} with {kind}",
            status_code=status_code,
            body_excerpt=_excerpt(content),
        )
    if "error_code" in data:
        error = OcrError.from_dict(data)
        message = error.error_msg if isinstance(error.error_msg, str) else ""
        code = as_error_code(error.error_code)
        raise api_error(code, message, log_id=as_integer(data.get("log_id")), status_code=status_code, raw=data)
    if status_code != 200:
        raise InvalidResponseError(
            f"OCR endpoint answered HTTP {status_code}", status_code=status_code, body_excerpt=_excerpt(content)
        )
    try:
        result = OCRResult.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise InvalidResponseError(
            f"OCR answer lacks a field of the result schema ({err!r})",
            status_code=status_code,
            body_excerpt=_excerpt(content),
        ) from err
    result.raw = data
    result.http = ResponseInfo(status_code, headers, content, elapsed)
    return result


def transport_error(error: httpx.TransportError, what: str) -> TransportError:
    """Our exception for an httpx transport failure (its message never holds the URL, which holds the token)."""
    if isinstance(error, httpx.TimeoutException):
        return RequestTimeoutError(f"{what} timed out ({type(error).__name__})")
    return ConnectionFailedError(f"{what} failed: {type(error).__name__}: {error}")


class BaseOCR(Generic[TransportT]):
    """Settings and request building shared by :class:`~baidu_ocr.OCR` and :class:`~baidu_ocr.AsyncOCR`.

    Credentials: ``api_key`` + ``secret_key`` (a token is fetched once, cached and renewed), or a fixed
    ``access_token``, or the environment (``BAIDU_OCR_API_KEY``, ``BAIDU_OCR_SECRET_KEY``,
    ``BAIDU_OCR_ACCESS_TOKEN``); ``base_url`` (or ``BAIDU_OCR_BASE_URL``) for any Baidu-compatible server.
    ``timeout``, ``max_retries`` and ``backoff`` apply to every call unless a call overrides them; ``auto_fit``
    re-encodes images that break the limits (Pillow); ``proxy``, ``transport`` and ``httpx_args`` go to httpx.
    """

    def __init__(
        self,
        api_key: str | None = None,
        secret_key: str | None = None,
        *,
        access_token: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff: Backoff | None = None,
        auto_fit: bool = False,
        proxy: str | httpx.Proxy | None = None,
        transport: TransportT | None = None,
        httpx_args: Mapping[str, Any] | None = None,
    ) -> None:
        api_key = api_key or os.environ.get(ENV_API_KEY) or None
        secret_key = secret_key or os.environ.get(ENV_SECRET_KEY) or None
        if access_token is None and api_key is None and secret_key is None:
            access_token = os.environ.get(ENV_ACCESS_TOKEN) or None
        if access_token is None and (api_key is None or secret_key is None):
            raise ConfigurationError(
                "no credentials: pass api_key= and secret_key= (or access_token=), or set "
                f"{ENV_API_KEY} and {ENV_SECRET_KEY} (or {ENV_ACCESS_TOKEN})"
            )
        if max_retries < 0:
            raise ConfigurationError("max_retries must be 0 or more")
        self.base_url = (base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff or Backoff()
        self.auto_fit = auto_fit
        self._api_key = api_key
        self._secret_key = secret_key
        self._fixed_token = access_token
        self._tokens = TokenCache()
        install_log_redaction()
        args = dict(httpx_args or {})
        if httpx.URL(self.base_url).host in _LOOPBACK_HOSTS:
            args.setdefault("trust_env", False)  # a local service: HTTP(S)_PROXY must not capture it
        if proxy is not None:
            args["proxy"] = proxy
        if transport is not None:
            args["transport"] = transport
        self._generated = Client(
            base_url=self.base_url,
            timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
            verify_ssl=True,
            follow_redirects=False,
            raise_on_unexpected_status=False,
            httpx_args=args,
        )
        self._open()

    def _open(self) -> None:
        """Create the connection pool and the token lock (sync or async)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        auth = "access_token" if self._fixed_token is not None else "api_key"
        return f"{type(self).__name__}(base_url={self.base_url!r}, auth={auth!r}, max_retries={self.max_retries})"

    @property
    def generated_client(self) -> Client:
        """The generated low-level client (same connection pool) for full control over requests."""
        return self._generated

    @property
    def can_refresh_token(self) -> bool:
        """Whether a rejected token can be replaced (only with an API key and secret key)."""
        return self._fixed_token is None

    def _token_body(self) -> bytes:
        if self._api_key is None or self._secret_key is None:
            raise ConfigurationError("an access token was given, but no api_key / secret_key to renew it")
        return token_request_body(self._api_key, self._secret_key)

    def _build_body(
        self,
        endpoint: Endpoint,
        image: FileSource | None,
        url: str | None,
        pdf: FileSource | None,
        pdf_page: int | None,
        options: Mapping[str, object],
    ) -> bytes:
        """The request body: exactly one input, checked and encoded, and the option fields."""
        given = [name for name, value in (("image", image), ("url", url), ("pdf", pdf)) if value is not None]
        if len(given) != 1:
            problem = "none was given" if not given else f"got {', '.join(given)}"
            raise InvalidOptionError(f"pass exactly one of image=, url=, pdf= ({problem})")
        if pdf_page is not None and pdf is None:
            raise InvalidOptionError("pdf_page= goes with pdf=")
        return self.body_from_fields(endpoint, image, url, pdf, pdf_page, option_fields(endpoint, options))

    def body_from_fields(
        self,
        endpoint: Endpoint,
        image: FileSource | None,
        url: str | None,
        pdf: FileSource | None,
        pdf_page: int | None,
        fields: list[tuple[str, str]],
    ) -> bytes:
        """The request body for one input and already-checked option fields."""
        limits = LIMITS[endpoint]
        if image is not None:
            encoded = encode_image(read_source(image, "image"), limits, endpoint, self._fitter())
            return encode_form([("image", encoded)], fields)
        if url is not None:
            return encode_form((), [("url", validate_url(url, limits, endpoint)), *fields])
        assert pdf is not None
        return pdf_page_body(self.encode_pdf(endpoint, pdf), pdf_page or 1, fields)

    def encode_pdf(self, endpoint: Endpoint, pdf: FileSource) -> bytes:
        """The checked, encoded ``pdf_file`` field of ``pdf``."""
        return encode_pdf(read_source(pdf, "pdf"), LIMITS[endpoint], endpoint)

    def plan_pdf(
        self, endpoint: Endpoint, pdf: FileSource, pages: PageSelection, options: Mapping[str, object]
    ) -> PdfPlan:
        """Check the options, read and encode the PDF once, for ``recognize_pdf``."""
        fields = option_fields(endpoint, options)
        return PdfPlan(pdf, self.encode_pdf(endpoint, pdf), pages, fields)

    def _fitter(self) -> Fitter | None:
        if not self.auto_fit:
            return None
        from ._autofit import fit_image

        return fit_image

    def _timeout(self, timeout: TimeoutTypes | NotGiven) -> httpx.Timeout:
        chosen = self.timeout if isinstance(timeout, NotGiven) else timeout
        return chosen if isinstance(chosen, httpx.Timeout) else httpx.Timeout(chosen)

    def _retrying(self, max_retries: int | NotGiven) -> Any:
        """A stamina retry context (iterate it with ``for`` or ``async for``)."""
        attempts = 1 + (self.max_retries if isinstance(max_retries, NotGiven) else max_retries)
        return stamina.retry_context(
            on=RetryDecider(),
            attempts=attempts,
            timeout=None,
            wait_initial=self.backoff.initial,
            wait_max=self.backoff.maximum,
            wait_jitter=self.backoff.jitter,
        )

    @staticmethod
    def _should_refresh(error: APIError, can_refresh: bool) -> bool:
        return can_refresh and isinstance(error, AuthenticationError) and error.error_code in REFRESH_CODES

    @staticmethod
    def _ocr_path(endpoint: Endpoint) -> str:
        return LIMITS[endpoint].path
