"""Rebuild the fonts in amie_desktop/assets/fonts from Noto font files (a developer's job).

Certificates must print names in every script a register may hold. ReportLab embeds TrueType
outlines only, so the CJK font (CFF outlines upstream) is converted to TrueType here, and every
font is cut down to the scripts and characters names use, without hinting, to keep the app
small. The Noto fonts are under the SIL Open Font License 1.1; because "Noto Sans" is a
Reserved Font Name, the cut-down files are renamed "Amie Names ...".

Usage (needs `pip install fonttools`; the sources are the Debian packages fonts-noto-core and
fonts-noto-cjk, unpacked with `dpkg -x`):

    python tools/build_fonts.py NOTO_TRUETYPE_DIR [NOTO_CJK_DIR]

Without NOTO_CJK_DIR the (slow) CJK font is left as it is.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

OUT = Path(__file__).resolve().parent.parent / "amie_desktop" / "assets" / "fonts"

COMMON = [*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2000, 0x2070), 0x25CC]
LATIN = [
    *COMMON,
    *range(0x100, 0x250),  # Latin Extended-A and -B
    *range(0x250, 0x2B0),  # IPA letters some names use
    *range(0x2B0, 0x370),  # modifier letters and combining marks
    *range(0x370, 0x400),  # Greek
    *range(0x400, 0x530),  # Cyrillic
    *range(0x1E00, 0x1F00),  # Latin Extended Additional (Vietnamese, Welsh)
    *range(0x1F00, 0x2000),  # Greek Extended
    *range(0x20A0, 0x20C1),  # currency
    *range(0x2100, 0x2200),  # letterlike, number forms, arrows
    *range(0x2200, 0x2213),
    *range(0x25A0, 0x2600),  # geometric shapes (bullets, boxes)
    *range(0xFB00, 0xFB07),
]


def _script(first: int, last: int) -> list[int]:
    return [*COMMON, *range(first, last + 1), 0x200C, 0x200D]


# (source file, output name, family name, characters to keep)
TRUETYPE = [
    ("NotoSans-Regular.ttf", "AmieNames-Regular.ttf", "Amie Names", LATIN),
    ("NotoSans-Bold.ttf", "AmieNames-Bold.ttf", "Amie Names", LATIN),
    ("NotoNaskhArabic-Regular.ttf", "AmieNamesArabic-Regular.ttf", "Amie Names Arabic",
     [*_script(0x600, 0x6FF), *range(0x750, 0x780), *range(0xFB50, 0xFE00),
      *range(0xFE70, 0xFF00)]),
    ("NotoNaskhArabic-Bold.ttf", "AmieNamesArabic-Bold.ttf", "Amie Names Arabic",
     [*_script(0x600, 0x6FF), *range(0x750, 0x780), *range(0xFB50, 0xFE00),
      *range(0xFE70, 0xFF00)]),
    ("NotoNastaliqUrdu-Regular.ttf", "AmieNamesUrdu-Regular.ttf", "Amie Names Urdu",
     [*_script(0x600, 0x6FF), *range(0x750, 0x780), *range(0xFB50, 0xFE00),
      *range(0xFE70, 0xFF00)]),
    ("NotoNastaliqUrdu-Bold.ttf", "AmieNamesUrdu-Bold.ttf", "Amie Names Urdu",
     [*_script(0x600, 0x6FF), *range(0x750, 0x780), *range(0xFB50, 0xFE00),
      *range(0xFE70, 0xFF00)]),
    ("NotoSansHebrew-Regular.ttf", "AmieNamesHebrew-Regular.ttf", "Amie Names Hebrew",
     [*_script(0x590, 0x5FF), *range(0xFB1D, 0xFB50)]),
    ("NotoSansHebrew-Bold.ttf", "AmieNamesHebrew-Bold.ttf", "Amie Names Hebrew",
     [*_script(0x590, 0x5FF), *range(0xFB1D, 0xFB50)]),
    ("NotoSansBengali-Regular.ttf", "AmieNamesBengali-Regular.ttf", "Amie Names Bengali",
     [*_script(0x980, 0x9FF), 0x964, 0x965]),
    ("NotoSansBengali-Bold.ttf", "AmieNamesBengali-Bold.ttf", "Amie Names Bengali",
     [*_script(0x980, 0x9FF), 0x964, 0x965]),
    ("NotoSansDevanagari-Regular.ttf", "AmieNamesDevanagari-Regular.ttf",
     "Amie Names Devanagari", [*_script(0x900, 0x97F), *range(0xA8E0, 0xA900)]),
    ("NotoSansDevanagari-Bold.ttf", "AmieNamesDevanagari-Bold.ttf",
     "Amie Names Devanagari", [*_script(0x900, 0x97F), *range(0xA8E0, 0xA900)]),
    ("NotoSansTamil-Regular.ttf", "AmieNamesTamil-Regular.ttf", "Amie Names Tamil",
     [*_script(0xB80, 0xBFF), 0x964, 0x965]),
    ("NotoSansTamil-Bold.ttf", "AmieNamesTamil-Bold.ttf", "Amie Names Tamil",
     [*_script(0xB80, 0xBFF), 0x964, 0x965]),
]  # fmt: skip


def _decodable(codec: str, leads: range, trails: range) -> set[int]:
    found: set[int] = set()
    for lead in leads:
        for trail in trails:
            try:
                text = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            found.update(ord(ch) for ch in text)
    return found


def cjk_characters() -> list[int]:
    """Han of GB 2312, Big5 level 1 and JIS X 0208; kana; the Hangul syllables of KS X 1001.

    About 13,000 characters: nearly every name in these languages, at about a fifth of the size
    of the full font. A name outside them is refused by the export, never printed as boxes.
    """
    han = _decodable("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF))
    han |= _decodable("big5", range(0xA4, 0xC7), range(0x40, 0xFF))
    han |= _decodable("euc_jp", range(0xB0, 0xF5), range(0xA1, 0xFF))
    han = {ch for ch in han if 0x4E00 <= ch <= 0x9FFF}
    hangul = _decodable("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))
    hangul = {ch for ch in hangul if 0xAC00 <= ch <= 0xD7A3}
    return sorted(
        {*COMMON, *han, *range(0x3000, 0x3100), *range(0x3130, 0x3190), *range(0x31F0, 0x3200),
         *hangul, *range(0xFF00, 0xFFF0)}
    )  # fmt: skip


def _subset(font: TTFont, characters: list[int]) -> None:
    options = subset.Options()
    options.layout_features = ["*"]
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters)
    subsetter.subset(font)


def _rename(font: TTFont, family: str, style: str) -> None:
    """OFL: a modified font may not keep a Reserved Font Name, so the names change."""
    names = font["name"]
    compact = family.replace(" ", "")
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17, 21, 22):
            names.removeNames(nameID=record.nameID)
    names.setName(family, 1, 3, 1, 0x409)
    names.setName(style, 2, 3, 1, 0x409)
    names.setName(f"{family} {style}", 4, 3, 1, 0x409)
    names.setName(f"{compact}-{style}", 6, 3, 1, 0x409)
    names.setName(f"{compact}-{style}; cut down from Noto for AMIE Workshop Companion", 3, 3, 1,
                  0x409)  # fmt: skip


def _to_truetype(font: TTFont) -> None:
    """Replace CFF outlines by quadratic TrueType ones (ReportLab embeds TrueType only)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=2.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                  "maxComponentElements"):  # fmt: skip
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    font.recalcBBoxes = True


def main(truetype_dir: Path, cjk_dir: Path | None) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for source, target, family, characters in TRUETYPE:
        font = TTFont(truetype_dir / source)
        _subset(font, characters)
        _rename(font, family, "Bold" if "Bold" in source else "Regular")
        font.save(OUT / target)
        print(f"{target}: {(OUT / target).stat().st_size // 1024} KiB")
    if cjk_dir is None:
        return
    collection = TTCollection(cjk_dir / "NotoSansCJK-Regular.ttc")
    font = next(f for f in collection.fonts if f["name"].getDebugName(4) == "Noto Sans CJK SC")
    _subset(font, cjk_characters())
    _to_truetype(font)
    _rename(font, "Amie Names CJK", "Regular")
    font.save(OUT / "AmieNamesCJK-Regular.ttf")
    print(
        f"AmieNamesCJK-Regular.ttf: {(OUT / 'AmieNamesCJK-Regular.ttf').stat().st_size // 1024} KiB"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
