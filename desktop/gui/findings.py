"""The findings panel: a verdict banner with the first thing to do, the flagged messages grouped
by category (with sender, the matched phrase and why), then the advice with its contacts.

What is shown follows the user's filters (categories switched off in Settings, lines marked
"Not risky"); the verdict is worked out from what is shown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QTextBrowser, QVBoxLayout, QWidget

from patterns import say_all

from . import labels
from .labels import CATEGORIES, COLOR, MARK, SEVERITY_RANK
from .notrisky import NotRiskyStore

PER_CATEGORY = 8  # flagged lines listed per category before "Show N more"

if TYPE_CHECKING:
    from patterns import Finding

    from ..scan import ScanRun


@dataclass
class Entry:
    """The findings of one category on one message (the lines of a bubble they touch)."""

    input_index: int
    line_indices: list[int]
    sender: str
    text: str
    findings: list[Finding]
    duplicate: bool
    dismissed: bool
    source: str
    message: int = 0

    @property
    def finding(self) -> Finding:
        return max(self.findings, key=lambda f: (f.severity.rank, f.score))

    @property
    def severity(self) -> str:
        return self.finding.severity.value

    @property
    def category(self) -> str:
        return self.finding.category.value

    @property
    def rules(self) -> list[str]:
        return list(dict.fromkeys(f.rule for f in self.findings))


def build_entries(run: ScanRun, store: NotRiskyStore) -> list[Entry]:
    out: list[Entry] = []
    index: dict[tuple[int, int, str], Entry] = {}
    for ii, inp in enumerate(run.inputs):
        for li, ln in enumerate(inp.lines):
            for f in ln.findings:
                k = (ii, ln.message, f.category.value)
                e = index.get(k)
                if e is None:
                    e = Entry(ii, [li], ln.sender, ln.text, [f], ln.duplicate_of is not None, False, inp.source, ln.message)
                    index[k] = e
                    out.append(e)
                    continue
                if li not in e.line_indices:
                    e.line_indices.append(li)
                    e.text = f"{e.text} {ln.text}"
                    e.duplicate = e.duplicate and ln.duplicate_of is not None
                if all(x.rule != f.rule for x in e.findings):
                    e.findings.append(f)
    for e in out:
        e.dismissed = all(store.is_dismissed(r, e.text) for r in e.rules)
    return out


def verdict(entries: list[Entry], shown: set[str], run: ScanRun | None = None) -> tuple[str, list[str], list[str]]:
    """(risk level, categories most severe first, reasons) over what is shown.

    The level is the worst flagged message shown, or the conversation's weighed risk
    (``summary.risk``: several kinds of risk together, sustained pressure, escalation; see
    patterns/conversation.py) when that is higher and every finding it was weighed from is
    still shown: the window says what the CLI and the report say. Once the user marks a line
    "not risky" or switches a category off, that weighing no longer holds and the level is the
    worst line left. ``reasons`` are the weighing's (empty when it did not decide the level).
    """
    top: dict[str, int] = {}
    for e in entries:
        if e.dismissed or e.duplicate or e.category not in shown:
            continue
        top[e.category] = max(top.get(e.category, 0), SEVERITY_RANK[e.severity])
    if not top:
        return "none", [], []
    cats = sorted(top, key=lambda c: (-top[c], CATEGORIES.index(c) if c in CATEGORIES else 99))
    level = max(top.values())
    reasons: list[str] = []
    whole = all(not e.dismissed and e.category in shown for e in entries if not e.duplicate)
    weighed = SEVERITY_RANK.get(run.summary.risk, 0) if run is not None else 0
    if whole and run is not None and weighed > level:
        level = weighed
        reasons = list(run.reasons)
    return next(s for s, r in SEVERITY_RANK.items() if r == level), cats, reasons


class FindingsPanel(QWidget):
    showLine = Signal(int, int)  # input index, line index
    dismissChanged = Signal()

    def __init__(self, store: NotRiskyStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.lang = "en"
        self.run: ScanRun | None = None
        self.shown: set[str] = set(CATEGORIES)
        self.entries: list[Entry] = []
        self.expanded: set[str] = set()  # categories whose whole list the user asked to see
        self.state = "empty"  # empty | scanning | result
        self.progress = (0, 0)
        self.failed = 0

        self.banner = QFrame(self)
        self.banner.setObjectName("verdictBanner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self.banner)
        self.title.setObjectName("verdictTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.first = QLabel(self.banner)
        self.first.setObjectName("verdictFirst")
        self.first.setWordWrap(True)
        self.first.setTextFormat(Qt.TextFormat.RichText)
        self.first.setOpenExternalLinks(False)
        self.first.linkActivated.connect(lambda href: self.body.scrollToAnchor(href.lstrip("#")))  # type: ignore[has-type]
        bl = QVBoxLayout(self.banner)
        bl.addWidget(self.title)
        bl.addWidget(self.first)
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.45)
        f.setBold(True)
        self.title.setFont(f)
        f2 = self.first.font()
        f2.setPointSizeF(f2.pointSizeF() * 1.1)
        self.first.setFont(f2)

        self.body = QTextBrowser(self)
        self._body_html = ""
        self.body.setOpenLinks(False)
        self.body.anchorClicked.connect(self._anchor)
        self.show_hidden = QCheckBox(self)
        self.show_hidden.toggled.connect(lambda _on: self.render())

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.banner)
        lay.addWidget(self.body, 1)
        lay.addWidget(self.show_hidden)
        self.render()

    # ------------------------------------------------------------------ state

    def set_run(self, run: ScanRun | None, lang: str) -> None:
        self.run = run
        self.lang = lang
        self.state = "result" if run is not None else self.state
        self.render()

    def set_progress(self, done: int, total: int, failed: int = 0, render: bool = True) -> None:
        changed = (done, total, failed) != (*self.progress, self.failed)
        self.progress = (done, total)
        self.failed = failed
        if self.run is None:
            self.state = "scanning" if total else "empty"
        if render and changed:
            self.render(body=self.run is None)

    def reset(self) -> None:
        self.run = None
        self.expanded.clear()
        self.state = "empty"
        self.progress = (0, 0)
        self.failed = 0
        self.render()

    def set_shown(self, shown: set[str]) -> None:
        self.shown = set(shown)
        self.render()

    def current_verdict(self) -> tuple[str, list[str]]:
        risk, cats, _ = verdict(self.entries, self.shown, self.run)
        return risk, cats

    # ------------------------------------------------------------------ drawing

    def render(self, body: bool = True) -> None:  # type: ignore[override]  # not QWidget.render
        """Draw the banner and (unless ``body`` is False: progress only) the findings."""
        self.show_hidden.setText(self.tr("Show lines I marked \u201cnot risky\u201d"))
        self.show_hidden.setAccessibleName(self.show_hidden.text())
        self.body.setAccessibleName(self.tr("Flagged messages and what to do"))
        self.banner.setAccessibleName(self.tr("Verdict"))
        done, total = self.progress
        busy = total and done < total
        if self.run is None:
            self.entries = []
            self._banner("", self._empty_title(), self._empty_sub())
            if body:
                self._set_body(self._empty_body())
            self.show_hidden.hide()
            return
        if body or not self.entries:
            self.entries = build_entries(self.run, self.store)
        risk, cats, why = verdict(self.entries, self.shown, self.run)
        if risk == "none":
            title = self.tr("No known risk pattern found \u2014 this does not prove the chat is safe")
            sub = html.escape(self.tr("If someone makes you uneasy or asks for money, photos or personal details, trust that feeling and tell someone you trust."))
        else:
            names = self.tr(", ").join(labels.category(c) for c in cats[:3])
            title = self.tr("%1: this looks like %2").replace("%1", f"{MARK[risk]} {labels.risk(risk)}").replace("%2", names)
            sub = self._first_step(cats)
            if why:
                said = self.tr("; ").join(html.escape(r) for r in say_all(why, self.lang))
                label = self.tr("Why this level:")
                sub += "<br>" + html.escape(label) + ("" if label.endswith("\uff1a") else " ") + said
        if busy:
            sub += "<br>" + html.escape(self.tr("Still reading: %1 of %2 done\u2026").replace("%1", str(done)).replace("%2", str(total)))
        self._banner(risk, title, sub)
        if body:
            self._set_body(self._result_body(cats))
        hidden = sum(1 for e in self.entries if e.dismissed)
        self.show_hidden.setVisible(hidden > 0)

    def _set_body(self, text: str) -> None:
        """Lay the findings out again only when they changed (a long list takes 10-30 ms), and
        keep the reader's place in them while a batch adds more."""
        if text == self._body_html:
            return
        bar = self.body.verticalScrollBar()
        pos = bar.value() if self._body_html else 0
        self._body_html = text
        self.body.setHtml(text)
        bar.setValue(min(pos, bar.maximum()))

    def _banner(self, risk: str, title: str, sub: str) -> None:
        self.title.setText(title)
        self.first.setText(sub)
        if risk in COLOR:
            bg, fg = COLOR[risk], "white"
        elif risk == "none":
            bg, fg = "#2e7d32", "white"
        else:
            bg, fg = None, None
        sheet = (f"QFrame#verdictBanner {{ background-color: {bg}; border-radius: 6px; }}"
                 f"QLabel {{ color: {fg}; }} QLabel a {{ color: {fg}; }}") if bg else ""
        if sheet != self.banner.styleSheet():  # a new style sheet re-polishes every label in the banner
            self.banner.setStyleSheet(sheet)
        self.banner.setAccessibleDescription(f"{title}. {self.first.text()}")

    def _empty_title(self) -> str:
        done, total = self.progress
        if total:
            return self.tr("Reading the screenshots\u2026 %1 of %2").replace("%1", str(done)).replace("%2", str(total))
        return self.tr("Check a chat for scams, threats and blackmail")

    def _empty_sub(self) -> str:
        done, total = self.progress
        if total:
            return html.escape(self.tr("The first picture takes a few seconds. You can keep using the window."))
        return html.escape(self.tr("Add screenshots of the chat: drag them here, use Open\u2026, or paste one. Nothing leaves this computer."))

    def _empty_body(self) -> str:
        return "<p>" + html.escape(self.tr(
            "ChatGuard reads the words in chat screenshots and looks for lines that are typical of "
            "sextortion, threats, money demands, fake police and grooming. It tells you which lines, "
            "why, and what to do.")) + "</p>"

    def _first_step(self, cats: list[str]) -> str:
        if self.run is None:
            return ""
        for a in self.run.advice:
            if a.category in cats and a.steps:
                more = html.escape(self.tr("All the steps"))
                return ("<b>" + html.escape(self.tr("First, do this:")) + "</b> " + html.escape(a.title) + " \u2014 "
                        + html.escape(a.steps[0])
                        + f' &nbsp;<a href="#advice" style="color:white; font-weight:bold">{more} \u2193</a>')
        return ""

    def _result_body(self, cats: list[str]) -> str:
        assert self.run is not None
        out: list[str] = []
        show_hidden = self.show_hidden.isChecked()
        failed = [i for i in self.run.inputs if i.error is not None]
        if failed:
            out.append("<p><i>" + html.escape(self.tr("%n input(s) could not be read; see the list on the left.", "", len(failed))) + "</i></p>")
        visible = [e for e in self.entries if e.category in self.shown and (show_hidden or not e.dismissed)]
        if visible:
            n = len({(e.input_index, e.line_indices[0]) for e in visible if not e.duplicate and not e.dismissed})
            head = html.escape(self.tr("Flagged messages"))
            out.append(f"<h3>{head} ({n})</h3>")
            by_cat: dict[str, list[Entry]] = {}
            for e in visible:
                by_cat.setdefault(e.category, []).append(e)
            order = sorted(by_cat, key=lambda c: (-max(SEVERITY_RANK[e.severity] for e in by_cat[c] if True), CATEGORIES.index(c) if c in CATEGORIES else 99))
            index = {id(e): i for i, e in enumerate(self.entries)}
            for cat in order:
                es = sorted(by_cat[cat], key=lambda e: (e.duplicate, -SEVERITY_RANK[e.severity], e.input_index, e.line_indices[0]))
                top = max((e.severity for e in es), key=lambda s: SEVERITY_RANK[s])
                out.append(f'<h4 style="color:{COLOR[top]}">{MARK[top]} {html.escape(labels.category(cat))}</h4>')
                # a long list is cut (the most severe first): it is slow to lay out while a batch
                # is being read, and the report export has every line
                cut = len(es) if cat in self.expanded or len(es) <= PER_CATEGORY + 2 else PER_CATEGORY
                for e in es[:cut]:
                    out.append(self._entry_html(e, index[id(e)]))
                if cut < len(es):
                    more = html.escape(self.tr("Show %n more", "", len(es) - cut))
                    out.append(f'<p><a href="more:{html.escape(cat)}">{more} ↓</a></p>')
        if self.run.advice:
            adv = [a for a in self.run.advice if a.category in cats] if cats else []
            if adv:
                head = html.escape(self.tr("What to do now"))
                out.append(f'<h3><a name="advice"></a>{head}</h3>')
                seen_steps: set[str] = set()
                contacts: dict[str, str] = {}
                for a in adv:
                    steps = [s for s in a.steps if s not in seen_steps]
                    seen_steps.update(steps)
                    out.append(f"<h4>{html.escape(a.title)}</h4>")
                    if steps:
                        out.append("<ol>" + "".join(f"<li>{html.escape(s)}</li>" for s in steps) + "</ol>")
                    for ct in a.contacts:
                        bits = []
                        if ct.url:
                            bits.append(f'<a href="{html.escape(ct.url)}">{html.escape(ct.url)}</a>')
                        if ct.phone:
                            tel = "".join(ch for ch in ct.phone if ch.isdigit() or ch == "+")
                            bits.append(f'<a href="tel:{tel}">{html.escape(ct.phone)}</a>')
                        contacts.setdefault(ct.key, f"<li><b>{html.escape(ct.name)}</b>: {' · '.join(bits)}</li>")
                if contacts:
                    head = html.escape(self.tr("Get help and report"))
                    out.append(f"<h4>{head}</h4><ul>{''.join(contacts.values())}</ul>")
        out.append("<p><small>" + html.escape(self.tr(
            "No match does not prove a chat is safe. If someone makes you uneasy or asks for money, photos or personal details, trust that feeling and tell someone you trust.")) + "</small></p>")
        return "".join(out)

    def _entry_html(self, e: Entry, i: int) -> str:
        sev = e.severity
        why = e.finding.explain.get(self.lang) or e.finding.explain.get("en", "")
        adjusted = say_all(e.finding.reasons, self.lang)
        if adjusted:  # what the weighing of the chat did to this line (quoted by you, sextortion pattern...)
            # (" · " rather than brackets: the reasons may carry brackets of their own, （3 則訊息）)
            why = f"{why} \u00b7 {self.tr('; ').join(adjusted)}" if why else self.tr("; ").join(adjusted)
        matched = dict.fromkeys(f.matched for f in sorted(e.findings, key=lambda f: -f.severity.rank))
        phrases = self.tr(", ").join(f"\u201c{html.escape(m)}\u201d" for m in matched)
        style = ' style="color:gray"' if e.duplicate or e.dismissed else ""
        tags = []
        if e.duplicate:
            tags.append(self.tr("(repeated from an earlier screenshot)"))
        if e.dismissed:
            tags.append(self.tr("(you marked this not risky)"))
        src = Path(e.source).name if e.source and e.source != "-" else ""
        show_t = html.escape(self.tr("Show in the screenshot"))
        again_t = html.escape(self.tr("Flag it again"))
        notrisky_t = html.escape(self.tr("Not risky"))
        matched_t = html.escape(self.tr("matched"))
        links = [f'<a href="show:{i}">{show_t}</a>'] if self.run and self.run.inputs[e.input_index].kind == "image" else []
        if e.dismissed:
            links.append(f'<a href="restore:{i}">{again_t}</a>')
        else:
            links.append(f'<a href="dismiss:{i}">{notrisky_t}</a>')
        return (
            f"<p{style}><b>{MARK[sev]} {html.escape(labels.severity(sev))}</b> · "
            f"<b>{html.escape(labels.sender(e.sender))}:</b> \u201c{html.escape(e.text)}\u201d {html.escape(' '.join(tags))}<br>"
            f"<small>{matched_t} {phrases} \u2014 {html.escape(why)}"
            + (f" ({html.escape(src)})" if src else "") + "</small><br>"
            + " · ".join(links) + "</p>")

    # ------------------------------------------------------------------ links

    def _anchor(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme in ("show", "dismiss", "restore"):
            try:
                e = self.entries[int(url.path())]
            except (ValueError, IndexError):
                return
            if scheme == "show":
                self.showLine.emit(e.input_index, e.line_indices[0])
            else:
                for rule in e.rules:
                    self.store.set(rule, e.text, scheme == "dismiss")
                self.dismissChanged.emit()
                self.render()
            return
        if scheme == "more":
            self.expanded.add(url.path())
            self.render()
            return
        if scheme in ("https", "http", "tel"):
            QDesktopServices.openUrl(url)
