from django.core.management.base import BaseCommand

from guides.workflow import publish_due


class Command(BaseCommand):
    help = (
        "Publish the routes and waiting changes that Publishers scheduled for now or earlier. "
        "Run it every minute; overlapping runs publish each scheduled change once."
    )

    def handle(self, *args, **options):
        for route, outcome in publish_due():
            self.stdout.write(f"{route}: {outcome}")
