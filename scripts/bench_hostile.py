"""Drive the local service (real engine, models loaded) with hostile mixes and print what it held.

For each mix: the peak RSS of the service process plus its PDF helper (polled every 20 ms, and the service's
own ``VmHWM``), the answers by error code (0 = success; ``lost:<reason>`` = no JSON answer), and the latency of a
normal request (a small text image on ``general_basic``) sent every 0.5 s during the mix.

Mixes: ``bombs`` (decompression bombs: 8192x8192 RGBA PNGs on accurate_basic, 10 in flight, and PNG text
bombs), ``pdf`` (PDF content-stream bombs inflating to 2 GiB and 14400 pt pages), ``big`` (32 concurrent ~9 MB
requests), ``mixed`` (all of those at once), ``connections`` (thousands of idle and dripping connections while
normal requests run), ``abandoned`` (48 clients send ~9 MB images and give up after 2 s).

Run: ``python scripts/bench_hostile.py`` (about 3-5 minutes on 2 cores; ``--mix NAME`` for one mix). It starts
``python -m baidu_ocr_server`` on a free port of 127.0.0.1 with the default limits (``--serve-flag`` adds flags).
It asserts nothing.
"""

from __future__ import annotations

import argparse
import base64
import collections
import concurrent.futures
import io
import os
import random
import resource
import select
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from bombs import pdf_flate_bomb, pdf_huge_page, png_bomb, png_text_bomb
from imaging import render_text_image

GENERAL = "/rest/2.0/ocr/v1/general_basic"
ACCURATE = "/rest/2.0/ocr/v1/accurate_basic"
MIB = 1024 * 1024


# --- the service and its memory ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _hwm_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry))
            except OSError:
                continue
    return found


class RssMonitor:
    """Polls the RSS of a process and its children; :attr:`peak_kib` since the last :meth:`reset`."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kib = 0
        self.peak_helper_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        children: list[int] = []
        tick = 0
        while not self._stop.wait(0.02):
            if tick % 5 == 0:
                children = _children(self.pid)
            tick += 1
            helper = sum(_rss_kib(child) for child in children)
            self.peak_helper_kib = max(self.peak_helper_kib, helper)
            self.peak_kib = max(self.peak_kib, _rss_kib(self.pid) + helper)

    def reset(self) -> None:
        with open(f"/proc/{self.pid}/clear_refs", "w") as clear:
            clear.write("5")  # resets VmHWM
        self.peak_kib = self.peak_helper_kib = 0

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def running_service(flags: list[str]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    command = [sys.executable, "-m", "baidu_ocr_server", "--port", str(port), "--log-level", "warning", *flags]
    process = subprocess.Popen(command)
    base_url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base_url, timeout=5, trust_env=False) as http:
            for _ in range(1200):
                try:
                    if http.get("/healthz").json().get("engine_loaded"):
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
            else:
                raise RuntimeError("the service did not start")
        yield base_url, process
    finally:
        process.terminate()
        process.wait(30)


# --- requests ----------------------------------------------------------------------------------------------------


def token(base_url: str) -> str:
    form = {"grant_type": "client_credentials", "client_id": "local-api-key", "client_secret": "local-secret-key"}
    return str(httpx.post(base_url + "/oauth/2.0/token", data=form, trust_env=False).json()["access_token"])


def post(base_url: str, access_token: str, path: str, form: dict[str, str], timeout: float = 600) -> str:
    """One request; its code (``0`` success, the error code, or ``lost:<reason>``)."""
    try:
        with httpx.Client(timeout=timeout, trust_env=False) as http:
            response = http.post(base_url + path, params={"access_token": access_token}, data=form)
        body = response.json()
    except httpx.TimeoutException:
        return "gave up"
    except Exception as exc:
        return f"lost:{type(exc).__name__}"
    return str(body.get("error_code", 0))


class Probe:
    """Sends a normal request every ``interval`` seconds in the background; latencies and codes."""

    def __init__(self, base_url: str, access_token: str, image: str, interval: float = 0.5) -> None:
        self.samples: list[tuple[float, str]] = []
        self._args = (base_url, access_token, image, interval)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        base_url, access_token, image, interval = self._args
        while not self._stop.is_set():
            started = time.monotonic()
            code = post(base_url, access_token, GENERAL, {"image": image}, timeout=300)
            self.samples.append((time.monotonic() - started, code))
            self._stop.wait(max(0.0, interval - (time.monotonic() - started)))

    def stop(self) -> str:
        self._stop.set()
        self._thread.join()
        if not self.samples:
            return "-"
        latencies = [seconds for seconds, _code in self.samples]
        codes = collections.Counter(code for _seconds, code in self.samples)
        return (
            f"n={len(latencies)} median {statistics.median(latencies) * 1000:.0f} ms, "
            f"max {max(latencies) * 1000:.0f} ms, codes {dict(codes)}"
        )


def concurrently(jobs: list[Callable[[], str]], width: int) -> collections.Counter[str]:
    with concurrent.futures.ThreadPoolExecutor(width) as pool:
        return collections.Counter(pool.map(lambda job: job(), jobs))


# --- inputs ------------------------------------------------------------------------------------------------------


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def nine_megabyte_image(seed: int = 7) -> str:
    """A text page with noise, JPEG, whose base64 is about 9 MB (accurate_basic takes up to 10 MB)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    lines = [f"Hostile load line {i} 百度文字识别 {rng.randint(0, 10**6)}" for i in range(24)]
    side = 2300
    page = Image.open(io.BytesIO(render_text_image(lines, font_size=40))).convert("RGB").resize((side, side))
    noise = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))  # seeded: the same every run
    noisy = Image.blend(page, noise, 0.2)
    for quality in (100, 98, 95, 92, 90, 85):
        buffer = io.BytesIO()
        noisy.save(buffer, format="JPEG", quality=quality)
        if len(buffer.getvalue()) * 4 / 3 < 9.6 * MIB:
            return b64(buffer.getvalue())
    return b64(buffer.getvalue())


