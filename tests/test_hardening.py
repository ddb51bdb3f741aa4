"""Issue 8: bad input, timeouts, pattern files. The corpus comes from tests/badfiles (generated
into tmp_path at test time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from .badfiles import OK, build_corpus
from .conftest import ROOT, SAMPLES

EN = SAMPLES / "giftcard_en_sextortion.png"
ZH = SAMPLES / "wechat_zh_sextortion.png"
CONTRACT_CODES = {"not_found", "not_a_file", "not_an_image", "unsupported_image", "corrupt_image",
                  "image_too_large", "ocr_timeout", "ocr_failed", "engine_unavailable"}


def _cli(*args: str, env: dict[str, str] | None = None, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", env={**os.environ, **(env or {})},
                          cwd=ROOT, timeout=timeout)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("badfiles")
    return build_corpus(root)


def test_corpus_has_at_least_40_kinds(corpus):
    names = [c.name for c in corpus]
    assert len(set(names)) == len(names) >= 40
    assert all(code in CONTRACT_CODES or code is OK for c in corpus for code in c.codes)


def test_loader_gives_a_stable_code_for_every_kind(corpus):
    """ocr.loader alone (no OCR): every file decodes or raises a typed error, fast."""
    from ocr.errors import OcrError
    from ocr.loader import load

    wrong = []
    for c in corpus:
        if c.path.suffix == ".txt" or (c.path.is_dir() and not c.path.is_symlink()):
            continue  # read as chat text / expanded by the scanner
        t0 = time.monotonic()
        try:
            got = load(c.path)
            code = None
            assert got.bgr.ndim == 3 and got.bgr.shape[2] == 3 and got.bgr.dtype.name == "uint8"
        except OcrError as exc:
            code = exc.code
            assert exc.message and "Traceback" not in exc.message
        dt = time.monotonic() - t0
        if code not in c.codes or dt > 5:
            wrong.append(f"{c.name}: {code} in {dt:.1f}s, expected {sorted(map(str, c.codes))}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.slow  # ~40 s on a loaded 2-core machine: real OCR of three chat renders and ~20 small images
def test_whole_corpus_in_one_scan(corpus, tmp_path):
    """Done-when: ONE `chatguard scan --json` over every kind: exit 1, one entry per input,
    a stable code or a reading for each, no traceback, nothing left in TMPDIR."""
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    args = [str(c.path) for c in corpus]
    t0 = time.monotonic()
    p = _cli("scan", "--json", "--ui-lang", "en", *args, env={"TMPDIR": str(tmpdir), "TMP": str(tmpdir),
                                                              "TEMP": str(tmpdir)})
    elapsed = time.monotonic() - t0
    assert "Traceback" not in p.stderr, p.stderr[-3000:]
    assert p.returncode == 1, p.stderr[-3000:]
    doc = json.loads(p.stdout)
    assert len(doc["inputs"]) == sum(c.expands_to for c in corpus)
    i = 0
    wrong = []
    for c in corpus:
        for inp in doc["inputs"][i : i + c.expands_to]:
            err = inp["error"]
            code = err["code"] if err else None
            if code not in c.codes:
                wrong.append(f"{c.name}: got {code} ({err and err['message']}), expected {sorted(map(str, c.codes))}")
            if err:
                assert inp["lines"] == []
                assert err["message"].strip() and "Traceback" not in err["message"]
            if c.needle:
                text = "".join(ln["text"] for ln in inp["lines"]).replace(" ", "")
                if c.needle not in text:
                    wrong.append(f"{c.name}: {c.needle!r} not read")
        i += c.expands_to
    assert not wrong, "\n".join(wrong)
    # the long capture was read down to its bottom part, at the original scale
    long = next(inp for inp, c in zip(doc["inputs"], corpus, strict=False) if c.path.name == "long_capture.png")
    assert long["height"] == 12000
    bottom = [ln for ln in long["lines"] if "Steam" in ln["text"]]
    assert bottom and bottom[0]["bbox"][1] > 10000
    assert list(tmpdir.iterdir()) == [], list(tmpdir.iterdir())
    assert elapsed < 150, f"the corpus took {elapsed:.0f}s"


@pytest.mark.skipif(sys.platform == "win32" or sys.getfilesystemencoding() != "utf-8", reason="POSIX byte names")
def test_file_name_that_is_not_utf8_does_not_kill_the_batch(tmp_path):
    bad = tmp_path / os.fsdecode(b"bad_utf8_\xff\xfe.png")
    bad.write_bytes(b"not an image")
    p = _cli("scan", "--json", str(bad), str(tmp_path / "missing.png"))
    assert p.returncode == 1, p.stderr
    assert [i["error"]["code"] for i in json.loads(p.stdout)["inputs"]] == ["not_an_image", "not_found"]


def test_fifo_and_devices_never_block(tmp_path):
    """A FIFO with no writer would block open() forever: it must be refused from its type."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    from desktop.scan import Scanner

    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    for dev in ("/dev/zero", "/dev/urandom"):
        if os.path.exists(dev):
            os.symlink(dev, tmp_path / f"{Path(dev).name}.jpg")
    t0 = time.monotonic()
    run = Scanner().scan_paths([tmp_path])  # the folder expands to the pipe and the links
    assert time.monotonic() - t0 < 5
    assert run.inputs and all(r.error is not None and r.error.code == "not_a_file" for r in run.inputs)


