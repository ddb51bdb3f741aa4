"""Tesseract through tesserocr (libtesseract in-process, one loaded API per language).

Each crop is read with ONE script's model (chi_sim, chi_tra or eng): loading chi_sim+chi_tra
together makes Tesseract mix the two scripts inside a line. Crops are scaled so that glyphs
are about 36 px tall, inverted to dark-on-light, and the spaces Tesseract puts between Chinese
characters are removed. pytesseract (a process per call) is the fallback where tesserocr is
missing.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # before libtesseract loads

import re
import sys
import threading
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from ..errors import EngineUnavailableError, OcrFailedError
from ..types import Box
from .base import EngineStatus, TextLine

_TARGET_GLYPH_H = 36
_BORDER = 12
SCRIPT_LANG = {"zh-Hans": "chi_sim", "zh-Hant": "chi_tra", "en": "eng"}
_NEEDED = ("chi_sim", "chi_tra", "eng")

_CJK_CLASS = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK_CLASS}])\s+(?=[{_CJK_CLASS}])")
_CJK_SPACE_MIXED = re.compile(rf"(?<=[{_CJK_CLASS}])\s+(?=[0-9])|(?<=[0-9])\s+(?=[{_CJK_CLASS}])")


_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_CJK_PUNCT = re.compile(rf"(?<=[{_CJK_CLASS}])\s*([,;:!?()])\s*(?=[{_CJK_CLASS}]|$)")


def clean_cjk_spaces(text: str) -> str:
    """Drop the spaces Tesseract puts between Chinese characters; ASCII punctuation between
    Chinese characters becomes full-width (what chat apps render)."""
    text = _CJK_SPACE.sub("", text.strip())
    text = _CJK_SPACE_MIXED.sub("", text)
    text = _CJK_PUNCT.sub(lambda m: _HALF_TO_FULL[m.group(1)], text)
    return _CJK_SPACE.sub("", text).strip()


def bundled_tessdata() -> Path | None:
    """The language data shipped inside an installer (packaging/README.md): the folder named by
    ``CHATGUARD_TESSDATA``, else ``tessdata`` beside the frozen app (PyInstaller's
    ``sys._MEIPASS``). Looked at before any system folder, so the bundle uses its own models."""
    env = os.environ.get("CHATGUARD_TESSDATA")
    if env:
        return Path(env)
    base = getattr(sys, "_MEIPASS", None)
    return Path(base) / "tessdata" if base else None


def _tessdata_candidates() -> list[Path]:
    c: list[Path] = []
    bundled = bundled_tessdata()
    if bundled is not None:
        c.append(bundled)
    env = os.environ.get("TESSDATA_PREFIX")
    if env:
        c += [Path(env), Path(env) / "tessdata"]
    if sys.platform == "win32":
        for base in (os.environ.get("PROGRAMFILES", r"C:\Program Files"), os.environ.get("LOCALAPPDATA", "")):
            if base:
                c.append(Path(base) / "Tesseract-OCR" / "tessdata")
                c.append(Path(base) / "Programs" / "Tesseract-OCR" / "tessdata")
    else:
        c += [Path(p) for p in (
            "/usr/share/tesseract-ocr/5/tessdata",
            "/usr/share/tesseract-ocr/4.00/tessdata",
            "/usr/share/tessdata",
            "/usr/local/share/tessdata",
            "/opt/homebrew/share/tessdata",
            "/opt/local/share/tessdata",
        )]
    return c


def find_tessdata(langs: tuple[str, ...] = _NEEDED) -> Path | None:
    """The first tessdata folder holding every language in ``langs``."""
    for d in _tessdata_candidates():
        if all((d / f"{lang}.traineddata").is_file() for lang in langs):
            return d
    for d in _tessdata_candidates():
        if (d / "eng.traineddata").is_file():
            return d
    return None


def install_hint() -> str:
    """The exact command that installs Tesseract with chi_sim, chi_tra and eng on this OS."""
    if sys.platform == "darwin":
        return "brew install tesseract tesseract-lang   (tesseract-lang holds chi_sim and chi_tra)"
    if sys.platform == "win32":
        return ("winget install UB-Mannheim.TesseractOCR   (or choco install tesseract, or the "
                "UB-Mannheim installer from github.com/UB-Mannheim/tesseract/wiki); in the installer tick "
                "'Additional language data': Chinese - Simplified (chi_sim) and Chinese - Traditional (chi_tra)")
    try:
        osr = Path("/etc/os-release").read_text(encoding="utf-8", errors="replace").lower()
    except OSError:
        osr = ""
    if any(k in osr for k in ("fedora", "rhel", "centos", "rocky", "almalinux")):
        return "sudo dnf install tesseract tesseract-langpack-chi_sim tesseract-langpack-chi_tra tesseract-langpack-eng"
    if "arch" in osr:
        return "sudo pacman -S tesseract tesseract-data-chi_sim tesseract-data-chi_tra tesseract-data-eng"
    if "suse" in osr:
        return "sudo zypper install tesseract-ocr tesseract-ocr-traineddata-chi_sim tesseract-ocr-traineddata-chi_tra"
    return "sudo apt install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-eng"


class TesseractEngine:
    name = "tesseract"

    def __init__(self) -> None:
        self._lock = threading.Lock()  # guards _apis creation
        self._apis: dict[tuple[str, int], tuple[object, threading.Lock]] = {}
        self._tessdata: Path | None = None
        self._backend: str | None = None

    # -- loading -----------------------------------------------------------------------------
    def _init(self) -> None:
        if self._backend is not None:
            return
        self._tessdata = find_tessdata()
        try:
            import tesserocr  # type: ignore[import-untyped]  # noqa: F401

            self._backend = "tesserocr"
        except ImportError:
            try:
                import pytesseract  # type: ignore[import-untyped]

                pytesseract.get_tesseract_version()
                self._backend = "pytesseract"
            except Exception as exc:
                raise EngineUnavailableError(
                    "Tesseract is not installed", hint=install_hint(), detail=repr(exc)
                ) from None

    def _api(self, lang: str, psm: int) -> tuple[object, threading.Lock]:
        with self._lock:
            self._init()
            key = (lang, psm)
            if key in self._apis:
                return self._apis[key]
            if self._tessdata is None or not (self._tessdata / f"{lang}.traineddata").is_file():
                raise EngineUnavailableError(
                    f"Tesseract language data {lang} is missing", hint=install_hint(),
                    detail=f"looked in: {', '.join(str(p) for p in _tessdata_candidates())}",
                )
            if self._backend != "tesserocr":
                self._apis[key] = (None, threading.Lock())
                return self._apis[key]
            import tesserocr

            try:
                api = tesserocr.PyTessBaseAPI(path=str(self._tessdata) + os.sep, lang=lang,
                                              psm=psm, oem=tesserocr.OEM.LSTM_ONLY)
            except RuntimeError as exc:
                raise EngineUnavailableError(
                    f"Tesseract could not load {lang}", hint=install_hint(), detail=str(exc)
                ) from None
            api.SetVariable("preserve_interword_spaces", "1" if lang != "eng" else "0")
            self._apis[key] = (api, threading.Lock())
            return self._apis[key]

    def status(self) -> EngineStatus:
        try:
            with self._lock:
                self._init()
        except EngineUnavailableError as exc:
            return EngineStatus(self.name, False, detail=exc.message, hint=exc.hint)
        version = ""
        if self._backend == "tesserocr":
            import tesserocr

            version = tesserocr.PyTessBaseAPI.Version()
        else:
            import pytesseract

            version = str(pytesseract.get_tesseract_version())
        if self._tessdata is None:
            return EngineStatus(self.name, False, version, detail="no tessdata folder found", hint=install_hint())
        have = tuple(sorted(p.stem for p in self._tessdata.glob("*.traineddata")))
        missing = [lang for lang in _NEEDED if lang not in have]
        langs = tuple(s for s, lang in SCRIPT_LANG.items() if lang in have)
        if missing:
            return EngineStatus(self.name, False, version, langs,
                                detail=f"missing language data: {', '.join(missing)} in {self._tessdata}",
                                hint=install_hint())
        return EngineStatus(self.name, True, version, langs,
                            detail=f"{self._backend}, tessdata {self._tessdata}")

    # -- reading -----------------------------------------------------------------------------
    def read_page(self, img: np.ndarray, langs: tuple[str, ...] = ("zh-Hans",)) -> list[TextLine]:
        script = langs[0] if langs else "zh-Hans"
        return self._read(img, SCRIPT_LANG.get(script, "chi_sim"), psm=3, normalise=False)

    def read_crop(self, crop: np.ndarray, script: str = "zh-Hans", *, single_line: bool = False) -> list[TextLine]:
        return self._read(crop, SCRIPT_LANG.get(script, "chi_sim"), psm=7 if single_line else 6)

    def _read(self, img: np.ndarray, lang: str, psm: int, normalise: bool = True) -> list[TextLine]:
        gray, scale = prepare(img, normalise=normalise)
        api, lock = self._api(lang, psm)
        lines: list[TextLine] = []
        if api is None:
            return self._read_pytesseract(gray, scale, lang, psm)
        import tesserocr

        pil = Image.fromarray(gray)
        with lock:
            try:
                api.SetImage(pil)  # type: ignore[attr-defined]
                api.Recognize()  # type: ignore[attr-defined]
                it = api.GetIterator()  # type: ignore[attr-defined]
                level, word = tesserocr.RIL.TEXTLINE, tesserocr.RIL.WORD
                words: list[tuple[str, Box]] = []
                if it is not None:
                    for r in tesserocr.iterate_level(it, word):
                        if r.IsAtBeginningOf(level):
                            words = []
                            try:
                                text = r.GetUTF8Text(level)
                            except RuntimeError:  # "No text returned" for an empty line
                                text = ""
                            if text and text.strip():
                                lines.append(TextLine(clean_cjk_spaces(text.replace("\n", " ")),
                                                      _unscale(r.BoundingBox(level), scale),
                                                      r.Confidence(level) / 100.0))
                            else:
                                lines.append(TextLine("", Box(0, 0, 1, 1), 0.0))
                        try:
                            w = r.GetUTF8Text(word)
                        except RuntimeError:
                            continue
                        if w and w.strip() and lines:
                            words.append((w.strip(), _unscale(r.BoundingBox(word), scale)))
                            lines[-1].words = tuple(words)
            except RuntimeError as exc:
                raise OcrFailedError("Tesseract failed on this image", detail=str(exc)) from None
            finally:
                api.Clear()  # type: ignore[attr-defined]
        return [ln for ln in lines if ln.text]

    def _read_pytesseract(self, gray: np.ndarray, scale: float, lang: str, psm: int) -> list[TextLine]:
        import pytesseract

        cfg = f"--psm {psm} --oem 1"
        if self._tessdata is not None:
            cfg += f' --tessdata-dir "{self._tessdata}"'
        data = pytesseract.image_to_data(Image.fromarray(gray), lang=lang, config=cfg,
                                         output_type=pytesseract.Output.DICT)
        groups: dict[tuple[int, int, int], list[int]] = {}
        for i, word in enumerate(data["text"]):
            if str(word).strip():
                groups.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
        out: list[TextLine] = []
        for idx in groups.values():
            x0 = min(data["left"][i] for i in idx)
            y0 = min(data["top"][i] for i in idx)
            x1 = max(data["left"][i] + data["width"][i] for i in idx)
            y1 = max(data["top"][i] + data["height"][i] for i in idx)
            confs = [float(data["conf"][i]) for i in idx if float(data["conf"][i]) >= 0]
            text = clean_cjk_spaces(" ".join(str(data["text"][i]) for i in idx))
            out.append(TextLine(text, _unscale((x0, y0, x1, y1), scale),
                                (sum(confs) / len(confs) / 100.0) if confs else 0.0))
        return out


def glyph_height(gray: np.ndarray) -> float:
    """Median height of the inked row runs (≈ text line glyph height) of dark-on-light gray."""
    ink = gray < 128
    rows = ink.sum(axis=1) > max(1, 0.01 * gray.shape[1])
    runs: list[int] = []
    n = 0
    for v in rows:
        if v:
            n += 1
        elif n:
            runs.append(n)
            n = 0
    if n:
        runs.append(n)
    runs = [r for r in runs if r >= 4]
    if not runs:
        return 0.0
    return float(np.median(runs))


def prepare(img: np.ndarray, normalise: bool = True) -> tuple[np.ndarray, float]:
    """Gray, dark text on light, glyphs ~36 px, white border. Returns (image, scale)."""
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
    # polarity from the border (the bubble fill): dark fill means light text
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    if float(np.median(border)) < 128:
        gray = 255 - gray
    # stretch contrast (coloured bubbles: white text on blue is low contrast in gray)
    lo, hi = np.percentile(gray, 1), np.percentile(gray, 99)
    if hi - lo > 10:
        gray = np.clip((gray.astype(np.float32) - lo) * (255.0 / (hi - lo)), 0, 255).astype(np.uint8)
    scale = 1.0
    if normalise:
        gh = glyph_height(gray)
        if gh > 0:
            scale = min(4.0, max(0.25, _TARGET_GLYPH_H / gh))
            if abs(scale - 1.0) > 0.1:
                interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
                gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=interp)
            else:
                scale = 1.0
    gray = cv2.copyMakeBorder(gray, _BORDER, _BORDER, _BORDER, _BORDER, cv2.BORDER_CONSTANT, value=255)
    return gray, scale


def _unscale(bb: tuple[int, int, int, int], scale: float) -> Box:
    fx0, fy0, fx1, fy1 = ((v - _BORDER) / scale for v in bb)
    x0, y0, x1, y1 = fx0, fy0, fx1, fy1
    return Box(max(0, round(x0)), max(0, round(y0)), max(1, round(x1 - x0)), max(1, round(y1 - y0)))
