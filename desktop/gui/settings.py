"""Settings: one table of defaults, a ``QSettings`` subclass over it, a change signal.

Stored as an INI file in ``desktop.paths.config_dir()`` (so ``CHATGUARD_HOME`` redirects it in
tests). Never holds message text.
"""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Signal

from .. import paths
from .labels import CATEGORIES

# key: (default, type). "" as language means: follow the system locale.
DEFAULTS: dict[str, tuple[Any, type]] = {
    "ui/language": ("", str),
    "ocr/engine": ("rapidocr", str),
    "ocr/languages": ("zh-Hans,zh-Hant,en", str),
    "detect/learned": (True, bool),  # the learned second opinion beside the rules
    **{f"show/{c}": (True, bool) for c in CATEGORIES},
}
SCHEMA_VERSION = 1
ENGINES = ("rapidocr", "tesseract")
OCR_LANGS = ("zh-Hans", "zh-Hant", "en")


class Settings(QSettings):
    changed = Signal(str, object)

    def __init__(self, path: Path | None = None) -> None:
        path = path or paths.config_dir() / "chatguard.ini"
        super().__init__(str(path), QSettings.Format.IniFormat)
        self._migrate()

    def _migrate(self) -> None:
        if int(self.value("schema", 0, type=int)) < SCHEMA_VERSION:  # type: ignore[call-overload]
            self.setValue("schema", SCHEMA_VERSION)

    def get(self, key: str) -> Any:
        default, typ = DEFAULTS[key]
        value = self.value(key, default, type=typ)
        if key == "ocr/engine" and value not in ENGINES:
            return default
        return value

    def set(self, key: str, value: Any) -> None:
        if key not in DEFAULTS:
            raise KeyError(key)
        if self.get(key) == value:
            return
        self.setValue(key, value)
        self.sync()
        self.changed.emit(key, value)

    def ocr_langs(self) -> tuple[str, ...]:
        langs = tuple(x for x in str(self.get("ocr/languages")).split(",") if x in OCR_LANGS)
        return langs or OCR_LANGS

    def shown_categories(self) -> builtins.set[str]:  # "set" is a method here
        return {c for c in CATEGORIES if self.get(f"show/{c}")}
