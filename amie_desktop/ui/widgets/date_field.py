"""A date field that takes what is typed ("19/1/2027", "19 Jan", "tomorrow") as a whole, with a
calendar to pick from that fits at any text size."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeyEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.content import asset_folder
from amie_desktop.domain.dates import short_date
from amie_desktop.domain.errors import UserError
from amie_desktop.domain.typed import date_problem, parse_date

# The widest date the field shows, to size it at any text size.
WIDEST = "Wed 30 Sept 2026"


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class CalendarPopup(QFrame):
    """A month to pick a day from, under the field; as big as its text needs, so the last week
    and the weekday names are never cut off. Enter or a click picks; Escape closes."""

    picked = Signal(QDate)

    def __init__(self, chosen: QDate, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.Box)
        self.setAccessibleName("Choose a date")
        self.calendar = QCalendarWidget()
        self.calendar.setAccessibleName("Calendar")
        self.calendar.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setHorizontalHeaderFormat(
            QCalendarWidget.HorizontalHeaderFormat.ShortDayNames
        )
        self.calendar.setGridVisible(False)
        self.calendar.setSelectedDate(chosen)
        # The app's padding and border for tables would squeeze the days into too little room;
        # the month's bar and the weekend take the window's own colours, whose contrast is
        # checked (Qt's red weekend and white-on-blue bar are below 4.5:1 on some themes).
        self.calendar.setStyleSheet(
            "QTableView { padding: 0px; border: none; }"
            "#qt_calendar_navigationbar { background: palette(window); }"
            "#qt_calendar_navigationbar QToolButton { color: palette(window-text); }"
        )
        weekend = QTextCharFormat()
        weekend.setForeground(self.palette().text())
        for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.calendar.setWeekdayTextFormat(day, weekend)
        for button in self.calendar.findChildren(QToolButton):
            if not button.accessibleName():
                button.setAccessibleName(button.toolTip() or button.text() or "Month")
        self.calendar.activated.connect(self.picked)
        self.calendar.clicked.connect(self.picked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.calendar)
        self.setFocusProxy(self.calendar)

    @property
    def days(self) -> QTableView:
        view = self.calendar.findChild(QTableView)
        assert view is not None
        return view

    def needed_size(self) -> QSize:
        """Room for seven days across and six weeks down (a month can touch six), the weekday
        names and the month's own bar, at the calendar's own text size."""
        metrics = self.days.fontMetrics()
        cell_w = max(metrics.horizontalAdvance(name) for name in ("Mon", "Wed", "Sat", "30"))
        cell_w += metrics.averageCharWidth() * 2
        cell_h = metrics.height() + 8
        bar = self.calendar.sizeHint().height() - self.days.sizeHint().height()
        width = max(self.calendar.sizeHint().width(), cell_w * 7 + 4)
        height = max(self.calendar.sizeHint().height(), max(bar, 0) + cell_h * 7 + 4)
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right() + 2, height + margins.top() + 2)

    def show_under(self, field: QWidget) -> None:
        self.ensurePolished()
        self.calendar.ensurePolished()
        self.resize(self.needed_size())
        below = field.mapToGlobal(QPoint(0, field.height()))
        screen = field.screen().availableGeometry()
        x = max(screen.left(), min(below.x(), screen.right() - self.width()))
        y = below.y()
        if y + self.height() > screen.bottom():  # no room below: above the field
            y = max(screen.top(), field.mapToGlobal(QPoint(0, 0)).y() - self.height())
        self.move(x, y)
        self.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)


class DateField(QLineEdit):
    """Typing replaces the date: there are no day, month and year parts to step through with
    Tab, so Tab goes to the next field. The date is taken on Enter or on leaving the field;
    nonsense is kept as typed, with `problem_found` saying why. Up and Down move a day;
    Alt+Down (or F4, or the calendar button) opens a calendar."""

    dateChanged = Signal(QDate)  # named as QDateEdit's, so the two are used alike
    problem_found = Signal(str)

    def __init__(
        self,
        value: QDate | None = None,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._date = value if value is not None else to_qdate(today())
        self.popup: CalendarPopup | None = None
        self.setText(short_date(from_qdate(self._date)))
        self.setMaxLength(40)
        self.setPlaceholderText("Day/month/year")
        self.setToolTip(
            "Type a date such as 19/1/2027, 19 Jan 2027 or tomorrow; Up and Down move it a "
            "day; Alt+Down opens a calendar"
        )
        icon = QIcon(str(Path(str(asset_folder() / "icons")) / "calendar.svg"))
        self.calendar_action = QAction(icon, "Choose from a calendar", self)
        self.calendar_action.triggered.connect(self.open_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        for button in self.findChildren(QToolButton):
            button.setAccessibleName("Choose the date from a calendar")
            button.setToolTip("Choose from a calendar (Alt+Down)")
        self.editingFinished.connect(self._on_editing_finished)

    def date(self) -> QDate:
        return self._date

    def checked_date(self) -> QDate:
        """The date typed, or UserError with what to type instead (for a dialog's OK)."""
        typed = parse_date(self.text(), self._today())
        if typed is None:
            raise UserError(date_problem(self.text()))
        self.setDate(to_qdate(typed))
        return self._date

    def setDate(self, value: QDate) -> None:
        self.setText(short_date(from_qdate(value)))
        if value != self._date:
            self._date = value
            self.dateChanged.emit(value)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        # The date, and the calendar button (about a line high) at the end.
        metrics = self.fontMetrics()
        room = metrics.horizontalAdvance(WIDEST + "  ") + metrics.height() + 24
        return QSize(max(hint.width(), room), hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.sizeHint().width(), super().minimumSizeHint().height())

    def _on_editing_finished(self) -> None:
        if self.popup is not None and self.popup.isVisible():
            return  # focus went to the calendar; the date comes from there
        typed = parse_date(self.text(), self._today())
        if typed is None:
            self.problem_found.emit(date_problem(self.text()))
            return
        self.setDate(to_qdate(typed))

    def open_calendar(self) -> None:
        typed = parse_date(self.text(), self._today())
        chosen = to_qdate(typed) if typed is not None else self._date
        self.popup = CalendarPopup(chosen, self)
        self.popup.picked.connect(self._on_popup_picked)
        self.popup.installEventFilter(self)
        self.popup.show_under(self)

    def _on_popup_picked(self, value: QDate) -> None:
        if self.popup is not None:
            self.popup.close()
        self.setDate(value)
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.popup and event.type() == QEvent.Type.Hide:
            self.popup.deleteLater()
            self.popup = None
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, alt = event.key(), event.modifiers() & Qt.KeyboardModifier.AltModifier
        if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down and alt):
            self.open_calendar()
            return
        steps = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}
        if key in steps and not alt:
            typed = parse_date(self.text(), self._today())
            start = to_qdate(typed) if typed is not None else self._date
            self.setDate(start.addDays(steps[Qt.Key(key)]))
            self.selectAll()
            return
        super().keyPressEvent(event)
