"""The scan for people: flagged lines by severity, why, and what to do, in the user's language.
Severity is marked with symbols and words, never colour alone."""

from __future__ import annotations

from pathlib import Path

from patterns import RISK_NONE, say_all

from .scan import ScanRun
from .strings import t

MARK = {"critical": "‼‼", "high": "‼ ", "medium": "! ", "low": "· "}
_COLOR = {"critical": "\033[1;97;41m", "high": "\033[1;31m", "medium": "\033[33m", "low": "\033[36m"}
_RESET = "\033[0m"


def render_run(run: ScanRun, lang: str, *, color: bool = False) -> str:
    def c(sev: str, s: str) -> str:
        return f"{_COLOR.get(sev, '')}{s}{_RESET}" if color and sev in _COLOR else s

    out: list[str] = []
    for r in run.inputs:
        name = Path(r.source).name if r.source != "-" else "text"
        head = f"== {name}"
        if r.contact:
            head += f"  ({t('sender.them', lang)}: {r.contact})"
        out.append(head)
        if r.error:
            msg = t(f"err.{r.error.code}", lang)
            if msg.startswith("err."):
                msg = r.error.message
            out.append(f"   {t('input_error', lang)}: {msg} [{r.error.code}]")
            out.append("")
            continue
        if not r.lines:
            out.append(f"   {t('no_text', lang)}")
        flagged = [ln for ln in r.lines if ln.findings]
        seen_msgs: set[int] = set()
        for ln in flagged:
            top = ln.findings[0]
            sev = top.severity.value
            sender = t(f"sender.{ln.sender}", lang)
            dup = f" {t('duplicate', lang)}" if ln.duplicate_of else ""
            out.append(f"   {c(sev, MARK[sev] + ' ' + t('sev.' + sev, lang))}  [{top.category.value}] {sender}: {ln.text}{dup}")
            if ln.message in seen_msgs:
                continue
            seen_msgs.add(ln.message)
            # one explanation per kind of risk (several rules of a category often match the
            # same words: "你在哪个学校" is a school probe and a location probe), its phrases together
            by_cat: dict[str, list] = {}
            for f in ln.findings:
                by_cat.setdefault(f.category.value, []).append(f)
            for fs in by_cat.values():
                top_f = fs[0]  # most severe first (patterns/conversation.py)
                why = top_f.explain.get(lang) or top_f.explain.get("en", "")
                # a phrase that wraps across a bubble's lines stays on one line here
                phrases = dict.fromkeys(" ".join(f.matched.split()) for f in fs)
                shown = ", ".join(f"\u201c{m}\u201d" for m in phrases)
                adjusted = "; ".join(say_all(top_f.reasons, lang))
                out.append(f"        {t('matched', lang)} {shown} ({top_f.score:.0f}) {why}"
                           + (f" \u00b7 {adjusted}" if adjusted else ""))
        out.append("")

    s = run.summary
    if s.risk == RISK_NONE:
        out.append(f"== {t('risk.none', lang)}")
        out.append(t("no_match_note", lang))
        out.append("")
        return "\n".join(out)
    cats = ", ".join(t(f"cat.{cat.value}", lang) for cat in s.categories)
    out.append(c(s.risk, f"== {t('risk.' + s.risk, lang)}: {t('looks_like', lang)}{cats}"))
    out.append(f"   {t('flagged_lines', lang)}: {s.flagged_lines}")
    if run.reasons:  # the chat's weighing: several kinds of risk, sustained pressure, escalation
        out.append(f"   {t('why_level', lang)}{'; '.join(say_all(run.reasons, lang))}")
    out.append("")
    out.append(f"== {t('what_to_do', lang)}")
    shown_steps: set[str] = set()
    contacts: dict[str, str] = {}
    for a in run.advice:
        out.append(f"-- {a.title}")
        n = 0
        for step in a.steps:
            if step in shown_steps:
                continue
            shown_steps.add(step)
            n += 1
            out.append(f"   {n}. {step}")
        for ct in a.contacts:
            bits = [b for b in (ct.url, ct.phone) if b]
            contacts.setdefault(ct.key, f"   - {ct.name}: {'  '.join(bits)}")
    if contacts:
        out.append("")
        out.append(f"== {t('contacts', lang)}")
        out.extend(contacts.values())
    out.append("")
    return "\n".join(out)
