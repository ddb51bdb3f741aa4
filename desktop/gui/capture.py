"""Capture screen: a full-screen overlay over a still grab of the screen; the user drags a
rectangle around the chat. The crop stays in memory."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QWidget


class CaptureOverlay(QWidget):
    captured = Signal(QImage)
    cancelled = Signal()

    def __init__(self, shot: QPixmap) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.Tool)
        self.setObjectName("captureOverlay")
        self.shot = shot
        self.start: QPoint | None = None
        self.end: QPoint | None = None
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Select the part of the screen to check"))

    def selection(self) -> QRect:
        if self.start is None or self.end is None:
            return QRect()
        a, b = self.start, self.end
        return QRect(min(a.x(), b.x()), min(a.y(), b.y()), abs(a.x() - b.x()), abs(a.y() - b.y()))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.drawPixmap(self.rect(), self.shot)
        p.fillRect(self.rect(), QColor(0, 0, 0, 110))
        sel = self.selection()
        if not sel.isNull():
            ratio = self.shot.width() / max(1, self.width())
            src = QRect(int(sel.x() * ratio), int(sel.y() * ratio), int(sel.width() * ratio), int(sel.height() * ratio))
            p.drawPixmap(sel, self.shot, src)
            p.setPen(QColor("#00a2ff"))
            p.drawRect(sel)
        p.setPen(QColor("white"))
        f = p.font()
        f.setPointSizeF(f.pointSizeF() * 1.4)
        p.setFont(f)
        p.drawText(self.rect().adjusted(20, 20, -20, -20), Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter,
                   self.tr("Drag a box around the chat. Enter: the whole screen. Esc: cancel."))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.start = self.end = event.position().toPoint()
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.start is not None:
            self.end = event.position().toPoint()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.end = event.position().toPoint()
        sel = self.selection()
        if sel.width() > 10 and sel.height() > 10:
            self._finish(sel)
        else:
            self.start = self.end = None
            self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            self.cancelled.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._finish(self.selection() if not self.selection().isNull() else self.rect())
        else:
            super().keyPressEvent(event)

    def _finish(self, sel: QRect) -> None:
        ratio = self.shot.width() / max(1, self.width())
        src = QRect(int(sel.x() * ratio), int(sel.y() * ratio), int(sel.width() * ratio), int(sel.height() * ratio))
        img = self.shot.copy(src).toImage()
        self.close()
        self.captured.emit(img)
