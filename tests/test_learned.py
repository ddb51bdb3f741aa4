"""The learned second opinion (patterns/learned.py, trained by bench/learned.py), with the real
shipped model and the real built-in pack."""

from __future__ import annotations

import json
import multiprocessing
import zipfile
from pathlib import Path

import numpy as np
import pytest

from patterns import Analyzer, Message, Speaker
from patterns import learned as learned_mod
from patterns.learned import MODEL_PATH, LearnedError, LearnedModel
from patterns.types import Category, Severity

from .test_cli import run

# Risky lines of kinds the rules do not anticipate: the material and the harm only implied.
# (The rules alone must miss them, asserted below, or the test proves nothing.)
UNSEEN_RISKY = [
    "Your church has a Facebook page, doesn't it? I bet the pastor would love my folder of you",
    "你那些东西我都存着呢，你老公微信我也有，自己掂量",
]
# An ordinary line that a built-in rule flags and the model reads as ordinary.
ORDINARY_RULE_HIT = "到了飯店記得傳個定位給我，我比較安心"

HELD_OUT = {"holdout", "holdout2"}
MEASURED_ON = {"devset12"}  # the fresh set the shipped model was judged on


@pytest.fixture(scope="module")
def with_model() -> Analyzer:
    an = Analyzer.load(())
    assert an.learned is not None
    return an


@pytest.fixture(scope="module")
def rules_only() -> Analyzer:
    an = Analyzer.load((), learned=False)
    assert an.learned is None
    return an


def rule_ids(an: Analyzer, text: str, who: Speaker = Speaker.THEM) -> set[str]:
    return {f.rule for f in an.raw_findings([Message(text, who)])[0]}


def test_the_shipped_model_is_valid_and_never_saw_the_held_out_sets():
    model = LearnedModel.load()
    assert model.classes[0] == "none" and set(model.classes[1:]) == {c.value for c in Category}
    assert model.trained_on and not (set(model.trained_on) & (HELD_OUT | MEASURED_ON))
    assert all(name.startswith(("devset", "ordinary")) for name in model.trained_on)
    assert 0 < model.veto < model.threshold <= 1
    assert len(model.features) > 10_000


def test_retraining_gives_the_shipped_model():
    """The model file is reproducible from its recipe (bench/learned.py) and the data."""
    from bench.learned import train_model

    shipped = LearnedModel.load()
    fresh = train_model(shipped.trained_on)
    assert fresh.meta == shipped.meta
    assert fresh.features == shipped.features
    assert np.array_equal(fresh.weights, shipped.weights)
    assert np.allclose(fresh.bias, shipped.bias)


@pytest.mark.parametrize("text", UNSEEN_RISKY)
def test_the_model_flags_what_no_rule_matched(with_model, rules_only, text):
    assert rule_ids(rules_only, text) == set()
    [found] = with_model.raw_findings([Message(text, Speaker.THEM)])
    learned = [f for f in found if f.rule.startswith(learned_mod.RULE_PREFIX)]
    assert len(learned) == 1, found
    f = learned[0]
    assert f.rule == learned_mod.RULE_PREFIX + f.category.value
    assert f.severity == Severity.MEDIUM and f.advice == f.category.value
    assert f.category in (Category.SEXTORTION, Category.THREAT)
    assert with_model.learned.threshold * 100 <= f.score <= 100
    a, b = f.span
    assert 0 <= a < b <= len(text)
    words = f.matched.split(" / ")
    assert words and all(w and w in text[a:b] for w in words)
    assert set(f.explain) == {"en", "zh-Hans", "zh-Hant"}
    for lang, sentence in f.explain.items():
        assert f"{int(f.score)}%" in sentence and "ChatGuard" in sentence, lang


@pytest.mark.parametrize("text", UNSEEN_RISKY)
def test_the_model_never_flags_the_users_own_lines(with_model, text):
    assert not any(r.startswith(learned_mod.RULE_PREFIX) for r in rule_ids(with_model, text, Speaker.ME))
    assert not any(r.startswith(learned_mod.RULE_PREFIX) for r in rule_ids(with_model, text, Speaker.SYSTEM))


def test_the_model_reads_both_scripts_and_full_width_alike(with_model):
    from opencc import OpenCC

    model = with_model.learned
    simplified = UNSEEN_RISKY[1]
    traditional = OpenCC("s2t").convert(simplified)
    assert traditional != simplified
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in UNSEEN_RISKY[0])
    assert model.read(traditional).risky == pytest.approx(model.read(simplified).risky, abs=1e-6)
    assert model.read(full_width).risky == pytest.approx(model.read(UNSEEN_RISKY[0]).risky, abs=1e-6)


