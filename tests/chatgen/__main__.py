"""Render every conversation in tests/data/screens/*.json as chat screenshots with truth.

    python -m tests.chatgen --out out/screens
    python -m tests.chatgen --out out/screens --styles wechat whatsapp --themes light --variants
    python -m tests.chatgen --out out/screens --only wechat_zh_sextortion --width 750

Writes NAME__STYLE__THEME[__partK][__VARIANT].png|.jpg and NAME__...truth.json beside each.
Conversations taller than one screen are split into overlapping parts (like scrolling).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .io import load_conversation, save_png, truth_json
from .renderer import STYLES, THEMES, render_pages
from .variants import variants

SCREENS = Path(__file__).resolve().parents[1] / "data" / "screens"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m tests.chatgen",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--src", type=Path, default=SCREENS, help="folder of conversation JSON")
    ap.add_argument("--styles", nargs="+", default=list(STYLES), choices=STYLES)
    ap.add_argument("--themes", nargs="+", default=list(THEMES), choices=THEMES)
    ap.add_argument("--only", nargs="+", help="conversation ids (file stems) to render")
    ap.add_argument(
        "--width", type=int, default=None, help="image width (default 1080; 900 desktop)"
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--variants", action="store_true", help="also write __jpeg70 and __half")
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    files = sorted(a.src.glob("*.json"))
    if a.only:
        files = [f for f in files if f.stem in a.only]
    n = 0
    for f in files:
        conv = load_conversation(f)
        for style in a.styles:
            width = a.width if (a.width and style != "wechat_desktop") else None
            for theme in a.themes:
                pages = render_pages(conv, style, theme, width=width, seed=a.seed)
                for img, truth in pages:
                    stem = f"{f.stem}__{style}__{theme}"
                    if len(pages) > 1:
                        stem += f"__part{truth['part']}"
                    truth["seed"] = a.seed
                    outs = variants(img, truth) if a.variants else {"png": (img, truth)}
                    for vname, (vimg, vtruth) in outs.items():
                        name = stem if vname == "png" else f"{stem}__{vname}"
                        if vname == "jpeg70":  # same bytes the variant was decoded from
                            img.convert("RGB").save(a.out / f"{name}.jpg", "JPEG", quality=70)
                        else:
                            save_png(vimg, a.out / f"{name}.png", small=False)
                        vtruth = dict(vtruth, variant=vname)
                        (a.out / f"{name}.truth.json").write_text(
                            truth_json(vtruth), encoding="utf-8"
                        )
                        n += 1
        print(f"{f.stem}: done", flush=True)
    print(f"wrote {n} images to {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
