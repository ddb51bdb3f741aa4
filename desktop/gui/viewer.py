"""The screenshot with every read line boxed and the risky ones filled by severity.

Boxes are ``QGraphicsRectItem``s whose rect is the line's bbox in image pixels (the pixmap sits
at the scene origin, so scene coordinates are image coordinates). Hover shows a tooltip; a click
shows the details under the picture. Severity is shown by a mark and a word, not colour alone.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPixmap, QWheelEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from . import labels
from .labels import COLOR, MARK, SEVERITY_RANK

if TYPE_CHECKING:
    from patterns import Finding

    from ..scan import LineResult


def line_tooltip(ln: LineResult, findings: list[Finding], lang: str) -> str:
    """Rich text: the line, who said it, and for each finding the category, phrase and why."""
    parts = [f"<p><b>{html.escape(labels.sender(ln.sender))}:</b> {html.escape(ln.text)}</p>"]
    if ln.duplicate_of is not None:
        parts.append("<p><i>" + html.escape(ShotViewer.tr_repeated()) + "</i></p>")
    for f in findings:
        sev = f.severity.value
        why = f.explain.get(lang) or f.explain.get("en", "")
        parts.append(
            f"<p><b>{MARK[sev]} {html.escape(labels.severity(sev))} · {html.escape(labels.category(f.category.value))}</b><br>"
            f"{html.escape(ShotViewer.tr_matched())} “{html.escape(f.matched)}”<br>{html.escape(why)}</p>")
    return "".join(parts)


class LineBox(QGraphicsRectItem):
    def __init__(self, key: tuple[int, int], rect: QRectF, severity: str | None, on_click: Callable[[tuple[int, int]], None]) -> None:
        super().__init__(rect)
        self.key = key
        self.severity = severity
        self._on_click = on_click
        self.setAcceptHoverEvents(True)
        self._outline: QGraphicsRectItem | None = None
        if severity:
            c = QColor(COLOR[severity])
            pen = QPen(c, 3)
            fill = QColor(c)
            fill.setAlpha(70 if SEVERITY_RANK[severity] >= 3 else 50)
            self.setBrush(QBrush(fill))
            self.setZValue(2)
        else:
            pen = QPen(QColor(90, 120, 170, 170), 1.5, Qt.PenStyle.DashLine)
            self.setZValue(1)
        pen.setCosmetic(True)
        self.setPen(pen)
        # No Python paint(): a screenshot has dozens of boxes, and every Python call while
        # painting had to win the GIL back from a busy worker (60-70 ms repaints during a batch).
        # The chosen line gets an outline item of its own instead of Qt's selection look.

    def set_chosen(self, on: bool) -> None:
        if on and self._outline is None:
            sel = QPen(QColor("#0078d4"), 4)
            sel.setCosmetic(True)
            self._outline = QGraphicsRectItem(self.rect().adjusted(-6, -6, 6, 6), self)
            self._outline.setPen(sel)
            self._outline.setBrush(Qt.BrushStyle.NoBrush)
        if self._outline is not None:
            self._outline.setVisible(on)

    def isSelected(self) -> bool:  # noqa: N802  # Qt's name, for callers that ask the usual way
        return self._outline is not None and self._outline.isVisible()

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().mousePressEvent(event)
        self._on_click(self.key)


class _View(QGraphicsView):
    zoomed = Signal()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoomed.emit()
            f = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
            self.scale(f, f)
            event.accept()
            return
        super().wheelEvent(event)


class ShotViewer(QWidget):
    """Picture + boxes + legend + zoom controls + details of the chosen line."""

    lineChosen = Signal(int, int)  # input index, line index

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = "en"
        self.scene = QGraphicsScene(self)
        self.view = _View(self.scene, self)
        self.view.setAcceptDrops(False)
        self.view.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.view.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.zoomed.connect(self._leave_fit)
        self.pixmap_item: QGraphicsPixmapItem | None = None
        self.boxes: dict[tuple[int, int], LineBox] = {}
        self._lines: dict[tuple[int, int], tuple[LineResult, list[Finding]]] = {}
        self._fit = True

        self.legend = QLabel(self)
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.btn_out = QToolButton(self)
        self.btn_in = QToolButton(self)
        self.btn_fit = QToolButton(self)
        self.btn_width = QToolButton(self)
        for b, slot in ((self.btn_out, self.zoom_out), (self.btn_in, self.zoom_in),
                        (self.btn_fit, self.fit), (self.btn_width, self.fit_width)):
            b.clicked.connect(slot)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.detail.setFrameShape(QFrame.Shape.StyledPanel)
        self.detail.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.hide()

        top = QHBoxLayout()
        top.addWidget(self.legend, 1)
        for b in (self.btn_out, self.btn_in, self.btn_width, self.btn_fit):
            top.addWidget(b)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.note, 1)
        lay.addWidget(self.detail)
        self.retranslate()

    # ------------------------------------------------------------------ text

    @staticmethod
    def tr_repeated() -> str:
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate("ShotViewer", "(repeated from an earlier screenshot)")

    @staticmethod
    def tr_matched() -> str:
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate("ShotViewer", "matched")

    def retranslate(self) -> None:
        bits = []
        for sev in ("critical", "high", "medium", "low"):
            bits.append(f'<span style="background-color:{COLOR[sev]}; color:white">&nbsp;{MARK[sev]}&nbsp;</span>&nbsp;{html.escape(labels.severity(sev))}')
        bits.append('<span style="border:1px dashed #5a78aa">&nbsp;▭&nbsp;</span>' + html.escape(self.tr("line read, nothing found")))
        self.legend.setText("&nbsp;&nbsp; ".join(bits))
        self.legend.setAccessibleName(self.tr("Legend: ‼ critical, ! high, ? medium, · low; a dashed box is a line read with nothing found"))
        self.btn_out.setText(self.tr("−"))
        self.btn_out.setToolTip(self.tr("Zoom out (Ctrl+-)"))
        self.btn_out.setAccessibleName(self.tr("Zoom out"))
        self.btn_in.setText(self.tr("+"))
        self.btn_in.setToolTip(self.tr("Zoom in (Ctrl++)"))
        self.btn_in.setAccessibleName(self.tr("Zoom in"))
        self.btn_fit.setText(self.tr("Whole picture"))
        self.btn_fit.setToolTip(self.tr("Show the whole screenshot (Ctrl+0)"))
        self.btn_width.setText(self.tr("Fit width"))
        self.btn_width.setToolTip(self.tr("Fit the screenshot's width to the window"))
        self.view.setAccessibleName(self.tr("Screenshot with the read lines boxed"))
        self.detail.setAccessibleName(self.tr("Details of the chosen line"))
        if not self._lines:
            self.detail.setText(self.tr("Point at or click a box to see what was read there and why it was flagged."))
        for key, box in self.boxes.items():
            ln, fs = self._lines[key]
            box.setToolTip(line_tooltip(ln, fs, self.lang))

    # ------------------------------------------------------------------ content

    def clear(self) -> None:
        self.scene.clear()
        self.boxes.clear()
        self._lines.clear()
        self.pixmap_item = None
        self.note.hide()
        self.view.show()
        self.retranslate()

    def show_note(self, text: str) -> None:
        self.clear()
        self.view.hide()
        self.note.setText(text)
        self.note.show()

    def set_image(self, image, lines: list[tuple[int, LineResult, list[Finding]]], input_index: int, lang: str) -> None:  # type: ignore[no-untyped-def]
        """``lines``: (line index, line, findings to show) of one input; ``image`` a QImage."""
        self.lang = lang
        keep_transform = self.pixmap_item is not None and getattr(self, "_image_key", None) == image.cacheKey()
        transform = self.view.transform()
        if keep_transform and self.view.isVisible():
            # same screenshot, new findings (a refresh during a batch): keep the picture, which
            # is the slow part to rebuild, and replace only the boxes
            for box in self.boxes.values():
                self.scene.removeItem(box)
            self.boxes.clear()
            self._lines.clear()
        else:
            self.clear()
            self._image_key = image.cacheKey()
            self.pixmap_item = self.scene.addPixmap(QPixmap.fromImage(image))
            self.pixmap_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
            self.scene.setSceneRect(QRectF(0, 0, image.width(), image.height()))
        for li, ln, findings in lines:
            if not ln.bbox:
                continue
            x, y, w, h = ln.bbox
            sev = None
            if findings:
                sev = max((f.severity.value for f in findings), key=lambda s: SEVERITY_RANK[s])
            key = (input_index, li)
            box = LineBox(key, QRectF(x, y, w, h), sev, self._clicked)
            self.scene.addItem(box)
            if sev:
                badge = QGraphicsSimpleTextItem(f"{MARK[sev]}", box)
                f = QFont()
                f.setBold(True)
                f.setPixelSize(max(24, int(h * 0.8)))
                badge.setFont(f)
                badge.setBrush(QBrush(QColor("white")))
                bg = QGraphicsRectItem(box)
                br = badge.boundingRect()
                bw = max(br.width(), br.height() * 0.6) + 12
                bx = x - bw - 6 if x - bw - 6 >= 0 else x + w + 6
                bg.setRect(QRectF(bx, y + (h - br.height()) / 2, bw, br.height()))
                bg.setBrush(QBrush(QColor(COLOR[sev])))
                bg.setPen(QPen(Qt.PenStyle.NoPen))
                badge.setParentItem(bg)
                badge.setPos(bx + (bw - br.width()) / 2, y + (h - br.height()) / 2)
            box.setToolTip(line_tooltip(ln, findings, lang))
            self.boxes[key] = box
            self._lines[key] = (ln, findings)
        self.retranslate()
        if keep_transform and not self._fit:
            self.view.setTransform(transform)
        else:
            self._refit()

    def box_rect(self, input_index: int, line_index: int) -> QRectF:
        """The box of a line in scene (= image pixel) coordinates."""
        b = self.boxes[(input_index, line_index)]
        return b.mapRectToScene(b.rect())

    def focus_line(self, input_index: int, line_index: int) -> None:
        box = self.boxes.get((input_index, line_index))
        if box is None:
            return
        for other in self.boxes.values():
            other.set_chosen(other is box)
        if self._fit:
            self.fit_width()
        self.view.centerOn(box)
        self._show_detail((input_index, line_index))

    def _clicked(self, key: tuple[int, int]) -> None:
        self._show_detail(key)
        self.lineChosen.emit(*key)

    def _show_detail(self, key: tuple[int, int]) -> None:
        ln, fs = self._lines[key]
        self.detail.setText(line_tooltip(ln, fs, self.lang))

    # ------------------------------------------------------------------ zoom

    def _leave_fit(self) -> None:
        self._fit = False

    def zoom_in(self) -> None:
        self._fit = False
        self.view.scale(1.25, 1.25)

    def zoom_out(self) -> None:
        self._fit = False
        self.view.scale(0.8, 0.8)

    def fit(self) -> None:
        self._fit = True
        self._fit_mode = "whole"
        self._refit()

    def fit_width(self) -> None:
        self._fit = True
        self._fit_mode = "width"
        self._refit()

    def _refit(self) -> None:
        if self.pixmap_item is None:
            return
        rect = self.scene.sceneRect()
        if getattr(self, "_fit_mode", "whole") == "width":
            vw = self.view.viewport().width() - 4
            s = vw / max(1.0, rect.width())
            self.view.resetTransform()
            self.view.scale(s, s)
        else:
            self.view.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        if self._fit:
            self._refit()
