"""/compare/: routes side by side, in the visitor's order; two jurisdictions side by side."""

import re

import pytest
from django.utils.html import escape

from guides.models import Jurisdiction, Route

from .factories import make_route

COMPARE = "/compare/"
QMAS_AND_EXPRESS_ENTRY = {"routes": "hong-kong/qmas,canada/express-entry"}


@pytest.fixture
def side_by_side(client, seeded):
    return client.get(COMPARE, QMAS_AND_EXPRESS_ENTRY).content.decode()


def column_titles(page):
    return re.findall(r'<th scope="col"><a href="([^"]+)"', page)


def test_two_routes_side_by_side_row_by_row_with_sources(side_by_side):
    qmas = Route.objects.get(slug="qmas")
    assert column_titles(side_by_side) == ["/hong-kong/qmas/", "/canada/express-entry/"]
    for label in ["Who it is for", "Needs a job offer or sponsor", "Leads to permanent residence",
                  "How long you can stay at first", "What it costs (government fees)",
                  "How long it takes to get a decision",
                  "Open to applications", "Age", "Nationality", "Typical criteria",
                  "Common blockers", "Apply"]:  # fmt: skip
        assert f'<th scope="row">{label}</th>' in side_by_side
    assert f'href="{qmas.fees_source.url}"' in side_by_side
    assert f'href="{qmas.age_source.url}"' in side_by_side
    assert "You must be 18 or older when you apply." in side_by_side
    assert f'href="{qmas.official_links.first().url}"' in side_by_side


def test_an_unknown_fact_says_so_and_never_reads_as_no(side_by_side):
    age_row = side_by_side.split('<th scope="row">Age</th>')[1].split("</tr>")[0]
    assert "Not confirmed: refer to the official page." in age_row
    assert ">No<" not in age_row and ">No.<" not in age_row


def test_the_visitors_order_is_kept_and_canonical_sorts_it(client, seeded):
    page = client.get(COMPARE, {"routes": "canada/express-entry,hong-kong/qmas"}).content.decode()
    assert column_titles(page) == ["/canada/express-entry/", "/hong-kong/qmas/"]
    assert (
        '<link rel="canonical" href="https://routeguide.test/compare/?routes=canada/express-entry,hong-kong/qmas">'
        in page
    )
    other_order = client.get(COMPARE, QMAS_AND_EXPRESS_ENTRY).content.decode()
    assert (
        'href="https://routeguide.test/compare/?routes=canada/express-entry,hong-kong/qmas"'
        in other_order
    )
    assert '<meta name="robots" content="noindex, follow">' in page


@pytest.mark.parametrize(
    "routes, message",
    [
        ("hong-kong/qmas", "Choose at least two routes"),
        ("hong-kong/qmas,hong-kong/qmas", "Choose at least two routes"),
        ("hong-kong/qmas,hong-kong/nope", "We could not find a published route “hong-kong/nope”"),
        ("<script>,,,///,%%", "Choose at least two routes"),
        ("a" * 5000, "Choose at least two routes"),
    ],
)
def test_bad_comparisons_get_a_clear_message(client, seeded, routes, message):
    response = client.get(COMPARE, {"routes": routes})
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert "<script>" not in response.content.decode().split("</header>", 1)[1]


def test_five_routes_are_cut_to_four_with_a_message(client, seeded):
    keys = [
        f"{r.jurisdiction.slug}/{r.slug}"
        for r in Route.objects.published().select_related("jurisdiction")[:5]
    ]
    page = client.get(COMPARE, {"routes": ",".join(keys)}).content.decode()
    assert "You can compare up to 4 routes" in page
    assert len(column_titles(page)) == 4


def test_drafts_never_appear(client, seeded):
    qmas = Route.objects.get(slug="qmas")
    draft = make_route(jurisdiction=qmas.jurisdiction, status=Route.Status.DRAFT)
    page = client.get(
        COMPARE, {"routes": f"hong-kong/qmas,hong-kong/{draft.slug}"}
    ).content.decode()
    assert f"hong-kong/{draft.slug}" in page and "We could not find" in page
    assert draft.name not in page


