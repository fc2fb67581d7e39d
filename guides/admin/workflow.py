from django.contrib import admin, messages

from ..models import ChangeNote, PendingChange, ProblemReport
from .base import SiteAdmin


@admin.register(ChangeNote)
class ChangeNoteAdmin(SiteAdmin):
    """Readers' list of updates. Publishers write notes when they publish; here they can
    correct one."""

    list_display = ["note", "route", "published_at", "created_by"]
    list_filter = ["route__jurisdiction"]
    list_select_related = ["route__jurisdiction", "created_by"]
    search_fields = ["note", "route__name"]
    autocomplete_fields = ["route"]
    readonly_fields = ["created_by"]
    date_hierarchy = "published_at"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PendingChange)
class PendingChangeAdmin(SiteAdmin):
    """Changes to live pages waiting for a Publisher; publish them from the route."""

    list_display = ["route", "updated_by", "updated_at"]
    list_select_related = ["route__jurisdiction", "updated_by"]
    fields = ["route", "created_by", "created_at", "updated_by", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProblemReport)
class ProblemReportAdmin(SiteAdmin):
    list_display = ["route", "short_message", "state", "created_at", "email"]
    list_filter = ["state", "route__jurisdiction"]
    list_select_related = ["route__jurisdiction"]
    search_fields = ["message", "route__name", "email"]
    readonly_fields = ["route", "message", "email", "created_at"]
    fields = ["route", "message", "email", "created_at", "state"]
    actions = ["mark_in_hand", "mark_done"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description="report")
    def short_message(self, report):
        return report.message[:80]

    def set_state(self, request, queryset, state):
        updated = queryset.update(state=state)
        self.message_user(
            request, f"{updated} report(s) marked {state.label.lower()}.", messages.SUCCESS
        )

    @admin.action(description="Mark selected reports in hand", permissions=["change"])
    def mark_in_hand(self, request, queryset):
        self.set_state(request, queryset, ProblemReport.State.IN_HAND)

    @admin.action(description="Mark selected reports done", permissions=["change"])
    def mark_done(self, request, queryset):
        self.set_state(request, queryset, ProblemReport.State.DONE)
