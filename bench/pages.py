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
]
REPEATS = int(os.environ.get("BENCH_REPEATS", "50"))


def main():
    setup_test_environment()
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0)
    client = Client()
    print(f"{'page':32} {'median ms':>9} {'p95 ms':>7} {'queries':>7} {'KB':>6}  (n={REPEATS})")
    for path in PAGES:
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
    etag = client.get("/hong-kong/qmas/")["ETag"]
    started = time.perf_counter()
    for _ in range(REPEATS):
        assert client.get("/hong-kong/qmas/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    revalidation_ms = (time.perf_counter() - started) * 1000 / REPEATS
    print(f"304 revalidation of /hong-kong/qmas/: {revalidation_ms:.1f} ms")


if __name__ == "__main__":
    main()
