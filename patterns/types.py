"""Typed values of the patterns layer. Nothing here knows about images or Qt."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Category(str, Enum):
    SEXTORTION = "sextortion"
    EXPLICIT_REQUEST = "explicit_request"
    THREAT = "threat"
    MONEY_DEMAND = "money_demand"
    PERSONAL_INFO = "personal_info"
    GROOMING = "grooming"
    MEETING = "meeting"
    LOCATION = "location"
    IMPERSONATION = "impersonation"
    INVESTMENT_SCAM = "investment_scam"


class Severity(str, Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def from_rank(cls, rank: int) -> Severity:
        return _RANK_SEVERITY[max(1, min(4, rank))]


_SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}
_RANK_SEVERITY = {v: k for k, v in _SEVERITY_RANK.items()}

RISK_NONE = "none"  # summary risk when nothing was found


class Speaker(str, Enum):
    """Who wrote a message (mirrors ocr.Sender, without importing it)."""

    THEM = "them"
    ME = "me"
    SYSTEM = "system"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a conversation, as text. Lines of a bubble are joined with "\\n"."""

    text: str
    speaker: Speaker = Speaker.UNKNOWN


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule matched in one message."""

    rule: str
    category: Category
    severity: Severity
    score: float  # 0..100, how closely the text matched
    matched: str  # the pattern phrase (or regex shape) that matched
    span: tuple[int, int]  # character offsets in the ORIGINAL message text
    advice: str  # advice key
    explain: dict[str, str] = field(default_factory=dict)  # zh-Hans / zh-Hant / en
    reasons: tuple[str, ...] = ()  # why the severity is what it is (escalation etc.)
    # a context rule's finding (a short line such as "转了吗" flagged because of earlier
    # findings in the chat): it marks the line but adds no weight of its own to the summary
    context: bool = False


@dataclass(frozen=True, slots=True)
class MessageFindings:
    index: int
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result for one conversation."""

    messages: tuple[MessageFindings, ...]
    risk: str  # RISK_NONE or a Severity value
    categories: tuple[Category, ...]  # most severe first
    flagged_messages: int
    reasons: tuple[str, ...] = ()
