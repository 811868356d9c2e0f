"""A register of names in every script, imported and exported from the command line.

tests/data/names_every_script.csv holds 99 names in 35 scripts and languages. Imported with
`register import` and exported with `export certificates --out DIR --merged FILE`, each
person gets one certificate holding their name, and the command exits 0. A page per script
is rendered to screenshots-out/certificates-by-script/ for a person to look at (at 4x for the
scripts of India and South East Asia, whose marks are small).
"""

from __future__ import annotations

import csv
import json
from datetime import date, time
from pathlib import Path

import pytest

from amie_desktop.domain.content import builtin_template
from amie_desktop.domain.values import AttendanceStatus
from amie_desktop.services import organisation, register, workshops
from amie_desktop.store import Store
from tests.reports.helpers import holds_name, pdf_pages_text, render_png
from tests.unit.cli_helpers import run

pytestmark = pytest.mark.slow

REGISTER = Path(__file__).resolve().parent.parent / "data" / "names_every_script.csv"
CLOSE_LOOK = {
    "Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada",
    "Malayalam", "Sinhala", "Thai", "Lao", "Khmer", "Myanmar", "Tibetan",
}  # fmt: skip


def _rows() -> list[dict[str, str]]:
    with REGISTER.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _workshop(store: Store) -> int:
    organisation.set_up(store, "Northfield Music Hub", "2468", "2468")
    return workshops.create_from_template(
        store,
        builtin_template("introduction-to-heard"),
        title="Introduction to HEARD",
        on=date(2026, 11, 25),
        start=time(9, 30),
        venue="Northfield Music Centre",
        facilitators=("Ruth Adebayo",),
    )


def test_every_name_imports_and_gets_one_certificate_that_holds_it(
    store: Store, data_dir: Path, tmp_path: Path, screenshot_dir: Path
) -> None:
    rows = _rows()
    workshop = _workshop(store)
    imported = run("--data-dir", str(data_dir), "register", "import", str(workshop),
                   str(REGISTER), "--json")  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    for entry in register.list_register(store, workshop):
        register.mark(store, entry.attendance_id, AttendanceStatus.ATTENDED)
    assert sorted(r.name for r in register.list_register(store, workshop)) == sorted(
        row["Name"] for row in rows
    )

    out, merged = tmp_path / "certificates", tmp_path / "all.pdf"
    exported = run("--data-dir", str(data_dir), "export", "certificates", str(workshop),
                   "--out", str(out), "--merged", str(merged), "--json")  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    result = json.loads(exported.stdout)
    assert result["count"] == len(rows) == len(result["files"])
    assert result["left_out"] == []

    pages = pdf_pages_text(merged)
    assert len(pages) == len(rows)
    pictures = screenshot_dir / "certificates-by-script"
    pictures.mkdir(exist_ok=True)
    drawn: set[str] = set()
    for row in rows:
        name, script = row["Name"], row["Script"]
        (file,) = [Path(f) for f in result["files"] if Path(f).name.endswith(f" - {name}.pdf")]
        (text,) = pdf_pages_text(file)
        assert holds_name(text, name), (script, name, text)
        if script not in drawn:
            drawn.add(script)
            scale = 4.0 if script in CLOSE_LOOK else 1.5
            render_png(file, pictures / f"{script}.png", scale=scale)
    # The merged file holds the same pages, in name order.
    in_order = zip(pages, _sorted(rows), strict=True)
    assert all(holds_name(page, row["Name"]) for page, row in in_order)


def _sorted(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """In the order the merged file has them: by name, case folded."""
    return sorted(rows, key=lambda row: row["Name"].casefold())


def test_a_name_no_font_can_print_leaves_that_person_out_exit_1_and_the_rest_made(
    store: Store, data_dir: Path, tmp_path: Path
) -> None:
    workshop = _workshop(store)
    for name in ("Zoë Ó Briain", "ᱥᱤᱫᱷᱩ ᱢᱩᱨᱢᱩ", "ਹਰਪ੍ਰੀਤ ਕੌਰ"):
        row = register.add_walk_in(store, workshop, name)
        register.mark(store, row.attendance_id, AttendanceStatus.ATTENDED)
    out = tmp_path / "certificates"
    plain = run("--data-dir", str(data_dir), "export", "certificates", str(workshop),
                "--out", str(out))  # fmt: skip
    assert plain.returncode == 1
    assert "Exported 2 certificates" in plain.stdout
    assert plain.stderr.count("\n") == 1
    assert "ᱥᱤᱫᱷᱩ ᱢᱩᱨᱢᱩ" in plain.stderr and "not issued" in plain.stderr
    assert "Zoë" not in plain.stderr and "Traceback" not in plain.stderr
    assert len(list(out.glob("*.pdf"))) == 2

    again = run("--data-dir", str(data_dir), "export", "certificates", str(workshop),
                "--out", str(out), "--json")  # fmt: skip
    assert again.returncode == 1
    result = json.loads(again.stdout)
    assert result["count"] == 2
    (left_out,) = result["left_out"]
    assert left_out["name"] == "ᱥᱤᱫᱷᱩ ᱢᱩᱨᱢᱩ"
    assert "U+1C65" in left_out["reason"]
