"""The station's looks: normal, high contrast (7:1), dyslexia-friendly (cream, clear font)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontDatabase

from amie_desktop.domain.content import asset_folder
from amie_desktop.ui.fonts import with_name_fallbacks

BASE_POINT_SIZE = 14.0
LARGER_TEXT = 1.5
DYSLEXIA_FONT_FILES = ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf")
DYSLEXIA_FALLBACK = "DejaVu Sans"


@dataclass(frozen=True)
class StationTheme:
    name: str
    window: str
    text: str
    muted_text: str
    field: str
    button: str
    button_text: str
    primary: str
    primary_text: str
    selected: str
    selected_text: str
    focus: str
    warning_text: str
    placeholder: str
    minimum_ratio: float

    def pairs(self) -> dict[str, tuple[str, str]]:
        """Every foreground/background pair the station draws, for contrast checks."""
        return {
            "text on window": (self.text, self.window),
            "hint text on window": (self.muted_text, self.window),
            "text in fields": (self.text, self.field),
            "hint text in empty fields": (self.placeholder, self.field),
            "field border on window": (self.muted_text, self.window),
            "button text": (self.button_text, self.button),
            "button border on window": (self.button_text, self.window),
            "main button text": (self.primary_text, self.primary),
            "chosen option text": (self.selected_text, self.selected),
            "tick in a ticked box": (self.selected, self.selected_text),
            "focus ring on window": (self.focus, self.window),
            "focus ring on fields": (self.focus, self.field),
            "warning text on window": (self.warning_text, self.window),
        }


NORMAL = StationTheme(
    name="normal",
    window="#F6F4EF",
    text="#1B1B1F",
    muted_text="#4D4D57",
    field="#FFFFFF",
    button="#FFFFFF",
    button_text="#1B1B1F",
    primary="#1F4E79",
    primary_text="#FFFFFF",
    selected="#1F4E79",
    selected_text="#FFFFFF",
    focus="#9A3F0F",
    warning_text="#8A1C1C",
    placeholder="#4D4D57",
    minimum_ratio=4.5,
)

HIGH_CONTRAST = StationTheme(
    name="high contrast",
    window="#000000",
    text="#FFFFFF",
    muted_text="#F0F0F0",
    field="#000000",
    button="#000000",
    button_text="#FFFFFF",
    primary="#FFFF00",
    primary_text="#000000",
    selected="#FFFF00",
    selected_text="#000000",
    focus="#00FFFF",
    warning_text="#FFFF00",
    placeholder="#D0D0D0",
    minimum_ratio=7.0,
)

# Cream background, as the British Dyslexia Association's style guide suggests.
DYSLEXIA = StationTheme(
    name="dyslexia-friendly",
    window="#FBF5E6",
    text="#1E1E28",
    muted_text="#4A4540",
    field="#FFFDF5",
    button="#FFFDF5",
    button_text="#1E1E28",
    primary="#1F4E79",
    primary_text="#FFFFFF",
    selected="#1F4E79",
    selected_text="#FFFFFF",
    focus="#8A3B12",
    warning_text="#8A1C1C",
    placeholder="#4A4540",
    minimum_ratio=4.5,
)

THEMES = (NORMAL, HIGH_CONTRAST, DYSLEXIA)


@dataclass(frozen=True)
class Look:
    """One attendee's "Make this easier" choices; the next person starts from the default."""

    larger_text: bool = False
    high_contrast: bool = False
    dyslexia: bool = False
    easy_read: bool = False

    @property
    def theme(self) -> StationTheme:
        if self.high_contrast:
            return HIGH_CONTRAST
        return DYSLEXIA if self.dyslexia else NORMAL

    @property
    def line_height(self) -> int:
        """Line height for paragraphs, in per cent (1.5 in the dyslexia-friendly look)."""
        return 150 if self.dyslexia else 125


_loaded_family: list[str] = []


def dyslexia_font_family() -> str:
    """Atkinson Hyperlegible (shipped, SIL Open Font Licence), loaded once."""
    if not _loaded_family:
        folder = asset_folder() / "fonts"
        families: list[str] = []
        for name in DYSLEXIA_FONT_FILES:
            font_id = QFontDatabase.addApplicationFontFromData((folder / name).read_bytes())
            if font_id >= 0:
                families.extend(QFontDatabase.applicationFontFamilies(font_id))
        _loaded_family.append(families[0] if families else DYSLEXIA_FALLBACK)
    return _loaded_family[0]


