"""Pack loading (schema, errors with file and line), the matcher and its invariances."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns import Analyzer, Category, Message, PackError, Speaker, load_pack, load_packs
from patterns.matcher import Matcher, allowed_edits

from .conftest import FIXTURES

PACKS = FIXTURES / "packs"


def findings(an: Analyzer, text: str, speaker: Speaker = Speaker.THEM) -> set[str]:
    return {f.rule for f in an.raw_findings([Message(text, speaker)])[0]}


def test_good_pack_loads_with_metadata():
    pack = load_pack(PACKS / "good")
    assert pack.id == "test-pack" and pack.version == "t1"
    assert {r.category for r in pack.rules} >= {Category.SEXTORTION, Category.PERSONAL_INFO}


def test_yaml_syntax_error_names_file_and_line():
    with pytest.raises(PackError) as ei:
        load_pack(PACKS / "broken_yaml")
    assert ei.value.file.endswith("a.yaml")
    assert ei.value.line is not None and ei.value.line >= 5
    assert "YAML" in str(ei.value)


def test_a_repeated_key_is_an_error_not_a_silent_overwrite(tmp_path):
    # YAML lets the second `suppress:` replace the first; a pack author would lose a list
    (tmp_path / "a.yaml").write_text(
        "rules:\n"
        "  - id: threat.twice\n"
        "    category: threat\n"
        "    severity: high\n"
        "    phrases: [burn your house]\n"
        "    suppress: [movie]\n"
        "    suppress: [game]\n"
        "    explain: {en: x, zh-Hans: x, zh-Hant: x}\n", encoding="utf-8")
    with pytest.raises(PackError, match="duplicate key 'suppress'") as ei:
        load_pack(tmp_path)
    assert ei.value.line == 7


def test_bad_field_names_rule_and_line():
    with pytest.raises(PackError) as ei:
        load_pack(PACKS / "bad_field")
    assert ei.value.line == 7
    assert "threat.bad" in str(ei.value) and "severity" in str(ei.value)


def test_catastrophic_regex_rejected_at_load():
    with pytest.raises(PackError, match="backtrack catastrophically"):
        load_pack(PACKS / "evil_regex")


def test_broken_user_pack_is_skipped_and_builtin_still_works():
    pack, problems = load_packs(PACKS / "good", (PACKS / "bad_field", PACKS / "does-not-exist"))
    assert len(problems) == 1 and "threat.bad" in str(problems[0])
    assert any(r.id == "sextortion.send-family" for r in pack.rules)
    assert not any(r.id == "threat.ok" for r in pack.rules)


def test_user_rule_loads_after_builtin(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "rules:\n  - id: threat.family-name\n    category: threat\n    severity: high\n"
        "    phrases: [小明你完了]\n    explain: {zh-Hans: a, zh-Hant: b, en: c}\n", encoding="utf-8")
    an = Analyzer.load((tmp_path,), builtin=PACKS / "good", advice_dir=FIXTURES / "advice")
    assert "threat.family-name" in findings(an, "小明你完了")
    assert "sextortion.send-family" in findings(an, "我就把你的照片发给你家人")


def test_examples_of_the_fixture_pack(test_analyzer):
    assert test_analyzer.check_examples() == []


@pytest.mark.parametrize("text", [
    "不转钱我就把你的照片發給你家人",  # Traditional
    "不转钱我就把你的照片发给你家人",  # Simplified
    "不转钱我就把 你 的 照 片 发 给 你 家 人",  # OCR spaces
    "不转钱我就把你的照片发给你家入",  # OCR confusable 人/入
    "不转钱我就把你的照片发给伱家人",  # one wrong character (fuzzy)
    "ＳＥＮＤ ＹＯＵＲ ＮＵＤＥＳ ＴＯ ＹＯＵＲ ＦＡＭＩＬＹ",  # full width
    "i will send your nudez to your famly",  # typos
])
def test_sextortion_variants(test_analyzer, text):
    assert "sextortion.send-family" in findings(test_analyzer, text)


@pytest.mark.parametrize("text", ["send n00dz", "send me n u d e s", "s e n d nudes", "send n.u.d.e.s", "发几张你不穿\n衣服的照片", "祼照"])
def test_obfuscated_requests(test_analyzer, text):
    assert "explicit_request.nudes" in findings(test_analyzer, text)


@pytest.mark.parametrize("text", ["Sussex nudist beach news", "我把旅行照片发给你了", "my sister sends her love"])
def test_no_false_hits(test_analyzer, text):
    assert findings(test_analyzer, text) == set()


def test_sender_condition_user_quote_is_not_a_threat(test_analyzer):
    assert findings(test_analyzer, "他说不然我就发出去", Speaker.ME) == set()
    assert "threat.post" in findings(test_analyzer, "不然我就发出去", Speaker.THEM)


def test_suppressing_context(test_analyzer):
    assert findings(test_analyzer, "警惕！骗子会说把你的照片发给你家人") == set()


def test_conversation_scope_requirement(test_analyzer):
    alone = test_analyzer.raw_findings([Message("你在哪个学校", Speaker.THEM)])
    assert alone == [[]]
    with_photo = test_analyzer.raw_findings([Message("发张照片", Speaker.THEM), Message("你在哪个学校", Speaker.THEM)])
    assert [f.rule for f in with_photo[1]] == ["location.school"]


def test_shapes_ssn_and_gift_card(test_analyzer):
    assert "personal_info.ssn" in findings(test_analyzer, "my ssn is 123-45-6789")
    assert "money_demand.transfer" in findings(test_analyzer, "buy 5 steam gift cards now")


def test_span_points_at_original_text(test_analyzer):
    text = "好啊 不转钱我就把你的照片發給你家人!!"
    f = test_analyzer.raw_findings([Message(text, Speaker.THEM)])[0][0]
    assert text[f.span[0]:f.span[1]] == "把你的照片發給你家人"


def test_allowed_edits_by_length_and_script():
    assert allowed_edits("裸照") == 0
    assert allowed_edits("不穿衣服的照片") == 1
    assert allowed_edits("nude") == 0
    assert allowed_edits("send your nudes to your family") == 2  # nudes, family: one typo each


@pytest.mark.parametrize("text", [
    "I'll call you after work",  # not "i'll kill you": short words must be the same word
    "how old is your son now?",  # not "your ssn"
    "can you send me the notes from class?",
    "拍个照给我看看你新剪的头发",  # 个 is not 裸: short Chinese phrases match exactly
])
def test_near_misses_are_not_matches(tmp_path, text):
    (tmp_path / "r.yaml").write_text(
        "rules:\n  - id: threat.kill\n    category: threat\n    severity: critical\n"
        "    phrases: [i'll kill you, your ssn, send me the codes, 拍裸照给我]\n"
        "    explain: {zh-Hans: a, zh-Hant: b, en: c}\n", encoding="utf-8")
    an = Analyzer.load((), builtin=tmp_path, advice_dir=FIXTURES / "advice")
    assert findings(an, text) == set()
    assert findings(an, "ill kill you") == {"threat.kill"}  # apostrophe dropped
    assert findings(an, "I'll KILL you") == {"threat.kill"}


def test_ocr_split_words_are_joined(test_analyzer):
    assert "explicit_request.nudes" in findings(test_analyzer, "se nd nu des")


# ------------------------------------------------------------------ index == brute force

_PIECES = ["把你的照片发给你家人", "不穿衣服的照片", "send nudes", "转账给我", "how old are you", "你今年几岁",
           "hello", "吃饭了吗", "nudez", "照片", "家人", " ", "\n", "steam gift card", "123-45-6789", "😏", "發給"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=6), max_size=8))
def test_index_finds_exactly_what_brute_force_finds(pieces):
    from patterns.normalize import normalize

    pack = load_pack(PACKS / "good")
    fast, slow = Matcher(pack.rules), Matcher(pack.rules, use_index=False)
    n = normalize("".join(pieces))
    assert fast.hits(n) == slow.hits(n)


def test_long_line_matches_in_windows_and_finishes(test_analyzer):
    text = "闲聊" * 30_000 + "把你的照片发给你家人" + "x" * 50_000
    t0 = time.perf_counter()
    got = test_analyzer.raw_findings([Message(text, Speaker.THEM)])[0]
    assert time.perf_counter() - t0 < 20
    f = next(f for f in got if f.rule == "sextortion.send-family")
    assert text[f.span[0]:f.span[1]] == "把你的照片发给你家人"


# ------------------------------------------------------------------ the regex gate's conditions

@pytest.mark.parametrize(("pattern", "digits"), [
    (r"(?<!\d)\d{3}[- ]?\d{2}[- ]?\d{4}(?!\d)", 9),
    (r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)", 13),
    (r"1[3-9]\d{9}", 11),
    (r"\d{3}-\d{4}|ssn\D{0,9}\d{4}", 4),  # an alternation needs its cheapest branch
    (r"[^\d]{3}\d?", 0),  # optional and negated digits need nothing
    (r"(?:usd|\$)\s?\d+", 1),
])
def test_min_digits_counts_what_every_match_contains(pattern, digits):
    import re

    from patterns.regex_gate import count_digits, min_digits

    rx = re.compile(pattern)
    assert min_digits(rx) == digits
    # and it is a necessary condition: a match never has fewer digits (full-width ones too)
    for text in ["call 555-123-4567", "ssn ends 1234", "card 4111 1111 1111 1111", "13812345678",
                 "usd 5", "１２３-４５-６７８９", "abc"]:
        m = rx.search(text)
        if m:
            assert count_digits(m.group()) >= digits


def test_gate_requirements_are_all_needed():
    import re

    from patterns.regex_gate import RegexGate, required_sets

    rx = re.compile(r"\b(?:send|show) (?:me )?(?:your|ur) (?:pics|photos)\b")
    reqs = required_sets(rx)
    assert reqs is not None and len(reqs) >= 3
    for text in ["send me your pics", "show ur photos", "send your photos"]:
        m = rx.search(text)
        assert m is not None
        assert all(any(lit in m.group() for lit in req) for req in reqs)
    gate = RegexGate([rx])
    assert gate.candidates("send me your pics") == [0]
    assert gate.candidates("show ur photos") == [0]
    assert gate.candidates("send me the address") == []  # one requirement is missing
    assert gate.candidates("your photos are lovely") == []


_BUILTIN = Analyzer.load(())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([ex for r in _BUILTIN.rules for ex in r.examples_match][:400])
                | st.text(max_size=5), min_size=1, max_size=3), st.integers(0, 12))
def test_builtin_pack_index_finds_what_brute_force_finds(parts, cut):
    """The whole built-in pack: candidate indexes, word cache and regex gate change nothing."""
    from patterns.normalize import normalize

    n = normalize(" ".join(parts)[cut:])
    assert _BUILTIN.matcher.hits(n) == _slow_matcher().hits(n)


_SLOW: list[Matcher] = []


def _slow_matcher() -> Matcher:
    if not _SLOW:
        _SLOW.append(Matcher(_BUILTIN.rules, use_index=False))
    return _SLOW[0]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_batch_on_several_cores_gives_the_findings_of_one_by_one(test_analyzer, monkeypatch, method):
    """raw_findings_many through real worker processes (both start methods) returns exactly
    what raw_findings returns conversation by conversation, in order."""
    import multiprocessing

    from patterns import parallel

    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context(method))
    texts = [ex for r in test_analyzer.rules for ex in (*r.examples_match, *r.examples_no_match)]
    convs = [[Message(t, Speaker.THEM), Message(texts[(i * 7) % len(texts)], Speaker.ME)]
             for i, t in enumerate(texts * 3)]
    want = [test_analyzer.raw_findings(c) for c in convs]
    got = parallel.raw_findings_many(test_analyzer, convs, workers=2, min_messages=10)
    assert got == want
    assert any(f for conv in got for msg in conv for f in msg)  # not trivially empty


def test_regex_written_in_traditional_matches_both_scripts(tmp_path):
    """Regexes run on the Simplified view; one written with Traditional (or Cantonese)
    characters is converted at load, so it is not silently dead."""
    (tmp_path / "r.yaml").write_text(
        "rules:\n  - id: location.find-you\n    category: location\n    severity: medium\n"
        "    regexes: ['(?:搵|嚟)(?:你|妳)屋企', '你[喺係]邊間學校']\n"
        "    explain: {zh-Hans: a, zh-Hant: b, en: c}\n", encoding="utf-8")
    an = Analyzer.load((), builtin=tmp_path, advice_dir=FIXTURES / "advice")
    for text in ["我今晚嚟你屋企", "我会搵妳屋企", "你喺邊間學校讀書", "你系边间学校"]:
        assert findings(an, text) == {"location.find-you"}, text
    assert findings(an, "你屋企好靚") == set()


def test_requires_with_several_groups_needs_every_group(tmp_path):
    """``requires`` as a list: each group must be met (in its own scope), e.g. a contact word
    AND a school or family word for "I have your teacher's WeChat"."""
    (tmp_path / "r.yaml").write_text(
        "rules:\n  - id: sextortion.has-your-contacts\n    category: sextortion\n    severity: high\n"
        "    regexes: ['我(?:都|全)?有']\n"
        "    requires:\n"
        "      - {scope: message, any: [微信, 电话, wechat, 联系方式]}\n"
        "      - {scope: message, any: [班主任, 老师, 你爸, 你妈, 家人]}\n"
        "      - {scope: conversation, any: [照片, 视频, 转账]}\n"
        "    explain: {zh-Hans: a, zh-Hant: b, en: c}\n", encoding="utf-8")
    an = Analyzer.load((), builtin=tmp_path, advice_dir=FIXTURES / "advice")

    def conv(*texts: str) -> set[str]:
        out = an.assess([Message(t, Speaker.THEM) for t in texts])
        return {f.rule for mf in out.messages for f in mf.findings}

    assert conv("你的照片在我这", "你班主任和你爸的微信我都有") == {"sextortion.has-your-contacts"}
    assert conv("你的照片在我这", "你班主任的电話我有") == {"sextortion.has-your-contacts"}  # Traditional term
    assert conv("你的照片在我这", "你班主任我有印象") == set()  # no contact word
    assert conv("你的照片在我这", "你的微信我有") == set()  # no school or family word
    assert conv("周末去吃饭", "你班主任和你爸的微信我都有") == set()  # nothing in the conversation
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "r.yaml").write_text(
        "rules:\n  - id: threat.x\n    category: threat\n    severity: high\n    phrases: [abc def]\n"
        "    requires:\n      - {scope: message, any: [x]}\n      - {scope: everywhere, any: [y]}\n"
        "    explain: {zh-Hans: a, zh-Hant: b, en: c}\n", encoding="utf-8")
    with pytest.raises(PackError, match=r"requires\[1\]\.scope"):
        Analyzer.load((), builtin=bad, advice_dir=FIXTURES / "advice")


def test_english_regex_word_boundaries_work_inside_chinese_text(tmp_path):
    """Python's \\b counts CJK characters as word characters; an all-ASCII pack regex runs in
    ASCII mode so that 'come over' is found in 你come over我家."""
    (tmp_path / "r.yaml").write_text(
        "rules:\n  - id: meeting.come-over\n    category: meeting\n    severity: medium\n"
        "    regexes: ['\\bcome over\\b', '我家\\w*tonight']\n"
        "    explain: {zh-Hans: a, zh-Hant: b, en: c}\n", encoding="utf-8")
    an = Analyzer.load((), builtin=tmp_path, advice_dir=FIXTURES / "advice")
    assert findings(an, "你come over我家") == {"meeting.come-over"}
    assert findings(an, "come over tonight") == {"meeting.come-over"}
    assert findings(an, "welcome overseas") == set()
    assert findings(an, "我家今晚tonight") == {"meeting.come-over"}  # a regex with CJK keeps Unicode \w


def test_inline_case_insensitive_regex_is_not_gated_on_its_literal_case(tmp_path):
    """Regexes compile when first run; the gate reads their flags without compiling them, so an
    inline (?i) must be seen, or 'GIFT' would be required in text that is lower-cased."""
    (tmp_path / "r.yaml").write_text(
        "rules:\n  - id: money_demand.gift\n    category: money_demand\n    severity: high\n"
        "    regexes: ['(?i)GIFT CARDS? NOW']\n"
        "    explain: {zh-Hans: a, zh-Hant: b, en: c}\n", encoding="utf-8")
    an = Analyzer.load((), builtin=tmp_path, advice_dir=FIXTURES / "advice")
    assert findings(an, "buy gift cards now") == {"money_demand.gift"}


def test_gate_splits_alternatives_so_a_weak_branch_does_not_run_the_regex():
    """An alternation with a weak alternative (a one- or two-letter word) is opened, and each
    alternative has its own requirements: text that has pieces of different alternatives does
    not run the regex; every real match still does."""
    import re

    from patterns.regex_gate import RegexGate

    rx = re.compile(r"\$\d{3,}|(?:post|share) (?:your|ur) (?:pics|video)")
    gate = RegexGate([rx])
    for text in ["pay $500", "i will post your video", "share ur pics lol"]:
        assert rx.search(text) and gate.candidates(text) == [0], text
    assert gate.candidates("send me the video when you can") == []  # "$" and "post" both absent
    assert gate.candidates("post the video") == []  # one requirement of the second is missing
    assert gate.candidates("it costs $20") == []  # "$" is there, but not three digits
    # an alternative with no literal still runs when the text has the digits it needs
    rx2 = re.compile(r"ssn\D{0,5}\d{4}|\d{3}-\d{2}-\d{4}")
    gate2 = RegexGate([rx2])
    assert gate2.candidates("it is 123-45-6789") == [0]
    assert gate2.candidates("call me at 5pm") == []


def test_regexes_and_shapes_also_see_leetspeak_and_spaced_letters():
    """Regexes are written with real letters: a message in leetspeak or spaced letters is
    also matched with those undone, and the finding points at what the user wrote."""
    from patterns.normalize import normalize

    pack = load_pack(PACKS / "good")
    for text, shown in [("buy me a st3am g1ft c4rd now", "st3am g1ft c4rd"),
                        ("get a s t e a m card", "s t e a m card")]:
        for m in (Matcher(pack.rules), Matcher(pack.rules, use_index=False)):
            hits = m.hits(normalize(text))
            ri = next(i for i, r in enumerate(m.rules) if r.id == "money_demand.transfer")
            assert ri in hits, text
            s, e = hits[ri].span
            assert text[s:e].startswith(shown), text[s:e]
    # numbers stay numbers: a time or an amount is not read as letters
    m = Matcher(pack.rules)
    assert m.hits(normalize("see you at 5pm on 1st street")) == {}


def test_short_latin_required_terms_are_whole_words():
    from patterns.matcher import _term_regex
    from patterns.normalize import normalize

    rx = _term_regex(["us", "pic", "photo"])
    assert rx is not None

    def has(text: str) -> bool:  # terms are looked for in the fold view, as the analyzer does
        return rx.search(normalize(text).fold.text) is not None

    assert has("send it to us") and has("pics please") and has("photograph")
    assert not has("use the bus") and not has("topic") and not has("picnic")


def test_builtin_pack_passes_every_load_check():
    """The app loads its own pack without the regex safety walks (start-up time): here the
    built-in pack is loaded as a user pack would be, every check on."""
    from patterns.pack import BUILTIN_DIR

    pack = load_pack(BUILTIN_DIR)  # raises PackError on any unsafe or invalid regex
    assert len(pack.rules) > 100


# ------------------------------------------------------------------ context rules (issue #5)

_CONTEXT_PACK = (
    "rules:\n"
    "  - id: sextortion.have-photos\n    category: sextortion\n    severity: critical\n    sender: them\n"
    "    phrases: [我有你的裸照]\n"
    "    explain: {zh-Hans: a, zh-Hant: b, en: c}\n"
    "  - id: money_demand.transfer\n    category: money_demand\n    severity: high\n    sender: them\n"
    "    phrases: [转我500]\n"
    "    explain: {zh-Hans: a, zh-Hant: b, en: c}\n"
    "  - id: sextortion.chase\n    category: sextortion\n    severity: high\n    sender: them\n"
    "    regexes: ['转了吗', 'still waiting']\n"
    "    requires: {scope: conversation, found: [sextortion]}\n"
    "    explain: {zh-Hans: a, zh-Hant: b, en: c}\n"
    "    examples:\n"
    "      match: [我有你的裸照 转了吗]\n"
    "      no_match: [转了吗]\n"
    "      in_context:\n"
    "        match: [['them: 我有你的裸照', 'me: 不要', 'them: 转了吗']]\n"
    "        no_match: [['them: 我有你的裸照', 'me: 转了吗'], ['them: 转我500', 'them: 转了吗']]\n"
    "  - id: money_demand.chase-after-chase\n    category: money_demand\n    severity: high\n    sender: them\n"
    "    regexes: ['快点']\n"
    "    requires: {scope: conversation, found: [sextortion.chase, money_demand.transfer]}\n"
    "    explain: {zh-Hans: a, zh-Hant: b, en: c}\n"
    "  - id: money_demand.card-chase\n    category: money_demand\n    severity: high\n    sender: them\n"
    "    regexes: ['发过来']\n"
    "    requires: {scope: conversation, sender: them, any: [礼品卡, gift card]}\n"
    "    explain: {zh-Hans: a, zh-Hant: b, en: c}\n"
)


@pytest.fixture()
def context_an(tmp_path) -> Analyzer:
    (tmp_path / "c.yaml").write_text(_CONTEXT_PACK, encoding="utf-8")
    return Analyzer.load((), builtin=tmp_path, advice_dir=FIXTURES / "advice")


def _per_line(an: Analyzer, *lines: tuple[str, str]) -> list[set[str]]:
    return [{f.rule for f in fs} for fs in an.raw_findings([Message(t, Speaker(w)) for w, t in lines])]


def test_found_requirement_needs_another_rules_finding_on_their_lines(context_an):
    assert _per_line(context_an, ("them", "我有你的裸照"), ("me", "不要"), ("them", "转了吗"), ("them", "still waiting")) \
        == [{"sextortion.have-photos"}, set(), {"sextortion.chase"}, {"sextortion.chase"}]
    # the evidence may come later in the chat (screenshots in any order)
    assert _per_line(context_an, ("them", "转了吗"), ("them", "我有你的裸照"))[0] == {"sextortion.chase"}
    # alone, or in a chat without that scheme: nothing
    assert _per_line(context_an, ("them", "转了吗")) == [set()]
    assert _per_line(context_an, ("them", "转我500"), ("them", "转了吗")) == [{"money_demand.transfer"}, set()]
    # the user's own line never counts as the evidence, and never triggers (sender: them)
    assert _per_line(context_an, ("me", "我有你的裸照"), ("them", "转了吗"))[1] == set()
    assert _per_line(context_an, ("them", "我有你的裸照"), ("me", "转了吗"))[1] == set()
    # unknown speaker counts as the other party, as for a rule's own sender
    assert _per_line(context_an, ("unknown", "我有你的裸照"), ("them", "转了吗"))[1] == {"sextortion.chase"}


def test_a_context_rule_never_vouches_for_another(context_an):
    """found: [sextortion.chase] is a context rule's id: its finding is no evidence, so weak cues
    cannot prop each other up; a strong rule's id (money_demand.transfer) is."""
    assert _per_line(context_an, ("them", "我有你的裸照"), ("them", "转了吗"), ("them", "快点"))[2] == set()
    assert _per_line(context_an, ("them", "转我500"), ("them", "快点"))[1] == {"money_demand.chase-after-chase"}


