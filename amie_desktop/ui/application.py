"""Builds the Qt application: style, first-run set-up, then the main window."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox

from amie_desktop import APP_ID, APP_NAME, ORG_DOMAIN, __version__
from amie_desktop.services import backups, organisation
from amie_desktop.services.errors import UserError
from amie_desktop.store import DamagedDatabaseError, DatabaseError, Store
from amie_desktop.ui.backup_scheduler import BackupScheduler
from amie_desktop.ui.dialogs import SetupDialog
from amie_desktop.ui.main_window import MainWindow, window_settings
from amie_desktop.ui.recovery import RecoveryChoice, RecoveryDialog


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
    window = MainWindow(store, window_settings(store.data_dir))
    scheduler = BackupScheduler(store, window)
    scheduler.backup_made.connect(lambda text: window.statusBar().showMessage(text, 5000))
    scheduler.backup_failed.connect(lambda text: QMessageBox.warning(window, APP_NAME, text))
    scheduler.start()
    return window


def _recover(open_store: Callable[[], Store], damage: DamagedDatabaseError) -> Store | None:
    """Tell the user the database was damaged and moved aside; restore a backup if they agree."""
    data_dir = damage.moved_to.parent
    while True:
        newest = backups.newest_good_backup(data_dir)
        choice, chosen = RecoveryDialog.ask(damage.moved_to, newest)
        if choice is RecoveryChoice.QUIT:
            return None
        try:
            if chosen is not None:
                backups.restore_into_folder(data_dir, damage.database_path.name, chosen)
            store = open_store()
        except (UserError, DatabaseError) as exc:
            QMessageBox.warning(None, APP_NAME, str(exc))
            continue
        backups.record_recovery(store, chosen, damage.moved_to)
        return store


def run_window(open_store: Callable[[], Store], argv: list[str]) -> int:
    app = make_application(argv)
    try:
        try:
            store: Store | None = open_store()
        except DamagedDatabaseError as damage:
            store = _recover(open_store, damage)
    except DatabaseError as exc:
        print(f"amie-desktop: {exc}", file=sys.stderr)
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    if store is None:
        return 0
    try:
        warning = backups.data_folder_warning(store)
        if warning:
            QMessageBox.warning(None, APP_NAME, warning)
        window = build_main_window(store)
        if window is None:
            return 0
        window.show()
        return app.exec()
    finally:
        QThreadPool.globalInstance().waitForDone()
        store.close()
