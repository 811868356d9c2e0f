"""Every station screen in every look: screenshots to look at, and nothing clipped at 200% text."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from amie_desktop.domain.contrast import contrast_ratio
from amie_desktop.domain.values import Phase
from amie_desktop.services import reflections
from amie_desktop.store import Store
from amie_desktop.ui.station.kiosk import StationWindow
from amie_desktop.ui.station.themes import THEMES, Look, dyslexia_font_family, station_style_sheet
from tests.ui.conftest import unnamed_controls
from tests.ui.station_helpers import (
    FakeClock,
    open_station,
    register_names,
    settle,
    today_workshop,
    undescribed_controls,
)

LOOKS: dict[str, tuple[Look, float]] = {
    "normal": (Look(), 1.0),
    "200pc": (Look(), 2.0),
    "high-contrast": (Look(high_contrast=True), 1.0),
    "dyslexia": (Look(dyslexia=True, easy_read=True), 1.0),
}


def _choose_someone(station: StationWindow, store: Store, index: int = 0) -> None:
    """A person with nothing saved yet (each screen gets its own)."""
    name = register_names(store, today_workshop(store))[index]
    attendance = next(
        m.attendance_id
        for m in reflections.find_names(store, today_workshop(store), name)
        if m.name == name
    )
    station.flow.choose(attendance, name)


def _question(kind: str, index: int) -> Callable[[StationWindow, Store], None]:
    def go(station: StationWindow, store: Store) -> None:
        _choose_someone(station, store, index)
        flow = station.flow
        screen = next(s for s in flow.questions if s.question.kind.value == kind)
        if kind == "rating":
            screen.answer.group.button(2).click()  # type: ignore[union-attr]
        flow._show(screen)

    return go


def _welcome(station: StationWindow, store: Store) -> None:
    station.flow.welcome.search.setText("an")


def _walk_in(station: StationWindow, store: Store) -> None:
    station.flow._on_welcome_walk_in_chosen()


def _easier(station: StationWindow, store: Store) -> None:
    station.flow._on_easier_button_clicked()


def _consent(station: StationWindow, store: Store) -> None:
    _choose_someone(station, store)
    station.flow.consent.quote_box.setChecked(True)


def _review(station: StationWindow, store: Store) -> None:
    _choose_someone(station, store, 4)
    flow = station.flow
    flow.questions[0].answer.group.button(3).click()  # type: ignore[union-attr]
    flow._show(flow.review)


def _already_sent(station: StationWindow, store: Store) -> None:
    name = register_names(store, today_workshop(store))[5]
    attendance = next(
        m.attendance_id for m in reflections.find_names(store, today_workshop(store), name)
    )
    reflections.submit(store, attendance, Phase.AFTER, {"rating.H": 3})
    station.flow.choose(attendance, name)


def _thanks(station: StationWindow, store: Store) -> None:
    station._show(station.thanks_screen, "")


def _idle(station: StationWindow, store: Store) -> None:
    station.flow.welcome.search.setText("an")
    station._clock.advance(station._info.idle_seconds + 1)  # type: ignore[attr-defined]
    station.check_idle()


def _pin(station: StationWindow, store: Store) -> None:
    station.ask_to_leave()


SCREENS: dict[str, Callable[[StationWindow, Store], None]] = {
    "welcome": _welcome,
    "walk-in": _walk_in,
    "easier": _easier,
    "consent": _consent,
    "rating": _question("rating", 1),
    "principle": _question("principle", 2),
    "text": _question("text", 3),
    "review": _review,
    "check-it-is-you": _already_sent,
    "thanks": _thanks,
    "idle": _idle,
    "pin": _pin,
}


def clipped(root: QWidget) -> list[str]:
    """Visible text that does not fit the space it was given."""
    problems = []
    if root.minimumSizeHint().width() > root.width():
        problems.append(f"needs {root.minimumSizeHint().width()} px wide")
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel) and widget.wordWrap():
            if widget.heightForWidth(widget.width()) > widget.height() + 1:
                problems.append(f"label {widget.accessibleName() or widget.text()[:40]!r}")
        elif isinstance(widget, QLabel) and widget.sizeHint().width() > widget.width() + 1:
            problems.append(f"label {widget.text()[:40]!r}")
        if isinstance(widget, QAbstractButton) and widget.hasHeightForWidth():
            # An option whose words wrap: its longest word must fit, and all its lines.
            narrowest = widget.minimumSizeHint().width()
            if narrowest > widget.width() + 1 or (
                widget.heightForWidth(widget.width()) > widget.height() + 1
            ):
                problems.append(f"option {widget.accessibleName()[:40]!r}")
        elif isinstance(widget, QAbstractButton):
            hint = widget.sizeHint()
            if hint.width() > widget.width() + 1 or hint.height() > widget.height() + 1:
                problems.append(f"button {widget.text()[:40]!r}")
        if isinstance(widget, QScrollArea) and widget.horizontalScrollBar().maximum() > 0:
            # Text wider than the screen: the start or end of every line is out of sight.
            holder = widget.parentWidget()
            where = holder.accessibleName() if holder is not None else ""
            problems.append(f"{where!r} scrolls sideways")
    return problems


@pytest.mark.parametrize("look_name", list(LOOKS))
def test_every_screen_in_every_look(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path, look_name: str
) -> None:
    look, scale = LOOKS[look_name]
    clock = FakeClock()
    station = open_station(qtbot, demo_store, Phase.AFTER, clock)
    for screen_name, go in SCREENS.items():
        station.reset()
        settle()  # the last attendee's screens go, as they do at once in the running app
        station.set_text_scale(scale)
        station.apply_look(look)
        go(station, demo_store)
        station.apply_look(look)  # the screens that clear the look (thanks) are shown in it too
        QApplication.processEvents()
        shown = station.current_screen()
        assert shown.isVisible(), screen_name
        if screen_name in ("consent", "rating", "principle", "text", "review"):
            assert station.flow.stop_button.isVisible(), screen_name
        assert unnamed_controls(station) == [], screen_name
        assert undescribed_controls(station) == [], screen_name
        assert clipped(station) == [], (look_name, screen_name)
        station.grab().save(str(screenshot_dir / f"station-{screen_name}-{look_name}.png"))


def test_the_dyslexia_look_uses_the_shipped_clear_font(qtbot: QtBot, demo_store: Store) -> None:
    assert dyslexia_font_family() == "Atkinson Hyperlegible"
    station = open_station(qtbot, demo_store, Phase.BEFORE, FakeClock())
    station.apply_look(Look(dyslexia=True))
    assert station.font().family() == "Atkinson Hyperlegible"
    QApplication.processEvents()
    assert station.flow.welcome.search.font().family() == "Atkinson Hyperlegible"
    assert station.flow.welcome.search.font().letterSpacing() > 0
    assert station.flow.welcome.search.font().wordSpacing() > 0
    station.apply_look(Look())
    assert station.font().family() != "Atkinson Hyperlegible"


def test_larger_text_and_easy_read_change_what_is_shown(qtbot: QtBot, demo_store: Store) -> None:
    station = open_station(qtbot, demo_store, Phase.BEFORE, FakeClock())
    question = station.flow.questions[0]
    normal = question.text.sizeHint().height()
    assert station.flow.easier.isHidden() or not station.flow.easier.isVisible()
    station.flow.easier.choice_boxes["larger_text"].setChecked(True)
    assert question.text.sizeHint().height() > normal
    station.flow.easier.choice_boxes["easy_read"].setChecked(True)
    assert question.text.shown_text() == question.question.easy_read
    assert question.question.easy_read != question.question.text


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_every_colour_pair_in_every_theme_is_readable(theme: object) -> None:
    from amie_desktop.ui.station.themes import StationTheme

    assert isinstance(theme, StationTheme)
    for what, (foreground, background) in theme.pairs().items():
        ratio = contrast_ratio(foreground, background)
        assert ratio >= theme.minimum_ratio, f"{theme.name}: {what} is {ratio:.2f}:1"
    # The pairs cover every colour the style sheet paints with.
    look = Look(high_contrast=theme.name == "high contrast", dyslexia=theme.name != "normal")
    sheet = station_style_sheet(look, 1.0)
    used = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}", sheet)}
    paired = {c.upper() for pair in theme.pairs().values() for c in pair}
    assert used <= paired
    assert look.theme is theme
    assert theme.minimum_ratio == (7.0 if theme.name == "high contrast" else 4.5)


def test_ratings_work_by_mouse_or_touch(qtbot: QtBot, demo_store: Store) -> None:
    station = open_station(qtbot, demo_store, Phase.BEFORE, FakeClock())
    _choose_someone(station, demo_store, 6)
    screen = station.flow.question(0)
    station.flow._show(screen)
    option = screen.answer.group.button(4)  # type: ignore[union-attr]
    qtbot.mouseClick(option, Qt.MouseButton.LeftButton)
    assert screen.value() == 5
    assert station.flow.answers[screen.question.key] == 5


def test_long_options_wrap_at_200_percent_instead_of_running_off_the_screen(
    qtbot: QtBot, demo_store: Store
) -> None:
    station = open_station(qtbot, demo_store, Phase.AFTER, FakeClock())
    station.set_text_scale(2.0)
    _question("principle", 0)(station, demo_store)
    QApplication.processEvents()
    screen = station.current_screen()
    viewport = screen.scroll_area.viewport()  # type: ignore[attr-defined]
    options = screen.answer.buttons()  # type: ignore[attr-defined]
    for option in options:
        right = option.mapTo(viewport, option.rect().topRight()).x()
        assert 0 < right <= viewport.width(), option.accessibleName()
    # The long ones take two lines or more; a screen reader still hears each whole.
    representative = options[3]
    assert "\n" in representative.text()
    assert representative.accessibleName().startswith("4: Representative: The people we work")
    assert "\n" not in representative.accessibleName()


THEME_LOOKS = {
    "normal": Look(),
    "high-contrast": Look(high_contrast=True),
    "dyslexia": Look(dyslexia=True),
}


def _in_view(widget: QWidget) -> bool:
    """Is the whole of widget inside the visible part of its screen's scroll area?"""
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    assert isinstance(area, QScrollArea)
    viewport = area.viewport()
    top_left = widget.mapTo(viewport, widget.rect().topLeft())
    bottom_right = widget.mapTo(viewport, widget.rect().bottomRight())
    return viewport.rect().contains(top_left) and viewport.rect().contains(bottom_right)


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


