"""Qt side of the evidence report: the application object, a CJK font, screenshots with the
flagged lines boxed, and HTML -> PDF. Everything is rendered in memory (QBuffer / bytes): no
temporary files, and the originals are only ever read.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Sequence

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QRawFont,
    QTextDocument,
)

from .scan import InputResult

_app: QGuiApplication | None = None

# Severity colours of the boxes (the transcript also says the severity in words).
BOX_COLOURS = {"critical": "#c1121f", "high": "#e85d04", "medium": "#d4a000", "low": "#1f77b4"}

# The largest width, in pixels, a screenshot is stored at in the report (boxes are drawn on the
# full-size copy first, then it is scaled down).
MAX_IMAGE_WIDTH = 720


def ensure_app() -> QGuiApplication:
    """A QGuiApplication is needed for fonts and painting: reuse the window's, or make one
    (headless when there is no display, so the command line works over SSH and in CI)."""
    global _app
    inst = QGuiApplication.instance()
    if inst is not None:
        return inst  # type: ignore[return-value]
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication(["chatguard"])
    return _app


_PREFERRED = {
    "zh-Hant": ("Noto Sans CJK TC", "Noto Sans TC", "Source Han Sans TC", "Microsoft JhengHei", "PingFang TC",
                "Noto Sans CJK HK", "PingFang HK"),
    "zh-Hans": ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
                "Hiragino Sans GB", "WenQuanYi Micro Hei"),
}


def cjk_family(lang: str) -> str | None:
    """A font family with Chinese glyphs installed on this machine, matching the report's script."""
    ensure_app()
    families = set(QFontDatabase.families())
    order = _PREFERRED["zh-Hant"] + _PREFERRED["zh-Hans"] if lang == "zh-Hant" else _PREFERRED["zh-Hans"] + _PREFERRED["zh-Hant"]
    for fam in order:
        if fam in families:
            return fam
    for ws in (QFontDatabase.WritingSystem.SimplifiedChinese, QFontDatabase.WritingSystem.TraditionalChinese):
        fams = [f for f in QFontDatabase.families(ws) if "mono" not in f.lower()]
        if fams:
            return fams[0]
    return None


def mono_family() -> str | None:
    families = set(QFontDatabase.families())
    for fam in ("DejaVu Sans Mono", "Consolas", "Menlo", "Courier New", "Noto Sans Mono CJK SC"):
        if fam in families:
            return fam
    return None


# ------------------------------------------------------------------------------ screenshots


def annotated_image(data: bytes, res: InputResult, max_width: int = MAX_IMAGE_WIDTH) -> QImage | None:
    """The screenshot decoded exactly as the OCR saw it (EXIF rotation applied), on an
    in-memory copy with a numbered box round every flagged line. None if it cannot be decoded."""
    ensure_app()
    try:
        from ocr.loader import decode

        bgr = decode(data).bgr
    except Exception:
        return None
    h, w = bgr.shape[:2]
    img = QImage(bgr.tobytes(), w, h, 3 * w, QImage.Format.Format_BGR888).convertToFormat(QImage.Format.Format_RGB32)
    flagged = [ln for ln in res.lines if ln.findings and ln.bbox]
    if flagged:
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        thick = max(3, round(w / 260))
        font = QFont()
        font.setPixelSize(max(14, round(w / 36)))
        font.setBold(True)
        p.setFont(font)
        fm_h = max(14, round(w / 36)) + 8
        for ln in flagged:
            x, y, bw, bh = ln.bbox  # type: ignore[misc]
            sev = max(ln.findings, key=lambda f: f.severity.rank).severity.value
            colour = QColor(BOX_COLOURS.get(sev, "#c1121f"))
            pad = thick
            rect = QRectF(x - pad, y - pad, bw + 2 * pad, bh + 2 * pad)
            p.setPen(QPen(colour, thick))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(rect)
            label = f"{ln.index + 1}"
            lw = p.fontMetrics().horizontalAdvance(label) + 10
            lx = max(0.0, rect.left() - lw) if rect.left() - lw >= 0 else rect.right()
            if lx + lw > w:
                lx = max(0.0, rect.left())
            lrect = QRectF(lx, rect.top(), lw, fm_h)
            p.fillRect(lrect, colour)
            p.setPen(QColor("white"))
            p.drawText(lrect, Qt.AlignmentFlag.AlignCenter, label)
        p.end()
    if w > max_width:
        img = img.scaledToWidth(max_width, Qt.TransformationMode.SmoothTransformation)
    return img


