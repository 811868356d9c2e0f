"""The station's screens before the questions: welcome, walk-in, easier look, consent, notices.

Each screen is a small widget that shows what it is given and says what the attendee did
through its signals; AttendeeFlow (flow.py) decides what happens next and calls the services.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QClipboard, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.values import Phase
from amie_desktop.services import reflections
from amie_desktop.services.reflections import NameMatch
from amie_desktop.ui.station.themes import Look
from amie_desktop.ui.station.widgets import (
    ChoiceList,
    Paragraph,
    WrappingCheckBox,
    button,
    heading,
    scrolling,
)


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
        # Enter anywhere on the screen that nothing else takes (a tick box, a rating) presses it.
        self.default_button: QPushButton | None = None
        self.announcement = name

    def keyPressEvent(self, event: QKeyEvent) -> None:
        target = self.default_button
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and target is not None
            and target.isEnabled()
            and target.isVisibleTo(self)
        ):
            target.click()
            return
        super().keyPressEvent(event)

    def finish(self) -> None:
        self.body.addStretch(1)

    def add_way_on(self, back: QPushButton | None, go: QPushButton) -> None:
        """Back on the left and the way on at the right; Tab reaches the way on first."""
        if back is not None:
            self.buttons.addWidget(back)
        self.buttons.addStretch(1)
        self.buttons.addWidget(go)
        go.setDefault(True)
        self.default_button = go
        if back is not None:
            QWidget.setTabOrder(go, back)

    def focus_target(self) -> QWidget | None:
        if isinstance(self.first_focus, ChoiceList):
            return self.first_focus.tab_stop()
        return self.first_focus

    def has_input(self) -> bool:
        """Does the screen hold something typed (so an idle spell should warn first)?"""
        return False

    def forget_typing(self) -> None:
        """Leave no way back to what was typed here: no undo, no redo, no selection.

        The text stays (the same person may come back to it); only its history goes.
        """
        for line in self.findChildren(QLineEdit):
            if line.isUndoAvailable() or line.isRedoAvailable() or line.hasSelectedText():
                line.setText(line.text())  # setText clears the undo history and selection
        for box in self.findChildren(QPlainTextEdit):
            document = box.document()
            if document.isUndoAvailable() or document.isRedoAvailable():
                document.clearUndoRedoStacks()
            cursor = box.textCursor()
            if cursor.hasSelection():
                cursor.clearSelection()
                box.setTextCursor(cursor)
        forget_selection()


def forget_selection() -> None:
    """Empty X11's primary selection, which a middle click would paste."""
    clipboard = QGuiApplication.clipboard()
    if clipboard.supportsSelection():
        clipboard.clear(QClipboard.Mode.Selection)


class WelcomeScreen(Screen):
    """Find your name on the register, or say you are not on it."""

    search_edited = Signal(str)
    name_chosen = Signal(int, str)  # the attendance id of the name picked, and the name shown
    walk_in_chosen = Signal()

    def __init__(self, workshop_title: str, phase: Phase) -> None:
        super().__init__("Welcome")
        self.body.addWidget(heading("Welcome"))
        self.body.addWidget(
            Paragraph(
                f"Please tell us about your work {phase_words(phase)} "
                f"“{workshop_title}”. There are no right or wrong answers, and only "
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
        self.search.textChanged.connect(self.search_edited)
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
        self.not_listed.clicked.connect(self.walk_in_chosen)
        for widget in (label, self.search, self.match_count, self.matches):
            self.body.addWidget(widget)
        self.finish()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.not_listed)
        self.first_focus = self.search
        self.announcement = (
            f"Welcome. Reflection {phase_words(phase)} {workshop_title}. Find your name."
        )

    def has_input(self) -> bool:
        return bool(self.search.text())

    def show_matches(self, found: Sequence[NameMatch], typed: str, look: Look) -> str:
        """List the names found for what was typed; returns what a screen reader should say."""
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
        if len(typed.strip()) < reflections.MIN_SEARCH_LETTERS:
            message = "Type at least two letters."
        elif not found:
            message = "No names match. Check the spelling, or choose “I'm not on the list”."
        elif len(found) == 1:
            message = "One name matches. Press the Down arrow, then Enter, to choose it."
        else:
            message = f"{len(found)} names match. Press the Down arrow to choose yours."
        self.match_count.plain = message
        self.match_count.apply(look)
        return message

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and self.matches.count()
        ):
            self._on_search_return_pressed()
            return True
        return super().eventFilter(watched, event)

    def _on_search_return_pressed(self) -> None:
        if self.matches.count():
            self.matches.setCurrentRow(0)
            self.matches.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_matches_item_activated(self, item: QListWidgetItem) -> None:
        self.name_chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)), item.text())


