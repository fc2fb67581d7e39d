"""Checks that only mean something on PostgreSQL: the production database."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guides.models import (
    Assessment,
    AssessmentFactor,
    AssessmentOption,
    ChangeNote,
    PendingChange,
    ScheduledPublication,
)
from guides.models.pages import lock_public_content
from guides.workflow import NothingToPublish, publish, publish_due, route_content, waiting_token

from .factories import make_route, make_source

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def on_postgresql(db):
    assert connection.vendor == "postgresql", "make test-postgres needs DATABASE_URL=postgres://…"


def test_route_constraints_are_enforced_by_postgresql():
    constraints = connection.introspection.get_constraints(connection.cursor(), "guides_route")
    expected = {
        "guides_route_slug_unique_in_jurisdiction",
        "guides_route_slug_lowercase",
        "guides_route_status_valid",
        "guides_route_fee_amount_cited",
    }
    assert expected <= set(constraints)


def test_jurisdiction_reserved_slugs_are_a_database_check():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s",
            ["guides_jurisdiction_slug_not_reserved"],
        )
        (definition,) = cursor.fetchone()
    assert "'search'" in definition and "'admin'" in definition


def live_route_with_a_waiting_change(summary):
    route = make_route(status="published", summary="Live.")
    base = route_content(route)
    waiting = {**base, "route": {**base["route"], "summary": summary}}
    return route, PendingChange.objects.create(route=route, base=base, content=waiting)


def at_the_same_moment(*actions):
    """Run each action in a thread of its own, all released at once."""
    start = threading.Barrier(len(actions))

    def run(action):
        start.wait()
        try:
            action()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=[action]) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.django_db(transaction=True)
def test_two_publishes_of_one_waiting_change_at_the_same_moment(django_user_model):
    """Row locks serialise them: one publishes, the other finds the change already gone."""
    route, pending = live_route_with_a_waiting_change("Waiting.")
    outcomes = []

    def publish_as(name):
        user = django_user_model.objects.create_user(name, is_staff=True, is_superuser=True)

        def action():
            try:
                outcomes.append(publish(route, user, "Once.", waiting=waiting_token(pending)))
            except NothingToPublish:
                outcomes.append("nothing waiting")

        return action

    at_the_same_moment(publish_as("pat"), publish_as("sam"))
    assert sorted(map(str, outcomes)) == ["[]", "nothing waiting"]
    route.refresh_from_db()
    assert route.summary == "Waiting."
    assert ChangeNote.objects.filter(route=route, note="Once.").count() == 1
    assert not PendingChange.objects.filter(route=route).exists()


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_of_publish_scheduled_publish_once(django_user_model):
    route, pending = live_route_with_a_waiting_change("Scheduled.")
    ScheduledPublication.objects.create(
        route=route,
        publish_at=timezone.now() - timedelta(minutes=1),
        note="Once.",
        waiting=waiting_token(pending),
        scheduled_by=django_user_model.objects.create_user("pat", is_superuser=True),
    )
    outcomes = []

    def run():
        outcomes.extend(outcome for _, outcome in publish_due())

    at_the_same_moment(run, run)
    assert outcomes == ["published"]
    assert ChangeNote.objects.filter(route=route, note="Once.").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_grid_changed_while_its_draft_is_published_loses_neither_change(django_user_model):
    """A Publisher's direct edit and the publishing of a draft at once: the locks order
    them, and the draft is published only if the grid did not change under it."""
    route = make_route(status="published")
    source = make_source()
    live = Assessment.objects.create(
        route=route, key="test", name="Test", explanation="Live.", source=source,
        rule="count", pass_mark=1, is_published=True,
    )  # fmt: skip
    factor = AssessmentFactor.objects.create(assessment=live, key="c", name="C", maximum=1)
    AssessmentOption.objects.create(factor=factor, key="yes", label="Yes", meets=True)
    user = django_user_model.objects.create_user("pat", is_staff=True)
    draft = live.start_draft(user)
    Assessment.objects.filter(pk=draft.pk).update(explanation="From the draft.")
    outcomes = []

    def publish_draft():
        try:
            Assessment.objects.get(pk=draft.pk).publish_draft(user)
            outcomes.append("published")
        except ValidationError:
            outcomes.append("refused")

    def edit_directly():
        with transaction.atomic():
            lock_public_content()  # as every writer does first
            grid = Assessment.objects.select_for_update().get(pk=live.pk)
            grid.pass_mark = 1
            grid.explanation = "Edited directly."
            grid.save()
        outcomes.append("edited")

    at_the_same_moment(publish_draft, edit_directly)
    live.refresh_from_db()
    assert sorted(outcomes) in (["edited", "published"], ["edited", "refused"])
    if "refused" in outcomes:
        assert live.explanation == "Edited directly."
        assert Assessment.objects.filter(pk=draft.pk).exists()
    else:  # published first, then edited on top: both changes happened, in order
        assert live.explanation == "Edited directly."
        assert not Assessment.objects.filter(pk=draft.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_publishers_publishing_routes_that_show_each_other_at_once_both_succeed(
    django_user_model,
):
    """Each route's page lists the other (the same purpose elsewhere), so each publish
    refreshes the other's page: the writes must not deadlock."""
    user = django_user_model.objects.create_user("pat", is_staff=True, is_superuser=True)
    failures = []
    for attempt in range(5):
        pairs = [live_route_with_a_waiting_change(f"Waiting {attempt}.") for _ in range(2)]
        for route, _ in pairs:
            route.purpose = "work"
            route.save()

        def publishing(route, pending):
            def action():
                try:
                    publish(route, user, "", waiting=waiting_token(pending))
                except Exception as error:  # a deadlock is reported as an error here
                    failures.append(repr(error))

            return action

        at_the_same_moment(*(publishing(route, pending) for route, pending in pairs))
        assert failures == []
        assert not PendingChange.objects.filter(route__in=[r for r, _ in pairs]).exists()


@pytest.mark.django_db(transaction=True)
def test_two_publishers_in_the_admin_publish_routes_that_show_each_other_at_once(
    django_user_model,
):
    """The same, through the admin's publish form, each Publisher in a browser of their own;
    a visitor then gets both published pages."""
    pairs = [live_route_with_a_waiting_change(f"Published by {name}.") for name in ("a", "b")]
    for route, _ in pairs:
        route.purpose = "work"
        route.save()
    answers = []

    def publishing_in_the_admin(name, route):
        publisher = Client()
        publisher.force_login(
            django_user_model.objects.create_user(name, is_staff=True, is_superuser=True)
        )

        def action():
            url = reverse("admin:guides_route_publish", args=[route.pk])
            answers.append(publisher.post(url, {"publish": "Publish", "note": ""}).status_code)

        return action

    at_the_same_moment(
        *(publishing_in_the_admin(n, r) for n, (r, _) in zip("pq", pairs, strict=True))
    )
    assert answers == [302, 302]
    for route, _ in pairs:
        assert "Published by" in Client().get(route.get_absolute_url()).content.decode()
