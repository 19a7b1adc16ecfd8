"""The asyncio client: the same requests, answers, retries and errors as :class:`~baidu_ocr.OCR`."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any, Self, Unpack

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
    prepare_sources,
    raise_first_error,
)
from ._errors import APIError, BaiduOCRError, InvalidOptionError
from ._inputs import FileSource
from ._options import Endpoint, GeneralOptions, OptionValue, option_fields
from ._result import OCRResult
from ._token import TOKEN_PATH, parse_token_response

__all__ = ["AsyncOCR"]


class AsyncOCR(BaseOCR[httpx.AsyncBaseTransport]):
    """Baidu OCR general text recognition for asyncio. Settings and credentials as :class:`~baidu_ocr.OCR`."""

    _token_lock: asyncio.Lock
    _http: httpx.AsyncClient

    def _open(self) -> None:
        self._token_lock = asyncio.Lock()
        self._http = self._generated.get_async_httpx_client()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def general_basic(
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
        body = await asyncio.to_thread(self._build_body, "general_basic", image, url, pdf, pdf_page, options)
        return await self._recognize("general_basic", body, timeout, max_retries)

    async def accurate_basic(
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
        body = await asyncio.to_thread(self._build_body, "accurate_basic", image, url, pdf, pdf_page, options)
        return await self._recognize("accurate_basic", body, timeout, max_retries)

    async def recognize_pdf(
        self,
        pdf: FileSource,
        *,
        pages: PageSelection = "all",
        endpoint: Endpoint = "general_basic",
        concurrency: int = 1,
        **options: Unpack[GeneralOptions],
    ) -> list[OCRResult]:
        """Recognize every page of a PDF (or ``pages``), in page order; see :meth:`OCR.recognize_pdf`."""
        plan = await asyncio.to_thread(self.plan_pdf, endpoint, pdf, pages, dict(options))  # reads and encodes
        first = await self._recognize(endpoint, plan.first_body, NOT_GIVEN, NOT_GIVEN)
        others = self._run_all(endpoint, plan.other_pages(first), concurrency, None)
        return [first, *[raise_first_error(item) async for item in others]]

    async def recognize_many(
        self,
        sources: Iterable[Source],
        *,
        endpoint: Endpoint = "general_basic",
        concurrency: int = 4,
        qps: float | RateLimiter | None = None,
        **options: Unpack[GeneralOptions],
    ) -> AsyncIterator[ItemResult]:
        """Recognize many sources concurrently; yields in input order. See :meth:`OCR.recognize_many`."""
        fields = option_fields(endpoint, dict(options))
        limiter = as_limiter(qps)
        async for item in self._run_all(
            endpoint, prepare_sources(self, endpoint, sources, fields), concurrency, limiter
        ):
            yield item

    async def access_token(self) -> str:
        """A valid access token: the cached one, or a newly fetched one."""
        if self._fixed_token is not None:
            return self._fixed_token
        token = self._tokens.current()
        if token is not None:
            return token
        async with self._token_lock:  # single flight: the first caller fetches, the others find it cached
            token = self._tokens.current()
            if token is None:
                token = self._tokens.store(await self._fetch_token())
            return token

    async def _fetch_token(self) -> TokenResponse:
        try:
            response = await self._http.post(TOKEN_PATH, content=self._token_body(), headers=FORM_HEADERS)
        except httpx.TransportError as err:
            failure = transport_error(err, "token request")
        else:
            return parse_token_response(response.status_code, response.content)
        raise failure  # outside the handler: no __context__ keeping httpx's request (and its URL) alive

    async def _recognize(
        self, endpoint: Endpoint, body: bytes, timeout: TimeoutTypes | NotGiven, max_retries: int | NotGiven
    ) -> OCRResult:
        async for attempt in self._retrying(max_retries):
            with attempt:
                return await self._recognize_once(endpoint, body, self._timeout(timeout))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _recognize_once(self, endpoint: Endpoint, body: bytes, timeout: httpx.Timeout) -> OCRResult:
        token = await self.access_token()
        try:
            return await self._post(endpoint, body, token, timeout)
        except APIError as error:
            if not self._should_refresh(error, self.can_refresh_token):
                raise
            self._tokens.invalidate(token)
            return await self._post(endpoint, body, await self.access_token(), timeout)

    async def _post(self, endpoint: Endpoint, body: bytes, token: str, timeout: httpx.Timeout) -> OCRResult:
        started = time.perf_counter()
        try:
            response = await self._http.post(
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

    async def _run_all(
        self, endpoint: Endpoint, prepared: Iterable[Prepared], concurrency: int, limiter: RateLimiter | None
    ) -> AsyncIterator[ItemResult]:
        if concurrency < 1:
            raise InvalidOptionError(f"concurrency must be at least 1, got {concurrency}")
        semaphore = asyncio.Semaphore(concurrency)

        async def run(index: int, source: Any, body: bytes | BaiduOCRError) -> ItemResult:
            if isinstance(body, BaiduOCRError):
                return ItemResult(index, source, error=body)
            async with semaphore:
                if limiter is not None:
                    await asyncio.sleep(limiter.reserve())
                try:
                    return ItemResult(index, source, result=await self._recognize(endpoint, body, NOT_GIVEN, NOT_GIVEN))
                except BaiduOCRError as error:
                    return ItemResult(index, source, error=error)

        window: deque[asyncio.Task[ItemResult]] = deque()
        entries = enumerate(prepared)
        try:  # each body is read and encoded in a worker thread, off the event loop
            while (entry := await asyncio.to_thread(next, entries, None)) is not None:
                index, (source, body) = entry
                window.append(asyncio.ensure_future(run(index, source, body)))
                while len(window) > 2 * concurrency or (window and window[0].done()):
                    yield await window.popleft()
            while window:
                yield await window.popleft()
        finally:
            for task in window:
                task.cancel()
