"""The phone station's windows: the facilitator's view (how many sent, never what) and the
join card for the projector (a QR code, the address and the room code)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    Qt,
)
from PySide6.QtNetwork import QAbstractSocket, QNetworkInterface
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.domain.text import counted
from amie_desktop.services import phone_station
from amie_desktop.services.reflections import StationInfo
from amie_desktop.store import Store
from amie_desktop.ui.facilitate.presenter import presenter_screen_index, system_screens

if TYPE_CHECKING:
    from amie_desktop.web.server import PhoneStation

LOOPBACK = "127.0.0.1"
COUNT_REFRESH_MS = 1000


def network_choices() -> list[tuple[str, str]]:
    """(words for the facilitator, address) for each network this laptop is on; itself last."""
    choices = []
    for interface in QNetworkInterface.allInterfaces():
        flags = interface.flags()
        if not flags & QNetworkInterface.InterfaceFlag.IsUp:
            continue
        if flags & QNetworkInterface.InterfaceFlag.IsLoopBack:
            continue
        for entry in interface.addressEntries():
            address = entry.ip()
            if address.protocol() != QAbstractSocket.NetworkLayerProtocol.IPv4Protocol:
                continue
            name = interface.humanReadableName() or interface.name()
            choices.append((f"{name}: {address.toString()}", address.toString()))
    choices.append((f"This laptop only, to try it out: {LOOPBACK}", LOOPBACK))
    return choices


def qr_pixmap(text: str, scale: int) -> QPixmap:
    """A QR code for the join link, drawn crisp at `scale` pixels a module."""
    import io

    import segno  # only when the phone station opens: start-up does not pay for it

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


def _set_size(label: QLabel, size: str, bold: bool) -> None:
    """The label's own size and weight. Set in its own style sheet, because the app's sheet
    gives every widget the text size chosen in the window, which a set font cannot beat."""
    label.setStyleSheet(f"font-size: {size}; font-weight: {'bold' if bold else 'normal'};")


def _big(text: str, times: float, bold: bool = False) -> QLabel:
    """A label `times` the app's text size (so it still follows Ctrl++ and Ctrl+-)."""
    label = QLabel(text)
    _set_size(label, f"{QApplication.font().pointSizeF() * times:.1f}pt", bold)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ProjectorWindow(QWidget):
    """A window for the room to read: it fills the projector, and Esc takes it down."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle(f"{title} – AMIE Workshop Companion")
        self.setAccessibleName(title)

    def show_on_projector(self) -> None:
        """Fill the projector (the second screen, or this one when there is only one)."""
        screens = system_screens()
        screen = screens[presenter_screen_index(screens)] if screens else None
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


class JoinCard(ProjectorWindow):
    """For the projector: how to join, in type the back of the room can read. Esc closes it."""

    def __init__(self, workshop_title: str, url: str, join_url: str, room_code: str) -> None:
        super().__init__("Join on your phone")
        self.setStyleSheet("background: #ffffff; color: #111111;")
        self._qr = qr_pixmap(join_url, 16)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setAccessibleName("QR code that opens the reflection on a phone")
        self.qr.setMinimumSize(1, 1)
        self.title = _big(f"{workshop_title}: your reflection on your phone", 2.4)
        self.scan = _big("Scan the code, or type this address:", 2.4)
        self.address = _big(url, 3.6, bold=True)
        self.address.setWordWrap(False)
        self.code_caption = _big("and the room code:", 2.4)
        self.code = _big(room_code, 4.4, bold=True)
        self.code.setWordWrap(False)
        self.code.setAccessibleName(f"Room code {' '.join(room_code)}")
        self.privacy = _big("Your answers go only to this laptop, not to the internet.", 1.8)
        words = QVBoxLayout()
        words.addStretch(1)
        for label in (
            self.title,
            self.scan,
            self.address,
            self.code_caption,
            self.code,
            self.privacy,
        ):
            words.addWidget(label)
        words.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addWidget(self.qr, 1)
        layout.addLayout(words, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Type and code in proportion to the screen, so the back of the room can read them."""
        super().resizeEvent(event)
        height, half = self.height(), self.width() // 2
        side = max(1, min(half - 48, height - 96))
        self.qr.setPixmap(
            self._qr.scaled(
                side,
                side,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
        )
        for label, share, bold in (
            (self.title, 22, False),
            (self.scan, 22, False),
            (self.code_caption, 22, False),
            (self.privacy, 28, False),
            (self.address, 14, True),
            (self.code, 9, True),
        ):
            font = QFont(label.font())
            font.setBold(bold)
            font.setPixelSize(max(12, height // share))
            # The address and the code never wrap: shrink them until they fit beside the QR.
            while not label.wordWrap() and font.pixelSize() > 12:
                if QFontMetrics(font).horizontalAdvance(label.text()) <= half - 96:
                    break
                font.setPixelSize(int(font.pixelSize() * 0.9))
            _set_size(label, f"{font.pixelSize()}px", bold)
        layout = self.layout()
        if layout is not None:
            layout.invalidate()
            layout.activate()


class WordCloud(ProjectorWindow):
    """For the projector: the words the facilitator approved, bigger the more often sent."""

    def __init__(self, words: Callable[[], list[tuple[str, int]]]) -> None:
        super().__init__("One word for today")
        self._words = words
        self._shown: list[tuple[str, int]] = []
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start(COUNT_REFRESH_MS)

    def _on_timer_timeout(self) -> None:
        words = self._words()
        if words != self._shown:
            self._shown = words
            self.setAccessibleDescription(", ".join(word for word, _count in words))
            self.update()

    def placed(self) -> list[tuple[str, QFont, QRect]]:
        """Where each word goes: lines of words, centred, each line as tall as its biggest."""
        if not self._shown:
            return []
        most = max(count for _word, count in self._shown)
        base = max(16, self.height() // 14)
        lines: list[list[tuple[str, QFont, int, int]]] = [[]]
        width_left = self.width() - 80
        for word, count in self._shown:
            font = QFont(self.font())
            font.setBold(True)
            font.setPixelSize(int(base * (1 + 1.5 * (count - 1) / max(1, most - 1))))
            metrics = QFontMetrics(font)
            width = metrics.horizontalAdvance(word) + base // 2
            if lines[-1] and width > width_left:
                lines.append([])
                width_left = self.width() - 80
            lines[-1].append((word, font, width, metrics.height()))
            width_left -= width
        heights = [max(h for *_rest, h in line) for line in lines]
        top = max(0, (self.height() - sum(heights)) // 2)
        placed = []
        for line, height in zip(lines, heights, strict=True):
            left = (self.width() - sum(w for _word, _font, w, _h in line)) // 2
            for word, font, width, _h in line:
                placed.append((word, font, QRect(left, top, width, height)))
                left += width
            top += height
        return placed

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        painter.setPen(QColor("#111111"))
        placed = self.placed()
        if not placed:
            painter.setFont(self.font())
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "Words will appear here as they come."
            )
        for word, font, box in placed:
            painter.setFont(font)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, word)
        painter.end()


class PhoneStationWindow(QWidget):
    """The facilitator's view while phones are answering: counts only, and Close."""

    phone_station_closed = Signal()

    def __init__(self, store: Store, info: StationInfo, station: PhoneStation) -> None:
        super().__init__()
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle("Phone station – AMIE Workshop Companion")
        self.setAccessibleName("Phone station")
        self._store = store
        self._info = info
        self.station = station
        address = station.address
        assert address is not None
        self.card = JoinCard(info.workshop_title, address.url, address.join_url, address.room_code)
        phase = "before" if info.phase.value == "before" else "after"
        heading = QLabel(f"Phones are open for “{info.workshop_title}” ({phase} the workshop)")
        heading.setProperty("role", "heading")
        heading.setWordWrap(True)
        self.qr = QLabel()
        self.qr.setPixmap(qr_pixmap(address.join_url, 6))
        self.qr.setAccessibleName("QR code that opens the reflection on a phone")
        self.address = _big(address.url, 1.8, bold=True)
        self.address.setAccessibleName(f"Address for phones: {address.url}")
        self.code = _big(f"Room code: {address.room_code}", 2.2, bold=True)
        self.counts = _big("", 1.4)
        self.counts.setAccessibleName("Phones joined and reflections sent")
        privacy = QLabel(
            "This window shows how many have sent, never what they wrote. Phones can reach "
            "the station only while this window is open."
        )
        privacy.setWordWrap(True)
        self.projector_button = QPushButton("Show how to join on the &projector")
        self.projector_button.setAccessibleName("Show how to join on the projector")
        self.projector_button.clicked.connect(self._on_projector_clicked)
        self.cloud = WordCloud(station.words.shown)
        self.waiting = QListWidget()
        self.waiting.setAccessibleName("Words waiting for your approval")
        self.approve_button = QPushButton("&Approve")
        self.approve_button.setAccessibleName("Approve the chosen word for the projector")
        self.approve_button.clicked.connect(self._on_approve_clicked)
        self.reject_button = QPushButton("&Reject")
        self.reject_button.setAccessibleName("Reject the chosen word")
        self.reject_button.clicked.connect(self._on_reject_clicked)
        self.cloud_button = QPushButton("Show the &words on the projector")
        self.cloud_button.setAccessibleName("Show the approved words on the projector")
        self.cloud_button.clicked.connect(self._on_cloud_clicked)
        self.close_button = QPushButton("&Close the phone station")
        self.close_button.setAccessibleName("Close the phone station")
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.projector_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.address)
        layout.addWidget(self.code)
        layout.addWidget(self.counts)
        layout.addWidget(privacy)
        words_heading = QLabel(
            "One word for today: words wait here until you approve them; only approved words "
            "reach the projector."
        )
        words_heading.setWordWrap(True)
        layout.addWidget(words_heading)
        words_row = QHBoxLayout()
        words_row.addWidget(self.waiting, 1)
        choices = QVBoxLayout()
        choices.addWidget(self.approve_button)
        choices.addWidget(self.reject_button)
        choices.addWidget(self.cloud_button)
        choices.addStretch(1)
        words_row.addLayout(choices)
        layout.addLayout(words_row)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start(COUNT_REFRESH_MS)
        self._on_timer_timeout()
        self._closed = False
        self.setFocusProxy(self.projector_button)

    def _on_timer_timeout(self) -> None:
        joined = counted(self.station.joined, "phone has joined", "phones have joined")
        sent = counted(self.station.sent, "reflection sent", "reflections sent")
        self.counts.setText(f"{joined} · {sent}")
        self._show_waiting_words()

    def _show_waiting_words(self) -> None:
        waiting = self.station.words.waiting()
        listed = [
            self.waiting.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.waiting.count())
        ]
        if listed == [word.number for word in waiting]:
            return
        chosen = self.waiting.currentItem()
        keep = chosen.data(Qt.ItemDataRole.UserRole) if chosen is not None else None
        self.waiting.clear()
        for word in waiting:
            item = QListWidgetItem(word.word)
            item.setData(Qt.ItemDataRole.UserRole, word.number)
            self.waiting.addItem(item)
            if word.number == keep:
                self.waiting.setCurrentItem(item)
        if self.waiting.currentItem() is None and self.waiting.count():
            self.waiting.setCurrentRow(0)

    def _chosen_word(self) -> int | None:
        item = self.waiting.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _on_approve_clicked(self) -> None:
        number = self._chosen_word()
        if number is not None:
            self.station.words.approve(number)
            self._show_waiting_words()

    def _on_reject_clicked(self) -> None:
        number = self._chosen_word()
        if number is not None:
            self.station.words.reject(number)
            self._show_waiting_words()

    def _on_cloud_clicked(self) -> None:
        self.card.close()
        self.cloud.show_on_projector()

    def _on_projector_clicked(self) -> None:
        self.cloud.close()
        self.card.show_on_projector()

    def confirm_close(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Close the phone station?",
            "Phones will no longer reach the station, and anyone still answering loses the "
            "page they are on (what they already moved past is kept as a draft).",
            QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Close

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed and not self.confirm_close():
            event.ignore()
            return
        self.shut()
        super().closeEvent(event)

    def shut(self) -> None:
        """Stop serving and end every phone's session (once)."""
        if self._closed:
            return
        self._closed = True
        self._timer.stop()
        self.card.close()
        self.cloud.close()
        self.station.stop()
        phone_station.closed(self._store, self._info, self.station.sent)
        self.phone_station_closed.emit()


def open_phone_station(
    store: Store,
    info: StationInfo,
    host: str,
    https: bool = False,
    parent: QWidget | None = None,
) -> PhoneStationWindow:
    """Start serving (a plain message as UserError if it cannot) and show the facilitator's view."""
    from amie_desktop.web import tls  # the web server loads only when asked for
    from amie_desktop.web.server import PhoneStation

    context = tls.server_context(store.data_dir, host) if https else None
    station = PhoneStation(store, info, host=host, ssl_context=context)
    station.start()
    window = PhoneStationWindow(store, info, station)
    screen = (parent.screen() if parent else None) or QGuiApplication.primaryScreen()
    if screen is not None:
        window.resize(min(720, screen.availableGeometry().width()), window.sizeHint().height())
    window.show()
    return window
