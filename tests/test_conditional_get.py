"""Cheap re-crawls: ETag and Last-Modified, 304 while nothing shown has changed."""

import pytest

from guides.models import Jurisdiction, Route

from .factories import make_source

QMAS = "/hong-kong/qmas/"


def revalidate(client, path, response):
    return client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])


@pytest.mark.parametrize("path", [QMAS, "/hong-kong/"])
def test_unchanged_page_answers_304_with_no_body(client, seeded, path):
    first = client.get(path)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    again = revalidate(client, path, first)
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again.content == b""
    since = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def edit_route(qmas):
    qmas.summary = "A new summary."
    qmas.save()


def edit_criterion(qmas):
    criterion = qmas.criteria.first()
    criterion.text = "A new criterion."
    criterion.save()


def edit_cited_source(qmas):
    source = qmas.criteria.first().source
    source.publisher = "Immigration Department, renamed"
    source.save()


def edit_related_route(qmas):
    related = qmas.related_routes.first()
    related.summary = "A related route's new summary."
    related.save()


def edit_author(qmas):
    qmas.author.name = "Sam Q. Parks"
    qmas.author.save()


def edit_jurisdiction(qmas):
    qmas.jurisdiction.short_name = "Hong Kong SAR"
    qmas.jurisdiction.save()


# Each kind of thing a route page shows, changed.
EDITS = [edit_route, edit_criterion, edit_cited_source, edit_related_route, edit_author,
         edit_jurisdiction]  # fmt: skip


@pytest.mark.parametrize("edit", EDITS)
def test_page_answers_200_after_each_kind_of_change(client, seeded, edit):
    first = client.get(QMAS)
    assert revalidate(client, QMAS, first).status_code == 304
    edit(Route.objects.get(slug="qmas"))
    after = revalidate(client, QMAS, first)
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]


def test_a_new_release_of_the_code_changes_the_etag(client, seeded, settings):
    first = client.get(QMAS)
    settings.RELEASE = "next-release"
    assert revalidate(client, QMAS, first).status_code == 200


def test_jurisdiction_page_changes_when_a_route_is_deleted(client, seeded):
    first = client.get("/hong-kong/")
    Route.objects.get(slug="gep").delete()
    assert revalidate(client, "/hong-kong/", first).status_code == 200


def test_source_used_nowhere_on_the_page_leaves_it_unchanged(client, seeded):
    first = client.get(QMAS)
    make_source(publisher="Elsewhere", title="Unrelated", url="https://example.org/x")
    Jurisdiction.objects.exclude(slug="hong-kong").update(short_name="Other")
    assert revalidate(client, QMAS, first).status_code == 304
