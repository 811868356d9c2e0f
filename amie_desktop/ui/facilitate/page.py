"""Facilitate section: pick a workshop, run it from the front of the room, see how it went."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from PySide6.QtCore import QEvent, QMetaMethod, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.clock import Clock, system_clock
from amie_desktop.domain.dates import clock, short_date
from amie_desktop.domain.text import counted
from amie_desktop.domain.values import WorkshopStatus
from amie_desktop.domain.workshop_list import WorkshopRow
from amie_desktop.services import facilitate, workshops
from amie_desktop.services.errors import UserError
from amie_desktop.services.facilitate import RunState
from amie_desktop.store import Store
from amie_desktop.ui.facilitate.clicker import ClickerAction, ClickerFilter
from amie_desktop.ui.facilitate.presenter import (
    PresenterWindow,
    ScreensProvider,
    presenter_screen_index,
    system_screens,
)
from amie_desktop.ui.facilitate.run_view import FacilitatorView
from amie_desktop.ui.facilitate.summary import HowItWentView
from amie_desktop.ui.settings.dialogs import confirm
from amie_desktop.ui.station.review_list import ReviewList
from amie_desktop.ui.widgets.stack import ShownPageStack
from amie_desktop.ui.widgets.workshop_choice import workshop_choice, workshop_combo

TICK_MS = 250  # the countdown is redrawn four times a second, so it never lags a whole second
NOTES_SAVE_MS = 400  # group notes are saved this long after the last key press
KEYS_HELP = """
<p><b>Clicker keys</b> work in both the facilitator view and the presenter window:</p>
<table cellpadding="3">
<tr><td>Page Down, Right, Space</td><td>next step</td></tr>
<tr><td>Page Up, Left</td><td>back a step</td></tr>
<tr><td>B or full stop</td><td>blank the projector, or show it again (as does the next
Page Down or Page Up)</td></tr>
<tr><td>F5</td><td>presenter window full screen (here: start the workshop too)</td></tr>
<tr><td>Esc</td><td>leave full screen; in the presenter window, again to close it</td></tr>
</table>
<p>While you type group notes, only Page Down, Page Up, F5 and Esc act.
Enter presses the button that has the focus.</p>
"""
FINISHED_MESSAGE = "Thank you for taking part."


class Change(Protocol):
    """A facilitate service call that changes the run and returns the new state."""

    def __call__(self, store: Store, workshop_id: int, *, clock: Clock) -> RunState: ...


def _row_text(row: WorkshopRow) -> str:
    return workshop_choice(row, row.status.value.capitalize())


class FacilitatePage(QWidget):
    """The chooser, the facilitator view and the summary, plus the presenter window."""

    # Emitted when the trainer asks for the Reflection station for "before" or "after".
    # The buttons that ask for it appear only once something is connected to it.
    station_requested = Signal(int, str)
    status_changed = Signal(str)
    # The workshops to choose from; a workshop under way is shown as this page runs it.
    shows = frozenset({"workshop"})

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock = system_clock,
        screens: ScreensProvider = system_screens,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.setAccessibleName("Facilitate")
        self._store = store
        self._clock = clock
        self._screens = screens
        self._today = today
        self._state: RunState | None = None
        self._rows: list[WorkshopRow] = []
        self._notes_position: int | None = None
        self._point_size = 0.0
        self._watched_window: QWidget | None = None

        # Choosing a workshop -------------------------------------------------------------
        heading = QLabel("Facilitate")
        heading.setProperty("role", "heading")
        self.workshop_choice = workshop_combo()
        self.workshop_choice.setAccessibleName("Workshop to run")
        self.workshop_choice.currentIndexChanged.connect(self._on_workshop_choice_changed)
        choice_caption = QLabel("&Workshop")
        choice_caption.setBuddy(self.workshop_choice)
        self.choice_detail = QLabel()
        self.choice_detail.setWordWrap(True)
        self.choice_detail.setAccessibleName("About this workshop")
        self.start_button = QPushButton("&Start the workshop")
        self.start_button.setAccessibleName("Start the workshop")
        self.start_button.setDefault(True)
        self.start_button.setAutoDefault(True)
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.chooser_message = QLabel()
        self.chooser_message.setProperty("role", "warning")
        self.chooser_message.setWordWrap(True)
        self.chooser_message.setAccessibleName("Message")
        keys = QLabel(KEYS_HELP)
        keys.setTextFormat(Qt.TextFormat.RichText)
        keys.setWordWrap(True)
        keys.setProperty("role", "muted")
        chooser = QWidget()
        chooser_layout = QVBoxLayout(chooser)
        chooser_layout.addWidget(heading)
        row = QHBoxLayout()
        row.addWidget(choice_caption)
        row.addWidget(self.workshop_choice, 1)
        chooser_layout.addLayout(row)
        chooser_layout.addWidget(self.choice_detail)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addStretch(1)
        chooser_layout.addLayout(buttons)
        chooser_layout.addWidget(self.chooser_message)
        self.review_list = ReviewList(store)
        chooser_layout.addWidget(self.review_list)
        chooser_layout.addWidget(keys)
        chooser_layout.addStretch(1)
        self.chooser = chooser

        # Running it ----------------------------------------------------------------------
        self.view = FacilitatorView()
        self.summary = HowItWentView()
        self.presenter = PresenterWindow(self)
        # In a small window the facilitator view scrolls rather than squeezing its countdown.
        self.view_scroll = QScrollArea()
        self.view_scroll.setWidget(self.view)
        self.view_scroll.setWidgetResizable(True)
        self.view_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.running = QWidget()
        running_layout = QVBoxLayout(self.running)
        running_layout.setContentsMargins(0, 0, 0, 0)
        running_layout.addWidget(self.view_scroll, 1)
        running_layout.addWidget(self.view.run_bar)
        self.stack = ShownPageStack()
        for widget in (self.chooser, self.running, self.summary):
            self.stack.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.setFocusProxy(self.workshop_choice)

        view = self.view
        view.back_button.clicked.connect(self.go_back)
        view.next_button.clicked.connect(self.go_next)
        view.skip_button.clicked.connect(self._on_skip_button_clicked)
        view.pause_button.clicked.connect(self._on_pause_button_clicked)
        view.add_minute_button.clicked.connect(self._on_add_minute_button_clicked)
        view.finish_button.clicked.connect(self._on_finish_button_clicked)
        view.present_button.clicked.connect(self.present)
        view.blank_button.toggled.connect(self._on_blank_button_toggled)
        view.show_timer.toggled.connect(self.presenter.set_timer_wanted)
        self.presenter.window_closed.connect(self._on_presenter_window_closed)
        view.screen_choice.currentIndexChanged.connect(self._on_screen_choice_changed)
        view.group_notes.textChanged.connect(self._on_group_notes_text_changed)
        view.station_before.clicked.connect(lambda: self._request_station("before"))
        view.station_after.clicked.connect(lambda: self._request_station("after"))
        view.leave_button.clicked.connect(self.leave)
        self.summary.reopen_button.clicked.connect(self.go_back)
        self.summary.station_after.clicked.connect(lambda: self._request_station("after"))
        self.summary.leave_button.clicked.connect(self.leave)

        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.tick)
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(NOTES_SAVE_MS)
        self._notes_timer.timeout.connect(self.save_group_notes)
        self.clicker = ClickerFilter(self._accepts_clicker, self)
        self.clicker.action_triggered.connect(self._on_clicker_action_triggered)
        app = QApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenAdded.connect(self._on_screens_changed)
            app.screenRemoved.connect(self._on_screens_changed)

    # Section life --------------------------------------------------------------------
    def refresh(self) -> None:
        """Called when the section is shown: list workshops, or carry on with the one running."""
        if self._state is not None:
            self._render()
            return
        self._rows = workshops.list_workshops(self._store)
        today = self._today or self._clock().astimezone().date()
        chosen = facilitate.choose_default(self._rows, today)
        blocked = self.workshop_choice.blockSignals(True)
        self.workshop_choice.clear()
        for row in self._rows:
            self.workshop_choice.addItem(_row_text(row), row.id)
        index = next((i for i, row in enumerate(self._rows) if row.id == chosen), -1)
        self.workshop_choice.setCurrentIndex(index)
        self.workshop_choice.blockSignals(blocked)
        self._on_workshop_choice_changed(index)
        self.stack.setCurrentWidget(self.chooser)

    @property
    def state(self) -> RunState | None:
        return self._state

    def _on_workshop_choice_changed(self, index: int) -> None:
        self.chooser_message.clear()
        self.review_list.load(self._rows[index].id if 0 <= index < len(self._rows) else None)
        if not 0 <= index < len(self._rows):
            self.choice_detail.setText("There are no workshops yet. Plan one under Workshops.")
            self.start_button.setEnabled(False)
            return
        row = self._rows[index]
        detail = workshops.get_workshop(self._store, row.id)
        self.choice_detail.setText(
            f"{short_date(row.date)} at {clock(row.start_time)}, "
            f"{row.venue or 'no venue yet'}. {len(detail.steps)} steps, "
            f"{detail.planned_minutes} minutes planned."
        )
        self.start_button.setEnabled(True)
        labels = {
            WorkshopStatus.PLANNED: ("&Start the workshop", "Start the workshop"),
            WorkshopStatus.RUNNING: ("&Resume the workshop", "Resume the workshop"),
            WorkshopStatus.DONE: ("&See how it went", "See how it went"),
            WorkshopStatus.CANCELLED: ("Cancelled", "Cancelled: cannot be started"),
        }
        text, name = labels[row.status]
        self.start_button.setEnabled(row.status is not WorkshopStatus.CANCELLED)
        self.start_button.setText(text)
        self.start_button.setAccessibleName(name)

    def _on_start_button_clicked(self) -> None:
        workshop_id = self.workshop_choice.currentData()
        if workshop_id is None:
            return
        try:
            self.open_workshop(int(workshop_id))
        except UserError as exc:
            self.chooser_message.setText(str(exc))

    def open_workshop(self, workshop_id: int) -> None:
        """Start a planned workshop, resume a running one, or show how a finished one went."""
        state = facilitate.get_state(self._store, workshop_id)
        if state.status is not WorkshopStatus.DONE:
            state = facilitate.start(self._store, workshop_id, clock=self._clock)
        self._state = state
        self._notes_position = None
        self._render()
        if state.running:
            self._update_screens()
            if len(self._screens()) > 1:
                self.present()  # a projector is connected: it shows the step at once
            self.view.next_button.setFocus(Qt.FocusReason.OtherFocusReason)
            self.status_changed.emit(f"Running “{state.title}”")

    def leave(self) -> None:
        """Back to the chooser; a running workshop keeps its place and its timer."""
        self.save_group_notes()
        self._state = None
        self.ticker.stop()
        self.presenter.hide()
        self.refresh()
        self.workshop_choice.setFocus(Qt.FocusReason.OtherFocusReason)

    # Actions -------------------------------------------------------------------------
    def _act(self, change: Change) -> None:
        state = self._state
        if state is None:
            return
        self.save_group_notes()
        try:
            self._state = change(self._store, state.workshop_id, clock=self._clock)
        except UserError as exc:
            self.view.set_message(str(exc))
            return
        self.view.set_message("")
        self._render()

    def go_next(self) -> None:
        if self._state is not None and self._state.running:
            self._act(facilitate.next_step)

    def go_back(self) -> None:
        state = self._state
        if state is None:
            return
        if state.status is WorkshopStatus.DONE:
            self._act(facilitate.reopen)
        elif not state.is_first:
            self._act(facilitate.previous_step)

    def _on_skip_button_clicked(self) -> None:
        self._act(facilitate.skip_step)

    def _on_finish_button_clicked(self) -> None:
        state = self._state
        if state is None or state.position is None:
            return
        later = [step.plan.title for step in state.steps[state.position + 1 :]]
        if later and not confirm(
            self,
            "Finish the workshop?",
            f"{counted(len(later), 'step has', 'steps have')} not been reached: "
            f"{', '.join(later)}. Finish now, and they show as not reached?",
            "&Finish now",
        ):
            return
        self._act(facilitate.finish)

    def _on_add_minute_button_clicked(self) -> None:
        self._act(facilitate.add_minutes)

    def _on_pause_button_clicked(self) -> None:
        state = self._state
        if state is not None:
            paused = not state.paused
            self._act(
                lambda store, wid, *, clock: facilitate.set_paused(store, wid, paused, clock=clock)
            )

    # Drawing -------------------------------------------------------------------------
    def _render(self) -> None:
        state = self._state
        if state is None:
            return
        station = self.isSignalConnected(QMetaMethod.fromSignal(self.station_requested))
        self.view.set_station_available(station)
        self.summary.set_station_available(station)
        if state.status is WorkshopStatus.DONE:
            self.ticker.stop()
            now = self._clock()
            self.summary.show_summary(state.how_it_went(now), state.position is not None)
            self.stack.setCurrentWidget(self.summary)
            self.presenter.show_message(FINISHED_MESSAGE)
            if self.summary.reopen_button.isVisible():
                self.summary.reopen_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        step = state.current
        if step is None:
            return
        self.stack.setCurrentWidget(self.running)
        self.view.show_step(state)
        if self._notes_position != state.position:
            self._notes_position = state.position
            self.view.set_group_notes(step.group_notes)
        plan = step.plan
        self.presenter.show_step(plan.principle, plan.prompt, plan.title)
        self.tick()
        if not self.ticker.isActive():
            self.ticker.start()

    def tick(self) -> None:
        """Redraw the figures that change with time (driven by the ticker, or by tests)."""
        state = self._state
        if state is None or state.current is None:
            return
        now = self._clock()
        self.view.show_time(state, now)
        level = state.current.level(now)
        self.presenter.set_timer(self.view.countdown.text(), level)

    # Group notes ---------------------------------------------------------------------
    def _on_group_notes_text_changed(self) -> None:
        self._notes_timer.start()

    def save_group_notes(self) -> None:
        """Write the notes box now (it is also written shortly after each key press)."""
        self._notes_timer.stop()
        state = self._state
        position = self._notes_position
        if state is None or position is None:
            return
        text = self.view.group_notes.toPlainText()
        if text == state.steps[position].group_notes:
            return
        try:
            facilitate.save_group_notes(self._store, state.workshop_id, position, text)
        except UserError as exc:
            self.view.set_message(str(exc))
            return
        self._state = facilitate.get_state(self._store, state.workshop_id)

    # Presenter window ----------------------------------------------------------------
    def _update_screens(self) -> None:
        screens = self._screens()
        names = []
        for number, screen in enumerate(screens, start=1):
            geometry = screen.geometry()
            own = " (this laptop)" if number == 1 and len(screens) > 1 else ""
            names.append(
                f"Screen {number}: {screen.name() or 'display'}, "
                f"{geometry.width()}×{geometry.height()}{own}"
            )
        self.view.set_screens(names, presenter_screen_index(screens))

    def _on_screens_changed(self, _screen: QObject | None = None) -> None:
        """A projector plugged in mid-workshop gets the presenter window straight away."""
        self._update_screens()
        state = self._state
        running = state is not None and state.running
        if running and len(self._screens()) > 1 and not self.presenter.isVisible():
            self.present()

    def _chosen_screen_index(self) -> int:
        screens = self._screens()
        index = self.view.screen_choice.currentIndex()
        return index if 0 <= index < len(screens) else presenter_screen_index(screens)

    def present(self) -> None:
        """Show the presenter window full screen on the chosen screen (F5).

        From the chooser, F5 first starts (or resumes) the chosen workshop.
        """
        if self._state is None:
            self._on_start_button_clicked()
            if self._state is None or not self._state.running or len(self._screens()) > 1:
                return  # with a projector connected, starting has already presented
        self._place_presenter(full_screen=True)

    def _place_presenter(self, full_screen: bool) -> None:
        """Show the presenter window on the chosen screen, with a Close button where it
        shares the laptop's own screen (on a projector, the room would see it)."""
        screens = self._screens()
        if not screens:
            return
        index = self._chosen_screen_index()
        self.presenter.set_close_button_shown(index == 0)
        self.presenter.place_on(screens[index], full_screen=full_screen)

    def leave_full_screen(self) -> None:
        """Esc: the presenter window becomes an ordinary window; the workshop carries on.
        Esc in the presenter window once it is an ordinary window closes it."""
        if self.presenter.isFullScreen():
            self._place_presenter(full_screen=False)
        elif self.presenter.isVisible() and self.presenter.isActiveWindow():
            self.presenter.close()
        elif self.view.group_notes.hasFocus():
            self.view.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_presenter_window_closed(self) -> None:
        """Back to the facilitator view, with the keyboard, as the presenter window goes."""
        window = self.window()
        if window.isVisible():
            window.activateWindow()
            if self.stack.currentWidget() is self.running:
                self.view.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_screen_choice_changed(self, _index: int) -> None:
        if self.presenter.isVisible():
            self._place_presenter(self.presenter.isFullScreen())

    def toggle_blank(self) -> None:
        self.view.blank_button.toggle()

    def _on_blank_button_toggled(self, blank: bool) -> None:
        self.presenter.set_blank(blank)
        self.view.blank_button.setAccessibleDescription(
            "The projector is blank" if blank else "The projector shows the step"
        )

    # Clicker -------------------------------------------------------------------------
    def _accepts_clicker(self, widget: QWidget, action: ClickerAction) -> bool:
        """Clicker keys act in both windows while a workshop is open; F5 also starts one."""
        window = widget.window()
        if window is self.presenter:
            return self._state is not None
        if window is not self.window() or not self.isVisible():
            return False
        if self.stack.currentWidget() is self.chooser:
            return action is ClickerAction.PRESENT and self.start_button.isEnabled()
        return self._state is not None

    def _on_clicker_action_triggered(self, action: ClickerAction) -> None:
        if action in (ClickerAction.NEXT, ClickerAction.BACK) and self.presenter.blank:
            # As in presentation software: the first press on a blank screen brings the
            # room's view back, rather than moving on a step nobody has seen.
            self.view.blank_button.setChecked(False)
            return
        handlers = {
            ClickerAction.NEXT: self.go_next,
            ClickerAction.BACK: self.go_back,
            ClickerAction.BLANK: self.toggle_blank,
            ClickerAction.PRESENT: self.present,
            ClickerAction.LEAVE_FULL_SCREEN: self.leave_full_screen,
        }
        handlers[action]()

    def _request_station(self, phase: str) -> None:
        if self._state is not None:
            self.save_group_notes()
            self.station_requested.emit(self._state.workshop_id, phase)

    # Text size -----------------------------------------------------------------------
    def _apply_text_size(self) -> None:
        point_size = QApplication.font().pointSizeF()
        if point_size != self._point_size:
            self._point_size = point_size
            self.view.apply_text_size(point_size)
            self.summary.apply_text_size(point_size)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._apply_text_size()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self._apply_text_size()
        window = self.window()
        if window is not self._watched_window:
            self._watched_window = window
            window.installEventFilter(self)
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.save_group_notes()
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # When the app's window closes, the projector must go too, or the app keeps running.
        # (Minimising hides it spontaneously, and leaves the projector alone.)
        closing = event.type() == QEvent.Type.Hide and not event.spontaneous()
        if watched is self._watched_window and closing:
            self.save_group_notes()
            self.presenter.hide()
        return False
