"""Settings section: tabs for the organisation (name, PIN, data folder) and for data safety."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from amie_desktop import __version__
from amie_desktop.services import organisation
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from amie_desktop.ui.dialogs import ChangePinDialog
from amie_desktop.ui.settings.data_tab import DataTab
from amie_desktop.ui.widgets.forms import buddy, error_label


class SettingsPage(QWidget):
    organisation_renamed = Signal(str)
    status_changed = Signal(str)

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        heading = QLabel("Settings")
        heading.setProperty("role", "heading")

        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.name.editingFinished.connect(self._on_name_editing_finished)
        self.problem = error_label()
        self.change_pin = QPushButton("Change facilitator &PIN…")
        self.change_pin.setAccessibleName("Change facilitator PIN")
        self.change_pin.clicked.connect(self._on_change_pin_clicked)

        org_box = QGroupBox("Organisation")
        org_form = QFormLayout(org_box)
        org_form.addRow(buddy("Organisation &name", self.name), self.name)
        org_form.addRow("", self.problem)
        pin_row = QHBoxLayout()  # a button its own size, like the others on this page
        pin_row.addWidget(self.change_pin)
        pin_row.addStretch(1)
        org_form.addRow("Facilitator PIN", pin_row)

        self.data_folder = QLabel(str(store.data_dir))
        self.data_folder.setWordWrap(True)
        self.data_folder.setAccessibleName("Data folder")
        self.open_folder = QPushButton("&Open data folder")
        self.open_folder.setAccessibleName("Open data folder")
        self.open_folder.clicked.connect(self._on_open_folder_clicked)
        database = str(store.database_path) if store.database_path else "an external database"
        data_box = QGroupBox("Where the data lives")
        data_form = QFormLayout(data_box)
        data_form.addRow("Data folder", self.data_folder)
        row = QHBoxLayout()
        row.addWidget(self.open_folder)
        row.addStretch(1)
        data_form.addRow("", row)
        data_form.addRow("Database", QLabel(database))
        data_form.addRow("App version", QLabel(__version__))

        organisation_tab = QWidget()
        organisation_layout = QVBoxLayout(organisation_tab)
        organisation_layout.addWidget(org_box)
        organisation_layout.addWidget(data_box)
        organisation_layout.addStretch(1)
        organisation_tab.setFocusProxy(self.name)
        organisation_scroll = QScrollArea()  # so large text scrolls rather than squeezes
        organisation_scroll.setWidget(organisation_tab)
        organisation_scroll.setWidgetResizable(True)
        organisation_scroll.setFrameShape(QFrame.Shape.NoFrame)
        organisation_scroll.viewport().setAutoFillBackground(False)
        organisation_tab.setAutoFillBackground(False)

        self.data_tab = DataTab(store)
        self.data_tab.status_changed.connect(self.status_changed)
        self.data_tab.database_replaced.connect(self._on_data_tab_database_replaced)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings tabs")
        self.tabs.addTab(organisation_scroll, "&Organisation")
        self.tabs.addTab(self.data_tab, "&Data")
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)
        self.setFocusProxy(self.name)

    def refresh(self) -> None:
        settings = organisation.get_settings(self._store)
        self.name.setText(settings.name if settings else "")
        self.problem.clear()
        if self.tabs.currentWidget() is self.data_tab:
            self.data_tab.refresh()

    def show_data_tab(self) -> None:
        self.tabs.setCurrentWidget(self.data_tab)

    def _on_data_tab_database_replaced(self) -> None:
        settings = organisation.get_settings(self._store)
        self.name.setText(settings.name if settings else "")
        if settings is not None:
            self.organisation_renamed.emit(settings.name)

    def _on_tabs_current_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.data_tab:
            self.data_tab.refresh()

    def _on_name_editing_finished(self) -> None:
        settings = organisation.get_settings(self._store)
        if settings is None or self.name.text().strip() == settings.name:
            return
        try:
            saved = organisation.rename(self._store, self.name.text())
        except UserError as exc:
            self.problem.setText(str(exc))
            return
        self.problem.clear()
        self.organisation_renamed.emit(saved.name)
        self.status_changed.emit("Organisation name saved.")

    def _on_change_pin_clicked(self) -> None:
        if ChangePinDialog.ask(self._store, self):
            self.status_changed.emit("Facilitator PIN changed.")

    def _on_open_folder_clicked(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._store.data_dir)))
