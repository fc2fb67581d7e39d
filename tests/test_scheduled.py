"""Scheduled publishing: a Publisher approves a change to go live later; it does, once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from guides.models import ChangeNote, PendingChange, Route, ScheduledPublication
from guides.workflow import publish_due

from .test_editing_together import change_url, load, post


@pytest.fixture
def qmas(seeded):
    return Route.objects.get(jurisdiction__slug="hong-kong", slug="qmas")


def schedule(client, route, when, note="Scheduled change."):
    url = reverse("admin:guides_route_publish", args=[route.pk])
    page = client.get(url).content.decode()
    waiting = page.split(f'name="waiting-{route.pk}" value="', 1)[1].split('"', 1)[0]
    data = {"publish": "Publish", "note": note, f"waiting-{route.pk}": waiting,
            "publish_at": timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")}  # fmt: skip
    return client.post(url, data)


def test_a_scheduled_change_goes_live_at_its_time_and_once(
    editor_client, publisher_client, client, qmas
):
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="Live from tomorrow.")  # fmt: skip
    tomorrow = timezone.now() + timedelta(days=1)
    assert schedule(publisher_client, qmas, tomorrow).status_code == 302
    listing = publisher_client.get(reverse("admin:guides_route_changelist")).content.decode()
    assert "goes live" in listing

    assert publish_due() == []
    assert "Live from tomorrow." not in client.get("/hong-kong/qmas/").content.decode()
    later = tomorrow + timedelta(minutes=1)
    assert publish_due(now=later) == [(qmas, "published")]
    assert publish_due(now=later) == []
    assert Route.objects.get(pk=qmas.pk).summary == "Live from tomorrow."
    assert ChangeNote.objects.filter(route=qmas, note="Scheduled change.").count() == 1
    assert not PendingChange.objects.filter(route=qmas).exists()


def test_a_change_saved_after_approval_is_not_published_on_schedule(
    editor_client, publisher_client, qmas
):
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="Approved text.")  # fmt: skip
    tomorrow = timezone.now() + timedelta(days=1)
    schedule(publisher_client, qmas, tomorrow)
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="Changed after approval.")  # fmt: skip
    outcome = publish_due(now=tomorrow + timedelta(minutes=1))
    assert outcome == [(qmas, "not published: the approved change has changed")]
    assert Route.objects.get(pk=qmas.pk).summary != "Changed after approval."
    assert PendingChange.objects.filter(route=qmas).exists()


def test_a_time_in_the_past_is_refused(editor_client, publisher_client, qmas):
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="Waiting.")  # fmt: skip
    response = schedule(publisher_client, qmas, timezone.now() - timedelta(hours=1))
    assert response.status_code == 200
    assert "Choose a time in the future" in response.content.decode()
    assert not ScheduledPublication.objects.exists()
    assert PendingChange.objects.filter(route=qmas).exists()


def test_the_command_publishes_what_is_due(editor_client, publisher_client, qmas, capsys):
    post(editor_client, change_url(qmas), load(editor_client, change_url(qmas)),
         summary="Due now.")  # fmt: skip
    schedule(publisher_client, qmas, timezone.now() + timedelta(minutes=2))
    ScheduledPublication.objects.update(publish_at=timezone.now() - timedelta(minutes=1))
    call_command("publish_scheduled")
    assert "Quality Migrant Admission Scheme (QMAS): published" in capsys.readouterr().out
    assert Route.objects.get(pk=qmas.pk).summary == "Due now."
