"""Two people at once, through the admin's own forms (posted as a browser does, with CRLF):
nobody's text disappears, renames never break a waiting change, history tells the truth."""

import pytest
from django.urls import reverse
from reversion.models import Version

from guides.models import FAQ, DraftEvent, Jurisdiction, PendingChange, Profession, Route, Source
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
                    processing_time="The publisher's timing")  # fmt: skip
    assert response.status_code == 302
    assert publish(publisher_client, qmas).status_code == 302
    live = Route.objects.get(pk=qmas.pk)
    assert live.summary == "The editor's summary."
    assert live.processing_time == "The publisher's timing"
    page = client.get(QMAS).content.decode()
    assert "The publisher&#x27;s timing" in page and "The editor&#x27;s summary." in page


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

    chosen = publish(publisher_client, qmas, **{f"choice-{qmas.pk}-route/summary": "mine"})
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
                processing_time="Second editor's timing").status_code == 302  # fmt: skip
    waiting = PendingChange.objects.get(route=qmas).content["route"]
    assert waiting["summary"] == "First editor's summary."
    assert waiting["processing_time"] == "Second editor's timing"


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
    response = post(editor_client, change_url(qmas), form)
    assert response.status_code == 302
    assert not PendingChange.objects.filter(route=qmas).exists()
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["You changed nothing, so nothing waits for a Publisher."]
    post(publisher_client, change_url(qmas), load(publisher_client, change_url(qmas)))
    assert route_content(Route.objects.get(pk=qmas.pk)) == before
    assert not Version.objects.get_for_object(qmas).exists()


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


def test_an_editor_cannot_bring_a_deleted_route_back_live(editor_client, publisher_client, qmas):
    post(publisher_client, change_url(qmas), load(publisher_client, change_url(qmas)),
         summary="Recorded in history.")  # fmt: skip
    version = Version.objects.get_for_object(qmas).first()
    qmas.delete()
    recover = reverse("admin:guides_route_recover", args=[version.pk])
    assert editor_client.get(recover).status_code == 403
    assert editor_client.post(recover, {}).status_code == 403
    assert editor_client.get(reverse("admin:guides_route_recoverlist")).status_code == 403
    assert not Route.objects.filter(slug="qmas").exists()


def test_publishing_refuses_a_waiting_change_saved_again_after_the_publisher_looked(
    editor_client, publisher_client, qmas
):
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="What the publisher saw.")  # fmt: skip
    url = reverse("admin:guides_route_publish", args=[qmas.pk])
    seen = form_data(publisher_client.get(url).content.decode(), "publish-form")
    assert seen[f"waiting-{qmas.pk}"]
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="Changed after the publisher looked.")  # fmt: skip
    response = publisher_client.post(url, {**seen, "publish": ["Publish"]})
    assert response.status_code == 302
    assert Route.objects.get(pk=qmas.pk).summary != "Changed after the publisher looked."
    assert PendingChange.objects.filter(route=qmas).exists()


def test_changes_that_break_a_rule_together_are_refused_not_crashed(
    editor_client, publisher_client, qmas
):
    source = qmas.fees_source
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         initial_stay_months="24", initial_stay_source=str(source.pk))  # fmt: skip
    form = load(publisher_client, change_url(qmas))
    post(publisher_client, change_url(qmas), form, initial_stay_source="")
    pending = PendingChange.objects.get(route=qmas)
    pending.content["route"]["initial_stay_source"] = None  # as if the editor had not set it
    pending.base["route"]["initial_stay_source"] = None
    pending.save()
    response = publish(publisher_client, qmas)
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("was not published" in message for message in messages), messages
    assert Route.objects.get(pk=qmas.pk).initial_stay_months is None
    assert PendingChange.objects.filter(route=qmas).exists()


def test_a_waiting_change_naming_a_deleted_profession_is_refused(
    editor_client, publisher_client, qmas
):
    new = Profession.objects.create(name="Falconer", slug="falconer")
    form = load(editor_client, change_url(qmas))
    form["professions"] = [*form.get("professions", []), str(new.pk)]
    assert editor_client.post(change_url(qmas), form).status_code == 302
    new.delete()
    response = publish(publisher_client, qmas)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("deleted" in message for message in messages), messages
    assert PendingChange.objects.filter(route=qmas).exists()


def test_an_editor_and_a_publisher_changing_different_fields_of_one_item_keep_both(
    editor_client, publisher_client, qmas
):
    form = load(editor_client, change_url(qmas))
    position = form["criteria-0-position"][0]
    post(editor_client, change_url(qmas), form, **{"criteria-0-position": "999"})
    post(publisher_client, change_url(qmas), load(publisher_client, change_url(qmas)),
         **{"criteria-0-text": "Text corrected by the publisher."})  # fmt: skip
    assert publish(publisher_client, qmas).status_code == 302
    corrected = qmas.criteria.get(text="Text corrected by the publisher.")
    assert corrected.position == 999 != int(position)


def test_conflicts_of_several_routes_are_settled_route_by_route(
    editor_client, publisher_client, qmas
):
    ttps = Route.objects.get(jurisdiction__slug="hong-kong", slug="ttps")
    for route in [qmas, ttps]:
        post(editor_client, change_url(route), load(editor_client, change_url(route)),
             summary=f"Editor's {route.slug}.")  # fmt: skip
        post(publisher_client, change_url(route), load(publisher_client, change_url(route)),
             summary=f"Publisher's {route.slug}.")  # fmt: skip
    changelist = reverse("admin:guides_route_changelist")
    selected = {"action": "publish_selected", "_selected_action": [qmas.pk, ttps.pk]}
    page = publisher_client.post(changelist, {**selected, "publish": "Publish"})
    assert page.status_code == 200
    data = form_data(page.content.decode(), "publish-form")
    data[f"choice-{qmas.pk}-route/summary"] = ["mine"]
    data[f"choice-{ttps.pk}-route/summary"] = ["theirs"]
    data["publish"] = ["Publish"]
    assert publisher_client.post(changelist, data).status_code == 302
    assert Route.objects.get(pk=qmas.pk).summary == "Editor's qmas."
    assert Route.objects.get(pk=ttps.pk).summary == "Publisher's ttps."


def test_deleting_rows_a_page_shows_moves_its_version(publisher_client, client, qmas):
    first = client.get(QMAS)
    qmas.professions.first().delete()
    second = client.get(QMAS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    note = qmas.change_notes.first()
    publisher_client.post(
        reverse("admin:guides_changenote_changelist"),
        {"action": "delete_selected", "_selected_action": [note.pk], "post": "yes"},
    )
    assert not qmas.change_notes.filter(pk=note.pk).exists()
    assert client.get(QMAS, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 200


def test_a_new_route_from_a_browser_is_stored_with_lf_line_breaks(staff_client, qmas):
    data = form_data(staff_client.get(reverse("admin:guides_route_add")).content.decode(),
                     "route_form")  # fmt: skip
    data.update({
        "jurisdiction": [str(qmas.jurisdiction_id)], "category": [str(qmas.category_id)],
        "name": ["New route"], "slug": ["new-route"], "summary": ["One\r\ntwo"],
        "availability": ["open"], "review_cycle_months": ["6"],
    })  # fmt: skip
    assert staff_client.post(reverse("admin:guides_route_add"), data).status_code == 302
    assert Route.objects.get(slug="new-route").summary == "One\ntwo"
