"""Finding routes: browse with filters, the jurisdictions list, professions, the home page."""

import pytest
from django.urls import reverse

from guides.models import Route

from .factories import make_category, make_jurisdiction, make_profession, make_route

ROUTES = reverse("guides:route-list")


@pytest.fixture
def catalogue(db):
    """Six routes across two jurisdictions and two categories, one draft."""
    hk, uk = (
        make_jurisdiction(slug="hk", short_name="HK"),
        make_jurisdiction(slug="uk", short_name="UK"),
    )
    skilled, family = make_category(slug="skilled"), make_category(slug="family")
    nurse = make_profession(slug="nurse", name="Nurse")
    rows = [
        # name, jurisdiction, category, sponsor needed, settlement, last reviewed, status
        ("Alpha", hk, skilled, "no", "yes", "2026-01-01", "published"),
        ("Bravo", hk, family, "yes", "depends", "2026-06-01", "published"),
        ("Charlie", uk, skilled, "yes", "yes", "2026-03-01", "published"),
        ("Delta", uk, skilled, "no", "no", "2026-09-01", "published"),
        ("Echo", uk, family, "no", "yes", "2025-01-01", "published"),
        ("Foxtrot draft", uk, skilled, "no", "yes", "2026-10-01", "draft"),
    ]
    routes = {
        name.split()[0].lower(): make_route(
            name=name,
            jurisdiction=jurisdiction,
            category=category,
            sponsorship_required=sponsor,
            leads_to_permanent_residency=settlement,
            last_reviewed=reviewed,
            status=status,
        )
        for name, jurisdiction, category, sponsor, settlement, reviewed, status in rows
    }
    for name in ["charlie", "echo", "foxtrot"]:
        routes[name].professions.add(nurse)
    return routes


def names(client, **params):
    response = client.get(ROUTES, params)
    assert response.status_code == 200
    return [route.name for route in response.context["routes"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]),
        ({"jurisdiction": "uk"}, ["Charlie", "Delta", "Echo"]),
        ({"category": "family"}, ["Bravo", "Echo"]),
        ({"sponsorship": "no"}, ["Alpha", "Delta", "Echo"]),
        ({"settlement": "yes"}, ["Alpha", "Charlie", "Echo"]),
        ({"profession": "nurse"}, ["Charlie", "Echo"]),
        ({"jurisdiction": "uk", "sponsorship": "no"}, ["Delta", "Echo"]),
        ({"jurisdiction": "uk", "sponsorship": "no", "settlement": "yes"}, ["Echo"]),
        ({"category": "skilled", "profession": "nurse"}, ["Charlie"]),
        ({"jurisdiction": "hk", "profession": "nurse"}, []),
        ({"sort": "reviewed"}, ["Delta", "Bravo", "Charlie", "Alpha", "Echo"]),
    ],
)
def test_each_filter_and_combinations_of_them(client, catalogue, params, expected):
    assert names(client, **params) == expected


def test_the_result_count_is_shown_and_drafts_are_absent(client, catalogue):
    page = client.get(ROUTES, {"sponsorship": "no"}).content.decode()
    assert "3 routes" in page
    assert "Foxtrot" not in client.get(ROUTES).content.decode()


@pytest.mark.parametrize(
    "params",
    [{"jurisdiction": "atlantis"}, {"sponsorship": "maybe"}, {"sort": "price"},
     {"profession": "<script>"}],
)  # fmt: skip
def test_unknown_filter_values_are_reported_and_ignored(client, catalogue, params):
    response = client.get(ROUTES, params)
    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main", 1)[1]
    assert len(response.context["routes"]) == 5


def test_filtered_lists_are_noindex_with_a_self_canonical(client, catalogue):
    page = client.get(ROUTES, {"jurisdiction": "uk", "utm_source": "mail"}).content.decode()
    assert '<meta name="robots" content="noindex, follow">' in page
    assert 'rel="canonical" href="https://routeguide.test/routes/?jurisdiction=uk"' in page
    assert "noindex" not in client.get(ROUTES).content.decode()


