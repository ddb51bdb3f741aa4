"""Which script a piece of text is in: Simplified or Traditional Chinese, or Latin."""

from __future__ import annotations

import functools
import re

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


def latin_count(text: str) -> int:
    return len(_LATIN.findall(text))


@functools.lru_cache(maxsize=1)
def _converters() -> tuple[object, object] | None:
    try:
        import opencc  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - opencc is a declared dependency
        return None
    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


def script_votes(text: str) -> tuple[int, int]:
    """(characters only Traditional, characters only Simplified) in ``text``."""
    conv = _converters()
    if conv is None:
        return 0, 0
    t2s, s2t = conv
    trad = simp = 0
    for ch in set(_CJK.findall(text)):
        n = text.count(ch)
        if t2s.convert(ch) != ch:  # type: ignore[attr-defined]
            trad += n
        elif s2t.convert(ch) != ch:  # type: ignore[attr-defined]
            simp += n
    return trad, simp


def guess_script(text: str, default: str = "zh-Hans") -> str:
    """"zh-Hant", "zh-Hans" or "en" for a text."""
    c, lat = cjk_count(text), latin_count(text)
    if c == 0:
        return "en" if lat else default
    trad, simp = script_votes(text)
    if trad > simp:
        return "zh-Hant"
    if simp > trad:
        return "zh-Hans"
    return default
