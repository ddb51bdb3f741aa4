"""Detection benchmark: the app's text path over the independent devset and the SMS corpus.

Run from the repository root:

    .venv/bin/python -m bench.detect                 # app + keyword baseline, all data sets
    .venv/bin/python -m bench.detect --no-sms        # skip the 5971-message SMS corpus
    .venv/bin/python -m bench.detect --json out.json # also write every figure as JSON

The app is called only through the public CLI contract (docs/contract.md, "Text input"):
``python -m desktop text --json -`` with one message per line, ``them:``/``me:`` prefixes and a
blank line between conversations. Every single message is sent as its own one-line
conversation, so it is scored without context; whole conversations are sent as such.
Everything goes through a few batched CLI calls.

The keyword baseline is a deliberately trivial comparison point: a message is flagged when it
contains any of ~20 obvious words; its "category" is that of the first word found.
"""

from __future__ import annotations

import argparse
import csv
import json
import shlex
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "tests" / "data" / "devset"
SMS_CSV = Path("/work/shared/data/sms_smishing_5971/Dataset_5971.csv")

CATEGORIES = [
    "sextortion", "explicit_request", "threat", "money_demand", "personal_info",
    "grooming", "meeting", "location", "impersonation", "investment_scam",
]
SCRIPTS = ["zh-Hans", "zh-Hant", "en", "mixed"]
RISKS = ["none", "low", "medium", "high", "critical"]
SEV_RANK = {"low": 1, "medium": 2, "high": 3, "critical": 4}
SHORT = {
    "sextortion": "sext", "explicit_request": "expl", "threat": "thrt", "money_demand": "mony",
    "personal_info": "pinf", "grooming": "grom", "meeting": "meet", "location": "loc",
    "impersonation": "imp", "investment_scam": "inv", "none": "none", None: "-",
}

# Trivial baseline: fixed list, never tuned on the devset beyond "obvious words".
BASELINE_KEYWORDS = [
    ("裸照", "sextortion"), ("nudes", "explicit_request"), ("私密照", "explicit_request"),
    ("报警", "threat"), ("kill", "threat"),
    ("转账", "money_demand"), ("gift card", "money_demand"), ("礼品卡", "money_demand"),
    ("苹果卡", "money_demand"), ("wire", "money_demand"),
    ("验证码", "personal_info"), ("password", "personal_info"), ("SSN", "personal_info"),
    ("几岁", "grooming"), ("how old", "grooming"),
    ("见面", "meeting"), ("location", "location"), ("位置", "location"),
    ("安全账户", "impersonation"), ("领事馆", "impersonation"), ("police", "impersonation"),
    ("USDT", "investment_scam"), ("稳赚", "investment_scam"),
]


# ---------------------------------------------------------------------------- data

def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_sms(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            text = " ".join((row.get("TEXT") or "").split())
            if not text:
                continue
            rows.append({"id": f"sms-{i}", "text": text, "sender": "them",
                         "label": (row.get("label") or "").strip().lower()})
    return rows


# ---------------------------------------------------------------------------- app via CLI

def one_line(text: str) -> str:
    # the contract is one message per line; a message must not smuggle in a line break
    return " ".join(text.split())


def run_cli(conversations: list[list[tuple[str, str]]], cli: list[str], batch: int,
            timeout: float) -> list[dict]:
    """Send conversations (lists of (sender, text)) to the CLI; return one `inputs` entry each."""
    out: list[dict] = []
    for start in range(0, len(conversations), batch):
        chunk = conversations[start:start + batch]
        blocks = ["\n".join(f"{s}: {one_line(t)}" for s, t in conv) for conv in chunk]
        stdin = "\n\n".join(blocks) + "\n"
        proc = subprocess.run(cli, input=stdin.encode("utf-8"), capture_output=True,
                              cwd=ROOT, timeout=timeout)
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"CLI {' '.join(cli)} exited {proc.returncode}:\n"
                               + proc.stderr.decode("utf-8", "replace")[-2000:])
        try:
            doc = json.loads(proc.stdout.decode("utf-8"))
        except json.JSONDecodeError as exc:
            raise RuntimeError(f"CLI stdout is not JSON ({exc}); stderr:\n"
                               + proc.stderr.decode("utf-8", "replace")[-2000:]) from exc
        inputs = doc.get("inputs", [])
        if len(inputs) != len(chunk):
            raise RuntimeError(f"CLI returned {len(inputs)} inputs for {len(chunk)} conversations")
        for conv, inp in zip(chunk, inputs, strict=False):
            n_lines = len(inp.get("lines") or [])
            if inp.get("error") is None and n_lines != len(conv):
                raise RuntimeError(f"conversation of {len(conv)} messages came back with "
                                   f"{n_lines} lines: {conv[0][1][:60]!r}")
        out.extend(inputs)
    return out


