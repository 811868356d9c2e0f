"""The subject access page is built from plain data alone, and shows what it is given safely."""

from __future__ import annotations

from amie_desktop.reports.subject_access import render_subject_access

DATA = {
    "exported_at": "2026-11-25T14:03:00+00:00",
    "person": {
        "id": 7, "uuid": "4f1c0000-0000-0000-0000-000000000007",
        "name": "Siobhán <script>alert(1)</script>", "email": "siobhan@example.org",
        "organisation": "", "role": "Music lead", "added_at": "2026-09-01T09:30:00+00:00",
        "updated_at": None,
    },
    "attendances": [
        {
            "workshop": "Annual singing day", "date": "2026-09-23", "venue": "Hall & Annexe",
            "status": "attended", "walk_in": True, "signed_in_at": "2026-09-23T09:55:00+00:00",
            "consent_to_be_quoted": True, "consent_to_be_quoted_at": "2026-09-23T10:00:00+00:00",
            "consent_to_be_contacted": False, "consent_to_be_contacted_at": None,
            "consent_wording": {"shown": "You may quote my words without my name."},
            "reflections": [
                {"phase": "after", "state": "submitted",
                 "started_at": "2026-09-23T15:00:00+00:00",
                 "submitted_at": "2026-09-23T15:04:00+00:00",
                 "answers": [{"question": "What will you do differently?", "rating": None,
                              "text": "Ask the choir <first>"}]},
            ],
            "certificates": [{"serial": "AMIE-2026-0001-A", "issued_at": "2026-09-24T08:00:00",
                              "name_on_certificate": "", "cpd_hours": 3.0}],
        }
    ],
}  # fmt: skip


def test_the_page_reads_as_sentences_and_escapes_what_people_typed() -> None:
    page = render_subject_access(DATA)
    assert "<title>Information held about Siobhán &lt;script&gt;" in page
    assert "<script>" not in page
    assert "<h2>Annual singing day, 2026-09-23</h2>" in page
    assert "<td>Hall &amp; Annexe</td>" in page and "attended (walk-in)" in page
    assert "<td>yes (2026-09-23 10:00 UTC)</td>" in page  # agreed to be quoted, and when
    assert "<td>no (–)</td>" in page  # not agreed to be contacted
    assert "What will you do differently? <b>Ask the choir &lt;first&gt;</b>" in page
    assert "to no name (removed), 3 CPD hours" in page
