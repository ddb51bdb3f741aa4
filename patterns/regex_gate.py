"""Which regexes can possibly match a text, decided without running them.

From each regex's parse tree we derive a set of literal strings such that every match contains
at least one of them (``required_literals``; None when no such set can be told, e.g. a regex
that starts with ``\\d+``). All literals are indexed by their rarest bigram (or their only
character); for a text, only the literals whose key occurs in it are checked with ``in``, and
only regexes with a literal that occurs are run. It is a necessary condition, so the regexes
that run find exactly what running all of them finds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

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


class RegexGate:
    def __init__(self, regexes: Sequence[re.Pattern[str]]) -> None:
        lits = [required_literals(rx) for rx in regexes]
        self.always = tuple(i for i, ls in enumerate(lits) if ls is None)
        freq: dict[str, int] = {}
        for ls in lits:
            for lit in ls or ():
                for k in _keys(lit):
                    freq[k] = freq.get(k, 0) + 1
        index: dict[str, list[tuple[str, int]]] = {}
        for i, ls in enumerate(lits):
            for lit in ls or ():
                key = min(_keys(lit), key=lambda k: (freq[k], k))
                index.setdefault(key, []).append((lit, i))
        self._index = {k: tuple(v) for k, v in index.items()}

    def candidates(self, text: str) -> set[int]:
        out = set(self.always)
        index = self._index
        grams = {text[i : i + 2] for i in range(len(text) - 1)} | set(text)
        for key in grams & index.keys():
            for lit, i in index[key]:
                if i not in out and lit in text:
                    out.add(i)
        return out


def _keys(lit: str) -> list[str]:
    return [lit] if len(lit) == 1 else [lit[i : i + 2] for i in range(len(lit) - 1)]
