"""The real window, offscreen, with pytest-qt: input, queue, viewer, findings, language, errors.

One Scanner is shared by the whole module (the pattern pack and the OCR engine load once; the
OCR layer caches readings by image hash, so the samples are read for real only once).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent, QGuiApplication, QImage, QPixmap  # noqa: E402

from tests.conftest import SAMPLES  # noqa: E402

pytestmark = pytest.mark.gui

ZH = SAMPLES / "wechat_zh_sextortion.png"
EN = SAMPLES / "giftcard_en_sextortion.png"
TIMEOUT = 60_000


@pytest.fixture(scope="module")
def scanner():
    from desktop.scan import Scanner, ScanOptions

    return Scanner(ScanOptions(ui_lang="en"))


@pytest.fixture
def win(qtbot, scanner):
    from desktop.gui.app import build_app

    _app, w = build_app([], "en", scanner=scanner, install_hooks=False)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    yield w
    w.cancel()
    w.pool.waitForDone(60_000)


def wait_done(qtbot, w) -> None:
    def ready() -> bool:
        assert w.items and all(i.state in ("done", "error", "cancelled") for i in w.items)
        assert not w.is_busy() and w.run is not None

    qtbot.waitUntil(ready, timeout=TIMEOUT)


def drop(w, paths: list[Path]) -> None:
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    ev = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    w.dropEvent(ev)
    assert ev.isAccepted()


# ------------------------------------------------------------------------------ input


def test_drop_files_reads_them_and_shows_one_verdict(qtbot, win, tmp_path):
    folder = tmp_path / "shots"
    folder.mkdir()
    shutil.copy(EN, folder / "b.png")
    drop(win, [ZH, folder])
    assert [i.label for i in win.items] == [ZH.name, "b.png"]  # a folder means the images in it
    wait_done(qtbot, win)
    assert [i.state for i in win.items] == ["done", "done"]
    risk, cats = win.findings.current_verdict()
    assert risk == "critical" and "sextortion" in cats
    assert win.findings.title.text().startswith("‼ Critical risk: this looks like")
    assert "sextortion" in win.findings.title.text()
    assert "First, do this:" in win.findings.first.text()  # the first step is in the banner
    body = win.findings.body.toPlainText()
    assert "What to do now" in body and "tips.fbi.gov" in body
    assert "them:" in body
    assert win.progress.value() == 2
    assert "Critical risk" in win.queue_list.item(0).text()
    assert not win.queue_list.item(0).icon().isNull()  # thumbnail


def test_boxes_are_where_the_lines_are(qtbot, win):
    win.add_paths([ZH])
    wait_done(qtbot, win)
    win.queue_list.setCurrentRow(0)
    res = win.items[0].results[0]
    ii = win.run.inputs.index(res)
    assert len(win.viewer.boxes) == sum(1 for ln in res.lines if ln.bbox)
    flagged = 0
    for li, ln in enumerate(res.lines):
        r = win.viewer.box_rect(ii, li)
        assert [r.x(), r.y(), r.width(), r.height()] == ln.bbox
        box = win.viewer.boxes[(ii, li)]
        if ln.findings:
            flagged += 1
            assert box.severity == max((f.severity for f in ln.findings), key=lambda s: s.rank).value
            assert ln.text in box.toolTip() and "matched" in box.toolTip()
        else:
            assert box.severity is None
    assert flagged >= 2
    # clicking a finding's "Show in the screenshot" selects its box
    e = next(e for e in win.findings.entries if e.input_index == ii)
    win.findings._anchor(QUrl(f"show:{win.findings.entries.index(e)}"))
    assert win.viewer.boxes[(ii, e.line_indices[0])].isSelected()
    assert e.text.split()[0] in win.viewer.detail.text()


def test_paste_image_is_scanned_in_memory(qtbot, win, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    import desktop.paths

    home_before = sorted(p.name for p in desktop.paths.data_dir().parent.rglob("*"))
    QGuiApplication.clipboard().setImage(QImage(str(EN)))
    win.paste()
    assert win.items[-1].kind == "memory" and win.items[-1].path is None
    wait_done(qtbot, win)
    item = win.items[-1]
    assert item.state == "done" and item.results[0].lines
    assert win.findings.current_verdict()[0] in ("high", "critical")
    assert list(tmp_path.iterdir()) == []  # nothing written where we are
    after = sorted(p.name for p in desktop.paths.data_dir().parent.rglob("*"))
    assert [n for n in after if n.lower().endswith((".png", ".jpg"))] == []
    assert len(after) <= len(home_before) + 2  # settings only


def test_paste_text_goes_to_the_text_tab(qtbot, win):
    QGuiApplication.clipboard().setText("them: send me $500 in Steam gift cards\nthem: or I post your nudes\nme: please no")
    win.paste()
    assert win.tabs.currentIndex() == 1
    assert "gift cards" in win.text_edit.toPlainText()
    wait_done(qtbot, win)
    assert win.items[-1].kind == "text"
    risk, cats = win.findings.current_verdict()
    assert risk != "none" and "money_demand" in cats
    # checking again replaces the previous text, it does not pile up
    win.text_edit.setPlainText("me: see you at dinner tonight")
    win.btn_scan_text.click()
    wait_done(qtbot, win)
    assert sum(1 for i in win.items if i.kind == "text") == 1
    assert win.findings.current_verdict()[0] == "none"
    assert "does not prove the chat is safe" in win.findings.title.text()


def test_cancel_a_batch(qtbot, win, tmp_path):
    win.set_paused(True)
    files = []
    for n in range(4):
        files.append(tmp_path / f"shot{n}.png")
        shutil.copy(ZH if n % 2 else EN, files[-1])
    win.add_paths(files)
    assert [i.state for i in win.items] == ["queued"] * 4  # paused: nothing started
    from desktop.gui.mainwindow import MAX_THREADS

    win.set_paused(False)
    assert MAX_THREADS in (1, 2)
    assert sum(i.state == "reading" for i in win.items) == MAX_THREADS  # at most 2 OCR threads
    win.cancel()
    assert all(i.state == "cancelled" for i in win.items)
    assert not win.btn_cancel.isEnabled()
    win.pool.waitForDone(TIMEOUT)
    qtbot.wait(100)
    assert all(i.state == "cancelled" for i in win.items)  # late results are dropped
    assert win.run is None
    assert "Cancelled" in win.queue_list.item(3).text()


def test_a_bad_file_shows_its_error_and_the_rest_goes_on(qtbot, win, tmp_path):
    bad = tmp_path / "really_text.png"
    bad.write_text("this is not a picture", encoding="utf-8")
    missing = tmp_path / "gone.png"
    win.add_paths([bad, missing, ZH])
    wait_done(qtbot, win)
    states = {i.label: i.state for i in win.items}
    assert states == {"really_text.png": "error", "gone.png": "error", ZH.name: "done"}
    assert "This file is not an image." in win.queue_list.item(0).text()
    assert "The file does not exist." in win.queue_list.item(1).text()
    assert win.findings.current_verdict()[0] == "critical"
    assert "could not be read" in win.findings.body.toPlainText()
    win.queue_list.setCurrentRow(0)
    assert win.viewer.note.isVisible() and "not an image" in win.viewer.note.text()


# ------------------------------------------------------------------------------ language


def test_language_switch_changes_visible_strings(qtbot, win):
    win.add_paths([ZH])
    wait_done(qtbot, win)
    assert win.tabs.tabText(0) == "Screenshots"
    assert "Critical risk" in win.findings.title.text()
    win.set_language("zh-Hans")
    assert win.tabs.tabText(0) == "截图"
    assert win.btn_cancel.text() == "取消"
    assert "极高风险" in win.findings.title.text() and "性勒索" in win.findings.title.text()
    assert "现在该怎么做" in win.findings.body.toPlainText()
    assert "极高风险" in win.queue_list.item(0).text()
    win.set_language("zh-Hant")
    assert win.tabs.tabText(0) == "截圖"
    assert "極高風險" in win.findings.title.text()
    assert win.run.advice and any("\u4e00" <= ch <= "\u9fff" for ch in win.run.advice[0].title)  # advice re-localised
    win.set_language("en")
    assert win.tabs.tabText(0) == "Screenshots"
    assert "What to do now" in win.findings.body.toPlainText()


def test_translations_are_complete_and_compiled(tmp_path):
    """Every string in the code is in the .ts files, translated, and the .qm files are built
    from the current .ts files (run the i18n update in desktop/i18n/README.md otherwise)."""
    import subprocess
    import xml.etree.ElementTree as ET

    root = Path(__file__).resolve().parents[1]
    i18n = root / "desktop" / "i18n"
    bindir = Path(sys.executable).parent
    lupdate, lrelease = bindir / "pyside6-lupdate", bindir / "pyside6-lrelease"
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate not installed")
    sources = sorted(str(p) for p in (root / "desktop" / "gui").glob("*.py"))
    for lang in ("zh_CN", "zh_TW", "en"):
        ts = i18n / f"chatguard_{lang}.ts"
        fresh = tmp_path / ts.name
        shutil.copy(ts, fresh)
        subprocess.run([str(lupdate), *sources, "-ts", str(fresh), "-no-obsolete", "-locations", "none"],
                       check=True, capture_output=True)

        def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
            out = {}
            for ctx in ET.parse(path).getroot().iter("context"):
                name = ctx.findtext("name")
                for m in ctx.iter("message"):
                    out[(name, m.findtext("source"))] = m
            return out

        committed, current = messages(ts), messages(fresh)
        assert set(current) == set(committed), f"{ts.name}: run the i18n update (new or removed strings)"
        for key, m in committed.items():
            tr = m.find("translation")
            assert tr.get("type") not in ("unfinished", "vanished", "obsolete"), f"{ts.name}: {key} not translated"
            assert (tr.text or "").strip() or list(tr), f"{ts.name}: {key} empty"
        qm = tmp_path / f"chatguard_{lang}.qm"
        subprocess.run([str(lrelease), str(ts), "-qm", str(qm)], check=True, capture_output=True)
        assert qm.read_bytes() == (i18n / qm.name).read_bytes(), f"{qm.name} is out of date: run lrelease"


# ------------------------------------------------------------------------------ errors


def test_missing_engine_opens_the_fix_dialog_once(qtbot, win, tmp_path, monkeypatch):
    from desktop.scan import Scanner
    from ocr.errors import EngineUnavailableError

    hint = "sudo apt install tesseract-ocr tesseract-ocr-chi-sim"

    def missing(self, data, source):
        raise EngineUnavailableError("Tesseract is not installed", hint=hint)

    monkeypatch.setattr(Scanner, "read_image_bytes", missing)
    second = tmp_path / "second.png"
    shutil.copy(EN, second)
    win.add_paths([ZH, second])
    qtbot.waitUntil(lambda: win.engine_dialog is not None and win.engine_dialog.isVisible(), timeout=TIMEOUT)
    assert hint in win.engine_dialog.fix.toPlainText()
    wait_done(qtbot, win)
    assert [i.state for i in win.items] == ["error", "error"]
    assert all(i.error.code == "engine_unavailable" for i in win.items)
    assert "OCR engine or its language data is missing" in win.queue_list.item(1).text()
    dialog = win.engine_dialog
    win.add_paths([ZH])  # more images: marked at once, no second dialog
    assert win.items[-1].state == "error" and win.engine_dialog is dialog
    win.engine_dialog.copy_btn.click()
    assert QGuiApplication.clipboard().text() == hint
    # chat text still works without OCR
    win.text_edit.setPlainText("them: pay $500 in gift cards or I post your photos")
    win.btn_scan_text.click()
    wait_done(qtbot, win)
    assert win.items[-1].state == "done"


def test_unexpected_exception_shows_a_dialog_and_the_app_stays_up(qtbot, win, monkeypatch):
    from desktop.gui.app import install_excepthook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    import threading

    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_excepthook(win)
    try:
        raise ValueError("boom in a slot")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    qtbot.waitUntil(lambda: win.error_dialog is not None and win.error_dialog.isVisible(), timeout=5000)
    assert "ValueError: boom in a slot" in win.error_dialog.details
    win.error_dialog.copy_btn.click()
    assert "boom in a slot" in QGuiApplication.clipboard().text()
    assert win.isVisible()
    win.add_paths([ZH])  # still works
    wait_done(qtbot, win)
    assert win.items[0].state == "done"


# ------------------------------------------------------------------------------ filters


def test_not_risky_is_remembered_without_the_text(qtbot, win, scanner):
    import desktop.paths

    win.text_edit.setPlainText("them: I will post your nudes unless you pay $500\nme: ok")
    win.btn_scan_text.click()
    wait_done(qtbot, win)
    before = win.findings.current_verdict()
    assert before[0] != "none"
    for i, _e in enumerate(list(win.findings.entries)):
        win.findings._anchor(QUrl(f"dismiss:{i}"))
    assert win.findings.current_verdict()[0] == "none"
    assert win.findings.show_hidden.isVisible()
    saved = (desktop.paths.data_dir() / "not_risky.json").read_text(encoding="utf-8")
    # rule ids may name what they catch ("pay-amount"); the message's own words must not be there
    for words in ("post your nudes", "unless you pay", "$500", "I will"):
        assert words not in saved
    # a new window remembers
    from desktop.gui.app import build_app

    _app, w2 = build_app([], "en", scanner=scanner, install_hooks=False)
    qtbot.addWidget(w2)
    w2.text_edit.setPlainText("them: I will post your nudes unless you pay $500\nme: ok")
    w2.btn_scan_text.click()
    wait_done(qtbot, w2)
    assert w2.findings.current_verdict()[0] == "none"
    w2.findings._anchor(QUrl("restore:0"))
    assert w2.findings.current_verdict()[0] != "none"


def test_a_category_switched_off_is_not_shown(qtbot, win):
    win.text_edit.setPlainText("them: send me $500 in Steam gift cards\nthem: or I post your nudes")
    win.btn_scan_text.click()
    wait_done(qtbot, win)
    cats = win.findings.current_verdict()[1]
    assert cats
    for c in cats:
        win.settings.set(f"show/{c}", False)
    assert win.findings.current_verdict()[0] == "none"
    win.settings.set(f"show/{cats[0]}", True)
    assert win.findings.current_verdict()[1] == [cats[0]]


def test_the_learned_second_opinion_can_be_switched_off_and_on(qtbot, win):
    """Settings > Detection: the chat already read is weighed again without, then with, the
    learned model (a line no rule matches is flagged only by the model)."""
    win.text_edit.setPlainText("them: Your church has a Facebook page, doesn't it? "
                               "I bet the pastor would love my folder of you\nme: who is this")

    def learned_rules() -> list[str]:
        return [f.rule for inp in win.run.inputs for ln in inp.lines for f in ln.findings
                if f.rule.startswith("learned.")]

    win.btn_scan_text.click()
    wait_done(qtbot, win)
    assert learned_rules() and win.findings.current_verdict()[0] != "none"
    win.settings.set("detect/learned", False)
    qtbot.waitUntil(lambda: not win.is_busy() and not learned_rules(), timeout=TIMEOUT)
    assert win.findings.current_verdict()[0] == "none"
    win.settings.set("detect/learned", True)
    qtbot.waitUntil(lambda: not win.is_busy() and bool(learned_rules()), timeout=TIMEOUT)
    assert win.findings.current_verdict()[0] != "none"


# ------------------------------------------------------------------------------ capture, startup


def test_capture_overlay_returns_the_selected_region(qtbot):
    from desktop.gui.capture import CaptureOverlay

    shot = QPixmap(400, 300)
    shot.fill(Qt.GlobalColor.darkGreen)
    ov = CaptureOverlay(shot)
    qtbot.addWidget(ov)
    ov.resize(400, 300)
    ov.show()
    with qtbot.waitSignal(ov.captured, timeout=2000) as sig:
        qtbot.mousePress(ov, Qt.MouseButton.LeftButton, pos=QPoint(10, 20))
        qtbot.mouseMove(ov, QPoint(110, 170))
        qtbot.mouseRelease(ov, Qt.MouseButton.LeftButton, pos=QPoint(110, 170))
    img = sig.args[0]
    assert (img.width(), img.height()) == (100, 150)


def test_window_opens_without_loading_ocr(tmp_path):
    """The window is up before the OCR stack (numpy, OpenCV, onnxruntime) is imported."""
    import os
    import subprocess

    code = ("import sys, time; t = time.perf_counter()\n"
            "from desktop.gui.app import build_app\n"
            "app, w = build_app([], 'en'); w.show(); app.processEvents()\n"
            "assert 'ocr' not in sys.modules and 'desktop.scan' not in sys.modules, 'OCR loaded on the GUI thread'\n"
            "print(time.perf_counter() - t)\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CHATGUARD_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 0, out.stderr
    assert float(out.stdout.strip().splitlines()[-1]) < 2.0


def test_export_report_writes_the_chosen_file(qtbot, win, tmp_path, monkeypatch):
    pytest.importorskip("desktop.report")
    from PySide6.QtWidgets import QFileDialog

    QGuiApplication.clipboard().setImage(QImage(str(EN)))
    win.paste()  # a picture that exists only in memory
    win.add_paths([ZH])
    wait_done(qtbot, win)
    assert win.act_export.isEnabled()
    out = tmp_path / "report.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "Web page (*.html)"))
    win.export_report()
    assert out.exists() and out.with_suffix(".json").exists()


def test_images_are_read_in_the_ocr_process_and_it_stops_on_close(qtbot, tmp_path):
    """The default window (no Scanner given) reads images in a child process, so OCR never
    competes with the GUI thread for Python's lock; closing the window stops the child."""
    from desktop.gui.app import build_app

    _app, w = build_app([], "en", install_hooks=False)
    qtbot.addWidget(w)
    w.show()
    w.add_paths([ZH, tmp_path / "missing.png"])
    wait_done(qtbot, w)
    assert [i.state for i in w.items] == ["done", "error"]
    reader = w.factory.reader()
    assert reader is not None and reader._pool is not None
    procs = list(reader._pool._processes.values())
    assert procs and all(p.pid != os.getpid() for p in procs)
    risk, cats = w.findings.current_verdict()
    assert risk == "critical" and "sextortion" in cats
    w.close()
    # not p.join(): the pool's own threads reap the child too, and a join that loses that race
    # returns with the exit status unknown; is_alive() asked again sees it
    for p in procs:
        qtbot.waitUntil(lambda p=p: not p.is_alive(), timeout=10_000)


