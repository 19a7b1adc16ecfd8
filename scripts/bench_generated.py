"""Benchmark the raw generated client (``baidu_ocr_client``) against raw httpx posting the same bytes.

Run: ``python scripts/bench_generated.py`` (needs the ``server`` extra for uvicorn and Pillow). Prints two tables
and asserts nothing. The local responder answers every POST with a fixed OCR result, so the figures measure client
overhead:

* requests/s on a small image: ``general_basic.sync_detailed`` given the raw file bytes (it base64-encodes and
  escapes them on every call, sends, parses into ``OcrResult``), and given an ``EncodedFile`` (encoded once),
  against ``httpx.Client.post`` of a body encoded once, then ``.json()`` (and, for scale, raw httpx encoding the
  image on every call); the variants' rounds are interleaved, so a busy machine slows all of them alike;
* time for one large image: the generated client given the raw bytes, against base64 + escape + post with raw httpx.

Both sides authenticate with an ``access_token`` query parameter (the generated side through an ``httpx.Auth``
installed on its ``Client``).
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import time
from collections.abc import Callable, Generator

import httpx
from bench_responder import png_of_size, running_responder

from baidu_ocr_client import Client
from baidu_ocr_client.api.ocr import general_basic
from baidu_ocr_client.form import encode_file
from baidu_ocr_client.models import GeneralBasicRequest, OcrResult

PATH = general_basic.PATH
TOKEN = "24.bench"
HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


class QueryToken(httpx.Auth):
    """Adds a fixed ``access_token`` query parameter (what the wrapper's token auth does once it has a token)."""

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.url = request.url.copy_merge_params({"access_token": TOKEN})
        yield request


def naive_form_value(data: bytes) -> bytes:
    """What a caller of raw httpx writes: base64, then the three escapes a form needs."""
    return base64.b64encode(data).replace(b"+", b"%2B").replace(b"/", b"%2F").replace(b"=", b"%3D")


def elapsed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def bench_requests(base_url: str, requests: int, image_kb: int, rounds: int) -> None:
    image = png_of_size(image_kb * 1024)
    raw_body = b"image=" + naive_form_value(image)
    encoded = encode_file(image)
    with httpx.Client(base_url=base_url) as raw, Client(base_url=base_url, auth=QueryToken()) as client:

        def raw_call() -> None:
            raw.post(PATH, params={"access_token": TOKEN}, content=raw_body, headers=HEADERS).json()

        def raw_encoding_call() -> None:
            body = b"image=" + naive_form_value(image)
            raw.post(PATH, params={"access_token": TOKEN}, content=body, headers=HEADERS).json()

        def generated_call() -> None:
            parsed = general_basic.sync_detailed(client=client, body=GeneralBasicRequest(image=image)).parsed
            assert isinstance(parsed, OcrResult)

        def generated_encoded_call() -> None:
            parsed = general_basic.sync_detailed(client=client, body=GeneralBasicRequest(image=encoded)).parsed
            assert isinstance(parsed, OcrResult)

        calls = {
            "raw httpx.Client.post": raw_call,
            "raw httpx, encoding per call": raw_encoding_call,
            "generated, raw bytes": generated_call,
            "generated, EncodedFile": generated_encoded_call,
        }
        for _ in range(20):
            for call in calls.values():
                call()
        rates: dict[str, list[float]] = {name: [] for name in calls}
        for _ in range(rounds):
            for name, call in calls.items():
                rates[name].append(requests / elapsed(lambda call=call: [call() for _ in range(requests)]))  # type: ignore[misc]
    raw_rate = statistics.median(rates["raw httpx.Client.post"])
    size = f"{len(image) / 1e3:.0f} kB image"
    print(f"requests/s ({size}; median of {rounds} interleaved rounds of {requests} sequential requests each)")
    for name, values in rates.items():
        rate = statistics.median(values)
        print(f"  {name:<30} {rate:8.0f} req/s   {rate / raw_rate:.2f}x")


def bench_large(base_url: str, image_mb: float, runs: int) -> None:
    image = os.urandom(int(image_mb * 1024 * 1024))  # the client does not look inside; the responder neither
    with httpx.Client(base_url=base_url) as raw, Client(base_url=base_url, auth=QueryToken()) as client:

        def raw_call() -> None:
            body = b"image=" + naive_form_value(image)
            raw.post(PATH, params={"access_token": TOKEN}, content=body, headers=HEADERS).json()

        def generated_call() -> None:
            general_basic.sync_detailed(client=client, body=GeneralBasicRequest(image=image))

        raw_call()
        generated_call()
        times: dict[str, list[float]] = {"raw: base64 + escape + post": [], "generated, raw bytes": []}
        for _ in range(runs):
            times["raw: base64 + escape + post"].append(elapsed(raw_call))
            times["generated, raw bytes"].append(elapsed(generated_call))
    raw_time = min(times["raw: base64 + escape + post"])
    print(f"\none {image_mb:.1f} MB image, best of {runs}")
    for name, values in times.items():
        best = min(values)
        print(f"  {name:<28} {best * 1000:8.1f} ms   {best / raw_time:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="sequential requests per round and variant")
    parser.add_argument("--image-kb", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=15, help="rounds, the variants interleaved (median)")
    parser.add_argument("--large-mb", type=float, default=7.0)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with running_responder() as base_url:
        bench_requests(base_url, args.requests, args.image_kb, args.rounds)
        bench_large(base_url, args.large_mb, args.runs)


if __name__ == "__main__":
    main()
