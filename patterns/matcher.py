"""Fuzzy matching of a pattern pack against messages.

Phrases are matched on the ``fold`` view (see normalize.py) with rapidfuzz: exact for short
phrases, a few OCR errors allowed for long ones (``allowed_edits``). Regexes and shapes run on
the ``plain`` view.

Speed comes from a candidate index, not from skipping work: every phrase is indexed by the
character bigrams of its folded form. With ``e`` allowed edits, at most ``3e`` distinct bigrams
of a phrase can be missing from a text that matches it (each unmatched phrase character breaks
at most two bigrams; each inserted text character splits at most one adjacency), so a phrase is
verified only when the text shares at least ``len(useful bigrams) - 3e`` of them. The result is
the same as checking every phrase (``Matcher(rules, use_index=False)``, the brute force the
tests compare against), only faster.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .normalize import Normalized, is_cjk, normalize_term
from .pack import Rule
from .shapes import SHAPES

__all__ = ["Hit", "Matcher", "allowed_edits", "threshold_for"]

WINDOW = 4000  # long messages are matched in overlapping windows of this many characters
WINDOW_OVERLAP = 400
STOP_GRAM_POSTINGS = 48  # a bigram shared by more phrases than this does not help to prune


def _has_cjk(s: str) -> bool:
    return any(is_cjk(c) for c in s)


def allowed_edits(phrase: str) -> int:
    """OCR errors a phrase tolerates, by length and script: a 2-3 character Chinese phrase
    must match exactly; a long English phrase tolerates a few typos."""
    n = len(phrase)
    if _has_cjk(phrase):
        if n <= 4:
            return 0
        return 1 if n <= 9 else 2
    if n <= 5:
        return 0
    if n <= 10:
        return 1
    return 2 if n <= 18 else 3


def threshold_for(phrase: str) -> float:
    e = allowed_edits(phrase)
    return 100.0 if e == 0 else 100.0 * (1.0 - e / len(phrase)) - 1e-6


@dataclass(frozen=True, slots=True)
class _Phrase:
    rule: int
    raw: str
    norm: str
    latin: bool
    edits: int
    threshold: float


@dataclass(frozen=True, slots=True)
class Hit:
    rule: int  # index into Matcher.rules
    matched: str  # the phrase as written in the pack, or for a regex / shape the matched text
    score: float
    span: tuple[int, int]  # in the source text


def _grams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


def _term_regex(terms: Sequence[str]) -> re.Pattern[str] | None:
    """Terms are folded; Latin terms must start at a word start (pic -> pics, not topic)."""
    parts = []
    for t in sorted({normalize_term(t) for t in terms if normalize_term(t)}, key=len, reverse=True):
        esc = re.escape(t)
        parts.append(esc if _has_cjk(t[0]) else rf"(?<![a-z]){esc}")
    return re.compile("|".join(parts)) if parts else None


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
                e = allowed_edits(norm)
                phrases.append(_Phrase(ri, raw, norm, not _has_cjk(norm), e, threshold_for(norm)))
        self.phrases = tuple(phrases)
        self.requires = [(_term_regex(r.requires.any), r.requires.scope) if r.requires else None
                         for r in self.rules]
        self.suppress = [_term_regex(r.suppress) if r.suppress else None for r in self.rules]
        self.regex_rules = [
            (ri, [(rx.pattern, rx, None) for rx in r.regexes]
             + [(name, SHAPES[name].regex, SHAPES[name].prefilter) for name in r.shapes])
            for ri, r in enumerate(self.rules) if r.regexes or r.shapes
        ]
        # the candidate index
        postings: dict[str, list[int]] = {}
        for pi, p in enumerate(self.phrases):
            for g in _grams(p.norm):
                postings.setdefault(g, []).append(pi)
        self._postings = {g: tuple(v) for g, v in postings.items() if len(v) <= STOP_GRAM_POSTINGS}
        self._need: list[int] = []
        always: list[int] = []
        for pi, p in enumerate(self.phrases):
            useful = sum(1 for g in _grams(p.norm) if g in self._postings)
            need = useful - 3 * p.edits
            self._need.append(need)
            if need <= 0:
                always.append(pi)
        self._always = tuple(always)

    # ------------------------------------------------------------------ candidates

    def _candidates(self, text: str) -> Sequence[int]:
        if not self.use_index:
            return range(len(self.phrases))
        counts: dict[int, int] = {}
        postings = self._postings
        for g in _grams(text):
            ids = postings.get(g)
            if ids:
                for pi in ids:
                    counts[pi] = counts.get(pi, 0) + 1
        need = self._need
        out = [pi for pi, c in counts.items() if c >= need[pi] > 0]
        if self._always:
            out.extend(self._always)
        return out

    # ------------------------------------------------------------------ verification

    @staticmethod
    def _verify(p: _Phrase, text: str) -> tuple[float, int, int] | None:
        if p.edits == 0:
            start = text.find(p.norm)
            while start >= 0:
                end = start + len(p.norm)
                if not p.latin or _word_bounded(text, start, end):
                    return (100.0, start, end)
                start = text.find(p.norm, start + 1)
            return None
        if len(text) < len(p.norm) - p.edits:
            return None
        if len(text) <= len(p.norm):
            score = fuzz.ratio(p.norm, text, score_cutoff=p.threshold)
            return (score, 0, len(text)) if score else None
        al = fuzz.partial_ratio_alignment(p.norm, text, score_cutoff=p.threshold)
        if al is None:
            return None
        start, end, score = al.dest_start, al.dest_end, al.score
        if p.latin:
            # snap to whole words and re-score, so "sex" never matches inside "sussex"
            while start > 0 and text[start - 1].isalnum():
                start -= 1
            while end < len(text) and text[end].isalnum():
                end += 1
            while start < end and text[start] == " ":
                start += 1
            while end > start and text[end - 1] == " ":
                end -= 1
            score = fuzz.ratio(p.norm, text[start:end], score_cutoff=p.threshold)
            if not score:
                return None
        return (float(score), start, end)

    def match_phrases(self, norm: Normalized) -> dict[int, Hit]:
        """Best phrase hit per rule, spans in the source text."""
        fold = norm.fold
        text = fold.text
        best: dict[int, Hit] = {}
        rank: dict[int, tuple[float, int, int]] = {}
        for off, chunk in _windows(text):
            for pi in self._candidates(chunk):
                p = self.phrases[pi]
                res = self._verify(p, chunk)
                if res is None:
                    continue
                score, s, e = res
                # deterministic whatever the candidate order: best score, then earliest, then pack order
                key = (-round(score, 1), off + s, pi)
                if p.rule not in rank or key < rank[p.rule]:
                    rank[p.rule] = key
                    best[p.rule] = Hit(p.rule, p.raw, round(score, 1), fold.span_to_source(off + s, off + e))
        return best

    def match_regexes(self, norm: Normalized) -> dict[int, Hit]:
        plain = norm.plain
        text = plain.text
        best: dict[int, Hit] = {}
        for ri, regs in self.regex_rules:
            for name, rx, pre in regs:
                if pre is not None and not pre(text):
                    continue
                m = rx.search(text)
                if m and m.end() > m.start():
                    span = plain.span_to_source(*m.span())
                    # what the user sees: the text that matched, not the regex
                    best[ri] = Hit(ri, norm.source[span[0]:span[1]], 100.0, span)
                    break
        return best

    def hits(self, norm: Normalized) -> dict[int, Hit]:
        """All rules whose phrases, regexes or shapes occur (conditions not yet applied)."""
        out = self.match_regexes(norm)
        for ri, hit in self.match_phrases(norm).items():
            if ri not in out or hit.score >= out[ri].score:
                out[ri] = hit
        return out

    def has_term(self, rx: re.Pattern[str] | None, norm: Normalized) -> bool:
        return bool(rx and rx.search(norm.fold.text))


_SUFFIX = re.compile(r"(?:s|es|z|ed|d|ing|ies|y|ie|ies)(?![a-z0-9])")


def _word_bounded(text: str, start: int, end: int) -> bool:
    """Starts at a word start; ends at a word end or before a plural / verb suffix."""
    if start > 0 and text[start - 1].isalnum():
        return False
    return end >= len(text) or not text[end].isalnum() or bool(_SUFFIX.match(text, end))


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
