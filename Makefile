# ChatGuard developer entry points. The README's two commands are `make run` and `make test`.
SHELL := /bin/bash
# A Python the app's wheels exist for (3.11 to 3.13: PySide6, the OCR engines, Hyperscan): python3
# when it is one, else the first python3.13 / python3.12 / python3.11 found (a new Homebrew or
# Linux may have 3.14 as python3). Override with `make run PYTHON=/path/to/python3.12`.
# Looked up once per make run (`?=` would look again at every use).
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for p in python3 python3.13 python3.12 python3.11; do \
  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' \
  2>/dev/null && { echo $$p; break; }; done)
endif
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.chatguard-installed
SAMPLE := desktop/samples/wechat_zh_sextortion.png
SAMPLES := desktop/samples/wechat_zh_sextortion.png desktop/samples/giftcard_en_sextortion.png

.PHONY: install system-deps run test lint bench clean

# the built-in pack prebuilt for start-up, with its native regex gate (patterns/cache.py; ~25 s),
# rebuilt when the pack or the matcher's code changes; without it everything works, slower
PACK_CACHE := patterns/packs/builtin.cache

install: system-deps $(STAMP) $(NATIVE) $(PACK_CACHE)

# the matcher's native per-line steps (patterns/_speedups.c, built by setup.py into patterns/),
# rebuilt when their source changes; optional: without a C compiler the Python steps run (same
# findings, slower), and this says so
NATIVE := $(VENV)/.chatguard-native
$(NATIVE): $(STAMP) patterns/_speedups.c setup.py
	$(PY) -m pip install -q --no-deps -e . 2>/dev/null  # (setuptools' deprecation chatter)
	@$(PY) -c 'from patterns import _native; import sys; sys.exit(_native.speedups is None)' || echo "Note: the" \
	  "matcher's native steps were not built (no C compiler?): ChatGuard works the same, a little slower."
	touch $(NATIVE)

$(PACK_CACHE): $(STAMP) $(wildcard patterns/*.py) $(wildcard patterns/packs/*.yaml) | $(NATIVE)
	$(PY) -m patterns.cache >/dev/null

system-deps:
	@PYTHON="$(PYTHON)" bash packaging/system-deps.sh

# rapidocr-onnxruntime goes in with --no-deps: it declares opencv-python (GUI build with its own
# Qt 5, clashes with PySide6); its real dependencies are in pyproject.toml with the headless
# OpenCV. Its wheel (pure Python) says Python < 3.13, a cap older than 3.13, not a fault: on 3.13
# it installs with --ignore-requires-python and reads the samples and passes the tests (checked).
# The last step makes sure no GUI OpenCV sneaked in.
$(STAMP): pyproject.toml
	@test -x $(PY) || test -n "$(PYTHON)" || { echo "ChatGuard needs Python 3.11, 3.12 or 3.13 (its Qt and OCR" \
	  "wheels): install one (python.org, brew install python@3.12, or a python3.12 package) and run make" \
	  "again, or name it: make run PYTHON=/path/to/python3.12"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m pip install -q --no-deps --ignore-requires-python 'rapidocr-onnxruntime>=1.3,<2'
	@if [ "$$(uname -s)" = Darwin ] && [ "$$(uname -m)" = arm64 ]; then \
	  $(PY) -m pip install -q --only-binary=:all: 'tesserocr>=2.7' || echo "No tesserocr wheel for this" \
	    "macOS and Python: the Tesseract engine runs through pytesseract (slower); RapidOCR is unchanged."; fi
	@if $(PY) -m pip show -q opencv-python >/dev/null 2>&1; then \
	  $(PY) -m pip uninstall -y -q opencv-python && \
	  $(PY) -m pip install -q --force-reinstall --no-deps opencv-python-headless; fi
	touch $(STAMP)

# The main job: the window on the bundled samples when there is a display, otherwise the
# human-readable scan in the terminal.
run: install
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ] || [ "$$(uname -s)" = Darwin ]; then \
	  $(VENV)/bin/chatguard gui $(SAMPLES); \
	else \
	  $(VENV)/bin/chatguard scan $(SAMPLES); \
	fi

test: install
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

lint: install
	$(VENV)/bin/ruff check desktop ocr patterns tests bench
	$(VENV)/bin/mypy

bench: install
	$(PY) -m bench.match
	$(PY) -m bench.ocr --limit 40
	$(PY) -m bench.detect

clean:
	rm -rf $(VENV) build dist *.egg-info $(PACK_CACHE) patterns/_speedups.*.so patterns/_speedups.*.pyd

# Installers (issue 9; packaging/README.md). Not part of `make test`: the build takes minutes.
# `package` builds the one-folder bundle dist/ChatGuard/ for this OS with a pinned PyInstaller,
# with a slim OpenCV (core/imgproc/imgcodecs only) built from the same version's sdist: the first
# time 10-30 min on 2 cores, then cached in build/opencv-slim (packaging/build_slim_opencv.py).
# `package-test` runs the bundle's smoke test (both OCR engines, offline, no system Tesseract).
PYINSTALLER_PINS := 'pyinstaller==6.22.3' 'pyinstaller-hooks-contrib==2026.9'

.PHONY: package package-test
package: install
	$(PY) -m pip install -q $(PYINSTALLER_PINS)
	site="$$(nice -n 10 $(PY) packaging/build_slim_opencv.py --python $(PY))" && \
	CHATGUARD_OPENCV_SITE="$$site" $(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
	  --distpath dist --workpath build/pyinstaller packaging/chatguard.spec

package-test:
	bash packaging/smoke_test.sh dist/ChatGuard
