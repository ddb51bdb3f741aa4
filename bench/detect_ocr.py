"""Detection on OCR text: the held-out conversations rendered as WeChat screenshots, scanned.

Run from the repository root:

    .venv/bin/python -m bench.detect_ocr                          # all styles, rapidocr (~10 min)
    .venv/bin/python -m bench.detect_ocr --limit 3 --styles light # a quick look
    .venv/bin/python -m bench.detect_ocr --engines rapidocr tesseract --json out.json
    .venv/bin/python -m bench.detect_ocr --conversations tests/data/devset*/conversations.jsonl \
        --styles light --show-losses                               # tuning sets: why OCR loses

Measures issue 5's target ("on real OCR text of WeChat fraud chats, recall >= 0.85 at <= 0.10
false positives", message by message). The labelled whole conversations of the held-out sets
(tests/data/holdout*/conversations.jsonl; never tuned on) are rendered with the project's chat
generator (tests.chatgen.render_pages: a long chat spans several overlapping screenshots) in a
temporary folder that is deleted afterwards, then scanned through the public CLI
(``python -m desktop scan --json --engine E FILES...``, one call per style and engine; every
conversation has its own contact name, so the scanner groups the screenshots of one chat and
marks their overlap as ``duplicate_of``). The same conversations go through
``python -m desktop text --json -`` as clean text, so OCR's cost shows side by side.

The OCR'd messages (lines grouped by ``message``, lines marked ``duplicate_of`` left out) are
aligned to the truth messages by a monotone alignment on rapidfuzz similarity of the
normalised text, allowing a bubble read as two messages and two bubbles read as one (split at
a line boundary). A risky truth message that no OCR message was aligned to counts as missed.
"Flagged" is bench.detect's definition: any finding at or above --min-severity (default low);
the predicted category is the finding of highest severity, then score. Only aggregate figures
are printed (no message text: the held-out sets must not leak into tuning).

``--conversations`` runs the same measurement on other conversation files (the tuning sets
tests/data/devset*/conversations.jsonl); only for those, ``--show-losses`` prints each risky
message flagged on the clean text but missed after OCR: the truth text, the OCR text aligned to
it and what the clean text matched. It is refused on held-out files.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

from bench import detect
from bench.detect import SEV_RANK, line_prediction, one_line

ROOT = Path(__file__).resolve().parent.parent
HOLDOUTS = [ROOT / "tests" / "data" / "holdout" / "conversations.jsonl",
            ROOT / "tests" / "data" / "holdout2" / "conversations.jsonl"]

# name -> (chatgen style, theme, variant); variants as tests.chatgen writes them
STYLES = {
    "light": ("wechat", "light", "png"),
    "dark": ("wechat", "dark", "png"),
    "desktop": ("wechat_desktop", "light", "png"),
    "jpeg70": ("wechat", "light", "jpeg70"),
    "half": ("wechat", "light", "half"),
    "desktop_dark": ("wechat_desktop", "dark", "png"),
}
DEFAULT_STYLES = ["light", "dark", "desktop", "jpeg70", "half"]
ENGINES = ("rapidocr", "tesseract")

# Contact names for the title bar: distinct per conversation so that the scanner's grouping
# of screenshots by contact keeps the chats apart in one batched call.
ZH_NAMES = ["王芳", "李静", "张伟", "刘洋", "陈晨", "杨帆", "赵磊", "黄丽", "周杰", "吴敏",
            "徐婷", "孙浩", "马超", "朱琳", "胡军", "郭燕", "何平", "高翔", "林涛", "罗娜"]
EN_NAMES = ["Emma Clarke", "Noah Bennett", "Olivia Hughes", "Liam Foster", "Ava Turner",
            "Mason Reed", "Sophia Ward", "Lucas Price", "Mia Powell", "Ethan Brooks",
            "Harper Long", "Logan Hayes", "Ella Fisher", "Jack Myers", "Grace Ford",
            "Henry Cole", "Chloe Webb", "Owen Stone", "Lily Grant", "Ryan Shaw"]

MISS_CAUSES = ["text_miss", "lost", "merged_or_split", "misread", "sender", "read_ok"]
MISS_HELP = {
    "text_miss": "missed on the clean text too (a rule gap, not OCR)",
    "lost": "no OCR message aligned (not read, or dropped as a duplicate)",
    "merged_or_split": "bubble read merged with a neighbour or split in two",
    "misread": "aligned, but the characters differ from the truth",
    "sender": "read exactly, but attributed to the wrong sender",
    "read_ok": "read exactly, same sender (context: page split, neighbours misread)",
}


# ---------------------------------------------------------------------------- text helpers

def norm(text: str) -> str:
    """NFKC, lower case, whitespace and emoji/symbols removed (what alignment compares)."""
    out = []
    for ch in unicodedata.normalize("NFKC", text).lower():
        if ch.isspace():
            continue
        if unicodedata.category(ch) in ("So", "Sk", "Cs", "Co", "Cn", "Mn", "Cf"):
            continue
        out.append(ch)
    return "".join(out)


def similarity(a: str, b: str) -> float:
    """0..1 similarity of two normalised strings (rapidfuzz Indel ratio); 0 when one is empty."""
    if not a or not b:
        return 0.0
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b) / 100.0


def cer(ref: str, hyp: str) -> float:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(ref, hyp) / max(1, len(ref))


# ---------------------------------------------------------------------------- alignment

MIN_SIM = 0.5  # below this a pairing is not a match (the messages are "lost" / "extra")


def align(truth: list[str], ocr: list[list[str]], min_sim: float = MIN_SIM) -> list[dict]:
    """Align truth messages to OCR messages (each a list of its lines' texts), in order.

    Moves: a truth message lost; an OCR message extra; 1-1; one truth bubble read as two
    consecutive OCR messages (split); two consecutive truth bubbles read as one OCR message,
    divided at a line boundary (merged). A pairing scores its similarity minus ``min_sim`` and
    is allowed only at or above ``min_sim``; the alignment maximises the total.

    Returns one entry per truth message: ``{"parts": [(ocr_index, [line indices]), ...],
    "kind": "lost"|"1-1"|"split"|"merged", "sim": float}``. OCR messages in no entry's parts
    are extra (chrome, timestamps, duplicates the scanner did not recognise).
    """
    n_t, n_o = len(truth), len(ocr)
    tn = [norm(t) for t in truth]
    on = [[norm(x) for x in lines] for lines in ocr]
    oj = ["".join(x) for x in on]
    NEG = float("-inf")

    def gain(s: float) -> float:
        return s - min_sim if s >= min_sim else NEG

    best = [[NEG] * (n_o + 1) for _ in range(n_t + 1)]
    back: list[list[tuple | None]] = [[None] * (n_o + 1) for _ in range(n_t + 1)]
    best[0][0] = 0.0
    for i in range(n_t + 1):
        for j in range(n_o + 1):
            cur = best[i][j]
            if cur == NEG:
                continue

            def push(ii: int, jj: int, score: float, move: tuple, i: int = i, j: int = j) -> None:
                if score > best[ii][jj] + 1e-12:
                    best[ii][jj] = score
                    back[ii][jj] = (i, j, move)

            if i < n_t:
                push(i + 1, j, cur, ("lost",))
            if j < n_o:
                push(i, j + 1, cur, ("extra",))
            if i < n_t and j < n_o:
                s = similarity(tn[i], oj[j])
                if gain(s) != NEG:
                    push(i + 1, j + 1, cur + gain(s), ("1-1", s))
            if i < n_t and j + 1 < n_o:
                s = similarity(tn[i], oj[j] + oj[j + 1])
                if gain(s) != NEG:
                    push(i + 1, j + 2, cur + gain(s), ("split", s))
            if i + 1 < n_t and j < n_o and len(on[j]) > 1:
                for k in range(1, len(on[j])):
                    s1 = similarity(tn[i], "".join(on[j][:k]))
                    s2 = similarity(tn[i + 1], "".join(on[j][k:]))
                    if gain(s1) != NEG and gain(s2) != NEG:
                        push(i + 2, j + 1, cur + gain(s1) + gain(s2), ("merged", k, s1, s2))
    out: list[dict] = [{"parts": [], "kind": "lost", "sim": 0.0} for _ in range(n_t)]
    i, j = n_t, n_o
    while (i, j) != (0, 0):
        pi, pj, move = back[i][j]
        kind = move[0]
        if kind == "1-1":
            out[pi] = {"parts": [(pj, list(range(len(on[pj]))))], "kind": "1-1", "sim": move[1]}
        elif kind == "split":
            out[pi] = {"parts": [(pj, list(range(len(on[pj])))),
                                 (pj + 1, list(range(len(on[pj + 1]))))],
                       "kind": "split", "sim": move[1]}
        elif kind == "merged":
            k, s1, s2 = move[1], move[2], move[3]
            out[pi] = {"parts": [(pj, list(range(k)))], "kind": "merged", "sim": s1}
            out[pi + 1] = {"parts": [(pj, list(range(k, len(on[pj]))))], "kind": "merged",
                           "sim": s2}
        i, j = pi, pj
    return out


# ---------------------------------------------------------------------------- data

def is_holdout(path: Path) -> bool:
    """A held-out file (tests/data/holdout*/...): measure only, never show its messages."""
    parts = Path(path).resolve().parts
    return any(p.startswith("holdout") or p.startswith("screens_holdout") for p in parts)


def load_conversations(paths: list[Path], limit: int | None) -> list[dict]:
    by_set: list[list[dict]] = []
    for p in paths:
        with p.open(encoding="utf-8") as fh:
            by_set.append([json.loads(line) for line in fh if line.strip()])
    convs = [c for cs in by_set for c in cs]
    if limit:
        # alternate the files so a small --limit still sees each of them
        mixed = []
        for k in range(max((len(cs) for cs in by_set), default=0)):
            mixed.extend(cs[k] for cs in by_set if k < len(cs))
        convs = mixed[:limit]
    return convs


def chatgen_conversation(conv: dict, k: int) -> dict:
    """The generator's input: a timestamp, then the messages; a contact name of its own."""
    en = conv["script"] == "en"
    contact = (EN_NAMES if en else ZH_NAMES)[k % 20] + ("" if k < 20 else f" {k // 20 + 1}")
    stamp = "Yesterday 9:14 PM" if en else "昨天 21:14"
    msgs = [{"sender": "system", "text": stamp}]
    msgs += [{"sender": m["sender"], "text": m["text"]} for m in conv["messages"]]
    return {"id": f"bench-{k:02d}", "lang": conv["script"], "contact": contact,
            "messages": msgs}


def render_style(convs: list[dict], style: str, out: Path, seed: int = 0) -> list[list[Path]]:
    """Screenshots of each conversation in this style, in page order."""
    from tests.chatgen import render_pages, variants
    from tests.chatgen.io import save_png

    cg_style, theme, variant = STYLES[style]
    files: list[list[Path]] = []
    for k, conv in enumerate(convs):
        mine = []
        for img, truth in render_pages(chatgen_conversation(conv, k), cg_style, theme, seed=seed):
            stem = out / f"c{k:02d}__{style}__part{truth['part']}"
            if variant == "jpeg70":  # as tests.chatgen writes it: the original saved at q70
                path = stem.with_suffix(".jpg")
                img.convert("RGB").save(path, "JPEG", quality=70)
            else:
                path = stem.with_suffix(".png")
                save_png(variants(img)[variant] if variant != "png" else img, path, small=False)
            mine.append(path)
        files.append(mine)
    return files


# ---------------------------------------------------------------------------- app via CLI

def run_scan(files: list[Path], engine: str, timeout: float) -> tuple[dict, float]:
    cmd = [sys.executable, "-m", "desktop", "scan", "--json", "--engine", engine,
           *[str(f) for f in files]]
    t0 = time.time()
    proc = subprocess.run(cmd, capture_output=True, cwd=ROOT, timeout=timeout)
    elapsed = time.time() - t0
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"chatguard scan --engine {engine} exited {proc.returncode}: "
                           + proc.stderr.decode("utf-8", "replace")[-800:])
    return json.loads(proc.stdout.decode("utf-8")), elapsed