def image_bytes(img: QImage, fmt: str = "PNG") -> bytes:
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, fmt)  # type: ignore[call-overload]  # the stubs say bytes; PySide6 wants str
    buf.close()
    return bytes(ba.data())


# ------------------------------------------------------------------------------ PDF


def html_to_pdf(html: str, images: dict[str, QImage], *, lang: str, title: str, creator: str,
                footer: str = "") -> bytes:
    """Lay the HTML out with QTextDocument and print it to a PDF in memory (A4, real text,
    fonts embedded). ``images`` maps the ``src`` names used in the HTML to images."""
    ensure_app()
    doc = QTextDocument()
    fam = cjk_family(lang)
    font = report_font(fam)
    doc.setDefaultFont(font)
    for name, img in images.items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), img)
    doc.setHtml(html)

    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    writer.setTitle(title)
    writer.setCreator(creator)
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(16, 14, 16, 10), QPageLayout.Unit.Millimeter))
    _paginate(doc, writer, footer, font.family())
    del writer  # finishes the PDF
    buf.close()
    return fix_tounicode(bytes(ba.data()), radical_map([f for f in (fam, mono_family()) if f]))


def _paginate(doc: QTextDocument, writer: QPdfWriter, footer: str, family: str) -> None:
    """Print the document page by page (as QTextDocument.print_ does, without its extra 2 cm
    margins) with a footer on every page: what the report is, when it was made, page n / N."""
    painter = QPainter(writer)
    try:
        doc.documentLayout().setPaintDevice(writer)
        fmt = doc.rootFrame().frameFormat()
        fmt.setMargin(0)
        doc.rootFrame().setFrameFormat(fmt)
        dpi = writer.logicalDpiY()
        footer_h = int(dpi * 0.28)
        body = QRectF(0, 0, writer.width(), writer.height() - footer_h)
        doc.setPageSize(body.size())
        pages = doc.pageCount()
        ffont = report_font(family or None, 7.5)
        for i in range(pages):
            if i:
                writer.newPage()
            painter.save()
            painter.translate(0, -i * body.height())
            doc.drawContents(painter, QRectF(0, i * body.height(), body.width(), body.height()))
            painter.restore()
            painter.setFont(ffont)
            painter.setPen(QColor("#555555"))
            y = body.height() + footer_h * 0.25
            frect = QRectF(0, y, body.width(), footer_h * 0.75)
            painter.drawLine(QRectF(0, y, body.width(), 0).topLeft(), QRectF(0, y, body.width(), 0).topRight())
            painter.drawText(frect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, footer)
            painter.drawText(frect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{i + 1} / {pages}")
    finally:
        painter.end()


def report_font(family: str | None, size: float = 9.5) -> QFont:
    """The report's font. OpenType 'locl' is off: in Noto Sans CJK it swaps the digits of Latin
    runs for glyphs that have no code point, which Qt then leaves out of the PDF's text layer
    (dates and hashes would not be searchable). The SC/TC family already has the right forms."""
    font = QFont(family) if family else QFont()
    font.setPointSizeF(size)
    font.setFeature(QFont.Tag("locl"), 0)
    return font


def radical_map(families: Sequence[str]) -> dict[int, int]:
    """Radical code point -> the unified ideograph drawn with the same glyph in these fonts
    (e.g. U+2EDB -> 风 U+98CE in Noto Sans CJK SC)."""
    rad = "".join(chr(c) for c in range(0x2E80, 0x2FE0))
    uni = "".join(chr(c) for c in (*range(0x4E00, 0xA000), *range(0x3400, 0x4DC0)))
    out: dict[int, int] = {}
    for fam in families:
        raw = QRawFont.fromFont(report_font(fam))
        if not raw.isValid():
            continue
        first: dict[int, str] = {}
        for ch, g in zip(uni, raw.glyphIndexesForString(uni), strict=False):
            if g:
                first.setdefault(g, ch)
        for ch, g in zip(rad, raw.glyphIndexesForString(rad), strict=False):
            if g and g in first:
                out.setdefault(ord(ch), ord(first[g]))
    return out


_TOUNICODE_REF = re.compile(rb"/ToUnicode (\d+) 0 R")
_HEX4 = re.compile(rb"<([0-9A-Fa-f]{4})>")


def _unified(cp: int, radicals: dict[int, int]) -> int:
    """A Kangxi radical (U+2F00..) or CJK radical supplement (U+2E80..) code point -> the
    unified ideograph it stands for (the same glyph in CJK fonts), else the code point."""
    if cp in radicals:
        return radicals[cp]
    if 0x2E80 <= cp <= 0x2FDF:
        n = unicodedata.normalize("NFKC", chr(cp))
        if len(n) == 1 and ord(n) <= 0xFFFF:
            return ord(n)
    return cp


def fix_tounicode(pdf: bytes, radicals: dict[int, int] | None = None) -> bytes:
    """Qt maps each embedded glyph back to the FIRST code point that uses it, so in CJK fonts
    人, 方, 片, 风 ... (which share their glyph with the radicals ⼈ ⽅ ⽚ ⻛) come out of the
    text layer as radicals: copying, searching and pdftotext then miss the words. Rewrite those
    targets of the ToUnicode maps to the unified ideographs, then fix the stream lengths and
    the cross-reference offsets. Returns ``pdf`` unchanged if its layout is not the expected one."""
    radicals = radicals or {}
    edits: list[tuple[int, int, bytes]] = []  # (start, end, replacement) in the original
    for num in sorted(set(_TOUNICODE_REF.findall(pdf))):
        m = re.search(rb"(?:^|\n)" + num + rb" 0 obj\s*<<\s*/Length (\d+)\s*>>\s*stream\r?\n", pdf)
        if not m:
            continue
        start = m.end()
        end = start + int(m.group(1))
        stream = pdf[start:end]
        if b"begincmap" not in stream or not pdf[end:end + 12].lstrip().startswith(b"endstream"):
            continue
        fixed = _fix_cmap(stream, radicals)
        if fixed == stream:
            continue
        if len(fixed) != len(stream):
            edits.append((m.start(1), m.end(1), str(len(fixed)).encode()))
        edits.append((start, end, fixed))
    if not edits:
        return pdf
    return _apply_edits(pdf, edits)


def _apply_edits(pdf: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    edits.sort()
    sx = list(re.finditer(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf))
    if not sx:
        return pdf
    xref_at = int(sx[-1].group(1))
    head = re.compile(rb"xref\r?\n0 (\d+)\r?\n").match(pdf, xref_at)
    if not head or any(e > xref_at for _s, e, _r in edits):
        return pdf

    def shift(off: int) -> int:
        return off + sum(len(r) - (e - s) for s, e, r in edits if e <= off)

    entries = []
    pos = head.end()
    for _ in range(int(head.group(1))):
        entry = pdf[pos:pos + 20]
        em = re.fullmatch(rb"(\d{10}) (\d{5}) ([nf])(?: \r?\n|\r\n)", entry)
        if not em:
            return pdf
        if em.group(3) == b"n":
            entry = b"%010d" % shift(int(em.group(1))) + entry[10:]
        entries.append(entry)
        pos += 20
    out = bytearray()
    last = 0
    for s, e, r in edits:
        out += pdf[last:s] + r
        last = e
    out += pdf[last:xref_at]
    out += pdf[xref_at:head.end()] + b"".join(entries) + pdf[pos:sx[-1].start(1)]
    out += str(shift(xref_at)).encode() + pdf[sx[-1].end(1):]
    return bytes(out)


def _fix_cmap(stream: bytes, radicals: dict[int, int]) -> bytes:
    lines = stream.split(b"\n")
    mode = None
    for i, line in enumerate(lines):
        s = line.strip()
        if s.endswith(b"beginbfrange"):
            mode = "range"
            continue
        if s.endswith(b"beginbfchar"):
            mode = "char"
            continue
        if s in (b"endbfrange", b"endbfchar"):
            mode = None
            continue
        if mode is None:
            continue
        tokens = list(_HEX4.finditer(line))
        if mode == "range" and b"[" not in line and len(tokens) == 3:
            # <lo> <hi> <dst>: glyphs lo..hi map to dst, dst+1, ...: spell it out if any changes
            lo, hi, dst = (int(x.group(1), 16) for x in tokens)
            cps = [dst + k for k in range(hi - lo + 1)]
            new = [_unified(cp, radicals) for cp in cps]
            if new != cps:
                lines[i] = b"<%04X> <%04X> [%s]" % (lo, hi, b" ".join(b"<%04X>" % cp for cp in new))
            continue
        # bfchar: <glyph> <dst>; bfrange: <lo> <hi> [<dst> <dst> ...]
        targets = (tokens[1:2] if len(tokens) == 2 else []) if mode == "char" else tokens[2:]
        b = bytearray(line)
        for tm in targets:
            cp = int(tm.group(1), 16)
            new_cp = _unified(cp, radicals)
            if new_cp != cp:
                b[tm.start(1):tm.end(1)] = b"%04X" % new_cp
        lines[i] = bytes(b)
    return b"\n".join(lines)
