"""Normalisation for matching.

Displayed text is never altered: every step works on a ``Norm`` (the normalised string plus, for
each of its characters, the offset of the original character it came from), so a match in the
normalised text maps back to a span of the original line.

Two views are produced:

- ``plain``: width folded (NFKC), lower case, Traditional -> Simplified, invisible characters
  dropped, whitespace between CJK characters removed. Regexes (SSN, amounts, ...) run here.
- ``fold``: ``plain`` plus OCR confusables, leetspeak inside words and spaced / dotted letters
  collapsed. Phrases, ``requires`` and ``suppress`` terms are matched here.

The steps are small functions ``Norm -> Norm`` so each can be tested on its own.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from itertools import compress
from typing import Any

import opencc

from . import _native

__all__ = [
    "Norm",
    "Normalized",
    "normalize",
    "normalize_term",
    "is_cjk",
]


class Norm:
    """A normalised string and, per character, the offset of its source character.

    ``_index`` is None while the text is still one-to-one with its source (the common case),
    so steps that change nothing cost nothing. Immutable by convention: a plain slotted class,
    as a frozen dataclass took three times as long to make (~0.4 µs, several per message)."""

    __slots__ = ("text", "_index", "source_len")

    def __init__(self, text: str, _index: tuple[int, ...] | None, source_len: int) -> None:
        self.text = text
        self._index = _index
        self.source_len = source_len

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Norm):
            return NotImplemented
        return (self.text, self.index, self.source_len) == (other.text, other.index, other.source_len)

    def __hash__(self) -> int:
        return hash((self.text, self.source_len))

    def __repr__(self) -> str:
        return f"Norm(text={self.text!r}, _index={self._index!r}, source_len={self.source_len!r})"

    @classmethod
    def of(cls, text: str) -> Norm:
        return cls(text, None, len(text))

    @property
    def index(self) -> tuple[int, ...]:
        return self._index if self._index is not None else tuple(range(len(self.text)))

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text to a half-open span of the source."""
        n = len(self.text)
        if self._index is None:
            start = max(0, min(start, n))
            return (start, max(start, min(end, n)))
        idx = self._index
        if not idx or start >= end:
            pos = idx[start] if 0 <= start < len(idx) else self.source_len
            return (pos, pos)
        start = max(0, min(start, len(idx) - 1))
        end = max(start + 1, min(end, len(idx)))
        return (idx[start], idx[end - 1] + 1)

    def replace_chars(self, new_text: str) -> Norm:
        """Same length, one-to-one replacement."""
        assert len(new_text) == len(self.text)
        return Norm(new_text, self._index, self.source_len)

    def keep(self, mask: list[bool]) -> Norm:
        text = "".join(compress(self.text, mask))
        index = tuple(compress(self.index, mask))
        return Norm(text, index, self.source_len)


# ---------------------------------------------------------------- character classes

_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK punctuation
    (0x3040, 0x30FF),  # kana
    (0x3100, 0x31BF),  # bopomofo
    (0x3400, 0x4DBF),  # ext A
    (0x4E00, 0x9FFF),  # unified
    (0xF900, 0xFAFF),  # compatibility
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x2FA1F),  # ext B+
)


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    if o < 0x2E80:
        return False
    return any(lo <= o <= hi for lo, hi in _CJK_RANGES)


_INVISIBLE = {
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\u2061", "\u2062", "\u2063",
    "\u2064", "\ufeff", "\u00ad", "\u034f", "\u061c", "\u180e",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\ufe0e", "\ufe0f",
}


def _is_dropped(ch: str) -> bool:
    if ch in _INVISIBLE:
        return True
    if ch in "\n\t\r":
        return False
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Cf", "Cs", "Co") or (0xE0000 <= ord(ch) <= 0xE007F)


# ---------------------------------------------------------------- steps


