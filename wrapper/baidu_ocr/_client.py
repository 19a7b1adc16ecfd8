"""The synchronous client. Generated from ``_async_client.py`` by ``scripts/unasync.py``: do not edit this
file; edit the async client and run ``python scripts/unasync.py``."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, Self, Unpack, overload

import httpx

from baidu_ocr_client.errors import UnexpectedResponse
from baidu_ocr_spec import AccurateBasicOptions, GeneralBasicOptions

from ._accounting import CallCounters
from ._base import (
    NOT_GIVEN,
    BaseOCR,
    NotGiven,
    OcrCall,
    TimeoutTypes,
    read_answer,
    transport_error,
    unexpected_answer,
)
from ._batch import (
    ItemResult,
    PageSelection,
    RateLimiter,
    Source,
    raise_first_error,
)
from ._batch_controls import BatchControls, batch_pace
from ._bounds import Deadline, bound_response, time_limit
from ._concurrency import OrderedPool, run_blocking, sleep
from ._errors import BaiduOCRError, ConfigurationError
from ._inputs import FileSource
from ._options import Endpoint, OptionValue, checked_options
from ._pace import PACED_REFUSALS, AdaptivePace, pace_signal
from ._result import OCRResult
from ._result_cache import ResultCache, cache_scope

__all__ = ["OCR"]


class OCR(BaseOCR[httpx.BaseTransport]):
    """Baidu OCR general text recognition, synchronous. Thread-safe; use one instance for many calls.

    Credentials, one kind (two at once is a :class:`~baidu_ocr.ConfigurationError`):

    - ``api_key`` + ``secret_key``: the app's keys; an access token is fetched, cached and renewed
      (``cache_file=True`` keeps it in the user cache directory between processes, or a path);
    - ``access_token``: a ready token (not renewed);
    - ``access_key_id`` + ``secret_access_key``: IAM keys, every request signed (bce-auth-v1);
    - ``bearer_key``: a Baidu Cloud API key ``bce-v3/ALTAK-…/…``, sent as ``Authorization: Bearer``;
    - ``auth``: any ``httpx.Auth``, e.g. ``ClientCredentialsAuth``, ``AccessTokenAuth``, ``BceV1Auth``,
      ``BearerAuth``;
    - none: the environment (``BAIDU_OCR_API_KEY`` + ``BAIDU_OCR_SECRET_KEY``, ``BAIDU_OCR_ACCESS_TOKEN``,
      ``BAIDU_OCR_ACCESS_KEY_ID`` + ``BAIDU_OCR_SECRET_ACCESS_KEY``, or ``BAIDU_OCR_BEARER_KEY``).

    Settings:

    - ``base_url`` (or ``BAIDU_OCR_BASE_URL``): any Baidu-compatible server, e.g. the local service
      ``http://127.0.0.1:8282``; default ``https://aip.baidubce.com``.
    - ``timeout``: seconds (or an ``httpx.Timeout``) for each connect, read and write — not for a whole call.
    - ``deadline``: seconds a whole call may take, across reads and retries (default 300; ``None``: no deadline).
    - ``max_retries`` (default 2) and ``backoff``: retries of QPS limits, transient server errors, timeouts and
      connection errors; never of quota, parameter, image or auth errors.
    - ``max_response_bytes``: the largest answer read (default 32 MiB).
    - ``auto_fit``: re-encode images that break the endpoint's limits (needs Pillow).
    - ``proxy``, ``transport``, ``httpx_args``: passed to httpx.

    ``timeout``, ``deadline`` and ``max_retries`` can be overridden per call. ``generated_client`` is the
    generated low-level client on the same connection pool, with the same auth.
    """

    _http: httpx.Client

    def _response_bound(self) -> object:
        return bound_response(self.max_response_bytes)

    def _open(self) -> None:
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
        extra_options: Mapping[str, OptionValue] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        **options: Unpack[GeneralBasicOptions],
    ) -> OCRResult:
        """Recognize the text of one image, image url or PDF page (standard edition).

        Pass exactly one input: ``image`` (bytes, a path or a binary file), ``url`` or ``pdf`` (with ``pdf_page``,
        1-based). ``options`` are the endpoint's documented options (``language_type``, ``detect_direction``, …);
        ``extra_options`` passes options the spec does not know yet.
        """
        call = run_blocking(
            functools.partial(self._call, "general_basic", image, url, pdf, pdf_page, options, extra_options),
            inline=self._quick_to_encode(image, pdf),
        )
        return self._recognize(call, timeout, deadline, max_retries)

    def accurate_basic(
        self,
        image: FileSource | None = None,
        *,
        url: str | None = None,
        pdf: FileSource | None = None,
        pdf_page: int | None = None,
        extra_options: Mapping[str, OptionValue] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        **options: Unpack[AccurateBasicOptions],
    ) -> OCRResult:
        """Recognize the text of one image, image url or PDF page (high-accuracy edition); arguments as
        :meth:`general_basic`."""
        call = run_blocking(
            functools.partial(self._call, "accurate_basic", image, url, pdf, pdf_page, options, extra_options),
            inline=self._quick_to_encode(image, pdf),
        )
        return self._recognize(call, timeout, deadline, max_retries)

    @overload
    def recognize_pdf(
        self,
        pdf: FileSource,
        *,
        pages: PageSelection = "all",
        endpoint: Literal["general_basic"] = "general_basic",
        concurrency: int = 1,
        extra_options: Mapping[str, OptionValue] | None = None,
        **options: Unpack[GeneralBasicOptions],
    ) -> list[OCRResult]: ...

    @overload
    def recognize_pdf(
        self,
        pdf: FileSource,
        *,
        pages: PageSelection = "all",
        endpoint: Literal["accurate_basic"],
        concurrency: int = 1,
        extra_options: Mapping[str, OptionValue] | None = None,
        **options: Unpack[AccurateBasicOptions],
    ) -> list[OCRResult]: ...

    def recognize_pdf(
        self,
        pdf: FileSource,
        *,
        pages: PageSelection = "all",
        endpoint: Endpoint = "general_basic",
        concurrency: int = 1,
        extra_options: Mapping[str, OptionValue] | None = None,
        **options: Any,
    ) -> list[OCRResult]:
        """Recognize every page of a PDF (or ``pages``: ``"1-3,5"``, ``"4-"``, a range, page numbers), in order.

        The first page asked for tells the page count (``pdf_file_size``); the rest run ``concurrency`` at a time.
        The PDF is read and encoded once. The first failing page raises its error.
        """
        plan = run_blocking(functools.partial(self._pdf_plan, endpoint, pdf, pages, options, extra_options))
        first = self._recognize(plan.first_call, NOT_GIVEN, NOT_GIVEN, NOT_GIVEN)
        results = [first]
        for item in self._run_all(plan.other_pages(first), plan.page_call, concurrency, None, BatchControls()):
            results.append(raise_first_error(item))
        return results

    @overload
    def recognize_many(
        self,
        sources: Iterable[Source],
        *,
        endpoint: Literal["general_basic"] = "general_basic",
        concurrency: int = 4,
        qps: float | RateLimiter | None = None,
        pace: AdaptivePace | None = None,
        cache: ResultCache | None = None,
        counters: CallCounters | None = None,
        extra_options: Mapping[str, OptionValue] | None = None,
        **options: Unpack[GeneralBasicOptions],
    ) -> Iterator[ItemResult]: ...

    @overload
    def recognize_many(
        self,
        sources: Iterable[Source],
        *,
        endpoint: Literal["accurate_basic"],
        concurrency: int = 4,
        qps: float | RateLimiter | None = None,
        pace: AdaptivePace | None = None,
        cache: ResultCache | None = None,
        counters: CallCounters | None = None,
        extra_options: Mapping[str, OptionValue] | None = None,
        **options: Unpack[AccurateBasicOptions],
    ) -> Iterator[ItemResult]: ...

    def recognize_many(
        self,
        sources: Iterable[Source],
        *,
        endpoint: Endpoint = "general_basic",
        concurrency: int = 4,
        qps: float | RateLimiter | None = None,
        pace: AdaptivePace | None = None,
        cache: ResultCache | None = None,
        counters: CallCounters | None = None,
        extra_options: Mapping[str, OptionValue] | None = None,
        **options: Any,
    ) -> Iterator[ItemResult]:
        """Recognize many images, image urls (:class:`ImageURL`) or PDF pages (:class:`PdfPage`) concurrently.

        Yields one :class:`ItemResult` per source, in input order; a failed item carries its error and does not
        stop the others.

        - ``qps``: start at this many requests per second and never go faster; slow down when the service says
          "too fast" (error 18), speed up again slowly (Baidu's free tier allows 2). A :class:`RateLimiter` keeps
          a fixed pace.
        - ``pace``: an :class:`AdaptivePace` to share between calls and clients (instead of ``qps``).
        - ``cache``: a :class:`ResultCache`: an item it holds is answered from it (``result.from_cache``), and
          each new result is stored (errors never are).
        - ``counters``: :class:`CallCounters` to add this call's requests, retries, refusals, cached answers and
          outcomes to.
        """
        fields = checked_options(endpoint, options, extra_options)
        controls = BatchControls(None, cache, counters, fields, cache_scope(self.base_url, cache))
        prepare = self._preparer(endpoint, options, extra_options, identify=cache is not None)
        for item in self._run_all(sources, prepare, concurrency, batch_pace(qps, pace), controls):
            yield item

    def access_token(self) -> str:
        """A valid access token (cached, or fetched now), for credentials that use tokens."""
        fetch = getattr(self.auth, "token", None)
        if fetch is None:
            raise ConfigurationError(f"{type(self.auth).__name__} sends no access token")
        try:
            token: str = fetch(self._http)
        except httpx.RequestError as err:
            failure = transport_error(err, "token request")
        else:
            return token
        raise failure  # outside the handler: no __context__ keeping httpx's request alive

    def _recognize(
        self,
        call: OcrCall,
        timeout: TimeoutTypes | NotGiven,
        deadline: float | NotGiven | None,
        max_retries: int | NotGiven,
        controls: BatchControls | None = None,
    ) -> OCRResult:
        limit = self._deadline(deadline)
        for attempt in self._retrying(max_retries, limit):
            with attempt:
                if controls is None:
                    return self._send(call, self._timeout(timeout, limit), limit)
                return self._paced_send(call, self._timeout(timeout, limit), limit, attempt.num, controls)
        raise AssertionError("unreachable")  # pragma: no cover

    def _paced_send(
        self, call: OcrCall, timeout: httpx.Timeout, deadline: Deadline, attempt: int, controls: BatchControls
    ) -> OCRResult:
        """One attempt in the pace's turn, its outcome told to the pace and counted. With a pace, an answer "too
        fast" is the pace's to handle: the request waits for its next turn (at the lowered rate) and goes again,
        a bounded number of times, before it counts against the client's retries."""
        pace, counters = controls.pace, controls.counters
        refusals = 0
        while True:
            ticket = pace.wait_turn() if pace is not None else None
            if counters is not None:
                counters.count_attempt(attempt + refusals)
            try:
                result = self._send(call, timeout, deadline)
            except BaiduOCRError as error:
                too_fast = pace_signal(error) == "too_fast"
                if counters is not None and too_fast:
                    counters.add(rate_limited=1)
                if pace is None or ticket is None:
                    raise
                pace.record(ticket, error)
                if not too_fast or refusals >= PACED_REFUSALS:
                    raise
                refusals += 1
                continue
            if pace is not None and ticket is not None:
                pace.record(ticket, None)
            return result

    def _send(self, call: OcrCall, timeout: httpx.Timeout, deadline: Deadline) -> OCRResult:
        started = time.perf_counter()
        try:
            with time_limit(deadline):
                response = call.operation.sync_detailed(client=self._generated, body=call.body, timeout=timeout)
        except UnexpectedResponse as err:
            failure: BaiduOCRError = unexpected_answer(err)
        except (httpx.RequestError, TimeoutError) as err:
            failure = transport_error(err, f"{call.endpoint} request")
        else:
            return read_answer(response, time.perf_counter() - started, self.auth)
        raise failure  # outside the handler: no __context__ keeping httpx's request (and its URL) alive

    def _run_all(
        self,
        sources: Iterable[Any],
        prepare: Any,
        concurrency: int,
        pacing: AdaptivePace | RateLimiter | None,
        controls: BatchControls,
    ) -> Iterator[ItemResult]:
        if isinstance(pacing, AdaptivePace):
            controls = BatchControls(pacing, controls.cache, controls.counters, controls.options, controls.service)
        limiter = pacing if isinstance(pacing, RateLimiter) else None

        def run(call: OcrCall) -> OCRResult:
            key = controls.key(call.endpoint, call.input_id, call.page)
            stored = run_blocking(functools.partial(controls.cached, key)) if key is not None else None
            if stored is not None:
                return stored
            if limiter is not None:
                sleep(limiter.reserve())
            result = self._recognize(call, NOT_GIVEN, NOT_GIVEN, NOT_GIVEN, controls)
            if key is not None:
                run_blocking(functools.partial(controls.store, key, result.raw))
            return result

        pool: OrderedPool[Any, OcrCall, OCRResult] = OrderedPool(concurrency)
        for index, source, outcome in pool.map(sources, prepare, run):
            controls.count_item(not isinstance(outcome, BaiduOCRError))
            if isinstance(outcome, BaiduOCRError):
                yield ItemResult(index, source, error=outcome)
            else:
                yield ItemResult(index, source, result=outcome)
