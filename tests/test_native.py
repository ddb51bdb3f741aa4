"""The native speed-ups (patterns/_speedups.c) against their Python references.

Each native step must give exactly what the Python steps give: the same views, the same
offsets back to the source (every span maps the same way), the same alternative views (and the
same "nothing changed" answers the matcher tests by identity), the same words and keys. Checked
on generated text built from the characters each step looks at, and on every text of the dev
set and the pack's examples."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns import _native, matcher
from patterns import normalize as norm_mod
from patterns.normalize import CHAT_ENGLISH, Norm, alt_views, normalize

SP = _native.speedups
DEVSET = Path(__file__).parent / "data" / "devset" / "messages.jsonl"


def test_the_extension_is_built():
    # `pip install -e .` / `make install` build it (setup.py); without it everything runs in
    # Python, slower. On the machines the tests run on, a missing build is a fault (whether it
    # is used or not: CHATGUARD_PURE_PYTHON=1 runs the suite on the Python steps).
    assert _native.built, "patterns._speedups was not built: install a C compiler and run make install"


needs_native = pytest.mark.skipif(SP is None, reason="patterns._speedups not built")


@contextmanager
def python_steps() -> Iterator[None]:
    saved = _native.speedups
    _native.speedups = None
    try:
        yield
    finally:
        _native.speedups = saved


def _views(text: str) -> tuple[Norm, Norm, Norm, Norm, bool, bool]:
    n = normalize(text)
    ap, af = alt_views(n)
    return n.plain, n.fold, ap, af, ap is n.plain, af is n.fold


def _same_map(a: Norm, b: Norm) -> bool:
    size = len(a.text)
    return all(a.span_to_source(s, e) == b.span_to_source(s, e)
               for s in range(size + 2) for e in (s, s + 1, size, size + 1))


def assert_same_views(text: str) -> None:
    alt_views(normalize("u r"))  # the chat tables exist, so the native path makes alt views too
    assert norm_mod._CHAT_TABLES
    with python_steps():
        ref = _views(text)
    got = _views(text)
    assert got[4:] == ref[4:], f"alt view identity differs for {text!r}"
    for a, b in zip(ref[:4], got[:4], strict=True):
        assert (a.text, a.index, a.source_len) == (b.text, b.index, b.source_len), repr(text)
        assert _same_map(a, b), repr(text)


@pytest.fixture(scope="module")
def pack_matcher() -> matcher.Matcher:
    from patterns import Analyzer

    return Analyzer.load(()).matcher


def assert_same_tokens(m: matcher.Matcher, text: str) -> None:
    """The native key index gives the words, stems and candidate phrases of the Python
    tokenizer and key cache."""
    with python_steps():
        ref = m._tokens(text)
        # the candidates match_phrases verifies: an English phrase needs its no-typo words
        ref_ids = [pi for pi in m._candidates(text, ref)
                   if not (m.phrases[pi].latin and m.phrases[pi].words) or m.phrases[pi].exact_stems <= ref.stems]
    got = m._tokens(text)
    assert got.ids is not None or SP is None
    assert got.words == ref.words, repr(text)
    assert got.stems == ref.stems, repr(text)
    assert m._candidates(text, got) == ref_ids, repr(text)


# what the ASCII steps look at: case, confusables, leetspeak, spaced-letter separators, sound
# spellings (oo ph z xx), whitespace of every kind, controls, apostrophes; and chat spellings
_CHARS = "aAbzZxXoOpPhHlLiIsSeE|`'0134579@$!  .-_*,+~\t\n\r\x0b\x0c\x1c\x7f\x01"
_WORDS = sorted(CHAT_ENGLISH) + ["nudes", "n00dz", "s3x", "ph0t0s", "PAY", "boozz", "xxx", "i'll",
                                  "n u d e s", "s.e.x", "p-i-c", "gift card", "ur", "u"]


def _chat_text(words: list[str], chars: str, gaps: list[str]) -> st.SearchStrategy[str]:
    """Texts of up to 12 pieces: words, runs of the characters, gaps."""
    return st.lists(st.one_of(st.sampled_from(words), st.text(alphabet=st.sampled_from(chars), min_size=1, max_size=5),
                              st.sampled_from(gaps)), max_size=12).map("".join)


_ASCII_CHAT = _chat_text(_WORDS, _CHARS, [" ", "  ", ".", "-", "\n", " . "])


@needs_native
@settings(max_examples=1500, deadline=None)
@given(_ASCII_CHAT)
def test_ascii_views_equal_the_python_steps(text: str) -> None:
    assert_same_views(text)


# and what the other steps look at: CJK confusables and homophones (with the letters around
# them), Traditional characters, every kind of space, zero-width and bidi characters, full-width
# letters, Cyrillic look-alikes, curly quotes, the separators · and •, letters whose case folds
# to more than one character
_UNI_CHARS = _CHARS + ("裸祼倮已己巳末未士土日曰入人千干于天夭拍柏账帐钱銭汇滙〇零你妳薇威徽信视屏平频扣身份证照聊体"
                       "發給說裏畀 \u3000\u00a0\u2028·•’‘´ıѕоаерсхуіＳＥＮＤ１２ÉßİΣ\u200b\ufe0f\u202e😀")
_UNI_WORDS = _WORDS + ["薇信", "v信", "V信", "vx", "wx", "zz", "zfb", "yhk", "sfz", "shi频", "身fen证", "luo照",
                       "扣扣", "视屏", "把你的照片發給你家人", "ｎｕｄｅｓ", "n·u·d·e·s", "你的 video 发给你family"]
_UNI_CHAT = _chat_text(_UNI_WORDS, _UNI_CHARS, [" ", "  ", "\u3000", "\n", " . "])


@needs_native
@settings(max_examples=1500, deadline=None)
@given(_UNI_CHAT)
def test_chinese_and_mixed_views_equal_the_python_steps(text: str) -> None:
    assert_same_views(text)


@needs_native
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_the_python_views(text: str) -> None:
    assert_same_views(text)


@needs_native
@settings(max_examples=800, deadline=None)
@given(st.one_of(_ASCII_CHAT, st.text(alphabet=st.sampled_from("ab1z'裸照 é-"), max_size=40)))
def test_tokens_equal_the_python_tokenizer(pack_matcher: matcher.Matcher, text: str) -> None:
    assert_same_tokens(pack_matcher, text)


# phrase words and text words near them: the same, another ending, one or two typos, split by OCR
_PHRASE_WORDS = ["send", "nudes", "pics", "photos", "family", "everyone", "gift", "cards", "bitcoin",
                 "screenshot", "school", "ruin", "your", "life", "pay", "now", "or", "else", "i", "will",
                 "post", "them", "verification", "immediately", "account"]


@st.composite
def _phrase_and_words(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    pws = draw(st.lists(st.sampled_from(_PHRASE_WORDS), min_size=1, max_size=4))
    words: list[str] = draw(st.lists(st.sampled_from(_PHRASE_WORDS + ["u", "the", "a", "xx", "me"]), max_size=6))
    pos = draw(st.integers(0, len(words)))
    inserted: list[str] = []
    for w in pws:
        how = draw(st.sampled_from(["same", "same", "split", "typo", "ending", "drop", "extra"]))
        if how == "split" and len(w) > 1:
            k = draw(st.integers(1, len(w) - 1))
            inserted += [w[:k], w[k:]]
        elif how == "typo":
            k = draw(st.integers(0, len(w) - 1))
            inserted.append(w[:k] + draw(st.sampled_from("aeiosz1")) + w[k + 1:])
        elif how == "ending":
            inserted.append(w + draw(st.sampled_from(["s", "es", "ed", "ing", "z", "y"])))
        elif how == "drop" and len(w) > 1:
            k = draw(st.integers(0, len(w) - 1))
            inserted.append(w[:k] + w[k + 1:])
        elif how == "extra":
            inserted += [w, draw(st.sampled_from(["u", "the", "a"]))]
        else:
            inserted.append(w)
    words[pos:pos] = inserted
    return pws, words


@needs_native
@settings(max_examples=1500, deadline=None)
@given(_phrase_and_words())
def test_phrase_word_placement_equals_the_python_one(case: tuple[list[str], list[str]]) -> None:
    pws, words = case
    toks = matcher._Tokens(" ".join(words), words, set(words))
    with python_steps():
        ref = matcher._match_words(pws, toks)
    assert matcher._match_words(pws, toks) == ref


def _corpus() -> list[str]:
    from patterns import Analyzer

    texts = [json.loads(row)["text"] for row in DEVSET.read_text(encoding="utf-8").splitlines() if row.strip()]
    pack = Analyzer.load(()).pack
    for rule in pack.rules:
        texts += [*rule.examples_match, *rule.examples_no_match]
    return texts


@needs_native
def test_dev_set_and_pack_examples_equal_the_python_steps(pack_matcher: matcher.Matcher):
    for text in _corpus():
        assert_same_views(text)
        n = normalize(text)
        for view in (n.fold.text, *(v.text for v in alt_views(n))):
            assert_same_tokens(pack_matcher, view)


@needs_native
def test_pure_python_can_be_forced():
    code = "from patterns import _native; print(_native.speedups is None)"
    out = subprocess.run([sys.executable, "-c", code], env={"CHATGUARD_PURE_PYTHON": "1", "PATH": ""},
                         capture_output=True, text=True, cwd=Path(__file__).parents[1], check=True)
    assert out.stdout.strip() == "True"


def test_a_scan_says_whether_the_native_steps_ran():
    code = ("import json, sys; from desktop.cli import main; sys.argv = ['chatguard', 'text', '--json', '-'];"
            "main()")
    for env, want in (({}, SP is not None), ({"CHATGUARD_PURE_PYTHON": "1"}, False)):
        out = subprocess.run([sys.executable, "-c", code], input="send me your nudes or else", capture_output=True,
                             text=True, env={**os.environ, **env}, cwd=Path(__file__).parents[1])
        doc = json.loads(out.stdout)
        assert doc["tool"]["native_steps"] is want
        assert doc["summary"]["risk"] != "none"  # the same findings either way
