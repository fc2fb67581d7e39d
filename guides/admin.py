from django import forms
from django.contrib import admin
from django.db import models
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from .models import (
    FAQ,
    Author,
    Blocker,
    Category,
    Country,
    EligibilityCriterion,
    EvidenceItem,
    Jurisdiction,
    JurisdictionAlias,
    OfficialLink,
    PathwayStep,
    Profession,
    Route,
    RouteAlias,
    Source,
)

# Markdown gets the live preview; plain text boxes fit a few sentences, not a page; typed
# URLs without a scheme are taken as https.
FORMFIELD_OVERRIDES = {
    MarkdownxField: {"widget": AdminMarkdownxWidget},
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})},
    models.URLField: {"assume_scheme": "https"},
}

AUDIT_FIELDSET = (
    "Record",
    {
        "classes": ["collapse"],
        "fields": ["created_at", "created_by", "updated_at", "updated_by"],
    },
)


class SiteAdmin(admin.ModelAdmin):
    formfield_overrides = FORMFIELD_OVERRIDES


class AuditedAdmin(SiteAdmin):
    """Fills the audit fields with the user who saves, and shows them read-only."""

    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Source)
class SourceAdmin(AuditedAdmin):
    list_display = ["title", "publisher", "as_at", "last_verified"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "url"]
    fieldsets = [
        (None, {"fields": ["publisher", "title", "url", "as_at", "last_verified"]}),
        AUDIT_FIELDSET,
    ]


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


class RoutePartInline:
    """What every inline part of a route shares, as a table or stacked."""

    extra = 0
    ordering = ["position", "pk"]
    formfield_overrides = FORMFIELD_OVERRIDES


class RoutePartTabularInline(RoutePartInline, admin.TabularInline):
    pass


class RoutePartStackedInline(RoutePartInline, admin.StackedInline):
    pass


class CitedItemInline(RoutePartTabularInline):
    fields = ["position", "text", "source"]
    autocomplete_fields = ["source"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class EligibilityCriterionInline(CitedItemInline):
    model = EligibilityCriterion


class BlockerInline(CitedItemInline):
    model = Blocker
    fields = [*CitedItemInline.fields, "excluded_nationalities"]
    autocomplete_fields = [*CitedItemInline.autocomplete_fields, "excluded_nationalities"]


class EvidenceItemInline(CitedItemInline):
    model = EvidenceItem


class PathwayStepInline(RoutePartTabularInline):
    model = PathwayStep
    fields = ["position", "title", "text"]


class OfficialLinkInline(RoutePartStackedInline):
    model = OfficialLink
    fields = [
        ("position", "label", "audience"),
        ("link_text", "url"),
        "description",
        ("publisher", "verified_on"),
    ]


class FAQInline(RoutePartStackedInline):
    model = FAQ
    fields = ["position", "question", "answer"]


@admin.register(Route)
class RouteAdmin(AuditedAdmin):
    list_display = ["name", "acronym", "jurisdiction", "category", "status", "last_reviewed"]
    list_filter = ["jurisdiction", "category", "status", "availability"]
    list_select_related = ["jurisdiction", "category"]
    search_fields = ["name", "acronym", "summary", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = [
        "author",
        "processing_time_source",
        "fees_source",
        "initial_stay_source",
        "notice_source",
        "related_routes",
        "professions",
        "explored_by",
        "compare_with",
    ]
    inlines = [
        EligibilityCriterionInline,
        BlockerInline,
        EvidenceItemInline,
        PathwayStepInline,
        OfficialLinkInline,
        FAQInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("jurisdiction", "category"),
                    ("name", "acronym"),
                    "slug",
                    "summary",
                    "outcome",
                    ("author", "last_reviewed"),
                    "status",
                    ("availability", "closing_on"),
                ]
            },
        ),
        (
            "Notice",
            {
                "description": "A dated, cited warning shown above the key facts.",
                "fields": ["notice", ("notice_date", "notice_source")],
            },
        ),
        (
            "Key facts",
            {
                "description": "Display text for each fact, with the structured value that "
                "lists and comparisons use. A figure cites its source.",
                "fields": [
                    ("processing_time", "processing_time_source"),
                    ("fees", "fees_source"),
                    ("fee_amount", "fee_currency", "fee_as_at"),
                    ("initial_stay", "initial_stay_source"),
                    "initial_stay_months",
                    ("sponsorship_required", "sponsorship_note"),
                    ("leads_to_permanent_residency", "permanent_residency_note"),
                ],
            },
        ),
        ("Content", {"fields": ["overview"]}),
        ("SEO", {"classes": ["collapse"], "fields": ["seo_title", "meta_description"]}),
        ("Relations", {"fields": ["related_routes", "professions", "explored_by", "compare_with"]}),
        AUDIT_FIELDSET,
    ]

    def delete_queryset(self, request, queryset):
        # One by one, so that each deleted route leaves its address answering 410.
        for route in queryset:
            route.delete()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_derived()


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
