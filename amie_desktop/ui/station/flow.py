"""One attendee's way through the station: name, easier look, consent, questions, review.

A new AttendeeFlow is built for every attendee and the old one destroyed, so nothing the last
person typed or chose (text, undo history, scroll position, choices) can reach the next.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.content import Question, QuestionKind
from amie_desktop.domain.heard import PRINCIPLES, Principle
from amie_desktop.domain.values import Phase
from amie_desktop.services import reflections
from amie_desktop.services.errors import UserError
from amie_desktop.services.reflections import AlreadySubmittedError, AnswerValue, StationInfo
from amie_desktop.store import Store
from amie_desktop.ui.station.themes import Look
from amie_desktop.ui.station.widgets import (
    ChoiceList,
    Paragraph,
    WrappingCheckBox,
    button,
    heading,
    scrolling,
)

# Answers are saved at most this long after a change, so a power cut loses at most ~1 s.
SAVE_DELAY_MS = 1000
MAX_TEXT = 4000
# The room left in a text answer is shown once fewer characters than this are left.
ROOM_SHOWN_BELOW = 500

# Asks for the facilitator's PIN: (title, explanation, check the PIN, after it, on cancel).
PinAsker = Callable[[str, str, Callable[[str], None], Callable[[], None], Callable[[], None]], None]


def phase_words(phase: Phase) -> str:
    return "before the workshop" if phase is Phase.BEFORE else "after the workshop"


class Screen(QWidget):
    """One screen: content that scrolls if it must, and a row of buttons that never does."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.content = QWidget()
        self.body = QVBoxLayout(self.content)
        self.body.setContentsMargins(48, 24, 48, 24)
        self.body.setSpacing(16)
        self.scroll_area = scrolling(self.content)
        self.buttons = QHBoxLayout()
        self.buttons.setContentsMargins(48, 8, 48, 24)
        self.buttons.setSpacing(16)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(self.buttons)
        self.first_focus: QWidget | None = None
        self.announcement = name

    def finish(self) -> None:
        self.body.addStretch(1)

    def focus_target(self) -> QWidget | None:
        if isinstance(self.first_focus, ChoiceList):
            return self.first_focus.tab_stop()
        return self.first_focus