ENGINE_ALONE = """
import base64, sys
from baidu_ocr_server.budget import PixelBudget
from baidu_ocr_server.engine import ACCURATE, RapidOCREngine
from baidu_ocr_server.inputs import load_image
from baidu_ocr_spec import LIMITS
side = int(sys.argv[2]) if len(sys.argv) > 2 else ACCURATE.max_side_len
image = load_image(base64.b64decode(open(sys.argv[1]).read()), LIMITS["accurate_basic"], side, PixelBudget(1 << 26))
engine = RapidOCREngine()
before = [line for line in open("/proc/self/status") if line.startswith("VmRSS")][0].split()[1]
engine.recognize(image, ACCURATE, False)
peak = [line for line in open("/proc/self/status") if line.startswith("VmHWM")][0].split()[1]
print(before, peak, image.size[0], image.size[1])
"""


def engine_alone(image: str, side: int | None) -> str:
    """The bare engine's peak RSS for one ``accurate_basic`` recognition of ``image``, in a fresh process."""
    with tempfile.NamedTemporaryFile("w", suffix=".b64") as file:
        file.write(image)
        file.flush()
        command = [sys.executable, "-c", ENGINE_ALONE, file.name, *([str(side)] if side else [])]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
    loaded, peak, width, height = (int(value) for value in out[-4:])
    return f"models loaded {loaded / 1024:.0f} MiB, peak {peak / 1024:.0f} MiB recognizing it at {width}x{height}"


# --- mixes -------------------------------------------------------------------------------------------------------


def mix_bombs(base_url: str, access_token: str) -> collections.Counter[str]:
    bomb = b64(png_bomb(8192, 8192))  # over the default pixel budget: refused
    decodable = b64(png_bomb(4096, 4096))  # exactly the default budget: decoded, scaled down, recognized
    text_bomb = b64(png_text_bomb(64 * MIB))
    jobs: list[Callable[[], str]] = [lambda: post(base_url, access_token, ACCURATE, {"image": bomb})] * 10
    jobs += [lambda: post(base_url, access_token, GENERAL, {"image": decodable})] * 10
    jobs += [lambda: post(base_url, access_token, GENERAL, {"image": text_bomb})] * 10
    return concurrently(jobs, 10)


def mix_pdf(base_url: str, access_token: str) -> collections.Counter[str]:
    bomb = b64(pdf_flate_bomb(2 * 1024 * MIB))
    huge = b64(pdf_huge_page(14400))
    jobs: list[Callable[[], str]] = [lambda: post(base_url, access_token, ACCURATE, {"pdf_file": bomb})] * 6
    jobs += [lambda: post(base_url, access_token, ACCURATE, {"pdf_file": huge})] * 6
    return concurrently(jobs, 8)


def mix_big(base_url: str, access_token: str, image: str) -> collections.Counter[str]:
    jobs: list[Callable[[], str]] = [lambda: post(base_url, access_token, ACCURATE, {"image": image})] * 32
    return concurrently(jobs, 32)


def mix_mixed(base_url: str, access_token: str, image: str) -> collections.Counter[str]:
    bomb, pdf_bomb = b64(png_bomb(8192, 8192)), b64(pdf_flate_bomb(2 * 1024 * MIB))
    decodable = b64(png_bomb(4096, 4096))
    jobs: list[Callable[[], str]] = [lambda: post(base_url, access_token, ACCURATE, {"image": image})] * 32
    jobs += [lambda: post(base_url, access_token, ACCURATE, {"image": bomb})] * 10
    jobs += [lambda: post(base_url, access_token, GENERAL, {"image": decodable})] * 10
    jobs += [lambda: post(base_url, access_token, ACCURATE, {"pdf_file": pdf_bomb})] * 4
    random.Random(1).shuffle(jobs)  # noqa: S311 - an order, not a secret
    return concurrently(jobs, 56)


