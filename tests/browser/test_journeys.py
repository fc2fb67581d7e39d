"""Visitors' journeys from end to end: by the keyboard alone, with JavaScript off where the
journey is a form, and an edit going from an Editor through a Publisher to the page."""

import pytest

from guides.models import FAQ, Route, Source

from .conftest import console_errors

pytestmark = pytest.mark.browser

# Where the focused element is on the page, in the order a reader meets the regions.
REGIONS = ["skip link", "header", "breadcrumbs", "main", "footer"]
FOCUSED = """() => {
    const element = document.activeElement, style = getComputedStyle(element);
    const region = element.matches(".skip-link") ? "skip link"
        : element.closest(".site-header") ? "header"
        : element.closest(".breadcrumbs") ? "breadcrumbs"
        : element.closest("main") ? "main" : element.closest(".site-footer") ? "footer" : "";
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
        && style.outlineColor !== "rgba(0, 0, 0, 0)";
    const ring = outline || style.boxShadow !== "none"
        || style.backgroundColor === "rgb(255, 221, 0)";
    const box = element.getBoundingClientRect();
    const shown = box.bottom > 0 && box.top < innerHeight && box.width > 0;
    return {region, ring, shown, text: (element.innerText || element.name || "").trim()};
}"""


def tab_to(page, selector, limit=250):
    """Press Tab until `selector` has the focus, checking at each stop that the focus is
    visible (a ring, on screen) and moves forward through the page's regions."""
    seen = REGIONS.index("skip link")
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["ring"] and focused["shown"], f"focus not visible on {focused}"
        assert focused["region"], f"focus outside the page's regions: {focused}"
        region = REGIONS.index(focused["region"])
        assert region >= seen, f"focus went back from {REGIONS[seen]} to {focused}"
        seen = region
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached in {limit} presses of Tab")


