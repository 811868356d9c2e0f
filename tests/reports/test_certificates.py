"""Certificates as a person holds them: every script prints, the QR code reads, numbers check."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from PIL import Image

from amie_desktop.reports import fonts
from amie_desktop.reports.certificate import signature_caption
from amie_desktop.services import certificates, exports
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from amie_desktop.store.models import Person
from tests.reports.helpers import (
    EVERY_SCRIPT,
    contains_name,
    pdf_pages_text,
    render_png,
    workshop_with,
)


def test_every_script_prints_in_per_person_and_merged_files(
    store: Store, out_dir: Path, screenshot_dir: Path
) -> None:
    workshop = workshop_with(store, EVERY_SCRIPT)
    merged = out_dir / "all.pdf"
    result = exports.export_certificates(store, workshop, out_dir=out_dir, merged=merged)

    assert result.count == len(EVERY_SCRIPT) and result.new == len(EVERY_SCRIPT)
    pages = pdf_pages_text(merged)
    assert len(pages) == len(EVERY_SCRIPT)
    for name in EVERY_SCRIPT:
        file = out_dir / f"2026-11-25 Introduction to HEARD - {name}.pdf"
        assert file.exists(), name
        (text,) = pdf_pages_text(file)
        assert contains_name(text, name), (name, text)
        assert "Certificate of CPD" in text and "3 hours of CPD" in text
        assert any(contains_name(page, name) for page in pages), name
    for number, name in enumerate(EVERY_SCRIPT):
        render_png(
            out_dir / f"2026-11-25 Introduction to HEARD - {name}.pdf",
            screenshot_dir / f"certificate-{number:02d}.png",
        )


def test_each_name_is_drawn_with_glyphs_from_a_font_that_has_them() -> None:
    for name in EVERY_SCRIPT:
        assert fonts.missing_characters(name) == "", name
        line = fonts.layout_line(name, 30, bold=True)
        assert line.width > 30 * len(name.split()) * 0.5, name
        # Shaping left no character unmapped: every glyph has a code in its font.
        for run in line.runs:
            face = pdfmetrics_face(run.font_name)
            assert all(ord(g.char) in face.charToGlyph for g in run.glyphs), name


class _Face(Protocol):
    charToGlyph: dict[int, int]


def pdfmetrics_face(font_name: str) -> _Face:
    from reportlab.pdfbase import pdfmetrics

    face: _Face = pdfmetrics.getFont(font_name).face
    return face


def test_arabic_is_joined_and_right_to_left() -> None:
    line = fonts.layout_line("محمد عبد الله", 30)
    (run,) = line.runs
    # Joined letters are contextual forms, not the isolated letters typed.
    assert {g.char for g in run.glyphs} != set("محمد عبد الله")
    # The first word typed sits at the right-hand end of the line.
    first_word = run.glyphs[:4]
    last_word = run.glyphs[-4:]
    assert min(g.x for g in first_word) > max(g.x for g in last_word)


def test_bengali_conjuncts_and_vowel_signs_are_shaped() -> None:
    line = fonts.layout_line("প্রিয়াঙ্কা", 30)
    (run,) = line.runs
    # The conjunct ঙ্ক and ্র fold several characters into fewer glyphs.
    assert len(run.glyphs) < len("প্রিয়াঙ্কা")


def test_a_name_no_font_covers_leaves_that_person_out_and_nobody_else(
    store: Store, out_dir: Path
) -> None:
    # Ol Chiki (Santali) is not shipped.
    workshop = workshop_with(store, ("Zoë Ó Briain", "ᱥᱤᱫᱷᱩ ᱢᱩᱨᱢᱩ", "ሰላም ተስፋዬ"))
    folder = out_dir / "certificates"
    result = exports.export_certificates(
        store, workshop, out_dir=folder, merged=out_dir / "all.pdf"
    )
    assert result.count == 2
    (left_out,) = result.left_out
    assert left_out.name == "ᱥᱤᱫᱷᱩ ᱢᱩᱨᱢᱩ"
    assert "ᱥ (U+1C65)" in left_out.reason
    assert len(list(folder.glob("*.pdf"))) == 2
    merged = " ".join(pdf_pages_text(out_dir / "all.pdf"))
    assert "Zoë Ó Briain" in merged and "ᱥᱤᱫᱷᱩ" not in merged
    # Nothing is issued for the person left out: no serial, no check code.
    holders = {record.holder_name for record in certificates.certificates_for(store, workshop)}
    assert holders == {"Zoë Ó Briain", "ሰላም ተስፋዬ"}


def test_a_register_where_no_name_can_be_printed_is_refused_before_anything_is_issued(
    store: Store, out_dir: Path
) -> None:
    workshop = workshop_with(store, ("ᱥᱤᱫᱷᱩ ᱢᱩᱨᱢᱩ",))
    folder = out_dir / "certificates"
    with pytest.raises(exports.UnprintableNamesError) as caught:
        exports.export_certificates(store, workshop, out_dir=folder, merged=out_dir / "all.pdf")
    assert "ᱥᱤᱫᱷᱩ ᱢᱩᱨᱢᱩ" in str(caught.value)
    assert list(out_dir.iterdir()) == []  # not even the folder it would have made
    assert certificates.certificates_for(store, workshop) == []


def test_qr_code_on_the_page_reads_with_another_decoder_and_proves_the_certificate(
    store: Store, out_dir: Path
) -> None:
    # The longest name here still fits a version 10 code (error correction M).
    name = "Maximilian Alexander Featherstonehaugh-Cholmondeley-Wolfeschlegelsteinhausen"
    workshop = workshop_with(store, (name,))
    exports.export_certificates(store, workshop, out_dir=out_dir)
    (record,) = certificates.certificates_for(store, workshop)
    (file,) = out_dir.glob("*.pdf")
    image = Image.open(render_png(file, out_dir / "page.png", scale=3.0))

    (found,) = zxingcpp.read_barcodes(image)  # zxing-cpp: not our own encoder
    assert found.format == zxingcpp.BarcodeFormat.QRCode
    extra = found.extra
    assert isinstance(extra, dict)
    assert int(extra["Version"]) <= 10 and extra["ECLevel"] == "M"
    assert found.text.startswith("AMIE1:")
    result = certificates.verify(store, found.text)
    assert result.genuine and result.holder_name == name
    assert result.serial == record.serial and result.organisation == "Northfield Music Hub"


def test_pdf_has_metadata_and_language(store: Store, out_dir: Path) -> None:
    workshop = workshop_with(store, ("Łukasz Wiśniewski",))
    exports.export_certificates(store, workshop, out_dir=out_dir)
    (file,) = out_dir.glob("*.pdf")
    pdf = pdfium.PdfDocument(file)
    meta = pdf.get_metadata_dict()
    pdf.close()
    assert meta["Title"] == "Certificate of CPD: Łukasz Wiśniewski"
    assert meta["Author"] == "Northfield Music Hub"
    assert "Introduction to HEARD" in meta["Subject"]
    assert b"/Lang (en-GB)" in file.read_bytes()


def test_exporting_again_gives_the_same_certificate(store: Store, out_dir: Path) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain", "王芳"))
    first = exports.export_certificates(store, workshop, out_dir=out_dir)
    before = {p.name: p.read_bytes() for p in first.files}
    records = certificates.certificates_for(store, workshop)
    second = exports.export_certificates(store, workshop, out_dir=out_dir)
    assert second.new == 0 and second.reissued == 0
    assert {p.name: p.read_bytes() for p in second.files} == before
    assert certificates.certificates_for(store, workshop) == records
    for record in records:
        file = next(p for p in second.files if record.holder_name in p.name)
        assert record.pdf_sha256 == hashlib.sha256(file.read_bytes()).hexdigest()


def test_a_changed_name_is_reissued_with_the_same_serial(store: Store, out_dir: Path) -> None:
    workshop = workshop_with(store, ("Zoe O Brien",))
    exports.export_certificates(store, workshop, out_dir=out_dir)
    (old,) = certificates.certificates_for(store, workshop)
    with store.write() as session:
        person = session.query(Person).one()
        person.name = "Zoë Ó Briain"
    result = exports.export_certificates(store, workshop, out_dir=out_dir)
    (new,) = certificates.certificates_for(store, workshop)

    assert result.reissued == 1
    assert new.serial == old.serial and new.check_code != old.check_code
    assert new.reissued_at is not None and new.issued_at == old.issued_at
    (text,) = pdf_pages_text(out_dir / "2026-11-25 Introduction to HEARD - Zoë Ó Briain.pdf")
    assert "Reissued on" in text and "Zoë Ó Briain" in text
    assert certificates.verify(store, new.check_code).genuine
    assert certificates.verify(store, old.check_code).verdict is certificates.Verdict.UNKNOWN


def test_a_very_long_name_is_made_smaller_to_fit_the_page(store: Store, out_dir: Path) -> None:
    name = "Maria Fernanda Guadalupe de los Ángeles Rodríguez-Villaseñor y Castellanos Ortega"
    workshop = workshop_with(store, (name,))
    exports.export_certificates(store, workshop, out_dir=out_dir)
    (file,) = out_dir.glob("*.pdf")
    (text,) = pdf_pages_text(file)
    assert name in " ".join(text.split())
    pdf = pdfium.PdfDocument(file)
    page = pdf[0]
    textpage = page.get_textpage()
    width = page.get_width()
    boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
    textpage.close()
    page.close()
    pdf.close()
    assert all(left >= 0 and right <= width for left, _, right, _ in boxes)


def _png(colour: str, size: tuple[int, int]) -> bytes:
    import io

    buffer = io.BytesIO()
    Image.new("RGBA", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_design_logo_signature_colours_and_letter_paper(
    store: Store, out_dir: Path, screenshot_dir: Path
) -> None:
    workshop = workshop_with(store, ("Aoife Murphy",))
    design = certificates.get_design(store)
    certificates.save_design(
        store,
        replace(
            design,
            accent="#6A2C8E",
            logo_png=_png("#2E6B30", (300, 100)),
            signature_png=_png("#1A1A1A", (240, 60)),
            signature_name="Meera Chaudhry",
            paper_size="Letter",
        ),
    )
    exports.export_certificates(store, workshop, out_dir=out_dir)
    (file,) = out_dir.glob("*.pdf")
    pdf = pdfium.PdfDocument(file)
    page = pdf[0]
    assert (round(page.get_width()), round(page.get_height())) == (792, 612)  # Letter, landscape
    images = [
        obj for obj in page.get_objects(max_depth=3) if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE
    ]
    assert len(images) == 2  # the logo and the signature
    page.close()
    pdf.close()
    (text,) = pdf_pages_text(file)
    assert "Meera Chaudhry" in text
    image = Image.open(render_png(file, screenshot_dir / "certificate-letter-logo.png", scale=1))
    assert image.convert("RGB").getpixel((18, 300)) == (0x6A, 0x2C, 0x8E)  # the accent border


def test_a_bad_design_is_refused_with_a_plain_message(store: Store) -> None:
    workshop_with(store, ())
    design = certificates.get_design(store)
    for change, message in (
        ({"accent": "purple"}, "#1F5F8B"),
        ({"secondary": "#FFD700"}, "too pale"),
        ({"paper_size": "A3"}, "A4 or Letter"),
        ({"wording": "  "}, "wording"),
        ({"logo_png": b"GIF89a..."}, "PNG"),
    ):
        with pytest.raises(UserError, match=message):
            certificates.save_design(store, replace(design, **change))
    assert certificates.get_design(store) == design


def _left(line: fonts.Line, piece: str) -> float:
    run = next(r for r in line.runs if piece in r.text)
    return min(g.x for g in run.glyphs)


def test_mixed_direction_names_keep_brackets_and_word_order() -> None:
    arabic = fonts.layout_line("محمد (Mo) 2024 عبد", 20)
    # Right to left: محمد at the right, then (Mo), then 2024, then عبد at the left.
    order = [_left(arabic, p) for p in ("عبد", "2024", "Mo", "محمد")]
    assert order == sorted(order)
    latin = fonts.layout_line("Ana (אנה) Cohen", 20)
    order = [_left(latin, p) for p in ("Ana", "אנה", "Cohen")]
    assert order == sorted(order)


def test_action_plan_page_holds_only_that_persons_own_words(
    demo_store: Store, out_dir: Path, screenshot_dir: Path
) -> None:
    from amie_desktop.domain.values import Phase
    from amie_desktop.store.models import Attendance

    merged = out_dir / "all.pdf"
    exports.export_certificates(demo_store, 1, merged=merged, with_action_plans=True)
    with demo_store.read() as session:
        own_words: dict[str, str] = {}
        for attendance in session.query(Attendance).filter_by(workshop_id=1):
            for reflection in attendance.reflections:
                if reflection.phase is Phase.AFTER:
                    answers = {a.question_key: a.text for a in reflection.answers}
                    words = answers["do_differently"]
                    assert words is not None
                    own_words[attendance.person.name] = words
    pages = pdf_pages_text(merged)
    plans = 0
    for number, page in enumerate(pages):
        if "My HEARD action plan" not in page:
            continue
        plans += 1
        holder = next(name for name in own_words if contains_name(pages[number - 1], name))
        assert contains_name(page, holder)
        assert own_words[holder] in " ".join(page.split())
        others = {w for n, w in own_words.items() if w != own_words[holder]}
        assert not any(w in " ".join(page.split()) for w in others)
        if plans == 1:
            render_png(merged, screenshot_dir / "certificate-action-plan.png", page=number)
    assert plans == len(own_words)


def test_characters_no_font_has_are_left_out_of_free_text_not_boxed() -> None:
    line = fonts.layout_line("Try this 🎵 next term", 12)
    assert line.text == "Try this 🎵 next term"  # what readers and search get
    drawn = "".join(g.char for run in line.runs for g in run.glyphs)
    assert "🎵" not in drawn and fonts.layout_line("Try this next term", 12).width <= line.width


def test_a_workshop_title_no_font_can_print_is_refused(store: Store, out_dir: Path) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",), title="ᱥᱟᱱᱛᱟᱲᱤ HEARD day")
    with pytest.raises(UserError, match="workshop's title"):
        exports.export_certificates(store, workshop, out_dir=out_dir)
    assert list(out_dir.iterdir()) == []


def test_urdu_names_are_set_in_nastaliq_and_arabic_in_naskh() -> None:
    (urdu,) = fonts.layout_line("فاطمہ خان", 30).runs
    (arabic,) = fonts.layout_line("محمد عبد الله", 30).runs
    assert urdu.font_name == "AmieNamesUrdu-Regular"
    assert arabic.font_name == "AmieNamesArabic-Regular"


def test_the_signer_and_facilitators_are_named_once_each(store: Store, out_dir: Path) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",))  # run by Ruth Adebayo
    exports.export_certificates(store, workshop, out_dir=out_dir)
    (file,) = out_dir.glob("*.pdf")
    (text,) = pdf_pages_text(file)
    # Nobody has been named to sign, so the facilitator signs: her name once, her role under it.
    assert text.count("Ruth Adebayo") == 1 and "\nFacilitator\n" in text.replace("\r", "")

    for number, (signer, caption) in enumerate(
        (("Ruth Adebayo", "\nFacilitator\n"), ("Meera Chaudhry", "Facilitated by Ruth Adebayo"))
    ):
        design = certificates.get_design(store)
        certificates.save_design(store, replace(design, signature_name=signer))
        # Issued certificates keep their design: a new workshop shows the new signer.
        later = workshop_with(store, ("Zoë Ó Briain",), title=f"Workshop {number}")
        (signed,) = exports.export_certificates(store, later, out_dir=out_dir / signer).files
        (text,) = pdf_pages_text(signed)
        assert signer in text and caption in text.replace("\r", ""), signer
        assert text.count("Ruth Adebayo") == 1, signer
    # One of two facilitators signs: both are named under the line.
    both = signature_caption("Tom Ellison", ("Ruth Adebayo", "Tom Ellison"))
    assert both == "Facilitators: Ruth Adebayo, Tom Ellison"


def test_a_certificate_file_is_dated_the_day_it_was_issued(store: Store, out_dir: Path) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",))
    exports.export_certificates(store, workshop, out_dir=out_dir)
    (record,) = certificates.certificates_for(store, workshop)
    (file,) = out_dir.glob("*.pdf")
    pdf = pdfium.PdfDocument(file)
    meta = pdf.get_metadata_dict()
    pdf.close()
    issued = certificates.local_day(record.issued_at)
    # What a PDF reader's Properties shows as "Created", not a fixed date in 2000.
    assert meta["CreationDate"].startswith(f"D:{issued:%Y%m%d}")


def test_an_issued_certificate_is_frozen_when_the_design_changes(
    store: Store, tmp_path: Path
) -> None:
    from amie_desktop.domain.text import fold
    from amie_desktop.domain.values import AttendanceStatus
    from amie_desktop.store.models import Attendance, Workshop

    workshop = workshop_with(store, ("Zoë Ó Briain",))
    first = exports.export_certificates(store, workshop, out_dir=tmp_path / "first")
    issued = first.files[0].read_bytes()

    design = certificates.get_design(store)
    certificates.save_design(
        store, replace(design, accent="#6A1B4D", wording="took part in a day of listening.")
    )
    with store.write() as session:
        session.get(Workshop, workshop).venue = "Somewhere Else Entirely"  # type: ignore[union-attr]
        late = Person(name="Ngozi Okafor", name_folded=fold("Ngozi Okafor"))
        session.add(Attendance(workshop_id=workshop, person=late, status=AttendanceStatus.ATTENDED))
    exports.export_certificates(store, workshop, out_dir=tmp_path / "again")
    same = tmp_path / "again" / first.files[0].name
    assert same.read_bytes() == issued  # byte for byte, as issued
    # Someone added later gets the workshop's certificate as the others have it.
    late_file = tmp_path / "again" / "2026-11-25 Introduction to HEARD - Ngozi Okafor.pdf"
    (late_text,) = pdf_pages_text(late_file)
    assert "Northfield Music Centre" in late_text and "day of listening" not in late_text

    # A workshop with no certificates yet is drawn in today's design.
    other = workshop_with(store, ("Ruth Adebayo",), title="Second steps")
    (new_file,) = exports.export_certificates(store, other, out_dir=tmp_path / "new").files
    (new_text,) = pdf_pages_text(new_file)
    assert "took part in a day of listening." in new_text
