"""What the sync and async clients share: settings, building the generated request models, reading the generated
answers, retry settings. No I/O here; the clients send through the generated endpoint functions."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Generic, Protocol, TypeAlias, TypeVar, cast

import httpx
import stamina

from baidu_ocr_client import Client
from baidu_ocr_client import models as generated_models
from baidu_ocr_client.api.auth import get_access_token
from baidu_ocr_client.errors import UnexpectedResponse
from baidu_ocr_client.form import EncodedFile
from baidu_ocr_client.models import OcrError, OcrResult
from baidu_ocr_client.types import Response
from baidu_ocr_spec import LIMITS

from ._batch import ImageURL, PageSelection, PdfPage, PdfPlan, Source
from ._bounds import DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES, Deadline
from ._credentials import credential_kind_of, resolve_auth
from ._diagnosis import diagnose
from ._errors import (
    BaiduOCRError,
    ConfigurationError,
    ConnectionFailedError,
    InvalidOptionError,
    InvalidResponseError,
    RequestTimeoutError,
    TransportError,
    api_error,
    as_error_code,
    as_integer,
    json_object,
)
from ._inputs import FileSource, Fitter, encode_image, encode_pdf, read_source, validate_url
from ._options import Endpoint, OptionValue, checked_options
from ._redact import install_log_redaction
from ._result import OCRResult
from ._result_cache import input_identity
from ._retry import DEFAULT_MAX_RETRIES, Backoff, RetryDecider

__all__ = [
    "DEFAULT_BASE_URL",
    "ENV_BASE_URL",
    "NOT_GIVEN",
    "BaseOCR",
    "NotGiven",
    "OcrCall",
    "TimeoutTypes",
    "transport_error",
]

DEFAULT_BASE_URL: Final = "https://aip.baidubce.com"
DEFAULT_TIMEOUT: Final = httpx.Timeout(60.0, connect=10.0)
ENV_BASE_URL: Final = "BAIDU_OCR_BASE_URL"
_LOOPBACK_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})
_EXCERPT_BYTES: Final = 200
_INLINE_BYTES: Final = 512 * 1024
"""Inputs up to this size are checked and encoded on the event loop (well under a millisecond)."""

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


class OcrOperation(Protocol):
    """A generated OCR endpoint module (``baidu_ocr_client.api.ocr.<operation>``)."""

    def sync_detailed(self, *, client: Client, body: Any, timeout: Any = ...) -> Response[OcrError | OcrResult]: ...

    async def asyncio_detailed(
        self, *, client: Client, body: Any, timeout: Any = ...
    ) -> Response[OcrError | OcrResult]: ...


def _model_name(operation: str) -> str:
    return "".join(part.capitalize() for part in operation.split("_")) + "Request"


OPERATIONS: Final[dict[str, OcrOperation]] = {
    name: cast(OcrOperation, importlib.import_module(f"baidu_ocr_client.api.ocr.{name}")) for name in LIMITS
}
"""Every OCR operation of the spec, by operation id, as its generated endpoint module."""
REQUEST_MODELS: Final[dict[str, Any]] = {name: getattr(generated_models, _model_name(name)) for name in LIMITS}
"""The generated request model of each OCR operation."""


@dataclass(frozen=True)
class OcrCall:
    """One request, ready to send: the operation and its generated request model (inputs already encoded)."""

    endpoint: Endpoint
    body: Any
    input_id: str | None = None
    """What identifies the input in a result-cache key (:func:`~baidu_ocr._result_cache.input_identity`): set for
    urls, and for files when the caller asked (hashing costs time)."""
    page: int | None = None
    """The PDF page asked for (``None`` for an image or url)."""

    @property
    def operation(self) -> OcrOperation:
        return OPERATIONS[self.endpoint]


def _excerpt(content: bytes) -> str:
    return content[:_EXCERPT_BYTES].decode("utf-8", "replace")


def _raise_in_band(data: Mapping[str, Any], status_code: int, auth: object) -> None:
    message = data.get("error_msg")
    error = api_error(
        as_error_code(data.get("error_code")),
        message if isinstance(message, str) else "",
        log_id=as_integer(data.get("log_id")),
        status_code=status_code,
        raw=dict(data),
    )
    raise diagnose(error, auth)  # which credential was used, and what the answer most likely means


def _unreadable(status: int, content: bytes, data: dict[str, Any] | None) -> InvalidResponseError:
    if data is None:
        kind = "an empty body" if not content else "a body that is not JSON"
        message = f"OCR endpoint answered HTTP {status} with {kind}"
    elif status != 200:
        message = f"OCR endpoint answered HTTP {status}"
    else:
        message = "OCR answer lacks a field of the result schema"
    return InvalidResponseError(message, status_code=status, body_excerpt=_excerpt(content))


def read_answer(response: Response[OcrError | OcrResult], elapsed: float, auth: object = None) -> OCRResult:
    """The result of a generated OCR answer, or the matching exception (in-band error, undocumented status; with
    the credential diagnosis of ``auth``, the auth object that sent it)."""
    parsed = response.parsed
    status = int(response.status_code)
    if isinstance(parsed, OcrResult) and status == 200:
        return OCRResult.from_model(parsed, response, elapsed)
    data = json_object(response.content)
    if data is not None and "error_code" in data:
        _raise_in_band(data, status, auth)
    raise _unreadable(status, response.content, data)


def unexpected_answer(error: UnexpectedResponse) -> InvalidResponseError:
    """Our exception for a body the generated client could not read (HTML page, truncated or hostile JSON)."""
    return _unreadable(error.status_code, error.content, json_object(error.content))


def transport_error(error: Exception, what: str) -> TransportError:
    """Our exception for an httpx transport failure or a deadline (its message never holds the URL)."""
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        return RequestTimeoutError(f"{what} timed out ({type(error).__name__})")
    return ConnectionFailedError(f"{what} failed: {type(error).__name__}: {error}")


class BaseOCR(Generic[TransportT]):
    """Settings and request building shared by :class:`~baidu_ocr.OCR` and :class:`~baidu_ocr.AsyncOCR`."""

    base_url: str
    auth: httpx.Auth
    timeout: TimeoutTypes
    deadline: float | None
    max_retries: int
    backoff: Backoff
    max_response_bytes: int
    auto_fit: bool

    def __init__(
        self,
        api_key: str | None = None,
        secret_key: str | None = None,
        *,
        access_token: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        bearer_key: str | None = None,
        auth: httpx.Auth | None = None,
        cache_file: bool | str | os.PathLike[str] = False,
        base_url: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        deadline: float | None = DEFAULT_DEADLINE,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff: Backoff | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        auto_fit: bool = False,
        proxy: str | httpx.Proxy | None = None,
        transport: TransportT | None = None,
        httpx_args: Mapping[str, Any] | None = None,
    ) -> None:
        if max_retries < 0:
            raise ConfigurationError("max_retries must be 0 or more")
        if max_response_bytes < 1:
            raise ConfigurationError("max_response_bytes must be at least 1")
        if deadline is not None and deadline <= 0:
            raise ConfigurationError("deadline must be above 0 seconds (or None for no deadline)")
        self.base_url = (base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL).rstrip("/")
        self.auth = resolve_auth(
            auth=auth,
            api_key=api_key,
            secret_key=secret_key,
            access_token=access_token,
            access_key_id=access_key_id,
            secret_access_key=secret_access_key,
            bearer_key=bearer_key,
            token_url=self.base_url + get_access_token.PATH,
            cache_file=cache_file,
        )
        self.timeout = timeout
        self.deadline = deadline
        self.max_retries = max_retries
        self.backoff = backoff or Backoff()
        self.max_response_bytes = max_response_bytes
        self.auto_fit = auto_fit
        install_log_redaction()
        args = dict(httpx_args or {})
        if httpx.URL(self.base_url).host in _LOOPBACK_HOSTS:
            args.setdefault("trust_env", False)  # a local service: HTTP(S)_PROXY must not capture it
        if proxy is not None:
            args["proxy"] = proxy
        if transport is not None:
            args["transport"] = transport
        hooks: dict[str, list[object]] = dict(args.pop("event_hooks", {}))
        hooks["response"] = [*hooks.get("response", []), self._response_bound()]
        args["event_hooks"] = hooks
        self._generated = Client(
            base_url=self.base_url,
            auth=self.auth,
            timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
            verify_ssl=True,
            follow_redirects=False,
            raise_on_unexpected_status=False,
            httpx_args=args,
        )
        self._open()

    def _response_bound(self) -> object:
        """The response hook bounding size and reading time (sync or async)."""
        raise NotImplementedError

    def _open(self) -> None:
        """Create the connection pool (sync or async)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        kind = credential_kind_of(self.auth)
        auth = kind.info.short if kind is not None else type(self.auth).__name__
        return f"{type(self).__name__}(base_url={self.base_url!r}, auth={auth!r}, max_retries={self.max_retries})"

    @property
    def generated_client(self) -> Client:
        """The generated low-level client: same connection pool, same auth, redaction and encoding."""
        return self._generated

    # --- requests -----------------------------------------------------------------------------------------------

    def _call(
        self,
        endpoint: Endpoint,
        image: FileSource | None,
        url: str | None,
        pdf: FileSource | None,
        pdf_page: int | None,
        options: Mapping[str, object],
        extra_options: Mapping[str, OptionValue] | None,
    ) -> OcrCall:
        """The request for exactly one input (checked and encoded) and the checked options."""
        given = [name for name, value in (("image", image), ("url", url), ("pdf", pdf)) if value is not None]
        if len(given) != 1:
            problem = "none was given" if not given else f"got {', '.join(given)}"
            raise InvalidOptionError(f"pass exactly one of image=, url=, pdf= ({problem})")
        if pdf_page is not None and pdf is None:
            raise InvalidOptionError("pdf_page= goes with pdf=")
        fields = checked_options(endpoint, options, extra_options)
        if image is not None:
            return self._image_call(endpoint, image, fields)
        if url is not None:
            return self._url_call(endpoint, url, fields)
        assert pdf is not None
        return self._pdf_page_call(endpoint, self._encoded_pdf(endpoint, pdf), pdf_page or 1, fields)

    @staticmethod
    def _quick_to_encode(image: FileSource | None, pdf: FileSource | None) -> bool:
        """Whether the input is small bytes already in memory (no file to read, little to encode)."""
        data = image if image is not None else pdf
        return data is None or (isinstance(data, bytes | bytearray | memoryview) and len(data) <= _INLINE_BYTES)

    @staticmethod
    def _model(endpoint: Endpoint, fields: Mapping[str, object]) -> Any:
        """The generated request model with ``fields``: documented ones typed, others passed through as they are."""
        model = REQUEST_MODELS[endpoint]
        documented = {name: value for name, value in fields.items() if name in LIMITS[endpoint].form_fields}
        body = model.from_dict(documented)
        body.additional_properties.update({name: v for name, v in fields.items() if name not in documented})
        return body

    def _image_call(
        self, endpoint: Endpoint, image: FileSource, fields: Mapping[str, object], identify: bool = False
    ) -> OcrCall:
        fitter: Fitter | None = None
        if self.auto_fit:
            from ._autofit import fit_image

            fitter = fit_image
        body = self._model(endpoint, fields)
        data = read_source(image, "image")
        body.image = encode_image(data, LIMITS[endpoint], endpoint, fitter)
        return OcrCall(endpoint, body, input_identity(data=data) if identify else None)

    def _url_call(self, endpoint: Endpoint, url: str, fields: Mapping[str, object]) -> OcrCall:
        body = self._model(endpoint, fields)
        body.url = validate_url(url, LIMITS[endpoint], endpoint)
        return OcrCall(endpoint, body, input_identity(url=url))

    def _encoded_pdf(self, endpoint: Endpoint, pdf: FileSource) -> EncodedFile:
        return self._read_pdf(endpoint, pdf, identify=False)[0]

    def _read_pdf(self, endpoint: Endpoint, pdf: FileSource, identify: bool) -> tuple[EncodedFile, str | None]:
        """The checked, encoded PDF, and what identifies it in a cache key (when asked)."""
        data = read_source(pdf, "pdf")
        return encode_pdf(data, LIMITS[endpoint], endpoint), input_identity(data=data) if identify else None

    def _pdf_page_call(
        self,
        endpoint: Endpoint,
        encoded_pdf: EncodedFile,
        page: int,
        fields: Mapping[str, object],
        input_id: str | None = None,
    ) -> OcrCall:
        """The request for one page (1-based) of an already encoded PDF."""
        if page < 1:
            raise InvalidOptionError(f"pdf_page is 1-based, got {page}")
        body = self._model(endpoint, fields)
        body.pdf_file = encoded_pdf
        body.pdf_file_num = str(page)
        return OcrCall(endpoint, body, input_id, page)

    def _pdf_plan(
        self,
        endpoint: Endpoint,
        pdf: FileSource,
        pages: PageSelection,
        options: Mapping[str, object],
        extra_options: Mapping[str, OptionValue] | None,
    ) -> PdfPlan[OcrCall]:
        """Check the options, read and encode the PDF once, for ``recognize_pdf``."""
        fields = checked_options(endpoint, options, extra_options)
        encoded = self._encoded_pdf(endpoint, pdf)
        return PdfPlan(pdf, pages, lambda page: self._pdf_page_call(endpoint, encoded, page, fields))

    def _preparer(
        self,
        endpoint: Endpoint,
        options: Mapping[str, object],
        extra_options: Mapping[str, OptionValue] | None,
        identify: bool = False,
    ) -> Callable[[Source], OcrCall | BaiduOCRError]:
        """Turns each source of ``recognize_many`` into its request, or the input error that keeps it from being
        sent. A PDF given as several :class:`PdfPage` items (the same object) is read and encoded once.
        ``identify``: give each request its input's identity (for a result cache)."""
        fields = checked_options(endpoint, options, extra_options)
        encoded_pdfs: dict[int, tuple[EncodedFile, str | None]] = {}

        def prepare(source: Source) -> OcrCall | BaiduOCRError:
            try:
                if isinstance(source, ImageURL):
                    return self._url_call(endpoint, source.url, fields)
                if isinstance(source, PdfPage):
                    key = id(source.pdf)
                    if key not in encoded_pdfs:
                        encoded_pdfs[key] = self._read_pdf(endpoint, source.pdf, identify)
                    encoded, input_id = encoded_pdfs[key]
                    return self._pdf_page_call(endpoint, encoded, source.page, fields, input_id)
                return self._image_call(endpoint, source, fields, identify)
            except BaiduOCRError as error:
                return error

        return prepare

    # --- sending ------------------------------------------------------------------------------------------------

    def _timeout(self, timeout: TimeoutTypes | NotGiven, deadline: Deadline) -> httpx.Timeout:
        chosen = self.timeout if isinstance(timeout, NotGiven) else timeout
        return deadline.clamp(chosen if isinstance(chosen, httpx.Timeout) else httpx.Timeout(chosen))

    def _deadline(self, deadline: float | NotGiven | None) -> Deadline:
        return Deadline.after(self.deadline if isinstance(deadline, NotGiven) else deadline)

    def _retrying(self, max_retries: int | NotGiven, deadline: Deadline) -> Any:
        """A stamina retry context (iterate it with ``for`` or ``async for``), bounded by ``deadline`` too."""
        attempts = 1 + (self.max_retries if isinstance(max_retries, NotGiven) else max_retries)
        return stamina.retry_context(
            on=RetryDecider(),
            attempts=attempts,
            timeout=deadline.remaining(),
            wait_initial=self.backoff.initial,
            wait_max=self.backoff.maximum,
            wait_jitter=self.backoff.jitter,
        )
