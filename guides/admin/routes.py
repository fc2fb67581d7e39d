"""The route's admin screen. Every save, publish and restore goes through guides/workflow.py:
the form is loaded from a route's content (live, waiting or an old version), carries that
content as its base, and a save merges what the form holds into the target."""

from functools import reduce
from operator import or_

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import smart_split, unescape_string_literal
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from .. import workflow
from ..citations import cites_failing_source
from ..models import (
    FAQ,
    Blocker,
    ChangeNote,
    DraftEvent,
    Editing,
    EligibilityCriterion,
    EvidenceItem,
    OfficialLink,
    PathwayStep,
    PendingChange,
    ReviewRequest,
    ReviewState,
    Route,
    ScheduledPublication,
)
from ..models.pages import one_refresh
from ..previews import route_for_preview
from ..views import render_route_page
from .base import AUDIT_FIELDSET, FORMFIELD_OVERRIDES, AuditedAdmin
from .differences import as_text, in_words, marked


def shown(where, value):
    """The content value at `where` in a sentence or a table cell."""
    value = in_words(where, value)
    if isinstance(value, dict):
        return "; ".join(
            f"{name.replace('_', ' ')}: {as_text(item)}" for name, item in value.items()
        )
    return as_text(value)


def conflict_messages(conflicts):
    return [
        f"{c.label} was changed by someone else since you opened this page, to "
        f"“{shown(c.where, c.theirs)}”; yours is “{shown(c.where, c.mine)}”. Nothing was saved: "
        "copy your text, reload the page and make your change again."
        for c in conflicts
    ]


def content_from(form, model):
    """The content fields of `model` as a validated form holds them."""
    return {
        field.name: workflow.plain_value(field, form.cleaned_data.get(field.name))
        for field in workflow.content_fields(model)
        if field.name in form.fields
    }


def waiting_token_of(route):
    return workflow.waiting_token(route.pending_change) if hasattr(route, "pending_change") else ""


def with_lf_line_breaks(cleaned_data):
    """Browsers send CRLF; content is stored with LF, so an untouched text box is no change."""
    return {
        name: value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value
        for name, value in cleaned_data.items()
    }


class EditingForm:
    """What the route form and its inline formsets share: the user saving, the route's
    content shown, and a check that nobody changed the same thing since it was loaded."""

    user = None

    def conflicts(self, route, mine):
        base = workflow.unsign_base(self.data.get("base", ""))
        if base is None:
            return None
        # The target's content as this request found it (RouteAdmin.get_object).
        _, conflicts = workflow.merge(base, workflow.completed(mine, base), route.base_content)
        return conflicts


class RouteAdminForm(EditingForm, forms.ModelForm):
    """The route's own fields (chosen by the admin's fieldsets), the change note and the
    signed content the form was loaded from."""

    change_note = forms.CharField(
        required=False,
        max_length=300,
        help_text="For a change that matters to readers (a new fee, a new criterion, a closed "
        "route): one line, shown on the page's list of updates. Leave empty for a minor fix.",
    )
    base = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shown_content = getattr(self.instance, "shown_content", None)
        if shown_content is not None:
            self.initial.update(
                {
                    name: value
                    for name, value in shown_content["route"].items()
                    if name in self.fields
                }
            )
            self.initial["base"] = workflow.sign_base(self.instance.base_content)

    def clean(self):
        cleaned = self.cleaned_data = with_lf_line_breaks(super().clean())
        if cleaned.get("open_only_to") and not cleaned.get("nationality_source"):
            self.add_error("nationality_source", "A nationality rule must cite its source.")
        if self.instance.pk is None or self.errors:
            return cleaned
        if workflow.unsign_base(self.data.get("base", "")) is None:
            raise forms.ValidationError("This form is out of date: reload the page.")
        conflicts = self.conflicts(self.instance, self.content())
        if conflicts:
            raise forms.ValidationError(conflict_messages(conflicts))
        return cleaned

    def content(self):
        """The route's fields as this form holds them (parts are the formsets')."""
        return {"route": content_from(self, Route), "parts": {}}


