"""The page cache: visitors' GETs of public pages, served from Django's cache.

A page is stored under a key made of its address, whether the visitor takes gzip, the
release of the code, today's date (a review date rolling over changes what a page says) and
the site's content version: a token that changes in the same transaction as every write to
what public pages show (models/pages.py). Every request reads that token from the database,
one indexed read of one row, so a publish through one app process is seen by every other
at once, with the local-memory cache of each process or with one shared Redis. Pages of an
earlier version are never read again; they age out of the cache.

Only responses that say they are public (`public_page` in views.py), set no cookie and
answer 200 are stored; a request with a session (staff) is never served from the cache.
Cache errors are logged and treated as misses: the page is rendered as if there were none.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import parse_http_date_safe

from .models import ContentVersion

logger = logging.getLogger(__name__)


def page_key(request, version):
    encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else "identity"
    today = timezone.localdate().isoformat()
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{settings.RELEASE}:{version}:{today}:{encoding}:{address}"


def storable(response):
    directives = {
        part.strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "public" in directives
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        if not settings.PAGE_CACHE:
            raise MiddlewareNotUsed("DJANGO_PAGE_CACHE is off")
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method != "GET"
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.path_info == "/healthz"  # says itself why the database fails
        ):
            return self.get_response(request)
        request.get_host()  # refuses a host not in ALLOWED_HOSTS, as CommonMiddleware would
        # Read before rendering: a page rendered while a publish commits is stored under the
        # version it started from, which no later request asks for.
        key = page_key(request, ContentVersion.objects.current())
        stored = self.read(key)
        if stored is not None:
            return self.replay(request, *stored)
        response = self.get_response(request)
        if storable(response):
            self.write(key, (response.content, list(response.items())))
        return response

    @staticmethod
    def replay(request, content, headers):
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request, etag=response.get("ETag"), last_modified=last_modified, response=response
        )

    @staticmethod
    def read(key):
        try:
            return cache.get(key)
        except Exception:
            logger.warning("Page cache unavailable; rendering the page", exc_info=True)
            return None

    @staticmethod
    def write(key, stored):
        try:
            cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("Page cache unavailable; page not stored", exc_info=True)
