"""What an operator relies on: secrets from files, locked dependencies, request ids in the
logs, maintenance mode, a health check that says why, and error reports only when asked."""

import gzip
import logging
import re
import subprocess
import sys
import threading
import time
import tomllib
from functools import partial
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO
from pathlib import Path

import brotli
import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client

from routes_site.middleware import RequestIdLogFilter

from .app_processes import AppProcess
from .test_settings import evaluated, load_settings

ROOT = Path(settings.BASE_DIR)
PRODUCTION = {"DJANGO_SECRET_KEY": "x", "DJANGO_ALLOWED_HOSTS": "example.org"}
QMAS = "/hong-kong/qmas/"


def test_the_secret_key_and_its_fallbacks_can_come_from_files(tmp_path):
    (tmp_path / "key").write_text("the-new-key\n")
    (tmp_path / "old").write_text("older-key\noldest-key\n")
    files = {
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DJANGO_SECRET_KEY_FILE": str(tmp_path / "key"),
        "DJANGO_SECRET_KEY_FALLBACKS_FILE": str(tmp_path / "old"),
    }
    assert evaluated("s.SECRET_KEY, s.SECRET_KEY_FALLBACKS", **files) == (
        "the-new-key ['older-key', 'oldest-key']"
    )
    listed = evaluated("s.SECRET_KEY_FALLBACKS", **PRODUCTION, DJANGO_SECRET_KEY_FALLBACKS="a,b")
    assert listed == "['a', 'b']"
    assert evaluated("s.SECRET_KEY_FALLBACKS", **PRODUCTION) == "[]"


def test_an_unreadable_secret_file_stops_the_app_saying_which(tmp_path):
    result = load_settings(
        DJANGO_ALLOWED_HOSTS="example.org", DJANGO_SECRET_KEY_FILE=str(tmp_path / "missing")
    )
    assert result.returncode != 0
    assert f"DJANGO_SECRET_KEY_FILE: cannot read {tmp_path / 'missing'}" in result.stderr


def test_postgresql_connections_have_a_connect_and_a_statement_timeout():
    url = {"DATABASE_URL": "postgres://u:p%40ss@db.internal:5432/routeguide"}
    options = "s.DATABASES['default']['OPTIONS'], s.DATABASES['default']['PASSWORD']"
    assert evaluated(options, **PRODUCTION, **url) == (
        "{'connect_timeout': 3, 'options': '-c statement_timeout=5000'} p@ss"
    )
    assert evaluated(
        "s.DATABASES['default']['OPTIONS']['options']",
        **PRODUCTION, **url, DATABASE_STATEMENT_TIMEOUT="2",
    ) == "-c statement_timeout=2000"  # fmt: skip


def test_management_commands_have_no_statement_timeout_unless_told():
    """A migration building an index may take longer than a reader should wait."""
    show = "from django.db import connection; print(connection.settings_dict['OPTIONS'])"
    command = [sys.executable, "manage.py", "shell", "-c", show]
    environment = {"PATH": "/usr/bin:/bin", "SITE_URL": "https://routeguide.test", **PRODUCTION,
                   "DATABASE_URL": "postgres://u:p@db.internal:5432/routeguide"}  # fmt: skip
    run = partial(subprocess.run, command, cwd=ROOT, capture_output=True, text=True)
    assert "statement_timeout=0'" in run(env=environment).stdout
    told = run(env=environment | {"DATABASE_STATEMENT_TIMEOUT": "9"}).stdout
    assert "statement_timeout=9000'" in told


def test_the_log_level_comes_from_the_environment_and_is_checked():
    assert evaluated("s.LOGGING['root']['level']", **PRODUCTION) == "INFO"
    assert evaluated("s.LOGGING['root']['level']", **PRODUCTION, LOG_LEVEL="warning") == "WARNING"
    refused = load_settings(**PRODUCTION, LOG_LEVEL="loud")
    assert refused.returncode != 0
    assert "LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not 'LOUD'" in refused.stderr


