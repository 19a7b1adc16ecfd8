"""Benchmark the local OCR service: cold start, images/s against the bare engine, CER, and a 10 MB request body.

Run: ``python scripts/bench_server.py`` (needs the ``server`` extra and fonts-wqy-microhei). Prints four small tables;
it asserts nothing. About 2 minutes on 2 cores with the defaults, under half a minute with ``--quick``.
"""

from __future__ import annotations

import argparse
import base64
import functools
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qsl

import httpx
from PIL import Image, ImageDraw, ImageFont

from baidu_ocr import OCR, Endpoint, OCRResult
from baidu_ocr_client.form import encode_file as encode_binary_field
from baidu_ocr_server.embedded import LocalService
from baidu_ocr_server.engine import ACCURATE, STANDARD, EngineProfile, RapidOCREngine
from baidu_ocr_server.form import parse_form
from baidu_ocr_server.inputs import decode_base64
from baidu_ocr_spec import LIMITS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from imaging import edit_distance

T = TypeVar("T")
FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
PAGE_SIZE = (800, 600)
MARGIN = 40
ENDPOINTS: tuple[tuple[Endpoint, EngineProfile], ...] = (("general_basic", STANDARD), ("accurate_basic", ACCURATE))
PATHS = ("engine.recognize (direct)", "service, SDK sequential", "service, recognize_many(c=2)")
CHINESE = (
    "发票号码", "合计金额", "北京市海淀区", "上地十街", "文字识别", "人工智能", "客户服务", "营业执照", "开户银行",
    "统一社会信用代码", "增值税专用发票", "收款人", "备注", "数量", "单价", "税率", "日期", "地址", "电话",
    "规格型号", "深圳市南山区", "科技有限公司", "会议纪要", "项目进度", "仓库管理", "退货说明",
)  # fmt: skip
ENGLISH = (
    "Invoice", "total", "amount", "due", "Customer", "service", "hotline", "Payment", "received", "thank", "you",
    "Order", "number", "shipping", "address", "quantity", "unit", "price", "Beijing", "Shanghai", "meeting",
    "notes", "project", "status", "report", "warehouse", "return", "policy",
)  # fmt: skip
FIGURES = ("2024-05-17", "No. 8823", "¥128.50", "400-800-8888", "13%", "x3", "$42.00", "Q3", "A-1207")

COLD_START = """
import time
started = time.monotonic()
import sys
from baidu_ocr import OCR
from baidu_ocr_server.embedded import LocalService
imported = time.monotonic()
with LocalService(wait_for_engine=True) as service:
    ready = time.monotonic()
    with OCR(service.api_key, service.secret_key, base_url=service.base_url) as ocr:
        lines = ocr.general_basic(open(sys.argv[1], "rb").read()).lines
    answered = time.monotonic()
print(started, imported, ready, answered, len(lines))
"""
"""Run in a fresh interpreter; ``time.monotonic`` is system-wide on Linux, so the parent can subtract its own."""


# --- test pages ------------------------------------------------------------------------------------------------


def _line(rng: random.Random, face: ImageFont.FreeTypeFont, max_width: float) -> str:
    """A Chinese, English or mixed line of random words, at most ``max_width`` px wide."""
    kind = rng.choice(("chinese", "english", "mixed"))
    pools = {"chinese": (CHINESE,), "english": (ENGLISH, FIGURES), "mixed": (CHINESE, ENGLISH, FIGURES)}[kind]
    sep = "" if kind == "chinese" else " "
    target = rng.uniform(0.45, 1.0) * max_width
    words = [rng.choice(rng.choice(pools))]
    while True:
        word = rng.choice(rng.choice(pools))
        if face.getlength(sep.join([*words, word])) > target:
            return sep.join(words)
        words.append(word)


def make_pages(count: int, seed: int = 7) -> list[tuple[list[str], bytes]]:
    """``count`` 800x600 PNG pages of 6-10 lines (font 26-32 px): the drawn lines and the PNG bytes."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test pages, not secrets
    pages = []
    for _ in range(count):
        size = rng.choice((26, 28, 30, 32))
        face = ImageFont.truetype(FONT_PATH, size)
        lines = [_line(rng, face, PAGE_SIZE[0] - 2 * MARGIN) for _ in range(rng.randint(6, 10))]
        page = Image.new("RGB", PAGE_SIZE, "white")
        draw = ImageDraw.Draw(page)
        for i, line in enumerate(lines):
            draw.text((MARGIN, MARGIN + i * round(size * 1.6)), line, font=face, fill="black")
        buffer = io.BytesIO()
        page.save(buffer, format="PNG")
        pages.append((lines, buffer.getvalue()))
    return pages


def total_cer(truths: Sequence[Sequence[str]], readings: Sequence[Sequence[str]], spaces: bool = True) -> float:
    """Sum of edit distances / sum of drawn characters, each page's lines joined by newlines."""
    distance = characters = 0
    for truth, reading in zip(truths, readings, strict=True):
        expected, actual = "\n".join(truth), "\n".join(reading)
        if not spaces:
            expected, actual = expected.replace(" ", ""), actual.replace(" ", "")
        distance += edit_distance(expected, actual)
        characters += len(expected)
    return distance / characters


