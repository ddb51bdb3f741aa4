"""Degraded variants of a screenshot (JPEG artefacts, half resolution) with matching truth."""

from __future__ import annotations

import copy
import io

from PIL import Image


def _scale_box(b, f):
    x0, y0 = b[0] * f, b[1] * f
    x1, y1 = (b[0] + b[2]) * f, (b[1] + b[3]) * f
    x0, y0 = int(round(x0)), int(round(y0))
    return [x0, y0, max(1, int(round(x1)) - x0), max(1, int(round(y1)) - y0)]


def scale_truth(truth: dict, f: float, width: int | None = None, height: int | None = None) -> dict:
    t = copy.deepcopy(truth)
    t["width"] = width if width is not None else int(round(truth["width"] * f))
    t["height"] = height if height is not None else int(round(truth["height"] * f))
    for m in t["messages"]:
        m["box"] = _scale_box(m["box"], f)
        for ln in m["lines"]:
            ln["box"] = _scale_box(ln["box"], f)
    return t


def jpeg(img: Image.Image, quality: int = 70) -> Image.Image:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out


def half(img: Image.Image) -> Image.Image:
    return img.resize((img.width // 2, img.height // 2), Image.LANCZOS)


def variants(img: Image.Image, truth: dict | None = None):
    """{"png", "jpeg70", "half"} images; with ``truth`` returns {name: (image, truth)} instead."""
    imgs = {"png": img, "jpeg70": jpeg(img, 70), "half": half(img)}
    if truth is None:
        return imgs
    h = imgs["half"]
    return {
        "png": (img, truth),
        "jpeg70": (imgs["jpeg70"], copy.deepcopy(truth)),
        "half": (h, scale_truth(truth, h.width / img.width, h.width, h.height)),
    }
