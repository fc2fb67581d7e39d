"""Who can apply: structured, cited facts edited in the route's admin screen and shown on
the route page where they say something."""

import pytest
from django.db import IntegrityError, transaction
from django.utils.html import escape

from guides.models import Country, Route, Source

from .test_editing_together import change_url, load, post


@pytest.fixture
def qmas(seeded):
    return Route.objects.get(jurisdiction__slug="hong-kong", slug="qmas")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"age_source": ""}, "age_source", "An age rule must cite its source."),
        ({"minimum_age": "50", "maximum_age": "40"}, "maximum_age", "below the minimum"),
        ({"minimum_age": "", "maximum_age": ""}, "minimum_age", "Give a minimum age"),
        ({"age_rule": ""}, "age_rule", "Choose “The limits below”"),
        ({"open_only_to": "IN"}, "nationality_source", "A nationality rule must cite its source."),
    ],
)
def test_an_eligibility_fact_without_what_it_needs_is_a_form_error(
    publisher_client, qmas, changes, field, message
):
    before = Route.objects.values().get(pk=qmas.pk)
    form = load(publisher_client, change_url(qmas))
    if "open_only_to" in changes:
        changes = {"open_only_to": str(Country.objects.get(code=changes["open_only_to"]).pk)}
    response = post(publisher_client, change_url(qmas), form, **changes)
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(message) in page or message in page
    assert f'href="#id_{field}"' in page  # the error summary links to the field
    assert Route.objects.values().get(pk=qmas.pk) == before
    assert not qmas.open_only_to.exists()


def test_an_editor_sets_age_limits_and_the_page_and_finder_use_them(publisher_client, client, qmas):
    form = load(publisher_client, change_url(qmas))
    response = post(publisher_client, change_url(qmas), form, minimum_age="21", maximum_age="45")
    assert response.status_code == 302
    page = client.get(qmas.get_absolute_url()).content.decode()
    assert "<dt>Age</dt>" in page
    assert "You must be 21 to 45 when you apply." in page
    assert f'href="{qmas.age_source.url}"' in page
    finder = client.get("/finder/", {"age": "50", "jurisdictions": "hong-kong"}).content.decode()
    not_fit = finder.split(">Routes that do not fit")[1]
    assert "Only for people aged 21 to 45 when you apply" in not_fit
    assert qmas.get_absolute_url() in not_fit


def test_a_route_open_only_to_some_says_so_with_its_source(client, seeded):
    asmtp = Route.objects.get(slug="asmtp")
    page = client.get(asmtp.get_absolute_url()).content.decode()
    assert "<dt>Nationality</dt>" in page
    assert "Only for Chinese residents of the Mainland." in page
    assert f'href="{asmtp.nationality_source.url}"' in page


def test_unconfirmed_facts_are_left_off_the_route_page(client, seeded):
    express_entry = Route.objects.get(slug="express-entry")
    assert express_entry.age_rule == ""
    page = client.get(express_entry.get_absolute_url()).content.decode()
    assert "<dt>Age</dt>" not in page and "<dt>Nationality</dt>" not in page
    assert "<dt>What it is for</dt>" in page


def test_the_database_refuses_an_age_limit_without_ages_or_a_source(seeded):
    qmas = Route.objects.get(slug="qmas")
    source = Source.objects.first()
    for fields in [
        {"age_rule": "limits", "minimum_age": None, "maximum_age": None, "age_source": source},
        {"age_rule": "limits", "minimum_age": 18, "age_source": None},
        {"age_rule": "", "minimum_age": 18, "age_source": source},
        {"minimum_age": 60, "maximum_age": 18},
        {"purpose": "holiday"},
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Route.objects.filter(pk=qmas.pk).update(**fields)
