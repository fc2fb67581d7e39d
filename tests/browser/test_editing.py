"""An editor's journey in Chromium at 1280 px: the folded form, adding an FAQ with its live
Markdown preview, and the change waiting for a Publisher."""

import pytest

from guides.models import PendingChange, Route

pytestmark = pytest.mark.browser


@pytest.fixture
def editor_page(signed_in):
    return signed_in("eddie", "Editors")


def test_an_editor_edits_a_criterion_and_adds_an_faq_with_a_live_preview(site, editor_page):
    qmas = Route.objects.get(slug="qmas")
    page = editor_page
    page.goto(f"{site}/admin/guides/route/{qmas.pk}/change/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.click("#criteria-group summary")
    page.fill("#id_criteria-0-text", "You are 18 or older when you apply.")
    page.click("#faqs-group summary")
    page.click("#faqs-group .add-row a")
    answer = page.locator("#faqs-group .dynamic-faqs").last.locator("textarea.markdownx-editor")
    page.locator("#faqs-group .dynamic-faqs").last.locator("input[name$='-question']").fill(
        "Can I apply from abroad?"
    )
    answer.fill("Yes, **from anywhere**.")
    preview = page.locator("#faqs-group .dynamic-faqs").last.locator(".markdownx-preview")
    preview.locator("strong").wait_for(timeout=10_000)
    assert preview.inner_text().strip() == "Yes, from anywhere."
    page.click("input[name=_save]")
    page.wait_for_url(f"**/admin/guides/route/{qmas.pk}/change/")
    assert "waits for a Publisher" in page.content()
    waiting = PendingChange.objects.get(route=qmas).content["parts"]
    assert "You are 18 or older when you apply." in [
        p["text"] for p in waiting["criteria"].values()
    ]
    assert "Can I apply from abroad?" in [p["question"] for p in waiting["faqs"].values()]


def test_an_editor_reorders_criteria_by_keyboard_and_by_dragging(site, editor_page):
    qmas = Route.objects.get(slug="qmas")
    first, second, third = qmas.criteria.order_by("position", "pk")[:3]
    page = editor_page
    page.goto(f"{site}/admin/guides/route/{qmas.pk}/change/")
    page.click("#criteria-group summary")
    assert not page.locator("#id_criteria-0-position").is_visible()
    page.locator("#criteria-0 button[aria-label='Move down']").focus()
    page.keyboard.press("Enter")  # first and second swap: B, A, C
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Move down"
    page.locator("#criteria-group tbody tr.form-row").nth(2).locator(".drag-handle").drag_to(
        page.locator("#criteria-group tbody tr.form-row").nth(0).locator(".drag-handle")
    )  # the third goes first: C, B, A
    page.click("input[name=_save]")
    page.wait_for_url(f"**/admin/guides/route/{qmas.pk}/change/")
    waiting = PendingChange.objects.get(route=qmas).content["parts"]["criteria"]
    in_order = sorted(waiting, key=lambda key: waiting[key]["position"])
    assert in_order[:3] == [str(third.key), str(second.key), str(first.key)]


def test_a_row_added_and_left_blank_is_ignored_on_saving(site, editor_page):
    qmas = Route.objects.get(slug="qmas")
    page = editor_page
    page.goto(f"{site}/admin/guides/route/{qmas.pk}/change/")
    page.click("#criteria-group summary")
    page.fill("#id_criteria-0-text", "You are 18 or older on the day you apply.")
    page.click("#criteria-group .add-row a")
    page.click("input[name=_save]")
    page.wait_for_url(f"**/admin/guides/route/{qmas.pk}/change/")
    assert "waits for a Publisher" in page.content()
    waiting = PendingChange.objects.get(route=qmas).content["parts"]["criteria"]
    assert len(waiting) == qmas.criteria.count()
