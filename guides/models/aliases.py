"""Old addresses. When an editor changes a slug, the old URL answers 301 to the new one for
good; a deleted route's address answers 410. The normal lookup always runs first, so an
object that later takes an old slug wins over the alias."""

from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from .base import lowercase_slug


@dataclass(frozen=True)
class Moved:
    """Where an address that the normal lookup missed leads: a page to redirect to, or gone."""

    target: models.Model | None = None
    gone: bool = False


class JurisdictionAlias(models.Model):
    jurisdiction = models.ForeignKey(
        "guides.Jurisdiction", on_delete=models.CASCADE, related_name="aliases"
    )
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["slug"]
        verbose_name_plural = "jurisdiction aliases"
        constraints = [lowercase_slug("jurisdictionalias")]

    def __str__(self):
        return f"/{self.slug}/ → {self.jurisdiction}"


class RouteAlias(models.Model):
    jurisdiction = models.ForeignKey(
        "guides.Jurisdiction", on_delete=models.CASCADE, related_name="route_aliases"
    )
    slug = models.SlugField(max_length=80)
    route = models.ForeignKey(
        "guides.Route",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="aliases",
        help_text="Empty once the route is deleted: its old addresses then answer 410 Gone.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["jurisdiction", "slug"]
        verbose_name_plural = "route aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "slug"], name="guides_routealias_unique_address"
            ),
            lowercase_slug("routealias"),
        ]

    def __str__(self):
        return f"{self.jurisdiction.slug}/{self.slug} → {self.route or 'gone'}"
