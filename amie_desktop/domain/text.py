"""Text rules shared by every layer: name folding for search and matching."""

from __future__ import annotations

import unicodedata

# Letters that do not decompose into base letter + accent under NFKD.
_SPECIAL = str.maketrans(
    {
        "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
        "þ": "th", "Þ": "th", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
        "ı": "i", "ħ": "h", "Ħ": "h",
    }
)  # fmt: skip


def fold(text: str) -> str:
    """Lower-case, accent-free form of text, so "lukasz" matches "Łukasz" and "zoe" matches "Zoë".

    Scripts without a Latin base (Arabic, Bengali, Chinese ...) keep their letters, lower-cased
    where that means anything, with combining marks removed only from Latin-like text.
    """
    text = unicodedata.normalize("NFKC", text).translate(_SPECIAL).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    kept: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch) and kept and kept[-1].isascii():
            continue
        kept.append(ch)
    folded = unicodedata.normalize("NFC", "".join(kept))
    return " ".join(folded.split())


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """The cell as text a spreadsheet will never run as a formula (OWASP's CSV injection rule).

    Register data is stored exactly as typed; this is applied when a CSV file is written.
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def counted(number: int, one: str, many: str) -> str:
    """A number with its noun, as people write it: "1 person", "2 people", "0 rows"."""
    return f"{number} {one if number == 1 else many}"
