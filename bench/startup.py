"""Start-up time: a new process to a usable workshop list on demo data, against a bare PySide6
window.

Target (docs/architecture.md, "Measuring speed"): at most 3x the bare window. Each is started
fresh several times; the median (and best) wall time from spawning the process to the window
being shown and painted, with the workshop list's rows on screen, is printed.

The app's modules are byte-compiled first, as installing the wheel or the frozen bundle does:
a checkout run with PYTHONDONTWRITEBYTECODE set would otherwise compile every module from
source on every start, which no installed copy does.
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
# ui.application.run_window), stopping before the event loop runs.
APP = """
import sys
from amie_desktop.app import build_parser
from amie_desktop.logs import set_up_logging
args = build_parser().parse_args(["--data-dir", sys.argv[1]])
from amie_desktop.store import open_store
from amie_desktop.ui.application import build_main_window, make_application
data = args.data_dir
set_up_logging(data)
app = make_application(sys.argv[:1])
store = open_store(data)
window = build_main_window(store)
window.show()
app.processEvents()
# Usable: the workshop list on screen with its rows, however the window chose to build it.
page = window.workshops_page
while not (page.table.isVisible() and page.model.rowCount()):
    app.processEvents()
window.grab()
"""


def timed(code: str, *args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=env)
    return time.perf_counter() - start


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
        bare = [timed(BARE) for _ in range(runs)]
        app = [timed(APP, folder) for _ in range(runs)]
    bare_median, app_median = statistics.median(bare), statistics.median(app)
    ratio = app_median / bare_median
    print(
        f"bare PySide6 window shown:        {bare_median * 1000:7.0f} ms (median of {runs}), "
        f"best {min(bare) * 1000:.0f} ms"
    )
    print(
        f"workshop list on demo data shown: {app_median * 1000:7.0f} ms (median of {runs}), "
        f"best {min(app) * 1000:.0f} ms"
    )
    print(f"ratio: {ratio:.2f}x (target at most 3.00x) -> {'met' if ratio <= 3.0 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
