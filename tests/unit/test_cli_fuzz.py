"""Bad command lines and files, many of them: the command line never shows a traceback, and
every exit status is 0, 1 or 2 (run in-process, a few as real processes)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from amie_desktop.app import main

ODD_IDS = [
    "", " ", "0", "-1", "+1", "1.5", "1e3", "0x1", "١٢", "１", "٣", "²", "Ⅻ",
    "99999999999999999999999999", "9" * 400, "%", "_", "%@%", "' OR 1=1 --", "💥", "a" * 5000,
    "00000000-0000-0000-0000-000000000000", "\t1\n", "1\x00", "\udcff\udcfe",
]  # fmt: skip
BAD_DATES = ["2026-13-01", "2026-02-30", "yesterday", "", "٢٠٢٦-٠١-٠١", "2026/01/01", "1-1-1"]
BAD_URLS = [
    "", "not a url", "://", "sqlite://", "sqlite:///", "postgresql://u:pw@127.0.0.1:9/x",
    "mysql://root:pw@127.0.0.1:9/x", "nosuch://x", "sqlite:////proc/amie.sqlite3",
    "postgresql+psycopg2://u:pw@[::1/x", "sqlite:///\udcff.sqlite3",
]  # fmt: skip

USAGE_ERRORS = [
    ["frobnicate"], ["export"], ["export", "pdf"], ["register"], ["--data-dir"],
    ["workshops", "--json", "extra"], ["erase-person"], ["backup", "--out"],
    ["export", "csv", "1"], ["station", "serve", "1", "--phase", "during"],
]  # fmt: skip


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A data folder with demo data, and a drawer of bad files."""
    root = tmp_path_factory.mktemp("fuzz")
    data = root / "data"
    assert main(["--data-dir", str(data), "demo"]) == 0
    made = {"data": data, "root": root}
    made["missing"] = root / "missing.csv"
    made["folder"] = root / "a-folder"
    made["folder"].mkdir()
    made["empty"] = root / "empty.csv"
    made["empty"].write_bytes(b"")
    made["binary"] = root / "binary.csv"
    made["binary"].write_bytes(bytes(range(256)) * 64)
    made["huge"] = root / "huge.csv"
    with open(made["huge"], "wb") as handle:
        handle.write(b"name,email\n")
        handle.write((b"A" * 1000 + b",\xff\xfe\n") * 3_000)  # 3 MB, no valid row
    made["text"] = root / "notes.sqlite3"
    made["text"].write_text("not a database\n" * 100)
    made["loop"] = root / "loop"
    os.symlink(root / "loop", made["loop"])
    made["fifo"] = root / "fifo.csv"
    os.mkfifo(made["fifo"])
    made["non_utf8"] = Path(os.fsdecode(bytes(root / "caf") + b"\xe9.csv"))
    made["non_utf8"].write_bytes(b"name,email\nAnn,ann@x.example\n")
    made["long"] = root / ("n" * 300 + ".csv")
    return made


