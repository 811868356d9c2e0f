"""Dialogs for planning: a new workshop from a template, and a copy of an earlier workshop."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QComboBox, QCompleter, QDialog, QLabel, QLineEdit, QWidget

from amie_desktop.services import templates, workshops
from amie_desktop.store import Store
from amie_desktop.ui.dialogs import _FormDialog
from amie_desktop.ui.widgets.date_field import DateField, from_qdate, to_qdate
from amie_desktop.ui.widgets.forms import buddy
from amie_desktop.ui.widgets.time_field import TimeField
from amie_desktop.ui.workshops.agenda import duration
from amie_desktop.ui.workshops.details import from_qtime

# Offered first: the full introduction, which is where a new organisation starts.
FIRST_TEMPLATE = f"{templates.BUILTIN}introduction-to-heard"


def _date_field(value: date, today: date | None = None) -> DateField:
    """A date field; "tomorrow" and a date without a year are read from today."""
    return DateField(to_qdate(value), today=(lambda: today) if today else date.today)


class NewWorkshopDialog(_FormDialog):
    """Choose a template, a title, a date and a start time; the workshop gets its own steps."""

    def __init__(self, store: Store, today: date, parent: QWidget | None = None) -> None:
        super().__init__(
            "Plan a new workshop",
            "Start from a template. The workshop keeps its own copy of the agenda, so you can "
            "change it freely; the template stays as it is.",
            self._create,
            parent,
        )
        self._store = store
        self.created_id: int | None = None
        self.template = QComboBox()
        for summary in templates.list_templates(store):
            mark = "" if summary.builtin else " (yours)"
            self.template.addItem(
                f"{summary.title}{mark} – {duration(summary.minutes)}", summary.key
            )
        self.template.currentIndexChanged.connect(self._on_template_current_index_changed)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.title = QLineEdit()
        self.title.setMaxLength(200)
        self.date = _date_field(today, today)
        self.start = TimeField(QTime(9, 30))
        self.venue = QLineEdit()
        self.venue.setMaxLength(200)
        # People who facilitated before are offered as a name is typed.
        self.facilitators = QLineEdit()
        self.facilitators.setMaxLength(400)
        self.facilitators.setPlaceholderText("Names, separated by commas")
        known = workshops.facilitator_names(store)
        completer = QCompleter(known, self.facilitators)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.facilitators.setCompleter(completer)
        if len(known) == 1:  # a trainer working alone is filled in
            self.facilitators.setText(known[0])
        self.form.addRow(buddy("&Template", self.template), self.template)
        self.form.addRow("", self.summary)
        self.form.addRow(buddy("T&itle", self.title), self.title)
        self.form.addRow(buddy("&Date", self.date), self.date)
        self.form.addRow(buddy("&Starts at", self.start), self.start)
        self.form.addRow(buddy("&Venue", self.venue), self.venue)
        self.form.addRow(buddy("&Facilitators", self.facilitators), self.facilitators)
        self.template.setCurrentIndex(max(0, self.template.findData(FIRST_TEMPLATE)))
        self._on_template_current_index_changed(self.template.currentIndex())

    def _on_template_current_index_changed(self, _index: int) -> None:
        key = self.template.currentData()
        if key is None:
            return
        content = templates.template_content(self._store, key)
        self.summary.setText(content.summary or f"{len(content.steps)} steps.")
        self.title.setPlaceholderText(content.title)

    def _create(self) -> None:
        content = templates.template_content(self._store, self.template.currentData())
        self.created_id = workshops.create_from_template(
            self._store,
            content,
            title=self.title.text() or content.title,
            on=from_qdate(self.date.checked_date()),
            start=from_qtime(self.start.checked_time()),
            venue=self.venue.text(),
            facilitators=tuple(
                name.strip() for name in self.facilitators.text().split(",") if name.strip()
            ),
        )

    @classmethod
    def ask(
        cls, store: Store, parent: QWidget | None = None, *, today: date | None = None
    ) -> int | None:
        """The new workshop's id, or None if the trainer cancelled; it starts on today (this
        computer's date unless the window's clock says otherwise)."""
        dialog = cls(store, today or date.today(), parent)
        return dialog.created_id if dialog.exec() == QDialog.DialogCode.Accepted else None


class DuplicateDialog(_FormDialog):
    """A copy of an earlier workshop on a new date: same details and agenda, empty register."""

    def __init__(
        self,
        store: Store,
        workshop_id: int,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        detail = workshops.get_workshop(store, workshop_id)
        super().__init__(
            "Duplicate a workshop",
            f"Plan “{detail.row.title}” again: same details and agenda, nobody registered yet.",
            self._duplicate,
            parent,
        )
        self._store = store
        self._workshop_id = workshop_id
        self.created_id: int | None = None
        self.title = QLineEdit(detail.row.title)
        self.title.setMaxLength(200)
        # A week on from the original (and never in the past), so the twin never shares its day.
        start = max(today or date.today(), detail.row.date + timedelta(days=7))
        self.date = _date_field(start, today)
        self.form.addRow(buddy("T&itle", self.title), self.title)
        self.form.addRow(buddy("&Date", self.date), self.date)

    def _duplicate(self) -> None:
        self.created_id = workshops.duplicate_workshop(
            self._store, self._workshop_id, from_qdate(self.date.checked_date()), self.title.text()
        )

    @classmethod
    def ask(
        cls,
        store: Store,
        workshop_id: int,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> int | None:
        dialog = cls(store, workshop_id, parent, today=today)
        return dialog.created_id if dialog.exec() == QDialog.DialogCode.Accepted else None