def test_each_response_carries_a_request_id_that_the_logs_of_the_request_share(client, db, caplog):
    caplog.handler.addFilter(RequestIdLogFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        made = client.get("/no-such-page/")
    assert made.status_code == 404
    assert re.fullmatch(r"[0-9a-f]{32}", made["X-Request-ID"])
    assert [record.request_id for record in caplog.records] == [made["X-Request-ID"]]

    after = logging.LogRecord("x", logging.INFO, "", 0, "between requests", None, None)
    RequestIdLogFilter().filter(after)
    assert after.request_id == "-"

    given = client.get("/no-such-page/", HTTP_X_REQUEST_ID="f00d-42")
    assert given["X-Request-ID"] == "f00d-42"
    forged = client.get("/no-such-page/", HTTP_X_REQUEST_ID='x" status=200 y="')
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])


def test_a_stored_page_gets_a_request_id_of_its_own(
    client, seeded, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE = True
    first = client.get(QMAS)
    with django_assert_max_num_queries(1):  # the content's version: the page comes stored
        second = client.get(QMAS)
    assert first.status_code == second.status_code == 200
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.fixture
def maintenance_file(tmp_path, settings):
    settings.MAINTENANCE_FILE = str(tmp_path / "maintenance.on")
    yield Path(settings.MAINTENANCE_FILE)


def test_maintenance_mode_answers_every_page_503_and_keeps_the_health_check(
    client, seeded, maintenance_file, admin_client
):
    call_command("maintenance", "on", "--retry-after", "120", stdout=StringIO())
    for path in [QMAS, "/", "/admin/", "/search/?q=visa"]:
        response = client.get(path)
        assert response.status_code == 503, path
        assert response["Retry-After"] == "120"
        assert response["Cache-Control"] == "no-store"
        assert "Route Guide is being updated" in response.content.decode()
        assert 'rel="stylesheet"' in response.content.decode()
    assert admin_client.post("/admin/logout/").status_code == 503
    health = client.get("/healthz")
    assert (health.status_code, health.content) == (200, b"ok (maintenance mode is on)")

    call_command("maintenance", "off", stdout=StringIO())
    assert not maintenance_file.exists()
    assert client.get(QMAS).status_code == 200
    assert client.get("/healthz").content == b"ok"


def test_the_maintenance_command_says_what_it_did(maintenance_file, capsys):
    call_command("maintenance", "on")
    assert "Maintenance mode is on" in capsys.readouterr().out
    assert maintenance_file.read_text() == f"{settings.MAINTENANCE_RETRY_SECONDS}\n"
    call_command("maintenance")
    assert "Retry-After 300" in capsys.readouterr().out
    call_command("maintenance", "off")
    call_command("maintenance", "off")  # twice is no error
    assert "Maintenance mode is off" in capsys.readouterr().out


def test_the_health_check_says_why_the_database_fails(db, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    with monkeypatch.context() as outage:
        outage.setattr(connection, "ensure_connection", refuse)
        response = Client().get("/healthz")
    assert (response.status_code, response.content) == (503, b"database unreachable")


class Collector(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        decompress = {"gzip": gzip.decompress, "br": brotli.decompress}
        body = decompress.get(self.headers.get("Content-Encoding"), bytes)(body)
        self.received.append((self.path, body.decode()))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def report_form_sent_while_the_database_is_broken(tmp_path, **env):
    """A reader's report posted to a process whose database has no tables: an error with a
    request body that holds personal data."""
    script = (
        "import django, sentry_sdk; django.setup(); from django.test import Client; "
        "Client(raise_request_exception=False).post('/hong-kong/qmas/report/', "
        "{'message': 'my private words', 'email': 'reader@example.org'}, "
        "HTTP_X_FORWARDED_PROTO='https'); "
        "sentry_sdk.flush(5); print(sentry_sdk.get_client().is_active())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "routes_site.settings",
             "SITE_URL": "https://routeguide.test", "DJANGO_SECRET_KEY": "x",
             "DJANGO_ALLOWED_HOSTS": "testserver",
             "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", **env},
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_errors_are_reported_only_when_a_dsn_is_set_and_without_personal_data(
    tmp_path, collected_static
):
    server = HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert report_form_sent_while_the_database_is_broken(tmp_path) == "False"
        assert Collector.received == []
        dsn = f"http://publickey@127.0.0.1:{server.server_port}/7"
        assert report_form_sent_while_the_database_is_broken(tmp_path, SENTRY_DSN=dsn) == "True"
    finally:
        server.shutdown()
    [(path, envelope)] = Collector.received
    assert path == "/api/7/envelope/"
    assert "no such table" in envelope
    assert "/{jurisdiction}/{slug}/report/" in envelope  # the view that failed
    assert "reader@example.org" not in envelope
    assert "my private words" not in envelope


def locked(lock_file):
    pins = re.findall(r"^([a-z0-9._-]+)==([^ ;\\\n]+)", (ROOT / lock_file).read_text(), re.M)
    return dict(pins)


def requirement_names(requirements):
    return {
        re.split(r"[\[<>=! ;]", requirement, maxsplit=1)[0].lower() for requirement in requirements
    }


def test_every_dependency_is_locked_with_hashes_and_the_locks_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    production, development, browser = (
        locked(f"requirements/{name}.txt") for name in ("production", "development", "browser")
    )
    assert requirement_names(project["dependencies"]) <= production.keys()
    assert requirement_names(project["optional-dependencies"]["dev"]) <= development.keys()
    assert requirement_names(project["optional-dependencies"]["browser"]) <= browser.keys()
    for name, version in production.items():
        assert development.get(name) == browser.get(name) == version, name
    for lock_file in ("production", "development", "browser"):
        text = (ROOT / f"requirements/{lock_file}.txt").read_text()
        entries = re.split(r"^(?=[a-z0-9])", text, flags=re.M)[1:]
        assert entries
        assert all("--hash=sha256:" in entry for entry in entries), lock_file


def test_the_image_installs_the_locked_dependencies_before_it_copies_the_code():
    steps = [line.split(None, 1) for line in (ROOT / "Dockerfile").read_text().splitlines()
             if line and not line.startswith((" ", "#"))]  # fmt: skip
    instructions = [" ".join(step) for step in steps]
    base = next(step[1] for step in steps if step[0] == "FROM")
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", base)
    install = instructions.index(
        "RUN pip install --no-cache-dir --require-hashes -r requirements/production.txt"
    )
    assert instructions.index("COPY . .") > install
    assert (
        instructions[-1]
        == 'CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "routes_site.wsgi"]'
    )
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements/development.txt" in makefile


@pytest.fixture
def app_with_a_short_statement_timeout(collected_static):
    app = AppProcess("", DATABASE_STATEMENT_TIMEOUT="1", DJANGO_PAGE_CACHE="0")
    yield app
    app.stop()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hung_database_costs_a_request_its_statement_timeout_then_a_503(
    seeded, app_with_a_short_statement_timeout
):
    app = app_with_a_short_statement_timeout
    assert app.request(QMAS)[0] == 200
    database = connection.settings_dict
    with psycopg.connect(
        host=database["HOST"], port=database["PORT"], dbname=database["NAME"],
        user=database["USER"], password=database["PASSWORD"],
    ) as stuck, stuck.transaction():  # fmt: skip
        # As a long migration or a stuck transaction would: every read of routes waits.
        stuck.execute("LOCK TABLE guides_route IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        status, body = app.request(QMAS)
        waited = time.monotonic() - started
        # And what every request reads first: the health check says so.
        stuck.execute("LOCK TABLE guides_contentversion IN ACCESS EXCLUSIVE MODE")
        health = app.request("/healthz")
    assert status == 503
    assert "unavailable for a moment" in body
    assert 1 <= waited < 2.5
    assert health == (503, "database did not answer in time")
    assert app.request(QMAS)[0] == 200  # the lock gone, the same worker serves again


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_access_log_names_the_reader_and_the_request_not_the_proxy(
    seeded, app_with_a_short_statement_timeout
):
    app = app_with_a_short_statement_timeout
    status, _ = app.request(
        QMAS, headers={"X-Forwarded-For": "198.51.100.9, 203.0.113.7", "X-Request-ID": "r-42"}
    )
    assert status == 200
    [line] = [line for line in app.logged().splitlines() if "request_id=r-42" in line]
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} level=INFO logger=access ", line)
    assert f'client=203.0.113.7 method=GET path="{QMAS}" query="" status=200 ' in line
