"""Any name, in any mix of scripts and with any format characters in it, lays out and prints."""

from __future__ import annotations

import unicodedata
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amie_desktop.domain.heard import Principle
from amie_desktop.reports import fonts
from amie_desktop.reports.certificate import (
    CertificateDesign,
    CertificateEvent,
    CertificateHolder,
    CertificateRenderer,
)
from tests.reports.helpers import contains_name, pdf_pages_text

# Letters of each script a shipped font prints, written out so the test does not depend on
# which characters the fonts happen to hold.
ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyzÀÉÎÕÜŁŚŻĄĘŃğşıŴŷạễđ",  # Latin
    "αβγδεζηθικλμνξοπρστυφχψωΔΠΣΩ",  # Greek
    "абвгдежзийклмнопрстуфхцчшщыэюяЁЇЄҐ",  # Cyrillic
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",  # Arabic
    "پچژکگی",  # Persian letters
    "אבגדהוזחטיכלמנסעפצקרשת",  # Hebrew
    "অআইকখগঘচছজটডতদধনপবমযরলশসহ",  # Bengali
    "अआइकखगघचछजटडतदधनपबमयरलवशसह",  # Devanagari
    "அஆஇகஙசஞடணதநபமயரலவழளறன",  # Tamil
    "王芳李明张伟佐藤花子田中",  # Chinese and Japanese kanji
    "김민준이서연박지훈",  # Korean
)
# Characters that join, combine or vary the letters around them.
FORMAT = (
    "\u200c",  # zero width non-joiner (Persian "مهدی‌زاده")
    "\u200d",  # zero width joiner
    "\u0301",  # combining acute accent
    "\u0308",  # combining diaeresis
    "\u064e",  # Arabic fatha
    "\u05b8",  # Hebrew qamats
    "\u094d",  # Devanagari virama
    "\ufe0f",  # variation selector 16
    "\ufe0e",  # variation selector 15
)

INVISIBLE = frozenset("\u200c\u200d\ufe0e\ufe0f")

letters = st.sampled_from(ALPHABETS).flatmap(
    lambda alphabet: st.text(alphabet=st.sampled_from(alphabet), min_size=1, max_size=8)
)


@st.composite
def words(draw: st.DrawFn) -> str:
    word = draw(letters)
    # Format characters anywhere inside the word, after its first letter.
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(1, len(word)))
        word = word[:at] + draw(st.sampled_from(FORMAT)) + word[at:]
    return word


spaces = st.text(alphabet=st.sampled_from(" \u00a0"), max_size=2)
names = st.builds(
    lambda before, parts, after: before + " ".join(parts) + after,
    spaces,
    st.lists(words(), min_size=1, max_size=4),
    spaces,
)


def _as_read_back(name: str) -> str:
    """The name as it is printed: spaces at the ends dropped and runs of spaces made one."""
    return unicodedata.normalize("NFC", " ".join(name.split()))


def _visible(text: str) -> str:
    """Text without the invisible characters a PDF reader may or may not hand back."""
    return "".join(ch for ch in text if ch not in INVISIBLE)


RENDERER = CertificateRenderer(
    CertificateDesign(organisation="Northfield Music Hub", wording="has taken part in"),
    CertificateEvent(
        title="Introduction to HEARD",
        on=date(2026, 11, 25),
        cpd_hours=3,
        facilitators=("Ruth Adebayo",),
        principles=(Principle.HOLISTIC,),
    ),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names)
def test_any_name_lays_out_and_its_certificate_holds_it(name: str) -> None:
    line = fonts.layout_line(name, 30, bold=True)
    assert line.width > 0
    assert line.text == _as_read_back(name)

    pdf = RENDERER.render_one(
        CertificateHolder(
            name=name, serial="2026-0001", check_code="ABCD-EFGH", issued_on=date(2026, 11, 25)
        )
    )
    (text,) = pdf_pages_text(pdf)
    assert contains_name(_visible(text), _visible(_as_read_back(name))), (name, text)


def test_a_persian_name_with_a_non_joiner_lays_out() -> None:
    line = fonts.layout_line("مهدی\u200cزاده", 30, bold=True)
    assert line.text == "مهدی\u200cزاده"
    assert line.rtl and line.width > 30
