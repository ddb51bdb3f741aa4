"""Lines the user marked "Not risky", remembered locally.

Keyed by rule id + sha256 of the normalised line text: the message text itself is never
stored. One JSON file in ``desktop.paths.data_dir()``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import unicodedata
from pathlib import Path

from .. import paths

log = logging.getLogger(__name__)


def normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def key(rule: str, text: str) -> str:
    return f"{rule}:{hashlib.sha256(normalise(text).encode('utf-8')).hexdigest()}"


class NotRiskyStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.data_dir() / "not_risky.json"
        self._keys: set[str] = set()
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            self._keys = {k for k in doc.get("keys", []) if isinstance(k, str)}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError):
            log.warning("the not-risky list could not be read; starting empty")

    def __contains__(self, k: str) -> bool:
        return k in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def is_dismissed(self, rule: str, text: str) -> bool:
        return key(rule, text) in self._keys

    def set(self, rule: str, text: str, dismissed: bool = True) -> None:
        k = key(rule, text)
        if dismissed:
            self._keys.add(k)
        else:
            self._keys.discard(k)
        self._save()

    def _save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"schema": "chatguard.not_risky/1", "keys": sorted(self._keys)}),
                           encoding="utf-8")
            tmp.replace(self.path)
        except OSError:
            log.warning("the not-risky list could not be saved")
