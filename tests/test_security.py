"""Production's security settings and headers, and the admin's locked door."""

import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group

ROOT = settings.BASE_DIR
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}
RIGHT = "the-right-password"  # as the TLS proxy in front of the app says
CSP = {
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
    "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'",
    "frame-ancestors 'none'", "form-action 'self'",
}  # fmt: skip


def test_check_deploy_is_clean_with_only_the_required_settings():
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "routeguide.example",
        "SITE_URL": "https://routeguide.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_plain_http_is_redirected_to_https_but_the_health_check(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/hong-kong/?x=1")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/hong-kong/?x=1"
    assert client.get("/healthz").status_code == 200
    assert client.get("/", **HTTPS).status_code == 200


@pytest.mark.parametrize("path", ["/", "/hong-kong/qmas/", "/admin/login/", "/no-such-page/"])
def test_every_response_carries_the_security_headers(client, seeded, path):
    for _ in range(2):  # rendered, then from the page cache
        response = client.get(path, **HTTPS)
        assert set(response["Content-Security-Policy"].split("; ")) == CSP
        assert response["Strict-Transport-Security"] == (
            "max-age=63072000; includeSubDomains; preload"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


def test_staff_sessions_end_after_a_working_day_idle(client, django_user_model, db):
    django_user_model.objects.create_user("eddie", password="pw-long-enough-1", is_staff=True)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "eddie", "password": "pw-long-enough-1"},
        **HTTPS,
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["max-age"] == 8 * 3600
    assert session["httponly"] and session["secure"] and session["samesite"] == "Lax"
    # Every request moves the end a working day on (an idle limit, not a total).
    assert client.get("/admin/", **HTTPS).cookies[settings.SESSION_COOKIE_NAME]["max-age"]


def sign_in(client, username, password, address="203.0.113.5", forwarded=None):
    extra = {"REMOTE_ADDR": address, **HTTPS}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, **extra
    )


@pytest.fixture
def eddie(django_user_model, db):
    return django_user_model.objects.create_user("eddie", password=RIGHT, is_staff=True)


def test_ten_failures_lock_an_account_until_a_publisher_lifts_the_lock(
    client, eddie, caplog, publisher_client
):
    for attempt in range(10):
        failed = sign_in(client, "eddie", f"wrong-{attempt}", f"198.51.100.{attempt}")
        assert failed.status_code == (429 if attempt == 9 else 200)  # the tenth locks
    locked = sign_in(client, "eddie", RIGHT, "198.51.100.99")
    assert locked.status_code == 429
    assert "Sign-in locked for now" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert any("Locking out" in record.getMessage() for record in caplog.records)

    assert (
        Group.objects.get(name="Publishers")
        .permissions.filter(codename="delete_accessattempt")
        .exists()
    )
    attempts = AccessAttempt.objects.filter(username="eddie").values_list("pk", flat=True)
    lifted = publisher_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": list(attempts), "post": "yes"},
        **HTTPS,
    )
    assert lifted.status_code == 302
    assert not AccessAttempt.objects.filter(username="eddie").exists()
    assert sign_in(client, "eddie", RIGHT, "198.51.100.99").status_code == 302


def test_ten_failures_from_one_address_lock_it_whatever_it_forges(client, eddie):
    for attempt in range(10):
        # The client forges an X-Forwarded-For entry; the proxy appends the real address,
        # the only entry trusted (TRUSTED_PROXY_HOPS is 1 in production).
        forwarded = f"10.0.0.{attempt}, 203.0.113.5"
        failed = sign_in(client, f"guess-{attempt}", "x", "10.1.1.1", forwarded)
        assert failed.status_code == (429 if attempt == 9 else 200)
    assert sign_in(client, "eddie", RIGHT, "10.1.1.1", "203.0.113.5").status_code == 429
    # Another visitor behind the same proxy is not locked out.
    assert sign_in(client, "eddie", RIGHT, "10.1.1.1", "203.0.113.6").status_code == 302


def test_an_address_that_is_not_one_is_not_believed(rf, settings):
    from guides.reports import client_address

    settings.TRUSTED_PROXY_HOPS = 1
    junk = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, not-an-address", REMOTE_ADDR="10.0.0.9")
    assert client_address(junk) == "10.0.0.9"
    spaced = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4,  198.51.100.7 ", REMOTE_ADDR="10.0.0.9")
    assert client_address(spaced) == "198.51.100.7"