def run_text(convs: list[dict], timeout: float,
             raw: list | None = None) -> tuple[list[list[dict]], float]:
    """Clean truth text, each conversation whole; one prediction per truth message.

    ``raw``, when given, receives each conversation's result lines (with their findings)."""
    blocks = ["\n".join(f"{m['sender']}: {one_line(m['text'])}" for m in c["messages"])
              for c in convs]
    t0 = time.time()
    proc = subprocess.run([sys.executable, "-m", "desktop", "text", "--json", "-"],
                          input=("\n\n".join(blocks) + "\n").encode("utf-8"),
                          capture_output=True, cwd=ROOT, timeout=timeout)
    elapsed = time.time() - t0
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"chatguard text exited {proc.returncode}")
    inputs = json.loads(proc.stdout.decode("utf-8"))["inputs"]
    if len(inputs) != len(convs):
        raise RuntimeError(f"chatguard text returned {len(inputs)} inputs for {len(convs)}")
    preds = []
    for c, inp in zip(convs, inputs, strict=True):
        lines = inp.get("lines") or []
        if len(lines) != len(c["messages"]):
            raise RuntimeError(f"{c['id']}: {len(c['messages'])} messages came back as "
                               f"{len(lines)} lines")
        preds.append([dict(line_prediction(ln), kind="text", sim=1.0, cer=0.0,
                           sender=ln.get("sender")) for ln in lines])
        if raw is not None:
            raw.append(lines)
    return preds, elapsed


