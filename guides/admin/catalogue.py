import reversion
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from reversion_compare.admin import CompareVersionAdmin

from ..citations import citations_of
from ..models import (
    Author,
    Category,
    Country,
    GlossaryTerm,
    Jurisdiction,
    JurisdictionAlias,
    Profession,
    Route,
    RouteAlias,
    SearchSynonym,
    Source,
)
from ..models.base import LINK_CHECK_FIELDS
from ..models.catalogue import SOURCE_CONFIRMATION_MONTHS
from .base import AUDIT_FIELDSET, AuditedAdmin, SiteAdmin

# What needs an editor's attention: (filter label, heading of the attention page, selector).
SOURCE_ATTENTION = {
    "not-official": (
        "Not an official page",
        "Not official pages: replace them with the official page where you can",
        lambda sources: sources.not_official(),
    ),
    "link": (
        "Link check failed or moved",
        "Link check failed or the page moved",
        lambda sources: sources.failing_link_check(),
    ),
    "unconfirmed": (
        f"Not confirmed in {SOURCE_CONFIRMATION_MONTHS} months",
        f"Not confirmed in the last {SOURCE_CONFIRMATION_MONTHS} months",
        lambda sources: sources.needing_confirmation(),
    ),
    "uncited": (
        "Cited by nothing",
        "Cited by nothing, not even a draft: delete them unless you mean to cite them soon",
        lambda sources: sources.uncited(),
    ),
}


class SourceAttentionFilter(admin.SimpleListFilter):
    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _, _) in SOURCE_ATTENTION.items()]

    def queryset(self, request, queryset):
        if self.value() not in SOURCE_ATTENTION:
            return queryset
        _, _, select = SOURCE_ATTENTION[self.value()]
        return select(queryset)


@admin.register(Source)
class SourceAdmin(AuditedAdmin, CompareVersionAdmin):
    list_display = ["title", "publisher", "kind", "as_at", "confirmed_on", "check_state"]
    list_filter = [SourceAttentionFilter, "kind", "check_state", "publisher"]
    search_fields = ["title", "publisher", "url", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        *AuditedAdmin.readonly_fields,
        "confirmed_on",
        "confirmed_by",
        *LINK_CHECK_FIELDS,
        "cited_by",
    ]
    actions = ["confirm_selected"]
    fieldsets = [
        (None, {"fields": ["publisher", "title", "url", "slug", "kind", "as_at"]}),
        (
            "Confirmation",
            {
                "description": "To confirm a source, open its page, check that it still says "
                "what we cite, then use “Confirm selected sources” in the list of sources.",
                "fields": ["confirmed_on", "confirmed_by"],
            },
        ),
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

    @admin.display(description="cited by")
    def cited_by(self, source):
        citations = citations_of([source], routes=Route.objects.all())[source.pk]
        return render_to_string("admin/guides/source/citations.html", {"citations": citations})

    @admin.action(
        description="Confirm selected sources: I opened each page today and it says what we cite",
        permissions=["change"],
    )
    def confirm_selected(self, request, queryset):
        # Each confirmation is a version in the source's history, with who made it.
        for source in queryset:
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment("Confirmed: the page says what we cite.")
                source.confirm(request.user)
        self.message_user(request, f"Confirmed {len(queryset)} source(s) today.")

    def get_urls(self):
        attention = self.admin_site.admin_view(self.attention_view)
        return [
            path("attention/", attention, name="guides_source_attention"),
            *super().get_urls(),
        ]

    def attention_view(self, request):
        """Sources that need an editor: not official, failing their link check, or not
        confirmed within the cycle; each with what cites it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        groups = [
            (heading, list(select(Source.objects.all())))
            for _, heading, select in SOURCE_ATTENTION.values()
        ]
        citations = citations_of(
            [source for _, sources in groups for source in sources], routes=Route.objects.all()
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Sources needing attention",
            "groups": [
                (title, [(source, citations[source.pk]) for source in sources])
                for title, sources in groups
            ],
        }
        return TemplateResponse(request, "admin/guides/source/attention.html", context)


@admin.register(Jurisdiction)
class JurisdictionAdmin(AuditedAdmin):
    list_display = ["short_name", "name", "slug", "iso_code"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["summary_source", "adviser_register", "adviser_note_source"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "iso_code", "summary", "summary_source"]}),
        ("Advice", {"fields": ["adviser_register", "adviser_note", "adviser_note_source"]}),
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


@admin.register(SearchSynonym)
class SearchSynonymAdmin(SiteAdmin):
    list_display = ["word", "means"]
    search_fields = ["word", "means"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(SiteAdmin):
    list_display = ["term", "also", "source"]
    search_fields = ["term", "also", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    autocomplete_fields = ["source"]
