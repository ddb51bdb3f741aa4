"""The one scan path shared by the window and the command line.

image -> ocr.read_image -> lines -> messages (bubbles) -> patterns.Analyzer -> findings per line.

The window calls ``Scanner.read_input`` from worker threads (one file per task), then
``Scanner.finish`` on the GUI thread with what came back; ``scan_paths`` does both in a loop for
the CLI. Screenshots of one chat (same contact, or no contact found) are weighed as one
conversation with duplicated lines (overlap from scrolling) counted once.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ocr
from ocr.errors import (
    EngineUnavailableError,
    ImageTooLargeError,
    NotAFileError,
    NotFoundError,
    OcrError,
)
from ocr.loader import read_regular_file
from ocr.types import Box, ImageReading, OcrLine, Sender
from patterns import (
    RISK_NONE,
    Advice,
    Analyzer,
    Assessment,
    Category,
    Finding,
    Message,
    Severity,
    Speaker,
    _native,
)

from . import paths

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff",
                            ".heic", ".heif", ".jfif"})
DEFAULT_ENGINE = "rapidocr"
OCR_LANGS = ("zh-Hans", "zh-Hant", "en")


@dataclass(frozen=True, slots=True)
class ScanOptions:
    engine: str = DEFAULT_ENGINE
    ocr_langs: tuple[str, ...] = OCR_LANGS
    ui_lang: str = "en"
    timeout: float = 90.0
    user_pack_dirs: tuple[Path, ...] | None = None  # None: the user's config folder
    rules_only: bool = False  # without the learned second opinion (patterns/learned.py)


@dataclass(frozen=True, slots=True)
class InputErrorInfo:
    code: str
    message: str


@dataclass(slots=True)
class LineResult:
    index: int
    message: int
    text: str
    sender: str
    bbox: list[int] | None
    confidence: float | None
    findings: list[Finding] = field(default_factory=list)
    line_spans: list[tuple[int, int]] = field(default_factory=list)  # per finding, in this line
    duplicate_of: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    risk: str
    categories: tuple[Category, ...]
    flagged_lines: int


NO_RISK = Summary(RISK_NONE, (), 0)


@dataclass(slots=True)
class InputResult:
    source: str
    kind: str  # "image" | "text"
    sha256: str | None = None
    width: int | None = None
    height: int | None = None
    error: InputErrorInfo | None = None
    lines: list[LineResult] = field(default_factory=list)
    summary: Summary = NO_RISK
    contact: str | None = None
    engine: str | None = None
    reasons: tuple[str, ...] = ()


@dataclass(slots=True)
class ScanRun:
    inputs: list[InputResult]
    summary: Summary
    advice: list[Advice]
    pack_id: str
    pack_version: str
    reasons: tuple[str, ...] = ()
    engine_missing: EngineUnavailableError | None = None
    learned: str | None = None  # the learned second opinion's id, None when it was off
    regex_gate: str = "python"  # what chose the regexes to run: "hyperscan" or "python" (same findings)
    native_steps: bool = False  # the matcher's per-line steps ran natively (patterns/_speedups.c; same findings)

    @property
    def any_failed(self) -> bool:
        return any(i.error is not None for i in self.inputs)


class Cancelled(Exception):
    """The user cancelled the scan."""


# ---------------------------------------------------------------------------------- inputs


def expand_paths(items: Sequence[str | Path]) -> list[Path]:
    """A folder means every image in it (sorted by name, not recursive); files stay as given
    (whatever their type: the loader reports what is wrong with them)."""
    out: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            out.extend(sorted((c for c in p.iterdir() if c.suffix.lower() in IMAGE_SUFFIXES and not c.is_dir()),
                              key=lambda c: c.name.lower()))
        else:
            out.append(p)
    return out


def parse_chat_text(text: str) -> list[list[Message]]:
    """One message per line; ``them:``/``me:`` (also 对方:/我:, full-width colons) set the
    sender; a blank line starts the next conversation."""
    convs: list[list[Message]] = [[]]
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if not line.strip():
            if convs[-1]:
                convs.append([])
            continue
        convs[-1].append(_parse_line(line))
    return [c for c in convs if c]


_PREFIXES = (
    (("them", "对方", "對方", "他", "她", "scammer", "other"), Speaker.THEM),
    (("me", "我", "self"), Speaker.ME),
    (("system", "系统", "系統"), Speaker.SYSTEM),
)


def _parse_line(line: str) -> Message:
    stripped = line.lstrip()
    for sep in (":", "："):
        head, found, rest = stripped.partition(sep)
        if not found:
            continue
        key = head.strip().lower()
        for names, speaker in _PREFIXES:
            if key in names:
                return Message(rest.strip(), speaker)
    return Message(line.strip(), Speaker.UNKNOWN)


# ---------------------------------------------------------------------------------- scanner


class Scanner:
    """Holds the loaded pattern pack. Thread-safe: ``read_input`` may run in workers."""

    _shared_analyzers: dict[tuple[tuple[Path, ...], bool], Analyzer] = {}
    _lock = threading.Lock()

    def __init__(self, options: ScanOptions | None = None, analyzer: Analyzer | None = None) -> None:
        self.options = options or ScanOptions()
        self.analyzer = analyzer or self.load_analyzer(self.options.user_pack_dirs,
                                                       rules_only=self.options.rules_only)

    @classmethod
    def load_analyzer(cls, user_dirs: tuple[Path, ...] | None = None, *, rules_only: bool = False) -> Analyzer:
        dirs = tuple(user_dirs) if user_dirs is not None else (paths.user_pack_dir(),)
        with cls._lock:
            an = cls._shared_analyzers.get((dirs, rules_only))
            if an is None:
                an = Analyzer.load(dirs, learned=not rules_only)
                cls._shared_analyzers[(dirs, rules_only)] = an
        return an

    # ------------------------------------------------------------ one input (worker thread)

    def read_image(self, path: Path) -> InputResult:
        """OCR one screenshot and match its lines on their own. Never raises for a bad file;
        raises EngineUnavailableError when the OCR engine itself is missing."""
        try:
            data = _read_bytes(path)
        except OcrError as exc:
            log.info("input failed: %s (%s)", exc.code, path.name)
            return InputResult(source=str(path), kind="image", engine=self.options.engine,
                               error=InputErrorInfo(exc.code, exc.message))
        return self.read_image_bytes(data, str(path))

    def read_image_bytes(self, data: bytes, source: str) -> InputResult:
        """Like ``read_image`` for an image already in memory (a pasted or captured screenshot:
        nothing is written to disk). ``source`` is only a label."""
        res = InputResult(source=source, kind="image", engine=self.options.engine)
        import_onnxruntime_privately()
        try:
            res.sha256 = hashlib.sha256(data).hexdigest()
            reading = ocr.read_image(data, engine=self.options.engine, langs=self.options.ocr_langs,
                                     timeout=self.options.timeout)
        except EngineUnavailableError:
            raise
        except OcrError as exc:
            res.error = InputErrorInfo(exc.code, exc.message)
            log.info("input failed: %s (%s)", exc.code, Path(source).name)
            return res
        except MemoryError:
            res.error = InputErrorInfo("image_too_large", "Not enough memory to read this image.")
            return res
        except Exception as exc:  # an engine bug must not stop the batch
            log.exception("unexpected OCR failure on %s", Path(source).name)
            res.error = InputErrorInfo("ocr_failed", f"The OCR engine failed on this image ({type(exc).__name__}).")
            return res
        res.width, res.height = reading.width, reading.height
        res.contact = reading.contact
        res.engine = reading.engine
        res.lines = [
            LineResult(index=i, message=ln.message, text=ln.text, sender=ln.sender.value,
                       bbox=ln.box.as_list(), confidence=round(float(ln.confidence), 3))
            for i, ln in enumerate(reading.lines)
        ]
        self._match_inputs([res])
        return res

    def read_text(self, text: str, source: str = "-") -> list[InputResult]:
        """Chat text: each conversation becomes its own input, matched on its own."""
        out = []
        for conv in parse_chat_text(text):
            res = InputResult(source=source, kind="text")
            res.lines = [LineResult(index=i, message=i, text=m.text, sender=m.speaker.value,
                                    bbox=None, confidence=None) for i, m in enumerate(conv)]
            self._match_inputs([res])
            out.append(res)
        return out

    def read_input(self, path: Path) -> list[InputResult]:
        """A file: a .txt chat export is read as text, anything else as an image."""
        if path.suffix.lower() == ".txt":
            try:
                text = _read_bytes(path, limit=20_000_000).decode("utf-8-sig", errors="replace")
            except OcrError as exc:
                return [InputResult(source=str(path), kind="text", error=InputErrorInfo(exc.code, exc.message))]
            return self.read_text(text, str(path)) or [InputResult(source=str(path), kind="text")]
        return [self.read_image(path)]

    # ------------------------------------------------------------ matching

    def _match_inputs(self, inputs: Sequence[InputResult],
                      run: Sequence[InputResult] | None = None) -> Assessment | None:
        """Weigh the lines of these inputs as ONE conversation and attach findings to lines.
        Duplicate lines (``duplicate_of`` holds indices into ``run``) are left out of the
        conversation and get their original's findings."""
        groups: list[tuple[InputResult, list[LineResult]]] = []
        for res in inputs:
            by_msg: dict[int, list[LineResult]] = {}
            for ln in res.lines:
                if ln.duplicate_of is None:
                    by_msg.setdefault(ln.message, []).append(ln)
            groups.extend((res, lines) for _, lines in sorted(by_msg.items()))
        if not groups:
            for res in inputs:
                res.summary = NO_RISK
            return None
        messages = [Message("\n".join(ln.text for ln in lines), _speaker(lines[0].sender)) for _, lines in groups]
        assessment = self.analyzer.assess(messages)
        for res in inputs:
            for ln in res.lines:
                ln.findings, ln.line_spans = [], []
        for (_res, lines), mf in zip(groups, assessment.messages, strict=True):
            _attach(lines, mf.findings)
        # duplicates mirror their originals
        run = inputs if run is None else run
        for res in inputs:
            for ln in res.lines:
                if ln.duplicate_of is not None:
                    ri, li = ln.duplicate_of
                    if 0 <= ri < len(run) and 0 <= li < len(run[ri].lines):
                        orig = run[ri].lines[li]
                        ln.findings, ln.line_spans = list(orig.findings), list(orig.line_spans)
        for res in inputs:
            res.summary = _summary_of(res.lines, assessment.risk)
            res.reasons = assessment.reasons
        return assessment

    # ------------------------------------------------------------ the whole run

    def finish(self, inputs: list[InputResult], *, rematch: bool = False) -> ScanRun:
        """Cross-input work: duplicates between screenshots of one chat, one weighing per chat,
        the run's summary and the advice. ``rematch``: match every input again first (the
        window does when the detection settings changed; the text read is kept)."""
        if rematch:
            for r in inputs:
                if r.error is None and r.lines:
                    self._match_inputs([r])
        images = [r for r in inputs if r.kind == "image" and r.error is None]
        chats: dict[str, list[InputResult]] = {}
        for r in images:
            chats.setdefault((r.contact or "").strip().lower(), []).append(r)
        if "" in chats and len(chats) == 2:  # a shot without a title bar joins the only named chat
            unnamed = chats.pop("")
            only = next(iter(chats))
            chats[only] = sorted(chats[only] + unnamed, key=inputs.index)
        reasons: list[str] = []
        for group in chats.values():
            if len(group) > 1:
                _mark_duplicates(group, inputs)
                a = self._match_inputs(group, inputs)
                if a is not None:
                    reasons.extend(a.reasons)
        for r in inputs:
            reasons.extend(x for x in r.reasons if x not in reasons)
        summary = _run_summary(inputs)
        advice = _advice_for(self.analyzer, inputs, summary.categories, self.options.ui_lang)
        learned = self.analyzer.learned
        return ScanRun(inputs, summary, advice, self.analyzer.pack.id, self.analyzer.pack.version,
                       tuple(dict.fromkeys(reasons)), learned=learned.id if learned is not None else None,
                       regex_gate=self.analyzer.matcher.regex_gate, native_steps=_native.speedups is not None)

    def scan_paths(self, items: Sequence[str | Path], *, progress: Callable[[int, int, str], None] | None = None,
                   cancel: threading.Event | None = None) -> ScanRun:
        files: list[Path] = []
        empty: set[Path] = set()
        for item in items:  # a folder without images still gets its entry, with an error
            found = expand_paths([item])
            if not found and Path(item).is_dir():
                empty.add(Path(item))
                found = [Path(item)]
            files.extend(found)
        inputs: list[InputResult] = []
        missing: EngineUnavailableError | None = None
        for n, path in enumerate(files):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            if progress:
                progress(n, len(files), str(path))
            if path in empty:
                inputs.append(InputResult(str(path), "image", error=InputErrorInfo(
                    "no_images", "The folder has no images (PNG, JPEG, WEBP, BMP, GIF, TIFF) in it.")))
                continue
            if missing is not None and path.suffix.lower() != ".txt":
                inputs.append(InputResult(str(path), "image", error=InputErrorInfo("engine_unavailable", str(missing))))
                continue
            try:
                inputs.extend(self.read_input(path))
            except EngineUnavailableError as exc:
                missing = exc
                inputs.append(InputResult(str(path), "image", error=InputErrorInfo("engine_unavailable", str(exc))))
        if progress:
            progress(len(files), len(files), "")
        run = self.finish(inputs)
        run.engine_missing = missing
        return run

    def scan_text(self, text: str, source: str = "-") -> ScanRun:
        return self.finish(self.read_text(text, source))


