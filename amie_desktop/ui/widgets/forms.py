"""Small shared form pieces: labelled fields with accessible names, and error text."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget


def form_layout(parent: QWidget | None = None) -> QFormLayout:
    """Labels beside their fields; a field goes under its label when the two do not fit side
    by side (large text on a small window), instead of pushing the page wider than the window."""
    form = QFormLayout(parent)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


def breakable_path(path: str) -> str:
    """A folder path as a word-wrapped label shows it: it may break after each separator, dot,
    dash or underscore (a zero-width space there), so a long path wraps at large text instead
    of widening the page."""
    return "".join(f"{c}\u200b" if c in "/\\._-" else c for c in path)


def pin_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setMaxLength(12)
    field.setInputMethodHints(field.inputMethodHints())
    return field


def error_label() -> QLabel:
    """A label for plain-English problems; empty until there is one to show."""
    label = QLabel()
    label.setProperty("role", "warning")
    label.setWordWrap(True)
    label.setAccessibleName("Problem")
    return label


def buddy(text: str, field: QWidget) -> QLabel:
    """A label whose & shortcut moves focus to field, and whose text names it for screen readers."""
    label = QLabel(text)
    label.setBuddy(field)
    # The shortcut's underline splits the text where it is drawn, so pairs such as "To" are
    # drawn unkerned, wider than the kerned width the label was sized to, and lost their end.
    # Only kerning is set here: size and family still follow the app's text size.
    unkerned = QFont()
    unkerned.setKerning(False)
    label.setFont(unkerned)
    if not field.accessibleName():
        field.setAccessibleName(text.replace("&", ""))
    return label


def set_read_only(field: QLineEdit | QPlainTextEdit, read_only: bool) -> None:
    """Make a text field read-only, and look it (the style sheet draws read-only fields flat on
    the window's colour, with a dashed edge), so nobody types into something that ignores them."""
    if field.isReadOnly() == read_only:
        return
    field.setReadOnly(read_only)
    # Style sheet rules on a property are matched when a widget is polished: polish it again.
    style = field.style()
    style.unpolish(field)
    style.polish(field)
