"""Help: the user guide shown offline in a window, and a short tour of the sections."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImageReader, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

GUIDE_FILE = "user-guide.md"
MAX_IMAGE_WIDTH = 760  # pictures wider than this are shown scaled down, so nothing scrolls sideways


def heading_anchor(text: str) -> str:
    """The anchor GitHub gives a Markdown heading, so "#running-it" links work in the app too."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def guide_folder() -> Path | None:
    """Where the user guide is: inside the app bundle, or in docs/ beside a source checkout."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "docs")
    candidates.append(Path(__file__).resolve().parents[2] / "docs")
    for folder in candidates:
        if (folder / GUIDE_FILE).is_file():
            return folder
    return None


class GuideWindow(QMainWindow):
    """The user guide, rendered from its Markdown, with working links between its pages."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("User guide")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(folder)])
        self.browser.sourceChanged.connect(self._on_browser_source_changed)
        self.browser.setSource(QUrl.fromLocalFile(str(folder / GUIDE_FILE)))
        self.back = QPushButton("&Back")
        self.back.setAccessibleName("Back to the previous page")
        self.back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(self.back.setEnabled)
        self.back.setEnabled(False)
        self.home = QPushButton("&Contents")
        self.home.setAccessibleName("Back to the start of the guide")
        self.home.clicked.connect(self.browser.home)
        bar = QHBoxLayout()
        bar.addWidget(self.back)
        bar.addWidget(self.home)
        bar.addStretch(1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        self.setCentralWidget(central)
        self.resize(900, 700)
        close = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self)
        close.activated.connect(self.close)

    def _on_browser_source_changed(self, source: QUrl) -> None:
        """Qt's Markdown reader gives headings no anchors and shows pictures full size."""
        document = self.browser.document()
        folder = Path(source.toLocalFile()).parent
        block = document.begin()
        while block.isValid():
            if block.blockFormat().headingLevel():
                cursor = QTextCursor(block)
                cursor.movePosition(
                    QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
                )
                anchor = QTextCharFormat()
                anchor.setAnchor(True)
                anchor.setAnchorNames([heading_anchor(block.text())])
                cursor.mergeCharFormat(anchor)
            piece = block.begin()
            while not piece.atEnd():
                fragment = piece.fragment()
                piece += 1
                if not fragment.charFormat().isImageFormat():
                    continue
                image = fragment.charFormat().toImageFormat()
                size = QImageReader(str(folder / image.name())).size()
                if size.width() > MAX_IMAGE_WIDTH:
                    image.setWidth(MAX_IMAGE_WIDTH)
                    image.setHeight(size.height() * MAX_IMAGE_WIDTH / size.width())
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(
                        fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                    )
                    cursor.setCharFormat(image)
            block = block.next()
        if source.hasFragment():  # Qt looked for the anchor before it existed
            self.browser.scrollToAnchor(source.fragment())


class TourDialog(QDialog):
    """A short, skippable walk through the sections, one page each."""

    def __init__(self, pages: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("A quick tour")
        self.setAccessibleName("A quick tour of the app")
        self.pages = QStackedWidget()
        for title, text in pages:
            page = QWidget()
            heading = QLabel(title)
            heading.setProperty("role", "heading")
            body = QLabel(text)
            body.setWordWrap(True)
            body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
            column = QVBoxLayout(page)
            column.addWidget(heading)
            column.addWidget(body, 1, Qt.AlignmentFlag.AlignTop)
            self.pages.addWidget(page)
        self.progress = QLabel()
        self.progress.setAccessibleName("Tour progress")
        self.back = QPushButton("&Back")
        self.back.setAccessibleName("Back")
        self.next = QPushButton("&Next")
        self.next.setAccessibleName("Next")
        self.next.setDefault(True)
        self.skip = QPushButton("&Skip the tour")
        self.skip.setAccessibleName("Skip the tour")
        self.back.clicked.connect(lambda: self.show_page(self.pages.currentIndex() - 1))
        self.next.clicked.connect(self._on_next_clicked)
        self.skip.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress)
        buttons.addStretch(1)
        for button in (self.skip, self.back, self.next):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.setMinimumSize(520, 280)
        self.show_page(0)

    def show_page(self, index: int) -> None:
        index = max(0, min(index, self.pages.count() - 1))
        self.pages.setCurrentIndex(index)
        last = index == self.pages.count() - 1
        self.progress.setText(f"{index + 1} of {self.pages.count()}")
        self.back.setEnabled(index > 0)
        self.next.setText("&Finish" if last else "&Next")
        self.next.setAccessibleName("Finish the tour" if last else "Next")
        self.next.setFocus()

    def _on_next_clicked(self) -> None:
        if self.pages.currentIndex() == self.pages.count() - 1:
            self.accept()
        else:
            self.show_page(self.pages.currentIndex() + 1)

    @classmethod
    def ask(cls, pages: Sequence[tuple[str, str]], parent: QWidget | None = None) -> bool:
        return cls(pages, parent).exec() == QDialog.DialogCode.Accepted
