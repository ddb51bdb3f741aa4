"""The patterns layer's facade: text messages in, findings, assessment and advice out."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import learned as learned_mod
from .advice import ADVICE_DIR, Advice, AdviceCatalogue
from .conversation import weigh
from .learned import LearnedModel, Reading
from .matcher import Hit, Matcher
from .normalize import Normalized, normalize
from .pack import BUILTIN_DIR, Pack, PackError, Requirement, Rule, load_packs
from .reasons import Reason
from .types import Assessment, Category, Finding, Message, Severity, Speaker

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 200_000  # longer messages are cut (the rest is not matched)
CONTEXT_REASON = Reason("context")


LEARNED_SEVERITY = Severity.MEDIUM  # the model's findings: a second opinion, never more
# shapes of identity and card numbers (shapes.py): findings with them are never set aside
NUMBER_SHAPES = frozenset({"ssn", "card_number", "cn_id"})


def learned_rules() -> tuple[Rule, ...]:
    """One stand-in rule per category for the learned model's findings (``learned.<category>``)."""
    return tuple(Rule(id=learned_mod.RULE_PREFIX + cat.value, category=cat, severity=LEARNED_SEVERITY,
                      sender="them", advice=cat.value, origin="patterns/model/scorer.npz")
                 for cat in Category)


