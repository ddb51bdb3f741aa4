"""Pattern packs: YAML files with a schema checked at load (see packs/SCHEMA.md).

Errors name the file, the line and what is wrong. The built-in pack must load; a user pack that
fails is reported and skipped, and the built-in pack keeps working.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .normalize import CJK_CONFUSABLE, simplify_pattern
from .regex_gate import parse_regex
from .shapes import SHAPES
from .types import Category, Severity

try:  # Python 3.11+
    import re._constants as _sre_c  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_constants as _sre_c  # type: ignore[no-redef]

BUILTIN_DIR = Path(__file__).with_name("packs")
UI_LANGS = ("zh-Hans", "zh-Hant", "en")
MAX_PHRASE_LEN = 200
MAX_REGEX_LEN = 500

__all__ = [
    "BUILTIN_DIR",
    "Pack",
    "PackError",
    "Requirement",
    "Rule",
    "load_pack",
    "load_packs",
]


class PackError(Exception):
    """A pattern file is broken. ``str()`` reads ``file:line: what is wrong``."""

    def __init__(self, file: Path | str, line: int | None, message: str) -> None:
        self.file = str(file)
        self.line = line
        self.message = message
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class Requirement:
    scope: str  # "message" | "conversation"
    any: tuple[str, ...]  # raw terms (the matcher normalises)
    # conversation scope only: the terms count only in lines by this sender ("them" also counts
    # lines of unknown sender, as a rule's own ``sender`` does)
    sender: str = "any"
    # conversation scope only: categories or rule ids of which ANOTHER rule's finding on a line
    # by the other party (them / unknown) also satisfies the group. Rules that need such a
    # finding never count as one (no rule can vouch for another context rule).
    found: tuple[str, ...] = ()
    # with ``found``: only findings on lines BEFORE this one count (a "video call tonight?" is
    # the sextortion continuing once the threat was made, and small talk before it)
    found_before: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: Category
    severity: Severity
    phrases: tuple[str, ...] = ()
    regexes: tuple[LazyPattern, ...] = ()
    shapes: tuple[str, ...] = ()
    sender: str = "any"  # "them" | "me" | "any"
    languages: tuple[str, ...] = ()
    requires: Requirement | None = None
    also_requires: tuple[Requirement, ...] = ()  # more groups, every one must hold too
    suppress: tuple[str, ...] = ()
    advice: str = ""
    explain: dict[str, str] = field(default_factory=dict)
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    # whole-chat examples: (speaker, text) lines; the last line must (not) be flagged by the rule
    context_match: tuple[tuple[tuple[str, str], ...], ...] = ()
    context_no_match: tuple[tuple[tuple[str, str], ...], ...] = ()
    origin: str = ""  # file:line, for error messages and the UI


    @property
    def needs_findings(self) -> bool:
        """A context rule: one of its groups is satisfied by other rules' findings."""
        return bool(self.requires and self.requires.found) or any(g.found for g in self.also_requires)


@dataclass(frozen=True, slots=True)
class Pack:
    id: str
    version: str
    rules: tuple[Rule, ...]
    files: tuple[str, ...] = ()


# ------------------------------------------------------------------ YAML with line numbers

_LINE = "__line__"


