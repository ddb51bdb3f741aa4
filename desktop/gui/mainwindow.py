"""The main window: input (drop, Open…, Paste, Capture screen, Text tab), the queue, the viewer
and the findings panel. OCR runs in a ``QThreadPool`` (2 threads); the GUI thread only does the
cheap ``Scanner.finish`` (pattern matching) and drawing."""

from __future__ import annotations

import copy
import gc
import html
import importlib.util
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QSize, Qt, QThread, QThreadPool, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QImage,
    QKeySequence,
    QPixmap,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from . import labels
from .capture import CaptureOverlay
from .dialogs import LANG_NAMES, EngineMissingDialog, ErrorDialog, SettingsDialog
from .findings import FindingsPanel
from .i18n import Translators
from .jobs import THUMB, CallJob, JobSignals, QueueItem, ReadJob, ScannerFactory
from .labels import MARK
from .notrisky import NotRiskyStore
from .settings import Settings
from .viewer import ShotViewer

if TYPE_CHECKING:
    from ..scan import InputResult, Scanner, ScanRun

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff", ".heic", ".heif", ".jfif")
# OCR workers: at most 2; on a 2-core machine one, so the GUI thread and the OCR engine's own
# threads are not starved (two Python workers also fight the GUI thread for the GIL).
MAX_THREADS = 2 if QThread.idealThreadCount() > 2 else 1
REFRESH_EVERY_MS = 400  # while a batch is being read, the live verdict is recomputed at most this often
ICON = Path(__file__).resolve().parents[1] / "assets" / "chatguard.png"


def _expand(paths: Sequence[str | Path]) -> list[Path]:
    """A folder means every image and .txt in it (like ``desktop.scan.expand_paths``, without
    importing the scan module on the GUI thread before it is needed)."""
    out: list[Path] = []
    for item in paths:
        p = Path(item)
        if p.is_dir():
            out.extend(sorted((c for c in p.iterdir() if c.is_file() and c.suffix.lower() in (*IMAGE_SUFFIXES, ".txt")),
                              key=lambda c: c.name.lower()))
        else:
            out.append(p)
    return out


