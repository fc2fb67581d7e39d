"""Submit for review → send back with a comment → fix → approve: each step in the trail and
by email to the people concerned."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from guides.models import DraftEvent, ReviewRequest, Route
from guides.workflow import publish_due

from .test_editing_together import change_url, load, post
from .test_scheduled import schedule


@pytest.fixture
def qmas(seeded, publisher_client, editor_client):
    publisher_client.user.email = "pat@example.org"
    publisher_client.user.save()
    editor_client.user.email = "eddie@example.org"
    editor_client.user.save()
    return Route.objects.get(jurisdiction__slug="hong-kong", slug="qmas")


def test_submit_send_back_fix_and_scheduled_approval(editor_client, publisher_client, client, qmas):
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="A first try.")  # fmt: skip
    form = editor_client.get(change_url(qmas)).content.decode()
    assert "Submit for review" in form
    submit = reverse("admin:guides_route_submit", args=[qmas.pk])
    assert editor_client.post(submit).status_code == 302
    assert ReviewRequest.objects.get(route=qmas).state == ReviewRequest.State.SUBMITTED
    assert [message.to for message in mail.outbox] == [["pat@example.org"]]
    assert "Submitted for review" in mail.outbox[0].subject
    home = publisher_client.get(reverse("admin:index")).content.decode()
    assert "Submitted for review (1)" in home

    send_back = reverse("admin:guides_route_send_back", args=[qmas.pk])
    assert publisher_client.get(send_back).status_code == 200
    comment = "Say who the scheme is for in the first sentence."
    assert publisher_client.post(send_back, {"comment": comment}).status_code == 302
    assert mail.outbox[-1].to == ["eddie@example.org"]
    assert comment in mail.outbox[-1].body
    form = editor_client.get(change_url(qmas)).content.decode()
    assert "Sent back" in form and comment in form
    assert "Sent back (1)" in editor_client.get(reverse("admin:index")).content.decode()

    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="For highly skilled people who want to live in Hong Kong.")  # fmt: skip
    editor_client.post(submit)
    tomorrow = timezone.now() + timedelta(days=1)
    assert schedule(publisher_client, qmas, tomorrow, note="Summary clearer.").status_code == 302
    assert publish_due(now=tomorrow + timedelta(minutes=1)) == [(qmas, "published")]
    assert (
        "For highly skilled people who want to live in Hong Kong."
        in client.get("/hong-kong/qmas/").content.decode()
    )
    assert not ReviewRequest.objects.filter(route=qmas).exists()
    assert mail.outbox[-1].to == ["eddie@example.org"]
    assert "Published" in mail.outbox[-1].subject
    trail = [event.action for event in DraftEvent.objects.filter(route=qmas).order_by("at", "pk")]
    assert trail == ["saved", "submitted", "sent-back", "saved", "submitted", "published"]


def test_editors_cannot_send_back_and_nothing_to_review_is_said(editor_client, qmas):
    send_back = reverse("admin:guides_route_send_back", args=[qmas.pk])
    assert editor_client.post(send_back, {"comment": "No."}).status_code == 403
    response = editor_client.post(reverse("admin:guides_route_submit", args=[qmas.pk]))
    assert response.status_code == 302
    assert not ReviewRequest.objects.exists()
    assert mail.outbox == []
