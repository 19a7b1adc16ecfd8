"""The Starlette ASGI application: token operation, the two OCR endpoints, health check.

Request handling of an OCR call, in order (the first failure answers, always HTTP 200 with an in-band error):

1. the credential (:mod:`.request_auth`): ``access_token`` missing/invalid → 110, expired → 111; a bce-auth-v1
   signature or bearer key that fails → 14; an ``access_token`` with an ``Authorization`` header → 100.
2. the caller's limits (per replica): daily → 17, QPS → 18.
3. body size (``Content-Length`` first, then while reading): over the operation's limit plus 64 KiB for the other
   fields → 216202.
4. options (only the fields the operation documents; others, e.g. ``detect_language`` on ``accurate_basic``, are
   accepted and ignored): a known option longer than 64 characters → 216103, any value the generated request
   model rejects (enum, ``true``/``false``, page number pattern) → 216100. Booleans are read case-insensitively
   (the official SDK sends ``True``) and an empty one is left at its default.
5. the input, by priority ``image`` > ``url`` > ``pdf_file`` (presence decides, even when empty); none → 216101,
   or 282003 ``missing parameters: image`` when the body has no fields at all.
   See :mod:`.inputs` and :mod:`.fetch` for their codes; ``url`` empty or over 1024 bytes → 282114; a PDF page
   number beyond the document → 216100.
6. OCR off the event loop, at most ``engine_threads`` at a time; any failure → 282000.

Bounds (see :class:`~.config.ServiceConfig`): after the token and app limits, an OCR request must find room among
the ``queue_depth`` requests a process holds at once, else it is answered 18 at once (its body unread, drained by
the server). Its body must arrive within ``body_timeout`` (else 282000 and the connection is closed). Images are
decoded and PDF pages rendered by at most ``decode_threads`` threads within a shared pixel budget (see
:mod:`.inputs`). A request whose client has gone is dropped before its recognition starts (nothing is answered).

Unknown paths answer HTTP 404 and wrong methods 405, both with the in-band JSON body
``{"error_code": 216102, "error_msg": "service not support"}`` (Baidu's code for an unsupported service).
Any unexpected exception answers 282000 in JSON (HTTP 200 under ``/rest/``, 500 elsewhere), never a traceback.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio
import anyio.to_thread
from PIL import Image
from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from baidu_ocr_models.models import (
    AccurateBasicRequest,
    GeneralBasicRequest,
    OcrResult,
    ParagraphResult,
    Probability,
    TokenRequest,
    WordsResult,
    WordsResultIdxItem,
)
from baidu_ocr_spec import BOOLEAN_OPTIONS, LIMITS, EndpointLimits, ErrorCode

from .budget import PixelBudget
from .config import ServiceConfig
from .controls import TestControls, TestControlsMiddleware
from .engine import ACCURATE, STANDARD, EngineProfile, EngineResult, OCREngine
from .engine_loader import EngineHolder, shared_engine
from .fetch import FetchPolicy, fetch_url
from .form import Form, parse_form
from .inputs import (
    decode_base64,
    load_image,
    render_pdf_page,
)
from .language import detect_language
from .layout import group_paragraphs, line_probability
from .middleware import LOG_KEY, AccessLogMiddleware
from .pdf_renderer import PdfRenderer, shared_renderer
from .ratelimit import AppLimiters
from .request_auth import RequestAuthenticator
from .responses import InBandError, JSONModelResponse, new_log_id, oauth_error, ocr_error
from .tokens import TokenIssuer, random_signing_key

__all__ = ["OPERATIONS", "OcrOperation", "OcrService", "create_app", "create_app_from_env"]

logger = logging.getLogger("baidu_ocr_server")

MAX_OPTION_LENGTH = 64
"""Longest accepted value of a non-input option (``language_type``, ``pdf_file_num``, booleans); else 216103."""
FORM_OVERHEAD = 64 * 1024
"""Body bytes allowed beyond the operation's limit for the fields other than the input."""
TOKEN_BODY_LIMIT = 64 * 1024
_INPUTS = ("image", "url", "pdf_file")


@dataclass(frozen=True)
class OcrOperation:
    """One OCR operation."""

    name: str
    limits: EndpointLimits
    model: type[GeneralBasicRequest] | type[AccurateBasicRequest]
    profile: EngineProfile


