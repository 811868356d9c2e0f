"""Dialogs: first-run set-up and changing the PIN. Each opens through ask() so tests never block."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from amie_desktop import APP_NAME
from amie_desktop.services import organisation
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from amie_desktop.ui.widgets.forms import buddy, error_label, form_layout, pin_field


class _FormDialog(QDialog):
    """A dialog with a form, a problem line and OK/Cancel; OK calls save, which may refuse."""

    def __init__(
        self, title: str, intro: str, save: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.form = form_layout()
        self.problem = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        for button in self.buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self._focus_arranged = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._focus_arranged:
            self._focus_arranged = True
            self._arrange_focus()

    def _arrange_focus(self) -> None:
        """Tab goes through the fields in the order shown, then OK and Cancel; the dialog opens
        with the first field focused, so typing never goes nowhere and Space never presses OK."""
        chain = [field for field in self.fields() if field.focusPolicy() & Qt.FocusPolicy.TabFocus]
        chain += self.buttons.buttons()
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        if chain:
            chain[0].setFocus(Qt.FocusReason.TabFocusReason)

    def fields(self) -> list[QWidget]:
        """The form's fields, top to bottom (the widgets beside the labels)."""
        found = []
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if widget is not None and widget.isEnabled():
                found.append(widget)
        return found

    def _on_buttons_accepted(self) -> None:
        try:
            self._save()
        except UserError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()


class SetupDialog(_FormDialog):
    """First run: the organisation's name and the facilitator PIN, typed twice."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Welcome to {APP_NAME}",
            "Before you start, tell us who runs these workshops and choose a facilitator PIN. "
            "The PIN guards the reflection station and admin actions, so attendees cannot "
            "leave the station or see other people's answers. Use at least 4 digits.",
            self._set_up,
            parent,
        )
        self._store = store
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.pin = pin_field("Facilitator PIN")
        self.repeat = pin_field("Type the PIN again")
        self.form.addRow(buddy("Organisation &name", self.name), self.name)
        self.form.addRow(buddy("Facilitator &PIN", self.pin), self.pin)
        self.form.addRow(buddy("PIN &again", self.repeat), self.repeat)

    def _set_up(self) -> None:
        organisation.set_up(self._store, self.name.text(), self.pin.text(), self.repeat.text())

    @classmethod
    def ask(cls, store: Store, parent: QWidget | None = None) -> bool:
        return cls(store, parent).exec() == QDialog.DialogCode.Accepted


class ChangePinDialog(_FormDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(
            "Change the facilitator PIN",
            "Type the PIN you use now, then the new one twice.",
            self._change,
            parent,
        )
        self._store = store
        self.current = pin_field("Current PIN")
        self.new = pin_field("New PIN")
        self.repeat = pin_field("New PIN again")
        self.form.addRow(buddy("&Current PIN", self.current), self.current)
        self.form.addRow(buddy("&New PIN", self.new), self.new)
        self.form.addRow(buddy("New PIN &again", self.repeat), self.repeat)

    def _change(self) -> None:
        organisation.change_pin(
            self._store, self.current.text(), self.new.text(), self.repeat.text()
        )

    @classmethod
    def ask(cls, store: Store, parent: QWidget | None = None) -> bool:
        return cls(store, parent).exec() == QDialog.DialogCode.Accepted
