"""Two app processes sharing one Redis and one PostgreSQL, as in production.

Runs in its own CI leg (`make test-redis`): it starts a Redis server of its own on a free
loopback port and two gunicorn processes on the test database.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from django.db import connection

from guides.models import GlossaryTerm

from .forms import form_data

ROOT = Path(__file__).resolve().parent.parent
# Committed rows, which the app processes can read; the countries and groups that the
# migrations made are put back after each test.
pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(port, process):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process on port {port} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port}")


@pytest.fixture
def redis_server():
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not installed (make test-redis installs it)")
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    wait_until_answering(port, process)
    yield process, f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait()


class AppProcess:
    """gunicorn serving the site on the test database, with the shared cache."""

    def __init__(self, redis_url):
        database = connection.settings_dict
        self.port = free_port()
        environment = os.environ | {
            "DATABASE_URL": (
                f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
                f"{database['PORT']}/{database['NAME']}"
            ),
            "REDIS_URL": redis_url,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_PAGE_CACHE": "1",
        }
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (open while the app runs)
        self.process = subprocess.Popen(
            [ROOT / ".venv/bin/gunicorn", "routes_site.wsgi", "--workers", "1",
             "--bind", f"127.0.0.1:{self.port}"],
            cwd=ROOT, env=environment, stderr=self.log,
        )  # fmt: skip
        wait_until_answering(self.port, self.process)
        self.cookies = SimpleCookie()

    def request(self, path, data=None):
        # As the TLS proxy in front of the app sends them.
        headers = {"Origin": f"https://127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())
        body = urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=body, headers=headers
        )
        opener = urllib.request.build_opener(NoRedirects)
        try:
            response = opener.open(request, timeout=10)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return response.status, response.read().decode()

    def page(self, path):
        status, text = self.request(path)
        if status != 200:
            self.log.seek(0)
            pytest.fail(f"{path} answered {status}; the app's log:\n{self.log.read()[-3000:]}")
        return text

    def log_in(self, username, password):
        self.request("/admin/login/")
        status, _ = self.request(
            "/admin/login/",
            {"username": username, "password": password,
             "csrfmiddlewaretoken": self.cookies["csrftoken"].value, "next": "/admin/"},
        )  # fmt: skip
        assert status == 302

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def collected_static():
    """As a deployment does: the app serves hashed static files from a manifest."""
    subprocess.run(
        [ROOT / ".venv/bin/python", "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, check=True,
    )  # fmt: skip


@pytest.fixture
def two_app_processes(redis_server, collected_static):
    _, redis_url = redis_server
    first, second = AppProcess(redis_url), AppProcess(redis_url)
    yield first, second
    first.stop()
    second.stop()


def test_a_publish_through_one_process_is_on_the_next_page_served_by_the_other(
    seeded, django_user_model, settings, redis_server, two_app_processes
):
    first, second = two_app_processes
    term = GlossaryTerm.objects.first()
    for process in (first, second, first, second):
        assert f'id="{term.slug}"' in process.page("/glossary/")
    _, redis_url = redis_server
    assert redis.Redis.from_url(redis_url).dbsize() > 0  # the page is stored once, shared
    # Hashed as the app processes check it, not with the tests' fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    django_user_model.objects.create_superuser("publisher", "p@example.com", "pw")
    first.log_in("publisher", "pw")
    change = f"/admin/guides/glossaryterm/{term.pk}/change/"
    _, form = first.request(change)
    data = form_data(form, "glossaryterm_form")
    data["definition"] = ["Reworded through the first process."]
    status, _ = first.request(change, data)
    assert status == 302
    assert "Reworded through the first process." in second.page("/glossary/")


def test_with_redis_gone_pages_are_still_served(seeded, redis_server, two_app_processes):
    first, second = two_app_processes
    first.page("/hong-kong/qmas/")
    server, _ = redis_server
    server.kill()
    server.wait()
    # Each request would fail the test after 10 s (`AppProcess.request`): no hang either.
    for process in (first, second):
        assert "Quality Migrant Admission Scheme" in process.page("/hong-kong/qmas/")
        assert "Quality Migrant Admission Scheme" in process.page("/hong-kong/qmas/")
