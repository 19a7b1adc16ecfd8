"""The Starlette ASGI application: token endpoint, the two OCR endpoints, health check.

Request handling of an OCR call, in order (the first failure answers, always HTTP 200 with an in-band error):

1. ``access_token`` query parameter: missing/invalid → 110, expired → 111.
2. the app's limits (per replica): daily → 17, QPS → 18.
3. body size (``Content-Length`` first, then while reading): over the endpoint's limit plus 64 KiB for the other
   fields → 216202.
4. options (only the fields the endpoint documents; others, e.g. ``detect_language`` on ``accurate_basic``, are
   accepted and ignored): a known option longer than 64 characters → 216103, any value the generated request
   model rejects (enum, ``true``/``false``, page number pattern) → 216100. Booleans are read case-insensitively
   (the official SDK sends ``True``) and an empty one is left at its default.
5. the input, by priority ``image`` > ``url`` > ``pdf_file`` (presence decides, even when empty); none → 216101,
   or 282003 ``missing parameters: image`` when the body has no fields at all.
   See :mod:`.inputs` and :mod:`.fetch` for their codes; ``url`` empty or over 1024 bytes → 282114; a PDF page
   number beyond the document → 216100.
6. OCR off the event loop, at most ``engine_threads`` at a time; any failure → 282000.

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
from baidu_ocr_spec import LIMITS, EndpointLimits

from .config import ServiceConfig
from .engine import ACCURATE, STANDARD, EngineProfile, EngineResult, OCREngine
from .engine_loader import EngineHolder, shared_engine
from .fetch import FetchPolicy, fetch_url
from .form import Form, parse_form
from .inputs import (
    EMPTY_IMAGE,
    IMAGE_SIZE_ERROR,
    INVALID_PARAM,
    decode_base64,
    load_image,
    render_pdf_page,
)
from .language import detect_language
from .layout import group_paragraphs, line_probability
from .middleware import LOG_KEY, AccessLogMiddleware
from .ratelimit import RateLimiter
from .responses import ApiError, JSONModelResponse, new_log_id, oauth_error, ocr_error
from .tokens import TokenError, TokenIssuer, random_signing_key

__all__ = ["ENDPOINTS", "Endpoint", "OcrService", "create_app", "create_app_from_env"]

logger = logging.getLogger("baidu_ocr_server")

ACCESS_TOKEN_INVALID = 110
PARAM_TOO_LONG = 216103
NOT_ENOUGH_PARAM = 216101
MISSING_PARAMETERS = 282003
SERVICE_NOT_SUPPORT = 216102
INTERNAL_ERROR = 282000
URL_SIZE_ERROR = 282114
URL_RESPONSE_INVALID = 282113
MAX_OPTION_LENGTH = 64
"""Longest accepted value of a non-input option (``language_type``, ``pdf_file_num``, booleans); else 216103."""
FORM_OVERHEAD = 64 * 1024
"""Body bytes allowed beyond the endpoint's limit for the fields other than the input."""
TOKEN_BODY_LIMIT = 64 * 1024
_INPUTS = ("image", "url", "pdf_file")
_BOOLEAN_OPTIONS = frozenset({"detect_direction", "detect_language", "paragraph", "probability"})


@dataclass(frozen=True)
class Endpoint:
    """One OCR operation."""

    name: str
    limits: EndpointLimits
    model: type[GeneralBasicRequest] | type[AccurateBasicRequest]
    profile: EngineProfile

    @property
    def detects_language(self) -> bool:
        return "detect_language" in self.limits.form_fields


ENDPOINTS = (
    Endpoint("general_basic", LIMITS["general_basic"], GeneralBasicRequest, STANDARD),
    Endpoint("accurate_basic", LIMITS["accurate_basic"], AccurateBasicRequest, ACCURATE),
)


def _note(request: Request, **fields: Any) -> None:
    """Add fields (``app``, ``error_code``) to this request's access-log line."""
    request.scope.setdefault(LOG_KEY, {}).update(fields)


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The body, or ``None`` as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _decode_image(value: str, limits: EndpointLimits) -> Image.Image:
    return load_image(decode_base64(value), limits)


