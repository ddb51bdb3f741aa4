"""Only the native speed-ups (patterns/_speedups.c); everything else is in pyproject.toml.

Optional: without a C compiler the build goes on and the same steps run in Python (same
findings, slower; ``chatguard doctor`` says which)."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("patterns._speedups", ["patterns/_speedups.c"], optional=True)])
