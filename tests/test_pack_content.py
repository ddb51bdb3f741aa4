"""The built-in pattern pack and advice catalogue: they load, their own examples hold, every
category is covered, only official addresses, and risky examples survive script, width, OCR
spacing and confusable changes (issue 4's invariances)."""

from __future__ import annotations

import random
import re

import opencc
import pytest

from patterns import Analyzer, Category, Message, Speaker
from patterns.advice import OFFICIAL_HOSTS
from patterns.normalize import _CONFUSABLE_CLASSES, is_cjk


@pytest.fixture(scope="module")
def pack() -> Analyzer:
    return Analyzer.load(())


def flagged_rules(an: Analyzer, text: str) -> set[str]:
    return {f.rule for f in an.raw_findings([Message(text, Speaker.THEM)])[0]}


def test_builtin_pack_loads_and_covers_every_category(pack):
    cats = {r.category for r in pack.rules}
    assert cats == set(Category)
    assert pack.pack.version and pack.pack.id
    assert len(pack.rules) >= 50


def test_every_rule_has_examples_and_explanations(pack):
    for r in pack.rules:
        assert r.examples_match, r.id
        assert r.examples_no_match, r.id
        assert all(r.explain.get(k) for k in ("zh-Hans", "zh-Hant", "en")), r.id


def test_examples_of_the_builtin_pack(pack):
    assert pack.check_examples() == []


def test_advice_for_every_category_in_three_languages(pack):
    for cat in Category:
        for lang in ("zh-Hans", "zh-Hant", "en"):
            a = pack.advice.get(cat.value, lang)
            assert a is not None and a.title and len(a.steps) >= 3, (cat, lang)


def test_advice_only_official_addresses_and_never_says_delete(pack):
    url = re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)+(?:gov|org|com|net|cn)\b[^\s，。)）]*", re.I)
    for key in pack.advice.keys():  # noqa: SIM118 - a catalogue, not a dict
        for lang in ("zh-Hans", "zh-Hant", "en"):
            a = pack.advice.get(key, lang)
            assert a is not None
            for c in a.contacts:
                if c.url:
                    assert c.url.startswith("https://") and c.url.split("/")[2] in OFFICIAL_HOSTS
            for step in (a.title, *a.steps):
                for m in url.finditer(step):
                    host = re.sub(r"^https?://", "", m.group()).split("/")[0].lower().rstrip(".;,:!?")
                    assert host in OFFICIAL_HOSTS, f"{key}/{lang}: unofficial address {m.group()!r}"
                low = step.lower()
                # "delete" may only appear as "do not delete" / "never delete"
                for w in ("delete", "删除", "刪除", "删掉", "刪掉"):
                    for m in re.finditer(w, low):
                        before = low[max(0, m.start() - 12):m.start()]
                        assert any(n in before for n in ("not", "never", "n't", "不要", "别", "別", "勿", "不")), \
                            f"{key}/{lang} advises deleting: {step}"


# ------------------------------------------------------------------ invariances

_S2T = opencc.OpenCC("s2t")
_CONF = {c: cls for cls in _CONFUSABLE_CLASSES for c in cls}


def _risky_examples(an: Analyzer, cjk: bool) -> list[tuple[str, str]]:
    out = []
    for r in an.rules:
        for ex in r.examples_match:
            if r.requires and r.requires.scope == "conversation":
                continue
            if cjk == any(is_cjk(c) for c in ex):
                out.append((r.id, ex))
    return out


def _full_width(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in s)


def _ocr_spaces(s: str) -> str:
    """Tesseract's habit: a space between every two CJK characters."""
    out = []
    for i, c in enumerate(s):
        out.append(c)
        if i + 1 < len(s) and is_cjk(c) and is_cjk(s[i + 1]):
            out.append(" ")
    return "".join(out)


def _swap_confusable(s: str, rng: random.Random) -> str | None:
    spots = [i for i, c in enumerate(s) if c in _CONF]
    if not spots:
        return None
    i = rng.choice(spots)
    others = [c for c in _CONF[s[i]] if c != s[i]]
    return s[:i] + rng.choice(others) + s[i + 1:]


def test_chinese_examples_survive_script_width_spacing_and_confusables(pack):
    rng = random.Random(7)
    failures = []
    for rid, ex in _risky_examples(pack, cjk=True):
        variants = {"traditional": _S2T.convert(ex), "full-width": _full_width(ex), "ocr-spaces": _ocr_spaces(ex)}
        swapped = _swap_confusable(ex, rng)
        if swapped:
            variants["confusable"] = swapped
        for name, v in variants.items():
            if rid not in flagged_rules(pack, v):
                failures.append(f"{rid} [{name}]: {v}")
    assert failures == []


def test_english_examples_survive_width_and_case(pack):
    failures = []
    for rid, ex in _risky_examples(pack, cjk=False):
        for name, v in {"full-width": _full_width(ex), "upper": ex.upper()}.items():
            if rid not in flagged_rules(pack, v):
                failures.append(f"{rid} [{name}]: {v}")
    assert failures == []


# ------------------------------------------------------------------ the regex gate is exact

def test_regex_gate_never_skips_a_regex_that_matches(pack):
    """Every regex that matches a text is among the gate's candidates (examples of the whole
    pack, mixed and cut, so texts hit many regexes in odd places)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from patterns.normalize import normalize

    m = pack.matcher
    examples = [normalize(ex).plain.text for r in pack.rules for ex in r.examples_match]

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.sampled_from(examples), min_size=1, max_size=3), st.integers(0, 40), st.text(max_size=8))
    def check(parts, cut, noise):
        text = (noise.join(parts))[cut:]
        gate = m._gate.candidates(text)
        for k, (_ri, rx, _nd) in enumerate(m._rx_flat):
            if rx.search(text):
                assert k in gate, rx.pattern

    check()
