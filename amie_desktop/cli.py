"""Headless commands for admins and scripts; the same services the window uses, and no Qt."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from amie_desktop.domain.text import counted

if TYPE_CHECKING:
    from amie_desktop.store import Store

# Each command imports the services it uses when it runs: opening the window parses the same
# command line, and must not pay for loading the PDF and report code it may never use.

Handler = Callable[["Store", argparse.Namespace, TextIO], int]
# A command marked without_data gets None for the store on a computer with no data folder.
DatalessHandler = Callable[["Store | None", argparse.Namespace, TextIO], int]


def add_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register every command that works; one not built yet is not offered."""
    cmd = subparsers.add_parser(
        "demo",
        help="add a realistic demo organisation: workshops, attendees, reflections",
        description="Add a demo organisation (PIN 1234) with workshops, people and reflections.",
    )
    cmd.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing (and succeed) when the database already has workshops",
    )
    cmd.set_defaults(handler=_demo)

    cmd = subparsers.add_parser(
        "workshops",
        help="list workshops: id, uuid, title, date, booked/attended counts",
        description="List every workshop, newest first.",
    )
    cmd.add_argument("--json", action="store_true", help="print JSON (stable, for scripts)")
    cmd.set_defaults(handler=_workshops)

    cmd = subparsers.add_parser(
        "backup",
        help="make a checked backup of the database",
        description="Copy the database with SQLite's backup API and check the copy. Without "
        "--out the copy goes into the backups folder, which keeps a rotation.",
    )
    cmd.add_argument(
        "--out", type=Path, metavar="FILE", help="write the backup to FILE (or into a folder)"
    )
    cmd.set_defaults(handler=_backup)

    cmd = subparsers.add_parser(
        "restore",
        help="replace the database with a backup (the current one is backed up first)",
        description="Check FILE (it must be a healthy database of this app), back up the "
        "current database, then put FILE in its place.",
    )
    cmd.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    cmd.set_defaults(handler=_restore)

    cmd = subparsers.add_parser(
        "erase-person",
        help="remove a person and everything about them (UK GDPR erasure)",
        description="Remove the person, their register places, reflections and answers. "
        "Their certificate records stay, without the name, so numbers stay unique.",
    )
    cmd.add_argument(
        "person", metavar="PERSON", help="the person's id (digits), uuid or whole email address"
    )
    cmd.add_argument("--yes", action="store_true", help="do not ask before erasing (for scripts)")
    cmd.set_defaults(handler=_erase_person)
    register = subparsers.add_parser(
        "register",
        help="work with a workshop's register",
        description="Work with a workshop's register.",
    )
    register_commands = register.add_subparsers(dest="register_command", metavar="COMMAND")
    register_commands.required = True
    register.set_defaults(handler=_register_import)  # never used: a COMMAND is required
    cmd = register_commands.add_parser(
        "import",
        help="import attendees from a CSV; report added/updated/rejected rows",
        description="Import attendees from a CSV file (comma, semicolon or tab separated; its "
        "encoding is detected: UTF-8, UTF-16, Windows-1252, Windows-1250, ISO-8859-1/2/15, "
        "Mac Roman and others). The header row names the columns. People already known "
        "are matched by email, else by name, and nobody is added twice. Rows that cannot be "
        "used are listed with the reason; the rest are saved together, or none is.",
    )
    cmd.add_argument("workshop", metavar="WORKSHOP", help="the workshop's id or uuid")
    cmd.add_argument("file", metavar="FILE", type=Path, help="the CSV file")
    cmd.add_argument("--dry-run", action="store_true", help="show what would happen; save nothing")
    cmd.add_argument(
        "--encoding",
        metavar="NAME",
        help="read the file in this encoding (e.g. windows-1250, iso-8859-2, mac-roman) "
        "instead of the one detected",
    )
    cmd.add_argument("--json", action="store_true", help="print JSON (stable, for scripts)")
    cmd.set_defaults(handler=_register_import)

    cmd = register_commands.add_parser(
        "attended",
        help="mark attendance from a sign-in sheet",
        description="Mark people on a workshop's register as attended (signed in now, unless "
        "a sign-in time is already recorded). PERSON is an id, uuid or email, matched exactly; "
        "--all marks everyone still booked. Everyone found is marked; anyone not found is "
        "listed and the exit status is 1.",
    )
    cmd.add_argument("workshop", metavar="WORKSHOP", help="the workshop's id or uuid")
    cmd.add_argument("people", metavar="PERSON", nargs="*", help="a person's id, uuid or email")
    cmd.add_argument("--all", action="store_true", help="mark everyone still booked")
    cmd.add_argument("--json", action="store_true", help="print JSON (stable, for scripts)")
    cmd.set_defaults(handler=_register_attended)

    _add_export_commands(subparsers)

    _add_certificate_commands(subparsers)

    _add_bundle_commands(subparsers)


