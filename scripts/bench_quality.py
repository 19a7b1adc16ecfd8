"""OCR quality and speed on the evaluation set (``tests/eval``), per kind of input, engines side by side.

Run: ``python scripts/bench_quality.py [--rounds 3] [--only paper,scene] [--no-peers]``. Prints, per kind and
overall, CER (order-sensitive, whitespace removed, NFKC) and bag-of-characters F1 (order-free) for:

- the service's ``general_basic`` and ``accurate_basic`` (through the SDK against a local service) with the
  default runtime (OpenVINO where available) and with ONNX Runtime (the previous configuration), each engine
  in its own service in this process;
- peers: rapidocr 3.10 with its own defaults on the same model files, and Tesseract (``chi_sim+eng``, Debian
  ``tesseract-ocr`` + ``tesseract-ocr-chi-sim``; skipped with a note when not installed).

Then images/s for each (the median over ``--rounds`` of each image's time, summed). Configurations alternate
image by image, so load from other processes hits them alike. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from baidu_ocr import OCR
from baidu_ocr_server.embedded import LocalService
from baidu_ocr_server.engine import RapidOCREngine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from imaging import edit_distance

EVAL = Path(__file__).resolve().parent.parent / "tests" / "eval"
Reader = Callable[[bytes, Path], str]


def normalize(text: str) -> str:
    """NFKC, no whitespace: what CER and F1 compare."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass
class Score:
    """Summed edit distance, truth length and bag-of-characters counts over some images."""

    edits: int = 0
    truth: int = 0
    common: int = 0
    read: int = 0
    empty_where_text: int = 0

    def add(self, truth: str, reading: str) -> None:
        t, r = normalize(truth), normalize(reading)
        self.edits += edit_distance(t, r)
        self.truth += len(t)
        self.common += sum((Counter(t) & Counter(r)).values())
        self.read += len(r)
        self.empty_where_text += int(bool(t) and not r)

    @property
    def cer(self) -> float:
        return self.edits / max(self.truth, 1)

    @property
    def f1(self) -> float:
        precision, recall = self.common / max(self.read, 1), self.common / max(self.truth, 1)
        return 2 * precision * recall / max(precision + recall, 1e-9)


@dataclass
class Config:
    """One way of reading images, its scores by kind and its per-image times."""

    name: str
    read: Reader
    scores: dict[str, Score] = field(default_factory=dict)
    times: dict[str, list[float]] = field(default_factory=dict)
    readings: dict[str, str] = field(default_factory=dict)


def tesseract_reader() -> Reader | None:
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, check=False).stdout.split()
    lang = "+".join(x for x in ("chi_sim", "eng") if x in langs) or "eng"

    def read(_: bytes, path: Path) -> str:
        out = subprocess.run([exe, str(path), "-", "-l", lang], capture_output=True, text=True, check=False)
        return out.stdout

    return read


def rapidocr_defaults_reader() -> Reader:
    import rapidocr
    from rapidocr import RapidOCR

    models = Path(rapidocr.__file__).resolve().parent / "models"
    ocr = RapidOCR(
        params={
            "Det.model_path": str(models / "PP-OCRv6_det_small.onnx"),
            "Cls.model_path": str(models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),
            "Rec.model_path": str(models / "PP-OCRv6_rec_small.onnx"),
            "Global.log_level": "warning",
        }
    )

    def read(data: bytes, _: Path) -> str:
        out = ocr(data)
        return "\n".join(getattr(out, "txts", None) or ())

    return read


def service_reader(ocr: OCR, endpoint: str) -> Reader:
    call = ocr.general_basic if endpoint == "general_basic" else ocr.accurate_basic

    def read(data: bytes, _: Path) -> str:
        return "\n".join(call(data).lines)

    return read


def print_table(configs: list[Config], kinds: list[str]) -> None:
    width = max(len(c.name) for c in configs) + 2
    header = "".join(f"{k:>16}" for k in [*kinds, "all"])
    print(f"\n{'CER / F1':<{width}}{header}")
    for config in configs:
        cells = []
        for kind in [*kinds, "all"]:
            score = config.scores.get(kind, Score())
            cells.append(f"{score.cer:>8.3f} {score.f1:>6.3f} ")
        print(f"{config.name:<{width}}{''.join(cells)}")
    print(f"\n{'speed':<{width}}{'images/s':>10}{'s/image (median)':>18}{'empty-where-text':>18}")
    for config in configs:
        per_image = [statistics.median(t) for t in config.times.values()]
        total = sum(per_image)
        print(
            f"{config.name:<{width}}{len(per_image) / max(total, 1e-9):>10.3f}{statistics.median(per_image):>18.3f}"
            f"{config.scores['all'].empty_where_text:>18}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=1, help="timed passes over the set (quality from the first)")
    parser.add_argument("--only", default="", help="comma-separated kinds to run")
    parser.add_argument("--no-peers", action="store_true", help="skip rapidocr defaults and Tesseract")
    parser.add_argument("--dump", type=Path, help="write every reading to this JSON file")
    args = parser.parse_args()

    manifest = json.loads((EVAL / "manifest.json").read_text(encoding="utf-8"))
    images = [e for e in manifest["images"] if not args.only or e["kind"] in args.only.split(",")]
    kinds = sorted({e["kind"] for e in images})
    current = RapidOCREngine()  # the default runtime
    baseline = RapidOCREngine(runtime="onnxruntime")
    print(f"default runtime: {current.runtime}; baseline: {baseline.runtime}; {len(images)} images")
    with (
        LocalService(engine=current, wait_for_engine=True) as new_service,
        LocalService(engine=baseline, wait_for_engine=True) as old_service,
        OCR(new_service.api_key, new_service.secret_key, base_url=new_service.base_url, timeout=600) as new_ocr,
        OCR(old_service.api_key, old_service.secret_key, base_url=old_service.base_url, timeout=600) as old_ocr,
    ):
        configs = [
            Config(f"general_basic ({current.runtime})", service_reader(new_ocr, "general_basic")),
            Config("general_basic (onnxruntime)", service_reader(old_ocr, "general_basic")),
            Config(f"accurate_basic ({current.runtime})", service_reader(new_ocr, "accurate_basic")),
            Config("accurate_basic (onnxruntime)", service_reader(old_ocr, "accurate_basic")),
        ]
        if not args.no_peers:
            configs.append(Config("rapidocr defaults (onnxruntime)", rapidocr_defaults_reader()))
            tesseract = tesseract_reader()
            if tesseract is None:
                print("Tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim): not compared")
            else:
                configs.append(Config("tesseract 5 chi_sim+eng", tesseract))
        for config in configs:  # warm up
            config.read((EVAL / images[0]["file"]).read_bytes(), EVAL / images[0]["file"])
        for round_ in range(args.rounds):
            for entry in images:
                path = EVAL / entry["file"]
                data = path.read_bytes()
                order = configs if round_ % 2 == 0 else configs[::-1]
                for config in order:
                    started = time.perf_counter()
                    reading = config.read(data, path)
                    config.times.setdefault(entry["file"], []).append(time.perf_counter() - started)
                    if round_ == 0:
                        config.readings[entry["file"]] = reading
                        for kind in (entry["kind"], "all"):
                            config.scores.setdefault(kind, Score()).add(entry["text"], reading)
            print(f"round {round_ + 1}/{args.rounds} done", flush=True)
    print_table(configs, kinds)
    if args.dump:
        dump = {c.name: c.readings for c in configs}
        args.dump.write_text(json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