def ocr_messages(inputs: list[dict]) -> list[dict]:
    """The OCR'd messages of one chat's screenshots, in reading order, duplicates left out."""
    msgs: list[dict] = []
    for inp in inputs:
        groups: dict[int, list[dict]] = {}
        for ln in inp.get("lines") or []:
            if ln.get("duplicate_of") is None:
                groups.setdefault(ln.get("message", ln.get("index")), []).append(ln)
        for _, lines in sorted(groups.items()):
            msgs.append({"lines": lines})
    return msgs


def predict_parts(msgs: list[dict], parts: list[tuple[int, list[int]]]) -> dict:
    lines = [msgs[j]["lines"][k] for j, ks in parts for k in ks]
    flagged, top, cats, best = False, None, set(), (-1, -1.0)
    for ln in lines:
        p = line_prediction(ln)
        if p["flagged"]:
            flagged = True
            cats |= p["cats"]
            for f in ln.get("findings") or []:
                key = (SEV_RANK.get(f.get("severity"), 0), f.get("score") or 0)
                if key[0] >= detect.MIN_SEVERITY and key > best:
                    best, top = key, f.get("category")
    senders = Counter(ln.get("sender") for ln in lines)
    return {"flagged": flagged, "top": top, "cats": cats,
            "sender": senders.most_common(1)[0][0] if senders else None,
            "text": "".join(norm(ln.get("text", "")) for ln in lines)}


