"""The register tab through the window: walk-ins, attendance, consents, and the CSV import."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from amie_desktop.domain.content import builtin_templates
from amie_desktop.domain.values import AttendanceStatus
from amie_desktop.services import register, register_import, workshops
from amie_desktop.services.register_import import ColumnMapping, Field
from amie_desktop.store import Store
from amie_desktop.ui.jobs import running_jobs
from amie_desktop.ui.main_window import MainWindow
from amie_desktop.ui.theme import LIGHT
from amie_desktop.ui.workshops import import_dialog
from amie_desktop.ui.workshops import register as register_ui
from amie_desktop.ui.workshops.import_dialog import ImportJob, ImportPreviewDialog
from tests.ui.conftest import make_window, unnamed_controls


def wait_for_preview(qtbot: QtBot, dialog: ImportPreviewDialog) -> None:
    """Until the preview for the chosen columns is worked out (off the GUI thread) and shown."""
    qtbot.waitUntil(lambda: not dialog.preview_pending, timeout=10000)


def open_register(qtbot: QtBot, store: Store) -> MainWindow:
    """The window open on the register of the latest workshop that is not in the future (a
    walk-in there is simply marked here)."""
    window = make_window(qtbot, store)
    held = [r for r in workshops.list_workshops(store) if r.date <= date.today()]
    latest = max(held, key=lambda r: r.date).id if held else None
    window.workshops_page.open_workshop(latest, tab=2)
    return window


def test_a_walk_in_takes_two_keystrokes_and_their_name(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    window = open_register(qtbot, demo_store)
    page = window.workshops_page
    workshop_id = page.selected_workshop_id() or 0
    chosen = page.table.currentIndex().row()
    booked_before = page.model.row_at(chosen).booked
    page.register.view.setFocus()
    qtbot.keyClick(page.register.view, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert page.register.walk_in.hasFocus()
    page.register.walk_in.insert("Nguyễn Văn Minh")  # typed with an input method
    qtbot.keyClick(page.register.walk_in, Qt.Key.Key_Return)
    rows = {r.name: r for r in register.list_register(demo_store, workshop_id)}
    minh = rows["Nguyễn Văn Minh"]
    assert minh.walk_in and minh.status is AttendanceStatus.ATTENDED and minh.signed_in_at
    assert page.register.walk_in.text() == ""
    assert page.register.walk_in.hasFocus()  # ready for the next one
    # The list's count follows (the store's change signal reaches the page), and reading the
    # list again leaves the walk-in box ready for the next name.
    qtbot.waitUntil(lambda: page.model.row_at(chosen).booked == booked_before + 1)
    assert page.register.walk_in.hasFocus() and page.selected_workshop_id() == workshop_id
    current = page.register.view.currentIndex()
    assert page.register.model.row_at(current.row()).name == "Nguyễn Văn Minh"
    assert unnamed_controls(page.register) == []
    window.grab().save(str(screenshot_dir / "workshops-register.png"))


def test_mark_attendance_and_consents_with_the_keyboard(qtbot: QtBot, demo_store: Store) -> None:
    window = open_register(qtbot, demo_store)
    tab = window.workshops_page.register
    tab.view.setFocus()
    tab.view.setCurrentIndex(tab.model.index(0, 0))
    person = tab.model.row_at(0)
    assert person.status is AttendanceStatus.BOOKED
    qtbot.keyClick(tab.view, Qt.Key.Key_Space)
    assert tab.model.row_at(0).status is AttendanceStatus.ATTENDED
    assert tab.model.index(0, 4).data() != ""  # signed-in time shown
    tab.absent_button.click()
    assert tab.model.row_at(0).status is AttendanceStatus.ABSENT
    tab.model.setData(tab.model.index(0, register_ui.QUOTE), Qt.CheckState.Checked.value,
                      Qt.ItemDataRole.CheckStateRole)  # fmt: skip
    saved = next(
        r
        for r in register.list_register(
            demo_store, window.workshops_page.selected_workshop_id() or 0
        )
        if r.attendance_id == person.attendance_id
    )
    assert saved.consent_quote and not saved.consent_contact
    assert tab.model.index(0, register_ui.QUOTE).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked
    )


def test_book_someone_in_with_their_details(qtbot: QtBot, demo_store: Store) -> None:
    window = open_register(qtbot, demo_store)
    tab = window.workshops_page.register
    assert not tab.add_box.isVisible()
    qtbot.keyClick(tab.walk_in, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: tab.add_box.isVisible() and tab.name.hasFocus())
    qtbot.keyClicks(tab.name, "Ayo Balogun")
    qtbot.keyClicks(tab.email, "not-an-email")
    qtbot.keyClick(tab.email, Qt.Key.Key_Return)
    assert "not an email address" in tab.problem.text()
    tab.email.clear()
    qtbot.keyClicks(tab.email, "ayo@example.org")
    qtbot.keyClicks(tab.organisation, "Beatworks CIC")
    qtbot.keyClick(tab.organisation, Qt.Key.Key_Return)
    assert tab.problem.text() == ""
    assert register.search_people(demo_store, "ayo")[0].organisation == "Beatworks CIC"
    assert tab.name.text() == "" and tab.name.hasFocus()


CSV = (
    "Ticket;Attendee;Contact;Organization\r\n"
    "1;Zoë Ó Briain;ZoeObriain1@example.org;Northfield\r\n"
    "2;Ana Lima;ana@example.org;Harbour Arts\r\n"
    '3;"Okafor, Chidi";chidi@example;Beatworks\r\n'
    "4;Ana Lima;ana@example.org;Harbour Arts\r\n"
    "5;Tomasz Nowak;tomasz@example.org;\r\n"
)


def test_import_preview_lets_the_columns_be_changed_then_imports(
    qtbot: QtBot,
    demo_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot_dir: Path,
) -> None:
    window = open_register(qtbot, demo_store)
    page = window.workshops_page
    workshop_id = page.selected_workshop_id() or 0
    csv_file = tmp_path / "bookings.csv"
    csv_file.write_bytes(CSV.encode("cp1252"))
    monkeypatch.setattr(register_ui, "choose_csv", lambda _parent: csv_file)
    seen: dict[str, object] = {}

    def preview(store: Store, wid: int, source: register_import.CsvFile, name: str,
                parent: QWidget | None = None) -> register_import.ImportPlan | None:  # fmt: skip
        dialog = ImportPreviewDialog(store, wid, source, name, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        wait_for_preview(qtbot, dialog)
        assert unnamed_controls(dialog) == []
        # "Contact" is not a heading the importer knows; the trainer says it holds the email.
        assert dialog.columns[Field.NAME].currentData() == 1
        assert dialog.columns[Field.EMAIL].currentData() is None
        preview, rejects = dialog.preview.model(), dialog.rejects.model()
        assert preview.rowCount() == 4 and rejects.rowCount() == 1
        dialog.columns[Field.EMAIL].setCurrentIndex(dialog.columns[Field.EMAIL].findData(2))
        wait_for_preview(qtbot, dialog)
        assert preview.rowCount() == 3
        reasons = [rejects.index(r, 1).data() for r in range(rejects.rowCount())]
        assert reasons == [
            "'chidi@example' is not an email address",
            "Duplicate of line 3 in this file",
        ]
        assert "matched Zoë Ó Briain by email" in preview.index(0, 4).data()
        seen["before"] = register.list_register(store, wid)
        dialog.grab().save(str(screenshot_dir / "workshops-import-preview.png"))
        window.change_text_size(8)
        dialog.resize(1300, 900)
        dialog.grab().save(str(screenshot_dir / "workshops-import-preview-large-text.png"))
        window.change_text_size(0)
        with qtbot.waitSignal(dialog.accepted, timeout=10000):
            dialog.import_button.click()
        return dialog.plan

    monkeypatch.setattr(ImportPreviewDialog, "ask", preview)
    before = len(register.list_register(demo_store, workshop_id))
    page.register.import_button.click()
    after = register.list_register(demo_store, workshop_id)
    assert seen["before"] and len(after) == before + 3 - int(
        any(r.name == "Zoë Ó Briain" for r in seen["before"])  # type: ignore[attr-defined]
    )
    assert {"Ana Lima", "Tomasz Nowak"} <= {r.name for r in after}
    assert page.register.import_result.text().endswith("2 rows rejected.")
    assert page.register.model.rowCount() == len(after)


def test_a_file_that_is_not_a_csv_is_refused_in_one_line(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_register(qtbot, demo_store)
    tab = window.workshops_page.register
    workbook = tmp_path / "register.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + bytes(100))
    monkeypatch.setattr(register_ui, "choose_csv", lambda _parent: workbook)
    monkeypatch.setattr(ImportPreviewDialog, "ask", lambda *a: pytest.fail("no preview"))
    tab.import_button.click()
    assert "Excel workbook" in tab.problem.text() and "\n" not in tab.problem.text()


@pytest.mark.parametrize("how", ["Cancel", "Escape", "closing the window"])
def test_cancelling_an_import_saves_nobody_and_says_so(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    workshop_id = workshops.list_workshops(demo_store)[0].id
    rows = "".join(f"Person {n},p{n}@example.org\n" for n in range(400))
    source = register_import.read_csv(("Name,Email\n" + rows).encode())
    dialog = ImportPreviewDialog(demo_store, workshop_id, source, "big.csv")
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_preview(qtbot, dialog)
    given_up = threading.Event()
    progress = ImportJob._progress

    def slow_start(job: ImportJob, done: int, total: int) -> None:
        given_up.wait(5)  # the trainer gives up before the first row is saved
        progress(job, done, total)

    monkeypatch.setattr(ImportJob, "_progress", slow_start)
    before = register.list_register(demo_store, workshop_id)
    dialog.import_button.click()
    # While the import runs the tables are not redrawn: every cell drawn is a call into
    # Python, and each waited for the busy job, freezing the window for the whole import.
    assert not dialog.preview.updatesEnabled() and not dialog.rejects.updatesEnabled()
    if how == "Cancel":
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    elif how == "Escape":
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    else:
        dialog.close()
    given_up.set()
    qtbot.waitUntil(lambda: dialog._job is None, timeout=10000)
    # The dialog waited to hear from the import, so what it says is true: nothing was saved.
    assert dialog.isVisible() and dialog.plan is None
    assert "cancelled" in dialog.problem.text()
    assert register.list_register(demo_store, workshop_id) == before
    wait_for_preview(qtbot, dialog)
    assert dialog.preview.updatesEnabled()  # the tables draw again once it has stopped
    assert dialog.import_button.isEnabled()  # free to try again
    assert "cancelled" in dialog.problem.text()  # still said once the preview is back
    dialog.reject()
    assert not dialog.isVisible()


def test_a_large_register_is_previewed_in_full(qtbot: QtBot, store: Store) -> None:
    workshop_id = workshops.create_from_template(
        store, builtin_templates()[0], on=date(2026, 12, 1), start=time(10)
    )
    rows = "".join(f"Person {n},p{n}@example.org,Hub {n % 9}\n" for n in range(3000))
    source = register_import.read_csv(("Name,Email,Organisation\n" + rows).encode())
    nones = sys.getrefcount(None)
    dialog = ImportPreviewDialog(store, workshop_id, source, "conference.csv")
    qtbot.addWidget(dialog)
    wait_for_preview(qtbot, dialog)
    dialog.columns[Field.ORGANISATION].setCurrentIndex(0)  # the trainer changes a column
    wait_for_preview(qtbot, dialog)
    preview = dialog.preview.model()
    assert preview.rowCount() == 3000
    assert preview.index(2999, 1).data() == "Person 2999"
    assert preview.index(0, 3).data() == ""
    # A QTableWidget here lost a reference to None for every cell shown (PySide6 6.12), and
    # the app crashed after a few thousand of them.
    assert sys.getrefcount(None) > nones - 1000


def test_known_people_are_offered_as_the_name_is_typed(qtbot: QtBot, demo_store: Store) -> None:
    window = open_register(qtbot, demo_store)
    page = window.workshops_page
    workshop_id = page.selected_workshop_id() or 0
    on_register = {r.person.id for r in register.list_register(demo_store, workshop_id)}
    newcomer = next(
        p for p in register.search_people(demo_store, "a", limit=100) if p.id not in on_register
    )
    tab = page.register
    tab.book_button.click()
    typed = newcomer.name.split()[0][:4]
    tab.name.setFocus()
    tab.name.insert(typed)
    tab.name.textEdited.emit(typed)
    offered = [tab.known.item(n) for n in range(tab.known.count())]
    choice = next(i for i in offered if i.text().startswith(newcomer.name))
    tab.known.setFocus()
    tab.known.setCurrentItem(choice)
    qtbot.keyClick(tab.known, Qt.Key.Key_Return)  # chosen is booked in
    assert tab.name.text() == "" and tab.name.hasFocus()
    added = next(
        r for r in register.list_register(demo_store, workshop_id) if r.name == newcomer.name
    )
    assert added.person.id == newcomer.id  # the same person, not a second one
    # Added by mistake: taken off this register, kept in the records.
    row = next(n for n in range(tab.model.rowCount()) if tab.model.row_at(n).name == newcomer.name)
    tab.view.selectRow(row)
    tab.remove_button.click()
    assert newcomer.name not in {r.name for r in register.list_register(demo_store, workshop_id)}
    assert register.search_people(demo_store, newcomer.name)[0].id == newcomer.id


def test_accented_names_are_offered_without_typing_the_accents(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = open_register(qtbot, demo_store)
    tab = window.workshops_page.register
    tab.book_button.click()
    qtbot.keyClicks(tab.name, "lukasz")
    offered = [tab.known.item(n).text() for n in range(tab.known.count())]
    assert any(text.startswith("Łukasz Wiśniewski") for text in offered)
    assert tab.known.isVisible() and unnamed_controls(tab) == []


def test_a_paper_sign_in_time_is_recorded(qtbot: QtBot, demo_store: Store) -> None:
    window = open_register(qtbot, demo_store)
    page = window.workshops_page
    tab = page.register
    tab.view.selectRow(1)
    chosen = tab.model.row_at(1)
    tab.signed_in.setTime(QTime(9, 45))
    tab.set_time_button.click()
    saved = next(
        r
        for r in register.list_register(demo_store, page.selected_workshop_id() or 0)
        if r.attendance_id == chosen.attendance_id
    )
    assert saved.status is AttendanceStatus.ATTENDED and saved.signed_in_at is not None
    local = saved.signed_in_at.astimezone()
    assert (local.hour, local.minute) == (9, 45)
    assert local.date() == page.model.row_at(page.table.currentIndex().row()).date
    row = next(
        n
        for n in range(tab.model.rowCount())
        if tab.model.row_at(n).attendance_id == chosen.attendance_id
    )
    assert tab.model.index(row, 4).data() == "09:45"


def big_register(rows: int) -> register_import.CsvFile:
    lines = "".join(f"Person {n},p{n}@example.org,Hub {n % 9}\n" for n in range(rows))
    return register_import.read_csv(("Name,Email,Organisation\n" + lines).encode())


def preview_dialog(qtbot: QtBot, store: Store, rows: int) -> ImportPreviewDialog:
    """The import preview of a register of rows people, for a new workshop."""
    workshop_id = workshops.create_from_template(
        store, builtin_templates()[0], on=date(2026, 12, 1), start=time(10)
    )
    dialog = ImportPreviewDialog(store, workshop_id, big_register(rows), "conference.csv")
    qtbot.addWidget(dialog)
    return dialog


class HeldPreviews:
    """Stands in for the preview work: records where it runs, and can hold one preview back."""

    def __init__(self) -> None:
        self.real = import_dialog.work_out_preview
        self.hold: int | None = None  # which preview (1 = the first, as the dialog opens) waits
        self.started = threading.Event()
        self.release = threading.Event()
        self.calls: list[tuple[ColumnMapping, bool]] = []  # mapping, on the GUI thread

    def work_out_preview(
        self,
        store: Store,
        workshop_id: int,
        source: register_import.CsvFile,
        mapping: ColumnMapping,
        stop: threading.Event | None = None,
        codec: str | None = None,
    ) -> import_dialog.Preview:
        self.calls.append((mapping, threading.current_thread() is threading.main_thread()))
        if len(self.calls) == self.hold:
            self.started.set()
            self.release.wait(10)
            # Finishes even though newer columns were chosen: what it found arrives late.
            return self.real(store, workshop_id, source, mapping, codec=codec)
        return self.real(store, workshop_id, source, mapping, stop, codec)


@pytest.fixture
def held_previews(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldPreviews]:
    held = HeldPreviews()
    monkeypatch.setattr(import_dialog, "work_out_preview", held.work_out_preview)
    yield held
    held.release.set()  # never leave a worker waiting


def test_a_large_register_is_previewed_off_the_gui_thread(
    qtbot: QtBot, store: Store, held_previews: HeldPreviews
) -> None:
    dialog = preview_dialog(qtbot, store, 5000)
    with qtbot.waitSignal(dialog.preview_shown, timeout=10000):
        dialog.show()
        assert dialog.preview_pending and dialog.counts.text() == "Working out the preview…"
        assert not dialog.import_button.isEnabled()
    assert [on_gui for _mapping, on_gui in held_previews.calls] == [False]
    preview = dialog.preview.model()
    assert preview.rowCount() == 5000
    assert preview.index(4999, 1).data() == "Person 4999"
    assert dialog.counts.text().startswith("Would add 5000 people")
    assert dialog.import_button.isEnabled() and not dialog.preview_pending


def test_quick_changes_of_column_end_with_the_preview_of_the_last_choice(
    qtbot: QtBot, store: Store, held_previews: HeldPreviews
) -> None:
    dialog = preview_dialog(qtbot, store, 2000)
    dialog.show()
    wait_for_preview(qtbot, dialog)
    held_previews.hold = 2  # the preview for the first change is slow to come back
    dialog.columns[Field.ORGANISATION].setCurrentIndex(0)
    qtbot.waitUntil(held_previews.started.is_set, timeout=10000)
    with qtbot.waitSignal(dialog.preview_shown, timeout=10000):
        dialog.columns[Field.EMAIL].setCurrentIndex(0)
    held_previews.release.set()  # the older preview now arrives, after the newer one
    last = ColumnMapping(name=0)
    assert dialog.mapping == last and held_previews.calls[-1][0] == last
    qtbot.waitUntil(lambda: not running_jobs().busy(dialog))
    QApplication.processEvents()  # what the older preview found is delivered, and dropped
    preview = dialog.preview.model()
    assert preview.rowCount() == 2000
    assert (preview.index(0, 2).data(), preview.index(0, 3).data()) == ("", "")
    assert not dialog.preview_pending and dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.import_button.click()
    assert dialog.plan is not None and dialog.plan.rows[0].email == ""


def test_import_waits_until_the_preview_is_worked_out(
    qtbot: QtBot, store: Store, held_previews: HeldPreviews, screenshot_dir: Path
) -> None:
    held_previews.hold = 1
    dialog = preview_dialog(qtbot, store, 300)
    (workshop_id,) = (row.id for row in workshops.list_workshops(store))
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(held_previews.started.is_set, timeout=10000)
    assert dialog.preview_pending and dialog.counts.text() == "Working out the preview…"
    assert not dialog.import_button.isEnabled()
    assert unnamed_controls(dialog) == []
    dialog.grab().save(str(screenshot_dir / "workshops-import-preview-working.png"))
    # Neither the keyboard nor the button starts an import the trainer has not seen yet.
    dialog.columns[Field.NAME].setFocus()
    qtbot.keyClick(dialog.columns[Field.NAME], Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    dialog.buttons.accepted.emit()
    assert dialog._job is None and dialog.isVisible()
    assert register.list_register(store, workshop_id) == []
    assert dialog.columns[Field.EMAIL].isEnabled()  # the columns can still be changed
    with qtbot.waitSignal(dialog.preview_shown, timeout=10000):
        held_previews.release.set()
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert len(register.list_register(store, workshop_id)) == 300


def _fresh_register(qtbot: QtBot, store: Store, on: date) -> tuple[MainWindow, int]:
    """The window open on the register of one workshop on `on`, with Björn in the records."""
    template = builtin_templates()[0]
    earlier = workshops.create_from_template(
        store, template, title="Earlier", on=date(2025, 3, 1), start=time(10)
    )
    register.add_person(store, earlier, "Björn Svensson", "bjorn@example.org")
    workshop_id = workshops.create_from_template(
        store, template, title="This one", on=on, start=time(10)
    )
    window = open_register(qtbot, store)
    window.workshops_page.open_workshop(workshop_id, tab=2)
    return window, workshop_id


def _answer(monkeypatch: pytest.MonkeyPatch, answer: str | None) -> list[str]:
    """Answer the next questions with `answer`; the questions asked, to look at."""
    asked: list[str] = []

    def choose(
        _parent: QWidget, _title: str, text: str, answers: list[tuple[str, str]]
    ) -> str | None:
        asked.append(text)
        assert answer is None or answer in dict(answers)
        return answer

    monkeypatch.setattr("amie_desktop.ui.workshops.register.questions.choose", choose)
    return asked


def test_down_and_enter_choose_a_suggestion_so_nobody_becomes_two(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, workshop_id = _fresh_register(qtbot, store, date.today())
    asked = _answer(monkeypatch, None)
    tab = window.workshops_page.register
    assert tab.add_box.isVisible()  # nobody booked yet: the booking form is open
    qtbot.keyClicks(tab.name, "bjorn")
    assert tab.known.isVisible()
    qtbot.keyClick(tab.name, Qt.Key.Key_Down)
    assert tab.known.hasFocus() and tab.known.currentRow() == 0
    qtbot.keyClick(tab.known, Qt.Key.Key_Return)
    booked = register.list_register(store, workshop_id)
    assert [(r.name, r.person.email) for r in booked] == [("Björn Svensson", "bjorn@example.org")]
    assert len(register.search_people(store, "bjorn")) == 1
    assert asked == [] and tab.name.hasFocus()


@pytest.mark.parametrize(
    ("name", "email", "answer", "people", "booked"),
    [
        ("BJORN SVENSSON", "", "known", 1, ["Björn Svensson"]),
        ("Bjorn Svensson", "b.svensson@example.org", "new", 2, ["Bjorn Svensson"]),
        ("B Svensson", "bjorn@example.org", "known", 1, ["Björn Svensson"]),
        ("Bjorn Svensson", "", None, 1, []),
    ],
)
def test_a_near_duplicate_asks_before_a_new_person_is_made(
    qtbot: QtBot,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    email: str,
    answer: str | None,
    people: int,
    booked: list[str],
) -> None:
    window, workshop_id = _fresh_register(qtbot, store, date.today())
    asked = _answer(monkeypatch, answer)
    tab = window.workshops_page.register
    assert tab.add_box.isVisible()  # nobody booked yet: the booking form is open
    qtbot.keyClicks(tab.name, name)
    qtbot.keyClicks(tab.email, email)
    qtbot.keyClick(tab.email, Qt.Key.Key_Return)
    assert len(asked) == 1 and "Björn Svensson" in asked[0]
    assert len(register.search_people(store, "svensson")) == people
    assert [r.name for r in register.list_register(store, workshop_id)] == booked
    assert tab.problem.text() == ""


def test_booking_someone_already_booked_points_them_out(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, workshop_id = _fresh_register(qtbot, store, date.today())
    _answer(monkeypatch, "known")
    tab = window.workshops_page.register
    register.add_person(store, workshop_id, "Björn Svensson", "bjorn@example.org")
    tab.load(workshop_id)
    tab.walk_in.insert("Björn Svensson")  # typed with an input method
    qtbot.keyClick(tab.walk_in, Qt.Key.Key_Return)
    (row,) = register.list_register(store, workshop_id)
    assert row.status is AttendanceStatus.ATTENDED
    assert tab.problem.text() == "Björn Svensson is already on the register: now attended."
    assert tab.model.row_at(tab.view.currentIndex().row()).name == "Björn Svensson"


@pytest.mark.parametrize(("answer", "status"), [("book", AttendanceStatus.BOOKED),
                                                ("here", AttendanceStatus.ATTENDED),
                                                (None, None)])  # fmt: skip
def test_a_walk_in_on_a_future_workshop_is_asked_about(
    qtbot: QtBot,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    answer: str | None,
    status: AttendanceStatus | None,
) -> None:
    window, workshop_id = _fresh_register(qtbot, store, date.today() + timedelta(days=7))
    asked = _answer(monkeypatch, answer)
    tab = window.workshops_page.register
    qtbot.keyClicks(tab.walk_in, "Kwame Mensah")
    qtbot.keyClick(tab.walk_in, Qt.Key.Key_Return)
    assert len(asked) == 1 and "not today" in asked[0]
    rows = register.list_register(store, workshop_id)
    assert [r.status for r in rows] == ([status] if status else [])


def test_the_book_someone_in_toggle_looks_pressed_while_its_form_is_open(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = open_register(qtbot, demo_store)
    tab = window.workshops_page.register
    tab.view.setFocus()  # the focus ring would hide the button's own border

    def edge() -> QColor:
        picture = tab.book_button.grab().toImage()
        return picture.pixelColor(1, picture.height() // 2)

    off = edge()
    tab.book_button.click()
    assert tab.book_button.isChecked() and tab.add_box.isVisible()
    tab.view.setFocus()
    assert edge().name().upper() == LIGHT.accent  # drawn pressed in, in the accent colour
    assert off.name().upper() != LIGHT.accent
    tab.book_button.click()
    tab.view.setFocus()
    assert not tab.add_box.isVisible() and edge() == off
