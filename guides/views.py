from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.mixins import UserPassesTestMixin
from django.contrib.sitemaps import views as sitemap_views
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition
from django.views.generic import DetailView, ListView
from markdownx.views import MarkdownifyView

from .models import Author, Jurisdiction, Profession, Route
from .sections import route_sections
from .seo import absolute_url, jurisdiction_structured_data, route_structured_data
from .sitemaps import SITEMAPS

# Public pages may be kept by browsers and shared caches for a minute, then revalidated
# cheaply with their ETag.
public_page = cache_control(public=True, max_age=60)


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    kind: str = "website"
    noindex: bool = False


class PageMetaMixin:
    """Puts the page's title and description, from the model, in the context as `meta`."""

    meta_kind = "website"

    def get_meta(self):
        return PageMeta(self.object.page_title(), self.object.page_description(), self.meta_kind)

    def get_context_data(self, **kwargs):
        return super().get_context_data(meta=self.get_meta(), **kwargs)


def page_version(request, queryset, **lookup):
    """The page's (pk, last_changed), looked up once per request for ETag and Last-Modified."""
    if not hasattr(request, "page_version"):
        request.page_version = (
            queryset.with_last_changed().filter(**lookup).values_list("pk", "last_changed").first()
        )
    return request.page_version


def conditional(queryset_for, **lookups):
    """`condition()` for a page whose version is its object's `last_changed` and the release.

    `lookups` maps model lookups to the URL keyword arguments that fill them.
    """

    def version(request, **kwargs):
        return page_version(
            request, queryset_for(), **{field: kwargs[arg] for field, arg in lookups.items()}
        )

    def etag(request, **kwargs):
        found = version(request, **kwargs)
        return f"{settings.RELEASE}-{found[0]}-{found[1].timestamp()}" if found else None

    def last_modified(request, **kwargs):
        found = version(request, **kwargs)
        return found[1] if found else None

    return method_decorator(condition(etag_func=etag, last_modified_func=last_modified), "get")


def moved_or_missing(request, found):
    """301 to where an old address went, 410 for a deleted route, else 404."""
    if found.target and found.target.get_absolute_url() != request.path:
        return redirect(found.target, permanent=True)
    if found.gone:
        return render(request, "410.html", status=410)
    raise Http404


class OldAddressMixin:
    """When the normal lookup misses, try the old addresses of the page (and lowercase)."""

    def find_moved(self, **kwargs):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return moved_or_missing(request, self.find_moved(**kwargs))


class HomeView(ListView):
    template_name = "guides/home.html"
    context_object_name = "jurisdictions"

    def get_queryset(self):
        return Jurisdiction.objects.with_published_routes()

    def get_context_data(self, **kwargs):
        meta = PageMeta(
            "Immigration routes, explained and cited",
            "Clear guides to visas, permits and schemes: who each is for, what it takes and "
            "where to apply, with every claim linked to its official source.",
        )
        return super().get_context_data(meta=meta, **kwargs)


class RoutesOfView(PageMetaMixin, DetailView):
    """A page about one thing that lists its published routes."""

    def get_routes(self):
        return self.object.routes.published().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(routes=self.get_routes(), **kwargs)


@method_decorator(public_page, "dispatch")
@conditional(lambda: Jurisdiction.objects, slug="jurisdiction")
class JurisdictionView(OldAddressMixin, RoutesOfView):
    model = Jurisdiction
    slug_url_kwarg = "jurisdiction"
    template_name = "guides/jurisdiction.html"

    def get_queryset(self):
        return Jurisdiction.objects.select_related("adviser_register")

    def get_routes(self):
        return super().get_routes().order_by("category", "name")

    def find_moved(self, jurisdiction):
        return Jurisdiction.objects.find_moved(jurisdiction)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["structured_data"] = jurisdiction_structured_data(self.object, context["routes"])
        return context


class ProfessionView(RoutesOfView):
    model = Profession
    template_name = "guides/profession.html"


class AuthorView(RoutesOfView):
    model = Author
    template_name = "guides/author.html"


@method_decorator(public_page, "dispatch")
@conditional(lambda: Route.objects.published(), jurisdiction__slug="jurisdiction", slug="slug")
class RouteView(OldAddressMixin, PageMetaMixin, DetailView):
    template_name = "guides/route.html"
    context_object_name = "route"
    meta_kind = "article"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Route.objects.published().for_page(),
            jurisdiction__slug=self.kwargs["jurisdiction"],
            slug=self.kwargs["slug"],
        )

    def find_moved(self, jurisdiction, slug):
        return Route.objects.find_moved(jurisdiction, slug)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sections=route_sections(self.object),
            structured_data=route_structured_data(self.object),
            **kwargs,
        )


@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /markdownx/",
        "Allow: /",
        f"Sitemap: {absolute_url(reverse('guides:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def sitemap_index(request):
    """Django's sitemap index, with each section's address taken from SITE_URL."""
    response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="guides:sitemap-section")
    response.context_data["sitemaps"] = [
        sitemap_views.SitemapIndexItem(absolute_url(relative_url(item.location)), item.last_mod)
        for item in response.context_data["sitemaps"]
    ]
    return response


def relative_url(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


class MarkdownPreviewView(UserPassesTestMixin, MarkdownifyView):
    """The admin's live Markdown preview, for staff only."""

    raise_exception = True

    def test_func(self):
        return self.request.user.is_active and self.request.user.is_staff


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
