import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from .markdown import render_markdown
from .slugs import RESERVED_SLUGS, validate_jurisdiction_slug, validate_lowercase


def home_breadcrumbs():
    return [("Home", reverse("guides:home"))]


class Audited(models.Model):
    """Who created and last changed a row, and when; filled by the admin."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

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


def choice_check(model_name, field, choices):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}),
        name=f"guides_{model_name}_{field}_valid",
    )


class Source(NaturalKeyed, Audited):
    """An official page that the site cites. One source backs many items and routes."""

    publisher = models.CharField(
        max_length=200,
        help_text="Who publishes the page, e.g. “Immigration Department (Hong Kong SAR)”.",
    )
    title = models.CharField(max_length=300)
    url = models.URLField("URL", max_length=500, unique=True)
    as_at = models.CharField(
        "as at",
        max_length=100,
        blank=True,
        help_text="The date the page itself shows, or “page undated”.",
    )
    last_verified = models.DateField(
        null=True, blank=True, help_text="When an editor last confirmed the page says what we cite."
    )

    natural_key_field = "url"

    class Meta:
        ordering = ["publisher", "title"]

    def __str__(self):
        return f"{self.publisher}: {self.title}"


class Country(NaturalKeyed):
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


class JurisdictionQuerySet(models.QuerySet):
    def with_published_routes(self):
        """Each jurisdiction with `published_routes`, ordered as its page groups them."""
        routes = Route.objects.published().for_listing().order_by("category", "name")
        return self.select_related("adviser_register").prefetch_related(
            Prefetch("routes", routes, to_attr="published_routes")
        )


class Jurisdiction(SlugNamed, Audited):
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
    adviser_register = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The regulator's public register of immigration advisers. Leave empty where "
        "no regulator exists or none is confirmed: the page then says so and links nowhere.",
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
        ]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("guides:jurisdiction", kwargs={"slug": self.slug})

    def breadcrumbs(self):
        return [*home_breadcrumbs(), (self.short_name, self.get_absolute_url())]


class Category(SlugNamed):
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [lowercase_slug("category")]

    def __str__(self):
        return self.name


class Author(SlugNamed):
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


class Profession(SlugNamed):
    name = models.CharField(max_length=120)
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


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    DEPENDS = "depends", "It depends"


class RouteQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Route.Status.PUBLISHED)

    def for_listing(self):
        return self.select_related("jurisdiction", "category")

    def for_page(self):
        """Everything a route page shows, in a fixed number of queries."""
        cited = ("source",)
        return self.select_related(
            "jurisdiction__adviser_register",
            "category",
            "author",
            "processing_time_source",
            "fees_source",
            "initial_stay_source",
            "notice_source",
        ).prefetch_related(
            Prefetch("criteria", EligibilityCriterion.objects.select_related(*cited)),
            Prefetch(
                "blockers",
                Blocker.objects.select_related(*cited).prefetch_related("excluded_nationalities"),
            ),
            Prefetch("evidence", EvidenceItem.objects.select_related(*cited)),
            "steps",
            "official_links",
            "faqs",
            "professions",
            "explored_by",
            "compare_with",
            Prefetch("related_routes", Route.objects.published().for_listing()),
        )


class RouteManager(models.Manager.from_queryset(RouteQuerySet)):
    def get_by_natural_key(self, jurisdiction_slug, slug):
        return self.get(jurisdiction__slug=jurisdiction_slug, slug=slug)


class RouteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Availability(models.TextChoices):
    OPEN = "open", "Open"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"


class Route(Audited):
    Status = RouteStatus
    Availability = Availability

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="routes")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="routes")
    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=20, blank=True)
    slug = models.SlugField(
        max_length=80, validators=[validate_lowercase], help_text="Unique within the jurisdiction."
    )
    summary = models.TextField(help_text="One or two sentences: who the route is for.")
    outcome = models.CharField(
        max_length=100, blank=True, help_text="A short line such as “Leads to settlement”."
    )
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.PROTECT, related_name="routes"
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="When an editor last confirmed the page is accurate."
    )
    status = models.CharField(max_length=10, choices=RouteStatus, default=RouteStatus.DRAFT)
    availability = models.CharField(max_length=10, choices=Availability, default=Availability.OPEN)
    closing_on = models.DateField(
        null=True, blank=True, help_text="For a closing route: the last day to apply."
    )

    notice = MarkdownxField(
        blank=True,
        help_text="A rule about to change or just changed. Markdown; shown as a warning.",
    )
    notice_html = models.TextField(blank=True, editable=False)
    notice_date = models.DateField(null=True, blank=True)
    notice_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    processing_time = models.TextField(blank=True)
    processing_time_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fees = models.TextField("government fees", blank=True)
    fees_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fee_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    fee_currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217, e.g. HKD.")
    fee_as_at = models.DateField("fee as at", null=True, blank=True)
    initial_stay = models.TextField("typical duration", blank=True)
    initial_stay_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    initial_stay_months = models.PositiveSmallIntegerField(null=True, blank=True)
    sponsorship_required = models.CharField(max_length=10, choices=Answer, blank=True)
    sponsorship_note = models.CharField(max_length=200, blank=True)
    leads_to_permanent_residency = models.CharField(max_length=10, choices=Answer, blank=True)
    permanent_residency_note = models.CharField(max_length=200, blank=True)

    overview = MarkdownxField(blank=True)
    overview_html = models.TextField(blank=True, editable=False)

    related_routes = models.ManyToManyField("self", symmetrical=False, blank=True)
    professions = models.ManyToManyField(Profession, blank=True, related_name="routes")
    explored_by = models.ManyToManyField(
        Country,
        blank=True,
        related_name="+",
        help_text="People from these countries often look at this route.",
    )
    compare_with = models.ManyToManyField(
        Jurisdiction, blank=True, related_name="+", verbose_name="compare this jurisdiction with"
    )

    content_updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = RouteManager()

    class Meta:
        ordering = ["jurisdiction__short_name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "slug"], name="guides_route_slug_unique_in_jurisdiction"
            ),
            lowercase_slug("route"),
            choice_check("route", "status", RouteStatus),
            choice_check("route", "availability", Availability),
            models.CheckConstraint(
                condition=Q(sponsorship_required="") | Q(sponsorship_required__in=Answer.values),
                name="guides_route_sponsorship_required_valid",
            ),
            models.CheckConstraint(
                condition=Q(leads_to_permanent_residency="")
                | Q(leads_to_permanent_residency__in=Answer.values),
                name="guides_route_leads_to_permanent_residency_valid",
            ),
            models.CheckConstraint(
                condition=~Q(availability="closing") | Q(closing_on__isnull=False),
                name="guides_route_closing_has_date",
            ),
            models.CheckConstraint(
                condition=Q(fee_amount__isnull=True)
                | (Q(fees_source__isnull=False) & ~Q(fee_currency="")),
                name="guides_route_fee_amount_cited",
            ),
            models.CheckConstraint(
                condition=Q(initial_stay_months__isnull=True)
                | Q(initial_stay_source__isnull=False),
                name="guides_route_initial_stay_cited",
            ),
            models.CheckConstraint(
                condition=Q(notice="")
                | (Q(notice_source__isnull=False) & Q(notice_date__isnull=False)),
                name="guides_route_notice_dated_and_cited",
            ),
        ]
        indexes = [
            # Jurisdiction pages and the home page list published routes of a jurisdiction.
            models.Index(fields=["jurisdiction", "status"], name="guides_route_jur_status_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        self.content_updated_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "guides:route", kwargs={"jurisdiction": self.jurisdiction.slug, "slug": self.slug}
        )

    def natural_key(self):
        return (self.jurisdiction.slug, self.slug)

    natural_key.dependencies = ["guides.jurisdiction"]

    def breadcrumbs(self):
        return [*self.jurisdiction.breadcrumbs(), (self.title, self.get_absolute_url())]

    @property
    def title(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def is_closed(self):
        return self.availability == self.Availability.CLOSED

    def render_markdown_fields(self):
        self.overview_html = render_markdown(self.overview)
        self.notice_html = render_markdown(self.notice)

    def clean(self):
        errors = {}
        if self.availability == self.Availability.CLOSING and not self.closing_on:
            errors["closing_on"] = "A closing route needs the last day to apply."
        if self.fee_amount is not None:
            if not self.fee_currency:
                errors["fee_currency"] = "Give the currency of the fee amount."
            if not self.fees_source_id:
                errors["fees_source"] = "A fee amount must cite its source."
        if self.initial_stay_months is not None and not self.initial_stay_source_id:
            errors["initial_stay_source"] = "An initial stay in months must cite its source."
        if self.notice:
            if not self.notice_date:
                errors["notice_date"] = "A notice needs the date it refers to."
            if not self.notice_source_id:
                errors["notice_source"] = "A notice must cite its source."
        if errors:
            raise ValidationError(errors)

    def key_facts(self):
        """The five key facts as (label, text, source), in the order the page shows them."""
        return [
            ("Processing time", self.processing_time, self.processing_time_source),
            ("Government fees", self.fees, self.fees_source),
            ("Typical duration", self.initial_stay, self.initial_stay_source),
            (
                "Sponsorship required",
                answer_text(self.sponsorship_required, self.sponsorship_note),
                None,
            ),
            (
                "Leads to permanent residency",
                answer_text(self.leads_to_permanent_residency, self.permanent_residency_note),
                None,
            ),
        ]

    def mark_content_updated(self):
        """Record that something the page shows changed, without saving the whole route."""
        self.content_updated_at = timezone.now()
        Route.objects.filter(pk=self.pk).update(content_updated_at=self.content_updated_at)

    def refresh_derived(self):
        """Rebuild what is derived from the route and its parts, and mark the content changed.

        The admin's save, `seed` and any import call this: `loaddata` saves rows raw and
        leaves rendered Markdown empty.
        """
        self.render_markdown_fields()
        self.content_updated_at = timezone.now()
        Route.objects.filter(pk=self.pk).update(
            overview_html=self.overview_html,
            notice_html=self.notice_html,
            content_updated_at=self.content_updated_at,
        )
        faqs = list(self.faqs.all())
        for faq in faqs:
            faq.render_markdown_fields()
        FAQ.objects.bulk_update(faqs, ["answer_html"])


def answer_text(answer, note):
    label = Answer(answer).label if answer else ""
    return " — ".join(part for part in (label, note) if part)


def new_item_key():
    return uuid.uuid4().hex[:12]


class RoutePartManager(models.Manager):
    def get_by_natural_key(self, jurisdiction_slug, route_slug, key):
        return self.get(
            route__jurisdiction__slug=jurisdiction_slug, route__slug=route_slug, key=key
        )


class RoutePart(models.Model):
    """An ordered part of a route page.

    `key` is the part's own stable name within its route (its natural key in fixtures), so
    that reloading fixtures never overwrites an item an editor added at the same position;
    `position` only orders, and is deliberately not unique so that editors can swap items.
    """

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="%(class)ss")
    key = models.SlugField(max_length=50, default=new_item_key, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    objects = RoutePartManager()

    class Meta:
        abstract = True
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "key"], name="guides_%(class)s_key_unique_in_route"
            )
        ]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.route.mark_content_updated()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.route.mark_content_updated()
        return result

    def natural_key(self):
        return (*self.route.natural_key(), self.key)

    natural_key.dependencies = ["guides.route"]


class CitedItem(RoutePart):
    """A statement on a route page that cites the official page it comes from."""

    text = models.TextField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")

    class Meta(RoutePart.Meta):
        abstract = True

    def __str__(self):
        return self.text[:80]


class EligibilityCriterion(CitedItem):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="criteria")

    class Meta(CitedItem.Meta):
        verbose_name = "eligibility criterion"
        verbose_name_plural = "eligibility criteria"


class Blocker(CitedItem):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="blockers")
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
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="evidence")

    class Meta(CitedItem.Meta):
        verbose_name = "evidence item"
        verbose_name_plural = "typical evidence"


class PathwayStep(RoutePart):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)

    class Meta(RoutePart.Meta):
        verbose_name = "application step"

    def __str__(self):
        return self.title


class OfficialLink(RoutePart):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="official_links")
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

    def __str__(self):
        return self.link_text


class FAQ(RoutePart):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="faqs")
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
