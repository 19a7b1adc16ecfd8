"""Benchmark the SDK clients against raw httpx posting the same bytes to the same local responder.

Run: ``python scripts/bench_wrapper.py`` (needs the ``server`` extra for uvicorn and Pillow). Prints tables and
asserts nothing. The responder (in its own process, as a real server is) answers every POST with a fixed OCR result,
so the figures measure client overhead:

* ``OCR.general_basic`` (checks, encodes, sends through the generated client, parses) against ``httpx.Client.post``
  then ``.json()`` — of a body encoded once (the floor: no encoding at all), and of a body base64-encoded and escaped
  on every call (the same work a raw-httpx user does for each new image) — sequentially;
* ``AsyncOCR.general_basic`` against ``httpx.AsyncClient.post`` likewise, with 1, 8 and 64 requests in flight.

Each variant's rounds are interleaved with the raw one's, so a busy machine slows both alike; medians of the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

import httpx
from bench_responder import png_of_size, running_responder

from baidu_ocr import OCR, AsyncOCR
from baidu_ocr_client.api.ocr import general_basic
from baidu_ocr_client.form import encode_file

HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}
PARAMS = {"access_token": "24.bench"}


def rate(requests: int, action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return requests / (time.perf_counter() - started)


def report(title: str, rates: dict[str, list[float]], baseline: str) -> None:
    print(title)
    base = statistics.median(rates[baseline])
    for name, values in rates.items():
        median = statistics.median(values)
        print(f"  {name:<42} {median:8.0f} req/s   {median / base:.2f}x")


def bench_sync(base_url: str, image: bytes, requests: int, rounds: int) -> None:
    body = b"image=" + encode_file(image)
    rates: dict[str, list[float]] = {
        "raw httpx.Client": [],
        "raw httpx.Client, encoding per call": [],
        "baidu_ocr.OCR": [],
    }
    with httpx.Client(base_url=base_url) as raw, OCR("k", "s", base_url=base_url) as ocr:

        def raw_calls() -> None:
            for _ in range(requests):
                raw.post(general_basic.PATH, params=PARAMS, content=body, headers=HEADERS).json()

        def raw_encoding_calls() -> None:
            for _ in range(requests):
                raw.post(
                    general_basic.PATH, params=PARAMS, content=b"image=" + encode_file(image), headers=HEADERS
                ).json()

        def sdk_calls() -> None:
            for _ in range(requests):
                ocr.general_basic(image)

        raw_calls()  # warm up: connections, token
        sdk_calls()
        for _ in range(rounds):
            rates["raw httpx.Client"].append(rate(requests, raw_calls))
            rates["raw httpx.Client, encoding per call"].append(rate(requests, raw_encoding_calls))
            rates["baidu_ocr.OCR"].append(rate(requests, sdk_calls))
    report(f"\nsync, {len(image) / 1e3:.0f} kB image, {requests} sequential requests, median of {rounds}", rates,
           "raw httpx.Client")  # fmt: skip


async def bench_async(base_url: str, image: bytes, requests: int, rounds: int, in_flight: int) -> None:
    body = b"image=" + encode_file(image)
    rates: dict[str, list[float]] = {
        "raw httpx.AsyncClient": [],
        "raw httpx.AsyncClient, encoding per call": [],
        "baidu_ocr.AsyncOCR": [],
    }
    limits = httpx.Limits(max_connections=in_flight)
    async with (
        httpx.AsyncClient(base_url=base_url, limits=limits) as raw,
        AsyncOCR("k", "s", base_url=base_url, httpx_args={"limits": limits}) as ocr,
    ):

        async def raw_call() -> None:
            (await raw.post(general_basic.PATH, params=PARAMS, content=body, headers=HEADERS)).json()

        async def raw_encoding_call() -> None:
            encoded = b"image=" + encode_file(image)
            (await raw.post(general_basic.PATH, params=PARAMS, content=encoded, headers=HEADERS)).json()

        async def sdk_call() -> None:
            await ocr.general_basic(image)

        async def many(call: Callable[[], Awaitable[None]]) -> float:
            semaphore = asyncio.Semaphore(in_flight)

            async def one() -> None:
                async with semaphore:
                    await call()

            started = time.perf_counter()
            await asyncio.gather(*(one() for _ in range(requests)))
            return requests / (time.perf_counter() - started)

        await many(raw_call), await many(sdk_call)  # warm up
        for _ in range(rounds):
            rates["raw httpx.AsyncClient"].append(await many(raw_call))
            rates["raw httpx.AsyncClient, encoding per call"].append(await many(raw_encoding_call))
            rates["baidu_ocr.AsyncOCR"].append(await many(sdk_call))
    report(f"\nasync, {len(image) / 1e3:.0f} kB image, {requests} requests, {in_flight} in flight, median of {rounds}",
           rates, "raw httpx.AsyncClient")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image-kb", type=int, default=150)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--in-flight", type=int, nargs="*", default=[1, 8, 64])
    args = parser.parse_args()
    image = png_of_size(args.image_kb * 1024)
    with running_responder() as base_url:
        bench_sync(base_url, image, args.requests, args.rounds)
        for in_flight in args.in_flight:
            asyncio.run(bench_async(base_url, image, args.requests, args.rounds, in_flight))


if __name__ == "__main__":
    main()
