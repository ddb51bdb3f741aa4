"""Built-in regex shapes for structured data (matched on the ``plain`` normalised view:
lower case, half-width, Simplified, spaces between CJK characters removed).

Every shape is linear (no nested quantifiers) and has a cheap prefilter so lines that cannot
match are skipped without running the regex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import CJK_CONFUSABLE, simplify_pattern


def _rx(pattern: str) -> re.Pattern[str]:
    """Compiled for the plain view, where OCR-confusable CJK characters are folded."""
    return re.compile(simplify_pattern(pattern).translate(CJK_CONFUSABLE))


@dataclass(frozen=True, slots=True)
class Shape:
    name: str
    regex: re.Pattern[str]
    needs_digit: bool  # cheap prefilter: skip lines without a digit


_has_digit, _always = True, False


_CURRENCY = r"(?:\$|usd|us\$|美元|美金|刀|元|块|rmb|人民币|¥|￥|万|千|usdt|btc|比特币)"
_AMOUNT = r"\d[\d,.]{0,12}\s?(?:k|w|万|千)?"

SHAPES: dict[str, Shape] = {
    s.name: s
    for s in (
        Shape("money", _rx(
            rf"(?:{_CURRENCY}\s?{_AMOUNT}|{_AMOUNT}\s?{_CURRENCY}|[一二两三四五六七八九十百几]+[千万]\s?(?:块|元|美金|美元|刀)?)"),
            _always),
        Shape("gift_card", _rx(
            r"(?:steam|apple|itunes|google\s?play|amazon|target|razer|walmart|ebay|sephora|visa|"
            r"苹果|谷歌|亚马逊|沃尔玛)\s?(?:gift\s?cards?|cards?|礼品卡|礼物卡|卡|充值卡|点卡)"
            r"|礼品卡|gift\s?cards?"), _always),
        Shape("ssn", _rx(
            r"(?<!\d)\d{3}[- ]?\d{2}[- ]?\d{4}(?!\d)|(?:ssn|social security|社安号|社会安全号|社保号)"
            r"\D{0,12}\d{4}(?!\d)"), _has_digit),
        Shape("cn_id", _rx(r"(?<!\d)\d{17}[\dx](?!\d)"), _has_digit),
        Shape("card_number", _rx(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)"), _has_digit),
        Shape("phone", _rx(
            r"(?<!\d)(?:\+?1[ -.]?)?\(?\d{3}\)?[ -.]?\d{3}[ -.]?\d{4}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)"),
            _has_digit),
        Shape("wechat_id", _rx(r"(?:微信号?|vx|wx|wechat(?: id)?|v信)[:：\s]*[a-z][-_a-z0-9]{5,19}"),
              _always),
        Shape("crypto_address", _rx(
            r"(?<![a-z0-9])(?:0x[0-9a-f]{40}|t[1-9a-hj-np-z]{33}|(?:bc1|[13])[a-hj-np-z0-9]{25,39})(?![a-z0-9])"),
            _has_digit),
        Shape("url", _rx(r"(?:https?://|www\.)[^\s]{3,200}|[a-z0-9-]{2,63}\.(?:com|net|org|xyz|top|vip|cc|io|app|link)(?:/[^\s]{0,200})?"),
              _always),
    )
}
