"""Two app processes sharing one Redis and one PostgreSQL, as in production.

Runs in its own CI leg (`make test-redis`): it starts a Redis server of its own on a free
loopback port and two gunicorn processes on the test database.
"""

import pytest
import redis

from guides.models import GlossaryTerm

from .app_processes import AppProcess
from .forms import form_data

# Committed rows, which the app processes can read; the countries and groups that the
# migrations made are put back after each test.
pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


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
