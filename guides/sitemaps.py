from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .comparisons import pair_url
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


class JurisdictionPairSitemap(SiteSitemap):
    """The jurisdiction comparisons that route pages link to ("compare with")."""

    def items(self):
        named = Route.objects.published().filter(compare_with__isnull=False)
        pairs = named.values_list("jurisdiction_id", "compare_with").distinct()
        jurisdictions = Jurisdiction.objects.in_bulk({pk for pair in pairs for pk in pair})
        found = {
            tuple(sorted((jurisdictions[a], jurisdictions[b]), key=lambda j: j.slug))
            for a, b in pairs
            if a != b
        }
        return sorted(found, key=lambda pair: (pair[0].slug, pair[1].slug))

    def location(self, item):
        return pair_url(*item)

    def lastmod(self, item):
        # A jurisdiction's version moves whenever one of its routes changes.
        return max(jurisdiction.page_version()[1] for jurisdiction in item)


class PagesSitemap(SiteSitemap):
    """Fixed pages that do not change with the content."""

    def items(self):
        return [
            "guides:finder",
            "guides:compare",
            "guides:glossary",
            "guides:source-list",
            "guides:how-we-check",
        ]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return None


SITEMAPS = {
    "jurisdictions": JurisdictionSitemap,
    "routes": RouteSitemap,
    "professions": ProfessionSitemap,
    "authors": AuthorSitemap,
    "comparisons": JurisdictionPairSitemap,
    "sources": SourceSitemap,
    "pages": PagesSitemap,
}
