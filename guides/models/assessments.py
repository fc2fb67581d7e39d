"""Self-assessments: a route's points grids and criteria tests, kept as cited content.

An assessment has factors (one question each) and each factor has options. How a grid is
scored is `guides/scoring.py`; these models hold the grid and turn it into that module's
plain data with `grid()`.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from .. import scoring
from .base import Audited, choice_check
from .catalogue import Source
from .pages import ShownOnPages, lock_public_content


class PassRule(models.TextChoices):
    POINTS = scoring.POINTS, "A minimum total of points"
    COUNT = scoring.COUNT, "A minimum number of criteria met"
    ANY = scoring.ANY, "Any one qualifying answer"
    POINTS_REQUIRED = scoring.POINTS_REQUIRED, "A minimum total, with some factors required"


class Combine(models.TextChoices):
    ONE = scoring.ONE, "Pick one option"
    SUM = scoring.SUM, "Tick several; their points add up"
    SUM_CAPPED = scoring.SUM_CAPPED, "Tick several; their points add up to the maximum"
    NUMBER = scoring.NUMBER, "The visitor enters a number, up to the maximum"


class AssessmentManager(models.Manager):
    def get_by_natural_key(self, jurisdiction_slug, route_slug, key):
        return self.get(
            route__jurisdiction__slug=jurisdiction_slug, route__slug=route_slug, key=key
        )

    def published(self):
        return self.filter(is_published=True)

    def for_page(self):
        """Published assessments with their factors, options and sources, in three queries."""
        return (
            self.published()
            .select_related("source", "route__jurisdiction")
            .prefetch_related(
                models.Prefetch(
                    "factors",
                    AssessmentFactor.objects.select_related("source").prefetch_related("options"),
                )
            )
        )


class Assessment(Audited, ShownOnPages):
    """A self-check for a route: QMAS's General Points Test, Canada's FSW grid."""

    PassRule = PassRule

    route = models.ForeignKey("guides.Route", on_delete=models.CASCADE, related_name="assessments")
    key = models.SlugField(
        max_length=50, help_text="A short, stable name within the route, e.g. “points-test”."
    )
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=200)
    explanation = models.TextField(help_text="What the test is and how it is passed, for readers.")
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The page that sets the pass rule.",
    )
    as_at = models.DateField(
        null=True, blank=True, help_text="The date of the grid on its source, if it gives one."
    )
    last_reviewed = models.DateField(null=True, blank=True)
    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Only a Publisher publishes a grid, once every row matches its source.",
    )
    unconfirmed_note = models.TextField(
        blank=True,
        help_text="For editors, never shown to visitors: which rows are not yet confirmed on "
        "an official page.",
    )
    rule = models.CharField("pass rule", max_length=20, choices=PassRule)
    pass_mark = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The points, or the number of criteria, needed. Empty for “any one”.",
    )

    # A change to a published grid is made on a copy, its draft, which a Publisher publishes
    # onto the original: the grid visitors use never shows half an edit.
    draft_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="draft",
    )
    based_on = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the original was last changed."
    )

    objects = AssessmentManager()

    class Meta:
        ordering = ["route", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["route", "key"], name="guides_assessment_key_unique"),
            models.CheckConstraint(
                condition=Q(draft_of__isnull=True) | Q(is_published=False),
                name="guides_assessment_draft_unpublished",
            ),
            choice_check("assessment", "rule", PassRule),
            models.CheckConstraint(
                condition=Q(rule=PassRule.ANY) | Q(pass_mark__isnull=False),
                name="guides_assessment_pass_mark_given",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.route})"

    def natural_key(self):
        return (*self.route.natural_key(), self.key)

    natural_key.dependencies = ["guides.route"]

    def pages(self):
        return [self.route_id], []

    def get_absolute_url(self):
        return self.route.get_absolute_url() + "self-assessment/"

    def start_draft(self, user):
        """The draft of a change to this published grid: a copy of it, factors and options
        included, that Editors change freely; the one already started if there is one."""
        with transaction.atomic():
            lock_public_content()  # before the grid's row: the order every writer keeps
            live = Assessment.objects.select_for_update().get(pk=self.pk)
            existing = Assessment.objects.filter(draft_of=live).first()
            if existing:
                return existing
            draft = Assessment.objects.get(pk=live.pk)
            draft.pk, draft.key, draft.is_published = None, f"{live.key[:44]}-draft", False
            draft.draft_of, draft.based_on = live, live.updated_at
            draft.created_by = draft.updated_by = user
            draft.created_at = timezone.now()
            draft.save()
            for factor in live.factors.prefetch_related("options"):
                options = list(factor.options.all())
                factor.pk, factor.assessment = None, draft
                factor.save()
                for option in options:
                    option.pk, option.factor = None, factor
                AssessmentOption.objects.bulk_create(options)
            return draft

    def publish_draft(self, user):
        """Put this draft's grid onto the published original and drop the draft. Refused if
        the original changed after the draft was made, or if the grid is not sound."""
        with transaction.atomic():
            lock_public_content()  # before the grid's row: the order every writer keeps
            live = Assessment.objects.select_for_update().get(pk=self.draft_of_id)
            if live.updated_at != self.based_on:
                raise ValidationError(
                    "The published grid was changed after this draft was made. Discard the "
                    "draft and make the change again, so that neither change is lost."
                )
            found = scoring.problems(self.grid())
            if found:
                raise ValidationError(found)
            live.factors.all().delete()
            self.factors.update(assessment=live)
            for field in DRAFTED_FIELDS:
                setattr(live, field, getattr(self, field))
            live.updated_by = user
            self.delete()
            live.save()
            return live

    def grid(self):
        """The grid as `guides.scoring` reads it. Reads the factors and options as fetched."""
        return scoring.Grid(
            self.rule, self.pass_mark, tuple(factor.scoring() for factor in self.factors.all())
        )


# What a draft carries over onto the published original.
DRAFTED_FIELDS = [
    "name",
    "explanation",
    "source",
    "as_at",
    "last_reviewed",
    "unconfirmed_note",
    "rule",
    "pass_mark",
]


class AssessmentFactorManager(models.Manager):
    def get_by_natural_key(self, jurisdiction_slug, route_slug, assessment_key, key):
        return self.get(
            assessment__route__jurisdiction__slug=jurisdiction_slug,
            assessment__route__slug=route_slug,
            assessment__key=assessment_key,
            key=key,
        )


class GridPart(ShownOnPages):
    """A factor or an option: changing one changes its assessment, so that a draft made
    before the change is not published over it (see Assessment.publish_draft)."""

    class Meta:
        abstract = True

    def assessment_id_of(self):
        raise NotImplementedError

    def grid_changed(self):
        Assessment.objects.filter(pk=self.assessment_id_of()).update(updated_at=timezone.now())

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.grid_changed()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.grid_changed()
        return result


class AssessmentFactor(GridPart):
    """One question of an assessment: age, education, a yes-or-no criterion."""

    Combine = Combine

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="factors")
    key = models.SlugField(max_length=50)
    position = models.PositiveIntegerField(default=0)
    name = models.CharField("question", max_length=300)
    explanation = models.TextField(blank=True)
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where this factor's points come from, if not the assessment's source.",
    )
    maximum = models.PositiveSmallIntegerField(
        help_text="The most points it gives; 1 for a criterion that is met or not."
    )
    required = models.BooleanField(
        default=False, help_text="A condition that must be met, whatever the total."
    )
    combine = models.CharField("answered by", max_length=20, choices=Combine, default=Combine.ONE)
    confirmed = models.BooleanField(
        default=True, help_text="Untick while its figures are not confirmed on an official page."
    )

    objects = AssessmentFactorManager()

    class Meta:
        ordering = ["assessment", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "key"], name="guides_assessmentfactor_key_unique"
            ),
            choice_check("assessmentfactor", "combine", Combine),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.assessment.natural_key(), self.key)

    natural_key.dependencies = ["guides.assessment"]

    def pages(self):
        return [self.assessment.route_id], []

    def assessment_id_of(self):
        return self.assessment_id

    def cited_source(self):
        return self.source or self.assessment.source

    def scoring(self):
        return scoring.Factor(
            self.key,
            self.name,
            self.maximum,
            self.combine,
            self.required,
            tuple(option.scoring() for option in self.options.all()),
        )


class AssessmentOptionManager(models.Manager):
    def get_by_natural_key(self, jurisdiction_slug, route_slug, assessment_key, factor_key, key):
        return self.get(
            factor__assessment__route__jurisdiction__slug=jurisdiction_slug,
            factor__assessment__route__slug=route_slug,
            factor__assessment__key=assessment_key,
            factor__key=factor_key,
            key=key,
        )


class AssessmentOption(GridPart):
    """One answer to a factor, with its points or whether it meets the criterion."""

    factor = models.ForeignKey(AssessmentFactor, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(max_length=50)
    position = models.PositiveIntegerField(default=0)
    label = models.CharField(max_length=300)
    points = models.SmallIntegerField(
        null=True, blank=True, help_text="Empty for a criterion that is met or not."
    )
    meets = models.BooleanField(
        "meets the criterion", default=False, help_text="For criteria tests: this answer counts."
    )
    hint = models.CharField(max_length=300, blank=True)

    objects = AssessmentOptionManager()

    class Meta:
        ordering = ["factor", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["factor", "key"], name="guides_assessmentoption_key_unique"
            ),
        ]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (*self.factor.natural_key(), self.key)

    natural_key.dependencies = ["guides.assessmentfactor"]

    def pages(self):
        return [self.factor.assessment.route_id], []

    def assessment_id_of(self):
        return self.factor.assessment_id

    def scoring(self):
        return scoring.Option(self.key, self.label, self.points, self.meets)