def test_pagination_edges(client, db):
    jurisdiction, category = make_jurisdiction(), make_category()
    for number in range(45):
        make_route(name=f"Route {number:02}", jurisdiction=jurisdiction, category=category)
    first = client.get(ROUTES)
    assert len(first.context["routes"]) == 20
    assert 'rel="next" href="?page=2"' in first.content.decode()
    last = client.get(ROUTES, {"page": 3})
    assert [route.name for route in last.context["routes"]] == [f"Route {n}" for n in range(40, 45)]
    assert 'rel="next"' not in last.content.decode()
    assert client.get(ROUTES, {"page": 4}).status_code == 404
    assert client.get(ROUTES, {"page": "x"}).status_code == 404
    filtered = client.get(ROUTES, {"category": category.slug, "page": 2}).content.decode()
    assert f'href="?category={category.slug}&amp;page=3"' in filtered


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_is_fixed_as_data_grows(
    client, db, count, no_page_cache, django_assert_max_num_queries
):
    jurisdiction, category = make_jurisdiction(), make_category()
    for _ in range(count):
        make_route(jurisdiction=jurisdiction, category=category).professions.add(make_profession())
    with django_assert_max_num_queries(6):
        assert client.get(ROUTES).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/jurisdictions/").status_code == 200


def test_jurisdictions_page_lists_them_with_their_route_counts(client, catalogue):
    page = client.get("/jurisdictions/").content.decode()
    assert '<a href="/uk/">UK</a>' in page
    assert '<p class="card__meta">3 routes</p>' in page.split('href="/uk/"', 1)[1].split("</li>")[0]


def test_the_home_page_leads_into_the_catalogue(client, catalogue):
    page = client.get("/").content.decode()
    assert 'action="/search/"' in page
    assert 'href="/routes/?category=skilled"' in page
    assert 'href="/professions/nurse/">Nurse</a> (2)' in page
    assert "Recently updated" in page
    assert "Foxtrot" not in page


def test_profession_pages_list_routes_across_jurisdictions(client, catalogue):
    page = client.get("/professions/nurse/").content.decode()
    assert ">Charlie</a>" in page and ">Echo</a>" in page and "Foxtrot" not in page
    assert "UK · " in page


def test_every_fixture_route_renders_and_every_item_cites_a_source(client, seeded):
    for route in Route.objects.published().prefetch_related("criteria", "blockers", "evidence"):
        response = client.get(route.get_absolute_url())
        assert response.status_code == 200, route
        page = response.content.decode()
        for item in [*route.criteria.all(), *route.blockers.all(), *route.evidence.all()]:
            assert f'href="{item.source.url}"' in page
        assert route.official_links.exists(), route
        assert route.criteria.count() >= 3, route


def test_jurisdictions_are_listed_alphabetically(client, seeded):
    page = client.get("/jurisdictions/").content.decode()
    names = ["Canada", "Hong Kong", "Singapore", "United Kingdom"]
    positions = [page.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)


def test_a_filtered_list_shows_its_results_first_with_the_filters_in_words(client, seeded):
    page = client.get("/routes/", {"sponsorship": "no", "settlement": "yes"}).content.decode()
    main = page.split("<main")[1]
    summary = "routes with no job offer needed leading to permanent residence"
    assert summary in main
    assert main.index('<details class="filters-fold">') < main.index("results__count")
    assert '<details class="filters-fold" open' not in main  # folded: the results come first
    assert "No Singapore route matches these filters." in main
    assert main.count("Needs a job offer or sponsor: No · Leads to permanent residence: Yes") == 3
    unfiltered = client.get("/routes/").content.decode()
    assert '<details class="filters-fold">' not in unfiltered
    assert "matches these filters" not in unfiltered
