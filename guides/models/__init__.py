import reversion

from .aliases import JurisdictionAlias, RouteAlias
from .assessments import Assessment, AssessmentFactor, AssessmentOption
from .base import Audited, NaturalKeyed, SlugNamed
from .catalogue import (
    Author,
    Category,
    Country,
    GlossaryTerm,
    Jurisdiction,
    Profession,
    SearchSynonym,
    Source,
)
from .pages import ContentVersion
from .parts import (
    FAQ,
    Blocker,
    CitedItem,
    EligibilityCriterion,
    EvidenceItem,
    OfficialLink,
    PathwayStep,
    RoutePart,
)
from .routes import Answer, Availability, ReviewState, Route, RouteStatus
from .workflow import (
    ChangeNote,
    DraftEvent,
    Editing,
    PendingChange,
    ProblemReport,
    ReviewRequest,
    ScheduledPublication,
)

# A route and its parts are saved, and restored, as one version; sources on their own.
for part in [EligibilityCriterion, Blocker, EvidenceItem, PathwayStep, OfficialLink, FAQ]:
    reversion.register(part)
# Its stored parts are derived from the parts, which have versions of their own.
reversion.register(Route, follow=Route.PART_RELATIONS, exclude=["page_parts"])
reversion.register(Source)
# An assessment is versioned with its factors and their options.
reversion.register(AssessmentOption)
reversion.register(AssessmentFactor, follow=["options"])
reversion.register(Assessment, follow=["factors"])

__all__ = [
    "FAQ",
    "Answer",
    "Assessment",
    "AssessmentFactor",
    "AssessmentOption",
    "Audited",
    "Author",
    "Availability",
    "Blocker",
    "Category",
    "ChangeNote",
    "CitedItem",
    "ContentVersion",
    "Country",
    "DraftEvent",
    "Editing",
    "EligibilityCriterion",
    "EvidenceItem",
    "GlossaryTerm",
    "Jurisdiction",
    "JurisdictionAlias",
    "NaturalKeyed",
    "OfficialLink",
    "PathwayStep",
    "PendingChange",
    "ProblemReport",
    "Profession",
    "ReviewRequest",
    "ReviewState",
    "Route",
    "RouteAlias",
    "RoutePart",
    "RouteStatus",
    "ScheduledPublication",
    "SearchSynonym",
    "SlugNamed",
    "Source",
]
