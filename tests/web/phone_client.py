"""A test's phone: plain HTTP with cookies of its own, forms posted as a browser would."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from amie_desktop.web.server import PhoneStation

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
JOIN = re.compile(r'name="join" value="([^"]+)"')


@dataclass
class Page:
    status: int
    url: str
    html: str
    headers: dict[str, str]

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.url).path

    @property
    def csrf(self) -> str:
        found = CSRF.search(self.html)
        assert found, f"no CSRF token on {self.path}"
        return found.group(1)


class Phone:
    """One browser on one phone: a cookie jar of its own, redirects followed."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def _open(self, path: str, data: bytes | None = None) -> Page:
        request = urllib.request.Request(self.base + path, data=data)
        try:
            with self.opener.open(request, timeout=10) as response:
                return Page(
                    response.status,
                    response.url,
                    response.read().decode(errors="replace"),
                    dict(response.headers.items()),
                )
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            return Page(error.code, error.url or path, body, dict(error.headers.items()))

    def get(self, path: str) -> Page:
        return self._open(path)

    def post(self, path: str, fields: dict[str, str]) -> Page:
        return self._open(path, urllib.parse.urlencode(fields).encode())

    def join(self, room_code: str) -> Page:
        return self.get(f"/j/{room_code}")

    def find_and_pick(self, typed: str, name: str) -> Page:
        page = self.get("/name")
        page = self.post("/name", {"csrf": page.csrf, "action": "search", "name": typed})
        choices = re.findall(r'name="choice" value="(\d+)" class="choice">([^<]+)<', page.html)
        chosen = [value for value, shown in choices if shown == name]
        assert chosen, f"{name!r} was not offered for {typed!r}: {choices}"
        return self.post("/name", {"csrf": page.csrf, "action": "pick", "choice": chosen[0]})

    def answer(self, page: Page, value: str, action: str = "next") -> Page:
        return self.post(page.path, {"csrf": page.csrf, "answer": value, "action": action})


def on_first_question(station: PhoneStation, typed: str, name: str) -> tuple[Phone, Page]:
    """A new phone that has joined, picked `name` and given no consent: at question 1."""
    assert station.address is not None
    phone = Phone(station.address.url)
    phone.join(station.address.room_code)
    page = phone.find_and_pick(typed, name)
    page = phone.post("/consent", {"csrf": page.csrf, "action": "next"})
    assert page.path == "/q/1"
    return phone, page
