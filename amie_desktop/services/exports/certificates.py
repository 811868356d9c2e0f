"""The certificates export: one PDF per person and/or one merged PDF, after a check that every
name and setting can be printed. One name that cannot be printed leaves that person out,
never the rest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from amie_desktop.reports import fonts
from amie_desktop.reports.certificate import CertificateRenderer, attached_credentials
from amie_desktop.services import audit, certificates
from amie_desktop.services.errors import UserError
from amie_desktop.services.exports.files import Progress, safe_file_name
from amie_desktop.store import Store
from amie_desktop.store.files import atomic_write, atomic_write_bytes


class UnprintableNamesError(UserError):
    """Some names hold characters that no shipped font can draw."""


def _characters(missing: str) -> str:
    return " ".join(f"{ch} (U+{ord(ch):04X})" for ch in missing)


@dataclass(frozen=True)
class LeftOut:
    """Someone whose certificate was not made (nor issued), and why."""

    attendance_id: int
    name: str
    reason: str

    def as_json(self) -> dict[str, object]:
        return {"attendance_id": self.attendance_id, "name": self.name, "reason": self.reason}


def unprintable_people(store: Store, workshop_key: str | int) -> list[LeftOut]:
    """The attendees whose names hold letters no shipped font can draw, with the letters."""
    _, people = certificates.attendees(store, workshop_key)
    return [
        LeftOut(
            person.attendance_id,
            person.name,
            f"no font in the app can print {_characters(missing)}",
        )
        for person in people
        if (missing := fonts.missing_characters(person.name))
    ]


def left_out_sentence(left_out: Sequence[LeftOut]) -> str:
    """Who was left out of an export and why, in plain words ("" when nobody was)."""
    if not left_out:
        return ""
    people = "; ".join(f"{person.name} ({person.reason})" for person in left_out)
    count = "1 certificate was" if len(left_out) == 1 else f"{len(left_out)} certificates were"
    return (
        f"{count} not made, and not issued: {people}. Check the spelling in the register, "
        "or write the name in another script, then export again."
    )


def check_printable(store: Store, workshop_key: str | int) -> list[LeftOut]:
    """The people to leave out; refuse when nobody, or no page, could be printed.

    A name no font can print leaves that one person out. Text on every certificate (the
    workshop's title, the wording, ...) that no font can print stops the whole export, as
    does a register where nobody's name can be printed.
    """
    left_out = unprintable_people(store, workshop_key)
    _, people = certificates.attendees(store, workshop_key)
    if people and len(left_out) == len(people):
        raise UnprintableNamesError(
            "No certificates were made, because no font in the app can print "
            + ("these names: " if len(left_out) > 1 else "this name: ")
            + "; ".join(f"{p.name} ({_characters(fonts.missing_characters(p.name))})"
                        for p in left_out)
            + ". Check the spelling in the register, or write the name in another script."
        )  # fmt: skip
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
    return left_out


@dataclass(frozen=True)
class CertificateExport:
    count: int
    files: tuple[Path, ...]
    merged: Path | None
    new: int
    reissued: int
    superseded: tuple[Path, ...] = ()  # earlier files of reissued certificates, removed
    left_out: tuple[LeftOut, ...] = ()


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
    left_out = check_printable(store, workshop_key)
    if out_dir is not None:
        out_dir = Path(out_dir)
        try:  # a folder of certificates is made if need be, as people expect of --out DIR
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"The folder {out_dir} cannot be made ({exc.strerror}).") from None
    if merged is not None and not Path(merged).parent.is_dir():
        raise UserError(f"The folder {Path(merged).parent} does not exist.")
    batch = certificates.issue(
        store,
        workshop_key,
        with_action_plans=with_action_plans,
        leave_out={person.attendance_id for person in left_out},
    )
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
    superseded: list[Path] = []
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
        reissued = {c.holder.serial for c in batch.certificates if c.reissued}
        superseded = _remove_superseded(out_dir, reissued, set(files))
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
        unmade = f", {len(left_out)} left out (names no font can print)" if left_out else ""
        audit.record(
            session,
            "certificates exported",
            f"{len(holders)} for {batch.event.title} to {where}{unmade}",
        )
    return CertificateExport(
        count=len(holders),
        files=tuple(files),
        merged=merged,
        new=sum(c.new for c in batch.certificates),
        reissued=sum(c.reissued for c in batch.certificates),
        superseded=tuple(superseded),
        left_out=tuple(left_out),
    )


def _remove_superseded(folder: Path, serials: set[str], kept: set[Path]) -> list[Path]:
    """Remove the earlier files of certificates reissued now (after a name or title change,
    the new file has a new name): each carries its signed statement, so its number shows."""
    if not serials:
        return []
    removed = []
    for path in sorted(folder.glob("*.pdf")):
        if path in kept:
            continue
        try:
            texts = attached_credentials(path.read_bytes()) or []
            found = {json.loads(text)["statement"]["serial"] for text in texts}
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not one of ours, or unreadable: leave it alone
        if len(found) == 1 and found <= serials:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