@pytest.fixture
def keyboard_user(browser):
    """A 1280 px window whose user has no mouse; JavaScript is off, as forms must work without."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    errors = console_errors(page)
    yield page
    context.close()
    assert not errors


def test_a_keyboard_user_goes_from_home_to_qmas_and_reads_it(site, keyboard_user):
    page = keyboard_user
    page.goto(site + "/")
    positive_tabindex = "[tabindex]:not([tabindex^='-']):not([tabindex='0'])"
    assert page.locator(positive_tabindex).count() == 0  # the tab order is the reading order
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.skip-link')")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"
    page.goto(site + "/")
    tab_to(page, "main a[href='/hong-kong/']")
    page.keyboard.press("Enter")
    page.wait_for_url(site + "/hong-kong/")
    tab_to(page, "main a[href='/hong-kong/qmas/']")
    page.keyboard.press("Enter")
    page.wait_for_url(site + "/hong-kong/qmas/")

    # A cited source: an official address, checked here, not followed off the site.
    tab_to(page, "main a.source")
    cited = page.evaluate("document.activeElement.href")
    assert Source.objects.filter(url=cited).exists()

    related = page.locator("#related ~ * a").first.get_attribute("href")
    tab_to(page, f"main a[href='{related}']")

    faq = FAQ.objects.filter(route__slug="qmas").order_by("position", "pk").first()
    tab_to(page, "#faq ~ details > summary")
    answer = page.locator("#faq ~ details").first
    assert answer.count() == 1 and not answer.locator(".details__text").is_visible()
    page.keyboard.press("Enter")
    assert answer.locator(".details__text").is_visible()
    assert faq.question in answer.locator("summary").inner_text()

    # Back to the related route, with Shift+Tab, and on to it.
    for _ in range(200):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("h => document.activeElement.getAttribute('href') === h", related):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(site + related)
    jurisdiction, slug = related.strip("/").split("/")
    route = Route.objects.get(jurisdiction__slug=jurisdiction, slug=slug)
    assert route.title in page.locator("h1").inner_text()


def test_a_visitor_filters_the_route_list_then_searches(site, phone):
    phone.goto(site + "/routes/")
    everything = phone.locator(".results .card").count()
    phone.select_option("#id_jurisdiction", "singapore")
    phone.click("text=Apply filters")
    assert "jurisdiction=singapore" in phone.url
    cards = phone.locator(".results .card")
    assert 0 < cards.count() < everything
    assert all("Singapore" in card.inner_text() for card in cards.all())
    phone.fill("#header-q", "husband")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/search/?q=husband")
    results = phone.locator(".cards .card")
    assert results.count() > 0
    assert "Dependant" in results.first.inner_text()


def test_a_keyboard_user_runs_the_finder_without_javascript(site, keyboard_user):
    page = keyboard_user
    page.goto(site + "/finder/")
    tab_to(page, "#id_jurisdictions_1")  # Hong Kong
    page.keyboard.press("Space")
    tab_to(page, "#id_nationality")
    page.keyboard.type("India")
    tab_to(page, "#id_age")
    page.keyboard.type("30")
    tab_to(page, "#id_purposes_1")  # Settle
    page.keyboard.press("Space")
    tab_to(page, "input[name=job_offer]:checked")  # Tab reaches a group's chosen option
    page.keyboard.press("ArrowUp")  # from "Not sure" to "No"
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/finder/?*")
    assert "nationality=IN" in page.url and "job_offer=no" in page.url
    fits = page.locator("section.finder-results").first
    assert "Quality Migrant Admission Scheme" in fits.inner_text()


def test_a_keyboard_user_checks_their_fit_without_javascript(site, keyboard_user):
    page = keyboard_user
    page.goto(site + "/hong-kong/qmas/self-assessment/")
    test = page.locator("form.self-check").first
    names = test.locator("input[type=radio][value=yes]").evaluate_all(
        "inputs => inputs.map(input => input.name)"
    )
    for number, name in enumerate(names):
        tab_to(page, f"input[name='{name}']")
        # The first seven "yes" (Space), the rest "no" (the arrow moves to it and checks it).
        page.keyboard.press("Space" if number < 11 else "ArrowDown")
    tab_to(page, "form.self-check button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**test=general-points-test*")
    result = page.locator(".self-check-result").inner_text()
    assert "You meet 7 of the 12 criteria; 6 are needed to apply." in result


def test_an_faq_answer_goes_from_editor_to_publisher_to_the_page(site, signed_in, browser):
    qmas = Route.objects.get(slug="qmas")
    form_url = f"{site}/admin/guides/route/{qmas.pk}/change/"
    editor = signed_in("eddie", "Editors")
    editor.goto(form_url)
    editor.click("#faqs-group summary")
    answer = editor.locator("#id_faqs-0-answer")
    answer.fill("No. You need **no job offer** to apply.")
    preview = editor.locator("#faqs-0 .markdownx-preview")
    preview.locator("strong").wait_for(timeout=10_000)
    assert preview.inner_text().strip() == "No. You need no job offer to apply."
    with editor.expect_navigation():
        editor.click("input[name=_save]")
    with editor.expect_navigation():
        editor.click("button:text('Submit for review')")
    assert "Submitted for review" in editor.content()

    visitor = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    visitor.goto(site + "/hong-kong/qmas/")  # stored in the page cache before the publish
    assert "You need no job offer to apply." not in visitor.content()

    publisher = signed_in("pat", "Publishers")
    publisher.goto(form_url)
    publisher.get_by_role("link", name="Publish…").click()
    publisher.fill("#id_note", "FAQ answer shortened.")
    with publisher.expect_navigation():
        publisher.click("input[name=publish]")
    assert "Published" in publisher.locator(".messagelist").inner_text()

    # Browsers may keep a page for a minute (Cache-Control); reloading asks the site again.
    visitor.reload()
    first_answer = visitor.locator("#faq ~ details").first
    first_answer.locator("summary").click()
    assert first_answer.locator(".details__text strong").inner_text() == "no job offer"
    visitor.context.close()