@pytest.mark.parametrize("scale", [1.0, 2.0, 3.0], ids=["100pc", "200pc", "300pc"])
@pytest.mark.parametrize("look_name", list(THEME_LOOKS))
def test_the_focused_control_stays_in_view_at_every_text_size(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path, look_name: str, scale: float
) -> None:
    station = open_station(qtbot, demo_store, Phase.AFTER, FakeClock())
    station.set_text_scale(scale)
    station.apply_look(THEME_LOOKS[look_name])
    flow = station.flow
    name = register_names(demo_store, today_workshop(demo_store))[0]
    qtbot.keyClicks(flow.welcome.search, name.split()[0][:2])
    qtbot.keyClick(flow.welcome.search, Qt.Key.Key_Down)
    for _ in range(flow.welcome.matches.count()):
        qtbot.keyClick(_focused(), Qt.Key.Key_Down)
    QApplication.processEvents()
    assert QApplication.focusWidget() is flow.welcome.matches
    shots: dict[str, QWidget] = {"welcome": flow.welcome.matches}
    # The list of names, with the last name chosen, is in sight.
    assert not shots["welcome"].visibleRegion().isEmpty(), (look_name, scale, "welcome")
    station.grab().save(str(screenshot_dir / f"station-focus-welcome-{look_name}-{scale:.0f}x.png"))
    _choose_someone(station, demo_store, 1)
    screen = flow.question(0)
    flow._show(screen)
    for _ in range(5):  # to the last point of the scale, by keyboard
        qtbot.keyClick(_focused(), Qt.Key.Key_Down)
    QApplication.processEvents()
    shots["rating"] = _focused()
    assert shots["rating"].accessibleName().startswith("5:")
    assert _in_view(shots["rating"]), (look_name, scale, "rating")
    station.grab().save(str(screenshot_dir / f"station-focus-rating-{look_name}-{scale:.0f}x.png"))
    flow._show(flow.consent)
    qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    QApplication.processEvents()
    assert _focused().accessibleName() == "Yes, you may contact me later"
    assert _in_view(_focused()), (look_name, scale, "consent")
    station.grab().save(str(screenshot_dir / f"station-focus-consent-{look_name}-{scale:.0f}x.png"))


