from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion_compare.admin import CompareVersionAdmin

from ..citations import cites_failing_source
from ..models import (
    FAQ,
    Blocker,
    EligibilityCriterion,
    EvidenceItem,
    OfficialLink,
    PathwayStep,
    PendingChange,
    ReviewState,
    Route,
    RouteStatus,
)
from ..views import render_route_page
from ..workflow import (
    apply_pending_change,
    mark_reviewed,
    publish,
    route_snapshot,
    save_pending_change,
    snapshot_differences,
    unpublish,
)
from .base import AUDIT_FIELDSET, FORMFIELD_OVERRIDES, AuditedAdmin


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


class RouteAdminForm(forms.ModelForm):
    """The route's own fields (chosen by the admin's fieldsets), plus the change note."""

    change_note = forms.CharField(
        required=False,
        max_length=300,
        help_text="For a change that matters to readers (a new fee, a new criterion, a closed "
        "route): one line, shown on the page's list of updates. Leave empty for a minor fix.",
    )


class ReviewStateFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return ReviewState.choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # The due date counts calendar months, so the state is worked out here, not in SQL.
        routes = queryset.only("pk", "last_reviewed", "review_cycle_months")
        return queryset.filter(
            pk__in=[route.pk for route in routes if route.review_state() == self.value()]
        )


class PendingChangeFilter(admin.SimpleListFilter):
    title = "changes waiting"
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("yes", "Waiting for a Publisher")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pending_change__isnull=False)
        return queryset


class _RollBack(Exception):
    """Leaves a transaction that only served to show or capture a pending change."""

    def __init__(self, response, snapshot=None):
        self.response = response
        self.snapshot = snapshot


