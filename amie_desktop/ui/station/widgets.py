"""Station pieces: paragraphs that follow the look, choice lists worked by keys 1-5 and arrows."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QEvent, QObject, QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QColor,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.ui.station.themes import Look


class Paragraph(QLabel):
    """Wrapped text with the look's line spacing; can hold an Easy Read wording too."""

    def __init__(self, text: str, easy_read: str = "", role: str = "") -> None:
        super().__init__()
        self.plain = text
        self.easy_read = easy_read
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        if role:
            self.setProperty("role", role)
        self.apply(Look())

    def apply(self, look: Look) -> None:
        shown = self.easy_read if look.easy_read and self.easy_read else self.plain
        body = html.escape(shown).replace("\n", "<br>")
        html_text = f'<div style="line-height:{look.line_height}%">{body}</div>'
        if html_text != self.text():
            self.setText(html_text)
            self.setAccessibleName(shown)

    def shown_text(self) -> str:
        return self.accessibleName()


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "heading")
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def button(text: str, name: str, description: str = "", primary: bool = False) -> QPushButton:
    """A large button that Enter and Space both press."""
    widget = QPushButton(text)
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)
    widget.setAutoDefault(True)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if primary:
        widget.setProperty("role", "primary")
    return widget


def wrap_words(metrics: QFontMetrics, text: str, width: int) -> str:
    """text broken into lines no wider than width (a word longer than that has its own line)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        longer = f"{line} {word}" if line else word
        if line and metrics.horizontalAdvance(longer) > width:
            lines.append(line)
            line = word
        else:
            line = longer
    lines.append(line)
    return "\n".join(lines)


# A mixin for a Qt class must not be a Qt class itself; mypy is told what it mixes into.
if TYPE_CHECKING:
    _OptionBase = QAbstractButton
else:
    _OptionBase = object


class _WrappingOption(_OptionBase):
    """What a check box or radio button needs so its words wrap at large text sizes.

    Qt draws their text on one line, which at 200% runs off the side of the screen. Here the
    text is re-broken to the width the layout gives, and the height follows the lines.
    """

    def _start_wrapping(self, text: str) -> None:
        self.full_text = text
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _around(self) -> QSize:
        """The room the style takes around the text: indicator, spacing, padding, border."""
        shown = self.fontMetrics().size(Qt.TextFlag.TextShowMnemonic, self.text())
        hint = super().sizeHint()
        return QSize(hint.width() - shown.width(), hint.height() - shown.height())

    def _size_of(self, text: str) -> QSize:
        around = self._around()
        lines = self.fontMetrics().size(Qt.TextFlag.TextShowMnemonic, text)
        return QSize(around.width() + lines.width(), around.height() + lines.height())

    def _wrapped(self, width: int) -> str:
        return wrap_words(self.fontMetrics(), self.full_text, width - self._around().width())

    def sizeHint(self) -> QSize:
        return self._size_of(self.full_text)

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        longest = max(metrics.horizontalAdvance(word) for word in self.full_text.split(" "))
        return QSize(self._around().width() + longest, self._size_of(self.full_text).height())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._size_of(self._wrapped(width)).height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        wrapped = self._wrapped(event.size().width())
        if wrapped != self.text():
            self.setText(wrapped)
        super().resizeEvent(event)


class WrappingCheckBox(_WrappingOption, QCheckBox):
    """A check box whose words wrap to the screen, named by its whole text.

    A ticked box draws a tick in the look's colour (the style sheet sets tickColour): a style
    sheet that colours the box draws no tick of its own, only a filled square.
    """

    def __init__(self, text: str, description: str) -> None:
        super().__init__(text)
        self._tick = QColor("#1F4E79")
        self._start_wrapping(text)
        self.setAccessibleName(text)
        self.setAccessibleDescription(description)

    def _get_tick_colour(self) -> QColor:
        return self._tick

    def _set_tick_colour(self, colour: QColor) -> None:
        self._tick = QColor(colour)
        self.update()

    tickColour = Property(QColor, _get_tick_colour, _set_tick_colour)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.isChecked():
            return
        option = QStyleOptionButton()
        self.initStyleOption(option)
        box = self.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, self)
        side = min(box.width(), box.height())
        pen = QPen(self._tick, max(2.0, side / 6))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(pen)
        x, y = box.x(), box.y()
        painter.drawPolyline(
            [
                QPointF(x + side * 0.22, y + side * 0.52),
                QPointF(x + side * 0.42, y + side * 0.72),
                QPointF(x + side * 0.78, y + side * 0.3),
            ]
        )
        painter.end()


class WrappingRadioButton(_WrappingOption, QRadioButton):
    """A radio button whose words wrap to the screen."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._start_wrapping(text)


def scrolling(content: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(content)
    return area


def announce(widget: QWidget, message: str) -> None:
    """Have a screen reader say message now (Qt's announcement event)."""
    event = QAccessibleAnnouncementEvent(widget, message)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)


class ChoiceList(QWidget):
    """A column of options, one of which may be chosen (none at first).

    Mouse or touch: press an option. Keyboard: arrow keys move and choose, 1-9 choose directly.
    """

    chosen = Signal(object)
    chosen_by_number = Signal()  # a number key chose: the attendee means to move on

    def __init__(self, name: str, description: str, options: Sequence[tuple[object, str]]) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setAccessibleDescription(description)
        self.group = QButtonGroup(self)
        self._values: list[object] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for number, (value, label) in enumerate(options, start=1):
            option = WrappingRadioButton(f"{number}  {label}")
            option.setAccessibleName(f"{number}: {label}")
            option.setAccessibleDescription(name)
            option.installEventFilter(self)
            self.group.addButton(option, number - 1)
            self._values.append(value)
            layout.addWidget(option)
        self.group.idClicked.connect(self._on_group_id_clicked)
        self._tab_stop(0)

    def buttons(self) -> list[QAbstractButton]:
        return self.group.buttons()

    def value(self) -> object:
        index = self.group.checkedId()
        return None if index < 0 else self._values[index]

    def set_value(self, value: object) -> None:
        if value in self._values:
            target = self.group.button(self._values.index(value))
            target.setChecked(True)
            self._tab_stop(self._values.index(value))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            index = event.key() - Qt.Key.Key_1
            if 0 <= index < len(self._values) and not event.modifiers() & ~(
                Qt.KeyboardModifier.KeypadModifier
            ):
                self.group.button(index).click()
                self.group.button(index).setFocus(Qt.FocusReason.OtherFocusReason)
                self.chosen_by_number.emit()
                return True
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right):
                return self._move(event.key())
        return super().eventFilter(watched, event)

    def _move(self, key: int) -> bool:
        step = -1 if key in (Qt.Key.Key_Up, Qt.Key.Key_Left) else 1
        current = self.group.checkedId()
        if current < 0:
            focused = [i for i, b in enumerate(self.group.buttons()) if b.hasFocus()]
            current = focused[0] - step if focused else -step
        target = min(len(self._values) - 1, max(0, current + step))
        self.group.button(target).click()
        self.group.button(target).setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _tab_stop(self, index: int) -> None:
        # One Tab stop for the whole list (the chosen option); arrows move within it.
        for number, option in enumerate(self.group.buttons()):
            option.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if number == index else Qt.FocusPolicy.ClickFocus
            )
        self._current = index

    def tab_stop(self) -> QAbstractButton:
        """The option Tab lands on: the chosen one, or the first."""
        return self.group.button(self._current)

    def _on_group_id_clicked(self, index: int) -> None:
        self._tab_stop(index)
        self.chosen.emit(self._values[index])
