"""The station window: full screen, one attendee after another, left only with the PIN."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QClipboard,
    QCloseEvent,
    QCursor,
    QGuiApplication,
    QHideEvent,
    QKeyEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.services import organisation, reflections
from amie_desktop.services.errors import UserError
from amie_desktop.services.reflections import StationInfo
from amie_desktop.store import StorageError, Store
from amie_desktop.ui.station.flow import AttendeeFlow
from amie_desktop.ui.station.screens import Screen
from amie_desktop.ui.station.themes import Look, station_font, station_style_sheet
from amie_desktop.ui.station.widgets import Paragraph, announce, button, heading
from amie_desktop.ui.widgets.forms import pin_field

WARNING_SECONDS = 30  # how long "Are you still there?" waits before the screen clears
THANKS_SECONDS = 8  # how long the thank-you stays before the welcome screen
TICK_MS = 500
TAKE_BACK_MS = 400  # after another program takes the keyboard, the station takes it back

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.InputMethod,
}

# Keys that press a button: their auto-repeat is ignored while the station is open.
_PRESSING_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space}


class StationWindow(QWidget):
    """The kiosk. Build it with the workshop and phase already opened with the PIN."""

    station_closed = Signal()
    reflection_submitted = Signal()
    announcement_made = Signal(str)

    def __init__(
        self,
        store: Store,
        info: StationInfo,
        *,
        locked: bool = False,
        text_scale: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.setObjectName("station")
        self.setWindowTitle("Reflection station")
        self.setAccessibleName("Reflection station")
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        self._store = store
        self._info = info
        self._clock = clock
        self._text_scale = text_scale
        self._last_activity = clock()
        self._pointer_at = QCursor.pos()
        self._may_close = False
        self._locked = locked
        self._after_pin: Callable[[], None] = lambda: None
        self._on_pin_cancel: Callable[[], None] = lambda: None
        self._check_pin: Callable[[str], None] = lambda _pin: None
        self.last_announcement = ""
        self.look = Look()
        self._warned_at = 0.0
        self._applied: tuple[Look, float] | None = None
        # Messages meant for the facilitator that tried to show over the station: (title, text),
        # shown by the main window once the station has closed.
        self.held_messages: list[tuple[str, str]] = []

        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.pin_screen = self._build_pin_screen()
        self.idle_screen = self._build_idle_screen()
        self.thanks_screen = self._build_thanks_screen()
        for screen in (self.pin_screen, self.idle_screen, self.thanks_screen):
            self.stack.addWidget(screen)
        self.flow = self._new_flow()
        self.apply_look(Look())

        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.check_idle)
        self._ticker.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)
        if locked:
            self._show_pin(
                "Station locked",
                "The station stopped unexpectedly. Nothing that was saved has been lost. "
                "Facilitator: type your PIN to open the station again.",
                lambda pin: organisation.verify_pin(store, pin, actor="reflection station"),
                self._show_flow,
                None,
            )
        else:
            self._show_flow()

    # Screens ----------------------------------------------------------------------
    def _build_pin_screen(self) -> Screen:
        screen = Screen("Facilitator PIN")
        self.pin_title = heading("Facilitator PIN")
        self.pin_text = Paragraph("")
        self.pin = pin_field("Facilitator PIN")
        self.pin.setAccessibleDescription("Only the facilitator knows this PIN")
        self.pin.returnPressed.connect(self._on_pin_ok_clicked)
        self.pin_problem = Paragraph("", role="warning")
        self.pin_problem.setAccessibleDescription("Why the PIN was not accepted")
        label = QLabel("Facilitator &PIN")
        label.setBuddy(self.pin)
        for widget in (self.pin_title, self.pin_text, label, self.pin, self.pin_problem):
            screen.body.addWidget(widget)
        screen.finish()
        self.pin_cancel = button("Cancel", "Cancel", "Go back without the PIN")
        self.pin_cancel.clicked.connect(self._on_pin_cancel_clicked)
        ok = button("OK", "OK", "Check the PIN", primary=True)
        ok.clicked.connect(self._on_pin_ok_clicked)
        screen.buttons.addWidget(self.pin_cancel)
        screen.buttons.addStretch(1)
        screen.buttons.addWidget(ok)
        screen.first_focus = self.pin
        return screen

    def _build_idle_screen(self) -> Screen:
        screen = Screen("Are you still there?")
        screen.body.addWidget(heading("Are you still there?"))
        self.countdown = Paragraph("")
        self.countdown.setAccessibleDescription("Time left before the screen clears")
        screen.body.addWidget(self.countdown)
        screen.body.addWidget(
            Paragraph(
                "If you have finished, you can walk away: anything you wrote is kept safely "
                "but not sent.",
                role="muted",
            )
        )
        screen.finish()
        here = button("I'm still here", "I'm still here", "Go back to your answers", True)
        here.clicked.connect(self._on_still_here_clicked)
        screen.buttons.addStretch(1)
        screen.buttons.addWidget(here)
        screen.first_focus = here
        return screen

    def _build_thanks_screen(self) -> Screen:
        screen = Screen("Thank you")
        screen.body.addWidget(heading("Thank you"))
        screen.body.addWidget(
            Paragraph(
                "Your answers have been saved. You can pass the laptop to the next person now."
            )
        )
        screen.finish()
        done = button("Next person", "Next person", "Clear the screen for the next person", True)
        done.clicked.connect(self._on_next_person_clicked)
        screen.buttons.addStretch(1)
        screen.buttons.addWidget(done)
        screen.first_focus = done
        screen.announcement = "Thank you. Your answers have been saved."
        return screen

    def _new_flow(self) -> AttendeeFlow:
        flow = AttendeeFlow(self._store, self._info, self._show_pin)
        flow.look_changed.connect(self._on_flow_look_changed)
        flow.reflection_submitted.connect(self._on_flow_reflection_submitted)
        flow.flow_finished.connect(self._on_flow_flow_finished)
        flow.screen_changed.connect(self.announce)
        flow.status_changed.connect(self.announce)
        self.stack.addWidget(flow)
        return flow

    def announce(self, message: str) -> None:
        self.last_announcement = message
        announce(self, message)
        self.announcement_made.emit(message)

    def _show(self, screen: QWidget, announcement: str) -> None:
        self.stack.setCurrentWidget(screen)
        self.focus_current()
        self.announce(announcement)

    def _show_flow(self) -> None:
        self.stack.setCurrentWidget(self.flow)
        self.flow.focus_screen()
        self.announce(self.flow.current().announcement)

    def focus_current(self) -> None:
        """Put the keyboard focus where the current screen starts."""
        screen = self.current_screen()
        target = screen.focus_target() if isinstance(screen, Screen) else None
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def current_screen(self) -> QWidget:
        if self.stack.currentWidget() is self.flow:
            return self.flow.current()
        current = self.stack.currentWidget()
        assert current is not None
        return current

    # Look -------------------------------------------------------------------------
    def apply_look(self, look: Look) -> None:
        self.look = look
        self.flow.look = look
        # Restyling every widget is slow, and the next person should not wait for nothing.
        if self._applied != (look, self._text_scale):
            self._applied = (look, self._text_scale)
            self.setFont(station_font(QApplication.font(), look, self._text_scale))
            self.setStyleSheet(station_style_sheet(look, self._text_scale))
        for paragraph in self.findChildren(Paragraph):
            paragraph.apply(look)

    def set_text_scale(self, scale: float) -> None:
        self._text_scale = scale
        self.apply_look(self.look)

    def _on_flow_look_changed(self, look: Look) -> None:
        self.apply_look(look)

    # The next person --------------------------------------------------------------
    def _on_flow_reflection_submitted(self) -> None:
        # The reflection is committed; thank the person, and build the clean station behind.
        self._show(self.thanks_screen, self.thanks_screen.announcement)
        self._replace_flow()
        self._last_activity = self._clock()
        self.reflection_submitted.emit()

    def _on_next_person_clicked(self) -> None:
        self.next_person()

    def _on_flow_flow_finished(self) -> None:
        self.reset()

    def _replace_flow(self) -> None:
        app = QApplication.instance()
        if app is not None:
            # No one can type while this runs; building widgets sends thousands of events.
            app.removeEventFilter(self)
        old = self.flow
        old.discard()
        self.stack.removeWidget(old)
        old.hide()  # unreachable from now on; destroyed as soon as its own signal has returned
        old.deleteLater()
        self.flow = self._new_flow()
        _clear_clipboard()
        if app is not None:
            app.installEventFilter(self)

    def next_person(self) -> None:
        """The welcome screen, empty, in the normal look."""
        self.apply_look(Look())
        self._last_activity = self._clock()
        self._show_flow()

    def reset(self) -> None:
        """Keep what the current person wrote (unfinished), then clear for the next.

        If it cannot be kept (a full disk), nothing is cleared: the words stay on screen with
        a plain message for the facilitator, and the idle wait starts again.
        """
        try:
            self.flow.save_incomplete()
        except StorageError:
            self._last_activity = self._clock()
            self._show_flow()
            return
        except UserError:
            pass  # already sent, or taken off the register: nothing of theirs to keep
        self._replace_flow()
        self.next_person()

    # Idle -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and not isinstance(watched, StationWindow)  # (only tests ever make two)
            and not self._owns(watched)
            and self.isVisible()
        ):
            self._hold(watched)
            return False
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.isAutoRepeat()
            and event.key() in _PRESSING_KEYS
            and self.isVisible()
        ):
            return True  # a held Enter sends once, and never skips the thank-you screen
        if event.type() in _ACTIVITY and self.isVisible():
            self._last_activity = self._clock()
            if self.stack.currentWidget() is self.idle_screen:
                self._on_still_here_clicked()
                return True
            if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
                if self.stack.currentWidget() is not self.pin_screen:
                    self.ask_to_leave()
                elif not self.pin_cancel.isHidden():
                    self._on_pin_cancel_clicked()  # Esc on the PIN screen is its Cancel
                return True
        return super().eventFilter(watched, event)

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Keep the control with the keyboard focus in view, however large the text."""
        if new is not None and self._owns(new):
            # Once the layout has caught up with what just changed (a list filled, a
            # message shown), or the place measured now would be out of date.
            QTimer.singleShot(0, new, lambda: self.keep_in_view(new))

    def keep_in_view(self, widget: QWidget) -> None:
        screen = widget.parentWidget()
        while screen is not None and not isinstance(screen, Screen):
            screen = screen.parentWidget()
        if isinstance(screen, Screen) and widget.hasFocus():
            margin = widget.fontMetrics().height()
            screen.scroll_area.ensureWidgetVisible(widget, margin, margin)

    def _owns(self, window: QWidget) -> bool:
        """Is window the station itself, or one of its own pop-ups (a menu, a list)?"""
        widget: QWidget | None = window
        while widget is not None:
            if widget is self:
                return True
            widget = widget.parentWidget()
        return False

    def _hold(self, window: QWidget) -> None:
        """Another window of the app tried to show over the station (a backup warning, an
        error box, the user guide): it waits for the facilitator, and the station stays."""
        if isinstance(window, QMessageBox):
            self.held_messages.append((window.windowTitle(), window.text()))
        if isinstance(window, QDialog):
            # Its own event loop has not started yet: closing it now would leave that loop
            # running for ever, so it closes as soon as the loop runs.
            QTimer.singleShot(0, window, window.reject)
        else:
            QTimer.singleShot(0, window, window.hide)
        QTimer.singleShot(0, self, self.come_back)

    def come_back(self) -> None:
        """Full screen, in front, with the keyboard: after a minimise, a hide or a pop-up."""
        if self._may_close:
            return
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.focus_current()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange and self.isMinimized():
            QTimer.singleShot(0, self, self.come_back)
        elif event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            # Another program took the keyboard (Alt+Tab, a notification clicked): after a
            # moment, so a window manager's own shuffle settles first, the station takes it back.
            QTimer.singleShot(TAKE_BACK_MS, self, self._take_back)

    def _take_back(self) -> None:
        if self._may_close or not self.isVisible() or self.isActiveWindow():
            return
        active = QApplication.activeWindow()
        if active is not None and (self._owns(active) or isinstance(active, StationWindow)):
            return  # the station's own message or list has it (or, in tests, another station)
        self.come_back()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if event.spontaneous():  # the window manager hid it, not the PIN
            QTimer.singleShot(0, self, self.come_back)

    def idle_seconds(self) -> float:
        return self._clock() - self._last_activity

    def check_idle(self) -> None:
        """Called twice a second: warn after a quiet spell, then keep and clear."""
        current = self.stack.currentWidget()
        pointer = QCursor.pos()
        if pointer != self._pointer_at and current is not self.thanks_screen:
            # A moving mouse is someone reading: it counts like a key (no tracking needed).
            self._pointer_at = pointer
            self._last_activity = self._clock()
            if current is self.idle_screen:
                self._on_still_here_clicked()
            return
        self._pointer_at = pointer
        idle = self.idle_seconds()
        if current is self.thanks_screen:
            if idle >= THANKS_SECONDS:
                self.next_person()
        elif current is self.idle_screen:
            left = WARNING_SECONDS - (self._clock() - self._warned_at)
            if left <= 0:
                self.reset()
            else:
                self._set_countdown(left)
        elif self._locked or idle < self._info.idle_seconds:
            return
        elif current is self.flow and not self.flow.in_progress() and self.flow.has_traces():
            # Typed and deleted: nothing to keep or warn about, but the undo history and the
            # selection must not wait there for the next person.
            self._replace_flow()
            self.next_person()
        elif current is self.pin_screen or self.flow.in_progress():
            self._warned_at = self._clock()
            self._set_countdown(WARNING_SECONDS)
            self._show(self.idle_screen, f"Are you still there? {self.countdown.plain}")

    def _set_countdown(self, seconds: float) -> None:
        whole = max(1, round(seconds))
        self.countdown.plain = (
            f"The screen will clear in {whole} seconds. "
            "Press any key or touch the screen to carry on."
        )
        self.countdown.apply(self.look)

    def _on_still_here_clicked(self) -> None:
        self._last_activity = self._clock()
        self._show_flow()

    # PIN --------------------------------------------------------------------------
    def _show_pin(
        self,
        title: str,
        text: str,
        check: Callable[[str], None],
        after: Callable[[], None],
        cancel: Callable[[], None] | None,
    ) -> None:
        self._check_pin = check
        self._after_pin = after
        self._on_pin_cancel = cancel or (lambda: None)
        self.pin_cancel.setVisible(cancel is not None)
        self.pin_title.setText(title)
        self.pin_title.setAccessibleName(title)
        self.pin_text.plain = text
        self.pin_text.apply(self.look)
        self.pin_problem.plain = ""
        self.pin_problem.apply(self.look)
        self.pin.setText("")
        self._show(self.pin_screen, f"{title}. {text}")

    def _on_pin_ok_clicked(self) -> None:
        pin = self.pin.text()
        self.pin.setText("")
        try:
            self._check_pin(pin)
        except UserError as exc:
            self.pin_problem.plain = str(exc)
            self.pin_problem.apply(self.look)
            self.pin.setFocus()
            self.announce(str(exc))
            return
        self._locked = False
        self.stack.setCurrentWidget(self.flow)
        self._after_pin()

    def _on_pin_cancel_clicked(self) -> None:
        self.pin.setText("")
        self.stack.setCurrentWidget(self.flow)
        self._on_pin_cancel()
        if self.stack.currentWidget() is self.flow:
            self.flow.focus_screen()

    # Leaving ----------------------------------------------------------------------
    def ask_to_leave(self) -> None:
        """Esc, the close button or Alt+F4: only the facilitator's PIN closes the station."""
        if self._locked:
            return
        back_to = self.stack.currentWidget()

        def cancel() -> None:
            if back_to is self.thanks_screen:
                self._show(self.thanks_screen, self.thanks_screen.announcement)
            else:
                self._show_flow()

        self._show_pin(
            "Close the station",
            "Only the facilitator can close the reflection station. Facilitator: type your PIN.",
            lambda pin: reflections.close_station(self._store, pin),
            self._leave,
            cancel,
        )

    def _leave(self) -> None:
        try:
            self.flow.save_incomplete()
        except StorageError:
            self._show_flow()  # the message says what to do; the words stay until saved
            return
        except UserError:
            pass
        self._replace_flow()
        self._may_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close:
            event.ignore()
            self.ask_to_leave()
            return
        self._ticker.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if isinstance(app, QApplication):
            app.focusChanged.disconnect(self._on_app_focus_changed)
        super().closeEvent(event)
        self.station_closed.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.focus_current()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Nothing reaches the desktop from here: unhandled keys stop at the station.
        event.accept()


def _clear_clipboard() -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.clear(QClipboard.Mode.Clipboard)
    if clipboard.supportsSelection():
        clipboard.clear(QClipboard.Mode.Selection)