def _colours(widget: QWidget, rect: object | None = None) -> dict[str, int]:
    image = widget.grab().toImage()
    area = rect if rect is not None else image.rect()
    counts: dict[str, int] = {}
    for x in range(area.left(), area.right() + 1):  # type: ignore[attr-defined]
        for y in range(area.top(), area.bottom() + 1):  # type: ignore[attr-defined]
            name = image.pixelColor(x, y).name().upper()
            counts[name] = counts.get(name, 0) + 1
    return counts


@pytest.mark.parametrize("look_name", list(THEME_LOOKS))
def test_a_ticked_box_shows_a_tick_and_hint_text_has_the_themes_colour(
    qtbot: QtBot, demo_store: Store, screenshot_dir: Path, look_name: str
) -> None:
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    look = THEME_LOOKS[look_name]
    theme = look.theme
    station = open_station(qtbot, demo_store, Phase.AFTER, FakeClock())
    station.apply_look(look)
    QApplication.processEvents()
    hint = _colours(station.flow.welcome.search)
    assert hint.get(theme.placeholder.upper(), 0) > 20, (look_name, sorted(hint.items())[:8])
    _choose_someone(station, demo_store, 1)
    box = station.flow.consent.quote_box
    box.setChecked(True)
    QApplication.processEvents()
    option = QStyleOptionButton()
    box.initStyleOption(option)
    indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    inside = indicator.adjusted(3, 3, -3, -3)
    ticked = _colours(box, inside)
    assert ticked.get(theme.selected.upper(), 0) >= 6, (look_name, ticked)
    assert ticked.get(theme.selected_text.upper(), 0) > 0  # the box's own fill around it
    box.setChecked(False)
    QApplication.processEvents()
    assert _colours(box, inside).get(theme.selected.upper(), 0) == 0
    box.setChecked(True)
    station.grab().save(str(screenshot_dir / f"station-ticked-{look_name}.png"))


