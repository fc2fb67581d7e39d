import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command


def load_settings(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | env
    return subprocess.run(
        [sys.executable, "-c", "import routes_site.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = load_settings(DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off" in result.stderr


def test_allowed_hosts_are_required_when_debug_is_off():
    result = load_settings(DJANGO_SECRET_KEY="x")
    assert "DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off" in result.stderr


def test_debug_runs_locally_without_a_secret_key():
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0
    assert result.stdout.strip() == "True ['localhost', '127.0.0.1', '[::1]']"


def test_a_malformed_boolean_is_refused():
    result = load_settings(DJANGO_DEBUG="maybe")
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_collected_static_files_get_hashed_compressed_names(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = [path.name for path in (tmp_path / "css").glob("site.*.css")]
    assert hashed, "site.css was not collected under a hashed name"
    assert (tmp_path / "css" / f"{hashed[0]}.gz").exists()


def connection_settings(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CONN_"))}
    code = (
        "import routes_site.settings as s; d = s.DATABASES['default'];"
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment | env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def test_database_connections_persist_with_debug_off_unless_told_otherwise():
    production = {"DJANGO_SECRET_KEY": "x", "DJANGO_ALLOWED_HOSTS": "example.org"}
    assert connection_settings(**production) == "60 True"
    assert connection_settings(**production, CONN_MAX_AGE="0") == "0 True"
    assert connection_settings(DJANGO_DEBUG="1") == "0 False"