def drop_invisible(n: Norm) -> Norm:
    """Zero-width characters, bidi marks, controls and variation selectors carry no meaning
    for matching (scammers insert them between letters to dodge filters)."""
    text = n.text
    # isprintable() is False for every control / format / private / surrogate character;
    # variation selectors are printable, so they are checked separately
    if ("\ufe0e" not in text and "\ufe0f" not in text
            and text.replace("\n", " ").replace("\t", " ").replace("\r", " ").isprintable()):
        return n
    return n.keep([not _is_dropped(c) for c in text])


def fold_width(n: Norm) -> Norm:
    """NFKC: full-width letters and digits, compatibility ideographs, ligatures, circled digits."""
    text = n.text
    if unicodedata.is_normalized("NFKC", text):
        return n
    out: list[str] = []
    idx: list[int] = []
    for ch, src in zip(text, n.index, strict=True):
        folded = unicodedata.normalize("NFKC", ch)
        for f in folded:
            out.append(f)
            idx.append(src)
    return Norm("".join(out), tuple(idx), n.source_len)


def fold_case(n: Norm) -> Norm:
    lowered = n.text.lower()
    if len(lowered) == len(n.text):
        return n.replace_chars(lowered)
    out: list[str] = []
    idx: list[int] = []
    for ch, src in zip(n.text, n.index, strict=True):
        lc = ch.lower()
        out.append(lc[0])
        idx.append(src)
    return Norm("".join(out), tuple(idx), n.source_len)


_opencc_local = threading.local()


def _t2s() -> opencc.OpenCC:
    conv = getattr(_opencc_local, "conv", None)
    if conv is None:
        conv = opencc.OpenCC("t2s")
        _opencc_local.conv = conv
    return conv


@lru_cache(maxsize=65536)
def _t2s_char(ch: str) -> str:
    out: str = _t2s().convert(ch)
    return out if len(out) == 1 else ch


# Hong Kong / Taiwan variants OpenCC's t2s leaves alone but people (and OCR) use interchangeably.
_EXTRA_T2S = str.maketrans({"畀": "俾", "裏": "里", "祼": "裸", "衞": "卫", "着": "着"})


def to_simplified(n: Norm) -> Norm:
    """Traditional -> Simplified (OpenCC t2s), kept one character to one character."""
    text = n.text
    if text.isascii():
        return n
    conv = _t2s().convert(text)
    if len(conv) != len(text):
        conv = "".join(_t2s_char(c) if is_cjk(c) else c for c in text)
    return n.replace_chars(conv.translate(_EXTRA_T2S))


def simplify_pattern(pattern: str) -> str:
    """A regex written with Traditional characters, in Simplified: regexes run on the plain
    view, which is Simplified, so 搵 in a pattern could never match. Each run of CJK characters
    is converted as the text's would be; the regex syntax around them is ASCII and untouched."""
    if pattern.isascii():
        return pattern

    def conv(m: re.Match[str]) -> str:
        run = m.group()
        out = _t2s().convert(run)
        if len(out) != len(run):
            out = "".join(_t2s_char(c) for c in run)
        return out

    return _CJK_RUN.sub(conv, pattern).translate(_EXTRA_T2S)


_SPACE_RUN = re.compile(r"\s+")
CJK_CLASS = _CJK_CLASS = "[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _CJK_RANGES) + "]"
_CJK_RUN = re.compile(_CJK_CLASS + "+")
# whitespace that squeeze_spaces would change: runs, tabs/newlines, ends, or next to CJK
_SQUEEZE_NEEDED = re.compile(rf"\s\s|[^\S ]|^\s|\s$|{_CJK_CLASS}\s|\s{_CJK_CLASS}")


