"""The web page in a real headless Chromium (Debian's, driven by Playwright) against `accords serve`.

Screenshots of the main pages are written to the test's temporary folder, and to
$ACCORDS_SCREENSHOTS when it names a folder (docs/ holds the committed ones):

    ACCORDS_SCREENSHOTS=docs .venv/bin/python -m pytest tests/test_web.py
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.test_api import build_db
from tests.test_api_server import serving

pytestmark = pytest.mark.browser


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "no Chromium: install Debian's chromium package (.ci/run does: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    db = build_db(tmp_path_factory.mktemp("web") / "accords.db")
    with serving(db) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.problems = []
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(f"console: {m.text}"))
    yield pg
    context.close()


def shoot(page, name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000  # a page, not a blank
    target = os.environ.get("ACCORDS_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / f"web-{name}.png")


def region(page, iso: str):
    return page.locator(f'#map a.country[data-id="{iso}"]')


def test_body_page_slider_shows_a_member_appear(site, page, tmp_path):
    page.goto(f"{site}/body/brics?as_of=2024-06-01")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("#when-label").inner_text() == "2024-06-01"
    assert region(page, "EGY").get_attribute("data-section") == "members"
    assert region(page, "IDN").get_attribute("data-section") == ""
    assert page.locator('#members tr[data-id="IDN"]').count() == 0

    slider = page.locator("#when")
    slider.focus()
    for _ in range(20):  # step through the dates until Indonesia's accession
        if page.locator("#when-label").inner_text() >= "2025-01-06":
            break
        page.keyboard.press("ArrowRight")
    day = page.locator("#when-label").inner_text()
    assert day >= "2025-01-06"
    page.wait_for_selector(f'#members p.as-of[data-as-of="{day}"]')
    row = page.locator('#members tr[data-id="IDN"]')
    assert row.get_attribute("data-section") == "members"
    assert region(page, "IDN").get_attribute("data-section") == "members"
    assert "st-members" in region(page, "IDN").get_attribute("class")
    assert f"as_of={day}" in page.url
    shoot(page, "body", tmp_path)

    # one click from the fact to its sentence in the article
    row.locator("a.fact").click()
    page.wait_for_url(re.compile(r"/article/brics-wave\?fact=\d+"))
    mark = page.locator("mark#evidence")
    assert mark.inner_text() == "Indonesia joined BRICS on January 6, 2025."
    assert "current" in mark.get_attribute("class")
    assert mark.is_visible()
    meta = page.locator("p.meta").inner_text()
    assert "Test Wire" in meta and "2025-03-03" in meta
    assert not page.problems, page.problems


def test_a_fact_shows_what_contradicts_it(site, page, tmp_path):
    page.goto(f"{site}/body/brics?as_of=2025-04-01")
    page.locator('#members tr[data-id="SAU"] a.fact').click()
    page.wait_for_selector("#fact")
    assert page.locator("mark#evidence").inner_text().startswith("Saudi Arabia joined BRICS in January 2024")
    contra = page.locator("#fact ul.contradicting li.record")
    assert contra.count() == 1 and "Saudi Arabia has yet to join BRICS." in contra.inner_text()
    shoot(page, "fact", tmp_path)
    contra.locator("a.fact").click()  # and on to the article that says otherwise
    page.wait_for_url(re.compile(r"/article/brics-wave\?fact=\d+"))
    assert page.locator("mark#evidence").inner_text() == "Saudi Arabia has yet to join BRICS."


def test_search_box_to_a_country_page(site, page, tmp_path):
    page.goto(site + "/")
    assert page.locator("#bodies a", has_text="BRICS").count() == 1
    shoot(page, "home", tmp_path)
    page.fill("header input[name=q]", "indonesia")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/find\?q=indonesia"))
    assert page.locator("#found-evidence mark").first.inner_text().lower() == "indonesia"
    shoot(page, "search", tmp_path)
    page.locator("#found-entities a", has_text="Indonesia").click()
    page.wait_for_url(re.compile(r"/country/IDN"))
    membership = page.locator('#memberships tr[data-id="brics"]')
    assert membership.get_attribute("data-status") == "member"
    assert membership.locator(".bar").count() == 1
    page.goto(site + "/country/CHL")
    assert page.locator('#relations tr[data-id="BOL"]').get_attribute("data-status") == "up"
    shoot(page, "country", tmp_path)
    assert not page.problems, page.problems


def test_markup_in_articles_never_runs(site, page):
    for path in ["/article/script", "/find?q=applied", "/body/brics?as_of=2025-04-01", "/country/THA",
                 "/country/MYS"]:
        page.goto(site + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("img[src=x]").count() == 0 and page.locator("b", has_text="Markup Times").count() == 0
    text = page.goto(site + "/article/script") and page.locator("#text").inner_text()
    assert "<script>window.__pwned = 1</script>" in text  # shown as text, exactly as written
    # the slider swaps in server-rendered rows: the markup stays text there too
    page.goto(site + "/body/brics?as_of=2024-06-01")
    page.wait_for_selector("#map[data-ready='1']")
    page.locator("#when").focus()
    page.keyboard.press("End")
    page.wait_for_selector('#members tr[data-id="THA"]')
    assert "<img src=x" in page.locator('#members tr[data-id="THA"] td.evidence').inner_text()
    assert page.evaluate("window.__pwned") is None
    assert not [p for p in page.problems if "dialog" in p or "page error" in p], page.problems
