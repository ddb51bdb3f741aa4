"""The ``chatguard`` command line (contract: ../shared/docs/contract.md).

Exit status: 0 every input scanned; 1 at least one input could not be scanned; 2 usage error;
3 the OCR engine or its language data is missing. No traceback ever reaches the user: an
unexpected error is logged to the log file and summarised in one line.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import sys
from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from typing import NoReturn

from . import __version__
from .strings import UI_LANGS, t, ui_lang

log = logging.getLogger("chatguard")


class Exit(IntEnum):
    OK = 0
    INPUT_FAILED = 1
    USAGE = 2
    ENGINE_MISSING = 3
    INTERNAL = 4


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors: exit 2, no traceback
        self.print_usage(sys.stderr)
        print(f"chatguard: {message}", file=sys.stderr)
        raise SystemExit(Exit.USAGE)


def _engines() -> tuple[str, ...]:
    return ("rapidocr", "tesseract")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="chatguard", description="聊天守护 ChatGuard: find extortion, grooming and scam messages in chat screenshots, offline.")
    p.add_argument("--version", action="version", version=f"chatguard {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--ui-lang", choices=UI_LANGS, help="language of the output (default: system locale)")
        sp.add_argument("--json", action="store_true", help="print contract JSON (chatguard.scan/1) on stdout")
        sp.add_argument("--verbose", "-v", action="store_true", help="log progress to stderr (no message text)")
        sp.add_argument("--rules-only", action="store_true",
                        help="the pattern rules alone, without the learned second opinion")

    sp = sub.add_parser("scan", help="scan screenshots (a folder means every image in it)")
    common(sp)
    sp.add_argument("--lang", default="zh-Hans,zh-Hant,en", help="OCR languages (default zh-Hans,zh-Hant,en)")
    sp.add_argument("--engine", choices=_engines(), default="rapidocr", help="OCR engine (default rapidocr)")
    sp.add_argument("--timeout", type=float, default=90.0, help="seconds per image before giving up (default 90)")
    sp.add_argument("paths", nargs="+", metavar="PATH")

    sp = sub.add_parser("text", help="scan chat text, one message per line (them:/me: prefixes)")
    common(sp)
    sp.add_argument("file", nargs="?", default="-", metavar="FILE|-")

    sp = sub.add_parser("gui", help="open the window, with these screenshots loaded")
    sp.add_argument("--ui-lang", choices=UI_LANGS)
    sp.add_argument("paths", nargs="*", metavar="PATH")

    sp = sub.add_parser("report", help="write an evidence report (PDF or HTML) for the police")
    sp.add_argument("--ui-lang", choices=UI_LANGS)
    sp.add_argument("--out", required=True, metavar="FILE.pdf|FILE.html")
    sp.add_argument("--no-images", action="store_true", help="leave the screenshots out of the report")
    sp.add_argument("--engine", choices=_engines(), default="rapidocr")
    sp.add_argument("paths", nargs="+", metavar="PATH")

    sp = sub.add_parser("doctor", help="check the OCR engines and their language data")
    sp.add_argument("--ui-lang", choices=UI_LANGS)
    sp.add_argument("--json", action="store_true")
    return p


def _ocr_langs(value: str) -> tuple[str, ...]:
    langs = tuple(x.strip() for x in value.split(",") if x.strip())
    bad = [x for x in langs if x not in ("zh-Hans", "zh-Hant", "en")]
    if bad or not langs:
        raise SystemExit(_usage(f"--lang: unknown language(s) {', '.join(bad) or '(none)'}; use zh-Hans,zh-Hant,en"))
    return langs


def _usage(msg: str) -> int:
    print(f"chatguard: {msg}", file=sys.stderr)
    return Exit.USAGE


def _stdout() -> io.TextIOBase:
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        # a file name that is not valid UTF-8 must not cost the whole batch its output
        with contextlib.suppress(ValueError, io.UnsupportedOperation):
            out.reconfigure(encoding="utf-8", errors="replace")
    return out  # type: ignore[return-value]


# ------------------------------------------------------------------------------ commands


def cmd_scan(args: argparse.Namespace, lang: str) -> int:
    from .scan import Scanner, ScanOptions

    scanner = Scanner(ScanOptions(engine=args.engine, ocr_langs=_ocr_langs(args.lang), ui_lang=lang,
                                  timeout=args.timeout, rules_only=args.rules_only))
    _report_pack_problems(scanner)

    def progress(i: int, n: int, name: str) -> None:
        if args.verbose and name:
            print(f"[{i + 1}/{n}] {t('scanning', lang)} {Path(name).name}", file=sys.stderr)

    run = scanner.scan_paths(args.paths, progress=progress)
    _emit(run, args, lang)
    if run.engine_missing is not None:
        exc = run.engine_missing
        print(f"\n{t('engine_missing', lang)}: {exc}\n{t('how_to_fix', lang)}:\n{exc.hint}", file=sys.stderr)
        return Exit.ENGINE_MISSING
    return Exit.INPUT_FAILED if run.any_failed else Exit.OK


def cmd_text(args: argparse.Namespace, lang: str) -> int:
    from .scan import InputErrorInfo, InputResult, Scanner, ScanOptions

    scanner = Scanner(ScanOptions(ui_lang=lang, rules_only=args.rules_only))
    _report_pack_problems(scanner)
    if args.file == "-":
        data = sys.stdin.buffer.read()
        run = scanner.scan_text(data.decode("utf-8-sig", errors="replace"), "-")
    else:
        path = Path(args.file)
        results = scanner.read_input(path) if path.suffix.lower() == ".txt" else None
        if results is None:
            try:
                text = path.read_bytes().decode("utf-8-sig", errors="replace")
                results = scanner.read_text(text, str(path)) or [InputResult(str(path), "text")]
            except FileNotFoundError:
                results = [InputResult(str(path), "text", error=InputErrorInfo("not_found", t("err.not_found", "en")))]
            except OSError as exc:
                results = [InputResult(str(path), "text", error=InputErrorInfo("not_a_file", str(exc.strerror)))]
        run = scanner.finish(results)
    _emit(run, args, lang)
    return Exit.INPUT_FAILED if run.any_failed else Exit.OK


def cmd_doctor(args: argparse.Namespace, lang: str) -> int:
    import json

    from .scan import check_engines

    statuses = check_engines()
    if args.json:
        _stdout().write(json.dumps([{"name": s.name, "ok": s.ok, "version": s.version,
                                     "languages": list(s.languages), "detail": s.detail, "hint": s.hint}
                                    for s in statuses], ensure_ascii=False, indent=2) + "\n")
    else:
        out = _stdout()
        for s in statuses:
            mark = "ok " if s.ok else "!! "
            names = _TESS_PACKS if s.name == "tesseract" else {}
            langs = ", ".join(f"{x} ({names[x]})" if x in names else x for x in s.languages) or "-"
            out.write(f"{mark}{s.name}: {s.version or '-'} ({langs})\n")
            if s.detail:
                out.write(f"    {s.detail}\n")
            if not s.ok and s.hint:
                out.write(f"    {t('how_to_fix', lang)}:\n")
                for h in s.hint.splitlines():
                    out.write(f"      {h}\n")
        from .scan import Scanner

        try:
            an = Scanner.load_analyzer()
            out.write(f"ok patterns: {an.pack.id} {an.pack.version} ({len(an.rules)} rules)\n")
            for p in an.problems:
                out.write(f"!! user pack skipped: {p}\n")
            if an.matcher.regex_gate == "hyperscan":
                out.write("ok regex gate: Hyperscan (native, from the pack's start-up cache)\n")
            else:  # same findings, slower: no prebuilt cache here, or Hyperscan cannot run
                out.write("ok regex gate: pure Python (same findings, slower)\n")
            from patterns import _native

            if _native.speedups is not None:
                out.write("ok native matcher steps: built (C, patterns/_speedups.c)\n")
            else:  # no C compiler at install time (or CHATGUARD_PURE_PYTHON=1): same findings, slower
                out.write("ok native matcher steps: not built, the Python steps run (same findings, slower)\n")
            if an.learned is not None:
                out.write(f"ok learned second opinion: {an.learned.id} ({len(an.learned.features)} features)\n")
            else:  # the model file is missing or broken: the rules still work alone
                out.write("!! learned second opinion: off (its model file could not be loaded; the rules work alone)\n")
        except Exception as exc:  # the built-in pack is broken: say so, plainly
            out.write(f"!! patterns: {exc}\n")
            return Exit.INTERNAL
    return Exit.OK if all(s.ok for s in statuses) else Exit.ENGINE_MISSING


_TESS_PACKS = {"zh-Hans": "chi_sim", "zh-Hant": "chi_tra", "en": "eng"}


def cmd_gui(args: argparse.Namespace, lang: str | None) -> int:
    try:
        from .gui.app import run_app
    except ImportError as exc:
        print(f"chatguard: the window is not available ({exc})", file=sys.stderr)
        return Exit.INTERNAL
    smoke = _arm_smoke_exit()
    rc = int(run_app([str(p) for p in args.paths], ui_lang=lang))
    return smoke() if smoke is not None else rc


def _arm_smoke_exit():  # type: ignore[no-untyped-def]
    """Installer smoke test hook (packaging/smoke_test.sh): with ``CHATGUARD_SMOKE_EXIT_MS=N``
    every window is closed N ms after the application starts (so the event loop ends);
    ``CHATGUARD_SMOKE_SCREENSHOT=f.png`` then saves the main window. Returns a function giving
    the exit status (0 only if a window was shown). Without the variable: None, nothing changes."""
    import os
    import threading
    import time

    try:
        ms = int(os.environ.get("CHATGUARD_SMOKE_EXIT_MS", ""))
    except ValueError:
        return None
    from PySide6.QtCore import QMetaObject, Qt
    from PySide6.QtWidgets import QApplication

    seen: list[str] = []

    def wait() -> None:
        while (app := QApplication.instance()) is None:
            time.sleep(0.01)
        time.sleep(ms / 1000)
        seen.extend(f"{w.windowTitle()} {w.width()}x{w.height()}" for w in QApplication.topLevelWidgets()
                    if w.isWindow() and w.isVisible() and w.windowTitle())
        QMetaObject.invokeMethod(app, "closeAllWindows", Qt.ConnectionType.QueuedConnection)

    threading.Thread(target=wait, name="smoke-exit", daemon=True).start()

    def result() -> int:
        shot = os.environ.get("CHATGUARD_SMOKE_SCREENSHOT")
        wins = [w for w in QApplication.topLevelWidgets() if w.isWindow() and w.windowTitle()]
        if shot and seen and wins:
            wins[0].grab().save(shot)
        print(f"chatguard: smoke test: {'; '.join(seen) or 'no window was shown'} (closed after {ms} ms)",
              file=sys.stderr)
        return Exit.OK if seen else Exit.INTERNAL

    return result


def cmd_report(args: argparse.Namespace, lang: str) -> int:
    try:
        from .report import write_report
    except ImportError:
        print("chatguard: the evidence report is not available in this build", file=sys.stderr)
        return Exit.INTERNAL
    return int(write_report(args.paths, Path(args.out), ui_lang=lang, images=not args.no_images,
                            engine=args.engine))


def _report_pack_problems(scanner: object) -> None:
    for p in getattr(getattr(scanner, "analyzer", None), "problems", ()):
        print(f"chatguard: your pattern file was skipped: {p}", file=sys.stderr)


def _emit(run: object, args: argparse.Namespace, lang: str) -> None:
    from .human import render_run
    from .report_json import run_to_json

    out = _stdout()
    if args.json:
        out.write(run_to_json(run, lang) + "\n")  # type: ignore[arg-type]
    else:
        color = sys.stdout.isatty()
        out.write(render_run(run, lang, color=color))  # type: ignore[arg-type]
    out.flush()


# ------------------------------------------------------------------------------ entry points


def main(argv: Sequence[str] | None = None) -> int:
    import multiprocessing

    from .logs import setup_logging

    multiprocessing.freeze_support()  # the window's OCR child process, in a frozen bundle

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if not args.command:
        parser.print_help(sys.stderr)
        return Exit.USAGE
    setup_logging(verbose=getattr(args, "verbose", False))
    lang = getattr(args, "ui_lang", None) or ui_lang()
    handlers = {"scan": cmd_scan, "text": cmd_text, "doctor": cmd_doctor, "report": cmd_report}
    try:
        if args.command == "gui":
            return cmd_gui(args, getattr(args, "ui_lang", None))
        return handlers[args.command](args, lang)
    except SystemExit as exc:
        return int(exc.code or 0)
    except KeyboardInterrupt:
        print("\nchatguard: stopped", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return Exit.OK
    except Exception as exc:  # never a traceback to the user; the log file has it
        log.exception("unexpected error in %s", args.command)
        from .logs import log_file

        print(f"chatguard: unexpected error ({type(exc).__name__}: {exc}). Details: {log_file()}", file=sys.stderr)
        return Exit.INTERNAL


def gui_main() -> int:
    return main(["gui", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
