"""The synchronous client."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Self, Unpack

import httpx

from baidu_ocr_client.models import AccurateLanguageType, GeneralLanguageType, TokenResponse

from ._base import (
    FORM_HEADERS,
    NOT_GIVEN,
    BaseOCR,
    NotGiven,
    TimeoutTypes,
    interpret_ocr_answer,
    transport_error,
)
from ._batch import (
    ItemResult,
    PageSelection,
    Prepared,
    RateLimiter,
    Source,
    as_limiter,
    collect_in_order,
    prepare_sources,
    raise_first_error,
)
from ._errors import APIError
from ._inputs import FileSource
from ._options import Endpoint, GeneralOptions, OptionValue, option_fields
from ._result import OCRResult
from ._token import TOKEN_PATH, parse_token_response

__all__ = ["OCR"]


class OCR(BaseOCR[httpx.BaseTransport]):
    """Baidu OCR general text recognition, synchronous. Thread-safe; use one instance for many calls.

    Settings and credentials: see :class:`~baidu_ocr._base.BaseOCR`.
    """

    _token_lock: threading.Lock
    _http: httpx.Client

    def _open(self) -> None:
        self._token_lock = threading.Lock()
        self._http = self._generated.get_httpx_client()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def general_basic(
        self,
        image: FileSource | None = None,
        *,
        url: str | None = None,
        pdf: FileSource | None = None,
        pdf_page: int | None = None,
        language_type: GeneralLanguageType | str | None = None,
        detect_direction: bool | None = None,
        detect_language: bool | None = None,
        paragraph: bool | None = None,
        probability: bool | None = None,
        extra_options: Mapping[str, OptionValue] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> OCRResult:
        """Recognize the text of one image, image url or PDF page (standard edition)."""
        options = {
            "language_type": language_type,
            "detect_direction": detect_direction,
            "detect_language": detect_language,
            "paragraph": paragraph,
            "probability": probability,
            "extra_options": extra_options,
        }
        body = self._build_body("general_basic", image, url, pdf, pdf_page, options)
        return self._recognize("general_basic", body, timeout, max_retries)

    def accurate_basic(
        self,
        image: FileSource | None = None,
        *,
        url: str | None = None,
        pdf: FileSource | None = None,
        pdf_page: int | None = None,
        language_type: AccurateLanguageType | str | None = None,
        detect_direction: bool | None = None,
        paragraph: bool | None = None,
        probability: bool | None = None,
        extra_options: Mapping[str, OptionValue] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> OCRResult:
        """Recognize the text of one image, image url or PDF page (high-accuracy edition)."""
        options = {
            "language_type": language_type,
            "detect_direction": detect_direction,
            "paragraph": paragraph,
            "probability": probability,
            "extra_options": extra_options,
        }
        body = self._build_body("accurate_basic", image, url, pdf, pdf_page, options)
        return self._recognize("accurate_basic", body, timeout, max_retries)

    def recognize_pdf(
        self,
        pdf: FileSource,
        *,
        pages: PageSelection = "all",
        endpoint: Endpoint = "general_basic",
        concurrency: int = 1,
        **options: Unpack[GeneralOptions],
    ) -> list[OCRResult]:
        """Recognize every page of a PDF (or ``pages``: ``"1-3,5"``, ``"4-"``, a range, page numbers), in order.

        The first page asked for tells the page count (``pdf_file_size``); the rest run ``concurrency`` at a time.
        The PDF is read and encoded once. The first failing page raises its error.
        """
        plan = self.plan_pdf(endpoint, pdf, pages, dict(options))
        first = self._recognize(endpoint, plan.first_body, NOT_GIVEN, NOT_GIVEN)
        others = self._run_all(endpoint, plan.other_pages(first), concurrency, None)
        return [first, *(raise_first_error(item) for item in others)]

    def recognize_many(
        self,
        sources: Iterable[Source],
        *,
        endpoint: Endpoint = "general_basic",
        concurrency: int = 4,
        qps: float | RateLimiter | None = None,
        **options: Unpack[GeneralOptions],
    ) -> Iterator[ItemResult]:
        """Recognize many images, image urls (:class:`ImageURL`) or PDF pages (:class:`PdfPage`) concurrently.

        Yields one :class:`ItemResult` per source, in input order; a failed item carries its error and does not
        stop the others. ``qps`` caps requests per second (Baidu's free tier allows about 2); pass one
        :class:`RateLimiter` to several calls to keep one pace across them.
        """
        fields = option_fields(endpoint, dict(options))
        limiter = as_limiter(qps)
        yield from self._run_all(endpoint, prepare_sources(self, endpoint, sources, fields), concurrency, limiter)

    def access_token(self) -> str:
        """A valid access token: the cached one, or a newly fetched one."""
        if self._fixed_token is not None:
            return self._fixed_token
        token = self._tokens.current()
        if token is not None:
            return token
        with self._token_lock:  # single flight: the first caller fetches, the others find it cached
            token = self._tokens.current()
            if token is None:
                token = self._tokens.store(self._fetch_token())
            return token

    def _fetch_token(self) -> TokenResponse:
        try:
            response = self._http.post(TOKEN_PATH, content=self._token_body(), headers=FORM_HEADERS)
        except httpx.TransportError as err:
            failure = transport_error(err, "token request")
        else:
            return parse_token_response(response.status_code, response.content)
        raise failure  # outside the handler: no __context__ keeping httpx's request (and its URL) alive

    def _recognize(
        self, endpoint: Endpoint, body: bytes, timeout: TimeoutTypes | NotGiven, max_retries: int | NotGiven
    ) -> OCRResult:
        for attempt in self._retrying(max_retries):
            with attempt:
                return self._recognize_once(endpoint, body, self._timeout(timeout))
        raise AssertionError("unreachable")  # pragma: no cover

    def _recognize_once(self, endpoint: Endpoint, body: bytes, timeout: httpx.Timeout) -> OCRResult:
        token = self.access_token()
        try:
            return self._post(endpoint, body, token, timeout)
        except APIError as error:
            if not self._should_refresh(error, self.can_refresh_token):
                raise
            with self._token_lock:
                self._tokens.invalidate(token)
            return self._post(endpoint, body, self.access_token(), timeout)

    def _post(self, endpoint: Endpoint, body: bytes, token: str, timeout: httpx.Timeout) -> OCRResult:
        started = time.perf_counter()
        try:
            response = self._http.post(
                self._ocr_path(endpoint),
                params={"access_token": token},
                content=body,
                headers=FORM_HEADERS,
                timeout=timeout,
            )
        except httpx.TransportError as err:
            failure = transport_error(err, f"{endpoint} request")
        else:
            return interpret_ocr_answer(
                response.status_code, response.headers, response.content, time.perf_counter() - started
            )
        raise failure  # outside the handler: no __context__ keeping the URL with the token alive

    def _run_all(
        self, endpoint: Endpoint, prepared: Iterable[Prepared], concurrency: int, limiter: RateLimiter | None
    ) -> Iterator[ItemResult]:
        def run(body: bytes) -> OCRResult:
            if limiter is not None:
                time.sleep(limiter.reserve())
            return self._recognize(endpoint, body, NOT_GIVEN, NOT_GIVEN)

        return collect_in_order(prepared, run, concurrency)
