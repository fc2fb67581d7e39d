"""A 30-year-old engineer moving with her husband finds her answers on a 390 px phone with
JavaScript off: routes without a job offer that lead to permanent residence, whether her
husband can come and work, and what a term means."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def phone_390(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_routes_without_a_job_offer_that_lead_to_permanent_residence(site, phone_390):
    page = phone_390
    page.goto(site + "/")
    page.click("text=Browse")
    page.select_option("#id_sponsorship", "no")
    page.select_option("#id_settlement", "yes")
    page.click("text=Apply filters")
    heading = page.locator("#results-title")
    assert "with no job offer needed leading to permanent residence" in heading.inner_text()
    assert heading.bounding_box()["y"] < 844  # the answer is on the first screen
    for card in page.locator(".results .card").all():
        facts = card.locator(".card__facts").inner_text()
        assert "Needs a job offer or sponsor: No" in facts
        assert "Leads to permanent residence: Yes" in facts
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("path", ["/hong-kong/qmas/", "/united-kingdom/skilled-worker/"])
def test_whether_her_husband_can_come_and_work(site, phone_390, path):
    page = phone_390
    page.goto(site + path)
    page.click(".quick-links >> text=Your partner and children")
    family = page.locator("#family").locator("xpath=..")
    text = family.inner_text()
    assert "Your partner" in text and "Can your partner work?" in text
    assert ("Yes" in text) or ("Not confirmed: check the official page." in text)
    assert family.locator("a").count() >= 1  # a source, the dependants route or where to check


def test_what_continuous_ordinary_residence_means(site, phone_390):
    page = phone_390
    page.goto(site + "/hong-kong/qmas/")
    page.locator("a.glossary-link", has_text="continuous ordinary residence").first.click()
    assert page.url.endswith("/glossary/#continuous-ordinary-residence")
    entry = page.locator("#continuous-ordinary-residence").locator("xpath=..")
    assert "Seven years" in entry.inner_text()
    assert entry.locator("a.source").count() == 1


def test_the_search_box_is_in_the_header_and_understands_husband(site, phone_390):
    page = phone_390
    page.goto(site + "/hong-kong/qmas/")
    page.fill("#header-q", "husband")
    page.click(".site-search button")
    results = page.locator(".cards .card")
    assert results.count() >= 3
    assert "**" not in page.locator(".snippet").first.inner_text()