def ocr_predict(conv: dict, inputs: list[dict]) -> tuple[list[dict], dict]:
    msgs = ocr_messages(inputs)
    truth = [m["text"] for m in conv["messages"]]
    al = align(truth, [[ln.get("text", "") for ln in m["lines"]] for m in msgs])
    preds = []
    used: set[int] = set()
    for m, a in zip(conv["messages"], al, strict=True):
        used.update(j for j, _ in a["parts"])
        if not a["parts"]:
            preds.append({"flagged": False, "top": None, "cats": set(), "kind": "lost",
                          "sim": 0.0, "cer": 1.0, "sender": None})
            continue
        p = predict_parts(msgs, a["parts"])
        p.update(kind=a["kind"], sim=a["sim"], cer=cer(norm(m["text"]), p.pop("text")))
        preds.append(p)
    info = Counter(ocr_messages=len(msgs))
    tnorm = [norm(m["text"]) for m in conv["messages"]]
    for j in range(len(msgs)):
        if j in used:
            continue
        p = predict_parts(msgs, [(j, list(range(len(msgs[j]["lines"]))))])
        # a re-read of a truth message (overlap the scanner did not mark) or anything else
        # (timestamps, window chrome, a chat list)
        kind = "repeat" if max((similarity(t, p["text"]) for t in tnorm),
                               default=0.0) >= MIN_SIM else "other"
        info["extra"] += 1
        info[f"extra_{kind}"] += 1
        info["extra_flagged"] += p["flagged"]
        info[f"extra_{kind}_flagged"] += p["flagged"]
    return preds, dict(info)


