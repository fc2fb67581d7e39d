"""Reading routes for weighing them: the finder's facts, routes side by side, and two
jurisdictions side by side. Each reads a fixed number of queries, however many routes."""

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from .finder import RouteFacts
from .models import Blocker, Jurisdiction, Route
from .models.routes import FACT_LABELS, Purpose

MOST_COMPARED = 4


def route_key(route):
    """A route's name in a comparison's address: "hong-kong/qmas"."""
    return f"{route.jurisdiction.slug}/{route.slug}"


# Route field → RouteFacts field: what the finder reads of each route.
FINDER_FIELDS = {
    "purpose": "purpose",
    "sponsorship_required": "sponsorship",
    "sponsorship_note": "sponsorship_note",
    "leads_to_permanent_residency": "permanent_residency",
    "permanent_residency_note": "permanent_residency_note",
    "availability": "availability",
    "closing_on": "closing_on",
    "age_rule": "age_rule",
    "minimum_age": "minimum_age",
    "maximum_age": "maximum_age",
    "nationality_note": "nationality_note",
    "partner_can_come": "partner_can_come",
    "partner_can_work": "partner_can_work",
}


def finder_facts(routes):
    """{route id: RouteFacts} for `routes`, in page order, in four queries: plain values,
    not model instances, since a catalogue may hold thousands."""
    rows = routes.order_by("jurisdiction__short_name", "name").values(
        "pk", "jurisdiction__slug", "slug", *FINDER_FIELDS
    )
    ids = routes.values("pk")
    excluded, open_only_to, professions = defaultdict(set), defaultdict(set), defaultdict(set)
    through = Blocker.excluded_nationalities.through.objects.filter(blocker__route__in=ids)
    for route_id, code in through.values_list("blocker__route_id", "country__code"):
        excluded[route_id].add(code)
    through = Route.open_only_to.through.objects.filter(route__in=ids)
    for route_id, code in through.values_list("route_id", "country__code"):
        open_only_to[route_id].add(code)
    through = Route.professions.through.objects.filter(route__in=ids)
    for route_id, slug in through.values_list("route_id", "profession__slug"):
        professions[route_id].add(slug)
    return {
        row["pk"]: RouteFacts(
            key=f"{row['jurisdiction__slug']}/{row['slug']}",
            open_only_to=frozenset(open_only_to[row["pk"]]),
            excluded=frozenset(excluded[row["pk"]]),
            professions=frozenset(professions[row["pk"]]),
            **{fact: row[field] for field, fact in FINDER_FIELDS.items()},
        )
        for row in rows
    }


def routes_to_compare(keys):
    """The published routes named by `keys` ("jurisdiction/slug"), in the order given, with
    everything the comparison shows; and the keys that name no published route."""
    wanted = [key.split("/", 1) for key in keys if key.count("/") == 1]
    found = {}
    if wanted:
        slugs = {slug for _, slug in wanted}
        routes = (
            Route.objects.published()
            .filter(slug__in=slugs, jurisdiction__slug__in={j for j, _ in wanted})
            .select_related(
                "jurisdiction",
                "category",
                "fees_source",
                "initial_stay_source",
                "processing_time_source",
                "sponsorship_source",
                "permanent_residency_source",
                "age_source",
                "nationality_source",
                "family_source",
            )
            .prefetch_related(
                "open_only_to",
                "official_links",
                "blockers__excluded_nationalities",
            )
            .annotate(criteria_count=Count("criteria", distinct=True))
        )
        found = {route_key(route): route for route in routes}
    return [found[key] for key in keys if key in found], [key for key in keys if key not in found]


MOST_SUGGESTED = 20


def routes_to_add(routes):
    """A short list of routes to add to a comparison: those of the same purposes as the
    routes compared, elsewhere first."""
    purposes = {route.purpose for route in routes if route.purpose}
    return (
        Route.objects.published()
        .filter(purpose__in=purposes)
        .exclude(pk__in=[route.pk for route in routes])
        .select_related("jurisdiction")
        .order_by("jurisdiction__short_name", "name")[:MOST_SUGGESTED]
    )


def compare_url(keys):
    """/compare/?routes=a/b,c/d with its "/" and "," left readable."""
    return reverse("guides:compare") + "?" + urlencode({"routes": ",".join(keys)}, safe="/,")


def pair_url(first, second):
    """The address comparing two jurisdictions: their slugs in alphabetical order."""
    return reverse(
        "guides:compare-jurisdictions", args=["-vs-".join(sorted([first.slug, second.slug]))]
    )


def comparisons_for_page(route):
    """What a route page offers: [(jurisdiction, pair address)] for the jurisdictions it names
    under "compare with", and [(route, comparison address)] for routes to set beside it."""
    jurisdictions = [
        (other, pair_url(route.jurisdiction, other)) for other in route.compare_with.all()
    ]
    routes = [
        (other, compare_url([route_key(route), route_key(other)]))
        for other in other_routes_to_compare(route)
    ]
    return jurisdictions, routes


