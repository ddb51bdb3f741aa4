"""Logging: a rotated file in the user's log folder. Message text is only ever logged at
DEBUG (and DEBUG is off unless CHATGUARD_DEBUG=1); file names at INFO, never their content."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from . import paths

_configured = False


def log_file() -> Path:
    return paths.log_dir() / "chatguard.log"


def setup_logging(verbose: bool = False) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if os.environ.get("CHATGUARD_DEBUG") == "1" else logging.INFO)
    try:
        log_file().parent.mkdir(parents=True, exist_ok=True)
        fh = logging.handlers.RotatingFileHandler(log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(fh)
    except OSError:
        pass  # a read-only home must not stop a scan
    if verbose:
        sh = logging.StreamHandler(sys.stderr)
        sh.setLevel(logging.INFO)
        sh.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        root.addHandler(sh)
    # third-party libraries are noisy at INFO (RapidOCR logs every call)
    for name in ("RapidOCR", "rapidocr_onnxruntime", "PIL"):
        logging.getLogger(name).setLevel(logging.WARNING)