def test_conversation_terms_by_sender(context_an):
    assert _per_line(context_an, ("them", "买三张礼品卡"), ("them", "发过来"))[1] == {"money_demand.card-chase"}
    assert _per_line(context_an, ("me", "我买了礼品卡给我弟"), ("them", "发过来"))[1] == set()


def test_in_context_examples_are_checked(context_an, tmp_path):
    assert context_an.check_examples() == []
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    (wrong / "c.yaml").write_text(_CONTEXT_PACK.replace("no_match: [['them: 我有你的裸照', 'me: 转了吗']",
                                                        "no_match: [['them: 我有你的裸照', 'them: 转了吗']"),
                                  encoding="utf-8")
    an = Analyzer.load((), builtin=wrong, advice_dir=FIXTURES / "advice")
    assert [f for f in an.check_examples() if "should NOT match the last line of" in f] != []


@pytest.mark.parametrize(("req", "error"), [
    ("{scope: message, found: [sextortion]}", "need scope: conversation"),
    ("{scope: conversation, sender: nobody, any: [x]}", "sender 'nobody'"),
    ("{scope: conversation, found: [Not A Rule]}", "neither a category nor a rule id"),
    ("{scope: conversation, found: []}", "any is empty"),
    ("{scope: conversation, any: [x], from: them}", "unknown field"),
])
def test_context_requirement_errors(tmp_path, req, error):
    (tmp_path / "r.yaml").write_text(
        "rules:\n  - id: threat.x\n    category: threat\n    severity: high\n    phrases: [abc def]\n"
        f"    requires: {req}\n    explain: {{zh-Hans: a, zh-Hant: b, en: c}}\n", encoding="utf-8")
    with pytest.raises(PackError, match=error):
        load_pack(tmp_path)


