"""Types into a real station, attendee after attendee, until it is killed (see test_station_crash).

Run as: python -m tests.crash.station_typist DATA_DIR LOG RUN SEED
Each typed letter and each thank-you screen is written to LOG before the next step.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from amie_desktop.services import reflections
from amie_desktop.store import open_store
from amie_desktop.ui.station.kiosk import StationWindow
from amie_desktop.ui.station.questions import PlainTextAnswer

PIN = "1234"
TEXT = "Ask the young people what they listen to at home, then plan the term with them. " * 7
TEXT_KEY = "do_differently"
STEP_MS = 8


def main(data_dir: str, log_path: str, run: int, seed: int) -> int:
    app = QApplication([])
    app.setStyle("Fusion")
    store = open_store(Path(data_dir))
    info = reflections.interrupted_station(store)
    assert info is not None, "the station should come back after a crash"
    station = StationWindow(store, info, locked=True)
    station.resize(1024, 700)
    station.show()
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    rng = random.Random(seed)

    def note(*parts: object) -> None:
        os.write(log, (" ".join(str(p) for p in parts) + "\n").encode())

    def script() -> Iterator[None]:
        assert station.current_screen() is station.pin_screen
        QTest.keyClicks(station.pin, PIN)
        QTest.keyClick(station.pin, Qt.Key.Key_Return)
        assert station.current_screen() is station.flow.welcome
        note("READY", time.time())
        for person in range(1, 1000):
            flow = station.flow
            flow.welcome.not_listed.click()
            QTest.keyClicks(flow.walk_in.name, f"Crash Tester {run} {person}")
            QTest.keyClick(flow.walk_in.name, Qt.Key.Key_Return)
            attendance = flow.attendance_id
            assert attendance is not None
            flow._on_consent_next_pressed()
            index = [q.key for q in info.questions].index(TEXT_KEY)
            flow._show(flow.question(index))
            box = flow.question(index).answer
            assert isinstance(box, PlainTextAnswer)
            for count in range(1, rng.choice((rng.randint(20, 80), rng.randint(300, 480))) + 1):
                QTest.keyClicks(box, TEXT[count - 1])
                note("T", attendance, count, time.time())
                yield
            flow._show(flow.review)
            flow.review.send_button.click()
            if station.current_screen() is station.thanks_screen:
                note("S", attendance, time.time())
            yield
            station.next_person()
            yield

    steps = script()
    timer = QTimer()
    timer.setInterval(STEP_MS)
    timer.timeout.connect(lambda: next(steps, None))
    timer.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