def _decode_pdf(value: str, page: int, limits: EndpointLimits) -> tuple[Image.Image, int]:
    rendered = render_pdf_page(decode_base64(value), page, limits)
    return rendered.image, rendered.page_count


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
        self.issuer = TokenIssuer(signing_key.encode(), config.apps, config.token_lifetime, clock)
        self.limiter = RateLimiter(clock)
        self.engine = EngineHolder(engine, engine_loader or shared_engine)
        self._ocr_slots: anyio.CapacityLimiter | None = None
        self._allow_networks = tuple(ipaddress.ip_network(n, strict=False) for n in config.url_allow_networks)

    @property
    def ocr_slots(self) -> anyio.CapacityLimiter:
        """Bounds concurrent OCR calls (created lazily: it belongs to the running event loop)."""
        if self._ocr_slots is None:
            self._ocr_slots = anyio.CapacityLimiter(self.config.engine_threads)
        return self._ocr_slots

    # --- token -----------------------------------------------------------------------------------------------

    async def token(self, request: Request) -> Response:
        params: dict[str, str] = dict(request.query_params)
        if request.method == "POST":
            body = await _read_body(request, TOKEN_BODY_LIMIT)
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

    async def ocr(self, request: Request, endpoint: Endpoint) -> Response:
        log_id = new_log_id()
        try:
            result = await self._ocr(request, endpoint, log_id)
        except ApiError as exc:
            _note(request, error_code=exc.code)
            if exc.detail:
                logger.debug("log_id=%d error %d: %s", log_id, exc.code, exc.detail)
            return ocr_error(exc.code, log_id, parameter=exc.parameter)
        except ClientDisconnect:
            logger.debug("log_id=%d client went away", log_id)
            _note(request, error_code="disconnected")
            return ocr_error(INTERNAL_ERROR, log_id)
        except Exception:
            logger.exception("log_id=%d internal error", log_id)
            _note(request, error_code=INTERNAL_ERROR)
            return ocr_error(INTERNAL_ERROR, log_id)
        return JSONModelResponse(result)

    async def _ocr(self, request: Request, endpoint: Endpoint, log_id: int) -> OcrResult:
        token = request.query_params.get("access_token", "")
        try:
            app = self.issuer.verify(token)
        except TokenError as exc:
            raise ApiError(exc.status.value) from None
        _note(request, app=app.client_id)
        qps = app.qps if app.qps is not None else self.config.qps
        daily = app.daily_limit if app.daily_limit is not None else self.config.daily_limit
        refused = self.limiter.acquire(app.client_id, qps, daily)
        if refused is not None:
            raise ApiError(refused)

        limits = endpoint.limits
        body = await _read_body(request, limits.max_encoded_bytes + FORM_OVERHEAD)
        if body is None:
            raise ApiError(IMAGE_SIZE_ERROR, "body too large")
        form = parse_form(body)
        options = self._options(form, endpoint)
        image, page_count = await self._input(form, endpoint, options)

        engine = await self.engine.get()
        detect_direction = options.detect_direction == "true"
        recognize = functools.partial(engine.recognize, image, endpoint.profile, detect_direction)
        engine_result = await anyio.to_thread.run_sync(recognize, limiter=self.ocr_slots)
        return _result(engine_result, endpoint, options, log_id, page_count)

    def _options(self, form: Form, endpoint: Endpoint) -> GeneralBasicRequest | AccurateBasicRequest:
        """Validate the documented fields with the generated model (inputs other than the used one left out)."""
        chosen = next((name for name in _INPUTS if name in form.fields), None)
        data: dict[str, str] = {}
        for name in endpoint.limits.form_fields:
            value = form.get(name)
            if value is None or (name in _INPUTS and name != chosen):
                continue
            if name not in _INPUTS:
                if len(value) > MAX_OPTION_LENGTH:
                    raise ApiError(PARAM_TOO_LONG, name)
                if name in _BOOLEAN_OPTIONS:
                    if not value:  # an empty flag is its default (false)
                        continue
                    value = value.lower()  # the official SDK sends Python's "True" / "False"
            data[name] = value
        url = data.get("url")
        if url is not None and not 0 < len(url.encode("utf-8")) <= endpoint.limits.max_url_bytes:
            raise ApiError(URL_SIZE_ERROR)
        try:
            return endpoint.model.model_validate(data)
        except ValidationError as exc:
            error = exc.errors()[0]
            if error["loc"][:1] == ("url",) and error["type"] == "string_too_long":
                raise ApiError(URL_SIZE_ERROR) from None
            raise ApiError(INVALID_PARAM, f"{error['loc']}: {error['type']}") from None

    async def _input(self, form: Form, endpoint: Endpoint, options: BaseModel) -> tuple[Image.Image, int | None]:
        """The page image by priority ``image`` > ``url`` > ``pdf_file``, and the PDF page count if a PDF."""
        limits = endpoint.limits
        if (value := form.get("image")) is not None:
            self._check_encoded_size(form, "image", limits)
            return await anyio.to_thread.run_sync(_decode_image, value, limits), None
        if (url := form.get("url")) is not None:
            max_bytes = limits.max_encoded_bytes // 4 * 3  # the image's base64 must fit the endpoint's limit
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
                raise ApiError(URL_RESPONSE_INVALID, "empty body")
            return await anyio.to_thread.run_sync(load_image, data, limits, URL_RESPONSE_INVALID), None
        if (value := form.get("pdf_file")) is not None:
            self._check_encoded_size(form, "pdf_file", limits)
            if not value:
                raise ApiError(EMPTY_IMAGE)
            page = int(getattr(options, "pdf_file_num", None) or "1")
            return await anyio.to_thread.run_sync(_decode_pdf, value, page, limits)
        if not form.fields:
            raise ApiError(MISSING_PARAMETERS, "empty body", parameter="image")
        raise ApiError(NOT_ENOUGH_PARAM, "no image, url or pdf_file")

    @staticmethod
    def _check_encoded_size(form: Form, name: str, limits: EndpointLimits) -> None:
        if form.encoded_sizes.get(name, 0) > limits.max_encoded_bytes:
            raise ApiError(IMAGE_SIZE_ERROR, f"{name} over {limits.max_encoded_bytes} bytes")

    # --- misc ------------------------------------------------------------------------------------------------

    async def healthz(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "engine_loaded": self.engine.loaded})

    async def not_supported(self, request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        _note(request, error_code=SERVICE_NOT_SUPPORT)
        return ocr_error(SERVICE_NOT_SUPPORT, new_log_id(), status_code=status)


def _same(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


def _result(
    engine_result: EngineResult,
    endpoint: Endpoint,
    options: GeneralBasicRequest | AccurateBasicRequest,
    log_id: int,
    page_count: int | None,
) -> OcrResult:
    lines = engine_result.lines
    with_probability = options.probability == "true"
    words = []
    for line in lines:
        probability = None
        if with_probability:
            average, variance, minimum = line_probability(line.char_scores)
            probability = Probability(average=average, variance=variance, min=minimum)
        words.append(WordsResult(words=line.text, probability=probability))
    result = OcrResult(log_id=log_id, words_result_num=len(words), words_result=words)
    if options.detect_direction == "true":
        result.direction = engine_result.rotation // 90
    if options.paragraph == "true":
        groups = group_paragraphs(lines)
        result.paragraphs_result = [
            ParagraphResult(words_result_idx=[WordsResultIdxItem(index) for index in group]) for group in groups
        ]
        result.paragraphs_result_num = len(groups)
    if isinstance(options, GeneralBasicRequest) and options.detect_language == "true":
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
) -> Starlette:
    """The ASGI app for ``config`` (defaults: the demo app, a random signing key).

    ``engine``: use this engine; otherwise ``engine_loader`` (default: the process-wide shared RapidOCR engine)
    is called once, in a worker thread, at start-up when ``config.preload_engine`` and the server runs the
    lifespan, else on the first OCR request. ``clock`` (epoch seconds) drives token expiry and the limits.
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
    for endpoint in ENDPOINTS:
        routes.append(Route(endpoint.limits.path, functools.partial(service.ocr, endpoint=endpoint), methods=["POST"]))
    app = Starlette(
        routes=routes,
        middleware=[Middleware(AccessLogMiddleware)],
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
