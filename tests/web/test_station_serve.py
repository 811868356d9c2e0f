"""`amie-desktop station serve`: the same server with no window, closed cleanly by Ctrl+C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from amie_desktop.store import Store
from tests.web.phone_client import Phone


def serve(data_dir: Path, workshop_id: int, *options: str) -> list[str]:
    """The command line of `station serve`, run as its own process."""
    return [
        sys.executable, "-m", "amie_desktop", "--data-dir", str(data_dir),
        "station", "serve", str(workshop_id), *options,
    ]  # fmt: skip


def test_serve_prints_the_address_and_code_and_closes_on_ctrl_c(
    room: tuple[Store, int], data_dir: Path
) -> None:
    _store, workshop_id = room
    process = subprocess.Popen(
        serve(data_dir, workshop_id, "--phase", "after"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        address = lines[1].removeprefix("Address: ").strip()
        code = lines[2].removeprefix("Room code: ").strip()
        assert address.startswith("http://127.0.0.1:"), lines
        assert len(code) == 6
        assert lines[3].strip() == f"Link for a QR code: {address}j/{code}"
        page = Phone(address).join(code)
        assert page.path == "/name"
        process.send_signal(signal.SIGINT)
        rest, errors = process.communicate(timeout=60)  # a busy machine is slow to close
    finally:
        process.kill()
    assert process.returncode == 0, errors
    assert "Traceback" not in errors
    assert "The phone station is closed; 0 reflections sent from phones." in rest


def test_serve_refuses_an_address_that_listens_everywhere(
    room: tuple[Store, int], data_dir: Path
) -> None:
    _store, workshop_id = room
    done = subprocess.run(
        serve(data_dir, workshop_id, "--phase", "before", "--host", "0.0.0.0"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "not 0.0.0.0" in done.stderr