MIN_SEVERITY = 1  # set by --min-severity; findings below it are ignored


def line_prediction(line: dict) -> dict:
    findings = [f for f in line.get("findings") or []
                if SEV_RANK.get(f.get("severity"), 0) >= MIN_SEVERITY]
    if not findings:
        return {"flagged": False, "top": None, "cats": set(), "severity": None}
    best = max(findings, key=lambda f: (SEV_RANK.get(f.get("severity"), 0), f.get("score") or 0))
    return {"flagged": True, "top": best.get("category"),
            "cats": {f.get("category") for f in findings}, "severity": best.get("severity")}


def app_predict(msgs: list[dict], convs: list[dict], cli: list[str], batch: int, timeout: float):
    single = [[(m.get("sender", "them"), m["text"])] for m in msgs]
    whole = [[(m["sender"], m["text"]) for m in c["messages"]] for c in convs]
    t0 = time.time()
    res = run_cli(single + whole, cli, batch, timeout)
    elapsed = time.time() - t0
    msg_pred = []
    for inp in res[:len(single)]:
        lines = inp.get("lines") or []
        msg_pred.append(line_prediction(lines[0]) if lines else
                        {"flagged": False, "top": None, "cats": set(), "severity": None,
                         "error": inp.get("error")})
    conv_pred = []
    for inp in res[len(single):]:
        # conversation risk is the app's own verdict (summary.risk), not re-thresholded
        conv_pred.append({"risk": (inp.get("summary") or {}).get("risk", "none"),
                          "cats": set((inp.get("summary") or {}).get("categories") or []),
                          "lines": [line_prediction(ln) for ln in inp.get("lines") or []]})
    return msg_pred, conv_pred, elapsed


def sms_app_predict(rows: list[dict], cli: list[str], batch: int, timeout: float):
    res = run_cli([[("them", r["text"])] for r in rows], cli, batch, timeout)
    return [line_prediction((inp.get("lines") or [{}])[0]) for inp in res]


# ---------------------------------------------------------------------------- baseline

def baseline_line(text: str) -> dict:
    low = text.lower()
    cats = [c for k, c in BASELINE_KEYWORDS if k.lower() in low]
    if not cats:
        return {"flagged": False, "top": None, "cats": set(), "severity": None}
    return {"flagged": True, "top": cats[0], "cats": set(cats), "severity": "high"}


def baseline_predict(msgs: list[dict], convs: list[dict]):
    msg_pred = [baseline_line(m["text"]) for m in msgs]
    conv_pred = []
    for c in convs:
        lines = [baseline_line(m["text"]) for m in c["messages"]]
        cats = set().union(*(x["cats"] for x in lines)) if lines else set()
        conv_pred.append({"risk": "high" if cats else "none", "cats": cats, "lines": lines})
    return msg_pred, conv_pred


# ---------------------------------------------------------------------------- metrics

def pct(num: int, den: int) -> str:
    return f"{100.0 * num / den:5.1f}% ({num}/{den})" if den else "    n/a"


def ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def message_metrics(msgs: list[dict], pred: list[dict]) -> dict:
    m: dict = {"recall_by_category": {}, "recall_by_script": {}, "fpr_by_script": {}}
    risky = [(x, p) for x, p in zip(msgs, pred, strict=False) if x["label"] != "none"]
    benign = [(x, p) for x, p in zip(msgs, pred, strict=False) if x["label"] == "none"]
    hard = [(x, p) for x, p in benign if x.get("hard_negative")]
    plain = [(x, p) for x, p in benign if not x.get("hard_negative")]
    for c in CATEGORIES:
        sel = [(x, p) for x, p in risky if x["label"] == c]
        det = sum(p["flagged"] for _, p in sel)
        right = sum(p["flagged"] and c in p["cats"] for _, p in sel)
        m["recall_by_category"][c] = {"n": len(sel), "flagged": det, "with_category": right}
    for s in SCRIPTS:
        sel = [(x, p) for x, p in risky if x["script"] == s]
        ben = [(x, p) for x, p in benign if x["script"] == s]
        m["recall_by_script"][s] = {"n": len(sel), "flagged": sum(p["flagged"] for _, p in sel)}
        m["fpr_by_script"][s] = {"n": len(ben), "flagged": sum(p["flagged"] for _, p in ben)}
    m["risky"] = {"n": len(risky), "flagged": sum(p["flagged"] for _, p in risky)}
    m["benign"] = {"n": len(benign), "flagged": sum(p["flagged"] for _, p in benign)}
    m["hard_negative"] = {"n": len(hard), "flagged": sum(p["flagged"] for _, p in hard)}
    m["ordinary_benign"] = {"n": len(plain), "flagged": sum(p["flagged"] for _, p in plain)}
    detected = [(x, p) for x, p in risky if p["flagged"]]
    m["category_accuracy"] = {
        "n": len(detected),
        "top_is_label": sum(p["top"] == x["label"] for x, p in detected),
        "top_in_label_or_also": sum(p["top"] in {x["label"], *x.get("also", [])}
                                    for x, p in detected),
    }
    conf: dict = defaultdict(Counter)
    for x, p in zip(msgs, pred, strict=False):
        conf[x["label"]][p["top"] if p["flagged"] else None] += 1
    m["confusion"] = {k: {str(kk): vv for kk, vv in v.items()} for k, v in conf.items()}
    m["_confusion"] = conf
    m["missed"] = [x["id"] for x, p in risky if not p["flagged"]]
    m["false_positives"] = [x["id"] for x, p in benign if p["flagged"]]
    return m


def conversation_metrics(convs: list[dict], pred: list[dict]) -> dict:
    m: dict = {"n": len(convs)}
    exact = binary = within1 = 0
    table: dict = defaultdict(Counter)
    cat_hit = cat_tot = 0
    line_tp = line_pos = line_fp = line_neg = 0
    for c, p in zip(convs, pred, strict=False):
        t, r = c["label_risk"], p["risk"] if p["risk"] in RISKS else "none"
        table[t][r] += 1
        exact += t == r
        binary += (t == "none") == (r == "none")
        within1 += abs(RISKS.index(t) - RISKS.index(r)) <= 1
        cat_tot += len(c["categories"])
        cat_hit += len(set(c["categories"]) & p["cats"])
        for msg, lp in zip(c["messages"], p["lines"], strict=False):
            if msg["label"] == "none":
                line_neg += 1
                line_fp += lp["flagged"]
            else:
                line_pos += 1
                line_tp += lp["flagged"]
    m.update(exact=exact, binary=binary, within_one=within1, category_hits=cat_hit,
             category_total=cat_tot, line_recall={"n": line_pos, "flagged": line_tp},
             line_fpr={"n": line_neg, "flagged": line_fp})
    m["risk_table"] = {k: dict(v) for k, v in table.items()}
    m["disagreements"] = [f"{c['id']}: want {c['label_risk']} got {p['risk']}"
                          for c, p in zip(convs, pred, strict=False) if c["label_risk"] != p["risk"]]
    return m


def sms_metrics(rows: list[dict], pred: list[dict]) -> dict:
    out: dict = {}
    for lab in sorted({r["label"] for r in rows}):
        sel = [p for r, p in zip(rows, pred, strict=False) if r["label"] == lab]
        cats = Counter(p["top"] for p in sel if p["flagged"])
        out[lab] = {"n": len(sel), "flagged": sum(p["flagged"] for p in sel),
                    "top_categories": dict(cats.most_common(5))}
    return out


# ---------------------------------------------------------------------------- report

def side_by_side(title: str, rows: list[tuple[str, ...]], heads: tuple[str, ...] = ("app", "keyword baseline")) -> None:
    print(f"\n## {title}")
    print(f"{'':28}" + "".join(f" {h:>20}  " for h in heads))
    for name, *vals in rows:
        print(f"{name:28}" + "".join(f" {v:>20}  " for v in vals))


