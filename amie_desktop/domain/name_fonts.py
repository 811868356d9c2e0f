"""The fonts the app ships for names in every script: one table for the PDFs and the window.

Each is cut down from Noto (assets/fonts/README.md says what each covers). The order is the
fallback order: the first face that has a character draws it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Face:
    """One shipped font family: the scripts it is for, and its regular and bold files."""

    script: str
    family: str

    @property
    def stem(self) -> str:
        return self.family.replace(" ", "")

    @property
    def regular(self) -> str:
        return f"{self.stem}-Regular.ttf"

    @property
    def bold(self) -> str:
        return f"{self.stem}-Bold.ttf"


LATIN = Face("Latin, Greek and Cyrillic", "Amie Names")
ARABIC = Face("Arabic, Persian, Pashto, Sorani and Urdu (Naskh)", "Amie Names Arabic")
CJK = Face("Chinese, Japanese and Korean", "Amie Names CJK")

FACES: tuple[Face, ...] = (
    LATIN,
    Face("Armenian", "Amie Names Armenian"),
    Face("Georgian", "Amie Names Georgian"),
    Face("Hebrew", "Amie Names Hebrew"),
    ARABIC,
    Face("Syriac", "Amie Names Syriac"),
    Face("Thaana", "Amie Names Thaana"),
    Face("Devanagari", "Amie Names Devanagari"),
    Face("Bengali", "Amie Names Bengali"),
    Face("Gurmukhi", "Amie Names Gurmukhi"),
    Face("Gujarati", "Amie Names Gujarati"),
    Face("Oriya", "Amie Names Oriya"),
    Face("Tamil", "Amie Names Tamil"),
    Face("Telugu", "Amie Names Telugu"),
    Face("Kannada", "Amie Names Kannada"),
    Face("Malayalam", "Amie Names Malayalam"),
    Face("Sinhala", "Amie Names Sinhala"),
    Face("Thai", "Amie Names Thai"),
    Face("Lao", "Amie Names Lao"),
    Face("Tibetan", "Amie Names Tibetan"),
    Face("Myanmar", "Amie Names Myanmar"),
    Face("Ethiopic", "Amie Names Ethiopic"),
    Face("Khmer", "Amie Names Khmer"),
    CJK,
)

# Urdu is written in Nastaliq: a line holding letters of Urdu that Arabic, Persian, Pashto
# and Sorani do not use takes this face for its Arabic-script letters instead of the Naskh
# one, unless it also holds letters only Pashto or Sorani use. Not in the fallback order.
URDU = Face("Urdu (Nastaliq)", "Amie Names Urdu")
URDU_LETTERS = frozenset("ٹڈڑںہۂۃےۓ")
PASHTO_AND_SORANI_LETTERS = frozenset("ټډړږښځڅګڼۍېڕڵۆێە")

# Every family, in fallback order, for a toolkit's own font fallback.
FAMILIES: tuple[str, ...] = tuple(face.family for face in FACES)
