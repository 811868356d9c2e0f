"""Shared look of every document: paper sizes, colours, and the colour-blind-safe palette."""

from __future__ import annotations

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, LETTER

PAPER_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "Letter": LETTER}

INK = HexColor("#1A1A1A")
MUTED = HexColor("#4D4D4D")  # 8.4:1 on white: small print stays readable
RULE = HexColor("#B3B3B3")
DEFAULT_ACCENT = "#1F5F8B"
DEFAULT_SECONDARY = "#8A3B12"

# Okabe and Ito's palette, safe for the common kinds of colour blindness; paired with
# hatching in charts so that greyscale printouts still tell the series apart.
BEFORE_COLOUR = HexColor("#E69F00")
AFTER_COLOUR = HexColor("#0072B2")


def paper(name: str) -> tuple[float, float]:
    """Page size for "A4" or "Letter" (anything else falls back to A4)."""
    width, height = PAPER_SIZES.get(name, A4)
    return float(width), float(height)


def colour(hex_code: str, fallback: str = DEFAULT_ACCENT) -> Color:
    try:
        return HexColor(hex_code)
    except ValueError:
        return HexColor(fallback)
