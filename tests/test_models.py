import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from guides.models import EligibilityCriterion, Jurisdiction, Route
from guides.slugs import RESERVED_SLUGS, url_first_segments

from .factories import make_route, make_source


def test_every_fixed_first_segment_of_the_urlconf_is_reserved():
    assert url_first_segments() >= {"admin", "healthz", "professions", "authors"}
    assert url_first_segments() <= RESERVED_SLUGS


@pytest.mark.parametrize("slug", ["admin", "search", "professions", "routes"])
def test_reserved_slug_is_refused_with_a_clear_message(db, slug):
    jurisdiction = Jurisdiction(name="Somewhere", short_name="Somewhere", slug=slug)
    with pytest.raises(ValidationError) as error:
        jurisdiction.full_clean()
    assert f"“/{slug}/” is an address the site uses for its own pages" in str(error.value)


@pytest.mark.parametrize("slug", ["search", "Hong-Kong"])
def test_database_refuses_reserved_or_uppercase_slugs_that_skip_validation(db, slug):
    with pytest.raises(IntegrityError), transaction.atomic():
        Jurisdiction.objects.create(name="X", short_name="X", slug=slug)


def test_uppercase_slug_is_refused_by_validation(db):
    with pytest.raises(ValidationError, match="lowercase"):
        Jurisdiction(name="X", short_name="X", slug="Hong-Kong").full_clean()


def test_route_slug_is_unique_within_its_jurisdiction_only(db):
    route = make_route(slug="talent")
    duplicate = Route(
        jurisdiction=route.jurisdiction, category=route.category, name="Other", slug="talent",
        summary="Other.",
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Route with this Jurisdiction and Slug already exists." in str(error.value)
    make_route(slug="talent")  # the same slug elsewhere is fine


def test_fee_amount_needs_currency_and_source(db):
    route = make_route()
    route.fee_amount = 600
    with pytest.raises(ValidationError) as error:
        route.full_clean()
    assert set(error.value.message_dict) == {"fee_currency", "fees_source"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Route.objects.filter(pk=route.pk).update(fee_amount=600, fee_currency="HKD")


def test_notice_needs_a_source_but_no_date(db):
    route = make_route()
    route.notice = "The rules change."
    with pytest.raises(ValidationError) as error:
        route.full_clean()
    assert set(error.value.message_dict) == {"notice_source"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Route.objects.filter(pk=route.pk).update(notice="The rules change.")
    # A secondary source seldom gives a date an official page would: the notice goes undated.
    route.notice_source = make_source()
    route.full_clean()


def test_invalid_choice_is_refused_by_the_database(db):
    route = make_route()
    with pytest.raises(IntegrityError), transaction.atomic():
        Route.objects.filter(pk=route.pk).update(status="gone")


def test_natural_keys_round_trip(db):
    route = make_route()
    criterion = EligibilityCriterion.objects.create(
        route=route, key="age", text="Over 18.", source=make_source()
    )
    assert route.natural_key() == (route.jurisdiction.slug, route.slug)
    assert Route.objects.get_by_natural_key(*route.natural_key()) == route
    assert criterion.natural_key() == (*route.natural_key(), "age")
    assert EligibilityCriterion.objects.get_by_natural_key(*criterion.natural_key()) == criterion
    assert Jurisdiction.objects.get_by_natural_key(route.jurisdiction.slug) == route.jurisdiction


def model_counts():
    from django.apps import apps

    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("guides").get_models()
    }


def test_seed_fills_derived_fields(seeded):
    qmas = Route.objects.get(slug="qmas")
    assert qmas.overview_html.startswith("<p>")
    assert all(faq.answer_html for faq in qmas.faqs.all())


def test_seed_leaves_a_database_with_content_alone(seeded):
    qmas = Route.objects.get(slug="qmas")
    Route.objects.filter(pk=qmas.pk).update(summary="Edited by an editor.")
    call_command("seed", verbosity=0)
    assert Route.objects.get(pk=qmas.pk).summary == "Edited by an editor."


def test_seeding_twice_with_force_creates_no_duplicates_and_keeps_editors_items(seeded):
    qmas = Route.objects.get(slug="qmas")
    editors_item = EligibilityCriterion.objects.create(
        route=qmas, text="Added by an editor.", position=10, source=make_source()
    )
    before = model_counts()
    call_command("seed", force=True, verbosity=0)
    assert model_counts() == before
    assert EligibilityCriterion.objects.get(pk=editors_item.pk).text == "Added by an editor."


def test_saving_a_part_marks_the_route_content_updated(db):
    route = make_route()
    before = Route.objects.get(pk=route.pk).content_updated_at
    EligibilityCriterion.objects.create(route=route, text="New.", source=make_source())
    assert Route.objects.get(pk=route.pk).content_updated_at > before


def test_export_content_writes_natural_keys(seeded, tmp_path):
    output = tmp_path / "content.json"
    call_command("export_content", output=str(output))
    objects = json.loads(output.read_text())
    criteria = [obj for obj in objects if obj["model"] == "guides.eligibilitycriterion"]
    assert ["hong-kong", "qmas"] in [criterion["fields"]["route"] for criterion in criteria]
    assert all("pk" not in obj for obj in objects)
    assert all("overview_html" not in obj["fields"] for obj in objects)
