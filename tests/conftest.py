import pytest
from django.core.management import call_command


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


@pytest.fixture
def seeded(db):
    call_command("seed", verbosity=0)


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
