"""Render chat screenshots (WeChat, WeChat desktop, WhatsApp, iMessage, LINE) with ground truth.

All geometry is defined for a reference width (1080 for phones, 900 for WeChat desktop) and
scaled by ``s = width / ref``. Messages are laid out top-down below the app header; the truth
records every message box (bubble body or timestamp chip) and every visual line inside it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from . import draw as D
from . import fonts
from .text import Line, draw_tokens, line_box, measure, segment, wrap

STYLES = ("wechat", "wechat_desktop", "whatsapp", "imessage", "line")
THEMES = ("light", "dark")
REF_WIDTH = {
    "wechat": 1080,
    "wechat_desktop": 900,
    "whatsapp": 1080,
    "imessage": 1080,
    "line": 1080,
}


def page_height(style: str, width: int) -> int:
    if style == "wechat_desktop":
        return round(width * 0.72)
    return round(width * 2340 / 1080)


# --------------------------------------------------------------------------- style tables
@dataclass
class Spec:
    fs: float
    pitch: float  # line pitch in em
    pad_x: float
    pad_y: float
    radius: float
    margin_x: float
    max_outer: float  # max bubble outer width as fraction of the chat pane
    avatar: float = 0
    avatar_shape: str = "rsq"
    avatar_sides: tuple = ()
    avatar_gap: float = 0
    gap_same: float = 30
    gap_diff: float = 30
    gap_sys: float = 30
    sys_fs: float = 34
    sys_chip: bool = False
    tail: str = "none"
    meta: str = "none"  # inside (whatsapp) | outside (line)
    name_above: bool = False


SPECS = {
    "wechat": Spec(
        fs=44,
        pitch=1.42,
        pad_x=30,
        pad_y=24,
        radius=12,
        margin_x=32,
        max_outer=0.62,
        avatar=112,
        avatar_sides=("left", "right"),
        avatar_gap=24,
        gap_same=40,
        gap_diff=40,
        gap_sys=36,
        sys_fs=34,
        tail="wechat",
    ),
    "wechat_desktop": Spec(
        fs=17,
        pitch=1.5,
        pad_x=12,
        pad_y=9,
        radius=4,
        margin_x=24,
        max_outer=0.62,
        avatar=36,
        avatar_sides=("left", "right"),
        avatar_gap=12,
        gap_same=18,
        gap_diff=18,
        gap_sys=16,
        sys_fs=13,
        tail="wechat",
    ),
    "whatsapp": Spec(
        fs=44,
        pitch=1.36,
        pad_x=26,
        pad_y=14,
        radius=20,
        margin_x=44,
        max_outer=0.80,
        gap_same=8,
        gap_diff=26,
        gap_sys=26,
        sys_fs=32,
        sys_chip=True,
        tail="whatsapp",
        meta="inside",
    ),
    "imessage": Spec(
        fs=46,
        pitch=1.3,
        pad_x=36,
        pad_y=20,
        radius=46,
        margin_x=36,
        max_outer=0.72,
        gap_same=6,
        gap_diff=26,
        gap_sys=30,
        sys_fs=32,
        tail="imessage",
    ),
    "line": Spec(
        fs=44,
        pitch=1.4,
        pad_x=32,
        pad_y=22,
        radius=40,
        margin_x=28,
        max_outer=0.64,
        avatar=100,
        avatar_shape="circle",
        avatar_sides=("left",),
        avatar_gap=20,
        gap_same=16,
        gap_diff=32,
        gap_sys=30,
        sys_fs=30,
        sys_chip=True,
        tail="line",
        meta="outside",
        name_above=True,
    ),
}

COLORS: dict[tuple[str, str], dict[str, str]] = {
    ("wechat", "light"): dict(
        bg="#EDEDED",
        header="#EDEDED",
        header_fg="#191919",
        sep="#D6D6D6",
        left="#FFFFFF",
        left_fg="#191919",
        right="#95EC69",
        right_fg="#191919",
        sys_fg="#9A9A9A",
        bar="#F7F7F7",
        field="#FFFFFF",
        icon="#181818",
        status_fg="#111111",
    ),
    ("wechat", "dark"): dict(
        bg="#111111",
        header="#111111",
        header_fg="#D5D5D5",
        sep="#1F1F1F",
        left="#2C2C2C",
        left_fg="#D5D5D5",
        right="#3EB575",
        right_fg="#0F0F0F",
        sys_fg="#707070",
        bar="#1E1E1E",
        field="#2C2C2C",
        icon="#CFCFCF",
        status_fg="#EEEEEE",
    ),
    ("wechat_desktop", "light"): dict(
        bg="#F5F5F5",
        header="#F5F5F5",
        header_fg="#111111",
        sep="#E0E0E0",
        left="#FFFFFF",
        left_fg="#111111",
        right="#95EC69",
        right_fg="#111111",
        sys_fg="#A0A0A0",
        bar="#F5F5F5",
        strip="#2E2E2E",
        list="#E8E7E6",
        list_sel="#C9C8C6",
        list_fg="#111111",
        list_sub="#999999",
        search="#DBD9D8",
        icon="#7A7A7A",
        send="#E9E9E9",
        send_fg="#07C160",
    ),
    ("wechat_desktop", "dark"): dict(
        bg="#1F1F1F",
        header="#1F1F1F",
        header_fg="#D6D6D6",
        sep="#2B2B2B",
        left="#2C2C2C",
        left_fg="#D6D6D6",
        right="#3EB575",
        right_fg="#0F0F0F",
        sys_fg="#6B6B6B",
        bar="#1F1F1F",
        strip="#141414",
        list="#191919",
        list_sel="#2E2E2E",
        list_fg="#D6D6D6",
        list_sub="#6B6B6B",
        search="#2A2A2A",
        icon="#8A8A8A",
        send="#2C2C2C",
        send_fg="#3EB575",
    ),
    ("whatsapp", "light"): dict(
        bg="#EFEAE2",
        doodle="#E2DBD0",
        header="#008069",
        status="#017561",
        header_fg="#FFFFFF",
        header_sub="#D9F2EC",
        left="#FFFFFF",
        left_fg="#111B21",
        right="#D9FDD3",
        right_fg="#111B21",
        meta_fg="#667781",
        tick="#53BDEB",
        chip="#FFFFFF",
        chip_fg="#54656F",
        field="#FFFFFF",
        placeholder="#8696A0",
        mic="#00A884",
        icon="#54656F",
    ),
    ("whatsapp", "dark"): dict(
        bg="#0B141A",
        doodle="#111D24",
        header="#1F2C34",
        status="#1F2C34",
        header_fg="#E9EDEF",
        header_sub="#8696A0",
        left="#202C33",
        left_fg="#E9EDEF",
        right="#005C4B",
        right_fg="#E9EDEF",
        meta_fg="#8696A0",
        right_meta_fg="#A8C7BF",
        tick="#53BDEB",
        chip="#182229",
        chip_fg="#8696A0",
        field="#1F2C34",
        placeholder="#8696A0",
        mic="#00A884",
        icon="#8696A0",
    ),
    ("imessage", "light"): dict(
        bg="#FFFFFF",
        header="#F6F6F6",
        header_fg="#000000",
        sep="#D8D8D8",
        left="#E9E9EB",
        left_fg="#000000",
        right="#0B84FF",
        right_fg="#FFFFFF",
        sys_fg="#8E8E93",
        accent="#007AFF",
        field_line="#C7C7CC",
        plus="#E9E9EB",
        placeholder="#C1C1C6",
        icon="#8E8E93",
        status_fg="#000000",
    ),
    ("imessage", "dark"): dict(
        bg="#000000",
        header="#161618",
        header_fg="#FFFFFF",
        sep="#2C2C2E",
        left="#262629",
        left_fg="#FFFFFF",
        right="#0A84FF",
        right_fg="#FFFFFF",
        sys_fg="#8E8E93",
        accent="#0A84FF",
        field_line="#3A3A3C",
        plus="#2C2C2E",
        placeholder="#5C5C60",
        icon="#8E8E93",
        status_fg="#FFFFFF",
    ),
    ("line", "light"): dict(
        bg="#8CABD9",
        header="#FFFFFF",
        header_fg="#111111",
        sep="#E3E3E3",
        left="#FFFFFF",
        left_fg="#111111",
        right="#06C755",
        right_fg="#0B1A0B",
        name_fg="#33415C",
        meta_fg="#3A4A68",
        chip="#6F8CB8",
        chip_fg="#FFFFFF",
        bar="#FFFFFF",
        field="#F2F3F5",
        placeholder="#A5A9B0",
        icon="#5B5F66",
        status_fg="#111111",
    ),
    ("line", "dark"): dict(
        bg="#1E2230",
        header="#111111",
        header_fg="#EEEEEE",
        sep="#222222",
        left="#3A3F4B",
        left_fg="#F0F0F0",
        right="#1A9E4D",
        right_fg="#FFFFFF",
        name_fg="#A9AEBA",
        meta_fg="#8A8F9A",
        chip="#2E3445",
        chip_fg="#C9CDD6",
        bar="#111111",
        field="#262A33",
        placeholder="#70747D",
        icon="#A0A4AC",
        status_fg="#EEEEEE",
    ),
}


# --------------------------------------------------------------------------- context
@dataclass
class Ctx:
    style: str
    theme: str
    width: int
    s: float
    spec: Spec
    c: dict
    lang: str
    face: str
    contact: str
    rng: random.Random
    seed_key: str
    pane_x0: int = 0
    pane_x1: int = 0
    content_top: int = 0
    footer_h: int = 0
    times: list = field(default_factory=list)

    def px(self, v: float) -> int:
        return int(round(v * self.s))

    def font(self, size: float, bold: bool = False):
        return fonts.font(max(6, round(size * self.s)), self.face, bold)


def _lang_of(conv: dict) -> str:
    return conv.get("lang", "zh-Hans")


def _is_en(lang: str) -> bool:
    return lang == "en"


# --------------------------------------------------------------------------- message times
_TIME_RE = re.compile(
    r"(上午|下午|凌晨|早上|中午|晚上|AM|PM|am|pm)?\s*(\d{1,2})[:：](\d{2})\s*(AM|PM|am|pm)?"
)


def _parse_time(t: str) -> int | None:
    m = _TIME_RE.search(t)
    if not m:
        return None
    h, mi = int(m.group(2)), int(m.group(3))
    ap = (m.group(1) or m.group(4) or "").lower()
    if ap in ("下午", "晚上", "pm") and h < 12:
        h += 12
    if ap in ("am", "凌晨", "上午", "早上") and h == 12:
        h = 0
    return h * 60 + mi


def _message_times(conv: dict, rng: random.Random) -> list[int]:
    cur = rng.randrange(8 * 60, 22 * 60)
    out = []
    for m in conv["messages"]:
        if m.get("time"):
            t = _parse_time(m["time"])
            if t is not None:
                cur = t
        elif m["sender"] == "system":
            t = _parse_time(m["text"])
            if t is not None:
                cur = t
        else:
            cur = (cur + rng.choice([0, 0, 0, 1, 1, 2, 3])) % (24 * 60)
        out.append(cur)
    return out


def _fmt_time(minutes: int, lang: str, style: str) -> str:
    h, m = divmod(minutes, 60)
    if _is_en(lang):
        ap = "AM" if h < 12 else "PM"
        h12 = h % 12 or 12
        if style == "whatsapp":
            return f"{h12}:{m:02d} {ap.lower()}"
        return f"{h12}:{m:02d} {ap}"
    if style == "line":
        return f"{'上午' if h < 12 else '下午'}{h % 12 or 12}:{m:02d}"
    return f"{h:02d}:{m:02d}"


# --------------------------------------------------------------------------- chrome
def _status_bar(img, ctx: Ctx, y0: int, h: int, bg, fg, clock: str) -> None:
    d = ImageDraw.Draw(img)
    d.rectangle((0, y0, ctx.width, y0 + h), fill=D._col(bg))
    f = ctx.font(34, bold=True)
    cy = y0 + h // 2
    d.text((ctx.px(56), cy), clock, font=f, fill=D._col(fg), anchor="lm")
    # battery
    bx1 = ctx.width - ctx.px(48)
    bw, bh = ctx.px(58), ctx.px(28)
    D.rrect_outline(
        img, (bx1 - bw, cy - bh / 2, bx1, cy + bh / 2), ctx.px(7), fg, max(1, ctx.px(3))
    )
    D.rrect(
        img,
        (bx1 - bw + ctx.px(6), cy - bh / 2 + ctx.px(6), bx1 - ctx.px(16), cy + bh / 2 - ctx.px(6)),
        ctx.px(3),
        fg,
    )
    D.rrect(img, (bx1 + ctx.px(2), cy - ctx.px(6), bx1 + ctx.px(7), cy + ctx.px(6)), ctx.px(2), fg)
    # wifi: three arcs
    wx = bx1 - bw - ctx.px(50)
    for i, r in enumerate((ctx.px(30), ctx.px(20), ctx.px(10))):
        if i < 2:
            d.arc(
                (wx - r, cy + ctx.px(12) - r, wx + r, cy + ctx.px(12) + r),
                225,
                315,
                fill=D._col(fg),
                width=max(1, ctx.px(5)),
            )
        else:
            D.ellipse(img, (wx - ctx.px(5), cy + ctx.px(4), wx + ctx.px(5), cy + ctx.px(14)), fg)
    # signal bars
    sx = wx - ctx.px(100)
    for i in range(4):
        bh_i = ctx.px(8 + 6 * i)
        D.rrect(
            img,
            (
                sx + i * ctx.px(12),
                cy + ctx.px(13) - bh_i,
                sx + i * ctx.px(12) + ctx.px(8),
                cy + ctx.px(13),
            ),
            ctx.px(2),
            fg,
        )


def _chevron(img, ctx, x, cy, fg, size=26, width=5, right=False):
    s = ctx.px(size)
    if right:
        pts = [(x, cy - s), (x + s * 0.85, cy), (x, cy + s)]
    else:
        pts = [(x + s * 0.85, cy - s), (x, cy), (x + s * 0.85, cy + s)]
    D.polyline(img, pts, fg, max(1.5, ctx.s * width))


def _rich_text(img, xy, text: str, font, fill, anchor: str = "ls") -> int:
    """Draw one line of text that may contain colour emoji; anchor like Pillow's (l/m/r + s/m)."""
    toks = [t for t in segment(text) if t[0] != "newline"]
    w = measure(toks, font)
    x, y = xy
    if anchor[0] == "m":
        x -= w / 2
    elif anchor[0] == "r":
        x -= w
    if anchor[1] == "m":
        y += 0.38 * font.size
    draw_tokens(
        img, round(x), round(y), toks, font, D._col(fill) if isinstance(fill, str) else fill
    )
    return w


