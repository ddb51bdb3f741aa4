"""ChatGuard's OCR layer: a chat screenshot in, who-said-what lines out.

Knows nothing of patterns or Qt. Public API::

    read_image(path_or_bytes, engine="rapidocr", langs=("zh-Hans", "zh-Hant", "en"), timeout=60.0)
    load_image(path_or_bytes) -> BGR uint8 numpy array
    check_engines() -> list[EngineStatus]
    mark_duplicates(readings) -> per reading, per line: (reading_idx, line_idx) | None
    ENGINES
"""

from __future__ import annotations

from .duplicates import mark_duplicates
from .engines import get_engine
from .engines.base import EngineStatus
from .errors import OcrError
from .loader import load_image
from .reader import DEFAULT_LANGS, ENGINES, clear_cache, read_image
from .types import Box, ImageReading, OcrLine, Sender

__all__ = [
    "DEFAULT_LANGS",
    "ENGINES",
    "Box",
    "EngineStatus",
    "ImageReading",
    "OcrError",
    "OcrLine",
    "Sender",
    "check_engines",
    "clear_cache",
    "load_image",
    "mark_duplicates",
    "read_image",
]


def check_engines() -> list[EngineStatus]:
    """Each engine: can it run here (version, languages), and if not the exact fix."""
    return [get_engine(name).status() for name in ENGINES]