class PlainTextAnswer(QPlainTextEdit):
    """A text answer: Tab moves on (it never types a tab), and the length is capped."""

    def __init__(self, name: str, description: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setAccessibleDescription(description)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(160)
        self.room = QLabel()
        self.room.setProperty("role", "muted")
        self.room.setWordWrap(True)
        self.textChanged.connect(self._on_text_changed)
        self._on_text_changed()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        full = len(self.toPlainText()) >= MAX_TEXT
        if full and event.text() and event.key() not in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            return
        super().keyPressEvent(event)

    def _on_text_changed(self) -> None:
        text = self.toPlainText()
        if len(text) > MAX_TEXT:
            # Pasted or composed text past the cap: keep the first MAX_TEXT characters.
            self.setPlainText(text[:MAX_TEXT])
            self.moveCursor(QTextCursor.MoveOperation.End)
            return
        left = MAX_TEXT - len(text)
        message = (
            "There is no more room in this answer."
            if left == 0
            else f"Room for {left:,} more characters."
        )
        self.room.setText(message)
        self.room.setAccessibleName(message)
        # Quiet until the answer is long: a counter from the first letter would hurry people.
        self.room.setVisible(left <= ROOM_SHOWN_BELOW)


class QuestionScreen(Screen):
    def __init__(self, question: Question, number: int, total: int) -> None:
        super().__init__(f"Question {number} of {total}")
        self.question = question
        self.number = number
        self.progress = QLabel(f"Question {number} of {total}")
        self.progress.setProperty("role", "progress")
        self.progress.setAccessibleName(f"Question {number} of {total}")
        self.body.addWidget(self.progress)
        principle = question.principle
        if principle is not None:
            self.body.addWidget(heading(f"{principle.label}"))
            self.body.addWidget(Paragraph(f"HEARD principle: {principle.meaning}.", role="muted"))
        self.text = Paragraph(question.text, question.easy_read)
        self.text.setProperty("role", "question")
        self.body.addWidget(self.text)
        if question.help:
            self.body.addWidget(Paragraph(question.help, role="muted"))
        self.answer: ChoiceList | PlainTextAnswer
        if question.kind is QuestionKind.TEXT:
            self.answer = PlainTextAnswer(question.text, question.help)
        elif question.kind is QuestionKind.RATING:
            self.answer = ChoiceList(
                question.text,
                "Choose 1 to 5 with the number keys, or move with the arrow keys",
                list(enumerate(question.scale, start=1)),
            )
        else:
            self.answer = ChoiceList(
                question.text,
                "Choose one principle with the number keys 1 to 5, or the arrow keys",
                [(p.code, f"{p.label}: {p.meaning}") for p in PRINCIPLES],
            )
        self.body.addWidget(self.answer)
        if isinstance(self.answer, PlainTextAnswer):
            self.body.addWidget(self.answer.room)
        self.finish()
        self.first_focus = self.answer
        title = principle.label if principle else ""
        self.announcement = f"Question {number} of {total}. {title}".strip(". ")

    def value(self) -> AnswerValue:
        if isinstance(self.answer, PlainTextAnswer):
            return self.answer.toPlainText()
        value = self.answer.value()
        return value if isinstance(value, int | str) else None

    def set_value(self, value: AnswerValue) -> None:
        if isinstance(self.answer, PlainTextAnswer):
            self.answer.setPlainText(str(value or ""))
        else:
            self.answer.set_value(value)


def describe(question: Question, value: AnswerValue) -> str:
    if value in (None, ""):
        return "Not answered"
    if question.kind is QuestionKind.RATING and isinstance(value, int):
        return f"{value} – {question.scale[value - 1]}"
    if question.kind is QuestionKind.PRINCIPLE and isinstance(value, str):
        return Principle.from_code(value).label
    return str(value)


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
        self.answers: dict[str, AnswerValue] = {}
        self._dirty = False
        self._return_to: Screen | None = None
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
        top = QHBoxLayout()
        top.setContentsMargins(48, 16, 48, 0)
        top.addWidget(where, 1)
        top.addWidget(self.easier_button)
        top.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

        # Only the welcome screen is built now; the others when first needed, so the station
        # is ready for the next person at once.
        self.welcome = self._build_welcome()
        self.stack.addWidget(self.welcome)
        self._walk_in: Screen | None = None
        self._easier: Screen | None = None
        self._consent: Screen | None = None
        self._question_screens: dict[int, QuestionScreen] = {}
        self._review: Screen | None = None
        self.notice: Screen | None = None

    def _add(self, screen: Screen) -> Screen:
        self.stack.addWidget(screen)
        if self.look != Look():
            for paragraph in screen.findChildren(Paragraph):
                paragraph.apply(self.look)
        return screen

    @property
    def walk_in(self) -> Screen:
        if self._walk_in is None:
            self._walk_in = self._add(self._build_walk_in())
        return self._walk_in

    @property
    def easier(self) -> Screen:
        if self._easier is None:
            self._easier = self._add(self._build_easier())
        return self._easier

    @property
    def consent(self) -> Screen:
        if self._consent is None:
            self._consent = self._add(self._build_consent())
        return self._consent

    def question(self, index: int) -> QuestionScreen:
        """The screen for question index (built when first needed, with any saved answer)."""
        screen = self._question_screens.get(index)
        if screen is None:
            question = self._info.questions[index]
            screen = QuestionScreen(question, index + 1, len(self._info.questions))
            if question.key in self.answers:
                screen.set_value(self.answers[question.key])
            self._wire_question(screen)
            self._question_screens[index] = screen
            self._add(screen)
        return screen

    @property
    def questions(self) -> list[QuestionScreen]:
        return [self.question(index) for index in range(len(self._info.questions))]

    @property
    def review(self) -> Screen:
        if self._review is None:
            self._review = self._add(self._build_review())
        return self._review

    # Screens ----------------------------------------------------------------------
    def _build_welcome(self) -> Screen:
        screen = Screen("Welcome")
        screen.body.addWidget(heading("Welcome"))
        screen.body.addWidget(
            Paragraph(
                f"Please tell us about your work {phase_words(self._info.phase)} "
                f"“{self._info.workshop_title}”. There are no right or wrong answers, and only "
                "the workshop's organisers will read them."
            )
        )
        label = QLabel("&Find your name")
        label.setProperty("role", "question")
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setAccessibleName("Find your name")
        self.search.setAccessibleDescription("Type at least two letters of your name")
        self.search.setPlaceholderText("Type the first letters of your name")
        self.search.setMaxLength(100)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.search.installEventFilter(self)
        label.setBuddy(self.search)
        self.matches = QListWidget()
        self.matches.setAccessibleName("Matching names")
        self.matches.setAccessibleDescription("Press Enter on your name")
        self.matches.itemActivated.connect(self._on_matches_item_activated)
        self.matches.itemClicked.connect(self._on_matches_item_activated)
        self.matches.setMinimumHeight(120)
        self.match_count = Paragraph("Type at least two letters.", role="muted")
        self.not_listed = button(
            "I'm not on the list", "I'm not on the list", "Add your name to the register"
        )
        self.not_listed.clicked.connect(self._on_not_listed_clicked)
        for widget in (label, self.search, self.match_count, self.matches):
            screen.body.addWidget(widget)
        screen.finish()
        screen.buttons.addStretch(1)
        screen.buttons.addWidget(self.not_listed)
        screen.first_focus = self.search
        screen.announcement = (
            f"Welcome. Reflection {phase_words(self._info.phase)} "
            f"{self._info.workshop_title}. Find your name."
        )
        return screen

    def _build_walk_in(self) -> Screen:
        screen = Screen("Add your name")
        screen.body.addWidget(heading("Add your name"))
        screen.body.addWidget(
            Paragraph("Type your name as you would like it to appear on your certificate.")
        )
        self.walk_in_name = QLineEdit()
        self.walk_in_name.setAccessibleName("Your name")
        self.walk_in_name.setAccessibleDescription(
            "Your name as you would like it on your certificate"
        )
        self.walk_in_name.setMaxLength(200)
        self.walk_in_name.returnPressed.connect(self._on_walk_in_next_clicked)
        self.walk_in_problem = Paragraph("", role="warning")
        screen.body.addWidget(self.walk_in_name)
        screen.body.addWidget(self.walk_in_problem)
        screen.finish()
        back = button("Back", "Back", "Back to finding your name")
        back.clicked.connect(self.go_welcome)
        go = button("Add me", "Add me", "Add your name and carry on", primary=True)
        go.clicked.connect(self._on_walk_in_next_clicked)
        screen.buttons.addWidget(back)
        screen.buttons.addStretch(1)
        screen.buttons.addWidget(go)
        screen.first_focus = self.walk_in_name
        return screen

    def _build_easier(self) -> Screen:
        screen = Screen("Make this easier")
        screen.body.addWidget(heading("Make this easier"))
        screen.body.addWidget(
            Paragraph("Choose as many as you like. They last until you finish, then go back.")
        )
        self.choice_boxes: dict[str, QCheckBox] = {}
        for key, text in (
            ("larger_text", "Larger text"),
            ("high_contrast", "High contrast: white and yellow on black"),
            ("dyslexia", "Dyslexia-friendly: cream background, clearer letters, more space"),
            ("easy_read", "Easy Read: short sentences and simple words"),
        ):
            box = WrappingCheckBox(text, "Changes how the screens look until you finish")
            box.toggled.connect(self._on_choice_toggled)
            self.choice_boxes[key] = box
            screen.body.addWidget(box)
        screen.finish()
        done = button("Done", "Done", "Go back to where you were", primary=True)
        done.clicked.connect(self._on_easier_done_clicked)
        screen.buttons.addStretch(1)
        screen.buttons.addWidget(done)
        screen.first_focus = self.choice_boxes["larger_text"]
        return screen

    def _build_consent(self) -> Screen:
        screen = Screen("Your choices")
        screen.body.addWidget(heading("Two questions first"))
        wording = reflections.CONSENT
        self.quote_box = WrappingCheckBox(
            "Yes, you may quote my words without my name", wording.quote
        )
        self.contact_box = WrappingCheckBox("Yes, you may contact me later", wording.contact)
        screen.body.addWidget(Paragraph(wording.quote))
        screen.body.addWidget(self.quote_box)
        screen.body.addWidget(Paragraph(wording.contact))
        screen.body.addWidget(self.contact_box)
        screen.body.addWidget(
            Paragraph(
                "If you leave a box empty, the answer is no. You can change your mind at any "
                "time by telling the organisers.",
                role="muted",
            )
        )
        screen.finish()
        back = button("Back", "Back", "Back to the start")
        back.clicked.connect(self._on_consent_back_clicked)
        go = button("Next", "Next", "Go to the first question", primary=True)
        go.clicked.connect(self._on_consent_next_clicked)
        screen.buttons.addWidget(back)
        screen.buttons.addStretch(1)
        screen.buttons.addWidget(go)
        screen.first_focus = self.quote_box
        return screen

    def _wire_question(self, screen: QuestionScreen) -> None:
        if isinstance(screen.answer, PlainTextAnswer):
            screen.answer.textChanged.connect(lambda s=screen: self._on_answer_changed(s))
        else:
            screen.answer.chosen.connect(lambda _v, s=screen: self._on_answer_changed(s))
        back = button("Back", "Back", "The screen before")
        back.clicked.connect(lambda _=False, s=screen: self._on_question_back(s))
        last = screen.question is self._info.questions[-1]
        text = "Check my answers" if last else "Next"
        go = button(text, text, "Go on to the next screen", primary=True)
        go.clicked.connect(lambda _=False, s=screen: self._on_question_next(s))
        screen.buttons.addWidget(back)
        screen.buttons.addStretch(1)
        screen.buttons.addWidget(go)

    def _build_review(self) -> Screen:
        screen = Screen("Check your answers")
        screen.body.addWidget(heading("Check your answers"))
        screen.body.addWidget(
            Paragraph("Press Change to go back to a question. Press Send when you are happy.")
        )
        self.review_rows: list[tuple[Paragraph, QPushButton]] = []
        for number, question in enumerate(self._info.questions, start=1):
            answer = Paragraph("")
            change = button("Change", f"Change your answer to question {number}", question.text)
            change.clicked.connect(lambda _=False, n=number - 1: self._show(self.question(n)))
            row = QHBoxLayout()
            row.addWidget(answer, 1)
            row.addWidget(change, 0, Qt.AlignmentFlag.AlignTop)
            screen.body.addLayout(row)
            self.review_rows.append((answer, change))
        self.submit_problem = Paragraph("", role="warning")
        screen.body.addWidget(self.submit_problem)
        screen.finish()
        back = button("Back", "Back", "The last question")
        back.clicked.connect(lambda: self._show(self.question(len(self._info.questions) - 1)))
        self.send_button = button(
            "Send my answers", "Send my answers", "Send your reflection", primary=True
        )
        self.send_button.clicked.connect(self._on_send_clicked)
        screen.buttons.addWidget(back)
        screen.buttons.addStretch(1)
        screen.buttons.addWidget(self.send_button)
        screen.first_focus = self.send_button
        return screen

    # Showing screens --------------------------------------------------------------
    def current(self) -> Screen:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Screen)
        return widget

    def _show(self, screen: Screen) -> None:
        self.save_now()
        if screen is self.review:
            self._fill_review()
        self.stack.setCurrentWidget(screen)
        # A notice has its own buttons (one of them Stop, when asking "Stop now?").
        self.stop_button.setVisible(self.attendance_id is not None and screen is not self.notice)
        self.easier_button.setVisible(screen is not self.easier)
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

    def _notice(
        self, title: str, text: str, actions: list[tuple[str, str, Callable[[], None]]]
    ) -> None:
        """Show a message with its own buttons (rebuilt each time; nothing is kept)."""
        old = self.notice
        notice = self.notice = Screen(title)
        notice.body.addWidget(heading(title))
        notice.body.addWidget(Paragraph(text))
        notice.finish()
        notice.buttons.addStretch(1)
        for number, (label, description, action) in enumerate(actions):
            widget = button(label, label, description, primary=number == len(actions) - 1)
            widget.clicked.connect(action)
            notice.buttons.addWidget(widget)
            notice.first_focus = notice.first_focus or widget
        notice.announcement = f"{title}. {text}"
        self._add(notice)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        self._show(notice)

    # Name -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and self.matches.count()
        ):
            self.matches.setCurrentRow(0)
            self.matches.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return super().eventFilter(watched, event)

    def _on_search_text_changed(self, text: str) -> None:
        found = reflections.find_names(self._store, self._info.workshop_id, text)
        self.matches.clear()
        names = [m.name for m in found]
        for match in found:
            shown = match.name
            if names.count(match.name) > 1 and match.organisation:
                shown = f"{match.name} ({match.organisation})"
            item = QListWidgetItem(shown)
            item.setData(Qt.ItemDataRole.UserRole, match.attendance_id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, shown)
            self.matches.addItem(item)
        if len(text.strip()) < reflections.MIN_SEARCH_LETTERS:
            message = "Type at least two letters."
        elif not found:
            message = "No names match. Check the spelling, or choose “I'm not on the list”."
        elif len(found) == 1:
            message = "One name matches. Press the Down arrow, then Enter, to choose it."
        else:
            message = f"{len(found)} names match. Press the Down arrow to choose yours."
        self.match_count.plain = message
        self.match_count.apply(self.look)
        self.status_changed.emit(message)

    def _on_search_return_pressed(self) -> None:
        if self.matches.count():
            self.matches.setCurrentRow(0)
            self.matches.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_matches_item_activated(self, item: QListWidgetItem) -> None:
        self.choose(int(item.data(Qt.ItemDataRole.UserRole)))

    def _on_not_listed_clicked(self) -> None:
        self._show(self.walk_in)

    def _on_walk_in_next_clicked(self) -> None:
        try:
            attendance_id = reflections.add_walk_in(
                self._store, self._info.workshop_id, self.walk_in_name.text()
            )
        except UserError as exc:
            self.walk_in_problem.plain = str(exc)
            self.walk_in_problem.apply(self.look)
            self.walk_in_name.setFocus()
            self.status_changed.emit(str(exc))
            return
        self.choose(attendance_id)

    def choose(self, attendance_id: int) -> None:
        """Someone picked their name (or added it)."""
        try:
            begun = reflections.start(self._store, attendance_id, self._info.phase)
        except AlreadySubmittedError as exc:
            self._notice(
                "Already sent",
                str(exc),
                [("Back to the start", "Clear the screen", self.flow_finished.emit)],
            )
            return
        except UserError as exc:
            self._notice("Sorry", str(exc), [("Back", "Back to the start", self.go_welcome)])
            return
        if begun.has_draft:
            self._notice(
                "You started this earlier",
                "Your answers from earlier are kept safely. To carry on where you left off, "
                "please ask the facilitator to type their PIN.",
                [
                    ("Back to the start", "This is not me", self.flow_finished.emit),
                    ("Ask for the PIN", "The facilitator types the PIN",
                     lambda: self._ask_for_draft(attendance_id)),
                ],
            )  # fmt: skip
            return
        self.attendance_id = attendance_id
        self._show(self.consent)

    def _ask_for_draft(self, attendance_id: int) -> None:
        notice = self.current()

        def check(pin: str) -> None:
            draft = reflections.resume_draft(self._store, attendance_id, self._info.phase, pin)
            self.attendance_id = attendance_id
            self.answers = dict(draft.answers)
            for index, screen in self._question_screens.items():
                key = self._info.questions[index].key
                if key in self.answers:
                    screen.set_value(self.answers[key])
            self.consent.hide()  # built now, so the consent boxes exist
            self.quote_box.setChecked(draft.consent_quote)
            self.contact_box.setChecked(draft.consent_contact)
            self._dirty = False

        self._ask_pin(
            "Carry on from earlier",
            "Facilitator: type your PIN to open this person's unfinished answers.",
            check,
            lambda: self._show(self.consent),
            lambda: self._show(notice),
        )

    # Choices ----------------------------------------------------------------------
    def _on_easier_button_clicked(self) -> None:
        self._return_to = self.current()
        self._show(self.easier)

    def _on_easier_done_clicked(self) -> None:
        self._show(self._return_to or self.welcome)

    def _on_choice_toggled(self, _checked: bool) -> None:
        self.look = Look(**{k: box.isChecked() for k, box in self.choice_boxes.items()})
        self.look_changed.emit(self.look)

    def apply_look(self, look: Look) -> None:
        for paragraph in self.findChildren(Paragraph):
            paragraph.apply(look)

    # Consent and questions --------------------------------------------------------
    def _on_consent_back_clicked(self) -> None:
        self.flow_finished.emit()

    def _on_consent_next_clicked(self) -> None:
        assert self.attendance_id is not None
        reflections.record_consent(
            self._store,
            self.attendance_id,
            quote=self.quote_box.isChecked(),
            contact=self.contact_box.isChecked(),
        )
        self._show(self.question(0))

    def _on_answer_changed(self, screen: QuestionScreen) -> None:
        self.answers[screen.question.key] = screen.value()
        self._dirty = True
        if not self._save_timer.isActive():
            self._save_timer.start()

    def _on_question_back(self, screen: QuestionScreen) -> None:
        index = screen.number - 1
        self._show(self.question(index - 1) if index else self.consent)

    def _on_question_next(self, screen: QuestionScreen) -> None:
        index = screen.number
        self._show(self.question(index) if index < len(self._info.questions) else self.review)

    def _fill_review(self) -> None:
        for (paragraph, _change), question in zip(
            self.review_rows, self._info.questions, strict=True
        ):
            shown = question.easy_read if self.look.easy_read else question.text
            answer = describe(question, self.answers.get(question.key))
            paragraph.plain = f"{shown}\n→ {answer}"
            paragraph.apply(self.look)

    # Saving -----------------------------------------------------------------------
    def save_now(self) -> None:
        """Save what has changed since the last save (a draft; nothing is sent)."""
        self._save_timer.stop()
        if not self._dirty or self.attendance_id is None:
            return
        reflections.save_draft(self._store, self.attendance_id, self._info.phase, self.answers)
        self._dirty = False

    def save_incomplete(self) -> None:
        """Keep what was written, marked unfinished, before the station clears."""
        self._save_timer.stop()
        if self.attendance_id is not None and any(
            v not in (None, "") for v in self.answers.values()
        ):
            reflections.mark_incomplete(
                self._store, self.attendance_id, self._info.phase, self.answers
            )
        self._dirty = False

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
            or bool(self.search.text())
            or (self._walk_in is not None and bool(self.walk_in_name.text()))
            or self.look != Look()
            or self.current() is not self.welcome
        )

    def _on_send_clicked(self) -> None:
        assert self.attendance_id is not None
        self._save_timer.stop()
        try:
            reflections.submit(self._store, self.attendance_id, self._info.phase, self.answers)
        except UserError as exc:
            self.submit_problem.plain = str(exc)
            self.submit_problem.apply(self.look)
            self.status_changed.emit(str(exc))
            return
        self._dirty = False
        self.reflection_submitted.emit()

    def _on_stop_button_clicked(self) -> None:
        back_to = self.current()
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
        self.save_incomplete()
        self.flow_finished.emit()

    def discard(self) -> None:
        """Stop timers before this flow is destroyed (its owner saved what mattered)."""
        self._save_timer.stop()
