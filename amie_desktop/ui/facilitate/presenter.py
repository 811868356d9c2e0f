"""The presenter window for the projector: the principle and the prompt, never the notes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QFontMetrics, QGuiApplication, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.heard import Principle
from amie_desktop.domain.timing import TimerLevel
from amie_desktop.ui.facilitate.colours import LEVEL_COLOURS, PRESENTER_BACKGROUND, PRESENTER_TEXT


class ScreenLike(Protocol):
    """What the presenter window needs to know of a screen (QScreen has it; tests fake it)."""

    def name(self) -> str: ...

    def geometry(self) -> QRect: ...


ScreensProvider = Callable[[], Sequence[ScreenLike]]


def system_screens() -> Sequence[ScreenLike]:
    """The connected screens, the laptop's own (primary) screen first."""
    primary = QGuiApplication.primaryScreen()
    others = [screen for screen in QGuiApplication.screens() if screen is not primary]
    return ([primary] if primary is not None else []) + others


def presenter_screen_index(screens: Sequence[ScreenLike]) -> int:
    """The projector is the first screen that is not the laptop's own, when there is one."""
    return 1 if len(screens) > 1 else 0


def fitting_pixel_size(text: str, box: QRect, largest: int, smallest: int = 16) -> int:
    """The largest font size (in pixels) at which text, word-wrapped, fits inside box."""
    font = QFont()
    flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
    size = largest
    while size > smallest:
        font.setPixelSize(size)
        needed = QFontMetrics(font).boundingRect(box, flags, text)
        if needed.height() <= box.height() and needed.width() <= box.width():
            return size
        size = int(size * 0.92)
    return smallest


