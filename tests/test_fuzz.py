"""Issue 8, fuzzing: the normaliser and matcher on any text; the image loader on mutated bytes.

Never a crash other than the typed errors, spans always inside the text, nothing slow."""

from __future__ import annotations

import contextlib
import io
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .badfiles import jpeg_bytes, png_bytes

FUZZ = settings(database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)

# characters that OCR output and pasted chats really carry, and the tricky ones
ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
BIDI = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
CONTROL = [chr(c) for c in range(0, 32)] + ["\x7f", "\x85", "\u2028", "\u2029"]
PHRASES = ["send me gift cards", "I will post your nudes", "把你的照片发给你家人", "不给钱", "轉帳", "USDT",
           "sextortion", "发裸照", "st3am g1ft c@rds", "ｇｉｆｔ　ｃａｒｄｓ", "照 片", "😀", "👨‍👩‍👧"]

any_char = st.characters(exclude_categories=("Cs",))  # str from decoded UTF-8 never holds lone surrogates
tricky = st.sampled_from(ZW + BIDI + CONTROL + [" ", "\t", "\n", "\r\n"])
pieces = st.one_of(st.text(any_char, max_size=12), st.sampled_from(PHRASES), tricky)
texts = st.lists(pieces, max_size=30).map("".join)


@st.composite
def joined_letters(draw) -> str:
    """A phrase with zero-width/bidi/control marks between its letters."""
    phrase = draw(st.sampled_from(PHRASES))
    seps = draw(st.lists(st.sampled_from(ZW + BIDI + ["", " ", "\u3000", "."]), min_size=len(phrase), max_size=len(phrase)))
    return "".join(c + s for c, s in zip(phrase, seps, strict=True))


long_lines = st.builds(lambda s, n: (s * n)[:100_000], st.one_of(texts.filter(bool), joined_letters()),
                       st.just(100_000))


@pytest.fixture(scope="module")
def analyzer():
    from patterns import Analyzer

    return Analyzer.load(())


def _check_findings(an, text: str) -> None:
    from patterns import Message, Speaker

    for speaker in (Speaker.THEM, Speaker.ME, Speaker.UNKNOWN):
        (found,) = an.raw_findings([Message(text, speaker)])
        for f in found:
            s, e = f.span
            assert 0 <= s <= e <= len(text), (f.rule, f.span, len(text))
            assert f.matched is not None


def _check_norm(text: str) -> None:
    from patterns.normalize import normalize

    n = normalize(text)
    for norm in (n.plain, n.fold):
        assert norm.source_len == len(text)
        idx = norm.index
        assert len(idx) == len(norm.text)
        assert all(0 <= i < len(text) for i in idx)
        for a, b in ((0, len(norm.text)), (0, 1), (len(norm.text) // 2, len(norm.text)), (3, 2)):
            s, e = norm.span_to_source(a, b)
            assert 0 <= s <= e <= len(text)


@settings(FUZZ, max_examples=300)
@given(st.one_of(texts, joined_letters(), st.text(any_char, max_size=200)))
def test_normaliser_and_matcher_never_crash_and_spans_are_valid(analyzer, text):
    _check_norm(text)
    _check_findings(analyzer, text)


@settings(FUZZ, max_examples=40)
@given(joined_letters())
def test_hidden_marks_between_letters_keep_spans_inside(analyzer, text):
    _check_findings(analyzer, text)
    _check_findings(analyzer, "them said: " + text + " ok")


@settings(FUZZ, max_examples=8)
@given(long_lines)
def test_100k_character_lines_are_fast(analyzer, text):
    t0 = time.monotonic()
    _check_norm(text)
    _check_findings(analyzer, text)
    assert time.monotonic() - t0 < 15


def test_scanner_text_flow_with_hostile_lines():
    """The whole text path (parsing, matching, line spans, JSON) on marks and huge lines."""
    import json

    from desktop.report_json import run_to_json
    from desktop.scan import Scanner

    chat = "\n".join([
        "them:\u202e sdrac tfig em dnes",
        "对方：把\u200d你\u200b的\u200c照\u2060片\u200f发给你家人",
        "\x00\x01\x1b[31m them: red\x7f",
        "me:" + "照片" * 50_000,
        "",
        "them: " + ("send me gift cards " * 6000),
    ])
    run = Scanner().scan_text(chat)
    doc = json.loads(run_to_json(run, "en"))
    for inp in doc["inputs"]:
        for ln in inp["lines"]:
            for f in ln["findings"]:
                s, e = f["span"]
                assert 0 <= s < e <= len(ln["text"])


# ------------------------------------------------------------------------------ image bytes


def _base_images() -> dict[str, bytes]:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (96, 64), (240, 240, 240))
    d = ImageDraw.Draw(im)
    d.rectangle([8, 8, 80, 40], fill=(120, 200, 120))
    d.text((12, 16), "hi", fill=(0, 0, 0))
    return {"png": png_bytes(im), "jpeg": jpeg_bytes(im, quality=80),
            "gif": _gif(im), "webp": _save(im, "WEBP"), "tiff": _save(im, "TIFF"), "bmp": _save(im, "BMP")}


def _save(im, fmt: str) -> bytes:
    b = io.BytesIO()
    im.save(b, fmt)
    return b.getvalue()


def _gif(im) -> bytes:
    return _save(im.convert("P"), "GIF")


BASES = _base_images()

mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10_000), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 10_000), st.just(0)),
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("set"), st.integers(0, 64), st.integers(0, 255)),  # header bytes: sizes, depths
)


def _mutate(data: bytes, ops) -> bytes:
    b = bytearray(data)
    for op, pos, arg in ops:
        if not b:
            break
        p = pos % len(b)
        if op == "flip":
            b[p] ^= arg
        elif op == "truncate":
            del b[p:]
        elif op == "insert":
            b[p:p] = arg
        elif op == "set":
            b[p] = arg
    return bytes(b)


@settings(FUZZ, max_examples=50)
@given(st.sampled_from(sorted(BASES)), st.lists(mutation, min_size=1, max_size=4))
def test_mutated_images_load_or_fail_cleanly(kind, ops):
    import numpy as np

    from ocr import load_image
    from ocr.errors import OcrError

    data = _mutate(BASES[kind], ops)
    t0 = time.monotonic()
    try:
        arr = load_image(data)
    except OcrError as exc:
        assert exc.code in {"not_an_image", "corrupt_image", "image_too_large", "unsupported_image"}
        assert exc.message
    else:
        assert isinstance(arr, np.ndarray) and arr.ndim == 3 and arr.shape[2] == 3 and arr.dtype == np.uint8
    assert time.monotonic() - t0 < 3, f"{kind} {ops}: {time.monotonic() - t0:.1f}s"


@pytest.mark.parametrize("kind", sorted(BASES))
def test_every_prefix_of_an_image_fails_cleanly(kind):
    """Truncation at every 7th byte (a download cut short, a half-synced file)."""
    from ocr import load_image
    from ocr.errors import OcrError

    data = BASES[kind]
    t0 = time.monotonic()
    for n in range(0, len(data), 7):
        with contextlib.suppress(OcrError):
            load_image(data[:n])
    assert time.monotonic() - t0 < 20