def _clock(ctx: Ctx) -> str:
    last = ctx.times[-1] if ctx.times else 21 * 60
    t = (last + 3) % (24 * 60)
    return f"{t // 60}:{t % 60:02d}"


def chrome_wechat(img, ctx: Ctx, height: int) -> None:
    c = ctx.c
    sb, tb = ctx.px(80), ctx.px(130)
    _status_bar(img, ctx, 0, sb, c["header"], c["status_fg"], _clock(ctx))
    d = ImageDraw.Draw(img)
    d.rectangle((0, sb, ctx.width, sb + tb), fill=D._col(c["header"]))
    cy = sb + tb // 2
    _chevron(img, ctx, ctx.px(40), cy, c["header_fg"], 24, 5)
    _rich_text(img, (ctx.width // 2, cy), ctx.contact, ctx.font(50), c["header_fg"], "mm")
    for i in range(3):
        x = ctx.width - ctx.px(110) + i * ctx.px(26)
        D.ellipse(
            img, (x - ctx.px(6), cy - ctx.px(6), x + ctx.px(6), cy + ctx.px(6)), c["header_fg"]
        )
    d.line((0, sb + tb - 1, ctx.width, sb + tb - 1), fill=D._col(c["sep"]), width=max(1, ctx.px(2)))
    # input bar
    bh = ctx.px(150)
    y0 = height - bh
    d.rectangle((0, y0, ctx.width, height), fill=D._col(c["bar"]))
    d.line((0, y0, ctx.width, y0), fill=D._col(c["sep"]), width=max(1, ctx.px(2)))
    cy = y0 + ctx.px(70)
    r = ctx.px(34)
    lw = max(1, ctx.px(4))
    for x in (ctx.px(66), ctx.width - ctx.px(166), ctx.width - ctx.px(66)):
        D.ellipse(img, (x - r, cy - r, x + r, cy + r), c["icon"], outline_width=lw)
    x = ctx.px(66)  # voice waves
    for rr in (ctx.px(8), ctx.px(17)):
        d.arc(
            (x - ctx.px(10) - rr, cy - rr, x - ctx.px(10) + rr, cy + rr),
            -50,
            50,
            fill=D._col(c["icon"]),
            width=lw,
        )
    x = ctx.width - ctx.px(166)  # smiley
    D.ellipse(img, (x - ctx.px(14), cy - ctx.px(12), x - ctx.px(6), cy - ctx.px(4)), c["icon"])
    D.ellipse(img, (x + ctx.px(6), cy - ctx.px(12), x + ctx.px(14), cy - ctx.px(4)), c["icon"])
    d.arc(
        (x - ctx.px(16), cy - ctx.px(12), x + ctx.px(16), cy + ctx.px(18)),
        20,
        160,
        fill=D._col(c["icon"]),
        width=lw,
    )
    x = ctx.width - ctx.px(66)  # plus
    d.line((x - ctx.px(16), cy, x + ctx.px(16), cy), fill=D._col(c["icon"]), width=lw)
    d.line((x, cy - ctx.px(16), x, cy + ctx.px(16)), fill=D._col(c["icon"]), width=lw)
    D.rrect(
        img,
        (ctx.px(122), cy - ctx.px(44), ctx.width - ctx.px(222), cy + ctx.px(44)),
        ctx.px(10),
        c["field"],
    )


def chrome_whatsapp(img, ctx: Ctx, height: int) -> None:
    c = ctx.c
    sb, hb = ctx.px(80), ctx.px(150)
    _status_bar(img, ctx, 0, sb, c["status"], c["header_fg"], _clock(ctx))
    d = ImageDraw.Draw(img)
    d.rectangle((0, sb, ctx.width, sb + hb), fill=D._col(c["header"]))
    cy = sb + hb // 2
    fg = c["header_fg"]
    lw = ctx.s * 5
    D.polyline(img, [(ctx.px(34), cy), (ctx.px(80), cy)], fg, lw)
    D.polyline(
        img,
        [(ctx.px(56), cy - ctx.px(22)), (ctx.px(34), cy), (ctx.px(56), cy + ctx.px(22))],
        fg,
        lw,
    )
    D.avatar(
        img,
        (ctx.px(100), cy - ctx.px(46), ctx.px(192), cy + ctx.px(46)),
        ctx.seed_key + ":them",
        "circle",
    )
    _rich_text(img, (ctx.px(220), cy - ctx.px(4)), ctx.contact, ctx.font(46, bold=True), fg, "ls")
    sub = "online" if _is_en(ctx.lang) else "在线"
    d.text(
        (ctx.px(220), cy + ctx.px(40)),
        sub,
        font=ctx.font(32),
        fill=D._col(c["header_sub"]),
        anchor="ls",
    )
    # icons: video, phone, kebab
    x = ctx.width - ctx.px(300)
    D.rrect(img, (x, cy - ctx.px(18), x + ctx.px(40), cy + ctx.px(18)), ctx.px(6), fg)
    D.polygon(
        img,
        [
            (x + ctx.px(44), cy),
            (x + ctx.px(64), cy - ctx.px(16)),
            (x + ctx.px(64), cy + ctx.px(16)),
        ],
        fg,
    )
    x = ctx.width - ctx.px(180)
    D.polyline(
        img,
        [
            (x, cy - ctx.px(20)),
            (x - ctx.px(6), cy - ctx.px(4)),
            (x + ctx.px(10), cy + ctx.px(14)),
            (x + ctx.px(26), cy + ctx.px(20)),
        ],
        fg,
        ctx.s * 10,
    )
    x = ctx.width - ctx.px(60)
    for i in (-1, 0, 1):
        D.ellipse(
            img,
            (
                x - ctx.px(6),
                cy + i * ctx.px(20) - ctx.px(6),
                x + ctx.px(6),
                cy + i * ctx.px(20) + ctx.px(6),
            ),
            fg,
        )
    # input
    hh = ctx.px(110)
    y1 = height - ctx.px(22)
    y0 = y1 - hh
    D.rrect(img, (ctx.px(20), y0, ctx.width - ctx.px(150), y1), hh / 2, c["field"])
    cy = (y0 + y1) // 2
    x = ctx.px(74)
    D.ellipse(
        img,
        (x - ctx.px(24), cy - ctx.px(24), x + ctx.px(24), cy + ctx.px(24)),
        c["icon"],
        outline_width=ctx.s * 4,
    )
    ph = "Message" if _is_en(ctx.lang) else "消息"
    d.text((ctx.px(124), cy), ph, font=ctx.font(42), fill=D._col(c["placeholder"]), anchor="lm")
    x = ctx.width - ctx.px(230)
    D.rrect_outline(
        img,
        (x - ctx.px(26), cy - ctx.px(18), x + ctx.px(26), cy + ctx.px(20)),
        ctx.px(6),
        c["icon"],
        ctx.s * 4,
    )
    D.ellipse(
        img,
        (x - ctx.px(10), cy - ctx.px(8), x + ctx.px(10), cy + ctx.px(12)),
        c["icon"],
        outline_width=ctx.s * 4,
    )
    x = ctx.width - ctx.px(75)
    D.ellipse(img, (x - hh / 2, cy - hh / 2, x + hh / 2, cy + hh / 2), c["mic"])
    D.rrect(
        img, (x - ctx.px(9), cy - ctx.px(24), x + ctx.px(9), cy + ctx.px(8)), ctx.px(9), "#FFFFFF"
    )
    D.polyline(img, [(x, cy + ctx.px(14)), (x, cy + ctx.px(24))], "#FFFFFF", ctx.s * 4)


def wallpaper(img, ctx: Ctx, y0: int, y1: int) -> None:
    rnd = random.Random(ctx.seed_key + ":wall")
    col = ctx.c["doodle"]
    step = ctx.px(120)
    lw = max(1, ctx.s * 3)
    d = ImageDraw.Draw(img)
    for gy in range(y0, y1, step):
        for gx in range(0, ctx.width, step):
            x = gx + rnd.randrange(step // 2)
            y = gy + rnd.randrange(step // 2)
            r = ctx.px(rnd.randrange(10, 24))
            k = rnd.randrange(4)
            if y + r * 2 > y1:
                continue
            if k == 0:
                d.ellipse((x, y, x + 2 * r, y + 2 * r), outline=D._col(col), width=round(lw))
            elif k == 1:
                d.rounded_rectangle(
                    (x, y, x + 2 * r, y + int(1.4 * r)),
                    radius=r // 3,
                    outline=D._col(col),
                    width=round(lw),
                )
            elif k == 2:
                d.line((x, y + r, x + r, y, x + 2 * r, y + r), fill=D._col(col), width=round(lw))
            else:
                d.arc((x, y, x + 2 * r, y + 2 * r), 200, 340, fill=D._col(col), width=round(lw))


def chrome_imessage(img, ctx: Ctx, height: int) -> None:
    c = ctx.c
    sb, hb = ctx.px(80), ctx.px(200)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, ctx.width, sb + hb), fill=D._col(c["header"]))
    _status_bar(img, ctx, 0, sb, c["header"], c["status_fg"], _clock(ctx))
    cy = sb + ctx.px(66)
    _chevron(img, ctx, ctx.px(32), cy, c["accent"], 26, 6)
    # avatar with initials
    ax = ctx.width // 2
    r = ctx.px(52)
    ay = sb + ctx.px(62)
    D.ellipse(
        img, (ax - r, ay - r, ax + r, ay + r), "#9FA5B2" if ctx.theme == "light" else "#6D717A"
    )
    ini = (
        "".join(w[0] for w in ctx.contact.split()[:2] if w[0].isalnum()).upper()
        if _is_en(ctx.lang)
        else ctx.contact[:1]
    )
    d.text((ax, ay), ini, font=ctx.font(44, bold=True), fill=(255, 255, 255), anchor="mm")
    f = ctx.font(30)
    tw = _rich_text(img, (ax, ay + r + ctx.px(30)), ctx.contact, f, c["header_fg"], "mm")
    _chevron(img, ctx, ax + tw / 2 + ctx.px(10), ay + r + ctx.px(30), c["icon"], 9, 3, right=True)
    d.line((0, sb + hb - 1, ctx.width, sb + hb - 1), fill=D._col(c["sep"]), width=max(1, ctx.px(2)))
    # input
    y1 = height - ctx.px(40)
    hh = ctx.px(84)
    y0 = y1 - hh
    cy = (y0 + y1) // 2
    x = ctx.px(70)
    D.ellipse(img, (x - ctx.px(40), cy - ctx.px(40), x + ctx.px(40), cy + ctx.px(40)), c["plus"])
    D.polyline(img, [(x - ctx.px(16), cy), (x + ctx.px(16), cy)], c["icon"], ctx.s * 5)
    D.polyline(img, [(x, cy - ctx.px(16)), (x, cy + ctx.px(16))], c["icon"], ctx.s * 5)
    D.rrect_outline(
        img, (ctx.px(132), y0, ctx.width - ctx.px(30), y1), hh / 2, c["field_line"], ctx.s * 3
    )
    d.text(
        (ctx.px(166), cy), "iMessage", font=ctx.font(40), fill=D._col(c["placeholder"]), anchor="lm"
    )
    x = ctx.width - ctx.px(80)
    D.rrect(
        img, (x - ctx.px(9), cy - ctx.px(22), x + ctx.px(9), cy + ctx.px(8)), ctx.px(9), c["icon"]
    )


def chrome_line(img, ctx: Ctx, height: int) -> None:
    c = ctx.c
    sb, hb = ctx.px(80), ctx.px(140)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, ctx.width, sb + hb), fill=D._col(c["header"]))
    _status_bar(img, ctx, 0, sb, c["header"], c["status_fg"], _clock(ctx))
    cy = sb + hb // 2
    fg = c["header_fg"]
    _chevron(img, ctx, ctx.px(36), cy, fg, 24, 5)
    _rich_text(img, (ctx.px(100), cy), ctx.contact, ctx.font(48, bold=True), fg, "lm")
    x = ctx.width - ctx.px(250)  # search
    D.ellipse(
        img,
        (x - ctx.px(20), cy - ctx.px(24), x + ctx.px(16), cy + ctx.px(12)),
        fg,
        outline_width=ctx.s * 4,
    )
    D.polyline(
        img, [(x + ctx.px(12), cy + ctx.px(8)), (x + ctx.px(26), cy + ctx.px(22))], fg, ctx.s * 4
    )
    x = ctx.width - ctx.px(160)  # phone
    D.polyline(
        img,
        [
            (x, cy - ctx.px(20)),
            (x - ctx.px(6), cy - ctx.px(4)),
            (x + ctx.px(10), cy + ctx.px(14)),
            (x + ctx.px(26), cy + ctx.px(20)),
        ],
        fg,
        ctx.s * 9,
    )
    x = ctx.width - ctx.px(70)  # menu
    for i in (-1, 0, 1):
        D.polyline(
            img,
            [(x - ctx.px(20), cy + i * ctx.px(14)), (x + ctx.px(20), cy + i * ctx.px(14))],
            fg,
            ctx.s * 4,
        )
    d.line((0, sb + hb - 1, ctx.width, sb + hb - 1), fill=D._col(c["sep"]), width=max(1, ctx.px(2)))
    # input bar
    bh = ctx.px(140)
    y0 = height - bh
    d.rectangle((0, y0, ctx.width, height), fill=D._col(c["bar"]))
    cy = y0 + bh // 2
    ic = c["icon"]
    x = ctx.px(54)
    D.polyline(img, [(x - ctx.px(20), cy), (x + ctx.px(20), cy)], ic, ctx.s * 5)
    D.polyline(img, [(x, cy - ctx.px(20)), (x, cy + ctx.px(20))], ic, ctx.s * 5)
    x = ctx.px(140)
    D.rrect_outline(
        img,
        (x - ctx.px(26), cy - ctx.px(18), x + ctx.px(26), cy + ctx.px(20)),
        ctx.px(6),
        ic,
        ctx.s * 4,
    )
    D.ellipse(
        img,
        (x - ctx.px(10), cy - ctx.px(8), x + ctx.px(10), cy + ctx.px(12)),
        ic,
        outline_width=ctx.s * 4,
    )
    x = ctx.px(226)
    D.rrect_outline(
        img,
        (x - ctx.px(24), cy - ctx.px(22), x + ctx.px(24), cy + ctx.px(22)),
        ctx.px(6),
        ic,
        ctx.s * 4,
    )
    D.polygon(
        img,
        [
            (x - ctx.px(18), cy + ctx.px(16)),
            (x - ctx.px(4), cy - ctx.px(4)),
            (x + ctx.px(8), cy + ctx.px(16)),
        ],
        ic,
    )
    D.rrect(
        img,
        (ctx.px(290), cy - ctx.px(44), ctx.width - ctx.px(110), cy + ctx.px(44)),
        ctx.px(44),
        c["field"],
    )
    d.text((ctx.px(326), cy), "Aa", font=ctx.font(38), fill=D._col(c["placeholder"]), anchor="lm")
    x = ctx.width - ctx.px(160)
    D.ellipse(
        img,
        (x - ctx.px(20), cy - ctx.px(20), x + ctx.px(20), cy + ctx.px(20)),
        ic,
        outline_width=ctx.s * 4,
    )
    x = ctx.width - ctx.px(56)
    D.rrect(img, (x - ctx.px(9), cy - ctx.px(22), x + ctx.px(9), cy + ctx.px(8)), ctx.px(9), ic)
    D.polyline(img, [(x, cy + ctx.px(14)), (x, cy + ctx.px(24))], ic, ctx.s * 4)


