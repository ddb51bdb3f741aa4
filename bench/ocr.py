"""OCR benchmark on generated chat screenshots (tests/chatgen), per engine, beside raw Tesseract.

    .venv/bin/python -m bench.ocr [--limit N] [--engines rapidocr tesseract raw] [--out DIR]
    .venv/bin/python -m bench.ocr --truth tests/data/screens_holdout   # conversations never tuned on

Screenshots are generated once from the conversations in --truth (default tests/data/screens)
into --out (default bench/out/<name of the --truth folder>, gitignored) with their ground truth,
then a stratified sample of --limit images (styles x themes x variants, conversations rotating)
is read by each engine in its own process (so that peak memory is that engine's alone).

Measured, per engine:
- CER of the them+me text: per truth bubble, the lines whose centre lies in it, joined, against
  the bubble's text; whitespace and emoji removed on both sides (no engine reads emoji); them/me
  lines outside every truth bubble count as inserted characters. Raw Tesseract has no layout:
  its CER is of its whole output against all them+me text joined (chrome included, as a user of
  the plain CLI would get it).
- sender accuracy per bubble (them/me bubbles whose lines carry the right sender; bubbles with
  nothing to read, emoji only, are not counted);
- seconds per image (engine warm: the first image's model loading is reported apart);
- peak RSS of the worker process.
Prints figures; no pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TRUTH = ROOT / "tests" / "data" / "screens"


def default_out(truth_dir: Path) -> Path:
    """One cache per truth folder: tests/data/screens -> bench/out/screens (as before)."""
    return ROOT / "bench" / "out" / truth_dir.resolve().name


# -- text helpers --------------------------------------------------------------------------------

def norm(text: str) -> str:
    """Whitespace and emoji/symbols removed, full-width ASCII folded (what CER compares)."""
    out = []
    for ch in unicodedata.normalize("NFKC", text):
        if ch.isspace():
            continue
        cat = unicodedata.category(ch)
        if cat in ("So", "Sk", "Cs", "Co", "Cn", "Mn", "Cf"):
            continue
        out.append(ch)
    return "".join(out)


def edits(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(a, b))


def script_of(text: str) -> str:
    from ocr.script import guess_script

    return guess_script(text, default="zh-Hans")


# -- data ----------------------------------------------------------------------------------------

def ensure_screens(out: Path, src: Path = DEFAULT_TRUTH) -> list[Path]:
    truths = sorted(out.glob("*.truth.json"))
    if not truths:
        out.mkdir(parents=True, exist_ok=True)
        print(f"generating screenshots from {src} into {out} ...", flush=True)
        subprocess.run([sys.executable, "-m", "tests.chatgen", "--src", str(src.resolve()), "--out", str(out),
                        "--variants"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        truths = sorted(out.glob("*.truth.json"))
    return truths


def image_of(truth_path: Path) -> Path:
    stem = truth_path.name[: -len(".truth.json")]
    for ext in (".png", ".jpg"):
        p = truth_path.with_name(stem + ext)
        if p.exists():
            return p
    raise FileNotFoundError(stem)


def select(truths: list[Path], limit: int) -> list[Path]:
    """Round-robin over (style, theme, variant) with the conversation rotating."""
    groups: dict[tuple[str, str, str], list[Path]] = defaultdict(list)
    for t in truths:
        parts = t.name[: -len(".truth.json")].split("__")
        conv, style, theme = parts[0], parts[1], parts[2]
        variant = parts[-1] if parts[-1] in ("jpeg70", "half") else "png"
        del conv
        groups[(style, theme, variant)].append(t)
    keys = sorted(groups)
    picked: list[Path] = []
    round_ = 0
    while len(picked) < limit and any(groups.values()):
        for k in keys:
            g = groups[k]
            if not g:
                continue
            # spread over conversations: a stride through the sorted list
            idx = (round_ * 7 + keys.index(k) * 3) % len(g)
            picked.append(g.pop(idx))
            if len(picked) >= limit:
                break
        round_ += 1
    return picked


# -- workers (one process per engine) ------------------------------------------------------------

def worker(engine: str, files: list[str]) -> dict:
    results = []
    if engine == "raw":
        env = dict(os.environ)
        for f in files:
            t0 = time.perf_counter()
            p = subprocess.run(["tesseract", f, "-", "-l", "chi_sim+chi_tra+eng"], capture_output=True, env=env)
            dt = time.perf_counter() - t0
            results.append({"file": f, "seconds": dt, "text": p.stdout.decode("utf-8", "replace")})
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    else:
        from ocr import read_image

        t0 = time.perf_counter()
        from ocr.engines import get_engine

        get_engine(engine).status()  # loads the models
        load_s = time.perf_counter() - t0
        for f in files:
            t0 = time.perf_counter()
            try:
                r = read_image(f, engine=engine)
                lines = [{"text": ln.text, "box": ln.box.as_list(), "sender": ln.sender.value, "message": ln.message}
                         for ln in r.lines]
                err = None
            except Exception as exc:  # measured, not fatal
                lines, err = [], repr(exc)
            dt = time.perf_counter() - t0
            results.append({"file": f, "seconds": dt, "lines": lines, "error": err})
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        results.append({"load_seconds": load_s})
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    return {"engine": engine, "results": results, "peak_rss_mb": peak * scale / 1024 / 1024}


def run_worker(engine: str, files: list[Path]) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as d:
        lst = Path(d) / "files.json"
        res = Path(d) / "result.json"
        lst.write_text(json.dumps([str(f) for f in files]), encoding="utf-8")
        subprocess.run([sys.executable, "-m", "bench.ocr", "--worker", engine, "--files", str(lst),
                        "--result", str(res)], cwd=ROOT, check=True)
        return json.loads(res.read_text(encoding="utf-8"))


# -- scoring -------------------------------------------------------------------------------------

def _inside(box: list[int], outer: list[int], slack: int = 4) -> bool:
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    x, y, w, h = outer
    return x - slack <= cx <= x + w + slack and y - slack <= cy <= y + h + slack


def score_image(truth: dict, lines: list[dict]) -> dict:
    bubbles = [m for m in truth["messages"] if m["sender"] in ("them", "me")]
    used = set()
    per_msg = []
    sender_ok = 0
    readable = 0  # bubbles with something to read: an emoji-only bubble (👌) gives no line on any engine
    for m in bubbles:
        mine = [i for i, ln in enumerate(lines) if _inside(ln["box"], m["box"])]
        used.update(mine)
        pred = norm("".join(lines[i]["text"] for i in sorted(mine, key=lambda i: (lines[i]["box"][1], lines[i]["box"][0]))))
        ref = norm(m["text"])
        if ref:
            readable += 1
            senders = [lines[i]["sender"] for i in mine]
            # the majority sender of its lines; a tie counts as wrong (no set order decides it)
            top = sorted(((senders.count(x), x) for x in set(senders)), reverse=True)
            if top and top[0][1] == m["sender"] and (len(top) == 1 or top[1][0] < top[0][0]):
                sender_ok += 1
        per_msg.append({"script": script_of(m["text"]), "edits": edits(ref, pred), "chars": len(ref)})
    extra = sum(len(norm(ln["text"])) for i, ln in enumerate(lines) if i not in used and ln["sender"] in ("them", "me"))
    return {"msgs": per_msg, "extra": extra, "sender_ok": sender_ok, "bubbles": readable}


def score_raw(truth: dict, text: str) -> dict:
    bubbles = [m for m in truth["messages"] if m["sender"] in ("them", "me")]
    ref = norm("".join(m["text"] for m in bubbles))
    return {"msgs": [{"script": truth.get("lang", "?"), "edits": edits(ref, norm(text)), "chars": len(ref)}],
            "extra": 0, "sender_ok": 0, "bubbles": 0}


def _cer(scores: list[dict], key=None) -> tuple[float, int]:
    e = c = 0
    for s in scores:
        for m in s["msgs"]:
            if key is None or key(s, m):
                e += m["edits"]
                c += m["chars"]
        if key is None:
            e += s["extra"]
    return (e / c if c else float("nan")), c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.ocr", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--engines", nargs="+", default=["rapidocr", "tesseract", "raw"])
    ap.add_argument("--truth", type=Path, default=DEFAULT_TRUTH,
                    help="folder of conversation JSON to render (default tests/data/screens)")
    ap.add_argument("--out", type=Path, help="where screenshots are generated "
                    "(default bench/out/<name of the --truth folder>)")
    ap.add_argument("--json", type=Path, help="also write all figures here")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--files", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        files = json.loads(a.files.read_text(encoding="utf-8"))
        a.result.write_text(json.dumps(worker(a.worker, files), ensure_ascii=False), encoding="utf-8")
        return 0

    out = a.out or default_out(a.truth)
    truths = select(ensure_screens(out, a.truth), a.limit)
    images = [image_of(t) for t in truths]
    meta = [json.loads(t.read_text(encoding="utf-8")) for t in truths]
    print(f"{len(images)} screenshots from {out} (truth {a.truth})")
    runs = {}
    for eng in a.engines:
        t0 = time.perf_counter()
        runs[eng] = run_worker(eng, images)
        print(f"  {eng}: {time.perf_counter() - t0:.0f} s", flush=True)

    summary = {}
    per_image: dict[str, list[dict]] = {}
    for eng, run in runs.items():
        res = [r for r in run["results"] if "file" in r]
        scores = []
        for r, truth in zip(res, meta, strict=True):
            s = score_raw(truth, r["text"]) if eng == "raw" else score_image(truth, r["lines"])
            s.update(style=truth["style"], theme=truth["theme"], variant=truth.get("variant", "png"),
                     seconds=r["seconds"], file=Path(r["file"]).name, error=r.get("error"))
            scores.append(s)
        per_image[eng] = scores
        cer, chars = _cer(scores)
        secs = sorted(s["seconds"] for s in scores)
        n_b = sum(s["bubbles"] for s in scores)
        summary[eng] = {
            "cer": cer, "chars": chars,
            "sender_acc": (sum(s["sender_ok"] for s in scores) / n_b) if n_b else None,
            "bubbles": n_b,
            "sec_mean": sum(secs) / len(secs), "sec_median": secs[len(secs) // 2], "sec_max": secs[-1],
            "peak_rss_mb": run["peak_rss_mb"],
            "errors": sum(1 for s in scores if s.get("error")),
        }

    print()
    print("| engine | CER them+me | sender acc (bubbles) | s/image mean | median | max | peak RSS MB | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for eng, s in summary.items():
        sa = "n/a (no layout)" if s["sender_acc"] is None else f"{s['sender_acc']:.3f} ({s['bubbles']})"
        print(f"| {eng} | {s['cer']:.4f} | {sa} | {s['sec_mean']:.2f} | {s['sec_median']:.2f} | "
              f"{s['sec_max']:.2f} | {s['peak_rss_mb']:.0f} | {s['errors']} |")
    if "raw" in summary:
        for eng in summary:
            if eng != "raw":
                print(f"time {eng} / raw tesseract: {summary[eng]['sec_mean'] / summary['raw']['sec_mean']:.2f}x")

    engines = [e for e in summary if e != "raw"]
    for title, keyf in (("style", lambda s: s["style"]), ("theme", lambda s: s["theme"]),
                        ("variant", lambda s: s["variant"])):
        print(f"\nCER and sender accuracy per {title}")
        print("| " + title + " | " + " | ".join(f"{e} CER | {e} sender" for e in engines)
              + (" | raw CER" if "raw" in summary else "") + " |")
        print("|---" * (1 + 2 * len(engines) + (1 if "raw" in summary else 0)) + "|")
        groups = sorted({keyf(s) for s in next(iter(per_image.values()))})
        for g in groups:
            row = [g]
            for e in engines:
                sub = [s for s in per_image[e] if keyf(s) == g]
                cer, _ = _cer(sub)
                nb = sum(s["bubbles"] for s in sub)
                row += [f"{cer:.4f}", f"{sum(s['sender_ok'] for s in sub) / nb:.3f}" if nb else "-"]
            if "raw" in summary:
                cer, _ = _cer([s for s in per_image["raw"] if keyf(s) == g])
                row.append(f"{cer:.4f}")
            print("| " + " | ".join(row) + " |")

    print("\nCER per script of the message (them+me bubbles)")
    print("| script | chars | " + " | ".join(f"{e} CER" for e in engines) + " |")
    print("|---" * (2 + len(engines)) + "|")
    for sc in ("zh-Hans", "zh-Hant", "en"):
        row = [sc]
        chars = 0
        for e in engines:
            cer, chars = _cer(per_image[e], key=lambda s, m, sc=sc: m["script"] == sc)
            row.append(f"{cer:.4f}")
        print("| " + " | ".join([row[0], str(chars), *row[1:]]) + " |")
    for e in engines:
        load = next((r["load_seconds"] for r in runs[e]["results"] if "load_seconds" in r), None)
        if load is not None:
            print(f"{e}: model loading {load:.2f} s (not in s/image)")
    if a.json:
        a.json.write_text(json.dumps({"summary": summary, "per_image": per_image}, ensure_ascii=False, indent=1),
                          encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
