"""Exports: certificates (one file per person and/or one merged file), summaries, CSV registers.

Every file is written through a temp file in the same folder and renamed into place, so a
crash, a full disk or a Cancel never leaves a half-written file, and an earlier export of the
same name survives a failed one. Long exports report progress and can be cancelled.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from amie_desktop.domain.heard import PRINCIPLES, Principle
from amie_desktop.domain.text import fold, spreadsheet_safe
from amie_desktop.domain.values import AttendanceStatus, Phase, ReflectionState, WorkshopStatus
from amie_desktop.reports import fonts
from amie_desktop.reports.certificate import CertificateRenderer
from amie_desktop.reports.programme import ProgrammeData, ProgrammeRenderer, WorkshopLine
from amie_desktop.reports.summary import (
    AgendaRow,
    CommitmentGroup,
    PrincipleRatings,
    SummaryData,
    SummaryRenderer,
)
from amie_desktop.services import audit, certificates
from amie_desktop.services.errors import UserError
from amie_desktop.services.workshops import _find as find_workshop
from amie_desktop.store import Store
from amie_desktop.store.files import atomic_write, atomic_write_bytes
from amie_desktop.store.models import Answer, Attendance, Organisation, Reflection, Workshop

# progress(done, total) is called as work goes on; it may raise ExportCancelled to stop.
Progress = Callable[[int, int], None]

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL",
    *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10)),
}  # fmt: skip
MAX_NAME_BYTES = 200  # leaves room for the folder on Windows' 260-character paths


class ExportCancelled(UserError):
    """The person asked the export to stop; finished files stay, nothing is half-written."""


class UnprintableNamesError(UserError):
    """Some names hold characters that no shipped font can draw."""


def safe_file_name(text: str, suffix: str = ".pdf") -> str:
    """A readable file name that is valid on Windows, macOS and Linux."""
    text = unicodedata.normalize("NFC", text)
    # "Title: subtitle" reads best as "Title - subtitle" once the colon has to go.
    text = re.sub(r"\s*:\s+", " - ", text)
    text = _UNSAFE.sub("-", text)
    text = " ".join(text.split()).strip(" .")
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = f"_{text}"
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        text = encoded[:MAX_NAME_BYTES].decode("utf-8", errors="ignore").rstrip(" .")
    return (text or "export") + suffix


def _characters(missing: str) -> str:
    return " ".join(f"{ch} (U+{ord(ch):04X})" for ch in missing)


def check_printable(store: Store, workshop_key: str | int) -> None:
    """Refuse, naming the people (or the setting), when no shipped font can draw some text."""
    _, people = certificates.attendees(store, workshop_key)
    problems = []
    for person in people:
        if missing := fonts.missing_characters(person.name):
            problems.append(f"{person.name} ({_characters(missing)})")
    if problems:
        raise UnprintableNamesError(
            "No certificates were made, because no font in the app can print "
            + ("these names: " if len(problems) > 1 else "this name: ")
            + "; ".join(problems)
            + ". Check the spelling in the register, or write the name in another script."
        )
    design = certificates.get_design(store)
    event = certificates.event_for(store, workshop_key)
    for what, text in (
        ("workshop's title", event.title),
        ("venue", event.venue),
        ("facilitators' names", " ".join(event.facilitators)),
        ("organisation's name", design.organisation),
        ("certificate wording", design.wording),
        ("name of the person who signs", design.signature_name),
    ):
        if missing := fonts.missing_characters(text):
            raise UnprintableNamesError(
                f"No certificates were made, because no font in the app can print "
                f"{_characters(missing)} in the {what}. Please change it and export again."
            )


@dataclass(frozen=True)
class CertificateExport:
    count: int
    files: tuple[Path, ...]
    merged: Path | None
    new: int
    reissued: int


def certificate_file_name(event_date: str, title: str, name: str) -> str:
    return safe_file_name(f"{event_date} {title} - {name}")


def export_certificates(
    store: Store,
    workshop_key: str | int,
    *,
    out_dir: Path | None = None,
    merged: Path | None = None,
    with_action_plans: bool = False,
    progress: Progress | None = None,
) -> CertificateExport:
    """Issue and write the workshop's certificates: one file each into out_dir, and/or merged."""
    if out_dir is None and merged is None:
        raise UserError("Choose a folder for one file per person, or a file for all of them.")
    # Before anything is made, so a refused export leaves no trace, not even an empty folder.
    check_printable(store, workshop_key)
    if out_dir is not None:
        out_dir = Path(out_dir)
        try:  # a folder of certificates is made if need be, as people expect of --out DIR
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"The folder {out_dir} cannot be made ({exc.strerror}).") from None
    if merged is not None and not Path(merged).parent.is_dir():
        raise UserError(f"The folder {Path(merged).parent} does not exist.")
    batch = certificates.issue(store, workshop_key, with_action_plans=with_action_plans)
    renderer = CertificateRenderer(batch.design, batch.event)
    holders = [c.holder for c in batch.certificates]
    total = len(holders) * ((out_dir is not None) + (merged is not None))
    done = 0

    def step(_count: int = 0) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    files: list[Path] = []
    hashes: list[tuple[str, str]] = []
    if out_dir is not None:
        used: set[str] = set()
        for holder in holders:
            data = renderer.render_one(holder)
            name = certificate_file_name(batch.event.on.isoformat(), batch.event.title, holder.name)
            if name.casefold() in used:  # two people with the same name
                name = safe_file_name(f"{name.removesuffix('.pdf')} {holder.serial}")
            used.add(name.casefold())
            atomic_write_bytes(out_dir / name, data)
            files.append(out_dir / name)
            hashes.append((holder.serial, hashlib.sha256(data).hexdigest()))
            step()
    if merged is not None:
        merged = Path(merged)
        with atomic_write(merged) as handle:
            renderer.render_many(holders, handle, on_page=step)
        digest = hashlib.sha256(merged.read_bytes()).hexdigest()
        if out_dir is None:
            hashes = [(holder.serial, digest) for holder in holders]
    certificates.record_hashes(store, hashes)
    with store.write() as session:
        where = ", ".join(str(p) for p in (out_dir, merged) if p is not None)
        audit.record(
            session, "certificates exported", f"{len(holders)} for {batch.event.title} to {where}"
        )
    return CertificateExport(
        count=len(holders),
        files=tuple(files),
        merged=merged,
        new=sum(c.new for c in batch.certificates),
        reissued=sum(c.reissued for c in batch.certificates),
    )