def test_file_swapped_for_a_fifo_after_stat_does_not_block(tmp_path, monkeypatch):
    """The file is re-checked on the open descriptor (non-blocking open + fstat)."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    from ocr.errors import NotAFileError
    from ocr.loader import read_regular_file

    fifo = tmp_path / "swapped.png"
    os.mkfifo(fifo)
    t0 = time.monotonic()
    with pytest.raises(NotAFileError):
        read_regular_file(fifo, 1000)
    assert time.monotonic() - t0 < 2


# ------------------------------------------------------------------------------ timeouts


def test_tiny_timeout_gives_ocr_timeout_and_the_batch_goes_on(tmp_path):
    import ocr
    from desktop.scan import Scanner, ScanOptions
    from ocr.errors import OcrTimeoutError

    ocr.clear_cache()
    with pytest.raises(OcrTimeoutError):
        ocr.read_image(EN, timeout=0.001)
    run = Scanner(ScanOptions(timeout=0.001)).scan_paths([EN, tmp_path / "missing.png", ZH])
    assert [r.error.code if r.error else None for r in run.inputs] == ["ocr_timeout", "not_found", "ocr_timeout"]
    assert all(r.lines == [] for r in run.inputs)
    # and a normal timeout afterwards still reads (nothing half-done was cached)
    ok = Scanner(ScanOptions(timeout=120)).scan_paths([EN])
    assert ok.inputs[0].error is None and ok.inputs[0].lines


def test_timeout_really_stops_a_long_read(tmp_path):
    """A 1080x12000 capture takes ~10 s to read; with a 1 s budget the reader stops between
    detector tiles / recogniser batches, not after doing all the work."""
    import io

    import ocr
    from ocr.errors import OcrTimeoutError

    from .badfiles import long_capture

    b = io.BytesIO()
    long_capture().save(b, "PNG", compress_level=1)
    ocr.clear_cache()
    t0 = time.monotonic()
    with pytest.raises(OcrTimeoutError):
        ocr.read_image(b.getvalue(), timeout=1.0)
    assert time.monotonic() - t0 < 8


def test_cli_timeout_flag(tmp_path):
    import ocr

    ocr.clear_cache()
    p = _cli("scan", "--json", "--timeout", "0.001", str(EN), str(tmp_path / "nope.png"))
    assert p.returncode == 1 and "Traceback" not in p.stderr
    codes = [i["error"]["code"] for i in json.loads(p.stdout)["inputs"]]
    assert codes == ["ocr_timeout", "not_found"]


# ------------------------------------------------------------------------------ non-ASCII paths


def test_tesseract_on_a_chinese_path(corpus):
    case = next(c for c in corpus if "中文截图" in c.path.name)
    assert "用户" in case.path.parts and "测试" in case.path.parts
    p = _cli("scan", "--json", "--engine", "tesseract", "--lang", "zh-Hans", str(case.path))
    assert p.returncode == 0, p.stderr[-2000:]
    assert "Traceback" not in p.stderr
    (inp,) = json.loads(p.stdout)["inputs"]
    assert inp["source"] == str(case.path)
    text = "".join(ln["text"] for ln in inp["lines"])
    assert "照片" in text or "家人" in text, text


def test_rapidocr_report_and_text_on_non_ascii_paths(tmp_path, qapp):  # qapp: a QApplication, not the
    # QGuiApplication the report would make, so that later window tests in this process can run
    folder = tmp_path / "用户" / "測試 😀"
    folder.mkdir(parents=True)
    shot = folder / "截图 😀.png"
    shot.write_bytes(EN.read_bytes())
    chat = folder / "聊天记录.txt"
    chat.write_text("them: send me $500 in Steam gift cards or I post your nudes\n", encoding="utf-8")
    from desktop.cli import main

    assert main(["text", "--json", str(chat)]) == 0
    out = folder / "报告 😀.html"
    assert main(["report", "--out", str(out), str(shot)]) == 0
    assert out.exists() and out.stat().st_size > 1000


# ------------------------------------------------------------------------------ pattern files


BROKEN_PACK = textwrap.dedent("""\
    rules:
      - id: custom.ok-rule
        category: threat
        severity: high
        phrases: [i will find you]
        explain: {zh-Hans: x, zh-Hant: x, en: x}
      - id: custom.bad
        category: not-a-category
        severity: high
        phrases: [hello]
        explain: {zh-Hans: x, zh-Hant: x, en: x}
    """)

EVIL_REGEX_PACK = textwrap.dedent("""\
    rules:
      - id: custom.evil
        category: threat
        severity: high
        regexes: ['(a+)+$']
        explain: {zh-Hans: x, zh-Hant: x, en: x}
    """)


def _user_packs(home: Path, name: str, text: str) -> Path:
    d = home / "config" / "packs"
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(text, encoding="utf-8")
    return d / name


def test_broken_user_pack_is_reported_and_the_builtin_pack_still_works(_private_home, tmp_path):
    f = _user_packs(_private_home, "mine.yaml", BROKEN_PACK)
    chat = tmp_path / "chat.txt"
    chat.write_text("them: 不给钱我就把你的照片发给你家人\n", encoding="utf-8")
    p = _cli("text", "--json", str(chat))
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    err = p.stderr
    assert "mine.yaml" in err and f"{f}:7" in err and "not-a-category" in err, err
    doc = json.loads(p.stdout)
    assert doc["summary"]["risk"] in ("high", "critical")
    assert {"sextortion", "threat"} & set(doc["summary"]["categories"])


def test_yaml_syntax_error_names_file_and_line(_private_home):
    from desktop.scan import Scanner

    _user_packs(_private_home, "syntax.yaml", "rules:\n  - id: a.b\n    phrases: [unclosed\n")
    an = Scanner.load_analyzer()
    (problem,) = an.problems
    assert problem.file.endswith("syntax.yaml") and problem.line and "YAML" in problem.message


def test_catastrophic_regex_is_refused_at_load(_private_home):
    from desktop.scan import Scanner

    _user_packs(_private_home, "evil.yaml", EVIL_REGEX_PACK)
    an = Scanner.load_analyzer()
    assert any("catastrophic" in str(p) and "evil.yaml:2" in str(p) for p in an.problems), an.problems
    assert not any(r.id == "custom.evil" for r in an.rules)


@pytest.mark.parametrize("regex", [r"(a+)+$", r"(a*)*b", r"(\w+\s?)+$",
                                   r"((ab)*)+c"])
def test_nested_repeats_are_refused(regex):
    from patterns.pack import PackError, compile_safe_regex

    with pytest.raises(PackError):
        compile_safe_regex(regex)


def test_matching_a_100k_character_line_is_fast():
    from patterns import Analyzer, Message, Speaker

    an = Analyzer.load(())
    for line in ("a" * 100_000, ("send me gift cards " * 6000)[:100_000], "照片" * 50_000,
                 ("aA1!\u200d😀 照片 " * 15000)[:100_000]):
        t0 = time.monotonic()
        found = an.raw_findings([Message(line, Speaker.THEM)])
        dt = time.monotonic() - t0
        assert dt < 10, f"{line[:20]!r}: {dt:.1f}s"
        for f in found[0]:
            assert 0 <= f.span[0] <= f.span[1] <= len(line)


@pytest.mark.parametrize("regex", [r"(a|a)*b", r"(a|aa)+$", r"(.*a){20}"])
def test_other_catastrophic_shapes_are_refused(regex):
    from patterns.pack import PackError, compile_safe_regex

    with pytest.raises(PackError):
        compile_safe_regex(regex)


@pytest.mark.parametrize("regex", [r"(?<=ab|c)x", r"(?<!a+)x", r"(?:(?<=\d{1,3})元)"])
def test_regexes_re_compile_refuses_are_refused_at_load(regex):
    """Pack regexes are compiled when first run; what only compiling finds (a look-behind of
    variable width) must still be an error at load, not a failure in the middle of a scan."""
    import re

    from patterns.pack import PackError, compile_safe_regex

    with pytest.raises(re.error):
        re.compile(regex)
    with pytest.raises(PackError, match="look-behind"):
        compile_safe_regex(regex)
    ok = compile_safe_regex(r"(?<=\d{3})元")
    assert ok.search("付500元").group() == "元"
