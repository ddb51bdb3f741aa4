"""The evidence report (issue 7): PDF and HTML from a real scan of the bundled samples.

The samples are scanned once (real OCR) and the reports rendered once per module; the tests
then read what was written.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import ROOT, SAMPLES

ZH = SAMPLES / "wechat_zh_sextortion.png"
EN = SAMPLES / "giftcard_en_sextortion.png"
ORIGINALS = (ZH, EN)

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module", autouse=True)
def _one_qt_application(qapp):
    """In-process reports paint with the application the window made (pytest-qt's
    QApplication). Without it ``report_qt.ensure_app`` would make a QGuiApplication, and a
    later window test in the same process could not have its QApplication (Qt aborts). The
    command line's own QGuiApplication is tested in a subprocess (test_cli_report_*)."""
    return qapp


@pytest.fixture(scope="module")
def before() -> dict[Path, tuple[bytes, int]]:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in ORIGINALS}


@pytest.fixture(scope="module")
def run(before):
    from desktop.scan import Scanner, ScanOptions

    r = Scanner(ScanOptions(ui_lang="zh-Hans")).scan_paths([str(ZH), str(EN)])
    assert not r.any_failed and r.engine_missing is None
    return r


@pytest.fixture(scope="module")
def out(run, tmp_path_factory) -> dict[str, Path]:
    """pdf / html with images, pdf / html without; each with its JSON beside."""
    from desktop.report import export_run

    d = tmp_path_factory.mktemp("report")
    paths = {}
    for key, name, images in (("pdf", "report.pdf", True), ("html", "report-h.html", True),
                              ("pdf_noimg", "noimg.pdf", False), ("html_noimg", "noimg-h.html", False)):
        written = export_run(run, d / name, "zh-Hans", images=images)
        assert written == [d / name, d / Path(name).with_suffix(".json")]
        assert all(p.is_file() and p.stat().st_size > 0 for p in written)
        paths[key] = d / name
    return paths


def pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8")


# ------------------------------------------------------------------------------ PDF


@needs_poppler
def test_pdf_text_layer_has_the_flagged_chinese_line_hashes_and_provenance(out, run):
    text = pdftext(out["pdf"])
    flat = re.sub(r"\s+", "", text)
    assert "照片发给你家人" in flat  # the sextortion threat, searchable (not Kangxi radicals)
    assert "send me $500 in Steam gift cards".replace(" ", "") in flat
    for p in ORIGINALS:
        assert _sha(p) in text  # on one line, copyable
        assert p.name in text
    from desktop import __version__

    assert f"ChatGuard {__version__}" in text
    assert run.pack_version in text
    assert "极高风险" in text  # 风 is U+98CE, not the radical U+2EDB
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC[+-]\d\d:\d\d\)", text)  # local time with offset
    assert "请保留原始文件" in text
    assert "report.cybertip.org" in text or "tips.fbi.gov" in text
    assert not re.search("[\u2e80-\u2fdf]", text)  # no radical stand-ins in the text layer


