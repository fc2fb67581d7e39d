from datetime import datetime, time, timedelta

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from markdownx.models import MarkdownxField

from ..finder import PURPOSE_WORDS, age_limit_words
from ..markdown import render_markdown
from ..slugs import validate_lowercase
from .aliases import Moved, RouteAlias
from .assessments import Assessment
from .base import Audited, add_months, choice_check, lowercase_slug, prefetched
from .catalogue import Author, Category, Country, Jurisdiction, Profession, Source
from .pages import ShownOnPages, lock_public_content, pages_changed
from .parts import FAQ, Blocker


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    DEPENDS = "depends", "It depends"


def published_filter(prefix=""):
    """What "published" means, for routes or (with `prefix`, e.g. "routes__") for rows that
    reach routes through a relation. Visitors see nothing else."""
    return Q(**{f"{prefix}status": RouteStatus.PUBLISHED})


class RouteQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_filter())

    def for_listing(self):
        return self.select_related("jurisdiction", "category")

    def citing(self, source):
        """Routes whose page cites `source`, in a key fact, the notice or an item."""
        from ..citations import route_citation_filter

        return self.filter(route_citation_filter(source)).distinct()

    def find_moved(self, jurisdiction_slug, slug):
        """Where a route address that the normal lookup missed leads (see aliases)."""
        jurisdiction = Jurisdiction.objects.find_moved(jurisdiction_slug).target
        if jurisdiction is None:
            return Moved()
        slug = slug.lower()
        route = self.published().filter(jurisdiction=jurisdiction, slug=slug).first()
        if route:
            return Moved(route)
        alias = (
            RouteAlias.objects.filter(jurisdiction=jurisdiction, slug=slug)
            .select_related("route__jurisdiction")
            .first()
        )
        if alias is None:
            return Moved()
        if alias.route is None:
            return Moved(gone=True)
        return Moved(alias.route if alias.route.is_published else None)

    def page(self, **lookups):
        """The route these lookups find, with everything its page shows; None if none."""
        route = self.with_page_relations().filter(**lookups).first()
        return prefetch_page(route) if route else None

    def with_page_relations(self):
        """The route's row, its stored parts and the few rows it points to, in one query;
        `prefetch_page()` adds the rest, once a conditional GET has not already been
        answered with 304."""
        return (
            self.defer(None)
            .select_related(
                "jurisdiction__adviser_register",
                "jurisdiction__adviser_note_source",
                "category",
                "author",
                "dependants_route__jurisdiction",
            )
            .defer("dependants_route__page_parts")
        )


def page_prefetches():
    """What a route page shows from other rows than its own and its parts."""
    return [
        "professions",
        "compare_with",
        Prefetch("related_routes", Route.objects.published().for_listing()),
        Prefetch("assessments", Assessment.objects.published(), to_attr="published_assessments"),
    ]


def prefetch_page(route):
    """Everything the page of a route fetched `with_page_relations()` shows, in a fixed
    number of queries: its parts come from the copy stored with its row (`page_parts`)."""
    # A route loaded raw (`loaddata`, `bulk_create`) has none stored until its next refresh.
    stored = route.page_parts or page_parts_of(with_stored_rows(Route.objects).get(pk=route.pk))
    parts = {
        relation: list(serializers.deserialize("python", rows, ignorenonexistent=True))
        for relation, rows in stored["parts"].items()
    }
    country_ids = {*stored["open_only_to"], *stored["explored_by"]}
    for part in parts["blockers"]:
        country_ids.update(part.m2m_data["excluded_nationalities"])
    countries = Country.objects.in_bulk(country_ids)
    for relation, rows in parts.items():
        for row in rows:
            row.object.route = route
            row.object._state.adding, row.object._state.db = False, route._state.db
            for name, ids in row.m2m_data.items():
                prefetched(row.object, name, [countries[pk] for pk in ids if pk in countries])
        prefetched(route, relation, [row.object for row in rows])
    for name in ["open_only_to", "explored_by"]:
        prefetched(route, name, [countries[pk] for pk in stored[name] if pk in countries])
    models.prefetch_related_objects([route], *page_prefetches())
    attach_cited_sources(route)
    return route


