"""The small interface every OCR engine implements, and what it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..types import Box


@dataclass(slots=True)
class TextLine:
    """One recognised line (or line fragment), box in the coordinates of the image given."""

    text: str
    box: Box
    confidence: float
    # (word, box) pairs where the engine reports words (Tesseract), same coordinates as ``box``
    words: tuple[tuple[str, Box], ...] = ()


@dataclass(frozen=True, slots=True)
class EngineStatus:
    """Whether an engine can run here, and if not, how to fix it."""

    name: str
    ok: bool
    version: str = ""
    languages: tuple[str, ...] = ()
    detail: str = ""
    hint: str = ""


class Engine(Protocol):
    """An OCR engine. Instances are cached and shared between threads: implementations hold a
    lock around anything that is not thread-safe."""

    name: str

    def status(self) -> EngineStatus: ...

    def read_page(self, img: np.ndarray, langs: tuple[str, ...]) -> list[TextLine]:
        """Detect and read every text line of a BGR image."""
        ...

    def read_crop(self, crop: np.ndarray, script: str, *, single_line: bool = False) -> list[TextLine]:
        """Read the text of a crop (a bubble or one line); ``script`` is "zh-Hans", "zh-Hant"
        or "en". Boxes are in crop coordinates."""
        ...
