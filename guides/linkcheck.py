"""Fetch the URLs the site cites and record what answered (`manage.py check_sources`)."""

import ipaddress
import socket
import ssl
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from .models.base import LinkCheck

# Servers that refuse HEAD answer one of these; the page is then fetched with GET.
HEAD_REFUSED = {403, 405, 501}


@dataclass(frozen=True)
class CheckResult:
    url: str
    status: int | None
    final_url: str
    elapsed_ms: int
    error: str

    @property
    def state(self):
        if self.error or self.status is None or self.status >= 400:
            return LinkCheck.State.BROKEN
        if self.final_url.rstrip("/") != self.url.rstrip("/"):
            return LinkCheck.State.MOVED
        return LinkCheck.State.OK


def is_loopback(url):
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def user_agent():
    return f"RouteGuideLinkChecker/1.0 (+{settings.SITE_URL}/)"


def request(url, method, timeout):
    req = urllib.request.Request(url, method=method, headers={"User-Agent": user_agent()})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.geturl()
    except urllib.error.HTTPError as error:  # an answer, if not a happy one
        return error.code, error.geturl() or url


def error_kind(error):
    reason = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError | socket.timeout):
        return "timeout"
    if isinstance(reason, ConnectionRefusedError):
        return "refused"
    if isinstance(reason, socket.gaierror):
        return "dns"
    if isinstance(reason, ssl.SSLError):
        return "tls"
    if isinstance(reason, ConnectionError):
        return "connection"
    return "other"


def check_url(url, timeout):
    started = time.monotonic()
    status, final_url, error = None, "", ""
    try:
        status, final_url = request(url, "HEAD", timeout)
        if status in HEAD_REFUSED:
            status, final_url = request(url, "GET", timeout)
    except (urllib.error.URLError, OSError, ValueError) as failure:
        error = error_kind(failure)
    elapsed_ms = round((time.monotonic() - started) * 1000)
    return CheckResult(url, status, final_url, elapsed_ms, error)


def check_urls(urls, timeout=10, concurrency=8):
    """Check each URL once, a few at a time; results in the order given."""
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(lambda url: check_url(url, timeout), urls))
