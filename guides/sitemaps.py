from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Author, Jurisdiction, Profession, Route, Source


class SiteSitemap(Sitemap):
    """A sitemap section whose addresses come from SITE_URL, never from the request."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def lastmod(self, item):
        _, last_modified = item.page_version()
        return last_modified


class JurisdictionSitemap(SiteSitemap):
    def items(self):
        return Jurisdiction.objects.order_by("slug")


class RouteSitemap(SiteSitemap):
    def items(self):
        return (
            Route.objects.published()
            .select_related("jurisdiction")
            .order_by("jurisdiction__slug", "slug")
        )


class ProfessionSitemap(SiteSitemap):
    def items(self):
        return Profession.objects.filter(routes__in=Route.objects.published()).distinct()

    def lastmod(self, item):
        return item.updated_at


class AuthorSitemap(ProfessionSitemap):
    def items(self):
        return Author.objects.filter(routes__in=Route.objects.published()).distinct()


class SourceSitemap(SiteSitemap):
    def items(self):
        return Source.objects.cited_publicly().order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class PagesSitemap(SiteSitemap):
    """Fixed pages that do not change with the content."""

    def items(self):
        return ["guides:source-list", "guides:how-we-check"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return None


SITEMAPS = {
    "jurisdictions": JurisdictionSitemap,
    "routes": RouteSitemap,
    "professions": ProfessionSitemap,
    "authors": AuthorSitemap,
    "sources": SourceSitemap,
    "pages": PagesSitemap,
}