def mix_connections(base_url: str, access_token: str, idle: int, dripping: int) -> collections.Counter[str]:
    port = int(base_url.rsplit(":", 1)[1])
    sockets: list[socket.socket] = []
    codes: collections.Counter[str] = collections.Counter()
    small = b64(render_text_image(["connection flood"]))
    try:
        for index in range(idle + dripping):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.setblocking(False)
            if index >= idle:
                sock.send(b"POST /rest/2.0/ocr/v1/general_basic HTTP/1.1\r\n")
            sockets.append(sock)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:  # drip a byte a second into the dripping ones; normal requests run
            for sock in sockets[idle:]:
                with suppress(OSError):
                    sock.send(b"X")
            codes[post(base_url, access_token, GENERAL, {"image": small}, timeout=30)] += 1
            time.sleep(1)
        closed = sum(1 for sock in sockets if _closed(sock))
        codes[f"server closed {closed} of {len(sockets)} flood connections"] += 1
    finally:
        for sock in sockets:
            sock.close()
    return codes


def _closed(sock: socket.socket) -> bool:
    """Whether the server has answered or closed the connection (it is readable)."""
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


def mix_abandoned(base_url: str, access_token: str, image: str) -> collections.Counter[str]:
    jobs: list[Callable[[], str]] = [lambda: post(base_url, access_token, ACCURATE, {"image": image}, timeout=2)] * 48
    codes = concurrently(jobs, 48)
    small = b64(render_text_image(["after the abandoned ones"]))
    started = time.monotonic()
    for _ in range(600):
        code = post(base_url, access_token, GENERAL, {"image": small}, timeout=300)
        if code == "0":
            break
        time.sleep(0.1)
    codes[f"a normal request succeeded {time.monotonic() - started:.1f} s after they gave up"] += 1
    return codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mixes = ["bombs", "pdf", "big", "mixed", "connections", "abandoned"]
    parser.add_argument("--mix", action="append", choices=mixes, help="run only these mixes (repeatable)")
    parser.add_argument("--idle", type=int, default=3000, help="idle connections in the connections mix")
    parser.add_argument("--dripping", type=int, default=1000, help="dripping connections in the connections mix")
    parser.add_argument("--serve-flag", action="append", default=[], help="an extra flag for the service")
    parser.add_argument("--engine-alone", action="store_true", help="first measure the bare engine on the ~9 MB image")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = args.idle + args.dripping + 512
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    image = nine_megabyte_image()
    print(f"~9 MB request: base64 image of {len(image) / MIB:.1f} MiB")
    if args.engine_alone:
        side = next((int(f.split("=")[1]) for f in args.serve_flag if f.startswith("--engine-max-side=")), None)
        print(f"bare engine, accurate_basic, that image: {engine_alone(image, side)}")
    normal = b64(render_text_image(["a normal request", "during the mix"]))
    with running_service(args.serve_flag) as (base_url, process):
        access_token = token(base_url)
        monitor = RssMonitor(process.pid)
        time.sleep(0.5)
        print(f"models loaded, idle: RSS {_rss_kib(process.pid) / 1024:.0f} MiB")
        runs: dict[str, Callable[[], collections.Counter[str]]] = {
            "bombs": lambda: mix_bombs(base_url, access_token),
            "pdf": lambda: mix_pdf(base_url, access_token),
            "big": lambda: mix_big(base_url, access_token, image),
            "mixed": lambda: mix_mixed(base_url, access_token, image),
            "connections": lambda: mix_connections(base_url, access_token, args.idle, args.dripping),
            "abandoned": lambda: mix_abandoned(base_url, access_token, image),
        }
        for name in args.mix or mixes:
            monitor.reset()
            probe = Probe(base_url, access_token, normal)
            started = time.monotonic()
            codes = runs[name]()
            probed = probe.stop()
            elapsed = time.monotonic() - started
            print(f"\n== {name} ({elapsed:.0f} s)")
            service_peak, helper_peak = _hwm_kib(process.pid) / 1024, monitor.peak_helper_kib / 1024
            print(
                f"   peak RSS service+helper {monitor.peak_kib / 1024:.0f} MiB "
                f"(service VmHWM {service_peak:.0f} MiB, PDF helper {helper_peak:.0f} MiB)"
            )
            print(f"   answers: {dict(codes)}")
            print(f"   normal request during the mix: {probed}")
        monitor.stop()


if __name__ == "__main__":
    main()
