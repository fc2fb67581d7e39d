"""What routes are filed under and cite: jurisdictions, categories, sources and people."""

from functools import reduce
from operator import or_

from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from ..slugs import RESERVED_SLUGS, validate_jurisdiction_slug, validate_lowercase
from .aliases import JurisdictionAlias, Moved
from .base import (
    Audited,
    LinkCheck,
    NaturalKeyed,
    NaturalKeyManager,
    SlugNamed,
    add_months,
    choice_check,
    home_breadcrumbs,
    lowercase_slug,
    recorded_user,
)
from .pages import ShownOnPages


class SourceKind(models.TextChoices):
    """How close a source is to the rule it reports; readers see the label of any but an
    official page beside the citation, so that a figure resting on it reads as weaker."""

    OFFICIAL = "official", "Official page of the government or regulator"
    REPRODUCED = "reproduced", "Official document reproduced elsewhere"
    NEWS = "news", "Secondary source: news report"
    PROFESSIONAL = "professional", "Secondary source: law firm or consultancy"


# A source not confirmed for this many months needs an editor to open it again.
SOURCE_CONFIRMATION_MONTHS = 6

READER_LABELS = {
    SourceKind.OFFICIAL: "",
    SourceKind.REPRODUCED: "official document, reproduced on another site",
    SourceKind.NEWS: "secondary source: news report",
    SourceKind.PROFESSIONAL: "secondary source: law firm or consultancy",
}


class SourceQuerySet(models.QuerySet):
    def cited_publicly(self, jurisdiction=None):
        """Sources that a published route, or a jurisdiction page, cites."""
        from ..citations import public_citation_filter

        return self.filter(public_citation_filter(jurisdiction))

    def uncited(self):
        """Sources that nothing cites, not even a draft or a waiting change: often one made
        in the route form's "+" window for a route that was then abandoned."""
        from ..citations import citation_filter, cited_by_waiting_changes
        from .routes import Route

        everything = citation_filter(Route.objects.all(), Jurisdiction.objects.all())
        return self.exclude(everything).exclude(pk__in=cited_by_waiting_changes())

    def needing_attention(self):
        """Sources in any of the admin's "needs attention" groups."""
        groups = [self.not_official(), self.failing_link_check(), self.needing_confirmation()]
        return reduce(or_, groups, self.uncited()).distinct()

    def needing_confirmation(self, today=None):
        today = today or timezone.localdate()
        cutoff = add_months(today, -SOURCE_CONFIRMATION_MONTHS)
        return self.filter(Q(confirmed_on__isnull=True) | Q(confirmed_on__lt=cutoff))

    def not_official(self):
        return self.exclude(kind=SourceKind.OFFICIAL)

    def failing_link_check(self):
        return self.filter(check_state__in=[LinkCheck.State.BROKEN, LinkCheck.State.MOVED])


class Source(NaturalKeyed, Audited, LinkCheck, ShownOnPages):
    """A page that the site cites. One source backs many items and routes."""

    Kind = SourceKind

    slug = models.SlugField(
        "key",
        max_length=80,
        unique=True,
        validators=[validate_lowercase],
        help_text="A short, stable name for the source: its address in the public register "
        "(/sources/<key>/) and its name in fixtures. Keep it when the URL changes.",
    )
    publisher = models.CharField(
        max_length=200,
        help_text="Who publishes the page, e.g. “Immigration Department (Hong Kong SAR)”.",
    )
    title = models.CharField(max_length=300)
    url = models.URLField("URL", max_length=500, unique=True)
    kind = models.CharField(
        max_length=12,
        choices=SourceKind,
        help_text="An official page is the government's or regulator's own. A copy of an "
        "official document on another site, and any secondary source, is shown to readers as "
        "such; replace it with the official page when you find one.",
    )
    as_at = models.CharField(
        "as at",
        max_length=100,
        blank=True,
        help_text="The date the page itself shows, or “page undated”.",
    )
    confirmed_on = models.DateField(
        "last confirmed",
        null=True,
        blank=True,
        editable=False,
        help_text="When an editor last opened the page and found that it says what we cite "
        "(the “Confirm” action).",
    )
    confirmed_by = recorded_user()

    objects = NaturalKeyManager.from_queryset(SourceQuerySet)()

    class Meta:
        # The slug breaks ties, so that the register's pages never repeat or skip a source.
        ordering = ["publisher", "title", "slug"]
        constraints = [
            choice_check("source", "check_state", LinkCheck.State),
            choice_check("source", "kind", SourceKind),
            lowercase_slug("source"),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}"

    def get_absolute_url(self):
        return reverse("guides:source", kwargs={"slug": self.slug})

    def pages(self):
        from .routes import Route

        citing_jurisdictions = Jurisdiction.objects.filter(
            Q(summary_source=self) | Q(adviser_register=self) | Q(adviser_note_source=self)
        )
        return (
            Route.objects.citing(self).values_list("pk", flat=True),
            citing_jurisdictions.values_list("pk", flat=True),
        )

    @property
    def reader_label(self):
        """What readers see beside a citation of this source; nothing for an official page."""
        return READER_LABELS[self.kind]

    @property
    def is_official(self):
        return self.kind == SourceKind.OFFICIAL

    def confirm(self, user, today=None):
        """Record that `user` opened the page today and found it says what we cite."""
        self.confirmed_on = today or timezone.localdate()
        self.confirmed_by = user
        self.updated_by = user
        self.save(update_fields=["confirmed_on", "confirmed_by", "updated_by"])

    def breadcrumbs(self):
        return [
            *home_breadcrumbs(),
            ("Sources", reverse("guides:source-list")),
            (self.title, self.get_absolute_url()),
        ]

    def page_title(self):
        return f"Source: {self.title}"

    def page_description(self):
        return Truncator(
            f"{self.title}, published by {self.publisher}: what kind of source it is, when we "
            "last confirmed it, and the pages that cite it."
        ).chars(160)