def attach_cited_sources(route):
    """The sources of the route's facts and items, read in one query. Joined to the route's
    row instead, they made a query PostgreSQL took 18 ms to plan."""
    facts = [field for field in Route._meta.concrete_fields if field.related_model is Source]
    items = [*route.criteria.all(), *route.blockers.all(), *route.evidence.all()]
    wanted = {getattr(route, field.attname) for field in facts} | {i.source_id for i in items}
    sources = Source.objects.in_bulk(wanted - {None})
    for field in facts:
        if getattr(route, field.attname) is not None:
            setattr(route, field.name, sources[getattr(route, field.attname)])
    for item in items:
        item.source = sources[item.source_id]


def store_page_parts(route_ids=None):
    """Store with each route (all when None) the rows of its parts, as its page shows them, and
    the countries it names: its page then reads them with its own row. Runs whenever they
    may have changed (`refresh_pages`), like the search vector."""
    routes = Route.objects.all() if route_ids is None else Route.objects.filter(pk__in=route_ids)
    for route in with_stored_rows(routes.only("pk")).iterator(chunk_size=500):
        Route.objects.filter(pk=route.pk).update(page_parts=page_parts_of(route))


def with_stored_rows(routes):
    return routes.prefetch_related(
        *Route.SHOWN_PARTS, "blockers__excluded_nationalities", "open_only_to", "explored_by"
    )


def page_parts_of(route):
    """What `store_page_parts` stores for a route fetched `with_stored_rows()`."""
    return {
        "parts": {
            relation: serializers.serialize("python", getattr(route, relation).all())
            for relation in Route.SHOWN_PARTS
        },
        "open_only_to": [country.pk for country in route.open_only_to.all()],
        "explored_by": [country.pk for country in route.explored_by.all()],
    }


class RouteManager(models.Manager.from_queryset(RouteQuerySet)):
    def get_queryset(self):
        # The stored parts are for the route's own page (`with_page_relations()`): lists of
        # routes, which are most queries, leave them in the database.
        return super().get_queryset().defer("page_parts")

    def get_by_natural_key(self, jurisdiction_slug, slug):
        return self.get(jurisdiction__slug=jurisdiction_slug, slug=slug)


class RouteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Purpose(models.TextChoices):
    WORK = "work", "Work"
    SETTLE = "settle", "Settle"
    STUDY = "study", "Study or stay on after graduating"
    FAMILY = "family", "Join family"
    INVEST = "invest", "Invest or start a business"


class AgeRule(models.TextChoices):
    UNKNOWN = "", "Not confirmed"
    NONE = "none", "No age limit"
    LIMITS = "limits", "The limits below"


# The key facts' names, in the words every page uses.
FACT_LABELS = {
    "processing_time": "How long it takes to get a decision",
    "fees": "What it costs (government fees)",
    "initial_stay": "How long you can stay at first",
    "sponsorship": "Needs a job offer or sponsor",
    "permanent_residency": "Leads to permanent residence",
}

# What a route leads to, in the words every page uses.
OUTCOMES = {
    Answer.YES: "Leads to permanent residence",
    Answer.DEPENDS: "Can lead to permanent residence",
    Answer.NO: "Temporary only",
}


class Availability(models.TextChoices):
    OPEN = "open", "Open"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"


def source_field(**options):
    """An optional source that one fact of a route cites."""
    return models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+", **options
    )


