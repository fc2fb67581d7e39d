"""Self-assessments in the admin: an assessment's screen lists its factors; each factor's
screen holds its options. A grid that cannot be passed, or whose maxima disagree with its
options, is refused with a message naming the factor. Only Publishers publish a grid or
change a published one."""

import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from reversion_compare.admin import CompareVersionAdmin

from .. import scoring
from ..models import Assessment, AssessmentFactor, AssessmentOption
from .base import AUDIT_FIELDSET, AuditedAdmin, SiteAdmin


def can_publish(request):
    return request.user.has_perm("guides.publish_route")


def kept_forms(formset):
    """The forms whose rows the formset will save (not those ticked for deletion)."""
    return [
        form
        for form in formset.forms
        if form.cleaned_data and not (formset.can_delete and formset._should_delete_form(form))
    ]


def as_factor(data, options):
    return scoring.Factor(
        data["key"], data["name"], data["maximum"], data["combine"], data["required"], options
    )


class FactorFormSet(forms.BaseInlineFormSet):
    """The assessment's factors as they will be saved, checked against its pass rule; a
    published grid is checked whole, options included."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        assessment = self.instance
        factors = [
            as_factor(
                form.cleaned_data,
                tuple(option.scoring() for option in form.instance.options.all())
                if form.instance.pk
                else (),
            )
            for form in kept_forms(self)
        ]
        grid = scoring.Grid(assessment.rule, assessment.pass_mark, tuple(factors))
        found = scoring.problems(grid) if assessment.is_published else scoring.pass_problems(grid)
        if found:
            raise forms.ValidationError(found)


class OptionFormSet(forms.BaseInlineFormSet):
    """A factor's options as they will be saved: their points must agree with its maximum."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        factor = self.instance
        options = tuple(
            scoring.Option(data["key"], data["label"], data["points"], data["meets"])
            for data in (form.cleaned_data for form in kept_forms(self))
        )
        fields = {
            name: getattr(factor, name)
            for name in ["key", "name", "maximum", "combine", "required"]
        }
        found = scoring.factor_problems(as_factor(fields, options))
        if found:
            raise forms.ValidationError(found)


class FactorInline(admin.TabularInline):
    model = AssessmentFactor
    formset = FactorFormSet
    fields = ["position", "key", "name", "maximum", "required", "combine", "confirmed"]
    extra = 0
    show_change_link = True


class OptionInline(admin.TabularInline):
    model = AssessmentOption
    formset = OptionFormSet
    fields = ["position", "key", "label", "points", "meets", "hint"]
    extra = 0


class PublishedByPublishersOnly:
    """An Editor may draft an unpublished grid; a published one only a Publisher changes."""

    def published(self, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.published(obj) and not can_publish(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.published(obj) and not can_publish(request):
            return False
        # An Editor may discard the draft of a change they proposed, and nothing else.
        drafted_by = (
            getattr(obj, "created_by_id", None) if getattr(obj, "draft_of_id", None) else None
        )
        if obj is not None and drafted_by == request.user.pk:
            return True
        return super().has_delete_permission(request, obj)


@admin.register(Assessment)
class AssessmentAdmin(PublishedByPublishersOnly, AuditedAdmin, CompareVersionAdmin):
    change_form_template = "admin/guides/assessment/change_form.html"
    list_display = [
        "name",
        "route",
        "rule",
        "pass_mark",
        "is_published",
        "draft_of",
        "last_reviewed",
    ]
    list_filter = ["is_published", "rule", "route__jurisdiction"]
    list_select_related = ["route__jurisdiction", "draft_of"]
    search_fields = ["name", "route__name", "factors__name"]
    autocomplete_fields = ["route", "source"]
    inlines = [FactorInline]
    fieldsets = [
        (None, {"fields": ["route", ("name", "key"), "explanation", "position"]}),
        ("Pass rule", {"fields": [("rule", "pass_mark")]}),
        (
            "Source and review",
            {"fields": ["source", ("as_at", "last_reviewed"), "unconfirmed_note", "is_published"]},
        ),
        AUDIT_FIELDSET,
    ]

    def published(self, obj):
        return obj.is_published

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # A draft is published onto its original, never on its own.
        if not can_publish(request) or (obj is not None and obj.draft_of_id):
            readonly.append("is_published")
        return readonly

    def get_urls(self):
        return [
            path(
                "<path:object_id>/propose/",
                self.admin_site.admin_view(self.propose_view),
                name="guides_assessment_propose",
            ),
            path(
                "<path:object_id>/publish-draft/",
                self.admin_site.admin_view(self.publish_draft_view),
                name="guides_assessment_publish_draft",
            ),
            *super().get_urls(),
        ]

    def propose_view(self, request, object_id):
        """Start (or reopen) the draft of a change to a published grid."""
        live = get_object_or_404(Assessment, pk=object_id, is_published=True)
        if request.method != "POST" or not self.has_view_permission(request, live):
            raise PermissionDenied
        if not request.user.has_perm("guides.add_assessment"):
            raise PermissionDenied
        with reversion.create_revision():
            draft = live.start_draft(request.user)
            reversion.set_user(request.user)
        self.message_user(
            request,
            "This is a draft of your change: visitors keep the published grid until a "
            "Publisher publishes it.",
            messages.SUCCESS,
        )
        return redirect("admin:guides_assessment_change", draft.pk)

    def publish_draft_view(self, request, object_id):
        draft = get_object_or_404(Assessment, pk=object_id, draft_of__isnull=False)
        if request.method != "POST" or not can_publish(request):
            raise PermissionDenied
        try:
            with reversion.create_revision():
                live = draft.publish_draft(request.user)
                reversion.set_user(request.user)
                reversion.set_comment("Published a draft of a change.")
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return redirect("admin:guides_assessment_change", draft.pk)
        self.message_user(request, "The change is published.", messages.SUCCESS)
        return redirect("admin:guides_assessment_change", live.pk)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            can_publish=can_publish(request),
            waiting_draft=Assessment.objects.filter(draft_of=obj).first() if obj else None,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(AssessmentFactor)
class AssessmentFactorAdmin(PublishedByPublishersOnly, SiteAdmin, CompareVersionAdmin):
    list_display = ["name", "assessment", "maximum", "combine", "required", "confirmed"]
    list_select_related = ["assessment__route__jurisdiction"]
    search_fields = ["name", "assessment__name"]
    autocomplete_fields = ["source"]
    inlines = [OptionInline]
    fields = [
        "assessment",
        ("name", "key"),
        "explanation",
        "source",
        ("maximum", "required"),
        ("combine", "confirmed"),
        "position",
    ]
    readonly_fields = ["assessment"]

    def published(self, obj):
        return obj.assessment.is_published

    def has_add_permission(self, request):
        # Factors are added on their assessment's screen.
        return False