def test_a_long_list_of_flagged_lines_is_cut_and_can_be_expanded(qtbot, win):
    from desktop.gui.findings import PER_CATEGORY

    n = PER_CATEGORY + 6
    win.text_edit.setPlainText("\n".join(
        f"them: send ${100 + k} now or I post your nudes to your school, last warning {k}" for k in range(n)))
    win.btn_scan_text.click()
    wait_done(qtbot, win)
    entries = win.findings.entries
    cats = {e.category for e in entries}
    per_cat = {c: sum(e.category == c for e in entries) for c in cats}
    assert max(per_cat.values()) == n  # every line is flagged
    body = win.findings.body.toPlainText()
    listed = sum(body.count(f"last warning {k}\u201d") for k in range(n))
    assert listed == sum(min(v, PER_CATEGORY) if v > PER_CATEGORY + 2 else v for v in per_cat.values())
    assert body.count("Show 6 more lines") == sum(v == n for v in per_cat.values())
    for c in cats:
        win.findings._anchor(QUrl(f"more:{c}"))
    body = win.findings.body.toPlainText()
    assert sum(body.count(f"last warning {k}\u201d") for k in range(n)) == len(entries)
    assert "more line" not in body


def test_verdict_is_the_chats_weighed_risk_and_says_why(qtbot, win):
    """The banner says what the CLI and the report say: the conversation's weighed risk (three
    kinds of risk together raise it above the worst line), with the reason in the window's
    language; marking a line "not risky" undoes that weighing."""
    from patterns import Analyzer, Message, Severity, Speaker

    lines = ["你在哪个学校读书呀？", "你生日是几号？", "周末出来见个面吧，就我们两个"]
    weighed = Analyzer.load(()).assess([Message(t, Speaker.THEM) for t in lines])
    worst = max(f.severity.rank for m in weighed.messages for f in m.findings)
    assert weighed.reasons and Severity(weighed.risk).rank > worst  # the case this test is about
    win.text_edit.setPlainText("".join(f"them: {t}\n" for t in lines))
    win.btn_scan_text.click()
    wait_done(qtbot, win)
    assert win.findings.current_verdict()[0] == weighed.risk
    assert "kinds of risk together" in win.findings.first.text()
    win.set_language("zh-Hant")
    assert "種不同的風險" in win.findings.first.text()
    assert "kinds of risk" not in win.findings.first.text()
    # one line marked not risky: the chat is no longer "three kinds together"
    entry = next(i for i, e in enumerate(win.findings.entries) if not e.dismissed)
    win.findings._anchor(QUrl(f"dismiss:{entry}"))
    qtbot.waitUntil(lambda: win.findings.current_verdict()[0] != weighed.risk, timeout=5000)
    assert "種不同的風險" not in win.findings.first.text()
