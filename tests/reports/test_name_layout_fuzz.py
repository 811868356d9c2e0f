"""Any name, in any mix of scripts and with any format characters in it, lays out and prints."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

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
from tests.reports.helpers import (
    as_read_back,
    holds_name,
    pdf_pages_text,
)

# Letters of each script, taken from the register of names in every script (a fixture of
# real-looking names), so that every script the app promises is drawn from.
REGISTER = Path(__file__).resolve().parent.parent / "data" / "names_every_script.csv"


def _alphabets() -> tuple[str, ...]:
    letters: dict[str, set[str]] = {}
    with REGISTER.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            letters.setdefault(row["Script"], set()).update(row["Name"].replace(" ", ""))
    return tuple("".join(sorted(chars)) for chars in letters.values())


ALPHABETS = _alphabets()
# Characters that join, combine or vary the letters around them, and emoji (which no shipped
# font draws: they are left out of the drawing, and kept in the text a reader copies).
FORMAT = (
    "\u200c",  # zero width non-joiner (Persian "مهدی‌زاده")
    "\u200d",  # zero width joiner
    "\u0301",  # combining acute accent
    "\u0308",  # combining diaeresis
    "\u064e",  # Arabic fatha
    "\u05b8",  # Hebrew qamats
    "\u094d",  # Devanagari virama
    "\u0e31",  # Thai mai han-akat
    "\ufe0f",  # variation selector 16
    "\ufe0e",  # variation selector 15
    "🎵",
    "👍🏽",  # with a skin tone
    "👩\u200d👩\u200d👧",  # a family: emoji joined by ZWJ
    "❤\ufe0f",
)

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


spaces = st.text(alphabet=st.sampled_from(" \u00a0\t"), max_size=3)
names = st.builds(
    lambda before, parts, after: before + " ".join(parts) + after,
    spaces,
    st.lists(words(), min_size=1, max_size=6),  # several words: several scripts in one name
    spaces,
)
long_names = st.builds(
    lambda parts: " ".join(parts)[:200],
    st.lists(words(), min_size=30, max_size=40),
)


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


def _certificate_text(name: str) -> str:
    pdf = RENDERER.render_one(
        CertificateHolder(
            name=name, serial="2026-0001", check_code="ABCD-EFGH", issued_on=date(2026, 11, 25)
        )
    )
    (text,) = pdf_pages_text(pdf)
    return text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names)
def test_any_name_lays_out_and_its_certificate_holds_it(name: str) -> None:
    line = fonts.layout_line(name, 30, bold=True)
    assert line.runs  # something is drawn (a lone mark has no width of its own)
    assert line.text == as_read_back(name)
    text = _certificate_text(name)
    assert holds_name(text, name), (name, text)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_names)
def test_a_name_of_200_characters_fits_the_page_and_prints_whole(name: str) -> None:
    line = fonts.layout_line(name, 30, bold=True)
    assert line.width > 0
    text = _certificate_text(name)
    assert holds_name(text, name), (name, text)


def test_the_check_can_fail() -> None:
    assert not holds_name("Certificate of CPD\nZoë Ó Briain", "Zoë Ó Brian")
    assert not holds_name("Certificate of CPD\nدمحم", "محمود")
    assert holds_name("Certificate of CPD\nدمحم", "محمد")


def test_a_persian_name_with_a_non_joiner_lays_out() -> None:
    line = fonts.layout_line("مهدی\u200cزاده", 30, bold=True)
    assert line.text == "مهدی\u200cزاده"
    assert line.rtl and line.width > 30
