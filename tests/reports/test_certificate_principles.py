"""A certificate names the HEARD principles the workshop covered, and who signs it by default."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from amie_desktop.domain.values import WorkshopStatus
from amie_desktop.services import badges, certificates, demo, exports, facilitate, workshops
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from tests.reports.helpers import pdf_pages_text, render_png, workshop_with

EVERY_PRINCIPLE = ("Holistic", "Equitable", "Authentic", "Representative", "Diverse")


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=10)
        return self.now


def _outcomes(text: str) -> list[str]:
    """The principles named in the certificate's learning outcomes, as printed."""
    return [name for name in EVERY_PRINCIPLE if name in text]


def test_a_workshop_finished_early_certifies_only_the_principles_it_reached(
    store: Store, out_dir: Path, screenshot_dir: Path
) -> None:
    # Introduction to HEARD: welcome, scene, H, E, break, A, R, D, action planning.
    workshop = workshop_with(store, ("Zoë Ó Briain",), status=WorkshopStatus.PLANNED)
    clock = FakeClock()
    facilitate.start(store, workshop, clock=clock)  # welcome
    facilitate.next_step(store, workshop, clock=clock)  # setting the scene
    facilitate.next_step(store, workshop, clock=clock)  # Holistic, reached...
    facilitate.skip_step(store, workshop, clock=clock)  # ...but skipped: Equitable
    facilitate.next_step(store, workshop, clock=clock)  # break
    facilitate.next_step(store, workshop, clock=clock)  # Authentic
    facilitate.finish(store, workshop, clock=clock)  # Representative and Diverse never reached

    result = exports.export_certificates(store, workshop, out_dir=out_dir)
    (text,) = pdf_pages_text(result.files[0])
    assert "Learning outcomes: the HEARD principles covered" in text
    assert _outcomes(text) == ["Equitable", "Authentic"]
    render_png(result.files[0], screenshot_dir / "certificate-principles-reached.png")

    # The badge's achievement says the same as the paper.
    (badge_file,) = badges.export_badges(store, workshop, out_dir / "badges").files
    achievement = json.loads(badge_file.read_text(encoding="utf-8"))["credentialSubject"][
        "achievement"
    ]
    assert achievement["tag"] == ["HEARD", "Equitable", "Authentic"]
    narrative = achievement["criteria"]["narrative"]
    assert "covering these HEARD principles: Equitable" in narrative
    assert _outcomes(narrative) == ["Equitable", "Authentic"]


def test_a_workshop_not_yet_run_certifies_the_principles_of_its_planned_steps(
    store: Store, out_dir: Path
) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",))
    # Planned without the Representative (6) and Diverse (7) steps.
    workshops.delete_step(store, workshop, 7)
    workshops.delete_step(store, workshop, 6)
    result = exports.export_certificates(store, workshop, out_dir=out_dir)
    (text,) = pdf_pages_text(result.files[0])
    assert _outcomes(text) == ["Holistic", "Equitable", "Authentic"]


def test_running_after_an_early_export_reissues_with_the_principles_covered(
    store: Store, out_dir: Path
) -> None:
    workshop = workshop_with(store, ("Zoë Ó Briain",), status=WorkshopStatus.PLANNED)
    (before,) = exports.export_certificates(store, workshop, out_dir=out_dir / "before").files
    assert _outcomes(pdf_pages_text(before)[0]) == list(EVERY_PRINCIPLE)
    clock = FakeClock()
    facilitate.start(store, workshop, clock=clock)
    for _ in range(3):  # welcome, scene, Holistic, then Equitable
        facilitate.next_step(store, workshop, clock=clock)
    facilitate.finish(store, workshop, clock=clock)
    result = exports.export_certificates(store, workshop, out_dir=out_dir / "after")
    assert result.reissued == 1
    (text,) = pdf_pages_text(result.files[0])
    assert _outcomes(text) == ["Holistic", "Equitable"]
    assert "Reissued on" in text


def test_with_nobody_named_to_sign_each_workshop_is_signed_by_its_own_facilitators(
    store: Store, out_dir: Path
) -> None:
    demo.add_demo(store, today=date(2026, 11, 25))
    done = [
        row
        for row in workshops.list_workshops(store)
        if row.attended and row.facilitators and "Ruth Adebayo" not in row.facilitators
    ]
    assert done, "the demo has a finished workshop that Ruth Adebayo did not run"
    row = done[0]
    result = exports.export_certificates(store, row.id, out_dir=out_dir)
    text = pdf_pages_text(result.files[0])[0].replace("\r", "")
    assert f"\n{', '.join(row.facilitators)}\n" in text
    role = "Facilitator" if len(row.facilitators) == 1 else "Facilitators"
    assert f"\n{role}\n" in text
    assert "Ruth Adebayo" not in text


def test_a_signature_image_needs_the_name_of_whoever_signed(store: Store) -> None:
    workshop_with(store, ())
    design = certificates.get_design(store)
    signature = _signature_png()
    with pytest.raises(UserError, match="whose signature"):
        certificates.save_design(store, replace(design, signature_png=signature))
    assert certificates.get_design(store) == design
    saved = certificates.save_design(
        store, replace(design, signature_png=signature, signature_name="Meera Chaudhry")
    )
    assert saved.signature_png == signature


def _signature_png() -> bytes:
    image = Image.new("RGB", (240, 60), "#1A1A1A")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
