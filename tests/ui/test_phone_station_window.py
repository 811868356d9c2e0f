"""Opening the phone station from the window: the PIN, the counts (never the answers), Close."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from amie_desktop.services import audit, reflections
from amie_desktop.store import Store
from amie_desktop.ui.phones import LOOPBACK, JoinCard, PhoneStationWindow
from amie_desktop.ui.station.page import StationPage
from amie_desktop.ui.theme import LIGHT, style_sheet
from tests.ui.conftest import clipped_labels, unnamed_controls
from tests.web.phone_client import Phone


@pytest.fixture(autouse=True)
def closing_never_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing the window asks first; a test (or its clean-up) answers "Close" at once."""
    monkeypatch.setattr(PhoneStationWindow, "confirm_close", lambda _self: True)


@pytest.fixture(autouse=True)
def app_style_sheet(qapp: QApplication) -> Iterator[None]:
    """The style sheet the main window gives the whole app: its text size reaches every widget."""
    qapp.setStyleSheet(style_sheet(LIGHT, 10.0))
    yield
    qapp.setStyleSheet("")


def station_page(qtbot: QtBot, store: Store) -> StationPage:
    page = StationPage(store, today=lambda: date(2026, 11, 25))  # the demo's "today"
    qtbot.addWidget(page)
    page.refresh()
    page.network.setCurrentIndex(page.network.findData(LOOPBACK))
    page.after.setChecked(True)
    return page


def open_for_phones(
    qtbot: QtBot, store: Store, https: bool = False
) -> tuple[StationPage, PhoneStationWindow]:
    page = station_page(qtbot, store)
    page.https.setChecked(https)
    page.pin.setText("1234")
    page.phones_button.click()
    window = page.phone_window
    assert window is not None
    qtbot.addWidget(window)
    return page, window


def all_text(widget: object) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel))  # type: ignore[attr-defined]


def test_phones_open_with_the_pin_and_the_window_counts_but_never_shows_answers(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    page, window = open_for_phones(qtbot, demo_store)
    address = window.station.address
    assert address is not None
    assert address.url.startswith(f"http://{LOOPBACK}:")
    assert f"Room code: {address.room_code}" in all_text(window)
    assert "0 phones have joined · 0 reflections sent" in all_text(window)
    window.ensurePolished()
    for label in (window.address, window.code):
        # Far bigger than the app's own text, whatever the style sheet gives every widget.
        assert label.fontInfo().pointSizeF() >= 1.6 * QApplication.font().pointSizeF()
    assert unnamed_controls(window) == []

    workshop_id = int(page.workshop.currentData())
    name = next(m.name for m in reflections.find_names(demo_store, workshop_id, "an"))
    phone = Phone(address.url)
    phone.join(address.room_code)
    sent = phone.find_and_pick(name[:4].lower() if name.isascii() else name[:3], name)
    sent = phone.post("/consent", {"csrf": sent.csrf, "action": "next"})
    sent = phone.answer(sent, "5")
    sent = phone.post("/review", {"csrf": sent.csrf})
    assert sent.path == "/done"
    qtbot.waitUntil(lambda: "1 phone has joined · 1 reflection sent" in all_text(window))
    assert name not in all_text(window)
    window.grab().save(str(screenshot_dir / "phone-station-window.png"))
    window.card.grab().save(str(screenshot_dir / "phone-station-join-card.png"))

    window.shut()
    assert page.phone_window is None
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(address.url, timeout=5)
    actions = [entry.action for entry in audit.recent(demo_store, 10)]
    assert actions[:2] == ["phone station closed", "phone station opened"]


def test_a_wrong_pin_opens_nothing(qtbot: QtBot, demo_store: Store) -> None:
    page = station_page(qtbot, demo_store)
    page.pin.setText("9999")
    page.phones_button.click()
    assert page.phone_window is None
    assert "PIN" in page.problem.text()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (1024, 768), (640, 360)])
def test_the_join_card_fits_every_projector(
    qtbot: QtBot, screenshot_dir: Path, size: tuple[int, int]
) -> None:
    card = JoinCard(
        "Introduction to HEARD",
        "http://192.168.137.1:49321/",
        "http://192.168.137.1:49321/j/K7QF2M",
        "K7QF2M",
    )
    qtbot.addWidget(card)
    card.resize(*size)
    card.show()
    qtbot.waitExposed(card)
    card.ensurePolished()
    card.grab().save(str(screenshot_dir / f"phone-join-card-{size[0]}x{size[1]}.png"))
    assert clipped_labels(card) == []
    for label in (card.address, card.code):
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
    assert card.code.font().pixelSize() >= size[1] // 16
    pixmap = card.qr.pixmap()
    assert pixmap.width() >= min(size[0] // 2, size[1]) - 120


def test_encrypting_serves_https_from_the_window(qtbot: QtBot, demo_store: Store) -> None:
    _page, window = open_for_phones(qtbot, demo_store, https=True)
    try:
        assert window.station.address is not None
        assert window.station.address.url.startswith("https://127.0.0.1:")
    finally:
        window.shut()


def test_words_reach_the_projector_only_when_approved(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path
) -> None:
    _page, window = open_for_phones(qtbot, demo_store)
    qtbot.addWidget(window.cloud)
    try:
        board = window.station.words
        for word in ("Belonging", "Joy", "joy", "Rubbish", "Listening", "Joy"):
            board.send(word)
        qtbot.waitUntil(lambda: window.waiting.count() == 6)
        assert unnamed_controls(window) == []
        window.cloud.resize(1280, 720)
        window.cloud.show()
        assert window.cloud.placed() == []
        for button in ("approve", "approve", "approve", "reject", "approve", "approve"):
            window.waiting.setCurrentRow(0)  # the word at the top: the fourth is "Rubbish"
            getattr(window, f"{button}_button").click()
        assert window.waiting.count() == 0
        qtbot.waitUntil(lambda: len(window.cloud.placed()) == 3)
        placed = {word: font.pixelSize() for word, font, _box in window.cloud.placed()}
        assert set(placed) == {"joy", "belonging", "listening"}
        assert placed["joy"] > placed["belonging"] == placed["listening"]
        for _word, _font, box in window.cloud.placed():
            assert window.cloud.rect().contains(box)
        window.cloud.grab().save(str(screenshot_dir / "phone-word-cloud.png"))
    finally:
        window.shut()


def test_the_projector_shows_one_card_at_a_time_and_esc_takes_it_down(
    qtbot: QtBot, demo_store: Store
) -> None:
    _page, window = open_for_phones(qtbot, demo_store)
    qtbot.addWidget(window.card)
    qtbot.addWidget(window.cloud)
    try:
        window.projector_button.click()
        assert window.card.isVisible() and window.card.isFullScreen()
        window.cloud_button.click()
        assert window.cloud.isVisible() and not window.card.isVisible()
        qtbot.keyClick(window.cloud, Qt.Key.Key_Escape)
        assert not window.cloud.isVisible()
    finally:
        window.shut()