def station_font(base: QFont, look: Look, scale: float) -> QFont:
    font = QFont(base)
    font.setPointSizeF(point_size(look, scale))
    if look.dyslexia:
        font = with_name_fallbacks(font, dyslexia_font_family())
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
        font.setWordSpacing(4.0)
    else:
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 100)
        font.setWordSpacing(0.0)
    return font


def point_size(look: Look, scale: float) -> float:
    return round(BASE_POINT_SIZE * scale * (LARGER_TEXT if look.larger_text else 1.0), 1)


def station_style_sheet(look: Look, scale: float) -> str:
    """The kiosk's style sheet: large targets, a thick focus ring, sizes following the text."""
    t = look.theme
    size = point_size(look, scale)
    heading = round(size * 1.45, 1)
    small = round(size * 0.9, 1)
    family = ""
    if look.dyslexia:
        # More space between letters and words, as dyslexia style guides suggest.
        family = (
            f'font-family: "{dyslexia_font_family()}"; '
            f"letter-spacing: {round(size * 0.1, 1)}px; word-spacing: {round(size * 0.3, 1)}px;"
        )
    return f"""
    QWidget {{ color: {t.text}; font-size: {size}pt; {family} }}
    #station, #station QStackedWidget, #station QScrollArea, #station QScrollArea > QWidget,
    #station QScrollArea > QWidget > QWidget {{ background: {t.window}; }}
    QLineEdit, QPlainTextEdit, QListWidget {{
        background: {t.field}; color: {t.text}; border: 2px solid {t.muted_text};
        border-radius: 4px; padding: 8px; placeholder-text-color: {t.placeholder};
    }}
    QListWidget::item {{ padding: 8px; }}
    QListWidget::item:selected {{ background: {t.selected}; color: {t.selected_text}; }}
    QPushButton {{
        background: {t.button}; color: {t.button_text}; border: 2px solid {t.button_text};
        border-radius: 6px; padding: 10px 22px; min-height: 1.6em;
    }}
    QPushButton[role="primary"] {{
        background: {t.primary}; color: {t.primary_text}; border-color: {t.primary};
        font-weight: bold;
    }}
    QRadioButton, QCheckBox {{
        background: {t.field}; color: {t.text}; border: 2px solid {t.muted_text};
        border-radius: 6px; padding: 10px 14px; spacing: 12px;
    }}
    QRadioButton:checked, QCheckBox:checked {{
        background: {t.selected}; color: {t.selected_text}; border-color: {t.selected};
        font-weight: bold;
    }}
    QRadioButton::indicator, QCheckBox::indicator {{
        width: 0.9em; height: 0.9em; border: 2px solid {t.text}; background: {t.field};
    }}
    QRadioButton::indicator {{ border-radius: 0.45em; }}
    QRadioButton::indicator:checked, QCheckBox::indicator:checked {{
        background: {t.selected_text}; border-color: {t.selected_text};
    }}
    WrappingCheckBox {{ qproperty-tickColour: {t.selected}; }}
    *:focus {{ outline: none; }}
    /* The focus frame is thicker, and the padding thinner by as much, so a field keeps its
       size and its text room (descenders included) when it takes the focus. */
    QLineEdit:focus, QPlainTextEdit:focus, QListWidget:focus {{
        border: 4px solid {t.focus}; padding: 6px;
    }}
    QPushButton:focus, QPushButton[role="primary"]:focus {{
        border: 4px solid {t.focus}; padding: 8px 20px;
    }}
    QRadioButton:focus, QCheckBox:focus {{ border: 4px solid {t.focus}; padding: 8px 12px; }}
    QScrollBar:vertical {{
        background: {t.window}; width: 20px; border: 2px solid {t.muted_text};
        border-radius: 4px;
    }}
    QScrollBar::handle:vertical {{
        background: {t.muted_text}; min-height: 48px; border-radius: 3px; margin: 2px;
    }}
    QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
    QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
    QLabel[role="heading"] {{ font-size: {heading}pt; font-weight: bold; }}
    QLabel[role="muted"] {{ color: {t.muted_text}; font-size: {small}pt; }}
    QLabel[role="warning"] {{ color: {t.warning_text}; font-weight: bold; }}
    QLabel[role="progress"] {{ color: {t.muted_text}; font-weight: bold; }}
    """