# Sync by file (laptops that are never online): encrypted bundles -----------------------------
def _add_bundle_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    bundle = subparsers.add_parser(
        "bundle",
        help="carry changes to or from the organisation's database in an encrypted file",
        description="For laptops that are never online: the changes a sync would carry, in one "
        "file locked with a passphrase (a USB stick, an email to the office).",
    )
    actions = bundle.add_subparsers(dest="bundle_command", metavar="COMMAND")
    bundle.set_defaults(handler=_command_missing)
    cmd = actions.add_parser(
        "export",
        allow_abbrev=False,  # --passphrase must never reach --passphrase-file
        help="write the changes the other side has not yet acknowledged to a file",
        description="On a laptop: the changes the organisation's database has not acknowledged "
        "yet. On the organisation's database (--database-url): the changes a laptop lacks "
        "(--laptop LETTER), or everything (--all). The passphrase is asked for twice, or read "
        "from the first line of --passphrase-file.",
    )
    cmd.add_argument("--out", type=Path, required=True, metavar="FILE", help="the file to write")
    which = cmd.add_mutually_exclusive_group()
    which.add_argument(
        "--since-last", action="store_true", help="only what the other side lacks (the default)"
    )
    which.add_argument("--all", action="store_true", help="everything, whatever was sent before")
    cmd.add_argument(
        "--laptop", default="", metavar="LETTER", help="on the organisation's database: for whom"
    )
    cmd.add_argument("--passphrase-file", type=Path, metavar="FILE", help="for scripts")
    cmd.add_argument("--json", action="store_true", help="print JSON (stable, for scripts)")
    cmd.set_defaults(handler=_bundle_export)
    cmd = actions.add_parser(
        "import",
        allow_abbrev=False,  # --passphrase must never reach --passphrase-file
        help="apply a bundle file's changes here (a second import changes nothing)",
        description="Check FILE, ask for its passphrase (or read the first line of "
        "--passphrase-file), and apply its changes in one go. A wrong passphrase, a damaged "
        "file or one for another organisation is refused and nothing is changed.",
    )
    cmd.add_argument("file", type=Path, metavar="FILE", help="the bundle file")
    cmd.add_argument("--passphrase-file", type=Path, metavar="FILE", help="for scripts")
    cmd.add_argument("--json", action="store_true", help="print JSON (stable, for scripts)")
    cmd.set_defaults(handler=_bundle_import)


def _passphrase(args: argparse.Namespace, twice: bool, what: str = "the bundle file") -> str:
    """From --passphrase-file's first line, else typed at the terminal (never on argv)."""
    return _secret(args.passphrase_file, "--passphrase-file", "passphrase", twice, what)


def _secret(file: Path | None, flag: str, kind: str, twice: bool, what: str) -> str:
    """A passphrase or PIN: the first line of the file given with flag, else typed (hidden) at
    the terminal, twice when it is being chosen; never on the command line itself."""
    from amie_desktop.services.errors import UserError

    if file is not None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            raise UserError(
                f"The {kind} file {file} cannot be read. Nothing was changed."
            ) from None
        return text.splitlines()[0] if text else ""
    if not sys.stdin.isatty():
        raise UserError(
            f"Type the {kind} at a terminal, or give it in a file with {flag} FILE. Nothing was "
            "changed."
        )
    import getpass

    typed = getpass.getpass(f"{kind.capitalize()} for {what}: ")
    if twice and getpass.getpass(f"The same {kind} again: ") != typed:
        raise UserError(f"The two {kind}s differ. Nothing was written.")
    return typed


def _bundle_export(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import bundle

    bundle.check_passphrase(passphrase := _passphrase(args, True, "the copy"))
    result = bundle.export_bundle(
        store, args.out, passphrase, everything=args.all, laptop=args.laptop
    )
    if args.json:
        shape = {"file": str(result.path), "changes": result.changes, "from": result.made_by,
                 "for_laptop": result.for_laptop}  # fmt: skip
        print(json.dumps(shape, indent=2), file=out)
    else:
        print(result.words(), file=out)
    return 0


def _bundle_import(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import bundle

    sealed = bundle.check_bundle(store, args.file)  # a wrong file is said before the passphrase
    result = bundle.import_bundle(store, args.file, _passphrase(args, twice=False), sealed=sealed)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2), file=out)
    else:
        print(result.words(), file=out)
    return 0


