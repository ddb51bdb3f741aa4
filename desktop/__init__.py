"""聊天守护 ChatGuard: the application (window, command line, reports).

The only layer that imports both ``ocr`` and ``patterns``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("chatguard")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"
