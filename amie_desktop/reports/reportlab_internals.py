"""The few ReportLab internals the reports need (shaped glyphs, attached files), in one place.

ReportLab draws text character by character; shaped text (Arabic joining, Indic conjuncts)
is made of glyphs, some of which no character maps to. Placing those glyphs needs parts of
ReportLab that are not its public interface: a font's character-to-glyph table (to give such a
glyph a private character of its own), its per-document subsets, the canvas's document, and
PDF string escaping; attaching files needs the document's catalogue. Everything of that kind
is here, behind `EmbeddedFont`, `text_operand` and `attach_files`, and
tests/reports/test_reportlab_internals.py checks each of them, so a ReportLab release that
changes them fails that one test with a plain message.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

# A Supplementary Private Use plane: never in a real name, so a glyph without a character of
# its own can borrow one of these.
PRIVATE_START = 0xF0000


class EmbeddedFont:
    """A TrueType font registered with ReportLab under name, embedded as subsets where drawn."""

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        # shapable=False: this module places shaped glyphs itself; ReportLab's own shaping
        # would shape the text a second time.
        self._font = TTFont(name, str(path), shapable=False)
        pdfmetrics.registerFont(self._font)
        face = self._font.face
        self._char_to_glyph: dict[int, int] = face.charToGlyph
        self._glyph_to_char: dict[int, list[int]] = face.glyphToChar
        self._widths: dict[int, float] = face.charWidths
        self._next_private = PRIVATE_START

    def characters(self) -> frozenset[int]:
        """The characters the font maps to glyphs (the private ones given out here included)."""
        return frozenset(self._char_to_glyph)

    def char_for_glyph(self, glyph: int, advance: float) -> str:
        """A character that draws glyph: its own, or a private one given to it now.

        advance is the glyph's width in thousandths of the font size, which ReportLab needs to
        know for a private character.
        """
        chars = self._glyph_to_char.get(glyph)
        if chars:
            return chr(chars[0])
        code = self._next_private
        while code in self._char_to_glyph:
            code += 1
        self._next_private = code + 1
        self._char_to_glyph[code] = glyph
        self._glyph_to_char.setdefault(glyph, []).append(code)
        self._widths[code] = advance
        return chr(code)

    def advance(self, char: str) -> float:
        """The width ReportLab gives char, in thousandths of the font size (0 if unknown)."""
        return self._widths.get(ord(char), 0.0)

    def subsets(self, text: str, canvas: Canvas) -> list[tuple[str, bytes]]:
        """text as (PDF font resource name, one byte per character) pieces for canvas's PDF.

        ReportLab embeds a TrueType font as subsets of up to 256 glyphs, one PDF font each;
        the pieces say which subset each run of characters is drawn from.
        """
        doc = canvas._doc
        return [
            (self._font.getSubsetInternalName(subset, doc), chunk)
            for subset, chunk in self._font.splitString(text, doc)
        ]


def text_operand(data: bytes) -> str:
    """data as a PDF string operand, "(...)", escaped as ReportLab's canvas escapes text."""
    escaped: str = escapePDF(data)
    return f"({escaped})"


def attach_files(
    canvas: Canvas, files: Sequence[tuple[str, bytes]], media_type: str, description: str
) -> None:
    """Attach files (name, bytes) to canvas's PDF, in its EmbeddedFiles name tree."""
    if not files:
        return
    doc = canvas._doc
    names: list[object] = []
    for name, data in sorted(files):
        stream = PDFStream(
            PDFDictionary(
                {
                    "Type": PDFName("EmbeddedFile"),
                    "Subtype": PDFName(media_type),
                    "Params": PDFDictionary({"Size": len(data)}),
                }
            ),
            data,
        )
        spec = PDFDictionary(
            {
                "Type": PDFName("Filespec"),
                "F": PDFString(name),
                "UF": PDFString(name),
                "Desc": PDFString(description),
                "EF": PDFDictionary({"F": doc.Reference(stream)}),
            }
        )
        names += [PDFString(name), doc.Reference(spec)]
    tree = PDFDictionary({"Names": PDFArray(names)})
    doc.Catalog.Names = PDFDictionary({"EmbeddedFiles": doc.Reference(tree)})
