"""The OCR engine interface and its offline RapidOCR (PP-OCR on ONNX Runtime) implementation."""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
from PIL import Image

from .reading_order import reading_order

if TYPE_CHECKING:
    from rapidocr import RapidOCR
    from rapidocr.ch_ppocr_cls import TextClsOutput
    from rapidocr.ch_ppocr_det import TextDetOutput
    from rapidocr.ch_ppocr_rec import TextRecOutput

__all__ = [
    "ACCURATE",
    "RUNTIMES",
    "RUNTIME_ENV",
    "STANDARD",
    "EngineProfile",
    "EngineResult",
    "OCREngine",
    "RapidOCREngine",
    "RecognizedLine",
    "Runtime",
    "resolve_runtime",
]

_log = logging.getLogger(__name__)

Runtime = Literal["auto", "openvino", "onnxruntime"]
RUNTIMES: tuple[Runtime, ...] = ("auto", "openvino", "onnxruntime")
RUNTIME_ENV = "BAIDU_OCR_ENGINE_RUNTIME"
"""Environment variable choosing the inference runtime when none is given (default ``auto``)."""

Point = tuple[float, float]
ImageInput = npt.NDArray[Any] | Image.Image
_ROTATIONS = (0, 90, 180, 270)
_VOTING_LINES = 6  # lines read twice (as cropped and turned 180) to find the page rotation
_VOTING_WIDTH = 10  # of each, at most this many line heights (about 10-20 characters) are read


@dataclass(frozen=True)
class RecognizedLine:
    """One recognized text line.

    ``box`` holds the 4 corners (top-left, top-right, bottom-right, bottom-left)
    in pixel coordinates of the upright page; ``char_scores`` has one
    recognizer confidence per character of ``text``; ``score`` is their mean.
    """

    text: str
    box: tuple[Point, ...]
    char_scores: tuple[float, ...]
    score: float


@dataclass(frozen=True)
class EngineResult:
    """The lines of a page in upright reading order.

    ``rotation`` is how far the input was rotated counter-clockwise from upright
    (0, 90, 180 or 270; Baidu's ``direction`` is ``rotation // 90``); ``width``
    and ``height`` are those of the upright page.
    """

    lines: tuple[RecognizedLine, ...]
    rotation: int
    width: int
    height: int


@dataclass(frozen=True)
class EngineProfile:
    """Engine settings behind one Baidu endpoint.

    - ``max_side_len``: larger images are first scaled down to this longest side.
    - ``det_limit_side_len`` / ``det_limit_type``: with ``"min"`` the detector input
      is scaled up until its shorter side is at least ``det_limit_side_len``; with
      ``"max"`` it is scaled down until its longer side is at most that.
    - ``det_thresh`` / ``det_box_thresh``: pixel and box score thresholds of the
      DB text detector (higher drops faint or doubtful boxes).
    - ``det_score_mode``: ``"fast"`` scores a box by its bounding rectangle,
      ``"slow"`` by its exact polygon (more accurate, a little slower).
    - ``unclip_ratio``: how much detected boxes are grown around the text.
    - ``text_score``: lines whose recognition confidence is below it are dropped.
    - ``use_cls``: run the 0/180 text-line classifier on each line.
    - ``extra_det_limits``: further detector passes (each a longest-side limit, never scaling up), whose
      boxes are added where the first pass found nothing (multi-scale detection).
    - ``pad_below``: an image whose shorter side is below this is padded (with its border colour) to it
      before detection, instead of being scaled up (0: never).
    - ``retry_below``: lines read with a lower confidence are read again from a wider crop, and the more
      confident reading is kept (0: never).
    """

    name: str
    max_side_len: int
    det_limit_side_len: int
    det_limit_type: Literal["min", "max"]
    det_thresh: float
    det_box_thresh: float
    det_score_mode: Literal["fast", "slow"]
    unclip_ratio: float
    text_score: float
    use_cls: bool
    extra_det_limits: tuple[int, ...] = ()
    pad_below: int = 0
    retry_below: float = 0.0


