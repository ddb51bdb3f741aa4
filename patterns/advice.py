"""The advice catalogue: what to do, per category, in zh-Hans, zh-Hant and en.

Only official reporting addresses may appear: every contact URL is checked at load against
``OFFICIAL_HOSTS`` (from ../shared/docs/advice-sources.md); anything else is an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .pack import UI_LANGS, PackError, _read_yaml
from .types import Category

ADVICE_DIR = Path(__file__).with_name("advice")

# Every reporting address the app may show, with its source in advice-sources.md.
OFFICIAL_HOSTS = frozenset({
    "tips.fbi.gov",  # FBI
    "www.fbi.gov",
    "fbi.gov",
    "www.ic3.gov",  # FBI Internet Crime Complaint Center
    "ic3.gov",
    "report.cybertip.org",  # NCMEC CyberTipline
    "takeitdown.ncmec.org",  # NCMEC Take It Down
    "reportfraud.ftc.gov",  # FTC
})


@dataclass(frozen=True, slots=True)
class Contact:
    key: str
    name: str
    url: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class Advice:
    category: str
    title: str
    steps: tuple[str, ...]
    contacts: tuple[Contact, ...]
    source: str = ""


def _lang(d: Any, lang: str, where: str, path: Path) -> str:
    if isinstance(d, str):
        return d
    if not isinstance(d, dict):
        raise PackError(path, None, f"{where}: expected text in zh-Hans, zh-Hant and en")
    for key in (lang, "en"):
        v = d.get(key)
        if isinstance(v, str) and v.strip():
            return v
    raise PackError(path, d.get("__line__"), f"{where}: missing {lang}")


class AdviceCatalogue:
    def __init__(self, entries: dict[str, Any], contacts: dict[str, Any], path: Path) -> None:
        self._entries = entries
        self._contacts = contacts
        self._path = path
        self._validate()

    @classmethod
    def load(cls, folder: Path = ADVICE_DIR) -> AdviceCatalogue:
        entries: dict[str, Any] = {}
        contacts: dict[str, Any] = {}
        files = sorted(Path(folder).glob("*.yaml"))
        if not files:
            raise PackError(folder, None, "no advice catalogue found")
        for path in files:
            doc = _read_yaml(path) or {}
            if not isinstance(doc, dict):
                raise PackError(path, None, "the advice file must be a mapping")
            entries.update({k: v for k, v in (doc.get("advice") or {}).items() if k != "__line__"})
            contacts.update({k: v for k, v in (doc.get("contacts") or {}).items() if k != "__line__"})
        return cls(entries, contacts, files[0])

    def _validate(self) -> None:
        path = self._path
        for key, c in self._contacts.items():
            if not isinstance(c, dict):
                raise PackError(path, None, f"contact {key!r} must be a mapping")
            url = c.get("url")
            if url:
                host = (urlparse(url).hostname or "").lower()
                if urlparse(url).scheme != "https" or host not in OFFICIAL_HOSTS:
                    raise PackError(path, c.get("__line__"),
                                    f"contact {key!r}: {url!r} is not an official reporting address")
            for lang in UI_LANGS:
                _lang(c.get("name"), lang, f"contact {key!r} name", path)
        for cat in Category:
            if cat.value not in self._entries:
                raise PackError(path, None, f"no advice for category {cat.value!r}")
        for key, e in self._entries.items():
            if not isinstance(e, dict):
                raise PackError(path, None, f"advice {key!r} must be a mapping")
            for lang in UI_LANGS:
                _lang(e.get("title"), lang, f"advice {key!r} title", path)
                for s in e.get("steps") or []:
                    _lang(s, lang, f"advice {key!r} step", path)
            for ck in e.get("contacts") or []:
                if ck not in self._contacts:
                    raise PackError(path, e.get("__line__"), f"advice {key!r}: unknown contact {ck!r}")

    def keys(self) -> list[str]:
        return list(self._entries)

    def contact(self, key: str, lang: str) -> Contact:
        c = self._contacts[key]
        return Contact(key, _lang(c.get("name"), lang, key, self._path), c.get("url"), c.get("phone"))

    def get(self, key: str, lang: str = "en") -> Advice | None:
        e = self._entries.get(key)
        if e is None:
            return None
        return Advice(
            category=key,
            title=_lang(e.get("title"), lang, key, self._path),
            steps=tuple(_lang(s, lang, key, self._path) for s in e.get("steps") or []),
            contacts=tuple(self.contact(k, lang) for k in e.get("contacts") or []),
            source=str(e.get("source", "")),
        )

    def for_keys(self, keys: Iterable[str], lang: str = "en") -> list[Advice]:
        out: list[Advice] = []
        seen: set[str] = set()
        for k in keys:
            if k in seen:
                continue
            seen.add(k)
            a = self.get(k, lang)
            if a is not None:
                out.append(a)
        return out
