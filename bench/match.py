"""Matcher speed: lines per second against the whole built-in pack, beside the brute-force
baseline in the same run.

    .venv/bin/python -m bench.match [--lines N]

Lines: the project's labelled dev set (zh-Hans, zh-Hant, en, mixed) and the English SMS corpus in
../shared/data, cycled to N lines. Printed:

- ChatGuard: ``Analyzer.raw_findings`` (normalisation + n-gram candidate index + rapidfuzz
  verification + regex shapes + conditions), one message per line: on every core through
  ``raw_findings_many`` (worker processes); in one process with its word cache warm (a word's
  candidate phrases are remembered, as happens over a long chat); and cold, a fresh analyzer's
  first pass over the distinct lines (every word new). No line-level result is cached.
- Baseline A (the issue's): ``process.cdist(lines, phrases, scorer=partial_ratio, workers=-1)``
  on the same normalised lines, i.e. every line against every phrase, with ``score_cutoff=80``
  (rapidfuzz can then stop early: the faster, stricter baseline, the one the ratios use); and
  as the issue states it, without a cutoff.
- Baseline B: ChatGuard's own verification without the index (``use_index=False``), the brute
  force whose findings the index must reproduce exactly; the run reports any difference.

Each rate is the best of ``--repeat`` runs (3), the cold pass and baseline B aside (one run each).
Ratios are printed to both forms of baseline A.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import os
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from patterns import Analyzer, Message, Speaker
from patterns.normalize import normalize
from patterns.parallel import default_workers

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "tests" / "data" / "devset" / "messages.jsonl"
SMS = ROOT.parent / "shared" / "data" / "sms_smishing_5971" / "Dataset_5971.csv"


def load_lines() -> list[str]:
    lines: list[str] = []
    if DEVSET.exists():
        for row in DEVSET.read_text(encoding="utf-8").splitlines():
            if row.strip():
                lines.append(json.loads(row)["text"])
    if SMS.exists():
        with SMS.open(encoding="utf-8", errors="replace", newline="") as fh:
            for row in csv.DictReader(fh):
                lines.append(row["TEXT"])
    return lines


def timed(fn, *args, repeat: int = 1):  # type: ignore[no-untyped-def]
    """(result, seconds): the best of ``repeat`` runs, as timeit does (this VM's speed drifts
    from one second to the next; the fastest run is the one least disturbed)."""
    best = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return out, best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=20_000)
    ap.add_argument("--baseline-lines", type=int, default=2_000, help="lines for the slow baselines")
    ap.add_argument("--workers", type=int, default=None, help="processes for raw_findings_many (default: all cores)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each timing but the cold pass and brute force; the best counts")
    args = ap.parse_args()

    corpus = load_lines()
    if not corpus:
        raise SystemExit("no lines found (tests/data/devset or ../shared/data)")
    lines = [corpus[i % len(corpus)] for i in range(args.lines)]
    base = Analyzer.load(())
    matcher = base.matcher
    if matcher.regex_gate != "hyperscan":
        t0 = time.perf_counter()
        why = matcher.build_native_gate()
        print(f"(no prebuilt pack cache: the Hyperscan regex gate built in {time.perf_counter() - t0:.0f} s"
              f"{'' if why is None else '; NOT in use: ' + why})")
    # no memo: every line is really matched
    an = Analyzer(base.pack, base.advice, cache_size=0, matcher=matcher)
    # the same matcher with the pure-Python regex gate (what runs where Hyperscan cannot)
    py_matcher = copy.copy(matcher)
    py_matcher._native = None
    py_an = Analyzer(base.pack, base.advice, cache_size=0, matcher=py_matcher)
    brute = Analyzer(base.pack, base.advice, use_index=False, cache_size=0)
    phrases = [p.norm for p in an.matcher.phrases]
    print(f"pack {an.pack.id} {an.pack.version}: {len(an.rules)} rules, {len(phrases)} phrases; "
          f"{len(lines)} lines ({len(corpus)} distinct, mean {sum(map(len, corpus)) / len(corpus):.0f} chars); "
          f"{os.cpu_count()} cores")

    # 1. cold: a fresh analyzer's first pass over every distinct line (no word seen before)
    distinct = [[Message(t, Speaker.THEM)] for t in corpus]
    an.raw_findings(distinct[0])  # OpenCC and the regex engine's own caches
    _, t_cold = timed(lambda: [an.raw_findings(m) for m in distinct])
    # 2. one process, the same lines again and again (its word cache is warm, as in a long chat)
    msgs = [[Message(t, Speaker.THEM)] for t in lines]
    rep = max(1, args.repeat)
    _, t_ours = timed(lambda: [an.raw_findings(m) for m in msgs], repeat=rep)
    _, t_py = timed(lambda: [py_an.raw_findings(m) for m in msgs], repeat=rep)
    # 3. every core: raw_findings_many, each message its own conversation (a new pool each run)
    _, t_par = timed(lambda: an.raw_findings_many(msgs, workers=args.workers), repeat=rep)
    workers = args.workers or default_workers()
    # 4. the app as it runs: the same, with the learned second opinion (patterns/learned.py)
    with_model = Analyzer(base.pack, base.advice, cache_size=0, learned=base.learned, builtin=base.builtin,
                          matcher=matcher)
    _, t_model = timed(lambda: [with_model.raw_findings(m) for m in msgs], repeat=rep) if base.learned else (None, None)

    k = min(args.baseline_lines, len(lines))
    sample = lines[:k]
    norm_sample = [normalize(t).fold.text for t in sample]
    _, t_cdist = timed(lambda: process.cdist(norm_sample, phrases, scorer=fuzz.partial_ratio, workers=-1,
                                             score_cutoff=80), repeat=rep)
    # the same, exactly as the issue states it (no score_cutoff: every score is worked out)
    _, t_cdist_full = timed(lambda: process.cdist(norm_sample, phrases, scorer=fuzz.partial_ratio, workers=-1),
                            repeat=rep)
    _, t_brute = timed(lambda: [brute.raw_findings([Message(t, Speaker.THEM)]) for t in sample])

    # equivalence on every distinct line
    diffs = py_diffs = 0
    for t in corpus:
        a = [(f.rule, f.span, f.score) for f in an.raw_findings([Message(t, Speaker.THEM)])[0]]
        b = [(f.rule, f.span, f.score) for f in brute.raw_findings([Message(t, Speaker.THEM)])[0]]
        c = [(f.rule, f.span, f.score) for f in py_an.raw_findings([Message(t, Speaker.THEM)])[0]]
        diffs += sorted(a) != sorted(b)
        py_diffs += sorted(c) != sorted(b)

    cdist_rate = k / t_cdist
    issue_rate = k / t_cdist_full
    rows = [
        (f"ChatGuard, {workers} processes (raw_findings_many)", len(lines) / t_par),
        (f"ChatGuard, 1 process, warm word cache ({an.matcher.regex_gate} gate)", len(lines) / t_ours),
        ("ChatGuard, 1 process, warm, pure-Python regex gate", len(lines) / t_py),
        ("ChatGuard, 1 process, cold (first pass, distinct lines)", len(corpus) / t_cold),
        *([("ChatGuard + learned second opinion, 1 process, warm", len(lines) / t_model)] if t_model else []),
        ("baseline A: cdist partial_ratio, every phrase, workers=-1", cdist_rate),
        ("baseline A as the issue states it (no score_cutoff)", issue_rate),
        ("baseline B: ChatGuard verify without index (brute force)", k / t_brute),
    ]
    print()
    # ratios to both forms of baseline A: with score_cutoff=80 (stricter: the faster baseline)
    # and as the issue states it (its target, 40x, is against that one)
    print(f"{'method':58} {'lines/s':>10} {'vs A':>7} {'vs A as issue':>14}")
    for name, rate in rows:
        print(f"{name:58} {rate:>10,.0f} {rate / cdist_rate:>6.1f}x {rate / issue_rate:>13.1f}x")
    print()
    for name, d in ((an.matcher.regex_gate, diffs), ("python", py_diffs)):
        print(f"findings identical to brute force on {len(corpus)} distinct lines ({name} gate): "
              f"{'yes' if d == 0 else f'NO ({d} lines differ)'}")


if __name__ == "__main__":
    main()
