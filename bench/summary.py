"""Time the session summary PDF for a workshop of 300 attendees who all reflected.

Run: .venv/bin/python bench/summary.py [ATTENDEES]     Target: under 2 s.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from amie_desktop.domain.content import builtin_template
from amie_desktop.domain.text import fold
from amie_desktop.domain.values import AttendanceStatus, Phase, ReflectionState
from amie_desktop.services import demo, exports, organisation, workshops
from amie_desktop.store import open_store
from amie_desktop.store.models import Answer, Attendance, Person, Reflection, Workshop


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "data")
        organisation.set_up(store, "Northfield Music Hub", "2468", "2468")
        workshop_id = workshops.create_from_template(
            store, builtin_template("introduction-to-heard"), on=date(2026, 11, 25),
            start=clock(9, 30), facilitators=("Ruth Adebayo", "Tom Ellison"),
        )  # fmt: skip
        start = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
        with store.write() as session:
            workshop = session.get(Workshop, workshop_id)
            assert workshop is not None
            for step in workshop.steps:
                step.started_at, step.ended_at = start, start + timedelta(minutes=step.minutes)
                start = step.ended_at
            for n in range(count):
                name = f"{demo.PEOPLE[n % len(demo.PEOPLE)][0]} {n}"
                attendance = Attendance(
                    workshop=workshop,
                    person=Person(name=name, name_folded=fold(name)),
                    status=AttendanceStatus.ATTENDED,
                    consent_quote=rng.random() < 0.6,
                )
                before = {c: rng.randint(1, 4) for c in "HEARD"}
                for phase in Phase:
                    answers = [
                        Answer(question_key=f"rating.{c}", rating=v + (phase is Phase.AFTER))
                        for c, v in before.items()
                    ]
                    if phase is Phase.AFTER:
                        focus = rng.choice("HEARD")
                        answers += [
                            Answer(
                                question_key="do_differently",
                                text=rng.choice(demo.COMMITMENTS[focus]),
                            ),
                            Answer(question_key="focus_principle", text=focus),
                            Answer(question_key="barriers", text=rng.choice(demo.BARRIERS)),
                            Answer(question_key="usefulness", rating=rng.randint(3, 5)),
                        ]
                    attendance.reflections.append(
                        Reflection(phase=phase, state=ReflectionState.SUBMITTED, answers=answers)
                    )
                session.add(attendance)
        out = Path(folder) / "summary.pdf"
        exports.export_summary(store, workshop_id, out)  # warm: fonts loaded once per process
        started = time.perf_counter()
        result = exports.export_summary(store, workshop_id, out, include_notes=True)
        took = time.perf_counter() - started
        size = out.stat().st_size
        store.close()
    print(f"session summary, {result.attended} attendees, {result.quotes} quotes "
          f"({size / 1e3:.0f} kB): {took:.2f} s   target < 2 s")  # fmt: skip


if __name__ == "__main__":
    main()
