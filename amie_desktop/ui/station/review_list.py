"""The facilitator's list of people to check from the reflection station: accept, merge, reject."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.services import review
from amie_desktop.services.errors import UserError
from amie_desktop.services.review import ReviewEntry
from amie_desktop.store import Store
from amie_desktop.ui.widgets.forms import buddy, error_label

# Asks a yes/no question whose yes button says what happens: (title, text, yes) -> yes?
Confirm = Callable[[str, str, str], bool]


def _confirm(parent: QWidget) -> Confirm:
    from amie_desktop.ui.settings.dialogs import confirm

    return lambda title, text, yes: confirm(parent, title, text, yes)


class ReviewList(QWidget):
    """People the station added or could not confirm, at one workshop."""

    review_changed = Signal(int)  # the workshop whose register changed

    def __init__(self, store: Store, confirm: Confirm | None = None) -> None:
        super().__init__()
        self.setAccessibleName("People to check from the reflection station")
        self._store = store
        self._confirm = confirm or _confirm(self)
        self._workshop_id: int | None = None
        self._entries: list[ReviewEntry] = []
        self.heading = QLabel("People to check from the reflection station")
        self.heading.setProperty("role", "subheading")
        self.intro = QLabel(
            "The station never marks anyone present by itself. Accept the people you know "
            "were here, merge a name someone added into the one on the register, or reject "
            "what is not right."
        )
        self.intro.setWordWrap(True)
        self.items = QListWidget()
        self.items.setAccessibleName("People to check")
        self.items.setAccessibleDescription("Choose someone, then Accept, Merge or Reject")
        self.items.setWordWrap(True)
        self.items.currentRowChanged.connect(self._on_items_current_row_changed)
        self.same_as = QComboBox()
        self.same_as.setAccessibleName("Same person as")
        self.same_as.setAccessibleDescription("The name on the register to merge into")
        self.accept_button = self._button("&Accept: was here", "Mark present")
        self.accept_button.clicked.connect(self._on_accept_button_clicked)
        self.merge_button = self._button("&Merge", "Move their answers to the chosen name")
        self.merge_button.clicked.connect(self._on_merge_button_clicked)
        self.reject_button = self._button("&Reject", "Remove what the station made")
        self.reject_button.clicked.connect(self._on_reject_button_clicked)
        self.problem = error_label()
        row = QHBoxLayout()
        row.addWidget(self.accept_button)
        row.addWidget(buddy("Same &person as", self.same_as))
        row.addWidget(self.same_as, 1)
        row.addWidget(self.merge_button)
        row.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.heading, self.intro, self.items):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        self.load(None)

    def _button(self, text: str, description: str) -> QPushButton:
        widget = QPushButton(text)
        widget.setAccessibleName(text.replace("&", ""))
        widget.setAccessibleDescription(description)
        return widget

    def load(self, workshop_id: int | None) -> None:
        """Show what waits at this workshop; the whole list hides when nothing does."""
        self._workshop_id = workshop_id
        self._entries = [] if workshop_id is None else review.open_items(self._store, workshop_id)
        self.items.clear()
        for entry in self._entries:
            item = QListWidgetItem(entry.describe())
            item.setData(Qt.ItemDataRole.AccessibleTextRole, entry.describe())
            self.items.addItem(item)
        self.setVisible(bool(self._entries))
        if self._entries:
            self.items.setCurrentRow(0)
        self._on_items_current_row_changed(self.items.currentRow())

    def entries(self) -> list[ReviewEntry]:
        return list(self._entries)

    def _selected(self) -> ReviewEntry | None:
        row = self.items.currentRow()
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def _on_items_current_row_changed(self, _row: int) -> None:
        entry = self._selected()
        self.same_as.clear()
        for candidate in entry.candidates if entry else ():
            detail = candidate.email or candidate.organisation
            self.same_as.addItem(
                f"{candidate.name} ({detail})" if detail else candidate.name,
                candidate.attendance_id,
            )
        for widget in (self.accept_button, self.reject_button):
            widget.setEnabled(entry is not None)
        can_merge = entry is not None and self.same_as.count() > 0
        self.same_as.setEnabled(can_merge)
        self.merge_button.setEnabled(can_merge)

    def _run(self, action: Callable[[ReviewEntry], None]) -> None:
        entry = self._selected()
        if entry is None or self._workshop_id is None:
            return
        try:
            action(entry)
        except UserError as exc:
            self.problem.setText(str(exc))
        else:
            self.problem.clear()
            self.review_changed.emit(self._workshop_id)
        self.load(self._workshop_id)

    def _on_accept_button_clicked(self) -> None:
        self._run(lambda entry: review.accept(self._store, entry.id))

    def _on_merge_button_clicked(self) -> None:
        into = self.same_as.currentData()
        if into is not None:
            self._run(lambda entry: review.merge(self._store, entry.id, int(into)))

    def _on_reject_button_clicked(self) -> None:
        def reject(entry: ReviewEntry) -> None:
            if self._confirm(
                "Reject",
                f"Remove {entry.name} as the station recorded them, with any reflection "
                "sent under this entry? This cannot be undone.",
                "Reject",
            ):
                review.reject(self._store, entry.id)

        self._run(reject)
