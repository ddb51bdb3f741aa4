"""Font discovery and caching for the chat screenshot generator.

Noto Sans CJK (a .ttc with SC/TC/HK faces) is used for all text: its Latin glyphs are fine and
it covers mixed Chinese/English lines. Noto Color Emoji is a CBDT bitmap font that only loads at
size 109; glyphs are rendered there and scaled to the text size (see text.py).
Override the paths with CHATGEN_CJK_FONT / CHATGEN_CJK_BOLD_FONT / CHATGEN_EMOJI_FONT.
"""

from __future__ import annotations

import functools
import os

from PIL import ImageFont

_CJK_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/opt/homebrew/share/fonts/NotoSansCJK-Regular.ttc",
]
_CJK_BOLD_CANDIDATES = [p.replace("Regular", "Bold") for p in _CJK_CANDIDATES]
_EMOJI_CANDIDATES = [
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/google-noto-emoji/NotoColorEmoji.ttf",
]
# face index inside NotoSansCJK-*.ttc
FACE_INDEX = {"JP": 0, "KR": 1, "SC": 2, "TC": 3, "HK": 4}


class FontMissing(RuntimeError):
    pass


def _first(env: str, candidates: list[str]) -> str | None:
    p = os.environ.get(env)
    if p and os.path.exists(p):
        return p
    for c in candidates:
        if os.path.exists(c):
            return c
    return None


def cjk_path(bold: bool = False) -> str:
    p = (
        _first("CHATGEN_CJK_BOLD_FONT", _CJK_BOLD_CANDIDATES)
        if bold
        else _first("CHATGEN_CJK_FONT", _CJK_CANDIDATES)
    )
    if p is None and bold:
        return cjk_path(False)
    if p is None:
        raise FontMissing(
            "Noto Sans CJK not found (install fonts-noto-cjk or set CHATGEN_CJK_FONT)"
        )
    return p


def available() -> bool:
    try:
        cjk_path()
        return True
    except FontMissing:
        return False


@functools.lru_cache(maxsize=64)
def font(size: int, face: str = "SC", bold: bool = False) -> ImageFont.FreeTypeFont:
    path = cjk_path(bold)
    idx = FACE_INDEX.get(face, 2) if path.endswith(".ttc") else 0
    return ImageFont.truetype(path, max(6, int(size)), index=idx)


@functools.lru_cache(maxsize=1)
def emoji_font() -> ImageFont.FreeTypeFont | None:
    p = _first("CHATGEN_EMOJI_FONT", _EMOJI_CANDIDATES)
    if p is None:
        return None
    try:
        return ImageFont.truetype(p, 109)
    except OSError:
        return None


def face_for_lang(lang: str) -> str:
    if lang == "zh-Hant":
        return "TC"
    if lang == "zh-HK":
        return "HK"
    return "SC"
