"""Work off the GUI thread: one ``QRunnable`` per queued input, results marshalled back with
signals (queued connections: the signal objects live in the GUI thread).

Nothing here touches widgets. ``Scanner`` objects are made in the workers (the first one loads
the pattern pack, ~1 s, cached by ``Scanner.load_analyzer``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRunnable, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader

if TYPE_CHECKING:
    from ..ocr_process import ProcessReader
    from ..scan import InputErrorInfo, InputResult, Scanner

log = logging.getLogger(__name__)

THUMB = QSize(72, 96)


@dataclass(eq=False)
class QueueItem:
    """One thing the user gave us: a file, an image in memory, or chat text."""

    id: int
    label: str
    kind: str  # "file" | "memory" | "text"
    path: Path | None = None
    data: bytes | None = None  # PNG bytes of a pasted/captured image (never written to disk)
    qimage: QImage | None = None  # a pasted image not yet encoded
    text: str | None = None
    state: str = "queued"  # queued | reading | done | error | cancelled
    results: list[InputResult] = field(default_factory=list)
    image: QImage | None = None  # for the viewer
    thumb: QImage | None = None
    error: InputErrorInfo | None = None
    batch: int = 0

    @property
    def is_image(self) -> bool:
        return self.kind == "memory" or (self.kind == "file" and (self.path is None or self.path.suffix.lower() != ".txt"))


class JobSignals(QObject):
    loaded = Signal(int, object, object)  # item id, display QImage | None, thumbnail QImage | None
    finished = Signal(int, object)  # item id, list[InputResult]
    engine_missing = Signal(int, object)  # item id, EngineUnavailableError
    crashed = Signal(int, str)  # item id, exception summary (the log has the traceback)
    encoded = Signal(int, bytes)  # item id, PNG bytes of a pasted/captured picture (kept in memory for the report)


def png_bytes(image: QImage) -> bytes:
    """Encode an image as PNG in memory (no temporary file)."""
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")  # type: ignore[call-overload]  # QBuffer is a QIODevice
    return bytes(buf.data().data())


def _decode(data: bytes | None, path: Path | None) -> QImage | None:
    if data is not None:
        img = QImage.fromData(QByteArray(data))
    else:
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        img = reader.read()
    return None if img.isNull() else img


def thumbnail(img: QImage | None) -> QImage | None:
    if img is None:
        return None
    return img.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


class ReadJob(QRunnable):
    """Read one queue item with the Scanner, in a pool thread."""

    def __init__(self, item: QueueItem, make_scanner: Callable[[], Scanner], signals: JobSignals) -> None:
        super().__init__()
        self.item_id = item.id
        self.kind = item.kind
        self.path = item.path
        self.data = item.data
        self.qimage = item.qimage.copy() if item.qimage is not None else None
        self.text = item.text
        self.label = item.label
        self.make_scanner = make_scanner
        self.signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            self._run()
        except RuntimeError as exc:
            if "deleted" not in str(exc):  # not just "the window closed meanwhile"
                log.exception("worker failed")
                with contextlib.suppress(RuntimeError):
                    self.signals.crashed.emit(self.item_id, f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # never lose a worker exception silently
            log.exception("worker failed")
            with contextlib.suppress(RuntimeError):
                self.signals.crashed.emit(self.item_id, f"{type(exc).__name__}: {exc}")

    def _run(self) -> None:
        from ocr.errors import EngineUnavailableError

        if self.kind == "text":
            scanner = self.make_scanner()
            results = scanner.read_text(self.text or "", self.label)
            self.signals.finished.emit(self.item_id, results)
            return
        is_txt = self.kind == "file" and self.path is not None and self.path.suffix.lower() == ".txt"
        if self.qimage is not None:
            self.data = png_bytes(self.qimage)
            self.signals.encoded.emit(self.item_id, self.data)
        if not is_txt:
            img = None
            try:
                img = _decode(self.data, self.path)
            except Exception:
                log.exception("preview decode failed")
            self.signals.loaded.emit(self.item_id, img, thumbnail(img))
        scanner = self.make_scanner()
        # images are read in the OCR child process when there is one (see desktop/ocr_process.py)
        reader_of = getattr(self.make_scanner, "reader", None)
        reader = (reader_of() if callable(reader_of) and not is_txt else None) or scanner
        try:
            if self.data is not None:
                results = [reader.read_image_bytes(self.data, self.label)]
            else:
                assert self.path is not None
                results = reader.read_input(self.path)
        except EngineUnavailableError as exc:
            self.signals.engine_missing.emit(self.item_id, exc)
            return
        self.signals.finished.emit(self.item_id, results)


class CallJob(QRunnable):
    """Run any function in the pool; deliver its result (or exception) on the GUI thread."""

    class _Sig(QObject):
        done = Signal(object, object)  # result, exception

    def __init__(self, fn: Callable[[], Any], on_done: Callable[[Any, BaseException | None], None]) -> None:
        super().__init__()
        self.fn = fn
        self.sig = CallJob._Sig()
        self.sig.done.connect(on_done, Qt.ConnectionType.QueuedConnection)
        self.setAutoDelete(True)

    def run(self) -> None:
        res, err = None, None
        try:
            res = self.fn()
        except Exception as exc:
            log.exception("background job failed")
            err = exc
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile
            self.sig.done.emit(res, err)


class ScannerFactory:
    """Makes (thread-safely, once per options) the Scanner the workers and the GUI share, and
    the OCR child process that reads images (``reader()``; None when OCR runs in this process:
    a Scanner given by the caller, or CHATGUARD_OCR_IN_PROCESS=1)."""

    def __init__(self, options_kwargs: dict[str, Any], scanner: Scanner | None = None,
                 *, use_process: bool | None = None) -> None:
        self._lock = threading.Lock()
        self._kwargs = dict(options_kwargs)
        self._scanner = scanner
        self._fixed = scanner is not None
        if use_process is None:
            use_process = scanner is None and os.environ.get("CHATGUARD_OCR_IN_PROCESS") != "1"
        self._use_process = use_process
        self._reader: ProcessReader | None = None

    def reader(self) -> ProcessReader | None:
        if not self._use_process:
            return None
        with self._lock:
            if self._reader is None:
                from ..ocr_process import ProcessReader
                from ..scan import ScanOptions

                self._reader = ProcessReader(ScanOptions(**self._kwargs))
            return self._reader

    def shutdown(self) -> None:
        with self._lock:
            reader, self._reader = self._reader, None
        if reader is not None:
            reader.shutdown()

    def configure(self, **kwargs: Any) -> None:
        if set(kwargs) - {"ui_lang"}:
            self.shutdown()  # the OCR child restarts with the new engine / languages
        with self._lock:
            self._kwargs.update(kwargs)
            if self._scanner is not None:
                from dataclasses import replace

                options = replace(self._scanner.options, **kwargs)
                analyzer = self._scanner.analyzer
                if options.rules_only != (analyzer.learned is None):
                    # the same pack and indexes, with or without the learned model: no reload
                    analyzer = analyzer.with_learned(not options.rules_only)
                self._scanner = type(self._scanner)(options, analyzer=analyzer)

    @property
    def ready(self) -> bool:
        return self._scanner is not None

    def __call__(self) -> Scanner:
        s = self._scanner
        if s is not None:
            return s
        from ..scan import Scanner, ScanOptions

        # slow the first time; cached, with its own lock
        analyzer = Scanner.load_analyzer(rules_only=bool(self._kwargs.get("rules_only")))
        # the pattern indexes are long-lived: keep the cyclic GC from walking them on every
        # full collection (a pause the GUI thread would feel)
        import gc

        gc.freeze()
        with self._lock:
            if self._scanner is None:
                self._scanner = Scanner(ScanOptions(**self._kwargs), analyzer=analyzer)
            return self._scanner
