"""Every form dialog opens with focus in its first field, and Tab goes fields first, then OK."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from amie_desktop.services import audit
from amie_desktop.store import Store
from amie_desktop.ui.dialogs import ChangePinDialog, SetupDialog, _FormDialog
from amie_desktop.ui.settings.dialogs import PinDialog
from amie_desktop.ui.workshops.dialogs import DuplicateDialog, NewWorkshopDialog

# (how to open the dialog, the kind of control its first field is)
DIALOGS: dict[str, tuple[Callable[[Store], _FormDialog], type[QWidget]]] = {
    "first-run set-up": (lambda s: SetupDialog(s), QLineEdit),
    "change the PIN": (lambda s: ChangePinDialog(s), QLineEdit),
    "facilitator PIN needed": (lambda s: PinDialog(s, "Erasing a person"), QLineEdit),
    "plan a new workshop": (lambda s: NewWorkshopDialog(s, date(2026, 11, 25)), QComboBox),
    "duplicate a workshop": (lambda s: DuplicateDialog(s, 1), QLineEdit),
}


@pytest.mark.parametrize("name", list(DIALOGS))
def test_a_dialog_opens_in_its_first_field(qtbot: QtBot, demo_store: Store, name: str) -> None:
    make, first_kind = DIALOGS[name]
    dialog = make(demo_store)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    fields = dialog.fields()
    assert isinstance(fields[0], first_kind)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is fields[0])
    # Tab visits every field in order before it reaches OK.
    seen = [QApplication.focusWidget()]
    for _ in range(len(fields) + 1):
        dialog.focusNextChild()
        seen.append(QApplication.focusWidget())
    ok = dialog.buttons.buttons()[0]
    assert seen.index(ok) > max(seen.index(f) for f in fields if f in seen)
    assert fields[-1] in seen


def test_typing_the_pin_and_enter_is_not_a_wrong_attempt(qtbot: QtBot, demo_store: Store) -> None:
    dialog = PinDialog(demo_store, "Erasing a person")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.pin)
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClicks(focused, "1234")
    qtbot.keyClick(focused, "\r")
    assert dialog.result() == dialog.DialogCode.Accepted
    assert "wrong PIN" not in [e.action for e in audit.recent(demo_store)]
