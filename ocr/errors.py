"""Typed OCR-layer errors. Each carries a stable code (see the JSON contract)."""

from __future__ import annotations


class OcrError(Exception):
    """Base class: an input could not be read. ``code`` is stable, ``message`` is plain English
    (the desktop layer translates by code)."""

    code = "ocr_failed"

    def __init__(self, message: str = "", *, detail: str | None = None) -> None:
        super().__init__(message or self.__class__.__doc__ or self.code)
        self.message = message or (self.__class__.__doc__ or self.code).strip()
        self.detail = detail

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # keep keyword-only fields (detail, hint) when the error crosses a process boundary
        return (self.__class__, (self.message,), dict(self.__dict__))


class InputError(OcrError):
    """The input file is unusable."""

    code = "bad_input"


class NotFoundError(InputError):
    """The file does not exist."""

    code = "not_found"


class NotAFileError(InputError):
    """The path is not a regular file (a folder, pipe, device or dangling link)."""

    code = "not_a_file"


class NotAnImageError(InputError):
    """The file is not an image."""

    code = "not_an_image"


class UnsupportedImageError(InputError):
    """The image format is not supported (for example HEIC without a decoder)."""

    code = "unsupported_image"


class CorruptImageError(InputError):
    """The image file is damaged or truncated."""

    code = "corrupt_image"


class ImageTooLargeError(InputError):
    """The image is too large to read safely."""

    code = "image_too_large"


class OcrTimeoutError(OcrError):
    """Reading the image took too long and was stopped."""

    code = "ocr_timeout"


class OcrFailedError(OcrError):
    """The OCR engine failed on this image."""

    code = "ocr_failed"


class EngineUnavailableError(OcrError):
    """The OCR engine or its language data is missing. ``hint`` says how to install it."""

    code = "engine_unavailable"

    def __init__(self, message: str = "", *, hint: str = "", detail: str | None = None) -> None:
        super().__init__(message, detail=detail)
        self.hint = hint
