"""The ReportLab internals that shaped names rely on still work as they did.

If one of these fails after a ReportLab upgrade, names in shaped scripts (Arabic, the scripts
of India, ...) can no longer be printed: amie_desktop/reports/reportlab_internals.py is the
one module to change.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import uharfbuzz
from reportlab.pdfgen.canvas import Canvas

from amie_desktop.domain.content import asset_folder
from amie_desktop.reports.reportlab_internals import (
    PRIVATE_START,
    EmbeddedFont,
    attach_files,
    text_operand,
)

FONTS = asset_folder() / "fonts"
ARABIC = Path(str(FONTS / "AmieNamesArabic-Regular.ttf"))
DEVANAGARI = Path(str(FONTS / "AmieNamesDevanagari-Regular.ttf"))


def _joined_glyph() -> int:
    """A glyph no character maps to: the conjunct kssa (क्ष), as shaping makes it."""
    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(DEVANAGARI)))
    buffer = uharfbuzz.Buffer()
    buffer.add_str("क्ष")
    buffer.guess_segment_properties()
    uharfbuzz.shape(uharfbuzz.Font(face), buffer, {})
    (conjunct,) = buffer.glyph_infos
    return int(conjunct.codepoint)


def test_a_font_tells_which_characters_it_draws() -> None:
    font = EmbeddedFont("InternalsArabic1", ARABIC)
    characters = font.characters()
    assert ord("ب") in characters
    assert ord("ا") in characters
    assert ord("ก") not in characters  # Thai is in another font


def test_a_glyph_of_a_character_is_drawn_by_that_character() -> None:
    font = EmbeddedFont("InternalsArabic2", ARABIC)
    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(ARABIC)))
    beh = uharfbuzz.Font(face).get_nominal_glyph(ord("ب"))
    assert font.char_for_glyph(beh, 500.0) == "ب"


def test_a_glyph_without_a_character_borrows_a_private_one_once() -> None:
    font = EmbeddedFont("InternalsDevanagari3", DEVANAGARI)
    glyph = _joined_glyph()
    char = font.char_for_glyph(glyph, 321.0)
    assert ord(char) >= PRIVATE_START
    assert ord(char) in font.characters()
    assert font.advance(char) == 321.0
    assert font.char_for_glyph(glyph, 321.0) == char  # the same glyph keeps its character
    other = font.char_for_glyph(glyph + 1, 100.0)
    assert other != char


def test_subsets_name_the_pdf_fonts_that_draw_the_text() -> None:
    font = EmbeddedFont("InternalsDevanagari4", DEVANAGARI)
    private = font.char_for_glyph(_joined_glyph(), 600.0)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(300, 100), invariant=True)
    pieces = font.subsets("क" + private + "ष", canvas)
    assert sum(len(chunk) for _, chunk in pieces) == 3  # a byte per character
    operators = ["BT", "/Span <</ActualText <FEFF0915091509420937>>> BDC"]
    for resource, _chunk in pieces:
        assert resource.startswith("/")
        operators += [f"{resource} 24 Tf", "1 0 0 1 40 40 Tm"]
        operators += [f"[{' '.join(text_operand(bytes((b,))) for b in _chunk)}] TJ"]
    operators += ["EMC", "ET"]
    canvas.addLiteral("\n".join(operators))
    canvas.showPage()
    canvas.save()
    pdf = pdfium.PdfDocument(out.getvalue())
    page = pdf[0]
    text = page.get_textpage().get_text_range()
    image = page.render(scale=1).to_pil().convert("L")
    pdf.close()
    assert "ककूष" in text  # the ActualText is what a reader gets
    # The glyphs were embedded and drawn: some ink where the text is.
    assert image.getextrema()[0] < 128


def test_text_operands_escape_what_pdf_strings_cannot_hold() -> None:
    assert text_operand(b"(a)") == r"(\(a\))"
    assert text_operand(b"\\") == r"(\\)"
    assert text_operand(bytes((10,))) == r"(\012)"
    assert text_operand(bytes((200,))) == r"(\310)"


def test_attached_files_are_listed_by_a_pdf_reader() -> None:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(300, 100), invariant=True)
    attach_files(
        canvas, [("b.json", b'{"b": 2}'), ("a.json", b'{"a": 1}')], "application/json", "Facts"
    )
    canvas.showPage()
    canvas.save()
    pdf = pdfium.PdfDocument(out.getvalue())
    found = {}
    for index in range(pdf.count_attachments()):
        attachment = pdf.get_attachment(index)
        found[attachment.get_name()] = bytes(attachment.get_data())
    pdf.close()
    assert found == {"a.json": b'{"a": 1}', "b.json": b'{"b": 2}'}
