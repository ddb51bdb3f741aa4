"""A learned second opinion: a small linear model over character and word n-grams.

The rules (``patterns/packs``) say exactly why a line is risky, but they only catch wording
someone anticipated. This model was trained by ``bench/learned.py`` on the project's own
hand-labelled chats (``tests/data/devset`` … ``devset11``) and its own ordinary chat
(``tests/data/ordinary_en``, ``ordinary_zh``); never on the held-out sets nor on the fresh
set it was judged on (``devset12``). It reads the whole message and says how
much it reads like each category's messages. The analyzer (``Analyzer``) uses it two ways:
a line from the other party that no rule flagged gets the model's finding when the model is
confident (the finding says it is the model's reading, not a rule, and names the words that
weighed most, so the user can judge it), and a built-in rule's finding on a line the model
reads as clearly ordinary is set aside, unless the rules flag several of the other party's
lines. Chosen by leaving each tuning set out in turn (``python -m bench.learned loso``).

Features are taken from the message's normalised plain view with leetspeak undone and chat
English spelled out (``alt_views``): Traditional is folded to Simplified, width and case are
folded, OCR spaces between CJK characters removed. Tokens are single CJK characters, Latin
words, number shapes and a few symbols; features are token uni-, bi- and trigrams. The model is
a softmax over "none" and the ten categories: ``p(risky) = 1 - p(none)``.

Inference is a dict lookup per n-gram and one numpy sum: about 0.1 ms a message.
"""

from __future__ import annotations

import json
import logging
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .normalize import Norm, Normalized, alt_views, is_cjk, normalize
from .types import Category

__all__ = ["MODEL_PATH", "LearnedModel", "LearnedError", "Reading", "tokens", "features"]

MODEL_PATH = Path(__file__).resolve().parent / "model" / "scorer.npz"
FORMAT = "chatguard-learned-1"
NONE = "none"
MAX_CHARS = 2000  # a longer message is read by its first this many characters

_TLD = r"(?:com|net|org|top|xyz|cc|vip|io|me|cn|hk|tw|info|link|app|site|ly|co|us|gov)"
_TOKEN = re.compile(r"(?P<url>https?://\S+|www\.\S+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\." + _TLD + r"\b(?:/\S*)?)"
                    r"|(?P<word>[a-z][a-z']*)|(?P<num>\d+(?:[.,]\d+)*)|(?P<cur>[$¥￥€£])|(?P<ch>\S)")
_PUNCT_KEEP = set("?!？！")

# a token: (its text, start, end), the offsets in the view it was taken from
Token = tuple[str, int, int]


class LearnedError(Exception):
    """The model file is missing or not a model of this format."""


def _token_of(raw: str) -> str | None:
    if raw[0].isdigit():
        digits = sum(ch.isdigit() for ch in raw)
        return "<num>" if digits <= 2 else "<num3>" if digits <= 4 else "<num5>" if digits <= 8 else "<numlong>"
    if raw in "$¥￥€£":
        return "<cur>"
    if raw.startswith(("http", "www.")):
        return "<url>"
    if raw[0].isalpha() and raw.isascii():
        return raw.strip("'") or None
    ch = raw[0]
    if is_cjk(ch):
        return ch
    if ch in _PUNCT_KEEP:
        return "?" if ch in "?？" else "!"
    if ord(ch) >= 0x2190 and not ch.isalnum():  # emoji and other pictographs
        return ch
    return None


_char_token = lru_cache(maxsize=8192)(_token_of)


def tokens(text: str) -> list[Token]:
    """The tokens of a normalised view: CJK characters, Latin words, number shapes (<num> for
    up to 2 digits, <num3>, <num5>, <numlong>), <cur>, <url>, ? and ! and pictographs."""
    out: list[Token] = []
    add = out.append
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        raw = m.group()
        if kind == "ch":
            tok = _char_token(raw)
        elif kind == "word":
            tok = raw.strip("'") or None
        elif kind == "url" and not raw[0].isdigit():
            tok = "<url>"
        else:
            tok = _token_of(raw)
        if tok:
            add((tok, m.start(), m.end()))
    return out


def view_of(norm: Normalized) -> Norm:
    return alt_views(norm)[0]


def ngrams(toks: list[Token]) -> Iterable[tuple[str, int, int]]:
    """(feature, start token, end token) for token uni-, bi- and trigrams."""
    texts = [t[0] for t in toks]
    n = len(texts)
    for i in range(n):
        a = texts[i]
        yield a, i, i + 1
        if i + 1 < n:
            ab = a + " " + texts[i + 1]
            yield ab, i, i + 2
            if i + 2 < n:
                yield ab + " " + texts[i + 2], i, i + 3


