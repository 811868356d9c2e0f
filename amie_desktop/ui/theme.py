"""Colours and the style sheet; every text/background pair passes WCAG AA (checked in tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from amie_desktop.domain.content import asset_folder
from amie_desktop.domain.contrast import contrast_ratio

__all__ = ["LIGHT", "NAV_SCALE", "Theme", "contrast_ratio", "style_sheet"]


NAV_SCALE = 1.2  # the section list's text, relative to body text
# The section list's own padding and its items' side padding, in pixels (the style sheet's).
NAV_PADDING, NAV_ITEM_PADDING = 6, 12


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    text: str
    muted_text: str
    base: str
    alternate_base: str
    accent: str
    accent_text: str
    focus: str
    warning_text: str

    def pairs(self) -> dict[str, tuple[str, str]]:
        """Foreground/background pairs that appear on screen, for contrast checks."""
        return {
            "text on window": (self.text, self.window),
            "muted text on window": (self.muted_text, self.window),
            "text on base": (self.text, self.base),
            "text on alternate rows": (self.text, self.alternate_base),
            "accent text on accent": (self.accent_text, self.accent),
            "warning text on window": (self.warning_text, self.window),
            "warning text on base": (self.warning_text, self.base),
        }


LIGHT = Theme(
    name="light",
    window="#F6F4EF",
    text="#1B1B1F",
    muted_text="#4D4D57",
    base="#FFFFFF",
    alternate_base="#EFEDE6",
    accent="#1F4E79",
    accent_text="#FFFFFF",
    focus="#B8501A",
    warning_text="#8A1C1C",
)


def style_sheet(theme: Theme, point_size: float = 10.0) -> str:
    """The app's style sheet; every font size follows point_size, so text scales as a whole."""
    t = theme
    nav_pt = round(point_size * NAV_SCALE, 1)
    heading_pt = round(point_size * 1.6, 1)
    icons = Path(str(asset_folder() / "icons")).as_posix()
    return f"""
    QWidget {{ color: {t.text}; font-size: {point_size}pt; }}
    QMainWindow, QDialog, QStackedWidget > QWidget {{ background: {t.window}; }}
    QLineEdit, QPlainTextEdit, QTextEdit, QTextBrowser, QSpinBox, QDoubleSpinBox, QComboBox,
    QDateEdit, QTimeEdit, QTableView, QTreeView, QListView {{
        background: {t.base}; alternate-background-color: {t.alternate_base};
        border: 1px solid {t.muted_text}; border-radius: 3px; padding: 3px;
    }}
    QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{
        /* Styling the box hides Fusion's own arrows, so the buttons are drawn here too. */
        subcontrol-origin: padding; width: 1.6em; background: {t.alternate_base};
        border-left: 1px solid {t.muted_text};
    }}
    QAbstractSpinBox::up-button {{ subcontrol-position: top right; }}
    QAbstractSpinBox::down-button {{ subcontrol-position: bottom right; }}
    QAbstractSpinBox::up-arrow {{ image: url({icons}/arrow-up.svg); width: 0.7em; height: 0.45em; }}
    QAbstractSpinBox::down-arrow {{
        image: url({icons}/arrow-down.svg); width: 0.7em; height: 0.45em;
    }}
    QTableView, QTreeView, QListView {{
        selection-background-color: {t.accent}; selection-color: {t.accent_text};
    }}
    QHeaderView::section {{
        background: {t.alternate_base}; color: {t.text}; padding: 4px;
        border: none; border-bottom: 1px solid {t.muted_text}; font-weight: bold;
    }}
    QPushButton {{
        background: {t.base}; border: 1px solid {t.muted_text}; border-radius: 4px;
        padding: 6px 14px;
    }}
    QPushButton:checked {{  /* a toggle that is on (Book someone in…) looks pressed in */
        background: {t.alternate_base}; border: 2px solid {t.accent};
    }}
    QPushButton:default {{
        background: {t.accent}; color: {t.accent_text}; border-color: {t.accent};
    }}
    QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"] {{
        /* to read, not to type in: flat on the window's colour, dashed like a disabled button */
        background: {t.window}; border: 1px dashed {t.muted_text};
    }}
    QLineEdit:disabled, QPlainTextEdit:disabled, QSpinBox:disabled, QDoubleSpinBox:disabled,
    QComboBox:disabled, QDateEdit:disabled, QTimeEdit:disabled {{
        background: {t.window}; color: {t.muted_text}; border: 1px dashed {t.muted_text};
    }}
    QPushButton:disabled {{  /* plainly unavailable: flat, dashed, still readable */
        background: {t.window}; color: {t.muted_text}; border: 1px dashed {t.muted_text};
    }}
    *:focus {{ outline: none; }}
    QPushButton:focus, QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDoubleSpinBox:focus,
    QDateEdit:focus, QTimeEdit:focus, QTableView:focus, QTreeView:focus, QListView:focus,
    QPlainTextEdit:focus, QTextEdit:focus, QTextBrowser:focus, QCheckBox:focus,
    QRadioButton:focus {{
        border: 3px solid {t.focus};
    }}
    QListWidget#navigation {{
        background: {t.accent}; color: {t.accent_text}; border: none; padding: {NAV_PADDING}px;
        font-size: {nav_pt}pt;
    }}
    QListWidget#navigation::item {{ padding: 10px {NAV_ITEM_PADDING}px; border-radius: 4px; }}
    QListWidget#navigation::item:selected {{
        background: {t.base}; color: {t.text}; font-weight: bold;
    }}
    QListWidget#navigation:focus {{ border: 3px solid {t.focus}; }}
    QLabel[role="heading"] {{ font-size: {heading_pt}pt; font-weight: bold; }}
    QLabel[role="muted"] {{ color: {t.muted_text}; }}
    QLabel[role="warning"] {{ color: {t.warning_text}; font-weight: bold; }}
    """
