"""Builds the Qt application: style, first-run set-up, then the main window."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QLocale, QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from amie_desktop import APP_NAME, DESKTOP_ID, ORG_DOMAIN, __version__
from amie_desktop.domain.clock import Clock, system_clock
from amie_desktop.domain.content import asset_folder
from amie_desktop.services.errors import UserError
from amie_desktop.store.late import LateStore
from amie_desktop.ui.fonts import install_name_fonts
from amie_desktop.ui.jobs import running_jobs
from amie_desktop.ui.main_window import MainWindow, window_settings

if TYPE_CHECKING:
    from amie_desktop.store import DamagedDatabaseError, Store
    from amie_desktop.store.first_look import FirstLook

# The services and the Store's module load SQLAlchemy: imported where used, so a window drawn
# from a first look at the database (store/first_look.py) is on screen before they load.

log = logging.getLogger("amie_desktop")


class _ErrorReporter(QObject):
    """Logs an error nothing else caught and tells the user plainly, on the GUI thread."""

    error_reported = Signal()

    def __init__(self, log_file: Path) -> None:
        super().__init__()
        self._log_file = log_file
        self._showing = False
        # Errors in background work arrive on other threads; a widget may only be made on the
        # GUI thread, so the message travels there as a queued signal.
        self.error_reported.connect(self._on_error_reported)

    def report(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        log.critical("unhandled error", exc_info=(kind, error, trace))
        self.error_reported.emit()

    def _on_error_reported(self) -> None:
        if self._showing:
            return  # one message at a time: an error that repeats must not stack up boxes
        self._showing = True
        try:
            QMessageBox.critical(
                QApplication.activeWindow(),
                APP_NAME,
                "Something went wrong that the app could not handle. What you saved is safe."
                f"\n\nThe details are in the log file:\n{self._log_file}\n\n"
                "If it happens again, send that file to whoever supports the app for you.",
            )
        finally:
            self._showing = False


def install_error_handler(log_file: Path) -> None:
    """Errors nothing else caught, on any thread: log the details, tell the user plainly."""
    reporter = _ErrorReporter(log_file)
    sys.excepthook = reporter.report

    def on_thread_error(args: threading.ExceptHookArgs) -> None:
        reporter.report(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)

    threading.excepthook = on_thread_error


def make_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationDomain(ORG_DOMAIN)
    app.setDesktopFileName(DESKTOP_ID)
    app.setStyle("Fusion")
    use_british_english()
    app.setWindowIcon(app_icon())
    install_name_fonts(app)
    return app


def use_british_english() -> None:
    """Qt's own date fields and calendars name days and months in British English, as
    domain.dates does, whatever the machine's language: one way of saying a date everywhere.
    """
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))


def app_icon() -> QIcon:
    folder = asset_folder() / "icons"
    icon = QIcon(str(folder / "amie-desktop.svg"))
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(str(folder / f"amie-desktop-{size}.png"))
    return icon


def build_main_window(store: Store, *, clock: Clock = system_clock) -> MainWindow | None:
    """The main window, after first-run set-up if needed; None if the user cancels set-up."""
    from amie_desktop.services import organisation

    if organisation.get_settings(store) is None:
        from amie_desktop.ui.dialogs import SetupDialog  # first run only

        if not SetupDialog.ask(store):
            return None
    window = MainWindow(store, window_settings(store.data_dir), clock=clock)
    _start_backups(store, window)
    return window


def _start_backups(store: Store, window: MainWindow) -> None:
    from amie_desktop.ui.backup_scheduler import BackupScheduler

    scheduler = BackupScheduler(store, window)
    scheduler.backup_made.connect(lambda text: window.statusBar().showMessage(text, 5000))
    scheduler.backup_failed.connect(lambda text: QMessageBox.warning(window, APP_NAME, text))
    scheduler.start()


def _ask_recovery(moved_to: Path, put_back: Callable[[Path | None], Store]) -> Store | None:
    """Tell the user the database was damaged and moved aside; restore a backup if they agree.

    put_back(backup or None) makes the store to go on with; a backup it cannot use is said
    plainly and the choice offered again. None if the user quits.
    """
    from amie_desktop.services import backups
    from amie_desktop.store import DatabaseError
    from amie_desktop.ui.recovery import RecoveryChoice, RecoveryDialog  # after damage only

    while True:
        newest = backups.newest_good_backup(moved_to.parent)
        choice, chosen = RecoveryDialog.ask(moved_to, newest)
        if choice is RecoveryChoice.QUIT:
            return None
        try:
            store = put_back(chosen)
        except (UserError, DatabaseError) as exc:
            QMessageBox.warning(None, APP_NAME, str(exc))
            continue
        backups.record_recovery(store, chosen, moved_to)
        return store


def _recover(open_store: Callable[[], Store], damage: DamagedDatabaseError) -> Store | None:
    """The database was found damaged now: nothing is open, so a backup goes into the folder."""

    from amie_desktop.services import backups

    def put_back(chosen: Path | None) -> Store:
        if chosen is not None:
            backups.restore_into_folder(damage.moved_to.parent, damage.database_path.name, chosen)
        return open_store()

    return _ask_recovery(damage.moved_to, put_back)


def _resume_recovery(store: Store) -> Store | None:
    """A damaged database was moved aside before, but no backup or fresh start was chosen:
    ask again, rather than let set-up begin on an empty database as if nothing had happened."""
    from amie_desktop.services import backups

    moved = backups.unfinished_recovery(store)
    if moved is None:
        return store

    def put_back(chosen: Path | None) -> Store:
        if chosen is not None:
            backups.restore(store, chosen)
        return store

    recovered = _ask_recovery(moved, put_back)
    if recovered is None:
        store.close()
    return recovered


def run_window(
    open_store: Callable[[], Store],
    argv: list[str],
    log_file: Path,
    first_look: FirstLook | None = None,
) -> int:
    """Open the window on the store open_store opens, and run it until it is closed.

    With a first look at the database (store/first_look.py), the window is drawn from it and
    the store opened just after it is on screen; if the store then cannot be opened, the
    window goes and the ordinary way below says why (and offers a backup after damage).
    """
    app = make_application(argv)
    install_error_handler(log_file)
    damage: DamagedDatabaseError | None = None
    if first_look is not None:
        late = LateStore(open_store)
        window = show_first_look(late, first_look)
        failure: list[Exception] = []
        QTimer.singleShot(0, lambda: _finish_or_close(window, late, failure))
        try:
            code = app.exec()
        finally:
            running_jobs().wait()
            if late.opened is not None:
                late.opened.close()
        if not failure:
            return code
        window.deleteLater()
        damage = _damage(failure[0])
    from amie_desktop.store import DamagedDatabaseError, DatabaseError

    try:
        try:
            if damage is not None:
                raise damage
            store: Store | None = _resume_recovery(open_store())
        except DamagedDatabaseError as found:
            store = _recover(open_store, found)
    except (DatabaseError, UserError) as exc:
        log.error("database not opened: %s", type(exc).__name__)
        print(f"amie-desktop: {exc}", file=sys.stderr)
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    if store is None:
        return 0
    log.info("window opened on %s", store.database_path or "an external database")
    try:
        if show_window(store) is None:
            return 0
        return app.exec()
    finally:
        running_jobs().wait()
        store.close()


def _damage(error: Exception) -> DamagedDatabaseError | None:
    from amie_desktop.store import DamagedDatabaseError

    return error if isinstance(error, DamagedDatabaseError) else None


def show_first_look(
    store: LateStore, look: FirstLook, *, clock: Clock = system_clock
) -> MainWindow:
    """The main window drawn from a first look at the database, before its store is open;
    finish_opening() opens the store behind it. bench/startup.py times these same steps."""
    if look.folder_warning:
        QMessageBox.warning(None, APP_NAME, look.folder_warning)
    settings = window_settings(look.database_path.parent)
    window = MainWindow(cast("Store", store), settings, clock=clock, first_look=look)
    window.show_at_first_size()
    if not window.tour_seen():
        window.show_tour()
    return window


def finish_opening(window: MainWindow, store: LateStore) -> None:
    """Open the store behind a window drawn from a first look: the window then reads through
    it, hears its changes and backs it up. Raises what opening the store raises."""
    opened = store.open()
    log.info("window opened on %s", opened.database_path)
    window.attach()
    _start_backups(opened, window)


def _finish_or_close(window: MainWindow, store: LateStore, failure: list[Exception]) -> None:
    from amie_desktop.store import DatabaseError

    try:
        finish_opening(window, store)
    except (DatabaseError, UserError) as exc:
        log.error("database not opened behind the first look: %s", type(exc).__name__)
        failure.append(exc)
        # Hidden, not closed: closing the last window would post a Quit event that outlives
        # this loop and ends the next one (the recovery dialog's) before it shows.
        window.hide()
        QApplication.exit(0)


def show_window(store: Store, *, clock: Clock = system_clock) -> MainWindow | None:
    """Show the main window on an open store (None if the user cancels first-run set-up).

    A station that was open when the app stopped comes back at once, locked; otherwise the
    tour is offered the first time.
    """
    from amie_desktop.services import backups, reflections

    warning = backups.data_folder_warning(store)
    if warning:
        QMessageBox.warning(None, APP_NAME, warning)
    window = build_main_window(store, clock=clock)
    if window is None:
        return None
    window.show_at_first_size()
    # The station's page (and its modules) is built only when a station is to come back.
    if reflections.interrupted_station(store) is not None:
        window.station_page.reopen_if_interrupted()
    elif not window.tour_seen():
        window.show_tour()
    return window
