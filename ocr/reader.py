"""read_image: image in, chat lines out (layout + engine + Traditional re-read + cache)."""

from __future__ import annotations

import difflib
import logging
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import cv2
import numpy as np

from . import layout as layout_mod
from .engines import get_engine
from .engines.base import TextLine
from .errors import EngineUnavailableError, OcrError, OcrFailedError, OcrTimeoutError
from .layout import Layout, RegionKind
from .loader import ImageSource, load
from .script import cjk_count, guess_script, latin_count, script_votes
from .types import Box, ImageReading, OcrLine, Sender

log = logging.getLogger(__name__)

ENGINES: tuple[str, ...] = ("rapidocr", "tesseract")
DEFAULT_LANGS: tuple[str, ...] = ("zh-Hans", "zh-Hant", "en")

_TIME_RE = re.compile(r"^\s*(上午|下午|晚上|凌晨|中午)?\s*\d{1,2}\s*[:：.]\s*\d{2}\s*([AaPp]\.?\s*[Mm]\.?)?\s*[✓✔√/\\vVwW]*\s*$")
_STATUS_RE = re.compile(r"^\s*(\d{1,3}\s*%|[0-9:：.]+\s*([AaPp][Mm])?|[A-Z]{0,4}\s*[45]G\+?|LTE|Wi-?Fi)\s*$")

_RECEIPT_RE = re.compile(r"^\s*(Read|Seen|Delivered|Sent|已读|已讀|已送达|已送達|送达|送達|未读|未讀)(\s*\d*)?\s*$", re.I)

_CACHE_MAX = 64
_cache: OrderedDict[tuple[str, str, tuple[str, ...]], ImageReading] = OrderedDict()
_cache_lock = threading.Lock()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


class _Deadline:
    def __init__(self, seconds: float | None) -> None:
        self.end = None if seconds is None or seconds <= 0 else time.monotonic() + seconds
        self.seconds = seconds

    def check(self) -> None:
        if self.end is not None and time.monotonic() > self.end:
            raise OcrTimeoutError(f"reading the image took longer than {self.seconds:g} s and was stopped")


@dataclass(slots=True)
class _Unit:
    """A group of lines that becomes one message: a bubble, a notice, a stray line."""

    sender: Sender
    box: Box
    lines: list[TextLine] = field(default_factory=list)
    region: int | None = None