def test_the_picker_works_without_javascript(client, seeded):
    picker = client.get(COMPARE).content.decode()
    assert 'href="?in=hong-kong"' in picker
    assert 'name="route"' not in picker
    assert "noindex" not in picker
    in_hong_kong = client.get(COMPARE, {"in": "hong-kong"}).content.decode()
    assert 'name="route" value="hong-kong/qmas"' in in_hong_kong
    assert 'value="singapore/employment-pass"' not in in_hong_kong
    carried = client.get(COMPARE, {"in": "singapore", "routes": "hong-kong/qmas"}).content.decode()
    assert '<input type="hidden" name="routes" value="hong-kong/qmas">' in carried
    response = client.get(COMPARE + "?route=hong-kong/qmas&route=singapore/employment-pass")
    assert response.status_code == 302
    assert response["Location"] == "/compare/?routes=hong-kong/qmas,singapore/employment-pass"


def test_a_route_can_be_added_and_removed(client, seeded, side_by_side):
    response = client.get(COMPARE, {**QMAS_AND_EXPRESS_ENTRY, "add": "singapore/employment-pass"})
    assert response["Location"] == (
        "/compare/?routes=hong-kong/qmas,canada/express-entry,singapore/employment-pass"
    )
    assert 'href="/compare/?routes=canada/express-entry">Remove' in side_by_side
    assert '<select id="add-route" name="add">' in side_by_side
    assert 'value="canada/federal-skilled-worker"' in side_by_side  # also a route to settle
    assert 'href="?in=singapore&amp;routes=hong-kong/qmas,canada/express-entry"' in side_by_side


def test_queries_stay_fixed_with_two_or_four_routes(
    client, seeded, no_page_cache, django_assert_max_num_queries
):
    four = "hong-kong/qmas,canada/express-entry,singapore/employment-pass,united-kingdom/graduate"
    with django_assert_max_num_queries(12) as two_routes:
        client.get(COMPARE, QMAS_AND_EXPRESS_ENTRY)
    with django_assert_max_num_queries(len(two_routes.captured_queries)):
        client.get(COMPARE, {"routes": four})


def test_a_route_page_offers_comparisons_that_lead_somewhere(client, seeded):
    page = client.get("/hong-kong/qmas/").content.decode()
    compare = page.split('id="compare"')[1].split("</section>")[0]
    assert 'href="/compare/hong-kong-vs-singapore/"' in compare
    assert 'href="/compare/?routes=hong-kong/qmas,canada/express-entry"' in compare
    assert "/compare/?routes=hong-kong/qmas,singapore/dependants-pass" not in compare


def test_two_jurisdictions_side_by_side_grouped_by_purpose(client, seeded):
    response = client.get("/compare/hong-kong-vs-singapore/")
    page = response.content.decode()
    assert response.status_code == 200
    for route in Route.objects.published().filter(
        jurisdiction__slug__in=["hong-kong", "singapore"]
    ):
        assert route.get_absolute_url() in page
    hong_kong = Route.objects.published().filter(jurisdiction__slug="hong-kong", purpose="work")
    without = hong_kong.filter(sponsorship_required="no").count()
    assert f"Hong Kong has {without} route{'s' if without != 1 else ''} without a job offer" in page


def test_jurisdiction_pairs_have_one_address(client, seeded):
    response = client.get("/compare/singapore-vs-hong-kong/")
    assert response.status_code == 301
    assert response["Location"] == "/compare/hong-kong-vs-singapore/"
    assert client.get("/compare/hong-kong-vs-atlantis/").status_code == 404
    assert client.get("/compare/hong-kong-vs-hong-kong/").status_code == 404
    assert client.get("/compare/junk/").status_code == 404


def test_the_pairs_route_pages_name_are_in_the_sitemap_with_their_lastmod(client, seeded):
    sitemap = client.get("/sitemap-comparisons.xml").content.decode()
    assert "https://routeguide.test/compare/hong-kong-vs-singapore/" in sitemap
    singapore = Jurisdiction.objects.get(slug="singapore")
    hong_kong = Jurisdiction.objects.get(slug="hong-kong")
    latest = max(hong_kong.page_changed_at, singapore.page_changed_at)
    entry = sitemap.split("hong-kong-vs-singapore/</loc>")[1].split("</url>")[0]
    assert f"<lastmod>{latest.isoformat()}</lastmod>" in entry


def test_compare_with_offers_a_short_list_so_the_route_page_keeps_its_size(client, seeded):
    qmas = Route.objects.get(slug="qmas")
    before = len(client.get(qmas.get_absolute_url()).content)
    for _ in range(200):
        make_route(purpose=qmas.purpose)
    page = client.get(qmas.get_absolute_url()).content
    compare = page.decode().split('id="compare"')[1].split("</section>")[0]
    assert compare.count("/compare/?routes=") <= len(qmas.related_routes.all()) + 8
    assert len(page) - before < 2_000
