"""Colours of Facilitate mode; white text on each passes 4.5:1 (checked in tests)."""

from __future__ import annotations

from amie_desktop.domain.timing import TimerLevel

# Colour is never the only sign: each level also has its own words (TimerLevel.words).
LEVEL_COLOURS: dict[TimerLevel, str] = {
    TimerLevel.PLENTY: "#24445C",  # calm slate blue
    TimerLevel.LOW: "#8A4B00",  # amber, dark enough for white text
    TimerLevel.CRITICAL: "#B3261E",  # red
    TimerLevel.OVERTIME: "#5E0B15",  # deep red
}
PAUSED_COLOUR = "#4D4D57"
PRESENTER_BACKGROUND = "#FBFAF6"
PRESENTER_TEXT = "#1B1B1F"
