"""Typed results of the OCR layer. Nothing here knows about patterns or Qt."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Sender(str, Enum):
    """Who wrote a line, as far as the layout tells."""

    THEM = "them"  # the other party (left side)
    ME = "me"  # the owner of the phone (right side)
    SYSTEM = "system"  # timestamps, app notices (centred)
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Box:
    """Axis-aligned box in pixels of the original image."""

    x: int
    y: int
    w: int
    h: int

    def as_list(self) -> list[int]:
        return [int(self.x), int(self.y), int(self.w), int(self.h)]

    @property
    def x2(self) -> int:
        return self.x + self.w

    @property
    def y2(self) -> int:
        return self.y + self.h


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One visual line of text, in reading order."""

    text: str
    box: Box
    sender: Sender
    confidence: float
    message: int  # index of the bubble (message) within the image; lines of one bubble share it


@dataclass(frozen=True, slots=True)
class ImageReading:
    """Everything the OCR layer read from one image."""

    width: int
    height: int
    lines: tuple[OcrLine, ...]
    engine: str
    contact: str | None = None  # contact name from the title bar, when found
    theme: str | None = None  # "light" / "dark", when known
    meta: dict[str, str] = field(default_factory=dict)