def analyse(text: str, speaker: str = "them", norm: Normalized | None = None
            ) -> tuple[str, Norm, list[Token], list[tuple[str, int, int]], set[str]]:
    """A message as the model sees it, one way for the trainer and the reader: the text (cut
    to ``MAX_CHARS``), the view the tokens come from, the tokens, their n-grams and the
    feature set (the n-grams, and the speaker when it is the user)."""
    text = text[:MAX_CHARS]
    if norm is None:
        norm = normalize(text)
    view = view_of(norm)
    toks = tokens(view.text)
    grams = list(ngrams(toks))
    feats = {f for f, _i, _j in grams}
    if speaker == "me":
        feats.add("<speaker:me>")
    return text, view, toks, grams, feats


def features(text: str, speaker: str = "them", norm: Normalized | None = None) -> set[str]:
    """The feature set of one message (as the trainer sees it)."""
    return analyse(text, speaker, norm)[4]


@dataclass(frozen=True, slots=True)
class Reading:
    """What the model makes of one message."""

    risky: float  # p(risky) = 1 - p(none), 0..1
    category: Category  # the most likely category
    probability: float  # p(category)
    words: tuple[str, ...]  # the source words that weighed most towards the category
    span: tuple[int, int]  # offsets in the ORIGINAL message covering those words


class LearnedModel:
    """The model file: ``meta`` (JSON: format, classes, thresholds, what it was trained on),
    ``features`` (the n-grams, one per line), ``weights`` (features x classes) and ``bias``."""

    def __init__(self, meta: dict, features: Sequence[str], weights: np.ndarray, bias: np.ndarray) -> None:
        if meta.get("format") != FORMAT:
            raise LearnedError(f"not a ChatGuard model file (format {meta.get('format')!r})")
        try:
            self.classes: tuple[str, ...] = tuple(meta["classes"])
            self.threshold = float(meta["threshold"])
            self.veto = float(meta.get("veto", 0.0))
            self.min_probability = float(meta.get("min_probability", 0.0))
            self.trained_on: tuple[str, ...] = tuple(meta.get("trained_on", ()))
        except (KeyError, TypeError, ValueError) as exc:
            raise LearnedError(f"model file is missing or has a bad field: {exc}") from exc
        k = len(self.classes)
        if NONE not in self.classes or not (0.0 < self.threshold <= 1.0) or not (0.0 <= self.veto < 1.0):
            raise LearnedError("model file has inconsistent classes or thresholds")
        bad = [c for c in self.classes if c != NONE and c not in Category._value2member_map_]
        if bad:
            raise LearnedError(f"model file names unknown categories: {bad}")
        weights = np.asarray(weights, dtype=np.float32)
        bias = np.asarray(bias, dtype=np.float32)
        if weights.shape != (len(features), k) or bias.shape != (k,) or not np.isfinite(weights).all():
            raise LearnedError(f"model file: weights {weights.shape} and bias {bias.shape} do not fit "
                               f"{len(features)} features and {k} classes")
        self.meta = meta
        self.features = tuple(features)
        self.index: dict[str, int] = {f: i for i, f in enumerate(self.features)}
        self.weights = weights
        self.bias = bias
        self.none = self.classes.index(NONE)
        # per feature, how much it pushes towards each category against "none"
        self._gain = weights - weights[:, self.none:self.none + 1]

    @property
    def id(self) -> str:
        """Names the model in reports: its format and how many labelled messages it learned from."""
        return f"{FORMAT}/{self.meta.get('samples', 0)}"

    @classmethod
    def load(cls, path: Path | None = None) -> LearnedModel:
        path = MODEL_PATH if path is None else path
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                features = str(z["features"]).split("\n") if str(z["features"]) else []
                return cls(meta, features, z["weights"], z["bias"])
        except LearnedError:
            raise
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise LearnedError(f"cannot read the model file {path}: {exc}") from exc

    def save(self, path: Path) -> None:
        np.savez_compressed(path, meta=np.array(json.dumps(self.meta, ensure_ascii=False, sort_keys=True)),
                            features=np.array("\n".join(self.features)),
                            weights=self.weights.astype(np.float16), bias=self.bias)

    def probabilities(self, feats: Iterable[str]) -> np.ndarray:
        rows = [i for i in map(self.index.get, feats) if i is not None]
        z = self.bias + (self.weights[rows].sum(axis=0) if rows else 0.0)
        z = np.exp(z - z.max())
        return z / z.sum()

    def read(self, text: str, norm: Normalized | None = None, speaker: str = "them", *,
             explain: bool = True) -> Reading:
        """``explain``: also find the words that weighed most (``words``, ``span``); without it
        they are empty (a quarter of the cost)."""
        text, view, toks, grams, feats = analyse(text, speaker, norm)
        p = self.probabilities(feats)
        masked = p.copy()
        masked[self.none] = -1.0
        best = int(masked.argmax())
        words, span = self._why(text, view, toks, grams, best) if explain else ((), (0, len(text)))
        return Reading(float(1.0 - p[self.none]), Category(self.classes[best]), float(p[best]), words, span)

    def _why(self, text: str, view: Norm, toks: list[Token], grams: list[tuple[str, int, int]],
             best: int) -> tuple[tuple[str, ...], tuple[int, int]]:
        """The stretches of the message that pushed most towards ``best`` against "none": each
        n-gram's push is shared among its tokens; the strongest windows of up to four tokens
        (at most two, not overlapping) are the phrases shown."""
        if not toks:
            return (), (0, len(text))
        push = [0.0] * len(toks)
        seen: set[str] = set()
        for f, i, j in grams:
            row = self.index.get(f)
            if row is None or f in seen:
                continue
            seen.add(f)
            g = float(self._gain[row, best]) / (j - i)
            for t in range(i, j):
                push[t] += g
        top = max(push)
        if top <= 0:
            return (), (0, len(text))
        # windows of up to four tokens that start and end on a strong token; a weak token
        # inside costs, so a window stops where the push does
        strong = [x >= top / 4 for x in push]
        cands: list[tuple[float, int, int]] = []
        for i in range(len(toks)):
            if not strong[i]:
                continue
            total = 0.0
            for j in range(i, min(i + 4, len(toks))):
                total += push[j] if strong[j] else push[j] - top / 2
                # a phrase is two tokens or more, or one whole word (a lone CJK character or
                # symbol says little to a reader)
                if strong[j] and (j > i or len(toks[i][0]) >= 4 and toks[i][0].isalpha()):
                    cands.append((total, i, j + 1))
        runs: list[tuple[float, int, int]] = []
        for sc, i, j in sorted(cands, key=lambda c: (-c[0], c[1])):
            if all(j <= a or b <= i for _s, a, b in runs):
                runs.append((sc, i, j))
                if len(runs) == 2:
                    break
        words, lo, hi = [], len(text), 0
        for _s, i, j in runs:
            a, b = view.span_to_source(toks[i][1], toks[j - 1][2])  # the view maps to the source
            words.append(text[a:b].strip())
            lo, hi = min(lo, a), max(hi, b)
        return tuple(w for w in words if w), (lo, hi)

    def flags(self, reading: Reading) -> bool:
        return reading.risky >= self.threshold and reading.probability >= self.min_probability