# ---------------------------------------------------------------------------- metrics

def metrics(convs: list[dict], preds: list[list[dict]],
            text_preds: list[list[dict]] | None = None) -> dict:
    m = Counter()
    causes, fp_causes = Counter(), Counter()
    by_script: dict[str, Counter] = {}
    cer_sum = cer_n = 0.0
    for c, ps, tps in zip(convs, preds, text_preds or [None] * len(convs), strict=True):
        sc = by_script.setdefault(c["script"], Counter())
        for k, (msg, p) in enumerate(zip(c["messages"], ps, strict=True)):
            risky = msg["label"] != "none"
            tp = tps[k] if tps else None
            if p["kind"] == "lost":
                m["lost_risky" if risky else "lost_benign"] += 1
            else:
                m["aligned"] += 1
                m["sender_ok"] += p["sender"] == msg["sender"]
                if norm(msg["text"]):
                    cer_sum += p["cer"]
                    cer_n += 1
            if risky:
                m["risky"] += 1
                sc["risky"] += 1
                if p["flagged"]:
                    m["flagged"] += 1
                    sc["flagged"] += 1
                    m["top_right"] += p["top"] == msg["label"]
                    m["cat_among"] += msg["label"] in p["cats"]
                elif tp is not None:
                    causes[miss_cause(msg, p, tp)] += 1
            else:
                m["benign"] += 1
                sc["benign"] += 1
                if p["flagged"]:
                    m["fp"] += 1
                    sc["fp"] += 1
                    if tp is not None:
                        fp_causes["also_on_text" if tp["flagged"] else
                                  ("read_ok" if p["cer"] == 0 and p["kind"] == "1-1"
                                   else "ocr_changed")] += 1
    out = dict(m)
    out["recall"] = m["flagged"] / m["risky"] if m["risky"] else None
    out["fpr"] = m["fp"] / m["benign"] if m["benign"] else None
    out["cat_right"] = m["top_right"] / m["flagged"] if m["flagged"] else None
    out["sender_acc"] = m["sender_ok"] / m["aligned"] if m["aligned"] else None
    out["cer"] = cer_sum / cer_n if cer_n else None
    out["target_met"] = (out["recall"] is not None and out["fpr"] is not None
                         and out["recall"] >= 0.85 and out["fpr"] <= 0.10)
    out["miss_causes"] = dict(causes)
    out["fp_causes"] = dict(fp_causes)
    out["by_script"] = {k: dict(v) for k, v in sorted(by_script.items())}
    return out


def miss_cause(msg: dict, p: dict, tp: dict) -> str:
    if not tp["flagged"]:
        return "text_miss"
    if p["kind"] == "lost":
        return "lost"
    if p["kind"] in ("split", "merged"):
        return "merged_or_split"
    if p["cer"] > 0:
        return "misread"
    if p["sender"] != msg["sender"]:
        return "sender"
    return "read_ok"


# ---------------------------------------------------------------------------- losses (tuning sets only)

def ocr_texts(inputs: list[dict], parts: list[tuple[int, list[int]]]) -> list[str]:
    msgs = ocr_messages(inputs)
    return [msgs[j]["lines"][k].get("text", "") for j, ks in parts for k in ks]


