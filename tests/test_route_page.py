import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from guides.models import Country, Route

from .factories import add_parts, make_jurisdiction, make_route, make_source


@pytest.fixture
def qmas_page(client, seeded):
    response = client.get("/hong-kong/qmas/")
    assert response.status_code == 200
    return response


def test_route_page_shows_every_section_of_the_seed_page_in_order(qmas_page):
    html = qmas_page.content.decode()
    headings = [
        "<h1>Quality Migrant Admission Scheme (QMAS)</h1>",
        'id="key-facts">Key facts',
        'id="overview">Overview',
        'id="eligibility">Eligibility',
        'id="criteria">Typical criteria',
        'id="blockers">Common blockers',
        'id="evidence">Typical evidence',
        'id="pathway">Application pathway',
        'id="official-links">Official application links',
        'id="professions">Matches these professions',
        'id="related">Related routes',
        'id="faq">Frequently asked questions',
        'id="advice">Need tailored advice?',
    ]
    positions = [html.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert html.count("<h1") == 1


def test_route_page_shows_the_route_from_the_database(qmas_page):
    route = Route.objects.get(jurisdiction__slug="hong-kong", slug="qmas")
    page = qmas_page.content.decode()
    assert escape(route.jurisdiction.name) in page
    assert escape(route.summary) in page
    assert f'href="{route.author.get_absolute_url()}">{route.author.name}</a>' in page
    assert route.last_reviewed.strftime("%Y-%m-%d") in page
    for label, _text, _source in route.key_facts():
        assert f"<dt>{label}</dt>" in page
    for item in [*route.criteria.all(), *route.blockers.all(), *route.evidence.all()]:
        assert escape(item.text) in without_glossary_links(page)
        assert f'href="{item.source.url}"' in page
    for step in route.steps.all():
        assert f"<h3>{escape(step.title)}</h3>" in page
    for link in route.official_links.all():
        assert f'href="{link.url}"' in page
    for related in route.related_routes.all():
        assert f'href="{related.get_absolute_url()}">{escape(related.title)}</a>' in page
        assert escape(related.summary) in page
    assert page.count('<details class="details">') == route.faqs.count()
    assert route.notice_html in page


def test_hong_kong_advice_note_says_no_regulator_is_confirmed_and_links_nowhere(qmas_page):
    assert "We have not confirmed a regulator of immigration advisers in Hong Kong" in (
        qmas_page.content.decode()
    )
    assert "Find a regulated adviser" not in qmas_page.content.decode()


def test_advice_note_links_to_the_cited_register_where_one_exists(client, db):
    register = make_source(publisher="Regulator", title="Register of advisers")
    route = make_route(jurisdiction=make_jurisdiction(adviser_register=register))
    response = client.get(route.get_absolute_url())
    assert f'href="{register.url}"' in response.content.decode()
    assert "Find a regulated adviser: Register of advisers" in response.content.decode()


def test_empty_sections_are_left_out(client, db):
    route = make_route()
    page = client.get(route.get_absolute_url()).content.decode()
    for section_id in ["overview", "eligibility", "pathway", "official-links", "professions",
                       "explored-by", "compare", "related", "faq"]:  # fmt: skip
        assert f'id="{section_id}"' not in page
    assert 'id="key-facts"' in page
    assert "Refer to the official page." in page


def test_excluded_nationalities_are_listed_under_their_blocker(client, db):
    route = add_parts(make_route(), 1)
    blocker = route.blockers.get()
    blocker.excluded_nationalities.set(Country.objects.filter(code__in=["AF", "KP"]))
    page = client.get(route.get_absolute_url()).content.decode()
    blocker_at = page.index(blocker.text)
    assert blocker_at < page.index("<li>Afghanistan</li>") < page.index('id="evidence"')
    assert "<li>North Korea</li>" in page


def test_closed_route_stays_a_page_with_a_banner(client, db):
    route = make_route(availability=Route.Availability.CLOSED)
    response = client.get(route.get_absolute_url())
    assert response.status_code == 200
    assert "This route is closed to new applications." in response.content.decode()


def test_closing_route_gives_its_last_day(client, db):
    route = make_route(availability=Route.Availability.CLOSING, closing_on="2027-01-31")
    assert (
        "The last day to apply is 31 January 2027."
        in client.get(route.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("items", [3, 30])
def test_route_page_query_count_does_not_grow_with_items(
    client, db, items, no_page_cache, django_assert_num_queries
):
    route = add_parts(make_route(purpose="work"), items)
    route.explored_by.set(Country.objects.all()[:items])
    route.open_only_to.set(Country.objects.all()[:items])
    route.compare_with.add(make_jurisdiction())
    # One for the route, the rows it points to and its parts (stored with its row), one for
    # the countries they name, four for its professions, jurisdictions to compare with,
    # related routes and self-assessments, one for every source they cite, one for the
    # routes of its purpose to compare it with, one for the glossary.
    with django_assert_num_queries(9):
        response = client.get(route.get_absolute_url())
    assert response.content.decode().count("<h3>Step") == items
    with django_assert_num_queries(1):
        revalidated = client.get(route.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert revalidated.status_code == 304


def test_script_in_markdown_never_reaches_the_page(client, db):
    route = make_route(
        overview='Hello <script>alert("x")</script> [click](javascript:alert(1)) '
        '<img src="x" onerror="alert(1)">',
    )
    add_parts(route, 1)
    faq = route.faqs.get()
    faq.answer = "<script>steal()</script> **bold**"
    faq.save()
    page = client.get(route.get_absolute_url()).content.decode()
    assert "<script>" not in page
    assert "onerror" not in page
    assert "javascript:" not in page
    assert "<strong>bold</strong>" in page


@pytest.mark.parametrize(
    "path", ["/nowhere/", "/nowhere/qmas/", "/hong-kong/no-such-route/", "/hong-kong/qmas/x/"]
)
def test_unknown_jurisdictions_and_routes_are_404(client, seeded, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_draft_route_is_404_to_visitors(client, db):
    route = make_route(status=Route.Status.DRAFT)
    assert client.get(route.get_absolute_url()).status_code == 404


def test_route_in_another_jurisdiction_is_not_found_under_the_wrong_one(client, db):
    route = make_route()
    other = make_jurisdiction()
    url = reverse("guides:route", kwargs={"jurisdiction": other.slug, "slug": route.slug})
    assert client.get(url).status_code == 404


def without_glossary_links(page):
    """The page with its glossary links reduced to their words."""
    return re.sub(r'<a href="[^"]*" class="glossary-link">([^<]*)</a>', r"\1", page)


def test_the_page_shows_each_change_to_its_stored_parts_at_once(client, db):
    """The page reads its parts from the copy stored with the route: every way they change
    (a save, a delete, a list of countries) rewrites that copy in the same transaction."""
    route = add_parts(make_route(), 2)
    blocker = route.blockers.first()
    india, nepal = Country.objects.get(code="IN"), Country.objects.get(code="NP")

    blocker.text = "A changed blocker"
    blocker.save()
    route.steps.first().delete()
    blocker.excluded_nationalities.add(india)
    route.explored_by.set([nepal])
    page = client.get(route.get_absolute_url()).content.decode()

    assert "A changed blocker" in page and "Blocker 0" not in page
    assert page.count("<h3>Step") == 1
    assert "India" in page and "Nepal" in page


def test_the_page_of_a_route_loaded_raw_still_shows_its_parts(client, db):
    """`loaddata` and `bulk_create` write no stored parts: the page reads the parts."""
    route = add_parts(make_route(), 2)
    Route.objects.filter(pk=route.pk).update(page_parts={})
    assert client.get(route.get_absolute_url()).content.decode().count("<h3>Step") == 2


def test_a_country_deleted_or_a_list_changed_from_its_other_side_shows_at_once(client, db):
    from guides.models import Profession

    route = make_route()
    nepal = Country.objects.create(code="ZZ", name="Zedland")
    route.open_only_to.add(nepal)
    assert "Zedland" in client.get(route.get_absolute_url()).content.decode()
    nepal.delete()
    assert "Zedland" not in client.get(route.get_absolute_url()).content.decode()
    profession = Profession.objects.create(name="Lighthouse keeper", slug="lighthouse-keeper")
    profession.routes.add(route)  # from the profession's side
    assert "Lighthouse keeper" in client.get(route.get_absolute_url()).content.decode()
