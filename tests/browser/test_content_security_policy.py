"""Every page type, and the admin's route form with its Markdown preview, work under the
site's Content-Security-Policy: Chromium reports no violation."""

import pytest

from guides.models import Route

from .conftest import PAGE_TYPES, console_errors

pytestmark = pytest.mark.browser


def violations(errors):
    return [error for error in errors if "Content Security Policy" in error]


def test_no_public_page_breaks_the_policy(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = console_errors(page)
    for path in PAGE_TYPES.values():
        response = page.goto(site + path)
        assert "script-src 'self'" in response.headers["content-security-policy"].split("; ")
    context.close()
    assert not violations(errors)


def test_the_admin_and_its_markdown_preview_work_under_the_policy(site, signed_in):
    page = signed_in("eddie", "Editors")
    errors = console_errors(page)
    qmas = Route.objects.get(slug="qmas")
    page.goto(f"{site}/admin/")
    page.goto(f"{site}/admin/guides/route/{qmas.pk}/change/")
    page.click("#faqs-group summary")
    page.fill("#id_faqs-0-answer", "Yes, **under the policy**.")
    preview = page.locator("#faqs-0 .markdownx-preview")
    preview.locator("strong").wait_for(timeout=10_000)
    page.goto(f"{site}/admin/guides/source/")
    page.goto(f"{site}/admin/guides/source/add/")
    assert not violations(errors), violations(errors)
