"""Train and measure the learned second opinion (``patterns/learned.py``).

Run from the repository root:

    .venv/bin/python -m bench.learned train        # train on the tuning sets, write the model
    .venv/bin/python -m bench.learned loso         # leave one set out: how it generalises
    .venv/bin/python -m bench.learned check        # the shipped model is what training gives

Training data: the single messages and the conversation lines of the project's own labelled
tuning sets (``TRAIN_SETS``), never the held-out sets (holdout, holdout2) nor any set kept
aside for a blind measurement. The model is a softmax over "none" and the ten categories,
fitted by full-batch Adam with an L2 penalty; numpy only, deterministic.

``loso`` trains on all tuning sets but one and measures on that one, for each set. For the
sets with a stored blind reading of the rules (``--blind DIR``: the rule predictions of the
pack as it was before that set was tuned on, made by ``bench/blind_rules.py``) it also prints
rules alone against rules plus the model, as the analyzer combines them: the model speaks
only on lines from the other party that no rule flagged.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from bench.detect import load_jsonl
from patterns.learned import FORMAT, MODEL_PATH, NONE, LearnedModel, features

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
TRAIN_SETS = ("devset", "devset2", "devset3", "devset4", "devset5", "devset6", "devset7", "devset8",
              "devset9", "devset10", "devset11", "ordinary_en", "ordinary_zh")
CLASSES = (NONE, "sextortion", "explicit_request", "threat", "money_demand", "personal_info",
           "grooming", "meeting", "location", "impersonation", "investment_scam")
MIN_COUNT = 2  # a feature must occur in this many training messages
L2 = 3e-4  # per-sample L2 penalty on the weights
STEPS = 400
LEARNING_RATE = 0.05
THRESHOLD = 0.5  # p(risky) at which the analyzer adds the model's finding
MIN_PROBABILITY = 0.4  # and p(category) at least this
VETO = 0.25  # a built-in rule's finding is set aside where p(risky) is below this


def samples(name: str) -> list[dict]:
    """Every labelled message of a set: its single messages, then its conversations' lines."""
    folder = DATA / name
    out = [{"id": m["id"], "text": m["text"], "sender": m.get("sender", "them"), "label": m["label"],
            "hard": bool(m.get("hard_negative")), "set": name, "kind": "message"}
           for m in load_jsonl(folder / "messages.jsonl")]
    for c in load_jsonl(folder / "conversations.jsonl"):
        for k, m in enumerate(c["messages"]):
            out.append({"id": f"{c['id']}#{k}", "text": m["text"], "sender": m["sender"], "label": m["label"],
                        "hard": False, "set": name, "kind": "conversation"})
    return out


class Matrix:
    """Binary sparse rows (feature index lists, feature 0 the bias) in CSR form."""

    def __init__(self, rows: list[list[int]]) -> None:
        self.n = len(rows)
        self.counts = np.array([len(r) for r in rows], dtype=np.int64)
        self.indptr = np.concatenate([[0], np.cumsum(self.counts)])
        self.indices = np.array([i for r in rows for i in r], dtype=np.int64)
        self.row_of = np.repeat(np.arange(self.n), self.counts)

    def dot(self, w: np.ndarray) -> np.ndarray:
        # reduceat is exact here: every row has at least the constant feature
        return np.add.reduceat(w[self.indices], self.indptr[:-1], axis=0)

    def tdot(self, g: np.ndarray, n_features: int) -> np.ndarray:
        rep = g[self.row_of]
        return np.stack([np.bincount(self.indices, weights=rep[:, c], minlength=n_features)
                         for c in range(g.shape[1])], axis=1)


BIAS = "<bias>"


