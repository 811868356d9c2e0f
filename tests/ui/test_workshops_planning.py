"""Planning through the window: list filters, a workshop from a template, the agenda editor."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt, QTime
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from amie_desktop.domain.timing import schedule
from amie_desktop.services import workshops
from amie_desktop.services.workshops import ListQuery, WorkshopRow
from amie_desktop.store import Store
from amie_desktop.ui.workshops.dialogs import DuplicateDialog, NewWorkshopDialog
from amie_desktop.ui.workshops.model import PAGE_SIZE
from amie_desktop.ui.workshops.page import WorkshopsPage
from tests.ui.conftest import clipped_labels, make_window, unnamed_controls


def titles(page: WorkshopsPage) -> list[str]:
    return [page.model.row_at(r).title for r in range(page.model.rowCount())]


def starts(page: WorkshopsPage) -> list[str]:
    model = page.agenda.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_plan_a_workshop_from_a_template_through_the_window(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch, screenshot_dir: Path
) -> None:
    window = make_window(qtbot, demo_store)
    page = window.workshops_page

    def fill_in(
        store: Store, parent: QWidget | None = None, *, today: date | None = None
    ) -> int | None:
        dialog = NewWorkshopDialog(store, date(2027, 2, 3), parent)
        qtbot.addWidget(dialog)
        dialog.show()
        assert unnamed_controls(dialog) == []
        dialog.template.setCurrentIndex(
            dialog.template.findText("HEARD taster", Qt.MatchFlag.MatchStartsWith)
        )
        qtbot.keyClicks(dialog.title, "HEARD for early years")
        dialog.start.setTime(QTime(14, 0))
        qtbot.keyClicks(dialog.venue, "Hillside library")
        # Facilitators come from those who ran workshops before.
        offered = dialog.facilitators.completer().model()
        names = {offered.index(r, 0).data() for r in range(offered.rowCount())}
        assert {"Meera Chaudhry", "Tom Ellison"} <= names
        dialog.facilitators.setText("Tom Ellison, ")
        dialog.grab().save(str(screenshot_dir / "workshops-new-from-template.png"))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.created_id

    monkeypatch.setattr(NewWorkshopDialog, "ask", fill_in)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.detail_title.text() == "HEARD for early years"
    assert page.details.title.hasFocus()
    assert page.model.total == 7
    assert starts(page)[0] == "14:00"
    assert page.details.facilitators.text() == "Tom Ellison"
    page.details.facilitators.clear()
    # The trainer renames it; the list follows as they type, with no Save button.
    qtbot.keyClicks(page.details.title, "HEARD in the early years")
    qtbot.keyClicks(page.details.facilitators, "Meera Chaudhry")
    saved = workshops.get_workshop(demo_store, page.selected_workshop_id() or 0)
    assert saved.row.title == "HEARD in the early years"
    assert saved.row.facilitators == ("Meera Chaudhry",)
    assert "HEARD in the early years" in titles(page)


def test_reorder_steps_by_keyboard_recompute_times_and_undo(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    window = make_window(qtbot, demo_store)
    page = window.workshops_page
    page.open_workshop(tab=1)
    workshop_id = page.selected_workshop_id() or 0
    agenda = page.agenda
    before = workshops.workshop_steps(demo_store, workshop_id)
    first_minutes = before[0].minutes
    agenda.view.setFocus()
    agenda.view.selectRow(0)
    qtbot.keyClick(agenda.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(agenda.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    after = workshops.workshop_steps(demo_store, workshop_id)
    assert after[2] == before[0] and after[:2] == before[1:3]
    assert agenda.current_position() == 2
    # The moved step now starts after the two that used to follow it.
    start = page.model.row_at(0).start_time
    expected = schedule(start, [s.minutes for s in after]).starts
    assert starts(page) == [t.strftime("%H:%M") for t in expected]

    # The trainer allows a quarter of an hour more than the agenda takes.
    finish = schedule(start, [s.minutes for s in after]).finish
    page.details.end.setTime(QTime(finish.hour, finish.minute).addSecs(15 * 60))
    assert workshops.get_workshop(demo_store, workshop_id).end_time == finish.replace(
        minute=(finish.minute + 15) % 60, hour=finish.hour + (finish.minute + 15) // 60
    )
    assert agenda.overrun.text() == ""
    # Lengthening a step moves every later start and the total; past the end warns.
    later = starts(page)[3]
    agenda.minutes.setFocus()
    agenda.minutes.selectAll()
    qtbot.keyClicks(agenda.minutes, str(first_minutes + 45))
    assert workshops.workshop_steps(demo_store, workshop_id)[2].minutes == first_minutes + 45
    assert starts(page)[3] != later
    assert "past the planned end" in agenda.overrun.text()
    agenda.grab().save(str(screenshot_dir / "workshops-agenda-editor.png"))

    # Undo takes back the lengthening in one step, then the moves.
    agenda.view.setFocus()
    qtbot.keyClick(agenda.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert workshops.workshop_steps(demo_store, workshop_id)[2].minutes == first_minutes
    assert agenda.overrun.text() == ""
    assert agenda.minutes.value() == first_minutes
    qtbot.keyClick(agenda.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(agenda.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert workshops.workshop_steps(demo_store, workshop_id) == before


def test_insert_edit_and_delete_steps_are_saved_as_typed(qtbot: QtBot, demo_store: Store) -> None:
    window = make_window(qtbot, demo_store)
    page = window.workshops_page
    page.open_workshop(tab=1)
    workshop_id = page.selected_workshop_id() or 0
    agenda = page.agenda
    count = agenda.model.rowCount()
    agenda.view.setFocus()
    agenda.view.selectRow(0)
    qtbot.keyClick(agenda.view, Qt.Key.Key_Insert)
    assert agenda.step_title.hasFocus()
    qtbot.keyClicks(agenda.step_title, "Body percussion warm-up")
    qtbot.keyClicks(agenda.notes, "Check the hall is free")
    agenda.principle.setCurrentIndex(agenda.principle.findData("H"))
    agenda.principle.activated.emit(agenda.principle.currentIndex())
    saved = workshops.workshop_steps(demo_store, workshop_id)
    assert len(saved) == count + 1
    assert saved[1].title == "Body percussion warm-up"
    assert saved[1].notes == "Check the hall is free"
    assert saved[1].principle is not None and saved[1].principle.code == "H"
    agenda.view.setFocus()
    qtbot.keyClick(agenda.view, Qt.Key.Key_Delete)
    assert [s.title for s in workshops.workshop_steps(demo_store, workshop_id)].count(
        "Body percussion warm-up"
    ) == 0


def test_drag_and_drop_moves_a_step(qtbot: QtBot, demo_store: Store) -> None:
    window = make_window(qtbot, demo_store)
    page = window.workshops_page
    workshop_id = page.selected_workshop_id() or 0
    model = page.agenda.model
    before = workshops.workshop_steps(demo_store, workshop_id)
    data = model.mimeData([model.index(0, 0)])
    # Dropped just above the fourth row: the first step becomes the third.
    assert not model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    after = workshops.workshop_steps(demo_store, workshop_id)
    assert after[2] == before[0] and after[:2] == before[1:3] and after[3:] == before[3:]
    assert model.rowCount() == len(before)  # moved, not copied or lost
    start = page.model.row_at(0).start_time
    expected = schedule(start, [s.minutes for s in after]).starts
    assert starts(page) == [t.strftime("%H:%M") for t in expected]
    assert page.agenda.current_position() == 2
    # A drag is undone like any other change.
    page.agenda.undo_button.click()
    assert workshops.workshop_steps(demo_store, workshop_id) == before


def test_filters_sort_and_duplicate(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(qtbot, demo_store)
    page = window.workshops_page
    page.when.setCurrentIndex(page.when.findText("Past"))
    assert page.model.total == sum(
        1 for r in workshops.list_workshops(demo_store) if r.date < date.today()
    )
    page.when.setCurrentIndex(0)
    name = page.facilitator.itemText(1)
    page.facilitator.setCurrentIndex(1)
    assert page.model.rowCount() > 0
    assert all(name in page.model.row_at(r).facilitators for r in range(page.model.rowCount()))
    page.facilitator.setCurrentIndex(0)
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert titles(page) == sorted(titles(page), key=str.lower)

    original = page.model.row_at(0)

    def duplicate(
        store: Store, workshop_id: int, parent: QWidget | None = None, *, today: date | None = None
    ) -> int | None:
        dialog = DuplicateDialog(store, workshop_id, parent, today=today)
        qtbot.addWidget(dialog)
        assert dialog.title.text() == original.title
        # A new date from the start, a week on, so the twin is told apart from the original.
        assert dialog.date.date() >= QDate(
            original.date.year, original.date.month, original.date.day
        ).addDays(7)
        dialog.date.setDate(dialog.date.date().addDays(30))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.created_id

    monkeypatch.setattr(DuplicateDialog, "ask", duplicate)
    page.duplicate_button.click()
    copy = workshops.get_workshop(demo_store, page.selected_workshop_id() or 0)
    assert copy.row.id != original.id and copy.row.title == original.title
    assert copy.row.booked == 0


def test_the_list_loads_in_pages(qtbot: QtBot, store: Store, screenshot_dir: Path) -> None:
    from amie_desktop.domain.content import builtin_templates

    for number in range(PAGE_SIZE + 30):
        workshops.create_from_template(
            store, builtin_templates()[number % 2], title=f"Workshop {number:03d}",
            on=date(2026, 1, 1), start=time(10), venue="Hall",
        )  # fmt: skip
    page = WorkshopsPage(store)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    page.refresh()
    assert page.model.rowCount() == PAGE_SIZE and page.model.total == PAGE_SIZE + 30
    assert page.count.text() == f"{PAGE_SIZE + 30} workshops"
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == PAGE_SIZE + 30)
    qtbot.keyClicks(page.search, "workshop 12")
    expected = ["Workshop 012", "Workshop 112", *(f"Workshop {n}" for n in range(120, 130))]
    assert sorted(titles(page)) == expected
    assert unnamed_controls(page) == []


def _steps_in_view(page: WorkshopsPage) -> int:
    view = page.agenda.view
    shown = view.viewport().rect()
    model = page.agenda.model
    return sum(
        1 for r in range(model.rowCount()) if shown.contains(view.visualRect(model.index(r, 0)))
    )


@pytest.mark.parametrize(("width", "height", "steps"), [(1366, 768, 9), (1920, 1080, 9)])
def test_workshops_screen_screenshots_at_normal_and_large_text(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path, width: int, height: int, steps: int
) -> None:
    window = make_window(qtbot, demo_store)
    window.resize(width, height)
    page = window.workshops_page
    qtbot.waitUntil(lambda: window.width() == width)
    size = f"{width}x{height}"
    window.grab().save(str(screenshot_dir / f"workshops-list-{size}.png"))
    # Every column is in view, down to the status, and none is cut short.
    assert not page.table.horizontalScrollBar().isVisible()
    status = page.table.horizontalHeader().sectionViewportPosition(6)
    assert 0 < status < page.table.viewport().width() - 40
    venues = [page.model.row_at(r).venue for r in range(page.model.rowCount())]
    widest = max(page.table.fontMetrics().horizontalAdvance(v) for v in venues)
    assert page.table.columnWidth(2) >= widest
    intro = next(
        r.id for r in workshops.list_workshops(demo_store) if r.title == "Introduction to HEARD"
    )
    page.open_workshop(intro, tab=1)
    qtbot.wait(50)
    assert page.agenda.model.rowCount() == 9
    # The opened workshop has the page: every step of the agenda in view at once.
    assert _steps_in_view(page) == steps
    window.grab().save(str(screenshot_dir / f"workshops-agenda-{size}.png"))
    page.tabs.setCurrentIndex(0)
    qtbot.wait(50)  # laid out, as it would be on screen
    window.grab().save(str(screenshot_dir / f"workshops-details-{size}.png"))
    page.tabs.setCurrentIndex(2)
    window.grab().save(str(screenshot_dir / f"workshops-register-{size}.png"))
    for _ in range(6):
        window.change_text_size(1)
    qtbot.wait(50)
    for tab in range(3):
        page.tabs.setCurrentIndex(tab)
        window.grab().save(str(screenshot_dir / f"workshops-tab{tab}-{size}-large-text.png"))
    assert clipped_labels(page) == []
    page.show_list()
    window.grab().save(str(screenshot_dir / f"workshops-list-{size}-large-text.png"))
    assert unnamed_controls(page) == []
    window.change_text_size(0)


def test_the_list_is_read_once_when_the_section_first_shows(
    qtbot: QtBot, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Start-up speed: building the page (which picks its first sort order) reads nothing;
    # showing it reads the first page of workshops once.

    reads: list[int] = []
    real = workshops.workshops_page

    def counted(store: Store, query: ListQuery, offset: int, limit: int) -> list[WorkshopRow]:
        reads.append(1)
        return real(store, query, offset, limit)

    monkeypatch.setattr(workshops, "workshops_page", counted)  # as the page's model reads
    page = WorkshopsPage(demo_store)
    qtbot.addWidget(page)
    assert reads == []
    page.refresh()
    assert len(reads) == 1
    assert page.model.rowCount() == 6
    assert page.model.row_at(0).date > page.model.row_at(5).date  # newest first


def test_a_run_sheet_is_saved_from_the_opened_workshop(
    qtbot: QtBot, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from amie_desktop.ui.workshops import page as page_module

    window = make_window(qtbot, demo_store)
    page = window.workshops_page
    page.open_workshop(tab=1)
    asked: list[str] = []

    def choose(_parent: QWidget, _title: str, suggested: str) -> Path:
        asked.append(suggested)
        return tmp_path / suggested

    monkeypatch.setattr(page_module, "choose_pdf", choose)
    page.runsheet_button.click()
    (name,) = asked
    title = page.detail_title.text()
    assert name.startswith(f"Run sheet {title}") and name.endswith(".pdf")
    assert (tmp_path / name).read_bytes().startswith(b"%PDF")
    steps = page.agenda.model.rowCount()
    assert page.notice.text() == f"Saved the run sheet ({steps} steps) to {tmp_path / name}."


def test_a_time_is_typed_as_people_type_it(qtbot: QtBot, demo_store: Store) -> None:
    window = make_window(qtbot, demo_store)
    page = window.workshops_page
    page.open_workshop(tab=0)
    workshop_id = page.selected_workshop_id() or 0
    start = page.details.start
    start.setFocus()
    start.selectAll()
    qtbot.keyClicks(start, "10:00")
    assert workshops.get_workshop(demo_store, workshop_id).row.start_time == time(10, 0)
    start.selectAll()
    qtbot.keyClicks(start, "1415")
    qtbot.keyClick(start, Qt.Key.Key_Return)
    assert workshops.get_workshop(demo_store, workshop_id).row.start_time == time(14, 15)
    qtbot.keyClick(start, Qt.Key.Key_Up)
    assert workshops.get_workshop(demo_store, workshop_id).row.start_time == time(14, 20)
    start.selectAll()
    qtbot.keyClicks(start, "25:99")
    qtbot.keyClick(start, Qt.Key.Key_Return)
    assert page.details.problem.text() == (
        "“25:99” is not a time of day. Type hours and minutes, such as 09:30 or 14:00. "
        "Not saved yet."
    )
    assert start.text() == "25:99"  # kept as typed, to put right
    assert workshops.get_workshop(demo_store, workshop_id).row.start_time == time(14, 20)


@pytest.mark.parametrize("booked", [False, True])
def test_cancel_or_delete_a_workshop_and_undo(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch, booked: bool
) -> None:
    from amie_desktop.domain.content import builtin_templates
    from amie_desktop.services import register
    from amie_desktop.ui.settings import dialogs as dialogs_module

    workshop_id = workshops.create_from_template(
        store, builtin_templates()[0], title="Rained off", on=date(2027, 3, 1), start=time(10)
    )
    if booked:
        register.add_person(store, workshop_id, "Ann Lee")
    window = make_window(qtbot, store)
    page = window.workshops_page
    page.open_workshop(workshop_id)
    asked: list[str] = []

    def confirm(_parent: QWidget, _title: str, text: str, yes: str) -> bool:
        asked.append(f"{yes}: {text}")
        return True

    monkeypatch.setattr(dialogs_module, "confirm", confirm)
    page.withdraw_button.click()
    if booked:
        assert asked[0].startswith("&Mark cancelled: Cancel “Rained off” on Mon 1 Mar 2027?")
        assert page.undo_note.text() == "Cancelled “Rained off”."
        assert "Cancelled" in page.detail_when.text() and page.is_open()
        assert not page.withdraw_button.isEnabled()
    else:
        assert asked[0].startswith("&Delete workshop: Delete “Rained off” on Mon 1 Mar 2027?")
        assert page.undo_note.text() == "Deleted “Rained off”."
        assert page.model.total == 0 and not page.is_open()
    assert page.undo_button.isVisible() and page.undo_button.hasFocus()
    qtbot.keyClick(page.undo_button, Qt.Key.Key_Space)
    (back,) = workshops.list_workshops(store)
    assert (back.title, back.status.value, back.booked) == ("Rained off", "planned", int(booked))
    assert page.is_open() and page.detail_title.text() == "Rained off"
    assert not page.undo_bar.isVisible()
