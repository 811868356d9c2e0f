"""Settings section: tabs for the organisation (name, PIN, data folder) and for data safety."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
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
from amie_desktop.services import keys, organisation
from amie_desktop.services.errors import UserError
from amie_desktop.store import BACKUPS, Store
from amie_desktop.ui.dialogs import ChangePinDialog
from amie_desktop.ui.settings.bundle_box import BundleBox
from amie_desktop.ui.settings.data_tab import DataTab
from amie_desktop.ui.settings.sync_box import SyncBox
from amie_desktop.ui.widgets.flow import FlowLayout
from amie_desktop.ui.widgets.forms import breakable_path, buddy, error_label, form_layout


class SettingsPage(QWidget):
    status_changed = Signal(str)
    shows = frozenset({"organisation", BACKUPS})

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
        org_form = form_layout(org_box)
        org_form.addRow(buddy("Organisation &name", self.name), self.name)
        org_form.addRow("", self.problem)
        pin_row = QHBoxLayout()  # a button its own size, like the others on this page
        pin_row.addWidget(self.change_pin)
        pin_row.addStretch(1)
        org_form.addRow("Facilitator PIN", pin_row)

        key_box = self._key_box()

        self.data_folder = QLabel(breakable_path(str(store.data_dir)))
        self.data_folder.setWordWrap(True)
        self.data_folder.setAccessibleName("Data folder")
        self.open_folder = QPushButton("&Open data folder")
        self.open_folder.setAccessibleName("Open data folder")
        self.open_folder.clicked.connect(self._on_open_folder_clicked)
        database = store.where
        data_box = QGroupBox("Where the data lives")
        data_form = form_layout(data_box)
        data_form.addRow("Data folder", self.data_folder)
        row = QHBoxLayout()
        row.addWidget(self.open_folder)
        row.addStretch(1)
        data_form.addRow("", row)
        database_label = QLabel(breakable_path(database))
        database_label.setWordWrap(True)
        data_form.addRow("Database", database_label)
        data_form.addRow("App version", QLabel(__version__))

        organisation_tab = QWidget()
        organisation_layout = QVBoxLayout(organisation_tab)
        organisation_layout.addWidget(org_box)
        organisation_layout.addWidget(key_box)
        self.sync_box = SyncBox(store)
        self.sync_box.synced.connect(self.status_changed)
        organisation_layout.addWidget(self.sync_box)
        self.bundle_box = BundleBox(store)
        self.bundle_box.done.connect(self.status_changed)
        organisation_layout.addWidget(self.bundle_box)
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
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings tabs")
        self.tabs.addTab(organisation_scroll, "&Organisation")
        self.tabs.addTab(self.data_tab, "&Data")
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)
        self.setFocusProxy(self.name)

    def _key_box(self) -> QGroupBox:
        """The organisation's public key: what schools need to check its certificates."""
        self.fingerprint = QLabel()
        self.fingerprint.setAccessibleName("Public key fingerprint")
        self.fingerprint.setWordWrap(True)  # its groups of four wrap at large text
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_key = QPushButton("Save public &key file…")
        self.save_key.setAccessibleName("Save public key file")
        self.save_key.clicked.connect(self._on_save_key_clicked)
        self.save_key_qr = QPushButton("Save key as &QR picture…")
        self.save_key_qr.setAccessibleName("Save key as QR picture")
        self.save_key_qr.clicked.connect(self._on_save_key_qr_clicked)
        self.key_problem = error_label()
        about = QLabel(
            "Anyone can check this organisation's certificates offline with its public key "
            "file. Publish it on your website or send it by email, with the fingerprint, which "
            "people compare to be sure the file is yours."
        )
        about.setWordWrap(True)
        box = QGroupBox("Certificate signing key")
        form = form_layout(box)
        form.addRow(about)
        form.addRow("Fingerprint", self.fingerprint)
        buttons = QWidget()  # side by side, one under the other when the tab is narrow
        row = FlowLayout(buttons)
        row.addWidget(self.save_key)
        row.addWidget(self.save_key_qr)
        form.addRow("", buttons)
        form.addRow("", self.key_problem)
        return box

    def _show_fingerprint(self) -> None:
        try:
            self.fingerprint.setText(keys.organisation_fingerprint(self._store))
        except UserError as exc:
            self.fingerprint.setText("")
            self.key_problem.setText(str(exc))

    def _on_save_key_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the public key file", "", "Public key file (*.json)"
        )
        if name:
            self.save_key_file_to(Path(name))

    def save_key_file_to(self, path: Path) -> None:
        try:
            keys.export_public_key(self._store, path)
        except UserError as exc:
            self.key_problem.setText(str(exc))
            return
        self.key_problem.clear()
        self.status_changed.emit(f"Public key file saved to {path}.")

    def _on_save_key_qr_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the public key as a QR picture", "", "PNG picture (*.png)"
        )
        if name:
            self.save_key_qr_to(Path(name))

    def save_key_qr_to(self, path: Path) -> None:
        try:
            keys.export_public_key_qr(self._store, path)
        except UserError as exc:
            self.key_problem.setText(str(exc))
            return
        self.key_problem.clear()
        self.status_changed.emit(f"Public key QR picture saved to {path}.")

    def refresh(self) -> None:
        settings = organisation.get_settings(self._store)
        self.name.setText(settings.name if settings else "")
        self.problem.clear()
        self.key_problem.clear()
        if settings is not None:
            self._show_fingerprint()
        if self.tabs.currentWidget() is self.data_tab:
            self.data_tab.refresh()

    def show_data_tab(self) -> None:
        self.tabs.setCurrentWidget(self.data_tab)

    def _on_tabs_current_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.data_tab:
            self.data_tab.refresh()

    def _on_name_editing_finished(self) -> None:
        settings = organisation.get_settings(self._store)
        if settings is None or self.name.text().strip() == settings.name:
            return
        try:
            organisation.rename(self._store, self.name.text())
        except UserError as exc:
            self.problem.setText(str(exc))
            return
        self.problem.clear()
        self.status_changed.emit("Organisation name saved.")

    def _on_change_pin_clicked(self) -> None:
        if ChangePinDialog.ask(self._store, self):
            self.status_changed.emit("Facilitator PIN changed.")

    def _on_open_folder_clicked(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._store.data_dir)))
