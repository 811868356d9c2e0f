"""Help: the user guide shown offline in a window, and a short tour of the sections."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QColor,
    QImageReader,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPen,
    QShortcut,
    QShowEvent,
    QTextCharFormat,
    QTextCursor,
)
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
# Where a page of the tour points: a rectangle in the tour's parent window, or None.
TourTarget = Callable[[], QRect | None]
HIGHLIGHT_INNER = "#FFB347"  # amber: plain on the blue section list and on the light pages
HIGHLIGHT_OUTER = "#1B1B1F"  # a dark rim around it, so it shows on light and dark alike
HIGHLIGHT_WIDTH = 4
FOLLOW_MS = 200  # how often the tour checks that the part it points at has not moved
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
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close the user guide")
        self.close_button.setToolTip("Close the user guide (Esc)")
        self.close_button.clicked.connect(self.close)
        bar = QHBoxLayout()
        bar.addWidget(self.back)
        bar.addWidget(self.home)
        bar.addStretch(1)
        bar.addWidget(self.close_button)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        self.setCentralWidget(central)
        self.resize(900, 700)
        for keys in (QKeySequence(QKeySequence.StandardKey.Close), QKeySequence(Qt.Key.Key_Escape)):
            QShortcut(keys, self).activated.connect(self.close)

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


class TourHighlight(QWidget):
    """A frame drawn around the part of the window a tour page describes; clicks pass through."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()

    def frame(self, target: QRect) -> None:
        """Frame target (in the window's coordinates), just outside it so nothing is covered."""
        margin = HIGHLIGHT_WIDTH + 3
        self.setGeometry(target.adjusted(-margin, -margin, margin, margin))
        self.show()
        self.raise_()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = self.rect().adjusted(3, 3, -3, -3)
        for colour, width in (
            (HIGHLIGHT_OUTER, HIGHLIGHT_WIDTH + 3),
            (HIGHLIGHT_INNER, HIGHLIGHT_WIDTH),
        ):
            painter.setPen(QPen(QColor(colour), width))
            painter.drawRoundedRect(box, 6, 6)
        painter.end()


class TourDialog(QDialog):
    """A short, skippable walk through the sections, one page each.

    With targets (one per page), each page frames the part of the window it describes and the
    tour stands beside that part, never over it.
    """

    def __init__(
        self,
        pages: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        targets: Sequence[TourTarget] = (),
    ) -> None:
        super().__init__(parent)
        self._targets = list(targets)
        self.highlight = TourHighlight(parent.window()) if parent is not None else None
        # The part pointed at, where it was on the screen: the window may still be settling
        # (maximised by the desktop a moment after it showed) or the text grow, so the frame
        # and the tour follow the part when it moves, and only then.
        self._pointed: QRect | None = None
        self._follow = QTimer(self)
        self._follow.setInterval(FOLLOW_MS)
        self._follow.timeout.connect(self._on_follow_timeout)
        self.setWindowTitle("A quick tour")
        self.setAccessibleName("A quick tour of the app")
        # A card of its own over the window, even where the desktop draws no frame round it.
        self.setObjectName("tour")
        self.setStyleSheet(
            f"QDialog#tour {{ background: #FFFFFF; border: 2px solid {HIGHLIGHT_OUTER}; }}"
            "QDialog#tour QStackedWidget > QWidget { background: #FFFFFF; }"
        )
        self.pages = QStackedWidget()
        self._page_widgets: list[QWidget] = []
        for title, text in pages:
            page = QWidget()
            self._page_widgets.append(page)
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
        layout = self.layout()
        if layout is not None:
            layout.activate()  # "Finish" is wider than "Next": room for it before it shows
        self._point_at(index)

    def target(self, index: int) -> QRect | None:
        """Where page index points, in the window's coordinates (None: nowhere in particular)."""
        if index >= len(self._targets) or self.highlight is None:
            return None
        return self._targets[index]()

    def _point_at(self, index: int) -> None:
        target = self.target(index)
        if self.highlight is None:
            return
        if target is None:
            self._pointed = None
            self.highlight.hide()
            return
        window = self.highlight.parentWidget()
        assert window is not None
        self._pointed = QRect(window.mapToGlobal(target.topLeft()), target.size())
        self.highlight.frame(target)
        self.move(self._beside(target))

    def _on_follow_timeout(self) -> None:
        index = self.pages.currentIndex()
        target = self.target(index)
        if target is None or self.highlight is None:
            return
        window = self.highlight.parentWidget()
        assert window is not None
        if QRect(window.mapToGlobal(target.topLeft()), target.size()) != self._pointed:
            self._point_at(index)

    def _beside(self, target: QRect) -> QPoint:
        """Where the tour stands: to the right of the target, or to its left if there is no
        room, its top level with the target's, and within the window."""
        window = self.highlight.parentWidget() if self.highlight is not None else None
        assert window is not None
        gap = 24
        size = self.frameGeometry().size().expandedTo(self.sizeHint())
        area = QRect(window.mapToGlobal(QPoint(0, 0)), window.size())
        box = QRect(window.mapToGlobal(target.topLeft()), target.size())
        x = box.right() + gap
        if x + size.width() > area.right():
            x = box.left() - gap - size.width()
        y = min(box.top(), area.bottom() - size.height())
        return QPoint(max(area.left(), x), max(area.top(), y))

    def _fit_pages(self) -> None:
        """Room for the longest page at the text size in use: a stack of wrapped labels does
        not say how tall it needs to be, and the end of a long page was cut off."""
        width = max(440, min(760, self.fontMetrics().averageCharWidth() * 60))
        tallest = max((page.heightForWidth(width) for page in self._page_widgets), default=0)
        self.pages.setMinimumSize(width, tallest)
        self.resize(self.minimumSizeHint())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_pages()

    def showEvent(self, event: QShowEvent) -> None:
        self._fit_pages()
        super().showEvent(event)
        self._point_at(self.pages.currentIndex())  # now that the tour has its size
        self._follow.start()

    def done(self, result: int) -> None:
        self._follow.stop()
        if self.highlight is not None:
            self.highlight.hide()
            self.highlight.deleteLater()
            self.highlight = None
        super().done(result)

    def _on_next_clicked(self) -> None:
        if self.pages.currentIndex() == self.pages.count() - 1:
            self.accept()
        else:
            self.show_page(self.pages.currentIndex() + 1)

    @classmethod
    def ask(
        cls,
        pages: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        targets: Sequence[TourTarget] = (),
    ) -> bool:
        return cls(pages, parent, targets).exec() == QDialog.DialogCode.Accepted