def test_in_context_example_lines_need_a_speaker(tmp_path):
    (tmp_path / "r.yaml").write_text(
        "rules:\n  - id: threat.x\n    category: threat\n    severity: high\n    phrases: [abc def]\n"
        "    explain: {zh-Hans: a, zh-Hant: b, en: c}\n"
        "    examples: {in_context: {match: [['abc def']]}}\n", encoding="utf-8")
    with pytest.raises(PackError, match="must start with 'them:'"):
        load_pack(tmp_path)


def test_found_before_counts_only_earlier_findings(tmp_path):
    """A context rule with ``found_before`` needs the scheme shown on an EARLIER line: "video
    call tonight?" after a sextortion threat continues it; the same words as small talk before
    it are not flagged. Without the flag the evidence may come later (screenshots in any order)."""
    pack = (
        "rules:\n"
        "  - id: sextortion.have-photos\n    category: sextortion\n    severity: critical\n    sender: them\n"
        "    phrases: [我有你的裸照]\n    explain: {zh-Hans: a, zh-Hant: b, en: c}\n"
        "  - id: sextortion.after-call\n    category: sextortion\n    severity: high\n    sender: them\n"
        "    regexes: ['video call']\n"
        "    requires: {scope: conversation, found: [sextortion], found_before: true}\n"
        "    explain: {zh-Hans: a, zh-Hant: b, en: c}\n"
        "  - id: sextortion.any-order\n    category: sextortion\n    severity: high\n    sender: them\n"
        "    regexes: ['转了吗']\n"
        "    requires: {scope: conversation, found: [sextortion]}\n"
        "    explain: {zh-Hans: a, zh-Hant: b, en: c}\n")
    (tmp_path / "c.yaml").write_text(pack, encoding="utf-8")
    an = Analyzer.load((), builtin=tmp_path, advice_dir=FIXTURES / "advice")
    assert _per_line(an, ("them", "video call tonight?"), ("them", "我有你的裸照"), ("them", "video call again?")) \
        == [set(), {"sextortion.have-photos"}, {"sextortion.after-call"}]
    assert _per_line(an, ("them", "转了吗"), ("them", "我有你的裸照"))[0] == {"sextortion.any-order"}
    (tmp_path / "c.yaml").write_text(pack.replace("found_before: true", "found_before: yes please"), encoding="utf-8")
    with pytest.raises(PackError, match="found_before must be true or false"):
        load_pack(tmp_path)