def _bad_lines(f: dict[str, Path]) -> Iterator[list[str]]:
    loop, folder, missing = str(f["loop"]), str(f["folder"]), str(f["missing"])
    out = str(f["root"] / "out.pdf")
    for odd in ODD_IDS:
        yield ["export", "csv", odd, "--out", str(f["root"] / "x.csv")]
        yield ["export", "summary", odd, "--out", out]
        yield ["register", "attended", odd, "1"]
        yield ["erase-person", odd, "--yes"]
        yield ["verify", odd]
    for odd in ODD_IDS[:12]:
        yield ["export", "certificates", odd, "--out", str(f["root"])]
        yield ["station", "serve", odd, "--phase", "after"]
        yield ["certificates", "revoke", odd, "--reason", "test"]
    for bad in BAD_DATES:
        yield ["export", "programme", "--from", bad, "--to", "2026-12-31", "--out", out]
        yield ["export", "programme", "--from", "2026-01-01", "--to", bad, "--out", out]
    yield ["export", "programme", "--from", "2026-12-31", "--to", "2026-01-01", "--out", out]
    for name in ("missing", "folder", "empty", "binary", "huge", "loop", "non_utf8", "long"):
        yield ["register", "import", "1", str(f[name]), "--dry-run"]
        yield ["restore", str(f[name])]
        yield ["verify", str(f[name])]
    yield ["restore", str(f["text"])]
    yield ["restore", str(f["fifo"])]
    for target in (loop, f"{loop}/x.pdf", folder, f"{missing}/x.pdf", str(f["text"]) + "/x.pdf",
                   str(f["root"] / ("n" * 300 + ".pdf")), "/proc/x.pdf", ""):  # fmt: skip
        yield ["export", "summary", "1", "--out", target]
        yield ["export", "csv", "1", "--out", target]
        yield ["backup", "--out", target]
    yield ["export", "certificates", "1", "--out", str(f["text"])]
    yield ["export", "certificates", "1", "--out", loop]
    yield ["org", "public-key", "--out", loop]
    yield ["org", "public-key", "--out", folder + "/nope/key.json"]
    yield ["verify", "x", "--public-key", loop]
    yield ["verify", "x", "--public-key", str(f["binary"])]
    yield from USAGE_ERRORS


def _run(argv: list[str], data: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(argv if argv[:1] == ["--data-dir"] else ["--data-dir", str(data), *argv])
    except SystemExit as stop:  # argparse's usage errors
        code = stop.code if isinstance(stop.code, int) else 2
    captured = capsys.readouterr()
    return code, captured.err


def test_bad_command_lines_and_files_never_end_in_a_traceback(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    monkeypatch.chdir(files["root"])  # relative names (an empty --out, say) land in here

    # pytest's capture reads back what was printed as strict UTF-8, so here file names that
    # are not UTF-8 print escaped; the real processes below print them as their own bytes.
    def escaped() -> None:
        for stream in (sys.stdout, sys.stderr):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]

    monkeypatch.setattr("amie_desktop.app._prepare_streams", escaped)
    lines = list(_bad_lines(files))
    lines += [["--database-url", url, "workshops"] for url in BAD_URLS]
    lines += [["--data-dir", str(files[name]), "workshops"] for name in ("loop", "text", "long")]
    lines += [["--data-dir", os.fsdecode(bytes(files["root"]) + b"/d\xe9"), "workshops"]]
    assert len(lines) >= 100
    problems = []
    for argv in lines:
        code, err = _run(argv, files["data"], capsys)
        if code not in (0, 1, 2) or "Traceback" in err or "went wrong" in err:
            problems.append((argv[:6], code, err[-300:]))
    assert problems == []
    # And nothing was erased or replaced on the way.
    code, _err = _run(["workshops"], files["data"], capsys)
    assert code == 0


@pytest.mark.parametrize(
    "argv",
    [
        [b"register", b"import", b"1", b"FIFO", b"--dry-run"],
        [b"export", b"csv", b"1", b"--out", b"ROOT/caf\xe9.csv"],
        [b"erase-person", b"\xff\xfe@x.example", b"--yes"],
        [b"--data-dir", b"ROOT/d\xe9\xff", b"workshops", b"--json"],
    ],
)
def test_real_processes_with_raw_bytes_and_a_fifo(
    files: dict[str, Path], argv: list[bytes]
) -> None:
    root = os.fsencode(files["root"])
    fifo = os.fsencode(files["fifo"])
    args = [a.replace(b"ROOT", root).replace(b"FIFO", fifo) for a in argv]
    if args[0] != b"--data-dir":
        args = [b"--data-dir", os.fsencode(files["data"]), *args]
    result = subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"amie_desktop", *args],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
        cwd=files["root"],
    )
    assert result.returncode in (0, 1, 2)
    assert b"Traceback" not in result.stderr and b"went wrong" not in result.stderr
