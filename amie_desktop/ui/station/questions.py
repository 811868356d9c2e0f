"""The station's question screens, one question each, and the screen to check and send."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton

from amie_desktop.domain.content import Question, QuestionKind
from amie_desktop.domain.heard import PRINCIPLES, Principle
from amie_desktop.services.reflections import AnswerValue
from amie_desktop.ui.station.screens import Screen
from amie_desktop.ui.station.themes import Look
from amie_desktop.ui.station.widgets import ChoiceList, Paragraph, button, heading

MAX_TEXT = 4000
# The room left in a text answer is shown once fewer characters than this are left.
ROOM_SHOWN_BELOW = 500


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
    """One question: a rating, a principle to choose, or words."""

    answer_changed = Signal()
    next_pressed = Signal()
    back_pressed = Signal()

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
            self.answer.textChanged.connect(self.answer_changed)
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
        if isinstance(self.answer, ChoiceList):
            self.answer.chosen.connect(lambda _value: self.answer_changed.emit())
            self.answer.chosen_by_number.connect(self.next_pressed)
        self.body.addWidget(self.answer)
        if isinstance(self.answer, PlainTextAnswer):
            self.body.addWidget(self.answer.room)
        self.finish()
        back = button("Back", "Back", "The screen before")
        back.clicked.connect(self.back_pressed)
        text = "Check my answers" if number == total else "Next"
        self.go = button(text, text, "Go on to the next screen", primary=True)
        self.go.clicked.connect(self.next_pressed)
        self.add_way_on(back, self.go)
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


class ReviewScreen(Screen):
    """Every answer, each with a Change button, and Send."""

    change_requested = Signal(int)  # the index of the question to go back to
    back_pressed = Signal()
    send_pressed = Signal()

    def __init__(self, questions: Sequence[Question]) -> None:
        super().__init__("Check your answers")
        self._questions = tuple(questions)
        self.body.addWidget(heading("Check your answers"))
        self.body.addWidget(
            Paragraph("Press Change to go back to a question. Press Send when you are happy.")
        )
        self.rows: list[tuple[Paragraph, QPushButton]] = []
        for number, question in enumerate(questions, start=1):
            answer = Paragraph("")
            change = button("Change", f"Change your answer to question {number}", question.text)
            change.clicked.connect(lambda _=False, n=number - 1: self.change_requested.emit(n))
            row = QHBoxLayout()
            row.addWidget(answer, 1)
            row.addWidget(change, 0, Qt.AlignmentFlag.AlignTop)
            self.body.addLayout(row)
            self.rows.append((answer, change))
        self.problem = Paragraph("", role="warning")
        self.body.addWidget(self.problem)
        self.finish()
        back = button("Back", "Back", "The last question")
        back.clicked.connect(self.back_pressed)
        self.send_button = button(
            "Send my answers", "Send my answers", "Send your reflection", primary=True
        )
        self.send_button.clicked.connect(self.send_pressed)
        self.add_way_on(back, self.send_button)
        self.first_focus = self.send_button

    def fill(self, answers: Mapping[str, AnswerValue], look: Look) -> None:
        for (paragraph, _change), question in zip(self.rows, self._questions, strict=True):
            shown = question.easy_read if look.easy_read else question.text
            paragraph.plain = f"{shown}\n→ {describe(question, answers.get(question.key))}"
            paragraph.apply(look)

    def show_problem(self, text: str, look: Look) -> None:
        self.problem.plain = text
        self.problem.apply(look)
