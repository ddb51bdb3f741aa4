"""Small anti-aliased drawing helpers (Pillow shapes are not anti-aliased; we draw 3x masks)."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw

SS = 3


def rgb(h: str) -> tuple[int, int, int]:
    h = h.lstrip("#")
    return tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def mix(a: str | tuple, b: str | tuple, t: float) -> tuple[int, int, int]:
    a = rgb(a) if isinstance(a, str) else a
    b = rgb(b) if isinstance(b, str) else b
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _col(c):
    return rgb(c) if isinstance(c, str) else c


def _paste_mask(img, x0, y0, m, fill):
    img.paste(_col(fill), (x0, y0, x0 + m.width, y0 + m.height), m)


def rrect(img: Image.Image, box, radius: float, fill) -> None:
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    w, h = x1 - x0, y1 - y0
    if w <= 0 or h <= 0:
        return
    m = Image.new("L", (w * SS, h * SS), 0)
    r = min(radius, w / 2, h / 2) * SS
    ImageDraw.Draw(m).rounded_rectangle((0, 0, w * SS - 1, h * SS - 1), r, fill=255)
    _paste_mask(img, x0, y0, m.resize((w, h), Image.BOX), fill)


def ellipse(img, box, fill, outline_width: float = 0) -> None:
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    w, h = x1 - x0, y1 - y0
    if w <= 0 or h <= 0:
        return
    m = Image.new("L", (w * SS, h * SS), 0)
    d = ImageDraw.Draw(m)
    if outline_width:
        d.ellipse(
            (0, 0, w * SS - 1, h * SS - 1), outline=255, width=max(1, round(outline_width * SS))
        )
    else:
        d.ellipse((0, 0, w * SS - 1, h * SS - 1), fill=255)
    _paste_mask(img, x0, y0, m.resize((w, h), Image.BOX), fill)


def rrect_outline(img, box, radius, fill, width) -> None:
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    w, h = x1 - x0, y1 - y0
    m = Image.new("L", (w * SS, h * SS), 0)
    r = min(radius, w / 2, h / 2) * SS
    ImageDraw.Draw(m).rounded_rectangle(
        (0, 0, w * SS - 1, h * SS - 1), r, outline=255, width=max(1, round(width * SS))
    )
    _paste_mask(img, x0, y0, m.resize((w, h), Image.BOX), fill)


def polygon(img, pts, fill) -> None:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, y0 = int(min(xs)) - 1, int(min(ys)) - 1
    x1, y1 = int(max(xs)) + 2, int(max(ys)) + 2
    w, h = x1 - x0, y1 - y0
    m = Image.new("L", (w * SS, h * SS), 0)
    ImageDraw.Draw(m).polygon([((x - x0) * SS, (y - y0) * SS) for x, y in pts], fill=255)
    _paste_mask(img, x0, y0, m.resize((w, h), Image.BOX), fill)


def polyline(img, pts, fill, width: float) -> None:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    pad = width + 2
    x0, y0 = int(min(xs) - pad), int(min(ys) - pad)
    x1, y1 = int(max(xs) + pad), int(max(ys) + pad)
    w, h = x1 - x0, y1 - y0
    m = Image.new("L", (w * SS, h * SS), 0)
    d = ImageDraw.Draw(m)
    sp = [((x - x0) * SS, (y - y0) * SS) for x, y in pts]
    d.line(sp, fill=255, width=max(1, round(width * SS)), joint="curve")
    r = width * SS / 2
    for x, y in (sp[0], sp[-1]):
        d.ellipse((x - r, y - r, x + r, y + r), fill=255)
    _paste_mask(img, x0, y0, m.resize((w, h), Image.BOX), fill)


AVATAR_PALETTES = [
    ("#F4C7A1", "#E38B5B", "#FFF3E6"),
    ("#A8D8EA", "#3F7CAC", "#F1FAFF"),
    ("#C3E6CB", "#4E9F6D", "#F3FFF5"),
    ("#F7D6E0", "#C0587E", "#FFF5F8"),
    ("#D9D2F0", "#6A5BA8", "#F8F6FF"),
    ("#FBE7A1", "#C59B1A", "#FFFBEA"),
    ("#CFD8DC", "#546E7A", "#F5F8F9"),
]


def avatar(img, box, key: str, shape: str = "rsq") -> None:
    """A photo-like avatar without any text: gradient + simple silhouette or scenery."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    size = x1 - x0
    rnd = random.Random(key)
    bg, fg, hi = rnd.choice(AVATAR_PALETTES)
    tile = Image.new("RGB", (size, size), rgb(bg))
    d = ImageDraw.Draw(tile)
    top, bot = rgb(hi), rgb(bg)
    for yy in range(size):
        d.line([(0, yy), (size, yy)], fill=mix(top, bot, yy / max(1, size - 1)))
    kind = rnd.randrange(3)
    if kind == 0:  # person silhouette
        d.ellipse((size * 0.32, size * 0.18, size * 0.68, size * 0.54), fill=rgb(fg))
        d.ellipse((size * 0.12, size * 0.58, size * 0.88, size * 1.25), fill=rgb(fg))
    elif kind == 1:  # landscape
        d.polygon(
            [
                (0, size),
                (size * 0.4, size * 0.45),
                (size * 0.75, size),
            ],
            fill=rgb(fg),
        )
        d.polygon(
            [(size * 0.35, size), (size * 0.7, size * 0.55), (size, size * 0.85), (size, size)],
            fill=mix(fg, "#000000", 0.25),
        )
        d.ellipse((size * 0.62, size * 0.14, size * 0.84, size * 0.36), fill=rgb("#FFFFFF"))
    else:  # pet/flower-ish blob
        cx, cy = size * 0.5, size * 0.55
        for a in range(5):
            import math

            ang = a * 2 * math.pi / 5
            px, py = cx + math.cos(ang) * size * 0.2, cy + math.sin(ang) * size * 0.2
            d.ellipse(
                (px - size * 0.16, py - size * 0.16, px + size * 0.16, py + size * 0.16),
                fill=rgb(fg),
            )
        d.ellipse(
            (cx - size * 0.12, cy - size * 0.12, cx + size * 0.12, cy + size * 0.12), fill=rgb(hi)
        )
    m = Image.new("L", (size * SS, size * SS), 0)
    md = ImageDraw.Draw(m)
    if shape == "circle":
        md.ellipse((0, 0, size * SS - 1, size * SS - 1), fill=255)
    else:
        md.rounded_rectangle((0, 0, size * SS - 1, size * SS - 1), size * 0.1 * SS, fill=255)
    img.paste(tile, (x0, y0), m.resize((size, size), Image.BOX))
