from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from guides.linkcheck import check_urls, is_loopback
from guides.models import ContentVersion, OfficialLink, Route, Source
from guides.models.pages import lock_public_content


class Command(BaseCommand):
    help = (
        "Fetch every source and official link URL (HEAD, then GET if refused), record what "
        "answered, and list the broken and moved ones. Refuses URLs off this machine unless "
        "--allow-network is given, so that no test or demo reaches the internet by accident."
    )

    def add_arguments(self, parser):
        parser.add_argument("--allow-network", action="store_true")
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds per request.")
        parser.add_argument("--concurrency", type=int, default=8, help="Requests at once.")

    def handle(self, *args, allow_network, timeout, concurrency, **options):
        if concurrency < 1 or timeout <= 0:
            raise CommandError("--concurrency and --timeout must be positive.")
        rows = [*Source.objects.all(), *OfficialLink.objects.select_related("route")]
        urls = sorted({row.url for row in rows})
        remote = [url for url in urls if not is_loopback(url)]
        if remote and not allow_network:
            raise CommandError(
                f"{len(remote)} URL(s) are not on this machine (e.g. {remote[0]}). "
                "Run with --allow-network to fetch them."
            )
        results = {result.url: result for result in check_urls(urls, timeout, concurrency)}
        checked_at = timezone.now()
        with transaction.atomic():
            lock_public_content()
            self.record(results, checked_at)
        self.report(rows, results)

    @staticmethod
    def record(results, checked_at):
        for model in (Source, OfficialLink):
            for url, result in results.items():
                model.objects.filter(url=url).update(
                    check_state=result.state,
                    checked_at=checked_at,
                    check_status=result.status,
                    check_final_url=result.final_url,
                    check_elapsed_ms=result.elapsed_ms,
                    check_error=result.error,
                )
        # The register of sources shows each link's last check.
        ContentVersion.objects.move(checked_at)

    def report(self, rows, results):
        problems = 0
        for row in rows:
            result = results[row.url]
            if result.state == "ok":
                continue
            problems += 1
            where = (
                f"official link on {row.route}"
                if isinstance(row, OfficialLink)
                else "source cited by "
                + (", ".join(str(route) for route in Route.objects.citing(row)) or "no route page")
            )
            answer = result.error or f"HTTP {result.status}"
            moved = f" -> {result.final_url}" if result.state == "moved" else ""
            self.stdout.write(f"{result.state.upper()}: {row.url}{moved} ({answer}; {where})")
        self.stdout.write(f"Checked {len(results)} URL(s): {problems} broken or moved.")
