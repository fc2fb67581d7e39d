from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from .models import Author, Jurisdiction, Profession, Route


class SiteSitemap(Sitemap):
    """A sitemap section whose addresses come from SITE_URL, never from the request."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def lastmod(self, item):
        return item.last_changed


class JurisdictionSitemap(SiteSitemap):
    def items(self):
        return Jurisdiction.objects.with_last_changed().order_by("slug")


class RouteSitemap(SiteSitemap):
    def items(self):
        return (
            Route.objects.published()
            .with_last_changed()
            .select_related("jurisdiction")
            .order_by("jurisdiction__slug", "slug")
        )


class ProfessionSitemap(SiteSitemap):
    def items(self):
        return Profession.objects.filter(routes__status=Route.Status.PUBLISHED).distinct()

    def lastmod(self, item):
        return item.updated_at


class AuthorSitemap(ProfessionSitemap):
    def items(self):
        return Author.objects.filter(routes__status=Route.Status.PUBLISHED).distinct()


SITEMAPS = {
    "jurisdictions": JurisdictionSitemap,
    "routes": RouteSitemap,
    "professions": ProfessionSitemap,
    "authors": AuthorSitemap,
}
