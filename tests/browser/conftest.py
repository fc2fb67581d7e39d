"""Browser checks: Debian's Chromium driven by Playwright against a live test server.

Run with `make test-browser`, which installs Chromium and a Java runtime (for the HTML
validator) where they are missing.
"""

import os
import re
import shutil
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
# axe-core and Lighthouse, installed by `make browser-deps` from tools/browser/package-lock.json.
NODE_TOOLS = ROOT / "tools" / "browser" / "node_modules"
# Screenshots and printed pages the tests write for people to look at (ignored by git).
ARTEFACTS = ROOT / "artefacts" / "browser"
# One page of each type the site has: add each new one here.
PAGE_TYPES = {
    "home": "/",
    "jurisdictions": "/jurisdictions/",
    "jurisdiction": "/hong-kong/",
    "route": "/hong-kong/qmas/",
    "route-updates": "/hong-kong/qmas/updates/",
    "report": "/hong-kong/qmas/report/",
    "report-thanks": "/hong-kong/qmas/report/thanks/",
    "route-list": "/routes/?sponsorship=no&settlement=yes",
    "search": "/search/?q=husband",
    "search-nothing-found": "/search/?q=zzzzqx",
    "search-page-2": "/search/?q=work&page=2",  # with the pagination
    "author": "/authors/sam-parks/",
    "profession": "/professions/software-engineer/",
    "compare-routes": "/compare/?routes=hong-kong/qmas,canada/express-entry",
    "compare-choose": "/compare/",
    "compare-jurisdictions": "/compare/hong-kong-vs-singapore/",
    "finder": "/finder/",
    "finder-results": "/finder/?jurisdictions=hong-kong&nationality=IN&age=30&purposes=settle"
    "&job_offer=no",
    "finder-errors": "/finder/?age=-3",
    "self-assessment": "/hong-kong/qmas/self-assessment/",
    "self-assessment-result": "/hong-kong/qmas/self-assessment/?test=general-points-test"
    "&age-18=yes&age-50=yes",
    "sources": "/sources/",
    "source": "/sources/immd-qmas-self-assessment-tool/",
    "how-we-check": "/how-we-check/",
    "glossary": "/glossary/",
    "not-found": "/no-such-page/",
}

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


@pytest.fixture
def signed_in(site, browser, django_user_model):
    """signed_in(username, group) → a page at 1280 px, signed in to the admin as a new member
    of `group`, with `username`@example.org as their address."""
    from django.contrib.auth.models import Group

    contexts = []

    def sign_in(username, group):
        user = django_user_model.objects.create_user(
            username, email=f"{username}@example.org", password="pw-browser", is_staff=True
        )
        user.groups.add(Group.objects.get(name=group))
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.goto(site + "/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "pw-browser")
        page.click("input[type=submit]")
        return page

    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture
def open_page(browser):
    """open_page(width, height, scheme="light") → a new page with JavaScript on (axe runs in the
    page), its colour scheme emulated."""
    contexts = []

    def open_(width, height, scheme="light"):
        context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=scheme, bypass_csp=True
        )
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def artefacts():
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


def console_errors(page):
    """The errors the page logs from now on, as "<text>", or "<status> <url>" for a failed load."""
    errors = []

    def note(message):
        if message.type == "error":
            status = re.search(r"responded with a status of (\d+)", message.text)
            errors.append(f"{status[1]} {message.location['url']}" if status else message.text)

    page.on("console", note)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors
