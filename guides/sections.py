"""The sections of a route page, in the order of the seed page.

A section with nothing in it is left out; the page's body and its contents list are both
built from `route_sections`, so they always agree.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    id: str
    title: str

    @property
    def template(self):
        return f"guides/sections/{self.id}.html"


def route_sections(route, comparisons=()):
    """The sections that `route` (fetched with `prefetch_page()`) has content for; `comparisons`
    are what its "compare" section offers."""
    candidates = [
        ("key-facts", "Key facts", True),
        ("overview", "Overview", route.overview_html),
        (
            "eligibility",
            "Eligibility",
            route.criteria.all() or route.blockers.all() or route.evidence.all(),
        ),
        ("family", "Your partner and children", True),
        ("pathway", "Application pathway", route.steps.all()),
        ("official-links", "Official application links", route.official_links.all()),
        ("professions", "Matches these professions", route.professions.all()),
        ("explored-by", "Also explored by", route.explored_by.all()),
        ("compare", "Compare with…", comparisons),
        ("related", "Related routes", route.related_routes.all()),
        ("faq", "Frequently asked questions", route.faqs.all()),
        ("sources", "Sources", route.cited_sources()),
        ("advice", "Need tailored advice?", True),
    ]
    return [Section(id, title) for id, title, has_content in candidates if has_content]
