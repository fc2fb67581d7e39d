"""The editing workflow around routes: public change notes, changes waiting for a
Publisher, and problems reported by readers."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from .base import choice_check, recorded_user
from .parts import KeyedByRoute, route_field


class ChangeNote(KeyedByRoute):
    """A dated line for readers on what changed ("see all updates"), written on publishing."""

    route = route_field("change_notes")
    published_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300)
    created_by = recorded_user()

    class Meta(KeyedByRoute.Meta):
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.note


class PendingChange(models.Model):
    """An Editor's change to a published route, waiting for a Publisher.

    `content` is the route as the change would make it, `base` the live content it was
    based on (see guides/workflow.py), so that publishing applies only what the Editor
    changed.
    """

    route = models.OneToOneField(
        "guides.Route", on_delete=models.CASCADE, related_name="pending_change"
    )
    content = models.JSONField()
    base = models.JSONField()
    created_by = recorded_user()
    updated_by = recorded_user()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return f"Pending change to {self.route}"


class ScheduledPublication(models.Model):
    """A Publisher's approval of a route (a draft, or its waiting change as they saw it) to
    go live at a set time; `manage.py publish_scheduled` carries it out."""

    route = models.OneToOneField(
        "guides.Route", on_delete=models.CASCADE, related_name="scheduled_publication"
    )
    publish_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)
    waiting = models.CharField(
        max_length=60, blank=True, help_text="The waiting change approved (workflow.waiting_token)."
    )
    scheduled_by = recorded_user()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["publish_at"]
        indexes = [
            # publish_scheduled looks for what is due.
            models.Index(fields=["publish_at"], name="guides_scheduled_due_idx"),
        ]

    def __str__(self):
        return f"{self.route} at {self.publish_at:%Y-%m-%d %H:%M}"


# Someone who opened a route's form this recently is taken to be still editing it.
EDITING_WINDOW = timedelta(minutes=15)


class EditingQuerySet(models.QuerySet):
    def current(self, now=None):
        return self.filter(seen_at__gte=(now or timezone.now()) - EDITING_WINDOW)


class Editing(models.Model):
    """Who has a route's form open: shown to the next person who opens it, and in the list.
    Nothing is refused: saving merges (see guides/workflow.py) and tells of any conflict."""

    route = models.ForeignKey("guides.Route", on_delete=models.CASCADE, related_name="editing")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    objects = EditingQuerySet.as_manager()

    class Meta:
        ordering = ["since"]
        constraints = [
            models.UniqueConstraint(fields=["route", "user"], name="guides_editing_once_per_user")
        ]

    def __str__(self):
        return f"{self.user} editing {self.route}"

    @classmethod
    def opened(cls, route, user, now=None):
        """Record that `user` opened `route`'s form; returns the others editing it now."""
        now = now or timezone.now()
        mine, created = cls.objects.get_or_create(
            route=route, user=user, defaults={"since": now, "seen_at": now}
        )
        if not created:
            if mine.seen_at < now - EDITING_WINDOW:
                mine.since = now
            mine.seen_at = now
            mine.save(update_fields=["since", "seen_at"])
        return list(
            cls.objects.current(now).filter(route=route).exclude(user=user).select_related("user")
        )


class ReviewRequestState(models.TextChoices):
    SUBMITTED = "submitted", "Submitted for review"
    SENT_BACK = "sent-back", "Sent back"


class ReviewRequest(models.Model):
    """An Editor's request that a Publisher review a route's draft or waiting change, and
    the Publisher's answer when they send it back. Publishing ends it."""

    State = ReviewRequestState

    route = models.OneToOneField(
        "guides.Route", on_delete=models.CASCADE, related_name="review_request"
    )
    state = models.CharField(max_length=10, choices=ReviewRequestState)
    requested_by = recorded_user()
    answered_by = recorded_user()
    comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["updated_at"]
        constraints = [choice_check("reviewrequest", "state", ReviewRequestState)]

    def __str__(self):
        return f"{self.get_state_display()}: {self.route}"


class DraftAction(models.TextChoices):
    SAVED = "saved", "Saved a change"
    SUBMITTED = "submitted", "Submitted for review"
    SENT_BACK = "sent-back", "Sent back"
    PUBLISHED = "published", "Published the change"
    DISCARDED = "discarded", "Discarded the change"


class DraftEvent(models.Model):
    """The trail of a route's waiting changes: who saved, published or discarded one, when.
    It stays when the waiting change is gone; the live history is django-reversion's."""

    Action = DraftAction

    route = models.ForeignKey("guides.Route", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=DraftAction)
    user = recorded_user()
    at = models.DateTimeField(default=timezone.now)
    summary = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [choice_check("draftevent", "action", DraftAction)]

    def __str__(self):
        return f"{self.get_action_display()}: {self.route}"


class ReportState(models.TextChoices):
    NEW = "new", "New"
    IN_HAND = "in-hand", "In hand"
    DONE = "done", "Done"


class ProblemReportQuerySet(models.QuerySet):
    def refusal(self, address_hash, now=None):
        """Why a new report from this address must wait, or "" if it may be stored."""
        hour_ago = (now or timezone.now()) - timedelta(hours=1)
        recent = self.filter(created_at__gte=hour_ago)
        if (
            recent.filter(address_hash=address_hash).count()
            >= settings.REPORTS_PER_ADDRESS_PER_HOUR
        ):
            return "You have sent several reports in the last hour. Please try again later."
        if recent.count() >= settings.REPORTS_PER_HOUR:
            return "We are receiving a lot of reports just now. Please try again in an hour."
        return ""

    def expired(self, now=None):
        cutoff = (now or timezone.now()) - timedelta(days=settings.REPORT_RETENTION_DAYS)
        return self.filter(created_at__lt=cutoff)


class ProblemReport(models.Model):
    """A reader's report that something on a route page is wrong or out of date."""

    State = ReportState

    route = models.ForeignKey(
        "guides.Route", on_delete=models.CASCADE, related_name="problem_reports"
    )
    message = models.TextField()
    email = models.EmailField(blank=True, help_text="Given by the reader, to reply to.")
    state = models.CharField(max_length=10, choices=ReportState, default=ReportState.NEW)
    # A salted hash, never the address itself: enough to throttle, useless to identify.
    address_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [choice_check("problemreport", "state", ReportState)]
        indexes = [
            # The throttle counts one address's recent reports.
            models.Index(fields=["address_hash", "created_at"], name="guides_report_throttle_idx"),
            # The global cap per hour and the retention purge scan by date.
            models.Index(fields=["created_at"], name="guides_report_created_idx"),
        ]

    def __str__(self):
        return f"Report on {self.route} ({self.get_state_display().lower()})"
