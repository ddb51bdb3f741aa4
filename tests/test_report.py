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


@pytest.fixture(scope="module")
def before() -> dict[Path, tuple[bytes, int]]:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in ORIGINALS}


@pytest.fixture(scope="module")
def run(before):
    from desktop.scan import ScanOptions, Scanner

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


def test_pdf_without_images_has_no_image(out):
    data = out["pdf_noimg"].read_bytes()
    assert b"/Subtype /Image" not in data and b"/Subtype/Image" not in data
    assert b"/Subtype /Image" in out["pdf"].read_bytes()


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


def test_fix_tounicode_rewrites_radicals_in_place():
    from desktop.report_qt import fix_tounicode

    stream = (b"/CIDInit /ProcSet findresource begin\nbegincmap\n2 beginbfrange\n<0000> <0000> <0000>\n"
              b"<0001> <0003> [<2F08> <2EDB> <0041> ]\nendbfrange\n1 beginbfchar\n<0004> <2F5A>\nendbfchar\n"
              b"endcmap\n")
    pdf = (b"%PDF-1.4\n5 0 obj\n<< /Type /Font /ToUnicode 7 0 R>>\nendobj\n7 0 obj\n<< /Length "
           + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream\nendobj\n")
    fixed = fix_tounicode(pdf, {0x2EDB: 0x98CE})
    assert len(fixed) == len(pdf)
    assert b"[<4EBA> <98CE> <0041> ]" in fixed and b"<0004> <7247>" in fixed


# ------------------------------------------------------------------------------ command line


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    py = ROOT / ".venv" / "bin" / "python"
    exe = str(py) if py.exists() else sys.executable
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([exe, "-m", "desktop", *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, env=env, timeout=240)


def test_cli_report_writes_pdf_and_json(tmp_path, before):
    proc = _cli("report", "--ui-lang", "en", "--out", str(tmp_path / "x.pdf"), str(ZH), str(EN), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF-")
    doc = json.loads((tmp_path / "x.json").read_text("utf-8"))
    assert [i["file"]["sha256"] for i in doc["inputs"]] == [_sha(ZH), _sha(EN)]
    assert doc["report"]["language"] == "en"
    assert str(tmp_path / "x.pdf") in proc.stdout and str(tmp_path / "x.json") in proc.stdout
    for p, (data, mtime) in before.items():
        assert p.read_bytes() == data and p.stat().st_mtime_ns == mtime


def test_cli_report_bad_suffix_is_a_usage_error(tmp_path):
    proc = _cli("report", "--out", str(tmp_path / "x.docx"), str(ZH), cwd=tmp_path)
    assert proc.returncode == 2
    assert ".pdf" in proc.stderr and not list(tmp_path.iterdir())