# libyaml's parser when PyYAML was built with it (several times faster: start-up), with the
# same safe constructors; the pure-Python one otherwise. Both give nodes their line marks.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    # YAML itself lets a later key silently replace an earlier one: a rule with two
    # ``suppress:`` lines would lose the first list without a word. Refuse it, with its line.
    seen: set[str] = set()
    for key_node, _value in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag.endswith(":str") and key_node.value != "<<":
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key_node.value!r} (the earlier one would be ignored)",
                    key_node.start_mark)
            seen.add(key_node.value)
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackError(path, None, f"cannot read the file ({exc.strerror or exc})") from None
    if len(raw) > 5_000_000:
        raise PackError(path, None, "the file is larger than 5 MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackError(path, None, f"not UTF-8 text (byte {exc.start})") from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise PackError(path, line, f"YAML syntax: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise PackError(path, None, f"YAML syntax: {exc}") from None


# ------------------------------------------------------------------ validation helpers

_RULE_KEYS = {
    "id", "category", "severity", "languages", "sender", "phrases", "regexes", "shapes",
    "requires", "suppress", "advice", "explain", "examples", "enabled", "notes", "source", _LINE,
}
_ID = re.compile(r"^[a-z0-9_]+(?:[.-][a-z0-9_]+)+$")


def _strings(value: Any, what: str, path: Path, line: int | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise PackError(path, line, f"{what} must be a list of strings")
    out = []
    for v in value:
        if isinstance(v, int | float) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, str) or not v.strip():
            raise PackError(path, line, f"{what} must contain non-empty strings (got {v!r})")
        out.append(v)
    return tuple(out)


_CATEGORY_VALUES = {c.value for c in Category}
_CHAT_LINE = re.compile(r"^(them|me|unknown):\s*(\S.*)$", re.S)


def _chats(value: Any, what: str, path: Path, line: int | None) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Whole-chat examples: a list of chats, each a list of "them: ..." / "me: ..." lines."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise PackError(path, line, f"{what} must be a list of chats")
    out = []
    for chat in value:
        lines = _strings(chat, what, path, line)
        if not lines:
            raise PackError(path, line, f"{what}: a chat needs at least one line")
        parsed = []
        for ln in lines:
            m = _CHAT_LINE.match(ln)
            if not m:
                raise PackError(path, line, f"{what}: {ln!r} must start with 'them:', 'me:' or 'unknown:'")
            parsed.append((m.group(1), m.group(2)))
        out.append(tuple(parsed))
    return tuple(out)


_OUTER_BOUND = 4  # (?:\w+ ){0,4} is fine; (.*a){20} is polynomial with a huge exponent


def _first_chars(seq: Any) -> set[int] | None:
    """Characters a sequence can start with; None when it could be almost anything."""
    for op, av in seq:
        if op == _sre_c.LITERAL:
            return {av}
        if op == _sre_c.IN:
            chars: set[int] = set()
            for iop, iav in av:
                if iop == _sre_c.LITERAL:
                    chars.add(iav)
                elif iop == _sre_c.NEGATE:
                    return None
                elif iop == _sre_c.RANGE:
                    if iav[1] - iav[0] > 256:
                        return None
                    chars.update(range(iav[0], iav[1] + 1))
                else:
                    return None
            return chars
        if op == _sre_c.SUBPATTERN:
            return _first_chars(av[-1])
        if op in (_sre_c.AT,):
            continue
        return None
    return None


def _overlapping_branch(av: Any) -> bool:
    seen: set[int] = set()
    for alt in av[1]:
        first = _first_chars(alt)
        if first is None or first & seen:
            return True
        seen |= first
    return False


def _unsafe_regex(parsed: Any, inside_repeat: bool = False) -> bool:
    """True for shapes that backtrack catastrophically: an unbounded repeat inside another
    repeat (unless the outer one is small), or alternatives that can start with the same
    character inside an unbounded repeat ((a|aa)+)."""
    for op, av in parsed:
        if op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, getattr(_sre_c, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av
            unbounded = hi == _sre_c.MAXREPEAT or hi > 50
            if inside_repeat and unbounded:
                return True
            if _unsafe_regex(sub, inside_repeat or hi > _OUTER_BOUND):
                return True
            if unbounded and _has_overlapping_branch(sub):
                return True
        elif op == _sre_c.SUBPATTERN:
            if _unsafe_regex(av[-1], inside_repeat):
                return True
        elif op == _sre_c.BRANCH:
            if any(_unsafe_regex(b, inside_repeat) for b in av[1]):
                return True
        elif op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT):
            if _unsafe_regex(av[1], inside_repeat):
                return True
        elif op == _sre_c.GROUPREF_EXISTS and (
                _unsafe_regex(av[1], inside_repeat) or (av[2] and _unsafe_regex(av[2], inside_repeat))):
            return True
    return False


def _has_overlapping_branch(seq: Any) -> bool:
    for op, av in seq:
        if op == _sre_c.BRANCH and _overlapping_branch(av):
            return True
        if op == _sre_c.SUBPATTERN and _has_overlapping_branch(av[-1]):
            return True
    return False


class LazyPattern:
    """A pack regex, compiled when first run. The pack has ~1,400 regexes and a scan runs the
    few whose literals occur (regex_gate.py): compiling them all cost 0.75 s of every start.
    The pattern is parsed (and so checked) at load; what only compiling can find (a
    variable-width look-behind) is checked at load too (``_lookbehind_ok``)."""

    __slots__ = ("pattern", "flags", "_rx")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        # what re.compile(pattern).flags would be, inline flags such as (?i) included: the gate
        # must not take literals from a case-insensitive pattern
        self.flags = parse_regex(pattern, 0).state.flags | (0 if pattern.startswith("(?a") else re.UNICODE)
        self._rx: re.Pattern[str] | None = None

    # pickled (the start-up cache, spawned workers) as its pattern only: a compiled regex would
    # be compiled again at every load (measured: 0.35 s of start-up for the ~1,300 a cache
    # build had run)
    def __getstate__(self) -> tuple[str, int]:
        return (self.pattern, self.flags)

    def __setstate__(self, state: tuple[str, int]) -> None:
        self.pattern, self.flags = state
        self._rx = None

    def compiled(self) -> re.Pattern[str]:
        rx = self._rx
        if rx is None:
            rx = self._rx = re.compile(self.pattern)
        return rx

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().fullmatch(text, pos, endpos)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyPattern) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"


