from django.db import migrations

# The route fields added by 0012 and 0015, with the value every route had when they came.
NEW_FIELDS = {
    "purpose": "",
    "age_rule": "",
    "minimum_age": None,
    "maximum_age": None,
    "age_source": None,
    "open_only_to": [],
    "nationality_note": "",
    "nationality_source": None,
    "sponsorship_source": None,
    "partner_can_come": "",
    "partner_note": "",
    "partner_can_work": "",
    "partner_work_note": "",
    "children_up_to": None,
    "children_note": "",
    "parents_can_come": "",
    "dependant_fee": "",
    "dependant_fee_source": None,
    "family_source": None,
    "dependants_route": None,
}


def add_new_fields_to_waiting_changes(apps, schema_editor):
    """A change waiting since before those fields existed names none of them: give it, and
    the base it was made on, the value the live route had, so that merging sees no change
    there rather than a conflict."""
    PendingChange = apps.get_model("guides", "PendingChange")
    for pending in PendingChange.objects.all():
        for content in (pending.content, pending.base):
            for name, value in NEW_FIELDS.items():
                content["route"].setdefault(name, value)
        pending.save(update_fields=["content", "base"])


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0017_glossary"),
    ]

    operations = [
        migrations.RunPython(add_new_fields_to_waiting_changes, migrations.RunPython.noop),
    ]