STANDARD = EngineProfile(
    name="standard",
    max_side_len=2000,
    det_limit_side_len=960,
    det_limit_type="max",
    det_thresh=0.3,
    det_box_thresh=0.5,
    det_score_mode="fast",
    unclip_ratio=1.6,
    text_score=0.5,
    use_cls=True,
)
"""``general_basic``: the detector sees at most 960 px (PaddleOCR's classic default): fast."""

ACCURATE = EngineProfile(
    name="accurate",
    max_side_len=2560,
    det_limit_side_len=960,
    det_limit_type="max",
    det_thresh=0.3,
    det_box_thresh=0.5,
    det_score_mode="slow",
    unclip_ratio=1.6,
    text_score=0.5,
    use_cls=True,
    extra_det_limits=(1600,),
    pad_below=256,
    retry_below=0.9,
)
"""``accurate_basic``: spends compute on recall and doubtful lines: a second, finer detector pass (longest side
up to 1600 px; its boxes fill in what the 960 px pass missed), exact polygon box scores, small inputs padded
rather than blown up, and low-confidence lines read a second time from a wider crop."""


class OCREngine(Protocol):
    """Anything that turns one page image into recognized lines."""

    def recognize(self, image: ImageInput, profile: EngineProfile, detect_direction: bool) -> EngineResult:
        """OCR ``image`` (a PIL image or an RGB/grayscale array) with ``profile``.

        With ``detect_direction`` the page rotation is detected and undone;
        otherwise the image is read as given and ``rotation`` is 0.
        """
        ...


