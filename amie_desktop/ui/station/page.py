"""The "Reflection station" section: choose a workshop and phase, type the PIN, hand over."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.values import Phase
from amie_desktop.services import organisation, phone_station, reflections, workshops
from amie_desktop.services.errors import UserError
from amie_desktop.services.reflections import StationInfo
from amie_desktop.store import Store
from amie_desktop.ui.phones import PhoneStationWindow, network_choices, open_phone_station
from amie_desktop.ui.station.kiosk import StationWindow
from amie_desktop.ui.station.review_list import ReviewList
from amie_desktop.ui.widgets.flow import FlowLayout
from amie_desktop.ui.widgets.forms import buddy, error_label, form_layout, pin_field
from amie_desktop.ui.widgets.workshop_choice import workshop_choice, workshop_combo

NORMAL_POINT_SIZE = 10.0


class StationPage(QWidget):
    station_opened = Signal()
    station_closed = Signal()
    shows = frozenset({"workshop", "organisation"})  # the workshops, and the idle wait

    def __init__(
        self,
        store: Store,
        make_station: Callable[..., StationWindow] = StationWindow,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self._store = store
        self._today = today
        self._make_station = make_station
        self.station: StationWindow | None = None
        self._hidden: list[QWidget] = []
        heading = QLabel("Reflection station")
        heading.setProperty("role", "heading")
        intro = QLabel(
            "Turn this laptop into a station where attendees write their reflections one after "
            "another. The station fills the screen, shows nobody else's answers, and closes only "
            "with the facilitator PIN."
        )
        intro.setWordWrap(True)
        self.workshop = workshop_combo()
        self.before = QRadioButton("&Before the workshop")
        self.after = QRadioButton("&After the workshop")
        self.before.setAccessibleName("Before the workshop")
        self.after.setAccessibleName("After the workshop")
        self.before.setChecked(True)
        self.phase = QButtonGroup(self)
        self.phase.addButton(self.before)
        self.phase.addButton(self.after)
        phases = QWidget()  # side by side, one under the other when the page is narrow
        phase_row = FlowLayout(phases)
        phase_row.addWidget(self.before)
        phase_row.addWidget(self.after)
        self.idle = QSpinBox()
        self.idle.setRange(*reflections.IDLE_SECONDS_RANGE)
        self.idle.setSingleStep(10)
        self.idle.setSuffix(" seconds")
        self.idle.setAccessibleName("Ask “Are you still there?” after")
        self.idle.setAccessibleDescription(
            "After this long the station asks, then keeps the answers and clears the screen"
        )
        self.pin = pin_field("Facilitator PIN")
        self.pin.returnPressed.connect(self._on_open_clicked)
        self.problem = error_label()
        self.open_button = QPushButton("&Open the station")
        self.open_button.setAccessibleName("Open the station")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self._on_open_clicked)
        # Phones in the room: the same questions on attendees' own phones, over one network.
        self.network = QComboBox()
        self.network.setAccessibleName("Network the phones use")
        self.network.setAccessibleDescription(
            "The laptop's hotspot or the venue's Wi-Fi: phones must be on the same one"
        )
        self.https = QCheckBox("&Encrypt it (HTTPS)")
        self.https.setAccessibleName("Encrypt the phones' connection (HTTPS)")
        self.https.setAccessibleDescription(
            "For shared Wi-Fi: each phone shows a warning about the laptop's own certificate once"
        )
        self.phones_button = QPushButton("Open for p&hones")
        self.phones_button.setAccessibleName("Open for phones")
        self.phones_button.clicked.connect(self._on_phones_clicked)
        self.phone_window: PhoneStationWindow | None = None
        form = form_layout()
        form.addRow(buddy("&Workshop", self.workshop), self.workshop)
        phase_label = QLabel("Reflection")
        form.addRow(phase_label, phases)
        idle_label = buddy("Ask “Are you &still there?” after, with no key or touch", self.idle)
        idle_label.setWordWrap(True)
        form.addRow(idle_label, self.idle)
        form.addRow(buddy("Facilitator &PIN", self.pin), self.pin)
        form.addRow(buddy("Phones join &over", self.network), self.network)
        form.addRow(QLabel("The phones' connection"), self.https)
        buttons_bar = QWidget()
        buttons = FlowLayout(buttons_bar)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.phones_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons_bar)
        self.review_list = ReviewList(store)
        layout.addWidget(self.review_list)
        layout.addStretch(1)
        self.setFocusProxy(self.workshop)
        self.workshop.currentIndexChanged.connect(self._on_workshop_current_index_changed)

    def refresh(self) -> None:
        chosen = self.workshop.currentData()
        rows = workshops.list_workshops(self._store)
        self.workshop.clear()
        for row in rows:
            self.workshop.addItem(workshop_choice(row), row.id)
        if chosen is None and rows:
            # The workshop nearest to today is the one most likely running in the room.
            today = self._today()
            chosen = min(rows, key=lambda row: abs((row.date - today).days)).id
        index = self.workshop.findData(chosen)
        if index >= 0:
            self.workshop.setCurrentIndex(index)
        settings = organisation.get_settings(self._store)
        if settings is not None:
            self.idle.setValue(settings.idle_seconds)
        chosen_network = self.network.currentData()
        self.network.clear()
        for words, address in network_choices():
            self.network.addItem(words, address)
        index = self.network.findData(chosen_network)
        self.network.setCurrentIndex(max(index, 0))
        self.problem.clear()

    def _on_workshop_current_index_changed(self, _index: int) -> None:
        data = self.workshop.currentData()
        self.review_list.load(None if data is None else int(data))

    def prepare(self, workshop_id: int, phase: Phase) -> None:
        """Choose the workshop and phase (as Facilitate asks) and wait for the PIN."""
        self.refresh()
        index = self.workshop.findData(workshop_id)
        if index >= 0:
            self.workshop.setCurrentIndex(index)
        (self.before if phase is Phase.BEFORE else self.after).setChecked(True)
        self.pin.setFocus()

    def _on_open_clicked(self) -> None:
        pin = self.pin.text()
        self.pin.setText("")
        if self.workshop.currentData() is None:
            self.problem.setText("There is no workshop yet. Plan one first.")
            return
        phase = Phase.BEFORE if self.before.isChecked() else Phase.AFTER
        try:
            info = reflections.open_station(
                self._store,
                int(self.workshop.currentData()),
                phase,
                pin,
                idle_seconds=self.idle.value(),
            )
        except UserError as exc:
            self.problem.setText(str(exc))
            return
        self.problem.clear()
        self.start(info, locked=False)

    def _on_phones_clicked(self) -> None:
        pin = self.pin.text()
        self.pin.setText("")
        if self.workshop.currentData() is None:
            self.problem.setText("There is no workshop yet. Plan one first.")
            return
        if self.phone_window is not None:
            self.phone_window.raise_()
            self.phone_window.activateWindow()
            return
        phase = Phase.BEFORE if self.before.isChecked() else Phase.AFTER
        try:
            info = phone_station.open_for_phones(
                self._store, int(self.workshop.currentData()), phase, pin
            )
            self.phone_window = open_phone_station(
                self._store,
                info,
                str(self.network.currentData()),
                https=self.https.isChecked(),
                parent=self,
            )
        except UserError as exc:
            self.problem.setText(str(exc))
            return
        self.problem.clear()
        self.phone_window.phone_station_closed.connect(self._on_phone_window_closed)

    def _on_phone_window_closed(self) -> None:
        if self.phone_window is not None:
            self.phone_window.deleteLater()
            self.phone_window = None

    def reopen_if_interrupted(self) -> bool:
        """After a crash, the station that was open comes back at once, locked by the PIN."""
        info = reflections.interrupted_station(self._store)
        if info is None:
            return False
        self.start(info, locked=True)
        return True

    def start(self, info: StationInfo, locked: bool) -> None:
        app = QApplication.instance()
        size = app.font().pointSizeF() if isinstance(app, QApplication) else NORMAL_POINT_SIZE
        self.station = self._make_station(
            self._store, info, locked=locked, text_scale=max(1.0, size / NORMAL_POINT_SIZE)
        )
        self.station.station_closed.connect(self._on_station_station_closed)
        screen = self.window().screen() or QApplication.primaryScreen()
        # Nothing else of the app shows, or can be reached, while the station is open: the
        # main window, the user guide, the presenter window all hide until it closes.
        self._hidden = [
            widget
            for widget in QApplication.topLevelWidgets()
            if widget.isVisible() and _belongs_to(widget, self.window())
        ]
        for widget in self._hidden:
            widget.hide()
        # The whole screen even where no window manager honours "full screen".
        self.station.setGeometry(screen.geometry())
        self.station.showFullScreen()
        self.station_opened.emit()

    def _on_station_station_closed(self) -> None:
        held: list[tuple[str, str]] = []
        if self.station is not None:
            held = self.station.held_messages
            self.station.deleteLater()
            self.station = None
        self.window().show()
        for widget in self._hidden:
            if widget is not self.window():
                widget.show()
        self._hidden = []
        self._on_workshop_current_index_changed(self.workshop.currentIndex())
        self.station_closed.emit()
        for title, text in held:
            # What waited for the facilitator while the station was open, now that it closed.
            box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.window())
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()


def _belongs_to(widget: QWidget, main: QWidget) -> bool:
    """Is widget the main window or one of its windows (the guide, the presenter window)?"""
    current: QWidget | None = widget
    while current is not None:
        if current is main:
            return True
        current = current.parentWidget()
    return False
