"""Fonts for every script a name may use, with shaping (HarfBuzz) and right-to-left ordering.

ReportLab embeds TrueType fonts but does not choose a font per script, nor order mixed
right-to-left text, so lines of text that may hold any script go through `layout_line()` and
`draw_line()` here: each character gets the first shipped font that has it, the line is split
into runs of one font and one direction (Unicode bidi levels), each run is shaped by HarfBuzz,
and the runs are placed in visual order. The glyphs are written with their real text attached,
so a PDF reader can search, copy and read the line aloud.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import uharfbuzz
from bidi import algorithm as bidi_algorithm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from amie_desktop.domain.content import asset_folder
from amie_desktop.domain.name_fonts import (
    ARABIC,
    CJK,
    FACES,
    LATIN,
    PASHTO_AND_SORANI_LETTERS,
    URDU,
    URDU_LETTERS,
    Face,
)
from amie_desktop.reports.reportlab_internals import EmbeddedFont, text_operand

__all__ = [
    "BOLD", "FACES", "REGULAR", "Face", "Line", "draw_line", "face_for", "layout_line",
    "missing_characters", "register_base_fonts", "text_width", "wrap",
]  # fmt: skip

FONT_DIR = Path(str(asset_folder() / "fonts"))

REGULAR = "AmieNames-Regular"
BOLD = "AmieNames-Bold"

_lock = threading.RLock()

# Unicode's default-ignorable code points: joiners, variation selectors, marks of direction,
# fillers. They change the glyphs around them or nothing at all, and never need a glyph.
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)  # fmt: skip
_NO_GLYPH = {"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"}


def _font_name(file: str) -> str:
    return file.removesuffix(".ttf")


_loaded: dict[str, EmbeddedFont] = {}


def _registered(file: str) -> EmbeddedFont:
    """The font in file, registered with ReportLab exactly once even when threads race."""
    with _lock:
        font = _loaded.get(file)
        if font is None:
            font = _loaded[file] = EmbeddedFont(_font_name(file), FONT_DIR / file)
        return font


def register_base_fonts() -> None:
    """Register the Latin faces, which every document uses for its own wording."""
    _registered(LATIN.regular)
    _registered(LATIN.bold)
    # So that <b> in a Paragraph picks the bold face.
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )


def _file(face: Face, bold: bool) -> str:
    return face.bold if bold else face.regular


@cache
def _coverage(face: Face) -> frozenset[int]:
    """The characters face draws, read by HarfBuzz: far quicker than loading it for a PDF."""
    return frozenset(_hb_face(face.regular).unicodes)


def _needs_glyph(ch: str) -> bool:
    if unicodedata.category(ch) in _NO_GLYPH:
        return False
    code = ord(ch)
    return not any(first <= code <= last for first, last in _DEFAULT_IGNORABLE)


@lru_cache(maxsize=8192)
def face_for(ch: str) -> Face | None:
    """The first shipped face that draws ch, or None if no face has it."""
    code = ord(ch)
    for face in FACES:
        if code in _coverage(face):
            return face
    return None


def _can_go_without(ch: str) -> bool:
    """A symbol or punctuation mark (an emoji, say) a name is still itself without."""
    return unicodedata.category(ch)[0] in "PS"


def missing_characters(text: str) -> str:
    """The letters, marks and digits of text that no shipped font can draw (empty if none).

    Symbols and punctuation no font has (an emoji in a name) are left out of the drawing
    instead; the text a reader copies from the PDF keeps them.
    """
    missing = dict.fromkeys(
        ch for ch in text if _needs_glyph(ch) and not _can_go_without(ch) and face_for(ch) is None
    )
    return "".join(missing)


def _is_neutral(ch: str) -> bool:
    """Spaces, marks, punctuation and digits follow the font of the letters around them."""
    category = unicodedata.category(ch)
    return category[0] in "MPZNS" or category in ("Cf", "Cc")


def _assign_faces(text: str) -> list[Face]:
    faces: list[Face | None] = []
    for ch in text:
        faces.append(None if _is_neutral(ch) else (face_for(ch) or LATIN))
    # Neutral characters take the face before them when it has them, else the one after.
    previous: Face | None = None
    for i, ch in enumerate(text):
        if faces[i] is not None:
            previous = faces[i]
            continue
        following = next((f for f in faces[i + 1 :] if f is not None), None)
        for candidate in (previous, following):
            if candidate is not None and (ord(ch) in _coverage(candidate) or not _needs_glyph(ch)):
                faces[i] = candidate
                break
        else:
            faces[i] = face_for(ch) or previous or following or LATIN
    if URDU_LETTERS.intersection(text) and not PASHTO_AND_SORANI_LETTERS.intersection(text):
        urdu = _coverage(URDU)
        pairs = zip(text, faces, strict=True)
        faces = [URDU if f is ARABIC and ord(ch) in urdu else f for ch, f in pairs]
    return [face or LATIN for face in faces]


def _levels(text: str) -> list[int]:
    """Unicode bidi embedding levels of each character (even: left to right, odd: right to left)."""
    storage: dict[str, Any] = bidi_algorithm.get_empty_storage()
    base_level = bidi_algorithm.get_base_level(text)
    storage["base_level"] = base_level
    storage["base_dir"] = ("L", "R")[base_level]
    bidi_algorithm.get_embedding_levels(text, storage)
    for index, ch in enumerate(storage["chars"]):
        ch["index"] = index
    # Rule X9 takes joiners (ZWJ, ZWNJ) and other boundary-neutral characters out of the
    # text; each is given back the level of the character before it (the rule's own advice),
    # so the levels stay one per character of text.
    bidi_algorithm.explicit_embed_and_overrides(storage)
    bidi_algorithm.resolve_weak_types(storage)
    _resolve_paired_brackets(storage["chars"], base_level)
    bidi_algorithm.resolve_neutral_types(storage, False)
    bidi_algorithm.resolve_implicit_levels(storage, False)
    resolved: list[int | None] = [None] * len(text)
    for ch in storage["chars"]:
        resolved[ch["index"]] = int(ch["level"])
    levels: list[int] = []
    for level in resolved:
        if level is None:
            level = (
                levels[-1]
                if levels
                else next((lv for lv in resolved if lv is not None), base_level)
            )
        levels.append(level)
    return levels


_OPENING = {"(": ")", "[": "]", "{": "}", "«": "»", "‹": "›", "（": "）", "【": "】", "「": "」"}
_STRONG = {"L": "L", "R": "R", "AL": "R", "EN": "R", "AN": "R"}


def _resolve_paired_brackets(chars: list[dict[str, Any]], base_level: int) -> None:
    """Unicode bidi rule N0: a bracket pair takes one direction, so "محمد (Mo)" keeps its pair.

    The bidi package follows the older algorithm without this rule; names are one paragraph
    without explicit embeddings, so the whole line is one isolating run sequence.
    """
    embedding = "R" if base_level % 2 else "L"
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for index, ch in enumerate(chars):
        char = ch["ch"]
        if char in _OPENING and ch["type"] == "ON":
            stack.append((_OPENING[char], index))
        elif stack and ch["type"] == "ON":
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == char:
                    pairs.append((stack[depth][1], index))
                    del stack[depth:]
                    break
    for opening, closing in sorted(pairs):
        inside = {_STRONG.get(c["type"]) for c in chars[opening + 1 : closing]} - {None}
        if embedding in inside:
            direction = embedding
        elif inside:
            before = next(
                (_STRONG[c["type"]] for c in reversed(chars[:opening]) if c["type"] in _STRONG),
                embedding,
            )
            direction = before if before != embedding else embedding
        else:
            continue
        chars[opening]["type"] = chars[closing]["type"] = direction


@dataclass(frozen=True)
class Glyph:
    char: str  # the character ReportLab's subset uses for this glyph
    x: float  # position from the start of the line, in points
    y: float


@dataclass(frozen=True)
class Run:
    font_name: str
    text: str  # in logical order: what a reader copies or hears
    glyphs: tuple[Glyph, ...]  # in logical order too, each at its visual place


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    width: float
    size: float
    text: str
    rtl: bool = False  # the line reads right to left (its first strong letter does)


@cache
def _hb_face(file: str) -> uharfbuzz.Face:
    return uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(FONT_DIR / file)))


@cache
def _hb_font(file: str) -> tuple[uharfbuzz.Font, int]:
    # Shaping reads a HarfBuzz font without changing it, so threads may share one.
    face = _hb_face(file)
    return uharfbuzz.Font(face), face.upem


def _encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def han_language(text: str) -> str | None:
    """The language whose forms of Han characters suit a name, as far as its letters tell.

    Chinese, Japanese and Korean draw some of the same characters differently; the CJK font
    holds each language's forms. Kana means Japanese, Hangul Korean. A name of Han alone is
    taken as Simplified Chinese when GB 2312 has it all, as Traditional when Big5 does, and
    as Japanese when only the Japanese sets do (髙, 﨑). None: the font's own (Simplified).
    """
    if any("\u3040" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff" for ch in text):
        return "ja"
    if any("\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" for ch in text):
        return "ko"
    han = "".join(ch for ch in text if _is_cjk(ch))
    if not han or _encodable(han, "gb2312"):
        return None
    if _encodable(han, "big5"):
        return "zh-Hant"
    if _encodable(han, "euc_jis_2004") or _encodable(han, "cp932"):
        return "ja"
    return None


def _shape(
    text: str, file: str, rtl: bool, size: float, start_x: float, language: str | None = None
) -> tuple[Run, float]:
    font = _registered(file)
    hb_font, upem = _hb_font(file)
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    if language is not None:
        buffer.language = language
    # Joiners and variation selectors change the glyphs around them but draw nothing; left in,
    # they become stray zero-width glyphs that put a reader's copy of the name out of order.
    # A mark that starts a run (an accent after a letter of another script) is drawn as it
    # is, without the dotted circle that stands in for a missing base.
    buffer.flags = (
        uharfbuzz.BufferFlags.REMOVE_DEFAULT_IGNORABLES
        | uharfbuzz.BufferFlags.DO_NOT_INSERT_DOTTED_CIRCLE
    )
    uharfbuzz.shape(hb_font, buffer, {"kern": True, "liga": True})
    scale = size / upem
    placed: list[tuple[int, int, Glyph]] = []
    x = start_x
    with _lock:
        for order, (info, pos) in enumerate(
            zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
        ):
            char = font.char_for_glyph(info.codepoint, pos.x_advance * 1000 / upem)
            glyph = Glyph(char, x + pos.x_offset * scale, pos.y_offset * scale)
            placed.append((info.cluster, order if not rtl else -order, glyph))
            x += pos.x_advance * scale
    placed.sort(key=lambda item: (item[0], item[1]))
    return Run(_font_name(file), text, tuple(g for _, _, g in placed)), x - start_x


def _visual_order(levels: list[int]) -> list[int]:
    """Indices of runs in display order (Unicode bidi rule L2, applied to whole runs)."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    lowest_odd = min((lv for lv in levels if lv % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


