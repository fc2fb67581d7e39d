import json
from io import StringIO

from django.core.management import call_command
from django.core.management.base import BaseCommand

from guides.models.base import DERIVED_FIELDS

# In dependency order, as the fixtures are written; countries come from a migration.
CONTENT_MODELS = [
    "guides.category",
    "guides.author",
    "guides.profession",
    "guides.searchsynonym",
    "guides.source",
    "guides.glossaryterm",
    "guides.jurisdiction",
    "guides.route",
    "guides.eligibilitycriterion",
    "guides.blocker",
    "guides.evidenceitem",
    "guides.pathwaystep",
    "guides.officiallink",
    "guides.faq",
    "guides.assessment",
    "guides.assessmentfactor",
    "guides.assessmentoption",
    "guides.changenote",
]


class Command(BaseCommand):
    help = (
        "Write all content as a fixture with natural keys, in the format of fixtures/, for "
        "review as a diff and for `manage.py seed --force FILE` elsewhere. Fields the site "
        "derives or records by itself (rendered Markdown, audit fields, link checks) are left "
        "out."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write; standard output if omitted.")

    def handle(self, *args, output=None, **options):
        dumped = StringIO()
        call_command(
            "dumpdata",
            *CONTENT_MODELS,
            natural_foreign=True,
            natural_primary=True,
            use_base_manager=True,  # every row, each whole (routes' default manager defers)
            stdout=dumped,
        )
        objects = json.loads(dumped.getvalue())
        for obj in objects:
            obj["fields"] = {
                name: value for name, value in obj["fields"].items() if name not in DERIVED_FIELDS
            }
        text = json.dumps(objects, indent=2, ensure_ascii=False) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
        else:
            self.stdout.write(text, ending="")