@admin.register(Route)
class RouteAdmin(AuditedAdmin, CompareVersionAdmin):
    form = RouteAdminForm
    change_form_template = "admin/guides/route/change_form.html"
    list_display = [
        "name",
        "jurisdiction",
        "category",
        "status",
        "has_pending_change",
        "last_reviewed",
        "review",
    ]
    list_filter = [
        "jurisdiction",
        "category",
        "status",
        ReviewStateFilter,
        PendingChangeFilter,
        "availability",
    ]
    list_select_related = ["jurisdiction", "category", "pending_change"]
    search_fields = ["name", "acronym", "summary", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [*AuditedAdmin.readonly_fields, "status", "first_published_at"]
    actions = ["publish_selected", "unpublish_selected", "mark_reviewed_today"]
    autocomplete_fields = [
        "author",
        "processing_time_source",
        "fees_source",
        "initial_stay_source",
        "notice_source",
        "permanent_residency_source",
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
            "Basics",
            {
                "fields": [
                    ("jurisdiction", "category"),
                    ("name", "acronym"),
                    "slug",
                    "summary",
                    "outcome",
                    "author",
                    ("availability", "closing_on"),
                ]
            },
        ),
        (
            "Publishing and review",
            {
                "fields": [
                    ("status", "first_published_at"),
                    ("last_reviewed", "review_cycle_months"),
                    "change_note",
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
                    "permanent_residency_source",
                ],
            },
        ),
        ("Content", {"fields": ["overview"]}),
        ("SEO", {"classes": ["collapse"], "fields": ["seo_title", "meta_description"]}),
        ("Relations", {"fields": ["related_routes", "professions", "explored_by", "compare_with"]}),
        AUDIT_FIELDSET,
    ]

    @admin.display(description="review")
    def review(self, route):
        state = route.review_state().label
        return f"{state}; a cited source failed its link check" if route.cites_failing else state

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(cites_failing=cites_failing_source())

    @admin.display(description="waiting", boolean=True)
    def has_pending_change(self, route):
        return hasattr(route, "pending_change")

    # Who may do what -------------------------------------------------------------------

    def has_publish_permission(self, request):
        return request.user.has_perm("guides.publish_route")

    def changes_wait_for_publisher(self, request, route):
        """An Editor's change to a published route is kept as a pending change."""
        return route is not None and route.is_published and not self.has_publish_permission(request)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.is_published and self.has_publish_permission(request):
            return fieldsets
        # Change notes are written by the Publisher who puts a change live.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "change_note"]})
            for name, options in fieldsets
        ]

    # Saving -------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if hasattr(request, "publication_state"):  # restoring a version changes content only
            obj.status, obj.first_published_at = request.publication_state
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        route = form.instance
        route.refresh_derived()
        note = form.cleaned_data.get("change_note", "").strip()
        if note and route.is_published:
            route.change_notes.create(note=note, created_by=request.user)

    def delete_queryset(self, request, queryset):
        # One by one, so that each deleted route leaves its address answering 410.
        for route in queryset:
            route.delete()

    def message_user(self, request, *args, **kwargs):
        if not getattr(request, "saving_pending_change", False):
            super().message_user(request, *args, **kwargs)

    # Editors' changes to live pages wait for a Publisher -----------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        route = self.get_object(request, unquote(object_id)) if object_id else None
        extra_context = {**(extra_context or {}), **self.workflow_context(request, route)}
        if self.changes_wait_for_publisher(request, route):
            view = super().changeform_view
            return self.as_pending_change(
                request, route, view, request, object_id, form_url, extra_context
            )
        return super().changeform_view(request, object_id, form_url, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        route = self.get_object(request, unquote(object_id))
        if self.changes_wait_for_publisher(request, route):
            view = super().revision_view
            return self.as_pending_change(
                request, route, view, request, object_id, version_id, extra_context
            )
        request.publication_state = (route.status, route.first_published_at)
        return super().revision_view(request, object_id, version_id, extra_context)

    def as_pending_change(self, request, route, view, *args):
        """Run an admin view on the route as its pending change shows it, then undo every
        write; what a successful save wrote is kept as the new pending change."""
        request.saving_pending_change = True
        try:
            with transaction.atomic():
                apply_pending_change(route)
                response = view(*args)
                if request.method == "POST" and response.status_code == 302:
                    raise _RollBack(response, route_snapshot(Route.objects.get(pk=route.pk)))
                if hasattr(response, "render"):
                    response.render()
                raise _RollBack(response)
        except _RollBack as rolled_back:
            request.saving_pending_change = False
            if rolled_back.snapshot is not None:
                save_pending_change(route, rolled_back.snapshot, request.user)
                self.message_user(
                    request,
                    f"Your change to “{route}” is saved and waits for a Publisher: visitors "
                    "still see the published page.",
                    messages.SUCCESS,
                )
            return rolled_back.response

    def workflow_context(self, request, route):
        if route is None:
            return {}
        pending = PendingChange.objects.filter(route=route).select_related("updated_by").first()
        return {
            "pending_change": pending,
            "can_publish": self.has_publish_permission(request),
            "preview_url": reverse("admin:guides_route_preview", args=[route.pk]),
            "changes_url": reverse("admin:guides_route_changes", args=[route.pk]),
            "publish_url": reverse("admin:guides_route_publish", args=[route.pk]),
        }

    # Preview, differences, publishing ------------------------------------------------------

    def get_urls(self):
        own = {
            "preview": self.preview_view,
            "changes": self.changes_view,
            "publish": self.publish_view,
        }
        return [
            *(
                path(
                    f"<path:object_id>/{name}/",
                    self.admin_site.admin_view(view),
                    name=f"guides_route_{name}",
                )
                for name, view in own.items()
            ),
            *super().get_urls(),
        ]

    def get_route_or_404(self, request, object_id):
        route = self.get_object(request, unquote(object_id))
        if route is None or not self.has_view_permission(request, route):
            raise Http404
        return route

    def preview_view(self, request, object_id):
        """The page as visitors would see it: a draft, or with the pending change applied."""
        route = self.get_route_or_404(request, object_id)
        with transaction.atomic():
            pending = apply_pending_change(route) if request.GET.get("pending") else None
            response = render_route_page(
                request, Route.objects.for_page().get(pk=route.pk), preview=True, pending=pending
            )
            transaction.set_rollback(True)
        return response

    def changes_view(self, request, object_id):
        route = self.get_route_or_404(request, object_id)
        pending = PendingChange.objects.filter(route=route).select_related("updated_by").first()
        differences = (
            snapshot_differences(route_snapshot(route), pending.content) if pending else []
        )
        context = {
            **self.admin_site.each_context(request),
            **self.workflow_context(request, route),
            "opts": self.opts,
            "original": route,
            "title": f"Changes waiting to be published: {route}",
            "differences": differences,
        }
        return TemplateResponse(request, "admin/guides/route/changes.html", context)

    def publish_view(self, request, object_id):
        route = self.get_route_or_404(request, object_id)
        return self.publish_routes(request, Route.objects.filter(pk=route.pk))

    def publish_routes(self, request, routes):
        """Confirm, with an optional change note, then publish drafts or pending changes."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        form = PublishForm(request.POST if "publish" in request.POST else None)
        if form.is_valid():
            for route in routes:
                publish(route, request.user, form.cleaned_data["note"])
            self.message_user(request, f"Published {len(routes)} route(s).", messages.SUCCESS)
            if len(routes) == 1:
                return redirect("admin:guides_route_change", routes[0].pk)
            return redirect("admin:guides_route_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Publish routes",
            "routes": routes.select_related("jurisdiction", "pending_change"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/guides/route/publish.html", context)

    @admin.action(description="Publish selected routes…", permissions=["publish"])
    def publish_selected(self, request, queryset):
        return self.publish_routes(request, queryset)

    @admin.action(description="Unpublish selected routes", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        for route in queryset.filter(status=RouteStatus.PUBLISHED):
            unpublish(route, request.user)
        self.message_user(request, "Unpublished: visitors now get “not found”.", messages.SUCCESS)

    @admin.action(description="Mark selected routes reviewed today", permissions=["change"])
    def mark_reviewed_today(self, request, queryset):
        for route in queryset:
            mark_reviewed(route, request.user)
        self.message_user(request, f"Marked {queryset.count()} route(s) reviewed today.")


class PublishForm(forms.Form):
    note = forms.CharField(
        label="Change note",
        required=False,
        max_length=300,
        help_text="One line for readers on what changed, e.g. “The visa fee rose to HK$1,300.” "
        "Leave it empty for a minor fix such as a typo. A first publication is noted for you.",
    )
