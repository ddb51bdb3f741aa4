"""OCR in a child process, for the window.

A pool thread that runs OCR in the GUI's own process holds Python's global lock inside the
engines long enough to stall the window (measured: 160-300 ms). Reading images in a separate
process removes that contention, and a crash in an engine's native code can no longer take the
window down with it: the child is restarted and only that file gets an error. The child runs
at a lower CPU priority, so the window is scheduled first when both want the CPU.

The child is started with ``spawn`` (never ``fork`` a process that runs Qt threads), loads the
Scanner (pattern pack + OCR engine) once, and returns ``InputResult`` objects. Screenshots
reach it as bytes or paths through a pipe; nothing is written to disk.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from .scan import InputErrorInfo, InputResult, Scanner, ScanOptions

log = logging.getLogger(__name__)

_scanner: Scanner | None = None


def _lower_priority() -> None:
    """OCR uses every core; the window must still get the CPU the moment it needs it."""
    try:
        if hasattr(os, "nice"):
            os.nice(10)
        elif sys.platform == "win32":
            import ctypes

            below_normal = 0x00004000
            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), below_normal)
    except (OSError, AttributeError):
        pass


def _exit_with_parent() -> None:
    """If the window's process dies (killed, crashed), this child must not run on orphaned:
    wait on the parent's process sentinel in a daemon thread and leave when it is gone."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _init(options: ScanOptions) -> None:
    global _scanner
    from .logs import setup_logging

    _exit_with_parent()
    _lower_priority()
    setup_logging()
    _scanner = Scanner(options)


def _read_input(path: str) -> list[InputResult]:
    assert _scanner is not None
    return _scanner.read_input(Path(path))


def _read_bytes(data: bytes, source: str) -> InputResult:
    assert _scanner is not None
    return _scanner.read_image_bytes(data, source)


class ProcessReader:
    """``read_input`` / ``read_image_bytes`` like ``Scanner``'s, run in one child process.
    Thread-safe: pool threads of the window call it and wait (without holding the GIL)."""

    def __init__(self, options: ScanOptions) -> None:
        self.options = options
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                ctx = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=_init,
                                                 initargs=(self.options,))
            return self._pool

    def _call(self, fn: Any, *args: Any, source: str) -> Any:
        for attempt in (1, 2):
            pool = self._executor()
            try:
                fut: Future[Any] = pool.submit(fn, *args)
                return fut.result()
            except BrokenProcessPool:
                # the engine crashed (native code) or the child was killed: restart it once,
                # then report this one file as failed and keep going
                log.error("OCR process died on %s (attempt %d)", Path(source).name, attempt)
                with self._lock:
                    if self._pool is pool:
                        self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
        return None

    def read_input(self, path: Path) -> list[InputResult]:
        res = self._call(_read_input, str(path), source=str(path))
        if res is None:
            return [_crashed(str(path))]
        return list(res)

    def read_image_bytes(self, data: bytes, source: str) -> InputResult:
        res = self._call(_read_bytes, data, source, source=source)
        return res if res is not None else _crashed(source)

    def shutdown(self) -> None:
        """Stop the child now (the window is closing): a read in progress is abandoned."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        procs = list(getattr(pool, "_processes", {}).values())  # no public API to stop a busy child
        pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            if p.is_alive():
                p.terminate()

        def reap() -> None:
            # a child busy in native code on a loaded machine may outlive SIGTERM for a while:
            # it must not run on after the window is gone
            for p in procs:
                p.join(timeout=3)
                if p.is_alive():
                    p.kill()
                    p.join(timeout=3)

        threading.Thread(target=reap, name="ocr-reaper", daemon=True).start()


def _crashed(source: str) -> InputResult:
    return InputResult(source=source, kind="image",
                       error=InputErrorInfo("ocr_failed", "The OCR engine stopped while reading this image."))
