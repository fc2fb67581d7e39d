"""Site-wide concerns that come before any page: a request id for the logs, and the
maintenance switch an operator flips."""

import contextvars
import logging
import os
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpResponse
from django.template import loader

# The id of the request being served, on every log line written while serving it.
current_request_id = contextvars.ContextVar("request_id", default="-")

# nginx's $request_id is 32 hex digits; load balancers send UUIDs. Anything else (too long,
# spaces, quotes) could break a log line, so a new id is made instead.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


class RequestIdMiddleware:
    """Takes the proxy's X-Request-ID (or makes one), puts it on the log lines of the request
    and returns it in the response, where gunicorn's access log reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        # Not reset on the way out: Django logs a 4xx or 5xx answer after the middleware has
        # returned it, and that line must carry the id too. It is reset once the response
        # has been sent (forget_request_id).
        current_request_id.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


@receiver(request_finished)
def forget_request_id(**kwargs):
    """Lines logged between requests belong to none."""
    current_request_id.set("-")


def maintenance_retry_seconds():
    """While the maintenance file exists, how long readers are asked to wait (its content);
    None when the site is open."""
    # Asked on every request: a stat, a quarter of the cost of failing to open the file.
    if not os.path.exists(settings.MAINTENANCE_FILE):
        return None
    try:
        content = Path(settings.MAINTENANCE_FILE).read_text().strip()
    except OSError:
        return None
    return int(content) if content.isdigit() else settings.MAINTENANCE_RETRY_SECONDS


class MaintenanceModeMiddleware:
    """While `manage.py maintenance on` holds, every page (the admin too) answers 503 with a
    Retry-After; static files still come from WhiteNoise, ahead of this, so the page is
    styled. The health check still answers, so load balancers keep sending readers here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        retry_seconds = maintenance_retry_seconds()
        if retry_seconds is None or request.path_info == "/healthz":
            return self.get_response(request)
        response = HttpResponse(loader.render_to_string("maintenance.html"), status=503)
        response["Retry-After"] = str(retry_seconds)
        response["Cache-Control"] = "no-store"
        return response
