"""Content moves between environments as fixtures with natural keys."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from guides.models import Author, Category, GlossaryTerm, Jurisdiction, Profession, Route, Source


def canonical(objects):
    return sorted(json.dumps(obj, sort_keys=True) for obj in objects)


def test_exporting_right_after_seeding_reproduces_the_fixtures(seeded, tmp_path):
    output = tmp_path / "export.json"
    call_command("export_content", output=str(output))
    fixtures = [
        obj
        for path in sorted(Path(settings.FIXTURE_DIRS[0]).glob("*.json"))
        for obj in json.loads(path.read_text())
    ]
    assert canonical(json.loads(output.read_text())) == canonical(fixtures)


def test_export_then_import_reproduces_the_same_pages(client, seeded, tmp_path):
    paths = [route.get_absolute_url() for route in Route.objects.all()] + ["/", "/hong-kong/"]
    before = {path: client.get(path).content for path in paths}
    output = tmp_path / "export.json"
    call_command("export_content", output=str(output))
    Route.objects.all().delete()
    for model in [GlossaryTerm, Jurisdiction, Source, Category, Author, Profession]:
        model.objects.all().delete()
    call_command("seed", str(output), verbosity=0)
    for path in paths:
        assert client.get(path).content == before[path], path
