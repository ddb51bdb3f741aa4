"""Draws ChatGuard's icon (a shield holding a chat bubble with a tick) with Pillow and writes
packaging/icons/chatguard.png (1024 px), chatguard.ico (Windows, 16-256 px) and chatguard.icns
(macOS). No fonts, so it draws the same everywhere. The outputs are committed; run this again
only to change the icon:  .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent / "icons"
S = 1024          # final size
K = 4             # supersampling factor for smooth edges


def _shield(w: float, h: float, cx: float, top: float) -> list[tuple[float, float]]:
    """Outline of a heraldic shield: flat top with rounded shoulders, sides curving to a point."""
    pts: list[tuple[float, float]] = []
    left, right = cx - w / 2, cx + w / 2
    shoulder = h * 0.10
    n = 64
    # top edge dips slightly in the middle (a gentle notch reads as a shield at 16 px too)
    for i in range(n + 1):
        x = left + (right - left) * i / n
        d = abs(x - cx) / (w / 2)
        pts.append((x, top + shoulder * (1 - d) ** 2 * 0.6))
    # right side: straight for 40 %, then a curve to the tip
    mid = top + h * 0.42
    for i in range(n + 1):
        tt = i / n
        y = mid + (top + h - mid) * tt
        x = cx + (w / 2) * (1 - tt ** 1.8) ** 0.9
        pts.append((x, y))
    for i in range(n + 1):
        tt = 1 - i / n
        y = mid + (top + h - mid) * tt
        x = cx - (w / 2) * (1 - tt ** 1.8) ** 0.9
        pts.append((x, y))
    return pts


def draw(size: int = S) -> Image.Image:
    z = size * K
    img = Image.new("RGBA", (z, z), (0, 0, 0, 0))
    cx = z / 2
    # soft shadow
    shadow = Image.new("RGBA", (z, z), (0, 0, 0, 0))
    ImageDraw.Draw(shadow).polygon(_shield(z * 0.80, z * 0.88, cx, z * 0.07), fill=(0, 0, 0, 110))
    shadow = shadow.filter(ImageFilter.GaussianBlur(z * 0.015))
    img.alpha_composite(shadow, (0, int(z * 0.012)))
    # shield: dark blue rim, vertical gradient body
    rim = _shield(z * 0.80, z * 0.86, cx, z * 0.06)
    ImageDraw.Draw(img).polygon(rim, fill=(18, 52, 110, 255))
    body_mask = Image.new("L", (z, z), 0)
    ImageDraw.Draw(body_mask).polygon(_shield(z * 0.70, z * 0.76, cx, z * 0.11), fill=255)
    grad = Image.new("RGBA", (z, z))
    gd = ImageDraw.Draw(grad)
    top_c, bot_c = (60, 140, 235), (22, 88, 190)
    for y in range(z):
        t = y / (z - 1)
        gd.line([(0, y), (z, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top_c, bot_c, strict=True)) + (255,))
    img.paste(grad, (0, 0), body_mask)
    # chat bubble (white) with a tail, and a green tick inside
    d = ImageDraw.Draw(img)
    bx0, by0, bx1, by1 = z * 0.27, z * 0.27, z * 0.73, z * 0.60
    d.rounded_rectangle((bx0, by0, bx1, by1), radius=z * 0.07, fill=(255, 255, 255, 255))
    d.polygon([(z * 0.36, by1 - 2), (z * 0.46, by1 - 2), (z * 0.33, z * 0.69)], fill=(255, 255, 255, 255))
    w = int(z * 0.055)
    tick = [(z * 0.36, z * 0.44), (z * 0.46, z * 0.53), (z * 0.64, z * 0.34)]
    d.line(tick, fill=(34, 170, 84, 255), width=w, joint="curve")
    for x, y in (tick[0], tick[-1]):
        d.ellipse((x - w / 2, y - w / 2, x + w / 2, y + w / 2), fill=(34, 170, 84, 255))
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw(S)
    big.save(OUT / "chatguard.png", optimize=True)
    big.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "chatguard-256.png", optimize=True)
    big.save(OUT / "chatguard.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    big.save(OUT / "chatguard.icns")  # Pillow writes every ICNS size from 16 to 1024 px
    for p in sorted(OUT.iterdir()):
        print(f"{p.relative_to(OUT.parent.parent)}  {p.stat().st_size} bytes")


if __name__ == "__main__":
    main()