class RoutePartForm(forms.ModelForm):
    """An inline part. Its `key` travels with the form, so that it names the same part
    whichever content (live, waiting, an old version) the form was loaded from."""

    part_key = forms.SlugField(widget=forms.HiddenInput, required=False)

    def clean(self):
        return with_lf_line_breaks(super().clean())

    def content_key(self):
        return self.cleaned_data.get("part_key") or self.instance.key


class RoutePartFormSet(EditingForm, forms.BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # A part the form was loaded with must stay valid even if left unchanged; only a
        # new, blank row may be left empty.
        if self.is_bound and self.data.get(f"{form.prefix}-part_key"):
            form.empty_permitted = False
        return form

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        conflicts = self.conflicts(self.instance, self.content())
        if conflicts:
            raise forms.ValidationError(conflict_messages(conflicts))

    def content(self):
        """{"parts": {relation: {key: fields}}} as the formset holds them. A new item left
        at position 0 goes to the end."""
        parts, new_keys = {}, []
        for form in self.forms:
            if not form.cleaned_data:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            parts[form.content_key()] = content_from(form, self.model)
            if not form.cleaned_data.get("part_key") and not parts[form.content_key()]["position"]:
                new_keys.append(form.content_key())
        last = max((part["position"] or 0 for part in parts.values()), default=0)
        for number, key in enumerate(new_keys, 1):
            parts[key]["position"] = last + 10 * number
        return {"route": {}, "parts": {self.relation: parts}}

    @property
    def relation(self):
        return self.fk.remote_field.related_name


class RoutePartInline:
    """What every inline part of a route shares: its rows come from the content the form
    shows (see RouteAdmin.get_object), so they are all forms with initial values."""

    extra = 0
    ordering = ["position", "pk"]
    formfield_overrides = FORMFIELD_OVERRIDES
    form = RoutePartForm
    formset = RoutePartFormSet
    # Folded until opened (and opened by Django when they hold an error), so that the basics
    # and key facts fit on the first screen.
    classes = ["collapse"]

    def get_fields(self, request, obj=None):
        return [*super().get_fields(request, obj), "part_key"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Inline instances are made per request, so the heading can carry this route's count.
        count = len(self.shown_parts(obj))
        self.verbose_name_plural = f"{self.model._meta.verbose_name_plural} ({count})"
        return type(formset.__name__, (formset,), {"user": request.user})

    def shown_parts(self, obj):
        """The parts the form shows, in page order, as initial values of its forms."""
        if obj is None or obj.pk is None:
            return []
        relation = self.model._meta.get_field("route").remote_field.related_name
        parts = obj.shown_content["parts"].get(relation, {})
        ordered = sorted(parts.items(), key=lambda item: (item[1].get("position") or 0, item[0]))
        return [{**fields, "part_key": key} for key, fields in ordered]

    def get_extra(self, request, obj=None, **kwargs):
        return len(self.shown_parts(obj))


class RoutePartTabularInline(RoutePartInline, admin.TabularInline):
    pass


class RoutePartStackedInline(RoutePartInline, admin.StackedInline):
    pass


class CitedItemInline(RoutePartTabularInline):
    fields = ["position", "text", "source"]
    autocomplete_fields = ["source"]


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


def search_words(search_term):
    """The words of a search as Django's admin splits them: a quoted phrase is one word, and
    a quote left open is just a character."""
    return [unquoted(word) for word in smart_split(search_term)]


def unquoted(word):
    closed = len(word) > 1 and word[0] in "\"'" and word[-1] == word[0]
    return unescape_string_literal(word) if closed else word


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
        "being_edited_by",
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
    list_select_related = ["jurisdiction", "category", "pending_change", "scheduled_publication"]
    search_fields = ["name", "acronym", "slug", "summary", "overview", "notice"]
    # The items' words too, each relation in a subquery of its own: joining them all would
    # multiply a route's rows by its items (44 s for one word on 10,000 routes).
    searched_items = [
        (EligibilityCriterion, "text"),
        (Blocker, "text"),
        (EvidenceItem, "text"),
        (PathwayStep, "title"),
        (FAQ, "question"),
        (FAQ, "answer"),
        (ChangeNote, "note"),
    ]
    save_on_top = True
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [*AuditedAdmin.readonly_fields, "status", "first_published_at"]
    actions = ["publish_selected", "unpublish_selected", "mark_reviewed_today"]

    def get_search_results(self, request, queryset, search_term):
        """As Django searches (every word somewhere), with the items' texts among the places
        a word may be."""
        for word in search_words(search_term):
            in_route = [Q(**{f"{field}__icontains": word}) for field in self.search_fields]
            in_items = [
                Q(pk__in=model.objects.filter(**{f"{field}__icontains": word}).values("route"))
                for model, field in self.searched_items
            ]
            queryset = queryset.filter(reduce(or_, in_route + in_items))
        return queryset, False

    autocomplete_fields = [
        "author",
        "processing_time_source",
        "fees_source",
        "initial_stay_source",
        "notice_source",
        "permanent_residency_source",
        "sponsorship_source",
        "age_source",
        "nationality_source",
        "open_only_to",
        "family_source",
        "dependant_fee_source",
        "dependants_route",
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
                    "base",
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
                    "sponsorship_source",
                    ("leads_to_permanent_residency", "permanent_residency_note"),
                    "permanent_residency_source",
                ],
            },
        ),
        (
            "Your partner and children",
            {
                "classes": ["collapse"],
                "description": "What the route allows the family, cited. Leave a fact empty "
                "unless an official page states it: the page then says where to check.",
                "fields": [
                    ("partner_can_come", "partner_note"),
                    ("partner_can_work", "partner_work_note"),
                    ("children_up_to", "children_note"),
                    "parents_can_come",
                    ("dependant_fee", "dependant_fee_source"),
                    "family_source",
                    "dependants_route",
                ],
            },
        ),
        (
            "Who can apply",
            {
                "classes": ["collapse"],
                "description": "The facts the route finder and comparisons read. Leave a rule "
                "“Not confirmed” unless an official page states it: visitors are then told to "
                "check the official page.",
                "fields": [
                    "purpose",
                    ("age_rule", "minimum_age", "maximum_age"),
                    "age_source",
                    "open_only_to",
                    "nationality_note",
                    "nationality_source",
                ],
            },
        ),
        ("Content", {"fields": ["overview"]}),
        ("SEO", {"classes": ["collapse"], "fields": ["seo_title", "meta_description"]}),
        (
            "Relations",
            {
                "classes": ["collapse"],
                "fields": ["related_routes", "professions", "explored_by", "compare_with"],
            },
        ),
        AUDIT_FIELDSET,
    ]

    @admin.display(description="review")
    def review(self, route):
        state = "Not yet reviewed" if route.last_reviewed is None else route.review_state().label
        return f"{state}; a cited source failed its link check" if route.cites_failing else state

    def get_queryset(self, request):
        editing_now = Prefetch(
            "editing", Editing.objects.current().select_related("user"), to_attr="editing_now"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(cites_failing=cites_failing_source())
            .prefetch_related(editing_now)
        )

    @admin.display(description="being edited by")
    def being_edited_by(self, route):
        return ", ".join(str(editing.user) for editing in route.editing_now)

    @admin.display(description="waiting for a Publisher")
    def has_pending_change(self, route):
        waiting = "Change waiting" if hasattr(route, "pending_change") else ""
        if hasattr(route, "scheduled_publication"):
            at = timezone.localtime(route.scheduled_publication.publish_at)
            return f"{waiting}; goes live {at:%-d %b %Y, %H:%M}".lstrip("; ")
        return waiting

    # Who may do what -------------------------------------------------------------------

    def has_publish_permission(self, request):
        return request.user.has_perm("guides.publish_route")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        fields_dropped = set() if obj is not None else {"base"}
        if obj is None or not obj.is_published or not self.has_publish_permission(request):
            # Change notes are written by the Publisher who puts a change live.
            fields_dropped.add("change_note")
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in fields_dropped]})
            for name, options in fieldsets
        ]

    # The content a form shows, and where its save goes -----------------------------------

    def get_object(self, request, object_id, from_field=None):
        """The route, with the content its form shows: the version being restored, else its
        waiting change for an Editor, else the route itself; and the base a save merges
        against (the target's content now)."""
        route = super().get_object(request, object_id, from_field)
        if route is None:
            return None
        route.base_content = workflow.target_content_for(route, request.user)
        version_id = request.resolver_match.kwargs.get("version_id")
        if version_id is None:
            route.shown_content = route.base_content
        else:
            version = get_object_or_404(Version.objects.get_for_object(route), pk=version_id)
            route.shown_content = workflow.version_content(version)
        return route

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj.pk is not None:
            kwargs["queryset"] = inline.model.objects.none()
            kwargs["initial"] = inline.shown_parts(obj)
        return kwargs

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if not change:
            super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        if not change:
            super().save_related(request, form, formsets, change)
            return
        base, mine = self.form_content(form, formsets)
        # Locked, so that two saves at the same moment merge one after the other.
        route = Route.objects.select_for_update().get(pk=form.instance.pk)
        theirs = workflow.target_content_for(route, request.user)
        merged, _ = workflow.merge(base, mine, theirs)
        if merged != theirs:
            summary = ", ".join(self.changed_labels(base, mine))
            workflow.save_content(route, request.user, merged, summary[:500])
        note = form.cleaned_data.get("change_note", "").strip()
        if note and route.is_published and self.has_publish_permission(request):
            route.change_notes.create(note=note, created_by=request.user)

    def form_content(self, form, formsets):
        """(base, mine): the content the form was loaded from, and what it holds now."""
        base = workflow.unsign_base(form.cleaned_data["base"])
        mine = form.content()
        for formset in formsets:
            mine["parts"].update(formset.content()["parts"])
        return base, workflow.completed(mine, base)

    def changed_labels(self, base, mine):
        return [workflow.describe(where) for where, _, _ in workflow.changed_entries(base, mine)]

    def construct_change_message(self, request, form, formsets, add=False):
        if add:
            return super().construct_change_message(request, form, formsets, add)
        return [{"changed": {"fields": self.changed_labels(*self.form_content(form, formsets))}}]

    def response_change(self, request, obj):
        if obj.is_published and not self.has_publish_permission(request):
            if PendingChange.objects.filter(route=obj).exists():
                self.message_user(
                    request,
                    f"Your change to “{obj}” is saved and waits for a Publisher: visitors "
                    "still see the published page.",
                    messages.SUCCESS,
                )
            else:
                self.message_user(request, "You changed nothing, so nothing waits for a Publisher.")
            return redirect("admin:guides_route_change", obj.pk)
        return super().response_change(request, obj)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restore: the form shows the chosen version (see get_object); saving it is a
        change like any other, so an Editor's restore of a live page waits too."""
        context = {**(extra_context or {}), "restoring": True}
        return self.changeform_view(request, object_id, request.path, context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        route = Route.objects.filter(pk=unquote(object_id)).first() if object_id else None
        extra_context = {**(extra_context or {}), **self.workflow_context(request, route)}
        if route is not None and request.method == "GET":
            extra_context["others_editing"] = Editing.opened(route, request.user)
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        # One unit of work: the pages a save changes are refreshed once, at its end, in its
        # transaction.
        with transaction.atomic(), one_refresh():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        """Bringing a deleted route back puts it live as it was: a Publisher's decision."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_publish_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def workflow_context(self, request, route):
        if route is None:
            return {}
        pending = PendingChange.objects.filter(route=route).select_related("updated_by").first()
        return {
            "pending_change": pending,
            "scheduled": ScheduledPublication.objects.filter(route=route).first(),
            "review_request": ReviewRequest.objects.filter(route=route)
            .select_related("requested_by", "answered_by")
            .first(),
            "submit_url": reverse("admin:guides_route_submit", args=[route.pk]),
            "send_back_url": reverse("admin:guides_route_send_back", args=[route.pk]),
            "can_publish": self.has_publish_permission(request),
            "preview_url": reverse("admin:guides_route_preview", args=[route.pk]),
            "changes_url": reverse("admin:guides_route_changes", args=[route.pk]),
            "publish_url": reverse("admin:guides_route_publish", args=[route.pk]),
            "discard_url": reverse("admin:guides_route_discard", args=[route.pk]),
        }

    # Preview, differences, publishing ------------------------------------------------------

    def get_urls(self):
        own = {
            "preview": self.preview_view,
            "changes": self.changes_view,
            "publish": self.publish_view,
            "discard": self.discard_view,
            "submit": self.submit_view,
            "send_back": self.send_back_view,
        }
        return [
            *(
                path(
                    f"<path:object_id>/{name.replace('_', '-')}/",
                    self.admin_site.admin_view(view),
                    name=f"guides_route_{name}",
                )
                for name, view in own.items()
            ),
            # Restoring, with the version named (get_object reads it); django-reversion's own
            # pattern passes it unnamed.
            path(
                "<path:object_id>/history/<int:version_id>/",
                self.admin_site.admin_view(self.revision_view),
                name="guides_route_revision",
            ),
            *super().get_urls(),
        ]

    def get_route_or_404(self, request, object_id):
        route = Route.objects.filter(pk=unquote(object_id)).first()
        if route is None or not self.has_view_permission(request, route):
            raise Http404
        return route

    def preview_view(self, request, object_id):
        """The page as visitors would see it: a draft, or with the waiting change."""
        route = self.get_route_or_404(request, object_id)
        pending = PendingChange.objects.filter(route=route).first()
        if request.GET.get("pending") and pending:
            shown_route = route_for_preview(route, pending.content)
        else:
            shown_route, pending = Route.objects.page(pk=route.pk), None
        return render_route_page(request, shown_route, preview=True, pending=pending)

    def changes_view(self, request, object_id):
        route = self.get_route_or_404(request, object_id)
        pending = PendingChange.objects.filter(route=route).select_related("updated_by").first()
        differences, conflicts = [], []
        if pending:
            differences = [
                (
                    workflow.describe(where, pending.content, pending.base),
                    *marked(where, before, after),
                )
                for where, before, after in workflow.changed_entries(pending.base, pending.content)
            ]
            _, conflicts = workflow.merge(
                pending.base, pending.content, workflow.route_content(route)
            )
        context = {
            **self.admin_site.each_context(request),
            **self.workflow_context(request, route),
            "opts": self.opts,
            "original": route,
            "title": f"Changes waiting to be published: {route}",
            "differences": differences,
            "conflicts": [(c, *marked(c.where, c.theirs, c.mine)[::-1]) for c in conflicts],
            "trail": DraftEvent.objects.filter(route=route).select_related("user")[:20],
        }
        return TemplateResponse(request, "admin/guides/route/changes.html", context)

    def discard_view(self, request, object_id):
        route = self.get_route_or_404(request, object_id)
        if request.method != "POST" or not self.has_change_permission(request, route):
            raise PermissionDenied
        if workflow.discard(route, request.user):
            self.message_user(request, "The waiting change was discarded.", messages.SUCCESS)
        return redirect("admin:guides_route_change", route.pk)

    def submit_view(self, request, object_id):
        """An Editor asks for review of the route's draft or waiting change."""
        route = self.get_route_or_404(request, object_id)
        if request.method != "POST" or not self.has_change_permission(request, route):
            raise PermissionDenied
        if route.is_published and not PendingChange.objects.filter(route=route).exists():
            self.message_user(request, "Nothing is waiting, so there is nothing to review.")
        else:
            workflow.submit(route, request.user)
            self.message_user(
                request, "Submitted for review: the Publishers have been told.", messages.SUCCESS
            )
        return redirect("admin:guides_route_change", route.pk)

    def send_back_view(self, request, object_id):
        """A Publisher returns a submitted change to its Editor, saying what to fix."""
        route = self.get_route_or_404(request, object_id)
        if not self.has_publish_permission(request):
            raise PermissionDenied
        form = SendBackForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if workflow.send_back(route, request.user, form.cleaned_data["comment"]):
                self.message_user(request, "Sent back, with your comment.", messages.SUCCESS)
            else:
                self.message_user(request, "It was not submitted for review.", messages.WARNING)
            return redirect("admin:guides_route_change", route.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": route,
            "title": f"Send back: {route}",
            "form": form,
        }
        return TemplateResponse(request, "admin/guides/route/send_back.html", context)

    def publish_view(self, request, object_id):
        route = self.get_route_or_404(request, object_id)
        return self.publish_routes(request, Route.objects.filter(pk=route.pk))

    def publish_routes(self, request, routes):
        """Confirm, with an optional change note, then publish drafts or waiting changes; a
        waiting change that conflicts with a newer live change asks which value to keep."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        form = PublishForm(request.POST if "publish" in request.POST else None)
        conflicts = {}
        if form.is_valid() and form.cleaned_data["publish_at"]:
            publish_at = form.cleaned_data["publish_at"]
            if publish_at <= timezone.now():
                form.add_error("publish_at", "Choose a time in the future, or leave it empty.")
            else:
                for route in routes:
                    workflow.schedule(route, request.user, publish_at, form.cleaned_data["note"])
                self.message_user(
                    request,
                    f"Scheduled {len(routes)} route(s) to go live on "
                    f"{timezone.localtime(publish_at):%-d %B %Y at %H:%M}.",
                    messages.SUCCESS,
                )
                if len(routes) == 1:
                    return redirect("admin:guides_route_change", routes[0].pk)
                return redirect("admin:guides_route_changelist")
        if form.is_valid() and not form.errors:
            published = 0
            for route in routes:
                prefix = f"choice-{route.pk}-"
                choices = {
                    name.removeprefix(prefix): value
                    for name, value in request.POST.items()
                    if name.startswith(prefix) and value in {"mine", "theirs"}
                }
                try:
                    found = workflow.publish(
                        route,
                        request.user,
                        form.cleaned_data["note"],
                        choices,
                        waiting=request.POST.get(f"waiting-{route.pk}"),
                    )
                except workflow.NothingToPublish:
                    self.message_user(
                        request,
                        f"“{route}”: nothing was published. The waiting change you saw was "
                        "published, discarded or changed since: check it and publish again.",
                        messages.WARNING,
                    )
                    continue
                except ValidationError as error:
                    self.message_user(
                        request,
                        f"“{route}” was not published: {' '.join(error.messages)} Correct the "
                        "waiting change, then publish again.",
                        messages.ERROR,
                    )
                    continue
                if found:
                    conflicts[route] = [
                        (c, shown(c.where, c.mine), shown(c.where, c.theirs)) for c in found
                    ]
                else:
                    published += 1
            if published:
                self.message_user(request, f"Published {published} route(s).", messages.SUCCESS)
            if not conflicts:
                if len(routes) == 1:
                    return redirect("admin:guides_route_change", routes[0].pk)
                return redirect("admin:guides_route_changelist")
            # Only the routes left to settle are posted again.
            routes = routes.filter(pk__in=[route.pk for route in conflicts])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Publish routes",
            "routes": [
                (route, waiting_token_of(route))
                for route in routes.select_related("jurisdiction", "pending_change")
            ],
            "form": form,
            "conflicts": conflicts,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/guides/route/publish.html", context)

    @admin.action(description="Publish selected routes…", permissions=["publish"])
    def publish_selected(self, request, queryset):
        return self.publish_routes(request, queryset)

    @admin.action(description="Unpublish selected routes", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        for route in queryset.published():
            workflow.unpublish(route, request.user)
        self.message_user(request, "Unpublished: visitors now get “not found”.", messages.SUCCESS)

    @admin.action(description="Mark selected routes reviewed today", permissions=["change"])
    def mark_reviewed_today(self, request, queryset):
        for route in queryset:
            workflow.mark_reviewed(route, request.user)
        self.message_user(request, f"Marked {queryset.count()} route(s) reviewed today.")


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label="What needs fixing",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text="The Editor sees this on the route's screen and by email.",
    )


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="Publish at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=f"Leave empty to publish now. A later date and time ({settings.TIME_ZONE}) "
        "schedules it: it goes live then, as you approved it here.",
    )
    note = forms.CharField(
        label="Change note",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text="One line for readers on what changed, e.g. “The visa fee rose to HK$1,300.” "
        "Leave it empty for a minor fix such as a typo. A first publication is noted for you.",
    )