@lru_cache(maxsize=4096)
def layout_line(text: str, size: float, bold: bool = False) -> Line:
    """Shape one line of text in any mix of scripts, ready to measure and draw."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if any(unicodedata.category(ch) == "Cs" for ch in text):
        # Half of a character pair, from text decoded with errors let through: not a
        # character at all, and it cannot be written into the PDF.
        whole = "".join(ch for ch in text if unicodedata.category(ch) != "Cs")
        return layout_line(whole, size, bold)
    if not text:
        return Line((), 0.0, size, "")
    # Characters no font has (an emoji in a quote, say) are left out of the drawing rather
    # than printed as empty boxes; the line's real text, attached for readers, keeps them.
    shown = "".join(ch for ch in text if not _needs_glyph(ch) or face_for(ch) is not None)
    if shown != text:
        line = layout_line(shown, size, bold)
        return Line(line.runs, line.width, size, text, line.rtl)
    faces = _assign_faces(text)
    levels = _levels(text)
    spans: list[tuple[int, int, Face, int]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or faces[i] is not faces[start] or levels[i] != levels[start]:
            spans.append((start, i, faces[start], levels[start]))
            start = i
    runs: list[Run] = []
    x = 0.0
    for index in _visual_order([level for _, _, _, level in spans]):
        first, last, face, level = spans[index]
        language = han_language(text) if face is CJK else None
        run, width = _shape(text[first:last], _file(face, bold), level % 2 == 1, size, x, language)
        runs.append(run)
        x += width
    return Line(tuple(runs), x, size, text, rtl=bidi_algorithm.get_base_level(text) == 1)


def text_width(text: str, size: float, bold: bool = False) -> float:
    return layout_line(text, size, bold).width


def _utf16_hex(text: str) -> str:
    return "FEFF" + text.encode("utf-16-be").hex().upper()


def _run_operators(run: Run, size: float, left: float, y: float, canvas: Canvas) -> list[str]:
    """Text operators for one run: glyphs in one TJ array, kerned to their shaped places."""
    font = _registered(run.font_name + ".ttf")
    ops: list[str] = []
    glyphs = iter(run.glyphs)
    for resource, chunk in font.subsets("".join(g.char for g in run.glyphs), canvas):
        ops.append(f"{resource} {size:.2f} Tf")
        items: list[str] = []
        pen = rise = None
        for byte in chunk:
            glyph = next(glyphs)
            if rise is None or glyph.y != rise or pen is None:
                if items:
                    ops.append(f"[{' '.join(items)}] TJ")
                    items = []
                ops.append(f"1 0 0 1 {left + glyph.x:.2f} {y + glyph.y:.2f} Tm")
                pen, rise = glyph.x, glyph.y
            gap = glyph.x - pen
            if abs(gap) > 0.01:
                items.append(f"{-gap * 1000 / size:.1f}")
            items.append(text_operand(bytes((byte,))))
            pen = glyph.x + font.advance(glyph.char) * size / 1000
        if items:
            ops.append(f"[{' '.join(items)}] TJ")
    return ops


def draw_line(canvas: Canvas, x: float, y: float, line: Line, align: str = "left") -> None:
    """Draw a laid-out line with its left edge, centre or right edge at x, baseline at y.

    The line's text in reading order is attached as ActualText, so copying, searching and
    screen readers get the real words whatever glyphs shaping chose.
    """
    if not line.runs:
        return
    left = x - {"left": 0.0, "centre": line.width / 2, "right": line.width}[align]
    ops = ["BT", f"/Span <</ActualText <{_utf16_hex(line.text)}>>> BDC"]
    with _lock:
        for run in line.runs:
            ops += _run_operators(run, line.size, left, y, canvas)
    ops += ["EMC", "ET"]
    canvas.addLiteral("\n".join(ops))


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[Line]:
    """Break text into lines no wider than width (at spaces; anywhere in CJK), keeping newlines."""
    lines: list[Line] = []
    for paragraph in text.splitlines() or [""]:
        words = _break_points(paragraph)
        current = ""
        for word in words:
            trial = (current + word) if current else word.lstrip()
            if current and text_width(trial, size, bold) > width:
                lines.append(layout_line(current, size, bold))
                current = word.lstrip()
            else:
                current = trial
        lines.append(layout_line(current, size, bold))
    return lines


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7A3
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3134F
    )


def _break_points(paragraph: str) -> Iterable[str]:
    """Pieces of a paragraph that may start a new line: words with their leading space."""
    piece = ""
    for ch in paragraph:
        if (ch.isspace() and piece.strip()) or (_is_cjk(ch) and piece.strip()):
            yield piece
            piece = ch
        else:
            piece += ch
    if piece:
        yield piece
