"""Regenerate the screenshots bundled with the app (desktop/samples/).

python -m tests.chatgen.make_samples            # writes desktop/samples/*
python -m tests.chatgen.make_samples --check    # exit 1 if the committed truth is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .io import load_conversation, save_png, truth_json
from .renderer import page_height, render

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "tests" / "data" / "screens"
OUT = ROOT / "desktop" / "samples"

# name -> (conversation file, style, theme, width, seed)
SAMPLES = {
    "wechat_zh_sextortion": ("wechat_zh_sextortion.json", "wechat", "light", 1080, 0),
    "giftcard_en_sextortion": ("giftcard_en_sextortion.json", "imessage", "light", 1080, 0),
}


def build(name: str):
    conv_file, style, theme, width, seed = SAMPLES[name]
    conv = load_conversation(SCREENS / conv_file)
    img, truth = render(conv, style, theme, width=width, seed=seed)
    if img.height != page_height(style, width):
        raise SystemExit(f"{name}: conversation does not fit one screenshot ({img.height}px)")
    truth["seed"] = seed
    return conv, img, truth


def chat_text(conv: dict) -> str:
    return "".join(
        f"{m['sender']}: {m['text']}\n" for m in conv["messages"] if m["sender"] != "system"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument(
        "--check", action="store_true", help="only compare truth/txt with the committed files"
    )
    a = ap.parse_args(argv)
    stale = []
    for name in SAMPLES:
        conv, img, truth = build(name)
        tj, txt = truth_json(truth), chat_text(conv)
        if a.check:
            for suffix, want in ((".truth.json", tj), (".txt", txt)):
                p = a.out / (name + suffix)
                if not p.exists() or p.read_text(encoding="utf-8") != want:
                    stale.append(str(p))
            if not (a.out / (name + ".png")).exists():
                stale.append(str(a.out / (name + ".png")))
            continue
        a.out.mkdir(parents=True, exist_ok=True)
        save_png(img, a.out / f"{name}.png")
        (a.out / f"{name}.truth.json").write_text(tj, encoding="utf-8")
        (a.out / f"{name}.txt").write_text(txt, encoding="utf-8")
        print(f"wrote {a.out / name}.png ({(a.out / (name + '.png')).stat().st_size // 1024} KiB)")
    if stale:
        print("stale samples (run python -m tests.chatgen.make_samples):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
