"""The files an operator copies to run the site: compose.yaml, deploy/systemd/ and
deploy/nginx/. The tests marked deploy run systemd-analyze and the real nginx configuration,
in front of a stand-in for gunicorn (`make test-deploy` installs both)."""

import configparser
import fnmatch
import gzip
import http.client
import os
import pwd
import re
import shutil
import ssl
import subprocess
import threading
import time
from collections import Counter, namedtuple
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
import yaml

from .app_processes import ROOT, free_port, wait_until_answering

SYSTEMD = ROOT / "deploy/systemd"
VENV = "/srv/route-guide/.venv"
# Each scheduled job's unit name, and the manage.py command it runs.
JOBS = {
    "route-guide-publish-scheduled": "manage.py publish_scheduled",
    "route-guide-check-sources": "manage.py check_sources --allow-network",
    "route-guide-purge-reports": "manage.py purge_reports",
}
SERVICES = ["route-guide.service", *(f"{job}.service" for job in JOBS)]
APP_SERVICES = ["migrate", "web", "scheduler"]
HOST = "guide.example.org"


# compose.yaml


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def as_text(command):
    """A command or health check test as one string, whichever form Compose was given."""
    return command if isinstance(command, str) else " ".join(command)


def env_files(service):
    value = service.get("env_file", [])
    entries = [value] if isinstance(value, str) else value
    return [entry["path"] if isinstance(entry, dict) else entry for entry in entries]


def is_ignored(name, ignore_file):
    patterns = [line.strip() for line in (ROOT / ignore_file).read_text().splitlines()]
    return any(
        fnmatch.fnmatch(name, pattern) for pattern in patterns if pattern and pattern[0] not in "#!"
    )


def test_compose_has_the_services_and_no_version_key(compose):
    assert set(compose["services"]) == {"db", "redis", *APP_SERVICES}
    assert "version" not in compose


def test_only_the_web_service_publishes_a_port_and_on_loopback_only(compose):
    """The app believes the X-Forwarded-* headers it is sent: only nginx on the same
    machine may reach it, and nothing may reach the database or Redis."""
    services = compose["services"]
    assert [name for name, service in services.items() if service.get("ports")] == ["web"]
    for port in services["web"]["ports"]:
        assert str(port).startswith("127.0.0.1:"), port
    assert not [name for name, service in services.items() if "network_mode" in service]


def test_database_and_cache_have_health_checks(compose):
    assert "pg_isready" in as_text(compose["services"]["db"]["healthcheck"]["test"])
    assert "redis-cli ping" in as_text(compose["services"]["redis"]["healthcheck"]["test"])


def test_the_app_starts_once_migrations_ran_on_a_healthy_database(compose):
    services = compose["services"]
    assert as_text(services["migrate"]["command"]) == "python manage.py migrate --noinput"
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    web = services["web"]["depends_on"]
    assert web["migrate"]["condition"] == "service_completed_successfully"
    assert web["db"]["condition"] == web["redis"]["condition"] == "service_healthy"
    scheduler = services["scheduler"]["depends_on"]
    assert scheduler["migrate"]["condition"] == "service_completed_successfully"


def test_the_database_lives_on_a_named_volume(compose):
    [volume] = compose["services"]["db"]["volumes"]
    name, _, path = volume.partition(":")
    assert path == "/var/lib/postgresql/data"
    assert name in compose["volumes"]


def test_settings_come_from_an_env_file_that_git_and_docker_ignore(compose):
    for name in ["db", *APP_SERVICES]:
        assert env_files(compose["services"][name]) == ["route-guide.env"], name
    for name in APP_SERVICES:
        assert compose["services"][name]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert is_ignored("route-guide.env", ".gitignore")
    assert is_ignored("route-guide.env", ".dockerignore")


