"""Browser checks: Debian's Chromium driven by Playwright against a live test server.

Run with `make test-browser`, which installs Chromium and a Java runtime (for the HTML
validator) where they are missing.
"""

import os
import shutil
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# Playwright's sync API keeps an event loop in the test thread; Django refuses ORM calls
# from such a thread unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM), f"{CHROMIUM} is missing: run `make test-browser`"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    # A live server needs committed rows, so each test flushes the database afterwards,
    # countries included: put back what the data migration loads before seeding.
    import_module("guides.migrations.0002_countries").load_countries(apps, None)
    call_command("seed", verbosity=0)
    return live_server.url


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    yield context.new_page()
    context.close()
