"""/finder/: answers in the address, every route weighed once, reasons in plain words."""

import re

import pytest
from django.urls import reverse

from guides.models import Country, Route

from .factories import make_route

FINDER = "/finder/"
INDIAN_SETTLER = {
    "jurisdictions": ["hong-kong", "singapore", "canada"],
    "nationality": "IN",
    "age": "30",
    "purposes": "settle",
    "job_offer": "no",
    "wants_permanent_residency": "yes",
}


def section(page, title):
    """The HTML of the result group headed `title`, up to the next group."""
    start = page.index(f">{title} (")
    end = page.find('<section class="finder-results"', start)
    return page[start : end if end != -1 else len(page)]


def route_links(html):
    return re.findall(r'<h3 class="card__title"><a href="([^"]+)"', html)


@pytest.fixture
def indian_settler(client, seeded):
    return client.get(FINDER, INDIAN_SETTLER).content.decode()


def test_the_finder_is_a_plain_get_form_that_stores_nothing(client, seeded):
    response = client.get(FINDER)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<form class="form finder-form" method="get"' in page
    for name in ["jurisdictions", "nationality", "age", "purposes", "job_offer", "profession"]:
        assert f'name="{name}"' in page
    assert "Routes that fit" not in page
    assert 'name="robots"' not in page


def test_an_indian_settler_sees_qmas_fit_express_entry_fit_or_may_fit_asmtp_not(indian_settler):
    fits = section(indian_settler, "Routes that fit")
    may_fit = section(indian_settler, "Routes that may fit")
    not_fit = section(indian_settler, "Routes that do not fit")
    assert "/hong-kong/qmas/" in route_links(fits)
    assert "No job offer needed" in fits and "Leads to permanent residence" in fits
    assert "/canada/express-entry/" in route_links(fits) + route_links(may_fit)
    assert "/hong-kong/asmtp/" in route_links(not_fit)
    assert "Only for Chinese residents of the Mainland" in not_fit
    assert 'name="robots" content="noindex, follow"' in indian_settler


def test_every_published_route_of_the_chosen_jurisdictions_appears_exactly_once(indian_settler):
    shown = route_links(indian_settler)
    expected = Route.objects.published().filter(
        jurisdiction__slug__in=INDIAN_SETTLER["jurisdictions"]
    )
    assert sorted(shown) == sorted(route.get_absolute_url() for route in expected)


def test_no_jurisdiction_chosen_means_all_and_drafts_never_appear(client, seeded):
    draft = make_route(
        jurisdiction=Route.objects.get(slug="qmas").jurisdiction, status=Route.Status.DRAFT
    )
    page = client.get(FINDER, {"age": "30"}).content.decode()
    assert len(route_links(page)) == Route.objects.published().count()
    assert draft.get_absolute_url() not in page


def test_the_first_routes_that_fit_can_be_compared(client, seeded):
    page = client.get(FINDER, {"job_offer": "no"}).content.decode()
    link = re.search(r'href="(/compare/\?routes=[^"]+)"', page).group(1)
    keys = link.split("=", 1)[1].split(",")
    assert 2 <= len(keys) <= 4
    assert all(f"/{key}/" in route_links(section(page, "Routes that fit")) for key in keys)


@pytest.mark.parametrize(
    "query, field",
    [
        ({"age": "-3"}, "age"),
        ({"age": "500"}, "age"),
        ({"age": "thirty"}, "age"),
        ({"nationality": "ZZ"}, "nationality"),
        ({"purposes": "fly"}, "purposes"),
        ({"jurisdictions": "atlantis"}, "jurisdictions"),
        ({"job_offer": "maybe"}, "job_offer"),
        ({"profession": "wizard"}, "profession"),
    ],
)
def test_bad_answers_show_the_form_again_with_a_message(client, seeded, query, field):
    response = client.get(FINDER, query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'href="#id_{field}' in page
    assert "Routes that fit" not in page


def test_repeated_parameters_never_break_it(client, seeded):
    response = client.get(FINDER + "?age=30&age=40&nationality=IN&nationality=GB&job_offer=no")
    assert response.status_code == 200


def test_routes_that_do_not_fit_are_summarised_by_reason_and_paginated(client, seeded):
    place = Route.objects.get(slug="qmas").jurisdiction
    for _ in range(25):
        make_route(jurisdiction=place, sponsorship_required="yes")
    page = client.get(FINDER, {"job_offer": "no", "jurisdictions": place.slug}).content.decode()
    not_fit = section(page, "Routes that do not fit")
    count = Route.objects.published().filter(jurisdiction=place, sponsorship_required="yes").count()
    assert f"Needs a job offer or sponsor: {count} routes" in not_fit
    assert len(route_links(not_fit)) == 20
    assert "page=2" in not_fit
    second = client.get(FINDER, {"job_offer": "no", "jurisdictions": place.slug, "page": 2})
    assert (
        len(route_links(section(second.content.decode(), "Routes that do not fit"))) == count - 20
    )


def test_queries_stay_fixed_as_the_catalogue_grows(
    client, seeded, no_page_cache, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as before:
        client.get(FINDER, INDIAN_SETTLER | {"profession": "software-engineer"})
    place = Route.objects.get(slug="qmas").jurisdiction
    for _ in range(20):
        route = make_route(jurisdiction=place)
        route.open_only_to.set(Country.objects.filter(code__in=["CN", "IN"]))
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(FINDER, INDIAN_SETTLER | {"profession": "software-engineer"})


def test_every_page_links_to_the_finder_browse_compare_and_search(client, seeded):
    for path in ["/", "/hong-kong/", "/hong-kong/qmas/", "/sources/"]:
        page = client.get(path).content.decode()
        nav = page[page.index('<nav class="site-nav"') :]
        nav = nav[: nav.index("</nav>")]
        for name in ["finder", "route-list", "compare", "search"]:
            assert f'href="{reverse(f"guides:{name}")}"' in nav, (path, name)
