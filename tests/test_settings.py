import os
import subprocess
import sys
from pathlib import Path

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
    assert "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) is required" in result.stderr


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
    assert (tmp_path / "css" / f"{hashed[0]}.br").exists()


def evaluated(expression, **env):
    """`expression` over the settings module `s`, as a process with `env` would load it."""
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("DJANGO_", "CONN_", "REDIS_"))}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", f"import routes_site.settings as s; print({expression})"],
        env=environment | env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def connection_settings(**env):
    return (
        evaluated(
            "s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS']",
            **env,
        )
        .strip("()")
        .replace(",", "")
    )


def test_database_connections_persist_with_debug_off_unless_told_otherwise():
    production = {"DJANGO_SECRET_KEY": "x", "DJANGO_ALLOWED_HOSTS": "example.org"}
    assert connection_settings(**production) == "60 True"
    assert connection_settings(**production, CONN_MAX_AGE="0") == "0 True"
    assert connection_settings(DJANGO_DEBUG="1") == "0 False"


def test_the_page_cache_is_on_in_production_off_in_development_and_redis_is_opt_in():
    production = {"DJANGO_SECRET_KEY": "x", "DJANGO_ALLOWED_HOSTS": "example.org"}
    backend = "s.CACHES['default']['BACKEND'].rsplit('.', 1)[1]"
    assert evaluated(f"s.PAGE_CACHE, {backend}", **production) == "True LocMemCache"
    assert evaluated("s.PAGE_CACHE", **production, DJANGO_PAGE_CACHE="0") == "False"
    assert evaluated("s.PAGE_CACHE", DJANGO_DEBUG="1") == "False"
    redis = evaluated(backend, **production, REDIS_URL="redis://127.0.0.1:6379/0")
    assert redis == "RedisCache"


def test_env_files_with_secrets_stay_out_of_git_and_the_image():
    """`route-guide.env` (docs/deploy.md) holds the secret key and the database password."""
    root = Path(settings.BASE_DIR)
    assert "*.env" in (root / ".gitignore").read_text().split()
    docker_ignored = (root / ".dockerignore").read_text().split()
    assert "*.env" in docker_ignored
    assert {"tools/", "artefacts/", "bench/", "tests/"} <= set(docker_ignored)
