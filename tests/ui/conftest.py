"""Shared pieces for window tests."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton, QLineEdit, QAbstractItemView, QComboBox, QAbstractSpinBox,
    QPlainTextEdit, QTextEdit,
)  # fmt: skip


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls a screen reader would announce with no name (view internals aside)."""
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(root):
            continue
        if widget.objectName().startswith("qt_") or isinstance(
            widget.parent(), QAbstractItemView | QComboBox | QAbstractSpinBox
        ):
            continue  # Qt's own pieces inside a named view
        if not widget.accessibleName().strip():
            text = getattr(widget, "text", lambda: "")()
            missing.append(f"{type(widget).__name__} {text!r}")
    return missing
