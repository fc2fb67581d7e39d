"""Slugs that the site's own addresses use, and the rules for editors' slugs.

Jurisdictions live at the root of the site (/hong-kong/), so a jurisdiction may not take a
word that a fixed page uses, now or soon. `RESERVED_SLUGS` is also a database constraint
(fixtures load without `clean()`); a test checks that it holds every fixed first segment
of the URLconf, which `url_first_segments` reads.
"""

import re

from django.core.exceptions import ValidationError
from django.urls import URLResolver, get_resolver

RESERVED_SLUGS = frozenset(
    {
        "about",
        "accessibility",
        "admin",
        "api",
        "authors",
        "compare",
        "contact",
        "feeds",
        "finder",
        "glossary",
        "healthz",
        "how-we-check",
        "jurisdictions",
        "markdownx",
        "media",
        "privacy",
        "professions",
        "routes",
        "sitemaps",
        "search",
        "sources",
        "static",
        "terms",
    }
)


def url_first_segments(patterns=None):
    """The literal first path segments of the URLconf, looking through include('')."""
    segments = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver) and route == "":
            segments |= url_first_segments(pattern.url_patterns)
            continue
        first = route.split("/")[0].rstrip("$")
        # Only a segment shaped like a slug (not "sitemap.xml", not "<slug:slug>") can clash.
        if re.fullmatch(r"[-a-z0-9_]+", first):
            segments.add(first)
    return segments


def validate_lowercase(value):
    if value != value.lower():
        raise ValidationError(
            "Use lowercase letters only: “%(lower)s”.", params={"lower": value.lower()}
        )


def validate_jurisdiction_slug(value):
    if value in RESERVED_SLUGS | url_first_segments():
        raise ValidationError(
            "“/%(slug)s/” is an address the site uses for its own pages; choose another slug.",
            code="reserved",
            params={"slug": value},
        )
