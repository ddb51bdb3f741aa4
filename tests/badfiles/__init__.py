"""A corpus of the unusual and broken files a desktop user drops on ChatGuard, generated at test
time (nothing binary is committed).

    from tests.badfiles import build_corpus
    cases = build_corpus(tmp_path)          # -> list[Case], files written under tmp_path

Each :class:`Case` is one path to give to ``chatguard scan`` and what must come back for it:
``codes`` is the set of acceptable error codes, with ``None`` meaning "scanned, no error".
``needle`` (optional) is text that must be read from it (the OCR really saw the picture).
``ocr`` says whether the case runs real OCR (slow) rather than failing before decoding.

Kinds with real text (EXIF-rotated photo, long scrolling capture, Chinese/emoji file name) are
rendered with :mod:`tests.chatgen`; everything else is built from bytes here.
"""

from __future__ import annotations

import io
import os
import random
import struct
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

OK = None  # "scanned, no error"

__all__ = ["Case", "build_corpus", "png_bytes", "jpeg_bytes", "OK"]


@dataclass
class Case:
    name: str  # the kind, for test ids and messages
    path: Path
    codes: frozenset[str | None]
    ocr: bool = False
    needle: str | None = None
    expands_to: int = 1  # a folder on the command line becomes this many inputs
    notes: str = ""
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------ byte builders


def _chunk(kind: bytes, data: bytes, crc: int | None = None) -> bytes:
    c = zlib.crc32(kind + data) & 0xFFFFFFFF if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", c)


