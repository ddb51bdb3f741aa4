"""Build and run the ChatGuard window.

``build_app`` makes the QApplication and the MainWindow without entering the event loop (tests
drive the real window); ``run_app`` shows it, starts scanning the given paths and runs the loop.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import traceback
from collections.abc import Sequence
from types import TracebackType
from typing import cast

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from .mainwindow import ICON, MainWindow
from .settings import Settings

log = logging.getLogger("chatguard.gui")


def build_app(paths: Sequence[str] = (), ui_lang: str | None = None, *, scanner=None,  # type: ignore[no-untyped-def]
              settings: Settings | None = None, install_hooks: bool = True) -> tuple[QApplication, MainWindow]:
    # Workers run Python too: hand the GIL back to the GUI thread sooner than the default 5 ms
    # (bench/gui_stall, 20 screenshots: longest stall 48-53 ms at 1 ms, 36-45 ms at 0.2 ms).
    sys.setswitchinterval(0.0002)
    app = cast(QApplication, QApplication.instance())
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    app.setApplicationName("ChatGuard")
    app.setApplicationDisplayName("ChatGuard 聊天守护")
    app.setOrganizationName("ChatGuard")
    app.setDesktopFileName("chatguard")
    if ICON.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(ICON)))
    win = MainWindow(settings=settings, scanner=scanner, ui_lang=ui_lang)
    if install_hooks:
        install_excepthook(win)
    avail = (win.screen() or app.primaryScreen()).availableGeometry()
    win.resize(min(1400, avail.width()), min(860, avail.height()))
    if paths:
        win.add_paths(list(paths))
    return app, win  # type: ignore[return-value]


def install_excepthook(win: MainWindow) -> None:
    """An unexpected exception: log it, show a dialog with "Copy details", keep running.
    Nothing on the console."""

    def hook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(etype, KeyboardInterrupt):
            QApplication.quit()
            return
        log.error("unexpected error", exc_info=(etype, value, tb))
        with contextlib.suppress(RuntimeError):  # the window may be gone
            win.errorRaised.emit(format_details(etype, value, tb))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        hook(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def format_details(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> str:
    import platform

    from PySide6 import __version__ as pyside_version

    from .. import __version__

    head = f"ChatGuard {__version__}, Python {platform.python_version()}, PySide6 {pyside_version}, {platform.platform()}\n"
    return head + "".join(traceback.format_exception(etype, value, tb))


def run_app(paths: list[str], ui_lang: str | None = None) -> int:
    try:
        from ..logs import setup_logging

        setup_logging()
    except Exception:  # logging must never keep the window from opening
        pass
    app, win = build_app([], ui_lang)
    win.show()
    QTimer.singleShot(0, win.start_background)
    if paths:
        QTimer.singleShot(0, lambda: win.add_paths(list(paths)))
    return int(app.exec())
