"""Where the data folder lives: network drives and cloud-sync folders damage SQLite files."""

from __future__ import annotations

import os
import sys
from pathlib import Path, PurePath

DATABASE_FILE = "amie.sqlite3"
# Beside the database: an erasure's clean-up still to do (store/database.py), and the note
# kept while a reflection station is open (services/reflections.py).
CLEANUP_DUE = ".cleanup-due"
STATION_NOTE = "station-open.json"

# Folder names the sync clients create (Windows, macOS, Linux).
CLOUD_FOLDERS = {
    "onedrive": "OneDrive",
    "dropbox": "Dropbox",
    "icloud drive": "iCloud Drive",
    "icloud": "iCloud Drive",
    "iclouddrive": "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "com~apple~clouddocs": "iCloud Drive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "pcloud drive": "pCloud",
    "nextcloud": "Nextcloud",
}
NETWORK_FILE_SYSTEMS = {
    "nfs", "nfs4", "cifs", "smb", "smbfs", "smb2", "smb3", "9p", "afpfs", "webdav", "davfs",
    "fuse.sshfs", "sshfs", "fuse.rclone", "ceph", "glusterfs", "fuse.glusterfs", "lustre",
    "fuse.gvfsd-fuse", "fuse.s3fs",
}  # fmt: skip
DRIVE_REMOTE = 4  # Windows GetDriveType


def cloud_service(path: PurePath) -> str | None:
    """The cloud-sync service whose folder holds path, judged by folder names, or None."""
    for part in path.parts:
        name = part.casefold()
        if name in CLOUD_FOLDERS:
            return CLOUD_FOLDERS[name]
        for prefix in ("onedrive - ", "onedrive-", "dropbox (", "googledrive-"):
            if name.startswith(prefix):
                return CLOUD_FOLDERS[prefix.rstrip(" -(")]
    return None


def network_file_system(path: Path, mounts: str) -> str | None:
    """The network file system type holding path, from /proc/mounts-style text, or None."""
    best, kind = "", ""
    target = str(path)
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind if kind in NETWORK_FILE_SYSTEMS else None


def _windows_network_drive(path: Path) -> bool:
    text = str(path)
    if text.startswith("\\\\"):
        return True
    if sys.platform != "win32" or len(text) < 2 or text[1] != ":":
        return False
    import ctypes

    kind = ctypes.windll.kernel32.GetDriveTypeW(f"{text[:2]}\\")
    return bool(kind == DRIVE_REMOTE)


def _mounts_text() -> str:
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def folder_warning(folder: Path, mounts: str | None = None) -> str | None:
    """A plain warning when the data folder is in a cloud-sync folder or on a network drive."""
    resolved = Path(os.path.abspath(folder))
    with_links = resolved.resolve()
    service = cloud_service(resolved) or cloud_service(with_links)
    if service:
        return (
            f"The data folder is inside {service}. Sync services copy the database while it is "
            "being written, which can damage it or lose recent work. Move the data folder to "
            "a folder on this computer that is not synced, and use a second backup folder "
            "for copies instead."
        )
    if mounts is None and sys.platform.startswith("linux"):
        mounts = _mounts_text()
    on_network = _windows_network_drive(resolved) or (
        mounts is not None and network_file_system(with_links, mounts) is not None
    )
    if on_network:
        return (
            "The data folder is on a network drive. The database can be damaged there if the "
            "connection drops while it is being written. Move the data folder to this "
            "computer's own disk, and use a second backup folder for copies instead."
        )
    return None


def default_data_dir() -> Path:
    """The data folder when none is named: $AMIE_DATA_DIR, else the platform's app-data folder."""
    override = os.environ.get("AMIE_DATA_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("AMIE Workshop Companion", "AMIE", roaming=True))
