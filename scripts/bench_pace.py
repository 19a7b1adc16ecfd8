"""Benchmark the adaptive pace: a batch started at 4x the local service's QPS limit must settle near the limit
with few refusals (error 18).

Run: ``python scripts/bench_pace.py [--qps 5] [--seconds 75] [--modes OCR,AsyncOCR,CLI]`` (needs the ``server``
extra). It starts the local service in a subprocess with an app limited to ``--qps`` (the real engine; blank
images keep OCR time near 10 ms), and per mode runs a batch of about ``--qps`` x ``--seconds`` items through
``recognize_many`` (``OCR``, ``AsyncOCR``) or ``baidu-ocr recognize --output`` (the CLI), its pace starting at 4x
the limit. It prints per mode: calls, calls answered 18, the pace (its mean over the second half; for the CLI, the
pace at the end, from its summary line) and the rate of accepted requests over the second half. It asserts
nothing; it exits 1 if a mode misses the target (pace and accepted rate within 25% of the limit, under 5% of calls
answered 18).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import stamina.instrumentation
from PIL import Image

from baidu_ocr import OCR, AdaptivePace, AsyncOCR, CallCounters, CallTally

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
class Figures:
    """What one mode measured."""

    calls: int
    refused: int
    pace_late: float | None
    """Mean pace over the second half (``None``: not visible, e.g. from outside the CLI)."""
    accepted_late: float
    """Requests accepted per second over the second half."""
    final_pace: float


@dataclass
class Sampler:
    """Samples the pace every 0.25 s, and the counters once at half time."""

    pace: AdaptivePace
    counters: CallCounters
    half: float
    samples: list[tuple[float, float]] = field(default_factory=list)
    at_half: CallTally | None = None
    started: float = field(default_factory=time.monotonic)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.wait(0.25):
            elapsed = time.monotonic() - self.started
            self.samples.append((elapsed, self.pace.qps))
            if self.at_half is None and elapsed >= self.half:
                self.at_half = self.counters.snapshot()

    def figures(self, seconds: float) -> Figures:
        end = self.counters.snapshot()
        half = self.at_half or CallTally()
        accepted = (end.calls - end.rate_limited) - (half.calls - half.rate_limited)
        late = [qps for at, qps in self.samples if at >= self.half]
        return Figures(
            end.calls, end.rate_limited, statistics.fmean(late) if late else None, accepted / (seconds - self.half),
            self.pace.qps,
        )  # fmt: skip


def batch(limit: float, seconds: float) -> list[bytes]:
    """Enough items for ``seconds`` at the limit (a few more: the run ends by its items, not by a timer)."""
    return tiny_images(int(limit * seconds * 1.05) + 8)


def run_sync(base_url: str, limit: float, seconds: float, concurrency: int) -> Figures:
    """``OCR.recognize_many`` with a pace starting at 4x the limit."""
    pace, counters = AdaptivePace(4 * limit, max_qps=4 * limit), CallCounters()
    items = batch(limit, seconds)
    with OCR(API_KEY, SECRET_KEY, base_url=base_url) as ocr:
        ocr.access_token()
        sampler = Sampler(pace, counters, seconds / 2)
        thread = threading.Thread(target=sampler.run)
        thread.start()
        started = time.monotonic()
        for _ in ocr.recognize_many(items, concurrency=concurrency, pace=pace, counters=counters):
            pass
        elapsed = time.monotonic() - started
        sampler.stop.set()
        thread.join()
    return sampler.figures(elapsed)


def run_async(base_url: str, limit: float, seconds: float, concurrency: int) -> Figures:
    """``AsyncOCR.recognize_many`` with a pace starting at 4x the limit."""
    pace, counters = AdaptivePace(4 * limit, max_qps=4 * limit), CallCounters()
    items = batch(limit, seconds)
    sampler = Sampler(pace, counters, seconds / 2)

    async def main() -> float:
        async with AsyncOCR(API_KEY, SECRET_KEY, base_url=base_url) as ocr:
            await ocr.access_token()
            started = time.monotonic()
            async for _ in ocr.recognize_many(items, concurrency=concurrency, pace=pace, counters=counters):
                pass
            return time.monotonic() - started

    thread = threading.Thread(target=sampler.run)
    thread.start()
    try:
        elapsed = asyncio.run(main())
    finally:
        sampler.stop.set()
        thread.join()
    return sampler.figures(elapsed)


SUMMARY = re.compile(r"(\d+) calls? made(?: \(([^)]*)\))?.*; pace ([\d.]+) req/s")


def run_cli(base_url: str, limit: float, seconds: float, concurrency: int) -> Figures:
    """``baidu-ocr recognize --qps 4xLIMIT --output …`` in a subprocess; the accepted rate from the results file's
    growth, the calls and refusals from its summary line."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        names = []
        for index, image in enumerate(batch(limit, seconds)):
            names.append(str(folder / f"{index:05d}.png"))
            Path(names[-1]).write_bytes(image)
        output = folder / "results.jsonl"
        command = [
            sys.executable, "-c", "from baidu_ocr._entry import main; main()", "recognize", *names,
            "--qps", f"{4 * limit:g}", "--concurrency", str(concurrency), "--output", str(output), "--no-cache",
            "--api-key", API_KEY, "--secret-key", SECRET_KEY, "--base-url", base_url,
        ]  # fmt: skip
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        lines_at_half: int | None = None
        while process.poll() is None:
            time.sleep(0.25)
            if lines_at_half is None and time.monotonic() - started >= seconds / 2:
                lines_at_half = output.read_bytes().count(b"\n") if output.exists() else 0
        elapsed = time.monotonic() - started
        _, err = process.communicate(timeout=30)
        lines = output.read_bytes().count(b"\n")
    match = SUMMARY.search(err)
    if match is None:
        raise SystemExit(f"no summary line from the CLI: {err!r}")
    refused = re.search(r"(\d+) too fast", match[2] or "")
    half = seconds / 2
    return Figures(
        int(match[1]), int(refused[1]) if refused else 0, None, (lines - (lines_at_half or 0)) / (elapsed - half),
        float(match[3]),
    )  # fmt: skip