OPERATIONS = (
    OcrOperation("general_basic", LIMITS["general_basic"], GeneralBasicRequest, STANDARD),
    OcrOperation("accurate_basic", LIMITS["accurate_basic"], AccurateBasicRequest, ACCURATE),
)


def _note(request: Request, **fields: Any) -> None:
    """Add fields (``app``, ``error_code``) to this request's access-log line."""
    request.scope.setdefault(LOG_KEY, {}).update(fields)


class BodyTimeoutError(Exception):
    """The request body did not arrive within ``body_timeout``."""


async def _read_body(request: Request, limit: int, timeout: float) -> bytes | None:
    """The body, or ``None`` as soon as it is known to exceed ``limit`` bytes; :class:`BodyTimeoutError` when it takes
    longer than ``timeout`` seconds."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    with anyio.move_on_after(timeout) as scope:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                return None
    if scope.cancelled_caught:
        raise BodyTimeoutError
    return bytes(body)


async def _until_disconnected(request: Request, scope: anyio.CancelScope) -> None:
    """Cancel ``scope`` when the client goes away (call only once the body has been read)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
    scope.cancel()


Decoder = Callable[[], tuple[Image.Image, int | None]]
"""Blocking: the page image and, for a PDF, the document's page count."""


class ClientGoneError(Exception):
    """The client disconnected before its answer was ready."""