# Signed certificates: verify anywhere, revoke, publish the organisation's public key ----------
def _add_certificate_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = subparsers.add_parser(
        "verify",
        help="check a certificate anywhere: its PDF, QR code text, badge file or printed code",
        description="Say whether a certificate is genuine, changed, signed by an unknown key or "
        "revoked, and for whom, what and when. Give the certificate's PDF or credential file, "
        "the text its QR code gives, or its printed check code. With --public-key no data "
        "folder is needed (a printed code needs the organisation's records). Exit status 0 "
        "when genuine, 1 when not.",
    )
    cmd.add_argument("given", metavar="CODE|FILE", help="a file, the QR code's text, or the code")
    cmd.add_argument(
        "--public-key", type=Path, metavar="FILE", help="the organisation's public key file"
    )
    cmd.add_argument("--json", action="store_true", help="print JSON (stable, for scripts)")
    cmd.set_defaults(handler=_verify, without_data=True)

    certificates = subparsers.add_parser(
        "certificates", help="revoke certificates", description="Work with issued certificates."
    )
    actions = certificates.add_subparsers(dest="certificates_command", metavar="COMMAND")
    actions.required = True
    certificates.set_defaults(handler=_command_missing)  # each COMMAND sets its own
    cmd = actions.add_parser(
        "revoke",
        help="withdraw a certificate, with a reason; it then checks as revoked",
        description="Withdraw a certificate. It checks as revoked here at once, and everywhere "
        "once the organisation's public key file (which lists revocations) is published again.",
    )
    cmd.add_argument(
        "serial", metavar="SERIAL", help="the certificate number, e.g. CPD-2026-000012"
    )
    cmd.add_argument("--reason", required=True, help="why it is withdrawn (shown when checked)")
    cmd.set_defaults(handler=_revoke_certificate)

    org = subparsers.add_parser(
        "org", help="the organisation", description="Work with the organisation's settings."
    )
    org_actions = org.add_subparsers(dest="org_command", metavar="COMMAND")
    org_actions.required = True
    org.set_defaults(handler=_command_missing)
    cmd = org_actions.add_parser(
        "name",
        help="name the organisation (the first time, with a facilitator PIN)",
        description="Give the organisation's name, as reports and certificates show it. On a "
        "database with no organisation yet (an organisation's new PostgreSQL database, set up "
        "from a server with no screen) this sets it up, with the facilitator PIN asked twice "
        "(or read from the first line of --pin-file); after that it renames it. Give the "
        "organisation's database the same name its laptops use.",
    )
    cmd.add_argument("name", metavar="NAME", help="the organisation's name")
    cmd.add_argument(
        "--pin-file", type=Path, metavar="FILE", help="read the PIN from the first line of FILE"
    )
    cmd.set_defaults(handler=_org_name)
    cmd = org_actions.add_parser(
        "public-key",
        help="write the organisation's public key file, for anyone checking certificates",
        description="Write the organisation's public key file: its key, the laptops it vouches "
        "for and the certificates it revoked, signed. Publish it (website, email) so that "
        "anyone can check certificates offline with `amie-desktop verify --public-key FILE`.",
    )
    cmd.add_argument("--out", type=Path, required=True, metavar="FILE", help="the key file")
    cmd.set_defaults(handler=_org_public_key)
    _add_org_sync_commands(subparsers, org_actions)

    cmd = org_actions.add_parser(
        "laptops",
        help="list the laptop keys the organisation vouches for",
        description="List every laptop signing key: when endorsed, when withdrawn, and how "
        "many certificates it signed.",
    )
    cmd.set_defaults(handler=_org_laptops)
    cmd = org_actions.add_parser(
        "laptop-key",
        help="write this laptop's public key, to be endorsed by the organisation",
        description="Write this laptop's public key to FILE. Give it to whoever holds the "
        "organisation's key, who runs `org endorse-laptop FILE`; after sync this laptop signs.",
    )
    cmd.add_argument("--out", type=Path, required=True, metavar="FILE", help="the request file")
    cmd.set_defaults(handler=_org_laptop_key)
    cmd = org_actions.add_parser(
        "endorse-laptop",
        help="vouch for another laptop's key (on the laptop with the organisation's key)",
        description="Endorse the laptop key in FILE (from `org laptop-key`) with the "
        "organisation's key, so the certificates it signs check as genuine.",
    )
    cmd.add_argument("file", type=Path, metavar="FILE", help="the laptop's request file")
    cmd.set_defaults(handler=_org_endorse_laptop)
    cmd = org_actions.add_parser(
        "withdraw-laptop",
        help="withdraw a lost laptop's key; what it issued before stays genuine",
        description="Withdraw a laptop's signing key (give the start of its id, see `org "
        "laptops`). Certificates it issued that this organisation's records hold stay genuine; "
        "anything else signed with it checks as an unknown signer once the public key file is "
        "published again.",
    )
    cmd.add_argument("key", metavar="KEY_ID", help="the laptop key's id (or its start)")
    cmd.add_argument("--reason", required=True, help="why, e.g. lost on the train")
    cmd.set_defaults(handler=_org_withdraw_laptop)
    passphrase_help = "read the passphrase from the first line of FILE instead of asking"
    cmd = org_actions.add_parser(
        "backup-key",
        help="save a passphrase-locked copy of the organisation's key, to keep somewhere safe",
        description="Write a copy of the organisation's private key to FILE, locked with a "
        "passphrase you choose (asked twice). Backups of the data folder do not hold it: keep "
        "this copy away from the laptop (an encrypted USB stick in a locked drawer), and the "
        "passphrase apart from it. `org restore-key` puts it back on a new laptop.",
    )
    cmd.add_argument("--out", type=Path, required=True, metavar="FILE", help="the copy")
    cmd.add_argument("--passphrase-file", type=Path, metavar="FILE", help=passphrase_help)
    cmd.set_defaults(handler=_org_backup_key)
    cmd = org_actions.add_parser(
        "restore-key",
        help="put the organisation's key back from a copy made by backup-key",
        description="Put the organisation's private key back on this laptop from FILE (made "
        "by `org backup-key`), after the laptop that held it was lost. This laptop must know "
        "the organisation (joined and synced); the key must be the organisation's own.",
    )
    cmd.add_argument("file", type=Path, metavar="FILE", help="the copy")
    cmd.add_argument("--passphrase-file", type=Path, metavar="FILE", help=passphrase_help)
    cmd.set_defaults(handler=_org_restore_key)