DESKTOP_CONTACTS = {
    "zh": ["文件传输助手", "家庭群", "公众号", "张阿姨", "工作群（3）", "快递小哥", "订阅号消息"],
    "en": [
        "File Transfer",
        "Family",
        "Official Accounts",
        "Aunt May",
        "Work group",
        "Courier",
        "Subscriptions",
    ],
}


def chrome_wechat_desktop(img, ctx: Ctx, height: int) -> None:
    c = ctx.c
    d = ImageDraw.Draw(img)
    strip_w, list_w = ctx.px(56), ctx.px(236)
    d.rectangle((0, 0, strip_w, height), fill=D._col(c["strip"]))
    D.avatar(img, (ctx.px(10), ctx.px(28), ctx.px(46), ctx.px(64)), ctx.seed_key + ":me", "rsq")
    for i in range(4):  # nav icons
        y = ctx.px(100) + i * ctx.px(52)
        col = "#07C160" if i == 0 else "#9A9A9A"
        D.rrect_outline(img, (ctx.px(17), y, ctx.px(39), y + ctx.px(20)), ctx.px(5), col, ctx.s * 2)
    d.rectangle((strip_w, 0, strip_w + list_w, height), fill=D._col(c["list"]))
    D.rrect(
        img,
        (strip_w + ctx.px(12), ctx.px(24), strip_w + list_w - ctx.px(44), ctx.px(50)),
        ctx.px(4),
        c["search"],
    )
    d.text(
        (strip_w + ctx.px(34), ctx.px(37)),
        "搜索" if not _is_en(ctx.lang) else "Search",
        font=ctx.font(12),
        fill=D._col(c["list_sub"]),
        anchor="lm",
    )
    names = list(DESKTOP_CONTACTS["en" if _is_en(ctx.lang) else "zh"])
    rnd = random.Random(ctx.seed_key + ":list")
    rnd.shuffle(names)
    names.insert(rnd.randrange(0, 3), ctx.contact)
    y = ctx.px(66)
    row = ctx.px(64)
    for i, nm in enumerate(names):
        if y + row > height:
            break
        if nm == ctx.contact:
            d.rectangle((strip_w, y, strip_w + list_w, y + row), fill=D._col(c["list_sel"]))
        D.avatar(
            img,
            (strip_w + ctx.px(12), y + ctx.px(12), strip_w + ctx.px(52), y + ctx.px(52)),
            ctx.seed_key + (":them" if nm == ctx.contact else f":l{i}"),
            "rsq",
        )
        _rich_text(
            img, (strip_w + ctx.px(62), y + ctx.px(26)), nm, ctx.font(14), c["list_fg"], "ls"
        )
        t = _fmt_time((rnd.randrange(7 * 60, 23 * 60)), "zh", "wechat")
        d.text(
            (strip_w + list_w - ctx.px(10), y + ctx.px(26)),
            t,
            font=ctx.font(11),
            fill=D._col(c["list_sub"]),
            anchor="rs",
        )
        y += row
    x0 = ctx.pane_x0
    hh = ctx.px(60)
    _rich_text(
        img, (x0 + ctx.px(24), hh // 2 + ctx.px(6)), ctx.contact, ctx.font(18), c["header_fg"], "lm"
    )
    for i in range(3):
        x = ctx.width - ctx.px(40) + i * ctx.px(8)
        D.ellipse(
            img, (x - ctx.px(2), hh // 2 + ctx.px(4), x + ctx.px(2), hh // 2 + ctx.px(8)), c["icon"]
        )
    d.line((x0, hh, ctx.width, hh), fill=D._col(c["sep"]), width=1)
    fy = height - ctx.footer_h
    d.rectangle((x0, fy, ctx.width, height), fill=D._col(c["bar"]))
    d.line((x0, fy, ctx.width, fy), fill=D._col(c["sep"]), width=1)
    for i in range(5):
        x = x0 + ctx.px(24) + i * ctx.px(36)
        D.ellipse(
            img,
            (x, fy + ctx.px(12), x + ctx.px(20), fy + ctx.px(32)),
            c["icon"],
            outline_width=ctx.s * 1.6,
        )
    bw, bh = ctx.px(80), ctx.px(30)
    D.rrect(
        img,
        (
            ctx.width - ctx.px(24) - bw,
            height - ctx.px(16) - bh,
            ctx.width - ctx.px(24),
            height - ctx.px(16),
        ),
        ctx.px(4),
        c["send"],
    )
    d.text(
        (ctx.width - ctx.px(24) - bw / 2, height - ctx.px(16) - bh / 2),
        "发送(S)" if not _is_en(ctx.lang) else "Send(S)",
        font=ctx.font(13),
        fill=D._col(c["send_fg"]),
        anchor="mm",
    )


CHROME: dict[str, Callable] = {
    "wechat": chrome_wechat,
    "wechat_desktop": chrome_wechat_desktop,
    "whatsapp": chrome_whatsapp,
    "imessage": chrome_imessage,
    "line": chrome_line,
}


def _geometry(ctx: Ctx) -> None:
    """Set pane x range, content top and footer height."""
    st = ctx.style
    ctx.pane_x0, ctx.pane_x1 = 0, ctx.width
    if st == "wechat":
        ctx.content_top, ctx.footer_h = ctx.px(210), ctx.px(150)
    elif st == "whatsapp":
        ctx.content_top, ctx.footer_h = ctx.px(230), ctx.px(150)
    elif st == "imessage":
        ctx.content_top, ctx.footer_h = ctx.px(280), ctx.px(150)
    elif st == "line":
        ctx.content_top, ctx.footer_h = ctx.px(220), ctx.px(140)
    elif st == "wechat_desktop":
        ctx.pane_x0 = ctx.px(56 + 236)
        ctx.content_top, ctx.footer_h = ctx.px(60), ctx.px(130)


# --------------------------------------------------------------------------- message items
@dataclass
class Item:
    index: int
    sender: str
    h: int
    draw: Callable[[Image.Image, int], dict]


def _sys_item(ctx: Ctx, idx: int, msg: dict) -> Item:
    sp, c = ctx.spec, ctx.c
    f = ctx.font(sp.sys_fs)
    lines = wrap(msg["text"], f, int((ctx.pane_x1 - ctx.pane_x0) * 0.8))
    size = f.size
    pitch = round(size * 1.35)
    if sp.sys_chip:
        px_, py_ = ctx.px(22), ctx.px(12)
    else:
        px_, py_ = ctx.px(8), ctx.px(4)
    inner_h = len(lines) * pitch
    w = max(ln.width for ln in lines) + 2 * px_
    h = inner_h + 2 * py_

    def draw(img: Image.Image, y: int) -> dict:
        cx = (ctx.pane_x0 + ctx.pane_x1) // 2
        x = cx - w // 2
        if sp.sys_chip:
            D.rrect(img, (x, y, x + w, y + h), ctx.px(16), c["chip"])
            fg = c["chip_fg"]
        else:
            fg = c["sys_fg"]
        out_lines = []
        for i, ln in enumerate(lines):
            lx = cx - ln.width // 2
            base = y + py_ + i * pitch + round(pitch / 2 + 0.38 * size)
            draw_tokens(img, lx, base, ln.tokens, f, D._col(fg))
            out_lines.append({"text": ln.text, "box": line_box(lx, base, ln.width, size)})
        return {"sender": "system", "text": msg["text"], "box": [x, y, w, h], "lines": out_lines}

    return Item(idx, "system", h, draw)


def _ticks(img, x, base, ctx, color):
    u = ctx.s
    lw = 3.2 * u
    for dx in (0, 11 * u):
        D.polyline(
            img,
            [
                (x + dx, base - 9 * u),
                (x + dx + 7 * u, base - 2 * u),
                (x + dx + 20 * u, base - 19 * u),
            ],
            color,
            lw,
        )


def _bubble_item(ctx: Ctx, idx: int, msg: dict, first: bool, last: bool) -> Item:
    sp, c = ctx.spec, ctx.c
    side = "left" if msg["sender"] == "them" else "right"
    f = ctx.font(sp.fs)
    size = f.size
    pitch = round(size * sp.pitch)
    pad_x, pad_y = ctx.px(sp.pad_x), ctx.px(sp.pad_y)
    pane_w = ctx.pane_x1 - ctx.pane_x0
    max_text = int(pane_w * sp.max_outer) - 2 * pad_x
    lines: list[Line] = wrap(msg["text"], f, max_text)
    text_w = max(1, max(ln.width for ln in lines))
    extra_h = 0
    meta_f = None
    meta_text = _fmt_time(ctx.times[idx], ctx.lang, ctx.style)
    meta_w = 0
    if sp.meta == "inside":
        meta_f = ctx.font(30)
        meta_w = round(meta_f.getlength(meta_text)) + (ctx.px(40) if side == "right" else 0)
        gap = ctx.px(24)
        if lines[-1].width + gap + meta_w <= max_text:
            text_w = max(text_w, lines[-1].width + gap + meta_w)
            extra_h = ctx.px(8)
        else:
            text_w = max(text_w, meta_w)
            extra_h = ctx.px(40)
    elif sp.meta == "outside":
        meta_f = ctx.font(26)
    bw = text_w + 2 * pad_x
    bh = len(lines) * pitch + 2 * pad_y + extra_h
    has_avatar = sp.avatar and side in sp.avatar_sides
    av = ctx.px(sp.avatar) if sp.avatar else 0
    show_avatar = has_avatar and (first or ctx.style != "line")
    show_name = sp.name_above and side == "left" and first
    name_f = ctx.font(30) if show_name else None
    name_h = ctx.px(44) if show_name else 0
    h = max(bh + name_h, av if show_avatar else 0)

    def draw(img: Image.Image, y: int) -> dict:
        indent = ctx.px(sp.margin_x) + ((av + ctx.px(sp.avatar_gap)) if has_avatar else 0)
        if side == "left":
            bx = ctx.pane_x0 + indent
            fill, fg = c["left"], c["left_fg"]
        else:
            bx = ctx.pane_x1 - indent - bw
            fill, fg = c["right"], c["right_fg"]
        by = y + name_h
        if show_avatar:
            ax = (
                ctx.pane_x0 + ctx.px(sp.margin_x)
                if side == "left"
                else ctx.pane_x1 - ctx.px(sp.margin_x) - av
            )
            D.avatar(
                img,
                (ax, y, ax + av, y + av),
                ctx.seed_key + (":them" if side == "left" else ":me"),
                sp.avatar_shape,
            )
        if show_name:
            _rich_text(
                img, (bx + ctx.px(4), y + ctx.px(30)), ctx.contact, name_f, c["name_fg"], "ls"
            )
        if sp.tail != "imessage":
            _tail(img, ctx, side, bx, by, bw, bh, fill, first, last)
        D.rrect(img, (bx, by, bx + bw, by + bh), ctx.px(sp.radius), fill)
        if sp.tail == "imessage":  # drawn over the rounded corner it replaces
            _tail(img, ctx, side, bx, by, bw, bh, fill, first, last)
        out_lines = []
        for i, ln in enumerate(lines):
            base = by + pad_y + i * pitch + round(pitch / 2 + 0.38 * size)
            lx = bx + pad_x
            draw_tokens(img, lx, base, ln.tokens, f, D._col(fg))
            out_lines.append({"text": ln.text, "box": line_box(lx, base, ln.width, size)})
        dr = ImageDraw.Draw(img)
        if sp.meta == "inside":
            mcol = c.get("right_meta_fg", c["meta_fg"]) if side == "right" else c["meta_fg"]
            mb = by + bh - ctx.px(16)
            mx = bx + bw - pad_x + ctx.px(6)
            if side == "right":
                _ticks(img, mx - ctx.px(32), mb - ctx.px(2), ctx, c["tick"])
                mx -= ctx.px(40)
            dr.text((mx, mb), meta_text, font=meta_f, fill=D._col(mcol), anchor="rs")
        elif sp.meta == "outside":
            mb = by + bh - ctx.px(4)
            if side == "left":
                dr.text(
                    (bx + bw + ctx.px(12), mb),
                    meta_text,
                    font=meta_f,
                    fill=D._col(c["meta_fg"]),
                    anchor="ls",
                )
            else:
                dr.text(
                    (bx - ctx.px(12), mb),
                    meta_text,
                    font=meta_f,
                    fill=D._col(c["meta_fg"]),
                    anchor="rs",
                )
                read = "Read" if _is_en(ctx.lang) else ("已讀" if ctx.lang == "zh-Hant" else "已读")
                dr.text(
                    (bx - ctx.px(12), mb - ctx.px(34)),
                    read,
                    font=meta_f,
                    fill=D._col(c["meta_fg"]),
                    anchor="rs",
                )
        return {
            "sender": msg["sender"],
            "text": msg["text"],
            "box": [bx, by, bw, bh],
            "lines": out_lines,
        }

    return Item(idx, msg["sender"], h, draw)


def _tail(img, ctx: Ctx, side, bx, by, bw, bh, fill, first, last) -> None:
    t = ctx.spec.tail
    u = ctx.s
    left = side == "left"
    if t == "wechat":
        cy = by + ctx.px(ctx.spec.avatar) / 2 if ctx.spec.avatar else by + bh / 2
        cy = min(cy, by + bh / 2) if bh < ctx.px(ctx.spec.avatar) else cy
        w, hh = 14 * u, 12 * u
        if ctx.style == "wechat_desktop":
            w, hh = 6 * u, 6 * u
        if left:
            D.polygon(img, [(bx + 2, cy - hh), (bx - w, cy), (bx + 2, cy + hh)], fill)
        else:
            D.polygon(
                img, [(bx + bw - 2, cy - hh), (bx + bw + w, cy), (bx + bw - 2, cy + hh)], fill
            )
    elif t == "whatsapp" and first:
        w, hh = 18 * u, 24 * u
        if left:
            D.polygon(img, [(bx - w, by), (bx + 24 * u, by), (bx + 2 * u, by + hh)], fill)
        else:
            D.polygon(
                img, [(bx + bw + w, by), (bx + bw - 24 * u, by), (bx + bw - 2 * u, by + hh)], fill
            )
    elif t == "line" and first:
        if left:
            D.polygon(
                img,
                [(bx - 14 * u, by + 6 * u), (bx + 30 * u, by + 10 * u), (bx + 10 * u, by + 36 * u)],
                fill,
            )
        else:
            D.polygon(
                img,
                [
                    (bx + bw + 14 * u, by + 6 * u),
                    (bx + bw - 30 * u, by + 10 * u),
                    (bx + bw - 10 * u, by + 36 * u),
                ],
                fill,
            )
    elif t == "imessage" and last:
        # a curved tail at the bottom corner: bubble-coloured blob, background-coloured carve
        bg = ctx.c["bg"]
        b = by + bh
        if left:
            D.rrect(img, (bx, b - 50 * u, bx + 40 * u, b), 4 * u, fill)
            D.ellipse(img, (bx - 16 * u, b - 56 * u, bx + 36 * u, b), fill)
            D.ellipse(img, (bx - 56 * u, b - 64 * u, bx - 1 * u, b - 6 * u), bg)
        else:
            x1 = bx + bw
            D.rrect(img, (x1 - 40 * u, b - 50 * u, x1, b), 4 * u, fill)
            D.ellipse(img, (x1 - 36 * u, b - 56 * u, x1 + 16 * u, b), fill)
            D.ellipse(img, (x1 + 1 * u, b - 64 * u, x1 + 56 * u, b - 6 * u), bg)


def _items(ctx: Ctx, conv: dict) -> list[Item]:
    msgs = conv["messages"]
    out = []
    for i, m in enumerate(msgs):
        if m["sender"] == "system":
            out.append(_sys_item(ctx, i, m))
        else:
            prev_s = msgs[i - 1]["sender"] if i > 0 else None
            next_s = msgs[i + 1]["sender"] if i + 1 < len(msgs) else None
            out.append(_bubble_item(ctx, i, m, prev_s != m["sender"], next_s != m["sender"]))
    return out


def _gap(ctx: Ctx, prev: Item | None, cur: Item) -> int:
    sp = ctx.spec
    if prev is None:
        return ctx.px(28)
    if prev.sender == "system" or cur.sender == "system":
        return ctx.px(sp.gap_sys)
    return ctx.px(sp.gap_same if prev.sender == cur.sender else sp.gap_diff)


def _make_ctx(conv: dict, style: str, theme: str, width: int | None, seed: int) -> Ctx:
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; choose from {STYLES}")
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; choose from {THEMES}")
    width = int(width or REF_WIDTH[style])
    lang = _lang_of(conv)
    key = f"{seed}:{conv.get('id', '')}:{style}:{theme}"
    ctx = Ctx(
        style=style,
        theme=theme,
        width=width,
        s=width / REF_WIDTH[style],
        spec=SPECS[style],
        c=COLORS[(style, theme)],
        lang=lang,
        face=fonts.face_for_lang(lang),
        contact=conv.get("contact", ""),
        rng=random.Random(key),
        seed_key=key,
    )
    ctx.times = _message_times(conv, random.Random(key + ":t"))
    _geometry(ctx)
    return ctx


def _compose(
    ctx: Ctx, conv: dict, items: list[Item], height: int | None
) -> tuple[Image.Image, dict]:
    total = sum(_gap(ctx, items[k - 1] if k else None, it) + it.h for k, it in enumerate(items))
    need = ctx.content_top + total + ctx.px(28) + ctx.footer_h
    H = max(height or page_height(ctx.style, ctx.width), need)
    img = Image.new("RGB", (ctx.width, H), D._col(ctx.c["bg"]))
    if ctx.style == "whatsapp":
        wallpaper(img, ctx, ctx.content_top, H - ctx.footer_h)
    y = ctx.content_top
    out = []
    prev = None
    for it in items:
        y += _gap(ctx, prev, it)
        rec = it.draw(img, y)
        rec["index"] = it.index
        out.append(rec)
        y += it.h
        prev = it
    # times of the visible messages drive the status-bar clock
    CHROME[ctx.style](img, ctx, H)
    truth = {
        "id": conv.get("id"),
        "lang": ctx.lang,
        "style": ctx.style,
        "theme": ctx.theme,
        "width": ctx.width,
        "height": H,
        "contact": ctx.contact,
        "messages": out,
    }
    return img, truth


def render(
    conversation: dict, style: str, theme: str, width: int | None = None, seed: int = 0
) -> tuple[Image.Image, dict]:
    """Render the whole conversation as one screenshot (taller than a screen if needed)."""
    ctx = _make_ctx(conversation, style, theme, width, seed)
    items = _items(ctx, conversation)
    return _compose(ctx, conversation, items, None)


def render_pages(
    conversation: dict,
    style: str,
    theme: str,
    width: int | None = None,
    seed: int = 0,
    page_h: int | None = None,
) -> list[tuple[Image.Image, dict]]:
    """Render as consecutive fixed-height screenshots, overlapping by 1-2 messages (scrolling)."""
    ctx = _make_ctx(conversation, style, theme, width, seed)
    items = _items(ctx, conversation)
    H = page_h or page_height(style, ctx.width)
    avail = H - ctx.content_top - ctx.footer_h - ctx.px(28)
    pages: list[tuple[int, int]] = []
    start = 0
    rnd = random.Random(ctx.seed_key + ":pages")
    while True:
        used, end = 0, start
        while end < len(items):
            add = _gap(ctx, items[end - 1] if end > start else None, items[end]) + items[end].h
            if used + add > avail and end > start:
                break
            used += add
            end += 1
        pages.append((start, end))
        if end >= len(items):
            break
        ov = min(rnd.choice([1, 2]), end - start - 1)
        start = end - max(ov, 0)
    out = []
    for k, (a, b) in enumerate(pages):
        img, truth = _compose(ctx, conversation, items[a:b], H)
        truth["part"] = k + 1
        truth["parts"] = len(pages)
        truth["overlap_with_previous"] = 0 if k == 0 else pages[k - 1][1] - a
        out.append((img, truth))
    return out


__all__ = ["render", "render_pages", "STYLES", "THEMES", "page_height", "segment", "measure"]
