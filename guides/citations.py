"""Where the site cites its sources: one list of the fields that cite, read by the public
sources register, the admin and the page versions alike.

A route cites a source through its key facts and notice (fields of the route) and through
its criteria, blockers and evidence (parts); a jurisdiction page through its summary and
its note on advisers.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q

from .models import (
    Assessment,
    AssessmentFactor,
    Blocker,
    EligibilityCriterion,
    EvidenceItem,
    GlossaryTerm,
    Jurisdiction,
    PendingChange,
    Route,
    Source,
)

# (route field, what readers call it)
ROUTE_FIELDS = {
    "notice_source": "Notice",
    "processing_time_source": "Key facts: how long a decision takes",
    "fees_source": "Key facts: government fees",
    "initial_stay_source": "Key facts: how long you can stay at first",
    "sponsorship_source": "Key facts: needs a job offer or sponsor",
    "permanent_residency_source": "Key facts: leads to permanent residence",
    "age_source": "Who can apply: age",
    "nationality_source": "Who can apply: nationality",
    "family_source": "Your partner and children",
    "dependant_fee_source": "Your partner and children: fee for each family member",
}
# (part model, the heading it is listed under on the page)
ROUTE_PARTS = {
    EligibilityCriterion: "Typical criteria",
    Blocker: "Common blockers",
    EvidenceItem: "Typical evidence",
}
JURISDICTION_FIELDS = {
    "summary_source": "Summary",
    "adviser_register": "Need tailored advice?",
    "adviser_note_source": "Need tailored advice?",
}
# The jurisdiction's citations that every one of its route pages repeats (the advice note).
SHARED_WITH_ROUTES = ["adviser_note_source", "adviser_register"]


def part_relation(part):
    """The related name of a kind of part on Route: `criteria` for EligibilityCriterion."""
    return part._meta.get_field("route").remote_field.related_name


@dataclass(frozen=True)
class Citation:
    """One place on a page that cites a source: the page (a route or a jurisdiction), where
    on it, and the cited text where it is an item of a list."""

    page: object
    where: str
    text: str = ""


def public_citation_filter(jurisdiction=None):
    """A Q for sources cited by a published route or a jurisdiction page (of `jurisdiction`
    only, if given)."""
    routes = Route.objects.published()
    jurisdictions = Jurisdiction.objects.all()
    if jurisdiction is not None:
        routes = routes.filter(jurisdiction=jurisdiction)
        jurisdictions = jurisdictions.filter(pk=jurisdiction.pk)
    return citation_filter(routes, jurisdictions, glossary=jurisdiction is None)


def citation_filter(routes, jurisdictions, glossary=True):
    """A Q for sources cited by one of `routes` (their pages and self-assessments), one of
    `jurisdictions`, or (if `glossary`) the glossary."""
    subqueries = [
        *(part.objects.filter(route__in=routes, source=OuterRef("pk")) for part in ROUTE_PARTS),
        *(routes.filter(**{field: OuterRef("pk")}) for field in ROUTE_FIELDS),
        *(jurisdictions.filter(**{field: OuterRef("pk")}) for field in JURISDICTION_FIELDS),
        Assessment.objects.filter(route__in=routes, source=OuterRef("pk")),
        AssessmentFactor.objects.filter(assessment__route__in=routes, source=OuterRef("pk")),
        *([GlossaryTerm.objects.filter(source=OuterRef("pk"))] if glossary else []),
    ]
    return reduce(or_, (Q(Exists(subquery)) for subquery in subqueries))


def cited_by_waiting_changes():
    """The ids of the sources that changes waiting for a Publisher cite."""
    relations = [part_relation(part) for part in ROUTE_PARTS]
    cited = set()
    for content in PendingChange.objects.values_list("content", flat=True):
        cited.update(content["route"].get(field) for field in ROUTE_FIELDS)
        for relation in relations:
            cited.update(item.get("source") for item in content["parts"].get(relation, {}).values())
    return cited - {None}


def route_citation_filter(source):
    """A Q for routes whose page cites `source`: a key fact, the notice, an item, or the
    advice note it shares with its jurisdiction."""
    return reduce(
        or_,
        [
            *(Q(**{field: source}) for field in ROUTE_FIELDS),
            *(Q(**{f"{part_relation(part)}__source": source}) for part in ROUTE_PARTS),
            *(Q(**{f"jurisdiction__{field}": source}) for field in SHARED_WITH_ROUTES),
        ],
    )


def cites_failing_source():
    """An expression for routes: whether a source the route's page cites failed its last link
    check or moved."""
    failing = Source.objects.failing_link_check()
    subqueries = [
        *(part.objects.filter(route=OuterRef("pk"), source__in=failing) for part in ROUTE_PARTS),
        failing.filter(
            reduce(
                or_,
                [
                    *(Q(pk=OuterRef(field)) for field in ROUTE_FIELDS),
                    *(Q(pk=OuterRef(f"jurisdiction__{field}")) for field in SHARED_WITH_ROUTES),
                ],
            )
        ),
    ]
    return reduce(or_, (Q(Exists(subquery)) for subquery in subqueries))


def citations_of(sources, routes=None):
    """{source id: [Citation, …]} for `sources`, on the pages of `routes` (default: the
    published ones) and of every jurisdiction. Five queries, whatever the number of sources."""
    ids = [source.pk for source in sources]
    routes = Route.objects.published() if routes is None else routes
    found = {source_id: [] for source_id in ids}
    for part, heading in ROUTE_PARTS.items():
        items = (
            part.objects.filter(source_id__in=ids, route__in=routes)
            .select_related("route__jurisdiction")
            .defer("route__page_parts")
        )
        for item in items.order_by("route__jurisdiction__short_name", "route__name", "position"):
            found[item.source_id].append(Citation(item.route, heading, item.text))
    any_field = reduce(or_, (Q(**{f"{field}__in": ids}) for field in ROUTE_FIELDS))
    for route in routes.filter(any_field).select_related("jurisdiction"):
        for field, where in ROUTE_FIELDS.items():
            source_id = getattr(route, f"{field}_id")
            if source_id in found:
                found[source_id].append(Citation(route, where))
    any_field = reduce(or_, (Q(**{f"{field}__in": ids}) for field in JURISDICTION_FIELDS))
    for jurisdiction in Jurisdiction.objects.filter(any_field):
        for field, where in JURISDICTION_FIELDS.items():
            source_id = getattr(jurisdiction, f"{field}_id")
            if source_id in found:
                found[source_id].append(Citation(jurisdiction, where))
    for citations in found.values():
        citations.sort(key=page_order)
    return found


def page_order(citation):
    """Jurisdiction by jurisdiction, its own page before its routes."""
    page = citation.page
    if isinstance(page, Jurisdiction):
        return (page.short_name, "")
    return (page.jurisdiction.short_name, page.name)


def pages_of(citations):
    """The distinct pages of a list of citations, in the order first cited."""
    return list(dict.fromkeys(citation.page for citation in citations))
