"""Load and validate one image: a path (regular file) or bytes in, a BGR uint8 array out.

Everything happens in memory: the file is read once, its size checked before decoding, and the
pixel count checked from the header before the pixels are decoded (decompression bombs).
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path
from struct import error as struct_error

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from .errors import (
    CorruptImageError,
    ImageTooLargeError,
    InputError,
    NotAFileError,
    NotAnImageError,
    NotFoundError,
    UnsupportedImageError,
)

MAX_FILE_BYTES = 60 * 1024 * 1024
MAX_PIXELS = 100_000_000

ImageSource = str | os.PathLike[str] | bytes | bytearray | memoryview

# Signatures of image formats, so that a damaged PNG/JPEG is "corrupt", not "not an image".
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
# The only decoders Pillow may use: the formats screenshots come in. Pillow otherwise guesses among
# ~40 formats, some of which run external programs with temporary files (EPS -> Ghostscript) or
# parse exotic containers; a text or PostScript file named .png must be "not an image".
_FORMATS = ("PNG", "JPEG", "MPO", "GIF", "BMP", "DIB", "TIFF", "WEBP")
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis")


@dataclass(frozen=True, slots=True)
class LoadedImage:
    """A decoded image with the hash of the bytes it came from."""

    bgr: np.ndarray
    sha256: str
    format: str | None


def _read_path(path: str | os.PathLike[str]) -> bytes:
    p = Path(os.fspath(path))
    try:
        st = p.stat()
    except FileNotFoundError:
        if p.is_symlink():
            raise NotAFileError(f"{p.name}: the link points to nothing", detail=str(p)) from None
        raise NotFoundError(f"{p.name}: no such file", detail=str(p)) from None
    except NotADirectoryError:
        raise NotFoundError(f"{p.name}: no such file", detail=str(p)) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotAFileError(f"{p.name}: the link points to itself (a loop)", detail=str(p)) from None
        raise InputError(f"{p.name}: cannot be read ({exc.strerror})", detail=str(p)) from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        raise NotAFileError(f"{p.name}: {kind}", detail=str(p))
    if st.st_size > MAX_FILE_BYTES:
        raise ImageTooLargeError(
            f"{p.name}: the file is {st.st_size // (1024 * 1024)} MB, more than "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB",
            detail=str(p),
        )
    try:
        data = read_regular_file(p, MAX_FILE_BYTES)
    except NotAFileError:
        raise NotAFileError(f"{p.name}: not a regular file", detail=str(p)) from None
    except OSError as exc:
        raise InputError(f"{p.name}: cannot be read ({exc.strerror})", detail=str(p)) from None
    if len(data) > MAX_FILE_BYTES:
        raise ImageTooLargeError(f"{p.name}: the file is too large", detail=str(p))
    return data


def read_regular_file(path: str | os.PathLike[str], limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes of a file that is still a regular file once opened.

    Opened non-blocking and checked with fstat on the open descriptor: a path swapped for a
    FIFO or device after the caller's stat() can neither block the read nor feed it endless
    bytes. Raises NotAFileError or OSError.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotAFileError("not a regular file")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            b = os.read(fd, min(left, 1 << 20))
            if not b:
                break
            chunks.append(b)
            left -= len(b)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _sniff(data: bytes) -> str | None:
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "HEIF"
    return None


def _to_bgr(im: Image.Image) -> np.ndarray:
    """Flatten any mode onto white and return BGR uint8."""
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(im, dtype=np.float64)
        hi = float(arr.max()) if arr.size else 0.0
        scale = 255.0 / 65535.0 if hi > 255 else 1.0
        if mode == "F" and hi <= 1.0:
            scale = 255.0
        gray = np.clip(arr * scale, 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2))
    if mode == "P":
        im = im.convert("RGBA") if "transparency" in im.info else im.convert("RGB")
    elif mode in ("1", "L"):
        im = im.convert("RGB")
    elif mode in ("LA", "PA", "La"):
        im = im.convert("RGBA")
    elif mode in ("CMYK", "YCbCr", "LAB", "HSV"):
        im = im.convert("RGB")
    elif mode not in ("RGB", "RGBA", "RGBa"):
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "RGBa"):
        bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
        bg.alpha_composite(im.convert("RGBA"))
        im = bg.convert("RGB")
    rgb = np.asarray(im, dtype=np.uint8)
    return np.ascontiguousarray(rgb[:, :, ::-1])


def decode(data: bytes, name: str = "image") -> LoadedImage:
    """Decode image bytes (already size-checked) into BGR."""
    if not data:
        raise NotAnImageError(f"{name}: the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise ImageTooLargeError(f"{name}: the file is too large")
    kind = _sniff(data)
    if kind == "HEIF":
        raise UnsupportedImageError(
            f"{name}: HEIC/HEIF/AVIF photos are not supported; save the screenshot as PNG or JPEG"
        )
    sha = hashlib.sha256(data).hexdigest()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            warnings.simplefilter("ignore", UserWarning)  # "Corrupt EXIF data" etc. must not reach stderr
            Image.init()  # registers MPO, TIFF, WEBP (idempotent)
            im = Image.open(io.BytesIO(data), formats=[f for f in _FORMATS if f in Image.OPEN])
            w, h = im.size
            if w <= 0 or h <= 0:
                raise CorruptImageError(f"{name}: the image has no pixels")
            if w * h > MAX_PIXELS:
                raise ImageTooLargeError(
                    f"{name}: {w}x{h} pixels is more than {MAX_PIXELS // 1_000_000} megapixels"
                )
            fmt = im.format
            # animated GIF/PNG/WEBP, multi-page TIFF: Image.open already stands on the first frame
            # Never accept silently truncated data (a global switch some libraries turn on).
            if ImageFile.LOAD_TRUNCATED_IMAGES:
                raise CorruptImageError(f"{name}: truncated images are not accepted")
            im.load()
            oriented: Image.Image = ImageOps.exif_transpose(im) or im
            bgr = _to_bgr(oriented)
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError(f"{name}: too many pixels to decode safely", detail=str(exc)) from None
    except UnidentifiedImageError as exc:
        if kind is not None:
            raise CorruptImageError(f"{name}: the {kind} file is damaged", detail=str(exc)) from None
        raise NotAnImageError(f"{name}: not an image", detail=str(exc)) from None
    except InputError:
        raise
    except MemoryError:
        raise ImageTooLargeError(f"{name}: not enough memory to decode") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct_error) as exc:
        raise CorruptImageError(f"{name}: the image is damaged or truncated", detail=str(exc)) from None
    except Exception as exc:  # any other decoder failure on hostile bytes is still a damaged file
        raise CorruptImageError(f"{name}: the image is damaged", detail=repr(exc)) from None
    return LoadedImage(bgr=bgr, sha256=sha, format=fmt)


def load(source: ImageSource) -> LoadedImage:
    """Read and decode a path or bytes; raises typed :mod:`ocr.errors`."""
    if isinstance(source, bytes | bytearray | memoryview):
        return decode(bytes(source), "image")
    if not isinstance(source, str | os.PathLike):
        raise TypeError(f"expected a path or bytes, not {type(source).__name__}")
    data = _read_path(source)
    return decode(data, Path(os.fspath(source)).name)


def load_image(source: ImageSource) -> np.ndarray:
    """Public: a path or bytes in, a BGR uint8 array (H, W, 3) out."""
    return load(source).bgr
