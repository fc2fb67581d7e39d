"""What every model of the site shares: audit fields, natural keys, constraint helpers."""

from calendar import monthrange

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from ..slugs import validate_lowercase

# What `check_sources` records about a URL (see LinkCheck).
LINK_CHECK_FIELDS = (
    "check_state",
    "checked_at",
    "check_status",
    "check_final_url",
    "check_elapsed_ms",
    "check_error",
)

# Fields that are kept up to date by the site, not written by editors: fixtures and exports
# leave them out, and `seed` fills them after loading.
DERIVED_FIELDS = frozenset(
    {
        "created_at",
        "created_by",
        "confirmed_by",
        "updated_at",
        "updated_by",
        "content_updated_at",
        "page_changed_at",
        "page_parts",
        "overview_html",
        "notice_html",
        "answer_html",
        *LINK_CHECK_FIELDS,
    }
)


def add_months(day, months):
    """The same day `months` calendar months later, or the month's last day if it is shorter
    (31 August + 6 months = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def home_breadcrumbs():
    return [("Home", reverse("guides:home"))]


def recorded_user():
    """The user who did something to a row: recorded by the site, kept if they leave."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class Audited(models.Model):
    """Who created and last changed a row, and when; filled by the admin."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = recorded_user()
    updated_by = recorded_user()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)


class NaturalKeyManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(**{self.model.natural_key_field: key})


class NaturalKeyed(models.Model):
    """A row that fixtures name by one unique field (`natural_key_field`) instead of its id."""

    natural_key_field = "slug"

    objects = NaturalKeyManager()

    class Meta:
        abstract = True

    def natural_key(self):
        return (getattr(self, self.natural_key_field),)


class SlugNamed(NaturalKeyed):
    slug = models.SlugField(max_length=80, unique=True, validators=[validate_lowercase])

    class Meta:
        abstract = True


def lowercase_slug(model_name):
    return models.CheckConstraint(
        condition=Q(slug=Lower("slug")), name=f"guides_{model_name}_slug_lowercase"
    )


def choice_check(model_name, field, choices, blank=False):
    values = [*choices.values, ""] if blank else choices.values
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": values}),
        name=f"guides_{model_name}_{field}_valid",
    )


class LinkCheck(models.Model):
    """What `check_sources` last found at the row's `url`; never edited by hand."""

    class State(models.TextChoices):
        UNCHECKED = "unchecked", "Not checked yet"
        OK = "ok", "OK"
        MOVED = "moved", "Moved (redirects elsewhere)"
        BROKEN = "broken", "Broken"

    check_state = models.CharField(
        "link state", max_length=10, choices=State, default=State.UNCHECKED, editable=False
    )
    checked_at = models.DateTimeField("last checked", null=True, blank=True, editable=False)
    check_status = models.PositiveSmallIntegerField("HTTP status", null=True, editable=False)
    check_final_url = models.URLField("final URL", max_length=500, blank=True, editable=False)
    check_elapsed_ms = models.PositiveIntegerField("time (ms)", null=True, editable=False)
    check_error = models.CharField("error", max_length=20, blank=True, editable=False)

    class Meta:
        abstract = True


def prefetched(obj, name, rows):
    """Make `obj.<name>.all()` return `rows`, as prefetch_related does."""
    queryset = type(obj).objects.none()  # only its cached rows are ever read
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
