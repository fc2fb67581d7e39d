from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from routes_site.middleware import maintenance_retry_seconds


class Command(BaseCommand):
    help = (
        "Switch maintenance mode on (every page answers 503 with Retry-After), off, or show "
        "whether it is on. It holds on every app process that sees MAINTENANCE_FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument("state", nargs="?", choices=["on", "off", "status"], default="status")
        parser.add_argument(
            "--retry-after",
            type=int,
            default=settings.MAINTENANCE_RETRY_SECONDS,
            help="seconds readers are asked to wait (default %(default)s)",
        )

    def handle(self, *args, state, retry_after, **options):
        switch = Path(settings.MAINTENANCE_FILE)
        try:
            if state == "on":
                switch.write_text(f"{retry_after}\n")
            elif state == "off":
                switch.unlink(missing_ok=True)
        except OSError as error:
            raise CommandError(f"Could not switch maintenance mode {state}: {error}") from error
        retry_seconds = maintenance_retry_seconds()
        if retry_seconds is None:
            self.stdout.write(f"Maintenance mode is off ({switch} does not exist).")
        else:
            self.stdout.write(
                f"Maintenance mode is on ({switch}): pages answer 503, Retry-After {retry_seconds}."
            )
