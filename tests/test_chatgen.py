"""Tests of the synthetic chat screenshot generator (tests/chatgen) and the bundled samples."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.chatgen import fonts  # noqa: E402

pytestmark = pytest.mark.skipif(not fonts.available(), reason="Noto Sans CJK font not installed")

from tests.chatgen import STYLES, THEMES, render, render_pages, variants  # noqa: E402
from tests.chatgen.io import load_conversation, truth_json  # noqa: E402
from tests.chatgen.make_samples import OUT, SAMPLES, build, chat_text  # noqa: E402
from tests.chatgen.text import wrap  # noqa: E402

SCREENS = ROOT / "tests" / "data" / "screens"

CONV = {
    "id": "unit",
    "lang": "mixed",
    "contact": "测试 Test",
    "messages": [
        {"sender": "system", "text": "昨天 21:14"},
        {"sender": "them", "text": "你好呀，在附近看到你，交个朋友吧😊"},
        {"sender": "me", "text": "ok 👍 who is this?"},
        {
            "sender": "them",
            "text": "我就在你们学校附近上班，你在哪个学校读书呀？住哪边？生日是几号呀 and what's your snapchat username btw",
        },
        {"sender": "them", "text": "short"},
        {"sender": "me", "text": "line one\nline two"},
    ],
}


def _inside(box, W, H):
    x, y, w, h = box
    return x >= 0 and y >= 0 and w > 0 and h > 0 and x + w <= W and y + h <= H


def _contains(outer, inner, tol=0):
    ox, oy, ow, oh = outer
    x, y, w, h = inner
    return x >= ox - tol and y >= oy - tol and x + w <= ox + ow + tol and y + h <= oy + oh + tol


def _overlap(a, b):
    return not (
        a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]
    )


def _check_truth(img, truth, tol=0):
    W, H = img.size
    assert (truth["width"], truth["height"]) == (W, H)
    msgs = truth["messages"]
    for m in msgs:
        assert _inside(m["box"], W, H), m
        assert m["lines"], m
        for ln in m["lines"]:
            assert _inside(ln["box"], W, H)
            assert _contains(m["box"], ln["box"], tol), (m["box"], ln)
        for a, b in zip(m["lines"], m["lines"][1:], strict=False):
            assert not _overlap(a["box"], b["box"])
    for i, a in enumerate(msgs):
        for b in msgs[i + 1 :]:
            assert not _overlap(a["box"], b["box"]), (a["text"], b["text"])


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("theme", THEMES)
def test_render_truth_consistent(style, theme):
    img, truth = render(CONV, style, theme)
    assert truth["style"] == style and truth["theme"] == theme
    assert truth["contact"] == CONV["contact"]
    assert [m["text"] for m in truth["messages"]] == [m["text"] for m in CONV["messages"]]
    assert [m["sender"] for m in truth["messages"]] == [m["sender"] for m in CONV["messages"]]
    _check_truth(img, truth)
    # senders sit on their side of the chat pane
    xs = {m["sender"]: m["box"] for m in truth["messages"]}
    mid = (truth["messages"][1]["box"][0] + xs["me"][0] + xs["me"][2]) / 2
    assert xs["them"][0] < mid < xs["me"][0] + xs["me"][2]
    gray = np.asarray(img.convert("L"), dtype=np.float32)
    if theme == "dark":
        assert gray.mean() < 80
    else:
        assert gray.mean() > 150
    # the bubble box is filled with the style's bubble colour
    from tests.chatgen.draw import rgb
    from tests.chatgen.renderer import COLORS

    arr = np.asarray(img.convert("RGB")).astype(int)
    for k, key in ((1, "left"), (2, "right")):
        x, y, w, h = truth["messages"][k]["box"]
        want = np.array(rgb(COLORS[(style, theme)][key]))
        assert np.abs(arr[y + h // 2, x + 4] - want).sum() <= 6


def test_wrap_cjk_per_char_and_english_per_word():
    from tests.chatgen.fonts import font

    f = font(40)
    lines = wrap("hello wonderful world of chats", f, 260)
    assert len(lines) > 1
    for ln in lines:
        assert not ln.text.startswith(" ") and " ".join(ln.text.split()) == ln.text
    words = " ".join(ln.text for ln in lines).split()
    assert words == ["hello", "wonderful", "world", "of", "chats"]
    zh = "不给我转5000块，我就把你的照片发给你家人和学校"
    lines = wrap(zh, f, 300)
    assert "".join(ln.text for ln in lines) == zh
    assert all(ln.width <= 300 + 40 for ln in lines)
    assert not any(ln.text[0] in "，。！？" for ln in lines)


def test_lines_reassemble_text():
    img, truth = render(CONV, "wechat", "light")
    for m in truth["messages"]:
        joined = "".join(ln["text"] for ln in m["lines"]).replace(" ", "")
        assert joined == m["text"].replace(" ", "").replace("\n", "")


@pytest.mark.parametrize("width", [750, 1170])
def test_other_widths_scale(width):
    img, truth = render(CONV, "whatsapp", "light", width=width)
    assert img.width == width
    _check_truth(img, truth)


def test_deterministic():
    a_img, a = render(CONV, "line", "dark", seed=3)
    b_img, b = render(CONV, "line", "dark", seed=3)
    assert a == b and a_img.tobytes() == b_img.tobytes()


def test_variants_scale_boxes():
    img, truth = render(CONV, "imessage", "light")
    v = variants(img, truth)
    assert set(v) == {"png", "jpeg70", "half"}
    h_img, h_truth = v["half"]
    assert h_img.size == (img.width // 2, img.height // 2)
    _check_truth(h_img, h_truth, tol=1)
    for m, hm in zip(truth["messages"], h_truth["messages"], strict=True):
        assert abs(hm["box"][0] - m["box"][0] / 2) <= 1 and abs(hm["box"][2] - m["box"][2] / 2) <= 1
    j_img, j_truth = v["jpeg70"]
    assert j_img.size == img.size and j_truth["messages"] == truth["messages"]
    assert set(variants(img)) == {"png", "jpeg70", "half"}


def test_pages_overlap():
    conv = load_conversation(SCREENS / "pigbutcher_mixed_usdt.json")
    pages = render_pages(conv, "wechat", "light")
    assert len(pages) >= 2
    prev_idx = None
    for img, truth in pages:
        assert img.height == 2340
        _check_truth(img, truth)
        idx = [m["index"] for m in truth["messages"]]
        if prev_idx is None:
            assert truth["overlap_with_previous"] == 0
        else:
            ov = truth["overlap_with_previous"]
            assert 1 <= ov <= 2 and idx[:ov] == prev_idx[-ov:]
        prev_idx = idx
    assert prev_idx[-1] == len(conv["messages"]) - 1


def test_screen_conversations_valid():
    files = sorted(SCREENS.glob("*.json"))
    assert len(files) >= 12
    langs = set()
    for f in files:
        conv = load_conversation(f)
        assert conv["id"] == f.stem
        langs.add(conv["lang"])
    assert {"zh-Hans", "zh-Hant", "en", "mixed"} <= langs


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_samples_up_to_date(name):
    conv, img, truth = build(name)
    assert (OUT / f"{name}.png").exists()
    committed = (OUT / f"{name}.truth.json").read_text(encoding="utf-8")
    assert json.loads(committed) == json.loads(truth_json(truth)), (
        "run python -m tests.chatgen.make_samples"
    )
    assert (OUT / f"{name}.txt").read_text(encoding="utf-8") == chat_text(conv)
    from PIL import Image

    with Image.open(OUT / f"{name}.png") as png:
        assert png.size == (truth["width"], truth["height"])
