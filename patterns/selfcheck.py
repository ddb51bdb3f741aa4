"""`python -m patterns.selfcheck [PACK_DIR...]`: load the pack(s), run every rule's examples."""

from __future__ import annotations

import sys
from pathlib import Path

from .analyzer import Analyzer
from .pack import PackError


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        an = Analyzer.load(tuple(Path(a) for a in args))
    except PackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for p in an.problems:
        print(f"skipped: {p}", file=sys.stderr)
    fails = an.check_examples()
    for f in fails:
        print(f)
    n_ex = sum(len(r.examples_match) + len(r.examples_no_match) for r in an.rules)
    print(f"{len(an.rules)} rules, {len(an.matcher.phrases)} phrases, {n_ex} examples, {len(fails)} failures",
          file=sys.stderr)
    return 1 if fails or an.problems else 0


if __name__ == "__main__":
    sys.exit(main())
