from django import forms
from django.contrib import admin
from django.db import models
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

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

    def delete_queryset(self, request, queryset):
        # One by one: each row's delete() reports the pages it changes.
        for obj in queryset:
            obj.delete()


class AuditedAdmin(SiteAdmin):
    """Fills the audit fields with the user who saves, and shows them read-only."""

    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
