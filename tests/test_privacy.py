"""Issue 8, privacy: no network in any flow, nothing left in the temp folder, message text never
logged above DEBUG, logs in the user's data folder and rotated. Screenshots may be intimate."""

from __future__ import annotations

import logging
import logging.handlers
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

from .conftest import SAMPLES

ZH = SAMPLES / "wechat_zh_sextortion.png"
EN = SAMPLES / "giftcard_en_sextortion.png"
SECRETS = ("照片", "gift cards", "giftcards", "nudes", "家人")


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to resolve a name or open a connection fails the test (and is recorded,
    in case the code under test swallows the exception)."""
    attempts: list[str] = []

    def deny(name: str):
        def f(*args, **kwargs):
            attempts.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise NetworkUsed(f"network used: {name}")
        return f

    monkeypatch.setattr(socket.socket, "connect", deny("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", deny("socket.connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", deny("socket.sendto"))
    monkeypatch.setattr(socket, "create_connection", deny("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", deny("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", deny("gethostbyname"))
    yield attempts
    assert attempts == [], attempts


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    d = tmp_path / "private-tmp"
    d.mkdir()
    for var in ("TMPDIR", "TMP", "TEMP"):
        monkeypatch.setenv(var, str(d))
    monkeypatch.setattr(tempfile, "tempdir", str(d))
    return d


@pytest.fixture
def fresh_logging(monkeypatch):
    """setup_logging() configures the process once; let each test configure it for its own
    CHATGUARD_HOME and take the handlers away afterwards."""
    import desktop.logs as logs

    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    monkeypatch.setattr(logs, "_configured", False)
    yield
    for h in list(root.handlers):
        if h not in before:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)


def _leftovers(d: Path) -> list[str]:
    return sorted(str(p.relative_to(d)) for p in d.rglob("*"))


# ------------------------------------------------------------------------------ network


def test_scan_text_and_report_open_no_connection(no_network, tmp_path, fresh_logging, qapp):
    from desktop.cli import main

    chat = tmp_path / "chat.txt"
    chat.write_text("them: send me $500 in Steam gift cards or I post your nudes\n", encoding="utf-8")
    assert main(["scan", "--json", str(ZH), str(tmp_path / "missing.png")]) == 1
    assert main(["text", "--json", str(chat)]) == 0
    assert main(["report", "--out", str(tmp_path / "x.pdf"), str(EN)]) == 0
    assert (tmp_path / "x.pdf").stat().st_size > 1000


def test_gui_scan_opens_no_connection(no_network, qtbot, tmp_path):
    app_mod = pytest.importorskip("desktop.gui.app")
    if not hasattr(app_mod, "build_app"):
        pytest.skip("no build_app")
    from desktop.scan import Scanner, ScanOptions

    _app, w = app_mod.build_app([], "en", scanner=Scanner(ScanOptions(ui_lang="en")), install_hooks=False)
    qtbot.addWidget(w)
    w.show()
    shot = tmp_path / "shot.png"
    shutil.copy(EN, shot)
    w.add_paths([shot])

    def done() -> None:
        assert w.items and all(i.state in ("done", "error", "cancelled") for i in w.items)
        assert w.run is not None

    qtbot.waitUntil(done, timeout=90_000)
    assert [i.state for i in w.items] == ["done"]
    w.cancel()
    w.pool.waitForDone(30_000)
    w.close()


# ------------------------------------------------------------------------------ temp folder


def test_no_temp_files_after_scans_that_succeed_fail_and_time_out(private_tmp, tmp_path):
    import ocr
    from desktop.scan import Scanner, ScanOptions

    bad = tmp_path / "bad.png"
    bad.write_bytes(EN.read_bytes()[:5000])  # truncated
    ocr.clear_cache()
    Scanner(ScanOptions(timeout=120)).scan_paths([EN, bad, tmp_path / "missing.png"])
    assert _leftovers(private_tmp) == []
    ocr.clear_cache()
    run = Scanner(ScanOptions(timeout=0.001)).scan_paths([ZH])
    assert run.inputs[0].error.code == "ocr_timeout"
    assert _leftovers(private_tmp) == []


def test_no_temp_files_after_a_tesseract_scan(private_tmp):
    import ocr
    from desktop.scan import Scanner, ScanOptions

    ocr.clear_cache()
    run = Scanner(ScanOptions(engine="tesseract", ocr_langs=("zh-Hans",))).scan_paths([ZH])
    if run.engine_missing is not None:
        pytest.skip("Tesseract is not installed")
    assert run.inputs[0].error is None
    assert _leftovers(private_tmp) == []


def test_no_temp_files_after_a_report(private_tmp, tmp_path, fresh_logging, qapp):
    from desktop.cli import main

    assert main(["report", "--out", str(tmp_path / "r.html"), str(EN)]) == 0
    assert _leftovers(private_tmp) == []


# ------------------------------------------------------------------------------ logs


def test_message_text_is_never_logged_above_debug(caplog, tmp_path, fresh_logging, _private_home):
    from desktop.cli import main
    from desktop.logs import log_file

    chat = tmp_path / "chat.txt"
    chat.write_text("them: 不给钱我就把你的照片发给你家人\nthem: send me $500 in Steam gift cards or I post your nudes\n",
                    encoding="utf-8")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    caplog.set_level(logging.INFO)
    import ocr

    ocr.clear_cache()
    assert main(["scan", "--json", "--verbose", str(ZH), str(EN), str(broken)]) == 1
    assert main(["text", "--json", str(chat)]) == 0
    assert caplog.records, "nothing was logged at all: the capture is not working"
    for rec in caplog.records:
        if rec.levelno > logging.DEBUG:
            msg = rec.getMessage() + (rec.exc_text or "")
            assert not any(s in msg for s in SECRETS), f"{rec.levelname} {rec.name}: {msg}"
    lf = log_file()
    assert lf.is_relative_to(_private_home / "logs")
    for h in logging.getLogger().handlers:
        h.flush()
    text = lf.read_text(encoding="utf-8")
    assert "input failed" in text  # the file is really written to
    assert not any(s in text for s in SECRETS), text[-2000:]


def test_logs_live_in_the_user_data_folder_and_rotate(fresh_logging, _private_home):
    from desktop.logs import log_file, setup_logging

    setup_logging()
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert handlers, "no rotating file handler"
    h = handlers[-1]
    assert Path(h.baseFilename) == log_file() and log_file().parent == _private_home / "logs"
    assert 0 < h.maxBytes <= 10_000_000 and h.backupCount >= 1
    log = logging.getLogger("chatguard.test")
    for _ in range(h.maxBytes // 500 + 50):
        log.info("x" * 500)
    h.flush()
    rotated = sorted(p.name for p in log_file().parent.iterdir())
    assert "chatguard.log.1" in rotated, rotated
    assert all(p.stat().st_size <= h.maxBytes + 1000 for p in log_file().parent.iterdir())


def test_debug_text_only_with_chatguard_debug(fresh_logging, monkeypatch):
    from desktop.logs import setup_logging

    monkeypatch.delenv("CHATGUARD_DEBUG", raising=False)
    setup_logging()
    assert logging.getLogger().getEffectiveLevel() >= logging.INFO


_CHILD_GUARD = '''
import os, socket
_log = os.environ.get("CHATGUARD_TEST_NET_LOG")
def _deny(name):
    def f(*a, **k):
        with open(_log, "a", encoding="utf-8") as fh:
            fh.write(name + "\\n")
        raise OSError("network disabled by the privacy test")
    return f
if _log:
    socket.socket.connect = _deny("connect")
    socket.socket.connect_ex = _deny("connect_ex")
    socket.create_connection = _deny("create_connection")
    socket.getaddrinfo = _deny("getaddrinfo")
'''


def test_gui_with_its_ocr_child_process_opens_no_connection_and_leaves_no_temp_files(
        no_network, private_tmp, qtbot, tmp_path, monkeypatch):
    """The real window reads images in a spawned child process: the guard goes in through a
    sitecustomize on PYTHONPATH (the child inherits the environment), and the child's temp
    folder is the private one too."""
    import os

    app_mod = pytest.importorskip("desktop.gui.app")
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(_CHILD_GUARD, encoding="utf-8")
    net_log = tmp_path / "net.log"
    monkeypatch.setenv("CHATGUARD_TEST_NET_LOG", str(net_log))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(guard), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    monkeypatch.delenv("CHATGUARD_OCR_IN_PROCESS", raising=False)
    _app, w = app_mod.build_app([], "en", install_hooks=False)
    qtbot.addWidget(w)
    w.show()
    shot = tmp_path / "shot.png"
    shutil.copy(ZH, shot)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(ZH.read_bytes()[:3000])
    w.add_paths([shot, broken])

    def done() -> None:
        assert len(w.items) == 2 and all(i.state in ("done", "error", "cancelled") for i in w.items)
        assert w.run is not None

    qtbot.waitUntil(done, timeout=120_000)
    assert [i.state for i in w.items] == ["done", "error"]
    w.cancel()
    w.pool.waitForDone(30_000)
    w.close()
    qtbot.wait(200)
    assert not net_log.exists(), net_log.read_text(encoding="utf-8")
    assert _leftovers(private_tmp) == []


_FRESH_OCR = '''
import sys
sys.path.insert(0, sys.argv[1])
import ocr
reading = ocr.read_image(open(sys.argv[2], "rb").read(), engine="rapidocr")
assert reading.lines, "no text read"
print("ok")
'''


def test_onnxruntime_keeps_no_telemetry_state_and_no_temp_marker(tmp_path):
    """Recent onnxruntime wheels carry Microsoft's telemetry SDK: left alone, the first import
    writes a session marker ``.ses`` into the temp folder and a device id and event store under
    ``~/.cache/Microsoft/DeveloperTools``. A fresh interpreter (so onnxruntime is imported here
    for the first time) reads a screenshot through the OCR layer with a private temp folder and
    home: neither may hold anything afterwards."""
    import os
    import subprocess
    import sys

    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), TMPDIR=str(tmp), TMP=str(tmp),
               TEMP=str(tmp))
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", _FRESH_OCR, str(root), str(ZH)], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr[-2000:]
    assert sorted(p.name for p in tmp.iterdir()) == []
    assert [p.relative_to(home).as_posix() for p in home.rglob("*") if "microsoft" in p.name.lower()] == []
