"""The editors' work queue on the admin's home page: what needs someone, and who."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from .models import (
    Assessment,
    PendingChange,
    ReviewRequest,
    ReviewState,
    Route,
    ScheduledPublication,
    Source,
)
from .models.base import add_months


@dataclass
class WorkQueue:
    submitted: list = field(default_factory=list)
    sent_back: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    scheduled: list = field(default_factory=list)
    drafts: list = field(default_factory=list)
    due_for_review: list = field(default_factory=list)
    grid_changes: list = field(default_factory=list)
    sources_needing_attention: int = 0


def work_queue(user):
    """A Publisher sees everything waiting; an Editor sees the changes and drafts they
    started. Everyone sees the routes due for review and the sources needing attention."""
    waiting = PendingChange.objects.select_related("route__jurisdiction", "updated_by")
    drafts = Route.objects.exclude(pk__in=Route.objects.published()).select_related(
        "jurisdiction", "created_by"
    )
    requests = ReviewRequest.objects.select_related("route__jurisdiction", "requested_by")
    grid_changes = Assessment.objects.filter(draft_of__isnull=False).select_related(
        "route__jurisdiction", "created_by"
    )
    if not user.has_perm("guides.publish_route"):
        grid_changes = grid_changes.filter(created_by=user)
        waiting = waiting.filter(created_by=user) | waiting.filter(updated_by=user)
        drafts = drafts.filter(created_by=user)
        requests = requests.filter(requested_by=user)
    # Every cycle is at least a month, so a page reviewed within the last month is not due;
    # the calendar months of each route's own cycle are counted in Python.
    month_ago = add_months(timezone.localdate(), -1)
    candidates = Route.objects.published().filter(
        Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=month_ago)
    )
    due = [
        route
        for route in candidates.select_related("jurisdiction")
        if route.review_state() != ReviewState.OK
    ]
    due.sort(key=lambda route: route.review_due_on or route.created_at.date())
    return WorkQueue(
        submitted=list(requests.filter(state=ReviewRequest.State.SUBMITTED)),
        sent_back=list(requests.filter(state=ReviewRequest.State.SENT_BACK)),
        waiting=list(waiting.order_by("updated_at")),
        scheduled=list(ScheduledPublication.objects.select_related("route__jurisdiction")),
        drafts=list(drafts.order_by("-updated_at")),
        due_for_review=sorted(
            due, key=lambda route: route.review_due_on or route.created_at.date()
        ),
        grid_changes=list(grid_changes.order_by("created_at")),
        sources_needing_attention=Source.objects.needing_attention().count(),
    )
