"""Every shipped name font has a regular and a bold face that draw the same characters."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import uharfbuzz

from amie_desktop.domain.content import asset_folder
from amie_desktop.domain.name_fonts import FACES, URDU, Face
from amie_desktop.reports import fonts

FOLDER = Path(str(asset_folder() / "fonts"))
REGISTER = Path(__file__).resolve().parent.parent / "data" / "names_every_script.csv"


def _characters(file: str) -> set[int]:
    return set(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(FOLDER / file))).unicodes)


@pytest.mark.parametrize("face", [*FACES, URDU], ids=lambda face: face.family)
def test_bold_draws_every_character_regular_does(face: Face) -> None:
    regular, bold = _characters(face.regular), _characters(face.bold)
    assert len(regular) > 40
    assert regular == bold


def test_every_name_of_the_register_in_every_script_can_be_printed() -> None:
    with REGISTER.open(encoding="utf-8", newline="") as handle:
        names = [row["Name"] for row in csv.DictReader(handle)]
    assert [name for name in names if fonts.missing_characters(name)] == []


def test_the_cjk_font_has_every_hangul_syllable_and_japanese_name_forms() -> None:
    cjk = _characters("AmieNamesCJK-Bold.ttf")
    assert set(range(0xAC00, 0xD7A4)) <= cjk  # all 11,172
    assert {ord(ch) for ch in "髙﨑𠮷邉嶋栁"} <= cjk
    assert {ord(ch) for ch in "陳黃劉德華王芳张伟"} <= cjk


def test_a_letter_of_a_script_not_shipped_is_reported_missing() -> None:
    assert fonts.missing_characters("ᱥᱤᱫᱷᱩ") == "ᱥᱤᱫᱷᱩ"  # Ol Chiki (Santali)
    assert fonts.missing_characters("Amy 🎵") == ""  # a symbol the name is itself without


def test_han_characters_take_the_forms_of_the_language_the_name_shows() -> None:
    assert fonts.han_language("山﨑 さくら") == "ja"  # kana
    assert fonts.han_language("髙橋 健太") == "ja"  # only the Japanese sets have 髙
    assert fonts.han_language("陳美玲") == "zh-Hant"  # Big5, not GB 2312
    assert fonts.han_language("王芳") is None  # the font's own Simplified forms
    assert fonts.han_language("김민준") == "ko"
    # 直 is drawn differently in Japanese and in Chinese: the name's forms are used.
    japanese = fonts.layout_line("直子さん", 30).runs[0].glyphs[0]
    chinese = fonts.layout_line("直", 30).runs[0].glyphs[0]
    assert japanese.char != chinese.char
