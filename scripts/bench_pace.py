"""Benchmark the adaptive pace: a batch started at 4x the local service's QPS limit must settle near the limit
with few refusals (error 18).

Run: ``python scripts/bench_pace.py [--qps 5] [--seconds 75] [--modes OCR,AsyncOCR]`` (needs the ``server``
extra). It starts the local service in a subprocess with ``--qps`` (the real engine; blank 64x32 images keep OCR
time near 10 ms), sends a batch for ``--seconds`` per mode starting at 4x the limit, and prints per mode: calls,
calls answered 18, the pace and the accepted rate over the second half. It asserts nothing; it exits 1 if a mode
misses the target (second-half pace within 25% of the limit, under 5% of calls answered 18).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from PIL import Image

from baidu_ocr import OCR, AsyncOCR, BaiduOCRError, RateLimitError
from baidu_ocr._pace import AdaptivePace

API_KEY, SECRET_KEY = "bench-key", "bench-secret"


def tiny_images(count: int) -> list[bytes]:
    """Blank PNGs of a few sizes: the engine finds no text and answers in about 10 ms."""
    images = []
    for index in range(count):
        buffer = io.BytesIO()
        Image.new("RGB", (64 + index % 8, 32), "white").save(buffer, format="PNG")
        images.append(buffer.getvalue())
    return images


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_service(qps: float) -> tuple[subprocess.Popen[bytes], str]:
    """The local service in its own process, with one app limited to ``qps``; returns once it answers."""
    port = free_port()
    command = [
        sys.executable, "-m", "baidu_ocr_server", "--port", str(port), "--log-level", "warning",
        "--app", f"{API_KEY}:{SECRET_KEY}:{qps:g}",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    with httpx.Client(trust_env=False) as http:
        while time.monotonic() < deadline:
            try:
                if http.get(base_url + "/healthz").status_code == 200:
                    return process, base_url
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the local service did not start")


@dataclass
class Tally:
    """What one mode measured: the time of each call and whether it was refused, and the pace over time."""

    started: float = field(default_factory=time.monotonic)
    calls: list[tuple[float, bool]] = field(default_factory=list)
    pace: list[tuple[float, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, refused: bool) -> None:
        with self.lock:
            self.calls.append((time.monotonic() - self.started, refused))

    def sample(self, qps: float) -> None:
        self.pace.append((time.monotonic() - self.started, qps))


def sample_pace(pace: AdaptivePace, tally: Tally, stop: threading.Event) -> None:
    while not stop.wait(0.25):
        tally.sample(pace.qps)


def run_sync(base_url: str, limit: float, seconds: float, concurrency: int) -> tuple[Tally, AdaptivePace]:
    """``OCR`` from ``concurrency`` threads sharing one pace."""
    pace = AdaptivePace(4 * limit, max_qps=4 * limit)
    tally = Tally()
    images = tiny_images(64)
    stop = threading.Event()
    deadline = time.monotonic() + seconds
    with OCR(API_KEY, SECRET_KEY, base_url=base_url, max_retries=0) as ocr:
        ocr.access_token()

        def worker(offset: int) -> None:
            index = offset
            while time.monotonic() < deadline:
                ticket = pace.wait_turn()
                try:
                    ocr.general_basic(images[index % len(images)])
                except BaiduOCRError as error:
                    pace.record(ticket, error)
                    tally.call(isinstance(error, RateLimitError))
                else:
                    pace.record(ticket, None)
                    tally.call(False)
                index += concurrency

        sampler = threading.Thread(target=sample_pace, args=(pace, tally, stop))
        sampler.start()
        threads = [threading.Thread(target=worker, args=(offset,)) for offset in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stop.set()
        sampler.join()
    return tally, pace


def run_async(base_url: str, limit: float, seconds: float, concurrency: int) -> tuple[Tally, AdaptivePace]:
    """``AsyncOCR`` from ``concurrency`` tasks sharing one pace."""
    pace = AdaptivePace(4 * limit, max_qps=4 * limit)
    tally = Tally()
    images = tiny_images(64)

    async def main() -> None:
        deadline = time.monotonic() + seconds
        async with AsyncOCR(API_KEY, SECRET_KEY, base_url=base_url, max_retries=0) as ocr:
            await ocr.access_token()

            async def worker(offset: int) -> None:
                index = offset
                while time.monotonic() < deadline:
                    ticket = await pace.await_turn()
                    try:
                        await ocr.general_basic(images[index % len(images)])
                    except BaiduOCRError as error:
                        pace.record(ticket, error)
                        tally.call(isinstance(error, RateLimitError))
                    else:
                        pace.record(ticket, None)
                        tally.call(False)
                    index += concurrency

            async def sampler() -> None:
                while time.monotonic() < deadline:
                    tally.sample(pace.qps)
                    await asyncio.sleep(0.25)

            await asyncio.gather(sampler(), *(worker(offset) for offset in range(concurrency)))

    asyncio.run(main())
    return tally, pace


MODES: dict[str, Callable[[str, float, float, int], tuple[Tally, AdaptivePace]]] = {
    "OCR": run_sync,
    "AsyncOCR": run_async,
}


def report(mode: str, tally: Tally, pace: AdaptivePace, limit: float, seconds: float) -> bool:
    half = seconds / 2
    calls = len(tally.calls)
    refused = sum(refused for _, refused in tally.calls)
    accepted_late = sum(1 for at, refused in tally.calls if at >= half and not refused)
    pace_late = statistics.fmean(qps for at, qps in tally.pace if at >= half)
    refused_share = refused / calls if calls else 1.0
    settled = abs(pace_late - limit) <= 0.25 * limit
    ok = settled and refused_share < 0.05
    print(
        f"  {mode:<9} {calls:6d} calls  {refused:4d} answered 18 ({100 * refused_share:4.1f}%)  "
        f"pace {pace_late:5.2f} qps ({pace_late / limit:.2f}x limit)  accepted {accepted_late / half:5.2f}/s  "
        f"cuts {pace.slowdowns:3d}  {'ok' if ok else 'MISSED'}"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--qps", type=float, default=5.0, help="the service's QPS limit (default 5)")
    parser.add_argument("--seconds", type=float, default=75.0, help="run time per mode (default 75)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight (default 8)")
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, of {', '.join(MODES)}")
    args = parser.parse_args()
    process, base_url = start_service(args.qps)
    results = []
    try:
        print(
            f"service limit {args.qps:g} qps; batches start at {4 * args.qps:g} qps, {args.seconds:g} s each, "
            f"{args.concurrency} in flight; pace and accepted rate over the second half (cpu count {os.cpu_count()})"
        )
        for mode in args.modes.split(","):
            tally, pace = MODES[mode](base_url, args.qps, args.seconds, args.concurrency)
            results.append(report(mode, tally, pace, args.qps, args.seconds))
            time.sleep(2)  # let the service's bucket refill between modes
    finally:
        process.terminate()
        process.wait(timeout=30)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
