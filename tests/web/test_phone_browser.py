"""The phone station in a real headless Chromium at a phone's size: join, answer, send; axe-core.

Chromium and its driver come from Debian (`.ci/run` installs them); axe-core from npm
(`tests/web/package.json`, installed by `.ci/run`). Without them these tests fail in CI and
are skipped, with the reason, on a developer's machine.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

from amie_desktop.domain.values import Phase, ReflectionState
from amie_desktop.services import reflections
from amie_desktop.store import Store
from amie_desktop.web.server import PhoneStation

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
PHONE = {"width": 390, "height": 844, "pixelRatio": 2.0}
SERIOUS = {"serious", "critical"}

pytestmark = pytest.mark.slow


def _missing() -> str:
    for path, what in ((CHROMIUM, "chromium"), (DRIVER, "chromium-driver"), (AXE, "axe-core")):
        if not Path(path).exists():
            return f"{what} is not installed (see .ci/run)"
    return ""


@pytest.fixture(scope="module")
def browser_ready() -> None:
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)


Browser = Callable[..., Any]


@pytest.fixture
def open_browser(browser_ready: None) -> Iterator[Browser]:
    drivers: list[Any] = []

    def make(text_percent: int = 100) -> Any:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--incognito",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--lang=en-GB",
        ):
            options.add_argument(argument)
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": PHONE})
        # The phone's own text size: Chromium's default font size, as a phone's setting moves it.
        options.add_experimental_option(
            "prefs", {"webkit.webprefs.default_font_size": 16 * text_percent // 100}
        )
        driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
        driver.set_page_load_timeout(30)
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.quit()


def axe_problems(driver: Any) -> list[str]:
    """Serious and critical accessibility violations on the page, as axe-core reports them."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(JSON.stringify(r.violations)));"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in json.loads(result)
        if v["impact"] in SERIOUS
    ]


def fits_the_screen(driver: Any) -> bool:
    return bool(
        driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth + 1;"
        )
    )


def fonts_loaded(driver: Any) -> list[str]:
    """Wait until the page's fonts have arrived; the families of the app's fonts now in use."""
    return list(
        driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "document.fonts.ready.then(() => done([...document.fonts]"
            ".filter(f => f.status === 'loaded').map(f => f.family.replaceAll('\"', ''))));"
        )
    )


def check_page(driver: Any, shots: Path, name: str) -> None:
    fonts_loaded(driver)
    driver.save_screenshot(str(shots / f"{name}.png"))
    assert axe_problems(driver) == [], name
    assert fits_the_screen(driver), f"{name} scrolls sideways"


def press_button(driver: Any, words: str) -> None:
    """Press a button and wait for the next page (every button here sends a form)."""
    mark_page(driver)
    driver.find_element(By.XPATH, f"//button[normalize-space()='{words}']").click()
    wait_for_next_page(driver)


def mark_page(driver: Any) -> None:
    """Leave a mark on the page shown now; the next page will not have it."""
    driver.execute_script("window.amieOldPage = true;")


def wait_for_next_page(driver: Any) -> None:
    """Until a new page has replaced the marked one and loaded whole (its fonts aside)."""
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script(
            "return window.amieOldPage === undefined && document.readyState === 'complete';"
        )
    )


@pytest.mark.parametrize("text_percent", [100, 200])
def test_a_phone_answers_everything_by_touch_in_chromium(
    open_browser: Browser,
    station: PhoneStation,
    room: tuple[Store, int],
    screenshot_dir: Path,
    text_percent: int,
) -> None:
    store, workshop_id = room
    assert station.address is not None
    shots = screenshot_dir / f"phone-{text_percent}"
    shots.mkdir(exist_ok=True)
    driver = open_browser(text_percent)
    driver.get(station.address.join_url)
    check_page(driver, shots, "1-name")
    field = driver.find_element(By.ID, "name")
    field.send_keys("Oleksandra")  # a Latin keyboard finds a name written in Cyrillic
    press_button(driver, "Search")
    check_page(driver, shots, "2-matches")
    press_button(driver, "Олександра Коваль")
    assert "You are:" in driver.page_source
    check_page(driver, shots, "3-consent")
    driver.find_element(By.CSS_SELECTOR, "label[for=quote]").click()
    press_button(driver, "Next")
    answers = iter(["4", "3", "5", "2", "4"])
    for number in range(1, 10):
        assert driver.current_url.endswith(f"/q/{number}"), driver.current_url
        if number == 1:
            check_page(driver, shots, "4-rating")
        if number <= 5:
            driver.find_element(By.CSS_SELECTOR, f"label[for=answer-{next(answers)}]").click()
        elif number == 6:
            check_page(driver, shots, "5-text")
            driver.find_element(By.ID, "answer").send_keys("Плейлист, який обирають учні.")
        elif number == 7:
            check_page(driver, shots, "6-principle")
            driver.find_element(By.CSS_SELECTOR, "label[for=answer-D]").click()
        button = "Check my answers" if number == 9 else "Next"
        press_button(driver, button)
    check_page(driver, shots, "7-review")
    assert "Плейлист, який обирають учні." in driver.page_source
    press_button(driver, "Send my reflection")
    check_page(driver, shots, "8-thank-you")
    (match,) = reflections.find_names(store, workshop_id, "Олександра")
    saved = reflections.stored_reflection(store, match.attendance_id, Phase.AFTER)
    assert saved is not None
    assert saved.state is ReflectionState.SUBMITTED
    assert saved.answers["focus_principle"] == "D"
    assert saved.answers["rating.A"] == 5

    # A second phone (another browser, its own cookies) sees nothing of the first.
    other = open_browser(text_percent)
    other.get(station.address.join_url)
    for path in ("/review", "/done", "/q/6", "/consent"):
        other.get(station.address.url.rstrip("/") + path)
        assert "Олександра" not in other.page_source, path
        assert "Плейлист" not in other.page_source, path


@pytest.mark.parametrize("look", ["larger_text", "high_contrast", "readable_font", "easy_read"])
def test_every_look_passes_axe_by_keyboard(
    open_browser: Browser, station: PhoneStation, screenshot_dir: Path, look: str
) -> None:
    assert station.address is not None
    shots = screenshot_dir / f"phone-{look}"
    shots.mkdir(exist_ok=True)
    driver = open_browser()
    driver.get(station.address.join_url)
    driver.find_element(By.LINK_TEXT, "Make this easier").click()
    check_page(driver, shots, "1-easier")
    driver.find_element(By.ID, look).send_keys(Keys.SPACE)
    press_button(driver, "Done")
    field = driver.find_element(By.ID, "name")
    mark_page(driver)
    field.send_keys("தமிழ்", Keys.ENTER)
    wait_for_next_page(driver)
    check_page(driver, shots, "2-matches")
    # This machine has no Tamil font of its own: the name shows in the app's, from the laptop.
    assert "AmieNamesTamil" in fonts_loaded(driver)
    press_button(driver, "தமிழ்செல்வி இராமன்")
    check_page(driver, shots, "3-consent")
    press_button(driver, "Next")
    check_page(driver, shots, "4-rating")
    body = driver.find_element(By.TAG_NAME, "body").get_attribute("class") or ""
    if look != "easy_read":
        assert look.replace("_", "-") in body
    else:
        assert "Your music sessions can help young people in many ways" in driver.page_source
