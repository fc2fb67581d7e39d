"""The whole review cycle in Chromium, as an Editor and a Publisher in two windows: edit,
submit for review, send back with a comment, fix, resubmit, approve for a later time, and
the scheduled run that publishes it; each step told by email (Django's test outbox).

`make docs-screenshots` runs this test with DOCS_SCREENSHOTS set, which also saves the
screens that docs/editing.md shows."""

import os
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from guides.models import ReviewRequest, Route, ScheduledPublication

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "images"


def screenshot(page, name):
    if os.environ.get("DOCS_SCREENSHOTS"):
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png")


def edit_first_criterion(page, form_url, text):
    page.goto(form_url)
    page.click("#criteria-group summary")
    page.fill("#id_criteria-0-text", text)
    with page.expect_navigation():
        page.click("input[name=_save]")
    with page.expect_navigation():
        page.click("button:text('Submit for review')")
    assert "Submitted for review" in page.content()


def test_submit_send_back_fix_approve_and_scheduled_publication(site, signed_in):
    qmas = Route.objects.get(slug="qmas")
    form_url = f"{site}/admin/guides/route/{qmas.pk}/change/"
    editor = signed_in("eddie", "Editors")
    publisher = signed_in("pat", "Publishers")

    editor.goto(form_url)
    screenshot(editor, "route-form")
    edit_first_criterion(editor, form_url, "You are 18 or over when you apply")
    assert [message.to for message in mail.outbox] == [["pat@example.org"]]

    publisher.goto(f"{site}/admin/")
    queue = publisher.locator(".work-queue")
    assert "Submitted for review (1)" in queue.inner_text()
    screenshot(publisher, "work-queue")
    queue.get_by_role("link", name="Quality Migrant Admission Scheme").first.click()
    publisher.get_by_role("link", name="What differs", exact=True).click()
    assert "18 or over" in publisher.content()
    screenshot(publisher, "what-differs")
    publisher.goto(form_url)
    publisher.get_by_role("link", name="Send back…").click()
    comment = "Say “on the date you apply”, as the official tool does."
    publisher.fill("#id_comment", comment)
    screenshot(publisher, "send-back")
    with publisher.expect_navigation():
        publisher.click("input[value='Send back']")
    assert mail.outbox[-1].to == ["eddie@example.org"] and comment in mail.outbox[-1].body

    editor.goto(form_url)
    assert comment in editor.locator(".workflow-note", has_text="Sent back").inner_text()
    screenshot(editor, "sent-back")
    edit_first_criterion(editor, form_url, "You are 18 or over on the date you apply")

    publisher.goto(form_url)
    publisher.get_by_role("link", name="Publish…").click()
    later = timezone.localtime() + timedelta(hours=2)
    publisher.fill("#id_publish_at", later.strftime("%Y-%m-%dT%H:%M"))
    publisher.fill("#id_note", "Age rule worded as the official tool words it.")
    screenshot(publisher, "publish-at")
    with publisher.expect_navigation():
        publisher.click("input[name=publish]")
    assert "Scheduled" in publisher.locator(".messagelist").inner_text()
    fixed = "You are 18 or over on the date you apply"
    assert fixed not in publisher.request.get(f"{site}/hong-kong/qmas/").text()

    # Two hours pass; the operator's scheduler runs the command every minute.
    ScheduledPublication.objects.update(publish_at=timezone.now() - timedelta(minutes=1))
    call_command("publish_scheduled", stdout=StringIO())
    call_command("publish_scheduled", stdout=StringIO())
    visitor_page = publisher.request.get(f"{site}/hong-kong/qmas/").text()
    assert fixed in visitor_page
    assert not ReviewRequest.objects.filter(route=qmas).exists()
    assert mail.outbox[-1].to == ["eddie@example.org"] and "Published" in mail.outbox[-1].subject
