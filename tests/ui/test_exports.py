"""The Exports section: background exports with progress and Cancel, checks, design preview."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from amie_desktop.services import certificates, exports
from amie_desktop.store import Store
from amie_desktop.ui.exports.check_dialog import CheckCertificateDialog
from amie_desktop.ui.exports.design import CertificateDesignPage
from amie_desktop.ui.exports.page import ExportsPage
from amie_desktop.ui.main_window import MainWindow
from tests.ui.conftest import make_window, unnamed_controls

FINISH_MS = 60_000


def make_page(qtbot: QtBot, store: Store) -> ExportsPage:
    page = ExportsPage(store)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.refresh()
    page.show()
    qtbot.waitExposed(page)
    return page


def choose_workshop(page: ExportsPage, workshop_id: int) -> None:
    page.workshop.setCurrentIndex(page.workshop.findData(workshop_id))


def test_page_lists_workshops_and_every_control_is_named(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    page = make_page(qtbot, demo_store)
    assert page.workshop.count() == 6
    assert "Introduction to HEARD" in page.workshop.itemText(page.workshop.findData(1))
    assert unnamed_controls(page) == []
    page.grab().save(str(screenshot_dir / "exports-page.png"))
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.design.preview.pixmap() is not None
                    and not page.design.preview.pixmap().isNull(), timeout=FINISH_MS)  # fmt: skip
    assert unnamed_controls(page) == []
    page.grab().save(str(screenshot_dir / "exports-certificate-design.png"))


def test_export_runs_in_the_background_and_reports_progress(
    qtbot: QtBot, demo_store: Store, tmp_path: Path
) -> None:
    page = make_page(qtbot, demo_store)
    choose_workshop(page, 1)
    # Nothing runs: no idle "0%" bar and no greyed-out Cancel.
    assert not page.progress.isVisible() and not page.cancel.isVisible()
    seen: list[tuple[int, int]] = []
    page.export_to(tmp_path)
    assert page.busy and page.cancel.isEnabled() and not page.export.isEnabled()
    assert page.progress.isVisible() and page.cancel.isVisible()
    page._runner.signals.progressed.connect(lambda d, t: seen.append((d, t)))  # type: ignore[union-attr]
    with qtbot.waitSignal(page.export_finished, timeout=FINISH_MS) as finished:
        pass
    assert finished.args is not None and finished.args[0].startswith("Exported")
    assert not page.busy and page.export.isEnabled() and not page.cancel.isEnabled()
    assert page.open_folder.isVisible()
    names = {p.name for p in tmp_path.iterdir()}
    assert any(n.endswith("all certificates.pdf") for n in names)
    assert any(n.endswith("summary.pdf") for n in names)
    assert any(n.endswith("register.csv") for n in names)
    attended = len(certificates.certificates_for(demo_store, 1))
    assert sum(1 for n in names if " - " in n and n.endswith(".pdf")) >= attended
    assert any(total > 0 for _, total in seen)
    assert not page.progress.isVisible() and not page.cancel.isVisible()


def test_exporting_with_no_workshop_says_what_to_do_first(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:

    page = make_page(qtbot, store)
    monkeypatch.setattr(
        "amie_desktop.ui.exports.page.QFileDialog.getExistingDirectory",
        lambda *a: pytest.fail("no picker"),
    )
    page.export.click()
    assert page.problem.text().startswith("There is no workshop to export yet.")


def test_cancel_stops_the_export_without_half_written_files(
    qtbot: QtBot, demo_store: Store, tmp_path: Path
) -> None:
    page = make_page(qtbot, demo_store)
    choose_workshop(page, 1)
    page.per_person.setChecked(False)
    page.summary.setChecked(False)
    page.register_csv.setChecked(False)
    page.export_to(tmp_path)
    qtbot.mouseClick(page.cancel, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.export_finished, timeout=FINISH_MS):
        pass
    assert "cancelled" in page.message.text()
    assert [p for p in tmp_path.iterdir() if p.suffix in (".part", ".pdf")] == []


def test_check_dialog_says_genuine_or_not(qtbot: QtBot, demo_store: Store, tmp_path: Path) -> None:
    exports.export_certificates(demo_store, 1, out_dir=tmp_path)
    record = certificates.certificates_for(demo_store, 1)[0]
    dialog = CheckCertificateDialog(demo_store)
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
    qtbot.keyClicks(dialog.code, record.check_code.lower())
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert (
        dialog.outcome.text().startswith("Genuine") and record.holder_name in dialog.outcome.text()
    )
    assert dialog.outcome.property("role") == ""  # plain, not styled as a warning
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, "ZZZZZ-ZZZZZ")
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert dialog.outcome.text().startswith("Not genuine")
    assert dialog.outcome.property("role") == "warning"
    dialog.code.clear()
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert dialog.outcome.text() == "Please type a check code first."
    assert dialog.outcome.property("role") == "warning"


def test_design_is_checked_saved_and_previewed(qtbot: QtBot, demo_store: Store) -> None:
    page = make_page(qtbot, demo_store)
    design = page.design
    page.tabs.setCurrentIndex(1)
    design.accent.setText("green")
    qtbot.waitUntil(lambda: "#1F5F8B" in design.problem.text(), timeout=FINISH_MS)
    assert "Not saved yet" in design.problem.text()
    assert certificates.get_design(demo_store).accent == "#1F5F8B"
    design.accent.setText("#2E6B30")
    design.paper.setCurrentText("Letter")
    design.signature_name.setText("Meera Chaudhry")
    with qtbot.waitSignal(design.preview_updated, timeout=FINISH_MS):
        pass
    qtbot.waitUntil(lambda: not design.unsaved, timeout=FINISH_MS)  # saved a moment later
    assert design.problem.text() == ""
    saved = certificates.get_design(demo_store)
    assert (saved.accent, saved.paper_size, saved.signature_name) == (
        "#2E6B30", "Letter", "Meera Chaudhry",
    )  # fmt: skip


def test_programme_report_from_the_window(qtbot: QtBot, demo_store: Store, tmp_path: Path) -> None:
    from datetime import date

    page = make_page(qtbot, demo_store)
    out = tmp_path / "programme.pdf"
    page.export_programme_to(out, date(2026, 1, 1), date(2026, 12, 31))
    assert not page.programme.isEnabled()
    with qtbot.waitSignal(page.export_finished, timeout=FINISH_MS) as finished:
        pass
    assert finished.args is not None and "programme report" in finished.args[0]
    assert out.exists() and page.programme.isEnabled()


def test_keyboard_only_choices_and_large_text(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    from amie_desktop.ui.main_window import MainWindow, window_settings

    window = MainWindow(demo_store, window_settings(demo_store.data_dir))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_section(window.section_titles().index("Exports"))
    page = window.exports_page
    page.per_person.setFocus()
    assert page.per_person.isChecked()
    qtbot.keyClick(page.per_person, Qt.Key.Key_Space)
    assert not page.per_person.isChecked()
    qtbot.keyClick(page.merged, Qt.Key.Key_Space)
    assert not page.action_plans.isEnabled()  # no certificates chosen, so no action plans
    for _ in range(4):
        window.change_text_size(2.0)
    window.grab().save(str(screenshot_dir / "exports-page-large-text.png"))
    for button in (page.export, page.programme, page.check):
        assert button.isVisible() and button.width() >= button.sizeHint().width(), button.text()
    window.change_text_size(0.0)  # the text size is the whole application's: leave it normal


def test_a_name_no_font_can_print_leaves_that_person_out_and_says_so(
    qtbot: QtBot, store: Store, tmp_path: Path, screenshot_dir: Path
) -> None:
    from tests.reports.helpers import workshop_with

    workshop = workshop_with(store, ("Zoë Ó Briain", "ᱥᱤᱫᱷᱩ ᱢᱩᱨᱢᱩ", "王芳"))
    page = make_page(qtbot, store)
    choose_workshop(page, workshop)
    out = tmp_path / "out"
    out.mkdir()
    page.export_to(out)
    with qtbot.waitSignal(page.export_finished, timeout=FINISH_MS):
        pass
    assert "Exported 2 certificates" in page.message.text()
    problem = page.problem.text()
    assert "ᱥᱤᱫᱷᱩ ᱢᱩᱨᱢᱩ" in problem and "not made, and not issued" in problem
    assert "Zoë" not in problem
    made = sorted(p.name for p in out.glob("*.pdf"))
    assert [name for name in made if "Zoë" in name or "王芳" in name] != []
    assert not any("ᱥᱤᱫᱷᱩ" in name for name in made)
    assert "2026-11-25 Introduction to HEARD - all certificates.pdf" in made
    page.grab().save(str(screenshot_dir / "exports-one-left-out.png"))


def test_when_no_name_can_be_printed_nothing_is_written(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    from tests.reports.helpers import workshop_with

    workshop = workshop_with(store, ("ᱥᱤᱫᱷᱩ ᱢᱩᱨᱢᱩ",))
    page = make_page(qtbot, store)
    choose_workshop(page, workshop)
    out = tmp_path / "out"
    out.mkdir()
    page.export_to(out)
    with qtbot.waitSignal(page.export_finished, timeout=FINISH_MS):
        pass
    problem = page.problem.text()
    assert "ᱥᱤᱫᱷᱩ ᱢᱩᱨᱢᱩ" in problem and "No certificates were made" in problem
    assert list(out.iterdir()) == []


def test_design_edits_not_yet_saved_survive_a_refresh(qtbot: QtBot, demo_store: Store) -> None:
    page = make_page(qtbot, demo_store)
    page.design.accent.setText("#2E6B3")  # half typed: cannot be saved as it stands
    page.refresh()  # as when the person goes to Workshops and comes back
    assert page.design.accent.text() == "#2E6B3"
    assert not page.design.save_now() and "Not saved yet" in page.design.problem.text()
    qtbot.keyClicks(page.design.accent, "0")
    assert page.design.save_now()
    assert certificates.get_design(demo_store).accent == "#2E6B30"
    assert not page.design.unsaved


def test_the_preview_shows_a_new_colour_and_paper_size(qtbot: QtBot, demo_store: Store) -> None:
    from PySide6.QtGui import QColor

    page = make_page(qtbot, demo_store)
    page.tabs.setCurrentIndex(1)
    design = page.design

    def preview_has(colour: str) -> bool:
        pixmap = design.preview.pixmap()
        if pixmap is None or pixmap.isNull():
            return False
        image = pixmap.toImage()
        y = image.height() // 2  # the thick outer border, halfway down the left side
        wanted = QColor(colour)
        for x in range(min(20, image.width())):
            seen = image.pixelColor(x, y)
            if max(abs(seen.red() - wanted.red()), abs(seen.green() - wanted.green()),
                   abs(seen.blue() - wanted.blue())) < 40:  # fmt: skip
                return True
        return False

    qtbot.waitUntil(lambda: preview_has("#1F5F8B"), timeout=FINISH_MS)
    a4 = design.preview.pixmap().width() / design.preview.pixmap().height()
    design.accent.setText("#6A2C8E")
    design.paper.setCurrentText("Letter")
    qtbot.waitUntil(lambda: preview_has("#6A2C8E"), timeout=FINISH_MS)
    letter = design.preview.pixmap().width() / design.preview.pixmap().height()
    assert abs(a4 - 297 / 210) < 0.02 and abs(letter - 11 / 8.5) < 0.02


def test_the_design_preview_moves_under_the_form_when_there_is_no_room_beside_it(
    qtbot: QtBot, demo_store: Store
) -> None:
    window = make_window(qtbot, demo_store)
    window.resize(1100, 720)
    window.show_section(window.section_titles().index("Exports"))
    page = window.exports_page
    page.tabs.setCurrentIndex(1)
    design = page.design
    qtbot.waitUntil(lambda: design.side_by_side)
    window.resize(700, 720)
    qtbot.waitUntil(lambda: not design.side_by_side)
    # Stacked, the preview sits below the form instead of off to the right.
    qtbot.waitUntil(
        lambda: design.preview.geometry().top() >= design.saved_note.geometry().bottom()
    )
    window.resize(1300, 720)
    qtbot.waitUntil(lambda: design.side_by_side)


def _exports_design(window: MainWindow) -> CertificateDesignPage:
    window.show_section(window.section_titles().index("Exports"))
    page = window.exports_page
    page.tabs.setCurrentIndex(1)  # Certificate design
    return page.design


def test_a_design_change_is_kept_after_leaving_the_tab_and_reopening_the_window(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    window = make_window(qtbot, demo_store)
    window.resize(1366, 768)
    design = _exports_design(window)
    # Nobody is named to sign in the demo, and the empty field says what that means.
    assert design.signature_name.placeholderText() == "the workshop's facilitators"
    for size, name in ((10.0, "normal"), (16.0, "large")):
        window.change_text_size(size - window.point_size)
        qtbot.waitUntil(lambda: not design.preview.pixmap().isNull(), timeout=FINISH_MS)
        window.grab().save(str(screenshot_dir / f"certificate-design-{name}-text.png"))
    window.change_text_size(0)
    design.wording.setFocus()
    design.wording.selectAll()
    qtbot.keyClicks(design.wording, "took part in our training on inclusive music making.")
    design.signature_name.setFocus()
    qtbot.keyClicks(design.signature_name, "Meera Chaudhry")
    window.exports_page.tabs.setCurrentIndex(0)  # straight to the Export tab, no pause
    window.close()

    again = make_window(qtbot, demo_store)
    reopened = _exports_design(again)
    assert reopened.wording.toPlainText() == "took part in our training on inclusive music making."
    assert reopened.signature_name.text() == "Meera Chaudhry"
    saved = certificates.get_design(demo_store)
    assert saved.wording == "took part in our training on inclusive music making."

    # A change that cannot be saved yet stays in the form, says so, and saves nothing.
    reopened.accent.setFocus()
    reopened.accent.selectAll()
    qtbot.keyClicks(reopened.accent, "green")
    again.show_section(again.section_titles().index("Workshops"))  # leaving the section
    again.show_section(again.section_titles().index("Exports"))
    assert reopened.accent.text() == "green"
    assert "Not saved yet" in reopened.problem.text()
    assert certificates.get_design(demo_store).accent == "#1F5F8B"
    reopened.grab().save(str(screenshot_dir / "certificate-design-not-saved-yet.png"))

    # Closing the app with it still there asks first; going back keeps the window and the form.
    again.show_section(again.section_titles().index("Workshops"))
    asked: list[str] = []
    QTimer.singleShot(0, lambda: _answer(asked, "Cancel"))
    again.close()
    assert again.isVisible() and reopened.accent.text() == "green"
    assert again.current_page() is again.exports_page and reopened.isVisible()
    assert "certificate design cannot be saved" in asked[0] and "colour" in asked[0]
    QTimer.singleShot(0, lambda: _answer(asked, "&Close without it"))
    again.close()
    assert not again.isVisible()
    assert certificates.get_design(demo_store).accent == "#1F5F8B"


def _answer(asked: list[str], button: str) -> None:
    """Note what the open question says, and press one of its buttons."""
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    asked.append(box.text())
    (chosen,) = [b for b in box.buttons() if b.text() == button]
    chosen.click()
