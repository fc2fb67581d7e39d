"""Review due dates: calendar months, "due soon" within 30 days, overdue from the due date."""

from datetime import date

import pytest
from django.urls import reverse

from guides.models import ReviewState, Route
from guides.models.base import add_months

from .factories import make_route


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 25), 6, date(2027, 5, 25)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
    ],
)
def test_the_due_date_counts_calendar_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2027, 4, 24), ReviewState.OK),
        (date(2027, 4, 25), ReviewState.DUE_SOON),  # exactly 30 days before the due date
        (date(2027, 5, 24), ReviewState.DUE_SOON),
        (date(2027, 5, 25), ReviewState.OVERDUE),  # the due date itself
    ],
)
def test_review_state_at_its_boundaries(today, state):
    route = Route(last_reviewed=date(2026, 11, 25), review_cycle_months=6)
    assert route.review_state(today) == state


def test_a_never_reviewed_route_is_overdue():
    assert Route(last_reviewed=None).review_state(date(2026, 1, 1)) == ReviewState.OVERDUE


def test_the_admin_lists_and_filters_by_review_state(staff_client, db):
    overdue = make_route(name="Stale route", last_reviewed=date(2020, 1, 1))
    make_route(name="Fresh route", last_reviewed=date.today())
    url = reverse("admin:guides_route_changelist")
    page = staff_client.get(url, {"review": "overdue"}).content.decode()
    assert "Stale route" in page and "Fresh route" not in page
    assert '<td class="field-review">Overdue</td>' in page
    page = staff_client.get(url, {"review": "ok"}).content.decode()
    assert "Fresh route" in page and "Stale route" not in page
    staff_client.post(url, {"action": "mark_reviewed_today", "_selected_action": [overdue.pk]})
    overdue.refresh_from_db()
    assert overdue.last_reviewed == date.today()
    page = staff_client.get(url, {"review": "overdue"}).content.decode()
    assert "Stale route" not in page
    assert '<td class="field-review">Overdue</td>' not in page


def test_the_public_page_flags_an_overdue_route_politely(client, db):
    route = make_route(last_reviewed=date(2020, 1, 1))
    page = client.get(route.get_absolute_url()).content.decode()
    assert "This page may be out of date." in page
    assert "due for review on 1 July 2020" in page
    route.last_reviewed = date.today()
    route.save()
    assert (
        "This page may be out of date." not in client.get(route.get_absolute_url()).content.decode()
    )


def test_the_etag_changes_when_the_page_becomes_overdue(client, db, monkeypatch):
    route = make_route(last_reviewed=date(2026, 11, 25))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: date(2027, 4, 1))
    first = client.get(route.get_absolute_url())
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: date(2027, 6, 1))
    again = client.get(route.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "This page may be out of date." in again.content.decode()