def _org_name(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import organisation

    if organisation.get_settings(store) is not None:
        named = organisation.rename(store, args.name)
        print(f"The organisation is now called {named.name}.", file=out)
        return 0
    pin = _secret(args.pin_file, "--pin-file", "PIN", args.pin_file is None, "facilitators")
    named = organisation.set_up(store, args.name, pin, pin)
    print(
        f"Set up {named.name}: its facilitator PIN is the one you gave. Laptops that join "
        "this database keep their own PIN.",
        file=out,
    )
    return 0


def _org_backup_key(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import keys

    print_ = keys.backup_organisation_key(store, args.out, _passphrase(args, True, "the copy"))
    print(
        f"Wrote a locked copy of the organisation's key to {args.out} (fingerprint {print_}). "
        "Keep it away from this laptop, and the passphrase apart from it.",
        file=out,
    )
    return 0


def _org_restore_key(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import keys

    print_ = keys.restore_organisation_key(store, args.file, _passphrase(args, False, "the copy"))
    print(
        f"The organisation's key (fingerprint {print_}) is on this laptop: it can endorse and "
        "withdraw laptops and publish the public key file.",
        file=out,
    )
    return 0


def _org_laptops(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import keys

    for row in keys.laptops(store):
        endorsed = row.endorsed_on.isoformat() if row.endorsed_on else "?"
        state = (
            f"withdrawn {row.withdrawn_on.isoformat()}: {row.reason}"
            if row.withdrawn_on
            else "in use"
        )
        mine = "  (this laptop)" if row.this_laptop else ""
        print(
            f"{row.key_id}  endorsed {endorsed}  {row.certificates:>5} certificates  {state}{mine}",
            file=out,
        )
    return 0


def _org_laptop_key(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import keys

    ident = keys.laptop_key_request(store, args.out)
    print(f"Wrote this laptop's key {ident} to {args.out}. Have it endorsed.", file=out)
    return 0


def _org_endorse_laptop(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import keys

    ident = keys.endorse_laptop(store, args.file)
    print(
        f"Endorsed the laptop key {ident}. Publish the public key file again "
        "(org public-key) so that checks elsewhere know it.",
        file=out,
    )
    return 0


def _org_withdraw_laptop(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import keys

    row = keys.withdraw_laptop(store, args.key, args.reason)
    print(
        f"Withdrew the laptop key {row.key_id}; its {row.certificates} certificates stay "
        "genuine. Publish the public key file again (org public-key).",
        file=out,
    )
    return 0


# One organisation, many laptops: join its database, sync with it ----------------------------
def _add_org_sync_commands(
    subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
    org_actions: argparse._SubParsersAction,  # type: ignore[type-arg]
) -> None:
    cmd = org_actions.add_parser(
        "join",
        help="link this laptop to the organisation's database, then sync",
        description="Link this laptop to the organisation's PostgreSQL database: it gets its "
        "own certificate number prefix, its data is merged in and everyone else's comes back. "
        "The address is saved without its password; the password goes into the system "
        "keyring where there is one (otherwise give it in $AMIE_ORG_PASSWORD when syncing).",
    )
    cmd.add_argument("url", metavar="URL", help="postgresql+psycopg://USER:PASSWORD@HOST/DATABASE")
    cmd.add_argument("--name", default="", help="what to call this laptop in reports")
    cmd.add_argument("--json", action="store_true", help="print JSON (stable, for scripts)")
    cmd.set_defaults(handler=_org_join)
    cmd = org_actions.add_parser(
        "leave",
        help="unlink this laptop from the organisation's database (its data stays here)",
        description="Stop syncing with the organisation's database. Nothing is deleted.",
    )
    cmd.set_defaults(handler=_org_leave)

    cmd = subparsers.add_parser(
        "sync",
        help="send this laptop's changes to the organisation's database and fetch the rest",
        description="Send what changed on this laptop since its last sync to the organisation's "
        "database, then fetch what changed elsewhere. Safe to interrupt and run again.",
    )
    cmd.add_argument("--org", metavar="URL", help="the organisation's database (default: joined)")
    cmd.add_argument("--json", action="store_true", help="print JSON (stable, for scripts)")
    cmd.set_defaults(handler=_sync)


def _org_join(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import sync

    with sync.open_org(store, args.url) as org:
        joined = sync.join(store, org, args.url, args.name)
        report = sync.sync(store, org)
    saved = sync.remember_password(args.url)
    if args.json:
        shape = {"org": joined.org_url, "serial_prefix": joined.serial_prefix,
                 "password_saved": saved, **report.as_dict()}  # fmt: skip
        print(json.dumps(shape, indent=2), file=out)
        return 0
    print(f"Joined the organisation's database {joined.org_url}.", file=out)
    print(
        f"Certificates from this laptop are numbered CPD-YEAR-{joined.serial_prefix}-NNNNNN.",
        file=out,
    )
    if saved:
        print("The password is kept in the system keyring.", file=out)
    print(report.words(), file=out)
    return 0


def _org_leave(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import sync

    sync.leave(store)
    print("This laptop no longer syncs with the organisation's database.", file=out)
    return 0


def _sync(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import sync

    with sync.open_org(store, args.org) as org:
        report = sync.sync(store, org)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2), file=out)
    else:
        print(report.words(), file=out)
    return 0


def _command_missing(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    print(f"amie-desktop {args.command}: say which command (see --help).", file=sys.stderr)
    return 2


def _verify(store: Store | None, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import signing, verification

    keyring = signing.read_key_file(args.public_key) if args.public_key else None
    results = verification.verify_anything(store, args.given, keyring)
    if args.json:
        shapes = [r.as_json() for r in results]
        json.dump(shapes[0] if len(shapes) == 1 else shapes, out, ensure_ascii=False, indent=2)
        out.write("\n")
    for result in results:
        if args.json:
            continue
        if result.genuine:
            print(result.message(), file=out)
        else:
            print(f"amie-desktop: {result.message()}", file=sys.stderr)
    return 0 if all(r.genuine for r in results) else 1


def _revoke_certificate(store: Store | None, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import certificates

    assert store is not None
    result = certificates.revoke(store, args.serial, args.reason)
    print(
        f"Certificate {result.serial} is revoked. Publish the organisation's public key file "
        "again (amie-desktop org public-key) so that checks elsewhere know.",
        file=out,
    )
    return 0


def _org_public_key(store: Store | None, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import keys

    assert store is not None
    key = keys.export_public_key(store, args.out)
    print(
        f"Wrote the public key file of {key.organisation} to {args.out}. "
        f"Its fingerprint: {key.fingerprint}",
        file=out,
    )
    return 0


def _add_export_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = subparsers.add_parser(
        "export",
        help="export certificates, summaries, reports and CSV files",
        description="Export a workshop's certificates, summary or register, or a programme report.",
    )
    kinds = export.add_subparsers(dest="export_kind", metavar="KIND", required=True)
    export.set_defaults(handler=_export_kind_missing)  # each KIND sets its own
    cmd = kinds.add_parser(
        "certificates",
        help="PDF certificates for everyone marked as attended",
        description="Issue and export CPD certificates: one PDF per person in DIR, and "
        "optionally one merged PDF for printing, and/or one signed Open Badges 3.0 credential "
        "per person. Exporting again gives the same certificates.",
    )
    cmd.add_argument("workshop", metavar="WORKSHOP", help="workshop id or uuid")
    cmd.add_argument("--out", type=Path, metavar="DIR", help="folder for the PDF files")
    cmd.add_argument(
        "--badges", type=Path, metavar="DIR", help="folder for Open Badges 3.0 files (JSON)"
    )
    cmd.add_argument("--merged", type=Path, metavar="FILE", help="also write one merged PDF")
    cmd.add_argument(
        "--action-plans",
        action="store_true",
        help="add a second page with the person's own action plan from their reflection",
    )
    cmd.add_argument(
        "--json",
        action="store_true",
        help="print what was made, and who was left out and why, as JSON",
    )
    cmd.set_defaults(handler=_export_certificates)

    cmd = kinds.add_parser(
        "summary",
        help="a PDF session summary: attendance, agenda, ratings, commitments, quotes",
        description="Write the session summary PDF. Quotes come only from attendees who "
        "agreed to be quoted, with names removed.",
    )
    cmd.add_argument("workshop", metavar="WORKSHOP", help="workshop id or uuid")
    cmd.add_argument("--out", type=Path, required=True, metavar="FILE", help="the PDF file")
    cmd.add_argument(
        "--group-notes", action="store_true", help="include the facilitator's group notes"
    )
    cmd.set_defaults(handler=_export_summary)

    cmd = kinds.add_parser(
        "runsheet",
        help="a PDF run sheet of the agenda for the facilitator's clipboard",
        description="Write the run sheet: each agenda step with its times, HEARD principle, "
        "prompt, activity, questions and private notes.",
    )
    cmd.add_argument("workshop", metavar="WORKSHOP", help="workshop id or uuid")
    cmd.add_argument("--out", type=Path, required=True, metavar="FILE", help="the PDF file")
    cmd.set_defaults(handler=_export_runsheet)

    cmd = kinds.add_parser(
        "programme",
        help="a PDF programme report for funders over a date range",
        description="Write the programme report: workshops delivered between two dates "
        "(inclusive), people reached, CPD hours, attendance rate, change per HEARD principle.",
    )
    cmd.add_argument(
        "--from", dest="start", type=_iso_date, required=True, metavar="DATE",
        help="first day, as YYYY-MM-DD",
    )  # fmt: skip
    cmd.add_argument(
        "--to", dest="end", type=_iso_date, required=True, metavar="DATE",
        help="last day, as YYYY-MM-DD",
    )  # fmt: skip
    cmd.add_argument("--out", type=Path, required=True, metavar="FILE", help="the PDF file")
    cmd.set_defaults(handler=_export_programme)

    cmd = kinds.add_parser(
        "programme-csv",
        help="the programme report's workshop table as CSV, with facilitator and laptop",
        description="Write one row per workshop delivered between two dates (inclusive): "
        "date, title, venue, facilitators, the laptop it was planned on, booked, attended, "
        "attendance rate, CPD hours and mean change. Run with --database-url against the "
        "organisation's database to cover every laptop.",
    )
    cmd.add_argument(
        "--from", dest="start", type=_iso_date, required=True, metavar="DATE",
        help="first day, as YYYY-MM-DD",
    )  # fmt: skip
    cmd.add_argument(
        "--to", dest="end", type=_iso_date, required=True, metavar="DATE",
        help="last day, as YYYY-MM-DD",
    )  # fmt: skip
    cmd.add_argument("--out", type=Path, required=True, metavar="FILE", help="the CSV file")
    cmd.set_defaults(handler=_export_programme_csv)

    cmd = kinds.add_parser(
        "csv",
        help="the register with attendance and ratings, as CSV for spreadsheets",
        description="Write the register (attendance, consent, before/after self-ratings) as "
        "CSV: UTF-8 with a byte-order mark, no cell that a spreadsheet could run as a formula.",
    )
    cmd.add_argument("workshop", metavar="WORKSHOP", help="workshop id or uuid")
    cmd.add_argument("--out", type=Path, required=True, metavar="FILE", help="the CSV file")
    cmd.set_defaults(handler=_export_csv)

    _add_station_commands(subparsers)


def _add_station_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    station = subparsers.add_parser(
        "station",
        help="reflections on attendees' own phones, over the room's network",
        description="Serve the reflection questions to phones in the room.",
    )
    station.set_defaults(handler=_station_missing)
    commands = station.add_subparsers(dest="station_command", metavar="COMMAND")
    cmd = commands.add_parser(
        "serve",
        help="open the phone station for a workshop until Ctrl+C",
        description="Serve the reflection pages to phones on one network address of this "
        "computer, print the address and the room code, and close the station (ending every "
        "phone's session) on Ctrl+C.",
    )
    cmd.add_argument("workshop", metavar="WORKSHOP", help="workshop id or uuid")
    cmd.add_argument("--phase", choices=["before", "after"], required=True)
    cmd.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address of this computer to listen on, e.g. its hotspot address "
        "(default: 127.0.0.1, this computer only)",
    )
    cmd.add_argument(
        "--port", type=int, default=0, help="the port to listen on (default: a random free one)"
    )
    cmd.add_argument(
        "--https",
        action="store_true",
        help="encrypt with a certificate this laptop makes (phones warn once; see docs/phones.md)",
    )
    cmd.set_defaults(handler=_station_serve)


def _station_missing(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    print("amie-desktop station: say what to do (see --help).", file=sys.stderr)
    return 2


def _station_serve(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    import threading

    from amie_desktop.domain.values import Phase
    from amie_desktop.services import reflections
    from amie_desktop.web.server import PhoneStation, check_host

    info = reflections.station_info(store, args.workshop, Phase(args.phase))
    host = check_host(args.host)
    context = None
    if args.https:
        from amie_desktop.web import tls

        context = tls.server_context(store.data_dir, host)
    station = PhoneStation(store, info, host=host, port=args.port, ssl_context=context)
    address = station.start()
    print(
        f"The phone station is open for “{info.workshop_title}” ({args.phase} the workshop).\n"
        f"Address: {address.url}\nRoom code: {address.room_code}\n"
        f"Link for a QR code: {address.join_url}\nPress Ctrl+C to close it.",
        file=out,
        flush=True,
    )
    if args.https:
        print(
            "Phones will warn that the certificate is not vouched for. Its fingerprint "
            f"(SHA-256) is {tls.fingerprint(store.data_dir, host)}",
            file=out,
            flush=True,
        )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        station.stop()
    from amie_desktop.domain.text import counted

    sent = counted(station.sent, "reflection", "reflections")
    print(f"The phone station is closed; {sent} sent from phones.", file=out)
    return 0


def _demo(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import demo

    result = demo.add_demo(store)
    if result.created:
        print(
            f"Added {result.workshops} demo workshops, {result.people} people and "
            f"{result.reflections} reflections. The demo facilitator PIN is {demo.DEMO_PIN}.",
            file=out,
        )
        return 0
    if args.if_empty:
        return 0
    print(
        "This database already has workshops, so no demo data was added. "
        "Use an empty data folder (--data-dir) to try the demo.",
        file=sys.stderr,
    )
    return 1


def _workshops(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import workshops

    rows = workshops.list_workshops(store)
    if args.json:
        json.dump([row.as_json() for row in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    if not rows:
        print("No workshops yet.", file=out)
        return 0
    for row in rows:
        print(
            f"{row.id:>5}  {row.date.isoformat()}  {row.booked:>3} booked  "
            f"{row.attended:>3} attended  {row.status.value:<8} {row.title}  [{row.uuid}]",
            file=out,
        )
    return 0


def _backup(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import backups

    if args.out is not None:
        written = backups.backup_to_file(store, args.out)
        print(f"Backup written and checked: {written}", file=out)
        return 0
    result = backups.make_backup(store, "manual")
    print(f"Backup written and checked: {result.backup.path}", file=out)
    if result.second_copy is not None:
        print(f"Second copy: {result.second_copy}", file=out)
    if result.second_copy_problem:
        print(result.second_copy_problem, file=sys.stderr)
    return 0


def _restore(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import backups

    result = backups.restore(store, args.file)
    check = result.check
    print(
        f"Restored {check.path.name}: {counted(check.workshops, 'workshop', 'workshops')}, "
        f"{counted(check.people, 'person', 'people')}. "
        f"The database before the restore was kept as {result.safety_backup.path}",
        file=out,
    )
    return 0


def _erase_person(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import privacy

    person = privacy.find_person(store, args.person)
    print(f"This erases {person.describe()}.", file=out)
    if not args.yes:
        if not sys.stdin.isatty():
            print(
                "amie-desktop: nothing was erased. Run again with --yes to erase without being "
                "asked (there is no terminal here to ask on).",
                file=sys.stderr,
            )
            return 1
        answer = input("Erase this person for good? Type yes to go on: ")
        if answer.strip().casefold() != "yes":
            print("Nothing was erased.", file=out)
            return 1
    report = privacy.erase_person(store, str(person.id), actor="command line")
    print(report.message(), file=out)
    return 0


def _register_import(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import register_import, workshops

    workshop_id = workshops.resolve_id(store, args.workshop)
    plan = register_import.import_file(
        store, workshop_id, args.file, dry_run=args.dry_run, encoding=args.encoding
    )
    if args.json:
        json.dump(plan.as_json(), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    print(plan.summary(), file=out)
    how = "Read as" if args.encoding else "Encoding detected:"
    print(f"{how} {plan.encoding}, {plan.delimiter} separated.", file=out)
    for row in plan.rows:
        if row.outcome is not register_import.Outcome.NEW_PERSON or row.garbled:
            print(f"  line {row.line}: {row.name}: {row.describe()}", file=out)
    for reject in plan.rejects:
        print(f"  line {reject.line} rejected: {reject.reason}", file=out)
    return 0


def _register_attended(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import register, workshops

    if not args.people and not args.all:
        print(
            "amie-desktop register attended: name the people (id, uuid or email), or give --all.",
            file=sys.stderr,
        )
        return 2
    workshop_id = workshops.resolve_id(store, args.workshop)
    report = register.mark_attended(store, workshop_id, args.people, everyone_booked=args.all)
    if args.json:
        json.dump(report.as_json(), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        print(report.summary(), file=out)
        for row in report.marked:
            print(f"  marked: {row.name}" + (f" <{row.email}>" if row.email else ""), file=out)
        for missing in report.not_found:
            print(f"  not found: {missing.key}: {missing.reason}", file=out)
    return 1 if report.not_found else 0


def _export_certificates(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import badges, exports

    if args.badges is not None:
        made = badges.export_badges(store, args.workshop, args.badges)
        print(f"Exported {made.count} signed Open Badges to {args.badges}.", file=out)
        if args.out is None and args.merged is None:
            return 0
    result = exports.export_certificates(
        store,
        args.workshop,
        out_dir=args.out,
        merged=args.merged,
        with_action_plans=args.action_plans,
    )
    if args.json:
        print(json.dumps({
            "count": result.count, "new": result.new, "reissued": result.reissued,
            "files": [str(f) for f in result.files],
            "merged": str(result.merged) if result.merged else None,
            "left_out": [person.as_json() for person in result.left_out],
            "superseded": [str(path) for path in result.superseded],
        }, ensure_ascii=False), file=out)  # fmt: skip
    else:
        print(
            f"Exported {counted(result.count, 'certificate', 'certificates')} to {args.out}"
            + (f" and {result.merged}" if result.merged else "")
            + f" ({result.new} new, {result.reissued} reissued).",
            file=out,
        )
        for path in result.superseded:
            print(f"Removed {path.name}: its certificate was reissued under a new name.", file=out)
    if result.left_out:
        # The rest are made; the people left out are named, and the exit status says so.
        print(f"amie-desktop: {exports.left_out_sentence(result.left_out)}", file=sys.stderr)
        return 1
    return 0


def _export_csv(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import exports

    result = exports.export_csv(store, args.workshop, args.out)
    people = "person" if result.rows == 1 else "people"
    print(f"Exported the register ({result.rows} {people}) to {result.path}.", file=out)
    return 0


def _export_kind_missing(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    print("amie-desktop export: say what to export (see --help).", file=sys.stderr)
    return 2


def _export_summary(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import exports

    result = exports.export_summary(store, args.workshop, args.out, include_notes=args.group_notes)
    print(
        f"Exported the session summary ({result.attended} attended, {result.quotes} quotes) "
        f"to {result.path}.",
        file=out,
    )
    return 0


def _export_runsheet(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.domain.text import counted
    from amie_desktop.services.exports.runsheet import export_runsheet

    steps = export_runsheet(store, args.workshop, args.out)
    print(f"Exported the run sheet ({counted(steps, 'step', 'steps')}) to {args.out}.", file=out)
    return 0


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-25") from None


def _export_programme_csv(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import exports

    result = exports.export_programme_csv(store, args.start, args.end, args.out)
    print(
        f"Exported the programme table ({result.workshops} workshops) to {result.path}.",
        file=out,
    )
    return 0


def _export_programme(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    from amie_desktop.services import exports

    result = exports.export_programme(store, args.start, args.end, args.out)
    print(
        f"Exported the programme report ({result.workshops} workshops, "
        f"{result.people_reached} people reached) to {result.path}.",
        file=out,
    )
    return 0