def _lookbehind_ok(parsed: Any) -> bool:
    """re.compile refuses look-behinds that can match strings of different lengths."""
    for op, av in parsed:
        if op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT):
            direction, sub = av
            if direction < 0:
                lo, hi = sub.getwidth()
                if lo != hi:
                    return False
            if not _lookbehind_ok(sub):
                return False
        elif op == _sre_c.SUBPATTERN:
            if not _lookbehind_ok(av[-1]):
                return False
        elif op == _sre_c.BRANCH:
            if not all(_lookbehind_ok(b) for b in av[1]):
                return False
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, getattr(_sre_c, "POSSESSIVE_REPEAT", None)):
            if not _lookbehind_ok(av[2]):
                return False
        elif op == _sre_c.GROUPREF_EXISTS and not (_lookbehind_ok(av[1]) and (not av[2] or _lookbehind_ok(av[2]))):
            return False
    return True


def compile_safe_regex(pattern: str, path: Path | str = "<regex>", line: int | None = None,
                       *, check: bool = True) -> LazyPattern:
    """A pack regex, validated (``check``: look-behinds, catastrophic backtracking; the built-in
    pack is checked by the test suite and loads without, to start faster)."""
    if len(pattern) > MAX_REGEX_LEN:
        raise PackError(path, line, f"regex longer than {MAX_REGEX_LEN} characters")
    # regexes run on the plain view: Simplified, with OCR-confusable CJK characters folded
    pattern = simplify_pattern(pattern).translate(CJK_CONFUSABLE)
    if pattern.isascii() and not pattern.startswith("(?"):
        # An English regex: \b and \w must treat Chinese characters as non-word, or
        # r'\bcome over\b' never matches in 你come over我家 (Python's default counts CJK as word
        # characters). A pattern with CJK in it, or its own leading flags, is left as written.
        pattern = "(?a)" + pattern
    try:
        parsed = parse_regex(pattern, 0)
    except re.error as exc:
        raise PackError(path, line, f"invalid regex {pattern!r}: {exc}") from None
    if check and not _lookbehind_ok(list(parsed)):
        raise PackError(path, line, f"invalid regex {pattern!r}: look-behind requires fixed-width pattern")
    if check and _unsafe_regex(list(parsed)):
        raise PackError(path, line, f"regex {pattern!r} can backtrack catastrophically (a repeat "
                                    "inside a repeat, or alternatives that overlap under a repeat); "
                                    "rewrite it")
    return LazyPattern(pattern)


