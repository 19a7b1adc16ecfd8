"""Type-checked only (mypy --strict in ``nox -s typecheck``): the public API as users write it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from baidu_ocr import (
    OCR,
    AdaptivePace,
    AipOcr,
    APIError,
    AsyncOCR,
    Backoff,
    BaiduOCRError,
    BceV1Auth,
    BearerAuth,
    CallCounters,
    CallTally,
    ClientCredentialsAuth,
    ImageURL,
    InputError,
    ItemResult,
    OCRResult,
    PdfPage,
    RateLimitError,
    ResultCache,
)
from baidu_ocr_client import Client
from baidu_ocr_client.models import AccurateLanguageType, GeneralLanguageType


def sync_usage(image: bytes, path: Path) -> list[str]:
    with OCR("key", "secret", timeout=10.0, max_retries=3, backoff=Backoff(0.1, 2.0, 0.5)) as ocr:
        first: OCRResult = ocr.general_basic(image, language_type=GeneralLanguageType.ENG, probability=True)
        second = ocr.accurate_basic(str(path), language_type=AccurateLanguageType.AUTO_DETECT, timeout=None)
        third = ocr.general_basic(url="https://example.com/a.png", max_retries=0, extra_options={"x": True})
        pages: list[OCRResult] = ocr.recognize_pdf(path, pages="1-3", endpoint="accurate_basic", paragraph=True)
        items: list[ItemResult] = list(ocr.recognize_many([image, ImageURL("https://x/y.png"), PdfPage(path, 2)]))
        generated: Client = ocr.generated_client
        direction: int | None = first.rotation_degrees
        paragraphs: list[str] | None = second.paragraphs
        count: int | None = pages[0].page_count
        status: int = third.http.status_code if third.http else 0
        del generated, direction, paragraphs, count, status, items
        return [*first.lines, second.text]


async def async_usage(image: bytes) -> str:
    async with AsyncOCR(access_token="t", transport=httpx.AsyncHTTPTransport(retries=1)) as ocr:
        result = await ocr.general_basic(image, detect_language=True)
        async for item in ocr.recognize_many([image], concurrency=2, qps=2.0):
            if item.result is not None:
                return item.result.text
        return result.text


def large_jobs(images: list[bytes], path: Path) -> str:
    pace = AdaptivePace(10.0, max_qps=20.0)  # shared by every call and client given it
    counters = CallCounters()
    with OCR("key", "secret") as ocr, ResultCache(path / "cache.sqlite3", max_bytes=1 << 20) as cache:
        for item in ocr.recognize_many(images, pace=pace, cache=cache, counters=counters, detect_direction=True):
            cached: bool = item.result.from_cache if item.result is not None else False
            del cached
        size: int = cache.stats().stored_bytes
        del size
    tally: CallTally = counters.snapshot()
    rate: float = pace.qps
    return f"{tally.summary()} at {rate:.1f} req/s"


async def large_async_jobs(images: list[bytes], pace: AdaptivePace, cache: ResultCache) -> int:
    async with AsyncOCR(access_token="t") as ocr:
        return len([item async for item in ocr.recognize_many(images, pace=pace, cache=cache)])


def errors(image: bytes) -> int | str | None:
    try:
        OCR().general_basic(image)
    except RateLimitError as error:
        return error.log_id
    except APIError as error:
        return error.error_code
    except InputError as error:
        return str(error)
    except BaiduOCRError:
        return None
    return None


def drop_in(image: bytes) -> object:
    client = AipOcr("app", "key", "secret")
    answer: object = client.basicGeneral(image, {"detect_direction": "true"})
    return answer


def credentials(image: bytes) -> list[OCRResult]:
    auths: list[httpx.Auth] = [
        ClientCredentialsAuth("key", "secret"),
        BceV1Auth("ak", "sk", expiration_seconds=600),
        BearerAuth("bce-v3/ALTAK-x/y"),
    ]
    results = []
    for auth in auths:
        with OCR(auth=auth) as ocr:
            results.append(ocr.general_basic(image))
    with OCR(access_key_id="ak", secret_access_key="sk") as ocr, OCR(bearer_key="bce-v3/ALTAK-x/y") as other:
        results.append(ocr.general_basic(image))
        results.append(other.general_basic(image))
    with OCR("key", "secret", cache_file=True) as cached:
        results.append(cached.general_basic(image))
    with Client(base_url="https://aip.baidubce.com", auth=BearerAuth("bce-v3/ALTAK-x/y")) as raw:
        assert raw.auth is not None
    return results


__all__ = ["async_usage", "asyncio", "credentials", "drop_in", "errors", "large_async_jobs", "large_jobs", "sync_usage"]
