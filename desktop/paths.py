"""Where ChatGuard keeps its own files. One place, so tests can redirect it.

``CHATGUARD_HOME`` (if set) puts config, data and logs under one folder (tests use a temporary
one); otherwise the platform's user folders (platformdirs). Nothing else is written anywhere:
no caches of screenshots or their text.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "ChatGuard"


def _home() -> Path | None:
    v = os.environ.get("CHATGUARD_HOME")
    return Path(v) if v else None


def config_dir() -> Path:
    h = _home()
    return h / "config" if h else Path(platformdirs.user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    h = _home()
    return h / "data" if h else Path(platformdirs.user_data_dir(APP, appauthor=False))


def log_dir() -> Path:
    h = _home()
    return h / "logs" if h else Path(platformdirs.user_log_dir(APP, appauthor=False))


def user_pack_dir() -> Path:
    """The user's own rules (``*.yaml``, same schema as the built-in pack)."""
    return config_dir() / "packs"


def samples_dir() -> Path:
    return Path(__file__).with_name("samples")
