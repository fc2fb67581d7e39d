from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from guides.models import Jurisdiction, Profession, Route

from .factories import add_parts, make_author, make_category, make_jurisdiction, make_route


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag in {"a", "link"}:
            self.links.extend(value for name, value in attrs if name == "href" and value)


def internal_links(page_url, html):
    parser = LinkParser()
    parser.feed(html)
    for href in parser.links:
        url = urlsplit(urljoin(f"http://testserver{page_url}", href))
        if url.netloc == "testserver":
            yield url.path


def test_crawl_from_home_finds_no_broken_internal_link(client, seeded):
    to_visit, seen = ["/"], set()
    while to_visit:
        path = to_visit.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        if response["Content-Type"].startswith("text/html"):
            to_visit.extend(internal_links(path, response.content.decode()))
    published = Route.objects.published()
    assert {route.get_absolute_url() for route in published} <= seen
    assert "/professions/" + Profession.objects.first().slug + "/" in seen


def test_home_lists_jurisdictions_with_their_number_of_routes(client, seeded):
    page = client.get("/").content.decode()
    for jurisdiction in Jurisdiction.objects.all():
        count = jurisdiction.routes.published().count()
        link = f'<a href="{jurisdiction.get_absolute_url()}">{jurisdiction.short_name}</a>'
        assert f'{link} <span class="count">{count} routes</span>' in page


def test_jurisdiction_page_groups_routes_by_category(client, db):
    jurisdiction = make_jurisdiction()
    skilled, family = (
        make_category(name="Skilled", position=1),
        make_category(name="Family", position=2),
    )
    make_route(jurisdiction=jurisdiction, category=family, name="Spouses")
    make_route(jurisdiction=jurisdiction, category=skilled, name="Talent")
    make_route(jurisdiction=jurisdiction, category=skilled, name="Draft", status=Route.Status.DRAFT)
    page = client.get(jurisdiction.get_absolute_url()).content.decode()
    assert page.index(">Skilled</h2>") < page.index(">Talent</a>") < page.index(">Family</h2>")
    assert page.index(">Family</h2>") < page.index(">Spouses</a>")
    assert ">Draft</a>" not in page


@pytest.mark.parametrize("count", [2, 20])
def test_list_pages_query_count_does_not_grow(
    client, db, count, no_page_cache, django_assert_max_num_queries
):
    author = make_author()
    jurisdiction = make_jurisdiction()
    routes = [make_route(jurisdiction=jurisdiction, author=author) for _ in range(count)]
    profession = add_parts(routes[0], 1).professions.get()
    for route in routes:
        route.professions.add(profession)
    for url in ["/", jurisdiction.get_absolute_url(), author.get_absolute_url(),
                profession.get_absolute_url()]:  # fmt: skip
        with django_assert_max_num_queries(4):
            assert client.get(url).status_code == 200


def test_profession_page_lists_matching_published_routes(client, seeded):
    profession = Profession.objects.filter(routes__isnull=False).first()
    page = client.get(profession.get_absolute_url()).content.decode()
    assert f"<h1>{profession.name}</h1>" in page
    for route in profession.routes.published():
        assert f'href="{route.get_absolute_url()}"' in page


def test_author_page_has_bio_and_routes(client, seeded):
    route = Route.objects.get(slug="qmas")
    page = client.get(route.author.get_absolute_url()).content.decode()
    assert route.author.bio in page
    assert f'href="{route.get_absolute_url()}"' in page


@pytest.mark.parametrize("path", ["/professions/nobody/", "/authors/nobody/"])
def test_unknown_profession_or_author_is_404(client, db, path):
    assert client.get(path).status_code == 404


def test_pages_have_a_skip_link_breadcrumb_and_one_h1(client, seeded):
    for url in ["/", "/hong-kong/", "/hong-kong/qmas/"]:
        page = client.get(url).content.decode()
        assert 'href="#content"' in page
        assert page.count("<h1") == 1
        assert 'style="' not in page
        assert page.count("<script") == page.count('<script type="application/ld+json">')
    assert 'aria-label="Breadcrumb"' in client.get("/hong-kong/qmas/").content.decode()


def test_healthz_answers_ok_when_the_database_does(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_server_error_page_is_styled(client, db, settings, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Jurisdiction.objects, "with_route_counts", explode)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
