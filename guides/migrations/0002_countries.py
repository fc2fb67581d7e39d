from django.db import migrations
from django_countries import countries


def load_countries(apps, schema_editor):
    Country = apps.get_model("guides", "Country")
    Country.objects.bulk_create(
        [Country(code=code, name=str(name)) for code, name in countries],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("guides", "0001_initial")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
