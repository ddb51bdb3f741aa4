"""The ChatGuard window (PySide6).

It goes only through ``desktop.scan.Scanner``: OCR runs in ``QThreadPool`` workers
(``jobs.py``), pattern matching of the whole run (``Scanner.finish``) on the GUI thread.
Heavy modules (``desktop.scan`` pulls in OCR, numpy, OpenCV) are imported in the workers so
the window is up before they are loaded.
"""
