"""Which regexes can possibly match a text, told by Hyperscan in one pass.

The same job as ``regex_gate.RegexGate`` (the pure-Python gate, kept as the fallback when the
``hyperscan`` wheel is missing or a database cannot be built), done natively: every regex of
the pack is written as a Hyperscan expression whose matches are a *superset* of the Python
regex's, all of them are compiled into one database, and one scan of the text reports which can
match. Only those run in Python's ``re``, which decides. So the findings are exactly those of
running every regex; Hyperscan only chooses which to skip.

How a Python pattern becomes a superset (``to_superset``), from its parse tree:

- look-arounds, word boundaries and anchors are dropped (a condition removed can only let more
  texts through);
- back-references become "any text"; atomic groups and possessive repeats plain ones;
  bounded repeats unbounded ones (a large bound multiplied the compile time);
- ``\\d``, ``\\w``, ``\\s`` are ASCII in ``(?a)`` patterns; otherwise ``\\d`` and ``\\s`` are
  written out from Python's own Unicode tables and ``\\w`` is "ASCII word character or any
  non-ASCII character"; a negated category inside a class, or a class Hyperscan could read
  differently, becomes "any character" (only ever wider);
- every expression is compiled with ``HS_FLAG_PREFILTER`` (Hyperscan may widen it further),
  ``UTF8``, ``DOTALL`` and ``SINGLEMATCH``.

An expression Hyperscan still refuses is left out of the database and its regex simply always
runs. Tests compare this gate with running every regex.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import zlib
from collections.abc import Sequence
from typing import Any

try:  # Python 3.11+
    import re._constants as _c  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]

from .regex_gate import RegexLike, parse_regex

log = logging.getLogger(__name__)



def _preload_libstdcxx() -> None:
    """On Linux the wheel carries its own copy of parts of libstdc++. Were it loaded before the
    system's libstdc++.so.6, a C++ library loaded later (OpenCC) would bind to that copy's
    shared string storage and abort ("free(): invalid pointer"; measured). Loading the
    system's first keeps one copy for everyone, whatever the import order."""
    if sys.platform.startswith("linux"):
        import contextlib
        import ctypes

        with contextlib.suppress(OSError):  # no C++ runtime at all: nothing can clash
            ctypes.CDLL("libstdc++.so.6")


_preload_libstdcxx()
_hs: Any
try:
    import hyperscan as _hs
except Exception:  # noqa: BLE001 - a missing or broken wheel only means the Python gate
    _hs = None


def _databases_on_huge_pages() -> bool:
    """Hyperscan allocates its databases through a hook (``hs_set_database_allocator``, in
    the wheel's library); set to the native steps' ``big_alloc``, the ~28 MB database sits on
    2 MB pages where Linux gives them (transparent huge pages, "madvise" mode): every scan reads
    it all over, and with 4 KB pages most of those reads first miss the TLB (+2.4 % lines/s,
    measured). Set before any database is loaded; anything missing leaves malloc, as before."""
    if _hs is None or not sys.platform.startswith("linux"):
        return False
    from . import _native

    if _native.speedups is None:
        return False
    import ctypes

    try:
        lib = ctypes.CDLL(_hs._hs_ext.__file__)  # already loaded: the same library
        hook = lib.hs_set_database_allocator
    except (OSError, AttributeError):
        return False
    hook.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    hook.restype = ctypes.c_int
    alloc, free = _native.speedups.big_allocators()
    return bool(hook(alloc, free) == 0)


_HUGE_PAGES = _databases_on_huge_pages()

__all__ = ["HyperscanGate", "available", "to_superset"]

_ANY = r"[\s\S]"
_ASCII_CATS = {
    _c.CATEGORY_DIGIT: "0-9",
    _c.CATEGORY_WORD: "a-zA-Z0-9_",
    _c.CATEGORY_SPACE: r"\t\n\x0b\x0c\r ",
}


def _ranges(pred: Any) -> str:
    """The characters for which ``pred`` holds, as class ranges (Python's own Unicode tables)."""
    out: list[str] = []
    start = prev = -2
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF or not pred(chr(cp)):
            continue
        if cp != prev + 1:
            if start >= 0:
                out.append(_span(start, prev))
            start = cp
        prev = cp
    if start >= 0:
        out.append(_span(start, prev))
    return "".join(out)