class WalkInScreen(Screen):
    """Someone not on the register types their name."""

    name_given = Signal(str)
    back_pressed = Signal()

    def __init__(self) -> None:
        super().__init__("Add your name")
        self.body.addWidget(heading("Add your name"))
        self.body.addWidget(
            Paragraph("Type your name as you would like it to appear on your certificate.")
        )
        self.name = QLineEdit()
        self.name.setAccessibleName("Your name")
        self.name.setAccessibleDescription("Your name as you would like it on your certificate")
        self.name.setMaxLength(200)
        self.problem = Paragraph("", role="warning")
        self.body.addWidget(self.name)
        self.body.addWidget(self.problem)
        self.finish()
        back = button("Back", "Back", "Back to finding your name")
        back.clicked.connect(self.back_pressed)
        go = button("Add me", "Add me", "Add your name and carry on", primary=True)
        go.clicked.connect(self._on_go_clicked)
        self.add_way_on(back, go)
        self.first_focus = self.name

    def has_input(self) -> bool:
        return bool(self.name.text())

    def show_problem(self, text: str, look: Look) -> None:
        self.problem.plain = text
        self.problem.apply(look)
        self.name.setFocus()

    def _on_go_clicked(self) -> None:
        self.name_given.emit(self.name.text())


class EasierScreen(Screen):
    """ "Make this easier": larger text, high contrast, a dyslexia-friendly look, Easy Read."""

    look_changed = Signal(object)
    done_pressed = Signal()

    def __init__(self) -> None:
        super().__init__("Make this easier")
        self.body.addWidget(heading("Make this easier"))
        self.body.addWidget(
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
            self.body.addWidget(box)
        self.finish()
        done = button("Done", "Done", "Go back to where you were", primary=True)
        done.clicked.connect(self.done_pressed)
        self.add_way_on(None, done)
        self.first_focus = self.choice_boxes["larger_text"]

    def _on_choice_toggled(self, _checked: bool) -> None:
        self.look_changed.emit(
            Look(**{key: box.isChecked() for key, box in self.choice_boxes.items()})
        )


class ConsentScreen(Screen):
    """The two consent questions; an empty box means no."""

    next_pressed = Signal()
    back_pressed = Signal()

    def __init__(self) -> None:
        super().__init__("Your choices")
        self.body.addWidget(heading("Two questions first"))
        wording = reflections.CONSENT
        self.quote_box = WrappingCheckBox(
            "Yes, you may quote my words without my name", wording.quote
        )
        self.contact_box = WrappingCheckBox("Yes, you may contact me later", wording.contact)
        self.body.addWidget(Paragraph(wording.quote))
        self.body.addWidget(self.quote_box)
        self.body.addWidget(Paragraph(wording.contact))
        self.body.addWidget(self.contact_box)
        self.body.addWidget(
            Paragraph(
                "If you leave a box empty, the answer is no. You can change your mind at any "
                "time by telling the organisers.",
                role="muted",
            )
        )
        self.finish()
        back = button("Back", "Back", "Back to the start")
        back.clicked.connect(self.back_pressed)
        go = button("Next", "Next", "Go to the first question", primary=True)
        go.clicked.connect(self.next_pressed)
        self.add_way_on(back, go)
        self.first_focus = self.quote_box

    def set_choices(self, quote: bool, contact: bool) -> None:
        self.quote_box.setChecked(quote)
        self.contact_box.setChecked(contact)


# A button on a notice: (label, what it does for a screen reader, what happens).
NoticeAction = tuple[str, str, Callable[[], None]]


class NoticeScreen(Screen):
    """A message with its own buttons (built for each message; nothing is kept)."""

    def __init__(self, title: str, text: str, actions: Sequence[NoticeAction]) -> None:
        super().__init__(title)
        self.body.addWidget(heading(title))
        self.body.addWidget(Paragraph(text))
        self.finish()
        self.buttons.addStretch(1)
        for number, (label, description, action) in enumerate(actions):
            widget = button(label, label, description, primary=number == len(actions) - 1)
            widget.clicked.connect(action)
            self.buttons.addWidget(widget)
            self.first_focus = self.first_focus or widget
        self.announcement = f"{title}. {text}"


class IdentityScreen(Screen):
    """A name chosen before: the booking email shows it is theirs, or the facilitator does.

    The words are the same whatever that name's owner did before (sent, unfinished or only
    picked), so the screen tells nobody anything about another person.
    """

    email_given = Signal(str)
    facilitator_asked = Signal()
    not_me_pressed = Signal()
    back_pressed = Signal()

    def __init__(self, name: str) -> None:
        super().__init__("Check it is you")
        self.name_shown = name
        self.body.addWidget(heading("Check it is you"))
        self.body.addWidget(
            Paragraph(
                f"To keep everyone's answers private, please show that “{name}” is you: type "
                "the email address you booked with. If you did not book with an email, or "
                "cannot remember it, please ask the facilitator.",
                "To keep answers private, type the email you booked with. Or ask the facilitator.",
            )
        )
        label = QLabel("Your &email address")
        label.setProperty("role", "question")
        self.email = QLineEdit()
        self.email.setAccessibleName("Your email address")
        self.email.setAccessibleDescription("The email address you booked this workshop with")
        self.email.setMaxLength(320)
        self.email.setPlaceholderText("name@example.org")
        label.setBuddy(self.email)
        self.problem = Paragraph("", role="warning")
        for widget in (label, self.email, self.problem):
            self.body.addWidget(widget)
        not_me = button(
            "That's not me",
            "That's not me",
            "I have the same name as someone else: carry on as a different person",
        )
        not_me.clicked.connect(self.not_me_pressed)
        self.body.addWidget(not_me, 0, Qt.AlignmentFlag.AlignLeft)
        self.finish()
        back = button("Back", "Back", "Back to finding your name")
        back.clicked.connect(self.back_pressed)
        self.facilitator = button(
            "Ask the facilitator", "Ask the facilitator", "The facilitator types their PIN"
        )
        self.facilitator.clicked.connect(self.facilitator_asked)
        self.go = button("Check", "Check", "Check the email address and carry on", primary=True)
        self.go.clicked.connect(self._on_go_clicked)
        self.buttons.addWidget(back)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.facilitator)
        self.buttons.addWidget(self.go)
        QWidget.setTabOrder(self.email, self.go)
        QWidget.setTabOrder(self.go, self.facilitator)
        QWidget.setTabOrder(self.facilitator, not_me)
        QWidget.setTabOrder(not_me, back)
        self.default_button = self.go
        self.first_focus = self.email
        self.announcement = f"Check it is you. Type the email address you booked with for {name}."

    def has_input(self) -> bool:
        return bool(self.email.text())

    def _on_go_clicked(self) -> None:
        if self.email.isEnabled():
            self.email_given.emit(self.email.text())

    def show_problem(self, text: str, look: Look, *, give_up: bool) -> None:
        """Say the address did not match; after too many tries only the facilitator helps."""
        self.problem.plain = text
        self.problem.apply(look)
        self.email.setText("")
        if give_up:
            self.email.setEnabled(False)
            self.go.setEnabled(False)
            self.default_button = self.facilitator
            self.first_focus = self.facilitator
            self.facilitator.setFocus()
        else:
            self.email.setFocus()
