"""The programme report and its CSV over the organisation's database: which laptop, who ran it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import update

from amie_desktop.app import main
from amie_desktop.domain.values import AttendanceStatus
from amie_desktop.services import bundle, exports, organisation, register, sync, workshops
from amie_desktop.store import Store, open_store
from amie_desktop.store.models import Device
from tests.reports.helpers import pdf_pages_text, render_png

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _deliver(laptop: Store, title: str, on: date, trainer: str, people: list[str]) -> None:
    draft = workshops.WorkshopDraft(
        title=title, on=on, start=time(10), venue="Riverside Hall", facilitators=(trainer,)
    )
    workshop = workshops.create_workshop(laptop, draft, ())
    for name in people:
        email = f"{name.split()[0].lower()}@example.org"
        row = register.add_person(laptop, workshop, name, email)
        register.mark(laptop, row.attendance_id, AttendanceStatus.ATTENDED)


@pytest.fixture
def org(tmp_path: Path, postgres_url: str) -> Iterator[Store]:
    """The organisation's database after Ruth's and Dev's laptops have synced into it."""
    store = open_store(tmp_path / "org", postgres_url)
    organisation.set_up(store, "Northfield Music Hub", "2468", "2468")
    laptops = [open_store(tmp_path / "ruth"), open_store(tmp_path / "dev")]
    try:
        for laptop, name in zip(laptops, ("Ruth's laptop", "Dev's laptop"), strict=True):
            organisation.set_up(laptop, "Northfield Music Hub", "2468", "2468")
            sync.join(laptop, store, postgres_url, name=name)
        _deliver(laptops[0], "Songs from the Valleys", date(2026, 3, 4), "Ruth Adebayo",
                 ["Anwen Price", "Bryn Jones"])  # fmt: skip
        _deliver(laptops[1], "Rhythm for Early Years", date(2026, 5, 6), "Dev Patel",
                 ["Anwen Price", "Ceri Lloyd", "Dafydd Rees"])  # fmt: skip
        for laptop in laptops:
            sync.sync(laptop, store)
    finally:
        for laptop in laptops:
            laptop.close()
    yield store
    store.close()


def test_the_organisations_report_says_which_laptop_and_facilitator_each_workshop_came_from(
    org: Store, tmp_path: Path, screenshot_dir: Path
) -> None:
    out = tmp_path / "programme.pdf"
    result = exports.export_programme(org, *YEAR, out)
    assert (result.workshops, result.people_reached) == (2, 4)  # Anwen came to both
    text = " ".join(" ".join(pdf_pages_text(out)).split())
    assert "Facilitator and laptop" in text
    assert "Ruth Adebayo Ruth's laptop (A)" in text
    assert "Dev Patel Dev's laptop (B)" in text
    render_png(out, screenshot_dir / "programme-organisation.png")


def test_the_organisations_csv_has_a_row_per_workshop_with_laptop_and_facilitator(
    org: Store, tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "programme.csv"
    args = ["--data-dir", str(tmp_path / "office"), "--database-url", postgres_url]
    period = ["--from", "2026-01-01", "--to", "2026-12-31", "--out", str(out)]
    assert main([*args, "export", "programme-csv", *period]) == 0
    assert "Exported the programme table (2 workshops)" in capsys.readouterr().out
    assert out.read_bytes().decode("utf-8-sig").splitlines() == [
        "Date,Workshop,Venue,Facilitators,Laptop,Booked,Attended,Attendance rate,CPD hours,"
        "Mean change",
        "2026-03-04,Songs from the Valleys,Riverside Hall,Ruth Adebayo,Ruth's laptop (A),2,2,"
        "100%,3,",
        "2026-05-06,Rhythm for Early Years,Riverside Hall,Dev Patel,Dev's laptop (B),3,3,100%,3,",
    ]


def test_a_lone_laptops_report_leaves_the_laptop_out(store: Store, tmp_path: Path) -> None:
    organisation.set_up(store, "Northfield Music Hub", "2468", "2468")
    _deliver(store, "Songs from the Valleys", date(2026, 3, 4), "Ruth Adebayo", ["Anwen Price"])
    out = tmp_path / "programme.pdf"
    exports.export_programme(store, *YEAR, out)
    text = " ".join(" ".join(pdf_pages_text(out)).split())
    assert "Facilitator Attended" in text and "Ruth Adebayo" in text
    assert "laptop" not in text.lower()


def _laptops_of(store: Store) -> dict[str, str]:
    data = exports.programme_data(store, *YEAR)
    return {line.title: line.laptop for line in data.workshops}


def test_a_laptops_own_report_names_the_laptop_each_workshop_came_from(
    org: Store, tmp_path: Path
) -> None:
    """Sync brings the organisation's list of laptops: Dev's report names Ruth's laptop where it
    said "Another laptop". Once Dev's laptop leaves, the list goes with it, and the laptop is
    not taken for an organisation's database."""
    dev = open_store(tmp_path / "dev")
    try:
        assert _laptops_of(dev) == {
            "Songs from the Valleys": "Ruth's laptop (A)",
            "Rhythm for Early Years": "This laptop",
        }
        out = tmp_path / "dev-programme.pdf"
        exports.export_programme(dev, *YEAR, out)
        text = " ".join(" ".join(pdf_pages_text(out)).split())
        assert "Ruth Adebayo Ruth's laptop (A)" in text and "Dev Patel This laptop" in text

        # A laptop renamed at the office is renamed here at the next sync.
        with org.write() as session:
            session.execute(update(Device).where(Device.serial_prefix == "A").values(
                name="Ruth's new laptop"))  # fmt: skip
        report = sync.sync(dev, org)
        assert report.nothing_changed  # the list is the organisation's, not news to count
        assert _laptops_of(dev)["Songs from the Valleys"] == "Ruth's new laptop (A)"

        sync.leave(dev)
        assert _laptops_of(dev)["Songs from the Valleys"] == "Another laptop"
        assert bundle.laptops(dev) == []  # still a laptop: no list of laptops to send files to
        made = bundle.export_bundle(dev, tmp_path / "dev.amiebundle", "a long enough phrase here")
        assert made.made_by == bundle.FROM_LAPTOP
    finally:
        dev.close()


def test_the_offices_file_brings_the_list_of_laptops_too(org: Store, tmp_path: Path) -> None:
    """A laptop that is never online learns the laptops' names from the office's file."""
    path = tmp_path / f"office{bundle.SUFFIX}"
    passphrase = "a long enough phrase here"
    bundle.export_bundle(org, path, passphrase, everything=True)
    carys = open_store(tmp_path / "carys")
    try:
        organisation.set_up(carys, "Northfield Music Hub", "2468", "2468")
        bundle.import_bundle(carys, path, passphrase)
        assert _laptops_of(carys) == {
            "Songs from the Valleys": "Ruth's laptop (A)",
            "Rhythm for Early Years": "Dev's laptop (B)",
        }
    finally:
        carys.close()
