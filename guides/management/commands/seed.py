from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from guides.models import Jurisdiction, Route
from guides.models.pages import one_refresh, pages_changed


def seed_fixtures():
    """fixtures/*.json, with common.json (what the others refer to) first and glossary.json
    (which cites the sources of every jurisdiction) last."""
    paths = [path for directory in settings.FIXTURE_DIRS for path in directory.glob("*.json")]
    paths.sort(key=lambda path: (path.name != "common.json", path.name == "glossary.json", path))
    return [str(path) for path in paths]


class Command(BaseCommand):
    help = (
        "Load the seed content in fixtures/ (or the fixture files given, such as an export) "
        "and fill the derived fields. A database that already has routes is left alone unless "
        "--force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "fixtures",
            nargs="*",
            help="Fixture files to load (default: every fixtures/*.json), e.g. an export.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even into a database with content: seed rows are overwritten by their "
            "natural keys; rows that editors added are kept.",
        )

    def handle(self, *args, fixtures=(), force=False, verbosity=1, **options):
        if Route.objects.exists() and not force:
            self.stdout.write("The database already has content; nothing loaded (use --force).")
            return
        fixtures = fixtures or seed_fixtures()
        # loaddata saves rows raw: the derived fields and page versions are filled here.
        with transaction.atomic(), one_refresh():
            call_command("loaddata", *fixtures, verbosity=verbosity)
            for route in Route.objects.all():
                route.render_derived()
            pages_changed(
                Route.objects.values_list("pk", flat=True),
                Jurisdiction.objects.values_list("pk", flat=True),
            )
        self.stdout.write(self.style.SUCCESS(f"Seeded {Route.objects.count()} routes."))
