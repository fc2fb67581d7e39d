from django.core.management import call_command
from django.core.management.base import BaseCommand

# In dependency order, as the fixtures are written; countries come from a migration.
CONTENT_MODELS = [
    "guides.category",
    "guides.author",
    "guides.profession",
    "guides.source",
    "guides.jurisdiction",
    "guides.route",
    "guides.eligibilitycriterion",
    "guides.blocker",
    "guides.evidenceitem",
    "guides.pathwaystep",
    "guides.officiallink",
    "guides.faq",
]


class Command(BaseCommand):
    help = "Write all content as a fixture with natural keys (the format of fixtures/)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write; standard output if omitted.")

    def handle(self, *args, output=None, **options):
        call_command(
            "dumpdata",
            *CONTENT_MODELS,
            natural_foreign=True,
            natural_primary=True,
            indent=2,
            output=output,
            stdout=self.stdout,
        )
