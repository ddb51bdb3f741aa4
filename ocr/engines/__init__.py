"""OCR engines behind one small interface; instances are created once and cached."""

from __future__ import annotations

import threading

from .base import Engine, EngineStatus, TextLine

__all__ = ["Engine", "EngineStatus", "TextLine", "get_engine", "reset_engines"]

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def get_engine(name: str) -> Engine:
    """The shared instance of an engine ("rapidocr" or "tesseract")."""
    with _lock:
        eng = _engines.get(name)
        if eng is None:
            if name == "rapidocr":
                from .rapid import RapidEngine

                eng = RapidEngine()
            elif name == "tesseract":
                from .tess import TesseractEngine

                eng = TesseractEngine()
            else:
                raise ValueError(f"unknown engine {name!r}")
            _engines[name] = eng
        return eng


def reset_engines() -> None:
    """Forget loaded engines (tests)."""
    with _lock:
        _engines.clear()
