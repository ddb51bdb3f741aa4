"""The evidence report for the police (issue 7): a PDF or self-contained HTML file, with a
JSON file beside it.

For each screenshot it states the file's name, size, modification time and SHA-256 (computed
again here from the original bytes, opened read-only), shows the image with the flagged lines
boxed (drawn on an in-memory copy; ``images=False`` leaves images out, as they may be
intimate), the text as read with its sender and the flagged lines marked, then the verdict,
the advice and the official reporting contacts. Nothing is written but the report and its
JSON: no temporary files, and the originals are never touched.

``export_run`` is what the window's Export button calls; ``write_report`` is
``chatguard report``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import stat
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from . import __version__
from .report_html import FileFacts, build_html, fmt_time, rt
from .report_json import run_to_dict
from .scan import ScanRun

PDF_SUFFIXES = (".pdf",)
HTML_SUFFIXES = (".html", ".htm")
REPORT_SCHEMA = "chatguard.report/1"
MAX_HASH_BYTES = 512 * 1024 * 1024  # hashing streams; this only bounds keeping bytes for the image
_CHUNK = 1024 * 1024


class ReportError(Exception):
    """The report cannot be written where asked (bad suffix, would overwrite an input)."""


# ------------------------------------------------------------------------------ originals


def _read_original(source: str, keep_bytes: bool) -> tuple[FileFacts, bytes | None]:
    """Size, mtime and SHA-256 of one original, opened read-only. The bytes are kept (in
    memory) only when the image is to be drawn."""
    p = Path(source)
    facts = FileFacts(source=source, name=p.name)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        facts.error = exc.strerror or type(exc).__name__
        return facts, None
    data: bytes | None = None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            facts.error = "not a regular file"
            return facts, None
        facts.size = st.st_size
        facts.mtime = datetime.fromtimestamp(st.st_mtime).astimezone()
        h = hashlib.sha256()
        chunks: list[bytes] | None = [] if keep_bytes and st.st_size <= 60 * 1024 * 1024 else None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                h.update(chunk)
                if chunks is not None:
                    chunks.append(chunk)
        facts.sha256 = h.hexdigest()
        data = b"".join(chunks) if chunks is not None else None
    except OSError as exc:
        facts.error = exc.strerror or type(exc).__name__
    finally:
        os.close(fd)
    return facts, data


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_out(out: Path, sources: list[str]) -> None:
    """Raise ReportError when ``out`` (or the JSON beside it) is not a valid report path."""
    suffix = out.suffix.lower()
    if suffix not in PDF_SUFFIXES + HTML_SUFFIXES:
        raise ReportError("bad_suffix")
    json_path = out.with_suffix(".json")
    for src in sources:
        if src == "-":
            continue
        if _same_file(out, Path(src)) or _same_file(json_path, Path(src)):
            raise ReportError("would_overwrite")


# ------------------------------------------------------------------------------ export


def export_run(run: ScanRun, out: Path, ui_lang: str, images: bool = True, *,
               memory_images: Mapping[str, bytes] | None = None) -> list[Path]:
    """Write the report (PDF or HTML by the suffix of ``out``) and ``out.with_suffix('.json')``;
    return the paths written. Raises ReportError for a bad ``out``, OSError if writing fails.

    ``memory_images`` maps the ``source`` label of screenshots scanned from memory (pasted or
    captured, ``Scanner.read_image_bytes``) to their bytes; the report then hashes and shows
    those bytes instead of looking for a file of that name."""
    memory_images = memory_images or {}
    out = Path(out)
    sources = list(dict.fromkeys(r.source for r in run.inputs))
    check_out(out, [src for src in sources if src not in memory_images])
    is_pdf = out.suffix.lower() in PDF_SUFFIXES
    generated = datetime.now().astimezone()

    from . import report_qt as rq

    if images or is_pdf:
        rq.ensure_app()
    facts: dict[str, FileFacts] = {}
    qimages: dict[str, Any] = {}
    srcs: dict[int, str] = {}
    image_sources = {r.source for r in run.inputs if r.kind == "image" and r.error is None}
    for src in sources:  # one original at a time: its bytes are dropped once drawn
        if src == "-":
            continue
        data: bytes | None
        if src in memory_images:
            data = bytes(memory_images[src])
            facts[src] = FileFacts(source=src, name=src, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                                   in_memory=True)
        else:
            facts[src], data = _read_original(src, keep_bytes=images and src in image_sources)
        if not images or data is None or src not in image_sources:
            continue
        for i, r in enumerate(run.inputs):
            if r.source != src or r.kind != "image" or r.error is not None:
                continue
            img = rq.annotated_image(data, r)
            if img is None:
                continue
            if is_pdf:
                qimages[f"chatguard-image:{i}"] = img
                srcs[i] = f"chatguard-image:{i}"
            else:
                srcs[i] = "data:image/png;base64," + base64.b64encode(rq.image_bytes(img, "PNG")).decode("ascii")
        del data
    image_src = srcs.get if images else None

    if is_pdf:
        rq.ensure_app()
        html = build_html(run, facts, ui_lang, generated=generated, app_version=__version__, image_src=image_src,
                          for_pdf=True, font=rq.cjk_family(ui_lang), mono=rq.mono_family())
        body = rq.html_to_pdf(html, qimages, lang=ui_lang, title=rt("title", ui_lang),
                              creator=f"ChatGuard {__version__}",
                              footer=f"ChatGuard {__version__} · {rt('title', ui_lang)} · {fmt_time(generated)}")
    else:
        html = build_html(run, facts, ui_lang, generated=generated, app_version=__version__, image_src=image_src,
                          for_pdf=False, font=None, mono=None)
        body = html.encode("utf-8")

    doc = report_dict(run, facts, ui_lang, generated=generated, report_name=out.name, report_bytes=body,
                      images=images)
    json_path = out.with_suffix(".json")
    out.write_bytes(body)
    json_path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [out, json_path]


def report_dict(run: ScanRun, facts: dict[str, FileFacts], lang: str, *, generated: datetime, report_name: str,
                report_bytes: bytes, images: bool) -> dict[str, Any]:
    """The scan JSON (chatguard.scan/1, unchanged) plus, added: ``file`` on each input (size,
    mtime, SHA-256 measured at report time) and ``report`` (when, by what, which file)."""
    doc = run_to_dict(run, lang)
    for inp in doc["inputs"]:
        f = facts.get(inp["source"])
        if f is None:
            inp["file"] = None
            continue
        inp["file"] = {
            "name": f.name,
            "size": f.size,
            "mtime": f.mtime.isoformat(timespec="seconds") if f.mtime else None,
            "sha256": f.sha256,
            "error": f.error,
            "in_memory": f.in_memory,
            "unchanged_since_scan": (f.sha256 == inp["sha256"]) if (f.sha256 and inp["sha256"]) else None,
        }
    doc["report"] = {
        "schema": REPORT_SCHEMA,
        "generated": generated.isoformat(timespec="seconds"),
        "app": "chatguard",
        "app_version": __version__,
        "patterns": run.pack_version,
        "pack": run.pack_id,
        "language": lang,
        "images_included": images,
        "file": report_name,
        "sha256": hashlib.sha256(report_bytes).hexdigest(),
    }
    return doc


# ------------------------------------------------------------------------------ command line


def write_report(paths: list[str], out: Path, ui_lang: str, images: bool = True, engine: str = "rapidocr") -> int:
    """``chatguard report``: scan the paths, write the report and its JSON, say where.
    0 ok; 1 some input failed (report still written); 2 usage; 3 OCR engine missing; 4 the
    report could not be written."""
    from .scan import Scanner, ScanOptions, expand_paths

    out = Path(out)
    err = sys.stderr
    try:
        check_out(out, [str(p) for p in expand_paths(paths)])
    except ReportError as exc:
        print(f"chatguard: {rt(str(exc), ui_lang)}: {out}", file=err)
        return 2
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        print(f"chatguard: {rt('no_out_dir', ui_lang)}: {parent}", file=err)
        return 2

    scanner = Scanner(ScanOptions(engine=engine, ui_lang=ui_lang))
    run = scanner.scan_paths(paths)
    if run.engine_missing is not None:
        from .strings import t

        missing = run.engine_missing
        print(f"{t('engine_missing', ui_lang)}: {missing}\n{t('how_to_fix', ui_lang)}:\n{getattr(missing, 'hint', '')}",
              file=err)
        return 3
    try:
        written = export_run(run, out, ui_lang, images=images)
    except ReportError as exc:
        print(f"chatguard: {rt(str(exc), ui_lang)}: {out}", file=err)
        return 2
    except OSError as exc:
        print(f"chatguard: {rt('write_failed', ui_lang)}: {out} ({exc.strerror or exc})", file=err)
        return 4
    stdout = sys.stdout
    if hasattr(stdout, "reconfigure"):
        with contextlib.suppress(ValueError, OSError):
            stdout.reconfigure(encoding="utf-8")
    print(f"{rt('written', ui_lang)}: {written[0]}", file=stdout)
    print(f"{rt('written_json', ui_lang)}: {written[1]}", file=stdout)
    return 1 if run.any_failed else 0
