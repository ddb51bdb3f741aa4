"""Schema and balance checks for the labelled sets (fast; does not need the app): the devset's
balance, and every set's format (devset, devset2, devset3, devset4, devset5, devset6, devset7,
devset8, devset9, devset10, devset11, devset12, holdout, holdout2), which bench/detect reads."""

import json
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
DEVSET = DATA / "devset"
LABELLED = ("devset", "devset2", "devset3", "devset4", "devset5", "devset6", "devset7", "devset8", "devset9",
            "devset10", "devset11", "devset12", "holdout", "holdout2")
CATEGORIES = {
    "sextortion", "explicit_request", "threat", "money_demand", "personal_info",
    "grooming", "meeting", "location", "impersonation", "investment_scam",
}
SCRIPTS = {"zh-Hans", "zh-Hant", "en", "mixed"}
RISKS = {"none", "low", "medium", "high", "critical"}


def _load(name, folder=DEVSET):
    with (folder / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.mark.parametrize("name", LABELLED)
def test_messages_schema(name):
    msgs = _load("messages.jsonl", DATA / name)
    assert len(msgs) >= 300
    ids = [m["id"] for m in msgs]
    assert len(ids) == len(set(ids)), "duplicate ids"
    texts = [m["text"] for m in msgs]
    assert len(texts) == len(set(texts)), "duplicate texts"
    for m in msgs:
        assert set(m) <= {"id", "text", "sender", "script", "label", "hard_negative", "note", "also"}, m
        assert isinstance(m["text"], str) and m["text"].strip() and "\n" not in m["text"], m["id"]
        assert m["sender"] in {"them", "me"}, m["id"]
        assert m["script"] in SCRIPTS, m["id"]
        assert m["label"] in CATEGORIES | {"none"}, m["id"]
        assert isinstance(m["hard_negative"], bool), m["id"]
        if m["hard_negative"]:
            assert m["label"] == "none", m["id"]
        for a in m.get("also", []):
            assert a in CATEGORIES and a != m["label"], m["id"]
            assert m["label"] != "none", m["id"]


def test_messages_counts():
    msgs = _load("messages.jsonl")
    assert len(msgs) >= 600
    assert sum(m["hard_negative"] for m in msgs) >= 150
    by = Counter((m["label"], m["script"]) for m in msgs)
    for c in CATEGORIES:
        for s in SCRIPTS:
            assert by[(c, s)] >= 1, (c, s)
        assert by[(c, "zh-Hans")] + by[(c, "zh-Hant")] >= 10, c
        assert by[(c, "en")] >= 10, c
    for s in SCRIPTS:
        assert sum(1 for m in msgs if m["hard_negative"] and m["script"] == s) >= 1, s


def test_devset_conversation_counts():
    convs = _load("conversations.jsonl")
    assert len(convs) >= 30
    assert sum(c["label_risk"] == "none" for c in convs) >= 10


@pytest.mark.parametrize("name", LABELLED)
def test_conversations_schema(name):
    convs = _load("conversations.jsonl", DATA / name)
    assert len(convs) >= 10
    ids = [c["id"] for c in convs]
    assert len(ids) == len(set(ids))
    for c in convs:
        assert c["script"] in SCRIPTS and c["label_risk"] in RISKS, c["id"]
        assert set(c["categories"]) <= CATEGORIES, c["id"]
        assert c["messages"], c["id"]
        labels = set()
        for m in c["messages"]:
            assert m["sender"] in {"them", "me"}, c["id"]
            assert m["text"].strip() and "\n" not in m["text"], c["id"]
            assert m["label"] in CATEGORIES | {"none"}, c["id"]
            labels.add(m["label"])
        labels.discard("none")
        assert labels == set(c["categories"]), c["id"]
        assert (c["label_risk"] == "none") == (not labels), c["id"]
