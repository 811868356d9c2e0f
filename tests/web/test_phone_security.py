"""The phone station refuses what a phone should never be able to do, and saves nothing of it."""

from __future__ import annotations

import ssl
import stat
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from amie_desktop.domain.values import Phase
from amie_desktop.services import reflections
from amie_desktop.store import Store
from amie_desktop.web import tls
from amie_desktop.web.server import PER_ADDRESS, PhoneStation, StationServerError
from tests.web.phone_client import Phone, on_first_question


def nothing_saved(room: tuple[Store, int], typed: str) -> bool:
    store, workshop_id = room
    (match,) = reflections.find_names(store, workshop_id, typed)
    saved = reflections.stored_reflection(store, match.attendance_id, Phase.AFTER)
    return saved is None or not saved.answers


def test_a_form_without_its_csrf_token_is_refused(
    station: PhoneStation, room: tuple[Store, int]
) -> None:
    phone, _page = on_first_question(station, "lukasz", "Łukasz Wiśniewski")
    refused = phone.post("/q/1", {"answer": "5", "action": "next"})
    assert refused.status == 403
    forged = phone.post("/q/1", {"csrf": "x" * 43, "answer": "5", "action": "next"})
    assert forged.status == 403
    assert nothing_saved(room, "lukasz")


def test_another_sessions_token_does_not_work_with_this_cookie(
    station: PhoneStation, room: tuple[Store, int]
) -> None:
    _first, first_page = on_first_question(station, "lukasz", "Łukasz Wiśniewski")
    second, _second_page = on_first_question(station, "priya p", "Priya Patel")
    refused = second.post("/q/1", {"csrf": first_page.csrf, "answer": "1", "action": "next"})
    assert refused.status == 403
    assert nothing_saved(room, "lukasz")
    assert nothing_saved(room, "priya p")


def test_a_huge_answer_is_refused_and_nothing_is_saved(
    station: PhoneStation, room: tuple[Store, int]
) -> None:
    phone, page = on_first_question(station, "lukasz", "Łukasz Wiśniewski")
    for _ in range(5):
        page = phone.answer(page, "3")
    assert page.path == "/q/6"
    huge = phone.post("/q/6", {"csrf": page.csrf, "answer": "x" * 1_000_000, "action": "next"})
    assert huge.status == 413
    too_long = phone.post("/q/6", {"csrf": page.csrf, "answer": "y" * 4001, "action": "next"})
    assert too_long.status == 400
    assert "longer than 4,000 characters" in too_long.html
    store, workshop_id = room
    (match,) = reflections.find_names(store, workshop_id, "lukasz")
    saved = reflections.stored_reflection(store, match.attendance_id, Phase.AFTER)
    assert saved is not None
    assert "do_differently" not in saved.answers


def test_after_the_station_closes_old_sessions_end(
    room: tuple[Store, int],
) -> None:
    store, workshop_id = room
    info = reflections.station_info(store, workshop_id, Phase.AFTER)
    first = PhoneStation(store, info)
    address = first.start()
    phone = Phone(address.url)
    phone.join(address.room_code)
    page = phone.find_and_pick("lukasz", "Łukasz Wiśniewski")
    first.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(address.url, timeout=5)
    port = int(address.url.rsplit(":", 1)[1].strip("/"))
    reopened = PhoneStation(store, info, port=port)
    try:
        again = reopened.start()
        assert again.room_code != address.room_code
        stale = phone.post("/consent", {"csrf": page.csrf, "quote": "on", "action": "next"})
        assert stale.path == "/"
        assert "Room code" in stale.html
        assert phone.get(f"/j/{address.room_code}").status == 400
    finally:
        reopened.stop()
    assert nothing_saved(room, "lukasz")


def test_a_flood_from_one_address_is_refused(
    station: PhoneStation, room: tuple[Store, int]
) -> None:
    phone, page = on_first_question(station, "lukasz", "Łukasz Wiśniewski")
    statuses = [
        phone.post("/q/1", {"csrf": page.csrf, "answer": "4", "action": "back"}).status
        for _ in range(1000)
    ]
    refused = statuses.count(429)
    assert refused >= 1000 - PER_ADDRESS
    assert statuses[-1] == 429
    assert phone.get("/q/1").status == 429


def test_every_response_carries_a_strict_policy_and_safe_cookies(station: PhoneStation) -> None:
    assert station.address is not None
    phone = Phone(station.address.url)
    page = phone.join(station.address.room_code)
    for seen in (page, phone.get("/nowhere"), phone.get("/static/station.css")):
        policy = seen.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy
        assert "script-src" not in policy
        assert seen.headers["X-Content-Type-Options"] == "nosniff"
    assert phone.get("/nowhere").status == 404
    (cookie,) = [c for c in phone.cookies if c.name == "amie_phone"]
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert cookie.get_nonstandard_attr("SameSite") == "Strict"
    assert "<script" not in page.html


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "example.org", "192.0.2.1"])
def test_the_server_listens_only_on_one_address_of_this_computer(
    room: tuple[Store, int], host: str
) -> None:
    store, workshop_id = room
    info = reflections.station_info(store, workshop_id, Phase.AFTER)
    with pytest.raises(StationServerError) as refused:
        PhoneStation(store, info, host=host).start()
    assert "\n" not in str(refused.value)


def test_https_encrypts_with_the_laptops_own_certificate_and_secure_cookies(
    room: tuple[Store, int], data_dir: Path
) -> None:
    store, workshop_id = room
    info = reflections.station_info(store, workshop_id, Phase.AFTER)
    context = tls.server_context(data_dir, "127.0.0.1")
    certificate, key = tls.certificate_for(data_dir, "127.0.0.1")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    station = PhoneStation(store, info, ssl_context=context)
    address = station.start()
    try:
        assert address.url.startswith("https://127.0.0.1:")
        trusting = ssl.create_default_context(cafile=str(certificate))
        with urllib.request.urlopen(address.join_url, context=trusting, timeout=10) as response:
            assert response.status == 200
            assert "Secure" in response.headers["Set-Cookie"]
            assert "HttpOnly" in response.headers["Set-Cookie"]
        with pytest.raises(urllib.error.URLError):  # no certificate check, no connection
            urllib.request.urlopen(address.url, context=ssl.create_default_context(), timeout=10)
    finally:
        station.stop()
    # The same certificate next time, so a phone that was shown it once sees the same one.
    assert tls.certificate_for(data_dir, "127.0.0.1") == (certificate, key)
    assert tls.fingerprint(data_dir, "127.0.0.1").count(":") == 31


def test_a_full_disk_is_said_plainly_and_the_answer_stays_on_the_page(
    station: PhoneStation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from amie_desktop.services import reflections as service
    from amie_desktop.store.integrity import StorageError

    phone, page = on_first_question(station, "lukasz", "Łukasz Wiśniewski")
    for _ in range(5):
        page = phone.answer(page, "3")

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise StorageError("The disk is full.")

    monkeypatch.setattr(service, "save_drafts", full_disk)
    refused = phone.answer(page, "Sing the register's names in every language.")
    assert refused.status == 503
    assert "Your answers could not be saved" in refused.html
    assert "Sing the register&#39;s names in every language." in refused.html
    assert "Traceback" not in refused.html