def _rule_from(d: Any, path: Path, trusted: bool = False) -> Rule | None:
    if not isinstance(d, dict):
        raise PackError(path, None, f"each rule must be a mapping, got {type(d).__name__}")
    line = d.get(_LINE)
    unknown = set(d) - _RULE_KEYS
    if unknown:
        raise PackError(path, line, f"unknown field(s): {', '.join(sorted(unknown))}")
    rid = d.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        raise PackError(path, line, f"rule id {rid!r} must look like 'category.name' (lower case)")
    where = f"rule {rid!r}: "
    try:
        category = Category(d.get("category"))
    except ValueError:
        raise PackError(path, line, where + f"category {d.get('category')!r} is not one of "
                        + ", ".join(c.value for c in Category)) from None
    try:
        severity = Severity(d.get("severity"))
    except ValueError:
        raise PackError(path, line, where + f"severity {d.get('severity')!r} is not one of "
                        + ", ".join(s.value for s in Severity)) from None
    sender = d.get("sender", "any")
    if sender not in ("them", "me", "any"):
        raise PackError(path, line, where + f"sender {sender!r} must be them, me or any")
    phrases = _strings(d.get("phrases"), where + "phrases", path, line)
    for p in phrases:
        if len(p) > MAX_PHRASE_LEN:
            raise PackError(path, line, where + f"phrase longer than {MAX_PHRASE_LEN} characters")
    regexes = tuple(compile_safe_regex(r, path, line, check=not trusted)
                    for r in _strings(d.get("regexes"), where + "regexes", path, line))
    shapes = _strings(d.get("shapes"), where + "shapes", path, line)
    for s in shapes:
        if s not in SHAPES:
            raise PackError(path, line, where + f"unknown shape {s!r} (known: {', '.join(SHAPES)})")
    if not (phrases or regexes or shapes):
        raise PackError(path, line, where + "needs at least one of phrases, regexes, shapes")
    groups: list[Requirement] = []
    req = d.get("requires")
    if req is not None:
        # one mapping, or a list of mappings that must all hold ("a contact word AND a school word")
        many = isinstance(req, list)
        if many and not req:
            raise PackError(path, line, where + "requires is an empty list")
        for k, one in enumerate(req if many else [req]):
            at = f"requires[{k}]" if many else "requires"
            if not isinstance(one, dict):
                raise PackError(path, line, where + f"{at} must be a mapping with scope and any")
            at_line = one.get(_LINE, line)
            unknown_keys = set(one) - {"scope", "any", "sender", "found", "found_before", _LINE}
            if unknown_keys:
                raise PackError(path, at_line, where + f"{at}: unknown field(s): {', '.join(sorted(unknown_keys))}")
            scope = one.get("scope", "message")
            if scope not in ("message", "conversation"):
                raise PackError(path, at_line, where + f"{at}.scope must be message or conversation")
            terms = _strings(one.get("any"), where + f"{at}.any", path, at_line)
            found = _strings(one.get("found"), where + f"{at}.found", path, at_line)
            req_sender = one.get("sender", "any")
            if req_sender not in ("them", "me", "any"):
                raise PackError(path, at_line, where + f"{at}.sender {req_sender!r} must be them, me or any")
            if scope != "conversation" and (found or req_sender != "any"):
                raise PackError(path, at_line, where + f"{at}: found and sender need scope: conversation")
            for f in found:
                if f not in _CATEGORY_VALUES and not _ID.match(f):
                    raise PackError(path, at_line, where + f"{at}.found {f!r} is neither a category nor a rule id")
            if not terms and not found:
                raise PackError(path, at_line, where + f"{at}.any is empty")
            found_before = one.get("found_before", False)
            if not isinstance(found_before, bool):
                raise PackError(path, at_line, where + f"{at}.found_before must be true or false")
            if found_before and not found:
                raise PackError(path, at_line, where + f"{at}.found_before needs found")
            groups.append(Requirement(scope, terms, req_sender, found, found_before))
    requires = groups[0] if groups else None
    also_requires = tuple(groups[1:])
    suppress = _strings(d.get("suppress"), where + "suppress", path, line)
    explain = d.get("explain") or {}
    if not isinstance(explain, dict):
        raise PackError(path, line, where + "explain must map zh-Hans, zh-Hant and en to text")
    explain = {k: v for k, v in explain.items() if k != _LINE}
    missing = [lang for lang in UI_LANGS if not isinstance(explain.get(lang), str) or not explain[lang].strip()]
    if missing:
        raise PackError(path, line, where + f"explain is missing {', '.join(missing)}")
    examples = d.get("examples") or {}
    if not isinstance(examples, dict):
        raise PackError(path, line, where + "examples must have match and no_match lists")
    ex_match = _strings(examples.get("match"), where + "examples.match", path, line)
    ex_no = _strings(examples.get("no_match"), where + "examples.no_match", path, line)
    unknown_ex = set(examples) - {"match", "no_match", "in_context", _LINE}
    if unknown_ex:
        raise PackError(path, line, where + f"examples: unknown field(s): {', '.join(sorted(unknown_ex))}")
    ctx = examples.get("in_context") or {}
    if not isinstance(ctx, dict) or set(ctx) - {"match", "no_match", _LINE}:
        raise PackError(path, line, where + "examples.in_context must have match and no_match lists of chats")
    ctx_match = _chats(ctx.get("match"), where + "examples.in_context.match", path, line)
    ctx_no = _chats(ctx.get("no_match"), where + "examples.in_context.no_match", path, line)
    advice = d.get("advice", category.value)
    if not isinstance(advice, str):
        raise PackError(path, line, where + "advice must be an advice key")
    if d.get("enabled", True) is False:
        return None
    return Rule(
        id=rid, category=category, severity=severity, phrases=phrases, regexes=regexes,
        shapes=shapes, sender=sender, languages=_strings(d.get("languages"), where + "languages", path, line),
        requires=requires, also_requires=also_requires, suppress=suppress, advice=advice, explain=explain,
        examples_match=ex_match, examples_no_match=ex_no, context_match=ctx_match, context_no_match=ctx_no,
        origin=f"{path.name}:{line}",
    )