def _alternation(terms: list[str]) -> str:
    """The term regex written plainly, one alternative per term (what _term_regex's trie must
    equal)."""
    import re

    from patterns.matcher import _has_cjk
    from patterns.normalize import normalize_term

    parts = []
    for t in {normalize_term(t) for t in terms if normalize_term(t)}:
        esc = re.escape(t)
        if _has_cjk(t[0]):
            parts.append(esc)
        elif len(t) <= 3 and t[-1].isalpha():
            parts.append(rf"(?<![a-z]){esc}(?:s|z)?(?![a-z])")
        else:
            parts.append(rf"(?<![a-z]){esc}")
    return "|".join(parts)


@settings(max_examples=300, deadline=None)
@given(terms=st.lists(st.text(alphabet="abcs 照片你", min_size=1, max_size=5), min_size=1, max_size=8),
       text=st.text(alphabet="abcs 照片你x", max_size=16))
def test_term_regex_trie_matches_where_the_plain_alternation_does(terms, text):
    import re

    from patterns.matcher import _term_regex

    rx = _term_regex(terms)
    plain = _alternation(terms)
    if rx is None:
        assert plain == ""
        return
    assert (rx.search(text) is not None) == (re.search(plain, text) is not None), (terms, text, rx.pattern)


@pytest.mark.parametrize("text", ["💰💰💰", "send 💰💰💰 now", "给我💰💰💰", "!!!???", "你好!!!???"])
def test_a_phrase_without_words_is_found_in_any_text(tmp_path, text):
    """A phrase of emoji or punctuation has no word to index: it is looked for in every text,
    one with no English word included (it was missed there: the index and brute force
    disagreed)."""
    from patterns.normalize import normalize

    (tmp_path / "r.yaml").write_text(
        'rules:\n  - id: money_demand.emoji\n    category: money_demand\n    severity: medium\n'
        '    phrases: ["💰💰💰", "!!!???"]\n    explain: {zh-Hans: a, zh-Hant: b, en: c}\n', encoding="utf-8")
    rules = load_pack(tmp_path).rules
    n = normalize(text)
    assert Matcher(rules).hits(n).keys() == Matcher(rules, use_index=False).hits(n).keys() == {0}
