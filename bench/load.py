"""Load benchmark: gunicorn as in production, wrk on loopback, one table per database.

`make bench` runs it. For SQLite, and for PostgreSQL when BENCH_POSTGRES_URL names a server
(a database `route_guide_bench` is made there and dropped after), with the seed content and
then with a synthetic catalogue of BENCH_ROUTES more routes (generate_demo_content), it
serves the site with gunicorn (2 sync workers, debug off) and measures, at 16 connections:
the route, jurisdiction, search and finder pages with the page cache warm and with it off
(DJANGO_PAGE_CACHE=0), and a static file as large as the route page, served by the same
gunicorn and WhiteNoise: the most this machine can serve. With the seed content on SQLite it
also reports Lighthouse's performance score for the route page (mobile, the cache warm).
See docs/performance.md.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LIGHTHOUSE = ROOT / "tools" / "browser" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUTES = int(os.environ.get("BENCH_ROUTES", "10000"))
CONNECTIONS = 16
TIMEOUT = 10  # seconds: a slow cold page is measured, not dropped
WORKERS = 2
STATIC_COPY = "bench-route-page.html"
PAGES = {
    "route": "/hong-kong/qmas/",
    "jurisdiction": "/hong-kong/",
    "search": "/search/?q=skilled+worker",
    "finder": "/finder/?nationality=IN&age=30&purposes=settle&job_offer=no"
    "&wants_permanent_residency=yes",
}
# What the TLS proxy in front of gunicorn adds to each request in production.
PROXY_HEADER = "X-Forwarded-Proto: https"
ENVIRONMENT = {
    "DJANGO_SECRET_KEY": "benchmark-only-not-secret",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": "https://routeguide.test",
    "DJANGO_DEBUG": "0",
}


def main():
    databases = [("SQLite", None)]
    postgres = os.environ.get("BENCH_POSTGRES_URL")
    if postgres:
        databases.append(("PostgreSQL", postgres))
    else:
        print("PostgreSQL: BENCH_POSTGRES_URL is not set; measuring SQLite only.\n")
    manage("collectstatic", "--noinput", "-v0", environment=sqlite_environment(Path("/tmp")))
    for name, server in databases:
        with database(server) as environment:
            manage("migrate", "-v0", environment=environment)
            manage("seed", "-v0", environment=environment)
            report(f"{name}, seed content", environment, lighthouse=name == "SQLite")
            manage(
                "generate_demo_content", "--routes", str(ROUTES), "--force", environment=environment
            )
            report(f"{name}, seed content and {ROUTES:,} synthetic routes", environment)


def sqlite_environment(folder):
    return {**ENVIRONMENT, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}


class database:
    """A fresh, empty database for one run: a file for SQLite, a database on the server."""

    def __init__(self, server):
        self.server = server

    def __enter__(self):
        if self.server is None:
            self.folder = tempfile.mkdtemp()
            return sqlite_environment(self.folder)
        self.admin("DROP DATABASE IF EXISTS route_guide_bench")
        self.admin("CREATE DATABASE route_guide_bench")
        parts = urlsplit(self.server)
        return {
            **ENVIRONMENT,
            "DATABASE_URL": urlunsplit(parts._replace(path="/route_guide_bench")),
        }

    def __exit__(self, *exc):
        if self.server is None:
            shutil.rmtree(self.folder)
        else:
            self.admin("DROP DATABASE IF EXISTS route_guide_bench")

    def admin(self, statement):
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(statement)


def manage(*args, environment):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=os.environ | environment, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def report(title, environment, lighthouse=False):
    rows, memory = [], []
    with Server(environment, page_cache=True) as server:
        page = fetch(server.url(PAGES["route"]))
        score = lighthouse_performance(server.url(PAGES["route"])) if lighthouse else None
        (ROOT / "staticfiles" / STATIC_COPY).write_bytes(page)
    try:
        with Server(environment, page_cache=True) as server:
            static = load(server.url(f"/static/{STATIC_COPY}"))
            rows.append(("static file, same size", "", static))
            for name, path in PAGES.items():
                load(server.url(path), seconds=1)  # fills the cache
                rows.append((name, "warm", load(server.url(path))))
        memory.append(server.peak_kb)
        with Server(environment, page_cache=False) as server:
            for name, path in PAGES.items():
                load(server.url(path), seconds=1)
                rows.append((name, "cold", load(server.url(path))))
        memory.append(server.peak_kb)
    finally:
        (ROOT / "staticfiles" / STATIC_COPY).unlink()
    print(f"## {title}\n")
    print(f"Route page {len(page) / 1024:.1f} KB; {CONNECTIONS} connections, {WORKERS} workers, "
          f"{SECONDS} s a row; peak memory of a worker {max(memory) / 1024:.0f} MB.\n")  # fmt: skip
    if score is not None:
        print(f"Lighthouse performance score of the route page (mobile, cache warm): {score}\n")
    print("| page | cache | requests/s | p50 ms | p99 ms | of static | notes |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, cache, result in rows:
        if not result.rate:
            print(f"| {name} | {cache} | under 1 | - | - | 0.00 | none finished in {SECONDS} s |")
            continue
        ratio = result.rate / static.rate
        print(f"| {name} | {cache} | {result.rate:,.0f} | {result.p50:.1f} | {result.p99:.1f} | "
              f"{ratio:.2f} | {result.problems} |")  # fmt: skip
    print()


class Server:
    """gunicorn on a free loopback port, under /usr/bin/time -v for its peak memory."""

    def __init__(self, environment, page_cache):
        self.environment = {**environment, "DJANGO_PAGE_CACHE": "1" if page_cache else "0"}
        self.port = free_port()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        self.log = tempfile.NamedTemporaryFile(mode="w+")
        self.process = subprocess.Popen(
            ["/usr/bin/time", "-v", GUNICORN, "routes_site.wsgi", "--workers", str(WORKERS),
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"],
            cwd=ROOT, env=os.environ | self.environment, stderr=self.log, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                fetch(self.url("/healthz"))
                return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not start:\n{self.read_log()}")

    def __exit__(self, *exc):
        gunicorn = int(subprocess.check_output(["pgrep", "-P", str(self.process.pid)]).split()[0])
        os.kill(gunicorn, signal.SIGTERM)
        self.process.wait(timeout=30)
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", self.read_log())
        self.peak_kb = int(found.group(1)) if found else 0

    def read_log(self):
        self.log.seek(0)
        return self.log.read()


class Result:
    def __init__(self, output):
        self.rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        self.p50 = latency(output, "50%")
        self.p99 = latency(output, "99%")
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        timeouts = re.search(r"Socket errors:.*timeout (\d+)", output)
        self.problems = "".join(
            [
                f"{errors.group(1)} errors " if errors else "",
                f"{timeouts.group(1)} timed out (over {TIMEOUT} s)" if timeouts else "",
            ]
        )


def lighthouse_performance(url):
    """Lighthouse's performance score (0 to 100) for `url`, with its default mobile throttling."""
    result = subprocess.run(
        [LIGHTHOUSE, url, "--quiet", "--output=json", "--only-categories=performance",
         "--extra-headers", json.dumps(dict([PROXY_HEADER.split(": ")])),
         "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking"],
        capture_output=True, text=True, env=os.environ | {"CHROME_PATH": CHROMIUM}, check=True,
    )  # fmt: skip
    return round(json.loads(result.stdout)["categories"]["performance"]["score"] * 100)


def latency(output, percentile):
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def load(url, seconds=SECONDS):
    output = subprocess.run(
        ["wrk", "--threads", "2", "--connections", str(CONNECTIONS), "--duration", f"{seconds}s",
         "--timeout", f"{TIMEOUT}s", "--latency", "--header", PROXY_HEADER, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return Result(output)


def fetch(url):
    name, value = PROXY_HEADER.split(": ")
    request = urllib.request.Request(url, headers={name: value})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
