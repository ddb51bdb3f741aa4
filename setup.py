"""Only the native speed-ups (patterns/_speedups.c); everything else is in pyproject.toml.

Optional: without a C compiler the build goes on and the same steps run in Python (same
findings, slower; ``chatguard doctor`` says which)."""

import sys

from setuptools import Extension, setup

# the source is C11 (designated initialisers, compound literals); MSVC takes that when asked
args = ["/std:c11"] if sys.platform == "win32" else []

setup(ext_modules=[Extension("patterns._speedups", ["patterns/_speedups.c"], optional=True,
                             extra_compile_args=args)])
