"""WCAG 2.2 AA, checked by axe-core in Chromium on every type of page, on a phone and a
desktop screen, in the light and the dark theme; no console errors; a screenshot of each
written to artefacts/browser/ to look at."""

import pytest

from .conftest import NODE_TOOLS, PAGE_TYPES, console_errors

pytestmark = pytest.mark.browser


WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
VIEWS = [(360, 740, "light"), (360, 740, "dark"), (1280, 800, "light"), (1280, 800, "dark")]

AXE_RUN = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return result.violations.flatMap(v => v.nodes.map(n =>
        `${v.id} (${v.impact}): ${n.target.join(" ")}: ${n.failureSummary.replace(/\\s+/g, " ")}`
    ));
}"""


@pytest.fixture(scope="session")
def axe_script():
    script = NODE_TOOLS / "axe-core" / "axe.min.js"
    assert script.exists(), f"{script} is missing: run `make test-browser`"
    return script.read_text()


@pytest.mark.parametrize(("width", "height", "scheme"), VIEWS, ids=lambda v: str(v))
def test_every_page_type_meets_wcag_22_aa_without_console_errors(
    site, open_page, axe_script, artefacts, width, height, scheme
):
    page = open_page(width, height, scheme)
    errors = console_errors(page)
    failures = []
    for name, path in PAGE_TYPES.items():
        errors.clear()
        status = 404 if name == "not-found" else 200
        assert page.goto(site + path).status == status, path
        if name == "search-page-2":
            assert page.locator(".pagination a").count() > 0
        page.screenshot(path=artefacts / f"{name}-{width}-{scheme}.png", full_page=True)
        page.add_script_tag(content=axe_script)
        where = f"{path} at {width} px, {scheme}"
        failures += [f"{where}: {violation}" for violation in page.evaluate(AXE_RUN, WCAG_AA)]
        # A 404 page logs its own status as a failed load: that is the page working.
        failures += [f"{where}: console: {e}" for e in errors if e != f"{status} {page.url}"]
    assert not failures, "\n".join(failures)


def test_external_links_are_announced_as_leaving_the_site(site, open_page):
    page = open_page(1280, 800)
    page.goto(site + "/hong-kong/qmas/")
    session = page.context.new_cdp_session(page)
    # The names Chromium gives screen readers, with what the CSS adds to each link.
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    link_names = [n["name"]["value"] for n in nodes if n.get("role", {}).get("value") == "link"]
    leaving = [name for name in link_names if name.endswith(" (another website)")]
    assert len(leaving) == page.locator("a[rel~=external]").count() > 20
    # Each says where it goes: the publisher of a source, the page of an official link.
    assert "Source: Immigration Department (Hong Kong SAR) (another website)" in leaving
    official = page.locator(".official-link__link a").first.inner_text()
    assert f"{official} (another website)" in leaving
    assert "Home" in link_names  # a link within the site says nothing more
