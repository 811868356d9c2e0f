"""Atomic writes: a failure part-way leaves the previous file exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from amie_desktop.store.files import atomic_write, atomic_write_bytes


def test_atomic_write_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_bytes(b"old")
    atomic_write_bytes(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_bytes(b"the export from last week")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write(b"half of a new")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"the export from last week"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]