def _text_room(field: QLineEdit) -> int:
    """The height the style leaves for the text inside a field's frame and padding."""
    from PySide6.QtWidgets import QStyle, QStyleOptionFrame

    option = QStyleOptionFrame()
    field.initStyleOption(option)
    return (
        field.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, field).height()
    )


def test_a_field_keeps_its_size_and_room_for_descenders_when_focused(
    qtbot: QtBot, demo_store: Store
) -> None:
    station = open_station(qtbot, demo_store, Phase.AFTER, FakeClock())
    station.set_text_scale(2.0)
    flow = station.flow
    flow._on_welcome_walk_in_chosen()
    field = flow.walk_in.name
    qtbot.keyClicks(field, "Gwynplaine Jeppy")
    QApplication.processEvents()
    assert field.hasFocus()
    focused_size = field.size()
    focused_room = _text_room(field)
    flow.walk_in.focus_target()
    station.flow.easier_button.setFocus()
    QApplication.processEvents()
    assert not field.hasFocus()
    assert field.size() == focused_size
    # The frame takes no room from the text: its full height (g, y, p) fits, focused or not.
    assert _text_room(field) == focused_room
    assert focused_room >= field.fontMetrics().height()
    go = next(b for b in flow.walk_in.findChildren(QAbstractButton) if b.text() == "Add me")
    resting = go.sizeHint()
    go.setFocus()
    QApplication.processEvents()
    assert go.hasFocus() and go.sizeHint() == resting