MODES: dict[str, Callable[[str, float, float, int], Figures]] = {
    "OCR": run_sync,
    "AsyncOCR": run_async,
    "CLI": run_cli,
}


def report(mode: str, figures: Figures, limit: float) -> bool:
    refused_share = figures.refused / figures.calls if figures.calls else 1.0
    pace = figures.pace_late if figures.pace_late is not None else figures.final_pace
    settled = abs(pace - limit) <= 0.25 * limit and abs(figures.accepted_late - limit) <= 0.25 * limit
    ok = settled and refused_share < 0.05
    which = "mean pace, 2nd half" if figures.pace_late is not None else "final pace"
    print(
        f"  {mode:<9} {figures.calls:6d} calls  {figures.refused:4d} answered 18 ({100 * refused_share:4.1f}%)  "
        f"{which} {pace:5.2f} req/s ({pace / limit:.2f}x limit)  accepted {figures.accepted_late:5.2f}/s "
        f"({figures.accepted_late / limit:.2f}x) in the 2nd half  {'ok' if ok else 'MISSED'}"
    )
    return ok


def main() -> int:
    stamina.instrumentation.set_on_retry_hooks([])  # no log line per retried refusal
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--qps", type=float, default=5.0, help="the service's QPS limit (default 5)")
    parser.add_argument("--seconds", type=float, default=75.0, help="about this long per mode (default 75)")
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
            figures = MODES[mode](base_url, args.qps, args.seconds, args.concurrency)
            results.append(report(mode, figures, args.qps))
            time.sleep(2)  # let the service's bucket refill between modes
    finally:
        process.terminate()
        process.wait(timeout=30)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
