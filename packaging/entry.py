"""Entry point of the packaged ChatGuard (PyInstaller script; see packaging/chatguard.spec).

One program, two faces:
- ``chatguard ...``: the command line (``desktop.cli:main``), same as the pip-installed one;
- the window (``desktop.cli:gui_main``) when the executable is ``chatguard-gui`` (the windowed
  Windows program the Start menu points at) or when it is started with no arguments from a
  macOS .app (Finder and the Dock pass none; older macOS passes ``-psn_...``, dropped here).
The Linux bundle's desktop entry and AppImage run ``chatguard gui``.

Tesseract's language data ship inside the bundle (``tessdata/`` beside the Python files):
``ocr.engines.tess.bundled_tessdata`` finds them there before any system folder.
"""

import multiprocessing
import os
import sys

if __name__ == "__main__":
    # the window reads images in a child process started with "spawn": in a frozen program the
    # child is this same executable, and freeze_support() turns it into the worker
    multiprocessing.freeze_support()

    from desktop.cli import gui_main, main

    args = [a for a in sys.argv[1:] if not a.startswith("-psn_")]
    exe = os.path.splitext(os.path.basename(sys.executable))[0].lower()
    in_app = sys.platform == "darwin" and ".app/Contents/MacOS" in sys.executable
    if exe == "chatguard-gui" or (in_app and not args):
        sys.argv[1:] = args
        sys.exit(gui_main())
    sys.exit(main(args))
