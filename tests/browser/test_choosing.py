"""A visitor weighs routes on a 360 px phone with JavaScript off: the finder, then two routes
side by side, then their official sources."""

import pytest

from guides.models import Route, Source

pytestmark = pytest.mark.browser


def test_an_indian_settler_finds_compares_and_reaches_the_sources(site, phone):
    phone.goto(site + "/")
    phone.click("text=Start the route finder")
    for place in ["Hong Kong", "Singapore", "Canada"]:
        phone.get_by_label(place, exact=True).check()
    phone.select_option("#id_nationality", "IN")
    phone.fill("#id_age", "30")
    phone.get_by_label("Settle", exact=True).check()
    phone.locator("#id_job_offer_1").check()  # "No"
    phone.locator("#id_wants_permanent_residency_0").check()  # "Yes"
    phone.click("text=Show the routes")
    assert "nationality=IN" in phone.url  # a result can be bookmarked
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    fits = phone.locator("section.finder-results").nth(0)
    may_fit = phone.locator("section.finder-results").nth(1)
    not_fit = phone.locator("section.finder-results").nth(2)
    assert "Quality Migrant Admission Scheme" in fits.inner_text()
    assert "No job offer needed" in fits.inner_text()
    assert "Express Entry" in fits.inner_text() + may_fit.inner_text()
    assert "Admission Scheme for Mainland Talents" in not_fit.inner_text()
    assert "Only for Chinese residents of the Mainland" in not_fit.inner_text()

    phone.goto(site + "/hong-kong/qmas/")
    phone.click("#compare >> xpath=.. >> text=Express Entry")
    assert phone.locator("table.comparison").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # On a phone each fact is a block with each route's answer under the route's name.
    age = phone.locator("table.comparison tr", has_text="You must be 18 or older")
    assert age.locator("td").first.evaluate("e => getComputedStyle(e, '::before').content") == (
        '"Quality Migrant Admission Scheme (QMAS)"'
    )
    sources = phone.locator("table.comparison a.source")
    assert sources.count() >= 4
    cited = {sources.nth(n).get_attribute("href") for n in range(sources.count())}
    assert cited <= set(Source.objects.values_list("url", flat=True))
    official = Route.objects.get(slug="qmas").official_links.first().url
    assert phone.locator(f"table.comparison a[href='{official}']").is_visible()
