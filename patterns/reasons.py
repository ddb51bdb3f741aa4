"""Why a finding or a conversation got its risk, in words a user can read in their language.

The conversation weighing (``conversation.py``) records each adjustment it makes as a
:class:`Reason`. A Reason *is* its English sentence (a ``str``: the JSON report, the logs' DEBUG
lines and every ``"..." in reasons`` check keep working as before), and it also keeps its key
and numbers so that the window, the terminal output and the evidence report can say it in
Simplified Chinese, Traditional Chinese or English (:meth:`Reason.text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# key -> language -> template; ``{n}`` is the only parameter used so far
CATALOGUE: dict[str, dict[str, str]] = {
    "quoted": {
        "en": "written by you (quoted or replied)",
        "zh-Hans": "这句是你自己写的（引用或回复）",
        "zh-Hant": "這句是你自己寫的（引用或回覆）",
    },
    "sextortion_pattern": {
        "en": "demand after a request for intimate photos: sextortion pattern",
        "zh-Hans": "先索要私密照片，再威胁或要钱：这是性勒索的套路",
        "zh-Hant": "先索要私密照片，再威脅或要錢：這是性勒索的套路",
    },
    "fake_authority": {
        "en": "asked by someone posing as an authority",
        "zh-Hans": "提出要求的人自称警察、使领馆或银行",
        "zh-Hant": "提出要求的人自稱警察、使領館或銀行",
    },
    "repeated_pressure": {
        "en": "repeated pressure ({n} messages)",
        "zh-Hans": "对方反复施压（{n} 条消息）",
        "zh-Hant": "對方反覆施壓（{n} 則訊息）",
    },
    "escalation": {
        "en": "escalation: friendly approach, then personal questions, an explicit request and a threat or demand",
        "zh-Hans": "一步步升级：先套近乎、打听个人情况，再索要私密照片，然后威胁或要钱",
        "zh-Hant": "一步步升級：先套近乎、打聽個人情況，再索要私密照片，然後威脅或要錢",
    },
    "kinds_together": {
        "en": "{n} different kinds of risk together",
        "zh-Hans": "同一段聊天里出现 {n} 种不同的风险",
        "zh-Hant": "同一段聊天裡出現 {n} 種不同的風險",
    },
    "sustained": {
        "en": "{n} risky messages from the other party",
        "zh-Hans": "对方发了 {n} 条有风险的消息",
        "zh-Hant": "對方發了 {n} 則有風險的訊息",
    },
    "context": {
        "en": "flagged in the context of earlier findings in this chat (adds no weight to the summary)",
        "zh-Hans": "结合这段聊天前面的内容才算可疑（不另外提高总体风险）",
        "zh-Hant": "結合這段聊天前面的內容才算可疑（不另外提高整體風險）",
    },
}


class Reason(str):
    """An English sentence that remembers how to say itself in the other languages."""

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, **params: Any) -> Reason:
        obj = super().__new__(cls, CATALOGUE[key]["en"].format(**params))
        obj.key = key
        obj.params = params
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # pickling (worker processes) keeps key and numbers
        return (_rebuild, (self.key, self.params))

    def text(self, lang: str) -> str:
        return CATALOGUE[self.key].get(lang, CATALOGUE[self.key]["en"]).format(**self.params)


def _rebuild(key: str, params: dict[str, Any]) -> Reason:
    return Reason(key, **params)


def say(reason: str, lang: str) -> str:
    """``reason`` in ``lang`` when it is a :class:`Reason`; any other string as it is."""
    return reason.text(lang) if isinstance(reason, Reason) else reason


def say_all(reasons: Sequence[str], lang: str) -> list[str]:
    """``reasons`` in ``lang``, each once, in order (a finding raised twice for the same reason,
    or a chat's reasons gathered from several screenshots, says it once)."""
    return list(dict.fromkeys(say(r, lang) for r in reasons))