def _to_bgr(image: ImageInput) -> npt.NDArray[np.uint8]:
    """Convert a PIL image or an RGB/gray/RGBA array to a contiguous BGR uint8 array."""
    pil = image if isinstance(image, Image.Image) else Image.fromarray(np.asarray(image))
    if pil.mode in ("RGBA", "LA") or (pil.mode == "P" and "transparency" in pil.info):
        rgba = pil.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        pil = Image.alpha_composite(background, rgba)
    rgb = np.asarray(pil.convert("RGB"), dtype=np.uint8)
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _upright(image: npt.NDArray[np.uint8], rotation: int) -> npt.NDArray[np.uint8]:
    """Undo a counter-clockwise ``rotation`` (in degrees) of ``image``."""
    return np.ascontiguousarray(np.rot90(image, k=-(rotation // 90)))


def _reading_order(lines: Sequence[RecognizedLine]) -> list[RecognizedLine]:
    """The lines in reading order: blocks and columns first, then rows (see :mod:`.reading_order`)."""
    return [lines[i] for i in reading_order([line.box for line in lines])]


def _box_size(box: npt.NDArray[Any]) -> tuple[float, float]:
    """Width (along the first edge) and height of a detected quadrilateral."""
    return float(np.linalg.norm(box[0] - box[1])), float(np.linalg.norm(box[1] - box[2]))


def _reading_confidence(info: Any) -> float:
    """How sure the recognizer is of a reading: mean per-character confidence (0 if nothing read)."""
    confs = [float(c) for c in getattr(info, "confs", ())]
    return float(np.mean(confs)) if confs else 0.0


def _padding(height: int, width: int, pad_below: int) -> int:
    """How many pixels to pad each side of a ``height`` x ``width`` image with (0 if it is large enough)."""
    short = min(height, width)
    return (pad_below - short + 1) // 2 if 0 < short < pad_below else 0


def _pad(bgr: npt.NDArray[np.uint8], pad: int) -> npt.NDArray[np.uint8]:
    """``bgr`` on a ``pad``-pixel border of its median edge colour."""
    edges = np.concatenate([bgr[0], bgr[-1], bgr[:, 0], bgr[:, -1]])
    colour = np.median(edges, axis=0).astype(np.uint8)
    height, width = bgr.shape[:2]
    out = np.empty((height + 2 * pad, width + 2 * pad, 3), dtype=np.uint8)
    out[:] = colour
    out[pad : pad + height, pad : pad + width] = bgr
    return out


def _overlaps(box: npt.NDArray[Any], kept: Sequence[npt.NDArray[Any]], share: float = 0.3) -> bool:
    """Whether ``box``'s bounding rectangle overlaps any of ``kept``'s by ``share`` of the smaller one."""
    x0, y0 = box.min(axis=0)
    x1, y1 = box.max(axis=0)
    for other in kept:
        u0, v0 = other.min(axis=0)
        u1, v1 = other.max(axis=0)
        inter = max(0.0, min(x1, u1) - max(x0, u0)) * max(0.0, min(y1, v1) - max(y0, v0))
        smaller = min((x1 - x0) * (y1 - y0), (u1 - u0) * (v1 - v0))
        if smaller > 0 and inter >= share * smaller:
            return True
    return False


def _widened(box: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
    """``box`` (tl, tr, br, bl) grown by a fifth of its height on every side."""
    top_left, top_right, bottom_right, bottom_left = (np.asarray(p, dtype=np.float64) for p in box)
    along = top_right - top_left
    across = bottom_left - top_left
    along_unit = along / max(float(np.linalg.norm(along)), 1e-6)
    grow = 0.2 * float(np.linalg.norm(across))
    dx = along_unit * grow
    dy = across / max(float(np.linalg.norm(across)), 1e-6) * grow
    grown = [top_left - dx - dy, top_right + dx - dy, bottom_right + dx + dy, bottom_left - dx + dy]
    return np.array(grown, dtype=np.float32)


def _openvino_usable(rec_model: Path) -> bool:
    """Whether OpenVINO is installed and reads the recognizer's character list from the ONNX file itself.

    (Without that list RapidOCR would try to download a dictionary; this is checked before it gets the chance.)
    """
    if importlib.util.find_spec("openvino") is None:
        return False
    try:
        from openvino import Core

        framework = Core().read_model(str(rec_model)).get_rt_info()["framework"]
        return bool(str(framework["character"].value).strip())
    except Exception:
        _log.warning("OpenVINO cannot run the OCR models; using ONNX Runtime", exc_info=True)
        return False


def resolve_runtime(requested: str | None, rec_model: Path) -> Literal["openvino", "onnxruntime"]:
    """The runtime to use: ``requested`` (else ``$BAIDU_OCR_ENGINE_RUNTIME``, else ``auto``).

    ``auto`` is OpenVINO where it is installed and runs the models, else ONNX Runtime; an explicit
    ``openvino`` that cannot run also falls back to ONNX Runtime (with a warning).
    """
    choice = (requested or os.environ.get(RUNTIME_ENV) or "auto").strip().lower()
    if choice not in RUNTIMES:
        raise ValueError(f"unknown OCR runtime {choice!r}: expected one of {', '.join(RUNTIMES)}")
    if choice == "onnxruntime":
        return "onnxruntime"
    return "openvino" if _openvino_usable(rec_model) else "onnxruntime"


class RapidOCREngine:
    """:class:`OCREngine` on RapidOCR with the PP-OCR models shipped in its wheel.

    Models are loaded once, from explicit paths inside the installed
    ``rapidocr`` package, so nothing is downloaded. The same ONNX files run on
    OpenVINO (``runtime="openvino"``: its default CPU precision, bf16 where the
    CPU has it, about 2-3 times ONNX Runtime's speed) or ONNX Runtime; see
    :func:`resolve_runtime`. Calls are serialized by a lock: RapidOCR keeps
    per-call settings on the instance, and either runtime already uses every
    core for one image.

    Direction detection (RapidOCR's classifier only knows 0/180 per line): the
    page is detected as given; up to ``_VOTING_LINES`` lines (elongated and
    large ones first) are cropped, turned horizontal, and read both as cropped
    and turned 180 degrees. The reading with the higher mean character
    confidence tells each line's rotation (a tall box means 90 or 270), lines
    vote weighted by area and confidence margin, and the page is then turned
    upright and read in full.
    """

    def __init__(self, model_dir: Path | None = None, runtime: str | None = None) -> None:
        """Load the detection, classification and recognition models (from ``model_dir`` if given).

        ``runtime``: ``"auto"``, ``"openvino"`` or ``"onnxruntime"`` (default: ``$BAIDU_OCR_ENGINE_RUNTIME``
        or ``auto``); the one in use is :attr:`runtime`.
        """
        import rapidocr
        from rapidocr.utils.typings import EngineType

        models = model_dir or Path(rapidocr.__file__).resolve().parent / "models"
        paths = {
            "Det": models / "PP-OCRv6_det_small.onnx",
            "Cls": models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
            "Rec": models / "PP-OCRv6_rec_small.onnx",
        }
        missing = [str(p) for p in paths.values() if not p.is_file()]
        if missing:
            raise FileNotFoundError(f"RapidOCR model files not found: {missing}")
        self.runtime = resolve_runtime(runtime, paths["Rec"])
        params: dict[str, Any] = {f"{k}.model_path": str(p) for k, p in paths.items()}
        params.update({f"{k}.engine_type": EngineType(self.runtime) for k in paths})
        params["Global.log_level"] = "warning"
        self._ocr: Any = _word_conf_ocr()(params=params)
        # Load all three models now rather than lazily on the first call.
        self._det: Any = self._ocr._load_det_model()  # type: ignore[no-untyped-call]
        self._ocr._load_cls_model()  # type: ignore[no-untyped-call]
        self._rec: Any = self._ocr._load_rec_model()  # type: ignore[no-untyped-call]
        self._lock = threading.Lock()
        self._pad_below = 0

    def recognize(self, image: ImageInput, profile: EngineProfile, detect_direction: bool) -> EngineResult:
        """OCR one page; see :meth:`OCREngine.recognize`."""
        bgr = _to_bgr(image)
        with self._lock:
            self._configure(profile)
            if not detect_direction:
                lines = self._read(bgr, use_cls=profile.use_cls)
                rotation = 0
            else:
                rotation, lines = self._read_any_direction(bgr, use_cls=profile.use_cls)
        height, width = bgr.shape[:2]
        if rotation in (90, 270):
            width, height = height, width
        kept = [line for line in lines if line.score >= profile.text_score]
        return EngineResult(tuple(_reading_order(kept)), rotation, width, height)

    def _configure(self, profile: EngineProfile) -> None:
        """Apply ``profile`` to the shared RapidOCR instance (lock held)."""
        ocr = self._ocr
        ocr.max_side_len = profile.max_side_len
        det = self._det
        det.limit_side_len = profile.det_limit_side_len
        det.limit_type = profile.det_limit_type
        det.postprocess_op.score_mode = profile.det_score_mode
        det.postprocess_op.thresh = profile.det_thresh
        det.postprocess_op.box_thresh = profile.det_box_thresh
        det.postprocess_op.unclip_ratio = profile.unclip_ratio
        ocr.extra_det_limits = profile.extra_det_limits
        ocr.retry_below = profile.retry_below
        self._pad_below = profile.pad_below

    def _read_any_direction(self, bgr: npt.NDArray[np.uint8], use_cls: bool) -> tuple[int, list[RecognizedLine]]:
        """Find the page rotation and read the page upright (lock held)."""
        from rapidocr.ch_ppocr_det import TextDetOutput

        det = self._ocr(bgr, use_det=True, use_cls=False, use_rec=False)
        if not isinstance(det, TextDetOutput) or det.boxes is None or len(det.boxes) == 0:
            return 0, []
        rotation = self._vote_rotation(bgr, det.boxes)
        return rotation, self._read(_upright(bgr, rotation), use_cls=use_cls)

    def _vote_rotation(self, bgr: npt.NDArray[np.uint8], boxes: npt.NDArray[np.float32]) -> int:
        """Read the most telling lines as cropped and turned 180 degrees; the likelier reading votes."""
        from rapidocr.ch_ppocr_rec import TextRecInput
        from rapidocr.utils.process_img import get_rotate_crop_image

        sizes = [_box_size(box) for box in boxes]
        # Elongated boxes first (their direction is unambiguous), then the largest.
        order = sorted(
            range(len(boxes)), key=lambda i: (max(sizes[i]) < 1.5 * min(sizes[i]), -sizes[i][0] * sizes[i][1])
        )
        picked = order[:_VOTING_LINES]
        crops = []
        for i in picked:
            crop = get_rotate_crop_image(bgr, boxes[i].astype(np.float32).copy())
            if crop.shape[0] > crop.shape[1]:  # not turned yet by RapidOCR (ratio < 1.5)
                crop = np.rot90(crop)
            crops.append(np.ascontiguousarray(crop[:, : _VOTING_WIDTH * crop.shape[0]]))
        flipped = [np.ascontiguousarray(np.rot90(crop, 2)) for crop in crops]
        rec = self._rec(TextRecInput(img=crops + flipped, return_word_box=True))
        votes = dict.fromkeys(_ROTATIONS, 0.0)
        for k, i in enumerate(picked):
            width, height = sizes[i]
            as_cropped = _reading_confidence(rec.word_results[k])
            turned = _reading_confidence(rec.word_results[k + len(picked)])
            # A vertical box was cropped turned 90 ccw: upright if the page was turned 270.
            upright, upside_down = (270, 90) if height > width else (0, 180)
            votes[upright if as_cropped >= turned else upside_down] += width * height * abs(as_cropped - turned)
        return max(_ROTATIONS, key=lambda r: votes[r])

    def _read(self, bgr: npt.NDArray[np.uint8], use_cls: bool) -> list[RecognizedLine]:
        """Run det(+cls)+rec on ``bgr`` and keep every non-empty line (lock held)."""
        from rapidocr.utils.output import RapidOCROutput

        height, width = bgr.shape[:2]
        pad = _padding(height, width, self._pad_below)
        if pad:
            bgr = _pad(bgr, pad)
        out = self._ocr(bgr, use_det=True, use_cls=use_cls, use_rec=True, text_score=0.0)
        if not isinstance(out, RapidOCROutput) or not out.txts:
            return []
        assert out.boxes is not None
        assert out.scores is not None
        lines = []
        for box, text, score, info in zip(out.boxes, out.txts, out.scores, out.word_results, strict=True):
            confs = [float(c) for c in getattr(info, "confs", ())]
            if len(confs) != len(text):  # defensive: fall back to the line score
                confs = [float(score)] * len(text)
            start = len(text) - len(text.lstrip())
            end = len(text.rstrip())
            chars = tuple(confs[start:end])
            if not chars:
                continue
            corners = tuple(
                (min(max(float(x) - pad, 0.0), float(width)), min(max(float(y) - pad, 0.0), float(height)))
                for x, y in box
            )
            lines.append(RecognizedLine(text[start:end], corners, chars, float(np.mean(chars))))
        return lines


@cache
def _word_conf_ocr() -> type[RapidOCR]:
    """The RapidOCR subclass the engine uses (defined on first use: importing RapidOCR is slow)."""
    from rapidocr import RapidOCR
    from rapidocr.ch_ppocr_det import TextDetOutput
    from rapidocr.ch_ppocr_rec import TextRecInput
    from rapidocr.main import RapidOCRError
    from rapidocr.utils.process_img import apply_vertical_padding, get_rotate_crop_image

    class _WordConfOCR(RapidOCR):
        """RapidOCR whose results keep per-character confidences and whose line flips are checked.

        ``return_word_box`` stays off, so RapidOCR passes the recognizer's
        ``WordInfo`` objects (with ``confs``) through as ``word_results``, aligned
        with ``txts``. The 0/180 line classifier misfires on some upright lines
        (with confidence above its threshold), so a line it flips is also read
        unflipped and the more confident reading is kept.
        """

        _unflipped: dict[int, npt.NDArray[np.uint8]] | None = None
        extra_det_limits: tuple[int, ...] = ()
        retry_below: float = 0.0
        _det_img: npt.NDArray[np.uint8] | None = None
        _det_boxes: npt.NDArray[Any] | None = None

        def run_ocr_steps(self, img: npt.NDArray[np.uint8], op_record: dict[str, Any]) -> Any:
            self._unflipped = {}
            try:
                return super().run_ocr_steps(img, op_record)
            finally:
                self._unflipped = None
                self._det_img = self._det_boxes = None

        def detect_and_crop(
            self, img: npt.NDArray[np.uint8], op_record: dict[str, Any]
        ) -> tuple[list[npt.NDArray[np.uint8]], TextDetOutput]:
            """Detect at the configured scale, then at each of ``extra_det_limits``, adding boxes found anew."""
            if self.cfg.Global.use_vertical_padding:
                img, op_record = apply_vertical_padding(img, op_record, self.width_height_ratio, self.min_height)
            else:
                op_record["padding_1"] = {"top": 0, "left": 0}
            det = self._load_det_model()  # type: ignore[no-untyped-call]
            res = det(img)
            boxes = list(res.boxes) if res.boxes is not None else []
            scores = list(res.scores) if res.scores is not None else []
            if self.extra_det_limits:
                saved = det.limit_side_len, det.limit_type
                try:
                    for limit in self.extra_det_limits:
                        if max(img.shape[:2]) <= saved[0] and saved[1] == "max":
                            break  # the first pass already saw the image at full size
                        det.limit_side_len, det.limit_type = limit, "max"
                        extra = det(img)
                        if extra.boxes is None or extra.scores is None:
                            continue
                        for box, score in zip(extra.boxes, extra.scores, strict=False):
                            if not _overlaps(box, boxes):
                                boxes.append(box)
                                scores.append(score)
                finally:
                    det.limit_side_len, det.limit_type = saved
            if not boxes:
                raise RapidOCRError("The text detection result is empty")
            found = np.array(boxes)
            res = TextDetOutput(img, found, scores, elapse=res.elapse)
            self._det_img, self._det_boxes = img, found
            return self.crop_text_regions(img, found), res

        def cls_and_rotate(self, img: list[npt.NDArray[np.uint8]]) -> tuple[list[npt.NDArray[np.uint8]], TextClsOutput]:
            rotated, cls_res = super().cls_and_rotate(img)
            threshold = float(self.cfg.Cls.cls_thresh)
            self._unflipped = {
                i: crop
                for i, (crop, (label, score)) in enumerate(zip(img, cls_res.cls_res or (), strict=False))
                if "180" in label and score > threshold
            }
            return rotated, cls_res

        def recognize_txt(self, img: list[npt.NDArray[np.uint8]]) -> TextRecOutput:
            rec_res = self._rec_with_confs(img)
            if self._unflipped:
                indexes = list(self._unflipped)
                second = self._rec_with_confs([self._unflipped[i] for i in indexes])
                second_txts = second.txts or ()
                txts, scores, words = list(rec_res.txts or ()), list(rec_res.scores), list(rec_res.word_results)
                for k, i in enumerate(indexes):
                    if _reading_confidence(second.word_results[k]) > _reading_confidence(words[i]):
                        txts[i], scores[i], words[i] = second_txts[k], second.scores[k], second.word_results[k]
                rec_res.txts, rec_res.scores, rec_res.word_results = tuple(txts), scores, tuple(words)  # type: ignore[assignment]
            if self.retry_below > 0 and self._det_img is not None and self._det_boxes is not None:
                self._retry_doubtful(rec_res)
            return rec_res

        def _retry_doubtful(self, rec_res: TextRecOutput) -> None:
            """Read lines below ``retry_below`` again from a wider crop; keep the more confident reading."""
            assert self._det_img is not None
            assert self._det_boxes is not None
            words = list(rec_res.word_results)
            doubtful = [i for i, w in enumerate(words) if _reading_confidence(w) < self.retry_below]
            if not doubtful or len(self._det_boxes) != len(words):
                return
            crops = []
            for i in doubtful:
                crop = get_rotate_crop_image(self._det_img, _widened(self._det_boxes[i]))
                if self._unflipped is not None and i in self._unflipped:
                    crop = np.ascontiguousarray(np.rot90(crop, 2))
                crops.append(crop)
            second = self._rec_with_confs(crops)
            txts, scores = list(rec_res.txts or ()), list(rec_res.scores)
            second_txts = second.txts or ()
            for k, i in enumerate(doubtful):
                better = _reading_confidence(second.word_results[k]) > _reading_confidence(words[i])
                if second_txts[k].strip() and better:
                    txts[i], scores[i], words[i] = second_txts[k], second.scores[k], second.word_results[k]
            rec_res.txts, rec_res.scores, rec_res.word_results = tuple(txts), scores, tuple(words)  # type: ignore[assignment]

        def _rec_with_confs(self, img: list[npt.NDArray[np.uint8]]) -> TextRecOutput:
            rec_res: TextRecOutput = self._load_rec_model()(  # type: ignore[no-untyped-call]
                TextRecInput(img=img, return_word_box=True)
            )
            if rec_res.txts is None:
                raise RapidOCRError("The text recognize result is empty")
            return rec_res

    return _WordConfOCR
