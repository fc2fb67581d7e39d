from django.contrib.auth.mixins import UserPassesTestMixin
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView
from markdownx.views import MarkdownifyView

from .models import Author, Jurisdiction, Profession, Route
from .sections import route_sections


class HomeView(ListView):
    template_name = "guides/home.html"
    context_object_name = "jurisdictions"

    def get_queryset(self):
        return Jurisdiction.objects.with_published_routes()


class RoutesOfView(DetailView):
    """A page about one thing that lists its published routes."""

    def get_routes(self):
        return self.object.routes.published().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(routes=self.get_routes(), **kwargs)


class JurisdictionView(RoutesOfView):
    model = Jurisdiction
    template_name = "guides/jurisdiction.html"

    def get_queryset(self):
        return Jurisdiction.objects.select_related("adviser_register")

    def get_routes(self):
        return super().get_routes().order_by("category", "name")


class ProfessionView(RoutesOfView):
    model = Profession
    template_name = "guides/profession.html"


class AuthorView(RoutesOfView):
    model = Author
    template_name = "guides/author.html"


class RouteView(DetailView):
    template_name = "guides/route.html"
    context_object_name = "route"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Route.objects.published().for_page(),
            jurisdiction__slug=self.kwargs["jurisdiction"],
            slug=self.kwargs["slug"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(sections=route_sections(self.object), **kwargs)


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
