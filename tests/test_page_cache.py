"""The page cache: visitors get stored pages, never stale ones; staff and forms bypass it."""

import gzip
import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guides import views
from guides.models import ContentVersion, GlossaryTerm, Route, SearchSynonym

from .test_conditional_get import EDITS
from .test_workflow import edit_in_admin

QMAS = "/hong-kong/qmas/"
PUBLIC_PAGES = [
    "/",
    "/hong-kong/",
    QMAS,
    "/routes/?sponsorship=no",
    "/search/?q=talent",
    "/finder/?purposes=settle&job_offer=no",
    "/compare/?routes=hong-kong/qmas,canada/express-entry",
    "/compare/hong-kong-vs-singapore/",
    "/glossary/",
    "/sources/",
    "/sitemap.xml",
    "/sitemap-routes.xml",
    "/feeds/updates/",
]


@pytest.fixture
def qmas(seeded):
    return Route.objects.get(slug="qmas")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_second_visit_is_served_from_the_cache_with_one_query(
    client, seeded, path, django_assert_num_queries
):
    first = client.get(path)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the content version
        again = client.get(path)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_cached_pages_keep_their_cache_headers_etag_and_304(client, qmas):
    first = client.get(QMAS)
    cache_control = first["Cache-Control"]
    assert "public" in cache_control
    assert "max-age=60" in cache_control
    assert "stale-while-revalidate=60" in cache_control
    again = client.get(QMAS)
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == cache_control
    assert client.get(QMAS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(QMAS, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_publish_is_on_the_very_next_page_and_a_waiting_change_never(
    editor_client, publisher_client, client, qmas
):
    client.get(QMAS)
    edit_in_admin(editor_client, qmas, summary="A summary waiting for review.")
    assert "waiting for review" not in client.get(QMAS).content.decode()
    publish = reverse("admin:guides_route_publish", args=[qmas.pk])
    assert publisher_client.post(publish, {"publish": "Publish", "note": ""}).status_code == 302
    assert "A summary waiting for review." in client.get(QMAS).content.decode()
    assert "A summary waiting for review." in client.get("/hong-kong/").content.decode()


@pytest.mark.parametrize("edit", EDITS)
def test_a_change_to_anything_the_route_page_shows_is_on_the_next_visit(client, qmas, edit):
    before = client.get(QMAS).content
    edit(qmas)
    assert client.get(QMAS).content != before


def test_a_glossary_change_is_on_the_next_visit(client, seeded):
    client.get("/glossary/")
    term = GlossaryTerm.objects.first()
    term.definition = "Freshly reworded definition."
    term.save()
    assert "Freshly reworded definition." in client.get("/glossary/").content.decode()


def test_a_new_search_synonym_changes_the_results_at_once(client, seeded):
    path = "/search/?q=spouzz"
    assert "Hong Kong" not in client.get(path).content.decode()
    SearchSynonym.objects.create(word="spouzz", means="spouse")
    assert "Hong Kong" in client.get(path).content.decode()


def test_a_publish_while_a_page_renders_is_not_stored_as_current(client, qmas, monkeypatch):
    """The page was read before the publish committed: it must not be served after it."""
    render = views.render_route_page

    def render_then_publish_elsewhere(request, route, **kwargs):
        response = render(request, route, **kwargs)
        fresh = Route.objects.get(pk=route.pk)
        fresh.summary = "Published while the page rendered."
        fresh.save()
        return response

    monkeypatch.setattr(views, "render_route_page", render_then_publish_elsewhere)
    assert "Published while the page rendered." not in client.get(QMAS).content.decode()
    monkeypatch.setattr(views, "render_route_page", render)
    assert "Published while the page rendered." in client.get(QMAS).content.decode()


def test_a_review_date_rolling_over_changes_the_page_without_an_edit(client, qmas, monkeypatch):
    qmas.last_reviewed = timezone.localdate()
    qmas.save()
    today = client.get(QMAS).content.decode()
    later = timezone.now() + timedelta(days=qmas.review_cycle_months * 31 + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(QMAS).content.decode() != today


def test_a_new_release_of_the_code_gets_new_pages(client, qmas, settings):
    client.get(QMAS)
    settings.RELEASE = "next-release"
    response = client.get(QMAS)
    assert response.status_code == 200
    assert "next-release" in response["ETag"]


def test_staff_are_never_served_nor_stored_from_the_cache(
    staff_client, qmas, django_assert_max_num_queries
):
    draft = Route.objects.get(slug="qmas")
    draft.status = Route.Status.DRAFT
    draft.save()
    preview = staff_client.get(QMAS)
    assert "Visitors cannot see this page" in preview.content.decode()
    assert Client().get(QMAS).status_code == 404
    staff_client.get("/hong-kong/")
    with django_assert_max_num_queries(100) as seen:
        staff_client.get("/hong-kong/")
    assert len(seen.captured_queries) > 1


def test_pages_with_a_form_token_are_not_stored(client, qmas, django_assert_max_num_queries):
    report = reverse("guides:report", args=["hong-kong", "qmas"])
    first = client.get(report)
    assert "csrfmiddlewaretoken" in first.content.decode()
    with django_assert_max_num_queries(100) as seen:
        again = client.get(report)
    assert len(seen.captured_queries) > 1
    assert "no-store" in again["Cache-Control"]


def test_missing_pages_are_not_stored(client, seeded, django_assert_max_num_queries):
    assert client.get("/hong-kong/no-such-route/").status_code == 404
    with django_assert_max_num_queries(100) as seen:
        assert client.get("/hong-kong/no-such-route/").status_code == 404
    assert len(seen.captured_queries) > 1


def test_visitors_who_take_gzip_get_it_and_others_do_not(client, qmas):
    plain = client.get(QMAS)
    zipped = client.get(QMAS, HTTP_ACCEPT_ENCODING="gzip, br")
    again = client.get(QMAS, HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert again.content == zipped.content
    assert len(zipped.content) < len(plain.content) / 3


def test_the_page_cache_can_be_switched_off(settings, seeded, django_assert_max_num_queries):
    settings.PAGE_CACHE = False
    client = Client()
    client.get(QMAS)
    with django_assert_max_num_queries(100) as seen:
        client.get(QMAS)
    assert len(seen.captured_queries) > 1


def test_a_cache_that_fails_is_a_miss_never_an_error(settings, seeded, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    client = Client()
    with caplog.at_level(logging.WARNING, logger="guides.page_cache"):
        for _ in range(2):
            response = client.get(QMAS)
            assert response.status_code == 200
            assert "Quality Migrant Admission Scheme" in response.content.decode()
    assert "Page cache unavailable" in caplog.text


def test_a_host_not_allowed_is_refused_even_for_a_stored_page(client, qmas):
    client.get(QMAS)
    assert client.get(QMAS, HTTP_HOST="evil.example").status_code == 400


def test_the_migrations_make_the_content_version_row(db):
    assert ContentVersion.objects.current()


def test_opening_a_route_or_searching_the_admin_leaves_visitors_pages_stored(
    staff_client, qmas, django_assert_num_queries
):
    Client().get(QMAS)
    before = ContentVersion.objects.current()
    assert staff_client.get(reverse("admin:guides_route_change", args=[qmas.pk])).status_code == 200
    assert (
        staff_client.get(reverse("admin:guides_route_changelist"), {"q": '"qmas'}).status_code
        == 200
    )
    assert ContentVersion.objects.current() == before
    with django_assert_num_queries(1):
        Client().get(QMAS)
