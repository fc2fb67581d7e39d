from django.conf import settings
from django.core.management.base import BaseCommand

from guides.models import ProblemReport


class Command(BaseCommand):
    help = "Delete problem reports older than REPORT_RETENTION_DAYS (run it daily)."

    def handle(self, *args, **options):
        deleted, _ = ProblemReport.objects.expired().delete()
        self.stdout.write(
            f"Deleted {deleted} report(s) older than {settings.REPORT_RETENTION_DAYS} days."
        )