def test_a_builtin_rule_is_set_aside_on_a_line_the_model_reads_as_ordinary(with_model, rules_only):
    assert rule_ids(rules_only, ORDINARY_RULE_HIT)  # a rule does fire on it
    assert with_model.learned.read(ORDINARY_RULE_HIT).risky < with_model.learned.veto
    assert rule_ids(with_model, ORDINARY_RULE_HIT) == set()


@pytest.mark.parametrize(("text", "rule"), [
    ("my ssn is 123-45-6789", "personal_info.ssn-number-shared"),
    ("my card number is 4111 1111 1111 1111", "personal_info.card-number-shared"),
])
def test_a_finding_on_a_number_is_never_set_aside(with_model, text, rule):
    """An SSN or card number in the line is a fact the model, reading words, cannot weigh:
    sent alone, in a calm tone, it is still flagged (the model set it aside before)."""
    for who in (Speaker.ME, Speaker.THEM):
        assert rule in rule_ids(with_model, text, who)


def test_the_users_own_rules_are_never_set_aside(tmp_path, rules_only):
    fired = rule_ids(rules_only, ORDINARY_RULE_HIT)
    (tmp_path / "mine.yaml").write_text(
        "rules:\n  - id: mine.where-are-you\n    category: location\n    severity: low\n"
        "    phrases: ['传个定位给我']\n    explain: {zh-Hans: 我的规则, zh-Hant: 我的規則, en: my rule}\n",
        encoding="utf-8")
    an = Analyzer.load((tmp_path,))
    assert an.learned is not None and "mine.where-are-you" not in an.builtin
    got = rule_ids(an, ORDINARY_RULE_HIT)
    assert "mine.where-are-you" in got
    assert not (got & fired)  # the built-in ones are still set aside


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_batches_on_several_cores_give_the_same_findings_with_the_model(with_model, monkeypatch, method):
    from patterns import parallel

    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context(method))
    texts = [*UNSEEN_RISKY, ORDINARY_RULE_HIT, "我们今晚吃饭吗", "send me $500 in gift cards now or else"]
    convs = [[Message(t, Speaker.THEM), Message(texts[(i + 1) % len(texts)], Speaker.ME)]
             for i, t in enumerate(texts * 4)]
    want = [with_model.raw_findings(c) for c in convs]
    got = parallel.raw_findings_many(with_model, convs, workers=2, min_messages=10)
    assert got == want
    assert any(f.rule.startswith(learned_mod.RULE_PREFIX) for conv in got for msg in conv for f in msg)


def _write_model(path: Path, **change) -> None:
    with np.load(MODEL_PATH) as z:
        arrays = {k: z[k] for k in z.files}
    arrays.update(change)
    np.savez(path, **arrays)


def test_a_broken_model_file_is_refused_with_a_clear_error(tmp_path):
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(LearnedError, match="cannot read"):
        LearnedModel.load(junk)
    with pytest.raises(LearnedError, match="cannot read"):
        LearnedModel.load(tmp_path / "missing.npz")
    wrong_shape = tmp_path / "shape.npz"
    _write_model(wrong_shape, bias=np.zeros(3, dtype=np.float32))
    with pytest.raises(LearnedError, match="do not fit"):
        LearnedModel.load(wrong_shape)
    with np.load(MODEL_PATH) as z:
        meta = json.loads(str(z["meta"]))
    meta["classes"] = [*meta["classes"][:-1], "gossip"]
    unknown = tmp_path / "unknown.npz"
    _write_model(unknown, meta=np.array(json.dumps(meta)))
    with pytest.raises(LearnedError, match="unknown categories"):
        LearnedModel.load(unknown)
    assert zipfile.is_zipfile(unknown)


def test_without_its_model_file_the_app_falls_back_to_the_rules(tmp_path, monkeypatch, caplog):
    broken = tmp_path / "scorer.npz"
    broken.write_bytes(b"\x00" * 64)
    monkeypatch.setattr(learned_mod, "MODEL_PATH", broken)
    learned_mod.default_model.cache_clear()
    try:
        an = Analyzer.load(())
        assert an.learned is None
        assert "learned second opinion is off" in caplog.text
        assert rule_ids(an, "send me $500 in gift cards now or your pics go to your school")
    finally:
        learned_mod.default_model.cache_clear()


def test_the_command_line_can_switch_the_model_off():
    text = f"them: {UNSEEN_RISKY[0]}\n"
    on = json.loads(run("text", "--json", "-", stdin=text).stdout)
    off = json.loads(run("text", "--json", "--rules-only", "-", stdin=text).stdout)
    assert on["tool"]["learned"] and off["tool"]["learned"] is None
    rules_on = [f["rule"] for ln in on["inputs"][0]["lines"] for f in ln["findings"]]
    rules_off = [f["rule"] for ln in off["inputs"][0]["lines"] for f in ln["findings"]]
    assert any(r.startswith("learned.") for r in rules_on) and rules_off == []