def _span(a: int, b: int) -> str:
    return _char(a) if a == b else f"{_char(a)}-{_char(b)}"


_UNI_CATS: dict[int, str] = {}


def _uni_cat(cat: int) -> str:
    """Python's Unicode \\d and \\s exactly (few characters); for \\w, every ASCII word character
    and every non-ASCII one (wider than Python's \\w, and far cheaper to compile)."""
    got = _UNI_CATS.get(cat)
    if got is None:
        if cat == _c.CATEGORY_WORD:
            got = "a-zA-Z0-9_\\x{80}-\\x{10ffff}"
        else:
            rx = re.compile(r"\d" if cat == _c.CATEGORY_DIGIT else r"\s")
            got = _ranges(lambda ch: rx.match(ch) is not None)
        _UNI_CATS[cat] = got
    return got


class _Wide(Exception):
    """This part cannot be written exactly: the caller widens it."""


def available() -> bool:
    return _hs is not None


def _char(cp: int) -> str:
    ch = chr(cp)
    if ch.isascii() and ch.isalnum():
        return ch
    return f"\\x{{{cp:x}}}"


def _class_parts(items: Any, ascii_mode: bool, exact: bool) -> tuple[bool, list[str]]:
    """(negated, parts) of a class, for ``[...]`` / ``[^...]``; raises ``_Wide`` for a part
    Hyperscan could read differently. Not ``exact``: a part may be written wider (Python's
    Unicode \\w as every non-ASCII character); ``exact``: every part exactly, or ``_Wide``."""
    negate = False
    parts: list[str] = []
    for op, av in items:
        if op == _c.NEGATE:
            negate = True
        elif op == _c.LITERAL:
            parts.append(_char(av))
        elif op == _c.RANGE:
            parts.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op == _c.CATEGORY and av in _ASCII_CATS:
            if ascii_mode:
                parts.append(_ASCII_CATS[av])
            elif exact:
                if av == _c.CATEGORY_WORD:  # Python's Unicode \w is not written exactly here
                    raise _Wide
                parts.append(_uni_cat(av))
            elif negate:
                # [^\w...]: the complement of a smaller set is wider: ASCII \w stays inside
                # Python's Unicode \w, so [^a-zA-Z0-9_...] lets through all it must
                parts.append(_ASCII_CATS[av])
            else:
                parts.append(_uni_cat(av))
        else:
            raise _Wide  # \D, \W, \S inside a class, and anything else
    if not parts:
        raise _Wide
    return negate, parts


def _class(items: Any, ascii_mode: bool) -> str:
    negate, parts = _class_parts(items, ascii_mode, exact=False)
    return ("[^" if negate else "[") + "".join(parts) + "]"


_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
_KEPT_BOUND = 8  # repeats bounded by up to this many are written with their bounds


def _seq(seq: Any, ascii_mode: bool, start: bool = False, end: bool = False) -> str:
    """``start`` / ``end``: this sequence begins / ends every match it is part of, so a
    condition on the character just before / after it can be kept (``_edge``)."""
    items = list(seq)
    consuming = [i for i, (op, _av) in enumerate(items) if op not in _ZERO_WIDTH]
    if not consuming:
        return "".join(_item(op, av, ascii_mode) for op, av in items)
    first, last = consuming[0], consuming[-1]
    # the condition next to the match, when there is one here; then none is kept inside
    # (each takes a character: two in a row would need two)
    before = after = ""
    if start and first > 0:
        op, av = items[first - 1]
        before = _edge(op, av, ascii_mode, items, before=True)
    if end and last + 1 < len(items):
        op, av = items[last + 1]
        after = _edge(op, av, ascii_mode, items, before=False)
    out = []
    for i, (op, av) in enumerate(items):
        if i == first - 1 and before:
            out.append(before)
        elif i == last + 1 and after:
            out.append(after)
        else:
            out.append(_item(op, av, ascii_mode, start and not before and i == first,
                             end and not after and i == last))
    return "".join(out)