@lru_cache(maxsize=1)
def default_model() -> LearnedModel | None:
    """The built-in model, or None when its file is missing or broken (the rules still work)."""
    try:
        return LearnedModel.load()
    except LearnedError:
        logging.getLogger(__name__).warning("the learned second opinion is off: model file unusable", exc_info=True)
        return None


# ---------------------------------------------------------------------------- findings

RULE_PREFIX = "learned."

CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "sextortion": {"en": "sextortion", "zh-Hans": "性勒索", "zh-Hant": "性勒索"},
    "explicit_request": {"en": "requests for intimate images", "zh-Hans": "索要私密照片",
                         "zh-Hant": "索要私密照片"},
    "threat": {"en": "threats", "zh-Hans": "威胁", "zh-Hant": "威脅"},
    "money_demand": {"en": "money demands", "zh-Hans": "索要钱财", "zh-Hant": "索要錢財"},
    "personal_info": {"en": "requests for personal data", "zh-Hans": "索要个人信息",
                      "zh-Hant": "索要個人資料"},
    "grooming": {"en": "grooming", "zh-Hans": "诱骗未成年人", "zh-Hant": "誘騙未成年人"},
    "meeting": {"en": "pressure to meet", "zh-Hans": "逼迫见面", "zh-Hant": "逼迫見面"},
    "location": {"en": "probing for a location", "zh-Hans": "打探位置", "zh-Hant": "打探位置"},
    "impersonation": {"en": "impersonation", "zh-Hans": "冒充身份", "zh-Hant": "冒充身分"},
    "investment_scam": {"en": "investment scams", "zh-Hans": "投资诈骗", "zh-Hant": "投資詐騙"},
}

EXPLAIN: dict[str, str] = {
    "en": "No rule matched this message, but it reads like the {category} messages ChatGuard "
          "learned from ({pct}% sure; the words shown as matched weighed most). Read it yourself.",
    "zh-Hans": "没有规则直接命中这条消息，但它读起来像 ChatGuard 学过的「{category}」类消息"
               "（把握 {pct}%，标出的词分量最重）。请自己读一遍再判断。",
    "zh-Hant": "沒有規則直接命中這則訊息，但它讀起來像 ChatGuard 學過的「{category}」類訊息"
               "（把握 {pct}%，標出的詞分量最重）。請自己讀一遍再判斷。",
}


def explain(category: Category, risky: float) -> dict[str, str]:
    """The finding's explanation in the three languages (the words that weighed most are the
    finding's ``matched``, shown beside it)."""
    pct = int(risky * 100)
    return {lang: template.format(category=CATEGORY_NAMES[category.value][lang], pct=pct)
            for lang, template in EXPLAIN.items()}