def _speaker(sender: str) -> Speaker:
    try:
        return Speaker(sender)
    except ValueError:
        return Speaker.UNKNOWN


def _attach(lines: list[LineResult], findings: Sequence[Finding]) -> None:
    """Message spans -> line spans. The message text is the lines joined with "\\n"."""
    starts = []
    pos = 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln.text) + 1
    for f in findings:
        s, e = f.span
        for ln, st in zip(lines, starts, strict=True):
            en = st + len(ln.text)
            if s < en and e > st or (s == e and st <= s <= en):
                ln.findings.append(f)
                ln.line_spans.append((max(s, st) - st, min(e, en) - st))


def _summary_of(lines: Sequence[LineResult], chat_risk: str = RISK_NONE) -> Summary:
    """The lines' summary. ``chat_risk``: the conversation's weighed risk (``Assessment.risk``:
    several kinds of risk together, a sustained pattern, the escalation sequence), which an
    input with flagged lines takes on when it is higher than its own most severe finding."""
    flagged = [ln for ln in lines if ln.findings]
    if not flagged:
        return NO_RISK
    # context findings mark their line but weigh nothing (patterns/conversation.py)
    all_f = [f for ln in flagged for f in ln.findings if not f.context] or [f for ln in flagged for f in ln.findings]
    top = max(f.severity.rank for f in all_f)
    if chat_risk != RISK_NONE:
        top = max(top, Severity(chat_risk).rank)
    cats: dict[Category, int] = {}
    for f in all_f:
        cats[f.category] = max(cats.get(f.category, 0), f.severity.rank)
    order = tuple(sorted(cats, key=lambda c: (-cats[c], c.value)))
    return Summary(Severity.from_rank(top).value, order, len(flagged))


