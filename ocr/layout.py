"""Chat layout analysis with OpenCV: bubbles, who sent each, chrome to ignore.

Works on colours, not on a per-app template: the background colour is estimated, regions of
uniform non-background colour that hold text are bubbles, their side (and colour, and the
avatars beside them) tells the sender. Text outside bubbles is either chrome (status bar,
title bar, input bar) or, when centred, a system line (timestamps, notices).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import cv2
import numpy as np

from .types import Box, Sender

_WORK_WIDTH = 720  # analysis runs on a copy about this wide
_FLAT_FILL = 0.7  # fill share above which an avatar-shaped region is a short bubble (see analyse)


class RegionKind(StrEnum):
    BUBBLE = "bubble"
    SYSTEM = "system"  # centred notice pill
    AVATAR = "avatar"


@dataclass(slots=True)
class Region:
    box: Box  # original pixels
    kind: RegionKind
    sender: Sender
    colour: tuple[int, int, int]  # BGR fill
    side: str = "centre"  # "left" / "right" / "centre" from geometry alone
    ink_dark: bool = True  # text darker than the fill
    solidity: float = 1.0  # area of the shape / area of its box (a circle is 0.79)
    uniform: float = 0.0  # share of its non-background pixels in its fill colour (avatar-shaped regions only)
    tail: float = 0.0  # how much fuller its fullest corner is than those of its other row (idem)


@dataclass(slots=True)
class Layout:
    width: int
    height: int
    background: tuple[int, int, int]
    theme: str  # "light" / "dark"
    bubbles: list[Region] = field(default_factory=list)  # bubbles and notice pills, top to bottom
    avatars: list[Region] = field(default_factory=list)
    header_bottom: int = 0  # y: everything above is status/title bar
    footer_top: int = 0  # y: everything below is the input bar
    pane_left: int = 0
    pane_right: int = 0

    def region_of(self, box: Box) -> int | None:
        """Index of the bubble holding most of ``box`` (or None)."""
        best, best_frac = None, 0.0
        area = max(1, box.w * box.h)
        for i, r in enumerate(self.bubbles):
            ix = min(box.x2, r.box.x2) - max(box.x, r.box.x)
            iy = min(box.y2, r.box.y2) - max(box.y, r.box.y)
            if ix <= 0 or iy <= 0:
                continue
            frac = ix * iy / area
            if frac > best_frac:
                best, best_frac = i, frac
        return best if best_frac >= 0.5 else None

    def is_centred(self, box: Box) -> bool:
        pane_w = max(1, self.pane_right - self.pane_left)
        cx = (box.x + box.x2) / 2
        mid = (self.pane_left + self.pane_right) / 2
        return abs(cx - mid) < 0.06 * pane_w and box.w < 0.8 * pane_w


def _luma(c: tuple[int, int, int]) -> float:
    b, g, r = c
    return 0.114 * b + 0.587 * g + 0.299 * r


def _dominant_colour(pixels: np.ndarray) -> tuple[tuple[int, int, int], float]:
    """Most common colour (quantised to 8 levels) and its share, of an (N, 3) array."""
    if len(pixels) == 0:
        return (0, 0, 0), 0.0
    q = (pixels >> 3).astype(np.int32)
    keys = (q[:, 0] << 10) | (q[:, 1] << 5) | q[:, 2]
    counts = np.bincount(keys, minlength=1 << 15)
    # merge neighbouring bins: JPEG noise spreads a flat colour over adjacent bins
    k = int(counts.argmax())
    sel = np.abs(q - np.array([(k >> 10) & 31, (k >> 5) & 31, k & 31])).max(axis=1) <= 1
    share = float(sel.mean())
    colour = pixels[sel].mean(axis=0)
    return (int(colour[0]), int(colour[1]), int(colour[2])), share


def estimate_background(img: np.ndarray) -> tuple[int, int, int]:
    """The chat background: the commonest colour of a thin strip along the right edge (bubbles
    rarely reach it; on desktop apps the left side is the contact list, the right the chat)."""
    h, w = img.shape[:2]
    y0, y1 = int(h * 0.15), max(int(h * 0.85), int(h * 0.15) + 1)
    x0, x1 = int(w * 0.975), max(int(w * 0.995), int(w * 0.975) + 1)
    strip = img[y0:y1, x0:x1].reshape(-1, 3)
    colour, share = _dominant_colour(strip)
    if share < 0.3:  # busy edge: fall back to the whole middle band
        band = img[y0:y1]
        step = max(1, int(np.sqrt(band.shape[0] * band.shape[1] / 200_000)))
        colour, _ = _dominant_colour(band[::step, ::step].reshape(-1, 3))
    return colour


def _pane(img: np.ndarray, bg: tuple[int, int, int]) -> tuple[int, int]:
    """Columns of the chat pane: the run of columns, ending at the right edge, where the
    background colour is common (a desktop app's sidebar and contact list are left of it)."""
    h, w = img.shape[:2]
    band = img[int(h * 0.15) : max(int(h * 0.85), int(h * 0.15) + 1)]
    is_bg = np.abs(band.astype(np.int16) - np.array(bg, dtype=np.int16)).max(axis=2) <= 3
    frac = is_bg.mean(axis=0)
    left = 0
    run = 0
    for x in range(w - 1, -1, -1):
        if frac[x] < 0.04:
            run += 1
            if run >= 3:
                left = x + run
                break
        else:
            run = 0
    if left > 0.6 * w:  # implausible: keep the whole width
        left = 0
    return left, w


def _colour_close(a: tuple[int, int, int], b: tuple[int, int, int], tol: int = 24) -> bool:
    return max(abs(int(x) - int(y)) for x, y in zip(a, b, strict=True)) <= tol


def analyse(img: np.ndarray) -> Layout:
    """Find bubbles, avatars, header and footer of a chat screenshot (BGR)."""
    H, W = img.shape[:2]
    scale = min(1.0, _WORK_WIDTH / W)
    small = cv2.resize(img, (max(1, round(W * scale)), max(1, round(H * scale))), interpolation=cv2.INTER_AREA) if scale < 1 else img
    h, w = small.shape[:2]
    bg = estimate_background(small)
    theme = "dark" if _luma(bg) < 110 else "light"
    layout = Layout(width=W, height=H, background=bg, theme=theme, header_bottom=0, footer_top=H, pane_left=0, pane_right=W)

    pane_l, pane_r = _pane(small, bg)
    diff = np.abs(small.astype(np.int16) - np.array(bg, dtype=np.int16)).max(axis=2)
    mask = (diff > 7).astype(np.uint8) * 255
    mask[:, :pane_l] = 0
    # fill the pin-holes anti-aliased glyph edges leave, then keep only solid areas
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    k = max(3, round(0.014 * (pane_r - pane_l)))
    solid = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    contours, _ = cv2.findContours(solid, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)

    inv = 1.0 / scale
    min_side = max(8, round(0.035 * w))
    cands: list[tuple[int, int, int, int]] = []
    solidity: dict[tuple[int, int, int, int], float] = {}
    for c in contours:
        x, y, cw, ch = cv2.boundingRect(c)
        # (a one-letter bubble, "I", is narrower than it is tall: on a desktop app's narrow pane
        # it is under min_side wide; it is still at least one line tall)
        if ch < min_side * 0.8 or cw < (0.6 * min_side if ch >= min_side else min_side):
            continue
        cands.append((x, y, cw, ch))
        solidity[(x, y, cw, ch)] = float(cv2.contourArea(c)) / max(1, cw * ch)

    # drop candidates lying inside another (text clusters inside a bubble whose ring broke)
    cands = [c for c in cands if not any(
        o is not c and o[2] * o[3] > c[2] * c[3] and _contained(c, o) for o in cands)]
    header_bottom = 0
    footer_top = h
    bubbles_small: list[tuple[int, int, int, int]] = []
    pw = pane_r - pane_l
    for x, y, cw, ch in cands:
        if cw > 0.9 * pw:  # full-width bar
            if y + ch / 2 < 0.25 * h:
                header_bottom = max(header_bottom, y + ch)
            elif y + ch / 2 > 0.75 * h:
                footer_top = min(footer_top, y)
            continue
        bubbles_small.append((x, y, cw, ch))
    # an input box that is not a full-width bar: wide, low, near the bottom, below every bubble
    for _x, y, cw, ch in sorted(bubbles_small, key=lambda b: -b[1]):
        if y > 0.86 * h and cw > 0.55 * pw and ch < 0.1 * h:
            footer_top = min(footer_top, y)
    if header_bottom == 0:
        header_bottom = _separator_row(small[:, pane_l:], bg, 0, int(0.2 * h), pw)
    if footer_top == h:
        sep = _separator_row(small[:, pane_l:], bg, int(0.7 * h), h, pw, last=False)
        if sep:
            footer_top = sep

    # a short bubble whose tail touches the avatar beside it (a desktop app's small avatars,
    # after JPEG or at half size): one shape, a bubble and a picture side by side; cut it at the
    # columns of background between them
    bubbles_small = [p for c in bubbles_small for p in _split_cols(small, solid, *c, bg, min_side)]
    # split candidates at rows with (almost) none of their fill colour: two bubbles joined by
    # a wallpaper doodle across the narrow gap between them
    split: list[tuple[int, int, int, int]] = []
    # (two one-line bubbles of one side a few pixels apart make one square at the edge: split
    # too, but a square only into two or more pieces)
    for x, y, cw, ch in bubbles_small:
        if ch < 2.5 * min_side:
            split.append((x, y, cw, ch))
            continue
        square = _is_avatar_shape(x - pane_l, cw, ch, pw)
        if square and _fill_share(small[y : y + ch, x : x + cw], bg) < _FLAT_FILL:
            split.append((x, y, cw, ch))  # an avatar
            continue
        pieces = [p for p in _split_rows(small, x, y, cw, ch, bg) if p[2] >= min_side and p[3] >= min_side]
        if square and len(pieces) < 2:
            pieces = []
        split.extend(pieces or [(x, y, cw, ch)])
    bubbles_small = split
    regions: list[Region] = []
    for x, y, cw, ch in bubbles_small:
        if y + ch <= header_bottom + 1 or y >= footer_top - 1:
            continue
        crop = small[y : y + ch, x : x + cw]
        colour, share = _dominant_colour(crop.reshape(-1, 3))
        if share < 0.35:
            kind = RegionKind.AVATAR if _is_avatar_shape(x - pane_l, cw, ch, pw) else None
            if kind is None:
                continue  # picture or sticker: no uniform fill
        else:
            kind = RegionKind.AVATAR if _is_avatar_shape(x - pane_l, cw, ch, pw) else RegionKind.BUBBLE
        ink_dark = _ink_is_dark(crop, colour)
        box = Box(round(x * inv), round(y * inv), round(cw * inv), round(ch * inv))
        gap_l, gap_r = x - pane_l, pane_r - (x + cw)
        if gap_l + 0.1 * pw < gap_r:
            side = "left"
        elif gap_r + 0.1 * pw < gap_l:
            side = "right"
        else:
            side = "centre"
        uniform = tail = 0.0
        if kind is RegionKind.AVATAR:
            uniform = _fill_share(crop, bg)
            tail = _tail_corner(solid[y : y + ch, x : x + cw])
        regions.append(Region(box=box, kind=kind, sender=Sender.UNKNOWN, colour=colour, side=side,
                              ink_dark=ink_dark, solidity=solidity.get((x, y, cw, ch), 1.0), uniform=uniform,
                              tail=tail))

    bubbles = [r for r in regions if r.kind is RegionKind.BUBBLE]
    avatars = [r for r in regions if r.kind is RegionKind.AVATAR]
    # a "square at the edge" whose colour is a bubble colour is a short bubble, not an avatar
    # (an iMessage-style tail takes a tiny bubble's solidity down to ~0.84; a round avatar is
    # ~0.78, and an avatar sits level with a bubble beside it, a one-character bubble does not).
    # One flat fill with a little ink on it is a short bubble even when no wider bubble of its
    # colour is in view (a screen of 好 / 嗯 / ok replies): photo-like avatars have no colour on
    # more than ~0.6 of their pixels, a one- or two-character bubble has it on 0.9 or more (0.75
    # after JPEG). A flat round button (the input bar's +, solidity ~0.78) is below every
    # bubble; a short bubble above others may look as round (JPEG ringing takes its solidity
    # down), one at the bottom is told by its corners (a tail fills one)
    changed = True
    while changed:  # (a bubble found this way can vouch for another: in any order)
        changed = False
        for a in list(avatars):
            beside = any(b.box.y < a.box.y2 and b.box.y2 > a.box.y and (0 <= b.box.x - a.box.x2 < 0.08 * W or 0 <= a.box.x - b.box.x2 < 0.08 * W)
                         for b in bubbles)
            # (or one lined up with a bubble of its colour and not a circle: the last "yo" on a
            # LINE screen after JPEG is as round as a button, but its tail makes it wider than
            # tall and its edge is the edge of the "me" bubbles above it; an avatar's edge is an
            # avatar's width away from its bubbles'. iMessage's round + button lines up with the
            # grey bubbles too, in their grey, and is a circle)
            aligned = abs(a.box.w / max(1, a.box.h) - 1) > 0.08 and any(
                _colour_close(a.colour, b.colour, 6) and min(abs(a.box.x - b.box.x), abs(a.box.x2 - b.box.x2)) < 0.015 * W
                for b in bubbles)
            flat = a.uniform >= _FLAT_FILL and not beside and (
                a.solidity > 0.8 or a.tail > 0.1 or aligned or any(b.box.y > a.box.y2 for b in bubbles))
            if flat or ((a.solidity > 0.86 or (a.solidity > 0.81 and not beside)) and any(
                    _colour_close(a.colour, b.colour, 6) and b.box.w > 1.6 * b.box.h for b in bubbles)):
                a.kind = RegionKind.BUBBLE
                bubbles.append(a)
                avatars.remove(a)
                changed = True
    _assign_senders(bubbles, avatars, W, (round(pane_l * inv), round(pane_r * inv)))
    layout.pane_left = round(pane_l * inv)
    layout.pane_right = round(pane_r * inv)
    bubbles.sort(key=lambda r: (r.box.y, r.box.x))
    layout.bubbles = bubbles
    layout.avatars = avatars
    layout.header_bottom = round(header_bottom * inv)
    layout.footer_top = round(footer_top * inv) if footer_top < h else H
    return layout


def _split_rows(img: np.ndarray, x: int, y: int, cw: int, ch: int, bg: tuple[int, int, int]) -> list[tuple[int, int, int, int]]:
    crop = img[y : y + ch, x : x + cw]
    fill, share = _dominant_colour(crop.reshape(-1, 3))
    if _colour_close(fill, bg, 12):
        # mostly background: a narrow bubble joined to a wider one below or above it (k over
        # "where", a few pixels apart and blurred together by JPEG); the fill is what is not
        fill, share = _dominant_colour(_off_background(crop, bg))
    if share < 0.35 or ch < 8:
        return [(x, y, cw, ch)]
    near = np.abs(crop.astype(np.int16) - np.array(fill, dtype=np.int16)).max(axis=2) <= 6
    on_bg = np.abs(crop.astype(np.int16) - np.array(bg, dtype=np.int16)).max(axis=2) <= 14
    gap = (near.mean(axis=1) < 0.1) & (on_bg.mean(axis=1) > 0.6)
    if not gap.any():
        return [(x, y, cw, ch)]
    out: list[tuple[int, int, int, int]] = []
    for start, r in _runs(gap):
        if r - start >= 4:
            cols = np.where(near[start:r].any(axis=0))[0]
            if len(cols):
                x0, x1 = int(cols[0]), int(cols[-1]) + 1
                out.append((x + x0, y + start, x1 - x0, r - start))
    return out or [(x, y, cw, ch)]


def _runs(gap: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of every run of False in the 1-D mask ``gap``."""
    out: list[tuple[int, int]] = []
    start = None
    for i in range(len(gap) + 1):
        if i < len(gap) and not gap[i]:
            if start is None:
                start = i
        elif start is not None:
            out.append((start, i))
            start = None
    return out


def _split_cols(img: np.ndarray, solid: np.ndarray, x: int, y: int, cw: int, ch: int, bg: tuple[int, int, int],
                min_side: int) -> list[tuple[int, int, int, int]]:
    """Cut a shape at columns that are background from top to bottom but for a few pixels (the
    gap, bridged by the tip of a tail or JPEG blur, between a bubble and the avatar beside it),
    when both sides are wide enough to be a bubble and an avatar. A bubble's own columns hold
    its fill, never mostly background."""
    if cw < 2 * min_side or ch > 4 * min_side:
        return [(x, y, cw, ch)]
    crop = img[y : y + ch, x : x + cw]
    on_bg = np.abs(crop.astype(np.int16) - np.array(bg, dtype=np.int16)).max(axis=2) <= 14
    gap = on_bg.mean(axis=0) > 0.7
    out: list[tuple[int, int, int, int]] = []
    for start, c in _runs(gap):
        rows = np.where(solid[y : y + ch, x + start : x + c].any(axis=1))[0]
        if len(rows):
            out.append((x + start, y + int(rows[0]), c - start, int(rows[-1]) + 1 - int(rows[0])))
    if len(out) < 2 or any(p[2] < 0.5 * min_side or p[3] < 0.8 * min_side for p in out):
        return [(x, y, cw, ch)]
    return out


def _off_background(crop: np.ndarray, bg: tuple[int, int, int]) -> np.ndarray:
    """The pixels of ``crop`` (as rows of 3) that differ from the background colour."""
    px = crop.reshape(-1, 3)
    return px[np.abs(px.astype(np.int16) - np.array(bg, dtype=np.int16)).max(axis=1) > 12]


def _fill_share(crop: np.ndarray, bg: tuple[int, int, int]) -> float:
    """Share of the dominant colour among the pixels of ``crop`` that are not background."""
    px = _off_background(crop, bg)
    if len(px) == 0:
        return 0.0
    return _dominant_colour(px)[1]


def _tail_corner(mask: np.ndarray) -> float:
    """How much fuller the fullest bottom corner is than the fullest top one, or the other way,
    in squares a quarter of the shape's side: ~0.6 for a one-character bubble with an iMessage
    tail (it fills one bottom corner), 0.15-0.3 with a LINE one (top), ~0 for a round avatar or
    button (every corner alike)."""
    h, w = mask.shape[:2]
    s = max(1, min(h, w) // 4)
    on = mask > 0
    top = max(on[:s, :s].mean(), on[:s, w - s :].mean())
    bottom = max(on[h - s :, :s].mean(), on[h - s :, w - s :].mean())
    return float(abs(bottom - top))


def _contained(c: tuple[int, int, int, int], o: tuple[int, int, int, int]) -> bool:
    ix = min(c[0] + c[2], o[0] + o[2]) - max(c[0], o[0])
    iy = min(c[1] + c[3], o[1] + o[3]) - max(c[1], o[1])
    return ix > 0 and iy > 0 and ix * iy >= 0.8 * c[2] * c[3]


def _is_avatar_shape(x: int, cw: int, ch: int, w: int) -> bool:
    square = 0.8 <= cw / max(1, ch) <= 1.25
    at_edge = x < 0.07 * w or x + cw > 0.93 * w
    return square and at_edge and cw < 0.18 * w


def _ink_is_dark(crop: np.ndarray, fill: tuple[int, int, int]) -> bool:
    d = np.abs(crop.astype(np.int16) - np.array(fill, dtype=np.int16)).max(axis=2) > 60
    if not d.any():
        return _luma(fill) > 128
    ink = crop[d].astype(np.float32) @ np.array([0.114, 0.587, 0.299], np.float32)
    return float(ink.mean()) < _luma(fill)


def _separator_row(img: np.ndarray, bg: tuple[int, int, int], y0: int, y1: int, w: int, last: bool = True) -> int:
    """A thin horizontal line across the width (title bar or input bar border), or 0."""
    if y1 <= y0:
        return 0
    band = img[y0:y1].astype(np.int16)
    d = (np.abs(band - np.array(bg, dtype=np.int16)).max(axis=2) > 6).mean(axis=1)
    rows = np.where(d > 0.9)[0]
    if len(rows) == 0:
        return 0
    return int(y0 + (rows[-1] + 1 if last else rows[0]))


def _assign_senders(bubbles: list[Region], avatars: list[Region], W: int, pane: tuple[int, int] = (0, 0)) -> None:
    """Side from geometry and avatars; colour votes settle bubbles that are not clearly on a side."""
    pane_w = pane[1] - pane[0]
    pane_mid = (pane[0] + pane[1]) / 2
    for b in bubbles:
        side = b.side
        for a in avatars:  # an avatar level with the bubble's top tells the side
            level = a.box.y < b.box.y2 and a.box.y2 > b.box.y and abs(a.box.y - b.box.y) < max(a.box.h, 40)
            near = -4 <= b.box.x - a.box.x2 < 0.08 * W or -4 <= a.box.x - b.box.x2 < 0.08 * W
            if level and near:
                side = "left" if a.box.x2 <= b.box.x + 4 else "right"
                break
        b.side = side
    votes: dict[tuple[int, int, int], list[int]] = {}
    for b in bubbles:
        if b.side == "centre":
            continue
        key = next((k for k in votes if _colour_close(k, b.colour, 16)), b.colour)
        v = votes.setdefault(key, [0, 0])
        v[0 if b.side == "left" else 1] += 1
    for b in bubbles:
        if b.side == "centre" and pane_w and abs(b.box.x + b.box.w / 2 - pane_mid) < 0.03 * pane_w and b.box.w < 0.55 * pane_w:
            b.kind = RegionKind.SYSTEM
            b.sender = Sender.SYSTEM
            continue
        if b.side == "left":
            b.sender = Sender.THEM
        elif b.side == "right":
            b.sender = Sender.ME
        else:
            match = next((k for k in votes if _colour_close(k, b.colour, 16)), None)
            off = b.box.x + b.box.w / 2 - pane_mid
            if match is not None and votes[match][0] != votes[match][1] and min(votes[match]) == 0:
                b.sender = Sender.THEM if votes[match][0] > votes[match][1] else Sender.ME
            elif pane_w and abs(off) >= 0.03 * pane_w and b.box.w > 0.55 * pane_w:
                # a wide bubble nearer one side (LINE: the other side's one bubble on screen,
                # its avatar above the frame), no other bubble of its colour to vote: notices
                # are centred, so its side tells
                b.sender = Sender.THEM if off < 0 else Sender.ME
            else:
                # centred, with a colour no side uses: a notice pill
                b.kind = RegionKind.SYSTEM
                b.sender = Sender.SYSTEM
    # A colour used (almost) only by one side overrides a geometric guess the other way
    # (a long "me" bubble reaching the left edge).
    for b in bubbles:
        if b.kind is not RegionKind.BUBBLE or b.side == "centre":
            continue
        found = next((k for k in votes if _colour_close(k, b.colour, 16)), None)
        if found is None:
            continue
        them, me = votes[found]
        if them >= 3 * max(1, me) and me <= 1 and b.sender is Sender.ME and b.box.x > 0.2 * W:
            continue
        if me >= 3 and them == 0:
            b.sender = Sender.ME
        elif them >= 3 and me == 0:
            b.sender = Sender.THEM


def text_blobs(img: np.ndarray, layout: Layout) -> list[Box]:
    """Boxes of text lines outside bubbles and avatars (timestamps, notices, title bar)."""
    H, W = img.shape[:2]
    scale = min(1.0, _WORK_WIDTH / W)
    small = cv2.resize(img, (max(1, round(W * scale)), max(1, round(H * scale))), interpolation=cv2.INTER_AREA) if scale < 1 else img
    h, w = small.shape[:2]
    diff = np.abs(small.astype(np.int16) - np.array(layout.background, dtype=np.int16)).max(axis=2)
    mask = (diff > 40).astype(np.uint8)
    for r in [*layout.bubbles, *layout.avatars]:
        b = r.box
        x0, y0 = int(b.x * scale) - 2, int(b.y * scale) - 2
        x1, y1 = int(b.x2 * scale) + 3, int(b.y2 * scale) + 3
        mask[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)] = 0
    if layout.footer_top < H:
        mask[int(layout.footer_top * scale) :, :] = 0
    kx = max(3, round(0.03 * w))
    dil = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (kx, 3)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(dil, connectivity=8)
    out: list[Box] = []
    inv = 1.0 / scale
    for i in range(1, n):
        x, y, cw, ch, area = (int(v) for v in stats[i])
        if ch < 6 or ch > 0.08 * h or cw < 6 or cw > 0.95 * w:
            continue
        if area < 0.15 * cw * ch:
            continue
        pad = 3
        out.append(Box(max(0, round((x - pad) * inv)), max(0, round((y - pad) * inv)),
                       round((cw + 2 * pad) * inv), round((ch + 2 * pad) * inv)))
    out.sort(key=lambda b: (b.y, b.x))
    return out
