"""The rules' blind reading of a labelled set: the pack as it was when the set was added.

Run from the repository root:

    .venv/bin/python -m bench.blind_rules devset5 devset6 --out bench/out/blind

For each set, the commit that added ``tests/data/<set>/messages.jsonl`` is checked out in a
temporary git worktree (the sets were written blind and tuned on only after they were added),
its own CLI (``python -m desktop text --json -``, rules only) reads every single message and
conversation of the set, and each message's top finding is written to ``<out>/<set>.json``:
``{"messages": {id: [category, severity, [categories]] | null}, "conversations": {id:
{"risk": ..., "lines": [...]}}}``. ``bench/learned.py loso --blind <out>`` combines these
with the learned model, trained without the set, as the analyzer would.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.detect import load_jsonl

ROOT = Path(__file__).resolve().parent.parent
SEV = {"low": 1, "medium": 2, "high": 3, "critical": 4}


def added_in(name: str) -> str:
    out = subprocess.run(["git", "log", "--diff-filter=A", "--format=%H", "--",
                          f"tests/data/{name}/messages.jsonl"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.split()
    if not out:
        raise SystemExit(f"{name}: no commit adds tests/data/{name}/messages.jsonl")
    return out[-1]


def top(line: dict) -> list | None:
    fs = line.get("findings") or []
    if not fs:
        return None
    best = max(fs, key=lambda f: (SEV.get(f.get("severity"), 0), f.get("score") or 0))
    return [best["category"], best["severity"], sorted({f["category"] for f in fs})]


def read_blind(name: str) -> dict:
    folder = ROOT / "tests" / "data" / name
    msgs, convs = load_jsonl(folder / "messages.jsonl"), load_jsonl(folder / "conversations.jsonl")
    chats = [[(m.get("sender", "them"), m["text"])] for m in msgs]
    chats += [[(m["sender"], m["text"]) for m in c["messages"]] for c in convs]
    stdin = "\n\n".join("\n".join(f"{s}: {' '.join(t.split())}" for s, t in c) for c in chats) + "\n"
    commit = added_in(name)
    with tempfile.TemporaryDirectory(prefix="chatguard-blind-") as tmp:
        wt = Path(tmp) / "wt"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(wt), commit], cwd=ROOT, check=True)
        try:
            cmd = [sys.executable, "-m", "desktop", "text", "--json", "-"]
            if "--rules-only" in (wt / "desktop" / "cli.py").read_text(encoding="utf-8"):
                cmd.append("--rules-only")
            proc = subprocess.run(cmd, input=stdin.encode("utf-8"), capture_output=True, cwd=wt, timeout=1800)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(wt)], cwd=ROOT, check=False)
    inputs = json.loads(proc.stdout)["inputs"]
    if len(inputs) != len(chats):
        raise SystemExit(f"{name}: {len(inputs)} results for {len(chats)} inputs")
    return {"commit": commit,
            "messages": {m["id"]: top(inp["lines"][0]) if inp.get("lines") else None
                         for m, inp in zip(msgs, inputs, strict=False)},
            "conversations": {c["id"]: {"risk": (inp.get("summary") or {}).get("risk"),
                                        "lines": [top(ln) for ln in inp.get("lines") or []]}
                              for c, inp in zip(convs, inputs[len(msgs):], strict=True)}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="+")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "blind")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.sets:
        doc = read_blind(name)
        (args.out / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        flagged = sum(v is not None for v in doc["messages"].values())
        print(f"{name}: rules at {doc['commit'][:9]} flag {flagged} of {len(doc['messages'])} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