def _run_summary(inputs: Sequence[InputResult]) -> Summary:
    lines = [ln for r in inputs for ln in r.lines if ln.duplicate_of is None]
    base = _summary_of(lines)
    ranks = [Severity(r.summary.risk).rank for r in inputs if r.summary.risk != RISK_NONE]
    if not ranks:
        return base
    risk = Severity.from_rank(max(ranks + [Severity(base.risk).rank if base.risk != RISK_NONE else 0])).value
    return Summary(risk, base.categories, base.flagged_lines)


def _advice_for(an: Analyzer, inputs: Sequence[InputResult], cats: Sequence[Category], lang: str) -> list[Advice]:
    key_for: dict[Category, str] = {}
    for r in inputs:
        for ln in r.lines:
            for f in sorted(ln.findings, key=lambda f: -f.severity.rank):
                key_for.setdefault(f.category, f.advice)
    out = []
    for c in cats:
        a = an.advice.get(key_for.get(c, c.value), lang) or an.advice.get(c.value, lang)
        if a is not None:
            out.append(Advice(c.value, a.title, a.steps, a.contacts, a.source))
    return out


def _mark_duplicates(group: list[InputResult], all_inputs: list[InputResult]) -> None:
    """Lines repeated from an earlier screenshot of the same chat (scrolling overlap), found by
    the OCR layer's ``mark_duplicates`` on the lines as read."""
    readings = [
        ImageReading(
            width=r.width or 0, height=r.height or 0, engine=r.engine or "", contact=r.contact,
            lines=tuple(OcrLine(ln.text, Box(*(ln.bbox or [0, 0, 0, 0])), _sender(ln.sender),
                                ln.confidence or 0.0, ln.message) for ln in r.lines))
        for r in group
    ]
    try:
        marks = ocr.mark_duplicates(readings)
    except Exception:  # duplicates are a nicety; never fail the scan on them
        log.exception("duplicate detection failed")
        return
    for gi, (res, per_line) in enumerate(zip(group, marks, strict=True)):
        for ln, m in zip(res.lines, per_line, strict=True):
            if m is not None and m[0] < gi:
                ln.duplicate_of = (all_inputs.index(group[m[0]]), m[1])


