"""The phone station's web server: aiohttp on its own thread, pages rendered on the laptop.

Attendees open the address (or scan the QR code) on their own phones. Each phone gets a
session of its own; nothing is loaded from the internet; no page ever lists the register or
shows anything of another person. The server runs only while the facilitator keeps it open.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import secrets
import socket
import ssl
import threading
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import jinja2
from aiohttp import web

from amie_desktop.domain.content import Question, QuestionKind, asset_folder
from amie_desktop.domain.heard import Principle
from amie_desktop.domain.values import Phase
from amie_desktop.services import reflections, review
from amie_desktop.services.errors import UserError
from amie_desktop.services.reflections import (
    AlreadySubmittedError,
    AnswerValue,
    Pick,
    StationInfo,
)
from amie_desktop.store import Store
from amie_desktop.web import fonts
from amie_desktop.web.drafts import DraftWriter
from amie_desktop.web.guard import RateLimiter
from amie_desktop.web.sessions import (
    PhoneSession,
    SessionBook,
    SessionFullError,
    new_token,
    same_token,
)
from amie_desktop.web.words import WordBoard, WordRefused

log = logging.getLogger(__name__)

COOKIE = "amie_phone"
JOIN_COOKIE = "amie_join"
# The longest answer, as on the laptop's station; a body much bigger than a page's form is refused.
MAX_TEXT = 4000
MAX_NAME = 200
MAX_BODY_BYTES = 32 * 1024
# Booking emails a phone may try for a name used before, before it must see the facilitator.
MAX_WRONG_EMAILS = 3
# Requests a minute: from one address (a phone, or someone scripting), from one session, and
# room-code guesses from one address.
PER_ADDRESS = 300
PER_SESSION = 120
JOINS_PER_ADDRESS = 20
ROOM_CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread
ROOM_CODE_LENGTH = 6
SEE_FACILITATOR = (
    "This name cannot be used from this phone. Please see the facilitator, who can help."
)
NOT_SAVED = (
    "Your answers could not be saved on the facilitator's laptop just now. They are still "
    "here on this page. Please show this message to the facilitator."
)
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

T = TypeVar("T")


class StationServerError(UserError):
    """The phone station could not start (the address is not this computer's, the port is taken)."""


@dataclass(frozen=True)
class PhoneAddress:
    """Where phones join: the short address to type, the room code, and the link for the QR."""

    url: str
    room_code: str

    @property
    def join_url(self) -> str:
        return f"{self.url}j/{self.room_code}"


def new_room_code() -> str:
    return "".join(secrets.choice(ROOM_CODE_LETTERS) for _ in range(ROOM_CODE_LENGTH))


def check_host(host: str) -> str:
    """The interface to listen on must be one address (not every interface at once)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise StationServerError(
            f"“{host}” is not an address of this computer. Give an IP address such as "
            "127.0.0.1 or the laptop's address on the room's network."
        ) from None
    if address.is_unspecified:
        raise StationServerError(
            "The phone station listens on one network only. Give the laptop's address on the "
            "room's network (for example its hotspot address), not 0.0.0.0."
        )
    return str(address)


class _Pages:
    """The request handlers: one station opening, its sessions, and the rules every page keeps."""

    def __init__(self, store: Store, info: StationInfo, room_code: str, secure: bool) -> None:
        self.store = store
        self.info = info
        self.room_code = room_code
        self.secure = secure
        self.book = SessionBook()
        self.by_address = RateLimiter(PER_ADDRESS)
        self.by_session = RateLimiter(PER_SESSION)
        self.joins = RateLimiter(JOINS_PER_ADDRESS)
        # Reads run side by side; writes go one at a time through one thread, so they never
        # wait on each other inside SQLite (whose busy wait sleeps in steps).
        self.readers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="phone-read")
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="phone-write")
        self.drafts = DraftWriter(store, info.phase, self.writer)
        self.words = WordBoard()
        self.templates = jinja2.Environment(
            loader=jinja2.FunctionLoader(self._template_source),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.open = True

    @staticmethod
    def _template_source(name: str) -> str:
        return (asset_folder() / "web" / "templates" / name).read_text(encoding="utf-8")

    # ----- plumbing

    async def read(self, function: Callable[..., T], *args: Any) -> T:
        """Run a service that only reads, off the server's event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.readers, partial(function, *args))

    async def write(self, function: Callable[..., T], *args: Any) -> T:
        """Run a service that writes, on the one writer thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.writer, partial(function, *args))

    def render(
        self, name: str, session: PhoneSession | None, status: int = 200, **values: Any
    ) -> web.Response:
        html = self.templates.get_template(name).render(
            info=self.info,
            session=session,
            body_classes=session.options.body_classes() if session else "",
            csrf=session.csrf if session else "",
            **values,
        )
        return web.Response(text=html, content_type="text/html", charset="utf-8", status=status)

    def session_of(self, request: web.Request) -> PhoneSession | None:
        return self.book.get(request.cookies.get(COOKIE))

    def require_session(self, request: web.Request) -> PhoneSession:
        session = self.session_of(request)
        if session is None:
            raise web.HTTPSeeOther("/")
        return session

    async def checked_form(self, request: web.Request, session: PhoneSession) -> Mapping[str, str]:
        """The posted form, refused unless it carries this session's own CSRF token."""
        form = await request.post()
        if not same_token(_text(form.get("csrf")), session.csrf):
            raise web.HTTPForbidden(text="This page has expired. Please go back and try again.")
        return {key: value for key, value in form.items() if isinstance(value, str)}

    def set_cookie(self, response: web.StreamResponse, name: str, value: str) -> None:
        response.set_cookie(
            name, value, httponly=True, samesite="Strict", secure=self.secure, path="/"
        )

    # ----- joining

    async def home(self, request: web.Request) -> web.StreamResponse:
        session = self.session_of(request)
        if session is not None:
            raise web.HTTPSeeOther(self.next_page(session))
        return self.join_page(request)

    def join_page(self, request: web.Request, problem: str = "", status: int = 200) -> web.Response:
        token = request.cookies.get(JOIN_COOKIE) or new_token()
        response = self.render("join.html", None, status=status, problem=problem, join=token)
        self.set_cookie(response, JOIN_COOKIE, token)
        return response

    async def join_by_link(self, request: web.Request) -> web.StreamResponse:
        return self.join(request, request.match_info["code"])

    async def join_by_form(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        if not same_token(_text(form.get("join")), request.cookies.get(JOIN_COOKIE, "")):
            return self.join_page(request, "This page has expired. Please try again.", 403)
        return self.join(request, _text(form.get("code")))

    def join(self, request: web.Request, typed: str) -> web.StreamResponse:
        if not self.joins.allow(_address(request)):
            raise web.HTTPTooManyRequests(text="Too many tries. Please wait a minute.")
        code = "".join(typed.split()).upper()
        if not same_token(code, self.room_code):
            return self.join_page(
                request, "That room code is not right. Check the code on the screen.", 400
            )
        existing = self.session_of(request)
        if existing is not None:
            raise web.HTTPSeeOther(self.next_page(existing))
        try:
            session = self.book.open()
        except SessionFullError:
            raise web.HTTPServiceUnavailable(
                text="Too many phones have joined. Please ask the facilitator."
            ) from None
        response = web.Response(status=303, headers={"Location": "/name"})
        self.set_cookie(response, COOKIE, session.token)
        response.del_cookie(JOIN_COOKIE, path="/")
        return response

    def next_page(self, session: PhoneSession) -> str:
        if session.sent:
            return "/done"
        if session.attendance_id is None:
            return "/name"
        if not session.consent_given:
            return "/consent"
        return "/q/1"

    # ----- finding a name

    async def name_page(self, request: web.Request) -> web.StreamResponse:
        session = self.require_session(request)
        if session.sent:
            raise web.HTTPSeeOther("/done")
        return self.render("name.html", session, typed="", matches=(), searched=False)

    async def name_post(self, request: web.Request) -> web.StreamResponse:
        session = self.require_session(request)
        form = await self.checked_form(request, session)
        if session.sent:
            raise web.HTTPSeeOther("/done")
        if form.get("action") == "pick":
            return await self.pick(session, form.get("choice", ""))
        typed = form.get("name", "")[:MAX_NAME]
        if len(typed.strip()) < reflections.MIN_SEARCH_LETTERS:
            session.matches = ()
            return self.render(
                "name.html",
                session,
                typed=typed,
                matches=(),
                searched=False,
                problem="Please type at least two letters of your name.",
            )
        matches = await self.read(reflections.find_names, self.store, self.info.workshop_id, typed)
        session.matches = tuple(matches)
        return self.render("name.html", session, typed=typed, matches=matches, searched=True)

    async def pick(self, session: PhoneSession, choice: str) -> web.StreamResponse:
        try:
            match = session.matches[int(choice)]
        except (ValueError, IndexError):
            return self.render(
                "name.html",
                session,
                typed="",
                matches=(),
                searched=False,
                problem="Please type your name and choose it from the list.",
            )
        if self.book.holds(session, match.attendance_id):  # picked again on the same phone
            return self.begin(session, match.name, session.answers)
        picked = await self.write(
            reflections.pick_name, self.store, match.attendance_id, self.info.phase
        )
        if picked is Pick.CHECK or not self.book.claim(session, match.attendance_id):
            # Used before, at the laptop or on a phone: the same page whatever happened, so
            # nothing of another person's progress is shown here.
            session.matches = ()
            session.checking = match
            raise web.HTTPSeeOther("/check")
        return self.begin(session, match.name, {})

    def begin(
        self, session: PhoneSession, name: str, answers: Mapping[str, AnswerValue]
    ) -> web.StreamResponse:
        session.name = name
        session.matches = ()
        session.checking = None
        session.answers = dict(answers)
        raise web.HTTPSeeOther("/consent")

    def unsent_session(
        self, request: web.Request, ready: Callable[[PhoneSession], bool]
    ) -> PhoneSession:
        """This phone's session for a page before sending; elsewhere when it is not `ready`."""
        session = self.require_session(request)
        if session.sent:
            raise web.HTTPSeeOther("/done")
        if not ready(session):
            raise web.HTTPSeeOther("/name")
        return session

    def checking_session(self, request: web.Request) -> PhoneSession:
        return self.unsent_session(request, lambda session: session.checking is not None)

    async def check_page(self, request: web.Request) -> web.StreamResponse:
        session = self.checking_session(request)
        return self.render("check.html", session, checking=session.checking)

    async def check_post(self, request: web.Request) -> web.StreamResponse:
        """A name used before: theirs if they give the email it was booked with; or, "that's
        not me", a separate person with the same name for the facilitator to look at."""
        session = self.checking_session(request)
        form = await self.checked_form(request, session)
        match = session.checking
        assert match is not None
        if form.get("action") == "not-me":
            try:
                attendance_id = await self.write(
                    review.add_same_name, self.store, match.attendance_id
                )
                await self.write(reflections.pick_name, self.store, attendance_id, self.info.phase)
            except UserError as exc:
                return self.check_problem(session, str(exc))
            self.book.claim(session, attendance_id)
            return self.begin(session, match.name, {})
        if session.wrong_emails >= MAX_WRONG_EMAILS:
            return self.check_problem(session, SEE_FACILITATOR)
        try:
            draft = await self.write(
                reflections.confirm_identity,
                self.store,
                match.attendance_id,
                self.info.phase,
                form.get("email", "")[:MAX_NAME],
            )
        except reflections.IdentityNotConfirmedError as exc:
            session.wrong_emails += 1
            return self.check_problem(session, str(exc))
        except UserError as exc:  # sent already: said only once the email matched
            return self.check_problem(session, str(exc))
        if not self.book.claim(session, match.attendance_id):
            return self.check_problem(session, SEE_FACILITATOR)
        session.consent_quote, session.consent_contact = draft.consent_quote, draft.consent_contact
        return self.begin(session, match.name, draft.answers)

    def check_problem(self, session: PhoneSession, problem: str) -> web.Response:
        return self.render(
            "check.html", session, checking=session.checking, problem=problem, status=400
        )

    async def not_me(self, request: web.Request) -> web.StreamResponse:
        session = self.require_session(request)
        await self.checked_form(request, session)
        if session.sent:
            raise web.HTTPSeeOther("/done")
        attendance_id = session.attendance_id
        if attendance_id is not None:
            # Take back what this phone saved under a name that was not theirs, and free it.
            await self.write(reflections.release_name, self.store, attendance_id, self.info.phase)
        self.book.release(session)
        raise web.HTTPSeeOther("/name")

    async def walk_in_page(self, request: web.Request) -> web.StreamResponse:
        session = self.require_session(request)
        return self.render("walk_in.html", session, typed="")

    async def walk_in_post(self, request: web.Request) -> web.StreamResponse:
        session = self.require_session(request)
        form = await self.checked_form(request, session)
        if session.sent:
            raise web.HTTPSeeOther("/done")
        typed = form.get("name", "")
        if len(typed) > MAX_NAME:
            return self.render(
                "walk_in.html", session, typed="", problem="That name is too long.", status=400
            )
        try:
            attendance_id = await self.write(
                review.add_walk_in, self.store, self.info.workshop_id, typed
            )
            await self.write(reflections.pick_name, self.store, attendance_id, self.info.phase)
        except UserError as exc:
            return self.render("walk_in.html", session, typed=typed, problem=str(exc), status=400)
        self.book.claim(session, attendance_id)
        session.name = " ".join(typed.split())
        raise web.HTTPSeeOther("/consent")

    # ----- make this easier

    async def easier_page(self, request: web.Request) -> web.StreamResponse:
        session = self.require_session(request)
        return self.render("easier.html", session, back=_safe_back(request.query.get("back")))

    async def easier_post(self, request: web.Request) -> web.StreamResponse:
        session = self.require_session(request)
        form = await self.checked_form(request, session)
        options = session.options
        options.larger_text = "larger_text" in form
        options.high_contrast = "high_contrast" in form
        options.easy_read = "easy_read" in form
        options.readable_font = "readable_font" in form
        raise web.HTTPSeeOther(_safe_back(form.get("back")))

    # ----- consent, questions, review

    def person_session(self, request: web.Request) -> PhoneSession:
        return self.unsent_session(request, lambda session: session.attendance_id is not None)

    async def consent_page(self, request: web.Request) -> web.StreamResponse:
        session = self.person_session(request)
        return self.render("consent.html", session, wording=reflections.CONSENT)

    async def consent_post(self, request: web.Request) -> web.StreamResponse:
        session = self.person_session(request)
        form = await self.checked_form(request, session)
        if form.get("action") == "back":
            raise web.HTTPSeeOther("/name")
        quote, contact = "quote" in form, "contact" in form
        assert session.attendance_id is not None
        try:
            await self.write(
                partial(
                    reflections.record_consent,
                    self.store,
                    session.attendance_id,
                    quote=quote,
                    contact=contact,
                )
            )
        except UserError as exc:
            return self.render(
                "consent.html", session, wording=reflections.CONSENT, problem=str(exc), status=503
            )
        session.consent_given, session.consent_quote, session.consent_contact = True, quote, contact
        raise web.HTTPSeeOther("/q/1")

    def question_at(self, request: web.Request) -> tuple[int, Question]:
        try:
            number = int(request.match_info["number"])
        except ValueError:
            raise web.HTTPNotFound() from None
        questions = self.info.questions
        if not 1 <= number <= len(questions):
            raise web.HTTPNotFound()
        return number, questions[number - 1]

    async def question_page(self, request: web.Request) -> web.StreamResponse:
        session = self.person_session(request)
        number, question = self.question_at(request)
        return self.question_response(session, number, question)

    def question_response(
        self,
        session: PhoneSession,
        number: int,
        question: Question,
        problem: str = "",
        status: int = 200,
        shown: AnswerValue = None,
    ) -> web.Response:
        value = shown if shown is not None else session.answers.get(question.key)
        return self.render(
            "question.html",
            session,
            status=status,
            number=number,
            total=len(self.info.questions),
            question=question,
            wording=question.easy_read if session.options.easy_read else question.text,
            kind=question.kind.value,
            value=value,
            principles=list(Principle),
            max_text=MAX_TEXT,
            problem=problem,
        )

    async def question_post(self, request: web.Request) -> web.StreamResponse:
        session = self.person_session(request)
        number, question = self.question_at(request)
        form = await self.checked_form(request, session)
        raw = form.get("answer", "")
        try:
            value = _answer_value(question, raw)
        except ValueError as exc:
            return self.question_response(
                session, number, question, str(exc), status=400, shown=raw[:MAX_TEXT]
            )
        previous = session.answers.get(question.key)
        session.answers[question.key] = value
        if value != previous:
            assert session.attendance_id is not None
            problem = await self.store_draft(session.attendance_id, {question.key: value})
            if problem:
                return self.question_response(session, number, question, problem, status=503)
        if form.get("action") == "back":
            raise web.HTTPSeeOther(f"/q/{number - 1}" if number > 1 else "/consent")
        if number < len(self.info.questions):
            raise web.HTTPSeeOther(f"/q/{number + 1}")
        raise web.HTTPSeeOther("/review")

    async def store_draft(self, attendance_id: int, answers: Mapping[str, AnswerValue]) -> str:
        """Save answers as typed; a plain problem to show, or "" once they are on disk."""
        try:
            await self.drafts.save(attendance_id, answers)
        except UserError as exc:
            log.warning("a phone's draft was not saved: %s", type(exc).__name__)
            return NOT_SAVED
        return ""

    def review_rows(self, session: PhoneSession) -> list[tuple[int, str, str]]:
        rows = []
        for number, question in enumerate(self.info.questions, start=1):
            wording = question.easy_read if session.options.easy_read else question.text
            rows.append((number, wording, _shown(question, session.answers.get(question.key))))
        return rows

    async def review_page(self, request: web.Request) -> web.StreamResponse:
        session = self.person_session(request)
        return self.render("review.html", session, rows=self.review_rows(session))

    async def review_post(self, request: web.Request) -> web.StreamResponse:
        session = self.person_session(request)
        await self.checked_form(request, session)
        assert session.attendance_id is not None
        try:
            await self.write(
                reflections.submit,
                self.store,
                session.attendance_id,
                self.info.phase,
                dict(session.answers),
            )
        except UserError as exc:
            problem = NOT_SAVED if not isinstance(exc, AlreadySubmittedError) else SEE_FACILITATOR
            return self.render(
                "review.html", session, rows=self.review_rows(session), problem=problem, status=503
            )
        self.book.record_sent(session)
        session.answers = {}
        raise web.HTTPSeeOther("/done")

    async def done_page(self, request: web.Request) -> web.StreamResponse:
        session = self.require_session(request)
        if not session.sent:
            raise web.HTTPSeeOther(self.next_page(session))
        return self.render("done.html", session)

    async def word_post(self, request: web.Request) -> web.StreamResponse:
        """One word for today, after sending: it waits for the facilitator before anyone sees it."""
        session = self.require_session(request)
        form = await self.checked_form(request, session)
        if not session.sent or session.word_sent:
            raise web.HTTPSeeOther("/done")
        typed = form.get("word", "")
        if typed.strip():
            try:
                self.words.send(typed)
            except WordRefused as exc:
                return self.render("done.html", session, problem=str(exc), status=400)
        session.word_sent = True
        raise web.HTTPSeeOther("/done")

    # ----- static files

    async def stylesheet(self, _request: web.Request) -> web.StreamResponse:
        css = (asset_folder() / "web" / "static" / "station.css").read_text(encoding="utf-8")
        return _static(css.encode(), "text/css")

    async def font_styles(self, _request: web.Request) -> web.StreamResponse:
        return _static(fonts.font_css().encode(), "text/css")

    async def font(self, request: web.Request) -> web.StreamResponse:
        data = fonts.font_file(request.match_info["name"])
        if data is None:
            raise web.HTTPNotFound()
        return _static(data, "font/ttf")

    # ----- every request

    @web.middleware
    async def guard(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        try:
            response = await self._guarded(request, handler)
        except web.HTTPException as exc:
            response = web.Response(status=exc.status, text=exc.text, headers=exc.headers)
        except Exception:
            log.exception("the phone station could not answer a request")
            response = web.Response(
                text="Something went wrong on the facilitator's laptop. Please tell them.",
                status=500,
            )
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        return response

    async def _guarded(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        if not self.open:
            raise web.HTTPGone(text="The facilitator has closed the station.")
        if not self.by_address.allow(_address(request)):
            raise web.HTTPTooManyRequests(text="Too many requests. Please wait a minute.")
        token = request.cookies.get(COOKIE)
        if token and not self.by_session.allow(token):
            raise web.HTTPTooManyRequests(text="Too many requests. Please wait a minute.")
        return await handler(request)

    def application(self) -> web.Application:
        app = web.Application(middlewares=[self.guard], client_max_size=MAX_BODY_BYTES)
        app.add_routes(
            [
                web.get("/", self.home),
                web.post("/join", self.join_by_form),
                web.get("/j/{code}", self.join_by_link),
                web.get("/name", self.name_page),
                web.post("/name", self.name_post),
                web.post("/not-me", self.not_me),
                web.get("/check", self.check_page),
                web.post("/check", self.check_post),
                web.get("/walk-in", self.walk_in_page),
                web.post("/walk-in", self.walk_in_post),
                web.get("/easier", self.easier_page),
                web.post("/easier", self.easier_post),
                web.get("/consent", self.consent_page),
                web.post("/consent", self.consent_post),
                web.get("/q/{number}", self.question_page),
                web.post("/q/{number}", self.question_post),
                web.get("/review", self.review_page),
                web.post("/review", self.review_post),
                web.get("/done", self.done_page),
                web.post("/word", self.word_post),
                web.get("/static/station.css", self.stylesheet),
                web.get("/static/fonts.css", self.font_styles),
                web.get("/static/fonts/{name}", self.font),
            ]
        )
        return app


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _address(request: web.Request) -> str:
    return request.remote or "unknown"


SAFE_BACK = ("/name", "/check", "/walk-in", "/consent", "/review", "/done")


def _safe_back(value: str | None) -> str:
    """Where "make this easier" returns to: only a page of this station, never elsewhere."""
    if value in SAFE_BACK:
        return value
    if value and value.startswith("/q/") and value[3:].isdigit() and value[3:].isascii():
        return value
    return "/"


def _static(data: bytes, content_type: str) -> web.Response:
    response = web.Response(body=data, content_type=content_type)
    response.headers["Cache-Control"] = "max-age=3600"
    return response


def _answer_value(question: Question, raw: str) -> AnswerValue:
    """The answer a form sent, checked as the laptop's station checks it; None when skipped."""
    if question.kind is QuestionKind.TEXT:
        if len(raw) > MAX_TEXT:
            raise ValueError(
                f"This answer is longer than {MAX_TEXT:,} characters. Please shorten it."
            )
        return raw if raw.strip() else None
    if raw == "":
        return None
    if question.kind is QuestionKind.RATING:
        if raw not in {"1", "2", "3", "4", "5"}:
            raise ValueError("Please choose one of the five answers.")
        return int(raw)
    if raw not in {principle.code for principle in Principle}:
        raise ValueError("Please choose one of the five principles.")
    return raw


def _shown(question: Question, value: AnswerValue) -> str:
    if value is None or value == "":
        return "No answer"
    if question.kind is QuestionKind.RATING and isinstance(value, int):
        return f"{value} – {question.scale[value - 1]}" if question.scale else str(value)
    if question.kind is QuestionKind.PRINCIPLE and isinstance(value, str):
        return Principle.from_code(value).label
    return str(value)


class PhoneStation:
    """The server for one opening of the station: started by the facilitator, stopped by them.

    It runs on a thread of its own with its own event loop, so the window's thread is never
    held up by a phone.
    """

    def __init__(
        self,
        store: Store,
        info: StationInfo,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host = check_host(host)
        self.port = port
        self._ssl = ssl_context
        self._pages = _Pages(store, info, new_room_code(), secure=ssl_context is not None)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.address: PhoneAddress | None = None

    @property
    def phase(self) -> Phase:
        return self._pages.info.phase

    @property
    def sent(self) -> int:
        """How many phones have sent a reflection (never what they sent)."""
        return self._pages.book.sent

    @property
    def joined(self) -> int:
        return self._pages.book.joined

    @property
    def words(self) -> WordBoard:
        """Words for the projector, waiting for the facilitator's approval."""
        return self._pages.words

    def start(self) -> PhoneAddress:
        """Listen on the chosen address; returns where phones join."""
        listener = self._listen()
        port = listener.getsockname()[1]
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(
            target=self._serve, args=(listener, ready, failure), name="phone-station", daemon=True
        )
        self._thread.start()
        ready.wait(timeout=15)
        if failure or not ready.is_set():
            self.stop()
            raise StationServerError("The phone station could not start. Please try again.")
        scheme = "https" if self._ssl else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.address = PhoneAddress(f"{scheme}://{host}:{port}/", self._pages.room_code)
        return self.address

    def _listen(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((self.host, self.port))
            listener.listen(128)
        except OSError as exc:
            listener.close()
            raise StationServerError(
                f"The phone station cannot listen on {self.host} port {self.port or 'any'}: "
                f"{exc.strerror or 'the address is not available'}. Choose another network "
                "or port."
            ) from None
        listener.setblocking(False)
        return listener

    def _serve(
        self, listener: socket.socket, ready: threading.Event, failure: list[BaseException]
    ) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            runner = web.AppRunner(self._pages.application(), access_log=None, handle_signals=False)
            loop.run_until_complete(runner.setup())
            site = web.SockSite(runner, listener, ssl_context=self._ssl)
            loop.run_until_complete(site.start())
            self._runner = runner
        except Exception as exc:
            failure.append(exc)
            log.exception("the phone station did not start")
            ready.set()
            loop.close()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(runner.cleanup())
            loop.close()

    def stop(self) -> None:
        """Close the station: every session ends and the address stops answering."""
        self._pages.open = False
        self._pages.book.clear()
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None and thread.is_alive():
            with contextlib.suppress(RuntimeError):  # the loop may have closed already
                loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)
        self._pages.readers.shutdown(wait=True)
        self._pages.writer.shutdown(wait=True)
        self._thread = None
        self._loop = None
