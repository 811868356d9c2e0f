"""Checking whatever someone holds: a certificate PDF, a QR code's text, a credential or badge
file, or a printed code; with the organisation's public key file, on any computer."""

from __future__ import annotations

from pathlib import Path

from amie_desktop.reports.certificate import attached_credentials
from amie_desktop.services import badges, certificates, keys, signing
from amie_desktop.services.errors import UserError
from amie_desktop.services.signing import Verification
from amie_desktop.store import Store


def _texts_in(path: Path) -> list[str]:
    """The signed statements a file carries: a PDF's attachments, or the file's own text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"The file {path} cannot be read ({exc.strerror}).") from None
    if not data.startswith(b"%PDF"):
        try:
            return [data.decode("utf-8-sig")]
        except UnicodeDecodeError:
            raise UserError(
                f"{path.name} is neither a certificate PDF nor a certificate or badge file."
            ) from None
    texts = attached_credentials(data)
    if texts is None:
        raise UserError(f"{path.name} is not a PDF that can be read.")
    if not texts:
        raise UserError(
            f"{path.name} carries no signed certificate (it may be older than signed "
            "certificates). Check the code printed on it instead."
        )
    return texts


def _is_file(given: str) -> bool:
    """True when given names a file (a QR code's text is long, and may look like a path)."""
    try:
        return not given.upper().startswith(signing.QR_PREFIX) and Path(given).is_file()
    except (OSError, ValueError):  # too long a name, or a NUL: not a file
        return False


def verify_anything(
    store: Store | None, given: str, keyring: signing.Keyring | None = None
) -> list[Verification]:
    """Check what someone has: a PDF or credential file, a QR code's text, or a printed code.

    With keyring (from the organisation's public key file) no database is needed, except for a
    code typed by hand, which only the organisation's records can look up.
    """
    path = Path(given)
    texts = _texts_in(path) if _is_file(given) else [given]
    signed_forms = [t for t in texts if certificates.is_signed(t)]
    if not signed_forms:
        if store is None:
            raise UserError(
                "A check code typed by hand can be checked only on the organisation's own "
                "laptops. Scan the certificate's QR code, or give its PDF file, instead."
            )
        return [certificates.verify(store, text) for text in texts]
    if keyring is None:
        if store is None:
            raise UserError(
                "This computer does not know the organisation's key. Give the organisation's "
                "public key file with --public-key FILE."
            )
        keyring = keys.local_keyring(store)
    return [_check(text, keyring) for text in signed_forms]


def _check(text: str, keyring: signing.Keyring) -> Verification:
    badge = badges.read_badge(text)
    if badge is not None:
        return badges.check_badge(badge, keyring)
    return signing.check(signing.read_signed(text, keyring), keyring)
