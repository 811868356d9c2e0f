"""One attendee's way through the station: the screens in order, and what is saved as they go.

A new AttendeeFlow is built for every attendee and the old one destroyed, so nothing the last
person typed or chose (text, undo history, scroll position, choices) can reach the next. The
screens themselves (screens.py, questions.py) only show and report; this coordinator moves
between them and calls the services.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from functools import cached_property

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.services import reflections, review
from amie_desktop.services.errors import UserError
from amie_desktop.services.reflections import (
    AlreadySubmittedError,
    AnswerValue,
    Draft,
    Pick,
    StationInfo,
)
from amie_desktop.store import StorageError, Store
from amie_desktop.ui.station.questions import QuestionScreen, ReviewScreen
from amie_desktop.ui.station.screens import (
    ConsentScreen,
    EasierScreen,
    IdentityScreen,
    NoticeAction,
    NoticeScreen,
    Screen,
    WalkInScreen,
    WelcomeScreen,
    phase_words,
)
from amie_desktop.ui.station.themes import Look
from amie_desktop.ui.station.widgets import Paragraph, button

# Answers are saved at most this long after a change, so a power cut loses at most ~1 s.
SAVE_DELAY_MS = 1000
# Wrong email addresses allowed on "Check it is you" before only the facilitator can help.
EMAIL_TRIES = 3

# Asks for the facilitator's PIN: (title, explanation, check the PIN, after it, on cancel).
PinAsker = Callable[[str, str, Callable[[str], None], Callable[[], None], Callable[[], None]], None]


class AttendeeFlow(QWidget):
    """The screens one attendee goes through, and everything they type (saved as they go)."""

    look_changed = Signal(object)
    reflection_submitted = Signal()
    flow_finished = Signal()  # stopped or turned away: the station clears for the next person
    screen_changed = Signal(str)  # what a screen reader should say on a new screen
    status_changed = Signal(str)  # a change on the same screen a screen reader should hear

    def __init__(self, store: Store, info: StationInfo, ask_pin: PinAsker) -> None:
        super().__init__()
        self.setObjectName("attendee-flow")
        self.setAccessibleName("Reflection")
        self._store = store
        self._info = info
        self._ask_pin = ask_pin
        self.look = Look()
        self.attendance_id: int | None = None
        self.name = ""  # the name chosen, shown on every screen after it
        # How the name was taken, so "Not you?" and Back can give it up again: a first pick
        # ("release"), a name the station added ("withdraw"), or a confirmed one ("keep").
        self._taken_as = "keep"
        self._before_consent: Screen | None = None
        self._email_tries = 0
        self._back_from_stop: Screen | None = None
        self.answers: dict[str, AnswerValue] = {}
        self._dirty = False
        self._return_to: Screen | None = None
        self._question_screens: dict[int, QuestionScreen] = {}
        self.notice: NoticeScreen | None = None
        self.identity: IdentityScreen | None = None
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_now)

        self.stack = QStackedWidget()
        self.easier_button = button(
            "Make this easier",
            "Make this easier",
            "Larger text, high contrast, a dyslexia-friendly look or Easy Read wording",
        )
        self.easier_button.clicked.connect(self._on_easier_button_clicked)
        self.stop_button = button(
            "Stop", "Stop", "Stop without sending. What you wrote is kept safely."
        )
        self.stop_button.clicked.connect(self._on_stop_button_clicked)
        self.stop_button.hide()
        where = QLabel(f"{info.workshop_title} · {phase_words(info.phase)}")
        where.setProperty("role", "muted")
        where.setWordWrap(True)
        where.setAccessibleName(f"{info.workshop_title}, reflection {phase_words(info.phase)}")
        self.you_are = QLabel()
        self.you_are.setProperty("role", "progress")
        self.you_are.setWordWrap(True)
        self.not_you_button = button(
            "Not you?", "Not you?", "You chose someone else's name: start again with your own"
        )
        self.not_you_button.clicked.connect(self._on_not_you_button_clicked)
        self.save_problem = Paragraph("", role="warning")
        self.save_problem.setAccessibleDescription("Why your answers could not be saved")
        self.save_problem.hide()
        top = QHBoxLayout()
        top.setContentsMargins(48, 16, 48, 0)
        top.addWidget(where, 1)
        top.addWidget(self.easier_button)
        top.addWidget(self.stop_button)
        you = QHBoxLayout()
        you.setContentsMargins(48, 8, 48, 0)
        you.addWidget(self.you_are, 1)
        you.addWidget(self.not_you_button)
        saving = QHBoxLayout()
        saving.setContentsMargins(48, 8, 48, 0)
        saving.addWidget(self.save_problem)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(you)
        layout.addLayout(saving)
        layout.addWidget(self.stack, 1)
        self._show_name()

        # Only the welcome screen is built now; the others when first needed (cached_property),
        # so the station is ready for the next person at once.
        self.welcome = WelcomeScreen(info.workshop_title, info.phase)
        self.welcome.search_edited.connect(self._on_welcome_search_edited)
        self.welcome.name_chosen.connect(self.choose)
        self.welcome.walk_in_chosen.connect(self._on_welcome_walk_in_chosen)
        self.stack.addWidget(self.welcome)

    def _add(self, screen: Screen) -> None:
        self.stack.addWidget(screen)
        if self.look != Look():
            for paragraph in screen.findChildren(Paragraph):
                paragraph.apply(self.look)

    @cached_property
    def walk_in(self) -> WalkInScreen:
        screen = WalkInScreen()
        screen.name_given.connect(self._on_walk_in_name_given)
        screen.back_pressed.connect(self.go_welcome)
        self._add(screen)
        return screen

    @cached_property
    def easier(self) -> EasierScreen:
        screen = EasierScreen()
        screen.look_changed.connect(self._on_easier_look_changed)
        screen.done_pressed.connect(self._on_easier_done_pressed)
        self._add(screen)
        return screen

    @cached_property
    def consent(self) -> ConsentScreen:
        screen = ConsentScreen()
        screen.back_pressed.connect(self._on_consent_back_pressed)
        screen.next_pressed.connect(self._on_consent_next_pressed)
        self._add(screen)
        return screen

    def question(self, index: int) -> QuestionScreen:
        """The screen for question index (built when first needed, with any saved answer)."""
        screen = self._question_screens.get(index)
        if screen is None:
            question = self._info.questions[index]
            screen = QuestionScreen(question, index + 1, len(self._info.questions))
            if question.key in self.answers:
                screen.set_value(self.answers[question.key])
            screen.answer_changed.connect(lambda s=screen: self._on_question_answer_changed(s))
            screen.back_pressed.connect(lambda i=index: self._on_question_back_pressed(i))
            screen.next_pressed.connect(lambda i=index: self._on_question_next_pressed(i))
            self._question_screens[index] = screen
            self._add(screen)
        return screen

    @property
    def questions(self) -> list[QuestionScreen]:
        return [self.question(index) for index in range(len(self._info.questions))]

    @cached_property
    def review(self) -> ReviewScreen:
        screen = ReviewScreen(self._info.questions)
        screen.change_requested.connect(lambda index: self._show(self.question(index)))
        screen.back_pressed.connect(
            lambda: self._show(self.question(len(self._info.questions) - 1))
        )
        screen.send_pressed.connect(self._on_review_send_pressed)
        self._add(screen)
        return screen

    def screens(self) -> list[Screen]:
        """The screens built so far."""
        built = (self.stack.widget(i) for i in range(self.stack.count()))
        return [screen for screen in built if isinstance(screen, Screen)]

    # Showing screens --------------------------------------------------------------
    def current(self) -> Screen:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Screen)
        return widget

    def _show(self, screen: Screen) -> None:
        self.save_now()
        if isinstance(screen, ReviewScreen):
            screen.fill(self.answers, self.look)
        leaving = self.stack.currentWidget()
        if isinstance(leaving, Screen) and leaving is not screen:
            leaving.forget_typing()
        self.stack.setCurrentWidget(screen)
        # A notice has its own buttons (one of them Stop, when asking "Stop now?").
        chosen = self.attendance_id is not None
        self.stop_button.setVisible(chosen and screen is not self.notice)
        self.not_you_button.setVisible(chosen and screen is not self.notice)
        self.easier_button.setVisible(not isinstance(screen, EasierScreen))
        self.focus_screen()
        self.screen_changed.emit(screen.announcement)

    def focus_screen(self) -> None:
        screen = self.current()
        target = screen.focus_target()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            screen.scroll_area.ensureWidgetVisible(target)

    def go_welcome(self) -> None:
        self._show(self.welcome)

    def _notice(self, title: str, text: str, actions: Sequence[NoticeAction]) -> None:
        old = self.notice
        self.notice = NoticeScreen(title, text, actions)
        self._add(self.notice)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        self._show(self.notice)

    # Name -------------------------------------------------------------------------
    def _show_name(self) -> None:
        shown = f"You are: {self.name}" if self.attendance_id is not None else ""
        self.you_are.setText(shown)
        self.you_are.setAccessibleName(shown or "No name chosen yet")
        self.you_are.setVisible(bool(shown))
        self.not_you_button.setVisible(bool(shown))

    def _take(self, attendance_id: int, name: str, taken_as: str, draft: Draft | None) -> None:
        """The name is theirs now: on to consent, with their earlier answers if any."""
        self.attendance_id = attendance_id
        self.name = name
        self._taken_as = taken_as
        self._before_consent = self.current()
        if draft is not None:
            self.answers = dict(draft.answers)
            for index, screen in self._question_screens.items():
                key = self._info.questions[index].key
                if key in self.answers:
                    screen.set_value(self.answers[key])
            self.consent.set_choices(draft.consent_quote, draft.consent_contact)
        self._dirty = False
        self._show_name()
        self._show(self.consent)

    def _give_up_name(self) -> None:
        """Back before consent, or "Not you?": the name is free for its owner again."""
        attendance_id, taken_as = self.attendance_id, self._taken_as
        self._save_timer.stop()
        self.attendance_id = None
        self.name = ""
        self.answers = {}
        self._dirty = False
        self._show_name()
        if attendance_id is None:
            return
        # On a full disk the name simply stays taken: its owner is asked to check it is them.
        with contextlib.suppress(StorageError):
            if taken_as == "release":
                reflections.release_name(self._store, attendance_id, self._info.phase)
            elif taken_as == "withdraw":
                review.withdraw(self._store, attendance_id)

    def _on_welcome_search_edited(self, text: str) -> None:
        found = reflections.find_names(self._store, self._info.workshop_id, text)
        self.status_changed.emit(self.welcome.show_matches(found, text, self.look))

    def _on_welcome_walk_in_chosen(self) -> None:
        self._show(self.walk_in)

    def _on_walk_in_name_given(self, name: str) -> None:
        try:
            attendance_id = review.add_walk_in(self._store, self._info.workshop_id, name)
            reflections.pick_name(self._store, attendance_id, self._info.phase)
        except UserError as exc:
            self.walk_in.show_problem(str(exc), self.look)
            self.status_changed.emit(str(exc))
            return
        self._take(attendance_id, " ".join(name.split()), "withdraw", None)

    def choose(self, attendance_id: int, name: str) -> None:
        """Someone picked a name from the list."""
        try:
            pick = reflections.pick_name(self._store, attendance_id, self._info.phase)
        except UserError as exc:
            self._notice("Sorry", str(exc), [("Back", "Back to the start", self.go_welcome)])
            return
        if pick is Pick.BEGIN:
            self._take(attendance_id, name, "release", None)
            return
        # Used before: the same screen whatever its owner did, so nothing is given away.
        old = self.identity
        self.identity = IdentityScreen(name)
        self._email_tries = 0
        self.identity.email_given.connect(
            lambda email: self._on_identity_email_given(attendance_id, name, email)
        )
        self.identity.facilitator_asked.connect(lambda: self._ask_for_draft(attendance_id, name))
        self.identity.not_me_pressed.connect(
            lambda: self._on_identity_not_me_pressed(attendance_id)
        )
        self.identity.back_pressed.connect(self.go_welcome)
        self._add(self.identity)
        self._show(self.identity)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()

    def _on_identity_email_given(self, attendance_id: int, name: str, email: str) -> None:
        assert self.identity is not None
        try:
            draft = reflections.confirm_identity(
                self._store, attendance_id, self._info.phase, email
            )
        except AlreadySubmittedError as exc:
            self._notice(
                "Already sent",
                str(exc),
                [("Back to the start", "Clear the screen", self.flow_finished.emit)],
            )
            return
        except UserError as exc:
            self._email_tries += 1
            self.identity.show_problem(
                str(exc), self.look, give_up=self._email_tries >= EMAIL_TRIES
            )
            self.status_changed.emit(str(exc))
            return
        self._take(attendance_id, name, "keep", draft)

    def _on_identity_not_me_pressed(self, attendance_id: int) -> None:
        try:
            own = review.add_same_name(self._store, attendance_id)
            reflections.pick_name(self._store, own, self._info.phase)
        except UserError as exc:
            self._notice("Sorry", str(exc), [("Back", "Back to the start", self.go_welcome)])
            return
        with_name = self.identity.name_shown if self.identity is not None else ""
        self._take(own, with_name, "withdraw", None)

    def _ask_for_draft(self, attendance_id: int, name: str) -> None:
        back_to = self.current()
        found: list[Draft] = []

        def check(pin: str) -> None:
            found.append(
                reflections.resume_draft(self._store, attendance_id, self._info.phase, pin)
            )

        self._ask_pin(
            "Carry on from earlier",
            "Facilitator: type your PIN to let this person carry on, with any answers they "
            "saved earlier.",
            check,
            lambda: self._take(attendance_id, name, "keep", found[-1]),
            lambda: self._show(back_to),
        )

    def _on_not_you_button_clicked(self) -> None:
        back_to = self._back_from_stop = self.current()
        self._notice(
            "Not you?",
            f"You chose the name “{self.name}”. If it is not yours, start again and find "
            "your own name. Anything written under this name now is removed.",
            [
                ("Keep going", "It is my name: go back", lambda: self._show(back_to)),
                ("Start again", "Clear the screen and find your own name",
                 self._on_not_you_confirmed),
            ],
        )  # fmt: skip

    def _on_not_you_confirmed(self) -> None:
        if self._taken_as == "keep":
            try:
                self.save_incomplete()  # a confirmed name's answers are its owner's: kept
            except StorageError:
                self._show(self._back_from_stop or self.welcome)
                return
        self._give_up_name()
        self.flow_finished.emit()

    # Choices ----------------------------------------------------------------------
    def _on_easier_button_clicked(self) -> None:
        self._return_to = self.current()
        self._show(self.easier)

    def _on_easier_done_pressed(self) -> None:
        self._show(self._return_to or self.welcome)

    def _on_easier_look_changed(self, look: Look) -> None:
        self.look = look
        self.look_changed.emit(look)

    # Consent and questions --------------------------------------------------------
    def _on_consent_back_pressed(self) -> None:
        back_to = self._before_consent or self.welcome
        if self._taken_as == "keep":
            try:
                self.save_incomplete()
            except StorageError:
                return
        self._give_up_name()
        self._show(back_to if back_to in self.screens() else self.welcome)

    def _on_consent_next_pressed(self) -> None:
        assert self.attendance_id is not None
        try:
            reflections.record_consent(
                self._store,
                self.attendance_id,
                quote=self.consent.quote_box.isChecked(),
                contact=self.consent.contact_box.isChecked(),
            )
        except StorageError as exc:
            self.show_save_problem(exc)
            return
        self.save_problem.hide()
        self._show(self.question(0))

    def _on_question_answer_changed(self, screen: QuestionScreen) -> None:
        self.answers[screen.question.key] = screen.value()
        self._dirty = True
        if not self._save_timer.isActive():
            self._save_timer.start()

    def _on_question_back_pressed(self, index: int) -> None:
        self._show(self.question(index - 1) if index else self.consent)

    def _on_question_next_pressed(self, index: int) -> None:
        following = index + 1
        self._show(
            self.question(following) if following < len(self._info.questions) else self.review
        )

    # Saving -----------------------------------------------------------------------
    def save_now(self) -> None:
        """Save what has changed since the last save (a draft; nothing is sent).

        A full disk is said on screen and the words stay there; the next change, screen or
        Send tries again.
        """
        self._save_timer.stop()
        if not self._dirty or self.attendance_id is None:
            return
        try:
            reflections.save_draft(self._store, self.attendance_id, self._info.phase, self.answers)
        except StorageError as exc:
            self.show_save_problem(exc)
            return
        self._dirty = False
        self.save_problem.hide()

    def save_incomplete(self) -> None:
        """Keep what was written, marked unfinished, before the station clears.

        Raises StorageError when it could not be kept: the caller must not clear the screen.
        """
        self._save_timer.stop()
        if self.attendance_id is not None and any(
            v not in (None, "") for v in self.answers.values()
        ):
            try:
                reflections.mark_incomplete(
                    self._store, self.attendance_id, self._info.phase, self.answers
                )
            except StorageError as exc:
                self.show_save_problem(exc)
                raise
        self._dirty = False

    def show_save_problem(self, error: StorageError) -> None:
        """Say plainly that nothing new was saved, and what the facilitator can do."""
        message = (
            f"Your answers could not be saved. {error} Please do not walk away: ask the "
            "facilitator. Facilitator: once there is room, press Send, or Stop to keep the "
            "answers unsent."
        )
        self.save_problem.plain = message
        self.save_problem.apply(self.look)
        self.save_problem.show()
        self.status_changed.emit(message)

    def has_traces(self) -> bool:
        """Could the next person bring back what someone typed here (undo, redo), even on a
        screen that looks empty?"""
        lines = self.findChildren(QLineEdit)
        texts = self.findChildren(QPlainTextEdit)
        return any(edit.isUndoAvailable() or edit.isRedoAvailable() for edit in lines) or any(
            edit.document().isUndoAvailable() or edit.document().isRedoAvailable() for edit in texts
        )

    def in_progress(self) -> bool:
        """Is someone part-way through (so an idle spell should warn, then clear)?"""
        return (
            self.attendance_id is not None
            or any(screen.has_input() for screen in self.screens())
            or self.look != Look()
            or self.current() is not self.welcome
        )

    def _on_review_send_pressed(self) -> None:
        assert self.attendance_id is not None
        self._save_timer.stop()
        try:
            reflections.submit(self._store, self.attendance_id, self._info.phase, self.answers)
        except StorageError as exc:
            self.show_save_problem(exc)
            self.review.show_problem("Not sent yet: see the message at the top.", self.look)
            return
        except UserError as exc:
            self.review.show_problem(str(exc), self.look)
            self.status_changed.emit(str(exc))
            return
        self._dirty = False
        self.reflection_submitted.emit()

    def _on_stop_button_clicked(self) -> None:
        back_to = self._back_from_stop = self.current()
        self._notice(
            "Stop now?",
            "Your answers will not be sent. They are kept safely, and only the facilitator "
            "can open them again.",
            [
                ("Keep going", "Go back to your answers", lambda: self._show(back_to)),
                ("Stop", "Stop and clear the screen", self._on_stop_confirmed),
            ],
        )

    def _on_stop_confirmed(self) -> None:
        try:
            self.save_incomplete()
        except StorageError:
            self._show(self._back_from_stop or self.welcome)
            return
        self.flow_finished.emit()

    def discard(self) -> None:
        """Stop timers before this flow is destroyed (its owner saved what mattered)."""
        self._save_timer.stop()
