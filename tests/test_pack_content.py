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
    # the rules alone: these tests are of the pack's content (the learned second opinion,
    # which reads the same lines, is tested in test_learned.py and measured in bench/)
    return Analyzer.load((), learned=False)


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
    ("我畀你五百蚊買嘢，唔好話俾人知係我畀嘅", "grooming"),
    ("你說話這麼成熟，我都忘了你才初三", "grooming"),
    ("when do your parents usually go to bed?", "grooming"),
    ("約個沒人的地方，我有東西要給你", "meeting"),
    ("how far is your house from the train station", "location"),
    ("爸，我個電話唔見咗，呢個係我新號碼，可唔可以過數俾我", "impersonation"),
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
    "你幾年級嗰陣識咗佢㗎？",
    "小明几年级了？长得真快",
    "别跟爸爸说我买了新游戏",
    "Honey I booked us a room for our anniversary",
    "我发个定位给你，今晚在这家火锅店",
    "U have a secret admirer. REVEAL who thinks U R So special",
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


# ------------------------------------------------------------------ A: sextortion, explicit_request,
# threat, money_demand, personal_info: composed wording, unseen lines, hard negatives

_A_CATS = {"sextortion", "explicit_request", "threat", "money_demand", "personal_info"}


def _a_categories(an: Analyzer, text: str) -> set[str]:
    return {f.category.value for f in an.raw_findings([Message(text, Speaker.THEM)])[0]}


def test_a_sextortion_is_caught_in_every_combination_of_its_parts(pack):
    """Sextortion is built from parts (media, audience, exposure, condition) in any order and
    script; every combination must be caught, not only the sentences a rule lists."""
    t2s = opencc.OpenCC("s2t")
    media = ["你的视频", "那几张照片", "你的裸照", "录屏"]
    audience = ["你家人", "你们班级群", "你老板", "你所有好友"]
    condition = ["不转钱的话", "今晚之前不给五千", "你敢拉黑我"]
    missed = []
    for m in media:
        for a in audience:
            for c in condition:
                for text in (f"{c}，{m}我就发给{a}", f"{m}我马上发到{a}，{c}试试", f"{c}？{a}都会看到{m}"):
                    for variant in (text, t2s.convert(text)):
                        if "sextortion" not in _a_categories(pack, variant):
                            missed.append(variant)
    en_media = ["your nudes", "the video", "those pics", "the recording"]
    en_aud = ["your family", "all your followers", "your boss", "everyone at your school"]
    en_cond = ["unless you pay $500", "if you block me", "if u dont send the money tonight"]
    for m in en_media:
        for a in en_aud:
            for c in en_cond:
                for text in (f"{c} I'll send {m} to {a}", f"{m} goes to {a} {c}"):
                    if "sextortion" not in _a_categories(pack, text):
                        missed.append(text)
    assert missed == []


def test_a_sharing_family_photos_is_not_sextortion(pack):
    """The same parts without a condition, price or intimacy: ordinary sharing."""
    t2s = opencc.OpenCC("s2t")
    flagged = []
    for m in ["毕业旅行的照片", "婚礼视频", "年夜饭的合照", "孩子钢琴比赛的录像"]:
        for a in ["家族群", "你爸妈", "班级群", "朋友圈"]:
            for text in (f"{m}我发到{a}了，大家看看", f"我把{m}发给{a}看看"):
                for variant in (text, t2s.convert(text)):
                    if "sextortion" in _a_categories(pack, variant):
                        flagged.append(variant)
    for m in ["the beach pics", "the wedding video", "the recital recording"]:
        for a in ["your mom", "the family group chat", "everyone at the reunion"]:
            text = f"I'll send {m} to {a} tonight"
            if "sextortion" in _a_categories(pack, text):
                flagged.append(text)
    assert flagged == []


