"""Importing a register from a CSV file as people really have them, previewed before saving."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from dataclasses import field as dataclass_field
from enum import Enum
from pathlib import Path

import charset_normalizer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amie_desktop.domain.text import counted, fold, spreadsheet_safe
from amie_desktop.services.errors import Cancelled, NotFoundError, UserError
from amie_desktop.services.progress import Progress
from amie_desktop.services.register import (
    email_problem,
    fill_blanks,
    name_problem,
    new_person,
    normalise_email,
)
from amie_desktop.store import Store
from amie_desktop.store.files import atomic_write_bytes
from amie_desktop.store.models import Attendance, Person, Workshop

MAX_FILE_BYTES = 20 * 1024 * 1024
SAVE_AS_CSV = 'In your spreadsheet, choose "Save As", pick "CSV UTF-8", and import that file.'
# Progress is reported every this many rows; the callback raises Cancelled to stop.
PROGRESS_EVERY = 50


class ImportCancelled(Cancelled):
    """The user stopped the import; nothing was saved."""


# Reading the file -------------------------------------------------------------------


@dataclass(frozen=True)
class Encoding:
    """A text encoding a spreadsheet may have saved a register in, as the preview offers it."""

    codec: str
    label: str
    region: str

    @property
    def choice(self) -> str:
        return f"{self.label} ({self.region})"


# What spreadsheets, booking sites and older Macs write, most common first. Detection picks
# among these; the preview offers all of them.
ENCODINGS = (
    Encoding("utf-8", "UTF-8", "Unicode, every language"),
    Encoding("utf-16", "UTF-16", "Unicode text, as Excel saves it"),
    Encoding("cp1252", "Windows-1252", "Western European"),
    Encoding("cp1250", "Windows-1250", "Central European: Polish, Czech, Slovak, Hungarian"),
    Encoding("iso8859_2", "ISO-8859-2", "Central European, Latin-2"),
    Encoding("iso8859_1", "ISO-8859-1", "Western European, Latin-1"),
    Encoding("iso8859_15", "ISO-8859-15", "Western European with the euro sign"),
    Encoding("mac_roman", "Mac Roman", "Western European, older Macs"),
    Encoding("mac_latin2", "Mac Central European", "Central European, older Macs"),
    Encoding("cp1251", "Windows-1251", "Cyrillic"),
    Encoding("koi8_u", "KOI8-U", "Ukrainian and Russian"),
    Encoding("cp1253", "Windows-1253", "Greek"),
    Encoding("cp1254", "Windows-1254", "Turkish"),
    Encoding("cp1257", "Windows-1257", "Baltic"),
    Encoding("cp1255", "Windows-1255", "Hebrew"),
    Encoding("cp1256", "Windows-1256", "Arabic"),
    Encoding("cp874", "Windows-874", "Thai"),
    Encoding("shift_jis", "Shift JIS", "Japanese"),
    Encoding("gb18030", "GB18030", "Chinese, simplified"),
    Encoding("big5", "Big5", "Chinese, traditional"),
    Encoding("euc_kr", "EUC-KR", "Korean"),
)
_BY_CODEC = {encoding.codec: encoding for encoding in ENCODINGS}


@dataclass(frozen=True)
class Malformed:
    """A line the CSV reader could not make a row of, and why."""

    line: int
    reason: str
    text: str


@dataclass(frozen=True)
class CsvFile:
    """A CSV file read into text: its header and its rows, each with the line it starts on."""

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    encoding: str
    delimiter: str
    malformed: tuple[Malformed, ...] = ()
    data: bytes = dataclass_field(default=b"", repr=False, compare=False)  # to read it again
    codec: str = ""  # the Python codec the text was read with

    @property
    def delimiter_name(self) -> str:
        return {"\t": "tab", ";": "semicolon", ",": "comma"}[self.delimiter]

    def read_as(self, codec: str) -> CsvFile:
        """The same file read in another encoding (the trainer's choice in the preview)."""
        return read_csv(self.data, codec)


_NOT_CSV = (
    (b"PK\x03\x04", "an Excel workbook (or another zipped file)"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel or Word file"),
    (b"{\\rtf", "a Word (RTF) document"),
    (b"\x89PNG", "a picture"),
    (b"\xff\xd8\xff", "a picture"),
)
_NOT_TEXT = f"This file is not a CSV file: it cannot be read as text. {SAVE_AS_CSV}"
# Symbols and punctuation that are part of real names; any other one touching a letter is a
# sign of text read in the wrong encoding ("£ukasz", "Wi¶niewski", "Szko³a").
_NAME_MARKS = frozenset("’ʼ-‐‑'.·")
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "HEBREW", "ARABIC")


def _script(ch: str) -> str:
    word = unicodedata.name(ch, "").split(" ", 1)[0]
    return word if word in _SCRIPTS else ""


def _garbled_signs(word: str) -> int:
    signs = 0
    if not word.isascii():
        for wrongly_as in ("cp1252", "mac_roman"):
            try:
                if word.encode(wrongly_as).decode("utf-8") != word:
                    signs += 3  # UTF-8 read as an 8-bit encoding: "Ã©", "Å‚"
                    break
            except UnicodeError:
                pass
    scripts = set()
    for index, ch in enumerate(word):
        if ch.isascii():
            continue
        if "\x80" <= ch <= "\x9f" or ch == "\ufffd":
            signs += 3
            continue
        kind = unicodedata.category(ch)
        if ch.isalpha():
            scripts.add(_script(ch))
            before = word[index - 1] if index else ""
            after = word[index + 1 : index + 2]
            if ch.isupper() and before.isalpha() and (before.islower() or after.islower()):
                signs += 1  # "JŸrgen", "JosŽ": a capital inside a word
            if ch in "œŒ" and word[index + 1 : index + 2].casefold() != "u":
                signs += 1  # "Wiœniewski": ś read as Windows-1252
        elif kind[0] in "SPN" and ch not in _NAME_MARKS and kind != "Nd":
            near = word[max(0, index - 1) : index] + word[index + 1 : index + 2]
            # A symbol touching a letter ("£ukasz"), or standing alone in a name ("Zoæ ¯").
            signs += any(other.isalpha() for other in near) or ch not in "–—"
    return signs + (len(scripts - {""}) > 1)


def looks_garbled(text: str) -> bool:
    """True when text has the marks of being read in the wrong encoding ("£ukasz", "Ã©")."""
    if any("\x80" <= ch <= "\x9f" or ch == "\ufffd" for ch in text):
        return True  # C1 controls (some split words) and characters that could not be read
    return any(_garbled_signs(word) for word in text.split())


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


# The words of a file that are not plain ASCII, as bytes: separators are ASCII in every
# encoding offered, and never part of a multi-byte character.
_SEPARATORS = re.compile(rb'[\s,;"]+')
MAX_SAMPLE_WORDS = 5000


def _detected_8bit(data: bytes) -> tuple[str, str]:
    """The 8-bit (or East Asian) encoding that reads the file into the most plausible names.

    Only the file's distinct non-ASCII words are looked at (a few thousand at most), so a big
    file is as quick to detect as a small one. charset-normalizer ranks the encodings by how
    messy and how like a language each reading of them is; names are short and mixed, so the
    reading with the fewest marks of mojibake wins, and its ranking breaks ties.
    """
    non_ascii = (word for word in _SEPARATORS.split(data) if not word.isascii())
    words = list(dict.fromkeys(non_ascii))[:MAX_SAMPLE_WORDS]
    sample = b"\n".join(words)
    ranked = [match.encoding for match in charset_normalizer.from_bytes(sample)]
    ours = [e.codec for e in ENCODINGS if e.codec not in ("utf-8", "utf-16")]
    order = [c for c in ranked if c in _BY_CODEC] + [c for c in ours if c not in ranked]
    readings: dict[tuple[str, ...], tuple[int, int, str]] = {}  # words: (score, rank, codec)
    for rank, codec in enumerate(order):
        try:
            read = tuple(word.decode(codec) for word in words)
        except UnicodeDecodeError:
            continue
        if read in readings:
            # The same text: named after the more common encoding (Windows-1252, not 1250).
            score, best_rank, named = readings[read]
            if ours.index(codec) < ours.index(named):
                readings[read] = (score, best_rank, codec)
            continue
        readings[read] = (sum(_garbled_signs(word) for word in read), rank, codec)
    for _score, _rank, codec in sorted(readings.values()):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue  # a byte outside the words looked at that this encoding has no letter for
    raise UserError(_NOT_TEXT)


def decode(data: bytes, codec: str | None = None) -> tuple[str, str, str]:
    """The file's text, the encoding's name and its codec; UserError if it is not text.

    codec, when given, is the encoding the trainer chose; otherwise it is detected.
    """
    for signature, what in _NOT_CSV:
        if data.startswith(signature):
            raise UserError(f"This file is {what}, not a CSV file. {SAVE_AS_CSV}")
    has_bom16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if codec is not None:
        if codec not in _BY_CODEC:
            raise UserError(f"{codec!r} is not an encoding this app can read.")
        label = _BY_CODEC[codec].label
        if codec == "utf-16" and not has_bom16:
            codec = _looks_utf16(data) or "utf-16-le"
        # Bytes this encoding has no character for show as "�", and the name is flagged.
        text = data.decode(codec, errors="replace")
    else:
        text, label, codec = _detected(data, has_bom16)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise UserError("The file is empty: there is nobody to import.")
    if _CONTROL.search(text, 0, 20000):
        raise UserError(f"This file is not a CSV file: it holds binary data. {SAVE_AS_CSV}")
    return text, label, codec


def _detected(data: bytes, has_bom16: bool) -> tuple[str, str, str]:
    if has_bom16:
        codec, label = "utf-16", "UTF-16"
    elif data.startswith(codecs.BOM_UTF8):
        codec, label = "utf-8-sig", "UTF-8 with BOM"
    elif (guessed := _looks_utf16(data)) is not None:
        codec, label = guessed, "UTF-16"
    else:
        codec, label = "utf-8", "UTF-8"
    try:
        return data.decode(codec), label, codec
    except UnicodeDecodeError:
        if codec != "utf-8":
            raise UserError(_NOT_TEXT) from None
    text, codec = _detected_8bit(data)
    return text, _BY_CODEC[codec].label, codec


# Control characters other than tab and line breaks: binary data, never part of a name.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


_UNCLOSED = "a quote mark on this line is never closed, so the row cannot be read"


def _records(text: str, delimiter: str) -> Iterable[tuple[int, list[str] | Malformed]]:
    """Each record with the line it starts on; a line that cannot be read is a Malformed.

    Quotes are read strictly, so a quote never closed does not swallow the rows after it:
    its line is reported and reading goes on from the next line. A quote in the middle of an
    unquoted cell (Ann "Annie" Lee) is kept as written, as spreadsheets do.
    """
    lines = io.StringIO(text, newline="").readlines()
    start = 0  # index of the line the next record starts on
    while start < len(lines):
        reader = csv.reader(
            (lines[i] for i in range(start, len(lines))), delimiter=delimiter, strict=True
        )
        consumed = 0
        try:
            for record in reader:
                yield start + consumed + 1, record
                consumed = reader.line_num
            return
        except csv.Error:
            bad = start + consumed
        line = lines[bad]
        try:
            record = next(csv.reader([line], delimiter=delimiter, strict=True), [])
        except csv.Error as exc:
            if "end of data" in str(exc):
                yield bad + 1, Malformed(bad + 1, _UNCLOSED, line.rstrip("\r\n"))
            else:
                record = next(csv.reader([line], delimiter=delimiter), [])
                yield bad + 1, record
        else:
            yield bad + 1, record
        start = bad + 1


def _delimiter(text: str) -> str:
    # The header decides: the separator that splits it into the most columns.
    best, widest = ",", 1
    first = io.StringIO(text[:100000], newline="").readline()
    for candidate in ("\t", ";", ","):
        header = next(csv.reader([first], delimiter=candidate), [])
        if len(header) > widest:
            best, widest = candidate, len(header)
    return best


_BINARY_ROW = "the row holds characters that are not text (binary data), so it was left out"


def read_csv(data: bytes, codec: str | None = None) -> CsvFile:
    """Read CSV bytes in any of the encodings and separators spreadsheets write.

    codec is the encoding to read it in; by default it is detected.
    """
    if len(data) > MAX_FILE_BYTES:
        raise UserError("This file is larger than 20 MB, too large for a register.")
    text, encoding, codec = decode(data, codec)
    delimiter = _delimiter(text)
    records: list[tuple[int, tuple[str, ...]]] = []
    malformed: list[Malformed] = []
    binary = _CONTROL.search(text) is not None
    for line, record in _records(text, delimiter):
        if isinstance(record, Malformed):
            malformed.append(record)
        elif binary and any(_CONTROL.search(cell) for cell in record):
            clean = _CONTROL.sub("", delimiter.join(record))
            malformed.append(Malformed(line, _BINARY_ROW, clean))
        elif any(cell.strip() for cell in record):
            records.append((line, tuple(record)))
    if malformed and (not records or malformed[0].line < records[0][0]):
        bad = malformed[0]
        raise UserError(f"The header (line {bad.line}) cannot be read: {bad.reason}.")
    if not records:
        raise UserError("The file is empty: there is nobody to import.")
    header = tuple(cell.strip().lstrip("\ufeff") for cell in records[0][1])
    return CsvFile(header, tuple(records[1:]), encoding, delimiter, tuple(malformed), data, codec)


def codec_for(name: str) -> str:
    """The codec of an encoding given by its label or codec name, in any case and spelling."""
    wanted = {re.sub(r"[^a-z0-9]", "", name.casefold())}
    with contextlib.suppress(LookupError):
        wanted.add(re.sub(r"[^a-z0-9]", "", codecs.lookup(name.strip()).name))
    for encoding in ENCODINGS:
        spellings = (encoding.codec, encoding.label, codecs.lookup(encoding.codec).name)
        if wanted & {re.sub(r"[^a-z0-9]", "", s.casefold()) for s in spellings}:
            return encoding.codec
    known = ", ".join(e.label for e in ENCODINGS)
    raise UserError(f"{name!r} is not an encoding this app can read. Choose one of: {known}.")


def read_csv_file(path: Path, codec: str | None = None) -> CsvFile:
    """Read a register file; only a regular file (a pipe or a device could wait for ever)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise UserError(f"There is no file at {path}.") from None
    except IsADirectoryError:
        raise UserError(f"{path} is a folder, not a CSV file.") from None
    except OSError as exc:
        raise UserError(f"The file {path} cannot be opened ({exc.strerror}).") from None
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise UserError(f"{path} is a folder, not a CSV file.")
        if not stat.S_ISREG(mode):
            raise UserError(f"{path} is not a file saved on disk (it is a pipe or a device).")
        try:
            data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise UserError(f"The file {path} cannot be read ({exc.strerror}).") from None
    return read_csv(data, codec)


# Which column holds what ------------------------------------------------------------


class Field(Enum):
    NAME = "name"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    EMAIL = "email"
    ORGANISATION = "organisation"
    ROLE = "role"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Field.NAME: "Full name",
    Field.FIRST_NAME: "First name",
    Field.LAST_NAME: "Surname",
    Field.EMAIL: "Email",
    Field.ORGANISATION: "Organisation",
    Field.ROLE: "Role",
}

_ALIASES = {
    Field.NAME: {"name", "fullname", "attendee", "attendeename", "delegate", "delegatename",
                 "participant", "participantname", "yourname", "contactname", "person"},
    Field.FIRST_NAME: {"firstname", "forename", "forenames", "givenname", "first",
                       "christianname", "preferredname"},
    Field.LAST_NAME: {"surname", "lastname", "familyname", "last"},
    Field.EMAIL: {"email", "emailaddress", "mail", "youremail", "contactemail", "workemail",
                  "emailaddr"},
    Field.ORGANISATION: {"organisation", "organization", "org", "organisationname",
                         "organizationname", "company", "school", "employer", "setting",
                         "institution", "workplace"},
    Field.ROLE: {"role", "jobtitle", "job", "jobrole", "position"},
}  # fmt: skip


@dataclass(frozen=True)
class ColumnMapping:
    """For each field, the index of the column that holds it, or None."""

    name: int | None = None
    first_name: int | None = None
    last_name: int | None = None
    email: int | None = None
    organisation: int | None = None
    role: int | None = None

    def column(self, field: Field) -> int | None:
        value: int | None = getattr(self, field.value)
        return value

    def with_column(self, field: Field, column: int | None) -> ColumnMapping:
        return replace(self, **{field.value: column})

    def used(self) -> dict[Field, int]:
        return {
            Field(f.name): getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) is not None
        }


def _header_key(header: str) -> str:
    return re.sub(r"[^a-z]", "", fold(header))


def guess_mapping(headers: Sequence[str]) -> ColumnMapping:
    """The mapping the header names suggest, in any case and the usual variants."""
    mapping = ColumnMapping()
    for index, header in enumerate(headers):
        key = _header_key(header)
        for field, aliases in _ALIASES.items():
            if key in aliases and mapping.column(field) is None:
                mapping = mapping.with_column(field, index)
    return mapping


# Planning and applying --------------------------------------------------------------


class Outcome(Enum):
    NEW_PERSON = "new person"
    MATCHED = "matched"
    ON_REGISTER = "already on the register"


@dataclass(frozen=True)
class PlannedRow:
    line: int
    name: str
    email: str
    organisation: str
    role: str
    outcome: Outcome
    matched_name: str = ""  # the existing person's name, when matched
    matched_by: str = ""  # "email" or "name"
    garbled: bool = False  # the name looks read in the wrong encoding ("£ukasz")

    def describe(self) -> str:
        return self._what() + (f". {GARBLED}" if self.garbled else "")

    def _what(self) -> str:
        if self.outcome is Outcome.NEW_PERSON:
            return "New person, added to the register"
        how = f"matched {self.matched_name} by {self.matched_by}"
        if self.outcome is Outcome.ON_REGISTER:
            return f"Already on the register ({how})"
        return f"Added to the register ({how})"


GARBLED = "The name looks garbled: is the file in another encoding?"


@dataclass(frozen=True)
class Reject:
    line: int
    reason: str
    text: str
    cells: tuple[str, ...] = ()  # the row's cells as read; empty when it could not be read


@dataclass(frozen=True)
class ImportPlan:
    """What an import does (or did): rows to add, rows matched, rows rejected with reasons."""

    workshop_id: int
    workshop_title: str
    rows: tuple[PlannedRow, ...]
    rejects: tuple[Reject, ...]
    updated: int  # existing people whose blank details the file filled in
    saved: bool
    encoding: str = ""
    delimiter: str = ""
    headers: tuple[str, ...] = ()  # the file's header, for saving the rejected rows to fix

    def count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome is outcome)

    @property
    def garbled(self) -> int:
        return sum(1 for row in self.rows if row.garbled)

    @property
    def added(self) -> int:
        return self.count(Outcome.NEW_PERSON) + self.count(Outcome.MATCHED)

    def summary(self) -> str:
        verb = "Added" if self.saved else "Would add"
        on_register = counted(self.count(Outcome.ON_REGISTER), "person", "people")
        return (
            f"{verb} {counted(self.added, 'person', 'people')} to the register of "
            f"{self.workshop_title!r} ({self.count(Outcome.NEW_PERSON)} new, "
            f"{self.count(Outcome.MATCHED)} known from earlier workshops). "
            f"{on_register.capitalize()} already on the register; "
            f"{counted(self.updated, 'person', 'people')} with details filled in; "
            f"{counted(len(self.rejects), 'row', 'rows')} rejected."
        ) + (
            f" {counted(self.garbled, 'name looks', 'names look')} garbled, as if the file "
            f"were not in {self.encoding}: choose the file's encoding."
            if self.garbled
            else ""
        )

    def as_json(self) -> dict[str, object]:
        """The stable shape `register import --json` prints."""
        return {
            "workshop": {"id": self.workshop_id, "title": self.workshop_title},
            "saved": self.saved,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "added": self.added,
            "new_people": self.count(Outcome.NEW_PERSON),
            "matched": self.count(Outcome.MATCHED),
            "already_on_register": self.count(Outcome.ON_REGISTER),
            "updated": self.updated,
            "rows": [
                {
                    "line": r.line,
                    "name": r.name,
                    "email": r.email,
                    "outcome": r.outcome.value,
                    "matched_name": r.matched_name,
                    "matched_by": r.matched_by,
                    "looks_garbled": r.garbled,
                }
                for r in self.rows
            ],
            "rejected": [{"line": r.line, "reason": r.reason} for r in self.rejects],
        }


@dataclass(frozen=True)
class _Candidate:
    line: int
    name: str
    email: str
    organisation: str
    role: str


def _cell(record: tuple[str, ...], column: int | None) -> str:
    if column is None or column >= len(record):
        return ""
    return record[column].strip()


def _candidate(line: int, record: tuple[str, ...], mapping: ColumnMapping) -> _Candidate:
    name = _cell(record, mapping.name)
    if not name:
        given = _cell(record, mapping.first_name)
        family = _cell(record, mapping.last_name)
        name = " ".join(part for part in (given, family) if part)
    return _Candidate(
        line=line,
        name=name,
        email=_cell(record, mapping.email),
        organisation=_cell(record, mapping.organisation),
        role=_cell(record, mapping.role),
    )


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _known_people(
    session: Session, candidates: Sequence[_Candidate]
) -> tuple[dict[str, Person], dict[str, list[Person]]]:
    """Existing people the file might mean, by lower-case email and by folded name."""
    emails = sorted({normalise_email(c.email) for c in candidates if c.email})
    names = sorted({fold(c.name) for c in candidates})
    by_email: dict[str, Person] = {}
    for chunk in _chunks(emails):
        for person in session.scalars(select(Person).where(func.lower(Person.email).in_(chunk))):
            by_email.setdefault(normalise_email(person.email or ""), person)
    by_name: dict[str, list[Person]] = {}
    for chunk in _chunks(names):
        query = select(Person).where(Person.name_folded.in_(chunk)).order_by(Person.id)
        for person in session.scalars(query):
            by_name.setdefault(person.name_folded, []).append(person)
    return by_email, by_name


def _match(
    candidate: _Candidate, by_email: dict[str, Person], by_name: dict[str, list[Person]]
) -> tuple[Person | None, str]:
    if candidate.email and (person := by_email.get(normalise_email(candidate.email))):
        return person, "email"
    for person in by_name.get(fold(candidate.name), []):
        if not candidate.email or not person.email:  # a different email is somebody else
            return person, "name"
    return None, ""


def _plan(
    session: Session,
    workshop_id: int,
    source: CsvFile,
    mapping: ColumnMapping,
    *,
    save: bool,
    progress: Progress | None,
) -> ImportPlan:
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFoundError("That workshop no longer exists.")
    if mapping.name is None and mapping.first_name is None and mapping.last_name is None:
        raise UserError("Choose the column that holds people's names before importing.")
    candidates = [_candidate(line, record, mapping) for line, record in source.rows]
    by_email, by_name = _known_people(session, candidates)
    on_register = set(
        session.scalars(select(Attendance.person_id).where(Attendance.workshop_id == workshop_id))
    )
    rows: list[PlannedRow] = []
    rejects = [Reject(bad.line, bad.reason[0].upper() + bad.reason[1:], bad.text)
               for bad in source.malformed]  # fmt: skip
    seen_email: dict[str, int] = {}
    seen_name: dict[str, int] = {}  # checked only for rows without an email
    seen_person: dict[int, int] = {}
    updated = 0
    for done, (candidate, (_, record)) in enumerate(zip(candidates, source.rows, strict=True)):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(candidates))
        text = source.delimiter.join(record)

        def reject(
            reason: str,
            line: int = candidate.line,
            text: str = text,
            cells: tuple[str, ...] = record,
        ) -> None:
            rejects.append(Reject(line, reason, text, cells))

        problem = name_problem(candidate.name) or email_problem(candidate.email)
        if problem:
            reject(problem[0].upper() + problem[1:])
            continue
        email_key, name_key = normalise_email(candidate.email), fold(candidate.name)
        earlier = seen_email.get(email_key) if email_key else seen_name.get(name_key)
        if earlier is not None:
            reject(f"Duplicate of line {earlier} in this file")
            continue
        person, how = _match(candidate, by_email, by_name)
        if person is not None and person.id in seen_person:
            reject(f"Same person as line {seen_person[person.id]} in this file")
            continue
        if email_key:
            seen_email[email_key] = candidate.line
        seen_name.setdefault(name_key, candidate.line)
        if person is None:
            outcome = Outcome.NEW_PERSON
        else:
            seen_person[person.id] = candidate.line
            outcome = Outcome.ON_REGISTER if person.id in on_register else Outcome.MATCHED
            blank_filled = (
                (candidate.email and not person.email)
                or (candidate.organisation and not person.organisation)
                or (candidate.role and not person.role)
            )
            updated += bool(blank_filled)
        rows.append(
            PlannedRow(
                line=candidate.line,
                name=candidate.name,
                email=candidate.email,
                organisation=candidate.organisation,
                role=candidate.role,
                outcome=outcome,
                matched_name=person.name if person else "",
                matched_by=how,
                garbled=looks_garbled(candidate.name),
            )
        )
        if save:
            if person is None:
                person = new_person(
                    candidate.name, candidate.email, candidate.organisation, candidate.role
                )
                session.add(person)
            else:
                fill_blanks(person, candidate.email, candidate.organisation, candidate.role)
            if outcome is not Outcome.ON_REGISTER:
                session.add(Attendance(workshop=workshop, person=person))
    if save:
        session.flush()
    if progress is not None:
        progress(len(candidates), len(candidates))
    return ImportPlan(
        workshop_id=workshop.id,
        workshop_title=workshop.title,
        rows=tuple(rows),
        rejects=tuple(sorted(rejects, key=lambda reject: reject.line)),
        updated=updated,
        saved=save,
        encoding=source.encoding,
        delimiter=source.delimiter_name,
        headers=source.headers,
    )


def plan_import(
    store: Store,
    workshop_id: int,
    source: CsvFile,
    mapping: ColumnMapping,
    progress: Progress | None = None,
) -> ImportPlan:
    """What importing would do, without saving anything (the preview).

    progress(done, total) is called as rows are looked at; raising Cancelled stops it, for a
    preview that is no longer wanted.
    """
    with store.read() as session:
        return _plan(session, workshop_id, source, mapping, save=False, progress=progress)


def apply_import(
    store: Store,
    workshop_id: int,
    source: CsvFile,
    mapping: ColumnMapping,
    progress: Progress | None = None,
) -> ImportPlan:
    """Import every usable row in one transaction: all of them are saved, or none is."""
    with store.write() as session:
        return _plan(session, workshop_id, source, mapping, save=True, progress=progress)


def import_file(
    store: Store, workshop_id: int, path: Path, *, dry_run: bool, encoding: str | None = None
) -> ImportPlan:
    """The command line's import: the header decides the columns.

    encoding is the codec to read the file in (see ENCODINGS, or a label such as
    "Windows-1250"); by default it is detected.
    """
    source = read_csv_file(path, codec_for(encoding) if encoding else None)
    mapping = guess_mapping(source.headers)
    if dry_run:
        return plan_import(store, workshop_id, source, mapping)
    return apply_import(store, workshop_id, source, mapping)


# The rows left out, to read, copy and fix ------------------------------------------

REJECTS_HEADINGS = ("Line", "Reason", "Row in the file")
WHY_HEADING = "Why it was not imported"
LINE_HEADING = "Line in the first file"


def _one_cell(text: str) -> str:
    # A tab or line break inside a cell would start a new cell or row where it is pasted.
    return " ".join(text.replace("\t", " ").splitlines())


def rejects_as_text(plan: ImportPlan) -> str:
    """The rows left out as tab-separated lines (line, reason, the row as written), headed,
    for pasting into a spreadsheet or an email."""
    lines = [REJECTS_HEADINGS] + [(str(r.line), r.reason, r.text) for r in plan.rejects]
    return "".join("\t".join(_one_cell(cell) for cell in line) + "\n" for line in lines)


def save_rejects(plan: ImportPlan, out: Path) -> int:
    """Write the rows left out as a CSV file with the original file's headings, so they can be
    put right in a spreadsheet and imported again; the reason and the original line number
    come last, under headings the import ignores. A row that could not be read at all is kept
    whole in the first column. UTF-8 with a byte-order mark, so Excel reads accents. Returns
    how many rows were written."""
    out = Path(out)
    if not out.parent.is_dir():
        raise UserError(f"The folder {out.parent} does not exist.")
    width = max([len(plan.headers), *(len(r.cells) for r in plan.rejects)], default=1)
    headers = list(plan.headers) + [""] * (width - len(plan.headers))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(cell) for cell in [*headers, WHY_HEADING, LINE_HEADING]])
    for reject in plan.rejects:
        cells = list(reject.cells or (reject.text,))
        cells += [""] * (width - len(cells))
        writer.writerow([spreadsheet_safe(c) for c in [*cells, reject.reason, str(reject.line)]])
    try:
        atomic_write_bytes(out, buffer.getvalue().encode("utf-8-sig"))
    except OSError as exc:
        raise UserError(f"The file {out} could not be saved ({exc.strerror}).") from None
    return len(plan.rejects)
