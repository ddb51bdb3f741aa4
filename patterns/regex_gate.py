"""Which regexes can possibly match a text, decided without running them.

From each regex's parse tree we derive requirements: sets of literal strings such that every
match contains one string of each set (``required_sets``; a regex that starts with ``\\d+`` has
none). A regex is first split into its alternatives (``a|b``, and groups of alternatives inside
a sequence), each with its own requirements, so one weak branch does not make the whole regex
run on every text. All requirement strings are found in one pass over the text by an
Aho-Corasick automaton; an alternative is indexed by its rarest requirement and checks the
others only when that one occurs. A second necessary condition: the number of digits every
match contains (``\\d{3}-\\d{2}-\\d{4}`` needs nine), checked against the digits in the
text. All are necessary conditions, so the regexes that run find exactly what running all of
them finds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import ahocorasick

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


def _seq_requirements(seq: Any, out: list[set[str]], memo: dict[int, Any] | None = None) -> None:
    """Every requirement of a sequence (each a set of strings, one of which every match
    contains): runs of plain characters, classes, alternations, and the requirements of groups
    and of repeats that occur at least once. ``memo``: results per parse-tree node, for one
    build (alternatives share their nodes)."""
    run = ""
    for op, av in seq:
        if op == _c.LITERAL:
            run += chr(av)
            continue
        if run:
            out.append({run})
            run = ""
        if memo is not None:
            got = memo.get(id(av))
            if got is None:
                got = []
                _item_requirements(op, av, got, memo)
                memo[id(av)] = got
            out.extend(got)
        else:
            _item_requirements(op, av, out, None)
    if run:
        out.append({run})


def _item_requirements(op: Any, av: Any, out: list[set[str]], memo: dict[int, Any] | None) -> None:
    if op == _c.SUBPATTERN and not av[1] & re.IGNORECASE:
        _seq_requirements(av[-1], out, memo)
    elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
        _seq_requirements(av[2], out, memo)
    else:
        lits = _item_literals(op, av)
        if lits and all(lits):
            out.append(lits)


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
        # the tree the pack's load check already made (it parses with no flags; (?a) and the
        # Unicode default do not change which strings a match needs)
        return parse_regex(rx.pattern, rx.flags & ~(re.UNICODE | re.ASCII))
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
# what a pattern must contain to need a digit: \d, a range or a literal digit
_MAY_NEED_DIGIT = re.compile(r"\\d|[0-9]")


def _is_digit_item(op: Any, av: Any) -> bool:
    """A single character that can only be an ASCII or Unicode decimal digit."""
    if op == _c.IN:
        return bool(av) and all(
            (iop == _c.CATEGORY and iav in _DIGIT_CLASSES)
            or (iop == _c.RANGE and ord("0") <= iav[0] and iav[1] <= ord("9"))
            or (iop == _c.LITERAL and chr(iav).isdigit())
            for iop, iav in av)
    return op == _c.LITERAL and chr(av).isdigit()


def _seq_digits(seq: Any, memo: dict[int, int] | None = None) -> int:
    total = 0
    for op, av in seq:
        if op == _c.LITERAL:
            total += chr(av).isdigit()
            continue
        if memo is not None:
            got = memo.get(id(av))
            if got is None:
                got = memo[id(av)] = _item_digits(op, av, memo)
            total += got
        else:
            total += _item_digits(op, av, None)
    return total


def _item_digits(op: Any, av: Any, memo: dict[int, int] | None) -> int:
    if _is_digit_item(op, av):
        return 1
    if op == _c.SUBPATTERN:
        return _seq_digits(av[-1], memo)
    if op == _c.BRANCH:
        return min(_seq_digits(alt, memo) for alt in av[1])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        return int(av[0] * _seq_digits(av[2], memo))
    return 0  # anything else (lookarounds, classes, anchors) may match without a digit


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


_MAX_BRANCHES = 64  # alternatives a regex is split into for the gate, at most
_COMMON_SHARE = 0.25  # a requirement met by more of the sample texts than this is not checked


def _alternatives(seq: Any, limit: int | None = None) -> list[Any]:
    """The regex as a list of sequences one of which every match matches whole (``a|b`` is
    ``[a, b]``; ``x(?:a|b)y`` is ``[xay, xby]``): each alternative has its own requirements,
    so a weak branch no longer makes the whole regex run on every text. Look-arounds, flags
    and groups of one alternation are opened; past ``limit`` alternatives the rest of the
    sequence is kept whole (still exact: only the gate gets weaker)."""
    limit = _MAX_BRANCHES if limit is None else limit
    items = list(seq)
    out: list[list[Any]] = [[]]
    for op, av in items:
        alts: list[Any] | None = None
        if op == _c.BRANCH:
            alts = av[1]
        elif op == _c.SUBPATTERN and not av[1] & re.IGNORECASE:
            sub = list(av[-1])
            if len(sub) == 1 and sub[0][0] == _c.BRANCH:
                alts = sub[0][1][1]
        if alts is not None and _weak(alts):
            opened = [a for alt in alts for a in _alternatives(alt, limit)]
            if len(out) * len(opened) <= limit:
                out = [prefix + list(a) for prefix in out for a in opened]
                continue
        for prefix in out:
            prefix.append((op, av))
    return out


def _weak(alts: Any) -> bool:
    """An alternation worth opening: one of its alternatives needs no string that is rare on its
    own (none at all, or one or two Latin letters or one Chinese character), so the union
    of their strings would let the regex run on most texts. Alternatives that all need a word
    are kept together (opening them would only multiply the alternatives to check)."""
    for alt in alts:
        lits = _seq_literals(alt)
        if not lits:
            return True
        for lit in lits:
            if len(lit) < (3 if lit.isascii() else 2):
                return True
    return False


class RegexGate:
    """``candidates(text)``: the regexes (by index, ascending) that can match ``text``.

    Each regex is split into alternatives (``_alternatives``); each alternative has
    requirements (sets of strings, every match contains one string of each) and a minimum
    number of digits. A regex runs when one of its alternatives has all its requirements met
    and enough digits. Every requirement string is found in one pass over the text by an
    Aho-Corasick automaton (pyahocorasick); alternatives are indexed by their requirement least
    likely to occur in chat text (told from ``sample`` texts, e.g. the pack's own examples),
    and only those found that way check the rest. Requirements that most chat text meets
    (a space, a common letter) are not checked at all. All conditions are necessary, so the
    regexes that run find exactly what running all of them finds."""

    def __init__(self, regexes: Sequence[RegexLike], sample: Sequence[str] = ()) -> None:
        trees = [_parse(rx) for rx in regexes]
        # (regex, requirements, digits) per alternative
        alts: list[tuple[int, list[frozenset[str]], int]] = []
        for i, (rx, tree) in enumerate(zip(regexes, trees, strict=True)):
            if tree is None or rx.flags & re.IGNORECASE:
                alts.append((i, [], 0))
                continue
            req_memo: dict[int, Any] = {}
            digit_memo: dict[int, int] = {}
            # a pattern that names no digit needs none (most are words): skip the count
            counts_digits = _MAY_NEED_DIGIT.search(rx.pattern) is not None
            for seq in _alternatives(tree):
                seq_reqs: list[set[str]] = []
                _seq_requirements(seq, seq_reqs, req_memo)
                digits = _seq_digits(seq, digit_memo) if counts_digits else 0
                alts.append((i, [frozenset(r) for r in seq_reqs], digits))
        # how common each requirement string is in chat text: share of the sample containing it
        lits = {lit for _i, a_reqs, _d in alts for req in a_reqs for lit in req}
        scan = ahocorasick.Automaton()
        for lit in lits:
            scan.add_word(lit, lit)
        seen: dict[str, int] = dict.fromkeys(lits, 0)
        if lits:
            scan.make_automaton()
            for text in sample:
                for lit in {v for _e, v in scan.iter(text)}:
                    seen[lit] += 1
        # The sample is small and mostly Chinese, so for Latin strings also take what is known
        # of English: the chance that a line of ~40 letters contains the string somewhere.
        n = max(1, len(sample))
        for lit in seen:
            if lit.isascii():
                p = 4.0 ** (len(lit) - 1)
                for ch in lit:
                    p *= _LATIN_FREQ.get(ch, 0.002)
                seen[lit] = max(seen[lit], int((1.0 - (1.0 - min(p, 1.0)) ** 40) * n))

        ranks: dict[frozenset[str], tuple[float, str, int]] = {}

        def rank(req: frozenset[str]) -> tuple[float, str, int]:
            got = ranks.get(req)
            if got is None:
                got = ranks[req] = (min(1.0, sum(seen[lit] for lit in req) / n), min(req), len(req))
            return got

        def share(req: frozenset[str]) -> float:
            return rank(req)[0]

        always: set[int] = set()
        digit_always: list[tuple[int, int]] = []
        index: dict[str, list[int]] = {}
        self._alts: list[tuple[int, tuple[frozenset[str], ...], int]] = []
        wanted: set[str] = set()
        for i, alt_reqs, digits in alts:
            ranked = sorted(set(alt_reqs), key=rank)
            # the rarest requirement indexes the alternative; the others are checked unless
            # nearly every text meets them
            useful = ranked[:1] + [r for r in ranked[1:] if share(r) <= _COMMON_SHARE]
            if not useful:
                if digits:
                    digit_always.append((i, digits))
                else:
                    always.add(i)
                continue
            a = len(self._alts)
            self._alts.append((i, tuple(useful[1:]), digits))
            for lit in useful[0]:
                index.setdefault(lit, []).append(a)
            for r in useful:
                wanted |= r
        self.always = tuple(sorted(always))
        self._digit_always = tuple((i, d) for i, d in digit_always if i not in always)
        # per indexing string: the regexes it lets run by itself, and the alternatives that
        # still have requirements or digits to check
        self._index: dict[str, tuple[frozenset[int], tuple[tuple[int, tuple[frozenset[str], ...], int], ...]]] = {}
        for k, v in index.items():
            direct = frozenset(self._alts[a][0] for a in v if not self._alts[a][1] and not self._alts[a][2])
            checks = tuple(self._alts[a] for a in v if self._alts[a][1] or self._alts[a][2])
            self._index[k] = (direct, tuple(c for c in checks if c[0] not in direct))
        self._keys = frozenset(self._index)
        # single characters are looked up in the text's character set (a common letter would
        # otherwise be reported by the automaton at every occurrence)
        self._chars = frozenset(lit for lit in wanted if len(lit) == 1)
        self._auto = ahocorasick.Automaton()
        for lit in wanted:
            if len(lit) > 1:
                self._auto.add_word(lit, lit)
        self._empty = len(self._auto) == 0
        if not self._empty:
            self._auto.make_automaton()

    def candidates(self, text: str) -> list[int]:
        present = set(self._chars.intersection(text))
        if not self._empty:
            present.update([v for _e, v in self._auto.iter(text)])
        found = set(self.always)
        digits = -1
        index = self._index
        for lit in self._keys.intersection(present):
            direct, checks = index[lit]
            if direct:
                found |= direct
            for i, rest, need in checks:
                if i in found:
                    continue
                for req in rest:
                    if req.isdisjoint(present):
                        break
                else:
                    if need:
                        if digits < 0:
                            digits = count_digits(text)
                        if digits < need:
                            continue
                    found.add(i)
        if self._digit_always:
            for i, need in self._digit_always:
                if i not in found:
                    if digits < 0:
                        digits = count_digits(text)
                    if digits >= need:
                        found.add(i)
        return sorted(found)


# Letter frequencies of English text (space included), the usual published table, rounded.
_LATIN_FREQ = {
    " ": 0.18, "e": 0.10, "t": 0.075, "a": 0.065, "o": 0.062, "i": 0.057, "n": 0.057, "s": 0.053,
    "h": 0.049, "r": 0.049, "d": 0.035, "l": 0.033, "u": 0.023, "c": 0.022, "m": 0.020,
    "w": 0.019, "f": 0.018, "y": 0.016, "g": 0.016, "p": 0.015, "b": 0.012, "v": 0.008,
    "k": 0.006, ".": 0.01, ",": 0.01, "'": 0.004, "x": 0.0015, "j": 0.0012, "q": 0.001, "z": 0.001,
}