# CSV register ------------------------------------------------------------------------------
RATING_KEYS = tuple(f"rating.{p.code}" for p in PRINCIPLES)
CSV_HEADER = (
    "Name", "Email", "Organisation", "Role", "Status", "Walk-in", "Signed in (UTC)",
    "Agreed to be quoted", "Agreed to be contacted",
    *(f"Before: {p.label}" for p in PRINCIPLES), *(f"After: {p.label}" for p in PRINCIPLES),
    "Usefulness (1-5)", "Principle to focus on", "Certificate number",
)  # fmt: skip


@dataclass(frozen=True)
class CsvExport:
    path: Path
    rows: int


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    """CSV text with every cell made spreadsheet-safe (no cell can run as a formula)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def register_rows(store: Store, workshop_key: str | int) -> list[list[str]]:
    """The register with attendance and self-ratings, one row per person, by name."""
    with store.read() as session:
        workshop = find_workshop(session, workshop_key)
        attendances = session.scalars(
            select(Attendance)
            .where(Attendance.workshop_id == workshop.id)
            .options(
                selectinload(Attendance.person),
                selectinload(Attendance.certificates),
                selectinload(Attendance.reflections).selectinload(Reflection.answers),
            )
        ).all()
        rows = []
        for a in sorted(attendances, key=lambda a: (fold(a.person.name), a.id)):
            answers = {phase: _submitted_answers(a, phase) for phase in Phase}
            before, after = answers[Phase.BEFORE], answers[Phase.AFTER]
            focus = after.get("focus_principle")
            focus_text = focus.text if focus is not None and focus.text else ""
            certificate = max(a.certificates, key=lambda c: c.id, default=None)
            rows.append(
                [
                    a.person.name,
                    a.person.email or "",
                    a.person.organisation,
                    a.person.role,
                    a.status.value,
                    _yes(a.walk_in),
                    a.signed_in_at.strftime("%Y-%m-%d %H:%M") if a.signed_in_at else "",
                    _yes(a.consent_quote),
                    _yes(a.consent_contact),
                    *(_rating(before.get(key)) for key in RATING_KEYS),
                    *(_rating(after.get(key)) for key in RATING_KEYS),
                    _rating(after.get("usefulness")),
                    _principle_name(focus_text),
                    certificate.serial if certificate else "",
                ]
            )
        return rows


def _submitted_answers(attendance: Attendance, phase: Phase) -> dict[str, Answer]:
    for reflection in attendance.reflections:
        if reflection.phase is phase and reflection.state is ReflectionState.SUBMITTED:
            return {answer.question_key: answer for answer in reflection.answers}
    return {}


def _rating(answer: Answer | None) -> str:
    return "" if answer is None or answer.rating is None else str(answer.rating)


def _principle_name(code: str) -> str:
    try:
        return Principle.from_code(code).label if code else ""
    except ValueError:
        return ""


def export_csv(store: Store, workshop_key: str | int, out: Path) -> CsvExport:
    """Write the register as CSV: UTF-8 with a byte-order mark, so Excel reads accents."""
    out = Path(out)
    if not out.parent.is_dir():
        raise UserError(f"The folder {out.parent} does not exist.")
    rows = register_rows(store, workshop_key)
    atomic_write_bytes(out, csv_text([CSV_HEADER, *rows]).encode("utf-8-sig"))
    with store.write() as session:
        audit.record(session, "register exported as CSV", f"{len(rows)} rows to {out}")
    return CsvExport(out, len(rows))


# Session summary ---------------------------------------------------------------------------
NAME_MARK = "[name]"


def remove_names(text: str, names: Iterable[str]) -> str:
    """text with every name (whole, or any part of two letters or more) replaced by [name].

    Matching ignores case and accents on the text's own terms: "zoe" and "ZOË" both go.
    """
    return NameRemover(names)(text)


class NameRemover:
    """Takes names out of free text; built once for a register, used on every quote."""

    def __init__(self, names: Iterable[str]) -> None:
        parts: set[str] = set()
        for name in names:
            folded = fold(name)
            if folded:
                parts.add(folded)
                parts.update(p for p in re.split(r"[\s\-']+", folded) if len(p) >= 2)
        alternatives = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if parts else None
        self._repeats = re.compile(rf"{re.escape(NAME_MARK)}(\s+{re.escape(NAME_MARK)})+")

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        folded_text, positions = _fold_with_positions(text)
        out: list[str] = []
        cursor = 0
        for match in self._pattern.finditer(folded_text):
            start, end = match.span()
            out.append(text[cursor : positions[start]])
            out.append(NAME_MARK)
            cursor = positions[end - 1] + 1
        if not out:
            return text
        out.append(text[cursor:])
        return self._repeats.sub(NAME_MARK, "".join(out))


def _fold_with_positions(text: str) -> tuple[str, list[int]]:
    """fold() of each character, and for each folded character the index it came from."""
    folded: list[str] = []
    positions: list[int] = []
    for index, ch in enumerate(text):
        piece = fold(ch) if not ch.isspace() else " "
        folded.append(piece)
        positions += [index] * len(piece)
    return "".join(folded), positions


def summary_data(
    store: Store, workshop_key: str | int, *, include_notes: bool = False
) -> SummaryData:
    """Everything the session summary shows, with quotes anonymised and consent respected."""
    with store.read() as session:
        workshop = find_workshop(session, workshop_key)
        org = session.scalars(select(Organisation).limit(1)).first()
        attendances = session.scalars(
            select(Attendance)
            .where(Attendance.workshop_id == workshop.id)
            .options(
                selectinload(Attendance.person),
                selectinload(Attendance.reflections).selectinload(Reflection.answers),
            )
        ).all()
        steps = list(workshop.steps)
        remove = NameRemover([a.person.name for a in attendances] + list(workshop.facilitators))
        came = [a for a in attendances if a.status is AttendanceStatus.ATTENDED]
        answers = [(a, _submitted_answers(a, Phase.BEFORE), _submitted_answers(a, Phase.AFTER))
                   for a in came]  # fmt: skip
        ratings = tuple(_principle_ratings(p, answers) for p in PRINCIPLES)
        usefulness = [r for _, _, after in answers if (r := _rating_value(after.get("usefulness")))]
        groups: dict[str, list[str]] = {}
        counts: dict[str, int] = {}
        barriers: list[str] = []
        responded = 0
        for attendance, _, after in answers:
            if not after:
                continue
            responded += 1
            focus = _text(after.get("focus_principle"))
            focus = focus if focus in {p.code for p in PRINCIPLES} else ""
            counts[focus] = counts.get(focus, 0) + 1
            if not attendance.consent_quote:
                continue
            if commitment := _text(after.get("do_differently")):
                groups.setdefault(focus, []).append(remove(commitment))
            if barrier := _text(after.get("barriers")):
                barriers.append(remove(barrier))
        order = [p.code for p in PRINCIPLES] + [""]
        commitments = tuple(
            CommitmentGroup(
                Principle(code) if code else None, counts[code], tuple(groups.get(code, ()))
            )
            for code in order
            if code in counts
        )
        agenda = tuple(
            AgendaRow(
                s.title,
                Principle(s.principle) if s.principle else None,
                s.minutes,
                round((s.ended_at - s.started_at).total_seconds() / 60)
                if s.started_at and s.ended_at
                else None,
            )
            for s in steps
        )
        notes = tuple(
            (s.title, remove(s.group_notes))
            for s in steps
            if include_notes and s.group_notes.strip()
        )
        return SummaryData(
            organisation=org.name if org else "",
            title=workshop.title,
            on=workshop.date,
            venue=workshop.venue,
            facilitators=tuple(workshop.facilitators),
            cpd_hours=workshop.cpd_hours,
            booked=len(attendances),
            attended=len(came),
            walk_ins=sum(1 for a in came if a.walk_in),
            absent=len(attendances) - len(came),
            facilitated=any(s.started_at for s in steps),
            agenda=agenda,
            ratings=ratings,
            usefulness_mean=sum(usefulness) / len(usefulness) if usefulness else None,
            usefulness_count=len(usefulness),
            responded_after=responded,
            agreed_to_quote=sum(1 for a in came if a.consent_quote),
            commitments=commitments,
            barriers=tuple(barriers),
            group_notes=notes,
            paper_size=org.paper_size if org else "A4",
        )


def _text(answer: Answer | None) -> str:
    return (answer.text or "").strip() if answer is not None else ""


def _rating_value(answer: Answer | None) -> int | None:
    return answer.rating if answer is not None else None


def _principle_ratings(
    principle: Principle,
    answers: list[tuple[Attendance, dict[str, Answer], dict[str, Answer]]],
) -> PrincipleRatings:
    key = f"rating.{principle.code}"
    before = [v for _, b, _ in answers if (v := _rating_value(b.get(key))) is not None]
    after = [v for _, _, a in answers if (v := _rating_value(a.get(key))) is not None]
    pairs = [
        (b_value, a_value)
        for _, b, a in answers
        if (b_value := _rating_value(b.get(key))) is not None
        and (a_value := _rating_value(a.get(key))) is not None
    ]
    return PrincipleRatings(
        principle,
        sum(before) / len(before) if before else None,
        sum(after) / len(after) if after else None,
        len(before),
        len(after),
        len(pairs),
        sum(1 for b_value, a_value in pairs if a_value > b_value),
    )


@dataclass(frozen=True)
class SummaryExport:
    path: Path
    attended: int
    quotes: int


def export_summary(
    store: Store, workshop_key: str | int, out: Path, *, include_notes: bool = False
) -> SummaryExport:
    """Write the session summary PDF (atomically)."""
    out = Path(out)
    if not out.parent.is_dir():
        raise UserError(f"The folder {out.parent} does not exist.")
    data = summary_data(store, workshop_key, include_notes=include_notes)
    atomic_write_bytes(out, SummaryRenderer(data).render())
    quotes = sum(len(g.quotes) for g in data.commitments) + len(data.barriers)
    with store.write() as session:
        audit.record(session, "session summary exported", f"{data.title} to {out}")
    return SummaryExport(out, data.attended, quotes)


# Programme report --------------------------------------------------------------------------
def programme_data(store: Store, start: date, end: date) -> ProgrammeData:
    """Workshops delivered between start and end (inclusive): reach, attendance and change.

    A workshop counts as delivered when it is marked done or anyone attended it.
    """
    if end < start:
        raise UserError("The end date is before the start date.")
    with store.read() as session:
        org = session.scalars(select(Organisation).limit(1)).first()
        found = session.scalars(
            select(Workshop)
            .where(Workshop.date >= start, Workshop.date <= end)
            .order_by(Workshop.date, Workshop.start_time)
            .options(
                selectinload(Workshop.attendances).selectinload(Attendance.reflections)
                .selectinload(Reflection.answers)
            )
        ).all()  # fmt: skip
        lines: list[WorkshopLine] = []
        people: set[int] = set()
        everyone: list[tuple[Attendance, dict[str, Answer], dict[str, Answer]]] = []
        for workshop in found:
            came = [a for a in workshop.attendances if a.status is AttendanceStatus.ATTENDED]
            if not came and workshop.status is not WorkshopStatus.DONE:
                continue
            people.update(a.person_id for a in came)
            answers = [
                (a, _submitted_answers(a, Phase.BEFORE), _submitted_answers(a, Phase.AFTER))
                for a in came
            ]
            everyone += answers
            changes = [
                after_value - before_value
                for _, before, after in answers
                for key in RATING_KEYS
                if (before_value := _rating_value(before.get(key))) is not None
                and (after_value := _rating_value(after.get(key))) is not None
            ]
            lines.append(
                WorkshopLine(
                    on=workshop.date,
                    title=workshop.title,
                    venue=workshop.venue,
                    booked=len(workshop.attendances),
                    attended=len(came),
                    cpd_hours=workshop.cpd_hours,
                    mean_change=sum(changes) / len(changes) if changes else None,
                )
            )
        return ProgrammeData(
            organisation=org.name if org else "",
            start=start,
            end=end,
            workshops=tuple(lines),
            people_reached=len(people),
            ratings=tuple(_principle_ratings(p, everyone) for p in PRINCIPLES),
            paper_size=org.paper_size if org else "A4",
        )


@dataclass(frozen=True)
class ProgrammeExport:
    path: Path
    workshops: int
    people_reached: int


def export_programme(store: Store, start: date, end: date, out: Path) -> ProgrammeExport:
    """Write the programme report PDF for a period (atomically)."""
    out = Path(out)
    if not out.parent.is_dir():
        raise UserError(f"The folder {out.parent} does not exist.")
    data = programme_data(store, start, end)
    atomic_write_bytes(out, ProgrammeRenderer(data).render())
    with store.write() as session:
        audit.record(
            session,
            "programme report exported",
            f"{start} to {end}: {len(data.workshops)} to {out}",
        )
    return ProgrammeExport(out, len(data.workshops), data.people_reached)
