"""The main window: a section list on the left, the chosen section on the right."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar, cast

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QFont,
    QFontMetrics,
    QKeySequence,
    QResizeEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from amie_desktop import APP_NAME, __version__
from amie_desktop.domain.clock import Clock, system_clock
from amie_desktop.domain.heard import CREDIT, PRINCIPLES
from amie_desktop.domain.values import Phase
from amie_desktop.store import Changes
from amie_desktop.ui.changes import DataChanges
from amie_desktop.ui.help import GuideWindow, TourDialog, guide_folder
from amie_desktop.ui.theme import LIGHT, NAV_ITEM_PADDING, NAV_PADDING, NAV_SCALE, style_sheet
from amie_desktop.ui.widgets.status_bar import StatusBar
from amie_desktop.ui.widgets.wheel_guard import install_wheel_guard
from amie_desktop.ui.workshops.page import WorkshopsPage

if TYPE_CHECKING:
    from amie_desktop.store import Store
    from amie_desktop.store.first_look import FirstLook
    from amie_desktop.ui.exports.page import ExportsPage
    from amie_desktop.ui.facilitate.page import FacilitatePage
    from amie_desktop.ui.settings.page import SettingsPage
    from amie_desktop.ui.station.page import StationPage

DEFAULT_POINT_SIZE = 10.0
FIRST_SIZE = (1400, 900)  # on a screen with room for it; smaller screens open maximised
MIN_POINT_SIZE, MAX_POINT_SIZE = 8.0, 24.0
NAV_SHARE = 0.22  # at most this much of the window's width for the section list, if it can


class _Page(Protocol):
    # The tables (and BACKUPS) whose changes the page must show; see store/changes.py.
    shows: frozenset[str]

    def refresh(self) -> None: ...


PageT = TypeVar("PageT", bound=QWidget)


@dataclass
class Section:
    """A part of the app in the list on the left; its page is built the first time it is shown,
    so start-up does not pay for (or import) sections nobody has opened yet.

    A built page is read again when data it shows has changed: at once if it is on show,
    otherwise the next time it is shown (stale until then).
    """

    title: str
    build: Callable[[], QWidget]
    description: str
    tour: str = ""  # a few sentences for the first-run tour; the description if empty
    area: QScrollArea = field(default_factory=lambda: _scrolling())
    widget: QWidget | None = None
    stale: bool = True

    def page(self) -> QWidget:
        if self.widget is None:
            self.widget = self.build()
            self.area.setWidget(self.widget)
            self.area.setFocusProxy(self.widget)
            self.area.setAccessibleName(self.title)
        return self.widget

    def refresh(self) -> None:
        self.stale = False
        cast(_Page, self.page()).refresh()

    def refresh_if_stale(self) -> None:
        if self.widget is None or self.stale:
            self.refresh()

    def changed(self, changes: Changes, shown: bool) -> None:
        """Data changed: read it again now if the page is on show, else before it next is."""
        if self.widget is None or not changes.touches(cast(_Page, self.widget).shows):
            return
        self.stale = True
        if shown:
            self.refresh()


class MainWindow(QMainWindow):
    def __init__(
        self,
        store: Store,
        settings: QSettings,
        *,
        clock: Clock = system_clock,
        first_look: FirstLook | None = None,
    ) -> None:
        """A window on store; with first_look, drawn from that before the store is open (a
        LateStore, store/late.py), until attach() is called once it is."""
        super().__init__()
        self._store = store
        self._clock = clock  # what every page reads the time from; a test's fake clock
        self._settings = settings
        self._first_look = first_look
        self.setAccessibleName(APP_NAME)
        # One signal for every change to the data, whoever made it (store/changes.py).
        self.data_changes = DataChanges(None if first_look else store, self)
        self.data_changes.data_changed.connect(self._on_data_changes_data_changed)

        # Only sections that work are listed; each later section adds itself here.
        self.sections: list[Section] = [
            Section("Workshops", self._build_workshops,
                    "Every workshop, with its agenda and register counts",
                    "Every workshop you have planned or run, newest first. Type in the search "
                    "box to find one by title, venue or facilitator; accents and capitals do "
                    "not matter. Choose a workshop to see its agenda and who is booked."),
            Section("Facilitate", self._build_facilitate,
                    "Run a workshop step by step, with a timer and a presenter window",
                    "Run a workshop from the front of the room: the current step with its "
                    "prompt, activity, questions and your private notes, a countdown that "
                    "changes colour as time runs low, and a presenter window for the "
                    "projector that shows only what the room should see. A presentation "
                    "clicker works too."),
            Section("Reflection station", self._build_station,
                    "Attendees write their reflections on this laptop, one after another",
                    "Hand the laptop round, or stand it by the door: attendees find their "
                    "name, rate themselves on each HEARD principle before and after the "
                    "workshop, and write what they will do differently. The station fills "
                    "the screen, shows nobody else's answers, and closes only with your PIN."),
            Section("Exports", self._build_exports,
                    "Certificates, session summaries and CSV files; check a certificate",
                    "Print CPD certificates for everyone who came, as separate files or one "
                    "file to print, with names right in any script. Export a session summary, "
                    "a programme report for funders, or the register as a spreadsheet, and "
                    "check a certificate's code. Certificate wording, colours, logo and "
                    "signature are set here too."),
            Section("Settings", self._build_settings,
                    "Organisation, facilitator PIN and data folder",
                    "Your organisation's name, the facilitator PIN that guards the reflection "
                    "station and admin actions, and the folder where everything is kept."),
        ]  # fmt: skip

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Sections")
        self.navigation.setAccessibleDescription("Choose a part of the app to work in")
        self.navigation.setWordWrap(True)  # on a narrow window, "Reflection station" wraps
        # Each title's height is given for the list's width (_fit_navigation); it never scrolls
        # sideways, as it did when made narrower after being wide (out of full screen).
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        for number, section in enumerate(self.sections, start=1):
            item = QListWidgetItem(section.title)
            item.setToolTip(f"{section.description} (Ctrl+{number})")
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, section.description)
            self.navigation.addItem(item)
            self.stack.addWidget(section.area)
        self.navigation.currentRowChanged.connect(self._on_navigation_current_row_changed)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        status = StatusBar()  # messages never run into the data folder's name, nor linger
        self.setStatusBar(status)
        self.status_label = status.data
        self._build_menus()
        self._point_size = float(str(settings.value("text/point_size", DEFAULT_POINT_SIZE)))
        self._first_run = False  # no size kept yet: see show_at_first_size
        self._restore_state()  # builds the section on show
        # The style sheet after the shown section is built: one pass over its widgets, where
        # each widget added under a style sheet already set was styled again and again.
        self._apply_text_size()
        self._update_title()
        # Once the shown section is built: a Python filter on every event of the build
        # (thousands of them) was a tenth of the time to a usable window.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_wheel_guard(app)

    # Menus and shortcuts -------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        new_action = QAction("&New workshop…", self)
        new_action.setShortcut(QKeySequence.StandardKey.New)  # wherever focus is
        new_action.triggered.connect(self.plan_new_workshop)
        file_menu.addAction(new_action)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        self._build_edit_menu()

        go_menu = self.menuBar().addMenu("&Go")
        for number, section in enumerate(self.sections, start=1):
            action = QAction(section.title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, row=number - 1: self.show_section(row))
            go_menu.addAction(action)

        view_menu = self.menuBar().addMenu("&View")
        for text, keys, step in (
            ("&Larger text", QKeySequence.StandardKey.ZoomIn, 1.0),
            ("&Smaller text", QKeySequence.StandardKey.ZoomOut, -1.0),
            ("&Normal text size", QKeySequence("Ctrl+0"), 0.0),
        ):
            action = QAction(text, self)
            action.setShortcut(keys)
            action.triggered.connect(lambda _=False, change=step: self.change_text_size(change))
            view_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Help")
        self._guide: GuideWindow | None = None
        if guide_folder() is not None:
            guide = QAction("&User guide", self)
            guide.setShortcut(QKeySequence.StandardKey.HelpContents)
            guide.triggered.connect(self.show_guide)
            help_menu.addAction(guide)
        tour = QAction("A quick &tour", self)
        tour.triggered.connect(self.show_tour)
        help_menu.addAction(tour)
        heard = QAction("The &HEARD principles", self)
        heard.triggered.connect(self.show_heard)
        about = QAction(f"&About {APP_NAME}", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(heard)
        help_menu.addAction(about)

    def _build_edit_menu(self) -> None:
        """Edit > Undo and Redo act on what is on show (a workshop's details or agenda). The
        keys are those pages' own (Ctrl+Z, Ctrl+Y), so they are shown here, not bound twice."""
        # No Alt+letter: every letter of "Edit" is already a field's (Dat&e, &Import, &Title).
        edit_menu = self.menuBar().addMenu("Edit")
        self.undo_menu_action = edit_menu.addAction("&Undo\tCtrl+Z")
        self.redo_menu_action = edit_menu.addAction("&Redo\tCtrl+Y")
        self.undo_menu_action.triggered.connect(lambda: self._undo_stack_call("undo"))
        self.redo_menu_action.triggered.connect(lambda: self._undo_stack_call("redo"))
        edit_menu.aboutToShow.connect(self._on_edit_menu_about_to_show)

    def shown_undo_stack(self) -> QUndoStack | None:
        """The undo of what is on show, if it has one."""
        page = self.sections[self.stack.currentIndex()].widget
        return page.shown_undo_stack() if isinstance(page, WorkshopsPage) else None

    def _on_edit_menu_about_to_show(self) -> None:
        stack = self.shown_undo_stack()
        undo = stack is not None and stack.canUndo()
        redo = stack is not None and stack.canRedo()
        self.undo_menu_action.setEnabled(undo)
        self.redo_menu_action.setEnabled(redo)
        # "Undo change the title", as the Undo button's tooltip would say it.
        self.undo_menu_action.setText(
            f"&Undo {stack.undoText()}\tCtrl+Z" if stack and undo else "&Undo\tCtrl+Z"
        )
        self.redo_menu_action.setText(
            f"&Redo {stack.redoText()}\tCtrl+Y" if stack and redo else "&Redo\tCtrl+Y"
        )

    def _undo_stack_call(self, which: str) -> None:
        stack = self.shown_undo_stack()
        if stack is None:
            return
        if which == "undo":
            stack.undo()
        else:
            stack.redo()

    # Pages, each built (and its module imported) the first time it is wanted -----------
    def _build_workshops(self) -> QWidget:
        return WorkshopsPage(self._store, clock=self._clock, first_look=self._first_look)

    def _build_facilitate(self) -> QWidget:
        from amie_desktop.ui.facilitate.page import FacilitatePage

        page = FacilitatePage(self._store, clock=self._clock)
        page.status_changed.connect(self._on_settings_page_status_changed)
        page.station_requested.connect(self._on_facilitate_station_requested)
        return page

    def _build_station(self) -> QWidget:
        from amie_desktop.ui.station.page import StationPage

        return StationPage(self._store)

    def _build_exports(self) -> QWidget:
        from amie_desktop.ui.exports.page import ExportsPage

        page = ExportsPage(self._store)
        page.status_changed.connect(self._on_settings_page_status_changed)
        return page

    def _build_settings(self) -> QWidget:
        from amie_desktop.ui.settings.page import SettingsPage

        page = SettingsPage(self._store)
        page.status_changed.connect(self._on_settings_page_status_changed)
        return page

    def _page(self, title: str, kind: type[PageT]) -> PageT:
        page = self.sections[self.section_titles().index(title)].page()
        assert isinstance(page, kind)
        return page

    @property
    def workshops_page(self) -> WorkshopsPage:
        return self._page("Workshops", WorkshopsPage)

    @property
    def facilitate_page(self) -> FacilitatePage:
        from amie_desktop.ui.facilitate.page import FacilitatePage

        return self._page("Facilitate", FacilitatePage)

    @property
    def station_page(self) -> StationPage:
        from amie_desktop.ui.station.page import StationPage

        return self._page("Reflection station", StationPage)

    @property
    def exports_page(self) -> ExportsPage:
        from amie_desktop.ui.exports.page import ExportsPage

        return self._page("Exports", ExportsPage)

    @property
    def settings_page(self) -> SettingsPage:
        from amie_desktop.ui.settings.page import SettingsPage

        return self._page("Settings", SettingsPage)

    def plan_new_workshop(self) -> None:
        self.show_section(self.section_titles().index("Workshops"))
        self.workshops_page.plan_new()

    # Sections ------------------------------------------------------------------------
    def show_section(self, row: int) -> None:
        self.navigation.setCurrentRow(row)
        self.sections[row].page().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def current_page(self) -> QWidget:
        """The section on show (inside its scroll area)."""
        return self.sections[self.stack.currentIndex()].page()

    def section_titles(self) -> list[str]:
        return [section.title for section in self.sections]

    def _on_navigation_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        section = self.sections[row]
        self.data_changes.flush()  # changes not yet told would leave the page a step behind
        section.refresh_if_stale()
        self.stack.setCurrentIndex(row)
        self.statusBar().showMessage(section.description, 4000)

    def _on_facilitate_station_requested(self, workshop_id: int, phase: str) -> None:
        self.show_section(self.sections.index(self._section_of(self.station_page)))
        self.station_page.prepare(workshop_id, Phase(phase))
        self.statusBar().showMessage("Type the facilitator PIN to open the station.", 8000)

    def _section_of(self, page: QWidget) -> Section:
        return next(section for section in self.sections if section.widget is page)

    def _on_settings_page_status_changed(self, message: str) -> None:
        self.statusBar().showMessage(message, 5000)

    def _on_data_changes_data_changed(self, changes: Changes) -> None:
        shown = self.stack.currentIndex()
        for number, section in enumerate(self.sections):
            section.changed(changes, shown=number == shown)
        if changes.touches({"organisation"}):
            self._update_title()

    def attach(self) -> None:
        """The store is open now (the window was drawn from a first look): hear its changes,
        and read again what is on show through it."""
        if self._first_look is None:
            return
        self._first_look = None
        self.data_changes.listen(self._store)
        self._update_title()
        shown = self.stack.currentIndex()
        for number, section in enumerate(self.sections):
            section.stale = True
            if number == shown:
                section.refresh()

    def _update_title(self) -> None:
        if self._first_look is not None:
            name = self._first_look.organisation
            where = str(self._first_look.database_path)
        else:
            from amie_desktop.services import organisation

            settings = organisation.get_settings(self._store)
            name = settings.name if settings else ""
            where = self._store.where
        self.setWindowTitle(f"{name} – {APP_NAME}" if name else APP_NAME)
        self.status_label.setText(f"Data: {where}")

    # Text size -----------------------------------------------------------------------
    def change_text_size(self, step: float) -> None:
        """Make all text larger (step > 0), smaller (< 0), or back to normal (0)."""
        if step == 0:
            self._point_size = DEFAULT_POINT_SIZE
        else:
            self._point_size = min(MAX_POINT_SIZE, max(MIN_POINT_SIZE, self._point_size + step))
        self._apply_text_size()
        self._settings.setValue("text/point_size", self._point_size)
        self.statusBar().showMessage(f"Text size {round(self._point_size / 0.1)}%", 3000)

    @property
    def point_size(self) -> float:
        return self._point_size

    def _apply_text_size(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            font = app.font()
            font.setPointSizeF(self._point_size)
            app.setFont(font)
            app.setStyleSheet(style_sheet(LIGHT, self._point_size))
        self._fit_navigation()

    def _fit_navigation(self) -> None:
        """Size the section list to its longest title at the current text size; on a window
        too narrow for that (large text on a small screen) a title wraps onto two lines, so
        the section on show keeps its room."""
        font = QFont(self.navigation.font())
        font.setPointSizeF(self._point_size * NAV_SCALE)
        font.setBold(True)  # a little wider than drawn, to be safe
        metrics = QFontMetrics(font)
        padding = 2 * metrics.averageCharWidth() + 48
        widest = max(metrics.horizontalAdvance(s.title) for s in self.sections)
        longest_word = max(
            metrics.horizontalAdvance(word) for s in self.sections for word in s.title.split()
        )
        room = max(longest_word, int(self.width() * NAV_SHARE) - padding)
        self.navigation.setFixedWidth(min(widest, room) + padding)
        # A list view does not wrap its items' text by itself when it is made narrower, so each
        # title's height is given: one line, or two where it wraps in the room it is drawn in
        # (inside the list's padding, its focus border and the item's own padding).
        text_room = min(widest, room) + padding - 2 * (NAV_PADDING + 3 + NAV_ITEM_PADDING)
        drawn = QFont(font)
        drawn.setBold(False)
        drawn_metrics = QFontMetrics(drawn)
        items = [self.navigation.item(row) for row in range(self.navigation.count())]
        for item in items:
            item.setSizeHint(QSize())
        extra = max(0, self.navigation.sizeHintForRow(0) - drawn_metrics.height())
        for item in items:
            lines = drawn_metrics.boundingRect(
                QRect(0, 0, text_room, 100_000), int(Qt.TextFlag.TextWordWrap), item.text()
            )
            item.setSizeHint(QSize(text_room, lines.height() + extra))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_navigation()

    # Help ----------------------------------------------------------------------------
    def show_guide(self) -> None:
        folder = guide_folder()
        if folder is None:
            return
        if self._guide is None:
            self._guide = GuideWindow(folder, self)
        self._guide.show()
        self._guide.raise_()
        self._guide.activateWindow()

    def tour_pages(self) -> list[tuple[str, str]]:
        welcome = (
            f"Welcome to {APP_NAME}",
            "This short tour shows where everything lives. Use Next, or Skip to start "
            "straight away. You can take the tour again from the Help menu.",
        )
        return [welcome] + [(s.title, s.tour or s.description) for s in self.sections]

    def tour_targets(self) -> list[Callable[[], QRect | None]]:
        """Where each tour page points: the welcome nowhere, each section at its entry in the
        section list (in this window's coordinates)."""

        def entry(row: int) -> QRect | None:
            item = self.navigation.item(row)
            if item is None or not self.isVisible():
                return None
            rect = self.navigation.visualItemRect(item)
            return QRect(self.navigation.viewport().mapTo(self, rect.topLeft()), rect.size())

        targets: list[Callable[[], QRect | None]] = [lambda: None]
        return targets + [partial(entry, row) for row in range(len(self.sections))]

    def show_tour(self) -> None:
        TourDialog.ask(self.tour_pages(), self, self.tour_targets())
        self._settings.setValue("tour/seen", True)

    def tour_seen(self) -> bool:
        return str(self._settings.value("tour/seen", "false")).lower() == "true"

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Plan and run workshops on musically inclusive practice, collect attendees' "
            "reflections on one shared laptop, and export certificates and reports. "
            "Everything stays on this computer; no internet connection is needed.</p>"
            f"<p>{CREDIT}</p>",
        )

    def show_heard(self) -> None:
        rows = "".join(f"<p><b>{p.code} – {p.label}</b>: {p.meaning}.</p>" for p in PRINCIPLES)
        QMessageBox.information(
            self, "The HEARD principles", f"{rows}<p><small>{CREDIT}</small></p>"
        )

    # Window state --------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)  # maximised or not, as it was left
        else:
            self._first_size()
        state = self._settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        row = int(str(self._settings.value("window/section", 0)))
        self.navigation.setCurrentRow(row if 0 <= row < len(self.sections) else 0)

    def _first_size(self) -> None:
        """A roomy window, as much of it as the screen holds; `show_at_first_size` maximises it
        on a laptop's screen, where every pixel is wanted."""
        screen = self.screen().availableGeometry()
        self.resize(min(FIRST_SIZE[0], screen.width()), min(FIRST_SIZE[1], screen.height()))
        self._first_run = True

    def show_at_first_size(self) -> None:
        """Show the window: maximised the first time on a small screen, else as it was left."""
        screen = self.screen().availableGeometry()
        small = screen.width() < FIRST_SIZE[0] + 100 or screen.height() < FIRST_SIZE[1] + 100
        if self._first_run and small:
            self.showMaximized()
        else:
            self.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close():
            event.ignore()
            return
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState())
        self._settings.setValue("window/section", self.navigation.currentRow())
        self._settings.sync()
        super().closeEvent(event)

    def _may_close(self) -> bool:
        """Everything is saved as it is typed; what cannot be saved as it stands (a half-typed
        colour) is not lost without a word: the person goes back to it, or closes without it."""
        from amie_desktop.ui.settings.dialogs import confirm

        for number, section in enumerate(self.sections):
            ask = getattr(section.widget, "unsaved_work", None)
            problem = ask() if callable(ask) else None
            if not problem:
                continue
            self.show_section(number)
            if not confirm(self, "Close without this change?", problem, "&Close without it"):
                return False
        return True


def _scrolling() -> QScrollArea:
    """Pages scroll rather than squash, so at large text nothing is clipped."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


def window_settings(data_dir: Path) -> QSettings:
    """Window state lives beside the data, so each data folder remembers its own layout."""
    path = data_dir / "window.ini"
    # Readable by this user only, like the rest of the folder; Qt keeps the mode when it
    # rewrites the file. A read-only folder just means the layout is not kept.
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        os.chmod(path, 0o600)
    return QSettings(str(path), QSettings.Format.IniFormat)