def test_images_are_pinned_to_a_minor_release(compose):
    """A new major PostgreSQL needs pg_upgrade: it must never arrive with a pull. And it is
    the major CI tests on."""
    assert compose["services"]["db"]["image"].startswith("postgres:15.")
    for name, service in compose["services"].items():
        if "build" not in service:
            tag = service["image"].partition(":")[2]
            assert re.match(r"\d+\.\d+", tag), f"{name}: {service['image']} is not pinned"


def strings(value):
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return [value] if isinstance(value, str) else []


def test_every_dollar_is_left_to_the_container(compose):
    """Compose replaces $NAME in any value with the host's variable, empty if unset, before
    the container's shell could see it; $$ is a dollar sign."""
    assert not [text for text in strings(compose) if "$" in text.replace("$$", "")]


def test_the_scheduler_runs_the_daily_jobs_once_a_day(compose, tmp_path):
    """The scheduler's loop with stand-ins for python, date and sleep: four minutes, the
    date changing after the second."""
    days = tmp_path / "days"
    days.write_text("2026-11-26\n2026-11-26\n2026-11-27\n2026-11-27\n")
    calls = tmp_path / "calls"
    stand_ins = {
        "python": f'echo "$*" >> {calls}',
        "date": f"head -n 1 {days}",
        # A minute passes; when the days run out, so does the loop.
        "sleep": f"sed -i 1d {days}; [ -s {days} ] || kill $PPID",
    }
    for name, body in stand_ins.items():
        (tmp_path / name).write_text(f"#!/bin/sh\n{body}\n")
        (tmp_path / name).chmod(0o755)
    script = compose["services"]["scheduler"]["command"][-1].replace("$$", "$")
    # Output captured: run() returns once the daily jobs in the background have closed it too.
    subprocess.run(
        ["sh", "-c", script], env={"PATH": f"{tmp_path}:/usr/bin:/bin"},
        capture_output=True, timeout=30,
    )  # fmt: skip
    assert Counter(calls.read_text().splitlines()) == {
        JOBS["route-guide-publish-scheduled"]: 4,
        JOBS["route-guide-check-sources"]: 2,
        JOBS["route-guide-purge-reports"]: 2,
    }


# deploy/systemd/


