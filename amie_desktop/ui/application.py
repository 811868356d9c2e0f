"""Builds the Qt application: style, first-run set-up, then the main window."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QMessageBox

from amie_desktop import APP_ID, APP_NAME, ORG_DOMAIN, __version__
from amie_desktop.services import organisation
from amie_desktop.store import DatabaseError, Store
from amie_desktop.ui.dialogs import SetupDialog
from amie_desktop.ui.main_window import MainWindow, window_settings


def make_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationDomain(ORG_DOMAIN)
    app.setDesktopFileName(APP_ID)
    app.setStyle("Fusion")
    return app


def build_main_window(store: Store) -> MainWindow | None:
    """The main window, after first-run set-up if needed; None if the user cancels set-up."""
    if organisation.get_settings(store) is None and not SetupDialog.ask(store):
        return None
    return MainWindow(store, window_settings(store.data_dir))


def run_window(open_store: Callable[[], Store], argv: list[str]) -> int:
    app = make_application(argv)
    try:
        store = open_store()
    except DatabaseError as exc:
        print(f"amie-desktop: {exc}", file=sys.stderr)
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    try:
        window = build_main_window(store)
        if window is None:
            return 0
        window.show()
        window.station_page.reopen_if_interrupted()
        return app.exec()
    finally:
        store.close()
