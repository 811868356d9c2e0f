"""A stack of pages that is as big as the page on show, not as big as its biggest page."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QStackedWidget


class ShownPageStack(QStackedWidget):
    """Qt's stack asks for the room of its largest page, shown or not: the running view of a
    workshop, hidden behind the chooser, made the chooser scroll sideways at large text."""

    def __init__(self) -> None:
        super().__init__()
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:
        shown = self.currentWidget()
        return shown.sizeHint() if shown is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        shown = self.currentWidget()
        return shown.minimumSizeHint() if shown is not None else super().minimumSizeHint()
