"""Dialogs: the OCR engine is missing (with the exact fix), something unexpected went wrong
(with "Copy details"), and Settings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from . import labels
from .labels import CATEGORIES
from .settings import ENGINES, OCR_LANGS, Settings

LANG_NAMES = {"": None, "zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}


class EngineMissingDialog(QDialog):
    """Shown once when the OCR engine or its language data is missing: what and how to fix."""

    def __init__(self, message: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("engineMissingDialog")
        self.setWindowTitle(self.tr("Text recognition is not ready"))
        self.hint = hint
        intro = QLabel(self.tr("ChatGuard cannot read pictures yet: the text-recognition program (OCR) or its language data is missing on this computer. Chat text can still be checked in the Text tab."))
        intro.setWordWrap(True)
        detail = QLabel(message)
        detail.setWordWrap(True)
        detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        how = QLabel(self.tr("How to fix it (you may need someone to help; then restart ChatGuard):"))
        how.setWordWrap(True)
        self.fix = QPlainTextEdit(hint or self.tr("Run \u201cchatguard doctor\u201d for details."))
        self.fix.setReadOnly(True)
        self.fix.setAccessibleName(self.tr("Commands that fix it"))
        self.copy_btn = QPushButton(self.tr("Copy the commands"))
        self.copy_btn.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.fix.toPlainText()))
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        box.addButton(self.copy_btn, QDialogButtonBox.ButtonRole.ActionRole)
        lay = QVBoxLayout(self)
        for w in (intro, detail, how, self.fix):
            lay.addWidget(w)
        lay.addWidget(box)
        self.resize(560, 360)


class ErrorDialog(QDialog):
    """An unexpected error: say so plainly, keep the app running, offer the details."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(self.tr("Something went wrong"))
        self.details = details
        msg = QLabel(self.tr("ChatGuard hit an unexpected problem. It is still running and your results are kept. If it happens again, please send the details to the developers (they contain no chat text)."))
        msg.setWordWrap(True)
        self.text = QPlainTextEdit(details)
        self.text.setReadOnly(True)
        self.text.setAccessibleName(self.tr("Error details"))
        self.copy_btn = QPushButton(self.tr("Copy details"))
        self.copy_btn.clicked.connect(self.copy)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        box.addButton(self.copy_btn, QDialogButtonBox.ButtonRole.ActionRole)
        lay = QVBoxLayout(self)
        lay.addWidget(msg)
        lay.addWidget(self.text, 1)
        lay.addWidget(box)
        self.resize(600, 360)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details)


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Settings"))
        self.lang = QComboBox()
        for code, name in LANG_NAMES.items():
            self.lang.addItem(name or self.tr("Same as the system"), code)
        self.lang.setCurrentIndex(max(0, self.lang.findData(settings.get("ui/language"))))
        self.engine = QComboBox()
        self.engine.addItem(self.tr("RapidOCR (recommended)"), "rapidocr")
        self.engine.addItem(self.tr("Tesseract"), "tesseract")
        self.engine.setCurrentIndex(max(0, ENGINES.index(settings.get("ocr/engine"))))
        langs = settings.ocr_langs()
        self.ocr = {code: QCheckBox(LANG_NAMES[code] or code) for code in OCR_LANGS}
        ocr_row = QHBoxLayout()
        for code, cb in self.ocr.items():
            cb.setChecked(code in langs)
            ocr_row.addWidget(cb)
        self.learned = QCheckBox(self.tr("Second opinion from the learned model (recommended)"))
        self.learned.setChecked(bool(settings.get("detect/learned")))
        self.learned.setToolTip(self.tr(
            "Besides the rules, a model trained on labelled chats also flags lines no rule matched "
            "when they read like scam or extortion messages, and sets aside rule matches on lines "
            "it reads as clearly ordinary. Switch it off to see the rules alone."))
        form = QFormLayout()
        form.addRow(self.tr("&Language of the window:"), self.lang)
        form.addRow(self.tr("&Text recognition:"), self.engine)
        form.addRow(self.tr("Languages in the screenshots:"), ocr_row)
        form.addRow(self.tr("Detection:"), self.learned)
        cats = QGroupBox(self.tr("Warn me about"))
        cl = QVBoxLayout(cats)
        self.cats = {}
        for c in CATEGORIES:
            cb = QCheckBox(labels.category(c))
            cb.setChecked(bool(settings.get(f"show/{c}")))
            cl.addWidget(cb)
            self.cats[c] = cb
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(cats)
        lay.addWidget(box)

    def apply(self) -> None:
        s = self.settings
        s.set("ui/language", self.lang.currentData())
        s.set("ocr/engine", self.engine.currentData())
        chosen = [c for c in OCR_LANGS if self.ocr[c].isChecked()] or list(OCR_LANGS)
        s.set("ocr/languages", ",".join(chosen))
        s.set("detect/learned", self.learned.isChecked())
        for c, cb in self.cats.items():
            s.set(f"show/{c}", cb.isChecked())
