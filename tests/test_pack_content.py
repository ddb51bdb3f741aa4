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


# ------------------------------------------------------------------ grooming, meeting, location,
# impersonation, investment_scam: wording the rules were not written from, and hard negatives

_B_CATS = {"grooming", "meeting", "location", "impersonation", "investment_scam"}


def _b_categories(an: Analyzer, text: str) -> set[str]:
    return {f.category.value for f in an.raw_findings([Message(text, Speaker.THEM)])[0]}


@pytest.mark.parametrize(("text", "category"), [
    ("妳今年讀國中還是高中啊？", "grooming"),
    ("你爸妈是不是经常骂你？我就不会这样对你", "grooming"),
    ("叔叔幫你充Q幣，你要乖乖聽話", "grooming"),
    ("our chats are just for us, your mom would freak out and not get it", "grooming"),
    ("我们的chat别给你mom看到哦", "grooming"),
    ("今晚来我家，我爸妈出差了不在", "meeting"),
    ("i'm staying at the holiday inn downtown, come by after 9", "meeting"),
    ("星期五晚去我那裡過夜好不好？", "meeting"),
    ("你而家喺邊？傳個定位嚟啦", "location"),
    ("what apartment complex are you in?", "location"),
    ("你的 address 发我一下，我想寄东西给你", "location"),
    ("這裡是移民署，你的居留身份有問題，請立即處理", "impersonation"),
    ("你好，我係匯豐銀行客戶服務部，你張卡有可疑交易，需要核實身份", "impersonation"),
    ("Your Apple ID has been locked due to suspicious activity, verify now at appleid-secure-check.com", "impersonation"),
    ("叔叔，我是小杰，换了新微信，我妈让我找你借点钱", "impersonation"),
    ("這個比特幣量化機器人每天自動賺2%", "investment_scam"),
    ("To release your profits you must first pay the 10% service fee", "investment_scam"),
    ("提现失败是因为你的账户信用分不够，补缴保证金就可以", "investment_scam"),
    ("跟着我们的 coach 做 crypto，一个月翻倍", "investment_scam"),
])
def test_b_unseen_wording_is_flagged_with_its_category(pack, text, category):
    assert category in _b_categories(pack, text)


@pytest.mark.parametrize("text", [
    # relatives and family plans
    "你今年几岁了？阿姨好久没见你了，长这么高了",
    "别告诉妈妈我考试没考好，我下次一定努力",
    "過嚟我屋企食飯啦，我媽煲咗湯",
    "Mom and I are at the hotel, come by the pool when you land",
    "My uncle works at Goldman, he's coming for Thanksgiving",
    # friends, teachers, work
    "我到你家楼下了，下来吧，我们一起去超市",
    "各位家長，下星期三舉行家長日，請預約見面時間",
    "add me on snap, my insta got hacked lol",
    "找个安静的地方学习吧，图书馆三楼",
    # parents asking where a child is, couriers, directions
    "孩子几点放学？我下午去接",
    "Hi this is your DoorDash driver, which building are you in?",
    "I'm lost, can you drop me a pin of the campsite?",
    "要不要开个共享位置，我怕你找不到餐厅",
    # genuine notices, news, victims asking for help
    "公安部提醒：警察不会通过电话要求转账到安全账户",
    "刚收到一个冒充客服的电话，说要给我退款，我没理",
    "我刚接到一个自称领事馆的电话，说我有文件没领，这是骗子吧？",
    "稳赚不赔这种话都是骗子说的，千万别信",
    "this crypto bro at work keeps saying guaranteed returns lmao",
    "my savings account pays 4% a year, not bad",
])
def test_b_hard_negatives_stay_clean(pack, text):
    assert not (_b_categories(pack, text) & _B_CATS)


def test_b_regexes_are_written_in_simplified(pack):
    """Messages are converted to Simplified before regexes run, so a Traditional-only character
    in a regex (搵, 係, 嗰) can never match."""
    t2s = opencc.OpenCC("t2s")
    bad = [f"{r.id}: {rx.pattern}" for r in pack.rules if r.category.value in _B_CATS
           for rx in r.regexes if t2s.convert(rx.pattern) != rx.pattern]
    assert bad == []
