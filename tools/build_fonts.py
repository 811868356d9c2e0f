"""Rebuild the fonts in assets/fonts from the Noto fonts Debian packages (a developer's job).

Certificates, the window and the reflection station must show names in every script a
register may hold, on a computer with no fonts of its own. Every font here is cut down from
Noto to the letters, marks, digits and punctuation of its script (for Chinese, Japanese and
Korean: the characters names use), without hinting, to keep the app small. ReportLab embeds
TrueType outlines only, so the CJK fonts (CFF outlines upstream) are converted to TrueType.

The Noto fonts are under the SIL Open Font License 1.1 (OFL.txt); a modified font is given a
name of its own, so the cut-down files are called "Amie Names ...".

How the shipped files were made (Debian 12 packages, unpacked without installing them, so
the machine's own fonts stay as they were):

    apt-get download fonts-noto-core fonts-noto-extra fonts-noto-cjk
    for deb in fonts-noto-*.deb; do dpkg -x "$deb" noto; done
    .venv/bin/python tools/build_fonts.py noto/usr/share/fonts

fonts-noto-core 20201225-1, fonts-noto-extra 20201225-1 (Tibetan, Syriac's heavy weight),
fonts-noto-cjk 1:20220127+repack1-1. fontTools comes with the test extra. The CJK cut takes
a few minutes; `--only scripts` leaves those two files as they are.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.ttLib.tables import otTables

OUT = Path(__file__).resolve().parent.parent / "assets" / "fonts"


def _span(first: int, last: int) -> range:
    return range(first, last + 1)


# Spaces, ASCII, Latin-1, general punctuation (joiners, marks of direction), the dotted
# circle shaping draws under a lone combining mark: every face has what it holds of these.
COMMON = [*_span(0x20, 0x7E), *_span(0xA0, 0xFF), *_span(0x2000, 0x206F), 0x25CC]

LATIN_GREEK_CYRILLIC = [
    *COMMON,
    *_span(0x100, 0x24F),  # Latin Extended-A and -B (Central European, Welsh, Pinyin, ...)
    *_span(0x250, 0x2AF),  # IPA letters that African alphabets use (ɛ ɔ ŋ ɓ ɗ)
    *_span(0x2B0, 0x36F),  # modifier letters and combining marks
    *_span(0x370, 0x3FF),  # Greek
    *_span(0x400, 0x52F),  # Cyrillic and its supplement
    *_span(0x1AB0, 0x1AFF),  # combining marks, extended
    *_span(0x1C80, 0x1C8F),  # Cyrillic Extended-C
    *_span(0x1D00, 0x1DFF),  # phonetic extensions and combining marks supplement
    *_span(0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese, Yoruba, Welsh)
    *_span(0x1F00, 0x1FFF),  # Greek Extended (polytonic)
    *_span(0x20A0, 0x20C0),  # currency signs
    *_span(0x2100, 0x218F),  # letterlike symbols, number forms
    *_span(0x2190, 0x21FF),  # arrows
    *_span(0x2200, 0x2212),
    *_span(0x25A0, 0x25FF),  # geometric shapes (bullets, boxes)
    *_span(0x2C60, 0x2C7F),  # Latin Extended-C
    *_span(0x2DE0, 0x2DFF),  # Cyrillic Extended-A
    *_span(0xA640, 0xA69F),  # Cyrillic Extended-B
    *_span(0xA700, 0xA7FF),  # modifier tone letters, Latin Extended-D (Hausa ꞌ, Saanich)
    *_span(0xAB30, 0xAB6F),  # Latin Extended-E
    *_span(0xFB00, 0xFB06),  # ligatures
    *_span(0xFE20, 0xFE2F),  # combining half marks
]


def _script(*spans: tuple[int, int]) -> list[int]:
    """A script's blocks, with the common characters and the joiners shaping relies on."""
    return [*COMMON, 0x200C, 0x200D, *(c for first, last in spans for c in _span(first, last))]


