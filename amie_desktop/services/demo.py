"""A realistic demo organisation, so a newcomer sees real workshops, registers and reflections."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from amie_desktop.domain.content import builtin_template, reflection_questions
from amie_desktop.domain.heard import PRINCIPLES
from amie_desktop.domain.text import fold
from amie_desktop.domain.values import AttendanceStatus, Phase, ReflectionState, WorkshopStatus
from amie_desktop.services import audit
from amie_desktop.services.organisation import hash_pin
from amie_desktop.services.workshops import steps_from_template
from amie_desktop.store import Store
from amie_desktop.store.models import (
    Answer,
    Attendance,
    Organisation,
    Person,
    Reflection,
    Workshop,
)

DEMO_PIN = "1234"
DEMO_ORGANISATION = "Northfield Music Education Hub (demo)"

# (name, organisation, role) — names from many languages and scripts, as real registers hold.
PEOPLE: tuple[tuple[str, str, str], ...] = (
    ("Zoë Ó Briain", "Northfield Music Service", "Instrumental teacher"),
    ("Łukasz Wiśniewski", "Riverside Academy", "Head of music"),
    ("Nguyễn Thị Lan", "Eastgate Community Music", "Community musician"),
    ("Siobhán Ní Dhomhnaill", "Northfield Music Service", "Vocal leader"),
    ("Ŵyn Llewelyn", "Valleys Youth Orchestra", "Conductor"),
    ("Jürgen Müller", "Northfield Music Service", "Brass teacher"),
    ("Aoife Murphy", "St Brigid's Primary", "Class teacher"),
    ("Chidi Okafor", "Beatworks CIC", "Music producer"),
    ("Kwame Mensah", "Eastgate Community Music", "Drum tutor"),
    ("Priya Patel", "Hillside SEN School", "Music therapist"),
    ("Fatima Zahra Benali", "Riverside Academy", "Teaching assistant"),
    ("محمد عبد الله", "Al-Noor Youth Centre", "Youth worker"),
    ("فاطمہ خان", "Northfield Music Service", "Tabla tutor"),
    ("প্রিয়াঙ্কা দাস", "Bengali Arts Collective", "Singer and teacher"),
    ("अर्जुन शर्मा", "Northfield Music Service", "Sitar tutor"),
    ("தமிழ்செல்வி இராமன்", "Harbour Arts", "Dance and music leader"),
    ("Δημήτρης Παπαδόπουλος", "Harbour Arts", "Guitar tutor"),
    ("Ольга Иванова", "Riverside Academy", "Piano teacher"),
    ("תמר כהן", "Northfield Music Service", "Early years practitioner"),
    ("王芳", "Northfield Chinese School", "Erhu teacher"),
    ("佐藤 花子", "Harbour Arts", "Taiko leader"),
    ("김민준", "Beatworks CIC", "Sound engineer"),
    ("Oluwaseun Adeyemi", "Hillside SEN School", "Music lead"),
    ("Mary O'Connell", "Valleys Youth Orchestra", "Strings tutor"),
    ("Tomasz Kowalczyk", "Northfield Music Service", "Percussion teacher"),
    ("Ana María Rodríguez", "Eastgate Community Music", "Choir leader"),
    ("Björn Svensson", "Beatworks CIC", "DJ tutor"),
    ("Emma Thompson-Clarke", "Northfield Music Service", "Hub manager"),
    ("Hannah Goldberg", "Hillside SEN School", "Class teacher"),
    ("Declan McAllister", "Riverside Academy", "Music technician"),
    ("Ayşe Yılmaz", "Harbour Arts", "Saz player"),
    ("Rhiannon Price", "Valleys Youth Orchestra", "Flute tutor"),
    ("Samir Haddad", "Al-Noor Youth Centre", "Oud player"),
    ("Grace Achieng", "Eastgate Community Music", "Workshop leader"),
    ("Zuzana Horváthová", "Riverside Academy", "Teaching assistant"),
    ("Daniel Ferreira", "Beatworks CIC", "Rap mentor"),
)

FACILITATORS = ("Ruth Adebayo", "Tom Ellison", "Meera Chaudhry")

# What attendees say they will do differently, by the principle they chose to focus on, so the
# demo summary reads like a real room: varied words, grouped as attendees would group them.
COMMITMENTS = {
    "H": (
        "Track wellbeing and confidence in my evaluations, not only the notes people can play.",
        "Start each session with a check-in so I know how the group is arriving, not just who.",
        "Count a pupil leading a warm-up as progress, and write it in their report.",
        "Ask families what music means at home before setting any targets.",
    ),
    "E": (
        "Check our hub's free places go first to the families facing the most barriers.",
        "Give extra one-to-one time to the two pupils with the most complex needs.",
        "Offer a music technology route for pupils who find a traditional instrument a barrier.",
        "Move the Saturday group to the community centre the bus actually stops at.",
        "Lend instruments for the whole year instead of a six-week taster.",
    ),
    "A": (
        "Plan each term with two young people from the group instead of planning it for them.",
        "Set up a youth panel to choose repertoire for the spring concert.",
        "Ask my students which music they listen to at home and build the next unit around it.",
        "Pay the young co-leaders for their planning time, not only for the session itself.",
    ),
    "R": (
        "Write our next job advert with the community in mind and share it more widely.",
        "Keep a simple note of who is not getting a turn and change the seating so they do.",
        "Invite former participants back as assistant tutors.",
        "Look at who sits on our steering group and who is missing from it.",
    ),
    "D": (
        "Invite a local grime artist and a folk fiddler to lead a session each this year.",
        "Stop calling classical repertoire 'proper music' in front of my classes.",
        "Use visual scores and colour-coded parts so everyone can join in from day one.",
        "Give DJing and production the same place in our showcase as the orchestra.",
    ),
}

BARRIERS = (
    "Time: the timetable is already full and planning time keeps getting cut.",
    "Budget for new instruments and for paying young people for their time.",
    "Some colleagues see this as extra work rather than how we should work anyway.",
    "Exam specifications pull us back towards one narrow kind of music.",
    "Transport: the young people who most need us cannot get to the venue.",
    "Our rooms are up two flights of stairs with no lift.",
    "Funding is agreed a year at a time, so long-term plans with young people are hard.",
    "I am the only music teacher in the school and have nobody to plan with.",
    "Parents expect graded exams, and changing that takes a conversation I have not had yet.",
    "Cover staff do not know the group, so routines fall apart when I am away.",
    "Finding session leaders who reflect our young people, at the rates we can pay.",
)


@dataclass(frozen=True)
class DemoResult:
    workshops: int
    people: int
    reflections: int
    created: bool


def _workshops(today: date) -> list[tuple[str, str, date, str, WorkshopStatus, int]]:
    # (template key, title, date, venue, status, how many booked)
    return [
        ("introduction-to-heard", "Introduction to HEARD", today - timedelta(days=63),
         "Northfield Music Centre, Room 2", WorkshopStatus.DONE, 18),
        ("heard-taster", "HEARD taster for class teachers", today - timedelta(days=35),
         "St Brigid's Primary, hall", WorkshopStatus.DONE, 12),
        ("introduction-to-heard", "Introduction to HEARD: SEN settings", today - timedelta(days=14),
         "Hillside SEN School, library", WorkshopStatus.DONE, 14),
        ("heard-taster", "HEARD taster for community musicians", today,
         "Eastgate Community Hall", WorkshopStatus.PLANNED, 10),
        ("introduction-to-heard", "Introduction to HEARD", today + timedelta(days=21),
         "Harbour Arts, studio 1", WorkshopStatus.PLANNED, 12),
        ("heard-taster", "HEARD taster for hub partners", today + timedelta(days=49),
         "Northfield Music Centre, Room 1", WorkshopStatus.PLANNED, 6),
    ]  # fmt: skip


def _email(name: str, number: int) -> str:
    local = "".join(ch for ch in fold(name) if ch.isascii() and ch.isalnum())
    return f"{local or 'attendee'}{number}@example.org"


def add_demo(store: Store, today: date | None = None, seed: int = 2026) -> DemoResult:
    """Add the demo organisation, workshops, people and reflections; a second call adds none."""
    today = today or date.today()
    rng = random.Random(seed)
    questions = reflection_questions()
    with store.write() as session:
        if session.scalar(select(func.count(Workshop.id))):
            return DemoResult(0, 0, 0, created=False)
        if session.scalars(select(Organisation).limit(1)).first() is None:
            session.add(
                Organisation(
                    name=DEMO_ORGANISATION,
                    pin_hash=hash_pin(DEMO_PIN),
                    certificate_secret=secrets.token_bytes(32),
                    # Nobody named to sign: each workshop's facilitators sign its certificates.
                    certificate_wording=(
                        "has taken part in continuing professional development on musically "
                        "inclusive practice, built on the five HEARD principles."
                    ),
                )
            )
        people = [
            Person(
                name=name,
                name_folded=fold(name),
                email=_email(name, number),
                organisation=org,
                role=role,
            )
            for number, (name, org, role) in enumerate(PEOPLE, start=1)
        ]
        session.add_all(people)
        reflections = 0
        plans = _workshops(today)
        for number, (key, title, on, venue, status, booked) in enumerate(plans):
            template = builtin_template(key)
            workshop = Workshop(
                title=title,
                date=on,
                start_time=time(9, 30) if template.minutes > 120 else time(16, 0),
                venue=venue,
                facilitators=list(rng.sample(FACILITATORS, k=1 + number % 2)),
                cpd_hours=template.cpd_hours,
                status=status,
                template_title=template.title,
                steps=steps_from_template(template),
            )
            session.add(workshop)
            start = datetime.combine(on, workshop.start_time, tzinfo=UTC)
            if status is WorkshopStatus.DONE:
                clock = start
                for step in workshop.steps:
                    step.started_at = clock
                    clock += timedelta(minutes=step.minutes + rng.randint(-3, 5))
                    step.ended_at = clock
            for person in rng.sample(people, k=booked):
                attendance = Attendance(workshop=workshop, person=person)
                if status is WorkshopStatus.DONE:
                    came = rng.random() < 0.85
                    attendance.status = (
                        AttendanceStatus.ATTENDED if came else AttendanceStatus.ABSENT
                    )
                    if came:
                        attendance.signed_in_at = start - timedelta(minutes=rng.randint(0, 20))
                        attendance.consent_quote = rng.random() < 0.6
                        attendance.consent_contact = rng.random() < 0.5
                        attendance.consent_quote_at = attendance.signed_in_at
                        attendance.consent_contact_at = attendance.signed_in_at
                        reflections += _reflect(attendance, start, rng, questions.version)
                session.add(attendance)
        session.flush()
        audit.record(session, "demo data added", f"{len(plans)} workshops, {len(people)} people")
        return DemoResult(len(plans), len(people), reflections, created=True)


def _reflect(attendance: Attendance, start: datetime, rng: random.Random, version: int) -> int:
    """Before and after reflections with believable self-ratings: most move up a little."""
    before = {p.code: rng.randint(1, 4) for p in PRINCIPLES}
    after = {code: min(5, value + rng.choice((0, 1, 1, 1, 2))) for code, value in before.items()}
    made = 0
    for phase, ratings, when in (
        (Phase.BEFORE, before, start - timedelta(minutes=5)),
        (Phase.AFTER, after, start + timedelta(hours=3)),
    ):
        if phase is Phase.AFTER and rng.random() < 0.1:
            continue  # a few leave before the end
        answers = [Answer(question_key=f"rating.{code}", rating=v) for code, v in ratings.items()]
        if phase is Phase.AFTER:
            focus = min(before, key=lambda code: before[code])
            answers += [
                Answer(question_key="do_differently", text=rng.choice(COMMITMENTS[focus])),
                Answer(question_key="focus_principle", text=focus),
                Answer(question_key="usefulness", rating=rng.choice((3, 4, 4, 5, 5))),
            ]
            if rng.random() < 0.7:  # not everyone says what might get in the way
                answers.append(Answer(question_key="barriers", text=rng.choice(BARRIERS)))
        attendance.reflections.append(
            Reflection(
                phase=phase,
                state=ReflectionState.SUBMITTED,
                question_set_version=version,
                started_at=when,
                updated_at=when + timedelta(minutes=4),
                submitted_at=when + timedelta(minutes=4),
                answers=answers,
            )
        )
        made += 1
    return made
