"""The register tab: who is booked, walk-ins in two keystrokes, attendance and consents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.clock import Clock, local_today, system_clock
from amie_desktop.domain.dates import short_date
from amie_desktop.domain.text import counted, fold
from amie_desktop.domain.values import AttendanceStatus
from amie_desktop.services import register, workshops
from amie_desktop.services.errors import UserError
from amie_desktop.services.register import PersonRow, RegisterRow
from amie_desktop.store import Store
from amie_desktop.ui.widgets import questions
from amie_desktop.ui.widgets.forms import buddy, error_label
from amie_desktop.ui.widgets.table_model import RowsTableModel
from amie_desktop.ui.widgets.time_field import TimeField

if TYPE_CHECKING:
    from amie_desktop.services.register_import import ImportPlan

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Name", "Email", "Organisation", "Status", "Signed in", "May quote", "May contact")
QUOTE, CONTACT = 5, 6


class RegisterModel(RowsTableModel[RegisterRow]):
    """The register's rows; ticking a consent box saves it at once."""

    consent_toggled = Signal(int, int, bool)  # row, column, ticked

    def __init__(self) -> None:
        super().__init__(COLUMNS)
        self._rows: list[RegisterRow] = []

    def set_rows(self, rows: list[RegisterRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> RegisterRow:
        return self._rows[row]

    def replace_row(self, updated: RegisterRow) -> None:
        for number, row in enumerate(self._rows):
            if row.attendance_id == updated.attendance_id:
                self._rows[number] = updated
                self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column in (QUOTE, CONTACT):
            ticked = row.consent_quote if column == QUOTE else row.consent_contact
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DisplayRole:
                return "Yes" if ticked else "No"
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        status = row.status.value.capitalize() + (" (walk-in)" if row.walk_in else "")
        signed = row.signed_in_at.astimezone().strftime("%H:%M") if row.signed_in_at else ""
        values = (row.name, row.person.email, row.person.organisation, status, signed)
        return values[column]

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (QUOTE, CONTACT):
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() not in (QUOTE, CONTACT):
            return False
        ticked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        self.consent_toggled.emit(index.row(), index.column(), ticked)
        return True


class RegisterView(QTableView):
    """Space marks the chosen person attended (or back to booked); A marks them absent."""

    status_requested = Signal(object)  # AttendanceStatus, or None to toggle attended/booked

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and self.currentIndex().column() not in (QUOTE, CONTACT):
            self.status_requested.emit(None)
        else:
            super().keyPressEvent(event)


class RegisterTab(QWidget):
    def __init__(
        self, store: Store, parent: QWidget | None = None, *, clock: Clock = system_clock
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self._workshop_id: int | None = None
        self._workshop_date: date | None = None
        self._chosen: PersonRow | None = None  # picked from the suggestions, not typed anew
        self.model = RegisterModel()
        self.model.consent_toggled.connect(self._on_model_consent_toggled)

        self.walk_in = QLineEdit()
        self.walk_in.setPlaceholderText("Type a name and press Enter: marked here now")
        self.walk_in.setMaxLength(register.MAX_NAME)
        self.walk_in.returnPressed.connect(self._on_walk_in_return_pressed)
        walk_in_label = buddy("&Walk-in", self.walk_in)
        walk_in_label.setToolTip("Alt+W, type the name, Enter")

        self.view = RegisterView()
        self.view.setAccessibleName("Register")
        self.view.setAccessibleDescription(
            "Space marks the chosen person attended or back to booked. Tick the consent boxes "
            "with Space in those columns."
        )
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.status_requested.connect(self._on_view_status_requested)

        self.attended_button = self._button("Mark a&ttended", AttendanceStatus.ATTENDED)
        self.absent_button = self._button("Mark a&bsent", AttendanceStatus.ABSENT)
        self.booked_button = self._button("Mark boo&ked", AttendanceStatus.BOOKED)
        self.book_button = QPushButton("Book &someone in…")
        self.book_button.setAccessibleName("Book someone in")
        self.book_button.setCheckable(True)
        self.book_button.setToolTip("Show the form for adding someone with their details")
        self.book_button.toggled.connect(self._on_book_button_toggled)
        self.import_button = QPushButton("&Import CSV…")
        self.import_button.setAccessibleName("Import a register from a CSV file")
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.summary = QLabel()
        self.summary.setAccessibleName("Register summary")
        self.summary.setWordWrap(True)
        self.problem = error_label()
        # What the last import into this workshop did, and the rows it left out, for as long
        # as the app is open: reachable after the import's preview has closed.
        self._imports: dict[int, tuple[ImportPlan, str]] = {}
        self.import_result = QLabel()
        self.import_result.setAccessibleName("What the import did")
        self.import_result.setWordWrap(True)
        self.rejected_button = QPushButton("Show rows &not imported…")
        self.rejected_button.setAccessibleName("Show the rows not imported")
        self.rejected_button.setToolTip("Read, copy or save the rows left out, to fix them")
        self.rejected_button.clicked.connect(self._on_rejected_button_clicked)
        self.import_bar = QWidget()
        import_row = QHBoxLayout(self.import_bar)
        import_row.setContentsMargins(0, 0, 0, 0)
        import_row.addWidget(self.import_result, 1)
        import_row.addWidget(self.rejected_button, 0, Qt.AlignmentFlag.AlignTop)
        self.import_bar.hide()

        self.name = QLineEdit()
        self.name.setMaxLength(register.MAX_NAME)
        self.email = QLineEdit()
        self.email.setMaxLength(register.MAX_EMAIL)
        self.organisation = QLineEdit()
        self.organisation.setMaxLength(200)
        self.role = QLineEdit()
        self.role.setMaxLength(200)
        # Known people are offered as the name is typed, so nobody becomes two people.
        self.known = QListWidget()
        self.known.setAccessibleName("People already in your records")
        self.known.setAccessibleDescription(
            "Down from the name moves here; press Enter on a person to book them in"
        )
        self.known.itemActivated.connect(self._on_known_item_activated)
        self.known.installEventFilter(self)
        self.known.hide()
        self.name.installEventFilter(self)
        self.name.textEdited.connect(self._on_name_text_edited)
        self.signed_in = TimeField()
        self.signed_in.problem_found.connect(self._show_problem)
        self.signed_in.setAccessibleName("Signed in at")
        self.set_time_button = QPushButton("Set sign-in time")
        self.set_time_button.setAccessibleName("Set sign-in time")
        self.set_time_button.setToolTip("For someone who signed a paper sheet: marks them here")
        self.set_time_button.clicked.connect(self._on_set_time_button_clicked)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.remove_button = QPushButton("Remove from register")
        self.remove_button.setAccessibleName("Remove from register")
        self.remove_button.setToolTip("For someone added by mistake; they stay in your records")
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.add_button = QPushButton("Add &person")
        self.add_button.setAccessibleName("Add person to the register")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        for field in (self.name, self.email, self.organisation, self.role):
            field.returnPressed.connect(self._on_add_button_clicked)
        self.add_box = QGroupBox("Book someone in")
        add_form = QGridLayout(self.add_box)
        for number, (text, field) in enumerate(
            (("Na&me", self.name), ("&Email", self.email),
             ("&Organisation", self.organisation), ("Ro&le", self.role))
        ):  # fmt: skip
            add_form.addWidget(buddy(text, field), number // 2, (number % 2) * 2)
            add_form.addWidget(field, number // 2, (number % 2) * 2 + 1)
        add_form.setColumnStretch(1, 1)
        add_form.setColumnStretch(3, 1)
        add_form.addWidget(self.add_button, 1, 4)
        add_form.addWidget(self.known, 2, 1, 1, 3)

        walk_in_row = QHBoxLayout()
        walk_in_row.addWidget(walk_in_label)
        walk_in_row.addWidget(self.walk_in, 1)
        walk_in_row.addWidget(self.book_button)
        walk_in_row.addWidget(self.import_button)
        buttons = QGridLayout()
        for number, button in enumerate(
            (self.attended_button, self.absent_button, self.booked_button, self.remove_button)
        ):
            buttons.addWidget(button, 0, number)
        time_row = QHBoxLayout()
        time_row.addWidget(self.summary, 1)
        time_row.addWidget(buddy("Signed in at", self.signed_in))
        time_row.addWidget(self.signed_in)
        time_row.addWidget(self.set_time_button)
        left = QVBoxLayout()
        left.addLayout(walk_in_row)
        left.addWidget(self.import_bar)
        left.addWidget(self.view, 1)
        left.addLayout(buttons)
        left.addLayout(time_row)
        left.addWidget(self.problem)
        left.addWidget(self.add_box)
        self.add_box.hide()
        self.problem.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left)
        self.setFocusProxy(self.walk_in)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_columns()  # the columns measured at the old size cut words short

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down from the name goes into the suggestions (as in the station); Up from the first
        suggestion comes back to the name."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.name and key == Qt.Key.Key_Down and self.known.isVisible():
                self.known.setFocus(Qt.FocusReason.OtherFocusReason)
                self.known.setCurrentRow(0)
                return True
            if watched is self.known and key == Qt.Key.Key_Up and self.known.currentRow() <= 0:
                self.name.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if watched is self.known and key == Qt.Key.Key_Escape:
                self.known.hide()
                self.name.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)

    def _button(self, text: str, status: AttendanceStatus) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
        button.clicked.connect(lambda: self._on_view_status_requested(status))
        return button

    # Loading ---------------------------------------------------------------------------
    def load(self, workshop_id: int | None) -> None:
        self._workshop_id = workshop_id
        self._workshop_date = (
            workshops.get_workshop(self._store, workshop_id).row.date if workshop_id else None
        )
        self._show_problem("")
        self.setEnabled(workshop_id is not None)
        self._show_import()
        self._reload()
        # Nobody booked yet (a workshop just planned): the booking form is what to do first,
        # open and where the focus goes; otherwise the walk-in line, for the day itself.
        empty = workshop_id is not None and self.model.rowCount() == 0
        blocked = self.book_button.blockSignals(True)
        self.book_button.setChecked(empty)
        self.book_button.blockSignals(blocked)
        self.add_box.setVisible(empty)
        self.setFocusProxy(self.name if empty else self.walk_in)

    def _reload(self, select_attendance: int | None = None) -> None:
        rows = register.list_register(self._store, self._workshop_id) if self._workshop_id else []
        self.model.set_rows(rows)
        self._fit_columns()
        booked = len(rows)
        came = sum(1 for r in rows if r.status is AttendanceStatus.ATTENDED)
        walk_ins = sum(1 for r in rows if r.walk_in)
        self.summary.setText(
            f"{booked} on the register, {came} here, {counted(walk_ins, 'walk-in', 'walk-ins')}"
        )
        for number, row in enumerate(rows):
            if row.attendance_id == select_attendance:
                self.view.selectRow(number)
                self.view.scrollTo(self.model.index(number, 0))

    def _fit_columns(self) -> None:
        """Columns as wide as what they hold, names, emails and organisations up to about 30
        characters each (the rest can be widened by dragging)."""
        widest = self.view.fontMetrics().averageCharWidth() * 30 + 16
        for column in range(len(COLUMNS)):
            self.view.resizeColumnToContents(column)
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), widest))

    def _selected(self) -> RegisterRow | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _on_book_button_toggled(self, shown: bool) -> None:
        self.add_box.setVisible(shown)
        if shown:
            self.name.setFocus()

    def _show_problem(self, text: str) -> None:
        if self.problem.property("role") != "warning":
            self.problem.setProperty("role", "warning")
            self.problem.style().polish(self.problem)
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _run(self, action: Callable[[], RegisterRow | None]) -> RegisterRow | None:
        try:
            row: RegisterRow | None = action()
        except UserError as exc:
            self._show_problem(str(exc))
            return None
        self._show_problem("")
        return row

    # Actions ---------------------------------------------------------------------------
    def _on_walk_in_return_pressed(self) -> None:
        workshop_id, day, name = self._workshop_id, self._workshop_date, self.walk_in.text()
        if workshop_id is None or not name.strip():
            return
        here = True
        if day is not None and day > local_today(self._clock):
            # Marking someone here at a workshop that has not happened would be a false record.
            answer = questions.choose(
                self,
                "Not today's workshop",
                f"This workshop is on {short_date(day)}, not today. "
                f"Book {name.strip()} in, or mark them here now?",
                [("book", "&Book them in"), ("here", "&Mark here now")],
            )
            if answer is None:
                return
            here = answer == "here"
        if self._book(partial(register.add_person, self._store, workshop_id, name, walk_in=here)):
            self.walk_in.clear()

    def _book(self, action: Callable[[], RegisterRow]) -> RegisterRow | None:
        """Book someone in; someone already on the register is pointed out, not refused."""
        already = {self.model.row_at(n).attendance_id for n in range(self.model.rowCount())}
        row = self._run(action)
        if row is None:
            return None
        self._reload(row.attendance_id)
        if row.attendance_id in already:
            self._show_note(f"{row.name} is already on the register: now {row.status.value}.")
        return row

    def _show_note(self, text: str) -> None:
        self.problem.setProperty("role", "note")
        self.problem.style().polish(self.problem)
        self.problem.setText(text)
        self.problem.setVisible(True)

    def _on_name_text_edited(self, text: str) -> None:
        self._chosen = None
        found = register.search_people(self._store, text, limit=6) if len(text.strip()) >= 2 else []
        self.known.clear()
        for person in found:
            item = QListWidgetItem(_known_label(person))
            item.setData(Qt.ItemDataRole.UserRole, person)
            self.known.addItem(item)
        self.known.setVisible(bool(found))
        if found:
            rows = min(len(found), 4)
            self.known.setFixedHeight(self.known.sizeHintForRow(0) * rows + 6)

    def _on_known_item_activated(self, item: QListWidgetItem) -> None:
        person: PersonRow = item.data(Qt.ItemDataRole.UserRole)
        self.known.hide()
        self.name.setText(person.name)
        self.email.setText(person.email)
        self.organisation.setText(person.organisation)
        self.role.setText(person.role)
        self._chosen = person
        self._on_add_button_clicked()

    def _on_view_current_row_changed(self, current: QModelIndex, _old: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        when = (row.signed_in_at if row and row.signed_in_at else self._clock()).astimezone()
        self.signed_in.setTime(QTime(when.hour, when.minute))

    def _on_set_time_button_clicked(self) -> None:
        chosen, day = self._selected(), self._workshop_date
        if chosen is None or day is None:
            return
        try:
            typed = self.signed_in.checked_time()
        except UserError as exc:
            self._show_problem(str(exc))
            return
        # The time is typed in local time on the workshop's day; it is kept in UTC.
        local = datetime.combine(day, time(typed.hour(), typed.minute())).astimezone()
        attendance_id = chosen.attendance_id
        row = self._run(
            lambda: register.set_signed_in_at(self._store, attendance_id, local.astimezone(UTC))
        )
        if row is not None:
            self._reload(row.attendance_id)

    def _on_remove_button_clicked(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        attendance_id = chosen.attendance_id
        self._run(lambda: register.remove_from_register(self._store, attendance_id))
        self._reload()

    def _on_add_button_clicked(self) -> None:
        workshop_id = self._workshop_id
        if workshop_id is None:
            return
        fields = (self.name.text(), self.email.text(), self.organisation.text(), self.role.text())
        answer = self._chosen or self._ask_about_namesakes(fields[0], fields[1])
        if answer is None:
            return
        action: Callable[[], RegisterRow] = (
            partial(register.book_person, self._store, workshop_id, answer.id)
            if isinstance(answer, PersonRow)
            else partial(register.add_person, self._store, workshop_id, *fields, as_new=True)
        )
        if self._book(action) is not None:
            for field in (self.name, self.email, self.organisation, self.role):
                field.clear()
            self._chosen = None
            self.known.hide()
            self.name.setFocus()

    def _ask_about_namesakes(self, name: str, email: str) -> PersonRow | str | None:
        """Someone in the records with the same name or email, if the trainer says it is them;
        "new" for a new person; None to go back and look again."""
        if register.name_problem(name) or register.email_problem(email):
            return "new"  # the service gives the reason
        similar = register.similar_people(self._store, name, email)
        if not similar:
            return "new"
        person = similar[0]
        same_email = bool(email.strip()) and register.normalise_email(email) == (
            register.normalise_email(person.email)
        )
        if same_email and fold(person.name) == fold(name):
            return person  # exactly who was typed: nothing to ask
        answers = [("known", f"&Book {person.name}")]
        if not same_email:  # an email address belongs to one person only
            answers.append(("new", "&Add a new person"))
        why = "the same email address" if same_email else "the same name"
        answer = questions.choose(
            self,
            "Already in your records?",
            f"{_known_label(person)} is in your records with {why}. "
            f"Book them in, or add {name.strip()} as someone new?"
            if not same_email
            else f"{email.strip()} belongs to {_known_label(person)}. Book them in?",
            answers,
        )
        if answer == "known":
            return person
        return answer

    def _on_view_status_requested(self, status: AttendanceStatus | None) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        if status is None:
            here = chosen.status is AttendanceStatus.ATTENDED
            status = AttendanceStatus.BOOKED if here else AttendanceStatus.ATTENDED
        new = status
        row = self._run(lambda: register.mark(self._store, chosen.attendance_id, new))
        if row is not None:
            self._reload(row.attendance_id)

    def _on_model_consent_toggled(self, number: int, column: int, ticked: bool) -> None:
        chosen = self.model.row_at(number)
        if column == QUOTE:
            row = self._run(
                lambda: register.set_consents(self._store, chosen.attendance_id, quote=ticked)
            )
        else:
            row = self._run(
                lambda: register.set_consents(self._store, chosen.attendance_id, contact=ticked)
            )
        if row is not None:
            self.model.replace_row(row)

    def _on_import_button_clicked(self) -> None:
        if self._workshop_id is None:
            return
        path = choose_csv(self)
        if path is None:
            return
        # The import's modules load when a file is first chosen, not while the window starts.
        from amie_desktop.services import register_import
        from amie_desktop.ui.workshops.import_dialog import ImportPreviewDialog

        try:
            source = register_import.read_csv_file(path)
        except UserError as exc:
            self._show_problem(str(exc))
            return
        plan = ImportPreviewDialog.ask(self._store, self._workshop_id, source, path.name, self)
        if plan is not None:
            self._show_problem("")
            self._imports[plan.workshop_id] = (plan, path.name)
            self._show_import()
            self._reload()

    def _show_import(self) -> None:
        """The last import into this workshop: what it did, and a way to the rows left out."""
        found = self._imports.get(self._workshop_id) if self._workshop_id else None
        self.import_bar.setVisible(found is not None)
        if found is None:
            return
        plan, file_name = found
        self.import_result.setText(f"{file_name}: {plan.summary()}")
        self.rejected_button.setVisible(bool(plan.rejects))
        self.rejected_button.setText(
            f"Show {counted(len(plan.rejects), 'row', 'rows')} &not imported…"
        )

    def _on_rejected_button_clicked(self) -> None:
        found = self._imports.get(self._workshop_id) if self._workshop_id else None
        if found is None:
            return
        from amie_desktop.ui.workshops.rejected import RejectedRowsDialog

        RejectedRowsDialog.ask(*found, parent=self)


def _known_label(person: PersonRow) -> str:
    details = ", ".join(part for part in (person.email, person.organisation) if part)
    return f"{person.name} ({details})" if details else person.name


def choose_csv(parent: QWidget) -> Path | None:
    """Ask for a CSV file; None if the trainer cancels."""
    name, _ = QFileDialog.getOpenFileName(
        parent,
        "Import a register",
        str(Path.home()),
        "Registers (*.csv *.txt *.tsv);;All files (*)",
    )
    return Path(name) if name else None
