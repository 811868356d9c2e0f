"""The subject access page: everything held about one person, as HTML a person can read.

Takes the plain data of the export (the same that is written as JSON) and returns the page.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any


def _readable_time(value: str | None) -> str:
    """An ISO time from the export as a person reads it: 2026-09-23 10:00 UTC."""
    if not value:
        return "–"
    return f"{value[:16].replace('T', ' ')} UTC" if "T" in value else value


def render_subject_access(data: Mapping[str, Any]) -> str:
    """The page: the person's details, then each workshop with consents, reflections and
    certificates. Every value is escaped."""
    esc = html.escape
    person = data["person"]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>Information held about {esc(person['name'])}</title>",
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}"
        "th{text-align:left;padding-right:1em;vertical-align:top}"
        "section{border-top:1px solid #888;margin-top:1.5em}</style></head><body>",
        f"<h1>Information held about {esc(person['name'])}</h1>",
        f"<p>Exported {esc(data['exported_at'][:16].replace('T', ' '))} (UTC). This is "
        "everything this app holds about this person.</p>",
        "<table>",
    ]
    labels = (("Name", "name"), ("Email", "email"), ("Organisation", "organisation"),
              ("Role", "role"), ("Added", "added_at"), ("Record id", "uuid"))  # fmt: skip
    for label, key in labels:
        value = _readable_time(person[key]) if key == "added_at" else person[key] or "–"
        out.append(f"<tr><th>{label}</th><td>{esc(str(value))}</td></tr>")
    out.append("</table>")
    for place in data["attendances"]:
        out.append(f"<section><h2>{esc(place['workshop'])}, {esc(place['date'])}</h2><table>")
        quote = "yes" if place["consent_to_be_quoted"] else "no"
        quote_at = _readable_time(place["consent_to_be_quoted_at"])
        contact = "yes" if place["consent_to_be_contacted"] else "no"
        contact_at = _readable_time(place["consent_to_be_contacted_at"])
        wording = place["consent_wording"]
        rows = [
            ("Venue", place["venue"] or "–"),
            ("Attendance", place["status"] + (" (walk-in)" if place["walk_in"] else "")),
            ("Signed in", _readable_time(place["signed_in_at"])),
            ("Agreed to be quoted", f"{quote} ({quote_at})"),
            ("Agreed to be contacted", f"{contact} ({contact_at})"),
        ]
        shown = (("quote", "Words shown about quoting"), ("contact", "Words shown about contact"),
                 ("shown", "Consent wording shown"))  # fmt: skip
        rows += [(label, wording[key]) for key, label in shown if key in wording]
        if not wording:
            rows.append(("Consent wording shown", "–"))
        for label, value in rows:
            out.append(f"<tr><th>{label}</th><td>{esc(str(value))}</td></tr>")
        out.append("</table>")
        for reflection in place["reflections"]:
            out.append(f"<h3>Reflection ({esc(reflection['phase'])} the workshop)</h3>")
            out.append(
                f"<p>{esc(reflection['state'].capitalize())}; started "
                f"{esc(_readable_time(reflection['started_at']))}, submitted "
                f"{esc(_readable_time(reflection['submitted_at']))}.</p><ul>"
            )
            for answer in reflection["answers"]:
                given = answer["text"] if answer["text"] is not None else answer["rating"]
                asked = answer["question"] + ("" if answer["question"].endswith("?") else ":")
                out.append(f"<li>{esc(asked)} <b>{esc(str(given))}</b></li>")
            out.append("</ul>")
        for certificate in place["certificates"]:
            named = certificate["name_on_certificate"] or "no name (removed)"
            out.append(
                f"<p>Certificate {esc(certificate['serial'])}, issued "
                f"{esc(_readable_time(certificate['issued_at']))} to {esc(named)}, "
                f"{certificate['cpd_hours']:g} CPD hours.</p>"
            )
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out)
