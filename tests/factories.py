"""Small factories for test data: plain functions with sensible defaults."""

import itertools

from guides.models import (
    FAQ,
    Author,
    Blocker,
    Category,
    EligibilityCriterion,
    EvidenceItem,
    Jurisdiction,
    OfficialLink,
    PathwayStep,
    Profession,
    Route,
    Source,
)

_numbers = itertools.count(1)


def unique(prefix):
    return f"{prefix}-{next(_numbers)}"


def make_source(**fields):
    slug = unique("source")
    defaults = {
        "slug": slug,
        "publisher": "Immigration Department",
        "title": f"Official page {slug}",
        "url": f"https://www.example.gov/{slug}",
        "kind": Source.Kind.OFFICIAL,
        "as_at": "page undated",
    }
    return Source.objects.create(**(defaults | fields))


def make_jurisdiction(**fields):
    slug = fields.pop("slug", unique("land"))
    defaults = {"name": f"Republic of {slug}", "short_name": slug.title(), "slug": slug}
    return Jurisdiction.objects.create(**(defaults | fields))


def make_category(**fields):
    slug = fields.pop("slug", unique("category"))
    return Category.objects.create(**({"name": slug.title(), "slug": slug} | fields))


def make_author(**fields):
    slug = fields.pop("slug", unique("author"))
    return Author.objects.create(
        **({"name": slug.title(), "slug": slug, "bio": "Writes."} | fields)
    )


def make_profession(**fields):
    slug = fields.pop("slug", unique("profession"))
    return Profession.objects.create(**({"name": slug.title(), "slug": slug} | fields))


def make_route(**fields):
    slug = fields.pop("slug", unique("route"))
    defaults = {
        "name": f"Route {slug}",
        "slug": slug,
        "summary": f"Summary of {slug}.",
        "status": Route.Status.PUBLISHED,
    }
    fields = defaults | fields
    fields.setdefault("jurisdiction", make_jurisdiction())
    fields.setdefault("category", make_category())
    return Route.objects.create(**fields)


def add_parts(route, count, source=None):
    """Give a route `count` items in every section, all citing one source."""
    source = source or make_source()
    for n in range(count):
        common = {"route": route, "key": f"item-{n}", "position": n}
        EligibilityCriterion.objects.create(text=f"Criterion {n}", source=source, **common)
        Blocker.objects.create(text=f"Blocker {n}", source=source, **common)
        EvidenceItem.objects.create(text=f"Evidence {n}", source=source, **common)
        PathwayStep.objects.create(title=f"Step {n}", text=f"Do thing {n}.", **common)
        OfficialLink.objects.create(
            label="Official guidance",
            audience="Applicant",
            link_text=f"Official page {n}",
            url=f"https://www.example.gov/link-{n}",
            publisher="Immigration Department",
            **common,
        )
        FAQ.objects.create(question=f"Question {n}?", answer=f"Answer **{n}**.", **common)
        route.professions.add(make_profession())
        route.related_routes.add(make_route(jurisdiction=route.jurisdiction))
    return route
