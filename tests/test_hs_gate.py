"""The native regex gate (patterns/hs_gate.py): Hyperscan says which of the pack's regexes can
match a text; Python's ``re`` decides. It must let through every regex that matches (so the
findings are those of running them all), survive pickling (the start-up cache, spawned
workers), fall back to the Python gate whenever it cannot work, and never crash the process."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
import threading
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patterns import Analyzer, Message, Speaker
from patterns.hs_gate import HyperscanGate, available, to_superset
from patterns.normalize import alt_views, normalize
from patterns.pack import LazyPattern

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not available(), reason="hyperscan wheel not installed")

DEVSET = ROOT / "tests" / "data" / "devset" / "messages.jsonl"


@pytest.fixture(scope="module")
def matcher():
    """The built-in pack's matcher with its native gate: from the start-up cache when
    ``make install`` built it for this code, else built here (~20 s)."""
    m = Analyzer.load(()).matcher
    if m.regex_gate != "hyperscan":
        assert m.build_native_gate() is None
    assert m.regex_gate == "hyperscan"
    return m


# Python constructs Hyperscan lacks or reads differently, each with texts it must let through.
CASES = [
    (r"(?<![a-z])pic(?![a-z])", ["a pic", "pic", "send pic now"]),
    (r"(?a)\bhotel room\b.{0,30}\b(?:come|meet)\b", ["i booked a hotel room for us, just come"]),
    (r"(\w+) and \1", ["cats and cats", "猫 and 猫"]),
    (r"[^\w\s]{3}", ["!!!", "？？？"]),
    (r"\d{3}-\d{4}", ["555-1234", "٥٥٥-١٢٣٤"]),  # Unicode digits: Python's \d takes them
    (r"(?a)\d{3}-\d{4}", ["555-1234"]),
    (r"\s+x", ["\u3000x", "\u00a0x", " x"]),
    (r"^start|end$", ["start here", "the end"]),
    ("caf\u00e9\\b", ["café au lait"]),  # Python's \b is Unicode here, Hyperscan's would be ASCII
    (r"(?i:SEND) nudes", ["send nudes", "SEND nudes"]),
    (r"(?:ab){2,40}c", ["ababc", "ab" * 30 + "c"]),
    (r"(?>a+)b", ["aaab"]),
    (r"我(?:会|要)?把(?:你的)?照片[^。]{0,12}发", ["我会把你的照片全部发", "我把照片发"]),
    (r"(?:x)?(?=y)", ["y"]),  # may match empty: runs everywhere, never matters
    # conditions on the character next to the match, kept (hs_gate._edge)
    (r"(?<!\d)\d{3}[- ]?\d{2}[- ]?\d{4}(?!\d)", ["123-45-6789", "ssn:123456789.", "x123 45 6789"]),
    (r"(?a)\b(?:fbi|ice)s?\b", ["the fbi", "ices", "ice!", "FBI fbi"]),
    # two conditions on the same character: one kept, in a group or not
    (r"(?<![a-z])(?:(?<![a-z])(?:your|ur) pics|zz)", ["send ur pics", "ur pics", "1your pics"]),
    (r"(?<![a-z])((?<![0-9])ur) pics", ["send ur pics", "ur pics"]),
    (r"(?<![^a-z])x", ["ax", "x"]),
    (r"(?<!\w)foo(?!\w)", ["!foo", "foo"]),  # Unicode \w: not written exactly, dropped
    (r"\bpic\b", ["a pic", "pic"]),  # Unicode \b: dropped
    (r"(?a)\bfoo[!]?\b", ["foo!", "foo! x"]),  # the last character may be "!": not kept
    (r"(?:(?<![a-z])ab|cd)e(?![a-z])", ["abe", "xcde", "1abe!"]),
    (r"(?<![a-z])(?:sp|pics?)(?![a-z])|视频", ["sp", "pic!", "a pics", "看视频"]),
]


@pytest.mark.parametrize(("pattern", "texts"), CASES)
def test_every_python_match_gets_through(pattern, texts):
    rx = LazyPattern(pattern)
    gate = HyperscanGate([rx])
    assert gate.expressions == 1  # compiled, not left to run always
    for text in texts:
        m = re.search(pattern, text)
        assert m is not None, (pattern, text)  # the case is right
        if m.end() > m.start():
            assert gate.candidates(text) == [0], (pattern, text, to_superset(rx))


def test_a_caseless_regex_with_non_ascii_letters_always_runs():
    """Python folds É to é under (?i); Hyperscan (no UCP) would not, so such a regex is not
    given to Hyperscan at all."""
    gate = HyperscanGate([LazyPattern(r"(?i)CAFÉ"), LazyPattern(r"(?i)hello")])
    assert gate.expressions == 1
    assert gate.candidates("café au lait") == [0]
    assert gate.candidates("HELLO there") == [0, 1]


def test_the_superset_is_still_selective():
    gate = HyperscanGate([LazyPattern(r"(?<![a-z])gift ?cards?(?![a-z])"), LazyPattern(r"\d{3}-\d{2}-\d{4}")])
    assert gate.candidates("lunch at noon?") == []
    assert gate.candidates("buy a giftcard") == [0]
    assert gate.candidates("ssn 123-45-6789") == [1]


def test_kept_edges_make_it_more_selective():
    """What the edges buy: a word inside a longer word, or a nine-digit run inside a phone
    number, no longer sends the regex to Python."""
    gate = HyperscanGate([LazyPattern(r"(?<![a-z])sp(?![a-z])"),
                          LazyPattern(r"(?<!\d)\d{3}[- ]?\d{2}[- ]?\d{4}(?!\d)"),
                          LazyPattern(r"(?a)\b(?:fbi|ice)s?\b")])
    assert gate.candidates("a special offer for police notices") == []
    assert gate.candidates("call 08712300220 now") == []
    assert gate.candidates("your sp, ssn 123-45-6789, the fbi") == [0, 1, 2]


_EDGE_PATTERNS = [p for p, _texts in CASES[-10:]] + [
    r"(?<![a-z])(?:a|b1)(?![0-9])", r"(?a)\b(?:ab|b)+\b", r"(?<!-)a{1,3}(?!-)", r"(?<![ab])x|y(?![ab])",
    r"(?a)\b\d{2}\b", r"(?<![^1 ])a[b!]?(?![^a])", r"(?<![a-z])(?:(?<!1)ab|x)", r"(?:x|(ab(?!1)))(?![a-z])",
]


@pytest.fixture(scope="module")
def edge_gate():
    gate = HyperscanGate([LazyPattern(p) for p in _EDGE_PATTERNS])
    assert gate.expressions == len(_EDGE_PATTERNS)  # none refused (a refused one always runs)
    return gate


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from("ab1x!- 猫"), max_size=12) | st.text(alphabet="ab1 ", max_size=8))
def test_kept_edges_never_hide_a_match(edge_gate, text):
    """Property: whatever the text, every pattern with a non-empty Python match is a
    candidate, edges kept or not."""
    got = set(edge_gate.candidates(text) or [])
    for k, p in enumerate(_EDGE_PATTERNS):
        m = re.search(p, text)
        if m and m.end() > m.start():
            assert k in got, (p, text, to_superset(LazyPattern(p)))


def test_no_regex_of_the_pack_is_missed_on_real_lines(matcher):
    """Every regex that matches a dev-set line (as written and in the leetspeak / chat-spelling
    view) is among the gate's candidates: checked against the Python gate's candidates, which
    the pack's tests already prove complete."""
    rows = [json.loads(r)["text"] for r in DEVSET.read_text(encoding="utf-8").splitlines() if r.strip()]
    texts = []
    for t in rows:
        norm = normalize(t)
        texts += [norm.plain.text, alt_views(norm)[0].text]
    regexes = [rx for _ri, rx, _nd in matcher._rx_flat]
    assert matcher._native.misses(texts, regexes, matcher._gate.candidates) == []
    # and it is the point: far fewer regexes run than through the Python gate
    native = sum(len(matcher._native.candidates(t)) for t in texts)
    python = sum(len(matcher._gate.candidates(t)) for t in texts)
    assert native * 3 < python


