"""Two people at once, through the admin's own forms (posted as a browser does, with CRLF):
nobody's text disappears, renames never break a waiting change, history tells the truth."""

import pytest
from django.urls import reverse
from reversion.models import Version

from guides.models import FAQ, DraftEvent, Jurisdiction, PendingChange, Route, Source
from guides.workflow import route_content

from .forms import form_data

QMAS = "/hong-kong/qmas/"


def change_url(route):
    return reverse("admin:guides_route_change", args=[route.pk])


def load(client, url):
    """What a browser would post back from the form at `url`, unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content.decode(), "route_form")


def post(client, url, data, **changes):
    data = {**data, **{name: [value] for name, value in changes.items()}}
    return client.post(url, data)


def publish(client, route, **extra):
    url = reverse("admin:guides_route_publish", args=[route.pk])
    return client.post(url, {"publish": "Publish", "note": "", **extra})


@pytest.fixture
def qmas(seeded):
    return Route.objects.get(jurisdiction__slug="hong-kong", slug="qmas")


def test_publishing_a_waiting_change_keeps_a_newer_live_correction(
    editor_client, publisher_client, client, qmas
):
    response = post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
                    summary="The editor's summary.")  # fmt: skip
    assert response.status_code == 302
    response = post(publisher_client, change_url(qmas), load(publisher_client, change_url(qmas)),
                    outcome="The publisher's outcome")  # fmt: skip
    assert response.status_code == 302
    assert publish(publisher_client, qmas).status_code == 302
    live = Route.objects.get(pk=qmas.pk)
    assert live.summary == "The editor's summary."
    assert live.outcome == "The publisher's outcome"
    page = client.get(QMAS).content.decode()
    assert "The publisher&#x27;s outcome" in page and "The editor&#x27;s summary." in page


def test_when_both_changed_the_same_field_the_publisher_chooses(
    editor_client, publisher_client, qmas
):
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="The editor's summary.")  # fmt: skip
    post(publisher_client, change_url(qmas), load(publisher_client, change_url(qmas)),
         summary="The publisher's summary.")  # fmt: skip
    refused = publish(publisher_client, qmas)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "The editor&#x27;s summary." in page and "The publisher&#x27;s summary." in page
    assert Route.objects.get(pk=qmas.pk).summary == "The publisher's summary."
    assert PendingChange.objects.filter(route=qmas).exists()

    chosen = publish(publisher_client, qmas, **{"choice-route/summary": "mine"})
    assert chosen.status_code == 302
    assert Route.objects.get(pk=qmas.pk).summary == "The editor's summary."
    assert not PendingChange.objects.filter(route=qmas).exists()


def test_renames_elsewhere_never_break_a_waiting_change(
    editor_client, publisher_client, client, qmas
):
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="Waiting while things are renamed.")  # fmt: skip
    source = qmas.criteria.first().source
    Source.objects.filter(pk=source.pk).update(url="https://www.immd.gov.hk/moved.html")
    source = Source.objects.get(pk=source.pk)
    source.title = "A new title"
    source.save()
    hong_kong = Jurisdiction.objects.get(slug="hong-kong")
    hong_kong.slug = "hongkong"
    hong_kong.save()

    assert editor_client.get(change_url(qmas)).status_code == 200
    preview = reverse("admin:guides_route_preview", args=[qmas.pk]) + "?pending=1"
    assert "Waiting while things are renamed." in publisher_client.get(preview).content.decode()
    changes = reverse("admin:guides_route_changes", args=[qmas.pk])
    assert "Waiting while things are renamed." in publisher_client.get(changes).content.decode()
    assert publish(publisher_client, qmas).status_code == 302
    page = client.get("/hongkong/qmas/").content.decode()
    assert "Waiting while things are renamed." in page
    assert "https://www.immd.gov.hk/moved.html" in page


def test_the_live_history_holds_only_what_visitors_saw(editor_client, publisher_client, qmas):
    versions = Version.objects.get_for_object(qmas)
    assert versions.count() == 0
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="Never seen by visitors.")  # fmt: skip
    load(editor_client, change_url(qmas))
    assert versions.count() == 0

    discard = reverse("admin:guides_route_discard", args=[qmas.pk])
    assert editor_client.post(discard).status_code == 302
    assert not PendingChange.objects.filter(route=qmas).exists()
    assert versions.count() == 0
    trail = [event.action for event in DraftEvent.objects.filter(route=qmas)]
    assert trail == [DraftEvent.Action.DISCARDED, DraftEvent.Action.SAVED]

    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="Seen once published.")  # fmt: skip
    publish(publisher_client, qmas, note="Summary rewritten.")
    (version,) = versions
    assert version.field_dict["summary"] == "Seen once published."
    assert version.revision.user == publisher_client.user
    assert "Summary rewritten." in version.revision.comment


def test_two_editors_from_one_version_keep_both_changes(editor_client, qmas, django_user_model):
    from .conftest import client_in_group

    other_editor = client_in_group(django_user_model, "Editors", "erin")
    first_form = load(editor_client, change_url(qmas))
    second_form = load(other_editor, change_url(qmas))
    assert post(editor_client, change_url(qmas), first_form,
                summary="First editor's summary.").status_code == 302  # fmt: skip
    assert post(other_editor, change_url(qmas), second_form,
                outcome="Second editor's outcome").status_code == 302  # fmt: skip
    waiting = PendingChange.objects.get(route=qmas).content["route"]
    assert waiting["summary"] == "First editor's summary."
    assert waiting["outcome"] == "Second editor's outcome"


def test_the_second_editor_is_told_of_a_conflict_before_anything_is_overwritten(
    editor_client, qmas, django_user_model
):
    from .conftest import client_in_group

    other_editor = client_in_group(django_user_model, "Editors", "erin")
    first_form = load(editor_client, change_url(qmas))
    second_form = load(other_editor, change_url(qmas))
    post(editor_client, change_url(qmas), first_form, **{"criteria-0-text": "First editor."})
    refused = post(other_editor, change_url(qmas), second_form,
                   **{"criteria-0-text": "Second editor."})  # fmt: skip
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "changed by someone else since you opened this page" in page
    assert "First editor." in page and "Second editor." in page
    parts = PendingChange.objects.get(route=qmas).content["parts"]["criteria"]
    assert "First editor." in [part["text"] for part in parts.values()]
    assert "Second editor." not in [part["text"] for part in parts.values()]


def test_restoring_shows_the_chosen_version_even_while_a_change_waits(
    editor_client, publisher_client, qmas
):
    post(publisher_client, change_url(qmas), load(publisher_client, change_url(qmas)),
         summary="The old summary.")  # fmt: skip
    old = Version.objects.get_for_object(qmas).first()
    faqs = set(FAQ.objects.filter(route=qmas).values_list("key", flat=True))
    post(publisher_client, change_url(qmas), load(publisher_client, change_url(qmas)),
         summary="The live summary.")  # fmt: skip
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="The waiting summary.")  # fmt: skip

    restore = reverse("admin:guides_route_revision", args=[qmas.pk, old.pk])
    form = load(editor_client, restore)
    assert form["summary"] == ["The old summary."]
    assert post(editor_client, restore, form).status_code == 302
    waiting = PendingChange.objects.get(route=qmas).content
    assert waiting["route"]["summary"] == "The old summary."
    assert set(waiting["parts"]["faqs"]) == faqs
    assert Route.objects.get(pk=qmas.pk).summary == "The live summary."


def test_saving_an_unchanged_form_from_a_browser_changes_nothing(
    editor_client, publisher_client, qmas
):
    before = route_content(qmas)
    form = load(editor_client, change_url(qmas))
    assert any("\r\n" in value for values in form.values() for value in values)
    assert post(editor_client, change_url(qmas), form).status_code == 302
    changes = publisher_client.get(reverse("admin:guides_route_changes", args=[qmas.pk]))
    assert "The waiting change is the same as the published page." in changes.content.decode()
    assert PendingChange.objects.get(route=qmas).content == before
    post(publisher_client, change_url(qmas), load(publisher_client, change_url(qmas)))
    assert route_content(Route.objects.get(pk=qmas.pk)) == before


def test_a_waiting_change_moves_no_public_version_until_published(
    editor_client, publisher_client, client, qmas
):
    first = client.get(QMAS)
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         slug="quality-migrants")  # fmt: skip
    again = client.get(QMAS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.get("/hong-kong/quality-migrants/").status_code == 404
    publish(publisher_client, qmas)
    moved = client.get(QMAS)
    assert moved.status_code == 301
    assert moved["Location"] == "/hong-kong/quality-migrants/"


def test_the_publish_action_publishes_a_live_routes_waiting_change(
    editor_client, publisher_client, qmas
):
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="Published from the list.")  # fmt: skip
    response = publisher_client.post(
        reverse("admin:guides_route_changelist"),
        {"action": "publish_selected", "_selected_action": [qmas.pk], "publish": "Publish"},
    )
    assert response.status_code == 302
    assert Route.objects.get(pk=qmas.pk).summary == "Published from the list."
    assert not PendingChange.objects.filter(route=qmas).exists()


def test_a_tampered_form_saves_nothing(editor_client, qmas):
    form = load(editor_client, change_url(qmas))
    form["base"] = ["not-a-signed-base"]
    response = post(editor_client, change_url(qmas), form, summary="Tampered.")
    assert response.status_code == 200
    assert "This form is out of date" in response.content.decode()
    assert not PendingChange.objects.filter(route=qmas).exists()


def test_a_waiting_change_citing_a_deleted_source_is_refused_not_crashed(
    editor_client, publisher_client, qmas
):
    from .factories import make_source

    doomed = make_source(title="Soon deleted")
    form = load(editor_client, change_url(qmas))
    form["criteria-0-source"] = [str(doomed.pk)]
    assert editor_client.post(change_url(qmas), form).status_code == 302
    doomed.delete()
    assert editor_client.get(change_url(qmas)).status_code == 200
    preview = reverse("admin:guides_route_preview", args=[qmas.pk]) + "?pending=1"
    assert publisher_client.get(preview).status_code == 200
    response = publish(publisher_client, qmas)
    assert response.status_code == 302
    assert PendingChange.objects.filter(route=qmas).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("deleted" in message for message in messages)