def _edge(op: Any, av: Any, ascii_mode: bool, items: list[Any], before: bool) -> str:
    """A condition at the very start (``before``) or end of the match on the character just
    outside it, kept as "that character or the text's edge": ``(?<![a-z])`` at the start is
    ``(?:^|[^a-z])``, ``(?!\\d)`` at the end ``(?:$|[^0-9])``, and ``\\b`` in ``(?a)`` mode the
    same with ``[^a-zA-Z0-9_]`` when the match's own first (last) character is always a word
    character. Exact for whether a match exists, so the gate lets fewer texts through; a
    condition that cannot be written exactly is dropped (only wider). Only the one condition
    next to the match is kept: two would each take a character."""
    outside = None
    if op == _c.ASSERT_NOT and av[0] == (-1 if before else 1) and len(av[1]) == 1:
        inner_op, inner_av = av[1][0]
        outside = _complement(inner_op, inner_av, ascii_mode)
    elif op == _c.AT and av == _c.AT_BOUNDARY and ascii_mode and _edge_is_word(items, from_end=not before):
        outside = "[^a-zA-Z0-9_]"
    if outside is None:
        return ""
    return f"(?:^|{outside})" if before else f"(?:$|{outside})"


def _complement(op: Any, av: Any, ascii_mode: bool) -> str | None:
    """A class of exactly the characters one item does not match, or None."""
    if op == _c.LITERAL:
        return f"[^{_char(av)}]"
    if op == _c.NOT_LITERAL:
        return _char(av)
    if op == _c.CATEGORY:
        av, op = [(_c.CATEGORY, av)], _c.IN
    if op != _c.IN:
        return None
    try:
        negate, parts = _class_parts(av, ascii_mode, exact=True)
    except _Wide:
        return None
    return ("[" if negate else "[^") + "".join(parts) + "]"