def test_findings_equal_those_of_the_python_gate(matcher):
    import copy

    an = Analyzer.load(())
    native = Analyzer(an.pack, an.advice, matcher=matcher, cache_size=0, learned=None)
    py = copy.copy(matcher)
    py._native = None
    python = Analyzer(an.pack, an.advice, matcher=py, cache_size=0, learned=None)
    assert python.matcher.regex_gate == "python" and native.matcher.regex_gate == "hyperscan"
    rows = [json.loads(r)["text"] for r in DEVSET.read_text(encoding="utf-8").splitlines() if r.strip()]
    a = [[(f.rule, f.span) for f in native.raw_findings([Message(t, Speaker.THEM)])[0]] for t in rows]
    b = [[(f.rule, f.span) for f in python.raw_findings([Message(t, Speaker.THEM)])[0]] for t in rows]
    assert sum(map(len, a)) > 300
    assert a == b


def test_pickles_and_a_database_that_does_not_load_falls_back(matcher, caplog):
    gate = pickle.loads(pickle.dumps(matcher._native))
    assert gate.usable
    text = normalize("buy 3 steam gift cards and send me the codes").plain.text
    assert gate.candidates(text) == matcher._native.candidates(text)
    state = matcher._native.__getstate__()
    state["database"] = zlib.compress(b"not a database")  # opens, but is no Hyperscan database
    broken = HyperscanGate.__new__(HyperscanGate)
    broken.__setstate__(state)
    assert not broken.usable
    import copy

    m = copy.copy(matcher)
    m._native = broken
    assert m.regex_gate == "python"
    hits = m.hits(normalize("buy 3 steam gift cards and send me the codes"))
    assert hits.keys() == matcher.hits(normalize("buy 3 steam gift cards and send me the codes")).keys()