def losses(convs: list[dict], all_inputs: list[list[dict]], text_preds: list[list[dict]],
           text_lines: list[list[dict]]) -> list[dict]:
    """Risky messages flagged on the clean text and missed after OCR, with what to look at."""
    out = []
    for conv, inputs, tps, tls in zip(convs, all_inputs, text_preds, text_lines, strict=True):
        preds, _ = ocr_predict(conv, inputs)
        truth = [m["text"] for m in conv["messages"]]
        msgs = ocr_messages(inputs)
        al = align(truth, [[ln.get("text", "") for ln in m["lines"]] for m in msgs])
        for k, (msg, p, tp) in enumerate(zip(conv["messages"], preds, tps, strict=True)):
            if msg["label"] == "none" or p["flagged"] or not tp["flagged"]:
                continue
            out.append({
                "conv": conv["id"], "index": k, "script": conv["script"],
                "label": msg["label"], "sender": msg["sender"], "ocr_sender": p["sender"],
                "kind": p["kind"], "sim": round(p["sim"], 3), "cer": round(p["cer"], 3),
                "cause": miss_cause(msg, p, tp),
                "truth": msg["text"], "ocr": ocr_texts(inputs, al[k]["parts"]),
                "text_matched": [(f.get("rule"), f.get("severity"), f.get("matched"))
                                 for f in tls[k].get("findings") or []
                                 if SEV_RANK.get(f.get("severity"), 0) >= detect.MIN_SEVERITY],
                "ocr_below": [(f.get("rule"), f.get("severity"), f.get("matched"))
                              for j, ks in al[k]["parts"] for kk in ks
                              for f in msgs[j]["lines"][kk].get("findings") or []],
            })
    return out


def print_losses(engine: str, style: str, items: list[dict]) -> None:
    print(f"\n## Losses {engine}/{style}: {len(items)} risky messages flagged on the clean text, "
          "missed on OCR")
    for it in items:
        print(f"\n- {it['conv']}#{it['index']} [{it['script']}] {it['label']} "
              f"cause={it['cause']} kind={it['kind']} sim={it['sim']} cer={it['cer']} "
              f"sender={it['sender']}->{it['ocr_sender']}")
        print(f"  truth: {it['truth']!r}")
        print(f"  ocr:   {' | '.join(repr(t) for t in it['ocr']) or '(nothing aligned)'}")
        for rule, sev, matched in it["text_matched"]:
            print(f"  text matched: {rule} ({sev}) {matched!r}")
        for rule, sev, matched in it["ocr_below"]:
            print(f"  ocr found (below --min-severity): {rule} ({sev}) {matched!r}")


# ---------------------------------------------------------------------------- report

def f_pct(num: int, den: int) -> str:
    return f"{100.0 * num / den:.1f}% ({num}/{den})" if den else "n/a"


