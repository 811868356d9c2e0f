"""A question with named answers ("Book Björn Svensson", "Add a new person", Cancel)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def choose(
    parent: QWidget | None, title: str, text: str, answers: list[tuple[str, str]]
) -> str | None:
    """The key of the answer chosen, or None for Cancel (and Esc). The first answer is the
    default, so put the safe one first: Enter then does what the trainer most likely meant."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setAccessibleName(title)
    buttons = {}
    for key, label in answers:
        button = box.addButton(label, QMessageBox.ButtonRole.AcceptRole)
        button.setAccessibleName(label.replace("&", ""))
        buttons[key] = button
    cancel = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    cancel.setAccessibleName("Cancel")
    box.setEscapeButton(cancel)
    box.setDefaultButton(next(iter(buttons.values()), cancel))
    box.exec()
    return next((key for key, button in buttons.items() if box.clickedButton() is button), None)