class PresenterWindow(QWidget):
    """A separate window the room sees. Blank shows plain black until toggled back.

    On a laptop with one screen it covers the trainer's own view, so it carries a Close button
    there (Tab reaches it, Enter presses it), and Esc closes it once it is not full screen.
    """

    window_closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle("Presenter – AMIE Workshop Companion")
        self.setAccessibleName("Presenter window")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._prompt_text = ""
        self._timer_wanted = True

        self.band = QWidget()
        self.band.setObjectName("presenterBand")
        self.letter = QLabel()
        self.letter.setObjectName("presenterLetter")
        self.principle = QLabel()
        self.principle.setObjectName("presenterPrinciple")
        band_layout = QHBoxLayout(self.band)
        band_layout.setContentsMargins(32, 12, 32, 12)
        band_layout.addWidget(self.letter)
        band_layout.addWidget(self.principle, 1)

        self.prompt = QLabel()
        self.prompt.setObjectName("presenterPrompt")
        self.prompt.setWordWrap(True)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.timer = QLabel()
        self.timer.setObjectName("presenterTimer")
        self.timer.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.content_page = content = QWidget()
        content.setObjectName("presenterContent")
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.band)
        content_layout.addWidget(self.prompt, 1)
        timer_row = QHBoxLayout()
        timer_row.setContentsMargins(32, 0, 32, 24)
        timer_row.addStretch(1)
        timer_row.addWidget(self.timer)
        content_layout.addLayout(timer_row)

        self.blank_page = QWidget()
        self.blank_page.setObjectName("presenterBlank")
        self.blank_page.setAccessibleName("Blank screen")
        self.pages = QStackedWidget()
        self.pages.addWidget(content)
        self.pages.addWidget(self.blank_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        # Over the top right-hand corner, outside the layout, so the room's view never moves.
        self.close_button = QPushButton("Close ✕", self)
        self.close_button.setObjectName("presenterClose")
        self.close_button.setAccessibleName("Close the presenter window")
        self.close_button.setToolTip("Close the presenter window (Esc); the workshop carries on")
        self.close_button.setAutoDefault(True)  # Space is the clicker's: Enter presses it
        self.close_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.close_button.clicked.connect(self.close)
        self._colour = "#1F4E79"
        self._level = TimerLevel.PLENTY
        self.resize(960, 540)
        self._restyle()

    # What the room sees ------------------------------------------------------------------
    def show_step(self, principle: Principle | None, prompt: str, fallback: str) -> None:
        """The principle (colour, letter, name) and the prompt, or the step title if no prompt."""
        self.letter.setText(principle.code if principle else "")
        self.principle.setText(principle.label if principle else "")
        self._colour = principle.info.colour if principle else "#1F4E79"
        self.band.setVisible(principle is not None)
        self._prompt_text = prompt.strip() or fallback
        self.prompt.setText(self._prompt_text)
        self.setAccessibleDescription(self._prompt_text)
        self._restyle()

    def show_message(self, text: str) -> None:
        self.show_step(None, text, text)
        self.timer.hide()

    def set_timer(self, text: str, level: TimerLevel) -> None:
        self.timer.setText(text)
        self.timer.setVisible(self._timer_wanted and bool(text))
        if level is not self._level:
            self._level = level
            self._restyle()

    def set_timer_wanted(self, wanted: bool) -> None:
        self._timer_wanted = wanted
        self.timer.setVisible(wanted and bool(self.timer.text()))

    @property
    def timer_shown(self) -> bool:
        return self._timer_wanted and self.timer.isVisibleTo(self)

    def set_blank(self, blank: bool) -> None:
        self.pages.setCurrentWidget(self.blank_page if blank else self.content_page)

    @property
    def blank(self) -> bool:
        return self.pages.currentWidget() is self.blank_page

    # Where it is shown -------------------------------------------------------------------
    def place_on(self, screen: ScreenLike, full_screen: bool) -> None:
        """Move to screen, filling it when full_screen, else as a window in its middle."""
        if isinstance(screen, QScreen):
            self.setScreen(screen)
        area = screen.geometry()
        if full_screen:
            self.setGeometry(area)
            self.showFullScreen()
        else:
            if self.isFullScreen():
                self.showNormal()
            width, height = min(960, area.width()), min(540, area.height())
            self.setGeometry(
                area.x() + (area.width() - width) // 2,
                area.y() + (area.height() - height) // 2,
                width,
                height,
            )
            self.show()
        self.raise_()
        # The window itself has the keyboard, not its Close button: Enter never closes it.
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    # Sizes follow the window, so the prompt fills a projector and still fits a small window.
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._restyle()
        self._place_close_button()

    def _place_close_button(self) -> None:
        self.close_button.adjustSize()
        margin = 12
        self.close_button.move(self.width() - self.close_button.width() - margin, margin)
        self.close_button.raise_()

    def set_close_button_shown(self, shown: bool) -> None:
        """Shown where the window shares the trainer's screen; the room never sees it."""
        self.close_button.setVisible(shown)
        self._place_close_button()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing only hides it; the workshop carries on in the facilitator view.
        event.ignore()
        was_shown = self.isVisible()
        self.hide()
        if was_shown:
            self.window_closed.emit()

    def _restyle(self) -> None:
        height = max(self.height(), 240)
        band_px = max(18, height // 14)
        timer_px = max(18, height // 10)
        margin = max(24, self.width() // 20)
        self.prompt.setContentsMargins(margin, margin // 2, margin, margin // 2)
        box = QRect(0, 0, max(100, self.width() - 2 * margin - 8),
                    max(60, height - 2 * band_px - timer_px - margin - 40))  # fmt: skip
        prompt_px = fitting_pixel_size(self._prompt_text or " ", box, largest=max(24, height // 9))
        self.setStyleSheet(
            f"""
            #presenterContent {{ background: {PRESENTER_BACKGROUND}; }}
            #presenterBlank {{ background: #000000; }}
            #presenterBand {{ background: {self._colour}; }}
            #presenterLetter, #presenterPrinciple {{
                color: #FFFFFF; font-size: {band_px}px; font-weight: bold; }}
            #presenterLetter {{ font-size: {int(band_px * 1.5)}px; padding-right: 16px; }}
            #presenterPrompt {{ color: {PRESENTER_TEXT}; font-size: {prompt_px}px; }}
            #presenterTimer {{ color: #FFFFFF; background: {LEVEL_COLOURS[self._level]};
                font-size: {timer_px}px; font-weight: bold; padding: 4px 18px;
                border-radius: 8px; }}
            #presenterClose {{ color: #FFFFFF; background: #2B2B30; border: 1px solid #FFFFFF;
                border-radius: 4px; padding: 6px 14px; font-size: {max(15, band_px // 2)}px; }}
            #presenterClose:focus {{ border: 3px solid #FFB347; }}
            """
        )
