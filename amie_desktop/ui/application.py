"""Builds the Qt application: style, first-run set-up, then the main window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from types import TracebackType

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from amie_desktop import APP_NAME, DESKTOP_ID, ORG_DOMAIN, __version__
from amie_desktop.services import organisation
from amie_desktop.store import DatabaseError, Store
from amie_desktop.ui.dialogs import SetupDialog
from amie_desktop.ui.main_window import MainWindow, window_settings

log = logging.getLogger("amie_desktop")


def install_error_handler(log_file: Path) -> None:
    """Errors nothing else caught: log the details, tell the user plainly, keep running."""

    def handle(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        log.critical("unhandled error", exc_info=(kind, error, trace))
        QMessageBox.critical(
            QApplication.activeWindow(),
            APP_NAME,
            "Something went wrong that the app could not handle. What you saved is safe.\n\n"
            f"The details are in the log file:\n{log_file}\n\n"
            "If it happens again, send that file to whoever supports the app for you.",
        )

    sys.excepthook = handle


def make_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationDomain(ORG_DOMAIN)
    app.setDesktopFileName(DESKTOP_ID)
    app.setStyle("Fusion")
    app.setWindowIcon(app_icon())
    return app


def app_icon() -> QIcon:
    folder = resources.files("amie_desktop") / "assets" / "icons"
    icon = QIcon(str(folder / "amie-desktop.svg"))
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(str(folder / f"amie-desktop-{size}.png"))
    return icon


def build_main_window(store: Store) -> MainWindow | None:
    """The main window, after first-run set-up if needed; None if the user cancels set-up."""
    if organisation.get_settings(store) is None and not SetupDialog.ask(store):
        return None
    return MainWindow(store, window_settings(store.data_dir))


def run_window(open_store: Callable[[], Store], argv: list[str], log_file: Path) -> int:
    app = make_application(argv)
    install_error_handler(log_file)
    try:
        store = open_store()
    except DatabaseError as exc:
        log.error("database not opened: %s", exc)
        print(f"amie-desktop: {exc}", file=sys.stderr)
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    log.info("window opened on %s", store.database_path or "an external database")
    try:
        window = build_main_window(store)
        if window is None:
            return 0
        window.show()
        if not window.tour_seen():
            window.show_tour()
        return app.exec()
    finally:
        store.close()