class Country(NaturalKeyed, ShownOnPages):
    """A nationality, by ISO 3166-1 alpha-2 code; the rows come from django-countries."""

    code = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=100)

    natural_key_field = "code"

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(code=models.functions.Upper("code")), name="guides_country_code_upper"
            )
        ]

    def __str__(self):
        return self.name

    def pages(self):
        from .parts import Blocker
        from .routes import Route

        excluding = Blocker.objects.filter(excluded_nationalities=self).values_list("route")
        shown_on = Q(pk__in=excluding) | Q(explored_by=self) | Q(open_only_to=self)
        return Route.objects.filter(shown_on).values_list("pk", flat=True).distinct(), []


def published_route_count():
    from .routes import published_filter

    return models.Count("routes", filter=published_filter("routes__"), distinct=True)


class RouteCountQuerySet(models.QuerySet):
    def with_route_counts(self):
        """Each row with `route_count`, its number of published routes."""
        # Meta.ordering does not apply to aggregating queries: restate it.
        return self.annotate(route_count=published_route_count()).order_by(
            *self.model._meta.ordering
        )


class JurisdictionQuerySet(RouteCountQuerySet):
    def find_moved(self, slug):
        """The jurisdiction at /slug/ in any letter case, or the one that was once there."""
        slug = slug.lower()
        return Moved(self.filter(slug=slug).first() or self.filter(aliases__slug=slug).first())


class Jurisdiction(SlugNamed, Audited, ShownOnPages):
    name = models.CharField(
        "official name",
        max_length=200,
        help_text="In full, e.g. “Hong Kong Special Administrative Region of the People's "
        "Republic of China”.",
    )
    short_name = models.CharField(max_length=80, help_text="As in running text: “Hong Kong”.")
    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[validate_lowercase, validate_jurisdiction_slug],
        help_text="The first part of every URL of this jurisdiction: /hong-kong/.",
    )
    iso_code = models.CharField("ISO 3166 code", max_length=2, blank=True)
    summary = models.TextField(blank=True)
    summary_source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where the summary states a figure (such as years to permanent residence), "
        "the source it comes from.",
    )
    adviser_register = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The regulator's public register of immigration advisers, where its address "
        "is confirmed. Never a page of guidance: readers follow it to find an adviser.",
    )
    adviser_note = models.TextField(
        blank=True,
        help_text="Who may give immigration advice here, where a regulator is known. Leave it "
        "and the register empty where none is confirmed: the page then says so.",
    )
    adviser_note_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    page_changed_at = models.DateTimeField(
        default=timezone.now,
        editable=False,
        help_text="When anything the jurisdiction's page shows last changed (models/pages.py).",
    )

    objects = NaturalKeyManager.from_queryset(JurisdictionQuerySet)()

    class Meta:
        ordering = ["short_name"]
        constraints = [
            lowercase_slug("jurisdiction"),
            models.CheckConstraint(
                condition=~Q(slug__in=sorted(RESERVED_SLUGS)),
                name="guides_jurisdiction_slug_not_reserved",
            ),
            models.CheckConstraint(
                condition=Q(adviser_note="") | Q(adviser_note_source__isnull=False),
                name="guides_jurisdiction_adviser_note_cited",
            ),
        ]

    def __str__(self):
        return self.short_name

    def save(self, *args, **kwargs):
        previous_slug = (
            Jurisdiction.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        )
        with transaction.atomic():
            super().save(*args, **kwargs)
            if previous_slug != self.slug:
                JurisdictionAlias.objects.filter(slug=self.slug).delete()
                if previous_slug:
                    JurisdictionAlias.objects.update_or_create(
                        slug=previous_slug, defaults={"jurisdiction": self}
                    )

    def get_absolute_url(self):
        return reverse("guides:jurisdiction", kwargs={"jurisdiction": self.slug})

    def pages(self):
        from .routes import Route

        shown_on = Route.objects.filter(Q(jurisdiction=self) | Q(compare_with=self))
        return shown_on.values_list("pk", flat=True), [self.pk]

    def page_version(self):
        """(tag, last modified) of what the page shows, from the stored moment it changed."""
        return f"{self.pk}-{self.page_changed_at.timestamp()}", self.page_changed_at

    def page_title(self):
        return f"Immigration routes in {self.short_name}"

    def page_description(self):
        return Truncator(
            self.summary
            or f"Visas, permits and schemes for moving to {self.short_name}, with their official "
            "sources."
        ).chars(160)

    def breadcrumbs(self):
        return [*home_breadcrumbs(), (self.short_name, self.get_absolute_url())]


