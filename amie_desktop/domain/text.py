"""Text rules shared by every layer: name folding for search and matching, names read in Latin
letters for search from a Latin keyboard, names taken out of free text, spreadsheet-safe cells
and counted nouns."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

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


# Scripts mostly written without vowels (Hebrew, Arabic, Syriac, Thaana and their forms): a
# Latin spelling of a name in them ("Noa", "Mohammed") shares only its consonants with the
# letter-by-letter reading ("nvh", "mhmd").
_ABJAD = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")
# Vowels, and the letters those scripts also use as vowels or leave silent.
_NOT_CONSONANT = re.compile(r"[^bcdfgjklmnpqrstxz]")
SKELETON = "~"  # marks the consonant skeletons in a search key; never in a folded Latin name


def _reading(text: str) -> list[str]:
    # Words of text in Latin letters, with the apostrophes anyascii gives silent letters (and
    # Arabic's ain, which it leaves out: "عمر" is "'mr", as Omar).
    from anyascii import anyascii  # its tables take a while to load; start-up needs none

    latin = anyascii(unicodedata.normalize("NFC", text).replace("\u0639", "'"))
    return re.findall(r"[a-z0-9']+", fold(latin))


def latin_reading(text: str) -> str:
    """text read in Latin letters and folded: "Олександра" -> "oleksandra", "王芳" -> "wangfang"."""
    return " ".join(word for word in (w.replace("'", "") for w in _reading(text)) if word)


def _skeleton(word: str) -> str:
    # A word that starts with a vowel or a silent letter is marked, so "ann" is not "noa".
    start = "_" if word[:1] in ("a", "e", "i", "o", "u", "'") else ""
    consonants = _NOT_CONSONANT.sub("", word)
    return start + re.sub(r"(.)\1+", r"\1", consonants)


def search_key(name: str) -> str:
    """What name search looks in: the folded name, its Latin reading when that differs, and for
    names in Hebrew or Arabic script the consonants of that reading, each word between SKELETONs.

    So "lukasz" finds "Łukasz" (folding), "oleksandra" finds "Олександра" and "noa" finds "נועה".
    """
    folded = fold(name)
    latin = latin_reading(name)
    parts = [folded]
    if latin and latin != folded:
        parts.append(latin)
    if _ABJAD.search(name):
        skeletons = (_skeleton(word) for word in _reading(name))
        parts.append(
            SKELETON + SKELETON.join(skeleton for skeleton in skeletons if skeleton) + SKELETON
        )
    return " / ".join(parts)


def typed_skeleton(typed: str) -> str | None:
    """The consonants of Latin words as typed, to look for in a search key's skeletons: "noa" ->
    "~n". The last word may be unfinished, so it is left open. None if there are none to look for.
    """
    words = fold(typed).split()
    if not words or not all(word.isascii() and word.isalpha() for word in words):
        return None
    skeletons = [_skeleton(word) for word in words]
    if not all(skeleton.strip("_") for skeleton in skeletons):
        return None
    return SKELETON + SKELETON.join(skeletons)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def plain_digits(text: str) -> str:
    """Decimal digits of any script as 0-9, so a PIN typed on an Arabic or Bengali keyboard
    ("١٢٣٤", "১২৩৪") is the same PIN as "1234"; every other character is kept as it is
    (superscripts and circled numbers are not decimal digits)."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def spreadsheet_safe(cell: str) -> str:
    """The cell as text a spreadsheet will never run as a formula (OWASP's CSV injection rule).

    Register data is stored exactly as typed; this is applied when a CSV file is written.
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def counted(number: int, one: str, many: str) -> str:
    """A number with its noun, as people write it: "1 person", "2 people", "0 rows"."""
    return f"{number} {one if number == 1 else many}"


# Names out of free text (quotes in the session summary) ------------------------------------
NAME_MARK = "[name]"


def remove_names(text: str, names: Iterable[str]) -> str:
    """text with every name (whole, or any part of two letters or more) replaced by [name].

    Matching ignores case and accents on the text's own terms: "zoe" and "ZOË" both go.
    """
    return NameRemover(names)(text)


class NameRemover:
    """Takes names out of free text; built once for a register, used on every quote."""

    def __init__(self, names: Iterable[str]) -> None:
        parts: set[str] = set()
        for name in names:
            folded = fold(name)
            if folded:
                parts.add(folded)
                parts.update(p for p in re.split(r"[\s\-']+", folded) if len(p) >= 2)
        alternatives = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if parts else None
        self._repeats = re.compile(rf"{re.escape(NAME_MARK)}(\s+{re.escape(NAME_MARK)})+")

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        folded_text, positions = _fold_with_positions(text)
        out: list[str] = []
        cursor = 0
        for match in self._pattern.finditer(folded_text):
            start, end = match.span()
            out.append(text[cursor : positions[start]])
            out.append(NAME_MARK)
            cursor = positions[end - 1] + 1
        if not out:
            return text
        out.append(text[cursor:])
        return self._repeats.sub(NAME_MARK, "".join(out))


def _fold_with_positions(text: str) -> tuple[str, list[int]]:
    """fold() of each character, and for each folded character the index it came from."""
    folded: list[str] = []
    positions: list[int] = []
    for index, ch in enumerate(text):
        piece = fold(ch) if not ch.isspace() else " "
        folded.append(piece)
        positions += [index] * len(piece)
    return "".join(folded), positions
