"""Start-up time: a new process to a usable workshop list on demo data, against a bare PySide6
window.

Target (docs/architecture.md, "Measuring speed"): at most 3x the bare window. Each is started
fresh several times; the median (and best) wall time from spawning the process to the window
being shown and painted, with the workshop list's rows on screen, is printed.

The app's modules are byte-compiled first, as installing the wheel or the frozen bundle does:
a checkout run with PYTHONDONTWRITEBYTECODE set would otherwise compile every module from
source on every start, which no installed copy does.
The two are started in turn, so a change in the machine's load falls on both alike; the CPU
time each process used is printed too, a figure other work on the machine barely changes.
Run: .venv/bin/python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
window.resize(1100, 720)
window.show()
app.processEvents()
window.grab()
import time
print("shown", time.monotonic(), time.process_time())
"""

# The steps of `amie-desktop --data-dir DIR` up to the shown window (app.main, then
# ui.application.run_window: the first look at the database and the window drawn from it),
# stopping before the event loop runs; then, separately timed, opening the store behind it.
APP = """
import sys, time
from amie_desktop.app import _first_look, _open, build_parser
from amie_desktop.logs import set_up_logging
args = build_parser().parse_args(["--data-dir", sys.argv[1]])
from amie_desktop.store.late import LateStore
from amie_desktop.ui.application import finish_opening, make_application, show_first_look
data = args.data_dir
set_up_logging(data)
app = make_application(sys.argv[:1])
look = _first_look(args, data)
assert look is not None, "the first look was not taken"
late = LateStore(lambda: _open(args))
window = show_first_look(late, look)
app.processEvents()
# Usable: the workshop list on screen with its rows, however the window chose to build it.
page = window.workshops_page
while not (page.table.isVisible() and page.model.rowCount()):
    app.processEvents()
window.grab()
print("shown", time.monotonic(), time.process_time())
finish_opening(window, late)  # what the event loop's first turn does in the app
app.processEvents()
window.grab()
print("opened", time.monotonic(), time.process_time())
late.opened.close()
"""


@dataclass
class Run:
    """One start: seconds from spawning the process to each mark it printed (wall, and the
    process's CPU time by then), and to its end."""

    marks: dict[str, tuple[float, float]]
    total: float


def timed(code: str, *args: str) -> Run:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    start = time.monotonic()  # the clock the child reads too (one per machine on Linux)
    done = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, env=env, capture_output=True, text=True
    )
    total = time.monotonic() - start
    marks = {}
    for line in done.stdout.splitlines():
        name, wall, cpu = line.split()
        marks[name] = (float(wall) - start, float(cpu))
    return Run(marks, total)


def _line(what: str, figures: list[tuple[float, float]]) -> str:
    wall = [w * 1000 for w, _ in figures]
    cpu = statistics.median(c * 1000 for _, c in figures)
    return (
        f"{what:<36}{statistics.median(wall):6.0f} ms (median of {len(wall)}; best "
        f"{min(wall):.0f} ms; CPU {cpu:.0f} ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        subprocess.run(
            [sys.executable, "-m", "amie_desktop", "--data-dir", folder, "demo"],
            check=True, capture_output=True,
        )  # fmt: skip
        (data / "window.ini").write_text("[tour]\nseen=true\n")
        package = Path(__file__).resolve().parent.parent / "amie_desktop"
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
        timed(BARE), timed(APP, folder)  # warm the disk cache
        bare: list[Run] = []
        app: list[Run] = []
        for _ in range(runs):
            bare.append(timed(BARE))
            app.append(timed(APP, folder))
    bare_shown = [run.marks["shown"] for run in bare]
    app_shown = [run.marks["shown"] for run in app]
    app_opened = [run.marks["opened"] for run in app]
    ratio = statistics.median(w for w, _ in app_shown) / statistics.median(w for w, _ in bare_shown)
    cpu_ratio = statistics.median(c for _, c in app_shown) / statistics.median(
        c for _, c in bare_shown
    )
    print(_line("bare PySide6 window shown:", bare_shown))
    print(_line("workshop list on demo data shown:", app_shown))
    print(f"ratio: {ratio:.2f}x (target at most 3.00x) -> {'met' if ratio <= 3.0 else 'NOT met'}")
    print(f"CPU time ratio: {cpu_ratio:.2f}x")
    print(_line("then the store open behind it:", app_opened))
    return 0


if __name__ == "__main__":
    sys.exit(main())