# --- timing helpers --------------------------------------------------------------------------------------------


def median_time(runs: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


# --- 1. cold start ---------------------------------------------------------------------------------------------


def bench_cold_start(png: bytes, runs: int) -> None:
    phases: list[list[float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "page.png")
        path.write_bytes(png)
        for _ in range(runs):
            spawned = time.monotonic()
            command = [sys.executable, "-c", COLD_START, str(path)]
            done = subprocess.run(command, check=False, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"the cold-start process failed:\n{done.stderr}")
            started, imported, ready, answered, _lines = (float(x) for x in done.stdout.split())
            phases.append(
                [started - spawned, imported - started, ready - imported, answered - ready, answered - spawned]
            )
    medians = [statistics.median(column) for column in zip(*phases, strict=True)]
    print(f"1. cold start to first answer (fresh `python -c`, median of {runs}; one page through the SDK)")
    names = ("interpreter start", "imports (SDK + service)", "LocalService start + model load",
             "token + first general_basic", "total: process start to answer")  # fmt: skip
    for name, seconds in zip(names, medians, strict=True):
        print(f"  {name:<34} {seconds:7.2f} s")


# --- 2. and 3. throughput and CER ------------------------------------------------------------------------------


def _sdk_call(ocr: OCR, endpoint: Endpoint) -> Callable[[bytes], OCRResult]:
    return ocr.general_basic if endpoint == "general_basic" else ocr.accurate_basic


def _read_one(engine: RapidOCREngine, png: bytes, profile: EngineProfile) -> list[str]:
    """PNG decode + ``engine.recognize`` (no direction detection, like the service by default)."""
    return [line.text for line in engine.recognize(Image.open(io.BytesIO(png)), profile, False).lines]


def _lines_of(call: Callable[[bytes], OCRResult], png: bytes) -> list[str]:
    return call(png).lines


def measure(action: Callable[[], T]) -> tuple[T, float, float]:
    """``action()``, its wall seconds, and the CPU seconds of this whole process (every thread) meanwhile."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def one_pass(
    engine: RapidOCREngine, ocr: OCR, images: Sequence[bytes], endpoint: Endpoint, profile: EngineProfile
) -> tuple[dict[str, tuple[float, float]], list[list[str]], list[list[str]], int]:
    """(wall, CPU) seconds per path; the direct and the service readings; failed ``recognize_many`` items.

    Direct and sequential service calls alternate image by image (in turns), so other load hits both alike.
    """
    call = _sdk_call(ocr, endpoint)
    totals = dict.fromkeys(PATHS[:2], (0.0, 0.0))
    readings: dict[str, list[list[str]]] = {PATHS[0]: [], PATHS[1]: []}
    for i, png in enumerate(images):
        steps: list[tuple[str, Callable[[], list[str]]]] = [
            (PATHS[0], functools.partial(_read_one, engine, png, profile)),
            (PATHS[1], functools.partial(_lines_of, call, png)),
        ]
        for path, step in steps if i % 2 == 0 else steps[::-1]:
            lines, wall, cpu = measure(step)
            readings[path].append(lines)
            totals[path] = (totals[path][0] + wall, totals[path][1] + cpu)
    many = functools.partial(ocr.recognize_many, images, endpoint=endpoint, concurrency=2)
    items, wall, cpu = measure(lambda: list(many()))
    totals[PATHS[2]] = (wall, cpu)
    return totals, readings[PATHS[0]], readings[PATHS[1]], sum(not item.ok for item in items)


def bench_throughput(pages: Sequence[tuple[list[str], bytes]], rounds: int) -> None:
    truths = [lines for lines, _ in pages]
    images = [png for _, png in pages]
    n = len(images)
    engine = RapidOCREngine()
    best = {(endpoint, path): (float("inf"), 0.0) for endpoint, _ in ENDPOINTS for path in PATHS}
    readings: dict[Endpoint, tuple[list[list[str]], list[list[str]]]] = {}
    failures = 0
    with (
        LocalService(engine=engine, wait_for_engine=True) as service,
        OCR(service.api_key, service.secret_key, base_url=service.base_url) as ocr,
    ):
        for endpoint, profile in ENDPOINTS:
            _read_one(engine, images[0], profile)  # warm up
            _sdk_call(ocr, endpoint)(images[0])  # warm up (and fetch the token)
        for _ in range(rounds):
            for endpoint, profile in ENDPOINTS:
                totals, direct, served, failed = one_pass(engine, ocr, images, endpoint, profile)
                failures += failed
                readings.setdefault(endpoint, (direct, served))
                for path, timing in totals.items():
                    best[endpoint, path] = min(best[endpoint, path], timing)

    size = f"{PAGE_SIZE[0]}x{PAGE_SIZE[1]} PNG"
    passes = "one pass" if rounds == 1 else f"best of {rounds} passes"
    print(f"\n2. images/s on {n} generated pages ({size}, 6-10 lines of Chinese/English), {passes}")
    print(f"  {'endpoint':<15} {'path':<30} {'img/s':>6}  {'time / direct':>13}  {'CPU s/img':>9}")
    for (endpoint, path), (wall, cpu) in best.items():
        ratio = wall / best[endpoint, PATHS[0]][0]
        print(f"  {endpoint:<15} {path:<30} {n / wall:6.2f}  {ratio:12.2f}x  {cpu / n:9.2f}")
    print("  (direct = PNG decode + engine.recognize in this process; the service adds base64, HTTP, form parsing,")
    print("   validation and JSON. Direct and sequential service calls alternate image by image. The engine holds")
    print("   a lock, so concurrency 2 only overlaps that overhead with OCR. CPU s/img counts every thread of this")
    print("   process (SDK client, service, ONNX Runtime); it is less disturbed by other processes than img/s)")
    if failures:
        print(f"  ({failures} recognize_many items failed)")

    print("\n3. character error rate on the same pages (service answers, sequential pass)")
    print("   total edit distance / total drawn characters; each page's lines joined by '\\n'")
    print(f"  {'endpoint':<15} {'CER':>7}  {'CER ignoring spaces':>19}  {'pages where service == direct':>29}")
    for endpoint, _ in ENDPOINTS:
        direct, served = readings[endpoint]
        same = sum(a == b for a, b in zip(direct, served, strict=True))
        rate, rate_nospace = total_cer(truths, served), total_cer(truths, served, spaces=False)
        print(f"  {endpoint:<15} {rate:7.2%}  {rate_nospace:19.2%}  {same:>25}/{n}")


# --- 4. a 10 MB request body -----------------------------------------------------------------------------------


def big_image_field() -> tuple[int, bytes]:
    """Random bytes, base64 + %-escaped, about the most accurate_basic takes (its limit counts the escapes)."""
    limit = LIMITS["accurate_basic"].max_encoded_bytes
    rng = random.Random(10)  # noqa: S311 - reproducible filler bytes
    size = 7_500_000
    while True:
        value = encode_binary_field(rng.randbytes(size))
        if len(value) <= limit:
            return size, value
        size -= 50_000


def bench_big_body(runs: int) -> None:
    raw_size, value = big_image_field()
    body = b"image=" + value + b"&language_type=CHN_ENG&probability=true"
    image = parse_form(body).fields["image"]
    timings = [
        ("baidu_ocr_server.form.parse_form", median_time(runs, lambda: parse_form(body))),
        ("urllib.parse.parse_qsl", median_time(runs, lambda: parse_qsl(body, keep_blank_values=True))),
        ("base64.b64decode(validate=True)", median_time(runs, lambda: base64.b64decode(image, validate=True))),
        ("service decode_base64 (strip + b64)", median_time(runs, lambda: decode_base64(image))),
    ]
    with LocalService(wait_for_engine=False) as service, httpx.Client(base_url=service.base_url, timeout=60) as http:
        token = http.post(
            "/oauth/2.0/token",
            data={"grant_type": "client_credentials", "client_id": service.api_key,
                  "client_secret": service.secret_key},
        ).json()["access_token"]  # fmt: skip
        codes: set[str] = set()

        def post() -> None:
            answer = http.post(
                "/rest/2.0/ocr/v1/accurate_basic",
                params={"access_token": token},
                content=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            codes.add(str(answer.json().get("error_code")))

        post()  # warm up
        timings.append(("HTTP POST accurate_basic, to answer", median_time(runs, post)))
    print(
        f"\n4. a {len(body) / 1e6:.1f} MB form body: image = {raw_size / 1e6:.2f} MB random bytes, base64 + %-escaped "
        f"to {len(value) / 1e6:.2f} MB (median of {runs})"
    )
    for name, seconds in timings:
        print(f"  {name:<37} {seconds * 1000:8.1f} ms")
    limit = LIMITS["accurate_basic"].max_encoded_bytes
    print(f"  (the service answered error_code {', '.join(sorted(codes))}: the bytes are not an image, so the POST")
    print("   measures sending, reading, parsing, base64 decoding and format validation over HTTP, not OCR.")
    print(f"   7.5 MB of random bytes would exceed accurate_basic's {limit} byte limit on the escaped value")
    print("   and be refused with 216202 before decoding, hence the slightly smaller image)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=None, help="pages for sections 2 and 3 (default 8, quick 3)")
    parser.add_argument("--rounds", type=int, default=None, help="passes, best kept (default 2, quick 1)")
    parser.add_argument("--quick", action="store_true", help="one cold start, 3 pages, one pass, medians of 3")
    args = parser.parse_args()
    images = args.images or (3 if args.quick else 8)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"bench_server: {os.cpu_count()} cores, load average {load}, python {sys.version.split()[0]}\n")
    pages = make_pages(images)
    bench_cold_start(pages[0][1], 1 if args.quick else 3)
    bench_throughput(pages, args.rounds or (1 if args.quick else 2))
    bench_big_body(3 if args.quick else 7)


if __name__ == "__main__":
    main()