@pytest.mark.parametrize(("text", "category"), [
    # wording found on probes written before the rules, none of it in any rule's examples
    ("你那晚在镜头前做的事，我已经全部保存，要不要我给你领导也发一份", "sextortion"),
    ("唔想你條片俾你阿媽睇到，就今晚入錢", "sextortion"),
    ("how much is your reputation worth to you? because I have the video", "sextortion"),
    ("你的 nudes 我有 backup，block 我也没用", "sextortion"),
    ("开视频给我看看你身体，别害羞", "explicit_request"),
    ("可唔可以拍條片俾我，你沖涼嗰陣", "explicit_request"),
    ("send me a pic of you right now, but no shirt", "explicit_request"),
    ("发个 topless 的 selfie 给我看看", "explicit_request"),
    ("我知道你儿子在哪个幼儿园", "threat"),
    ("你再唔覆我，我就上你公司搞到你冇工做", "threat"),
    ("Try blocking me and I'll show up at your door", "threat"),
    ("you better sleep with one eye open", "threat"),
    ("给你两个小时，把钱打到这个支付宝", "money_demand"),
    ("我手機銀行被鎖咗，你幫我轉一萬畀呢個人，聽日還你", "money_demand"),
    ("Cash app me $400 and this all goes away", "money_demand"),
    ("get some bitcoin from the ATM at the gas station and scan this QR code", "money_demand"),
    ("你的银行预留手机号是多少", "personal_info"),
    ("將收到嘅短訊驗證碼話我知", "personal_info"),
    ("you will get a code from Google, send it to me", "personal_info"),
    ("把你的 bank account number 给我", "personal_info"),
])
def test_a_unseen_wording_is_flagged_with_its_category(pack, text, category):
    assert category in _a_categories(pack, text)


@pytest.mark.parametrize("text", [
    # family money, gifts and bills
    "妈，我给你转了500，记得收一下",
    "阿嫲畀咗利是你，記得多謝佢",
    "Can you venmo me for your half of dinner? $23",
    "I bought a $50 Amazon gift card for Jake's birthday",
    "your gift card balance is $25.00",
    "Dad can you venmo me for the textbooks? they're $140",
    # friends' photos, babies, doctors, outfits
    "我把咱们毕业旅行的照片发到班级群了，快去看",
    "宝宝今天第一次洗澡，拍了好多照片",
    "醫生叫我影張皮疹嘅相傳俾佢睇",
    "send me a pic of your outfit for tonight",
    "take your wet clothes off and get in the shower, you'll catch a cold",
    # jokes, weather, pick-ups, parents
    "I'm going to kill you if you spoil the finale lol",
    "watch out, the roads are icy near your work tonight",
    "I'll be outside your building at 8 to pick you up for dinner",
    "I know your kid's bus stop, I'll drop him off there",
    "我知道你住哪，明天顺路给你送蛋糕过去",
    "如果你不复习，考试会后悔的",
    # genuine notices, clinics, schools, couriers, HR
    "【工商银行】验证码123456，请勿泄露给他人",
    "Your Chase code is 482913. We'll never call to ask for it.",
    "The school needs your date of birth for the field trip form",
    "HR: please bring your social security card on your first day",
    "快递：您的包裹已到，请确认收货地址是否为长江路12号",
    "What's your address? I want to send you a wedding invite",
    "what's the wifi password at grandma's?",
    # news, warnings, people asking for help about a threat they received
    "新闻说有人用裸聊视频勒索大学生，大家小心",
    "長者要小心，最近好多假冒警察嘅電話，叫人轉錢去安全戶口",
    "我朋友收到訊息話唔畀錢就寄佢啲相去學校，佢報咗警",
    "My son got a message saying \"pay or we send the pics\". We reported it to the FBI tip line",
    "有人說要把我的照片發給我家人，我好驚，應該點做？",
])
def test_a_hard_negatives_stay_clean(pack, text):
    assert not (_a_categories(pack, text) & _A_CATS)


def test_a_regexes_are_written_in_simplified(pack):
    """Messages are converted to Simplified before regexes run: a Traditional-only character
    in a regex (搵, 嗰, 係) can never match."""
    t2s = opencc.OpenCC("t2s")
    bad = [f"{r.id}: {rx.pattern}" for r in pack.rules if r.category.value in _A_CATS
           for rx in r.regexes if t2s.convert(rx.pattern) != rx.pattern]
    assert bad == []


def test_context_rules_name_rules_that_exist_and_are_no_context_rules_themselves(pack):
    """A ``found`` rule id that does not exist (renamed, typo) would silently never hold."""
    by_id = {r.id: r for r in pack.rules}
    cats = {c.value for c in Category}
    for r in pack.rules:
        for g in (r.requires, *r.also_requires):
            for f in g.found if g else ():
                assert f in cats or (f in by_id and not by_id[f].needs_findings), (r.id, f)
