"""Fuzzy matching of a pattern pack against messages.

Phrases are matched on the ``fold`` view (see normalize.py); regexes and shapes on ``plain``.

Two kinds of phrase, two ways of tolerating OCR errors:

- Chinese (any phrase with a CJK character) is matched by characters with rapidfuzz: exact up
  to 6 characters (each character carries meaning: 拍个照 is not 拍裸照), one wrong character
  allowed from 7, two from 13, never at the phrase's first or last character.
- English is matched word by word: a short word (up to 4 letters) must be the same word (a
  plural or verb ending is fine: pic/pics), a longer one tolerates one typo (two from 9 letters),
  and words OCR split apart ("wa n na") are joined again. So "I'll call you" never matches
  "I'll kill you", while "nudez" matches "nudes".

Speed comes from candidate indexes, not from skipping work; the findings are exactly those of
checking every phrase (``Matcher(rules, use_index=False)``, the brute force the tests compare
against):

- Chinese phrases are indexed by character bigrams. With ``e`` allowed edits at most ``3e``
  distinct bigrams of a phrase can be missing from a text that matches it, so a phrase is
  verified only when the text shares at least ``useful - 3e`` of them.
- English phrases are indexed by one anchor word each (their rarest word): exactly, by its
  stem, and for one-typo anchors by its deletion variants (SymSpell's symmetric delete: a word
  within one edit of the anchor always shares a deletion variant with it); two-typo anchors of
  9+ letters, a few dozen, are compared with each new text word by edit distance.
- Regexes run only when a gate says they can match: Hyperscan scanning every regex (widened) at
  once (hs_gate.py, kept in the pack's start-up cache), else the literals every match must
  contain, found by Aho-Corasick (regex_gate.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from . import _native
from .hs_gate import HyperscanGate
from .normalize import (
    CJK_CLASS,
    Norm,
    Normalized,
    alt_views,
    code_switched,
    is_cjk,
    normalize,
    normalize_term,
    spelled_out,
)
from .pack import LazyPattern, Rule
from .regex_gate import RegexGate
from .shapes import SHAPES

__all__ = ["Hit", "Matcher", "allowed_edits", "threshold_for", "word_edits"]

WINDOW = 4000  # long messages are matched in overlapping windows of this many characters
WINDOW_OVERLAP = 400
STOP_GRAM_POSTINGS = 48  # a bigram shared by more phrases than this does not help to prune
MAX_JOIN = 3  # an English word may be split by OCR into up to this many pieces
KEY_CACHE = 200_000  # text words whose candidate phrases are remembered


_ANY_CJK = re.compile(CJK_CLASS)


def _has_cjk(s: str) -> bool:
    return any(is_cjk(c) for c in s)


def allowed_edits(phrase: str) -> int:
    """OCR errors a Chinese phrase tolerates (whole phrase); for English, the sum over its
    words of ``word_edits``."""
    if _has_cjk(phrase):
        n = len(phrase)
        return 0 if n <= 6 else (1 if n <= 12 else 2)
    return sum(word_edits(w) for w in _phrase_words(phrase))


def word_edits(word: str) -> int:
    n = len(word)
    return 0 if n <= 4 else (1 if n <= 8 else 2)


def threshold_for(phrase: str) -> float:
    e = allowed_edits(phrase)
    return 100.0 if e == 0 else 100.0 * (1.0 - e / len(phrase)) - 1e-6


# ---------------------------------------------------------------------- English words

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
_SUFFIXES = ("ies", "ing", "es", "ed", "s", "z", "d", "y")


def _phrase_words(phrase: str) -> list[str]:
    return [m.group().replace("'", "") for m in _WORD.finditer(phrase)]


@lru_cache(maxsize=65536)
def _stem(w: str) -> str:
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


@lru_cache(maxsize=262144)
def _word_cost(pw: str, tw: str) -> int | None:
    """Edits between a phrase word and a text word, or None when they are different words:
    the same word, the same stem (pic/pics, nude/nudes/nudez), or a long word within its typo
    budget (one typo from 5 letters, two from 9)."""
    if pw == tw:
        return 0
    if _stem(pw) == _stem(tw):
        return 0
    budget = word_edits(pw)
    if budget == 0 or abs(len(pw) - len(tw)) > budget:
        return None
    d = Levenshtein.distance(pw, tw, score_cutoff=budget)
    return d if d <= budget else None


@lru_cache(maxsize=65536)
def _deletes(w: str) -> frozenset[str]:
    """The word and every word one letter shorter made from it (SymSpell's deletion variants)."""
    return frozenset({w, *(w[:i] + w[i + 1 :] for i in range(len(w)))})


class _Tokens:
    """The words of a text for English matching. ``keys``: every word and OCR-joined run of
    pieces; ``stems`` and ``spans`` are only worked out when a phrase is verified."""

    __slots__ = ("text", "words", "keys", "ids", "_stems", "_spans", "_stem_of")

    def __init__(self, text: str, words: list[str], keys: set[str],
                 stem_of: dict[str, str] | None = None, *, ids: set[int] | None = None,
                 stems: frozenset[str | None] | None = None) -> None:
        self.text = text
        self.words = words
        self.keys = keys
        # natively (Matcher._tokens): the phrase ids of the keys, without those that lack a
        # no-typo word (the ones match_phrases skips), and the stems
        self.ids = ids
        self._stem_of = stem_of
        self._stems = stems
        self._spans: list[tuple[int, int]] | None = None

    @property
    def stems(self) -> frozenset[str | None]:
        """The stems of the text's words (with ``stem_of``: only the stems some phrase needs,
        which is all a subset test against a phrase's stems can see)."""
        if self._stems is None:
            stem_of = self._stem_of
            self._stems = frozenset(map(_stem, self.keys) if stem_of is None else map(stem_of.get, self.keys))
        return self._stems

    @property
    def spans(self) -> list[tuple[int, int]]:
        if self._spans is None:
            self._spans = [m.span() for m in _WORD.finditer(self.text)]
        return self._spans


def _tokenize(text: str, stem_of: dict[str, str] | None = None) -> _Tokens:
    words: list[str] = _WORD.findall(text)
    if "'" in text:
        words = [w.replace("'", "") for w in words]
    keys: set[str] = set(words)
    n = len(words)
    # only OCR splits (short pieces) are joined: a run stops between two long words
    short = [len(w) <= 3 for w in words]
    for i in range(n - 1):
        if not (short[i] or short[i + 1]):
            continue
        joined = words[i]
        for j in range(i + 1, min(i + MAX_JOIN, n)):
            if not (short[j] or short[j - 1]):
                break
            joined += words[j]
            keys.add(joined)
    return _Tokens(text, words, keys, stem_of)


def _match_words(pws: Sequence[str], toks: _Tokens) -> tuple[int, int, int] | None:
    """Best (fewest edits, earliest) placement of the phrase's words in the text's words.
    Returns (edits, first token, last token exclusive)."""
    sp = _native.speedups
    if sp is not None:  # the same in C (_speedups.c: match_words)
        got: tuple[int, int, int] | None = sp.match_words(pws, toks.words)
        return got
    words = toks.words
    n = len(words)
    first = pws[0]
    # a first word that allows no typo can only start a join of OCR pieces with a piece that
    # is a prefix of its stem or has the stem as a prefix (pieces joined = stem + an ending)
    first_stem = _stem(first) if word_edits(first) == 0 else None
    # then a start word shares the stem's first letter whichever way it matches (same stem,
    # or a piece of it): the cheap test first
    lead = first_stem[0] if first_stem else ""
    best: tuple[int, int, int] | None = None
    for start in range(n - len(pws) + 1 if len(pws) <= n else 0):
        w = words[start]
        if not w.startswith(lead):
            continue
        can_join = start + 1 < n and (len(w) <= 3 or len(words[start + 1]) <= 3)
        if can_join and first_stem is not None and not (first_stem.startswith(w) or w.startswith(first_stem)):
            can_join = False
        if not can_join and _word_cost(first, w) is None:
            continue  # the first word cannot start here, not even as a split OCR piece
        res = _match_from(pws, 0, words, start, 0)
        if res is not None:
            cost, end = res
            if best is None or cost < best[0]:
                best = (cost, start, end)
                if cost == 0:
                    break
    return best


def _match_from(pws: Sequence[str], pi: int, words: Sequence[str], ti: int, cost: int) -> tuple[int, int] | None:
    if pi == len(pws):
        return (cost, ti)
    best: tuple[int, int] | None = None
    joined = ""
    for k in range(MAX_JOIN):
        j = ti + k
        if j >= len(words):
            break
        if k and len(words[j]) > 3 and len(words[j - 1]) > 3:
            break  # only OCR splits (short pieces) are joined
        joined += words[j]
        c = _word_cost(pws[pi], joined)
        if c is None:
            continue
        res = _match_from(pws, pi + 1, words, j + 1, cost + c)
        if res is not None and (best is None or res[0] < best[0]):
            best = res
    return best


# ---------------------------------------------------------------------- the matcher


@dataclass(frozen=True, slots=True)
class _Phrase:
    rule: int
    raw: str
    norm: str
    latin: bool
    words: tuple[str, ...]  # English phrases: their words
    edits: int
    threshold: float
    # stems of the words that allow no typo: each must be in the text as that word or stem, and
    # "w in words or stem(w) in stems" is just "stem(w) in stems"
    exact_stems: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Hit:
    rule: int  # index into Matcher.rules
    matched: str  # the phrase as written in the pack, or for a regex / shape the matched text
    score: float
    span: tuple[int, int]  # in the source text


# English function words and chat fillers: poor anchors, they occur in almost every message.
# Written in the folded form (l -> i, leet folded) the matcher sees.
_COMMON = frozenset("""
a about after again aii aiso am an and any are as at back be because been but by can come
could day did do does dont for from get go going got had has have he her here him his how i
if iike in is it its iust just know iet make me more my no not now of oh ok on one or our out
piease pis piz please really right say see she so some sure take teii than that the their them
then there these they thing think this time to too u ur up us very want was way we weii were
what whats when where which who why wiii with wouid would yeah yes you your youre
caii even other down night again said need still oniy good much many give tomorrow today tonight
""".split())  # noqa: SIM905 - a word list reads better as text


def _grams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


def _term_regex(terms: Sequence[str]) -> re.Pattern[str] | None:
    """Terms are folded; Latin terms must start at a word start (pic -> pics, not topic), and a
    short one (up to three letters) must also end the word, a plural aside (us is not use, ig
    is not igloo; pic -> pics). Only whether it matches is used (``Matcher.has_term``)."""
    tails: dict[str, str] = {}
    for t in {normalize_term(t) for t in terms if normalize_term(t)}:
        esc = re.escape(t)
        # the word-start test comes after the term, as a look-behind over the term itself
        # ("pic(?<![a-z]pic)" is "(?<![a-z])pic"): every alternative then starts with a literal
        if _has_cjk(t[0]):
            tails[t] = ""
        elif len(t) <= 3 and t[-1].isalpha():
            tails[t] = rf"(?<![a-z]{esc})(?:s|z)?(?![a-z])"
        else:
            tails[t] = rf"(?<![a-z]{esc})"
    if not tails:
        return None
    return re.compile(_trie(sorted(tails), 0, tails))


def _trie(terms: list[str], depth: int, tails: dict[str, str]) -> str:
    """One alternative per next character, so that at each position of a text the regex
    engine tries the terms that start with that character only, not each of ~150 terms in
    turn (1.4x faster over the dev set's lines, measured). ``terms``: sorted, sharing their first
    ``depth`` characters."""
    alts: list[str] = []
    i = 0
    while i < len(terms):
        t = terms[i]
        if len(t) == depth:  # a term ends here (sorted: it comes first)
            alts.append(tails[t])
            i += 1
            continue
        j = i
        while j < len(terms) and len(terms[j]) > depth and terms[j][depth] == t[depth]:
            j += 1
        alts.append(re.escape(t[depth]) + _trie(terms[i:j], depth + 1, tails))
        i = j
    if len(alts) == 1:
        return alts[0]
    if "" in alts:  # a term that needs nothing more matches at once
        return ""
    return "(?:" + "|".join(alts) + ")"


class _LazyTerms:
    """Per rule: None, or (the compiled term regex, scope), compiled on first access."""

    def __init__(self, specs: list[tuple[Sequence[str], str | None] | None]) -> None:
        self._specs = specs
        self._done: dict[int, Any] = {}

    def __len__(self) -> int:
        return len(self._specs)

    def __getitem__(self, ri: int) -> Any:
        try:
            return self._done[ri]
        except KeyError:
            spec = self._specs[ri]
            if spec is None:
                val = None
            else:
                terms, scope = spec
                rx = _term_regex(terms)
                val = rx if scope is None else (rx, scope)
            self._done[ri] = val
            return val


class Matcher:
    def __init__(self, rules: Sequence[Rule], *, use_index: bool = True) -> None:
        self.rules = tuple(rules)
        self.use_index = use_index
        phrases: list[_Phrase] = []
        for ri, rule in enumerate(self.rules):
            for raw in rule.phrases:
                norm = normalize_term(raw)
                if len(norm) < 2:
                    continue
                latin = not _has_cjk(norm)
                words = tuple(_phrase_words(norm)) if latin else ()
                e = allowed_edits(norm)
                exact = frozenset(_stem(w) for w in words if word_edits(w) == 0)
                phrases.append(_Phrase(ri, raw, norm, latin, words, e, threshold_for(norm), exact))
        self.phrases = tuple(phrases)
        # requires / suppress terms are compiled when a rule first hits (start-up time)
        self.requires = _LazyTerms([(r.requires.any, r.requires.scope) if r.requires else None
                                    for r in self.rules])
        # rules with several groups: group k of rule ri is self.requires_more[ri][k]
        self.requires_more = {ri: _LazyTerms([(g.any, g.scope) for g in r.also_requires])
                              for ri, r in enumerate(self.rules) if r.also_requires}
        self.suppress = _LazyTerms([(r.suppress, None) if r.suppress else None for r in self.rules])
        self.regex_rules = [
            (ri, [(rx.pattern, rx, False) for rx in r.regexes]
             + [(name, SHAPES[name].regex, SHAPES[name].needs_digit) for name in r.shapes])
            for ri, r in enumerate(self.rules) if r.regexes or r.shapes
        ]
        # one gate over every regex, in rule order: only those whose required literal occurs run
        self._rx_flat = [(ri, rx, nd) for ri, regs in self.regex_rules for _n, rx, nd in regs]
        # rules that share a regex (the context families share their cue lists) search it once
        # per text: the first flat index with the same regex stands for all
        first: dict[tuple[type, str, int], int] = {}
        self._rx_canon = [first.setdefault((type(rx), rx.pattern, getattr(rx, "flags", 0)), k)
                          for k, (_ri, rx, _nd) in enumerate(self._rx_flat)]
        # chat text to tell rare from common literals by: the pack's own examples (risky and
        # not), the closest thing to chat text the pack has
        sample = [normalize(ex).plain.text for r in self.rules
                  for ex in (*r.examples_match, *r.examples_no_match)]
        self._gate = RegexGate([rx for _ri, rx, _nd in self._rx_flat], sample)
        # the same gate done natively (hs_gate.py): built on request, as it takes ~20 s
        # (``make install`` and ``make package`` keep it in the pack's start-up cache)
        self._native: HyperscanGate | None = None
        self._build_cjk_index()
        self._build_word_index()
        # every word whose stem a phrase needs exactly (the stem itself, or it with one of the
        # endings ``_stem`` takes off), mapped to that stem: a text's stems are then looked up,
        # not worked out word by word
        self._stem_of: dict[str, str] = {}
        for p in self.phrases:
            for st in p.exact_stems:
                for w in (st, *(st + suf for suf in _SUFFIXES)):
                    if _stem(w) == st:
                        self._stem_of[w] = st

    # ------------------------------------------------------------------ the native gate

    @property
    def regex_gate(self) -> str:
        """Which gate chooses the regexes to run: "hyperscan" or "python"."""
        return "hyperscan" if self._native is not None and self._native.usable else "python"

    def build_native_gate(self) -> str | None:
        """Build the Hyperscan gate and use it when it lets through every regex that matches the
        pack's own examples (as written and in every view the matcher uses). Returns None when it
        is in use, else why not (the Python gate stays: same findings, slower)."""
        regexes = [rx for _ri, rx, _nd in self._rx_flat]
        try:
            native = HyperscanGate(regexes)
        except RuntimeError as exc:
            return str(exc)
        texts: list[str] = []
        for r in self.rules:
            for ex in (*r.examples_match, *r.examples_no_match):
                norm = normalize(ex)
                texts.append(norm.plain.text)
                texts.append(alt_views(norm)[0].text)
                switched = code_switched(norm)
                if switched is not None:
                    texts.append(switched[0].text)
        bad = native.misses(list(dict.fromkeys(texts)), regexes, self._gate.candidates)
        if bad:
            k, text = bad[0]
            return (f"the Hyperscan gate missed {len(bad)} regex match(es) on the pack's examples "
                    f"(first: regex {k} of rule {self.rules[self._rx_flat[k][0]].id if k >= 0 else '?'})")
        self._native = native
        return None

    # ------------------------------------------------------------------ indexes

    def _build_cjk_index(self) -> None:
        postings: dict[str, list[int]] = {}
        for pi, p in enumerate(self.phrases):
            if not p.latin:
                for g in _grams(p.norm):
                    postings.setdefault(g, []).append(pi)
        self._postings = {g: tuple(v) for g, v in postings.items() if len(v) <= STOP_GRAM_POSTINGS}
        self._need: dict[int, int] = {}
        always: list[int] = []
        for pi, p in enumerate(self.phrases):
            if p.latin:
                continue
            useful = sum(1 for g in _grams(p.norm) if g in self._postings)
            need = useful - 3 * p.edits
            self._need[pi] = need
            if need <= 0:
                always.append(pi)
        self._cjk_always = tuple(always)

    def _build_word_index(self) -> None:
        freq: dict[str, int] = {}
        for p in self.phrases:
            for w in set(p.words):
                freq[w] = freq.get(w, 0) + 1
        exact: dict[str, set[int]] = {}
        fuzzy: dict[str, set[int]] = {}
        long_anchors: dict[str, set[int]] = {}
        always: list[int] = []
        for pi, p in enumerate(self.phrases):
            if not p.latin:
                continue
            if not p.words:  # emoji or punctuation only: exact search, cheap
                always.append(pi)
                continue
            # the word least likely in any chat: not a function word, then the longest (long
            # words are rare, Zipf), then the rarest in the pack (shorter postings)
            anchor = min(p.words, key=lambda w: (_stem(w) in _COMMON or w in _COMMON, -len(w), freq[w]))
            exact.setdefault(anchor, set()).add(pi)
            exact.setdefault(_stem(anchor), set()).add(pi)
            budget = word_edits(anchor)
            if budget == 1:
                for key in _deletes(anchor):
                    fuzzy.setdefault(key, set()).add(pi)
            elif budget == 2:  # 9+ letters: compared with each text word by edit distance
                long_anchors.setdefault(anchor, set()).add(pi)
        self._exact_index = {k: tuple(sorted(v)) for k, v in exact.items()}
        self._fuzzy_index = {k: tuple(sorted(v)) for k, v in fuzzy.items()}
        # Two-typo anchors (54 words of 9+ letters in the built-in pack) are compared with a text word
        # directly, by edit distance in rapidfuzz (C): their deletion variants of depth two were
        # ~40 a word, made in Python for every new word of a chat. A word more than two
        # letters longer or shorter than every such anchor is not within two edits of one.
        self._two_typo_words = tuple(sorted(long_anchors))
        self._two_typo_ids = tuple(tuple(sorted(long_anchors[w])) for w in self._two_typo_words)
        self._max_long = max(map(len, long_anchors), default=0) + 2
        self._word_always = tuple(always)
        # no phrase is a candidate of every text (then a text whose words have no phrase has none)
        self._no_always = not always and not self._cjk_always
        self._key_cache: dict[str, tuple[int, ...]] = {}
        # a text word longer than this cannot be within one edit of a one-typo anchor (<= 8 letters)
        self._max_key = 9

    # ------------------------------------------------------------------ candidates

    def _candidates(self, text: str, toks: _Tokens) -> Iterable[int]:
        if not self.use_index:
            return range(len(self.phrases))
        cjk = not text.isascii() and _ANY_CJK.search(text) is not None
        if toks.ids is not None and not cjk and self._no_always:
            # the common case (no Chinese, worked out natively): the words' phrases alone
            return sorted(toks.ids)
        out: set[int] = set(self._cjk_always)
        if cjk:
            # how many of each phrase's bigrams the text has (counted in C)
            postings = self._postings
            counts = Counter(chain.from_iterable(filter(None, map(postings.get, _grams(text)))))
            need = self._need
            out.update(pi for pi, c in counts.items() if c >= need[pi] > 0)
        # phrases without words (emoji, punctuation) are looked for in any text, words or none
        out.update(self._word_always)
        if toks.words:  # (a text has keys when it has words)
            if toks.ids is not None:  # worked out natively with the words
                out.update(toks.ids)
                return sorted(out)
            cache = self._key_cache
            for key in toks.keys:
                ids = cache.get(key)
                if ids is None:
                    ids = self._key_candidates(key)
                if ids:
                    out.update(ids)
        return sorted(out)

    def _key_candidates(self, key: str) -> tuple[int, ...]:
        """``_compute_key_candidates``, remembered: it depends on the word alone, and words
        repeat across the lines of a chat (in memory only, bounded)."""
        res = self._compute_key_candidates(key)
        cache = self._key_cache
        if len(cache) >= KEY_CACHE:
            cache.clear()
        cache[key] = res
        return res

    def _compute_key_candidates(self, key: str) -> tuple[int, ...]:
        """English phrases a text word (or OCR-joined run of pieces) can be the anchor of:
        the same word or stem, within one typo of a 5-8 letter anchor (shares a deletion
        variant), within two of a 9+ letter anchor."""
        exact = self._exact_index
        out: set[int] = set(chain.from_iterable(filter(None, map(exact.get, {key, _stem(key)}))))
        if 4 <= len(key) <= self._max_key:
            out.update(chain.from_iterable(filter(None, map(self._fuzzy_index.get, _deletes(key)))))
        if self._two_typo_words and 7 <= len(key) <= self._max_long:
            ids = self._two_typo_ids
            for _w, _d, i in process.extract(key, self._two_typo_words, scorer=Levenshtein.distance,
                                             score_cutoff=2, limit=None):
                out.update(ids[i])
        return tuple(sorted(out))

    def _tokens(self, text: str) -> _Tokens:
        """The words of a text (``_tokenize``); natively also their stems and the phrase ids of
        their keys that have every no-typo word in the text, with the key cache kept in C
        (``_speedups.KeyIndex``, made on first use, never pickled)."""
        index = self._key_index()
        if index is None:
            return _tokenize(text, self._stem_of)
        words, ids, stems = index.scan(text)
        return _Tokens(text, words, set(), self._stem_of, ids=ids, stems=stems)

    def _key_index(self) -> Any:
        """The native key index (``_speedups.KeyIndex``), made on first use; None where the
        Python tokenizer runs (no native steps, or no index)."""
        index = self.__dict__.get("_native_keys")
        if index is None:
            sp = _native.speedups
            if sp is None or not self.use_index:
                return None
            index = self._native_keys = sp.KeyIndex(self._compute_key_candidates, self._stem_of, KEY_CACHE,
                                                    tuple(p.exact_stems for p in self.phrases))
        return index

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_native_keys", None)  # a C object: made again on first use
        state.pop("_rx_compiled", None)  # compiled again on first use (as LazyPattern)
        return state

    # ------------------------------------------------------------------ verification

    @staticmethod
    def _verify_cjk(p: _Phrase, text: str) -> tuple[float, int, int] | None:
        if p.edits == 0:
            start = text.find(p.norm)
            return None if start < 0 else (100.0, start, start + len(p.norm))
        if len(text) < len(p.norm) - p.edits:
            return None
        if len(text) <= len(p.norm):
            score = fuzz.ratio(p.norm, text, score_cutoff=p.threshold)
            if not score or text[0] != p.norm[0] or text[-1] != p.norm[-1]:
                return None
            return (score, 0, len(text))
        al = fuzz.partial_ratio_alignment(p.norm, text, score_cutoff=p.threshold)
        if al is None:
            return None
        s, e = al.dest_start, al.dest_end
        # OCR slack inside the phrase only: its ends must be there, or a neighbouring word
        # could stand in for them (在附近看到你的 vs 在附近看到你，交…)
        if e <= s or text[s] != p.norm[0] or text[e - 1] != p.norm[-1]:
            return None
        return (float(al.score), s, e)

    @staticmethod
    def _verify_latin(p: _Phrase, text: str, toks: _Tokens) -> tuple[float, int, int] | None:
        if not p.words:
            start = text.find(p.norm)
            return None if start < 0 else (100.0, start, start + len(p.norm))
        if not p.exact_stems <= toks.stems:  # necessary: every no-typo word is there
            return None
        res = _match_words(p.words, toks)
        if res is None:
            return None
        cost, a, b = res
        letters = sum(len(w) for w in p.words)
        return (100.0 * (1.0 - cost / letters), toks.spans[a][0], toks.spans[b - 1][1])

    def match_phrases(self, norm: Normalized, view: Norm | None = None) -> dict[int, Hit]:
        """Best phrase hit per rule, spans in the source text (on ``view``, by default the
        message's fold view)."""
        fold = norm.fold if view is None else view
        text = fold.text
        best: dict[int, Hit] = {}
        rank: dict[int, tuple[float, int, int]] = {}
        phrases = self.phrases
        index = self._key_index()
        for off, chunk in _windows(text) if len(text) > WINDOW else ((0, text),):
            if index is None:
                toks = self._tokens(chunk)
            else:
                # the words come back only when a phrase id does (else None: no English phrase
                # to place, and the Chinese ones are placed on the text)
                words, ids, stems = index.scan(chunk, False)
                if not ids and self._no_always and chunk.isascii():
                    continue  # four times in five: no phrase to verify (Chinese: _candidates)
                toks = _Tokens(chunk, words or [], set(), self._stem_of, ids=ids, stems=stems)
            for pi in self._candidates(chunk, toks):
                p = phrases[pi]
                if p.latin:
                    # most word candidates lack a word that allows no typo: the cheap test first
                    if p.words and not p.exact_stems <= toks.stems:
                        continue
                    res = self._verify_latin(p, chunk, toks)
                else:
                    res = self._verify_cjk(p, chunk)
                if res is None:
                    continue
                score, s, e = res
                # deterministic whatever the candidate order: best score, then earliest, then pack order
                key = (-round(score, 1), off + s, pi)
                if p.rule not in rank or key < rank[p.rule]:
                    rank[p.rule] = key
                    best[p.rule] = Hit(p.rule, p.raw, round(score, 1), fold.span_to_source(off + s, off + e))
        return best

    def match_regexes(self, norm: Normalized, alt: Norm | None = None) -> dict[int, Hit]:
        """Per rule, the first of its regexes / shapes that matches (in pack order): on the
        plain view, then, for the rules still without a hit, on its ``alt_views`` form
        (leetspeak, spaced letters and chat spellings undone) when that differs."""
        best: dict[int, Hit] = {}
        self._run_regexes(norm.plain, norm.source, best)
        if alt is None:
            alt = alt_views(norm)[0]
        if alt is not norm.plain:
            self._run_regexes(alt, norm.source, best)
        return best

    def _run_regexes(self, view: Norm, source: str, best: dict[int, Hit]) -> None:
        text = view.text
        flat = self._rx_flat
        order: Iterable[int] | None = None
        if self.use_index:
            native = self._native
            if native is not None and native.usable:
                order = native.candidates(text)
            if order is None:
                order = self._gate.candidates(text)
        else:
            order = range(len(flat))
        if not order:
            return
        canon = self._rx_canon
        compiled: list[re.Pattern[str] | None] | None = self.__dict__.get("_rx_compiled")
        if compiled is None:
            fresh: list[re.Pattern[str] | None] = [None] * len(flat)
            compiled = self._rx_compiled = fresh
        seen: dict[int, re.Match[str] | None] = {}
        for k in order:
            ri, rx, _needs_digit = flat[k]
            if ri in best:
                continue
            c = canon[k]
            if c in seen:
                m = seen[c]
            else:
                # the compiled form of a pack regex (a LazyPattern compiles on first use), kept
                # here: a call less per search
                crx = compiled[k]
                if crx is None:
                    crx = compiled[k] = rx.compiled() if isinstance(rx, LazyPattern) else rx
                m = seen[c] = crx.search(text)
            if m and m.end() > m.start():
                span = view.span_to_source(*m.span())
                # what the user sees: the text that matched, not the regex
                best[ri] = Hit(ri, source[span[0]:span[1]], 100.0, span)

    def hits(self, norm: Normalized) -> dict[int, Hit]:
        """All rules whose phrases, regexes or shapes occur (conditions not yet applied). A
        message is also matched on its ``alt_views`` (leetspeak, spaced letters and chat
        spellings undone), and a mixed Chinese-English one with its common English words put
        in Chinese (``code_switched``), for the rules it did not hit as written."""
        alt_plain, alt_fold = alt_views(norm)
        out = self.match_regexes(norm, alt_plain)
        for ri, hit in self.match_phrases(norm).items():
            if ri not in out or hit.score >= out[ri].score:
                out[ri] = hit
        if alt_fold is not norm.fold:
            for ri, hit in self.match_phrases(norm, alt_fold).items():
                out.setdefault(ri, hit)
        switched = code_switched(norm)
        if switched is not None:
            plain, fold = switched
            more: dict[int, Hit] = {}
            self._run_regexes(plain, norm.source, more)
            for ri, hit in self.match_phrases(norm, fold).items():
                if ri not in more or hit.score >= more[ri].score:
                    more[ri] = hit
            for ri, hit in more.items():
                out.setdefault(ri, hit)
        return out

    def has_term(self, rx: re.Pattern[str] | None, norm: Normalized, *, views: bool = False) -> bool:
        """A term in the message as written; with ``views``, also in the views the rules are
        matched on (chat spellings spelled out, English words put in Chinese). Required terms
        are looked for in the views; suppressing ones only as written (你 mom 唔喺度 asks whether
        the mother is away: the Chinese view's 妈妈 must not suppress it). Remembered with the
        message: rules share their term lists (a quarter of the searches were repeats)."""
        if rx is None:
            return False
        key = (id(rx), views)
        got = norm.memo.get(key)
        if got is not None and got[0] is rx:
            return got[1]
        found = rx.search(norm.fold.text) is not None
        if not found and views:
            for views_ in (code_switched(norm), spelled_out(norm)):
                if views_ is not None and rx.search(views_[1].text):
                    found = True
                    break
        norm.memo[key] = (rx, found)  # the regex kept: its id is not reused while it is here
        return found


def _windows(text: str) -> list[tuple[int, str]]:
    if len(text) <= WINDOW:
        return [(0, text)]
    out = []
    step = WINDOW - WINDOW_OVERLAP
    for off in range(0, len(text), step):
        out.append((off, text[off : off + WINDOW]))
        if off + WINDOW >= len(text):
            break
    return out
