"""The window's status bar: a message on the left that never runs into the data folder's name
on the right, and never stays up long after what it said."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

# A message shown without a time of its own goes after this long.
DEFAULT_MESSAGE_MS = 8000
# The data folder's name takes at most this share of the bar; the rest is the message's.
DATA_SHARE = 0.45


class ElidedLabel(QLabel):
    """A one-line label that draws as much of its text as fits, with "…" where it is cut (in
    the middle by default: a folder's name keeps its start and its end); text() and the
    tooltip keep it whole."""

    def __init__(
        self, mode: Qt.TextElideMode = Qt.TextElideMode.ElideMiddle, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._mode = mode
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)
        self.updateGeometry()

    def shown_text(self) -> str:
        """What is drawn at the label's present width."""
        room = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), self._mode, room)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self.text()) + 8, hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(
            self.fontMetrics().horizontalAdvance("Data: …") + 8, super().sizeHint().height()
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.shown_text())


class StatusBar(QStatusBar):
    """Messages in a label of their own, cut short with "…" where the bar is narrow, each
    replacing the last and gone after its time; the data folder on the right, at most
    DATA_SHARE of the width. QStatusBar's own message was drawn under and over both."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.message = ElidedLabel(Qt.TextElideMode.ElideRight)
        self.message.setAccessibleName("Status message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.data = ElidedLabel()
        self.data.setAccessibleName("Status")
        # As wide as the folder's name, up to DATA_SHARE of the bar (see resizeEvent).
        self.data.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.data.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.addWidget(self.message, 1)
        self.addPermanentWidget(self.data)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clearMessage)

    def showMessage(self, text: str, timeout: int | None = 0) -> None:
        """Show text until timeout ms have passed (DEFAULT_MESSAGE_MS if 0) or the next one."""
        self.message.setText(text)
        self._timer.start(timeout or DEFAULT_MESSAGE_MS)
        self.messageChanged.emit(text)

    def clearMessage(self) -> None:
        self._timer.stop()
        if self.message.text():
            self.message.setText("")
            self.messageChanged.emit("")

    def currentMessage(self) -> str:
        return self.message.text()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.data.setMaximumWidth(max(1, int(self.width() * DATA_SHARE)))