def read_image(
    source: ImageSource,
    engine: str = "rapidocr",
    langs: tuple[str, ...] | list[str] = DEFAULT_LANGS,
    timeout: float | None = 60.0,
) -> ImageReading:
    """Read one chat screenshot. Raises :class:`ocr.errors.OcrError` subclasses."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    langs = tuple(langs) or DEFAULT_LANGS
    deadline = _Deadline(timeout)
    loaded = load(source)
    key = (loaded.sha256, engine, langs)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    t0 = time.perf_counter()
    try:
        reading = _read(loaded.bgr, engine, langs, deadline)
    except OcrError:
        raise
    except MemoryError:
        raise OcrFailedError("not enough memory to read this image") from None
    except Exception as exc:  # an engine bug must not take the app down
        log.exception("OCR failed")
        raise OcrFailedError("the OCR engine failed on this image", detail=repr(exc)) from None
    reading.meta["sha256"] = loaded.sha256
    reading.meta["seconds"] = f"{time.perf_counter() - t0:.3f}"
    log.debug("read %s: %d lines in %s s", loaded.sha256[:12], len(reading.lines), reading.meta["seconds"])
    with _cache_lock:
        _cache[key] = reading
        while len(_cache) > _CACHE_MAX:
            _cache.popitem(last=False)
    return reading


_MIN_TEXT_SIDE = 8  # px: a picture narrower or shorter than this holds no readable line


def _read(img: np.ndarray, engine: str, langs: tuple[str, ...], deadline: _Deadline) -> ImageReading:
    H, W = img.shape[:2]
    if min(H, W) < _MIN_TEXT_SIDE:
        # 1x5000 slivers: no text fits, and the detector would be upscaled to absurd sizes
        # (minutes of work) or asked to resize to zero pixels (an OpenCV assertion)
        return ImageReading(width=W, height=H, lines=(), engine=engine, contact=None, theme=None,
                            meta={"script": langs[0] if langs else "zh-Hans", "bubbles": "0"})
    lay = layout_mod.analyse(img)
    _bound_chrome(lay)
    deadline.check()
    if engine == "rapidocr":
        rapid = get_engine("rapidocr")
        boxes = rapid.detect(img)  # type: ignore[attr-defined]
        deadline.check()
        raw: list[TextLine] = []
        for k in range(0, len(boxes), 24):  # the deadline is checked between batches of lines
            raw += rapid.recognise(img, boxes[k : k + 24])  # type: ignore[attr-defined]
            deadline.check()
        units, header = _assign(raw, lay)
        _read_short_bubbles(img, units, rapid, lay)
        _drop_bubble_chrome(units, lay)
        image_script = _image_script(units, langs)
        if "zh-Hant" in langs:
            _reread_traditional(img, units, image_script, langs, deadline)
            _fix_cantonese(units)
        _reread_latin(img, units, rapid, deadline)
    else:
        units, header, image_script = _read_tesseract(img, lay, langs, deadline)
    for u in units:
        for t in u.lines:
            t.text = latin_fix(t.text)
    contact = _contact(header, lay)
    lines: list[OcrLine] = []
    units = [u for u in units if u.lines]
    units.sort(key=lambda u: (u.box.y, u.box.x))
    for mi, u in enumerate(units):
        for tl in sorted(u.lines, key=lambda t: (t.box.y, t.box.x)):
            lines.append(OcrLine(text=tl.text, box=tl.box, sender=u.sender, confidence=round(float(tl.confidence), 4), message=mi))
    meta = {"script": image_script, "bubbles": str(len(lay.bubbles))}
    return ImageReading(width=W, height=H, lines=tuple(lines), engine=engine, contact=contact, theme=lay.theme, meta=meta)


def _bound_chrome(lay: Layout) -> None:
    """A long scrolling capture (far taller than a screen) has its title bar at the very top and
    its input bar at the very bottom. A "header" or "footer" found in the middle of one (stitched
    captures repeat them) would make every line above or below it chrome and drop it: ignore it."""
    W, H = lay.width, lay.height
    if H <= 3 * W:
        return
    if lay.header_bottom > 0.5 * W:
        lay.header_bottom = 0
    if lay.footer_top < H - 1.0 * W:
        lay.footer_top = H


# -- assigning engine lines to the layout --------------------------------------------------------

def _assign(raw: list[TextLine], lay: Layout) -> tuple[list[_Unit], list[TextLine]]:
    header: list[TextLine] = []
    units: list[_Unit] = [_Unit(sender=r.sender, box=r.box, region=i) for i, r in enumerate(lay.bubbles)]
    loose: list[TextLine] = []
    first_bubble_y = min((r.box.y for r in lay.bubbles), default=lay.height)
    for tl in raw:
        if not tl.text.strip():
            continue
        cy = tl.box.y + tl.box.h / 2
        ri = lay.region_of(tl.box)
        if ri is not None:
            units[ri].lines.append(tl)
            continue
        if _in_header(tl, lay, first_bubble_y):
            header.append(tl)
            continue
        if cy > lay.footer_top or tl.box.x + tl.box.w / 2 < lay.pane_left:
            continue  # input bar; a desktop app's sidebar and contact list
        loose.append(tl)
    for u in units:
        u.lines = _merge_fragments(u.lines)
    have_bubbles = bool(lay.bubbles)
    loose = _merge_fragments(loose)
    if have_bubbles:
        loose = _drop_side_labels(loose, lay, units)
    for group in _paragraphs(loose):
        box = _union([t.box for t in group])
        sender = Sender.SYSTEM if have_bubbles and lay.is_centred(box) else Sender.UNKNOWN
        units.append(_Unit(sender=sender, box=box, lines=group))
    return units, header


_DOTS = set("。.…·、，,~～")


def _read_short_bubbles(img: np.ndarray, units: list[_Unit], rapid: object, lay: Layout | None = None) -> None:
    """A bubble of one or two characters (好, 嗯嗯, ？？, k, ?) is often too small for the text
    detector, and the bubble, its sender and its words were lost. A bubble the size of one line
    that got no line (or, WhatsApp-style, only its time at the bottom right) is read whole, as one
    line. What is not confidently text is left out, unless the bubble's ink is the one colour of
    text: an emoji is drawn in colours (yellow on grey, blue or green) and the recogniser reads
    it as 春, W, ® or even ? at the confidence of a real one-letter reply ("?" 0.5-0.75, "1"
    from 0.45, "I" read as 1 from 0.2), so the lower bar only holds for single-colour ink."""
    heights = sorted(tl.box.h for u in units for tl in u.lines)
    if not heights:
        return
    line_h = heights[len(heights) // 2]
    todo: list[tuple[_Unit, Box]] = []
    for u in units:
        b = u.box
        if u.region is None or not (0.8 * line_h <= b.h <= 2.6 * line_h):
            continue
        x_end = b.x2
        if u.lines:
            # only its time and ticks at the bottom right were found (WhatsApp): read left of them
            if u.sender is Sender.SYSTEM or not all(
                    _TIME_RE.match(re.sub(r"\s+", "", tl.text)) and tl.box.x > b.x + 0.3 * b.w
                    and tl.box.y2 > b.y + 0.5 * b.h for tl in u.lines):
                continue
            x_end = min(tl.box.x for tl in u.lines) - max(2, int(0.1 * b.h))
        dx, dy = int(0.22 * b.h), int(0.12 * b.h)  # the bubble's padding and tail
        w = min(x_end, b.x2 - dx) - (b.x + dx)
        if w < 0.5 * line_h:
            continue
        todo.append((u, Box(b.x + dx, b.y + dy, w, b.h - 2 * dy)))
    if not todo:
        return
    read = rapid.recognise(img, [box for _u, box in todo])  # type: ignore[attr-defined]
    retry: list[tuple[_Unit, Box]] = []
    for (u, box), tl in zip(todo, read, strict=True):
        text = tl.text.strip()
        # (a reply of only 。 or … is read at 0.99; an emoji read as 。 or . stays under 0.4)
        wordy = any(ch.isalnum() or ch in "?？!！" for ch in text)
        plain = lay is None or _plain_ink(img, box, lay)
        # (in coloured ink one glyph is the recogniser's guess at an emoji: 😂 read as "?" at 0.8)
        sure = tl.confidence >= 0.75 and (wordy if plain else sum(ch.isalnum() for ch in text) >= 2)
        if sure or (tl.confidence >= 0.9 and text and all(ch in _DOTS for ch in text)):
            u.lines.append(TextLine(text=text, box=tl.box, confidence=tl.confidence))
        elif lay is not None and plain:
            if tl.confidence >= 0.2 and wordy:
                u.lines.append(TextLine(text=text, box=tl.box, confidence=tl.confidence))
            else:
                # a lone "I" is read as "-", 一 or 1 depending on a few pixels of margin: once
                # more, taller and narrower, the likelier reading kept
                p = max(1, int(0.06 * u.box.h))
                retry.append((u, Box(box.x, box.y - p, box.w, box.h + 2 * p)))
                retry.append((u, Box(box.x + p, box.y, max(1, box.w - 2 * p), box.h)))
    if retry:
        read = rapid.recognise(img, [box for _u, box in retry])  # type: ignore[attr-defined]
        for k in range(0, len(retry), 2):
            u = retry[k][0]
            tl = max(read[k : k + 2], key=lambda t: t.confidence if any(ch.isalnum() or ch in "?？!！" for ch in t.text) else 0)
            if tl.confidence >= 0.2 and any(ch.isalnum() or ch in "?？!！" for ch in tl.text):
                u.lines.append(TextLine(text=tl.text.strip(), box=tl.box, confidence=tl.confidence))


_COLOUR_INK = 0.55  # share of coloured ink above which a bubble's content is an emoji or sticker


def _plain_ink(img: np.ndarray, box: Box, lay: Layout) -> bool:
    """Whether the ink in ``box`` (inside a bubble) is text: some pixels far from the bubble's
    fill and from the chat background, hardly any of them in a colour of their own. Text is
    black, white or grey on any fill (its anti-aliased edges keep the fill's hue); emoji are
    yellow, red, blue. Measured on one-character bubbles of every style, light and dark, JPEG
    and half size: text 0-0.38 of the ink coloured, emoji 0.75 and more."""
    crop = img[box.y : box.y2, box.x : box.x2]
    if crop.size == 0:
        return False
    px = crop.reshape(-1, 3).astype(np.int16)
    fill, _ = layout_mod._dominant_colour(crop.reshape(-1, 3))
    far = (np.abs(px - np.array(fill, np.int16)).max(axis=1) > 60) & (
        np.abs(px - np.array(lay.background, np.int16)).max(axis=1) > 24)
    if int(far.sum()) < 6:
        return False
    ink = px[far]
    chroma = ink.max(axis=1) - ink.min(axis=1)
    hsv = cv2.cvtColor(ink[None].astype(np.uint8), cv2.COLOR_BGR2HSV)[0].astype(np.int16)
    f_hsv = cv2.cvtColor(np.array([[fill]], dtype=np.uint8), cv2.COLOR_BGR2HSV)[0, 0].astype(np.int16)
    dh = np.abs(hsv[:, 0] - f_hsv[0])
    dh = np.minimum(dh, 180 - dh) * 2  # degrees
    coloured = (chroma > 60) & ((f_hsv[1] < 60) | (dh > 30))
    return float(coloured.mean()) < _COLOUR_INK


def _in_header(tl: TextLine, lay: Layout, first_bubble_y: int) -> bool:
    cy = tl.box.y + tl.box.h / 2
    if lay.header_bottom:
        return cy < lay.header_bottom
    # (the top 12% of a screen; not of a 12000 px scrolling capture)
    return tl.box.y2 <= first_bubble_y and cy < min(0.12 * lay.height, 0.5 * lay.width)


def _drop_side_labels(loose: list[TextLine], lay: Layout, units: list[_Unit]) -> list[TextLine]:
    """Times and read receipts beside a bubble are chrome; a small name just above a bubble is
    the sender's name in a group chat: kept, as a system line of its own."""
    keep: list[TextLine] = []
    for tl in loose:
        t = tl.text.strip()
        tn = re.sub(r"\s+", "", t)
        beside = None
        for r in lay.bubbles:
            if r.kind is not RegionKind.BUBBLE:
                continue
            if tl.box.y < r.box.y2 + tl.box.h and tl.box.y2 > r.box.y and (tl.box.x2 <= r.box.x + tl.box.h or tl.box.x >= r.box.x2 - tl.box.h):
                beside = r
                break
        if beside is not None and (_TIME_RE.match(tn) or _RECEIPT_RE.match(t) or _RECEIPT_RE.match(t.split(" ")[0])):
            continue
        above = next((r for r in lay.bubbles if r.kind is RegionKind.BUBBLE and -0.5 * tl.box.h <= r.box.y - tl.box.y2 < 1.5 * tl.box.h
                      and abs(tl.box.x - r.box.x) < 3 * tl.box.h), None)
        if above is not None and not lay.is_centred(tl.box):
            units.append(_Unit(sender=Sender.SYSTEM, box=tl.box, lines=[tl]))
            continue
        keep.append(tl)
    return keep


def _merge_fragments(lines: list[TextLine]) -> list[TextLine]:
    """Join detector fragments that sit on one visual line (same rows, left to right)."""
    out: list[TextLine] = []
    # left to right, each fragment joining the nearest one on its left in the same row (sorting
    # by row centre first joined "😢我也是为" to the emoji before the text on its left)
    for tl in sorted(lines, key=lambda t: (t.box.x, t.box.y)):
        cands = [o for o in out if min(o.box.y2, tl.box.y2) - max(o.box.y, tl.box.y) > 0.5 * min(o.box.h, tl.box.h)
                 and tl.box.x >= o.box.x2 - 0.5 * tl.box.h]
        if cands:
            o = max(cands, key=lambda c: c.box.x2)
            gap = tl.box.x - o.box.x2
            sep = " " if (gap > 0.25 * o.box.h and not (cjk_count(o.text[-1:]) and cjk_count(tl.text[:1]))) else ""
            n_o, n_t = len(o.text) or 1, len(tl.text) or 1
            o.confidence = (o.confidence * n_o + tl.confidence * n_t) / (n_o + n_t)
            o.text = o.text + sep + tl.text
            o.box = _union([o.box, tl.box])
        else:
            out.append(TextLine(tl.text, tl.box, tl.confidence))
    return out


def _paragraphs(lines: list[TextLine]) -> list[list[TextLine]]:
    """Group loose lines into paragraphs: close below each other, same left edge or centre."""
    groups: list[list[TextLine]] = []
    for tl in sorted(lines, key=lambda t: (t.box.y, t.box.x)):
        if groups:
            last = groups[-1][-1]
            gap = tl.box.y - last.box.y2
            h = max(last.box.h, tl.box.h)
            aligned = abs(tl.box.x - last.box.x) < 0.6 * h or abs((tl.box.x + tl.box.x2) - (last.box.x + last.box.x2)) < h
            if -0.3 * h < gap < 0.6 * h and aligned and abs(tl.box.h - last.box.h) < 0.35 * h:
                groups[-1].append(tl)
                continue
        groups.append([tl])
    return groups


def _union(boxes: list[Box]) -> Box:
    x0 = min(b.x for b in boxes)
    y0 = min(b.y for b in boxes)
    x1 = max(b.x2 for b in boxes)
    y1 = max(b.y2 for b in boxes)
    return Box(x0, y0, x1 - x0, y1 - y0)


# (Tesseract reads the colon as a dot, the ticks as W or w/, an edge before the time as @ | ! ( )
_TRAILING_TIME = re.compile(r"\s*[@|!(（]?\s*\d{1,2}\s*[:：.]\s*\d\s*\d\s*([AaPp]\.?\s*[Mm]\.?)?(\s*[✓✔√vVwW/\\]{1,3})?\s*$")


def _drop_bubble_chrome(units: list[_Unit], lay: Layout, times_seen: int = 0) -> None:
    """WhatsApp-style time and ticks at a bubble's bottom right are not message text: dropped
    when read as a line of their own, cut off the last line when read together with it (only
    when the image shows that style: several bubbles end so)."""
    bubble_units = [u for u in units if u.region is not None and u.lines and u.sender is not Sender.SYSTEM]
    dropped = 0
    for u in bubble_units:
        b = lay.bubbles[u.region].box  # type: ignore[index]
        keep = []
        for tl in u.lines:
            at_corner = tl.box.x2 > b.x + 0.5 * b.w and tl.box.y2 > b.y + 0.5 * b.h
            if at_corner and _TIME_RE.match(re.sub(r"\s+", "", tl.text)) and (len(u.lines) > 1 or tl.box.h < 0.5 * b.h):
                dropped += 1
                continue
            keep.append(tl)
        u.lines = keep
    ending = [u for u in bubble_units if u.lines and _TRAILING_TIME.search(max(u.lines, key=lambda t: t.box.y2).text)]
    if dropped or times_seen or (bubble_units and len(ending) >= max(2, 0.3 * len(bubble_units))):
        for u in ending:
            b = lay.bubbles[u.region].box  # type: ignore[index]
            last = max(u.lines, key=lambda t: t.box.y2)
            if last.box.x2 > b.x2 - 0.25 * b.w:
                m = _TRAILING_TIME.search(last.text)
                if m and m.start() > 0:
                    last.text = last.text[: m.start()].rstrip()


def _contact(header: list[TextLine], lay: Layout) -> str | None:
    best: TextLine | None = None
    best_key = (-1.0, 0.0)
    for tl in header:
        t = tl.text.strip().strip("<>‹›〈〉")
        if len(t) < 1 or _STATUS_RE.match(t) or (tl.box.y2 < 0.045 * lay.height and lay.header_bottom > 0.06 * lay.height):
            continue
        if not any(ch.isalpha() for ch in t):
            continue
        centred = 1.0 - abs((tl.box.x + tl.box.x2) / 2 - lay.width / 2) / lay.width
        key = (round(tl.box.h / 4), centred)
        if key > best_key:
            best, best_key = tl, key
    if best is None:
        return None
    return best.text.strip().strip("<>‹›〈〉").strip() or None


# -- Traditional Chinese ---------------------------------------------------------------------

def _image_script(units: list[_Unit], langs: tuple[str, ...]) -> str:
    text = "".join(t.text for u in units for t in u.lines)
    if cjk_count(text) == 0:
        return "en" if latin_count(text) else (langs[0] if langs else "zh-Hans")
    trad, simp = script_votes(text)
    if "zh-Hant" in langs and (trad > simp or "zh-Hans" not in langs):
        return "zh-Hant"
    return "zh-Hans" if "zh-Hans" in langs else langs[0]


def _char_width(units: list[_Unit]) -> float:
    """Pixels per CJK character, from lines read confidently."""
    ws: list[float] = []
    for u in units:
        for t in u.lines:
            n = cjk_count(t.text)
            if n >= 4 and n == len(t.text.replace(" ", "")) and t.confidence > 0.9:
                ws.append(t.box.w / n)
    return float(np.median(ws)) if ws else 0.0


def _expected_chars(t: TextLine, cw: float) -> float:
    if cw <= 0:
        return 0.0
    # Latin letters are about half a CJK character wide
    n_lat = len(re.findall(r"[\x21-\x7e]", t.text))
    return t.box.w / cw - n_lat * 0.5 + n_lat


# PP-OCRv5 re-reads every CJK line (see _reread_traditional): among other things it tells 冇
# from 有 方 右 (PP-OCRv4 has no 冇) and knows written Cantonese; and a line with what looks like a
# currency sign PP-OCRv4 lacks (£12 read as f12)
_CURRENCY = "£€"
_CURRENCY_RE = re.compile(r"(^|[^A-Za-z])[fFE£€]\s?\d")

# Written Cantonese characters no recogniser here has (喺 哋 嗰 㗎 are in neither PP-OCR model's
# dictionary nor Tesseract chi_tra's) or that PP-OCRv5 reads as a look-alike. Each look-alike is
# a rare character in ordinary chat; it is read back as the Cantonese one only in a Cantonese
# context (the bubble, or the whole screenshot, writes Cantonese).
_CANTO_FOR = {"噝": "喺", "嚼": "喺", "呲": "哋", "吡": "哋", "咽": "嗰", "慨": "嘅", "喵": "咁",
              "㰀": "嚟", "唻": "嚟", "嚓": "嚟", "磜": "嚟", "嗟": "咗", "吠": "咗"}
_CANTO_MARKERS = frozenset("唔咗嘅佢冇哋喺嚟啲嘢噉睇畀嗰咪啱搵㗎喎囉嘞咩乜俾咁")
# (not inside the words the look-alike itself belongs to: 慷慨 感慨, 咽喉 哽咽, 咀嚼, 喵喵, 狗吠;
# Tesseract chi_tra reads 咗 as 吠: 俾咗未 as 俾吠未)
_CANTO_RE = re.compile(r"(?<![慷感憤愤])慨|咽(?!喉)(?<!哽咽)|(?<!咀)嚼|(?<!喵)喵(?!喵)|(?<![狗犬])吠|[噝呲吡㰀唻嚓磜嗟]")
# 喲/哟 before another character is 啲 (喲 ends a sentence); 我地/你地/佢地 is 哋 unless a word
# such as 地址 or 地方 follows; 但哋 is 佢哋
_DI_RE = re.compile(r"[喲哟](?=[\u4e00-\u9fff])")
_DEI_RE = re.compile(r"(?<=[我你佢但])地(?![址方點点圖图鐵铁區区下產产板毯球盤盘位面道上])")
_KEOI_RE = re.compile(r"但(?=哋)")
# 㗎 read as 噪 at the end of a sentence (噪音 has a character after it)
_GAA_RE = re.compile(r"噪(?=$|[\s，。！？!?,.~～])")


def cantonese_fix(text: str, context: str) -> str:
    """Read look-alikes back as the written Cantonese characters the recognisers lack, when
    ``context`` (the bubble's or the screenshot's text) is Cantonese."""
    if not text or cjk_count(text) == 0:
        return text
    n_markers = sum(1 for ch in context if ch in _CANTO_MARKERS)
    if n_markers == 0:
        return text
    out = _CANTO_RE.sub(lambda m: _CANTO_FOR[m.group()], text)
    out = _DI_RE.sub("啲", out)
    out = _DEI_RE.sub("哋", out)
    out = _KEOI_RE.sub("佢", out)
    out = _GAA_RE.sub("㗎", out)
    return out


def _fix_cantonese(units: list[_Unit]) -> None:
    every = "".join(t.text for u in units for t in u.lines)
    canto_image = sum(1 for ch in every if ch in _CANTO_MARKERS) >= 3
    for u in units:
        if u.sender is Sender.SYSTEM:
            continue
        ctx = "".join(t.text for t in u.lines)
        if canto_image:
            ctx += "唔"
        for t in u.lines:
            t.text = cantonese_fix(t.text, ctx)


def _reread_traditional(img: np.ndarray, units: list[_Unit], image_script: str, langs: tuple[str, ...], deadline: _Deadline) -> None:
    """RapidOCR's PP-OCRv4 recogniser lacks many Traditional characters (it drops or simplifies
    them) and misreads small glyphs. Every CJK line is re-read with PP-OCRv5's recogniser (which
    knows most Traditional and Cantonese characters, and reads 10-px desktop text better: on
    generated WeChat desktop half-size captures CER 0.121 -> 0.097, on 24 screenshots of every
    style 0.0235 -> 0.0218, for ~10 % more time), lines of Traditional bubbles and CJK lines that
    look short for their width with Tesseract chi_tra too, and the readings merged: Tesseract's
    first, then PP-OCRv5's, where two of the three readings agree against the first one."""
    try:
        tess = get_engine("tesseract")
    except EngineUnavailableError:
        tess = None
    rapid = get_engine("rapidocr")
    cw = _char_width(units)
    charset = rapid.charset()  # type: ignore[attr-defined]
    todo: list[tuple[_Unit, int]] = []
    tess_too: set[int] = set()  # Tesseract chi_tra only on Traditional lines (it reads Simplified as Traditional)
    for u in units:
        text = "".join(t.text for t in u.lines)
        script = guess_script(text, default=image_script)
        for i, t in enumerate(u.lines):
            if _CURRENCY_RE.search(t.text):
                todo.append((u, i))  # £ and € are not in PP-OCRv4's characters (read as f, E)
                continue
            if cjk_count(t.text) == 0:
                continue
            exp = _expected_chars(t, cw)
            short = exp > 0 and len(t.text.replace(" ", "")) < exp - 0.8
            trad = script == "zh-Hant" or (short and image_script == "zh-Hant")
            if trad:
                tess_too.add(len(todo))
            todo.append((u, i))
    if not todo:
        return
    wide = rapid.recognise_wide(img, [u.lines[i].box for u, i in todo])  # type: ignore[attr-defined]
    deadline.check()
    H, W = img.shape[:2]
    for k, (u, i) in enumerate(todo):
        t = u.lines[i]
        deadline.check()
        tess_text, tess_conf = "", 0.0
        if tess is not None and k in tess_too:
            pad = max(2, t.box.h // 8)
            x0, y0 = max(0, t.box.x - pad), max(0, t.box.y - pad)
            x1, y1 = min(W, t.box.x2 + pad), min(H, t.box.y2 + pad)
            try:
                got = tess.read_crop(img[y0:y1, x0:x1], "zh-Hant", single_line=True)
            except EngineUnavailableError:
                tess, got = None, []
            if got:
                tess_text = "".join(g.text for g in got).strip()
                tess_conf = float(np.mean([g.confidence for g in got]))
            if tess_conf < 0.5 or cjk_count(tess_text) == 0:
                tess_text = ""
        merged = merge_readings(t.text, tess_text, charset) if tess_text else t.text
        conf = min(t.confidence, tess_conf) if tess_text else t.confidence
        if wide is not None and wide[k].text and (cjk_count(wide[k].text) or _CURRENCY_RE.search(t.text)):
            merged = merge_readings(merged, wide[k].text, charset, witness=tess_text)
            merged = add_word_spaces(merged, wide[k].text)  # (their English words' spaces)
        if merged != t.text:
            u.lines[i] = TextLine(merged, t.box, conf)


def _reread_latin(img: np.ndarray, units: list[_Unit], rapid: object, deadline: _Deadline) -> None:
    """Lines with no Chinese are re-read with PP-OCRv5's recogniser for the spaces between
    their words: in small text (WeChat desktop, ~13 px) the blank between two words is often
    no wider than between two letters (the tail of y or r reaches over it), and PP-OCRv4 glues
    them ("a keyto your", "urturn", "never hasto see": "has to" and "ur turn" no longer match).
    PP-OCRv5 reads most of these spaces and misses others PP-OCRv4 has, so the spaces of both
    are kept (``add_word_spaces``); the letters stay PP-OCRv4's."""
    todo = [(u, i) for u in units for i, t in enumerate(u.lines)
            if cjk_count(t.text) == 0 and latin_count(t.text) >= 3]
    if not todo or not getattr(rapid, "has_wide", lambda: False)():
        return
    wide = rapid.recognise_wide(img, [u.lines[i].box for u, i in todo])  # type: ignore[attr-defined]
    deadline.check()
    if wide is None:
        return
    for (u, i), w in zip(todo, wide, strict=True):
        t = u.lines[i]
        spaced = add_word_spaces(t.text, w.text)
        if spaced != t.text:
            u.lines[i] = TextLine(spaced, t.box, t.confidence)


def _latin_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def add_word_spaces(base: str, other: str) -> str:
    """``base`` with a space wherever ``other`` (another reading of the same line) has one
    between two characters both readings agree on, one of them a Latin letter and neither
    Chinese. Only spaces are added: the characters stay ``base``'s."""
    if " " not in other.strip():
        return base
    b_chars = [(k, ch) for k, ch in enumerate(base) if not ch.isspace()]
    o_chars: list[str] = []
    o_space_before: list[bool] = []
    pending = False
    for ch in other:
        if ch.isspace():
            pending = bool(o_chars)
            continue
        o_chars.append(ch)
        o_space_before.append(pending)
        pending = False
    b_text = "".join(ch for _, ch in b_chars)
    add_before: set[int] = set()  # positions in base before which a space goes
    sm = difflib.SequenceMatcher(a=b_text, b="".join(o_chars), autojunk=False)
    for op, a0, a1, b0, _b1 in sm.get_opcodes():
        if op != "equal":
            continue
        for k in range(1, a1 - a0):  # inside an equal run: both neighbours agreed on
            if not o_space_before[b0 + k]:
                continue
            # two agreed characters each side (or the line's start or end): beside a dropped
            # or repeated letter the alignment is a guess ("They'll ove" / "They'll love")
            if (k < 2 and not a0 == b0 == 0) or (a1 - a0 - k < 2 and not (a1 == len(b_text) and _b1 == len(o_chars))):
                continue
            left, right = b_text[a0 + k - 1], b_text[a0 + k]
            if cjk_count(left + right) or not (_latin_word_char(left) or _latin_word_char(right)):
                continue
            pos = b_chars[a0 + k][0]
            if not base[pos - 1].isspace():
                add_before.add(pos)
    if not add_before:
        return base
    return "".join((" " if k in add_before else "") + ch for k, ch in enumerate(base))


# a lone lower-case l (or a bar) standing as a word in English is the pronoun I misread
_LONE_L = re.compile(r"(?<![\w'’])[l|](?=(?:['’](?:m|ll|ve|d)\b)|(?![\w'’]))")


# 'll with a letter dropped or read as a capital I: I'l, they'l, I'Il, you'II
_LL = re.compile(r"(?<=[A-Za-z])['’](?:l|Il|lI|II)(?![A-Za-z'’])")


def latin_fix(text: str) -> str:
    """Letters OCR confuses, put right where English allows one reading only: a lone "l" or
    "|" as a word is "I" ("Pay or l start making calls", "l'm"), and 'l, 'Il or 'II after a
    word is 'll ("I'l gift you", "I'Il go first"); in a line with other English words (a
    one-letter line is left alone)."""
    if "l" not in text and "|" not in text and "I" not in text:
        return text
    if latin_count(text) < 3:
        return text
    text = _LONE_L.sub("I", text)
    return _LL.sub(lambda m: m.group()[0] + "ll", text)


def _align_to(base: str, other: str) -> list[str]:
    """For each character of ``base``, the character ``other`` has in its place ('' if none)."""

    at = [""] * len(base)
    for op, a0, a1, b0, b1 in difflib.SequenceMatcher(a=base, b=other, autojunk=False).get_opcodes():
        if op == "equal" or (op == "replace" and a1 - a0 == b1 - b0):
            for k in range(a1 - a0):
                at[a0 + k] = other[b0 + k]
    return at


def merge_readings(rapid: str, tess: str, charset: frozenset[str], witness: str = "") -> str:
    """Character-level merge of RapidOCR's reading of one line with another engine's (Tesseract
    chi_tra, or PP-OCRv5).

    Where they agree, or RapidOCR read something the other did not, RapidOCR's text stays (it is
    the better recogniser for the characters it knows). Chinese characters RapidOCR dropped, and
    characters outside its charset, which it can only drop or confuse, come from the other; so
    does the Traditional form where RapidOCR gave the Simplified one, and any character where a
    third reading (``witness``) agrees with the other against RapidOCR."""

    s2t = _s2t()
    wit = _align_to(rapid, witness) if witness else [""] * len(rapid)
    out: list[str] = []
    sm = difflib.SequenceMatcher(a=rapid, b=tess, autojunk=False)
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        a, b = rapid[a0:a1], tess[b0:b1]
        if op == "equal" or op == "delete":
            out.append(a)
        elif op == "insert":
            # RapidOCR dropped these: keep Tesseract's Chinese characters (a wrong one costs no
            # more than a missing one), not its stray Latin marks
            out.append("".join(ch for ch in b if cjk_count(ch) or (ch not in charset and not ch.isspace())))
        elif len(a) == len(b):
            for k, (ca, cb) in enumerate(zip(a, b, strict=True)):
                if ((cb not in charset and not cb.isspace() and (cjk_count(cb) or cb in _CURRENCY)) or (s2t and s2t(ca) == cb and ca != cb)
                        or (cb == wit[a0 + k] and not cb.isspace())):
                    out.append(cb)
                else:
                    out.append(ca)
        else:
            unknown = [ch for ch in b if cjk_count(ch) and ch not in charset]
            if unknown and len(b) >= len(a):
                # RapidOCR squeezed unknown characters into fewer (or other) ones
                out.append(b.replace(" ", ""))
            else:
                out.append(a)
    return "".join(out)


def _s2t():  # type: ignore[no-untyped-def]
    try:
        import opencc  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover
        return None
    conv = opencc.OpenCC("s2t")
    return conv.convert


def _choose(old: TextLine, new_text: str, new_conf: float, expected: float) -> bool:
    if not new_text or cjk_count(new_text) == 0:
        return False
    if new_conf < 0.5:
        return False
    n_old = len(old.text.replace(" ", ""))
    n_new = len(new_text.replace(" ", ""))
    if expected > 0:
        d_old, d_new = abs(n_old - expected), abs(n_new - expected)
        if d_new + 0.5 < d_old:
            return True
        if d_old + 1.5 < d_new:
            return False
    trad_new, simp_new = script_votes(new_text)
    trad_old, simp_old = script_votes(old.text)
    return (trad_new - simp_new) >= (trad_old - simp_old) and new_conf >= 0.6


# -- the Tesseract engine's own path ---------------------------------------------------------

def _read_tesseract(img: np.ndarray, lay: Layout, langs: tuple[str, ...], deadline: _Deadline) -> tuple[list[_Unit], list[TextLine], str]:
    from .engines.tess import TesseractEngine

    tess = get_engine("tesseract")
    assert isinstance(tess, TesseractEngine)
    H, W = img.shape[:2]
    units: list[_Unit] = []
    bubble_crops: list[tuple[int, np.ndarray, Box]] = []
    for i, r in enumerate(lay.bubbles):
        inset = max(1, min(r.box.w, r.box.h) // 12)
        b = Box(r.box.x + inset, r.box.y + inset, max(1, r.box.w - 2 * inset), max(1, r.box.h - 2 * inset))
        bubble_crops.append((i, img[b.y : b.y2, b.x : b.x2], b))
        units.append(_Unit(sender=r.sender, box=r.box, region=i))
    script = _pick_script_tesseract(tess, bubble_crops, langs)
    times_cut = 0
    for i, crop, b in bubble_crops:
        deadline.check()
        got = _read_crop_script(tess, crop, script, langs, single_line=False)
        if not any(g.text.strip() and g.confidence > 0.2 for g in got) and crop.shape[0] < 2.5 * _line_height(lay, i):
            # a short one-line bubble that page segmentation found nothing in: read it as one line
            got = _read_crop_script(tess, crop, script, langs, single_line=True)
        units[i].lines = [TextLine(g.text, _shift(g.box, b), g.confidence, tuple((w, _shift(wb, b)) for w, wb in g.words))
                          for g in got]
        times_cut += _cut_time_tail(units[i].lines, lay.bubbles[i].box)
        _strip_trailing_junk(units[i].lines)
    _drop_bubble_chrome(units, lay, times_seen=times_cut)
    header: list[TextLine] = []
    loose: list[TextLine] = []
    blobs = layout_mod.text_blobs(img, lay)
    first_bubble_y = min((r.box.y for r in lay.bubbles), default=lay.height)
    if not lay.bubbles and blobs:
        # a plain text image: one page read
        deadline.check()
        page = tess.read_page(img, (script,))
        for g in page:
            if g.box.y + g.box.h / 2 < lay.header_bottom:
                header.append(g)
            else:
                loose.append(g)
    else:
        for b in blobs:
            deadline.check()
            crop = img[b.y : b.y2, b.x : b.x2]
            got = _read_crop_script(tess, crop, script, langs, single_line=True)
            for g in got:
                if not any(ch.isalnum() for ch in g.text):
                    continue  # a bubble's tail or an avatar's edge read as "|" or "!"
                tl = TextLine(g.text, Box(g.box.x + b.x, g.box.y + b.y, g.box.w, g.box.h), g.confidence)
                cy = tl.box.y + tl.box.h / 2
                if _in_header(tl, lay, first_bubble_y):
                    header.append(tl)
                elif cy <= lay.footer_top:
                    loose.append(tl)
    for group in _paragraphs(loose):
        box = _union([t.box for t in group])
        sender = Sender.SYSTEM if lay.bubbles and lay.is_centred(box) else Sender.UNKNOWN
        units.append(_Unit(sender=sender, box=box, lines=group))
    for u in units:
        u.lines = [t for t in u.lines if t.text.strip() and t.confidence > 0.2]
    return units, header, script


def _shift(box: Box, by: Box) -> Box:
    return Box(box.x + by.x, box.y + by.y, box.w, box.h)


def _cut_time_tail(lines: list[TextLine], bubble: Box) -> bool:
    """WhatsApp's in-bubble time (and ticks) sits at the bubble's bottom right, far from the last
    word: Tesseract reads it, often as junk ("2D i 7:44 nm", "jad pm"). Words of the last line
    after a wide gap, in the bubble's right part, are cut: after a gap over 1.2 line heights
    when they hold a digit (a time), over 2.5 when not (an emoji leaves about 1.5)."""
    if not lines:
        return False
    last = max(lines, key=lambda t: t.box.y2)
    ws = last.words
    if len(ws) < 2:
        return False
    h = max(1, last.box.h)
    for j in range(1, len(ws)):
        gap = ws[j][1].x - ws[j - 1][1].x2
        tail = ws[j:]
        tail_text = "".join(w for w, _ in tail)
        if tail[0][1].x < bubble.x + 0.55 * bubble.w or cjk_count(tail_text) > 1:
            continue
        if (gap > 1.2 * h and any(ch.isdigit() for ch in tail_text)) or (gap > 2.5 * h and len(tail_text) <= 6):
            from .engines.tess import clean_cjk_spaces

            last.text = clean_cjk_spaces(" ".join(w for w, _ in ws[:j]))
            last.words = ws[:j]
            last.box = _union([b for _, b in ws[:j]])
            return any(ch.isdigit() for ch in tail_text)
    return False


def _line_height(lay: Layout, i: int) -> float:
    """About one text line's height in bubble ``i``: the smallest bubble's height is one line
    plus padding, so a bubble under 2.5 times it holds one line (or two)."""
    hs = sorted(r.box.h for r in lay.bubbles if r.kind is RegionKind.BUBBLE) or [lay.bubbles[i].box.h]
    return float(hs[0])


_TRAILING_JUNK = re.compile(r"[\s,.，。、_·]*[,，][\s,.，。、_·]*$|[\s,.，。、_·]{4,}$")


def _strip_trailing_junk(lines: list[TextLine]) -> None:
    """Tesseract reads a bubble's tail, ticks or its in-bubble time as a run of commas and dots
    at the end of the last line ("20,,..,..."): nobody ends a message with a comma."""
    if not lines:
        return
    last = max(lines, key=lambda t: t.box.y2)
    m = _TRAILING_JUNK.search(last.text)
    if m and m.start() > 0 and m.group().strip() not in ("...", "。。。", "……"):
        last.text = last.text[: m.start()].rstrip()


def _read_crop_script(tess: object, crop: np.ndarray, script: str, langs: tuple[str, ...], single_line: bool) -> list[TextLine]:
    if crop.size == 0:
        return []
    got = tess.read_crop(crop, script, single_line=single_line)  # type: ignore[attr-defined]
    text = "".join(g.text for g in got)
    if script != "en" and "en" in langs and cjk_count(text) == 0 and latin_count(text) >= 2:
        eng = tess.read_crop(crop, "en", single_line=single_line)  # type: ignore[attr-defined]
        if eng and cjk_count("".join(g.text for g in eng)) == 0:
            return eng
    return got


def _script_from_rapid(crops: list[np.ndarray], langs: tuple[str, ...]) -> str | None:
    """Simplified or Traditional, from RapidOCR's reading of a few bubbles (None when RapidOCR
    is missing or read no Chinese). Tesseract cannot tell: chi_sim reads Traditional text as
    Simplified and chi_tra reads Simplified text as Traditional, both with high confidence;
    RapidOCR's recogniser knows both scripts' common characters and returns what is drawn."""
    text = ""
    try:
        rapid = get_engine("rapidocr")
        for k, c in enumerate(crops):  # largest first; stop once the script is clear
            if c.size:
                text += "".join(t.text for t in rapid.read_crop(c, "zh-Hans"))
            trad, simp = script_votes(text)
            if abs(trad - simp) >= 2 or (k >= 1 and cjk_count(text) == 0 and latin_count(text) >= 8):
                break
    except EngineUnavailableError:
        return None
    if cjk_count(text) == 0:
        return "en" if "en" in langs and latin_count(text) >= 8 else None
    trad, simp = script_votes(text)
    if trad > simp and "zh-Hant" in langs:
        return "zh-Hant"
    return "zh-Hans" if "zh-Hans" in langs else None


def _pick_script_tesseract(tess: object, crops: list[tuple[int, np.ndarray, Box]], langs: tuple[str, ...]) -> str:
    zh = [s for s in ("zh-Hans", "zh-Hant") if s in langs]
    if not zh:
        return "en"
    if len(zh) == 1 or not crops:
        return zh[0]
    big = sorted(crops, key=lambda c: -c[1].shape[0] * c[1].shape[1])[:3]
    by_glyphs = _script_from_rapid([c for _, c, _ in big], langs)
    if by_glyphs is not None:
        return by_glyphs
    # without RapidOCR: the two largest bubbles, read with both models, the better mean
    # confidence wins (often wrong: Tesseract is about as confident reading 这 as 這)
    big = big[:2]
    score = {}
    for s in zh:
        confs: list[float] = []
        n_cjk = 0
        for _, crop, _ in big:
            got = tess.read_crop(crop, s)  # type: ignore[attr-defined]
            confs += [g.confidence for g in got]
            n_cjk += sum(cjk_count(g.text) for g in got)
        score[s] = (float(np.mean(confs)) if confs else 0.0, n_cjk)
    if max(v[1] for v in score.values()) == 0:
        return "zh-Hans" if "en" not in langs else "en"
    return max(zh, key=lambda s: score[s][0])