def squeeze_spaces(n: Norm) -> Norm:
    """Drop whitespace next to a CJK character (OCR puts spaces between CJK characters, and the
    lines of a bubble are joined with newlines); collapse other runs to one space."""
    text = n.text
    if text.isascii():
        # no CJK: only runs, tabs / newlines (not printable) and the ends can need work
        if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
            return n
    elif not _SQUEEZE_NEEDED.search(text):
        return n
    mask = [True] * len(text)
    chars = list(text)
    for m in _SPACE_RUN.finditer(text):
        s, e = m.span()
        before = text[s - 1] if s > 0 else ""
        after = text[e] if e < len(text) else ""
        if not before or not after or is_cjk(before) or is_cjk(after):
            for i in range(s, e):
                mask[i] = False
        else:
            chars[s] = " "
            for i in range(s + 1, e):
                mask[i] = False
    return Norm("".join(chars), n.index, n.source_len).keep(mask)


# OCR confusables. Each class is folded to one representative on BOTH sides (pattern and text),
# so matching is insensitive to the confusion while nothing is lost.
_CONFUSABLE_CLASSES = [
    "裸祼倮",  # 裸 misread / typed as 祼 (a different character) or 倮
    "已己巳",
    "末未",
    "士土",
    "日曰",
    "戊戌戍",
    "入人",
    "千干于",
    "天夭",
    "拍柏",
    "账帐",
    "钱銭",
    "汇滙",
    "〇零",
    "你妳",  # "you": 妳 (to a woman, usual in Taiwan) asks for the same things; not 您, which packs use to tell businesses apart
]
CJK_CONFUSABLE = str.maketrans({c: cls[0] for cls in _CONFUSABLE_CLASSES for c in cls[1:]})
_LATIN_CONFUSABLE = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "|": "i", "l": "i", "ı": "i", "ѕ": "s", "о": "o", "а": "a",
                                   "е": "e", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i"})


def fold_cjk_confusables(n: Norm) -> Norm:
    """In both views (regex sources are folded the same way when a pack loads)."""
    if n.text.isascii():
        return n
    return n.replace_chars(n.text.translate(CJK_CONFUSABLE))


def fold_confusables(n: Norm) -> Norm:
    """Latin look-alikes (l/I/|, Cyrillic letters, curly apostrophes): the folded view only,
    since regexes are written with real letters."""
    # translated at once: nearly every English text has an "l" (a set test first cost more)
    out = n.text.translate(_LATIN_CONFUSABLE)
    return n if out == n.text else n.replace_chars(out)


_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i"})
_LEET_CHAR = re.compile(r"[013457@$!]")
# a word of letters and leet characters with at least two letters and one leet character
_LEET_TOKEN = re.compile(r"(?<![a-z0-9@$!])(?=[a-z0-9@$!]*[a-z][a-z0-9@$!]*[a-z])(?=[a-z0-9@$!]*[013457@$!])[a-z0-9@$!]+")


def fold_leet(n: Norm) -> Norm:
    """Leetspeak inside words that mix letters and digits: n00dz -> noodz, s3x -> sex."""
    text = n.text
    if not _LEET_CHAR.search(text):
        return n
    out = _LEET_TOKEN.sub(lambda m: m.group().translate(_LEET), text)
    return n if out == text else n.replace_chars(out)


_SPACED = re.compile(r"(?<![a-z])[a-z](?:[ .\-_*·•,+~][a-z]){2,}(?![a-z])")


def collapse_spaced_letters(n: Norm) -> Norm:
    """n u d e s / s.e.x / n-u-d-e-s -> nudes / sex."""
    text = n.text
    if text.isascii() and " " not in text and "." not in text and "-" not in text:
        return n
    mask: list[bool] | None = None
    for m in _SPACED.finditer(text):
        if mask is None:
            mask = [True] * len(text)
        for i in range(m.start(), m.end()):
            if not text[i].isalpha():
                mask[i] = False
    return n if mask is None else n.keep(mask)


_SOUND = re.compile(r"oo|ph|(?<=[a-z]{2})z(?![a-z])|(?<=[a-z])x{2,}")
_SOUND_MAP = {"oo": "u", "ph": "f"}


