"""OCR of English words: the spaces between them and letters confused (made-up chat text).

Found with bench/detect_ocr.py --show-losses on the tuning sets: on WeChat desktop captures
(~13 px text) PP-OCRv4 glued words ("a keyto your", "urturn", "never hasto see") so phrases no
longer matched; a line of only x-height letters was split ("a re"); a word space the recogniser
read itself got a second one beside a letter ("I'l l gift"); a lone I was read as l ("Pay or l");
Tesseract read the Cantonese 咗 as 吠 ("俾吠未").
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

import ocr
from ocr.engines.rapid import _insert_spaces
from ocr.reader import add_word_spaces, cantonese_fix, latin_fix
from ocr.types import Sender


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


# -- letters -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("read", "meant"), [
    ("Pay now or l call your boss", "Pay now or I call your boss"),
    ("then l", "then I"),
    ("l'm outside", "I'm outside"),
    ("l'll wait", "I'll wait"),
    ("I'l gift you the skin", "I'll gift you the skin"),
    ("I'Il go first", "I'll go first"),
    ("you'II see", "you'll see"),
])
def test_lone_l_is_the_pronoun_and_ll_is_restored(read: str, meant: str) -> None:
    assert latin_fix(read) == meant


@pytest.mark.parametrize("text", ["hello all", "lol", "l", "Don't", "O'Leary", "我l你", "ill", "Linkedln"])
def test_latin_fix_leaves_words_alone(text: str) -> None:
    assert latin_fix(text) == text


def test_cantonese_zo_read_as_bark_is_put_back_in_cantonese_only() -> None:
    assert cantonese_fix("俾吠未？", "俾吠未？") == "俾咗未？"
    assert cantonese_fix("隻狗吠咗成晚", "隻狗吠咗成晚") == "隻狗吠咗成晚"
    assert cantonese_fix("狗在吠", "狗在吠") == "狗在吠"  # not Cantonese: left alone


# -- spaces --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("base", "other", "want"), [
    ("I still have a keyto your place", "I still have a key to your place", "I still have a key to your place"),
    ("sent one. urturn, no jacket", "sent one. ur turn, no jacket", "sent one. ur turn, no jacket"),
    ("group chat with ur team", "group chat with urteam", "group chat with ur team"),  # only added
    ("Istill here", "I still here", "I still here"),  # at the line's start
    ("16,just moved", "16, just moved", "16, just moved"),
    ("今晚videocall啦", "今晚video call啦", "今晚video call啦"),
    ("$1,500 in cards", "$1,50o in cards", "$1,500 in cards"),  # letters stay the first reading's
    # beside a dropped or doubled letter the alignment is a guess: no space from there
    ("bank. They'll ove it", "bank. They'll love it", "bank. They'll ove it"),
])
def test_add_word_spaces(base: str, other: str, want: str) -> None:
    assert add_word_spaces(base, other) == want


def _ink_crop(h: int, ink_rows: tuple[int, int], blocks: list[tuple[int, int]], w: int) -> np.ndarray:
    crop = np.full((h, w, 3), 255, np.uint8)
    for x0, x1 in blocks:
        crop[ink_rows[0]:ink_rows[1], x0:x1] = 0
    return crop


def test_letter_gaps_of_a_short_x_height_line_are_not_spaces() -> None:
    # "are": ink only x-height tall (26 px of a 50 px line); gaps of 8 px between letters were
    # over 0.27 of the ink's height and read as a space ("a re")
    crop = _ink_crop(50, (14, 40), [(2, 22), (30, 42), (43, 60)], 64)
    assert "".join(_insert_spaces(list("are"), [12.0, 37.0, 54.0], crop)) == "are"


def test_a_space_read_by_the_recogniser_gets_no_second_one() -> None:
    # "I'll gift": the second l's x lies just past the blank after it; the recogniser read the
    # space itself (between l and g): the blank is that space, not one between the two l's
    crop = _ink_crop(60, (6, 53), [(0, 8), (14, 18), (24, 36), (38, 53), (67, 90), (94, 110)], 200)
    chars = list("I'll gi")
    xs = [4.0, 16.0, 30.0, 61.0, 71.0, 80.0, 100.0]
    assert "".join(_insert_spaces(chars, xs, crop)) == "I'll gi"
    # without the recogniser's space, the blank still gives one
    chars2 = list("I'llgi")
    xs2 = [4.0, 16.0, 30.0, 45.0, 80.0, 100.0]
    assert "".join(_insert_spaces(chars2, xs2, crop)) == "I'll gi"


# -- on screenshots ------------------------------------------------------------------------------

_DESKTOP_CHAT = {
    "id": "ocr-words", "lang": "en", "contact": "Dana Whitfield",
    "messages": [
        {"sender": "system", "text": "Yesterday 9:14 PM"},
        {"sender": "them", "text": "I still have a key to your office btw"},
        {"sender": "me", "text": "what do you want"},
        {"sender": "them", "text": "sent one already. ur turn, no jacket"},
        {"sender": "them", "text": "do that and ur whole team sees it before lunch"},
        {"sender": "them", "text": "Your sister never has to see how you spend your nights"},
        {"sender": "them", "text": "two hours left, the clock is ticking"},
    ],
}


def test_words_of_small_desktop_text_keep_their_spaces() -> None:
    from tests.chatgen.renderer import render_pages

    words = ["key to", "ur turn", "ur whole", "has to", "is ticking"]
    read = ""
    for img, _truth in render_pages(_DESKTOP_CHAT, "wechat_desktop", "light", seed=0):
        reading = ocr.read_image(_png(img))
        read += "\n".join(ln.text for ln in reading.lines if ln.sender in (Sender.THEM, Sender.ME)) + "\n"
    glued = [w for w in words if w not in read]
    assert not glued, read