class OcrService:
    """The request handlers and their shared state (one per app)."""

    def __init__(
        self,
        config: ServiceConfig,
        engine: OCREngine | None = None,
        engine_loader: Callable[[], OCREngine] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        signing_key = config.signing_key
        if signing_key is None:
            signing_key = random_signing_key()
            logger.warning(
                "no signing key configured: using a random one; tokens will not survive a restart "
                "and other replicas will not accept them (set BAIDU_OCR_SERVER_SIGNING_KEY)"
            )
        self.issuer = TokenIssuer(signing_key.encode(), config.app, config.token_lifetime, clock)
        self.authenticator = RequestAuthenticator(self.issuer, config.iam_keys, config.bearer_keys, clock)
        self.limiter = AppLimiters(clock)
        self.engine = EngineHolder(engine, engine_loader or shared_engine)
        self.pixel_budget = PixelBudget(config.pixel_budget)
        self.pdf_renderer: PdfRenderer = shared_renderer(config.pdf_memory_mb, config.pdf_timeout)
        self.pending = 0
        """OCR requests held now (at most ``config.queue_depth``)."""
        self.dropped = 0
        """OCR requests dropped because their client went away before recognition."""
        self._ocr_slots: anyio.CapacityLimiter | None = None
        self._decode_slots: anyio.CapacityLimiter | None = None
        self._allow_networks = tuple(ipaddress.ip_network(n, strict=False) for n in config.url_allow_networks)

    @property
    def ocr_slots(self) -> anyio.CapacityLimiter:
        """Bounds concurrent OCR calls (created lazily: it belongs to the running event loop)."""
        if self._ocr_slots is None:
            self._ocr_slots = anyio.CapacityLimiter(self.config.engine_threads)
        return self._ocr_slots

    @property
    def decode_slots(self) -> anyio.CapacityLimiter:
        """Bounds concurrent decoding and PDF rendering (created lazily, like :attr:`ocr_slots`)."""
        if self._decode_slots is None:
            self._decode_slots = anyio.CapacityLimiter(self.config.decode_threads)
        return self._decode_slots

    # --- token -----------------------------------------------------------------------------------------------

    async def token(self, request: Request) -> Response:
        params: dict[str, str] = dict(request.query_params)
        if request.method == "POST":
            try:
                body = await _read_body(request, TOKEN_BODY_LIMIT, self.config.body_timeout)
            except BodyTimeoutError:
                response = oauth_error("invalid_request", "request body timeout", 400)
                response.headers["connection"] = "close"
                return response
            if body is None:
                return oauth_error("invalid_request", "request body too large", 400)
            params.update(parse_form(body).fields)
        try:
            token_request = TokenRequest.model_validate(
                {k: params[k] for k in ("grant_type", "client_id", "client_secret") if k in params}
            )
        except ValidationError as exc:
            errors = exc.errors()
            if any(e["type"] in ("missing", "string_too_short") for e in errors):
                return oauth_error("invalid_request", "The request is missing a required parameter", 400)
            return oauth_error("unsupported_grant_type", "The authorization grant type is not supported", 400)
        app = self.config.app(token_request.client_id)
        if app is None:
            return oauth_error("invalid_client", "unknown client id", 401)
        _note(request, app=app.client_id)
        if not _same(app.client_secret, token_request.client_secret):
            return oauth_error("invalid_client", "Client authentication failed", 401)
        return JSONModelResponse(self.issuer.issue(app))

    # --- OCR -------------------------------------------------------------------------------------------------

    async def ocr(self, request: Request, operation: OcrOperation) -> Response:
        log_id = new_log_id()
        try:
            result = await self._ocr(request, operation, log_id)
        except InBandError as exc:
            _note(request, error_code=exc.code)
            if exc.detail:
                logger.debug("log_id=%d error %d: %s", log_id, exc.code, exc.detail)
            return ocr_error(exc.code, log_id, parameter=exc.parameter)
        except BodyTimeoutError:
            _note(request, error_code=ErrorCode.INTERNAL_ERROR)
            response = ocr_error(ErrorCode.INTERNAL_ERROR, log_id)
            response.headers["connection"] = "close"
            return response
        except (ClientDisconnect, ClientGoneError):
            logger.debug("log_id=%d client went away", log_id)
            _note(request, error_code="disconnected")
            return ocr_error(ErrorCode.INTERNAL_ERROR, log_id)
        except Exception:
            logger.exception("log_id=%d internal error", log_id)
            _note(request, error_code=ErrorCode.INTERNAL_ERROR)
            return ocr_error(ErrorCode.INTERNAL_ERROR, log_id)
        return JSONModelResponse(result)

    async def _ocr(self, request: Request, operation: OcrOperation, log_id: int) -> OcrResult:
        caller = self.authenticator.authenticate(request)
        _note(request, app=caller.client_id)
        qps = caller.qps if caller.qps is not None else self.config.qps
        daily = caller.daily_limit if caller.daily_limit is not None else self.config.daily_limit
        refused = self.limiter.acquire(caller.client_id, qps, daily)
        if refused is not None:
            raise InBandError(refused)
        if self.pending >= self.config.queue_depth:
            raise InBandError(ErrorCode.QPS_LIMIT_REACHED, "queue full")
        self.pending += 1
        try:
            return await self._admitted(request, operation, log_id)
        finally:
            self.pending -= 1

    async def _admitted(self, request: Request, operation: OcrOperation, log_id: int) -> OcrResult:
        """Read, decode and recognize one admitted request; dropped as soon as its client is gone."""
        limits = operation.limits
        body = await _read_body(request, limits.max_encoded_bytes + FORM_OVERHEAD, self.config.body_timeout)
        if body is None:
            raise InBandError(ErrorCode.IMAGE_SIZE_ERROR, "body too large")
        form = parse_form(body)
        del body
        options = self._options(form, operation)
        results: list[OcrResult] = []
        failures: list[Exception] = []
        async with anyio.create_task_group() as group:
            group.start_soon(_until_disconnected, request, group.cancel_scope)
            try:
                results.append(await self._recognize(form, operation, options, log_id))
            except Exception as exc:  # re-raised outside the task group, unwrapped
                failures.append(exc)
            group.cancel_scope.cancel()
        if failures:
            raise failures[0]
        if not results:
            self.dropped += 1
            raise ClientGoneError
        return results[0]

    async def _recognize(
        self, form: Form, operation: OcrOperation, options: GeneralBasicRequest | AccurateBasicRequest, log_id: int
    ) -> OcrResult:
        decode = await self._input(form, operation, options)
        form.fields.clear()  # the decoder holds the one value it needs
        engine = await self.engine.get()
        detect_direction = options.detect_direction is True
        async with self.ocr_slots:  # waiting here is cancelled when the client goes away
            # Decoded only now: requests waiting for the engine hold their encoded input, not a decoded page.
            image, page_count = await anyio.to_thread.run_sync(decode, limiter=self.decode_slots)
            del decode
            recognize = functools.partial(engine.recognize, image, operation.profile, detect_direction)
            engine_result = await anyio.to_thread.run_sync(recognize)
        return _result(engine_result, operation, options, log_id, page_count)

    def _options(self, form: Form, operation: OcrOperation) -> GeneralBasicRequest | AccurateBasicRequest:
        """Validate the documented fields with the generated model (inputs other than the used one left out)."""
        chosen = next((name for name in _INPUTS if name in form.fields), None)
        data: dict[str, str | bool] = {}
        for name in operation.limits.form_fields:
            value = form.get(name)
            if value is None or (name in _INPUTS and name != chosen):
                continue
            if name not in _INPUTS:
                if len(value) > MAX_OPTION_LENGTH:
                    raise InBandError(ErrorCode.PARAM_TOO_LONG, name)
                if name in BOOLEAN_OPTIONS[operation.name]:
                    if not value:  # an empty flag is its default (false)
                        continue
                    flag = value.lower()  # the official SDK sends Python's "True" / "False"
                    if flag not in ("true", "false"):
                        raise InBandError(ErrorCode.INVALID_PARAM, f"{name}: not true or false")
                    data[name] = flag == "true"
                    continue
            data[name] = value
        url = form.get("url") if chosen == "url" else None
        if url is not None and not 0 < len(url.encode("utf-8")) <= operation.limits.max_url_bytes:
            raise InBandError(ErrorCode.URL_SIZE_ERROR)
        try:
            return operation.model.model_validate(data)
        except ValidationError as exc:
            error = exc.errors()[0]
            if error["loc"][:1] == ("url",) and error["type"] == "string_too_long":
                raise InBandError(ErrorCode.URL_SIZE_ERROR) from None
            raise InBandError(ErrorCode.INVALID_PARAM, f"{error['loc']}: {error['type']}") from None

    async def _input(self, form: Form, operation: OcrOperation, options: BaseModel) -> Decoder:
        """The decoder of the input by priority ``image`` > ``url`` > ``pdf_file`` (a ``url`` is downloaded now);
        it returns the page image and the PDF page count if a PDF."""
        limits = operation.limits
        fit_side = min(operation.profile.max_side_len, self.config.engine_max_side or operation.profile.max_side_len)
        if (value := form.get("image")) is not None:
            self._check_encoded_size(form, "image", limits)
            return functools.partial(self._decode_image, value, limits, fit_side)
        if (url := form.get("url")) is not None:
            max_bytes = limits.max_encoded_bytes // 4 * 3  # the image's base64 must fit the operation's limit
            if self.config.fetch_max_bytes is not None:
                max_bytes = min(max_bytes, self.config.fetch_max_bytes)
            policy = FetchPolicy(
                timeout=self.config.fetch_timeout,
                max_bytes=max_bytes,
                allow_private=self.config.allow_private_urls,
                allow_networks=self._allow_networks,
            )
            data = await fetch_url(url, policy)
            if not data:
                raise InBandError(ErrorCode.URL_RESPONSE_INVALID, "empty body")
            return functools.partial(self._load_download, data, limits, fit_side)
        if (value := form.get("pdf_file")) is not None:
            self._check_encoded_size(form, "pdf_file", limits)
            if not value:
                raise InBandError(ErrorCode.EMPTY_IMAGE)
            page = int(getattr(options, "pdf_file_num", None) or "1")
            return functools.partial(self._decode_pdf, value, page, limits, fit_side)
        if not form.fields:
            raise InBandError(ErrorCode.MISSING_PARAMETERS, "empty body", parameter="image")
        raise InBandError(ErrorCode.NOT_ENOUGH_PARAM, "no image, url or pdf_file")

    def _decode_image(self, value: str, limits: EndpointLimits, fit_side: int) -> tuple[Image.Image, None]:
        return load_image(decode_base64(value), limits, fit_side, self.pixel_budget), None

    def _load_download(self, data: bytes, limits: EndpointLimits, fit_side: int) -> tuple[Image.Image, None]:
        return load_image(data, limits, fit_side, self.pixel_budget, ErrorCode.URL_RESPONSE_INVALID), None

    def _decode_pdf(self, value: str, page: int, limits: EndpointLimits, fit_side: int) -> tuple[Image.Image, int]:
        rendered = render_pdf_page(decode_base64(value), page, limits, fit_side, self.pdf_renderer)
        return rendered.image, rendered.page_count

    @staticmethod
    def _check_encoded_size(form: Form, name: str, limits: EndpointLimits) -> None:
        if form.encoded_sizes.get(name, 0) > limits.max_encoded_bytes:
            raise InBandError(ErrorCode.IMAGE_SIZE_ERROR, f"{name} over {limits.max_encoded_bytes} bytes")

    # --- misc ------------------------------------------------------------------------------------------------

    async def healthz(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "engine_loaded": self.engine.loaded})

    async def not_supported(self, request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        _note(request, error_code=ErrorCode.SERVICE_NOT_SUPPORT)
        return ocr_error(ErrorCode.SERVICE_NOT_SUPPORT, new_log_id(), status_code=status)


def _same(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


def _result(
    engine_result: EngineResult,
    operation: OcrOperation,
    options: GeneralBasicRequest | AccurateBasicRequest,
    log_id: int,
    page_count: int | None,
) -> OcrResult:
    lines = engine_result.lines
    with_probability = options.probability is True
    words = []
    for line in lines:
        probability = None
        if with_probability:
            average, variance, minimum = line_probability(line.char_scores)
            probability = Probability(average=average, variance=variance, min=minimum)
        words.append(WordsResult(words=line.text, probability=probability))
    result = OcrResult(log_id=log_id, words_result_num=len(words), words_result=words)
    if options.detect_direction is True:
        result.direction = engine_result.rotation // 90
    if options.paragraph is True:
        groups = group_paragraphs(lines)
        result.paragraphs_result = [
            ParagraphResult(words_result_idx=[WordsResultIdxItem(index) for index in group]) for group in groups
        ]
        result.paragraphs_result_num = len(groups)
    if isinstance(options, GeneralBasicRequest) and options.detect_language is True:
        result.language = detect_language([line.text for line in lines])
    if page_count is not None:
        result.pdf_file_size = str(page_count)
    return result


def create_app(
    config: ServiceConfig | None = None,
    engine: OCREngine | None = None,
    *,
    engine_loader: Callable[[], OCREngine] | None = None,
    clock: Callable[[], float] = time.time,
    test_controls: TestControls | None = None,
) -> Starlette:
    """The ASGI app for ``config`` (defaults: the demo app, a random signing key).

    ``engine``: use this engine; otherwise ``engine_loader`` (default: the process-wide shared RapidOCR engine)
    is called once, in a worker thread, at start-up when ``config.preload_engine`` and the server runs the
    lifespan, else on the first OCR request. ``clock`` (epoch seconds) drives token expiry and the limits.
    ``test_controls`` (tests only; never set by ``serve``) installs fault injection and the request journal.
    """
    config = config or ServiceConfig()
    service = OcrService(config, engine, engine_loader, clock)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with anyio.create_task_group() as group:
            if config.preload_engine and not service.engine.loaded:
                group.start_soon(_preload, service.engine)
            yield
            group.cancel_scope.cancel()

    routes = [
        Route("/oauth/2.0/token", service.token, methods=["GET", "POST"]),
        Route("/healthz", service.healthz, methods=["GET"]),
    ]
    for operation in OPERATIONS:
        routes.append(
            Route(operation.limits.path, functools.partial(service.ocr, operation=operation), methods=["POST"])
        )
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(AccessLogMiddleware),
            *([Middleware(TestControlsMiddleware, controls=test_controls)] if test_controls is not None else []),
        ],
        exception_handlers={HTTPException: service.not_supported},
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False  # ".../general_basic/" answers 216102 like any unknown path, not a 307
    app.state.service = service
    return app


async def _preload(holder: EngineHolder) -> None:
    try:
        await holder.get()
    except Exception:
        logger.exception("loading the OCR engine failed; OCR requests will answer 282000 until it loads")


def create_app_from_env() -> Starlette:
    """Factory for ``uvicorn --factory baidu_ocr_server.app:create_app_from_env`` (config from the environment)."""
    return create_app(ServiceConfig.from_env())
