"""The ordered parts of a route page: criteria, blockers, evidence, steps, links, FAQs."""

import uuid

from django.db import models
from markdownx.models import MarkdownxField

from ..markdown import render_markdown
from .base import LinkCheck, choice_check
from .catalogue import Country, Source
from .pages import ShownOnPages


def new_item_key():
    return uuid.uuid4().hex[:12]


def route_field(related_name):
    """The route a part belongs to; each kind of part is reached by its own related name."""
    return models.ForeignKey("guides.Route", on_delete=models.CASCADE, related_name=related_name)


class RoutePartManager(models.Manager):
    def get_by_natural_key(self, jurisdiction_slug, route_slug, key):
        return self.get(
            route__jurisdiction__slug=jurisdiction_slug, route__slug=route_slug, key=key
        )


class KeyedByRoute(ShownOnPages):
    """A row that belongs to one route and is named, within it, by its own stable `key`.

    The key is its natural key in fixtures and in pending changes (with the route's), so that
    reloading content never overwrites a row an editor added, whatever its id or position.
    Subclasses declare `route` with `route_field()`.
    """

    key = models.SlugField(max_length=50, default=new_item_key, editable=False)

    objects = RoutePartManager()

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["route", "key"], name="guides_%(class)s_key_unique_in_route"
            )
        ]

    def pages(self):
        return [self.route_id], []

    def natural_key(self):
        return (*self.route.natural_key(), self.key)

    natural_key.dependencies = ["guides.route"]


class RoutePart(KeyedByRoute):
    """An ordered part of a route page. `position` only orders, and is deliberately not
    unique so that editors can swap two items."""

    position = models.PositiveSmallIntegerField(default=0)

    class Meta(KeyedByRoute.Meta):
        abstract = True
        ordering = ["position", "pk"]


class CitedItem(RoutePart):
    """A statement on a route page that cites the official page it comes from."""

    text = models.TextField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")

    class Meta(RoutePart.Meta):
        abstract = True

    def __str__(self):
        return self.text[:80]


class EligibilityCriterion(CitedItem):
    route = route_field("criteria")

    class Meta(CitedItem.Meta):
        verbose_name = "eligibility criterion"
        verbose_name_plural = "eligibility criteria"


class Blocker(CitedItem):
    route = route_field("blockers")
    excluded_nationalities = models.ManyToManyField(
        Country,
        blank=True,
        related_name="+",
        help_text="Where this blocker excludes nationals of some countries: list them here, "
        "and only where the cited source lists them.",
    )

    class Meta(CitedItem.Meta):
        verbose_name = "common blocker"


class EvidenceItem(CitedItem):
    route = route_field("evidence")

    class Meta(CitedItem.Meta):
        verbose_name = "evidence item"
        verbose_name_plural = "typical evidence"


class PathwayStep(RoutePart):
    route = route_field("steps")
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)

    class Meta(RoutePart.Meta):
        verbose_name = "application step"

    def __str__(self):
        return self.title


class OfficialLink(RoutePart, LinkCheck):
    route = route_field("official_links")
    label = models.CharField(max_length=100, help_text="e.g. “Official guidance”, “Apply online”.")
    audience = models.CharField(max_length=100, blank=True, help_text="e.g. “Applicant”.")
    link_text = models.CharField(max_length=200)
    url = models.URLField("URL", max_length=500)
    description = models.TextField(blank=True)
    publisher = models.CharField(max_length=200)
    verified_on = models.DateField(
        null=True, blank=True, help_text="When an editor last opened the link and found it right."
    )

    class Meta(RoutePart.Meta):
        verbose_name = "official application link"
        constraints = [
            *RoutePart.Meta.constraints,
            choice_check("officiallink", "check_state", LinkCheck.State),
        ]

    def __str__(self):
        return self.link_text


class FAQ(RoutePart):
    route = route_field("faqs")
    question = models.CharField(max_length=300)
    answer = MarkdownxField()
    answer_html = models.TextField(blank=True, editable=False)

    class Meta(RoutePart.Meta):
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        super().save(*args, **kwargs)

    def render_markdown_fields(self):
        self.answer_html = render_markdown(self.answer)