def fit(train: list[dict], *, l2: float = L2, steps: int = STEPS, min_count: int = MIN_COUNT,
        quiet: bool = True) -> dict:
    feats = [features(s["text"], s["sender"]) for s in train]
    df = Counter(f for fs in feats for f in fs)
    vocab = [BIAS] + sorted(f for f, n in df.items() if n >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    rows = [[0] + sorted(index[f] for f in fs if f in index) for fs in feats]
    x = Matrix(rows)
    y = np.array([CLASSES.index(s["label"]) for s in train])
    k, n, nf = len(CLASSES), len(train), len(vocab)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0
    w = np.zeros((nf, k))
    m1 = np.zeros_like(w)
    m2 = np.zeros_like(w)
    b1, b2, eps = 0.9, 0.999, 1e-8
    penal = np.ones((nf, 1))
    penal[0] = 0.0  # the bias is not penalised
    for t in range(1, steps + 1):
        z = x.dot(w)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        grad = x.tdot(p - onehot, nf) / n + l2 * penal * w
        m1 = b1 * m1 + (1 - b1) * grad
        m2 = b2 * m2 + (1 - b2) * grad * grad
        w -= LEARNING_RATE * (m1 / (1 - b1 ** t)) / (np.sqrt(m2 / (1 - b2 ** t)) + eps)
        if not quiet and (t % 100 == 0 or t == steps):
            loss = -np.mean(np.log(p[np.arange(n), y] + 1e-12))
            print(f"  step {t}: loss {loss:.4f}", file=sys.stderr)
    return {"vocab": vocab, "w": w}


def to_model(model: dict, trained_on: list[str], n_samples: int) -> LearnedModel:
    vocab, w = model["vocab"], model["w"]
    keep = list(range(1, len(vocab)))  # all of them: a message's feature count sets its scale
    meta = {
        "format": FORMAT,
        "about": "ChatGuard's learned second opinion: softmax weights over token n-grams. "
                 "Made by bench/learned.py from the project's own labelled tuning sets.",
        "trained_on": trained_on,
        "samples": n_samples,
        "classes": list(CLASSES),
        "threshold": THRESHOLD,
        "veto": VETO,
        "min_probability": MIN_PROBABILITY,
        "settings": {"min_count": MIN_COUNT, "l2": L2, "steps": STEPS, "learning_rate": LEARNING_RATE},
    }
    # stored as float16: round here, so that the model measured is the model shipped
    weights = w[keep].astype(np.float16).astype(np.float32)
    return LearnedModel(meta, [vocab[i] for i in keep], weights, w[0].astype(np.float32))


def train_model(sets: tuple[str, ...] = TRAIN_SETS, **kw) -> LearnedModel:
    train = [s for name in sets for s in samples(name)]
    return to_model(fit(train, **kw), list(sets), len(train))


# ---------------------------------------------------------------------------- measuring

def read_all(model: LearnedModel, rows: list[dict]) -> list:
    return [model.read(r["text"], speaker=r["sender"]) for r in rows]


def tally(rows: list[dict], flagged: list[bool], cats: list[str | None]) -> dict:
    risky = [i for i, r in enumerate(rows) if r["label"] != NONE]
    benign = [i for i, r in enumerate(rows) if r["label"] == NONE]
    hard = [i for i in benign if rows[i]["hard"]]
    tp = [i for i in risky if flagged[i]]
    return {"risky": len(risky), "caught": len(tp), "benign": len(benign),
            "fp": sum(flagged[i] for i in benign), "hard": len(hard), "hard_fp": sum(flagged[i] for i in hard),
            "cat_right": sum(cats[i] == rows[i]["label"] for i in tp)}


def fmt(t: dict) -> str:
    def pc(a: int, b: int) -> str:
        return f"{100 * a / b:5.1f}%" if b else "  n/a "
    return (f"recall {pc(t['caught'], t['risky'])}  flagged benign {pc(t['fp'], t['benign'])}"
            f" (hard {pc(t['hard_fp'], t['hard'])})  category {pc(t['cat_right'], t['caught'])}")


def blind_rules(blind_dir: Path, name: str, rows: list[dict]) -> list[list | None] | None:
    path = blind_dir / f"{name}.json"
    if not path.exists():
        return None
    doc = json.loads(path.read_text(encoding="utf-8"))
    out: list[list | None] = []
    for r in rows:
        if r["kind"] == "message":
            out.append(doc["messages"].get(r["id"]))
        else:
            cid, k = r["id"].rsplit("#", 1)
            out.append(doc["conversations"][cid]["lines"][int(k)])
    return out


def loso(args: argparse.Namespace) -> int:
    thresholds = [float(x) for x in args.thresholds.split(",")]
    vetoes = [float(x) for x in args.vetoes.split(",")] if args.vetoes else []
    totals: dict[str, Counter] = {}
    for name in args.sets:
        train = [s for other in TRAIN_SETS if other != name for s in samples(other)]
        test = [s for s in samples(name) if s["kind"] == "message" or args.conversations]
        t0 = time.time()
        model = to_model(fit(train, l2=args.l2, steps=args.steps), [], len(train))
        reads = read_all(model, test)
        print(f"{name}: {len(test)} messages, trained on {len(train)} in {time.time() - t0:.0f} s")
        rules = blind_rules(args.blind, name, test) if args.blind else None
        for th in thresholds:
            alone = [rd.risky >= th and rd.probability >= args.min_probability for rd in reads]
            t = tally(test, alone, [rd.category.value for rd in reads])
            print(f"  model alone  @{th:.2f}: {fmt(t)}")
            totals.setdefault(f"model@{th:.2f}", Counter()).update(t)
            if rules is not None:
                comb = [bool(r) or (a and s["sender"] != "me") for r, a, s in zip(rules, alone, test, strict=True)]
                cats = [r[0] if r else rd.category.value for r, rd in zip(rules, reads, strict=True)]
                t = tally(test, comb, cats)
                print(f"  rules+model  @{th:.2f}: {fmt(t)}")
                totals.setdefault(f"rules+model@{th:.2f}", Counter()).update(t)
                for v in vetoes:
                    comb = [(bool(r) and rd.risky >= v) or (a and s["sender"] != "me")
                            for r, a, s, rd in zip(rules, alone, test, reads, strict=True)]
                    t = tally(test, comb, cats)
                    totals.setdefault(f"r+m@{th:.2f} veto<{v:.2f}", Counter()).update(t)
        if rules is not None:
            t = tally(test, [bool(r) for r in rules], [r[0] if r else None for r in rules])
            print(f"  blind rules       : {fmt(t)}")
            totals.setdefault("blind rules", Counter()).update(t)
    print("\nall left-out sets together:")
    for key, t in totals.items():
        print(f"  {key:>18}: {fmt(t)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    tr = sub.add_parser("train", help="train on the tuning sets and write the model file")
    tr.add_argument("--out", type=Path, default=MODEL_PATH)
    lo = sub.add_parser("loso", help="leave one tuning set out, for each set")
    lo.add_argument("--sets", nargs="+", default=[s for s in TRAIN_SETS[1:] if s.startswith("devset")])
    lo.add_argument("--blind", type=Path, default=None, help="folder of blind rule predictions")
    lo.add_argument("--thresholds", default="0.5,0.7,0.8,0.9")
    lo.add_argument("--vetoes", default="", help="also drop rule findings where p(risky) is below these")
    lo.add_argument("--min-probability", type=float, default=MIN_PROBABILITY)
    lo.add_argument("--l2", type=float, default=L2)
    lo.add_argument("--steps", type=int, default=STEPS)
    lo.add_argument("--conversations", action="store_true", help="measure conversation lines too")
    sub.add_parser("check", help="the shipped model is what training gives now")
    args = ap.parse_args(argv)
    if args.cmd == "train":
        t0 = time.time()
        model = train_model()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        model.save(args.out)
        print(f"wrote {args.out}: {len(model.features)} features from {model.meta['samples']} messages "
              f"in {time.time() - t0:.0f} s")
        return 0
    if args.cmd == "loso":
        return loso(args)
    shipped = LearnedModel.load()
    fresh = train_model(shipped.trained_on)
    same = (fresh.meta == shipped.meta and fresh.features == shipped.features
            and np.array_equal(fresh.weights, shipped.weights) and np.allclose(fresh.bias, shipped.bias))
    print("the shipped model is what training gives" if same else "the shipped model differs from training")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