def unit(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((SYSTEMD / name).read_text())
    return parser


def test_systemd_has_the_web_service_and_a_timer_and_service_per_job():
    expected = {*SERVICES, *(f"{job}.timer" for job in JOBS)}
    assert {path.name for path in SYSTEMD.iterdir()} == expected


@pytest.mark.parametrize("job", JOBS)
def test_each_timer_starts_a_oneshot_job_running_its_command(job):
    timer = unit(f"{job}.timer")
    assert timer["Timer"]["OnCalendar"]
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"].get("Unit", f"{job}.service") == f"{job}.service"
    assert timer["Install"]["WantedBy"] == "timers.target"
    service = unit(f"{job}.service")["Service"]
    assert service["Type"] == "oneshot"
    assert service["ExecStart"] == f"{VENV}/bin/python {JOBS[job]}"


def test_the_web_service_runs_gunicorn_with_the_projects_config():
    web = unit("route-guide.service")
    assert web["Service"]["ExecStart"] == (
        f"{VENV}/bin/gunicorn --config deploy/gunicorn.conf.py routes_site.wsgi"
    )
    assert web["Service"]["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert web["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_runs_as_routeguide_with_the_same_settings(name):
    service = unit(name)["Service"]
    assert service["User"] == service["Group"] == "routeguide"
    assert service["WorkingDirectory"] == "/srv/route-guide"
    assert service["EnvironmentFile"] == "/etc/route-guide/route-guide.env"
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"


def installed(program):
    # Debian keeps nginx in /usr/sbin, which is not on every user's PATH.
    found = shutil.which(program, path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")
    if not found:
        pytest.fail(f"{program} is not installed: `make test-deploy` installs it")
    return found


@pytest.mark.deploy
def test_systemd_accepts_the_units_and_the_timers_schedules(tmp_path):
    systemd_analyze = installed("systemd-analyze")
    for job in JOBS:
        schedule = unit(f"{job}.timer")["Timer"]["OnCalendar"]
        check = subprocess.run(
            [systemd_analyze, "calendar", schedule], capture_output=True, text=True
        )
        assert check.returncode == 0, f"{job}: {check.stderr}"
    # verify wants the programs to exist: the project's virtualenv stands in for /srv's.
    for path in SYSTEMD.iterdir():
        (tmp_path / path.name).write_text(path.read_text().replace(VENV, str(ROOT / ".venv")))
    check = subprocess.run(
        [systemd_analyze, "verify", *sorted(tmp_path.iterdir())], capture_output=True, text=True
    )
    # A misspelt setting is only a warning, and systemd ignores the setting.
    complaints = [line for line in check.stderr.splitlines() if "route-guide" in line]
    assert check.returncode == 0 and not complaints, check.stderr


# deploy/nginx/route-guide.conf, served by nginx in front of a stand-in for gunicorn

Received = namedtuple("Received", "method path headers body")


class RecordingHandler(BaseHTTPRequestHandler):
    """Answers 200 to anything and keeps what it was sent, in server.received."""

    def do_GET(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.append(Received(self.command, self.path, self.headers, body))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_POST = do_GET

    def log_message(self, *args):
        pass  # the test's output is its assertions, not a line per request


@pytest.fixture(scope="module")
def app_stand_in():
    server = ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def site_config_for_test(folder, http_port, https_port, app_port):
    """route-guide.conf with only what must differ on a test machine changed: where the
    certificate, static files and logs are, the ports, and the app's address."""
    text = (ROOT / "deploy/nginx/route-guide.conf").read_text()
    replacements = {
        "/etc/letsencrypt/live/guide.example.org/fullchain.pem": f"{folder}/cert.pem",
        "/etc/letsencrypt/live/guide.example.org/privkey.pem": f"{folder}/key.pem",
        "alias /srv/route-guide/staticfiles/;": f"alias {folder}/static/;",
        "/var/log/nginx/": f"{folder}/",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ": f"listen 127.0.0.1:{https_port} ",
    }
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in route-guide.conf: update this test"
        text = text.replace(old, new)
    # Not every test machine has IPv6.
    return re.sub(r"^\s*listen \[::\]:.*\n", "", text, flags=re.MULTILINE)


# `user`: as root, nginx would run its workers as nobody, who cannot read pytest's temp folder.
MAIN_CONFIG = """\
user {user};
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{}}
http {{
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/route-guide.conf;
}}
"""


@pytest.fixture(scope="module")
def proxy(tmp_path_factory, app_stand_in):
    nginx = installed("nginx")
    folder = tmp_path_factory.mktemp("nginx")
    (folder / "static").mkdir()
    http_port, https_port = free_port(), free_port()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
         "-days", "1", "-keyout", folder / "key.pem", "-out", folder / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    (folder / "route-guide.conf").write_text(
        site_config_for_test(folder, http_port, https_port, app_stand_in.server_address[1])
    )
    user = pwd.getpwuid(os.getuid()).pw_name
    (folder / "nginx.conf").write_text(MAIN_CONFIG.format(user=user, folder=folder))
    command = [nginx, "-c", folder / "nginx.conf", "-p", folder, "-e", folder / "error.log"]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    if check.returncode != 0:
        pytest.fail(f"nginx -t rejects deploy/nginx/route-guide.conf:\n{check.stderr}")
    process = subprocess.Popen([*command, "-g", "daemon off;"])
    try:
        wait_until_answering(https_port, process)
        yield SimpleNamespace(
            http_port=http_port, https_port=https_port, folder=folder,
            static=folder / "static", app=app_stand_in,
        )  # fmt: skip
    finally:
        process.terminate()
        process.wait(timeout=10)


def over_https(proxy):
    context = ssl._create_unverified_context()  # the test's self-signed certificate
    return http.client.HTTPSConnection("127.0.0.1", proxy.https_port, context=context, timeout=10)


def send(connection, method, path, headers=None, body=None):
    try:
        connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def reached_app(proxy, path):
    return [request for request in proxy.app.received if request.path == path]


def place_static_file(proxy, name, content):
    path = proxy.static / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


@pytest.mark.deploy
def test_a_page_reaches_the_app_with_the_proxys_headers_only(proxy):
    forged = {"X-Forwarded-For": "1.2.3.4", "X-Forwarded-Proto": "http", "X-Request-ID": "mine"}
    status, _, body = send(over_https(proxy), "GET", "/hong-kong/qmas/", forged)
    assert (status, body) == (200, b"ok")
    [request] = reached_app(proxy, "/hong-kong/qmas/")
    assert request.headers.get_all("Host") == [HOST]
    assert request.headers.get_all("X-Forwarded-Proto") == ["https"]
    # The app takes the rightmost entry: the address that connected to nginx.
    addresses = [entry.strip() for entry in request.headers["X-Forwarded-For"].split(",")]
    assert addresses == ["1.2.3.4", "127.0.0.1"]
    [request_id] = request.headers.get_all("X-Request-ID")
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    # nginx logs a request once its answer is sent, maybe a moment after the client has it.
    access_log = proxy.folder / "route-guide.access.log"
    deadline = time.monotonic() + 5
    while f"request_id={request_id}" not in access_log.read_text():
        assert time.monotonic() < deadline, f"request_id={request_id} is not in the access log"
        time.sleep(0.05)


@pytest.mark.deploy
def test_plain_http_is_redirected_to_https(proxy):
    connection = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)
    status, headers, _ = send(connection, "GET", "/routes/?q=nurse")
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/routes/?q=nurse"
    assert not reached_app(proxy, "/routes/?q=nurse")


@pytest.mark.deploy
def test_static_files_come_from_nginx_hashed_names_cached_for_a_year(proxy):
    place_static_file(proxy, "css/site.3f2a9c1b7e4d.css", b"body{}")
    place_static_file(proxy, "css/site.css", b"body{}")
    status, headers, body = send(over_https(proxy), "GET", "/static/css/site.3f2a9c1b7e4d.css")
    assert (status, body) == (200, b"body{}")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # The unhashed name a later release reuses for new content.
    status, headers, body = send(over_https(proxy), "GET", "/static/css/site.css")
    assert (status, body) == (200, b"body{}")
    assert headers["Cache-Control"] == "public, max-age=60"
    assert not [request for request in proxy.app.received if request.path.startswith("/static/")]


@pytest.mark.deploy
def test_static_files_are_sent_as_collectstatic_compressed_them(proxy):
    script = b"console.log('route guide');" * 20
    place_static_file(proxy, "js/admin.0123456789ab.js", script)
    place_static_file(proxy, "js/admin.0123456789ab.js.gz", gzip.compress(script))
    path = "/static/js/admin.0123456789ab.js"
    status, headers, body = send(over_https(proxy), "GET", path, {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == script
    status, headers, body = send(over_https(proxy), "GET", path)
    assert (status, body, headers["Content-Encoding"]) == (200, script, None)


@pytest.mark.deploy
def test_a_body_over_1_mb_is_refused_before_it_reaches_the_app(proxy):
    status, _, _ = send(over_https(proxy), "POST", "/report/big/", body=b"x" * (2**20 + 1))
    assert status == 413
    assert not reached_app(proxy, "/report/big/")
    # Half as much is buffered to disk by nginx and reaches the app whole.
    status, _, _ = send(over_https(proxy), "POST", "/report/half/", body=b"x" * 2**19)
    assert status == 200
    [request] = reached_app(proxy, "/report/half/")
    assert request.body == b"x" * 2**19
