"""Matcher speed: lines per second against the whole built-in pack, beside the brute-force
baseline in the same run.

    .venv/bin/python -m bench.match [--lines N]

Lines: the project's labelled dev set (zh-Hans, zh-Hant, en, mixed) and the English SMS corpus in
../shared/data, cycled to N lines. Printed:

- ChatGuard: ``Analyzer.raw_findings`` (normalisation + n-gram candidate index + rapidfuzz
  verification + regex shapes + conditions), one message per line.
- Baseline A (the issue's): ``process.cdist(lines, phrases, scorer=partial_ratio, workers=-1)``
  on the same normalised lines, i.e. every line against every phrase.
- Baseline B: ChatGuard's own verification without the index (``use_index=False``), the brute
  force whose findings the index must reproduce exactly; the run reports any difference.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from patterns import Analyzer, Message, Speaker
from patterns.normalize import normalize

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


def timed(fn, *args):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=20_000)
    ap.add_argument("--baseline-lines", type=int, default=2_000, help="lines for the slow baselines")
    args = ap.parse_args()

    corpus = load_lines()
    if not corpus:
        raise SystemExit("no lines found (tests/data/devset or ../shared/data)")
    lines = [corpus[i % len(corpus)] for i in range(args.lines)]
    base = Analyzer.load(())
    an = Analyzer(base.pack, base.advice, cache_size=0)  # no memo: every line is really matched
    brute = Analyzer(base.pack, base.advice, use_index=False, cache_size=0)
    phrases = [p.norm for p in an.matcher.phrases]
    print(f"pack {an.pack.id} {an.pack.version}: {len(an.rules)} rules, {len(phrases)} phrases; "
          f"{len(lines)} lines ({len(corpus)} distinct, mean {sum(map(len, corpus)) / len(corpus):.0f} chars); "
          f"{os.cpu_count()} cores")

    msgs = [[Message(t, Speaker.THEM)] for t in lines]
    an.raw_findings(msgs[0])  # warm caches (OpenCC, regexes)
    _, t_ours = timed(lambda: [an.raw_findings(m) for m in msgs])

    k = min(args.baseline_lines, len(lines))
    sample = lines[:k]
    norm_sample = [normalize(t).fold.text for t in sample]
    _, t_cdist = timed(lambda: process.cdist(norm_sample, phrases, scorer=fuzz.partial_ratio, workers=-1,
                                             score_cutoff=80))
    _, t_brute = timed(lambda: [brute.raw_findings([Message(t, Speaker.THEM)]) for t in sample])

    # equivalence on every distinct line
    diffs = 0
    for t in corpus:
        a = [(f.rule, f.span, f.score) for f in an.raw_findings([Message(t, Speaker.THEM)])[0]]
        b = [(f.rule, f.span, f.score) for f in brute.raw_findings([Message(t, Speaker.THEM)])[0]]
        if sorted(a) != sorted(b):
            diffs += 1

    rate = len(lines) / t_ours
    print()
    print(f"{'method':58} {'lines/s':>10} {'vs cdist':>9}")
    print(f"{'ChatGuard (n-gram index + rapidfuzz verify, 1 thread)':58} {rate:>10,.0f} {rate / (k / t_cdist):>8.1f}x")
    print(f"{'baseline A: cdist partial_ratio, every phrase, workers=-1':58} {k / t_cdist:>10,.0f} {1.0:>8.1f}x")
    print(f"{'baseline B: ChatGuard verify without index (brute force)':58} {k / t_brute:>10,.0f} "
          f"{(k / t_brute) / (k / t_cdist):>8.1f}x")
    print()
    print(f"findings identical to brute force on {len(corpus)} distinct lines: "
          f"{'yes' if diffs == 0 else f'NO ({diffs} lines differ)'}")


if __name__ == "__main__":
    main()
