"""End to end through the installed `chatguard` command, with the real OCR engines."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SAMPLES

ZH = SAMPLES / "wechat_zh_sextortion.png"
EN = SAMPLES / "giftcard_en_sextortion.png"
CATEGORIES = {"sextortion", "explicit_request", "threat", "money_demand", "personal_info", "grooming",
              "meeting", "location", "impersonation", "investment_scam"}
SEVERITIES = {"low", "medium", "high", "critical"}


def chatguard_exe() -> list[str]:
    exe = Path(sys.executable).with_name("chatguard")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "desktop"]


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    e = {**os.environ, **(env or {})}
    return subprocess.run([*chatguard_exe(), *args], input=stdin, capture_output=True, text=True,
                          encoding="utf-8", env=e, timeout=300)


def check_contract(doc: dict) -> None:
    assert doc["schema"] == "chatguard.scan/1"
    assert doc["tool"]["name"] == "chatguard" and doc["tool"]["patterns"]
    assert isinstance(doc["tool"]["native_steps"], bool)
    for inp in doc["inputs"]:
        assert set(inp) >= {"source", "kind", "sha256", "width", "height", "error", "lines", "summary"}
        if inp["error"] is not None:
            assert inp["lines"] == [] and inp["error"]["code"] and inp["error"]["message"]
        for i, ln in enumerate(inp["lines"]):
            assert ln["index"] == i
            assert ln["sender"] in {"them", "me", "system", "unknown"}
            if inp["kind"] == "image":
                x, y, w, h = ln["bbox"]
                assert x >= 0 and y >= 0 and w > 0 and h > 0
                assert x + w <= inp["width"] and y + h <= inp["height"]
            for f in ln["findings"]:
                assert f["category"] in CATEGORIES and f["severity"] in SEVERITIES
                s, e = f["span"]
                assert 0 <= s < e <= len(ln["text"])
        assert inp["summary"]["risk"] in SEVERITIES | {"none"}
    for a in doc["advice"]:
        assert a["category"] in CATEGORIES and a["title"] and a["steps"]


def line_with(inp: dict, needle: str) -> dict:
    for ln in inp["lines"]:
        if needle in ln["text"].replace(" ", ""):
            return ln
    raise AssertionError(f"no line contains {needle!r}: {[ln['text'] for ln in inp['lines']]}")


@pytest.fixture(scope="module")
def samples_scan() -> dict:
    p = run("scan", "--json", str(ZH), str(EN))
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    return json.loads(p.stdout)


def test_chinese_sample_threat_is_critical_sextortion(samples_scan):
    check_contract(samples_scan)
    zh = samples_scan["inputs"][0]
    assert zh["sha256"] == hashlib.sha256(ZH.read_bytes()).hexdigest()
    threat = line_with(zh, "照片发给你家人")
    assert any(f["category"] == "sextortion" and f["severity"] == "critical" for f in threat["findings"])
    assert threat["sender"] == "them"
    greeting = line_with(zh, "你好呀")
    assert greeting["findings"] == []
    # the wrapped explicit request (不穿 / 衣服的照片) is flagged on both of its lines
    req_lines = [ln for ln in zh["lines"] if ln["message"] == line_with(zh, "衣服的照片")["message"]]
    assert sum(1 for ln in req_lines if any(f["category"] == "explicit_request" for f in ln["findings"])) >= 2
    assert zh["summary"]["risk"] == "critical"


def test_english_sample_threat_flagged(samples_scan):
    en = samples_scan["inputs"][1]
    msg = line_with(en, "giftcards")["message"]
    cats = {f["category"] for ln in en["lines"] if ln["message"] == msg for f in ln["findings"]}
    assert cats & {"sextortion", "money_demand", "threat"}
    greeting = line_with(en, "hey!")["message"]
    assert all(ln["findings"] == [] for ln in en["lines"] if ln["message"] == greeting)
    assert samples_scan["summary"]["risk"] == "critical"
    assert samples_scan["advice"] and samples_scan["advice"][0]["category"] in CATEGORIES


def test_text_of_the_same_chat_agrees(samples_scan):
    p = run("text", "--json", str(ZH.with_suffix(".txt")))
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    check_contract(doc)
    (conv,) = doc["inputs"]
    threat = line_with(conv, "照片发给你家人")
    assert any(f["category"] == "sextortion" and f["severity"] == "critical" for f in threat["findings"])
    assert line_with(conv, "你好呀")["findings"] == []
    assert conv["summary"]["risk"] == samples_scan["inputs"][0]["summary"]["risk"]


def test_tesseract_engine_reads_and_flags_the_chinese_sample():
    p = run("scan", "--json", "--engine", "tesseract", str(ZH))
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    check_contract(doc)
    cats = {f["category"] for ln in doc["inputs"][0]["lines"] for f in ln["findings"]}
    assert "sextortion" in cats


def test_bad_inputs_do_not_stop_the_batch(tmp_path):
    fake = tmp_path / "note.png"
    fake.write_text("this is not an image", encoding="utf-8")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    no_images = tmp_path / "nothing here"
    no_images.mkdir()
    p = run("scan", "--json", str(tmp_path / "missing.png"), str(fake), str(empty), str(EN), str(no_images))
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    doc = json.loads(p.stdout)
    codes = [i["error"]["code"] if i["error"] else None for i in doc["inputs"]]
    assert codes[0] == "not_found" and codes[1] == "not_an_image" and codes[2] in ("corrupt_image", "not_an_image")
    assert codes[3] is None and doc["inputs"][3]["lines"]
    assert codes[4] == "no_images"  # an empty folder is reported, not silently skipped


def test_text_from_stdin_conversations_and_prefixes():
    threat = "不给钱我就把你的照片发给你家人"
    chat = f"them: 你好\n我: 你是谁\n\n对方：{threat}\n\n对方：发几张你不穿衣服的照片给我\n對方：{threat}\n"
    p = run("text", "--json", "-", stdin=chat)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert len(doc["inputs"]) == 3  # a blank line starts the next conversation
    assert [ln["sender"] for ln in doc["inputs"][0]["lines"]] == ["them", "me"]
    assert doc["inputs"][0]["summary"]["risk"] == "none"
    assert doc["inputs"][1]["lines"][0]["bbox"] is None
    assert doc["inputs"][1]["summary"]["risk"] in ("high", "critical")  # a threat on its own
    # the same threat after a request for intimate photos is sextortion: critical
    after = doc["inputs"][2]["lines"][1]["findings"]
    assert any(f["severity"] == "critical" for f in after)
    assert doc["inputs"][2]["summary"]["risk"] == "critical"


def test_text_summary_is_the_weighed_conversation_risk_not_just_the_worst_line():
    # three kinds of risk together (school, birthday, a meeting alone) raise the chat one step
    # above its worst line (patterns/conversation.py); the CLI used to report only that line
    lines = ["你在哪个学校读书呀？", "你生日是几号？", "周末出来见个面吧，就我们两个"]
    p = run("text", "--json", "-", stdin="".join(f"them: {t}\n" for t in lines))
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    [inp] = doc["inputs"]
    worst = max(("low", "medium", "high", "critical").index(f["severity"])
                for ln in inp["lines"] for f in ln["findings"])
    from patterns import Analyzer, Message, Speaker

    weighed = Analyzer.load(()).assess([Message(t, Speaker.THEM) for t in lines])
    assert any("kinds of risk together" in r for r in weighed.reasons)
    assert inp["summary"]["risk"] == weighed.risk == doc["summary"]["risk"]
    assert ("low", "medium", "high", "critical").index(inp["summary"]["risk"]) > worst
    # and the people's output says why, in their language
    for lang, said in (("zh-Hans", "3 种不同的风险"), ("zh-Hant", "3 種不同的風險"), ("en", "3 different kinds of risk")):
        p = run("text", "--ui-lang", lang, "-", stdin="".join(f"them: {t}\n" for t in lines))
        assert said in p.stdout, (lang, p.stdout[-400:])


def test_human_output_is_localised_and_says_no_match_is_not_proof():
    p = run("text", "--ui-lang", "zh-Hant", "-", stdin="them: 晚上吃什麼？\nme: 火鍋\n")
    assert p.returncode == 0
    assert "不代表" in p.stdout and "安全" in p.stdout
    p = run("text", "--ui-lang", "en", "-", stdin="them: 晚上吃什么？\n")
    assert "does not prove" in p.stdout


def test_usage_errors_exit_2():
    assert run("scan").returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("scan", "--lang", "klingon", str(ZH)).returncode == 2


def test_doctor_reports_both_engines():
    p = run("doctor")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "rapidocr" in p.stdout and "tesseract" in p.stdout
    assert "chi_sim" in p.stdout and "chi_tra" in p.stdout
    assert "ok learned second opinion: chatguard-learned-1" in p.stdout
    assert "ok regex gate: " in p.stdout


def test_python_dash_m_is_the_same_command():
    p = subprocess.run([sys.executable, "-m", "desktop", "--version"], capture_output=True, text=True)
    assert p.returncode == 0 and "chatguard" in p.stdout


@pytest.mark.skipif(shutil.which("chatguard") is None and not Path(sys.executable).with_name("chatguard").exists(),
                    reason="console script not installed")
def test_console_scripts_installed():
    assert Path(sys.executable).with_name("chatguard").exists()
    assert Path(sys.executable).with_name("chatguard-gui").exists()


def test_screenshots_of_one_chat_count_repeated_lines_once():
    """The same chat scrolled: the overlap is marked duplicate_of and counted once."""
    import copy

    from desktop.scan import Scanner

    scanner = Scanner()
    first = scanner.read_input(ZH)[0]
    second = copy.deepcopy(first)
    second.source = "scrolled.png"
    run = scanner.finish([first, second])
    assert all(ln.duplicate_of is None for ln in run.inputs[0].lines)
    assert all(ln.duplicate_of is not None and ln.duplicate_of[0] == 0 for ln in run.inputs[1].lines)
    assert run.summary.flagged_lines == run.inputs[0].summary.flagged_lines
    # a repeated risky line still shows its finding on the second screenshot
    assert any(ln.findings for ln in run.inputs[1].lines)


def test_human_scan_output_keeps_each_match_on_its_line():
    """A phrase that wraps across the lines of a bubble (住在哪 / 个小区) is matched over the whole
    message; printed, it must not break the report's layout."""
    p = run("scan", "--ui-lang", "en", str(ZH))
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    matched = [ln for ln in lines if ln.lstrip().startswith("matched")]
    assert matched
    body = [ln for ln in lines if ln and not ln.startswith(("==", "--", " "))]
    assert body == [], body


def test_context_findings_flag_their_line_but_do_not_set_the_input_summary():
    from desktop.scan import LineResult, _summary_of
    from patterns import Category, Finding, Severity

    def finding(cat: Category, sev: Severity, context: bool) -> Finding:
        return Finding(rule=f"{cat.value}.x", category=cat, severity=sev, score=100.0, matched="x",
                       span=(0, 1), advice=cat.value, context=context)

    lines = [LineResult(0, 0, "a", "them", None, None, [finding(Category.THREAT, Severity.MEDIUM, False)]),
             LineResult(1, 1, "b", "them", None, None, [finding(Category.MONEY_DEMAND, Severity.CRITICAL, True)])]
    s = _summary_of(lines)
    assert (s.risk, s.categories, s.flagged_lines) == ("medium", (Category.THREAT,), 2)
