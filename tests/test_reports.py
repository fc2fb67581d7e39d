"""Readers report problems: stored against the route, throttled, bots caught."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from guides.models import ProblemReport, Route
from guides.reports import hash_address

REPORT = "/hong-kong/qmas/report/"
THANKS = "/hong-kong/qmas/report/thanks/"


def send(client, message="The fee on this page is out of date.", headers=None, **fields):
    data = {"message": message, "email": "", "website": "", **fields}
    return client.post(REPORT, data, **(headers or {}))


def test_the_route_page_links_to_a_report_page_and_carries_no_token(client, seeded):
    page = client.get("/hong-kong/qmas/").content.decode()
    assert f'href="{REPORT}">Is something wrong or out of date on this page?</a>' in page
    assert "csrfmiddlewaretoken" not in page


def test_a_report_is_stored_against_the_route_then_thanks(client, seeded):
    form = client.get(REPORT)
    assert form.status_code == 200
    assert "no-store" in form["Cache-Control"] and "private" in form["Cache-Control"]
    assert "for 180 days, then delete them" in form.content.decode()
    response = send(client, email="reader@example.com")
    assert response.status_code == 302
    assert response["Location"] == THANKS
    report = ProblemReport.objects.get()
    assert report.route == Route.objects.get(slug="qmas")
    assert report.email == "reader@example.com"
    assert report.state == ProblemReport.State.NEW
    assert report.address_hash == hash_address("127.0.0.1")
    assert "127.0.0.1" not in report.address_hash
    thanks = client.get(THANKS)
    assert "Thank you for your report" in thanks.content.decode()


def test_an_empty_report_gets_a_form_error(client, seeded):
    response = send(client, message="")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_the_honeypot_catches_simple_bots(client, seeded):
    response = send(client, website="http://spam.example")
    assert response["Location"] == THANKS
    assert not ProblemReport.objects.exists()


def test_reports_are_throttled_per_address(client, seeded, settings):
    settings.REPORTS_PER_ADDRESS_PER_HOUR = 2
    assert send(client).status_code == 302
    assert send(client).status_code == 302
    refused = send(client)
    assert refused.status_code == 200
    assert "several reports in the last hour" in refused.content.decode()
    assert ProblemReport.objects.count() == 2
    other = client.post(REPORT, {"message": "Another reader."}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_the_trusted_proxy_setting_says_which_forwarded_address_to_believe(
    client, seeded, settings
):
    settings.TRUSTED_PROXY_HOPS = 1
    send(client, headers={"HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.1"})
    assert ProblemReport.objects.get().address_hash == hash_address("198.51.100.1")


def test_a_global_cap_per_hour_holds_back_floods(client, seeded, settings):
    settings.REPORTS_PER_HOUR = 1
    assert send(client).status_code == 302
    refused = client.post(REPORT, {"message": "Flood."}, REMOTE_ADDR="192.0.2.99")
    assert "receiving a lot of reports" in refused.content.decode()


def test_reports_are_deleted_after_the_retention_period(seeded):
    route = Route.objects.get(slug="qmas")
    old = ProblemReport.objects.create(
        route=route,
        message="Old",
        address_hash="x",
        created_at=timezone.now() - timedelta(days=181),
    )
    recent = ProblemReport.objects.create(route=route, message="New", address_hash="y")
    call_command("purge_reports", verbosity=0)
    assert not ProblemReport.objects.filter(pk=old.pk).exists()
    assert ProblemReport.objects.filter(pk=recent.pk).exists()


@pytest.mark.parametrize(
    "path", ["/hong-kong/no-such/report/", "/hong-kong/no-such/report/thanks/"]
)
def test_reports_for_unknown_routes_are_404(client, seeded, path):
    assert client.get(path).status_code == 404


def test_reports_are_listed_in_the_admin_with_their_state(staff_client, client, seeded):
    send(client)
    page = staff_client.get("/admin/guides/problemreport/").content.decode()
    assert "The fee on this page is out of date." in page
    assert '<td class="field-state">New</td>' in page
