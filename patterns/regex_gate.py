"""Which regexes can possibly match a text, decided without running them.

From each regex's parse tree we derive a set of literal strings such that every match contains
at least one of them (``required_literals``; None when no such set can be told, e.g. a regex
that starts with ``\\d+``). All literals are indexed by their rarest bigram (or their only
character); for a text, only the literals whose key occurs in it are checked with ``in``, and
only regexes with a literal that occurs are run. A second necessary condition: the number of
digits every match contains (``\\d{3}-\\d{2}-\\d{4}`` needs nine), checked against the digits in
the text. Both are necessary conditions, so the regexes that run find exactly what running all
of them finds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

try:  # Python 3.11+
    import re._constants as _c  # type: ignore[import-not-found]
    import re._parser as _p  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_MAX_CLASS = 24  # a character class larger than this is not worth a requirement


def _item_literals(op: Any, av: Any) -> set[str] | None:
    if op == _c.LITERAL:
        return {chr(av)}
    if op == _c.IN:
        chars: set[str] = set()
        for iop, iav in av:
            if iop == _c.LITERAL:
                chars.add(chr(iav))
            elif iop == _c.RANGE and iav[1] - iav[0] < _MAX_CLASS:
                chars.update(chr(x) for x in range(iav[0], iav[1] + 1))
            else:
                return None
        return chars if 0 < len(chars) <= _MAX_CLASS else None
    if op == _c.SUBPATTERN:
        if av[1] & re.IGNORECASE:  # (?i:...): its literals may occur in any case
            return None
        return _seq_literals(av[-1])
    if op == _c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            lits = _seq_literals(alt)
            if lits is None:
                return None
            out |= lits
        return out
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
        return _seq_literals(av[2])
    return None


def _seq_literals(seq: Any) -> set[str] | None:
    """The most selective requirement of a sequence: runs of plain characters become strings;
    any single element that must occur can stand for the whole sequence."""
    best: set[str] | None = None

    def better(a: set[str] | None) -> None:
        nonlocal best
        if not a or any(not x for x in a):
            return
        if best is None or (min(map(len, a)), -len(a)) > (min(map(len, best)), -len(best)):
            best = a

    run = ""
    for op, av in seq:
        if op == _c.LITERAL:
            run += chr(av)
            continue
        if run:
            better({run})
            run = ""
        better(_item_literals(op, av))
    if run:
        better({run})
    return best


def required_literals(rx: re.Pattern[str]) -> set[str] | None:
    if rx.flags & re.IGNORECASE:
        return None
    try:
        return _seq_literals(_p.parse(rx.pattern, rx.flags))
    except Exception:  # a parse quirk only costs the prefilter
        return None


def _seq_requirements(seq: Any, out: list[set[str]]) -> None:
    """Every requirement of a sequence (each a set of strings, one of which every match
    contains): runs of plain characters, classes, alternations, and the requirements of groups
    and of repeats that occur at least once."""
    run = ""
    for op, av in seq:
        if op == _c.LITERAL:
            run += chr(av)
            continue
        if run:
            out.append({run})
            run = ""
        if op == _c.SUBPATTERN and not av[1] & re.IGNORECASE:
            _seq_requirements(av[-1], out)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            _seq_requirements(av[2], out)
        else:
            lits = _item_literals(op, av)
            if lits and all(lits):
                out.append(lits)
    if run:
        out.append({run})


class RegexLike(Protocol):
    """A compiled ``re.Pattern`` or the pack's ``LazyPattern``: the gate reads only these."""

    @property
    def pattern(self) -> str: ...

    @property
    def flags(self) -> int: ...


@lru_cache(maxsize=8192)
def parse_regex(pattern: str, flags: int) -> Any:
    """The parse tree of a pattern (raises re.error), shared by the pack's safety check and
    the gate so each pattern is parsed once. Treat it as read-only."""
    return _p.parse(pattern, flags)


def _parse(rx: RegexLike) -> Any:
    try:
        return parse_regex(rx.pattern, rx.flags & ~re.UNICODE)
    except Exception:  # pragma: no cover - a parse quirk only costs the prefilter
        return None


def required_sets(rx: RegexLike, tree: Any = None) -> list[set[str]] | None:
    """All the requirements of a regex (every match contains one string of each set), or None
    when none can be told."""
    if rx.flags & re.IGNORECASE:
        return None
    tree = tree if tree is not None else _parse(rx)
    if tree is None:
        return None
    out: list[set[str]] = []
    _seq_requirements(tree, out)
    return out or None


_DIGIT_CLASSES = {_c.CATEGORY_DIGIT}


def _is_digit_item(op: Any, av: Any) -> bool:
    """A single character that can only be an ASCII or Unicode decimal digit."""
    if op == _c.IN:
        return bool(av) and all(
            (iop == _c.CATEGORY and iav in _DIGIT_CLASSES)
            or (iop == _c.RANGE and ord("0") <= iav[0] and iav[1] <= ord("9"))
            or (iop == _c.LITERAL and chr(iav).isdigit())
            for iop, iav in av)
    return op == _c.LITERAL and chr(av).isdigit()


def _seq_digits(seq: Any) -> int:
    total = 0
    for op, av in seq:
        if _is_digit_item(op, av):
            total += 1
        elif op == _c.SUBPATTERN:
            total += _seq_digits(av[-1])
        elif op == _c.BRANCH:
            total += min(_seq_digits(alt) for alt in av[1])
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            total += av[0] * _seq_digits(av[2])
        # anything else (lookarounds, classes, anchors) may match without a digit
    return total


