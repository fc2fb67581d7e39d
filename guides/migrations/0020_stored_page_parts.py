import django.core.serializers.json
from django.core import serializers
from django.db import migrations, models

# The parts a route page showed when this migration was written; `store_page_parts()` in
# guides/models/routes.py keeps the copies up to date from here on.
SHOWN_PARTS = ["criteria", "blockers", "evidence", "steps", "official_links", "faqs", "change_notes"]


def store_page_parts(apps, schema_editor):
    Route = apps.get_model("guides", "Route")
    routes = Route.objects.prefetch_related(
        *SHOWN_PARTS, "blockers__excluded_nationalities", "open_only_to", "explored_by"
    )
    for route in routes.iterator(chunk_size=500):
        page_parts = {
            "parts": {
                relation: serializers.serialize("python", getattr(route, relation).all())
                for relation in SHOWN_PARTS
            },
            "open_only_to": [country.pk for country in route.open_only_to.all()],
            "explored_by": [country.pk for country in route.explored_by.all()],
        }
        Route.objects.filter(pk=route.pk).update(page_parts=page_parts)


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0019_content_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="route",
            name="page_parts",
            field=models.JSONField(
                default=dict,
                editable=False,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
            ),
        ),
        migrations.RunPython(store_page_parts, migrations.RunPython.noop),
    ]
