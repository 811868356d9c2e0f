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
import resource
import statistics
import subprocess
import sys
import tempfile
import time
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
"""

# The steps of `amie-desktop --data-dir DIR` up to the shown window (app.main, then
# ui.application.run_window, whose show_window also checks for a station left open),
# stopping before the event loop runs.
APP = """
import sys
from amie_desktop.app import build_parser
from amie_desktop.logs import set_up_logging
args = build_parser().parse_args(["--data-dir", sys.argv[1]])
from amie_desktop.store import open_store
from amie_desktop.ui.application import make_application, show_window
data = args.data_dir
set_up_logging(data)
app = make_application(sys.argv[:1])
store = open_store(data)
window = show_window(store)
app.processEvents()
# Usable: the workshop list on screen with its rows, however the window chose to build it.
page = window.workshops_page
while not (page.table.isVisible() and page.model.rowCount()):
    app.processEvents()
window.grab()
"""


def timed(code: str, *args: str) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of a new process running code, in seconds."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def _line(what: str, figures: list[tuple[float, float]]) -> str:
    wall = [w * 1000 for w, _ in figures]
    cpu = statistics.median(c * 1000 for _, c in figures)
    return (
        f"{what:<34}{statistics.median(wall):6.0f} ms (median of {len(wall)}; best "
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
        bare: list[tuple[float, float]] = []
        app: list[tuple[float, float]] = []
        for _ in range(runs):
            bare.append(timed(BARE))
            app.append(timed(APP, folder))
    ratio = statistics.median(w for w, _ in app) / statistics.median(w for w, _ in bare)
    cpu_ratio = statistics.median(c for _, c in app) / statistics.median(c for _, c in bare)
    print(_line("bare PySide6 window shown:", bare))
    print(_line("workshop list on demo data shown:", app))
    print(f"ratio: {ratio:.2f}x (target at most 3.00x) -> {'met' if ratio <= 3.0 else 'NOT met'}")
    print(f"CPU time ratio: {cpu_ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