def min_digits(rx: RegexLike, tree: Any = None) -> int:
    """How many digits every match of ``rx`` contains at least (0 when it cannot be told)."""
    tree = tree if tree is not None else _parse(rx)
    return 0 if tree is None else _seq_digits(tree)


_DIGIT = re.compile(r"\d")


def count_digits(text: str) -> int:
    """The characters of ``text`` that ``\\d`` matches."""
    if text.isascii():
        return sum(map(text.count, "0123456789"))
    return len(_DIGIT.findall(text))


class RegexGate:
    """``candidates(text)``: the regexes (by index, ascending) that can match ``text``: one
    string of each of their requirements occurs in the text, and the text has at least their
    minimum number of digits.

    Each regex is indexed by one requirement, the one least likely to occur in chat text (told
    from ``sample`` texts, e.g. the pack's own examples): each of its strings under its rarest
    bigram (or its only character). The other requirements are checked only for the regexes
    found that way."""

    def __init__(self, regexes: Sequence[RegexLike], sample: Sequence[str] = ()) -> None:
        trees = [_parse(rx) for rx in regexes]
        reqs = [required_sets(rx, t) for rx, t in zip(regexes, trees, strict=True)]
        self.min_digits = tuple(min_digits(rx, t) for rx, t in zip(regexes, trees, strict=True))
        self.always = tuple(i for i, r in enumerate(reqs) if r is None)
        self._digit_gated = any(self.min_digits)
        keys_needed = {k for r in reqs for req in r or () for lit in req for k in _keys(lit)}
        seen: dict[str, int] = dict.fromkeys(keys_needed, 0)
        for text in sample:
            for k in {text[i : i + 2] for i in range(len(text) - 1)} | set(text):
                if k in seen:
                    seen[k] += 1
        # The sample is small and mostly Chinese, so for Latin keys also take what is known of
        # English: a pair of common letters (or a letter and a space) is common in any chat.
        scale = max(1, len(sample)) * 4.0
        for k in seen:
            if k.isascii():
                est = 1.0
                for ch in k:
                    est *= _LATIN_FREQ.get(ch, 0.002)
                seen[k] = max(seen[k], int(est * scale * (1.0 if len(k) == 2 else 0.05)))

        def key_of(lit: str) -> str:
            return min(_keys(lit), key=lambda k: (seen[k], k))

        def cost(req: set[str]) -> tuple[int, int]:
            return (sum(seen[key_of(lit)] + 1 for lit in req), -min(map(len, req)))

        index: dict[str, dict[str, list[int]]] = {}
        self._rest: list[tuple[tuple[str, ...], ...]] = []
        for i, r in enumerate(reqs):
            if r is None:
                self._rest.append(())
                continue
            primary = min(r, key=cost)
            for lit in primary:
                index.setdefault(key_of(lit), {}).setdefault(lit, []).append(i)
            # the other requirements, rarest first (the check stops at the first one missing);
            rest = sorted((req for req in r if req is not primary), key=cost)
            self._rest.append(tuple(tuple(sorted(req, key=lambda x: (seen[key_of(x)], x))) for req in rest))
        # key -> ((literal, regexes), ...): each distinct literal is looked for once
        # per key: the regexes whose literal is the key itself (found when the key is), and
        # (longer literal, regexes) pairs to check with ``in``
        self._direct: dict[str, tuple[int, ...]] = {}
        self._check: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = {}
        for k, v in index.items():
            direct = sorted({i for lit, ids in v.items() if lit == k for i in ids})
            if direct:
                self._direct[k] = tuple(direct)
            longer = tuple((lit, tuple(ids)) for lit, ids in v.items() if lit != k)
            if longer:
                self._check[k] = longer
        self._pair_keys = frozenset(k for k in index if len(k) == 2)
        self._char_keys = frozenset(k for k in index if len(k) == 1)

    def candidates(self, text: str) -> list[int]:
        found: set[int] = set()
        direct, check = self._direct, self._check
        present = {text[i : i + 2] for i in range(len(text) - 1)}.intersection(self._pair_keys)
        if self._char_keys:
            present.update(self._char_keys.intersection(text))
        for key in present:
            ids = direct.get(key)
            if ids:
                found.update(ids)
            hits = check.get(key)
            if hits:
                for lit, ids in hits:
                    if lit in text:
                        found.update(ids)
        rest = self._rest
        out = []
        for i in found:
            for req in rest[i]:
                for lit in req:
                    if lit in text:
                        break
                else:
                    break  # none of this requirement's strings is in the text
            else:
                out.append(i)
        out.extend(self.always)
        if self._digit_gated and out:
            mins = self.min_digits
            if any(mins[i] for i in out):
                digits = count_digits(text)
                out = [i for i in out if mins[i] <= digits]
        out.sort()
        return out


# Letter frequencies of English text (space included), the usual published table, rounded.
_LATIN_FREQ = {
    " ": 0.18, "e": 0.10, "t": 0.075, "a": 0.065, "o": 0.062, "i": 0.057, "n": 0.057, "s": 0.053,
    "h": 0.049, "r": 0.049, "d": 0.035, "l": 0.033, "u": 0.023, "c": 0.022, "m": 0.020,
    "w": 0.019, "f": 0.018, "y": 0.016, "g": 0.016, "p": 0.015, "b": 0.012, "v": 0.008,
    "k": 0.006, ".": 0.01, ",": 0.01, "'": 0.004, "x": 0.0015, "j": 0.0012, "q": 0.001, "z": 0.001,
}


def _keys(lit: str) -> list[str]:
    return [lit] if len(lit) == 1 else [lit[i : i + 2] for i in range(len(lit) - 1)]