class MainWindow(QMainWindow):
    errorRaised = Signal(str)
    runUpdated = Signal()  # after every (re)computation of the run: tests and the bench wait on it
    itemStateChanged = Signal(int, str)

    def __init__(self, settings: Settings | None = None, scanner: Scanner | None = None,
                 ui_lang: str | None = None, translators: Translators | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.translators = translators or Translators()
        from ..strings import ui_lang as system_lang

        self.lang = ui_lang or self.settings.get("ui/language") or system_lang()
        self.translators.set_language(self.lang)
        self.factory = ScannerFactory(dict(engine=self.settings.get("ocr/engine"), ocr_langs=self.settings.ocr_langs(),
                                           ui_lang=self.lang,
                                           rules_only=not self.settings.get("detect/learned")), scanner)
        if scanner is not None:
            self.factory.configure(ui_lang=self.lang, rules_only=not self.settings.get("detect/learned"))
        self.store = NotRiskyStore()
        self._rematch = False  # the next weighing matches every input again (the detection changed)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(MAX_THREADS)
        self.signals = JobSignals(self)
        self.signals.loaded.connect(self._on_loaded)
        self.signals.finished.connect(self._on_finished)
        self.signals.engine_missing.connect(self._on_engine_missing)
        self.signals.crashed.connect(self._on_crashed)
        self.signals.encoded.connect(self._on_encoded)
        self.errorRaised.connect(self.show_error, Qt.ConnectionType.QueuedConnection)
        self.items: list[QueueItem] = []
        self._next_id = 1
        self._running: set[int] = set()
        self.paused = False
        self.run: ScanRun | None = None
        self.run_owner: list[QueueItem] = []
        self.engine_error: Any = None
        self.engine_dialog: EngineMissingDialog | None = None
        self.error_dialog: ErrorDialog | None = None
        self.overlay: CaptureOverlay | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(30)
        self._refresh_timer.timeout.connect(self.refresh)
        self._jobs: list[CallJob] = []
        # weighing the run (matching every chat, duplicates, advice) runs here, one job at a
        # time, never on the GUI thread and never queued behind a screenshot being read
        self.finish_pool = QThreadPool(self)
        self.finish_pool.setMaxThreadCount(1)
        self._want = 0  # bumped by every request for a new run; a job's result counts only if current
        self._finishing = False
        self._closed = False
        self._show_pending = False  # the screenshot is redrawn in the event loop turn after a new run
        self._shown_key: Any = None

        self.setAcceptDrops(True)
        if ICON.exists():
            self.setWindowIcon(QIcon(str(ICON)))
        self._build_actions()
        self._build_ui()
        self.settings.changed.connect(self._setting_changed)
        self.retranslate()
        self._update_queue_ui()

    # ================================================================== construction

    def _build_actions(self) -> None:
        def act(slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
            a = QAction(self)
            a.triggered.connect(slot)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            self.addAction(a)
            return a

        self.act_open = act(self.open_files, QKeySequence.StandardKey.Open)
        self.act_paste = act(self.paste, QKeySequence.StandardKey.Paste)
        self.act_capture = act(self.capture_screen, "Ctrl+Shift+A")
        self.act_export = act(self.export_report, "Ctrl+E")
        self.act_clear = act(self.clear_all, "Ctrl+Shift+N")
        self.act_quit = act(self.close, QKeySequence.StandardKey.Quit)
        self.act_settings = act(self.open_settings, QKeySequence.StandardKey.Preferences)
        self.act_check = act(self.check_engine)
        self.act_zoom_in = act(lambda: self.viewer.zoom_in(), QKeySequence.StandardKey.ZoomIn)  # type: ignore[has-type]
        self.act_zoom_out = act(lambda: self.viewer.zoom_out(), QKeySequence.StandardKey.ZoomOut)  # type: ignore[has-type]
        self.act_fit = act(lambda: self.viewer.fit(), "Ctrl+0")  # type: ignore[has-type]
        self.lang_group = QActionGroup(self)
        self.lang_actions: dict[str, QAction] = {}
        for code in ("", "zh-Hans", "zh-Hant", "en"):
            a = QAction(self)
            a.setCheckable(True)
            a.triggered.connect(lambda _=False, c=code: self.choose_language(c))
            self.lang_group.addAction(a)
            self.lang_actions[code] = a
        chosen = self.settings.get("ui/language")
        self.lang_actions[chosen if chosen in self.lang_actions else ""].setChecked(True)
        self.export_available = importlib.util.find_spec("desktop.report") is not None

    def _build_ui(self) -> None:
        mb = self.menuBar()
        self.menu_file = mb.addMenu("")
        for a in (self.act_open, self.act_paste, self.act_capture, None, self.act_export, self.act_clear, None, self.act_settings, None, self.act_quit):
            self.menu_file.addSeparator() if a is None else self.menu_file.addAction(a)
        self.menu_view = mb.addMenu("")
        for a in (self.act_zoom_in, self.act_zoom_out, self.act_fit):
            self.menu_view.addAction(a)
        self.menu_lang = mb.addMenu("")
        for a in self.lang_actions.values():
            self.menu_lang.addAction(a)
        self.menu_help = mb.addMenu("")
        self.menu_help.addAction(self.act_check)

        tb = QToolBar(self)
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for a in (self.act_open, self.act_paste, self.act_capture, self.act_export):
            tb.addAction(a)
        self.toolbar = tb
        self.addToolBar(tb)

        # --- Screenshots tab: queue strip | drop zone / viewer
        self.queue_list = QListWidget()
        self.queue_list.setObjectName("queueList")
        self.queue_list.setIconSize(THUMB)
        self.queue_list.setWordWrap(True)
        self.queue_list.setUniformItemSizes(False)
        self.queue_list.currentRowChanged.connect(self._queue_selected)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.btn_pause = QPushButton()
        self.btn_pause.setCheckable(True)
        self.btn_pause.toggled.connect(self.set_paused)
        self.btn_cancel = QPushButton()
        self.btn_cancel.clicked.connect(self.cancel)
        qbtns = QHBoxLayout()
        qbtns.addWidget(self.btn_pause)
        qbtns.addWidget(self.btn_cancel)
        self.queue_panel = QWidget()
        ql = QVBoxLayout(self.queue_panel)
        ql.setContentsMargins(0, 0, 0, 0)
        ql.addWidget(self.queue_list, 1)
        ql.addWidget(self.progress)
        ql.addLayout(qbtns)
        self.queue_panel.setMinimumWidth(190)
        self.queue_panel.setMaximumWidth(320)

        self.drop_zone = QFrame()
        self.drop_zone.setObjectName("dropZone")
        self.drop_zone.setStyleSheet("QFrame#dropZone { border: 3px dashed palette(mid); border-radius: 12px; }")
        self.drop_title = QLabel()
        self.drop_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_title.setWordWrap(True)
        f = self.drop_title.font()
        f.setPointSizeF(f.pointSizeF() * 1.5)
        f.setBold(True)
        self.drop_title.setFont(f)
        self.drop_sub = QLabel()
        self.drop_sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_sub.setWordWrap(True)
        self.dz_open = QPushButton()
        self.dz_open.clicked.connect(self.open_files)
        self.dz_paste = QPushButton()
        self.dz_paste.clicked.connect(self.paste)
        self.dz_capture = QPushButton()
        self.dz_capture.clicked.connect(self.capture_screen)
        self.dz_sample = QPushButton()
        self.dz_sample.clicked.connect(self.open_samples)
        dzb = QHBoxLayout()
        dzb.addStretch(1)
        for b in (self.dz_open, self.dz_paste, self.dz_capture):
            dzb.addWidget(b)
        dzb.addStretch(1)
        dzl = QVBoxLayout(self.drop_zone)
        dzl.addStretch(1)
        dzl.addWidget(self.drop_title)
        dzl.addWidget(self.drop_sub)
        dzl.addSpacing(12)
        dzl.addLayout(dzb)
        sample_row = QHBoxLayout()
        sample_row.addStretch(1)
        sample_row.addWidget(self.dz_sample)
        sample_row.addStretch(1)
        dzl.addLayout(sample_row)
        dzl.addStretch(1)

        self.viewer = ShotViewer()
        self.viewer.lineChosen.connect(lambda i, li: None)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.drop_zone)
        self.stack.addWidget(self.viewer)

        shots = QSplitter(Qt.Orientation.Horizontal)
        shots.addWidget(self.queue_panel)
        shots.addWidget(self.stack)
        shots.setStretchFactor(0, 0)
        shots.setStretchFactor(1, 1)
        shots.setSizes([210, 500])
        shots.setChildrenCollapsible(False)

        # --- Text tab
        self.text_help = QLabel()
        self.text_help.setWordWrap(True)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("chatText")
        self.btn_scan_text = QPushButton()
        self.btn_scan_text.clicked.connect(self.scan_text)
        self.btn_open_txt = QPushButton()
        self.btn_open_txt.clicked.connect(self.open_text_file)
        tb_row = QHBoxLayout()
        tb_row.addWidget(self.btn_scan_text)
        tb_row.addWidget(self.btn_open_txt)
        tb_row.addStretch(1)
        text_tab = QWidget()
        tl = QVBoxLayout(text_tab)
        tl.addWidget(self.text_help)
        tl.addWidget(self.text_edit, 1)
        tl.addLayout(tb_row)

        self.tabs = QTabWidget()
        self.tabs.addTab(shots, "")
        self.tabs.addTab(text_tab, "")

        self.findings = FindingsPanel(self.store)
        self.findings.showLine.connect(self.show_line)
        self.findings.dismissChanged.connect(self._show_current)
        self.findings.set_shown(self.settings.shown_categories())

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tabs)
        split.addWidget(self.findings)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        split.setSizes([720, 600])
        split.setChildrenCollapsible(False)
        self.splitter = split
        self.setCentralWidget(split)

        QWidget.setTabOrder(self.tabs, self.queue_list)
        QWidget.setTabOrder(self.queue_list, self.btn_pause)
        QWidget.setTabOrder(self.btn_pause, self.btn_cancel)
        QWidget.setTabOrder(self.btn_cancel, self.viewer.view)
        QWidget.setTabOrder(self.viewer.view, self.findings.body)

    # ================================================================== language

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("ChatGuard \u2014 check a chat for scams and blackmail"))
        self.menu_file.setTitle(self.tr("&File"))
        self.menu_view.setTitle(self.tr("&View"))
        self.menu_lang.setTitle(self.tr("&Language") + " / 语言")
        self.menu_help.setTitle(self.tr("&Help"))
        self.act_open.setText(self.tr("&Open screenshots\u2026"))
        self.act_open.setToolTip(self.tr("Choose chat screenshots or a chat text file (Ctrl+O)"))
        self.act_paste.setText(self.tr("&Paste"))
        self.act_paste.setToolTip(self.tr("Check a picture or chat text you copied (Ctrl+V)"))
        self.act_capture.setText(self.tr("&Capture screen"))
        self.act_capture.setToolTip(self.tr("Hide this window and select the chat on your screen (Ctrl+Shift+A)"))
        self.act_export.setText(self.tr("&Export report\u2026"))
        self.act_export.setToolTip(self.tr("Save a report of what was found, to give to the police or someone who helps you (Ctrl+E)")
                                   if self.export_available else self.tr("The report is not available in this version"))
        self.act_clear.setText(self.tr("Start &over"))
        self.act_quit.setText(self.tr("&Quit"))
        self.act_settings.setText(self.tr("&Settings\u2026"))
        self.act_check.setText(self.tr("&Check text recognition"))
        self.act_zoom_in.setText(self.tr("Zoom &in"))
        self.act_zoom_out.setText(self.tr("Zoom &out"))
        self.act_fit.setText(self.tr("&Whole picture"))
        self.lang_actions[""].setText(self.tr("Same as the system"))
        for code in ("zh-Hans", "zh-Hant", "en"):
            self.lang_actions[code].setText(LANG_NAMES[code] or code)
        self.tabs.setTabText(0, self.tr("Screenshots"))
        self.tabs.setTabText(1, self.tr("Text"))
        self.queue_list.setAccessibleName(self.tr("Screenshots to check, with their status"))
        self.btn_pause.setText(self.tr("Resume") if self.paused else self.tr("Pause"))
        self.btn_cancel.setText(self.tr("Cancel"))
        self.btn_cancel.setToolTip(self.tr("Stop reading the screenshots that are still waiting"))
        self.progress.setAccessibleName(self.tr("Progress"))
        self.drop_title.setText(self.tr("Drop chat screenshots or folders here"))
        self.drop_sub.setText(self.tr("Or choose them, paste a copied picture, or capture the screen. The pictures are read on this computer; nothing is uploaded."))
        self.dz_open.setText(self.tr("Open screenshots\u2026"))
        self.dz_paste.setText(self.tr("Paste"))
        self.dz_capture.setText(self.tr("Capture screen"))
        self.dz_sample.setText(self.tr("Try it with an example"))
        self.text_help.setText(self.tr("Paste the chat's text here, one message per line. Start a line with \u201cthem:\u201d or \u201cme:\u201d (or \u201c对方:\u201d / \u201c我:\u201d) to say who wrote it. A blank line starts another conversation."))
        self.text_edit.setAccessibleName(self.tr("Chat text"))
        self.text_edit.setPlaceholderText(self.tr("them: hello\nme: hi"))
        self.btn_scan_text.setText(self.tr("Check this text"))
        self.btn_open_txt.setText(self.tr("Open a text file\u2026"))
        self.viewer.retranslate()
        for it in self.items:
            self._update_item(it)
        self._update_queue_ui()
        self.findings.render()

    def choose_language(self, code: str) -> None:
        self.settings.set("ui/language", code)
        from ..strings import ui_lang as system_lang

        self.set_language(code or system_lang())

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.translators.set_language(lang)
        self.factory.configure(ui_lang=lang)
        self.retranslate()
        self.refresh(wait=True)  # the advice in the new language at once, with the labels

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)

    # ================================================================== start-up

    def start_background(self) -> None:
        """After the window is shown: load the pattern pack and check the OCR engine, in a worker."""
        engine = self.settings.get("ocr/engine")

        def warm() -> Any:
            # Loading the pattern pack makes ~300,000 objects that live as long as the window.
            # Full garbage collections while they are made took 100-200 ms each, with the GIL
            # held, and froze the window (bench/gui_stall --why); afterwards every full
            # collection walked them all again. So: no automatic collection while loading, then
            # they are frozen (never collected: they are not garbage anyway).
            gc.disable()
            try:
                self.factory()
                from ..scan import check_engines

                return [s for s in check_engines() if s.name == engine]
            finally:
                gc.freeze()
                gc.enable()

        self._call(warm, self._engine_checked)

    def _call(self, fn, on_done, pool: QThreadPool | None = None) -> None:  # type: ignore[no-untyped-def]
        job = CallJob(fn, on_done)
        self._jobs.append(job)
        job.sig.done.connect(lambda *_: self._jobs.remove(job) if job in self._jobs else None)
        (pool or self.pool).start(job)

    def _engine_checked(self, statuses: Any, exc: BaseException | None) -> None:
        if exc is not None or not statuses:
            return
        st = statuses[0]
        if not st.ok:
            self.show_engine_missing(st.detail or self.tr("The OCR engine is not installed."), st.hint)

    def check_engine(self) -> None:
        def check() -> Any:
            from ..scan import check_engines

            return check_engines()

        def done(statuses: Any, exc: BaseException | None) -> None:
            if exc is not None:
                self.show_error(f"{type(exc).__name__}: {exc}")
                return
            bad = [s for s in statuses if s.name == self.settings.get("ocr/engine") and not s.ok]
            if bad:
                self.engine_dialog = None
                self.show_engine_missing(bad[0].detail, bad[0].hint)
            else:
                lines = [f"{s.name} {s.version}: {', '.join(s.languages)}" + ("" if s.ok else " \u2717") for s in statuses]
                QMessageBox.information(self, self.tr("Text recognition"), self.tr("Text recognition is ready.") + "\n\n" + "\n".join(lines))

        self._call(check, done)

    # ================================================================== input

    def add_paths(self, paths: Sequence[str | Path]) -> list[QueueItem]:
        new = []
        for p in _expand(paths):
            new.append(self._add(QueueItem(self._new_id(), p.name, "file", path=p)))
        self._pump()
        return new

    def add_image(self, image: QImage, label: str | None = None) -> QueueItem:
        """A pasted or captured picture: kept in memory, never written to disk."""
        item = self._add(QueueItem(self._new_id(), label or self.tr("Pasted picture %1").replace("%1", str(self._next_id - 1)),
                                   "memory", qimage=image))
        self._pump()
        return item

    def add_text(self, text: str, label: str | None = None) -> QueueItem:
        item = self._add(QueueItem(self._new_id(), label or self.tr("Chat text"), "text", text=text))
        self._pump()
        return item

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id - 1

    def _add(self, item: QueueItem) -> QueueItem:
        self.items.append(item)
        li = QListWidgetItem()
        li.setData(Qt.ItemDataRole.UserRole, item.id)
        li.setSizeHint(QSize(0, THUMB.height() + 8))
        self.queue_list.addItem(li)
        if self.engine_error is not None and item.is_image:
            self._fail_engine(item)
        self._update_item(item)
        self._update_queue_ui()
        if self.stack.currentIndex() == 0:
            self.stack.setCurrentIndex(1)
        if self.queue_list.currentRow() < 0:
            self.queue_list.setCurrentRow(0)
        return item

    def _item(self, item_id: int) -> QueueItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def _row(self, item: QueueItem) -> QListWidgetItem | None:
        for r in range(self.queue_list.count()):
            li = self.queue_list.item(r)
            if li.data(Qt.ItemDataRole.UserRole) == item.id:
                return li
        return None

    def open_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Choose chat screenshots"), str(Path.home()),
            self.tr("Screenshots and chat text (%1)").replace("%1", " ".join(f"*{s}" for s in (*IMAGE_SUFFIXES, ".txt")))
            + ";;" + self.tr("All files (*)"))
        if files:
            self.tabs.setCurrentIndex(0)
            self.add_paths(files)

    def open_samples(self) -> None:
        from .. import paths

        self.add_paths(sorted(paths.samples_dir().glob("*.png")))

    def open_text_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Open a chat text file"), str(Path.home()),
                                              self.tr("Text files (*.txt)") + ";;" + self.tr("All files (*)"))
        if not name:
            return
        try:
            data = Path(name).read_bytes()[:20_000_000]
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Open a chat text file"), str(exc.strerror or exc))
            return
        self.text_edit.setPlainText(data.decode("utf-8-sig", errors="replace"))
        self.scan_text(label=Path(name).name)

    def scan_text(self, checked: bool = False, label: str | None = None) -> None:
        text = self.text_edit.toPlainText()
        # the Text tab holds one text: a new check replaces the previous one
        for it in [i for i in self.items if i.kind == "text"]:
            self._remove(it)
        if text.strip():
            self.add_text(text, label)
        else:
            self.refresh()

    def _remove(self, item: QueueItem) -> None:
        li = self._row(item)
        if li is not None:
            self.queue_list.takeItem(self.queue_list.row(li))
        self.items.remove(item)
        self._running.discard(item.id)

    def paste(self) -> None:
        md = QGuiApplication.clipboard().mimeData()
        if md is None:
            return
        if md.hasImage():
            img = QImage(md.imageData())
            if not img.isNull():
                self.tabs.setCurrentIndex(0)
                self.add_image(img)
                return
        if md.hasUrls():
            local = [u.toLocalFile() for u in md.urls() if u.isLocalFile()]
            if local:
                self.tabs.setCurrentIndex(0)
                self.add_paths(local)
                return
        if md.hasText() and md.text().strip():
            self.tabs.setCurrentIndex(1)
            self.text_edit.setPlainText(md.text())
            self.scan_text()
            return
        self.statusBar().showMessage(self.tr("There is nothing to paste. Copy a screenshot or the chat's text first."), 8000)

    # drag and drop ----------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        md = event.mimeData()
        if md.hasUrls() or md.hasImage():
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        md = event.mimeData()
        local = [u.toLocalFile() for u in md.urls() if u.isLocalFile()] if md.hasUrls() else []
        if local:
            self.tabs.setCurrentIndex(0)
            self.add_paths(local)
            event.acceptProposedAction()
        elif md.hasImage():
            img = QImage(md.imageData())
            if not img.isNull():
                self.tabs.setCurrentIndex(0)
                self.add_image(img)
                event.acceptProposedAction()

    # capture ---------------------------------------------------------------

    def capture_screen(self) -> None:
        self.hide()
        QTimer.singleShot(350, self._grab_screen)

    def _grab_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        shot = screen.grabWindow(0) if screen is not None else QPixmap()
        if shot.isNull():
            self.show()
            self.statusBar().showMessage(self.tr("The screen could not be captured. Take a screenshot with your system's tool and paste it."), 10000)
            return
        self.overlay = CaptureOverlay(shot)
        self.overlay.captured.connect(self._captured)
        self.overlay.cancelled.connect(self._capture_done)
        self.overlay.setGeometry(screen.geometry())
        self.overlay.showFullScreen()
        self.overlay.activateWindow()
        self.overlay.setFocus()

    def _capture_done(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
        if self.overlay is not None:
            self.overlay.deleteLater()
            self.overlay = None

    def _captured(self, image: QImage) -> None:
        self._capture_done()
        self.tabs.setCurrentIndex(0)
        self.add_image(image, self.tr("Screen capture %1").replace("%1", str(self._next_id)))

    # ================================================================== queue

    def _pump(self) -> None:
        if self.paused:
            self._update_queue_ui()
            return
        for item in self.items:
            if len(self._running) >= MAX_THREADS:
                break
            if item.state != "queued":
                continue
            item.state = "reading"
            self._running.add(item.id)
            job = ReadJob(item, self.factory, self.signals)
            item.qimage = None  # the job has its own copy; the encoded bytes stay in the job only
            self.pool.start(job)
            self._update_item(item)
        self._update_queue_ui()

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        self.btn_pause.setChecked(paused)
        self.btn_pause.setText(self.tr("Resume") if paused else self.tr("Pause"))
        if not paused:
            self._pump()
        self._update_queue_ui()

    def cancel(self) -> None:
        for item in self.items:
            if item.state in ("queued", "reading"):
                item.state = "cancelled"
                self._update_item(item)
        self._update_queue_ui()
        self._schedule_refresh()

    def clear_all(self) -> None:
        self.cancel()
        self.items.clear()
        self.queue_list.clear()
        self.run = None
        self.run_owner = []
        self._want += 1  # a run being weighed now belongs to the cleared queue
        self._shown_key = None
        self.viewer.clear()
        self.stack.setCurrentIndex(0)
        self.findings.reset()
        self._update_queue_ui()

    def _job_done(self, item_id: int) -> QueueItem | None:
        self._running.discard(item_id)
        item = self._item(item_id)
        QTimer.singleShot(0, self, self._pump)
        if item is None or item.state != "reading":
            return None  # cancelled or removed meanwhile: drop the result
        return item

    def _on_encoded(self, item_id: int, data: bytes) -> None:
        item = self._item(item_id)
        if item is not None:
            item.data = bytes(data)

    def _on_loaded(self, item_id: int, image: QImage | None, thumb: QImage | None) -> None:
        item = self._item(item_id)
        if item is None:
            return
        item.image = image
        item.thumb = thumb
        self._update_item(item)
        if self.queue_list.currentRow() >= 0 and self.queue_list.currentItem().data(Qt.ItemDataRole.UserRole) == item_id:
            self._show_current()

    def _on_finished(self, item_id: int, results: list[InputResult]) -> None:
        item = self._job_done(item_id)
        if item is None:
            return
        item.results = list(results)
        errs = [r.error for r in results if r.error is not None]
        item.error = errs[0] if errs else None
        item.state = "error" if errs and len(errs) == len(results) else "done"
        self._update_item(item)
        self.itemStateChanged.emit(item.id, item.state)
        self._schedule_refresh()

    def _on_engine_missing(self, item_id: int, exc: Any) -> None:
        item = self._job_done(item_id)
        self.engine_error = exc
        for it in self.items:
            if it.is_image and it.state in ("queued",) or it is item:
                self._fail_engine(it)
        self.show_engine_missing(str(exc), getattr(exc, "hint", ""))
        self._schedule_refresh()

    def _fail_engine(self, item: QueueItem) -> None:
        from ..scan import InputErrorInfo, InputResult

        err = InputErrorInfo("engine_unavailable", str(self.engine_error))
        item.results = [InputResult(item.label if item.path is None else str(item.path), "image", error=err)]
        item.error = err
        item.state = "error"
        self._update_item(item)
        self.itemStateChanged.emit(item.id, item.state)

    def _on_crashed(self, item_id: int, summary: str) -> None:
        item = self._job_done(item_id)
        if item is None:
            return
        from ..scan import InputErrorInfo, InputResult

        err = InputErrorInfo("ocr_failed", summary)
        item.results = [InputResult(item.label if item.path is None else str(item.path), "text" if item.kind == "text" else "image", error=err)]
        item.error = err
        item.state = "error"
        self._update_item(item)
        self.itemStateChanged.emit(item.id, item.state)
        self._schedule_refresh()

    def _update_item(self, item: QueueItem) -> None:
        li = self._row(item)
        if li is None:
            return
        lines = [item.label, labels.status(item.state)]
        tip = ""
        if item.state == "error" and item.error is not None:
            msg = labels.error_message(item.error.code, item.error.message)
            lines[1] = f"\u2716 {labels.status('error')}: {msg}"
            tip = msg
        elif item.state == "done":
            risk = max((r.summary.risk for r in item.results), key=lambda s: labels.SEVERITY_RANK.get(s, 0), default="none")
            if item.results and not any(r.lines for r in item.results):
                lines[1] = "\u2714 " + self.tr("No text found")
            elif risk != "none":
                lines[1] = f"{MARK[risk]} {labels.risk(risk)}"
            else:
                lines[1] = "\u2714 " + labels.status("done")
        elif item.state == "reading":
            lines[1] = "\u23f3 " + lines[1]
        li.setText("\n".join(lines))
        li.setToolTip(tip or item.label)
        if item.thumb is not None:
            li.setIcon(QIcon(QPixmap.fromImage(item.thumb)))

    def _update_queue_ui(self, render: bool = True) -> None:
        total = len(self.items)
        finished = sum(1 for i in self.items if i.state in ("done", "error", "cancelled"))
        active = any(i.state in ("queued", "reading") for i in self.items)
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(finished)
        self.progress.setFormat(self.tr("%1 of %2 read").replace("%1", str(finished)).replace("%2", str(total)))
        self.btn_cancel.setEnabled(active)
        self.btn_pause.setEnabled(active or self.paused)
        self.queue_panel.setVisible(total > 0)
        self.act_export.setEnabled(self.export_available and self.run is not None and bool(self.run.inputs))
        failed = sum(1 for i in self.items if i.state == "error")
        self.findings.set_progress(finished, total, failed, render=render)

    # ================================================================== results

    def _schedule_refresh(self) -> None:
        if self._refresh_timer.isActive():
            return  # coalesce: one recomputation for several results
        busy = any(i.state in ("queued", "reading") for i in self.items)
        self._refresh_timer.start(REFRESH_EVERY_MS if busy else 30)

    def is_busy(self) -> bool:
        """Screenshots still being read, or the verdict not yet brought up to date."""
        return (self._refresh_timer.isActive() or self._finishing or self._show_pending
                or any(i.state in ("queued", "reading") for i in self.items))

    def refresh(self, wait: bool = False) -> None:
        """Weigh everything read so far as one run: duplicates between screenshots, every chat
        matched as one conversation, the summary and the advice. That takes 10-100 ms for a
        batch, so it runs in ``finish_pool`` on copies of the results (the window keeps showing
        the previous run meanwhile) and the new run replaces them when it is ready. ``wait``
        (a language switch) does it here, at once."""
        self._want += 1
        owners: list[QueueItem] = []
        inputs: list[InputResult] = []
        for it in self.items:
            if it.state in ("done", "error"):
                for r in it.results:
                    inputs.append(r)
                    owners.append(it)
        if not inputs or not self.factory.ready:
            self._apply_run(None, [], [])
            return
        scanner = self.factory()
        if wait:
            rematch, self._rematch = self._rematch, False
            self._apply_run(scanner.finish(inputs, rematch=rematch), owners, inputs)
            return
        if self._finishing:
            return  # the job running now sees _want changed and asks again when it ends
        self._finishing = True
        want = self._want
        rematch, self._rematch = self._rematch, False

        def work() -> Any:
            copies = copy.deepcopy(inputs)  # the GUI keeps drawing the originals meanwhile
            return scanner.finish(copies, rematch=rematch)

        def done(run: Any, exc: BaseException | None) -> None:
            if self._closed or not shiboken6.isValid(self.progress):
                return  # the window closed (or was deleted) while the run was weighed
            self._finishing = False
            if want != self._want:  # the queue changed meanwhile: weigh it again as it is now
                self._rematch = self._rematch or rematch
                self.refresh()
                return
            if exc is not None:
                self.show_error(f"{type(exc).__name__}: {exc}")
                self._apply_run(None, [], [])
                return
            self._apply_run(run, owners, inputs)

        self._call(work, done, self.finish_pool)

    def _apply_run(self, run: ScanRun | None, owners: list[QueueItem], originals: list[InputResult]) -> None:
        if run is not None and run.inputs is not originals:
            # the run holds weighed copies: they become the items' results, so that the viewer,
            # the findings and the report all look at the same objects
            fresh: dict[int, list[InputResult]] = {}
            for it, res in zip(owners, run.inputs, strict=True):
                fresh.setdefault(id(it), []).append(res)
            for it in dict.fromkeys(owners):
                it.results = fresh[id(it)]
        self.run = run
        self.run_owner = owners if run is not None else []
        self._update_queue_ui(render=False)
        self.findings.set_run(self.run, self.lang)
        # the picture and its boxes in the next turn of the event loop: two short stalls, not one
        self._show_pending = True
        QTimer.singleShot(0, self, self._deferred_show)
        self.runUpdated.emit()

    def _deferred_show(self) -> None:
        self._show_pending = False
        self._show_current()

    def _queue_selected(self, row: int) -> None:
        self._show_current()

    def current_item(self) -> QueueItem | None:
        li = self.queue_list.currentItem()
        return self._item(li.data(Qt.ItemDataRole.UserRole)) if li is not None else None

    def visible_findings(self, input_index: int, line_index: int) -> list:  # type: ignore[type-arg]
        """The findings of this line (those whose span touches it) that are shown: an entry
        groups a whole bubble's findings of one category, and a finding on the bubble's first
        line must not colour its second."""
        if self.run is None or not 0 <= input_index < len(self.run.inputs):
            return []
        lines = self.run.inputs[input_index].lines
        own = lines[line_index].findings if 0 <= line_index < len(lines) else []
        out: list[Any] = []
        for e in self.findings.entries:
            if e.input_index == input_index and line_index in e.line_indices and not e.dismissed and e.category in self.findings.shown:
                out.extend(f for f in e.findings if f in own)
        return out

    def _show_current(self) -> None:
        item = self.current_item()
        if item is None:
            self._shown_key = None
            self.viewer.clear()
            return
        if item.kind == "text" or (item.path is not None and item.path.suffix.lower() == ".txt"):
            self._shown_key = None
            self.viewer.show_note(self.tr("This is chat text: the flagged lines are listed on the right."))
            return
        if item.state == "error" and item.error is not None:
            self._shown_key = None
            self.viewer.show_note("\u2716 " + labels.error_message(item.error.code, item.error.message))
            return
        if item.image is None:
            self._shown_key = None
            self.viewer.show_note(labels.status(item.state))
            return
        res = item.results[0] if item.results else None
        ii = -1
        if res is not None and self.run is not None:
            ii = next((k for k, r in enumerate(self.run.inputs) if r is res), -1)
        lines = []
        if res is not None and ii >= 0:
            lines = [(li, ln, self.visible_findings(ii, li)) for li, ln in enumerate(res.lines)]
        # a refresh that changed nothing on this screenshot leaves the picture as it is
        key = (item.id, item.image.cacheKey(), ii, self.lang,
               tuple((li, tuple(ln.bbox or ()), ln.text, ln.sender, tuple(fs)) for li, ln, fs in lines))
        if key == self._shown_key and self.viewer.pixmap_item is not None:
            return
        self.viewer.set_image(item.image, lines, ii, self.lang)
        self._shown_key = key

    def show_line(self, input_index: int, line_index: int) -> None:
        if self.run is None or not (0 <= input_index < len(self.run_owner)):
            return
        item = self.run_owner[input_index]
        self.tabs.setCurrentIndex(0)
        li = self._row(item)
        if li is not None:
            self.queue_list.setCurrentItem(li)
        self.viewer.focus_line(input_index, line_index)

    # ================================================================== dialogs

    def show_engine_missing(self, message: str, hint: str) -> None:
        if self.engine_dialog is not None:
            return  # once per session
        self.engine_dialog = EngineMissingDialog(message, hint, self)
        self.engine_dialog.open()

    def show_error(self, details: str) -> None:
        if self.error_dialog is not None and self.error_dialog.isVisible():
            self.error_dialog.text.appendPlainText("\n" + details)
            self.error_dialog.details += "\n" + details
            return
        self.error_dialog = ErrorDialog(details, self)
        self.error_dialog.open()

    def open_settings(self) -> None:
        dlg = SettingsDialog(self.settings, self)
        if dlg.exec():
            dlg.apply()

    def _setting_changed(self, key: str, value: Any) -> None:
        if key == "ui/language":
            return  # choose_language handles it
        if key == "ocr/engine":
            self.factory.configure(engine=value)
            self.engine_dialog = None
            self.engine_error = None
        elif key == "ocr/languages":
            self.factory.configure(ocr_langs=self.settings.ocr_langs())
        elif key == "detect/learned":
            # the screenshots already read are weighed again with or without the model (their
            # text is kept; nothing is read again)
            self.factory.configure(rules_only=not value)
            self._rematch = True
            self.refresh()
        elif key.startswith("show/"):
            self.findings.set_shown(self.settings.shown_categories())
            self._show_current()

    # ================================================================== export

    def export_report(self) -> None:
        if self.run is None:
            return
        try:
            from ..report import export_run  # type: ignore[attr-defined]
        except ImportError:
            QMessageBox.information(self, self.tr("Export report"), self.tr("The report is not available in this version."))
            return
        name, filt = QFileDialog.getSaveFileName(self, self.tr("Save the report"), str(Path.home() / "chatguard-report.pdf"),
                                                 self.tr("PDF document (*.pdf)") + ";;" + self.tr("Web page (*.html)"))
        if not name:
            return
        out = Path(name)
        if out.suffix.lower() not in (".pdf", ".html", ".htm"):
            out = out.with_suffix(".html" if "html" in filt else ".pdf")
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            memory = {r.source: it.data for r, it in zip(self.run.inputs, self.run_owner, strict=False)
                      if it.kind == "memory" and it.data}
            written = export_run(self.run, out, ui_lang=self.lang, images=True, memory_images=memory)
        except Exception as exc:
            log.exception("export failed")
            QMessageBox.warning(self, self.tr("Export report"), self.tr("The report could not be saved: %1").replace("%1", html.escape(str(exc))))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.statusBar().showMessage(self.tr("Saved: %1").replace("%1", ", ".join(str(p) for p in written)), 15000)

    # ================================================================== closing

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._closed = True
        self.cancel()
        self.finish_pool.clear()
        self.pool.clear()
        self.factory.shutdown()
        super().closeEvent(event)