def fold_sound_alikes(n: Norm) -> Norm:
    """Chat spellings: noodz -> nuds, phat -> fat, word-final z -> s (folded on both sides)."""
    text = n.text
    if not text.isascii() and not any("a" <= c <= "z" for c in text):
        return n
    if "oo" not in text and "ph" not in text and "z" not in text and "xx" not in text:
        return n
    matches = list(_SOUND.finditer(text))
    if not matches:
        return n
    return substitute(n, matches, lambda g: _SOUND_MAP.get(g, "s" if g == "z" else "x"))


def substitute(n: Norm, matches: list[re.Match[str]], rep_of: Callable[[str], str], *,
               whole_word: bool = False) -> Norm:
    """``n`` with each match replaced by ``rep_of(match text)``, offsets kept. Each character of
    a replacement maps to the source character at the same place in the match, or with
    ``whole_word`` the first to the match's start and the others to its end (a span over the
    replacement covers the whole word it stands for)."""
    text, index = n.text, n.index
    out: list[str] = []
    idx: list[int] = []
    pos = 0
    for m in matches:
        s, e = m.span()
        out.append(text[pos:s])
        idx.extend(index[pos:s])
        rep = rep_of(m.group())
        out.append(rep)
        if whole_word:
            idx.extend([index[s]] + [index[e - 1]] * (len(rep) - 1))
        else:
            idx.extend(index[s : s + len(rep)])
        pos = e
    out.append(text[pos:])
    idx.extend(index[pos:])
    return Norm("".join(out), tuple(idx), n.source_len)


# Chinese chat's stand-ins for words that filters and moderators watch: homophones (薇信, V信
# for 微信; 视屏 for 视频), pinyin initials (zfb 支付宝, yhk 银行卡, sfz 身份证, zz 转账, wx/vx
# 微信) and a pinyin syllable inside a word (shi频, 身fen证, luo照). Only in text with Chinese in
# it, and a Latin stand-in only where it stands alone (pizza keeps its zz).
_AZ = "abcdefghijklmnopqrstuvwxyz"
_AZ09 = _AZ + "0123456789"
# (stand-in, what it stands for, prev_not, prev_in, next_in, next_not): the character before it
# must not be / must be one of prev_not / prev_in, the one after must be / must not be one of
# next_in / next_not (empty: no condition). Tried in this order at each place, as the
# alternatives of one regex (``_HOMOPHONE``; the native step takes this list)
HOMOPHONE_RULES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("薇信", "微信", "", "", "", ""), ("威信", "微信", "", "", "", ""), ("徽信", "微信", "", "", "", ""),
    ("视屏", "视频", "", "", "", ""), ("视平", "视频", "", "", "", ""), ("扣扣", "qq", "", "", "", ""),
    ("v", "微", _AZ09, "", "信", ""),
    *((w, zh, _AZ09, "", "", _AZ09) for w, zh in (("vx", "微信"), ("wx", "微信"), ("zz", "转账"),
                                                   ("zfb", "支付宝"), ("yhk", "银行卡"), ("sfz", "身份证"))),
    ("shi", "视", _AZ, "", "频", ""),
    ("fen", "份", "", "身", "证", ""),
    ("luo", "裸", _AZ, "", "照聊体", ""),
)


def _homophone_alternative(rule: tuple[str, str, str, str, str, str]) -> str:
    text, _zh, prev_not, prev_in, next_in, next_not = rule

    def cls(chars: str) -> str:
        return "[" + re.escape(chars) + "]"

    return "".join([f"(?<!{cls(prev_not)})" if prev_not else "", f"(?<={cls(prev_in)})" if prev_in else "",
                    re.escape(text), f"(?={cls(next_in)})" if next_in else "",
                    f"(?!{cls(next_not)})" if next_not else ""])