def other_routes_to_compare(route):
    """Routes to set beside `route`: its related routes, and routes for the same purpose in
    other jurisdictions; a short list, not the whole catalogue."""
    same_purpose = (
        Route.objects.published()
        .filter(purpose=route.purpose)
        .exclude(jurisdiction=route.jurisdiction)
        .select_related("jurisdiction")
        # Only what the list shows: in a large catalogue thousands of rows share a purpose,
        # and sorting whole rows cost more than the rest of the page's queries together.
        .only("name", "acronym", "slug", "jurisdiction__short_name", "jurisdiction__slug")
        .order_by("jurisdiction__short_name", "name")
        if route.purpose
        else Route.objects.none()
    )
    related = list(route.related_routes.all())
    return related + [other for other in same_purpose[:8] if other not in related]


@dataclass
class PurposeGroup:
    purpose: str
    label: str
    columns: list  # [(jurisdiction, [route, …])], one per jurisdiction
    summary: str


def jurisdictions_side_by_side(first, second):
    """The two jurisdictions' published routes grouped by purpose, one column each, with a
    line per group on how many need no job offer."""
    routes = (
        Route.objects.published()
        .filter(jurisdiction__in=[first, second])
        .select_related("jurisdiction", "fees_source", "initial_stay_source")
        .order_by("name")
    )
    by_purpose = defaultdict(lambda: {first.pk: [], second.pk: []})
    for route in routes:
        by_purpose[route.purpose][route.jurisdiction_id].append(route)
    labels = {"": "Other routes", **dict(Purpose.choices)}
    groups = []
    for purpose in [*Purpose.values, ""]:
        if purpose not in by_purpose:
            continue
        columns = [(j, by_purpose[purpose][j.pk]) for j in (first, second)]
        groups.append(PurposeGroup(purpose, labels[purpose], columns, no_job_offer_line(columns)))
    return groups


def no_job_offer_line(columns):
    """ "Hong Kong has 2 routes without a job offer; Singapore has 1."""
    parts = []
    for number, (jurisdiction, routes) in enumerate(columns):
        count = sum(route.sponsorship_required == "no" for route in routes)
        noun = "route" if count == 1 else "routes"
        what = f"{count} {noun} without a job offer" if number == 0 else str(count)
        parts.append(f"{jurisdiction.short_name} has {what}")
    return "; ".join(parts) + "."


def jurisdiction_pair(first_slug, second_slug):
    """The two jurisdictions, or None if either is unknown."""
    found = {j.slug: j for j in Jurisdiction.objects.filter(slug__in=[first_slug, second_slug])}
    if first_slug == second_slug or len(found) != 2:
        return None
    return found[first_slug], found[second_slug]


NOT_CONFIRMED = "Not confirmed: refer to the official page."


@dataclass
class Cell:
    text: str
    source: object = None


def comparison_rows(routes):
    """[(label, [(route, Cell)])]: the same facts of each route, row by row. A fact we do
    not know says so; it never reads as "no"."""
    rows = {
        "Who it is for": lambda r: Cell(r.summary),
        "What it is for": lambda r: Cell(r.purpose_text() or NOT_CONFIRMED),
        FACT_LABELS["sponsorship"]: lambda r: Cell(
            r.sponsorship_text() or NOT_CONFIRMED, r.sponsorship_source
        ),
        FACT_LABELS["permanent_residency"]: lambda r: Cell(
            r.permanent_residency_text() or NOT_CONFIRMED, r.permanent_residency_source
        ),
        FACT_LABELS["initial_stay"]: lambda r: Cell(
            r.initial_stay or NOT_CONFIRMED, r.initial_stay_source
        ),
        FACT_LABELS["fees"]: lambda r: Cell(r.fees or NOT_CONFIRMED, r.fees_source),
        FACT_LABELS["processing_time"]: lambda r: Cell(
            r.processing_time or NOT_CONFIRMED, r.processing_time_source
        ),
        "Open to applications": lambda r: Cell(availability_text(r)),
        "Your partner and children": lambda r: Cell(
            r.family_summary() or NOT_CONFIRMED, r.family_source
        ),
        "Age": age_cell,
        "Nationality": nationality_cell,
        "Typical criteria": lambda r: Cell(count_text(r.criteria_count, "criterion", "criteria")),
        "Common blockers": lambda r: Cell(count_text(len(r.blockers.all()), "blocker", "blockers")),
    }
    return [(label, [(route, cell(route)) for route in routes]) for label, cell in rows.items()]


def availability_text(route):
    if route.availability == "closed":
        return "Closed to new applicants."
    if route.availability == "closing" and route.closing_on:
        return f"Open until {route.closing_on:%-d %B %Y}."
    return "Open."


def age_cell(route):
    return Cell(route.age_text() or NOT_CONFIRMED, route.age_source if route.age_rule else None)


def nationality_cell(route):
    if route.nationality_text():
        return Cell(route.nationality_text(), route.nationality_source)
    excluded = sorted(
        {str(c) for b in route.blockers.all() for c in b.excluded_nationalities.all()}
    )
    if excluded:
        return Cell(f"Not open to nationals of {', '.join(excluded)}.")
    return Cell("No nationality rule confirmed: refer to the official page.")


def count_text(count, one, many):
    return f"{count} {one if count == 1 else many}"
