"""HTTPS for the phone station, for rooms where others on the same Wi-Fi could listen in.

The laptop makes its own certificate (no authority vouches for it, so each phone shows a
warning the first time) and keeps it, with its key, in the data folder, readable by this
user only. Encryption then stops a neighbour on shared Wi-Fi reading answers in transit.
"""

from __future__ import annotations

import hashlib
import ipaddress
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from amie_desktop.store.files import atomic_write_bytes, private_dir

FOLDER = "phone-station-https"
VALID_DAYS = 825  # the longest that phones' browsers accept


def _files(data_dir: Path, host: str) -> tuple[Path, Path]:
    folder = private_dir(data_dir / FOLDER)
    stem = host.replace(":", "_")
    return folder / f"{stem}.pem", folder / f"{stem}.key"


def _still_good(certificate_file: Path, host: str, now: datetime) -> bool:
    try:
        certificate = x509.load_pem_x509_certificate(certificate_file.read_bytes())
    except (OSError, ValueError):
        return False
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return ipaddress.ip_address(host) in names.get_values_for_type(
        x509.IPAddress
    ) and certificate.not_valid_after_utc - now > timedelta(days=1)


def certificate_for(data_dir: Path, host: str, now: datetime | None = None) -> tuple[Path, Path]:
    """The laptop's certificate and key for `host`, made once and kept (so phones see one)."""
    now = now or datetime.now(UTC)
    certificate_file, key_file = _files(data_dir, host)
    if key_file.exists() and _still_good(certificate_file, host, now):
        return certificate_file, key_file
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "AMIE phone station")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=VALID_DAYS))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    atomic_write_bytes(
        key_file,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    key_file.chmod(0o600)
    atomic_write_bytes(certificate_file, certificate.public_bytes(serialization.Encoding.PEM))
    return certificate_file, key_file


def server_context(data_dir: Path, host: str) -> ssl.SSLContext:
    certificate_file, key_file = certificate_for(data_dir, host)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certificate_file, key_file)
    return context


def fingerprint(data_dir: Path, host: str) -> str:
    """The certificate's SHA-256 fingerprint, for the facilitator to compare on a phone."""
    certificate_file, _key = certificate_for(data_dir, host)
    der = x509.load_pem_x509_certificate(certificate_file.read_bytes()).public_bytes(
        serialization.Encoding.DER
    )
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))
