import reversion

from .aliases import JurisdictionAlias, RouteAlias
from .base import Audited, NaturalKeyed, SlugNamed
from .catalogue import Author, Category, Country, Jurisdiction, Profession, Source
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
reversion.register(Route, follow=Route.PART_RELATIONS)
reversion.register(Source)

__all__ = [
    "FAQ",
    "Answer",
    "Audited",
    "Author",
    "Availability",
    "Blocker",
    "Category",
    "ChangeNote",
    "CitedItem",
    "Country",
    "DraftEvent",
    "Editing",
    "EligibilityCriterion",
    "EvidenceItem",
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
    "SlugNamed",
    "Source",
]