def load_pack(folder: Path, *, trusted: bool = False) -> Pack:
    """Load and validate every ``*.yaml`` in ``folder`` (name order). Raises PackError.
    ``trusted``: the built-in pack, whose regexes the test suite checks for look-behinds and
    catastrophic backtracking (``test_builtin_pack_passes_every_load_check``); the schema is
    validated all the same."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PackError(folder, None, "pack folder not found")
    files = sorted(p for p in folder.glob("*.yaml") if p.is_file())
    pack_id, version = folder.name, "0"
    rules: dict[str, Rule] = {}
    disabled: set[str] = set()
    for path in files:
        doc = _read_yaml(path)
        if doc is None:
            continue
        if not isinstance(doc, dict):
            raise PackError(path, None, "the file must be a mapping with 'rules:' (and optional 'pack:')")
        unknown = set(doc) - {"pack", "rules", _LINE}
        if unknown:
            raise PackError(path, doc.get(_LINE), f"unknown top-level key(s): {', '.join(sorted(unknown))}")
        meta = doc.get("pack")
        if isinstance(meta, dict):
            pack_id = str(meta.get("id", pack_id))
            version = str(meta.get("version", version))
        raw_rules = doc.get("rules") or []
        if not isinstance(raw_rules, list):
            raise PackError(path, doc.get(_LINE), "'rules' must be a list")
        for d in raw_rules:
            rule = _rule_from(d, path, trusted)
            rid = d.get("id") if isinstance(d, dict) else None
            if rule is None:
                disabled.add(str(rid))
                continue
            if rule.id in rules:
                raise PackError(path, d.get(_LINE), f"duplicate rule id {rule.id!r} (first in {rules[rule.id].origin})")
            rules[rule.id] = rule
    return Pack(pack_id, version, tuple(r for r in rules.values() if r.id not in disabled),
                tuple(str(f) for f in files))


def load_packs(builtin: Path = BUILTIN_DIR, user_dirs: tuple[Path, ...] = (), *,
               base: Pack | None = None) -> tuple[Pack, list[PackError]]:
    """The built-in pack (must load) plus user packs (each skipped whole if broken).

    A user rule with the id of a built-in one replaces it; ``enabled: false`` switches it off.
    ``base``: the built-in pack already loaded (from the start-up cache). When no user pack
    adds or changes anything, the built-in pack itself is returned.
    """
    if base is None:
        base = load_pack(builtin, trusted=Path(builtin).resolve() == BUILTIN_DIR.resolve())
    problems: list[PackError] = []
    changed = False
    rules = {r.id: r for r in base.rules}
    files = list(base.files)
    for d in user_dirs:
        if not Path(d).is_dir():
            continue
        try:
            user = load_pack(Path(d))
            user_disabled = _disabled_ids(Path(d))
        except PackError as exc:
            problems.append(exc)
            continue
        for rid in user_disabled:
            rules.pop(rid, None)
        rules.update({r.id: r for r in user.rules})
        files.extend(user.files)
        changed = changed or bool(user_disabled or user.rules or user.files)
    if not changed:
        return base, problems
    return Pack(base.id, base.version, tuple(rules.values()), tuple(files)), problems


def _disabled_ids(folder: Path) -> set[str]:
    out: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        doc = _read_yaml(path) or {}
        for d in doc.get("rules") or []:
            if isinstance(d, dict) and d.get("enabled", True) is False:
                out.add(str(d.get("id")))
    return out