def print_table(rows: list[dict]) -> None:
    print("\n| engine | style | images | s/image | recall risky | FPR benign | category right "
          "| lost risky/benign | extra (flagged) | sender ok | CER | target |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        m = r["metrics"]
        spi = f"{r['seconds'] / r['images']:.1f}" if r.get("images") else "-"
        extra = f"{r['extra']} ({r['extra_flagged']})" if "extra" in r else "-"
        sender = f"{m['sender_acc']:.3f}" if m.get("sender_acc") is not None else "-"
        cer_s = f"{m['cer']:.3f}" if m.get("cer") is not None else "-"
        lost = (f"{m.get('lost_risky', 0)}/{m.get('lost_benign', 0)}"
                if r["engine"] != "text" else "-")
        print(f"| {r['engine']} | {r['style']} | {r.get('images', '-')} | {spi} "
              f"| {f_pct(m.get('flagged', 0), m.get('risky', 0))} "
              f"| {f_pct(m.get('fp', 0), m.get('benign', 0))} "
              f"| {f_pct(m.get('top_right', 0), m.get('flagged', 0))} "
              f"| {lost} | {extra} | {sender} | {cer_s} "
              f"| {'met' if m['target_met'] else 'not met'} |")


def print_causes(rows: list[dict]) -> None:
    ocr_rows = [r for r in rows if r["engine"] != "text"]
    if not ocr_rows:
        return
    print("\nRisky messages missed on OCR, by cause (first that applies):")
    print("| engine | style | " + " | ".join(MISS_CAUSES) + " |")
    print("|---|---|" + "---:|" * len(MISS_CAUSES))
    for r in ocr_rows:
        mc = r["metrics"]["miss_causes"]
        print(f"| {r['engine']} | {r['style']} | "
              + " | ".join(str(mc.get(c, 0)) for c in MISS_CAUSES) + " |")
    for c in MISS_CAUSES:
        print(f"  {c}: {MISS_HELP[c]}")
    print("\nExtra OCR'd messages (aligned to no truth message), flagged in brackets: 'repeat' "
          "re-reads a message of the chat (overlap not marked duplicate_of), 'other' is "
          "timestamps, window chrome, chat lists:")
    for r in ocr_rows:
        x = r.get("extras", {})
        print(f"  {r['engine']:9} {r['style']:12} repeat {x.get('extra_repeat', 0)} "
              f"({x.get('extra_repeat_flagged', 0)}), other {x.get('extra_other', 0)} "
              f"({x.get('extra_other_flagged', 0)})")
    print("\nFalse positives on OCR: also_on_text / read_ok (same text, other context) / "
          "ocr_changed (misread, merged or split):")
    for r in ocr_rows:
        fc = r["metrics"]["fp_causes"]
        print(f"  {r['engine']:9} {r['style']:12} " + ", ".join(
            f"{k} {fc.get(k, 0)}" for k in ("also_on_text", "read_ok", "ocr_changed")))


def print_scripts(rows: list[dict]) -> None:
    scripts = sorted({s for r in rows for s in r["metrics"]["by_script"]})
    print("\nRecall / FPR per script of the conversation:")
    print("| engine | style | " + " | ".join(scripts) + " |")
    print("|---|---|" + "---|" * len(scripts))
    for r in rows:
        bs = r["metrics"]["by_script"]
        cells = []
        for s in scripts:
            c = bs.get(s, {})
            rec = (f"{100 * c.get('flagged', 0) / c['risky']:.0f}%"
                   if c.get("risky") else "n/a")
            fpr = f"{100 * c.get('fp', 0) / c['benign']:.0f}%" if c.get("benign") else "n/a"
            cells.append(f"{rec} / {fpr}")
        print(f"| {r['engine']} | {r['style']} | " + " | ".join(cells) + " |")


# ---------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.detect_ocr",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="first N conversations (0: all)")
    ap.add_argument("--styles", nargs="+", default=DEFAULT_STYLES, choices=list(STYLES))
    ap.add_argument("--engines", nargs="+", default=["rapidocr"], choices=ENGINES)
    ap.add_argument("--min-severity", choices=list(SEV_RANK), default="low",
                    help="count a finding only at or above this severity (default: any)")
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="seconds per screenshot allowed to a scan call (default 120)")
    ap.add_argument("--json", type=Path, help="write all figures to this file")
    ap.add_argument("--conversations", type=Path, nargs="+", default=HOLDOUTS, metavar="PATH",
                    help="conversations.jsonl files to render (default: the held-out sets); "
                         "e.g. the tuning sets tests/data/devset*/conversations.jsonl")
    ap.add_argument("--show-losses", action="store_true",
                    help="print the risky messages flagged on clean text but missed after OCR "
                         "(truth, aligned OCR text, what the text matched); refused on "
                         "held-out files")
    ap.add_argument("--save-scans", type=Path, metavar="DIR",
                    help="write each scan's JSON (with the truth conversations) to DIR; "
                         "refused on held-out files")
    a = ap.parse_args(argv)
    detect.MIN_SEVERITY = SEV_RANK[a.min_severity]
    held_out = [p for p in a.conversations if is_holdout(p)]
    if (a.show_losses or a.save_scans) and held_out:
        ap.error("--show-losses and --save-scans are refused on held-out files (measure only, never tune): "
                 + ", ".join(str(p) for p in held_out))

    from tests.chatgen import fonts

    if not fonts.available():
        print("Noto Sans CJK font not installed: the chat generator cannot render", file=sys.stderr)
        return 1

    convs = load_conversations(a.conversations, a.limit)
    n_msgs = sum(len(c["messages"]) for c in convs)
    n_risky = sum(m["label"] != "none" for c in convs for m in c["messages"])
    which = "held-out" if held_out else "tuning"
    print(f"# Detection on OCR text: {len(convs)} {which} conversations, {n_msgs} messages "
          f"({n_risky} risky, {n_msgs - n_risky} benign); flagged = any finding >= "
          f"{a.min_severity}", flush=True)

    text_lines: list[list[dict]] = []
    text_preds, t_text = run_text(convs, timeout=600, raw=text_lines)
    rows = [{"engine": "text", "style": "clean truth", "seconds": t_text,
             "metrics": metrics(convs, text_preds)}]
    errors: list[str] = []
    t_start = time.time()
    for style in a.styles:
        with tempfile.TemporaryDirectory(prefix="chatguard-detect-ocr-") as tmp:
            files = render_style(convs, style, Path(tmp))
            flat = [f for fs in files for f in fs]
            for engine in a.engines:
                try:
                    doc, secs = run_scan(flat, engine, timeout=a.timeout * len(flat) + 60)
                except (RuntimeError, OSError, subprocess.TimeoutExpired,
                        json.JSONDecodeError) as exc:
                    msg = str(exc).strip().splitlines()[-1] if str(exc).strip() else repr(exc)
                    errors.append(f"{engine}/{style}: {msg}")
                    print(f"  {engine}/{style}: not measured ({msg})", flush=True)
                    continue
                inputs = doc["inputs"]
                if len(inputs) != len(flat):
                    errors.append(f"{engine}/{style}: {len(inputs)} inputs for {len(flat)} files")
                    continue
                preds, extras, pos, per_conv = [], Counter(), 0, []
                for conv, fs in zip(convs, files, strict=True):
                    per_conv.append(inputs[pos:pos + len(fs)])
                    p, info = ocr_predict(conv, per_conv[-1])
                    pos += len(fs)
                    preds.append(p)
                    extras.update({k: v for k, v in info.items() if k.startswith("extra")})
                row = {"engine": engine, "style": style, "images": len(flat), "seconds": secs,
                       "input_errors": sum(1 for i in inputs if i.get("error")),
                       "extra": extras["extra"], "extra_flagged": extras["extra_flagged"],
                       "extras": dict(extras),
                       "metrics": metrics(convs, preds, text_preds)}
                rows.append(row)
                if a.save_scans and not held_out:
                    a.save_scans.mkdir(parents=True, exist_ok=True)
                    (a.save_scans / f"{engine}__{style}.json").write_text(json.dumps(
                        {"conversations": convs, "files": [[f.name for f in fs] for fs in files],
                         "text_lines": text_lines, "scan": doc}, ensure_ascii=False),
                        encoding="utf-8")
                if a.show_losses and not held_out:
                    row["losses"] = losses(convs, per_conv, text_preds, text_lines)
                m = row["metrics"]
                print(f"  {engine}/{style}: {len(flat)} images in {secs:.0f} s, recall "
                      f"{m['recall']:.3f}, FPR {m['fpr']:.3f}", flush=True)
    total = time.time() - t_start

    print_table(rows)
    print("\nTarget (issue 5): recall >= 0.85 at FPR <= 0.10, message by message. "
          "'category right': top category == label, among flagged risky messages. "
          "'extra': OCR'd messages aligned to no truth message (flagged ones in brackets). "
          "CER: mean per aligned message, normalised text.")
    print_causes(rows)
    print_scripts(rows)
    if a.show_losses and not held_out:
        for r in rows:
            if "losses" in r:
                print_losses(r["engine"], r["style"], r["losses"])
    print(f"\nOCR part: {total:.0f} s; clean text: {t_text:.1f} s")
    for e in errors:
        print(f"!! {e}")
    if any(r.get("input_errors") for r in rows):
        print("!! some screenshots could not be scanned: "
              + ", ".join(f"{r['engine']}/{r['style']} {r['input_errors']}"
                          for r in rows if r.get("input_errors")))
    if a.json:
        doc = {"conversations": len(convs), "messages": n_msgs, "risky": n_risky,
               "min_severity": a.min_severity, "rows": rows, "errors": errors,
               "seconds": total}
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=sorted),
                          encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
