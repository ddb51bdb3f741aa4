"""Normalisation: each step alone, and the offset map back to the original text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from patterns.normalize import (
    Norm,
    collapse_spaced_letters,
    drop_invisible,
    fold_cjk_confusables,
    fold_confusables,
    fold_leet,
    fold_width,
    normalize,
    squeeze_spaces,
    to_simplified,
)


def test_width_folding_maps_full_width_letters():
    n = fold_width(Norm.of("ＳＥＮＤ１２"))
    assert n.text == "SEND12"
    assert n.index == (0, 1, 2, 3, 4, 5)


def test_traditional_becomes_simplified_one_to_one():
    n = to_simplified(Norm.of("把你的照片發給你家人，說"))
    assert n.text == "把你的照片发给你家人，说"
    assert len(n.index) == len("把你的照片發給你家人，說")


def test_spaces_between_cjk_removed_but_kept_between_words():
    n = squeeze_spaces(Norm.of("裸 照  send   nudes\n给我"))
    assert n.text == "裸照send nudes给我"
    # "s" of "send" still points at its source position
    assert n.index[2] == 5


def test_invisible_characters_dropped():
    n = drop_invisible(Norm.of("n\u200bu\u200dd\u202ee\ufe0fs"))
    assert n.text == "nudes"
    assert n.index == (0, 2, 4, 6, 8)


def test_confusables_fold_both_ways():
    assert fold_cjk_confusables(Norm.of("祼照")).text == fold_cjk_confusables(Norm.of("裸照")).text
    assert fold_cjk_confusables(Norm.of("自己")).text == fold_cjk_confusables(Norm.of("自已")).text
    assert fold_confusables(Norm.of("I’ll")).text == "I'ii"


def test_leet_only_inside_words_with_letters():
    assert fold_leet(Norm.of("n00dz s3x")).text == "noodz sex"
    assert fold_leet(Norm.of("转5000块 $500")).text == "转5000块 $500"


def test_spaced_and_dotted_letters_collapse():
    assert collapse_spaced_letters(Norm.of("send n u d e s now")).text == "send nudes now"
    assert collapse_spaced_letters(Norm.of("s.e.x")).text == "sex"
    assert collapse_spaced_letters(Norm.of("a cat")).text == "a cat"


def test_full_pipeline_span_maps_back_to_source():
    src = "Ｓｅｎｄ　ｍｅ　n-u-d-e-s 😏"
    n = normalize(src)
    assert n.fold.text.startswith("send me nudes")
    start = n.fold.text.index("nudes")
    s, e = n.fold.span_to_source(start, start + 5)
    assert src[s:e] == "n-u-d-e-s"


def test_emoji_kept():
    assert "😏" in normalize("pics 😏").fold.text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_valid_index(text):
    n = normalize(text)
    for view in (n.plain, n.fold):
        assert len(view.index) == len(view.text)
        assert all(0 <= i < max(1, len(text)) for i in view.index)
        assert list(view.index) == sorted(view.index)
        for a in range(0, len(view.text), 7):
            s, e = view.span_to_source(a, min(len(view.text), a + 5))
            assert 0 <= s <= e <= len(text)


@settings(max_examples=10, deadline=None)
@given(st.text(alphabet=st.sampled_from("裸照ab 1\u200d\u202e𝒳\n，.\x00\u2066"), min_size=1, max_size=200))
def test_huge_lines_with_control_characters(seed):
    text = (seed * (100_000 // len(seed) + 1))[:100_000]
    n = normalize(text)
    assert len(n.fold.index) == len(n.fold.text)


def test_code_switched_view_puts_common_english_words_in_chinese_and_maps_back():
    from patterns.normalize import code_switched, normalize

    text = "你不pay我就把pics post到你school的group chat"
    got = code_switched(normalize(text))
    assert got is not None
    plain, fold = got
    assert plain.text == "你不付我就把照片发到你学校的群"
    i = fold.text.index("照片")
    s, e = fold.span_to_source(i, i + 2)
    assert text[s:e] == "pics"
    s, e = plain.span_to_source(plain.text.index("学校"), plain.text.index("学校") + 2)
    assert text[s:e] == "school"
    # only mixed messages: English alone and Chinese alone are left as they are
    assert code_switched(normalize("send me the pics")) is None
    assert code_switched(normalize("把照片发给我")) is None
    # a word inside a longer word is not switched (postcard is not post + card)
    assert code_switched(normalize("寄了postcard给你")) is None


def test_mixed_script_threat_is_caught_through_the_chinese_rules():
    from patterns import Analyzer, Message, Speaker

    an = Analyzer.load(())
    zh = {f.category.value for f in an.raw_findings([Message("不给钱我就把你的视频发给你家人", Speaker.THEM)])[0]}
    mixed = {f.category.value for f in an.raw_findings([Message("不给money我就把你的video发给你family", Speaker.THEM)])[0]}
    assert "sextortion" in zh and "sextortion" in mixed
    benign = an.raw_findings([Message("媽媽我到school了，晚點send photos俾你", Speaker.THEM)])[0]
    assert benign == []


def test_chat_spellings_are_spelled_out_and_map_back():
    from patterns.normalize import normalize, spelled_out

    text = "im gonna ruin ur life if u block me"
    got = spelled_out(normalize(text))
    assert got is not None
    plain, _fold = got
    assert plain.text == "i'm going to ruin your life if you block me"
    i = plain.text.index("your")
    s, e = plain.span_to_source(i, i + 4)
    assert text[s:e] == "ur"
    # whole words only: the u of menu or u2 is not "you"
    assert spelled_out(normalize("menu for the u2 concert")) is None
    assert spelled_out(normalize("see you at the mall")) is None


def test_a_threat_in_chat_spelling_is_flagged_like_the_spelled_out_one():
    from patterns import Analyzer, Message, Speaker

    an = Analyzer.load(())

    def cats(t: str) -> set[str]:
        return {f.category.value for f in an.raw_findings([Message(t, Speaker.THEM)])[0]}

    assert "threat" in cats("I am going to ruin your life if you block me")
    assert "threat" in cats("im gonna ruin ur life if u block me")
    assert cats("ur so funny lol, c u 2nite at practice") == set()


def test_chat_homophones_and_pinyin_stand_ins_fold_and_map_back():
    from patterns.normalize import fold_chat_homophones

    text = "把你身fen证号和yhk号发过来，加我V信，开个shi频"
    n = normalize(text)
    assert n.plain.text == "把你身份证号和银行卡号发过来,加我微信,开个视频"
    i = n.plain.text.index("银行卡")
    s, e = n.plain.span_to_source(i, i + 3)
    assert text[s:e] == "yhk"
    i = n.plain.text.index("视频")
    s, e = n.plain.span_to_source(i, i + 2)
    assert text[s:e] == "shi频"
    # a Latin stand-in only where it stands alone, and only in text with Chinese in it
    assert fold_chat_homophones(Norm.of("pizza zz")).text == "pizza zz"
    assert fold_chat_homophones(Norm.of("披萨pizza好吃")).text == "披萨pizza好吃"
    assert fold_chat_homophones(Norm.of("到底zz了没有")).text == "到底转账了没有"


def test_a_demand_written_with_stand_ins_is_flagged_like_the_plain_one():
    from patterns import Analyzer, Message, Speaker

    an = Analyzer.load(())

    def cats(t: str) -> set[str]:
        return {f.category.value for f in an.raw_findings([Message(t, Speaker.THEM)])[0]}

    assert "personal_info" in cats("把你身份证号和银行卡号发过来")
    assert "personal_info" in cats("把你sfz号和yhk号发过来")
    assert "explicit_request" in cats("姐姐开个shi频嘛 就看一眼 不露脸也行")


_CHATTY = st.lists(st.sampled_from([*"urnimyabcdo2480' .,-!", "ur", "im", "pls", "b4", "evryi", "can't"]),
                   max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(_CHATTY)
def test_chat_spelling_test_on_runs_agrees_with_the_word_list_regex(text):
    # ``occurs`` tests the text's runs against a set; it must say what the regex says
    from patterns.normalize import _chat_plain

    chat = _chat_plain()
    assert chat._runs is not None  # the chat list takes the fast path
    assert chat.occurs(text) == (chat.rx.search(text) is not None)

