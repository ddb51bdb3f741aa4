"""Text in, findings out: normalisation, pattern packs, matcher, conversation risk, advice.

Knows nothing of images or Qt.
"""

from .advice import Advice, AdviceCatalogue, Contact
from .analyzer import Analyzer
from .pack import Pack, PackError, Rule, load_pack, load_packs
from .reasons import Reason, say, say_all
from .types import (
    RISK_NONE,
    Assessment,
    Category,
    Finding,
    Message,
    MessageFindings,
    Severity,
    Speaker,
)

__all__ = [
    "RISK_NONE",
    "Advice",
    "AdviceCatalogue",
    "Analyzer",
    "Assessment",
    "Category",
    "Contact",
    "Finding",
    "Message",
    "MessageFindings",
    "Pack",
    "PackError",
    "Reason",
    "Rule",
    "Severity",
    "Speaker",
    "load_pack",
    "load_packs",
    "say",
    "say_all",
]
