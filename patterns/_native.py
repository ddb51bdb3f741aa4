"""The matcher's native speed-ups (``_speedups.c``), when they were built.

Each native function has a reference in Python, named in the C source; the tests compare the
two. ``speedups`` is None where the extension was not built (no C compiler at install time) or
with ``CHATGUARD_PURE_PYTHON=1``: the Python steps then run, with the same findings, slower.
``chatguard doctor`` says which."""

from __future__ import annotations

import os
from types import ModuleType

speedups: ModuleType | None
try:
    from . import _speedups as speedups  # type: ignore[attr-defined,no-redef]
except ImportError:  # not built: the Python steps run
    speedups = None
built = speedups is not None  # whether the extension is there, used or not
if os.environ.get("CHATGUARD_PURE_PYTHON") == "1":
    speedups = None
