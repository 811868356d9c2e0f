"""Forty phones joining and sending at once: every reflection saved once, and how fast.

Run: .venv/bin/python bench/phone_station.py [PHONES] [--think SECONDS]
Targets: every reflection saved exactly once; 95th percentile response under 200 ms; the
window's thread never held up for more than 50 ms meanwhile.

All phones start together. Between pages each waits a random time up to --think seconds
(default 2: a hurried reader, far quicker than anyone reading a question); --think 0 sends
every request back to back, a stress figure rather than a room.

The laptop's side runs as the app does: a Qt event loop (offscreen) with the phone station on
its own thread. The phones are another process (as real phones are other devices) with one
asyncio client each, all started together, talking to 127.0.0.1 only, each sending a bounded
number of requests.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from datetime import time as clock_time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CHOICE = re.compile(r'name="choice" value="(\d+)" class="choice">([^<]+)<')
PIN = "2468"


# ----- the phones (a separate process)


async def _phone(
    base: str,
    code: str,
    name: str,
    number: int,
    answers: list[str],
    timings: list[float],
    think: float,
) -> None:
    import random

    import aiohttp

    pace = random.Random(number)

    async def send(method: str, path: str, data: dict[str, str] | None = None) -> str:
        if think:
            await asyncio.sleep(pace.uniform(think / 4, think))
        started = time.perf_counter()
        async with session.request(method, base + path, data=data) as response:
            text = await response.text()
            if response.status >= 400:
                raise RuntimeError(f"{path}: {response.status}")
        timings.append(time.perf_counter() - started)
        return text

    jar = aiohttp.CookieJar(unsafe=True)  # cookies for an IP address, as a phone keeps them
    timeout = aiohttp.ClientTimeout(total=30)
    # Each phone has an address of its own on the room's network; here, its own loopback one.
    connector = aiohttp.TCPConnector(local_addr=(f"127.0.{number // 250}.{number % 250 + 2}", 0))
    async with aiohttp.ClientSession(
        cookie_jar=jar, timeout=timeout, connector=connector
    ) as session:
        page = await send("GET", f"/j/{code}")
        page = await send("POST", "/name", {"csrf": _csrf(page), "action": "search", "name": name})
        choice = next(value for value, shown in CHOICE.findall(page) if shown == name)
        page = await send(
            "POST", "/name", {"csrf": _csrf(page), "action": "pick", "choice": choice}
        )
        page = await send("POST", "/consent", {"csrf": _csrf(page), "action": "next"})
        for number, value in enumerate(answers, start=1):
            page = await send(
                "POST", f"/q/{number}", {"csrf": _csrf(page), "answer": value, "action": "next"}
            )
        page = await send("POST", "/review", {"csrf": _csrf(page)})
        if "Thank you" not in page:
            raise RuntimeError("no thank-you page")


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    if found is None:
        raise RuntimeError("no form on the page")
    return found.group(1)


async def _all_phones(
    base: str, code: str, names: list[str], answers: list[str], think: float
) -> dict:
    timings: list[float] = []
    started = time.perf_counter()
    results = await asyncio.gather(
        *(_phone(base, code, name, n, answers, timings, think) for n, name in enumerate(names)),
        return_exceptions=True,
    )
    failures = [str(r) for r in results if isinstance(r, BaseException)]
    return {"timings": timings, "failures": failures, "seconds": time.perf_counter() - started}


def phones_main(base: str, code: str, names_file: str, think: str) -> None:
    names = json.loads(Path(names_file).read_text(encoding="utf-8"))
    answers = ["4", "3", "5", "2", "4", "Share the lead with the group.", "A", "", "5"]
    print(json.dumps(asyncio.run(_all_phones(base, code, names, answers, float(think)))))


# ----- the laptop


def laptop_main(phones: int, think: float) -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication, QLabel
    from sqlalchemy import func, select

    from amie_desktop.domain.content import builtin_templates
    from amie_desktop.domain.values import Phase, ReflectionState
    from amie_desktop.services import organisation, reflections, register, workshops
    from amie_desktop.store import open_store
    from amie_desktop.store.models import Reflection
    from amie_desktop.web.server import PhoneStation

    app = QApplication([])
    window = QLabel("Phone station open")
    window.show()
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "data")
        organisation.set_up(store, "Bench Hub", PIN, PIN)
        workshop = workshops.create_from_template(
            store, builtin_templates()[0], on=date(2026, 12, 6), start=clock_time(10)
        )
        names = [f"Bench Phone {number:03d}" for number in range(phones)]
        for name in names:
            register.add_person(store, workshop, name)
        names_file = Path(folder) / "names.json"
        names_file.write_text(json.dumps(names), encoding="utf-8")
        station = PhoneStation(store, reflections.station_info(store, workshop, Phase.AFTER))
        address = station.start()

        client = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--phones",
                address.url.rstrip("/"),
                address.room_code,
                str(names_file),
                str(think),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        longest_gap = 0.0  # the longest time between two 5 ms beats of the window's thread
        beat = QElapsedTimer()
        beat.start()

        def on_beat() -> None:
            nonlocal longest_gap
            longest_gap = max(longest_gap, beat.restart() / 1000)

        heart = QTimer()
        heart.timeout.connect(on_beat)
        heart.start(5)
        # The window's own event loop runs until every phone has finished.
        watch = QTimer()
        watch.timeout.connect(lambda: client.poll() is not None and app.quit())
        watch.start(50)
        app.exec()
        heart.stop()
        watch.stop()
        result = json.loads(client.stdout.read() if client.stdout else "{}")
        station.stop()
        with store.read() as session:
            sent = session.scalar(
                select(func.count(Reflection.id)).where(
                    Reflection.state == ReflectionState.SUBMITTED
                )
            )
            distinct = session.scalar(
                select(func.count(func.distinct(Reflection.attendance_id))).where(
                    Reflection.state == ReflectionState.SUBMITTED
                )
            )
        store.close()
    ms = sorted(t * 1000 for t in result["timings"])
    p95 = ms[max(0, round(len(ms) * 0.95) - 1)]
    print(
        f"phones: {phones} (up to {think:g} s between pages), requests: {len(ms)}, "
        f"failures: {len(result['failures'])}"
    )
    for failure in result["failures"][:5]:
        print(f"  failure: {failure}")
    print(f"reflections saved: {sent} (distinct people {distinct}); target: exactly {phones}")
    print(
        f"response: median {statistics.median(ms):.1f} ms, 95th {p95:.1f} ms, max {ms[-1]:.1f} ms;"
        " target: 95th under 200 ms"
    )
    print(f"all phones done in {result['seconds']:.2f} s")
    print(f"window's longest wait: {longest_gap * 1000:.1f} ms; target: under 50 ms")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phones":
        phones_main(*sys.argv[2:6])
    else:
        import argparse

        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        parser.add_argument("phones", nargs="?", type=int, default=40)
        parser.add_argument("--think", type=float, default=2.0)
        options = parser.parse_args()
        laptop_main(options.phones, options.think)