class Category(SlugNamed, Audited, ShownOnPages):
    name = models.CharField(max_length=100)
    objects = NaturalKeyManager.from_queryset(RouteCountQuerySet)()
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [lowercase_slug("category")]

    def __str__(self):
        return self.name

    def pages(self):
        routes = self.routes.all()
        return routes.values_list("pk", flat=True), routes.values_list("jurisdiction", flat=True)


class RoutePagesOnly(ShownOnPages):
    """Shown on the pages of its routes (as a byline, a profession …)."""

    class Meta:
        abstract = True

    def pages(self):
        return self.routes.values_list("pk", flat=True), []


class Author(SlugNamed, Audited, RoutePagesOnly):
    name = models.CharField(max_length=120)
    bio = models.TextField(blank=True, help_text="Two or three sentences, shown on their page.")

    class Meta:
        ordering = ["name"]
        constraints = [lowercase_slug("author")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("guides:author", kwargs={"slug": self.slug})

    def breadcrumbs(self):
        return [*home_breadcrumbs(), (self.name, self.get_absolute_url())]

    def page_title(self):
        return f"{self.name}, Route Guide author"

    def page_description(self):
        return Truncator(self.bio or f"Route guides written by {self.name}.").chars(160)


class Profession(SlugNamed, Audited, RoutePagesOnly):
    name = models.CharField(max_length=120)
    objects = NaturalKeyManager.from_queryset(RouteCountQuerySet)()
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [lowercase_slug("profession")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("guides:profession", kwargs={"slug": self.slug})

    def breadcrumbs(self):
        return [*home_breadcrumbs(), (self.name, self.get_absolute_url())]

    def page_title(self):
        return f"Immigration routes for a {self.name.lower()}"

    def page_description(self):
        return Truncator(
            f"Visas and schemes that suit a {self.name.lower()}, across jurisdictions, each with "
            "its official sources."
        ).chars(160)


class SearchSynonym(NaturalKeyed, ShownOnPages):
    """A word visitors use for what the pages call otherwise: search looks for both."""

    word = models.CharField(
        max_length=60,
        unique=True,
        validators=[validate_lowercase],
        help_text="What a visitor types, in lowercase: “husband”, “pr”, “job offer”.",
    )
    means = models.CharField(
        max_length=60, help_text="The words the pages use: “spouse”, “permanent residence”."
    )

    natural_key_field = "word"

    class Meta:
        ordering = ["word"]

    def __str__(self):
        return f"{self.word} → {self.means}"

    def pages(self):
        """No page shows it, but search results change with it."""
        return [], []


class GlossaryTerm(SlugNamed, ShownOnPages):
    """A word the site uses, explained in plain words with its official source."""

    term = models.CharField(max_length=100)
    also = models.CharField(
        "other forms",
        max_length=200,
        blank=True,
        help_text="Other ways pages write it, separated by commas: “permanent residency, PR”.",
    )
    definition = models.TextField(help_text="Two or three plain sentences.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term

    def forms(self):
        """Every way pages write the term, longest first, so that a longer form wins."""
        found = [self.term, *(form.strip() for form in self.also.split(",") if form.strip())]
        return sorted(found, key=len, reverse=True)

    def get_absolute_url(self):
        return f"{reverse('guides:glossary')}#{self.slug}"

    def pages(self):
        # The first use of the term on any route page may link here.
        from .routes import Route

        return Route.objects.values_list("pk", flat=True), []
