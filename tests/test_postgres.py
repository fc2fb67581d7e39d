"""Checks that only mean something on PostgreSQL: the production database."""

import pytest
from django.db import connection

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
