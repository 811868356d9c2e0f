"""Admin dialogs for Settings > Data: the PIN, the retention preview and the audit log."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.dates import short_date, short_date_time
from amie_desktop.services import audit, organisation
from amie_desktop.services.privacy import RetentionPreview
from amie_desktop.store import Store
from amie_desktop.ui.dialogs import _FormDialog
from amie_desktop.ui.widgets.forms import buddy, pin_field
from amie_desktop.ui.widgets.text_table import TextTableModel, text_table


class PinDialog(_FormDialog):
    """Asks for the facilitator PIN before an admin action; wrong PINs are counted and logged."""

    def __init__(self, store: Store, action: str, parent: QWidget | None = None) -> None:
        super().__init__(
            "Facilitator PIN needed",
            f"{action} is for admins. Type the facilitator PIN to go on.",
            self._check,
            parent,
        )
        self._store = store
        self.pin = pin_field("Facilitator PIN")
        self.form.addRow(buddy("Facilitator &PIN", self.pin), self.pin)
        self.setMinimumWidth(420)

    def _check(self) -> None:
        organisation.verify_pin(self._store, self.pin.text(), actor="Settings > Data")

    @classmethod
    def ask(cls, store: Store, action: str, parent: QWidget | None = None) -> bool:
        return cls(store, action, parent).exec() == QDialog.DialogCode.Accepted


def confirm(parent: QWidget | None, title: str, text: str, yes: str) -> bool:
    """A yes/no question whose yes button says what will happen; No is the default."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    # Enter (and Esc) must never choose the destructive action: Cancel is default and focused.
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go


class _TableDialog(QDialog):
    def __init__(
        self, title: str, intro: str, headers: tuple[str, ...], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.model = TextTableModel(headers)
        self.table = text_table(title, self.model)
        self.buttons = QDialogButtonBox()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(820, 520)


class RetentionPreviewDialog(_TableDialog):
    """Shows exactly what a retention run would anonymise, before it runs."""

    def __init__(self, preview: RetentionPreview, parent: QWidget | None = None) -> None:
        super().__init__(
            "What would be anonymised",
            preview.summary(),
            ("Workshop date", "Workshop", "Person", "Written answers"),
            parent,
        )
        self.model.set_rows(
            [
                (short_date(i.workshop_date), i.workshop_title, i.person_name,
                 str(i.written_answers))
                for i in preview.items
            ]
        )  # fmt: skip
        self.run = self.buttons.addButton(
            "&Anonymise these now", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.run.setAccessibleName("Anonymise these now")
        self.run.setEnabled(bool(preview.items))
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        close.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    @classmethod
    def ask(cls, preview: RetentionPreview, parent: QWidget | None = None) -> bool:
        return cls(preview, parent).exec() == QDialog.DialogCode.Accepted


class AuditLogDialog(_TableDialog):
    """The audit log: exports, erasures, restores, wrong PINs and retention runs, newest first."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        entries = audit.recent(store, 1000)
        super().__init__(
            "Audit log",
            f"The newest {len(entries)} entries, newest first. Times are this computer's.",
            ("When", "What", "Who", "Details"),
            parent,
        )
        self.model.set_rows([(short_date_time(e.at), e.action, e.actor, e.detail) for e in entries])
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        self.buttons.rejected.connect(self.reject)

    @classmethod
    def ask(cls, store: Store, parent: QWidget | None = None) -> None:
        cls(store, parent).exec()
