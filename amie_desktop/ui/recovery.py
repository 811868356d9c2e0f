"""The start-up message when the database was damaged: what happened, and the way back."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.dates import clock, short_date, short_date_time
from amie_desktop.services.backups import Backup


class RecoveryChoice(Enum):
    RESTORE_NEWEST = "restore newest"
    RESTORE_FILE = "restore a file"
    START_EMPTY = "start empty"
    QUIT = "quit"


def when_text(backup: Backup, short: bool = False) -> str:
    """When a backup was made, on this computer's clock: in a sentence, or short for a list."""
    if short:
        return short_date_time(backup.made_at)
    local = backup.made_at.astimezone()
    return f"{short_date(local.date())} at {clock(local)}"


class RecoveryDialog(QDialog):
    """Says in plain words that the database was damaged and moved aside, and offers a backup."""

    def __init__(
        self, moved_to: Path, newest: Backup | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.choice = RecoveryChoice.QUIT
        self.chosen_file: Path | None = None
        self.setWindowTitle("The database needs attention")
        self.setAccessibleName("The database needs attention")
        heading = QLabel("Your database was damaged")
        heading.setProperty("role", "heading")
        font = heading.font()  # set here too: this shows before the app's style sheet applies
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        if newest is not None:
            offer = (
                f"The newest good backup was made {when_text(newest)} "
                f"({newest.describe_reason}). Restoring it brings back everything saved up to "
                "then. Anything saved after it may need typing in again."
            )
        else:
            offer = (
                "No good backup was found in the data folder. If you keep backups elsewhere "
                "(a USB stick, say), choose one. Or start with an empty database."
            )
        self.message = QLabel(
            "<p>The app checks its database every time it starts, and the check failed. "
            "This can happen when a laptop loses power or runs out of disk space "
            "while saving.</p>"
            f"<p>Nothing has been deleted. The damaged file has been moved aside to:<br>"
            f"<b>{moved_to}</b></p>"
            f"<p>{offer}</p>"
        )
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName("What happened")

        self.restore_newest = QPushButton("&Restore the newest good backup")
        self.restore_newest.setAccessibleName("Restore the newest good backup")
        self.restore_newest.setEnabled(newest is not None)
        self.restore_newest.setVisible(newest is not None)
        self.restore_file = QPushButton("Choose a backup &file…")
        self.restore_file.setAccessibleName("Choose a backup file")
        self.start_empty = QPushButton("Start with an &empty database")
        self.start_empty.setAccessibleName("Start with an empty database")
        self.quit = QPushButton("&Quit")
        self.quit.setAccessibleName("Quit")
        self.restore_newest.clicked.connect(lambda: self._choose(RecoveryChoice.RESTORE_NEWEST))
        self.restore_file.clicked.connect(self._on_restore_file_clicked)
        self.start_empty.clicked.connect(lambda: self._choose(RecoveryChoice.START_EMPTY))
        self.quit.clicked.connect(lambda: self._choose(RecoveryChoice.QUIT))

        choices = QVBoxLayout()
        for button in (self.restore_newest, self.restore_file, self.start_empty):
            choices.addWidget(button)
        quit_row = QHBoxLayout()
        quit_row.addStretch(1)
        quit_row.addWidget(self.quit)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(self.message)
        layout.addLayout(choices)
        layout.addLayout(quit_row)
        self.setMinimumWidth(620)
        self.adjustSize()
        default = self.restore_newest if newest is not None else self.restore_file
        default.setDefault(True)
        default.setFocus()

    def _choose(self, choice: RecoveryChoice) -> None:
        self.choice = choice
        if choice is RecoveryChoice.QUIT:
            self.reject()
        else:
            self.accept()

    def _on_restore_file_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose a backup to restore", "", "Backups (*.sqlite3);;All files (*)"
        )
        if name:
            self.chosen_file = Path(name)
            self._choose(RecoveryChoice.RESTORE_FILE)

    @classmethod
    def ask(
        cls, moved_to: Path, newest: Backup | None, parent: QWidget | None = None
    ) -> tuple[RecoveryChoice, Path | None]:
        dialog = cls(moved_to, newest, parent)
        dialog.exec()
        if dialog.choice is RecoveryChoice.RESTORE_NEWEST and newest is not None:
            return dialog.choice, newest.path
        return dialog.choice, dialog.chosen_file
