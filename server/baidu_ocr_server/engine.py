"""The OCR engine interface and its offline RapidOCR (PP-OCR on ONNX Runtime) implementation."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
from PIL import Image

if TYPE_CHECKING:
    from rapidocr import RapidOCR
    from rapidocr.ch_ppocr_cls import TextClsOutput
    from rapidocr.ch_ppocr_rec import TextRecOutput

__all__ = [
    "ACCURATE",
    "STANDARD",
    "EngineProfile",
    "EngineResult",
    "OCREngine",
    "RapidOCREngine",
    "RecognizedLine",
]

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
    det_limit_side_len=736,
    det_limit_type="min",
    det_thresh=0.3,
    det_box_thresh=0.6,
    det_score_mode="slow",
    unclip_ratio=1.6,
    text_score=0.5,
    use_cls=True,
)
"""``accurate_basic``: RapidOCR 3.x's detector sizing (shorter side scaled up to 736 px, so small
text is found; images up to 2560 px), exact polygon box scores and a stricter box threshold."""


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
    """Sort lines top-to-bottom, left-to-right within a row of overlapping lines."""

    def extent(line: RecognizedLine) -> tuple[float, float, float]:
        ys = [p[1] for p in line.box]
        return min(ys), max(ys), min(p[0] for p in line.box)

    rows: list[list[RecognizedLine]] = []
    row_span = (0.0, 0.0)
    for line in sorted(lines, key=lambda ln: sum(extent(ln)[:2])):
        top, bottom, _ = extent(line)
        overlap = min(bottom, row_span[1]) - max(top, row_span[0])
        height = min(bottom - top, row_span[1] - row_span[0])
        if rows and height > 0 and overlap > 0.5 * height:
            rows[-1].append(line)
            row_span = (min(top, row_span[0]), max(bottom, row_span[1]))
        else:
            rows.append([line])
            row_span = (top, bottom)
    return [line for row in rows for line in sorted(row, key=lambda ln: extent(ln)[2])]


def _box_size(box: npt.NDArray[Any]) -> tuple[float, float]:
    """Width (along the first edge) and height of a detected quadrilateral."""
    return float(np.linalg.norm(box[0] - box[1])), float(np.linalg.norm(box[1] - box[2]))


def _reading_confidence(info: Any) -> float:
    """How sure the recognizer is of a reading: mean per-character confidence (0 if nothing read)."""
    confs = [float(c) for c in getattr(info, "confs", ())]
    return float(np.mean(confs)) if confs else 0.0


class RapidOCREngine:
    """:class:`OCREngine` on RapidOCR with the PP-OCR models shipped in its wheel.

    Models are loaded once, from explicit paths inside the installed
    ``rapidocr`` package, so nothing is downloaded. Calls are serialized by a
    lock: RapidOCR keeps per-call settings on the instance, and ONNX Runtime
    already uses every core for one image.

    Direction detection (RapidOCR's classifier only knows 0/180 per line): the
    page is detected as given; up to ``_VOTING_LINES`` lines (elongated and
    large ones first) are cropped, turned horizontal, and read both as cropped
    and turned 180 degrees. The reading with the higher mean character
    confidence tells each line's rotation (a tall box means 90 or 270), lines
    vote weighted by area and confidence margin, and the page is then turned
    upright and read in full.
    """

    def __init__(self, model_dir: Path | None = None) -> None:
        """Load the detection, classification and recognition models (from ``model_dir`` if given)."""
        import rapidocr

        models = model_dir or Path(rapidocr.__file__).resolve().parent / "models"
        paths = {
            "Det": models / "PP-OCRv6_det_small.onnx",
            "Cls": models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
            "Rec": models / "PP-OCRv6_rec_small.onnx",
        }
        missing = [str(p) for p in paths.values() if not p.is_file()]
        if missing:
            raise FileNotFoundError(f"RapidOCR model files not found: {missing}")
        params: dict[str, Any] = {f"{k}.model_path": str(p) for k, p in paths.items()}
        params["Global.log_level"] = "warning"
        self._ocr = _word_conf_ocr()(params=params)
        # Load all three models now rather than lazily on the first call.
        self._det: Any = self._ocr._load_det_model()  # type: ignore[no-untyped-call]
        self._ocr._load_cls_model()  # type: ignore[no-untyped-call]
        self._rec: Any = self._ocr._load_rec_model()  # type: ignore[no-untyped-call]
        self._lock = threading.Lock()

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
            corners = tuple((float(x), float(y)) for x, y in box)
            lines.append(RecognizedLine(text[start:end], corners, chars, float(np.mean(chars))))
        return lines


@cache
def _word_conf_ocr() -> type[RapidOCR]:
    """The RapidOCR subclass the engine uses (defined on first use: importing RapidOCR is slow)."""
    from rapidocr import RapidOCR
    from rapidocr.ch_ppocr_rec import TextRecInput
    from rapidocr.main import RapidOCRError

    class _WordConfOCR(RapidOCR):
        """RapidOCR whose results keep per-character confidences and whose line flips are checked.

        ``return_word_box`` stays off, so RapidOCR passes the recognizer's
        ``WordInfo`` objects (with ``confs``) through as ``word_results``, aligned
        with ``txts``. The 0/180 line classifier misfires on some upright lines
        (with confidence above its threshold), so a line it flips is also read
        unflipped and the more confident reading is kept.
        """

        _unflipped: dict[int, npt.NDArray[np.uint8]] | None = None

        def run_ocr_steps(self, img: npt.NDArray[np.uint8], op_record: dict[str, Any]) -> Any:
            self._unflipped = {}
            try:
                return super().run_ocr_steps(img, op_record)
            finally:
                self._unflipped = None

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
            return rec_res

        def _rec_with_confs(self, img: list[npt.NDArray[np.uint8]]) -> TextRecOutput:
            rec_res: TextRecOutput = self._load_rec_model()(  # type: ignore[no-untyped-call]
                TextRecInput(img=img, return_word_box=True)
            )
            if rec_res.txts is None:
                raise RapidOCRError("The text recognize result is empty")
            return rec_res

    return _WordConfOCR
