"""gunicorn processes serving the site on the test database, with a Redis of their own,
and the sessions of the people who use them: for the Redis leg and the load test."""

import os
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
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


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


class AppProcess:
    """gunicorn, configured as in production, serving the site on the test database, with
    the shared cache."""

    def __init__(self, redis_url, workers=1, **environment):
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
            **environment,
        }
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (open while the app runs)
        self.process = subprocess.Popen(
            [ROOT / ".venv/bin/gunicorn", "--config", "deploy/gunicorn.conf.py",
             "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}", "routes_site.wsgi"],
            cwd=ROOT, env=environment, stdout=self.log, stderr=self.log,
        )  # fmt: skip
        wait_until_answering(self.port, self.process)
        self.session = Session(self.port)

    def request(self, path, data=None, headers=None):
        return self.session.request(path, data, headers)

    def log_in(self, username, password):
        self.session.log_in(username, password)

    def page(self, path):
        status, text = self.request(path)
        if status != 200:
            pytest.fail(f"{path} answered {status}; the app's log:\n{self.logged()[-3000:]}")
        return text

    def logged(self):
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Session:
    """One person's conversation with an app process: their cookies, and the headers the
    TLS proxy in front of the app adds."""

    def __init__(self, port):
        self.port = port
        self.cookies = SimpleCookie()

    def request(self, path, data=None, headers=None):
        # As the TLS proxy in front of the app sends them.
        headers = {
            "Origin": f"https://127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            **(headers or {}),
        }
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

    def log_in(self, username, password):
        self.request("/admin/login/")
        status, _ = self.request(
            "/admin/login/",
            {"username": username, "password": password,
             "csrfmiddlewaretoken": self.cookies["csrftoken"].value, "next": "/admin/"},
        )  # fmt: skip
        assert status == 302


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
