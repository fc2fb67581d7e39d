"""Page benchmarks: time, queries and size of the main pages, through Django's stack.

Run with `make bench` (a fresh SQLite database in a temporary folder, seeded). Figures are
for comparing changes on one machine, not promises.
"""

import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "routes_site.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from guides.models import Jurisdiction, Route  # noqa: E402

# An Indian national of 30 who wants to settle and has no job offer, looking everywhere.
FINDER = "/finder/?nationality=IN&age=30&purposes=settle&job_offer=no&wants_permanent_residency=yes"
MANY_ROUTES = 10_000

PAGES = [
    "/",
    "/hong-kong/",
    "/hong-kong/qmas/",
    "/routes/",
    "/routes/?sponsorship=no",
    "/search/?q=talent",
    "/search/?q=skilled+worker",
    "/sitemap-routes.xml",
    "/feeds/updates/",
    "/sources/",
    "/sources/immd-qmas-self-assessment-tool/",
    FINDER,
    "/compare/?routes=hong-kong/qmas,canada/express-entry",
    "/compare/?routes=hong-kong/qmas,canada/express-entry,singapore/employment-pass,"
    "united-kingdom/graduate",
    "/compare/hong-kong-vs-singapore/",
    "/hong-kong/qmas/self-assessment/",
    "/hong-kong/qmas/self-assessment/?test=general-points-test&age-18=yes&financial-means=yes"
    "&good-character=yes&basic-education=yes&age-50-or-under=yes&two-languages=yes",
    "/canada/federal-skilled-worker/self-assessment/",
]
REPEATS = int(os.environ.get("BENCH_REPEATS", "50"))


def main():
    setup_test_environment()
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0)
    client = Client()
    measure(client, PAGES)
    etag = client.get("/hong-kong/qmas/")["ETag"]
    started = time.perf_counter()
    for _ in range(REPEATS):
        assert client.get("/hong-kong/qmas/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    revalidation_ms = (time.perf_counter() - started) * 1000 / REPEATS
    print(f"304 revalidation of /hong-kong/qmas/: {revalidation_ms:.1f} ms")
    add_many_routes()
    print(f"\nWith {Route.objects.count()} published routes:")
    measure(client, [FINDER, "/compare/?routes=hong-kong/qmas,canada/express-entry"])


def add_many_routes():
    """MANY_ROUTES more published routes, spread over the jurisdictions, with mixed facts."""
    template = Route.objects.get(slug="qmas")
    places = list(Jurisdiction.objects.all())
    answers = ["yes", "no", "depends", ""]
    purposes = ["work", "settle", "study", "family", "invest", ""]
    Route.objects.bulk_create(
        Route(
            jurisdiction=places[n % len(places)],
            category_id=template.category_id,
            name=f"Benchmark route {n}",
            slug=f"benchmark-{n}",
            summary=template.summary,
            status=Route.Status.PUBLISHED,
            sponsorship_required=answers[n % 4],
            leads_to_permanent_residency=answers[(n // 4) % 4],
            purpose=purposes[n % 6],
        )
        for n in range(MANY_ROUTES)
    )


def measure(client, paths):
    print(f"{'page':32} {'median ms':>9} {'p95 ms':>7} {'queries':>7} {'KB':>6}  (n={REPEATS})")
    for path in paths:
        timings = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        p95 = statistics.quantiles(timings, n=20)[-1]
        size = len(response.content) / 1024
        print(
            f"{path:32} {statistics.median(timings):9.1f} {p95:7.1f} {len(queries):7d} {size:6.1f}"
        )


if __name__ == "__main__":
    main()
