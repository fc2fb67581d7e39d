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
from .routes import Answer, Availability, Route, RouteStatus

__all__ = [
    "FAQ",
    "Answer",
    "Audited",
    "Author",
    "Availability",
    "Blocker",
    "Category",
    "CitedItem",
    "Country",
    "EligibilityCriterion",
    "EvidenceItem",
    "Jurisdiction",
    "JurisdictionAlias",
    "NaturalKeyed",
    "OfficialLink",
    "PathwayStep",
    "Profession",
    "Route",
    "RouteAlias",
    "RoutePart",
    "RouteStatus",
    "SlugNamed",
    "Source",
]