def test_a_failing_scan_means_the_python_gate_not_a_lost_finding(matcher, monkeypatch):
    import copy

    m = copy.copy(matcher)
    m._native = copy.copy(matcher._native)

    class Broken:
        def scan(self, *a, **k):
            raise RuntimeError("scratch in use")

    m._native._db = Broken()
    m._native._local = threading.local()
    m._native._local.scratch = object()  # never handed to Hyperscan: the scan fails first
    text = "send me the gift card codes now or i post your pics"
    assert m._native.candidates(normalize(text).plain.text) is None
    assert m.hits(normalize(text)).keys() == matcher.hits(normalize(text)).keys()


def test_threads_scan_at_once_with_their_own_scratch(matcher):
    texts = [normalize(t).plain.text for t in (
        "send me the gift card codes", "my ssn is 123-45-6789", "see you at dinner", "我会把你的照片发给你的同学")]
    want = [matcher._native.candidates(t) for t in texts]
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(300):
                for t, w in zip(texts, want, strict=True):
                    assert matcher._native.candidates(t) == w
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []


def test_loading_it_first_does_not_break_opencc():
    """The wheel's own libstdc++ parts once aborted OpenCC loaded after it (free(): invalid
    pointer): in a fresh process, Hyperscan first, then OpenCC."""
    code = ("import patterns.hs_gate, opencc; "
            "assert opencc.OpenCC('t2s').convert('們') == '们'; print('ok')")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr[-500:]


def test_without_the_wheel_the_cached_pack_still_works_on_the_python_gate(tmp_path):
    """Where no hyperscan wheel installs, the start-up cache (built with the native gate) loads,
    the Python gate runs, and the findings are the same."""
    code = (
        "import sys, json; sys.modules['hyperscan'] = None\n"  # import hyperscan -> ImportError
        "from patterns import Analyzer, Message, Speaker\n"
        "an = Analyzer.load((), learned=False)\n"
        "f = an.raw_findings([Message('send me 3 steam gift cards or i post your pics', Speaker.THEM)])\n"
        "print(json.dumps([an.matcher.regex_gate, sorted(x.rule for x in f[0])]))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert res.returncode == 0, res.stderr[-800:]
    gate, rules = json.loads(res.stdout.strip().splitlines()[-1])
    assert gate == "python"
    an = Analyzer.load((), learned=False)
    want = sorted(x.rule for x in an.raw_findings(
        [Message("send me 3 steam gift cards or i post your pics", Speaker.THEM)])[0])
    assert rules == want and rules


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="transparent huge pages are Linux's")
def test_databases_are_allocated_through_the_huge_page_hook():
    """With the native steps built, Hyperscan's database allocator is the native big_alloc
    (2 MB pages where the system gives them); whether it does changes no result, only speed."""
    from patterns import _native, hs_gate

    if _native.speedups is None:
        pytest.skip("native steps not built")
    assert hs_gate._HUGE_PAGES
    gate = HyperscanGate([LazyPattern(r"(?<![a-z])pic(?![a-z])")])  # built and scanned through the hook
    assert gate.candidates("a pic") == [0]
    assert gate.candidates("topic") == []
