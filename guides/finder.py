"""The route finder's rules: which routes fit a visitor's answers, and why, in plain words.

Pure Python, no Django: the view reads the routes' structured facts (kept by editors) into
`RouteFacts` and the visitor's answers into `Answers`, and `verdict()` weighs one against the
other. Nothing here names a route or a country; an unknown fact is something to check, never
a reason a route does not fit.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

YES, NO, DEPENDS = "yes", "no", "depends"
CLOSING, CLOSED = "closing", "closed"
AGE_LIMITS, NO_AGE_LIMIT = "limits", "none"

# What each purpose is, in the words of a reason: "a route to work".
PURPOSE_WORDS = {
    "work": "to work",
    "settle": "to settle",
    "study": "to study or stay on after graduating",
    "family": "to join family",
    "invest": "to invest or start a business",
}


class Fit(Enum):
    FITS = "fits"
    MAY_FIT = "may-fit"
    DOES_NOT_FIT = "does-not-fit"


@dataclass(frozen=True)
class RouteFacts:
    """What the finder knows of one route. An empty string means "not confirmed"."""

    key: str
    purpose: str = ""
    sponsorship: str = ""
    sponsorship_note: str = ""
    permanent_residency: str = ""
    permanent_residency_note: str = ""
    availability: str = "open"
    closing_on: date | None = None
    age_rule: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    open_only_to: frozenset = field(default_factory=frozenset)
    nationality_note: str = ""
    excluded: frozenset = field(default_factory=frozenset)
    professions: frozenset = field(default_factory=frozenset)
    partner_can_come: str = ""
    partner_can_work: str = ""


@dataclass(frozen=True)
class Answers:
    """What the visitor told us; an empty answer is a question left unanswered."""

    nationality: str = ""
    nationality_name: str = ""
    age: int | None = None
    purposes: frozenset = field(default_factory=frozenset)
    job_offer: str = ""
    wants_permanent_residency: str = ""
    profession: str = ""
    profession_name: str = ""
    partner: str = ""  # "", "comes", or "works": moving with a partner who wants to work


@dataclass(frozen=True)
class Verdict:
    route: RouteFacts
    fit: Fit
    reasons: tuple = ()  # why it fits
    checks: tuple = ()  # what to check on the official page
    against: tuple = ()  # why it does not fit


def verdict(route, answers):
    """How `route` fits `answers`, with the reasons for each way it does or does not."""
    reasons, checks, against = [], [], []
    for rule in RULES:
        rule(route, answers, reasons, checks, against)
    fit = Fit.DOES_NOT_FIT if against else Fit.MAY_FIT if checks else Fit.FITS
    return Verdict(route, fit, tuple(reasons), tuple(checks), tuple(against))


def on(day):
    return f"{day.day} {day:%B %Y}"


def age_limit_words(minimum, maximum):
    """An age limit as a sentence ends: "18 or older when you apply"."""
    if minimum is not None and maximum is not None:
        return f"{minimum} to {maximum} when you apply"
    if minimum is not None:
        return f"{minimum} or older when you apply"
    return f"{maximum} or younger when you apply"


def availability(route, answers, reasons, checks, against):
    if route.availability == CLOSED:
        since = f" since {on(route.closing_on)}" if route.closing_on else ""
        against.append(f"closed to new applicants{since}")
    elif route.availability == CLOSING and route.closing_on:
        reasons.append(f"open to applications until {on(route.closing_on)}")


def nationality(route, answers, reasons, checks, against):
    """A route is open to every nationality but those its blockers exclude, unless it is
    open only to some."""
    who = route.nationality_note or "people of some countries"
    if not answers.nationality:
        if route.open_only_to:
            checks.append(f"only for {who}")
    elif answers.nationality in route.excluded:
        against.append(f"not open to nationals of {answers.nationality_name}")
    elif route.open_only_to and answers.nationality in route.open_only_to:
        reasons.append(f"open to {who}")
    elif route.open_only_to:
        against.append(f"only for {who}")


def age(route, answers, reasons, checks, against):
    if answers.age is None or route.age_rule == NO_AGE_LIMIT:
        return
    if route.age_rule != AGE_LIMITS:
        checks.append("the official page may set an age limit we have not confirmed")
        return
    limit = age_limit_words(route.minimum_age, route.maximum_age)
    too_young = route.minimum_age is not None and answers.age < route.minimum_age
    too_old = route.maximum_age is not None and answers.age > route.maximum_age
    if too_young or too_old:
        against.append(f"only for people aged {limit}")
    else:
        reasons.append(f"your age fits its limit ({limit})")


def job_offer(route, answers, reasons, checks, against):
    if answers.job_offer == YES and route.sponsorship == YES:
        reasons.append("uses your job offer")
    if answers.job_offer != NO:
        return
    if route.sponsorship == YES:
        against.append("needs a job offer or sponsor")
    elif route.sponsorship == NO:
        reasons.append("no job offer needed")
    elif route.sponsorship == DEPENDS:
        checks.append(route.sponsorship_note or "a job offer is needed in some cases")
    else:
        checks.append("we have not confirmed whether a job offer is needed")


def permanent_residency(route, answers, reasons, checks, against):
    if answers.wants_permanent_residency != YES:
        return
    note = f" ({route.permanent_residency_note})" if route.permanent_residency_note else ""
    if route.permanent_residency == YES:
        reasons.append(f"leads to permanent residence{note}")
    elif route.permanent_residency == DEPENDS:
        checks.append(f"may lead to permanent residence{note}")
    elif route.permanent_residency == NO:
        against.append("does not lead to permanent residence")
    else:
        checks.append("we have not confirmed whether it leads to permanent residence")


def purpose(route, answers, reasons, checks, against):
    if not answers.purposes:
        return
    if route.purpose in answers.purposes:
        reasons.append(f"a route {PURPOSE_WORDS[route.purpose]}")
    elif "settle" in answers.purposes and route.permanent_residency in (YES, DEPENDS):
        reasons.append("a way to settle")
    elif not route.purpose:
        checks.append("we have not confirmed what the route is for")
    else:
        against.append(f"a route {PURPOSE_WORDS[route.purpose]}, which you did not choose")


def profession(route, answers, reasons, checks, against):
    if answers.profession and answers.profession in route.professions:
        reasons.append(f"suits your profession ({answers.profession_name})")


def partner(route, answers, reasons, checks, against):
    if not answers.partner:
        return
    found = {"reasons": reasons, "checks": checks, "against": against}
    sort_answer(route.partner_can_come, found, "your partner can come with you",
                "your partner can come in some cases",
                "your partner cannot come with you on this route",
                "we have not confirmed whether your partner can come")  # fmt: skip
    if answers.partner == "works" and route.partner_can_come != NO:
        sort_answer(route.partner_can_work, found, "your partner may work",
                    "your partner may work in some cases", "your partner may not work",
                    "we have not confirmed whether your partner may work")  # fmt: skip


def sort_answer(answer, found, yes, depends, no, unknown):
    """Put the sentence for a yes / it depends / no / unknown fact where it belongs."""
    group, sentence = {
        YES: ("reasons", yes),
        DEPENDS: ("checks", depends),
        NO: ("against", no),
    }.get(answer, ("checks", unknown))
    found[group].append(sentence)


RULES = [
    availability,
    nationality,
    age,
    job_offer,
    permanent_residency,
    purpose,
    profession,
    partner,
]