_WORD_CHARS = frozenset(map(ord, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"))


def _edge_is_word(items: list[Any], from_end: bool) -> bool:
    """Whether the first (``from_end``: last) character a sequence matches is always an ASCII
    word character."""
    for op, av in reversed(items) if from_end else items:
        if op in _ZERO_WIDTH:
            continue
        if op == _c.LITERAL:
            return av in _WORD_CHARS
        if op == _c.SUBPATTERN:
            return _edge_is_word(list(av[3]), from_end)
        if op == _c.BRANCH:
            return all(_edge_is_word(list(alt), from_end) for alt in av[1])
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            lo, _hi, sub = av
            if not _edge_is_word(list(sub), from_end):
                return False
            if lo >= 1:
                return True
            continue  # optional: the character next to it counts too
        return False
    return False  # the sequence may match nothing


_GAP = "\x00GAP\x00"  # stands for "any text" while an expression is built


def _item(op: Any, av: Any, ascii_mode: bool, start: bool = False, end: bool = False) -> str:
    if op == _c.LITERAL:
        return _char(av)
    if op in (_c.NOT_LITERAL, _c.ANY, _c.IN, _c.CATEGORY):
        return _one(op, av, ascii_mode)
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return ""  # a condition dropped: only wider
    if op == _c.BRANCH:
        alts = [_seq(alt, ascii_mode, start, end) for alt in av[1]]
        if any(a in ("", _GAP) for a in alts):
            return _GAP
        return "(?:" + "|".join(alts) + ")"
    if op == _c.SUBPATTERN:
        _group, add, _del, sub = av
        inner = _seq(sub, ascii_mode or bool(add & re.ASCII), start, end)
        if inner in ("", _GAP):
            return inner
        return f"(?i:{inner})" if add & re.IGNORECASE else f"(?:{inner})"
    if op == getattr(_c, "ATOMIC_GROUP", None):
        inner = _seq(av, ascii_mode, start, end)
        return inner if inner in ("", _GAP) else f"(?:{inner})"
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        lo, hi, sub = av
        body = _seq(sub, ascii_mode)
        if body in ("", _GAP):
            return body
        # a bounded repeat is widened to an unbounded one: a large bound multiplies the
        # compile time (measured: x4 for the pack); a small one is kept, as digit shapes
        # such as (?<!\d)\d{3}-\d{2}-\d{4}(?!\d) need their counts once their edges are kept
        hi_s = "" if hi == _c.MAXREPEAT or hi > _KEPT_BOUND else str(hi)
        quant = "*" if (lo, hi_s) == (0, "") else "+" if (lo, hi_s) == (1, "") else (
            "?" if (lo, hi_s) == (0, "1") else f"{{{lo},{hi_s}}}" if hi_s != str(lo) else f"{{{lo}}}")
        return f"(?:{body}){quant}"
    return _GAP  # back-references and anything not known: any text


def _one(op: Any, av: Any, ascii_mode: bool) -> str:
    if op == _c.NOT_LITERAL:
        return f"[^{_char(av)}]"
    if op == _c.IN:
        try:
            return _class(av, ascii_mode)
        except _Wide:
            return _ANY
    return _ANY


def _finish(expr: str) -> str:
    """Runs of gaps become one ``[\\s\\S]*``; gaps at either end go (a match may start or end
    anywhere: only the literals between matter)."""
    parts = [p for p in expr.split(_GAP)]
    out = parts[0]
    for p in parts[1:]:
        if not out.endswith(_GAP_RX):
            out += _GAP_RX
        out += p
    while out.startswith(_GAP_RX):
        out = out[len(_GAP_RX):]
    while out.endswith(_GAP_RX):
        out = out[: -len(_GAP_RX)]
    return out


_GAP_RX = _ANY + "*"


def to_superset(rx: RegexLike) -> tuple[str, int]:
    """(Hyperscan expression, extra Hyperscan flags) whose matches include every match of
    ``rx``. Raises ``re.error`` when the pattern does not parse."""
    caseless = bool(rx.flags & re.IGNORECASE) or "(?i" in rx.pattern
    if caseless and any(not ch.isascii() and ch.lower() != ch.upper() for ch in rx.pattern):
        # Python folds the case of É or Σ, Hyperscan without UCP only ASCII: no expression,
        # the regex runs on every text (the built-in pack has no case-insensitive regex)
        return "", 0
    tree = parse_regex(rx.pattern, rx.flags & ~(re.UNICODE | re.ASCII))
    ascii_mode = bool(rx.flags & re.ASCII) or rx.pattern.startswith("(?a")
    expr = _finish(_seq(tree, ascii_mode, start=True, end=True))
    flags = _hs.HS_FLAG_CASELESS if (_hs is not None and rx.flags & re.IGNORECASE) else 0
    return expr, flags


class HyperscanGate:
    """``candidates(text)``: the regexes (by index, ascending) that can match ``text``, or None
    when the scan failed (the caller then asks the Python gate). Building it raises
    ``RuntimeError`` when Hyperscan is missing or refuses the whole set.

    It pickles (for the pack's start-up cache and spawned worker processes) as Hyperscan's
    serialised database; a database that cannot be loaded here (another CPU family, another
    Hyperscan) leaves the gate ``usable == False``, and the matcher keeps the Python gate."""

    _FLAGS = ("HS_FLAG_UTF8", "HS_FLAG_DOTALL", "HS_FLAG_SINGLEMATCH", "HS_FLAG_PREFILTER",
              "HS_FLAG_ALLOWEMPTY")

    def __init__(self, regexes: Sequence[RegexLike]) -> None:
        if _hs is None:
            raise RuntimeError("hyperscan is not installed")
        # regexes with the same pattern share one expression (the context families share cues)
        canon: dict[tuple[str, int], int] = {}
        members: list[list[int]] = []
        exprs: list[tuple[int, str, int]] = []
        always: list[int] = []
        for i, rx in enumerate(regexes):
            key = (rx.pattern, rx.flags)
            c = canon.get(key)
            if c is not None:
                members[c].append(i)
                continue
            c = canon[key] = len(members)
            members.append([i])
            try:
                expr, extra = to_superset(rx)
            except re.error:
                always.append(c)
                continue
            if not expr:  # nothing left to require: it runs on every text
                always.append(c)
                continue
            exprs.append((c, expr, extra))
        base = 0
        for name in self._FLAGS:
            base |= getattr(_hs, name)
        db, refused = _compile(exprs, base)
        always.extend(refused)
        self.size = len(regexes)
        self.expressions = len(exprs) - len(refused)
        self._members = tuple(tuple(m) for m in members)
        self._always = frozenset(i for c in always for i in members[c])
        self._set_db(db)

    def _set_db(self, db: Any) -> None:
        self._db = db
        self._local = threading.local()  # one scratch space per thread (Hyperscan's rule)
        self.usable = db is not None

    def __getstate__(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k not in ("_db", "_local", "usable")}
        # compressed: 20 MB of database is 2 MB (the bundle's size), 40 ms to open (measured)
        state["database"] = zlib.compress(_hs.dumpb(self._db), 6) if self._db is not None else None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        data = state.pop("database")
        self.__dict__.update(state)
        db = None
        if data is not None and _hs is not None:
            try:
                db = _hs.loadb(zlib.decompress(data), _hs.HS_MODE_BLOCK)
            except Exception as exc:  # noqa: BLE001 - another CPU or library: the Python gate
                log.info("regex gate: the prebuilt Hyperscan database does not load here (%s)", exc)
        self._set_db(db)

    def candidates(self, text: str) -> list[int] | None:
        if not text:
            return sorted(self._always)
        scratch = getattr(self._local, "scratch", None)
        ids: list[int] = []
        try:
            if scratch is None:
                scratch = self._local.scratch = _hs.Scratch(self._db)
            # the expressions that matched, gathered through the scan's context (no closure made
            # per text); one regex or more per expression
            # (positional: the binding parses keywords at a third of a scan's cost on a short line)
            self._db.scan(text.encode("utf-8", "surrogatepass"), _on_match, 0, ids, scratch)
        except Exception as exc:  # noqa: BLE001 - never lose a finding to the gate: run the Python one
            log.debug("regex gate: hyperscan scan failed (%s)", exc)
            return None
        members = self._members
        if not self._always and len(ids) <= 1:  # the common cases: nothing, or one expression (its regexes ascending)
            return list(members[ids[0]]) if ids else []
        found = set(self._always)
        for cid in ids:
            found.update(members[cid])
        return sorted(found)

    def misses(self, texts: Sequence[str], regexes: Sequence[Any],
               possible: Any = None) -> list[tuple[int, str]]:
        """(regex, text) pairs where a regex matches a text that this gate did not let through:
        none, or the gate is wrong. ``possible(text)``: a cheaper list of regexes that can
        match (the Python gate's), to skip running every regex on every text."""
        out: list[tuple[int, str]] = []
        for text in texts:
            got = self.candidates(text)
            if got is None:
                return [(-1, text)]
            let = set(got)
            for k in (possible(text) if possible is not None else range(len(regexes))):
                if k not in let:
                    m = regexes[k].search(text)
                    if m and m.end() > m.start():
                        out.append((k, text))
        return out


def _on_match(cid: int, _start: int, _end: int, _flags: int, ids: list[int]) -> None:
    ids.append(cid)


def _compile(exprs: list[tuple[int, str, int]], base: int) -> tuple[Any, list[int]]:
    """The database of every expression; when Hyperscan refuses the set, the expressions it
    refuses alone are left out (their regexes always run). Hyperscan's error does not say which
    expression it refused, so that costs one compile each, only then."""

    def build(todo: list[tuple[int, str, int]]) -> Any:
        db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
        db.compile(expressions=[e.encode("utf-8") for _c, e, _f in todo], ids=[c for c, _e, _f in todo],
                   elements=len(todo), flags=[base | f for _c, _e, f in todo])
        return db

    if not exprs:
        return None, []
    try:
        return build(exprs), []
    except _hs.error as exc:
        log.info("regex gate: hyperscan refused an expression (%s); finding which", exc)
    refused: list[int] = []
    kept: list[tuple[int, str, int]] = []
    for item in exprs:
        try:
            build([item])
            kept.append(item)
        except _hs.error:
            refused.append(item[0])
    if not kept:
        return None, refused
    try:
        return build(kept), refused
    except _hs.error as exc:
        raise RuntimeError(f"hyperscan refused the pack's regexes: {exc}") from exc
