"""The main window: a section list on the left, the chosen section on the right."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from amie_desktop import APP_NAME, __version__
from amie_desktop.domain.heard import CREDIT, PRINCIPLES
from amie_desktop.services import organisation
from amie_desktop.store import Store
from amie_desktop.ui.exports.page import ExportsPage
from amie_desktop.ui.settings.page import SettingsPage
from amie_desktop.ui.theme import LIGHT, style_sheet
from amie_desktop.ui.workshops.page import WorkshopsPage

DEFAULT_POINT_SIZE = 10.0
MIN_POINT_SIZE, MAX_POINT_SIZE = 8.0, 24.0


@dataclass
class Section:
    title: str
    widget: QWidget
    refresh: Callable[[], None]
    description: str


class MainWindow(QMainWindow):
    def __init__(self, store: Store, settings: QSettings) -> None:
        super().__init__()
        self._store = store
        self._settings = settings
        self.setAccessibleName(APP_NAME)

        self.workshops_page = WorkshopsPage(store)
        self.exports_page = ExportsPage(store)
        self.exports_page.status_changed.connect(self._on_settings_page_status_changed)
        self.settings_page = SettingsPage(store)
        self.settings_page.status_changed.connect(self._on_settings_page_status_changed)
        self.settings_page.organisation_renamed.connect(self._on_settings_organisation_renamed)
        # Only sections that work are listed; each later section adds itself here.
        self.sections: list[Section] = [
            Section("Workshops", self.workshops_page, self.workshops_page.refresh,
                    "Every workshop, with its agenda and register counts"),
            Section("Exports", self.exports_page, self.exports_page.refresh,
                    "Certificates, session summaries and CSV files; check a certificate"),
            Section("Settings", self.settings_page, self.settings_page.refresh,
                    "Organisation, facilitator PIN and data folder"),
        ]  # fmt: skip

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Sections")
        self.navigation.setAccessibleDescription("Choose a part of the app to work in")
        self.stack = QStackedWidget()
        for number, section in enumerate(self.sections, start=1):
            item = QListWidgetItem(section.title)
            item.setToolTip(f"{section.description} (Ctrl+{number})")
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, section.description)
            self.navigation.addItem(item)
            self.stack.addWidget(section.widget)
        self.navigation.setFixedWidth(self.navigation.sizeHintForColumn(0) + 48)
        self.navigation.currentRowChanged.connect(self._on_navigation_current_row_changed)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status_label = QLabel()
        self.status_label.setAccessibleName("Status")
        self.statusBar().addPermanentWidget(self.status_label)
        self._build_menus()
        self._point_size = float(str(settings.value("text/point_size", DEFAULT_POINT_SIZE)))
        self._apply_text_size()
        self._restore_state()
        self._update_title()

    # Menus and shortcuts -------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

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
        heard = QAction("The &HEARD principles", self)
        heard.triggered.connect(self.show_heard)
        about = QAction(f"&About {APP_NAME}", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(heard)
        help_menu.addAction(about)

    # Sections ------------------------------------------------------------------------
    def show_section(self, row: int) -> None:
        self.navigation.setCurrentRow(row)
        page = self.stack.currentWidget()
        if page is not None:
            page.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def section_titles(self) -> list[str]:
        return [section.title for section in self.sections]

    def _on_navigation_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        section = self.sections[row]
        section.refresh()
        self.stack.setCurrentIndex(row)
        self.statusBar().showMessage(section.description, 4000)

    def _on_settings_page_status_changed(self, message: str) -> None:
        self.statusBar().showMessage(message, 5000)

    def _on_settings_organisation_renamed(self, _name: str) -> None:
        self._update_title()

    def _update_title(self) -> None:
        settings = organisation.get_settings(self._store)
        name = settings.name if settings else ""
        self.setWindowTitle(f"{name} – {APP_NAME}" if name else APP_NAME)
        where = self._store.database_path or "external database"
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
        self.navigation.setFixedWidth(self.navigation.sizeHintForColumn(0) + 48)

    # Help ----------------------------------------------------------------------------
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
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 720)
        state = self._settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        row = int(str(self._settings.value("window/section", 0)))
        self.navigation.setCurrentRow(row if 0 <= row < len(self.sections) else 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState())
        self._settings.setValue("window/section", self.navigation.currentRow())
        self._settings.sync()
        super().closeEvent(event)


def window_settings(data_dir: Path) -> QSettings:
    """Window state lives beside the data, so each data folder remembers its own layout."""
    return QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)