def _sender(value: str) -> Sender:
    try:
        return Sender(value)
    except ValueError:
        return Sender.UNKNOWN


# ---------------------------------------------------------------------------------- temp folder

def check_engines() -> list[ocr.EngineStatus]:
    """``ocr.check_engines`` with onnxruntime imported quietly first (no telemetry, nothing left
    in the temp folder)."""
    import_onnxruntime_privately()
    return ocr.check_engines()


def import_onnxruntime_privately() -> None:
    """onnxruntime's telemetry off and its temp marker kept out of the user's temp folder
    (``ocr.engines.rapid.import_onnxruntime_quietly``); called before anything that can import
    onnxruntime first: a scan, and ``check_engines`` (doctor, the window's engine check)."""
    from ocr.engines.rapid import import_onnxruntime_quietly

    import_onnxruntime_quietly()


# ---------------------------------------------------------------------------------- file access

MAX_FILE_BYTES = 60 * 1024 * 1024


def _read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a regular file, read-only, refusing folders, pipes, devices and huge files before
    reading them."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise NotAFileError("The path is a broken link.") from None
        raise NotFoundError("The file does not exist.") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotAFileError("The path is a link that points to itself (a loop).") from None
        raise NotFoundError(f"The file cannot be opened ({exc.strerror}).") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        raise NotAFileError(f"The path is {kind}.")
    if st.st_size > limit:
        raise ImageTooLargeError(f"The file is larger than {limit // (1024 * 1024)} MB.")
    try:  # read-only (the original is never modified); re-checked as a regular file once open
        data = read_regular_file(path, limit)
    except NotAFileError:
        raise NotAFileError("The path is not a regular file.") from None
    except OSError as exc:
        raise NotFoundError(f"The file cannot be read ({exc.strerror}).") from None
    if len(data) > limit:  # it grew since stat()
        raise ImageTooLargeError(f"The file is larger than {limit // (1024 * 1024)} MB.")
    return data