_HOMOPHONE = re.compile("|".join(map(_homophone_alternative, HOMOPHONE_RULES)))
_HOMOPHONE_MAP = {r[0]: r[1] for r in HOMOPHONE_RULES}


def fold_chat_homophones(n: Norm) -> Norm:
    """薇信 -> 微信, zfb -> 支付宝, shi频 -> 视频 (``_HOMOPHONE``), in text with Chinese."""
    text = n.text
    if text.isascii():
        return n
    matches = list(_HOMOPHONE.finditer(text))
    if not matches:
        return n
    return substitute(n, matches, _HOMOPHONE_MAP.__getitem__, whole_word=True)


PLAIN_STEPS: tuple[Callable[[Norm], Norm], ...] = (
    drop_invisible,
    fold_width,
    fold_case,
    to_simplified,
    fold_cjk_confusables,
    squeeze_spaces,
    fold_chat_homophones,
)
FOLD_STEPS: tuple[Callable[[Norm], Norm], ...] = (
    fold_confusables,
    fold_leet,
    collapse_spaced_letters,
    fold_sound_alikes,
)


class Normalized:
    """A message's source text and its two views (``plain``, ``fold``). ``memo``: the views made
    from it (alt_views), kept with it: the matcher, the conditions and the learned reader each
    ask for them. Immutable by convention (a plain slotted class: made once per message)."""

    __slots__ = ("source", "plain", "fold", "memo")

    def __init__(self, source: str, plain: Norm, fold: Norm) -> None:
        self.source = source
        self.plain = plain
        self.fold = fold
        self.memo: dict[Any, Any] = {}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Normalized):
            return NotImplemented
        return (self.source, self.plain, self.fold) == (other.source, other.plain, other.fold)

    def __hash__(self) -> int:
        return hash(self.source)

    def __repr__(self) -> str:
        return f"Normalized(source={self.source!r}, plain={self.plain!r}, fold={self.fold!r})"


def normalize(text: str) -> Normalized:
    sp = _native.speedups
    if sp is not None:  # the same steps in C (_speedups.c), the views and alt views at once
        tables = _CHAT_TABLES
        if text.isascii():
            got = sp.ascii_views(text, tables)
        else:  # the steps that need Unicode tables or OpenCC here, the rest natively
            n = to_simplified(fold_case(fold_width(drop_invisible(Norm.of(text)))))
            got = sp.views(n.text, n._index, tables)
        (pt, pi), (ft, fi), ap, af = got
        size = len(text)
        plain, fold = Norm(pt, pi, size), Norm(ft, fi, size)
        norm = Normalized(text, plain, fold)
        if tables:
            norm.memo["alt"] = (plain if ap is None else Norm(ap[0], ap[1], size),
                                fold if af is None else Norm(af[0], af[1], size))
        return norm
    n = Norm.of(text)
    for step in PLAIN_STEPS:
        n = step(n)
    plain = n
    for step in FOLD_STEPS:
        n = step(n)
    return Normalized(text, plain, n)


@lru_cache(maxsize=16384)
def normalize_term(term: str) -> str:
    """The folded form of a pattern phrase or term (same pipeline as the text)."""
    return normalize(term).fold.text.strip()


# ---------------------------------------------------------------------- code-switching

