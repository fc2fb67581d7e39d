"""Data migrations that carry waiting changes across a change of the route's fields."""

from importlib import import_module

from django.apps import apps

from guides import workflow
from guides.models import PendingChange, Route


def test_a_change_waiting_from_before_the_new_fields_merges_without_conflict(seeded):
    qmas = Route.objects.get(slug="qmas")
    base = workflow.route_content(qmas)
    migration = import_module("guides.migrations.0018_waiting_changes_with_new_fields")
    for name in migration.NEW_FIELDS:
        base["route"].pop(name)
    waiting = {**base, "route": {**base["route"], "summary": "Waiting from long ago."}}
    pending = PendingChange.objects.create(route=qmas, base=base, content=waiting)
    # The live route has none of the new facts yet, as when the fields were added.
    Route.objects.filter(pk=qmas.pk).update(
        purpose="", age_rule="", minimum_age=None, age_source=None, sponsorship_source=None,
        partner_can_come="", partner_note="", children_up_to=None, children_note="",
        dependant_fee="", dependant_fee_source=None, family_source=None, dependants_route=None,
    )  # fmt: skip
    qmas.open_only_to.clear()
    migration.add_new_fields_to_waiting_changes(apps, None)
    pending.refresh_from_db()
    # The Editor then gives the waiting change a purpose, which the live route lacks.
    pending.content["route"]["purpose"] = "settle"
    live = workflow.route_content(Route.objects.get(pk=qmas.pk))
    merged, conflicts = workflow.merge(pending.base, pending.content, live)
    assert conflicts == []
    assert merged["route"]["summary"] == "Waiting from long ago."
    assert merged["route"]["purpose"] == "settle"