@needs_poppler
def test_pdf_embeds_its_fonts_and_holds_the_images(out):
    fonts = subprocess.run(["pdffonts", str(out["pdf"])], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and any("CJK" in r for r in rows)
    assert all(r.split()[-5] == "yes" for r in rows), fonts  # emb column
    assert subprocess.run(["pdfimages", "-list", str(out["pdf"])], capture_output=True, text=True,
                          check=True).stdout.count("image") >= 2


def _pdf_image_sizes(path: Path) -> list[tuple[int, int]]:
    """Width and height of every image XObject in the PDF (Qt writes them uncompressed dicts)."""
    data = path.read_bytes()
    sizes = []
    for m in re.finditer(rb"/Subtype ?/Image(.{0,200}?)>>", data, re.S):
        w = re.search(rb"/Width (\d+)", m.group(1))
        h = re.search(rb"/Height (\d+)", m.group(1))
        assert w and h, m.group(0)
        sizes.append((int(w.group(1)), int(h.group(1))))
    return sizes


def test_pdf_without_images_has_no_screenshot(out):
    # Emoji read from a bubble (朋友吧😊) are drawn by Qt as small colour glyph bitmaps: those are
    # text, not screenshots; nothing the size of a screenshot (or a crop of one) may be in the file.
    assert all(w < 100 and h < 100 for w, h in _pdf_image_sizes(out["pdf_noimg"]))
    assert any(w >= 300 and h >= 300 for w, h in _pdf_image_sizes(out["pdf"]))


# ------------------------------------------------------------------------------ originals


def test_hashes_equal_hashlib_and_sha256sum(out):
    doc = json.loads(out["pdf"].with_suffix(".json").read_text("utf-8"))
    for p, inp in zip(ORIGINALS, doc["inputs"], strict=True):
        expected = hashlib.sha256(p.read_bytes()).hexdigest()
        assert inp["sha256"] == inp["file"]["sha256"] == expected
        if shutil.which("sha256sum"):
            out_ = subprocess.run(["sha256sum", str(p)], capture_output=True, text=True, check=True).stdout
            assert out_.split()[0] == expected


def test_originals_are_not_modified(out, before):
    for p, (data, mtime) in before.items():
        assert p.read_bytes() == data
        assert p.stat().st_mtime_ns == mtime
    # nothing but the reports and their JSON was written next to them
    assert {q.name for q in out["pdf"].parent.iterdir()} == {
        "report.pdf", "report.json", "report-h.html", "report-h.json", "noimg.pdf", "noimg.json", "noimg-h.html",
        "noimg-h.json"}


# ------------------------------------------------------------------------------ HTML


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []  # (tag, attr, value)
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_style = tag == "style"
        for k, v in attrs:
            if k.startswith("on"):
                self.handlers.append(k)
            if k in ("src", "href", "srcset", "action", "poster", "data", "background", "formaction", "xlink:href"):
                self.urls.append((tag, k, v or ""))
            if k == "style" and v:
                self.style += v

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data


def _parse(path: Path) -> _Refs:
    p = _Refs()
    p.feed(path.read_text("utf-8"))
    return p


def test_html_is_self_contained_and_links_only_official_contacts(out, run):
    from patterns.advice import OFFICIAL_HOSTS

    refs = _parse(out["html"])
    official = {c.url for a in run.advice for c in a.contacts if c.url}
    assert official
    assert "script" not in refs.tags and "iframe" not in refs.tags and "link" not in refs.tags
    assert not refs.handlers
    css_urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", refs.style)
    assert not css_urls and "@import" not in refs.style
    images = 0
    for tag, attr, value in refs.urls:
        if value.startswith("data:"):
            assert tag == "img" and value.startswith("data:image/png;base64,")
            images += 1
            continue
        assert tag == "a" and attr == "href", (tag, attr, value[:80])
        assert value in official, value
        u = urlparse(value)
        assert u.scheme == "https" and u.hostname in OFFICIAL_HOSTS
    assert images == 2
    # every contact of the run's advice is there
    assert official <= {v for _t, _a, v in refs.urls}


def test_html_without_images_has_no_image_at_all(out):
    text = out["html_noimg"].read_text("utf-8")
    refs = _parse(out["html_noimg"])
    assert "img" not in refs.tags
    assert "data:image" not in text
    assert "本报告不包含截图图像" in text
    doc = json.loads(out["html_noimg"].with_suffix(".json").read_text("utf-8"))
    assert doc["report"]["images_included"] is False


def test_html_states_the_facts_in_the_chosen_language(out, run):
    text = out["html"].read_text("utf-8")
    assert "聊天截图证据报告" in text and "请保留原始文件" in text
    assert "照片发给你家人" in re.sub(r"<[^>]*>|\s", "", text)  # the highlight splits it in spans
    for p in ORIGINALS:
        assert _sha(p) in text and f"{p.stat().st_size:,}" in text
    assert "删除" not in text.replace("不要删除", "").replace("没有修改、移动或删除", "").replace(
        "不要刪除", "")  # never advises deleting
    # why the chat and its lines got their level (the weighing's reasons), in Chinese too
    reasons = {r for inp in run.inputs for ln in inp.lines for f in ln.findings for r in f.reasons} | set(run.reasons)
    assert reasons, "the sample chats are weighed (sextortion pattern, escalation)"
    from patterns import say

    assert all(say(r, "zh-Hans") in text for r in reasons)
    assert not any(str(r) in text for r in reasons if say(r, "zh-Hans") != str(r))  # not left in English


# ------------------------------------------------------------------------------ JSON beside


def test_json_beside_verifies(out, run):
    for key in ("pdf", "html"):
        report = out[key]
        doc = json.loads(report.with_suffix(".json").read_text("utf-8"))
        assert doc["schema"] == "chatguard.scan/1"
        r = doc["report"]
        assert r["sha256"] == _sha(report) and r["file"] == report.name
        assert r["patterns"] == run.pack_version and r["app_version"]
        assert datetime.fromisoformat(r["generated"]).utcoffset() is not None
        for p, inp in zip(ORIGINALS, doc["inputs"], strict=True):
            f = inp["file"]
            assert f["sha256"] == _sha(p) and f["size"] == p.stat().st_size
            assert datetime.fromisoformat(f["mtime"]).timestamp() == pytest.approx(p.stat().st_mtime, abs=1)
            assert f["unchanged_since_scan"] is True
        assert any(fd["category"] == "sextortion" for inp in doc["inputs"] for ln in inp["lines"]
                   for fd in ln["findings"])


# ------------------------------------------------------------------------------ safety


def test_message_markup_is_escaped_and_refusing_to_overwrite_an_input(tmp_path):
    from desktop.report import ReportError, export_run
    from desktop.scan import Scanner

    src = tmp_path / "chat.txt"
    src.write_text('them: <script>alert(1)</script><img src="https://evil.example/x.png">\n'
                   "them: 不给我转5000块，我就把你的照片发给你家人\n", encoding="utf-8")
    run = Scanner().finish(Scanner().read_input(src))
    html_path, json_path = export_run(run, tmp_path / "r.html", "en")
    text = html_path.read_text("utf-8")
    assert "<script" not in text and "evil.example/x.png\">" not in text
    assert "&lt;script&gt;" in text
    assert all(not v.startswith("https://evil") for _t, _a, v in _parse(html_path).urls)
    assert "Chat screenshot evidence report" in text
    doc = json.loads(json_path.read_text("utf-8"))
    assert doc["inputs"][0]["file"]["sha256"] == _sha(src)
    with pytest.raises(ReportError):
        export_run(run, tmp_path / "r.docx", "en")

    # a report never overwrites one of the files it examines (nor does the JSON beside it)
    odd = tmp_path / "evidence.html"
    odd.write_bytes(b"not really a screenshot")
    run2 = Scanner().scan_paths([odd, src])
    assert run2.inputs[0].error is not None
    for target in (odd, tmp_path / "chat.pdf"):
        if target.suffix == ".pdf":
            (tmp_path / "chat.json").write_bytes(b"{}")
            run2 = Scanner().scan_paths([odd, src, tmp_path / "chat.json"])
        with pytest.raises(ReportError):
            export_run(run2, target, "en")
    assert odd.read_bytes() == b"not really a screenshot" and (tmp_path / "chat.json").read_bytes() == b"{}"


def test_pasted_screenshot_is_hashed_and_shown_from_memory(run, tmp_path):
    """The window scans pasted screenshots in memory (Scanner.read_image_bytes): no file exists,
    so the report hashes and draws the bytes it is given."""
    import dataclasses

    from desktop.report import export_run
    from desktop.scan import ScanRun

    pasted = dataclasses.replace(run.inputs[0], source="Pasted screenshot 1")
    r = ScanRun([pasted], run.summary, run.advice, run.pack_id, run.pack_version)
    html_path, json_path = export_run(r, tmp_path / "p.html", "en", memory_images={pasted.source: ZH.read_bytes()})
    text = html_path.read_text("utf-8")
    assert _sha(ZH) in text and "not saved as a file" in text and text.count("data:image/png;base64,") == 1
    f = json.loads(json_path.read_text("utf-8"))["inputs"][0]["file"]
    assert f["in_memory"] is True and f["sha256"] == _sha(ZH) and f["unchanged_since_scan"] is True
    assert sorted(q.name for q in tmp_path.iterdir()) == ["p.html", "p.json"]


def _check_xref(pdf: bytes) -> None:
    """Every in-use cross-reference entry points at its object's header, and startxref at xref."""
    at = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    head = re.compile(rb"xref\n0 (\d+)\n").match(pdf, at)
    assert head, "startxref does not point at the xref table"
    for n in range(int(head.group(1))):
        entry = pdf[head.end() + 20 * n: head.end() + 20 * (n + 1)]
        if entry[17:18] == b"n":
            off = int(entry[:10])
            assert pdf[off:off + 20].startswith(b"%d 0 obj" % n), (n, pdf[off:off + 20])


def test_fix_tounicode_rewrites_radicals_and_keeps_the_xref_valid():
    from desktop.report_qt import fix_tounicode

    stream = (b"/CIDInit /ProcSet findresource begin\nbegincmap\n3 beginbfrange\n<0000> <0000> <0000>\n"
              b"<0001> <0003> [<2F08> <2EDB> <0041> ]\n<0005> <0007> <2F19>\nendbfrange\n1 beginbfchar\n"
              b"<0004> <2F5A>\nendbfchar\nendcmap\n")
    objs = [b"<< /Type /Catalog >>", b"<< /Type /Font /ToUnicode 3 0 R>>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream", b"<< /After true >>"]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    _check_xref(bytes(pdf))
    fixed = fix_tounicode(bytes(pdf), {0x2EDB: 0x98CE})
    assert b"[<4EBA> <98CE> <0041> ]" in fixed and b"<0004> <7247>" in fixed
    assert b"<0005> <0007> [<5369> <5382> <53B6>]" in fixed  # ⼙⼚⼛ -> 卩厂厶
    _check_xref(fixed)
    length = int(re.search(rb"/Length (\d+)", fixed).group(1))
    body = fixed.split(b"stream\n", 1)[1]
    assert body[length:].startswith(b"\nendstream")


@needs_poppler
def test_pdf_text_layer_maps_every_glyph_shared_with_a_radical(tmp_path):
    """人 方 片 风 ... and digits in Latin runs: every character comes back out of the PDF."""
    import html as htmlmod

    from desktop import report_qt as rq

    rq.ensure_app()
    for lang in ("zh-Hans", "zh-Hant"):
        fam = rq.cjk_family(lang)
        assert fam, "no font with Chinese glyphs"
        shared = "".join(sorted({chr(v) for v in rq.radical_map([fam]).values()}))
        assert len(shared) > 100
        text = shared + "\n" + "".join(chr(c) for c in range(0x21, 0x7F)) + "\n2026-11-28 10:47:00 SHA-256 0.1.0"
        body = "".join(f"<p>{htmlmod.escape(x)}</p><p><b>{htmlmod.escape(x)}</b></p>" for x in text.split("\n"))
        pdf = rq.html_to_pdf(body, {}, lang=lang, title="t", creator="c")
        _check_xref(pdf)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                             check=True).stdout.decode("utf-8")
        flat = "".join(out.split())
        for para in text.split("\n"):
            assert flat.count("".join(para.split())) >= 2  # regular and bold
        assert not re.search("[\u2e80-\u2fdf]", flat)


