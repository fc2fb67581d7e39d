"""Faults: a save that fails half-way changes nothing, and a database that cannot be reached
gives readers a short styled 503, never a 500."""

import pytest
from django.db import IntegrityError, OperationalError, connection
from django.test import Client

from guides.models import EligibilityCriterion, Route

from .test_editing_together import change_url, load, post

QMAS = "/hong-kong/qmas/"


def test_a_failure_between_the_route_and_its_parts_leaves_the_route_fully_old(
    publisher_client, client, monkeypatch, seeded, no_page_cache
):
    qmas = Route.objects.get(slug="qmas")
    page_before = client.get(QMAS).content
    criteria_before = list(qmas.criteria.values_list("text", flat=True))
    data = load(publisher_client, change_url(qmas))
    data["criteria-0-text"] = ["A criterion that never lands."]

    def fail(*args, **kwargs):
        raise RuntimeError("injected: the route is written, its parts are not")

    monkeypatch.setattr(EligibilityCriterion, "save", fail)
    with pytest.raises(RuntimeError, match="injected"):
        post(publisher_client, change_url(qmas), data, name="A name that never lands")
    monkeypatch.undo()

    qmas.refresh_from_db()
    assert qmas.name == "Quality Migrant Admission Scheme"
    assert list(qmas.criteria.values_list("text", flat=True)) == criteria_before
    assert client.get(QMAS).content == page_before


def refuse_connections():
    """As while PostgreSQL restarts: no connection can be made."""
    raise OperationalError("connection refused")


def test_a_reader_gets_a_short_styled_503_while_the_database_is_down(seeded, monkeypatch):
    client = Client(raise_request_exception=False)
    with monkeypatch.context() as outage:
        outage.setattr(connection, "ensure_connection", refuse_connections)
        responses = {
            path: client.get(path, HTTP_X_FORWARDED_PROTO="https")
            for path in [QMAS, "/", "/search/?q=visa", "/hong-kong/qmas/report/"]
        }
    for path, response in responses.items():
        assert response.status_code == 503, path
        assert response["Retry-After"] == "30"
        assert "unavailable for a moment" in response.content.decode()
        assert "Traceback" not in response.content.decode()
    assert client.get(QMAS, HTTP_X_FORWARDED_PROTO="https").status_code == 200  # back


def test_other_errors_stay_500s(seeded, monkeypatch):
    def broken(*args, **kwargs):
        raise IntegrityError("a bug, not an outage")

    monkeypatch.setattr("guides.views.render_route_page", broken)
    response = Client(raise_request_exception=False).get(QMAS, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 500
    assert "problem with the service" in response.content.decode()
