"""The content version that keys the page cache, with its one row; and, on PostgreSQL, a
trigram index on route acronyms, for search's misspelt-acronym match."""

import uuid

from django.db import migrations, models
from django.utils import timezone


def make_the_row(apps, schema_editor):
    ContentVersion = apps.get_model("guides", "ContentVersion")
    ContentVersion.objects.create(pk=1, token=uuid.uuid4().hex, changed_at=timezone.now())


def add_acronym_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS guides_route_acronym_trgm_idx ON guides_route "
            "USING gin (acronym gin_trgm_ops)"
        )


def drop_acronym_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS guides_route_acronym_trgm_idx")


class Migration(migrations.Migration):

    dependencies = [
        ('guides', '0018_waiting_changes_with_new_fields'),
    ]

    operations = [
        migrations.CreateModel(
            name='ContentVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=32)),
                ('changed_at', models.DateTimeField()),
            ],
        ),
        migrations.RunPython(make_the_row, migrations.RunPython.noop),
        migrations.RunPython(add_acronym_index, drop_acronym_index),
    ]