def raw_png(width: int, height: int, bit_depth: int, color_type: int, idat: bytes,
            extra_chunks: tuple[bytes, ...] = ()) -> bytes:
    """A PNG from its parts; ``idat`` is already zlib-compressed scanlines."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + b"".join(extra_chunks)
            + _chunk(b"IDAT", idat) + _chunk(b"IEND", b""))


def _zeros_compressed(n: int, level: int = 9) -> bytes:
    """zlib stream of ``n`` zero bytes, built in pieces (never ``n`` bytes in memory at once)."""
    co = zlib.compressobj(level)
    piece = b"\x00" * (1 << 20)
    out = []
    left = n
    while left > 0:
        k = min(left, len(piece))
        out.append(co.compress(piece[:k]))
        left -= k
    out.append(co.flush())
    return b"".join(out)


def png_bytes(im: Image.Image, **kw) -> bytes:
    b = io.BytesIO()
    im.save(b, "PNG", **kw)
    return b.getvalue()


def jpeg_bytes(im: Image.Image, **kw) -> bytes:
    b = io.BytesIO()
    im.save(b, "JPEG", quality=kw.pop("quality", 85), **kw)
    return b.getvalue()


def _word_picture(size: tuple[int, int] = (320, 120), text: str = "hello 你好") -> Image.Image:
    """A small picture with a little drawn text (bitmap default font: no font file needed)."""
    im = Image.new("RGB", size, (250, 250, 250))
    d = ImageDraw.Draw(im)
    d.rectangle([10, 10, size[0] - 10, size[1] - 10], outline=(40, 40, 40), width=2)
    d.text((24, size[1] // 2 - 6), text.encode("ascii", "ignore").decode(), fill=(0, 0, 0))
    return im


def _huge_jpeg_header(small_jpeg: bytes, w: int, h: int) -> bytes:
    """A real JPEG whose SOF marker claims ``w`` x ``h``."""
    data = bytearray(small_jpeg)
    i = 2
    while i < len(data) - 9:
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        seglen = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            struct.pack_into(">HH", data, i + 5, h, w)
            return bytes(data)
        i += 2 + seglen
    raise ValueError("no SOF marker")


def _gif_huge_screen() -> bytes:
    """GIF89a whose logical screen and only frame claim 65535 x 65535 (a few bytes of data)."""
    head = b"GIF89a" + struct.pack("<HH", 65535, 65535) + b"\x80\x00\x00" + b"\x00\x00\x00\xff\xff\xff"
    img = b"\x2c" + struct.pack("<HHHH", 0, 0, 65535, 65535) + b"\x00"
    lzw = b"\x02\x02\x4c\x01\x00"  # min code size 2, one tiny sub-block
    return head + img + lzw + b"\x3b"


def _bmp_huge_header() -> bytes:
    w, h = 60000, 60000
    info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, 0, 2835, 2835, 0, 0)
    body = b"\x00" * 64
    head = b"BM" + struct.pack("<IHHI", 14 + len(info) + len(body), 0, 0, 14 + len(info))
    return head + info + body


def _tiff_huge_header() -> bytes:
    """A little-endian TIFF with one IFD claiming 70000 x 70000 8-bit grey, 1 strip."""
    entries = [
        (256, 4, 1, 70000),  # ImageWidth LONG
        (257, 4, 1, 70000),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 1),  # Compression none
        (262, 3, 1, 1),  # Photometric BlackIsZero
        (273, 4, 1, 8 + 2 + 12 * 8 + 4),  # StripOffsets (right after the IFD)
        (278, 4, 1, 70000),  # RowsPerStrip
        (279, 4, 1, 16),  # StripByteCounts
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        if typ == 3:
            ifd += struct.pack("<HHIHH", tag, typ, count, value, 0)
        else:
            ifd += struct.pack("<HHII", tag, typ, count, value)
    ifd += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x00" * 16


def _text_bomb_chunk(kind: bytes, n: int) -> bytes:
    comp = _zeros_compressed(n)
    if kind == b"zTXt":
        return _chunk(b"zTXt", b"Comment\x00\x00" + comp)
    return _chunk(b"iTXt", b"Comment\x00\x01\x00en\x00\x00" + comp)


def _exif_orientation(orientation: int) -> bytes:
    ex = Image.Exif()
    ex[0x0112] = orientation
    return ex.tobytes()


# ------------------------------------------------------------------------------ chat renders


def _chat(conv_name: str, style: str = "imessage", width: int = 1080, theme: str = "light") -> Image.Image:
    from tests.chatgen import render
    from tests.chatgen.io import load_conversation

    conv = load_conversation(Path(__file__).resolve().parents[1] / "data" / "screens" / f"{conv_name}.json")
    img, _truth = render(conv, style, theme, width=width, seed=0)
    return img.convert("RGB")


def long_capture(height: int = 12000) -> Image.Image:
    """A very long scrolling capture: several chat renders stacked (1080 wide), the last one
    the English gift-card threat, so that its text sits at the very bottom."""
    parts = [
        _chat("family_zh_dinner", "wechat"),
        _chat("friends_en_weekend", "whatsapp"),
        _chat("courier_zh_delivery", "wechat"),
        _chat("police_zh_safe_account", "line"),
        _chat("giftcard_en_sextortion", "imessage"),
    ]
    top = height - parts[-1].height
    canvas = Image.new("RGB", (1080, height), (255, 255, 255))
    y = 0
    for p in parts[:-1]:
        if y >= top:
            break
        canvas.paste(p.crop((0, 0, 1080, min(p.height, top - y))), (0, y))
        y += p.height
    canvas.paste(parts[-1], (0, top))
    return canvas


# ------------------------------------------------------------------------------ the corpus


def build_corpus(root: Path, *, with_ocr_images: bool = True, bad_utf8_name: bool = False) -> list[Case]:
    """Write every kind of bad file under ``root``; return the cases in a stable order.

    ``with_ocr_images=False`` leaves out the three full chat renders (for fast loader tests).
    ``bad_utf8_name=True`` adds a file whose name is not valid UTF-8 (Linux): off by default
    while ``chatguard scan --json`` cannot print such a name (see test_hardening).
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(8)
    cases: list[Case] = []

    def add(name: str, filename: str, data: bytes | None, codes, **kw) -> Path:
        p = root / filename
        if data is not None:
            p.write_bytes(data)
        cases.append(Case(name, p, frozenset(codes if isinstance(codes, set | frozenset) else {codes}), **kw))
        return p

    pic = _word_picture()
    good_png = png_bytes(pic)
    good_jpg = jpeg_bytes(pic)

    # -- empty, truncated, damaged
    add("zero bytes", "empty.png", b"", "not_an_image")
    add("zero bytes jpg", "empty.jpg", b"", "not_an_image")
    add("truncated PNG", "truncated.png", good_png[: len(good_png) // 2], "corrupt_image")
    add("truncated JPEG", "truncated.jpg", good_jpg[: len(good_jpg) // 2], "corrupt_image")
    add("PNG signature only", "signature_only.png", good_png[:8], "corrupt_image")
    add("JPEG SOI only", "soi_only.jpg", b"\xff\xd8\xff", "corrupt_image")
    bad_crc = bytearray(good_png)
    bad_crc[29] ^= 0xFF  # inside the IHDR CRC
    add("PNG with a bad CRC", "bad_crc.png", bytes(bad_crc), "corrupt_image")
    zero_dim = raw_png(0, 10, 8, 0, zlib.compress(b""))
    add("PNG with zero width", "zero_width.png", zero_dim, "corrupt_image")

    # -- wrong extension both ways, no extension
    add("PNG named .jpg", "really_png.jpg", good_png, OK)
    add("JPEG named .png", "really_jpeg.png", good_jpg, OK)
    add("PNG without extension", "no_extension", good_png, OK)
    add("image with upper-case extension", "SHOUT.PNG", good_png, OK)
    add("PNG with junk appended (polyglot)", "trailing_junk.png", good_png + b"PK\x03\x04" + os.urandom(200), OK)

    # -- not images at all, named as images
    add("text named .png", "note.png", "这不是图片 this is not an image\n".encode(), "not_an_image")
    add("PDF named .png", "document.png", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "not_an_image")
    add("HTML named .jpg", "page.jpg", b"<!doctype html><html><body><img src=x onerror=alert(1)></body></html>", "not_an_image")
    add("SVG named .png", "vector.png",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
        b'<image href="http://example.com/x.png"/></svg>', "not_an_image")
    add("PostScript named .png", "script.png",
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\nnewpath 0 0 moveto 100 100 lineto stroke\nshowpage\n",
        "not_an_image", notes="Pillow would hand EPS to Ghostscript (a subprocess with temp files)")
    add("ZIP named .png", "archive.png", b"PK\x05\x06" + b"\x00" * 18, "not_an_image")
    add("random bytes .png", "random.png", bytes(rnd.getrandbits(8) for _ in range(4096)), "not_an_image")
    add("random bytes .bin", "random.bin", bytes(rnd.getrandbits(8) for _ in range(1000)), "not_an_image")
    add("NUL bytes .webp", "nuls.webp", b"\x00" * 512, "not_an_image")

    # -- decompression bombs
    add("declared huge PNG (IHDR 100000x100000)", "bomb_header.png",
        raw_png(100_000, 100_000, 8, 2, zlib.compress(b"\x00" * 16)), "image_too_large")
    # 30000 x 30000 1-bit: 112 MB of scanlines in ~110 KB
    rows = 30000
    row = b"\x00" + b"\x00" * (30000 // 8)
    add("real PNG bomb 30000x30000 1-bit", "bomb_30000.png",
        raw_png(30000, rows, 1, 0, _zeros_compressed(len(row) * rows)), "image_too_large")
    add("declared huge JPEG (SOF 65000x65000)", "bomb_header.jpg", _huge_jpeg_header(good_jpg, 65000, 65000),
        {"image_too_large"})
    add("declared huge GIF (65535x65535)", "bomb_header.gif", _gif_huge_screen(), {"image_too_large"})
    add("declared huge BMP (60000x60000)", "bomb_header.bmp", _bmp_huge_header(), {"image_too_large"})
    add("declared huge TIFF (70000x70000)", "bomb_header.tif", _tiff_huge_header(), {"image_too_large"})
    small = Image.new("RGB", (64, 64), (240, 240, 240))
    sm_png = png_bytes(small)
    ihdr_end = 8 + 25
    add("zTXt text-chunk bomb (64 MB of zeros)", "bomb_ztxt.png",
        sm_png[:ihdr_end] + _text_bomb_chunk(b"zTXt", 64 << 20) + sm_png[ihdr_end:], {OK, "corrupt_image", "image_too_large"})
    add("iTXt text-chunk bomb (64 MB of zeros)", "bomb_itxt.png",
        sm_png[:ihdr_end] + _text_bomb_chunk(b"iTXt", 64 << 20) + sm_png[ihdr_end:], {OK, "corrupt_image", "image_too_large"})
    huge = root / "huge_file.png"
    with open(huge, "wb") as fh:  # sparse: costs no disk
        fh.write(good_png)
        fh.truncate(70 * 1024 * 1024)
    add("file larger than the limit (70 MB, sparse)", "huge_file.png", None, "image_too_large")

    # -- unusual modes and formats (decoded and read)
    g16 = Image.new("I;16", (200, 80))
    g16.paste(40000, (0, 0, 200, 40))
    add("16-bit greyscale PNG", "gray16.png", png_bytes(g16), OK)
    rgb48_rows = b"".join(b"\x00" + b"\xff\xff\x80\x00\x00\x00" * 40 for _ in range(30))
    add("48-bit RGB PNG (16 bits per channel)", "rgb48.png", raw_png(40, 30, 16, 2, zlib.compress(rgb48_rows)), OK)
    add("CMYK JPEG", "cmyk.jpg", jpeg_bytes(pic.convert("CMYK")), OK)
    add("palette PNG", "palette.png", png_bytes(pic.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)), OK)
    pal_t = pic.convert("P", palette=Image.Palette.ADAPTIVE, colors=8)
    add("palette PNG with transparency", "palette_transparent.png", png_bytes(pal_t, transparency=0), OK)
    rgba = pic.convert("RGBA")
    rgba.putalpha(200)
    add("RGBA PNG", "rgba.png", png_bytes(rgba), OK)
    add("fully transparent PNG", "transparent.png", png_bytes(Image.new("RGBA", (300, 200), (0, 0, 0, 0))), OK)
    add("LA (grey + alpha) PNG", "gray_alpha.png", png_bytes(pic.convert("LA")), OK)
    add("1-bit PNG", "bilevel.png", png_bytes(pic.convert("1")), OK)
    frames = [_word_picture(text=f"frame {i}").convert("P") for i in range(3)]
    b = io.BytesIO()
    frames[0].save(b, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    add("animated GIF", "animated.gif", b.getvalue(), OK)
    b = io.BytesIO()
    frames[0].convert("RGB").save(b, "TIFF", save_all=True, append_images=[f.convert("RGB") for f in frames[1:]])
    add("multi-page TIFF", "pages.tiff", b.getvalue(), OK)
    b = io.BytesIO()
    pic.save(b, "WEBP", quality=80)
    add("WEBP", "shot.webp", b.getvalue(), OK)
    b = io.BytesIO()
    pic.save(b, "BMP")
    add("BMP", "shot.bmp", b.getvalue(), OK)
    b = io.BytesIO()
    frames[0].convert("RGB").save(b, "PNG", save_all=True, append_images=[f.convert("RGB") for f in frames[1:]])
    add("animated PNG (APNG)", "animated.png", b.getvalue(), OK)
    heic = struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00" + b"mif1heic" + os.urandom(64)
    add("HEIC (fake header, no decoder)", "IMG_0001.HEIC", heic, "unsupported_image")
    add("JPEG with a bogus EXIF orientation (9)", "bad_orientation.jpg", jpeg_bytes(pic, exif=_exif_orientation(9)), OK)
    add("JPEG with garbage EXIF", "garbage_exif.jpg",
        good_jpg[:2] + b"\xff\xe1" + struct.pack(">H", 2 + 6 + 40) + b"Exif\x00\x00" + b"MM\x00*\xff\xff\xff\xf0" + os.urandom(32)
        + good_jpg[2:], {OK, "corrupt_image"})

    # -- sizes and colours
    add("1x1 pixel", "one_pixel.png", png_bytes(Image.new("RGB", (1, 1), (255, 0, 0))), OK)
    add("all black", "black.png", png_bytes(Image.new("RGB", (400, 800), (0, 0, 0))), OK)
    add("all white", "white.png", png_bytes(Image.new("RGB", (400, 800), (255, 255, 255))), OK)
    noise = Image.frombytes("RGB", (256, 256), bytes(rnd.getrandbits(8) for _ in range(256 * 256 * 3)))
    add("noise", "noise.png", png_bytes(noise), OK)
    add("1x5000 (one pixel wide)", "tall_1x5000.png", png_bytes(Image.new("RGB", (1, 5000), (200, 200, 200))), OK)
    add("5000x1 (one pixel tall)", "wide_5000x1.png", png_bytes(Image.new("RGB", (5000, 1), (200, 200, 200))), OK)
    add("3x4000 sliver", "sliver_3x4000.png", png_bytes(Image.new("RGB", (3, 4000), (0, 0, 0))), OK)

    # -- file-system oddities
    add("nonexistent path", "does_not_exist.png", None, "not_found")
    add("path below a regular file", "note.png/child.png", None, {"not_found", "not_a_file"})
    link = root / "dangling_link.png"
    os.symlink(root / "gone.png", link)
    add("dangling symlink", "dangling_link.png", None, "not_a_file")
    if sys.platform != "win32":
        for dev in ("/dev/zero", "/dev/urandom", "/dev/null"):
            if os.path.exists(dev):
                os.symlink(dev, root / f"link_to_{Path(dev).name}.png")
                add(f"symlink to {dev}", f"link_to_{Path(dev).name}.png", None, "not_a_file")
        if hasattr(os, "mkfifo"):
            os.mkfifo(root / "pipe.png")
            add("named pipe (FIFO)", "pipe.png", None, "not_a_file")
    loop = root / "loop_a.png"
    os.symlink(root / "loop_b.png", loop)
    os.symlink(loop, root / "loop_b.png")
    add("symlink loop", "loop_a.png", None, {"not_found", "not_a_file"})
    sub = root / "folder.png"  # a folder that looks like an image
    sub.mkdir()
    (sub / "inner.png").write_bytes(good_png)
    (sub / "nested_dir.jpg").mkdir()
    (sub / "readme.txt.bak").write_text("x")
    add("folder (named like an image) holding one image", "folder.png", None, OK, expands_to=1)
    add("long file name (CJK, 80 characters)", "截" * 80 + ".png", good_png, OK)
    if bad_utf8_name and sys.platform != "win32" and sys.getfilesystemencoding() == "utf-8":
        add("file name that is not valid UTF-8", os.fsdecode(b"bad_utf8_\xff\xfe.png"), good_png, OK)
    add("file name with a newline", "line\nbreak.png", good_png, OK)
    add("right-to-left override in the name", "gnp.\u202eexe.png", good_png, OK)
    add("text chat export with binary junk (.txt)", "export.txt", b"them: hi\n\xff\xfe\x00junk\n", {OK})

    if with_ocr_images:
        # EXIF-rotated photo of a screen: pixels stored sideways, EXIF says "rotate 90 CW"
        chat = _chat("giftcard_en_sextortion", "imessage", width=720)
        sideways = chat.transpose(Image.Transpose.ROTATE_90)  # what the sensor stored
        add("EXIF-rotated photo of a chat (orientation 6)", "photo_rotated.jpg",
            jpeg_bytes(sideways, quality=90, exif=_exif_orientation(6)), OK, ocr=True, needle="Steamgift")
        b = io.BytesIO()
        long_capture().save(b, "PNG", optimize=False, compress_level=1)
        add("long scrolling capture 1080x12000", "long_capture.png", b.getvalue(), OK, ocr=True, needle="Steamgift")
        zh = _chat("wechat_zh_sextortion", "wechat", width=720)
        (root / "用户" / "测试").mkdir(parents=True)
        add("Chinese and emoji file name in a Chinese folder", "用户/测试/中文截图 😀.png", png_bytes(zh), OK,
            ocr=True, needle="照片")
    return cases