ARABIC = _script((0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
INDIC_DANDA = (0x964, 0x965)  # Devanagari's full stops, shared by the scripts of India


# (file stem, family name, regular source, bold source, characters to keep). A source that
# is a .ttc is read for the face named after the "#".
FONTS: list[tuple[str, str, str, str, list[int]]] = [
    ("AmieNames", "Amie Names", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
     LATIN_GREEK_CYRILLIC),
    ("AmieNamesArmenian", "Amie Names Armenian", "NotoSansArmenian-Regular.ttf",
     "NotoSansArmenian-Bold.ttf", _script((0x530, 0x58F), (0xFB13, 0xFB17))),
    ("AmieNamesGeorgian", "Amie Names Georgian", "NotoSansGeorgian-Regular.ttf",
     "NotoSansGeorgian-Bold.ttf", _script((0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F))),
    ("AmieNamesHebrew", "Amie Names Hebrew", "NotoSansHebrew-Regular.ttf",
     "NotoSansHebrew-Bold.ttf", _script((0x590, 0x5FF), (0xFB1D, 0xFB4F))),
    ("AmieNamesArabic", "Amie Names Arabic", "NotoNaskhArabic-Regular.ttf",
     "NotoNaskhArabic-Bold.ttf", ARABIC),
    ("AmieNamesUrdu", "Amie Names Urdu", "NotoNastaliqUrdu-Regular.ttf",
     "NotoNastaliqUrdu-Bold.ttf", ARABIC),
    # Noto Sans Syriac comes in Thin, Regular and Black only: Black stands in for bold.
    ("AmieNamesSyriac", "Amie Names Syriac", "NotoSansSyriac-Regular.ttf",
     "NotoSansSyriac-Black.ttf", _script((0x700, 0x74F), (0x860, 0x86F), (0x64B, 0x655))),
    ("AmieNamesThaana", "Amie Names Thaana", "NotoSansThaana-Regular.ttf",
     "NotoSansThaana-Bold.ttf", _script((0x780, 0x7BF), (0x60C, 0x60C), (0x61B, 0x61F))),
    ("AmieNamesDevanagari", "Amie Names Devanagari", "NotoSansDevanagari-Regular.ttf",
     "NotoSansDevanagari-Bold.ttf", _script((0x900, 0x97F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF))),
    ("AmieNamesBengali", "Amie Names Bengali", "NotoSansBengali-Regular.ttf",
     "NotoSansBengali-Bold.ttf", _script((0x980, 0x9FF), INDIC_DANDA)),
    ("AmieNamesGurmukhi", "Amie Names Gurmukhi", "NotoSansGurmukhi-Regular.ttf",
     "NotoSansGurmukhi-Bold.ttf", _script((0xA00, 0xA7F), INDIC_DANDA)),
    ("AmieNamesGujarati", "Amie Names Gujarati", "NotoSansGujarati-Regular.ttf",
     "NotoSansGujarati-Bold.ttf", _script((0xA80, 0xAFF), INDIC_DANDA)),
    ("AmieNamesOriya", "Amie Names Oriya", "NotoSansOriya-Regular.ttf",
     "NotoSansOriya-Bold.ttf", _script((0xB00, 0xB7F), INDIC_DANDA)),
    ("AmieNamesTamil", "Amie Names Tamil", "NotoSansTamil-Regular.ttf",
     "NotoSansTamil-Bold.ttf", _script((0xB80, 0xBFF), INDIC_DANDA)),
    ("AmieNamesTelugu", "Amie Names Telugu", "NotoSansTelugu-Regular.ttf",
     "NotoSansTelugu-Bold.ttf", _script((0xC00, 0xC7F), INDIC_DANDA)),
    ("AmieNamesKannada", "Amie Names Kannada", "NotoSansKannada-Regular.ttf",
     "NotoSansKannada-Bold.ttf", _script((0xC80, 0xCFF), INDIC_DANDA)),
    ("AmieNamesMalayalam", "Amie Names Malayalam", "NotoSansMalayalam-Regular.ttf",
     "NotoSansMalayalam-Bold.ttf", _script((0xD00, 0xD7F), INDIC_DANDA)),
    ("AmieNamesSinhala", "Amie Names Sinhala", "NotoSansSinhala-Regular.ttf",
     "NotoSansSinhala-Bold.ttf", _script((0xD80, 0xDFF), INDIC_DANDA)),
    ("AmieNamesThai", "Amie Names Thai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf",
     _script((0xE00, 0xE7F))),
    ("AmieNamesLao", "Amie Names Lao", "NotoSansLao-Regular.ttf", "NotoSansLao-Bold.ttf",
     _script((0xE80, 0xEFF))),
    ("AmieNamesTibetan", "Amie Names Tibetan", "NotoSerifTibetan-Regular.ttf",
     "NotoSerifTibetan-Bold.ttf", _script((0xF00, 0xFFF))),
    ("AmieNamesMyanmar", "Amie Names Myanmar", "NotoSansMyanmar-Regular.ttf",
     "NotoSansMyanmar-Bold.ttf", _script((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F))),
    ("AmieNamesEthiopic", "Amie Names Ethiopic", "NotoSansEthiopic-Regular.ttf",
     "NotoSansEthiopic-Bold.ttf",
     _script((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F), (0x1E7E0, 0x1E7FF))),
    ("AmieNamesKhmer", "Amie Names Khmer", "NotoSansKhmer-Regular.ttf",
     "NotoSansKhmer-Bold.ttf", _script((0x1780, 0x17FF), (0x19E0, 0x19FF))),
]  # fmt: skip


def _decodable(codec: str, leads: Iterable[int], trails: Iterable[int]) -> set[int]:
    """Every character a double-byte encoding maps those lead and trail bytes to."""
    found: set[int] = set()
    trail_bytes = list(trails)
    for lead in leads:
        for trail in trail_bytes:
            try:
                text = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            found.update(ord(ch) for ch in text)
    return found


def _han(code: int) -> bool:
    return (
        0x3400 <= code <= 0x4DBF  # Extension A
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs (﨑 and its kind)
        or 0x20000 <= code <= 0x3134F  # Extensions B and after (𠮷)
    )


def _jis_x_0213_plane_1() -> set[int]:
    """JIS X 0213 plane 1 (EUC-JIS-2004 without the 0x8F prefix): JIS X 0208 and level 3.

    Level 3 is where Japanese names' own variants live: 髙 (for 高), 﨑 (for 崎), 𠮷 (for 吉).
    """
    return _decodable("euc_jis_2004", range(0xA1, 0xFF), range(0xA1, 0xFF))


def _cp932_extensions() -> set[int]:
    """The NEC and IBM kanji of Windows Shift-JIS, added for the names Japanese offices print."""
    return _decodable("cp932", [*range(0xED, 0xEF), *range(0xFA, 0xFD)], range(0x40, 0xFD))


# Name characters outside the character sets below (the "tsuchi-yoshi" of Yoshida).
NAME_VARIANTS = "𠮷"


def cjk_characters() -> list[int]:
    """The Han, kana and Hangul names are written with; about 24,000 characters.

    Simplified Chinese: GB 2312 levels 1 and 2. Traditional: Big5 level 1 (the frequent
    characters). Japanese: JIS X 0208, JIS X 0213 level 3, and the NEC/IBM name kanji.
    Korean: all 11,172 Hangul syllables, the jamo, and the hanja of KS X 1001. A name outside
    them is left out of an export with a message, never printed as boxes.
    """
    han = _decodable("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF))
    han |= _decodable("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    han |= _jis_x_0213_plane_1()
    han |= _cp932_extensions()
    han |= _decodable("euc_kr", range(0xCA, 0xFE), range(0xA1, 0xFF))
    han |= {ord(ch) for ch in NAME_VARIANTS}
    han = {ch for ch in han if _han(ch)}
    return sorted(
        {*COMMON, *han,
         *_span(0x1100, 0x11FF),  # Hangul jamo
         *_span(0x3000, 0x303F),  # CJK punctuation (、。「」 and the iteration mark 々)
         *_span(0x3040, 0x30FF),  # hiragana and katakana
         *_span(0x3130, 0x318F),  # Hangul compatibility jamo
         *_span(0x31F0, 0x31FF),  # katakana for Ainu
         *_span(0xAC00, 0xD7A3),  # every Hangul syllable
         *_span(0xFF00, 0xFFEF)}  # full-width forms
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


def _declare_gsub_script(font: TTFont, tag: str) -> None:
    """Give a font without a GSUB table an empty one that names its script.

    Noto Sans Thaana positions marks (GPOS) but substitutes nothing, so it has no GSUB; Qt
    takes a font without the script in GSUB to lack it, and draws Thaana names as boxes.
    """
    if "GSUB" in font:
        return
    language = otTables.LangSys()
    language.LookupOrder = None
    language.ReqFeatureIndex = 0xFFFF
    language.FeatureIndex = []
    language.FeatureCount = 0
    script = otTables.Script()
    script.DefaultLangSys = language
    script.LangSysRecord = []
    script.LangSysCount = 0
    record = otTables.ScriptRecord()
    record.ScriptTag = tag
    record.Script = script
    gsub = otTables.GSUB()
    gsub.Version = 0x00010000
    gsub.ScriptList = otTables.ScriptList()
    gsub.ScriptList.ScriptRecord = [record]
    gsub.ScriptList.ScriptCount = 1
    gsub.FeatureList = otTables.FeatureList()
    gsub.FeatureList.FeatureRecord = []
    gsub.FeatureList.FeatureCount = 0
    gsub.LookupList = otTables.LookupList()
    gsub.LookupList.Lookup = []
    gsub.LookupList.LookupCount = 0
    table = newTable("GSUB")
    table.table = gsub
    font["GSUB"] = table


def _rename(font: TTFont, family: str, style: str) -> None:
    """OFL: a modified font takes a name of its own, so the names change."""
    names = font["name"]
    compact = family.replace(" ", "")
    for record in list(names.names):
        if record.nameID in (1, 2, 3, 4, 6, 16, 17, 21, 22, 25):
            names.removeNames(nameID=record.nameID)
    names.setName(family, 1, 3, 1, 0x409)
    names.setName(style, 2, 3, 1, 0x409)
    names.setName(f"{family} {style}", 4, 3, 1, 0x409)
    names.setName(f"{compact}-{style}", 6, 3, 1, 0x409)
    names.setName(f"{compact}-{style}; cut down from Noto for AMIE Workshop Companion", 3, 3, 1,
                  0x409)  # fmt: skip
    # A bold face says so, so that Qt and ReportLab both file it as the family's bold.
    os2, head = font["OS/2"], font["head"]
    bold = style == "Bold"
    os2.usWeightClass = 700 if bold else 400
    os2.fsSelection = (os2.fsSelection & ~0b1100001) | (0b100000 if bold else 0b1000000)
    head.macStyle = (head.macStyle & ~0b11) | (1 if bold else 0)


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
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    font.recalcBBoxes = True


def _find(sources: Path, name: str) -> Path:
    found = sorted(sources.rglob(name))
    if not found:
        raise SystemExit(f"{name} is not under {sources}: unpack the Noto packages there first.")
    return found[0]


def _save(font: TTFont, target: str) -> int:
    path = OUT / target
    font.save(path)
    size = path.stat().st_size
    print(f"{target}: {size // 1024} KiB")
    return size


def build_scripts(sources: Path) -> int:
    total = 0
    for stem, family, regular, bold, characters in FONTS:
        for style, source in (("Regular", regular), ("Bold", bold)):
            font = TTFont(_find(sources, source))
            _subset(font, characters)
            if stem == "AmieNamesThaana":
                _declare_gsub_script(font, "thaa")
            _rename(font, family, style)
            total += _save(font, f"{stem}-{style}.ttf")
    return total


def build_cjk(sources: Path) -> int:
    total = 0
    characters = cjk_characters()
    for style in ("Regular", "Bold"):
        collection = TTCollection(_find(sources, f"NotoSansCJK-{style}.ttc"))
        # The Simplified Chinese face: its default glyphs; the Japanese, Korean and
        # Traditional forms stay reachable through its 'locl' feature.
        font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
        _subset(font, characters)
        _to_truetype(font)
        _rename(font, "Amie Names CJK", style)
        total += _save(font, f"AmieNamesCJK-{style}.ttf")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", type=Path, help="a folder holding the unpacked Noto fonts")
    parser.add_argument(
        "--only", choices=("scripts", "cjk"), help="build only these, leaving the others be"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    if args.only != "cjk":
        total += build_scripts(args.sources)
    if args.only != "scripts":
        total += build_cjk(args.sources)
    print(f"written: {total / 1024 / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
