"""The start-up cache of the built-in pack (patterns/cache.py): used only when it matches the
pack and the code, gives the same findings as the pack loaded from its files, and a stale or
damaged cache is ignored, never an error."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from patterns import Analyzer, Message, Speaker, cache
from patterns.advice import ADVICE_DIR, AdviceCatalogue
from patterns.pack import BUILTIN_DIR, load_packs

from .conftest import ROOT

DEVSET = ROOT / "tests" / "data" / "devset" / "messages.jsonl"


@pytest.fixture(scope="module")
def packdir(tmp_path_factory) -> Path:
    """A copy of the built-in pack with its cache built beside it."""
    d = tmp_path_factory.mktemp("packs") / "packs"
    shutil.copytree(BUILTIN_DIR, d, ignore=shutil.ignore_patterns(cache.CACHE_NAME, "*.tmp"))
    assert cache.build(d) == d / cache.CACHE_NAME
    return d


def _findings(an: Analyzer, texts: list[str]) -> list[list[tuple[str, str, tuple[int, int]]]]:
    convs = [[Message(t, Speaker.THEM)] for t in texts]
    return [[(f.rule, f.matched, f.span) for f in msg] for conv in convs for msg in an.raw_findings(conv)]


def test_cached_pack_finds_exactly_what_the_files_find(packdir):
    got = cache.load(packdir)
    assert got is not None
    pack, matcher = got
    fresh, problems = load_packs(packdir)
    assert not problems
    assert [r.id for r in pack.rules] == [r.id for r in fresh.rules]
    assert pack.files == fresh.files  # the files where they are now, not where the cache was built
    advice = AdviceCatalogue.load(ADVICE_DIR)
    cached_an = Analyzer(pack, advice, matcher=matcher, cache_size=0)
    assert cached_an.matcher is matcher  # used, not rebuilt
    files_an = Analyzer(fresh, advice, cache_size=0)
    texts = [json.loads(row)["text"] for row in DEVSET.read_text(encoding="utf-8").splitlines() if row.strip()]
    a, b = _findings(cached_an, texts), _findings(files_an, texts)
    assert sum(map(len, a)) > 300  # the devset is mostly risky: this compares real findings
    assert a == b


def test_a_changed_pack_file_makes_the_cache_stale(packdir, tmp_path):
    d = tmp_path / "packs"
    shutil.copytree(packdir, d)
    assert cache.load(d) is not None
    target = sorted(d.glob("*.yaml"))[-1]
    target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert cache.load(d) is None


def test_a_damaged_cache_is_ignored_with_a_warning(packdir, tmp_path, caplog):
    d = tmp_path / "packs"
    shutil.copytree(packdir, d)
    f = d / cache.CACHE_NAME
    data = f.read_bytes()
    head_end = data.index(b"\n", data.index(b"\n") + 1) + 1  # format line + key line kept
    f.write_bytes(data[:head_end] + b"\x80\x05not a pickle at all")
    with caplog.at_level(logging.WARNING, logger="patterns.cache"):
        assert cache.load(d) is None
    assert "damaged" in caplog.text
    f.write_bytes(b"something else entirely\n")
    assert cache.load(d) is None
    f.unlink()
    assert cache.load(d) is None


def test_key_changes_with_the_code_but_not_with_file_names():
    digest = cache.code_digest()
    assert digest is not None and len(digest) == 64
    assert cache.code_digest() == digest
    code = compile("x = 1\ndef f():\n    return 2\n", "/somewhere/a.py", "exec")
    other = compile("x = 1\ndef f():\n    return 2\n", "elsewhere/b.py", "exec")
    changed = compile("x = 1\ndef f():\n    return 3\n", "/somewhere/a.py", "exec")
    import marshal

    strip = cache._strip_filenames  # noqa: SLF001 - the rule the key relies on
    assert marshal.dumps(strip(code)) == marshal.dumps(strip(other))
    assert marshal.dumps(strip(code)) != marshal.dumps(strip(changed))


def test_a_user_pack_is_matched_with_its_own_rules_even_with_the_cache(packdir, tmp_path):
    pack, matcher = cache.load(packdir)  # type: ignore[misc]
    user = tmp_path / "user"
    user.mkdir()
    (user / "mine.yaml").write_text(
        "rules:\n"
        "  - id: user.secret-word\n"
        "    category: threat\n"
        "    severity: high\n"
        "    phrases: [purple elephant protocol]\n"
        "    explain: {zh-Hans: 测试, zh-Hant: 測試, en: test}\n"
        "    examples: {match: [activate the purple elephant protocol]}\n", encoding="utf-8")
    merged, problems = load_packs(packdir, (user,), base=pack)
    assert not problems and merged is not pack
    an = Analyzer(merged, AdviceCatalogue.load(ADVICE_DIR), matcher=matcher)
    assert an.matcher is not matcher  # other rules: rebuilt
    [[found]] = an.raw_findings([Message("activate the purple elephant protocol now", Speaker.THEM)])
    assert found.rule == "user.secret-word"
    # no user pack (or an empty folder): the built-in pack itself, so the cached matcher is used
    empty = tmp_path / "empty"
    empty.mkdir()
    same, _ = load_packs(packdir, (empty,), base=pack)
    assert same is pack
