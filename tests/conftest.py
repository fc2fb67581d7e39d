import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from guides.models.routes import store_page_parts
from guides.search import update_search_vector

from .app_processes import ROOT, free_port, wait_until_answering


@pytest.fixture(autouse=True)
def fast_test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages render {% static %} without a collected manifest; tests/test_settings.py checks
    # the production storage separately.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no stored pages: the rolled-back database of the test before may
    have left the same content version behind."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def no_page_cache(settings):
    """Every page rendered, as `DJANGO_PAGE_CACHE=0` does: for counting a render's queries."""
    settings.PAGE_CACHE = False


def seeded_models():
    from guides import models

    rows = [models.Category, models.Author, models.Profession, models.SearchSynonym,
            models.Source, models.GlossaryTerm, models.Jurisdiction, models.Route,
            models.EligibilityCriterion, models.Blocker,
            models.EvidenceItem, models.PathwayStep, models.OfficialLink, models.FAQ,
            models.Assessment, models.AssessmentFactor, models.AssessmentOption,
            models.ChangeNote]  # fmt: skip
    links = [field.remote_field.through for model in rows for field in model._meta.many_to_many]
    return rows + links


@pytest.fixture(scope="session")
def seed_rows(django_db_setup, django_db_blocker):
    """The seeded content, loaded once per session with `seed` and rolled back, kept as rows
    that each test copies in: loading 436 fixture objects per test would dominate the run."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed", verbosity=0)
        rows = [(model, list(model._base_manager.all())) for model in seeded_models()]
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def seeded(db, seed_rows):
    """The database as `manage.py seed` leaves it."""
    for model, objects in seed_rows:
        model.objects.bulk_create(objects)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), seeded_models()):
            cursor.execute(statement)
    store_page_parts()
    update_search_vector()


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


def client_in_group(django_user_model, group, username):
    from django.contrib.auth.models import Group
    from django.test import Client

    user = django_user_model.objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor_client(db, django_user_model):
    return client_in_group(django_user_model, "Editors", "eddie")


@pytest.fixture
def publisher_client(db, django_user_model):
    return client_in_group(django_user_model, "Publishers", "pat")


def pytest_sessionfinish(session, exitstatus):
    """A skipped test is a check that did not run: the run fails, in every leg."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if exitstatus == 0 and reporter and reporter.stats.get("skipped"):
        reporter.write_line("A test was skipped: every check must run.", red=True)
        session.exitstatus = 1


@pytest.fixture
def redis_server():
    """A Redis server of our own on a free loopback port (the Redis leg, the load test)."""
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


@pytest.fixture(scope="module")
def collected_static():
    """As a deployment does: the app serves hashed static files from a manifest."""
    subprocess.run(
        [ROOT / ".venv/bin/python", "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, check=True,
    )  # fmt: skip