class Route(Audited, ShownOnPages):
    Status = RouteStatus
    Availability = Availability
    Purpose = Purpose
    AgeRule = AgeRule
    # The related names of the parts that make up the page with the route itself.
    PART_RELATIONS = ["criteria", "blockers", "evidence", "steps", "official_links", "faqs"]
    # The parts its page shows, stored with its row (`store_page_parts`).
    SHOWN_PARTS = [*PART_RELATIONS, "change_notes"]

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="routes")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="routes")
    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=20, blank=True)
    slug = models.SlugField(
        max_length=80, validators=[validate_lowercase], help_text="Unique within the jurisdiction."
    )
    summary = models.TextField(help_text="One or two sentences: who the route is for.")
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.PROTECT, related_name="routes"
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="When an editor last confirmed the page is accurate."
    )
    status = models.CharField(
        max_length=10, choices=RouteStatus, default=RouteStatus.DRAFT, editable=False
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_cycle_months = models.PositiveSmallIntegerField(
        "review every (months)",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text="The page is due for review this many calendar months after it was last "
        "reviewed. Set it shorter when a rule is about to change.",
    )
    availability = models.CharField(max_length=10, choices=Availability, default=Availability.OPEN)
    closing_on = models.DateField(
        null=True, blank=True, help_text="For a closing route: the last day to apply."
    )

    notice = MarkdownxField(
        blank=True,
        help_text="A rule about to change or just changed. Markdown; shown as a warning.",
    )
    notice_html = models.TextField(blank=True, editable=False)
    notice_date = models.DateField(
        null=True,
        blank=True,
        help_text="The date the change was announced or takes effect. Leave it empty where the "
        "source you cite does not give it.",
    )
    notice_source = source_field()

    processing_time = models.TextField(blank=True)
    processing_time_source = source_field()
    fees = models.TextField("government fees", blank=True)
    fees_source = source_field()
    fee_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    fee_currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217, e.g. HKD.")
    fee_as_at = models.DateField("fee as at", null=True, blank=True)
    initial_stay = models.TextField("typical duration", blank=True)
    initial_stay_source = source_field()
    initial_stay_months = models.PositiveSmallIntegerField(null=True, blank=True)
    sponsorship_required = models.CharField(
        "job offer or sponsor needed", max_length=10, choices=Answer, blank=True
    )
    sponsorship_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="When it depends: on what, e.g. “Needed for some provincial streams”.",
    )
    sponsorship_source = source_field()
    leads_to_permanent_residency = models.CharField(max_length=10, choices=Answer, blank=True)
    permanent_residency_note = models.CharField(max_length=200, blank=True)
    permanent_residency_source = source_field(
        help_text="Cite it when the note states a figure, such as the years it takes.",
    )

    # Who can apply: the facts the route finder reads. Leave a rule "not confirmed" unless an
    # official page states it: the finder then tells visitors to check the official page.
    purpose = models.CharField(
        max_length=10,
        choices=Purpose,
        blank=True,
        help_text="What the route is for. A route that grants permanent residence is “Settle”.",
    )
    age_rule = models.CharField(
        "age limit", max_length=10, choices=AgeRule, blank=True, default=AgeRule.UNKNOWN
    )
    minimum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="At the date of application."
    )
    maximum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="At the date of application."
    )
    age_source = source_field()
    open_only_to = models.ManyToManyField(
        Country,
        blank=True,
        related_name="+",
        help_text="Only for a route open to people of some countries alone; leave it empty "
        "for a route open to every nationality. Nationalities a route excludes go on its "
        "blockers.",
    )
    nationality_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="The rule as the official page puts it, e.g. “Chinese residents of the "
        "Mainland”.",
    )
    nationality_source = source_field()

    # Your partner and children: what the route allows the family, cited. Leave a fact
    # unconfirmed unless an official page states it; the page then says where to check.
    partner_can_come = models.CharField(
        "partner can come", max_length=10, choices=Answer, blank=True
    )
    partner_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Which partners (spouse, civil or unmarried "
        "partner) and on what condition, in a sentence.",
    )
    partner_can_work = models.CharField(
        "partner may work", max_length=10, choices=Answer, blank=True
    )
    partner_work_note = models.CharField(max_length=300, blank=True)
    children_up_to = models.PositiveSmallIntegerField(
        "children up to age",
        null=True,
        blank=True,
        help_text="The oldest age a dependent child may be: 17 for “under 18”.",
    )
    children_note = models.CharField(max_length=300, blank=True)
    parents_can_come = models.CharField(
        "parents can come", max_length=10, choices=Answer, blank=True
    )
    dependant_fee = models.CharField(
        "fee for each family member",
        max_length=300,
        blank=True,
        help_text="A verified fee, with its currency and as-at date.",
    )
    dependant_fee_source = source_field()
    family_source = source_field(
        help_text="The source of the facts about the partner, children and parents.",
    )
    dependants_route = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The route the family applies through, where it is a route of its own.",
    )

    overview = MarkdownxField(blank=True)
    overview_html = models.TextField(blank=True, editable=False)

    seo_title = models.CharField(
        "title for search engines",
        max_length=70,
        blank=True,
        help_text="Shown in search results and the browser tab. Leave empty for “Name (ACRONYM): "
        "Jurisdiction”.",
    )
    meta_description = models.CharField(
        max_length=160,
        blank=True,
        help_text="The snippet under the title in search results. Leave empty to use the summary.",
    )

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
    page_parts = models.JSONField(default=dict, editable=False, encoder=DjangoJSONEncoder)

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
                condition=Q(review_cycle_months__gte=1), name="guides_route_review_cycle_positive"
            ),
            choice_check("route", "purpose", Purpose, blank=True),
            choice_check("route", "age_rule", AgeRule),
            *(
                models.CheckConstraint(
                    condition=Q(**{field: ""}) | Q(**{f"{field}__in": Answer.values}),
                    name=f"guides_route_{field}_valid",
                )
                for field in ["partner_can_come", "partner_can_work", "parents_can_come"]
            ),
            models.CheckConstraint(
                condition=Q(
                    partner_can_come="",
                    partner_can_work="",
                    parents_can_come="",
                    children_up_to__isnull=True,
                )
                | Q(family_source__isnull=False),
                name="guides_route_family_cited",
            ),
            models.CheckConstraint(
                condition=Q(dependant_fee="") | Q(dependant_fee_source__isnull=False),
                name="guides_route_dependant_fee_cited",
            ),
            models.CheckConstraint(
                condition=Q(age_rule="") | Q(age_source__isnull=False),
                name="guides_route_age_rule_cited",
            ),
            models.CheckConstraint(
                condition=Q(age_rule=AgeRule.LIMITS)
                & (Q(minimum_age__isnull=False) | Q(maximum_age__isnull=False))
                | ~Q(age_rule=AgeRule.LIMITS)
                & Q(minimum_age__isnull=True, maximum_age__isnull=True),
                name="guides_route_age_limits_given",
            ),
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="guides_route_age_limits_ordered",
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
                condition=Q(notice="") | Q(notice_source__isnull=False),
                name="guides_route_notice_cited",
            ),
        ]
        permissions = [("publish_route", "Can publish and unpublish routes")]
        indexes = [
            # Jurisdiction pages and the home page list published routes of a jurisdiction.
            models.Index(fields=["jurisdiction", "status"], name="guides_route_jur_status_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        previous_address = (
            Route.objects.filter(pk=self.pk).values_list("jurisdiction_id", "slug").first()
        )
        with transaction.atomic():
            super().save(*args, **kwargs)
            if previous_address != (self.jurisdiction_id, self.slug):
                self._move_address(previous_address)
                if previous_address:
                    pages_changed(jurisdiction_ids=[previous_address[0]])

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            # The address answers 410 from now on.
            RouteAlias.objects.update_or_create(
                jurisdiction_id=self.jurisdiction_id, slug=self.slug, defaults={"route": None}
            )
            return super().delete(*args, **kwargs)

    def pages(self):
        """Its own page, its jurisdiction's list, and the routes that link to it."""
        linking = Route.objects.filter(related_routes=self).values_list("pk", flat=True)
        # Route pages offer routes of the same purpose elsewhere to compare with.
        same_purpose = (
            Route.objects.filter(purpose=self.purpose).exclude(jurisdiction=self.jurisdiction_id)
            if self.purpose
            else Route.objects.none()
        )
        return [self.pk, *linking, *same_purpose.values_list("pk", flat=True)], [
            self.jurisdiction_id
        ]

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
    def is_published(self):
        return self.status == RouteStatus.PUBLISHED

    @property
    def last_updated(self):
        """The date the page shows as "Last updated" (and JSON-LD's dateModified): the newest
        public change note; a minor fix published without a note leaves it alone."""
        notes = self.change_notes.all()
        return notes[0].published_at if notes else self.first_published_at or self.created_at

    @property
    def review_due_on(self):
        if self.last_reviewed is None:
            return None
        return add_months(self.last_reviewed, self.review_cycle_months)

    def review_state(self, today=None):
        """ok, due soon (within REVIEW_DUE_SOON_DAYS) or overdue, in the site's time zone."""
        today = today or timezone.localdate()
        due = self.review_due_on
        if due is None or today >= due:
            return ReviewState.OVERDUE
        if today >= due - timedelta(days=REVIEW_DUE_SOON_DAYS):
            return ReviewState.DUE_SOON
        return ReviewState.OK

    def page_version(self):
        """(tag, last modified) of everything the page shows, from the stored moment it last
        changed (see models/pages.py). The review state changes with the calendar, not with
        an edit, so it counts too."""
        changed = self.content_updated_at
        since = self.review_state_since()
        moment = max(changed, since) if since else changed
        return f"{self.pk}-{changed.timestamp()}-{self.review_state()}", moment

    def review_state_since(self, today=None):
        """Midnight (site time) when the current review state began, for Last-Modified."""
        due = self.review_due_on
        state = self.review_state(today)
        if due is None or state == ReviewState.OK:
            return None
        start = due if state == ReviewState.OVERDUE else due - timedelta(days=REVIEW_DUE_SOON_DAYS)
        return timezone.make_aware(datetime.combine(start, time.min))

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
        if self.notice and not self.notice_source_id:
            errors["notice_source"] = "A notice must cite its source."
        errors.update(self.age_rule_errors())
        if self.family_facts_given() and not self.family_source_id:
            errors["family_source"] = "Facts about the family must cite their source."
        if self.dependant_fee and not self.dependant_fee_source_id:
            errors["dependant_fee_source"] = "A fee must cite its source."
        if self.age_rule and not self.age_source_id:
            errors["age_source"] = "An age rule must cite its source."
        if errors:
            raise ValidationError(errors)

    def age_rule_errors(self):
        if self.age_rule != AgeRule.LIMITS:
            if self.minimum_age is not None or self.maximum_age is not None:
                return {"age_rule": "Choose “The limits below” to give an age limit."}
            return {}
        errors = {}
        if self.minimum_age is None and self.maximum_age is None:
            errors["minimum_age"] = "Give a minimum age, a maximum age or both."
        elif None not in (self.minimum_age, self.maximum_age) and (
            self.minimum_age > self.maximum_age
        ):
            errors["maximum_age"] = "The maximum age is below the minimum."
        return errors

    @property
    def outcome(self):
        """The line above the title, one of a fixed few, from the permanent-residency key
        fact: so that every page says the same thing in the same words."""
        return OUTCOMES.get(self.leads_to_permanent_residency, "")

    def sponsorship_text(self):
        return answer_text(self.sponsorship_required, self.sponsorship_note)

    def permanent_residency_text(self):
        return answer_text(self.leads_to_permanent_residency, self.permanent_residency_note)

    def key_facts(self):
        """The key facts as (label, text, source), in the order the page shows them."""
        return [
            (FACT_LABELS["processing_time"], self.processing_time, self.processing_time_source),
            (FACT_LABELS["fees"], self.fees, self.fees_source),
            (FACT_LABELS["initial_stay"], self.initial_stay, self.initial_stay_source),
            (self.sponsorship_label(), self.sponsorship_text(), self.sponsorship_source),
            (
                FACT_LABELS["permanent_residency"],
                self.permanent_residency_text(),
                self.permanent_residency_source,
            ),
            *self.who_can_apply(),
        ]

    def sponsorship_label(self):
        """What "sponsor" means for this route: a family member on a family route."""
        if self.purpose == Purpose.FAMILY:
            return "Needs a family member to sponsor you"
        return FACT_LABELS["sponsorship"]

    def purpose_text(self):
        return f"A route {PURPOSE_WORDS[self.purpose]}." if self.purpose else ""

    def age_text(self):
        """The age rule in a sentence, or "" when it is not confirmed."""
        if self.age_rule == AgeRule.LIMITS:
            return f"You must be {age_limit_words(self.minimum_age, self.maximum_age)}."
        return "No age limit." if self.age_rule == AgeRule.NONE else ""

    def nationality_text(self):
        """Who alone may apply, for a route open only to some countries; else "". Reads
        `open_only_to` as prefetched."""
        open_only_to = self.open_only_to.all()
        if not open_only_to:
            return ""
        return f"Only for {self.nationality_note or ', '.join(map(str, open_only_to))}."

    def family_facts_given(self):
        return any(
            [
                self.partner_can_come,
                self.partner_can_work,
                self.parents_can_come,
                self.children_up_to is not None,
            ]
        )

    def family(self):
        """ "Your partner and children" as (label, text, source); a fact not confirmed has no
        text, and the page says where to check."""
        children = self.children_note
        if self.children_up_to is not None:
            children = f"Children under {self.children_up_to + 1} can come. {children}".strip()
        facts = [
            ("Your partner", answer_text(self.partner_can_come, self.partner_note)),
            ("Can your partner work?", answer_text(self.partner_can_work, self.partner_work_note)),
            ("Your children", children),
            ("Your parents", answer_text(self.parents_can_come, "")),
        ]
        return [
            *((label, text, self.family_source if text else None) for label, text in facts),
            ("What it costs for each family member", self.dependant_fee, self.dependant_fee_source),
        ]

    def family_summary(self):
        """The family facts in one line, for comparisons; "" when none is confirmed."""
        if not self.family_facts_given():
            return ""
        come = Answer(self.partner_can_come).label if self.partner_can_come else "not confirmed"
        work = Answer(self.partner_can_work).label if self.partner_can_work else "not confirmed"
        children = (
            f"under {self.children_up_to + 1}"
            if self.children_up_to is not None
            else "not confirmed"
        )
        return f"Partner can come: {come}. Partner may work: {work}. Children: {children}."

    def who_can_apply(self):
        """The structured eligibility facts that say something, as key facts. Reads only
        what `prefetch_page()` fetched."""
        facts = []
        if self.purpose:
            facts.append(("What it is for", self.purpose_text(), None))
        if self.age_rule:
            facts.append(("Age", self.age_text(), self.age_source))
        if self.open_only_to.all():
            facts.append(("Nationality", self.nationality_text(), self.nationality_source))
        return facts

    def cited_sources(self):
        """Every source the page cites, once each, in the order the page first cites it.
        Reads only what `prefetch_page()` fetched."""
        from ..citations import ROUTE_FIELDS, ROUTE_PARTS, SHARED_WITH_ROUTES, part_relation

        items = [item for part in ROUTE_PARTS for item in getattr(self, part_relation(part)).all()]
        sources = [
            *(getattr(self, field) for field in ROUTE_FIELDS),
            *(item.source for item in items),
            *(getattr(self.jurisdiction, field) for field in SHARED_WITH_ROUTES),
        ]
        return list(dict.fromkeys(source for source in sources if source is not None))

    def _move_address(self, previous_address):
        """Keep the old address as an alias, and take the new one over from any alias."""
        RouteAlias.objects.filter(jurisdiction_id=self.jurisdiction_id, slug=self.slug).delete()
        if previous_address:
            jurisdiction_id, slug = previous_address
            RouteAlias.objects.update_or_create(
                jurisdiction_id=jurisdiction_id, slug=slug, defaults={"route": self}
            )

    def page_title(self):
        return self.seo_title or f"{self.title}: {self.jurisdiction.short_name}"

    def page_description(self):
        return self.meta_description or Truncator(self.summary).chars(160)

    def render_derived(self):
        """Render the route's and its FAQs' Markdown: `loaddata` saves rows raw, so `seed`
        and imports call this after loading."""
        self.render_markdown_fields()
        Route.objects.filter(pk=self.pk).update(
            overview_html=self.overview_html, notice_html=self.notice_html
        )
        faqs = list(self.faqs.all())
        for faq in faqs:
            faq.render_markdown_fields()
        FAQ.objects.bulk_update(faqs, ["answer_html"])


REVIEW_DUE_SOON_DAYS = 30


class ReviewState(models.TextChoices):
    OK = "ok", "OK"
    DUE_SOON = "due-soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


def answer_text(answer, note):
    label = Answer(answer).label if answer else ""
    return " — ".join(part for part in (label, note) if part)


@receiver(m2m_changed, sender=Route.open_only_to.through)
@receiver(m2m_changed, sender=Route.explored_by.through)
@receiver(m2m_changed, sender=Route.professions.through)
@receiver(m2m_changed, sender=Route.compare_with.through)
@receiver(m2m_changed, sender=Route.related_routes.through)
@receiver(m2m_changed, sender=Blocker.excluded_nationalities.through)
def many_to_many_shown_on_pages(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A row's list of related rows changed: its pages change as a save of the row would, in
    the same transaction (Django's), with the same lock taken first."""
    if action.startswith("pre_"):
        lock_public_content()
    elif not reverse:
        pages_changed(*instance.pages())
    elif pk_set:  # changed from the other side: the rows whose lists changed are in pk_set
        for row in model.objects.filter(pk__in=pk_set):
            pages_changed(*row.pages())
