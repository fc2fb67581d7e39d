"""What search engines see: sitemap, robots.txt, metadata, JSON-LD, feed, redirects."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser
from urllib.robotparser import RobotFileParser

import pytest
from django.conf import settings

from guides.models import Jurisdiction, Route
from guides.sitemaps import RouteSitemap

from .factories import add_parts, make_route

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


def local(url):
    assert url.startswith(settings.SITE_URL + "/"), url
    return url.removeprefix(settings.SITE_URL)


def sitemap_locations(client):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    entries = {}
    for section in index.iter(f"{SITEMAP}loc"):
        response = client.get(local(section.text))
        assert response.status_code == 200, section.text
        for url in ET.fromstring(response.content).iter(f"{SITEMAP}url"):
            lastmod = url.find(f"{SITEMAP}lastmod")
            entries[url.find(f"{SITEMAP}loc").text] = None if lastmod is None else lastmod.text
    return entries


def test_sitemap_index_pages_each_section_and_every_location_answers(client, seeded, monkeypatch):
    monkeypatch.setattr(RouteSitemap, "limit", 2)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert f"{settings.SITE_URL}/sitemap-routes.xml?p=3" in sections
    assert f"{settings.SITE_URL}/sitemap-jurisdictions.xml" in sections
    entries = sitemap_locations(client)
    for url in entries:
        assert client.get(local(url)).status_code == 200, url
    published = {settings.SITE_URL + route.get_absolute_url() for route in Route.objects.all()}
    assert published <= set(entries)


def test_drafts_never_appear_in_the_sitemap(client, seeded):
    draft = make_route(jurisdiction=Jurisdiction.objects.get(slug="hong-kong"), status="draft")
    locations = sitemap_locations(client)
    assert settings.SITE_URL + "/hong-kong/qmas/" in locations
    assert settings.SITE_URL + draft.get_absolute_url() not in locations


def test_sitemap_lastmod_moves_when_a_criterion_is_edited(client, seeded):
    qmas = Route.objects.get(slug="qmas")
    url = settings.SITE_URL + qmas.get_absolute_url()
    before = datetime.fromisoformat(sitemap_locations(client)[url])
    criterion = qmas.criteria.first()
    criterion.text = "Edited."
    criterion.save()
    after = datetime.fromisoformat(sitemap_locations(client)[url])
    assert after > before
    assert after == Route.objects.get(pk=qmas.pk).content_updated_at


def test_robots_txt_allows_the_site_disallows_the_admin_and_names_the_sitemap(client, db):
    robots = RobotFileParser()
    robots.parse(client.get("/robots.txt").content.decode().splitlines())
    assert robots.can_fetch("*", f"{settings.SITE_URL}/hong-kong/qmas/")
    assert robots.can_fetch("*", f"{settings.SITE_URL}/search/?q=qmas")
    assert not robots.can_fetch("*", f"{settings.SITE_URL}/admin/guides/route/")
    assert robots.site_maps() == [f"{settings.SITE_URL}/sitemap.xml"]


class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self.title = {}, {}, [], ""
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.meta["lang"] = attrs.get("lang")
        elif tag == "meta":
            key = attrs.get("name") or attrs.get("property")
            if key:
                self.meta[key] = attrs.get("content")
        elif tag == "link":
            self.links[attrs.get("rel")] = attrs.get("href")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json"
            self.json_ld.append("")
        elif tag == "title":
            self._in = "title"

    def handle_data(self, data):
        if self._in == "json":
            self.json_ld[-1] += data
        elif self._in == "title":
            self.title += data

    def handle_endtag(self, tag):
        self._in = None


def head_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    parser = HeadParser()
    parser.feed(response.content.decode())
    parser.data = [json.loads(block) for block in parser.json_ld]
    return parser


PUBLIC_PAGES = ["/", "/hong-kong/", "/hong-kong/qmas/", "/hong-kong/ttps/", "/authors/sam-parks/",
                "/professions/software-engineer/"]  # fmt: skip


def test_every_page_has_unique_title_description_canonical_and_social_tags(client, seeded):
    titles, descriptions = set(), set()
    for path in PUBLIC_PAGES:
        head = head_of(client, path)
        titles.add(head.title)
        descriptions.add(head.meta["description"])
        assert head.meta["lang"] == "en-GB"
        assert head.links["canonical"] == settings.SITE_URL + path
        assert head.meta["og:url"] == settings.SITE_URL + path
        assert head.meta["og:title"] and head.meta["twitter:card"] == "summary"
        assert "robots" not in head.meta
    assert len(titles) == len(descriptions) == len(PUBLIC_PAGES)


def test_editors_can_set_a_route_title_and_description_for_search_engines(client, seeded):
    Route.objects.filter(slug="qmas").update(
        seo_title="QMAS: Hong Kong's points-based talent scheme", meta_description="All about it."
    )
    head = head_of(client, "/hong-kong/qmas/")
    assert head.title == "QMAS: Hong Kong's points-based talent scheme \N{EN DASH} Route Guide"
    assert head.meta["description"] == "All about it."


def test_canonical_drops_tracking_parameters_and_keeps_the_rest(client, seeded):
    head = head_of(client, "/hong-kong/?utm_source=x&utm_campaign=y&gclid=1&fbclid=2&page=2")
    assert head.links["canonical"] == f"{settings.SITE_URL}/hong-kong/?page=2"


def test_route_json_ld_parses_and_matches_the_page(client, seeded):
    qmas = Route.objects.get(slug="qmas")
    page = client.get("/hong-kong/qmas/").content.decode()
    breadcrumbs, article, faq_page = head_of(client, "/hong-kong/qmas/").data
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [item["item"] for item in breadcrumbs["itemListElement"]] == [
        f"{settings.SITE_URL}/",
        f"{settings.SITE_URL}/hong-kong/",
        f"{settings.SITE_URL}/hong-kong/qmas/",
    ]
    assert article["@type"] == "Article"
    assert article["headline"] == qmas.title
    assert article["author"] == {
        "@type": "Person",
        "name": "Sam Parks",
        "url": f"{settings.SITE_URL}/authors/sam-parks/",
    }
    shown_updated = re.search(r'Last updated: <time datetime="([^"]+)"', page).group(1)
    assert article["dateModified"][:10] == shown_updated
    assert article["publisher"]["name"] == "Route Guide"
    assert faq_page["@type"] == "FAQPage"
    assert [q["name"] for q in faq_page["mainEntity"]] == [f.question for f in qmas.faqs.all()]


def test_json_ld_survives_an_editors_closing_script_tag(client, db):
    route = add_parts(make_route(summary="Tricky </script><script>alert(1)</script> text"), 1)
    faq = route.faqs.get()
    faq.question = "What about </script>?"
    faq.save()
    page = client.get(route.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in page
    parser = HeadParser()
    parser.feed(page)
    data = [json.loads(block) for block in parser.json_ld]
    assert data[1]["description"] == "Tricky </script><script>alert(1)</script> text"
    assert data[2]["mainEntity"][0]["name"] == "What about </script>?"


def test_jurisdiction_json_ld_lists_its_routes(client, seeded):
    breadcrumbs, item_list = head_of(client, "/hong-kong/").data
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert item_list["@type"] == "ItemList"
    urls = {item["url"] for item in item_list["itemListElement"]}
    published = Route.objects.published().filter(jurisdiction__slug="hong-kong")
    assert urls == {settings.SITE_URL + route.get_absolute_url() for route in published}


def assert_redirects_once(client, path, target):
    response = client.get(path)
    assert response.status_code == 301, path
    assert response["Location"] == target
    assert client.get(target).status_code == 200


def test_old_route_slugs_redirect_in_one_hop_for_good(client, seeded):
    qmas = Route.objects.get(slug="qmas")
    for slug in ["qmas-two", "quality-migrants"]:
        qmas.slug = slug
        qmas.save()
    for old in ["/hong-kong/qmas/", "/hong-kong/qmas-two/"]:
        assert_redirects_once(client, old, "/hong-kong/quality-migrants/")


def test_renaming_a_jurisdiction_moves_every_route_under_it(client, seeded):
    hong_kong = Jurisdiction.objects.get(slug="hong-kong")
    hong_kong.slug = "hong-kong-sar"
    hong_kong.save()
    qmas = Route.objects.get(slug="qmas")
    qmas.slug = "quality-migrants"
    qmas.save()
    assert_redirects_once(client, "/hong-kong/", "/hong-kong-sar/")
    assert_redirects_once(client, "/hong-kong/ttps/", "/hong-kong-sar/ttps/")
    assert_redirects_once(client, "/hong-kong/qmas/", "/hong-kong-sar/quality-migrants/")


def test_an_object_that_takes_an_old_slug_wins_over_the_alias(client, seeded):
    qmas = Route.objects.get(slug="qmas")
    qmas.slug = "quality-migrants"
    qmas.save()
    newcomer = make_route(jurisdiction=qmas.jurisdiction, slug="qmas", name="Newcomer")
    response = client.get("/hong-kong/qmas/")
    assert response.status_code == 200
    assert "<h1>Newcomer</h1>" in response.content.decode()
    newcomer.delete()
    assert client.get("/hong-kong/qmas/").status_code == 410


def test_unpublished_route_is_404_and_deleted_route_is_410(client, seeded):
    Route.objects.filter(slug="ttps").update(status=Route.Status.DRAFT)
    assert client.get("/hong-kong/ttps/").status_code == 404
    Route.objects.get(slug="gep").delete()
    response = client.get("/hong-kong/gep/")
    assert response.status_code == 410
    assert "This page has been removed" in response.content.decode()


def test_trailing_slash_and_letter_case_redirect_once(client, seeded):
    response = client.get("/hong-kong/qmas")
    assert response.status_code == 301
    assert response["Location"].endswith("/hong-kong/qmas/")
    assert_redirects_once(client, "/Hong-Kong/QMAS/", "/hong-kong/qmas/")
    assert_redirects_once(client, "/HONG-KONG/", "/hong-kong/")


@pytest.mark.parametrize("path", ["/", "/hong-kong/", "/hong-kong/qmas/", "/sitemap.xml"])
def test_anonymous_pages_neither_vary_on_nor_set_cookies(client, seeded, path):
    response = client.get(path)
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_updates_feed_is_atom_newest_first_with_absolute_links(client, seeded):
    response = client.get("/feeds/updates/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == Route.objects.published().count()
    updated = [entry.find(f"{ATOM}updated").text for entry in entries]
    assert updated == sorted(updated, reverse=True)
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href").startswith(settings.SITE_URL + "/")
