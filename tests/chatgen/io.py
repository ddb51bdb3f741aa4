"""Loading conversations and writing images/truth."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image


def load_conversation(path: str | Path) -> dict:
    conv = json.loads(Path(path).read_text(encoding="utf-8"))
    for k in ("id", "lang", "contact", "messages"):
        if k not in conv:
            raise ValueError(f"{path}: missing {k!r}")
    for m in conv["messages"]:
        if m.get("sender") not in ("them", "me", "system") or not isinstance(m.get("text"), str):
            raise ValueError(f"{path}: bad message {m!r}")
    return conv


def truth_json(truth: dict) -> str:
    return json.dumps(truth, ensure_ascii=False, indent=1) + "\n"


def save_png(img: Image.Image, path: str | Path, small: bool = True) -> None:
    """Save a PNG; ``small`` quantises to a 256-colour palette (screenshots survive this well)."""
    if small:
        q = img.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        q.save(path, optimize=True)
    else:
        img.save(path, compress_level=6)