# English words that Chinese chat mixes in (把你的video发给你family, 你的boss会很interested),
# each with the Chinese word the packs are written with. A mixed message is also matched with
# these put in Chinese, so the Chinese phrases and regexes see it. Words with many meanings
# (show, code, if, like) are left out.
CODE_SWITCH_WORDS: dict[str, str] = {
    **dict.fromkeys(["photo", "photos", "pic", "pics", "picture", "pictures", "selfie", "selfies", "pix"], "照片"),
    **dict.fromkeys(["nude", "nudes", "nude pics", "nude photos"], "裸照"),
    **dict.fromkeys(["video", "videos", "vid", "vids", "clip", "clips"], "视频"),
    **dict.fromkeys(["recording", "recordings", "screen recording"], "录像"),
    **dict.fromkeys(["screenshot", "screenshots"], "截图"),
    **dict.fromkeys(["chat history", "chat log", "chat logs", "chat records"], "聊天记录"),
    **dict.fromkeys(["video call", "videocall", "facetime", "video chat"], "视频通话"),
    "family": "家人", "parents": "父母", "mom": "妈妈", "mum": "妈妈", "mommy": "妈妈", "dad": "爸爸",
    "daddy": "爸爸", "wife": "老婆", "husband": "老公", "boyfriend": "男朋友", "girlfriend": "女朋友",
    "kids": "孩子", "children": "孩子", "son": "儿子", "daughter": "女儿",
    "boss": "老板", "manager": "经理", "coworkers": "同事", "colleagues": "同事", "company": "公司",
    "school": "学校", "teacher": "老师", "teachers": "老师", "classmates": "同学", "principal": "校长",
    "church": "教会", "friends": "朋友", "everyone": "所有人", "everybody": "所有人", "contacts": "通讯录",
    "group chat": "群",
    "police": "警察", "cops": "警察", "cop": "警察", "lawyer": "律师", "immigration": "移民局",
    "embassy": "大使馆", "consulate": "领事馆",
    "send": "发", "post": "发", "upload": "上传", "share": "分享", "leak": "泄露", "expose": "曝光",
    "spread": "传", "online": "网上", "internet": "网上", "viral": "传遍",
    "money": "钱", "cash": "现金", "pay": "付", "transfer": "转账", "wire": "汇款",
    "gift card": "礼品卡", "gift cards": "礼品卡", "bitcoin": "比特币",
    "bank account": "银行账户", "account": "账户", "password": "密码", "verification code": "验证码",
    "address": "地址", "location": "位置", "ssn": "社安号", "birthday": "生日",
    "kill": "杀", "hurt": "伤害", "die": "死", "regret": "后悔", "interested": "感兴趣", "ruin": "毁",
    "secret": "秘密", "alone": "单独", "hotel": "酒店", "meet": "见面", "tonight": "今晚",
    "unless": "除非", "or else": "否则", "delete": "删", "block": "拉黑", "report": "举报",
    "ignore": "不理", "reply": "回复",
    "investment": "投资", "invest": "投资", "profit": "利润", "crypto": "加密货币", "mentor": "导师",
    "platform": "平台", "withdraw": "提现", "commission": "佣金", "task": "任务",
    "number": "号码", "new number": "新号码", "phone number": "电话号码",
    "freeze": "冻结", "frozen": "冻结", "job": "工作", "car plate": "车牌", "license plate": "车牌",
    "unlock": "解锁", "bra": "胸罩",
    "package": "包裹", "parcel": "包裹", "customs": "海关", "fee": "费用", "release": "放行",
    "link": "链接", "click": "点击", "verify": "验证", "tax": "税",
    "friend list": "好友列表", "friends list": "好友列表", "followers": "粉丝",
    "luo": "裸", "luo zhao": "裸照", "luozhao": "裸照",
    "visa": "签证", "green card": "绿卡", "return": "回报", "returns": "回报",
    "apartment": "公寓", "campus": "校园", "advisor": "导师", "email": "邮件", "attachment": "附件",
    "acount": "账户", "acct": "账户", "frezze": "冻结", "freez": "冻结", "frozed": "冻结",
    "verfy": "验证", "verifiy": "验证", "backup": "备份", "deadline": "期限",
    "uncle": "舅舅", "aunt": "阿姨", "auntie": "阿姨", "exchange": "交易所",
    "next time": "下次", "library": "图书馆", "adults": "大人", "mature": "成熟",
}

_CJK_ANY = re.compile(CJK_CLASS)


