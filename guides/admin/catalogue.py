from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from reversion_compare.admin import CompareVersionAdmin

from ..models import (
    Author,
    Category,
    Country,
    Jurisdiction,
    JurisdictionAlias,
    Profession,
    Route,
    RouteAlias,
    Source,
)
from ..models.base import LINK_CHECK_FIELDS
from .base import AUDIT_FIELDSET, AuditedAdmin, SiteAdmin


@admin.register(Source)
class SourceAdmin(AuditedAdmin, CompareVersionAdmin):
    list_display = ["title", "publisher", "as_at", "last_verified", "check_state", "checked_at"]
    list_filter = ["check_state", "publisher"]
    search_fields = ["title", "publisher", "url"]
    readonly_fields = [*AuditedAdmin.readonly_fields, *LINK_CHECK_FIELDS, "cited_by"]
    fieldsets = [
        (None, {"fields": ["publisher", "title", "url", "as_at", "last_verified"]}),
        ("Cited by", {"fields": ["cited_by"]}),
        (
            "Link check",
            {
                "description": "What `manage.py check_sources` found when it last fetched the URL.",
                "fields": list(LINK_CHECK_FIELDS),
            },
        ),
        AUDIT_FIELDSET,
    ]

    @admin.display(description="routes that cite it")
    def cited_by(self, source):
        routes = Route.objects.citing(source).select_related("jurisdiction")
        return (
            format_html_join(
                mark_safe("<br>"),
                '<a href="{}">{}</a> ({})',
                (
                    (
                        reverse("admin:guides_route_change", args=[route.pk]),
                        route,
                        route.jurisdiction,
                    )
                    for route in routes
                ),
            )
            or "No route cites this source."
        )


@admin.register(Jurisdiction)
class JurisdictionAdmin(AuditedAdmin):
    list_display = ["short_name", "name", "slug", "iso_code"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["adviser_register"]
    list_select_related = ["adviser_register"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "iso_code", "summary"]}),
        ("Advice", {"fields": ["adviser_register"]}),
        AUDIT_FIELDSET,
    ]


@admin.register(Category)
class CategoryAdmin(SiteAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(SiteAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Profession)
class ProfessionAdmin(SiteAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(SiteAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JurisdictionAlias)
class JurisdictionAliasAdmin(SiteAdmin):
    """Old jurisdiction slugs; they are recorded when a slug changes. Delete one to let its
    old addresses answer 404."""

    list_display = ["slug", "jurisdiction", "created_at"]
    list_select_related = ["jurisdiction"]
    search_fields = ["slug", "jurisdiction__short_name"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["jurisdiction"]


@admin.register(RouteAlias)
class RouteAliasAdmin(SiteAdmin):
    """Old route addresses (301 to the route) and deleted routes' addresses (410 Gone)."""

    list_display = ["__str__", "jurisdiction", "slug", "route", "created_at"]
    list_filter = ["jurisdiction"]
    list_select_related = ["jurisdiction", "route__jurisdiction"]
    search_fields = ["slug", "route__name"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["jurisdiction", "route"]
