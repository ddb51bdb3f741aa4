#!/usr/bin/env bash
# Installs the system packages ChatGuard needs, only those missing:
#   Tesseract 5 with chi_sim, chi_tra and eng (the light OCR engine), Noto CJK fonts (the
#   evidence report and the test screenshots), the libraries Qt's xcb plugin needs on Linux,
#   the venv module where the distribution ships it apart, a C compiler and the Python headers
#   (the matcher's native steps), and for development: Xvfb
#   (screenshots of the window) and poppler-utils (pdftotext).
# Debian/Ubuntu (apt), Fedora (dnf), macOS (Homebrew). On Windows see README.md.
set -euo pipefail

APT_PKGS=(tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-eng
  fonts-noto-cjk fonts-noto-color-emoji
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-xinerama0 libxcb-xkb1 libxcb-shape0 libxkbcommon-x11-0 libegl1 libgl1
  libfontconfig1 libdbus-1-3
  xvfb xauth poppler-utils)

# Debian and Ubuntu ship the venv module's pip bootstrap (ensurepip) apart, as python3.X-venv:
# without it `python3 -m venv` fails on a fresh machine. PYTHON: the interpreter the Makefile
# makes the venv with.
if [ -n "${PYTHON:-}" ] && command -v "$PYTHON" >/dev/null 2>&1 && ! "$PYTHON" -c 'import ensurepip' 2>/dev/null; then
  APT_PKGS+=("python$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv")
fi

# A C compiler and the Python headers build the matcher's native steps (patterns/_speedups.c);
# without them the Python steps run (same findings, slower).
if ! command -v cc >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
  APT_PKGS+=(gcc libc6-dev)
fi
if [ -n "${PYTHON:-}" ] && command -v "$PYTHON" >/dev/null 2>&1 && ! "$PYTHON" -c \
    'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null; then
  APT_PKGS+=("python$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-dev")
fi

sudo_cmd=()
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); fi

case "$(uname -s)" in
  Linux)
    if command -v dpkg-query >/dev/null 2>&1; then
      missing=()
      for p in "${APT_PKGS[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
      done
      if [ ${#missing[@]} -gt 0 ]; then
        echo "Installing system packages: ${missing[*]}"
        "${sudo_cmd[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
      fi
    elif command -v dnf >/dev/null 2>&1; then
      "${sudo_cmd[@]}" dnf install -y tesseract tesseract-langpack-chi_sim tesseract-langpack-chi_tra \
        tesseract-langpack-eng google-noto-sans-cjk-fonts xcb-util-cursor xcb-util-wm \
        xcb-util-keysyms xcb-util-image xcb-util-renderutil libxkbcommon-x11 poppler-utils \
        xorg-x11-server-Xvfb gcc python3-devel
    else
      echo "Unknown Linux distribution: install Tesseract 5 with chi_sim, chi_tra and eng yourself." >&2
    fi
    ;;
  Darwin)
    if ! command -v tesseract >/dev/null 2>&1; then
      command -v brew >/dev/null 2>&1 || { echo "Install Homebrew first: see https://brew.sh" >&2; exit 1; }
      brew install tesseract tesseract-lang poppler
    fi
    ;;
  *)
    echo "On Windows install Tesseract with the UB-Mannheim installer (tick Chinese Simplified and" >&2
    echo "Traditional), or: winget install UB-Mannheim.TesseractOCR" >&2
    ;;
esac
