"""The "Check a certificate" dialog: is a check code genuine, and for whom, what and when."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.services import certificates
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from amie_desktop.ui.widgets.forms import buddy


class CheckCertificateDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.setWindowTitle("Check a certificate")
        self.setAccessibleName("Check a certificate")
        intro = QLabel(
            "Paste the text the certificate's QR code gives: it proves itself with the "
            "organisation's key. Or type the check code printed on it (like 7QK2M-XD4RA), "
            "which is looked up in this computer's records."
        )
        intro.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setMaxLength(2000)  # a QR code's text is up to about 320 letters
        self.code.returnPressed.connect(self._on_check_clicked)
        self.check = QPushButton("C&heck")
        self.check.setAccessibleName("Check")
        self.check.setDefault(True)
        self.check.clicked.connect(self._on_check_clicked)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("Result")
        self.outcome.setMinimumHeight(60)
        self.revoke = QPushButton("&Revoke this certificate…")
        self.revoke.setAccessibleName("Revoke this certificate")
        self.revoke.setEnabled(False)
        self.revoke.clicked.connect(self._on_revoke_clicked)
        self._serial = ""
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in buttons.buttons():
            button.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(buddy("Check &code", self.code))
        row.addWidget(self.code, 1)
        row.addWidget(self.check)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.outcome)
        revoke_row = QHBoxLayout()
        revoke_row.addWidget(self.revoke)
        revoke_row.addStretch(1)
        layout.addLayout(revoke_row)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _on_check_clicked(self) -> None:
        if not self.code.text().strip():
            self._show("Please type a check code first.", warning=True)
            return
        try:
            found = certificates.verify(self._store, self.code.text())
        except UserError as exc:
            self._show(str(exc), warning=True)
            return
        self._show(found.message(), warning=not found.genuine)
        self._serial = found.serial if found.genuine else ""
        self.revoke.setEnabled(bool(self._serial))

    def _on_revoke_clicked(self) -> None:
        reason = RevokeDialog.ask(self._serial, self)
        if reason is None:
            return
        try:
            revoked = certificates.revoke(self._store, self._serial, reason)
        except UserError as exc:
            self._show(str(exc), warning=True)
            return
        self._show(revoked.message(), warning=True)
        self._serial = ""
        self.revoke.setEnabled(False)

    def _show(self, text: str, *, warning: bool) -> None:
        """Show the outcome, styled as a warning or not, and have a screen reader say it."""
        self.outcome.setText(text)
        self.outcome.setProperty("role", "warning" if warning else "")
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)
        # The result appears away from the focus (still in the code box), so say it aloud.
        event = QAccessibleAnnouncementEvent(self.outcome, text)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
        QAccessible.updateAccessibility(event)

    @classmethod
    def ask(cls, store: Store, parent: QWidget | None = None) -> None:
        cls(store, parent).exec()


class RevokeDialog(QDialog):
    """Asks why a certificate is withdrawn; the reason is shown to whoever checks it."""

    def __init__(self, serial: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Revoke certificate {serial}")
        self.setAccessibleName("Revoke a certificate")
        intro = QLabel(
            f"Certificate {serial} will check as revoked, with this reason, here at once and "
            "elsewhere once the organisation's public key file is published again. This "
            "cannot be undone."
        )
        intro.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setMaxLength(300)
        self.problem = QLabel()
        self.problem.setProperty("role", "warning")
        self.problem.setAccessibleName("Problem")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Revoke")
        ok.setAccessibleName("Revoke")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(buddy("&Reason", self.reason))
        row.addWidget(self.reason, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
        self.reason.setFocus()

    def _on_buttons_accepted(self) -> None:
        if not self.reason.text().strip():
            self.problem.setText("Please give a reason: it is shown to whoever checks it.")
            return
        self.accept()

    @classmethod
    def ask(cls, serial: str, parent: QWidget | None = None) -> str | None:
        dialog = cls(serial, parent)
        return dialog.reason.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
