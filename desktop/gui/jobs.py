"""Work off the GUI thread: one ``QRunnable`` per queued input, results marshalled back with
signals (queued connections: the signal objects live in the GUI thread).

Nothing here touches widgets. ``Scanner`` objects are made in the workers (the first one loads
the pattern pack, ~1 s, cached by ``Scanner.load_analyzer``).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRunnable, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader

if TYPE_CHECKING:
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
    image.save(buf, "PNG")
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
        try:
            if self.data is not None:
                results = [scanner.read_image_bytes(self.data, self.label)]
            else:
                assert self.path is not None
                results = scanner.read_input(self.path)
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
    """Makes (thread-safely, once per options) the Scanner the workers and the GUI share."""

    def __init__(self, options_kwargs: dict[str, Any], scanner: Scanner | None = None) -> None:
        self._lock = threading.Lock()
        self._kwargs = dict(options_kwargs)
        self._scanner = scanner
        self._fixed = scanner is not None

    def configure(self, **kwargs: Any) -> None:
        with self._lock:
            self._kwargs.update(kwargs)
            if self._scanner is not None:
                from dataclasses import replace

                self._scanner = type(self._scanner)(replace(self._scanner.options, **kwargs),
                                                    analyzer=self._scanner.analyzer)

    @property
    def ready(self) -> bool:
        return self._scanner is not None

    def __call__(self) -> Scanner:
        s = self._scanner
        if s is not None:
            return s
        from ..scan import Scanner, ScanOptions

        analyzer = Scanner.load_analyzer()  # slow the first time; cached, with its own lock
        with self._lock:
            if self._scanner is None:
                self._scanner = Scanner(ScanOptions(**self._kwargs), analyzer=analyzer)
            return self._scanner
