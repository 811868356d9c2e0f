"""The facilitator's own view of a running step: everything to run it, readable from two metres."""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.agenda import StepRun
from amie_desktop.domain.timing import TimerLevel, countdown_text, drift_text
from amie_desktop.services.facilitate import RunState
from amie_desktop.ui.facilitate.colours import LEVEL_COLOURS, PAUSED_COLOUR
from amie_desktop.ui.widgets.flow import FlowLayout


def local_clock(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def _label(object_name: str, *, wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _caption(text: str, label: QLabel) -> QLabel:
    """A small heading over a part of the step; it wraps, so large text never pushes it off."""
    caption = _label("caption")
    caption.setText(text)
    caption.setBuddy(label)
    label.setAccessibleName(text)
    return caption


def _button(text: str, name: str, description: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setAccessibleDescription(description)
    button.setToolTip(description)
    # Space belongs to the clicker in this mode, so Enter presses a focused button.
    button.setAutoDefault(True)
    return button


class _NotesBox(QPlainTextEdit):
    """The group notes box: it takes the height left over, and asks only for its minimum."""

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.minimumHeight())


class FacilitatorView(QWidget):
    """Shows a RunState; its buttons are wired by the Facilitate page."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("facilitatorView")
        self.setAccessibleName("Facilitator view")

        # Heading: principle badge, step title, where we are --------------------------------
        self.badge = QLabel()
        self.badge.setObjectName("principleBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.principle = _label("principleName")
        self.step_title = _label("stepTitle")
        self.where = _label("stepWhere")
        titles = QVBoxLayout()
        titles.setSpacing(2)
        over_title = QHBoxLayout()
        over_title.setSpacing(16)
        over_title.addWidget(self.principle)
        over_title.addWidget(self.where, 1)
        titles.addLayout(over_title)
        titles.addWidget(self.step_title)

        self.wall_clock = _label("wallClock", wrap=False)
        self.wall_clock.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.drift = _label("drift", wrap=False)
        self.drift.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.finish_time = _label("finishTime", wrap=False)
        self.finish_time.setAlignment(Qt.AlignmentFlag.AlignRight)
        clocks = QVBoxLayout()
        clocks.setSpacing(2)
        clocks.addWidget(self.wall_clock)
        clocks.addWidget(self.drift)
        clocks.addWidget(self.finish_time)

        heading = QHBoxLayout()
        heading.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        heading.addLayout(titles, 1)
        heading.addLayout(clocks)

        # What to say and do --------------------------------------------------------------
        self.prompt = _label("prompt")
        self.activity = _label("activity")
        self.questions = _label("questions")
        self.questions.setTextFormat(Qt.TextFormat.RichText)
        self.private_notes = _label("privateNotes")
        self.coming_next = _label("comingNext")
        content = QWidget()
        content.setObjectName("stepContent")
        content_layout = QVBoxLayout(content)
        for caption, label in (
            ("Prompt (on the projector)", self.prompt),
            ("Activity", self.activity),
            ("Questions to ask", self.questions),
            ("Your notes (only you see these)", self.private_notes),
        ):
            content_layout.addWidget(_caption(caption, label))
            content_layout.addWidget(label)
        content_layout.addStretch(1)
        self.step_scroll = QScrollArea()
        self.step_scroll.setObjectName("stepScroll")
        self.step_scroll.setWidget(content)
        self.step_scroll.setWidgetResizable(True)
        self.step_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.step_scroll.setAccessibleName("This step")
        # It scrolls within the space it gets, so it must not ask for more height: else the
        # whole view outgrows a laptop screen and the controls beside it need scrolling.
        self.step_scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)

        # The countdown -------------------------------------------------------------------
        self.timer_panel = QFrame()
        self.timer_panel.setObjectName("timerPanel")
        self.timer_words = _label("timerWords", wrap=False)
        self.timer_words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = _label("countdown", wrap=False)
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.setAccessibleName("Time left on this step")
        panel_layout = QVBoxLayout(self.timer_panel)
        panel_layout.addWidget(self.timer_words)
        panel_layout.addWidget(self.countdown)

        self.group_notes = _NotesBox()
        self.group_notes.setObjectName("groupNotes")
        self.group_notes.setAccessibleName("Group notes for this step")
        self.group_notes.setAccessibleDescription(
            "What the room said. Saved as you type. Page Down and Page Up still change step."
        )
        self.group_notes.setPlaceholderText("What the room said (saved as you type)")
        self.group_notes.setTabChangesFocus(True)
        self.group_notes.setMinimumHeight(90)
        notes_caption = QLabel("Gro&up notes")
        notes_caption.setObjectName("caption")
        notes_caption.setBuddy(self.group_notes)

        side = QVBoxLayout()
        side.addWidget(self.timer_panel)
        # Beside the countdown, not at the foot of the step, so it is in sight without scrolling.
        side.addWidget(_caption("Coming next", self.coming_next))
        side.addWidget(self.coming_next)
        side.addWidget(notes_caption)
        side.addWidget(self.group_notes, 1)
        self._side = side

        # Controls ------------------------------------------------------------------------
        # Alt letters differ from each other and from the menu bar's (File, Go, View, Help).
        self.back_button = _button("◀ &Back", "Back", "Go back a step (Page Up, Left)")
        self.pause_button = _button("&Pause", "Pause", "Stop or restart this step's timer")
        self.add_minute_button = _button(
            "+1 &minute", "Add a minute", "Give this step a minute more"
        )
        self.skip_button = _button("S&kip", "Skip", "Leave this step out and move on")
        self.next_button = _button(
            "&Next ▶", "Next", "Move on to the next step (Page Down, Right, Space)"
        )
        self.finish_button = _button(
            "F&inish", "Finish", "End the workshop now and see how it went"
        )
        # The page keeps this bar in sight below the rest, which scrolls when text is large.
        self.run_bar = QWidget()
        self.run_bar.setObjectName("runBar")
        # Onto a second line on a narrow window (800 pixels) rather than wider than it.
        run_row = FlowLayout(self.run_bar)
        run_row.setContentsMargins(9, 9, 9, 9)  # as a row of its own had, clear of the edges
        for button in (self.back_button, self.pause_button, self.add_minute_button,
                       self.skip_button, self.next_button, self.finish_button):  # fmt: skip
            button.setObjectName("runButton")
            run_row.addWidget(button)

        self.present_button = _button(
            "Presenter &window (F5)",
            "Presenter window",
            "Show the presenter window full screen (F5)",
        )
        self.screen_choice = QComboBox()
        self.screen_choice.setAccessibleName("Screen for the presenter window")
        self.show_timer = QCheckBox("Show &timer on the projector")
        self.show_timer.setAccessibleName("Show timer on the projector")
        self.show_timer.setChecked(True)
        self.blank_button = _button(
            "B&lank projector (B)",
            "Blank projector",
            "Show a black screen to the room, or the step again (B)",
        )
        self.blank_button.setCheckable(True)
        self.station_before = _button(
            "Open reflections (b&efore)", "Open reflections (before)",
            "Open the Reflection station for the before-the-workshop ratings",
        )  # fmt: skip
        self.station_after = _button(
            "Open reflections (&after)", "Open reflections (after)",
            "Open the Reflection station for the after-the-workshop ratings",
        )  # fmt: skip
        self.leave_button = _button(
            "&Other workshop", "Choose another workshop",
            "Leave this view; the workshop keeps its place and timer",
        )  # fmt: skip
        screen_caption = QLabel("&Screen")
        screen_caption.setBuddy(self.screen_choice)
        self.screen_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.screen_choice.setMinimumContentsLength(12)
        projector = QGridLayout()
        projector.addWidget(self.present_button, 0, 0)
        projector.addWidget(self.blank_button, 0, 1)
        projector.addWidget(screen_caption, 1, 0, Qt.AlignmentFlag.AlignRight)
        projector.addWidget(self.screen_choice, 1, 1)
        projector.addWidget(self.show_timer, 2, 0)
        projector.addWidget(self.leave_button, 2, 1)
        projector.addWidget(self.station_before, 3, 0)
        projector.addWidget(self.station_after, 3, 1)
        side.addLayout(projector)

        self.message = _label("message")
        self.message.setProperty("role", "warning")
        self.message.setAccessibleName("Message")
        self.message.hide()

        grid = QGridLayout(self)
        grid.addLayout(heading, 0, 0, 1, 2)
        grid.addWidget(self.step_scroll, 1, 0)
        grid.addLayout(side, 1, 1)
        grid.addWidget(self.message, 2, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(1, 1)

        self._level: TimerLevel | None = None
        self._paused = False
        self._shown_position: int | None = None
        self._point_size = 0.0
        self.set_station_available(False)
        self.apply_text_size(10.0)

    # Filling it in -----------------------------------------------------------------------
    def show_step(self, state: RunState) -> None:
        """Everything that changes only when the step changes."""
        step = state.current
        if step is None or state.position is None:
            return
        plan = step.plan
        principle = plan.principle
        self.badge.setText(principle.code if principle else str(state.position + 1))
        self.badge.setAccessibleName(
            f"Principle: {principle.label}" if principle else "No principle"
        )
        colour = principle.info.colour if principle else "#4D4D57"
        self.badge.setStyleSheet(f"background: {colour}; color: #FFFFFF; border-radius: 8px;")
        self.principle.setText(principle.label if principle else "")
        self.principle.setToolTip(principle.meaning if principle else "")
        self.principle.setVisible(principle is not None)
        self.step_title.setText(plan.title)
        added = f" (+{step.extra_minutes} added)" if step.extra_minutes else ""
        number = f"Step {state.position + 1} of {len(state.steps)}"
        self.where.setText(f"{number} · {plan.minutes} minutes planned{added}")
        self.prompt.setText(plan.prompt or "No prompt for this step.")
        self.activity.setText(plan.activity or "No activity written for this step.")
        self.questions.setText(
            "".join(f"<p>• {escape(q)}</p>" for q in plan.questions) or "<p>None for this step.</p>"
        )
        self.private_notes.setText(plan.notes or "No notes for this step.")
        following = state.following
        if following is None:
            self.coming_next.setText("This is the last step. Next finishes the workshop.")
        else:
            coming = following.plan
            name = coming.principle.label if coming.principle else ""
            label = f"{name}: " if name and name not in coming.title else ""
            self.coming_next.setText(f"{label}{coming.title} ({coming.minutes} minutes)")
        self.back_button.setEnabled(not state.is_first)
        self.next_button.setText("Fi&nish ▶" if state.is_last else "&Next ▶")
        # On the last step Next already finishes; a second Finish beside it would only puzzle.
        self.finish_button.setVisible(not state.is_last)
        self.next_button.setAccessibleName("Finish" if state.is_last else "Next")
        self._paused = state.paused
        self.pause_button.setText("&Resume" if state.paused else "&Pause")
        self.pause_button.setAccessibleName("Resume" if state.paused else "Pause")
        self._level = None
        if state.position != self._shown_position:
            self._shown_position = state.position
            self.step_scroll.verticalScrollBar().setValue(0)

    def set_group_notes(self, text: str) -> None:
        blocked = self.group_notes.blockSignals(True)
        self.group_notes.setPlainText(text)
        self.group_notes.blockSignals(blocked)

    def show_time(self, state: RunState, now: datetime) -> None:
        """The figures that change every second."""
        step: StepRun | None = state.current
        self.wall_clock.setText(local_clock(now))
        self.wall_clock.setAccessibleName(f"The time now: {local_clock(now)}")
        if step is None:
            return
        remaining = step.remaining(now)
        level = step.level(now)
        self.countdown.setText(countdown_text(remaining))
        if self._paused:
            self.timer_words.setText("Paused")
        elif level is TimerLevel.OVERTIME:
            self.timer_words.setText("Over time by")
        else:
            self.timer_words.setText(level.words)
        self.countdown.setAccessibleDescription(self.timer_words.text())
        behind = state.behind(now)
        self.drift.setText(drift_text(behind))
        finish = state.expected_finish(now)
        self.finish_time.setText(f"Expected finish {local_clock(finish)}" if finish else "")
        if level is not self._level:
            self._level = level
            colour = PAUSED_COLOUR if self._paused else LEVEL_COLOURS[level]
            self.timer_panel.setStyleSheet(
                f"#timerPanel {{ background: {colour}; border-radius: 10px; }}"
                "#timerPanel QLabel { color: #FFFFFF; background: transparent; }"
            )

    @property
    def level(self) -> TimerLevel | None:
        return self._level

    def set_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def set_station_available(self, available: bool) -> None:
        self.station_before.setVisible(available)
        self.station_after.setVisible(available)

    def set_screens(self, names: list[str], chosen: int) -> None:
        blocked = self.screen_choice.blockSignals(True)
        self.screen_choice.clear()
        self.screen_choice.addItems(names)
        self.screen_choice.setCurrentIndex(chosen)
        self.screen_choice.blockSignals(blocked)

    # Sizes -------------------------------------------------------------------------------
    def apply_text_size(self, point_size: float) -> None:
        """Type sizes follow the app's text size; the countdown is always large."""
        if point_size == self._point_size:
            return
        self._point_size = point_size
        pt = point_size

        def size(factor: float, least: float = 0) -> str:
            return f"{max(least, round(pt * factor, 1))}pt"

        def capped(factor: float, most: float, least: float = 0) -> str:
            """Already large: grows with the text size only up to `most` points."""
            return f"{min(most, max(least, round(pt * factor, 1)))}pt"

        badge_px = round(pt * 5.6)
        self.badge.setFixedSize(badge_px, badge_px)
        self.run_bar.setStyleSheet(f"#runButton {{ font-size: {size(1.5)}; padding: 10px 16px; }}")
        self.setStyleSheet(
            f"""
            #principleBadge {{ font-size: {size(3.6)}; font-weight: bold; }}
            #principleName {{ font-size: {size(1.3)}; font-weight: bold; }}
            #stepTitle {{ font-size: {size(2.0)}; font-weight: bold; }}
            #stepWhere, #finishTime {{ font-size: {size(1.2)}; color: #4D4D57; }}
            #wallClock {{ font-size: {capped(3.0, 36)}; font-weight: bold; }}
            #drift {{ font-size: {size(1.6)}; font-weight: bold; }}
            #caption {{ font-size: {size(1.1)}; font-weight: bold; color: #4D4D57;
                        margin-top: 8px; }}
            #prompt {{ font-size: {size(1.7)}; }}
            #activity, #questions, #comingNext {{ font-size: {size(1.4)}; }}
            #privateNotes {{ font-size: {size(1.4)}; background: #FFF4CC; padding: 8px;
                             border-left: 6px solid #8A4B00; }}
            #timerWords {{ font-size: {size(1.8)}; font-weight: bold; }}
            #countdown {{ font-size: {capped(8.0, 96, 72)}; font-weight: bold; }}
            #groupNotes {{ font-size: {size(1.3)}; }}
            #stepContent {{ background: transparent; }}
            """
        )
