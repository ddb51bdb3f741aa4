"""Conversation-level weighing: the documented combination behind ``summary.risk``.

Each finding starts at its rule's severity. Then, in this order:

1. Who said it. A risky line the user wrote (``me``) is usually a quote or a reply to the
   scammer ("he said he'd post my photos"): its severity drops one step, except for
   ``personal_info`` (the user giving away an SSN or a code is itself the danger).
2. Sextortion pattern. A threat or a money demand from the other party after they asked for
   intimate photos (``explicit_request``) or talked about them (``sextortion``) is critical.
3. Fake authority. A money demand or a request for personal data in a chat where the other
   party poses as police, a consulate or a bank (``impersonation``) is at least high.
4. Repeated pressure. Three or more messages from the other party carrying threats or money
   demands raise each of those findings one step.
5. Escalation. The grooming sequence (befriend / personal questions / location / meeting, then
   an explicit request, then a threat or demand) seen in that order raises the conversation to
   critical even when each line alone is less.

Findings of context rules (``Finding.context``: a short line such as "转了吗" or "still waiting"
flagged only because other rules already fired on the other party's lines) mark their line and
count in ``flagged``, but take no part in steps 4 and 5 nor in the summary below: the evidence
they depend on already carries the conversation's risk, and counting them again would turn one
threat and two follow-ups into "sustained pressure".

``summary.risk`` is the highest adjusted severity, raised one step (to at least medium) when
three or more different categories appear together, to at least high when three or more
messages from the other party are flagged (a sustained pattern, not one odd line), and to
critical on escalation. ``none`` when nothing was found. Every adjustment adds a reason to the
finding or the assessment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .reasons import Reason
from .types import (
    RISK_NONE,
    Assessment,
    Category,
    Finding,
    Message,
    MessageFindings,
    Severity,
    Speaker,
)

_QUOTABLE = {c for c in Category} - {Category.PERSONAL_INFO}
_DEMANDS = {Category.THREAT, Category.MONEY_DEMAND}
_PHOTO = {Category.EXPLICIT_REQUEST, Category.SEXTORTION}
_APPROACH = {Category.GROOMING, Category.PERSONAL_INFO, Category.LOCATION, Category.MEETING}


def _raise(f: Finding, to: Severity, reason: str) -> Finding:
    if to.rank <= f.severity.rank:
        return f if reason in f.reasons else replace(f, reasons=f.reasons + (reason,))
    return replace(f, severity=to, reasons=f.reasons + (reason,))


def _step(sev: Severity, delta: int) -> Severity:
    return Severity.from_rank(sev.rank + delta)


def weigh(messages: Sequence[Message], raw: Sequence[Sequence[Finding]]) -> Assessment:
    found: list[list[Finding]] = [list(fs) for fs in raw]
    speakers = [m.speaker for m in messages]
    reasons: list[str] = []

    def from_them(i: int) -> bool:
        return speakers[i] in (Speaker.THEM, Speaker.UNKNOWN)

    # 1. who said it
    for i, fs in enumerate(found):
        if speakers[i] == Speaker.ME:
            found[i] = [replace(f, severity=_step(f.severity, -1),
                                reasons=f.reasons + (Reason("quoted"),))
                        if f.category in _QUOTABLE else f for f in fs]

    # 2. sextortion pattern: demand after an explicit request
    first_photo = next((i for i, fs in enumerate(found)
                        if from_them(i) and any(f.category in _PHOTO for f in fs)), None)
    if first_photo is not None:
        for i in range(first_photo, len(found)):
            if from_them(i):
                found[i] = [_raise(f, Severity.CRITICAL, Reason("sextortion_pattern"))
                            if f.category in _DEMANDS else f for f in found[i]]

    # 3. fake authority
    if any(from_them(i) and any(f.category == Category.IMPERSONATION for f in fs) for i, fs in enumerate(found)):
        for i, fs in enumerate(found):
            if from_them(i):
                found[i] = [_raise(f, Severity.HIGH, Reason("fake_authority"))
                            if f.category in (Category.MONEY_DEMAND, Category.PERSONAL_INFO) else f for f in fs]

    # 4. repeated pressure
    pressure = [i for i, fs in enumerate(found)
                if from_them(i) and any(f.category in _DEMANDS | {Category.SEXTORTION} and not f.context for f in fs)]
    if len(pressure) >= 3:
        why = Reason("repeated_pressure", n=len(pressure))
        reasons.append(why)
        for i in pressure:
            found[i] = [_raise(f, _step(f.severity, 1), why)
                        if f.category in _DEMANDS | {Category.SEXTORTION} and not f.context else f for f in found[i]]

    # 5. escalation: approach -> explicit request -> threat/demand, in order
    escalated = False
    stage = 0
    for i, fs in enumerate(found):
        if not from_them(i):
            continue
        cats = {f.category for f in fs if not f.context}
        if stage == 0 and cats & _APPROACH:
            stage = 1
        if stage == 1 and cats & _PHOTO:
            stage = 2
        elif stage == 2 and cats & (_DEMANDS | {Category.SEXTORTION}):
            escalated = True
            break
    if escalated:
        reasons.append(Reason("escalation"))

    # summary
    flat = [f for fs in found for f in fs if not f.context]
    # most severe first; between equals, one that is that severe on its own (no reason raised
    # it) comes before one raised by the context: a sextortion threat naming a sum is
    # sextortion first, the money demand it carries second
    per_message = tuple(MessageFindings(i, tuple(sorted(fs, key=lambda f: (-f.severity.rank, bool(f.reasons),
                                                                             -f.score))))
                        for i, fs in enumerate(found))
    flagged = sum(1 for fs in found if fs)
    if not flat:
        return Assessment(per_message, RISK_NONE, (), flagged, tuple(reasons))
    top = max(f.severity.rank for f in flat)
    cats = {f.category for f in flat}
    if len(cats) >= 3 and top < Severity.CRITICAL.rank:
        top = max(top + 1, Severity.MEDIUM.rank)
        reasons.append(Reason("kinds_together", n=len(cats)))
    sustained = sum(1 for i, fs in enumerate(found) if from_them(i) and any(not f.context for f in fs))
    if sustained >= 3 and top < Severity.HIGH.rank:
        top = Severity.HIGH.rank
        reasons.append(Reason("sustained", n=sustained))
    if escalated:
        top = Severity.CRITICAL.rank
    order = sorted(cats, key=lambda c: (-max(f.severity.rank for f in flat if f.category == c),
                                        -sum(1 for f in flat if f.category == c), c.value))
    return Assessment(per_message, Severity.from_rank(top).value, tuple(order), flagged, tuple(reasons))
