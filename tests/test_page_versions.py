"""A route page's version (ETag, Last-Modified, sitemap lastmod) moves whenever anything it
shows changes, read from stored values; and only then."""

import datetime
import decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction

from guides.models import (
    ChangeNote,
    Country,
    DraftEvent,
    Editing,
    JurisdictionAlias,
    PendingChange,
    ProblemReport,
    Profession,
    ReviewRequest,
    Route,
    RouteAlias,
    ScheduledPublication,
)
from guides.models.pages import ShownOnPages
from guides.workflow import part_models

QMAS = "/hong-kong/qmas/"
# Related models that no public page shows.
NOT_SHOWN = {PendingChange, DraftEvent, ProblemReport, RouteAlias, JurisdictionAlias,
             ScheduledPublication, ReviewRequest, Editing}  # fmt: skip


def shown_models():
    return [Route, *part_models().values(), ChangeNote]


def test_every_model_a_route_page_reads_reports_the_pages_it_changes():
    users = get_user_model()
    for model in shown_models():
        for field in model._meta.get_fields():
            related = field.related_model
            if not field.is_relation or related in NOT_SHOWN or related is users:
                continue
            assert issubclass(related, ShownOnPages), f"{model.__name__}.{field.name}"


def changed(field, value):
    """Another valid value for `field`."""
    if value is None or value == "":
        return empty_filled(field)
    if field.choices:
        # The last choice needs nothing else set (a closing route would need a date).
        return next(choice for choice, _ in reversed(field.choices) if choice != value)
    if isinstance(field, models.URLField):
        return value.rstrip("/") + "/changed"
    if isinstance(value, str):
        return (value + " (changed)")[-field.max_length :] if field.max_length else value + "!"
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | decimal.Decimal):
        return value + 1
    if isinstance(value, datetime.date):
        return value - datetime.timedelta(days=1)
    raise AssertionError(f"no other value for {field}")


def empty_filled(field):
    if isinstance(field, models.URLField):
        return "https://www.example.gov/filled"
    if isinstance(field, models.DateField):
        return datetime.date(2026, 1, 1)
    if isinstance(field, models.DecimalField | models.IntegerField):
        return 1
    return "Filled by the test"[: field.max_length]


def rows_shown_on(route):
    item = route.criteria.first()
    related = route.related_routes.first()
    profession = Profession.objects.filter(routes=route).first()
    country = Country.objects.get(code="FR")
    route.explored_by.add(country)
    return [
        route,
        *(getattr(route, relation).first() for relation in part_models()),
        route.change_notes.first(),
        route.jurisdiction,
        route.category,
        route.author,
        item.source,
        route.fees_source,
        profession,
        related,
        route.compare_with.first(),
        country,
    ]


@pytest.mark.parametrize("index", range(17))
def test_changing_any_field_shown_on_a_route_page_moves_its_version(client, seeded, index):
    route = Route.objects.get(slug="qmas")
    row = rows_shown_on(route)[index]
    assert row is not None
    fixed = {"id", "key", "slug", "route", "status", "code"}
    fields = [
        field
        for field in row._meta.concrete_fields
        if field.editable and not field.is_relation and field.name not in fixed
    ]
    assert fields, row
    for field in fields:
        etag = client.get(QMAS)["ETag"]
        setattr(row, field.attname, changed(field, getattr(row, field.attname)))
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            continue  # a value the field may only take with another set (a cited figure)
        again = client.get(QMAS, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 200, f"{type(row).__name__}.{field.name}"
        assert again["ETag"] != etag


def test_a_row_no_route_page_shows_leaves_the_version_alone(client, seeded):
    first = client.get(QMAS)
    # Not related to QMAS, and for another purpose, so not offered for comparison on it.
    other = Route.objects.get(slug="graduate")
    other.summary = "Changed elsewhere."
    other.save()
    assert client.get(QMAS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_unit_of_work_refreshes_each_page_once(seeded):
    from guides.workflow import apply_content, route_content

    route = Route.objects.get(slug="qmas")
    content = route_content(route)
    for part in content["parts"]["criteria"].values():
        part["text"] += " Edited."
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        apply_content(route, content, None)
    moved = [query for query in captured if 'SET "content_updated_at"' in query["sql"]]
    assert len(moved) == 1
