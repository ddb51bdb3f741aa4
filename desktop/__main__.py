"""``python -m desktop ...`` is ``chatguard ...``."""

import sys

from .cli import main

# guarded: the window's OCR child process (multiprocessing "spawn") imports this module again
if __name__ == "__main__":
    sys.exit(main())
