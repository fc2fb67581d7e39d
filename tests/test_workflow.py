"""Drafts, changes that wait for a Publisher, publishing, change notes and history."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from guides.models import ChangeNote, Route

from .factories import make_route
from .forms import form_data

QMAS = "/hong-kong/qmas/"


def change_url(route):
    return reverse("admin:guides_route_change", args=[route.pk])


def edit_in_admin(client, route, **changes):
    data = form_data(client.get(change_url(route)).content.decode(), "route_form")
    for name, value in changes.items():
        data[name] = [value]
    return client.post(change_url(route), data)


@pytest.fixture
def qmas(seeded):
    return Route.objects.get(slug="qmas")


def test_a_new_route_starts_as_a_draft(db):
    assert Route().status == Route.Status.DRAFT


def test_drafts_are_invisible_to_visitors_everywhere(client, seeded):
    qmas = Route.objects.get(slug="qmas")
    draft = make_route(jurisdiction=qmas.jurisdiction, category=qmas.category, name="Hushhush Visa",
                       author=qmas.author, status=Route.Status.DRAFT)  # fmt: skip
    draft.professions.add(qmas.professions.first())
    qmas.related_routes.add(draft)
    assert client.get(draft.get_absolute_url()).status_code == 404
    for path in ["/", "/hong-kong/", QMAS, qmas.author.get_absolute_url(),
                 qmas.professions.first().get_absolute_url(), "/sitemap-routes.xml",
                 "/feeds/updates/"]:  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"Hushhush" not in response.content, path
        assert draft.get_absolute_url().encode() not in response.content, path


def test_staff_preview_drafts_at_their_address_and_in_the_admin(staff_client, db):
    draft = make_route(name="Draft route", status=Route.Status.DRAFT)
    for url in [draft.get_absolute_url(), reverse("admin:guides_route_preview", args=[draft.pk])]:
        response = staff_client.get(url)
        assert response.status_code == 200
        assert "Visitors cannot see this page until it is published." in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert '<meta name="robots" content="noindex, follow">' in response.content.decode()
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_an_editors_change_to_a_live_page_waits_for_a_publisher(
    editor_client, publisher_client, client, qmas
):
    original = qmas.summary
    response = edit_in_admin(editor_client, qmas, summary="A summary waiting for review.",
                             **{"criteria-0-text": "A criterion waiting for review."})  # fmt: skip
    assert response.status_code == 302
    page = client.get(QMAS).content.decode()
    assert "waiting for review" not in page
    assert original.replace("'", "&#x27;") in page

    # The Editor sees their own change when they come back to the form.
    form = editor_client.get(change_url(qmas)).content.decode()
    assert "A summary waiting for review." in form
    assert "A change to this page is waiting for a Publisher" in form

    preview = publisher_client.get(
        reverse("admin:guides_route_preview", args=[qmas.pk]) + "?pending=1"
    )
    assert "A summary waiting for review." in preview.content.decode()
    assert "A criterion waiting for review." in preview.content.decode()
    changes = publisher_client.get(reverse("admin:guides_route_changes", args=[qmas.pk]))
    assert "A summary waiting for review." in changes.content.decode()
    assert original.replace("'", "&#x27;") in changes.content.decode()

    publish = reverse("admin:guides_route_publish", args=[qmas.pk])
    response = publisher_client.post(publish, {"publish": "Publish", "note": "Summary rewritten."})
    assert response.status_code == 302
    page = client.get(QMAS).content.decode()
    assert "A summary waiting for review." in page
    assert "A criterion waiting for review." in page
    assert not hasattr(Route.objects.get(pk=qmas.pk), "pending_change")


def test_editors_cannot_publish_or_change_the_status(editor_client, qmas):
    draft = make_route(jurisdiction=qmas.jurisdiction, status=Route.Status.DRAFT)
    publish = reverse("admin:guides_route_publish", args=[draft.pk])
    assert editor_client.post(publish, {"publish": "Publish"}).status_code == 403
    response = edit_in_admin(editor_client, draft, status="published")
    assert response.status_code == 302
    assert Route.objects.get(pk=draft.pk).status == Route.Status.DRAFT
    changelist = editor_client.get(reverse("admin:guides_route_changelist")).content.decode()
    assert "publish_selected" not in changelist
    assert "mark_reviewed_today" in changelist


def test_publishing_and_unpublishing_are_admin_actions(publisher_client, client, qmas):
    changelist = reverse("admin:guides_route_changelist")
    draft = make_route(jurisdiction=qmas.jurisdiction, status=Route.Status.DRAFT, name="Fresh")
    confirm = publisher_client.post(
        changelist, {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    assert "You are about to publish" in confirm.content.decode()
    publisher_client.post(
        changelist,
        {"action": "publish_selected", "_selected_action": [draft.pk], "publish": "Publish"},
    )
    draft.refresh_from_db()
    assert draft.is_published and draft.first_published_at
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert draft.change_notes.get().note == "First published."
    publisher_client.post(
        changelist, {"action": "unpublish_selected", "_selected_action": [draft.pk]}
    )
    assert client.get(draft.get_absolute_url()).status_code == 404


def shown_last_updated(client):
    return re.search(r'Last updated: <time datetime="([^"]+)"', client.get(QMAS).content.decode())[
        1
    ]


def test_change_notes_are_listed_newest_first_and_drive_last_updated(
    publisher_client, client, qmas
):
    ChangeNote.objects.create(route=qmas, note="Fees updated.", published_at="2026-12-01T10:00Z")
    ChangeNote.objects.create(
        route=qmas, note="Criteria clarified.", published_at="2027-01-05T10:00Z"
    )
    updates = client.get(QMAS + "updates/").content.decode()
    assert (
        updates.index("Criteria clarified.")
        < updates.index("Fees updated.")
        < updates.index("First published.")
    )
    assert shown_last_updated(client) == "2027-01-05"
    json_ld = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', client.get(QMAS).content.decode()
    )
    assert json.loads(json_ld[1])["dateModified"].startswith("2027-01-05")
    feed = client.get("/feeds/updates/").content.decode()
    assert feed.index("Criteria clarified.") < feed.index("Fees updated.")


def test_a_minor_fix_is_published_without_a_note(publisher_client, client, qmas):
    before = shown_last_updated(client)
    response = edit_in_admin(publisher_client, qmas, summary="Fixed a typo in the summary.")
    assert response.status_code == 302
    assert "Fixed a typo in the summary." in client.get(QMAS).content.decode()
    assert shown_last_updated(client) == before
    assert qmas.change_notes.count() == 1


def test_a_publishers_change_note_is_shown_to_readers(publisher_client, client, qmas):
    edit_in_admin(
        publisher_client, qmas, summary="New summary.", change_note="The summary changed."
    )
    assert "The summary changed." in client.get(QMAS + "updates/").content.decode()


def test_history_records_an_admin_edit_and_a_restore_brings_the_old_text_back(
    publisher_client, client, qmas
):
    first = qmas.criteria.first()
    old_text = first.text
    edit_in_admin(publisher_client, qmas, **{"criteria-0-text": "First edit."})
    data = form_data(publisher_client.get(change_url(qmas)).content.decode(), "route_form")
    data["criteria-0-DELETE"] = ["on"]
    publisher_client.post(change_url(qmas), data)
    assert not qmas.criteria.filter(pk=first.pk).exists()
    versions = Version.objects.get_for_object(qmas)
    assert versions.count() == 2
    history = publisher_client.get(reverse("admin:guides_route_history", args=[qmas.pk]))
    assert re.search(r"<td>\s*pat\s*</td>", history.content.decode())
    assert {version.revision.user.username for version in versions} == {"pat"}

    oldest = versions.last()  # the first edit, criterion still there with "First edit."
    Route.objects.filter(pk=qmas.pk).update(status=Route.Status.PUBLISHED)
    revision_url = reverse("admin:guides_route_revision", args=[qmas.pk, oldest.pk])
    data = form_data(publisher_client.get(revision_url).content.decode(), "route_form")
    assert publisher_client.post(revision_url, data).status_code == 302
    restored = qmas.criteria.get(key=first.key)
    assert restored.text == "First edit."
    assert old_text != restored.text
    assert Route.objects.get(pk=qmas.pk).status == Route.Status.PUBLISHED
    assert "First edit." in client.get(QMAS).content.decode()


def test_restoring_an_old_version_never_changes_the_status(publisher_client, qmas):
    edit_in_admin(publisher_client, qmas, summary="Version one.")
    version = Version.objects.get_for_object(qmas).first()
    Route.objects.filter(pk=qmas.pk).update(status=Route.Status.DRAFT)
    revision_url = reverse("admin:guides_route_revision", args=[qmas.pk, version.pk])
    data = form_data(publisher_client.get(revision_url).content.decode(), "route_form")
    publisher_client.post(revision_url, data)
    route = Route.objects.get(pk=qmas.pk)
    assert route.summary == "Version one."
    assert route.status == Route.Status.DRAFT


def test_an_editors_restore_of_a_live_page_also_waits(
    editor_client, publisher_client, client, qmas
):
    edit_in_admin(publisher_client, qmas, summary="Live summary.")
    version = Version.objects.get_for_object(qmas).first()
    edit_in_admin(publisher_client, qmas, summary="Newer live summary.")
    revision_url = reverse("admin:guides_route_revision", args=[qmas.pk, version.pk])
    data = form_data(editor_client.get(revision_url).content.decode(), "route_form")
    assert editor_client.post(revision_url, data).status_code == 302
    assert "Newer live summary." in client.get(QMAS).content.decode()
    assert Route.objects.get(pk=qmas.pk).pending_change.content["route"]["summary"] == (
        "Live summary."
    )


def test_an_editor_drafts_a_publisher_publishes_and_history_shows_both(
    editor_client, publisher_client, client, qmas
):
    add_url = reverse("admin:guides_route_add")
    data = form_data(editor_client.get(add_url).content.decode(), "route_form")
    source = qmas.criteria.first().source
    data.update(
        {
            "jurisdiction": [str(qmas.jurisdiction.pk)],
            "category": [str(qmas.category.pk)],
            "name": ["Working Holiday Scheme"],
            "slug": ["working-holiday"],
            "summary": ["For young people who want to work and travel."],
            "review_cycle_months": ["6"],
            "last_reviewed": ["2026-11-25"],
            "availability": ["open"],
            "criteria-TOTAL_FORMS": ["1"],
            "criteria-0-position": ["10"],
            "criteria-0-text": ["You are 18 to 30 years old."],
            "criteria-0-source": [str(source.pk)],
        }
    )
    response = editor_client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    route = Route.objects.get(slug="working-holiday")
    assert route.status == Route.Status.DRAFT
    assert client.get(route.get_absolute_url()).status_code == 404

    preview = publisher_client.get(reverse("admin:guides_route_preview", args=[route.pk]))
    assert "You are 18 to 30 years old." in preview.content.decode()
    publisher_client.post(
        reverse("admin:guides_route_publish", args=[route.pk]), {"publish": "Publish"}
    )
    page = client.get(route.get_absolute_url())
    assert page.status_code == 200
    assert "You are 18 to 30 years old." in page.content.decode()

    versions = Version.objects.get_for_object(route)
    assert [v.revision.user.username for v in versions] == ["pat", "eddie"]
    route.refresh_from_db()
    assert str(route.review_due_on) == "2027-05-25"