class _CodeSwitch:
    """A word list for one view: its words and their replacements normalised like that view's
    text; a word is replaced only where it stands whole (not inside a longer word)."""

    def __init__(self, view: Callable[[str], str], words: dict[str, str] | None = None,
                 edge: str = "a-z") -> None:
        table: dict[str, str] = {}
        for en, zh in (CODE_SWITCH_WORDS if words is None else words).items():
            table.setdefault(view(en), view(zh))
        # looked up with the spaces taken out (gift card, giftcard, gift  card)
        self.table = {k.replace(" ", ""): v for k, v in table.items()}
        keys = sorted(table, key=len, reverse=True)
        self.rx = re.compile(rf"(?<![{edge}])(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s?") for k in keys)
                             + rf")(?![{edge}])")
        # a word list of single words, each a whole run of the edge's characters (the chat
        # spellings): the list occurs in a text when one of the text's runs is in it, a set
        # test on the runs (3x faster than searching the text with the regex, measured)
        self._runs: re.Pattern[str] | None = None
        if edge == "a-z0-9'" and all(re.fullmatch(r"[a-z0-9]+", k) for k in self.table):
            self._runs = re.compile(rf"[{edge}]+")
        self._keys = frozenset(self.table)

    def occurs(self, text: str) -> bool:
        """Whether ``apply`` would change ``text`` (some word of the list stands whole in it)."""
        if self._runs is not None:
            return not self._keys.isdisjoint(self._runs.findall(text))
        return self.rx.search(text) is not None

    def apply(self, n: Norm) -> Norm:
        if self._runs is not None:  # the same matches: the runs that are words of the list
            keys = self._keys
            matches = [m for m in self._runs.finditer(n.text) if m.group() in keys]
        else:
            matches = list(self.rx.finditer(n.text))
        if not matches:
            return n
        # the replacement stands for the whole word; a space left between two words now in
        # Chinese goes, as OCR spaces between CJK do
        return squeeze_spaces(substitute(n, matches, lambda g: self.table["".join(g.split())], whole_word=True))


@lru_cache(maxsize=1)
def _switch_plain() -> _CodeSwitch:
    return _CodeSwitch(lambda s: normalize(s).plain.text.strip())


@lru_cache(maxsize=1)
def _switch_fold() -> _CodeSwitch:
    return _CodeSwitch(normalize_term)


def code_switched(norm: Normalized) -> tuple[Norm, Norm] | None:
    """A mixed Chinese-English message's plain and fold views with the English words of
    ``CODE_SWITCH_WORDS`` put in Chinese; None when the message is not mixed or has none."""
    plain, fold = norm.plain, norm.fold
    if plain.text.isascii() or not _CJK_ANY.search(plain.text) or not _HAS_LATIN.search(plain.text):
        return None
    sp, sf = _switch_plain().apply(plain), _switch_fold().apply(fold)
    if sp is plain and sf is fold:
        return None
    return sp, sf


_HAS_LATIN = re.compile(r"[a-z]{2}")