@needs_poppler
def test_report_pdf_xref_is_valid(out):
    _check_xref(out["pdf"].read_bytes())
    _check_xref(out["pdf_noimg"].read_bytes())


# ------------------------------------------------------------------------------ command line


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    py = ROOT / ".venv" / "bin" / "python"
    exe = str(py) if py.exists() else sys.executable
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([exe, "-m", "desktop", *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, env=env, timeout=240)


def test_cli_report_writes_pdf_and_json(tmp_path, before):
    # one sample: the in-process fixture above already scans both; this keeps the file < 60 s
    proc = _cli("report", "--ui-lang", "en", "--out", str(tmp_path / "x.pdf"), str(ZH), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF-")
    doc = json.loads((tmp_path / "x.json").read_text("utf-8"))
    assert [i["file"]["sha256"] for i in doc["inputs"]] == [_sha(ZH)]
    assert doc["report"]["sha256"] == _sha(tmp_path / "x.pdf")
    assert doc["report"]["language"] == "en"
    assert str(tmp_path / "x.pdf") in proc.stdout and str(tmp_path / "x.json") in proc.stdout
    for p, (data, mtime) in before.items():
        assert p.read_bytes() == data and p.stat().st_mtime_ns == mtime


def test_cli_report_bad_suffix_is_a_usage_error(tmp_path):
    proc = _cli("report", "--out", str(tmp_path / "x.docx"), str(ZH), cwd=tmp_path)
    assert proc.returncode == 2
    assert ".pdf" in proc.stderr and not list(tmp_path.iterdir())
