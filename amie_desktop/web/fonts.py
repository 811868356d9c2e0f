"""The app's own fonts for phones: @font-face rules with the characters each file covers.

A phone uses its own fonts first. Where a name needs a script the phone has no font for, the
browser falls back to ours, and thanks to `unicode-range` it fetches only the file it needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import uharfbuzz as hb

from amie_desktop.domain.content import asset_folder

FONT_FOLDER = "fonts"
# Atkinson Hyperlegible is the "easier to read" look's font, not a fallback for names.
READABLE_FAMILY = "AtkinsonHyperlegible"
_FILE_NAME = re.compile(r"^(?P<family>[A-Za-z]+)-(?P<weight>Regular|Bold)\.ttf$")


@dataclass(frozen=True)
class WebFont:
    file: str
    family: str
    weight: int
    unicode_range: str


# Gaps this small between covered characters are bridged: a shorter rule, and at worst a font
# fetched for a character it lacks (the browser then falls back further, as it would anyway).
BRIDGED_GAP = 64


def _ranges(codepoints: Iterable[int]) -> Iterator[str]:
    ordered = sorted(codepoints)
    start = previous = None
    for point in ordered:
        if previous is not None and point <= previous + BRIDGED_GAP:
            previous = point
            continue
        if start is not None and previous is not None:
            yield _span(start, previous)
        start = previous = point
    if start is not None and previous is not None:
        yield _span(start, previous)


def _span(first: int, last: int) -> str:
    return f"U+{first:X}" if first == last else f"U+{first:X}-{last:X}"


@cache
def web_fonts() -> tuple[WebFont, ...]:
    """Every shipped font a page may use, with its coverage (read once per process)."""
    folder = asset_folder() / FONT_FOLDER
    fonts = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        match = _FILE_NAME.match(entry.name)
        if match is None:
            continue
        face = hb.Face(hb.Blob(entry.read_bytes()))
        fonts.append(
            WebFont(
                file=entry.name,
                family=match["family"],
                weight=700 if match["weight"] == "Bold" else 400,
                unicode_range=", ".join(_ranges(face.unicodes)),
            )
        )
    return tuple(fonts)


def font_file(name: str) -> bytes | None:
    """The bytes of a shipped font, or None for any name that is not exactly one of them."""
    if name not in {font.file for font in web_fonts()}:
        return None
    return (asset_folder() / FONT_FOLDER / name).read_bytes()


def fallback_families() -> tuple[str, ...]:
    """Families to list after the phone's own fonts, so every name shows somewhere."""
    seen: dict[str, None] = {}
    for font in web_fonts():
        if font.family != READABLE_FAMILY:
            seen.setdefault(font.family, None)
    return tuple(seen)


@cache
def font_css() -> str:
    rules = [
        "@font-face { "
        f'font-family: "{font.family}"; '
        f'src: url("/static/fonts/{font.file}") format("truetype"); '
        f"font-weight: {font.weight}; font-style: normal; font-display: swap; "
        f"unicode-range: {font.unicode_range}; }}"
        for font in web_fonts()
    ]
    families = ", ".join(f'"{family}"' for family in fallback_families())
    rules.append(f":root {{ --name-fallbacks: {families}; }}")
    return "\n".join(rules) + "\n"