def print_confusion(name: str, conf: dict) -> None:
    cols = CATEGORIES + [None]
    print(f"\n## Confusion ({name}): rows = true label, columns = predicted top category, '-' = not flagged")
    print(f"{'':18}" + "".join(f"{SHORT[c]:>6}" for c in cols))
    for lab in CATEGORIES + ["none"]:
        row = conf.get(lab, Counter())
        print(f"{lab:18}" + "".join(f"{row.get(c, 0):>6}" for c in cols))


def print_risk_table(name: str, table: dict) -> None:
    print(f"\n## Conversation risk ({name}): rows = labelled, columns = predicted")
    print(f"{'':10}" + "".join(f"{r:>10}" for r in RISKS))
    for t in RISKS:
        row = table.get(t, {})
        print(f"{t:10}" + "".join(f"{row.get(r, 0):>10}" for r in RISKS))


def report(app: dict | None, base: dict, app_error: str | None, devset: Path = DEVSET,
           rules: dict | None = None) -> None:
    """``rules``: the app with ``--rules-only`` (the pattern rules without the learned second
    opinion), printed in a column of its own when measured."""
    A = app or {}
    cols: list[tuple[str, dict]] = [("app", A)]
    if rules:
        cols.append(("rules only", rules))
    cols.append(("keyword baseline", base))
    heads = tuple(h for h, _ in cols)

    def cell(mm: dict, path: list[str], num: str = "flagged") -> str:
        d = mm
        for p in path:
            d = d.get(p, {}) if isinstance(d, dict) else {}
        return pct(d.get(num, 0), d.get("n", 0)) if d else "-"

    def row(name: str, part: str, path: list[str], num: str = "flagged") -> tuple[str, ...]:
        return (name, *(cell(c.get(part, {}), path, num) for _h, c in cols))

    def table(title: str, rows: list[tuple[str, ...]]) -> None:
        side_by_side(title, rows, heads)

    try:
        shown = devset.resolve().relative_to(ROOT)
    except ValueError:
        shown = devset
    print(f"# ChatGuard detection benchmark (devset: {shown})")
    if app_error:
        print(f"\n!! app {'partly ' if app else ''}not measured: {app_error}")
    elif app:
        print(f"app CLI time: {A['elapsed']:.1f}s for {A['n_inputs']} inputs")

    table("Recall per category (flagged at all)",
          [row(c, "msg", ["recall_by_category", c]) for c in CATEGORIES])
    table("Recall per category (flagged with the labelled category among findings)",
          [row(c, "msg", ["recall_by_category", c], "with_category") for c in CATEGORIES])
    table("Recall per script (risky messages)",
          [row(s, "msg", ["recall_by_script", s]) for s in SCRIPTS] + [row("ALL risky", "msg", ["risky"])])
    rows = [row("benign (all)", "msg", ["benign"]), row("  hard negatives", "msg", ["hard_negative"]),
            row("  ordinary benign", "msg", ["ordinary_benign"])]
    rows += [row(f"  script {s}", "msg", ["fpr_by_script", s]) for s in SCRIPTS]
    table("False-positive rate (benign messages flagged)", rows)

    def acc(key: str) -> tuple[str, ...]:
        out = []
        for _h, c in cols:
            ca = c.get("msg", {}).get("category_accuracy", {})
            out.append(pct(ca.get(key, 0), ca.get("n", 0)) if ca else "-")
        return tuple(out)
    table("Category accuracy among detected risky messages", [
        ("top == label", *acc("top_is_label")), ("top in label + also", *acc("top_in_label_or_also"))])
    if app:
        print_confusion("app", A["msg"]["_confusion"])
    print_confusion("keyword baseline", base["msg"]["_confusion"])

    n = base["conv"]["n"]

    def conv(key: str, den: str | None = None) -> tuple[str, ...]:
        out = []
        for _h, c in cols:
            cc = c.get("conv", {})
            out.append(pct(cc.get(key, 0), cc.get(den, 0) if den else n) if cc else "-")
        return tuple(out)
    table(f"Conversations ({n})", [
        ("risk exact", *conv("exact")), ("risk within one level", *conv("within_one")),
        ("risky vs none agrees", *conv("binary")), ("categories found", *conv("category_hits", "category_total")),
        row("risky lines flagged", "conv", ["line_recall"]), row("benign lines flagged", "conv", ["line_fpr"]),
    ])
    if app:
        ac = A["conv"]
        print_risk_table("app", ac["risk_table"])
        if ac["disagreements"]:
            print("  disagreements: " + "; ".join(ac["disagreements"]))

    if "sms" in base:
        labs = sorted(base["sms"])
        table(f"SMS corpus {SMS_CSV.name} (English; ham should stay unflagged)",
              [row(f"{lab} flagged", "sms", [lab]) for lab in labs])
        if A.get("sms"):
            for lab in labs:
                print(f"  app top categories on {lab}: {A['sms'][lab]['top_categories']}")

    if app:
        am = A["msg"]
        print(f"\nmissed risky message ids ({len(am['missed'])}): " + " ".join(am["missed"]))
        print(f"false-positive ids ({len(am['false_positives'])}): " + " ".join(am["false_positives"]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset", type=Path, default=DEVSET)
    ap.add_argument("--sms", type=Path, default=SMS_CSV)
    ap.add_argument("--no-sms", action="store_true", help="skip the SMS corpus")
    ap.add_argument("--baseline-only", action="store_true", help="do not call the app")
    ap.add_argument("--cli", default=None,
                    help="command to run instead of '<python> -m desktop text --json -' "
                         "(for testing the bench itself)")
    ap.add_argument("--batch", type=int, default=1000, help="conversations per CLI call")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per CLI call")
    ap.add_argument("--min-severity", choices=list(SEV_RANK), default="low",
                    help="count an app finding only at or above this severity (default: any)")
    ap.add_argument("--json", type=Path, help="write all figures to this file")
    ap.add_argument("--no-rules-only", action="store_true",
                    help="skip the second app run with --rules-only (the rules without the learned model)")
    args = ap.parse_args(argv)
    global MIN_SEVERITY
    MIN_SEVERITY = SEV_RANK[args.min_severity]

    cli = shlex.split(args.cli) if args.cli else [sys.executable, "-m", "desktop", "text", "--json", "-"]
    msgs = load_jsonl(args.devset / "messages.jsonl")
    convs = load_jsonl(args.devset / "conversations.jsonl")
    sms = [] if args.no_sms or not args.sms.exists() else load_sms(args.sms)

    bmp, bcp = baseline_predict(msgs, convs)
    base = {"msg": message_metrics(msgs, bmp), "conv": conversation_metrics(convs, bcp)}
    if sms:
        base["sms"] = sms_metrics(sms, [baseline_line(r["text"]) for r in sms])

    app = None
    app_error = None
    if not args.baseline_only:
        try:
            amp, acp, elapsed = app_predict(msgs, convs, cli, args.batch, args.timeout)
            app = {"msg": message_metrics(msgs, amp), "conv": conversation_metrics(convs, acp),
                   "elapsed": elapsed, "n_inputs": len(msgs) + len(convs)}
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            app_error = str(exc).strip().splitlines()[-1] if str(exc).strip() else repr(exc)
        if app is not None and sms:
            try:
                app["sms"] = sms_metrics(sms, sms_app_predict(sms, cli, args.batch, args.timeout))
            except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
                app_error = "SMS corpus: " + (str(exc).strip().splitlines()[-1]
                                              if str(exc).strip() else repr(exc))

    rules = None
    if app is not None and not args.no_rules_only and not args.cli:
        try:
            rmp, rcp, _elapsed = app_predict(msgs, convs, cli + ["--rules-only"], args.batch, args.timeout)
            rules = {"msg": message_metrics(msgs, rmp), "conv": conversation_metrics(convs, rcp)}
            if sms:
                rules["sms"] = sms_metrics(sms, sms_app_predict(sms, cli + ["--rules-only"], args.batch,
                                                                args.timeout))
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            print(f"rules-only run failed: {exc}", file=sys.stderr)

    report(app, base, app_error, args.devset, rules)
    if args.json:
        def clean(d):
            return {k: v for k, v in d.items() if not k.startswith("_")}
        doc = {"baseline": {k: clean(v) if k == "msg" else v for k, v in base.items()},
               "rules_only": None if rules is None else {k: clean(v) if k == "msg" else v
                                                         for k, v in rules.items()},
               "app": None if app is None else {k: clean(v) if k == "msg" else v
                                                for k, v in app.items()},
               "app_error": app_error}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=sorted),
                             encoding="utf-8")
    return 0 if app_error is None else 1


if __name__ == "__main__":
    sys.exit(main())
