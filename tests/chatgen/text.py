"""Text segmentation, wrapping and drawing with colour emoji.

Wrapping follows what chat apps do: CJK wraps per character (closing punctuation is never moved
to the start of a line), Latin wraps per word (a word wider than the bubble is broken per
character), emoji are single units, explicit newlines start a new line.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from . import fonts

NO_LINE_START = set("，。！？、；：）」』】》〉…,.!?;:)]}%’”～~·")


def _is_emoji_base(cp: int) -> bool:
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0x1F1E6 <= cp <= 0x1F1FF
        or cp
        in (
            0x2B50,
            0x2B55,
            0x2B06,
            0x2B07,
            0x2B05,
            0x2B1B,
            0x2B1C,
            0x203C,
            0x2049,
            0x231A,
            0x231B,
            0x23F0,
            0x23F3,
            0x23E9,
            0x23EA,
            0x2122,
            0x2139,
            0x3030,
            0x303D,
            0x3297,
            0x3299,
        )
    )


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x2E80 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFE30 <= cp <= 0xFE4F
        or 0xFF00 <= cp <= 0xFFEF
        or 0x20000 <= cp <= 0x2FFFF
        or ch in "…—“”‘’"
    )


def segment(text: str) -> list[tuple[str, str]]:
    """Split into (kind, s) tokens; kind in emoji, cjk, word, space, newline."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        cp = ord(ch)
        if ch == "\n":
            out.append(("newline", ch))
            i += 1
        elif _is_emoji_base(cp) and emoji_ok(ch):
            j = i + 1
            if 0x1F1E6 <= cp <= 0x1F1FF and j < n and 0x1F1E6 <= ord(text[j]) <= 0x1F1FF:
                j += 1
            while j < n:
                c = ord(text[j])
                if c == 0xFE0F or 0x1F3FB <= c <= 0x1F3FF or c == 0x20E3:
                    j += 1
                elif c == 0x200D and j + 1 < n and _is_emoji_base(ord(text[j + 1])):
                    j += 2
                else:
                    break
            out.append(("emoji", text[i:j]))
            i = j
        elif cp == 0xFE0F or cp == 0x200D:
            i += 1  # stray selector
        elif ch.isspace():
            j = i
            while j < n and text[j].isspace() and text[j] != "\n":
                j += 1
            out.append(("space", " "))
            i = j
        elif _is_cjk(ch):
            out.append(("cjk", ch))
            i += 1
        else:
            j = i
            while j < n:
                c = text[j]
                if c.isspace() or _is_cjk(c) or _is_emoji_base(ord(c)):
                    break
                j += 1
            out.append(("word", text[i:j]))
            i = j
    return out


@functools.lru_cache(maxsize=512)
def _emoji_raw(seq: str) -> Image.Image | None:
    ef = fonts.emoji_font()
    if ef is None:
        return None
    try:
        im = Image.new("RGBA", (160 * max(1, len(seq)), 160), (0, 0, 0, 0))
        ImageDraw.Draw(im).text((4, 4), seq, font=ef, embedded_color=True)
    except Exception:
        return None
    bb = im.getbbox()
    if bb is None:
        return None
    return im.crop(bb)


def emoji_ok(seq: str) -> bool:
    return _emoji_raw(seq) is not None


@functools.lru_cache(maxsize=512)
def emoji_image(seq: str, size: int) -> Image.Image | None:
    raw = _emoji_raw(seq)
    if raw is None:
        return None
    h = max(4, round(size * 1.1))
    w = max(4, round(raw.width * h / raw.height))
    return raw.resize((w, h), Image.LANCZOS)


def emoji_advance(seq: str, size: int) -> int:
    im = emoji_image(seq, size)
    return 0 if im is None else im.width + max(2, round(size * 0.1))


@dataclass
class Line:
    tokens: list[tuple[str, str]]
    width: int

    @property
    def text(self) -> str:
        return "".join(s for _, s in self.tokens).strip()


def _runs(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Group consecutive non-emoji tokens into text runs."""
    runs: list[tuple[str, str]] = []
    for k, s in tokens:
        if k == "emoji":
            runs.append(("emoji", s))
        elif runs and runs[-1][0] == "text":
            runs[-1] = ("text", runs[-1][1] + s)
        else:
            runs.append(("text", s))
    return runs


def measure(tokens: list[tuple[str, str]], font: ImageFont.FreeTypeFont) -> int:
    w = 0.0
    size = font.size
    for k, s in _runs(tokens):
        w += emoji_advance(s, size) if k == "emoji" else font.getlength(s)
    return int(round(w))


def _strip(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    while tokens and tokens[-1][0] == "space":
        tokens = tokens[:-1]
    while tokens and tokens[0][0] == "space":
        tokens = tokens[1:]
    return tokens


def wrap(text: str, font: ImageFont.FreeTypeFont, max_w: int) -> list[Line]:
    toks = segment(text)
    lines: list[list[tuple[str, str]]] = [[]]

    def width(ts):
        return measure(_strip(ts), font)

    for k, s in toks:
        cur = lines[-1]
        if k == "newline":
            lines.append([])
            continue
        if k == "space" and not cur:
            continue
        if width(cur + [(k, s)]) <= max_w:
            cur.append((k, s))
            continue
        if k == "space":
            lines.append([])
            continue
        if cur and s[0] in NO_LINE_START and len(s) == 1:
            cur.append((k, s))  # hanging punctuation, like WeChat/iOS
            continue
        if k == "word" and width([(k, s)]) > max_w:
            # break a too-long word/URL per character
            for ch in s:
                if width(lines[-1] + [("word", ch)]) > max_w and lines[-1]:
                    lines.append([])
                if lines[-1] and lines[-1][-1][0] == "word":
                    lines[-1][-1] = ("word", lines[-1][-1][1] + ch)
                else:
                    lines[-1].append(("word", ch))
            continue
        lines.append([(k, s)] if k != "space" else [])
    out = []
    for ts in lines:
        ts = _strip(ts)
        out.append(Line(ts, measure(ts, font)))
    # drop empty trailing line from a trailing newline
    while len(out) > 1 and not out[-1].tokens:
        out.pop()
    return out


def draw_tokens(img: Image.Image, x: int, baseline: int, tokens, font, fill) -> None:
    d = ImageDraw.Draw(img)
    size = font.size
    xf = float(x)
    for k, s in _runs(tokens):
        if k == "emoji":
            em = emoji_image(s, size)
            if em is not None:
                # centre the emoji on the CJK ideographic centre (~0.38 em above baseline)
                top = round(baseline - 0.38 * size - em.height / 2)
                img.paste(em, (round(xf + 1), top), em)
                xf += emoji_advance(s, size)
        else:
            d.text((xf, baseline), s, font=font, fill=fill, anchor="ls")
            xf += font.getlength(s)


def line_box(x: int, baseline: int, width: int, size: int) -> list[int]:
    """Box of one visual line: ideographic em box plus descender room."""
    top = round(baseline - 0.99 * size)
    bottom = round(baseline + 0.24 * size)
    return [int(x), int(top), int(max(1, width)), int(bottom - top)]