class Analyzer:
    """``learned``: the learned second opinion (``patterns/learned.py``), or None for the rules
    alone. With it, a line from the other party that no rule flagged gets the model's finding
    when the model is confident, and a built-in rule's finding (``builtin``: their ids; a user's
    own rules are never set aside) is set aside on a line the model reads as clearly ordinary
    (``p(risky)`` below the model's ``veto``), unless the rules flag two or more of the other
    party's lines in the chat. Context findings, which rest on the rest of the chat rather than
    on the line, are kept either way, and so are findings that rest on a number's shape (an SSN,
    a card or ID number in the line: a fact the model, which reads words, cannot weigh; "my ssn
    is 123-45-6789" sent alone was set aside)."""

    def __init__(self, pack: Pack, advice: AdviceCatalogue, problems: Sequence[PackError] = (),
                 *, use_index: bool = True, cache_size: int = 4096, matcher: Matcher | None = None,
                 learned: LearnedModel | None = None, builtin: frozenset[str] | None = None) -> None:
        self.pack = pack
        self.advice = advice
        self.problems = tuple(problems)
        # ``matcher``: one already built for exactly these rules (the start-up cache)
        if matcher is None or matcher.rules != pack.rules or matcher.use_index != use_index:
            matcher = Matcher(pack.rules, use_index=use_index)
        self.matcher = matcher
        self.rules: tuple[Rule, ...] = self.matcher.rules
        # A message's normalised text and pattern hits depend on its text alone; the window
        # re-weighs a growing batch after every screenshot, so most messages repeat. In memory
        # only, bounded, never written anywhere.
        self._prepare = lru_cache(maxsize=cache_size)(self._prepare_uncached) if cache_size else self._prepare_uncached
        self.learned = learned
        self.builtin = frozenset(r.id for r in pack.rules) if builtin is None else builtin
        self._context = tuple(r.needs_findings for r in self.rules)  # context rules, by number
        # per rule, the speakers whose lines it applies to (``_said_by``)
        self._senders = tuple(frozenset(s for s in Speaker if self._said_by(r.sender, s)) for r in self.rules)
        self._vetoable = tuple(r.id in self.builtin and not ctx and NUMBER_SHAPES.isdisjoint(r.shapes)
                               for r, ctx in zip(self.rules, self._context, strict=True))
        self._finding_parts = tuple((r.id, r.category, r.severity, r.advice or r.category.value, r.explain, ctx)
                                    for r, ctx in zip(self.rules, self._context, strict=True))
        self._learned_rules = learned_rules()
        self._learned_index = {r.category: len(self.rules) + k for k, r in enumerate(self._learned_rules)}
        self._read = lru_cache(maxsize=cache_size)(self._read_uncached) if cache_size else None

    def with_learned(self, on: bool = True) -> Analyzer:
        """This analyzer with the learned second opinion on (the built-in model) or off; the
        pack, its indexes and the advice are shared, nothing is loaded again but the model."""
        learned = learned_mod.default_model() if on else None
        if learned is self.learned:
            return self
        return Analyzer(self.pack, self.advice, self.problems, use_index=self.matcher.use_index,
                        matcher=self.matcher, learned=learned, builtin=self.builtin)

    def _reading(self, text: str, me: bool, norm: Normalized, *, explain: bool = True) -> Reading:
        """The model's reading of a message (``norm``: its normalised text, already made)."""
        if self._read is None:
            assert self.learned is not None
            return self.learned.read(text, norm, "me" if me else "them", explain=explain)
        return self._read(text, me, explain)

    def _read_uncached(self, text: str, me: bool, explain: bool) -> Reading:
        assert self.learned is not None
        return self.learned.read(text, self._prepare(text)[0], "me" if me else "them", explain=explain)

    def rule(self, ri: int) -> Rule:
        """A rule by its number; numbers past the pack's rules are the learned stand-ins."""
        n = len(self.rules)
        return self.rules[ri] if ri < n else self._learned_rules[ri - n]

    def finding(self, ri: int, score: float, matched: str, span: tuple[int, int]) -> Finding:
        if ri < len(self.rules):
            # from the rule's fields read once (a batch rebuilds thousands of findings from the
            # worker processes' compact results)
            rid, category, severity, advice, explain, context = self._finding_parts[ri]
            return Finding(rule=rid, category=category, severity=severity, score=score, matched=matched,
                           span=span, advice=advice, explain=dict(explain),
                           reasons=(CONTEXT_REASON,) if context else (), context=context)
        rule = self.rule(ri)
        return Finding(rule=rule.id, category=rule.category, severity=rule.severity, score=score,
                       matched=matched, span=span, advice=rule.advice,
                       explain=learned_mod.explain(rule.category, score / 100.0))

    def _prepare_uncached(self, text: str) -> tuple[Normalized, dict[int, Hit]]:
        norm = normalize(text)
        return norm, (self.matcher.hits(norm) if norm.fold.text.strip() else {})

    @classmethod
    def load(cls, user_dirs: Sequence[Path] = (), *, builtin: Path = BUILTIN_DIR,
             advice_dir: Path = ADVICE_DIR, use_index: bool = True, learned: bool | None = None) -> Analyzer:
        """``learned``: with the learned second opinion (when its file loads; else the rules
        alone, with a warning in the log). By default it is on with the shipped pack, off with
        any other built-in pack folder (it was trained beside the shipped rules)."""
        from . import cache
        from .pack import load_pack

        # the built-in pack as prebuilt by ``make package`` (patterns/cache.py), when it is
        # there and matches this pack and this code; else it is loaded from its files
        cached = cache.load(builtin) if Path(builtin).resolve() == BUILTIN_DIR.resolve() else None
        base = cached[0] if cached else load_pack(builtin, trusted=Path(builtin).resolve() == BUILTIN_DIR.resolve())
        pack, problems = load_packs(builtin, tuple(user_dirs), base=base)
        for p in problems:
            log.warning("user pattern pack skipped: %s", p)
        matcher = cached[1] if cached is not None and pack is cached[0] else None
        own = {id(r) for r in base.rules}
        if learned is None:
            learned = Path(builtin).resolve() == BUILTIN_DIR.resolve()
        return cls(pack, AdviceCatalogue.load(advice_dir), problems, use_index=use_index, matcher=matcher,
                   learned=learned_mod.default_model() if learned else None,
                   builtin=frozenset(r.id for r in pack.rules if id(r) in own))

    # ------------------------------------------------------------------ matching

    def raw_findings(self, messages: Sequence[Message], *, context_everywhere: bool = False) -> list[list[Finding]]:
        return [[self.finding(ri, hit.score, hit.matched, hit.span) for ri, hit in msg]
                for msg in self.raw_hits(messages, context_everywhere=context_everywhere)]

    def raw_findings_many(self, conversations: Sequence[Sequence[Message]], *,
                          workers: int | None = None) -> list[list[list[Finding]]]:
        """``raw_findings`` of each conversation; big batches on several cores."""
        from .parallel import raw_findings_many

        return raw_findings_many(self, conversations, workers=workers)

    def raw_hits(self, messages: Sequence[Message], *, context_everywhere: bool = False) -> list[list[tuple[int, Hit]]]:
        """Per message, (rule number, hit) of every rule that applies once its conditions
        (sender, suppressing context, required terms) are checked.

        Context rules (a requirement with ``found``) are checked last: what they need is the
        other rules' findings on the other party's lines, anywhere in the conversation; they
        apply only to lines that no other rule flagged (``context_everywhere``: to every line,
        for checking a context rule's own examples)."""
        prepare = self._prepare
        prepared = [prepare(m.text[:MAX_MESSAGE_CHARS]) for m in messages]
        norms: list[Normalized] = [p[0] for p in prepared]
        speakers = [m.speaker for m in messages]
        conv_terms: dict[tuple[int, int], bool] = {}
        out: list[list[tuple[int, Hit]]] = []
        deferred: list[tuple[int, int, Hit]] = []
        suppress, has_term, senders, context = self.matcher.suppress, self.matcher.has_term, self._senders, self._context
        for i, (norm, hits) in enumerate(prepared):
            found: list[tuple[int, Hit]] = []
            out.append(found)
            if not hits:  # three lines in four
                continue
            speaker = speakers[i]
            for ri, hit in hits.items():
                if speaker not in senders[ri]:
                    continue
                sup = suppress[ri]
                if sup is not None and has_term(sup, norm):
                    continue
                if context[ri]:
                    deferred.append((i, ri, hit))
                    continue
                if self._all_hold(ri, norm, norms, speakers, conv_terms, None):
                    found.append((ri, hit))
        if self.learned is not None and not context_everywhere:
            # a rule finding the model reads as ordinary is set aside only on a line that stands
            # alone: where rules flag two or more of the other party's lines, the chat is a
            # pattern the model, reading one line at a time, cannot see
            theirs = sum(1 for i, found in enumerate(out)
                         if found and speakers[i] in (Speaker.THEM, Speaker.UNKNOWN))
            if theirs < 2:
                out = [self._second_opinion(msg, found, norm) if found else found
                       for msg, found, norm in zip(messages, out, norms, strict=True)]
        if deferred:
            evidence: set[str] = set()
            strongest: dict[Category, int] = {}  # per category, the most severe evidence
            # the same, from the lines before each line only (``found_before`` requirements)
            evidence_before: list[frozenset[str]] = []
            for i, found in enumerate(out):
                evidence_before.append(frozenset(evidence))
                if speakers[i] in (Speaker.THEM, Speaker.UNKNOWN):
                    for ri, _hit in found:
                        r = self.rules[ri]
                        evidence.add(r.id)
                        evidence.add(r.category.value)
                        strongest[r.category] = max(strongest.get(r.category, 0), r.severity.rank)
            # a line that other rules flagged needs no context finding besides (it would only
            # repeat, less precisely, what those findings say); a line gets one context finding,
            # of the rule whose category the chat's evidence is strongest in ("转了吗？" after a
            # sextortion threat is sextortion pressure, not also money and threat pressure)
            ordinary = [bool(found) and not context_everywhere for found in out]
            chosen: dict[int, tuple[tuple[int, int, int], int, Hit]] = {}
            for order, (i, ri, hit) in enumerate(deferred):
                if ordinary[i]:
                    continue
                r = self.rules[ri]
                key = (strongest.get(r.category, 0), r.severity.rank, -order)
                if i in chosen and chosen[i][0] >= key and not context_everywhere:
                    continue
                prior = evidence if context_everywhere else evidence_before[i]
                if self._all_hold(ri, norms[i], norms, speakers, conv_terms, evidence, prior):
                    if context_everywhere:
                        out[i].append((ri, hit))
                    else:
                        chosen[i] = (key, ri, hit)
            for i, (_key, ri, hit) in chosen.items():
                out[i].append((ri, hit))
        if self.learned is not None and not context_everywhere:
            for i, msg in enumerate(messages):
                if not out[i] and msg.speaker in (Speaker.THEM, Speaker.UNKNOWN) and norms[i].fold.text.strip():
                    rd = self._reading(msg.text[:MAX_MESSAGE_CHARS], False, norms[i], explain=False)
                    if self.learned.flags(rd):
                        rd = self._reading(msg.text[:MAX_MESSAGE_CHARS], False, norms[i])
                        ri = self._learned_index[rd.category]
                        out[i].append((ri, Hit(ri, " / ".join(rd.words), round(100.0 * rd.risky, 1), rd.span)))
        return out

    def _second_opinion(self, msg: Message, found: list[tuple[int, Hit]], norm: Normalized) -> list[tuple[int, Hit]]:
        """``found`` without the built-in rules' findings when the model reads the line as
        clearly ordinary."""
        assert self.learned is not None
        if not any(self._vetoable[ri] for ri, _hit in found):
            return found
        rd = self._reading(msg.text[:MAX_MESSAGE_CHARS], msg.speaker == Speaker.ME, norm, explain=False)
        if rd.risky >= self.learned.veto:
            return found
        kept = [(ri, hit) for ri, hit in found if not self._vetoable[ri]]
        log.debug("learned model set aside %d rule finding(s) (p(risky) %.2f)", len(found) - len(kept), rd.risky)
        return kept

    def _all_hold(self, ri: int, norm: Normalized, norms: list[Normalized], speakers: list[Speaker],
                  conv_terms: dict[tuple[int, int], bool], evidence: set[str] | None,
                  prior: frozenset[str] | set[str] | None = None) -> bool:
        rule = self.rules[ri]
        req = self.matcher.requires[ri]
        if req is not None and not self._holds(req, rule.requires, (ri, 0), norm, norms, speakers,
                                               conv_terms, evidence, prior):
            return False
        more = self.matcher.requires_more.get(ri)
        return more is None or all(self._holds(more[k], rule.also_requires[k], (ri, k + 1), norm, norms,
                                               speakers, conv_terms, evidence, prior) for k in range(len(more)))

    def _holds(self, req: tuple[Any, str], group: Requirement | None, key: tuple[int, int], norm: Normalized,
               norms: list[Normalized], speakers: list[Speaker], conv_terms: dict[tuple[int, int], bool],
               evidence: set[str] | None, prior: frozenset[str] | set[str] | None = None) -> bool:
        """A required group: one of its terms in this message, or anywhere in the conversation
        (in lines by the group's ``sender``), or one of its ``found`` findings in the
        conversation's ``evidence`` (``prior``: on the lines before this one, for a group with
        ``found_before``)."""
        rx, scope = req
        if scope == "message":
            return self.matcher.has_term(rx, norm, views=True)
        if group is not None and group.found:
            seen = prior if group.found_before else evidence
            if seen is not None and not seen.isdisjoint(group.found):
                return True
        if key not in conv_terms:
            sender = group.sender if group is not None else "any"
            conv_terms[key] = any(self.matcher.has_term(rx, n, views=True)
                                  for n, who in zip(norms, speakers, strict=True)
                                  if self._said_by(sender, who))
        return conv_terms[key]

    @staticmethod
    def _said_by(sender: str, who: Speaker) -> bool:
        """Whether a line by ``who`` counts for a rule's (or a required group's) ``sender``.
        An unknown speaker counts as either party; app notices (system lines: times, "消息已
        撤回") are nobody's words and count for none."""
        if sender == "them":
            return who in (Speaker.THEM, Speaker.UNKNOWN)
        if sender == "me":
            return who in (Speaker.ME, Speaker.UNKNOWN)
        return who != Speaker.SYSTEM

    def assess(self, messages: Sequence[Message]) -> Assessment:
        return weigh(messages, self.raw_findings(messages))

    # ------------------------------------------------------------------ advice

    def advice_for(self, assessment: Assessment, lang: str = "en") -> list[Advice]:
        return self.advice_for_categories(assessment.categories, assessment, lang)

    def advice_for_categories(self, categories: Sequence[Category], assessment: Assessment | None,
                              lang: str = "en") -> list[Advice]:
        keys: list[str] = []
        for cat in categories:
            key = cat.value
            if assessment is not None:
                for mf in assessment.messages:
                    hit = next((f for f in mf.findings if f.category == cat), None)
                    if hit is not None:
                        key = hit.advice
                        break
            keys.append(key)
        out = []
        for cat, key in zip(categories, keys, strict=True):
            a = self.advice.get(key, lang) or self.advice.get(cat.value, lang)
            if a is not None:
                out.append(Advice(cat.value, a.title, a.steps, a.contacts, a.source))
        return out

    # ------------------------------------------------------------------ self-check

    def check_examples(self) -> list[str]:
        """Every rule's must-match examples match it; must-not-match ones don't."""
        failures: list[str] = []
        for rule in self.rules:
            for ex in rule.examples_match:
                got = {f.rule for f in self.raw_findings([Message(ex, Speaker.THEM)], context_everywhere=True)[0]}
                if rule.id not in got:
                    failures.append(f"{rule.origin} {rule.id}: should match: {ex}")
            for ex in rule.examples_no_match:
                got = {f.rule for f in self.raw_findings([Message(ex, Speaker.THEM)], context_everywhere=True)[0]}
                if rule.id in got:
                    failures.append(f"{rule.origin} {rule.id}: should NOT match: {ex}")
            for chats, want in ((rule.context_match, True), (rule.context_no_match, False)):
                for chat in chats:
                    msgs = [Message(text, Speaker(who)) for who, text in chat]
                    got = {f.rule for f in self.raw_findings(msgs, context_everywhere=True)[-1]}
                    if (rule.id in got) != want:
                        said = " / ".join(f"{who}: {text}" for who, text in chat)
                        failures.append(f"{rule.origin} {rule.id}: should {'' if want else 'NOT '}match "
                                        f"the last line of: {said}")
        return failures