# Chat spellings of English words, with the words the packs are written with: a message that
# has any is also matched spelled out (im gonna ruin ur life if u block me -> i'm going to ruin
# your life if you block me). Words that are also ordinary words or numbers (2, 4, b, c, id)
# are left out.
CHAT_ENGLISH: dict[str, str] = {
    "u": "you", "ya": "you", "ur": "your", "r": "are", "n": "and", "im": "i'm", "ive": "i've",
    "ill": "i'll", "dont": "don't", "cant": "can't", "wont": "won't", "didnt": "didn't",
    "doesnt": "doesn't", "isnt": "isn't", "aint": "ain't", "youre": "you're", "theyre": "they're",
    "gonna": "going to", "wanna": "want to", "gotta": "got to", "gimme": "give me", "lemme": "let me",
    "kno": "know", "knw": "know", "dunno": "don't know", "idk": "i don't know", "pls": "please",
    "plz": "please", "pleez": "please", "thx": "thanks", "cuz": "because", "coz": "because",
    "cos": "because", "bc": "because", "bcuz": "because", "rn": "right now", "ppl": "people",
    "msg": "message", "txt": "text", "addy": "address", "bf": "boyfriend", "gf": "girlfriend",
    "bday": "birthday", "fam": "family", "skool": "school", "nite": "night", "tonite": "tonight",
    "2nite": "tonight", "2night": "tonight", "2day": "today", "2moro": "tomorrow",
    "2morrow": "tomorrow", "tmr": "tomorrow", "tmrw": "tomorrow", "b4": "before", "l8r": "later",
    "w8": "wait", "h8": "hate", "luv": "love", "wat": "what", "wut": "what", "wen": "when",
    "wher": "where", "yall": "you all", "lil": "little", "bout": "about", "abt": "about",
    "thru": "through", "omw": "on my way", "evry1": "everyone", "every1": "everyone",
    "evry": "every", "some1": "someone", "any1": "anyone", "no1": "no one", "ne1": "anyone",
    "sum1": "someone", "hav": "have", "giv": "give", "sum": "some",
    "evrywhere": "everywhere", "everywere": "everywhere", "evrywere": "everywhere",
    "anser": "answer", "ansr": "answer", "acount": "account", "acct": "account",
    "frezze": "freeze", "freez": "freeze", "verfy": "verify", "verifiy": "verify",
}
@lru_cache(maxsize=1)
def _chat_plain() -> _CodeSwitch:
    return _CodeSwitch(lambda s: _unleet(normalize(s).plain).text.strip(), CHAT_ENGLISH, "a-z0-9'")


@lru_cache(maxsize=1)
def _chat_fold() -> _CodeSwitch:
    return _CodeSwitch(normalize_term, CHAT_ENGLISH, "a-z0-9'")


def _unleet(plain: Norm) -> Norm:
    return collapse_spaced_letters(fold_leet(plain))


def alt_views(norm: Normalized) -> tuple[Norm, Norm]:
    """The views a message is matched on a second time, for the rules it did not hit as
    written: the plain view with leetspeak and spaced letters undone (regexes are written with
    real letters: s3nd n00dz, p.o.s.t) and chat spellings of English words written out
    (``CHAT_ENGLISH``: im gonna ruin ur life -> i'm going to ruin your life), and the fold view
    with the chat spellings written out. Each is the view itself when nothing changed."""
    got: tuple[Norm, Norm] | None = norm.memo.get("alt")
    if got is None:
        got = norm.memo["alt"] = _alt_views(norm)
    return got


# whether the native steps have the chat-spelling tables (plain, fold) and so make the alt
# views with the others: once both are made (they are made with normalize itself), and when
# they are lists of single words, as the native step assumes
_CHAT_TABLES = False


def _alt_views(norm: Normalized) -> tuple[Norm, Norm]:
    global _CHAT_TABLES
    plain, fold = norm.plain, norm.fold
    base = _unleet(plain)
    chat = _chat_plain()
    if not _CHAT_TABLES and chat._runs is not None and _chat_fold()._runs is not None:
        sp = _native.speedups
        if sp is not None:
            sp.set_chat_tables(chat.table, _chat_fold().table)
            _CHAT_TABLES = True
    if chat.occurs(base.text):
        base = chat.apply(base)
        fold = _chat_fold().apply(fold)
    return (plain if base.text == plain.text else base), fold


def spelled_out(norm: Normalized) -> tuple[Norm, Norm] | None:
    """``alt_views`` when either differs from the message's own views, else None."""
    sp, sf = alt_views(norm)
    if sp is norm.plain and sf is norm.fold:
        return None
    return sp, sf


if _native.speedups is not None:  # the native steps' tables, from the Python ones (one source)
    _native.speedups.set_tables(CJK_CONFUSABLE, _LATIN_CONFUSABLE, HOMOPHONE_RULES)
