"""The scan as contract JSON (schema chatguard.scan/1, ../shared/docs/contract.md).

Fields beyond the contract are additions only: ``explain`` and ``reasons`` on findings,
``contact`` and ``engine`` on inputs, ``reasons`` on summaries.
"""

from __future__ import annotations

import json
from typing import Any

from patterns import Finding

from . import __version__
from .scan import InputResult, LineResult, ScanRun, Summary

SCHEMA = "chatguard.scan/1"


def _finding(f: Finding, span: tuple[int, int], lang: str) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "category": f.category.value,
        "severity": f.severity.value,
        "score": f.score,
        "matched": f.matched,
        "span": [span[0], span[1]],
        "explain": f.explain.get(lang) or f.explain.get("en", ""),
        "reasons": list(f.reasons),
    }


def _line(ln: LineResult, lang: str) -> dict[str, Any]:
    d: dict[str, Any] = {
        "index": ln.index,
        "message": ln.message,
        "text": ln.text,
        "sender": ln.sender,
        "bbox": ln.bbox,
        "confidence": ln.confidence,
        "findings": [_finding(f, s, lang) for f, s in zip(ln.findings, ln.line_spans, strict=True)],
    }
    if ln.duplicate_of is not None:
        d["duplicate_of"] = [ln.duplicate_of[0], ln.duplicate_of[1]]
    return d


def _summary(s: Summary) -> dict[str, Any]:
    return {"risk": s.risk, "categories": [c.value for c in s.categories], "flagged_lines": s.flagged_lines}


def display_path(s: str) -> str:
    """A path as valid Unicode: bytes that are not UTF-8 (surrogate-escaped by the OS layer)
    become U+FFFD, so JSON and reports stay valid."""
    return s.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _input(r: InputResult, lang: str) -> dict[str, Any]:
    d: dict[str, Any] = {
        "source": display_path(r.source),
        "kind": r.kind,
        "sha256": r.sha256,
        "width": r.width,
        "height": r.height,
        "error": {"code": r.error.code, "message": r.error.message} if r.error else None,
        "lines": [_line(ln, lang) for ln in r.lines] if r.error is None else [],
        "summary": _summary(r.summary),
    }
    if r.kind == "image":
        d["contact"] = r.contact
        d["engine"] = r.engine
    return d


def run_to_dict(run: ScanRun, lang: str = "en") -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "tool": {"name": "chatguard", "version": __version__, "patterns": run.pack_version,
                 "pack": run.pack_id, "learned": run.learned, "regex_gate": run.regex_gate,
                 "native_steps": run.native_steps},
        "inputs": [_input(r, lang) for r in run.inputs],
        "summary": {**_summary(run.summary), "reasons": list(run.reasons)},
        "advice": [
            {"category": a.category, "title": a.title, "steps": list(a.steps),
             "contacts": [{"name": c.name, "url": c.url, "phone": c.phone} for c in a.contacts]}
            for a in run.advice
        ],
    }


def run_to_json(run: ScanRun, lang: str = "en") -> str:
    return json.dumps(run_to_dict(run, lang), ensure_ascii=False, indent=2)
