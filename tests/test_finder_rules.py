"""The finder's rules (guides/finder.py) over generated routes and answers."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from guides.finder import PURPOSE_WORDS, Answers, Fit, RouteFacts, verdict
from guides.models.routes import Purpose

COUNTRIES = ["AF", "CN", "IN", "GB", "SG", "US"]
ANSWERS = ["yes", "no", "depends", ""]
countries = st.frozensets(st.sampled_from(COUNTRIES), max_size=3)


@st.composite
def ages(draw):
    rule = draw(st.sampled_from(["", "none", "limits"]))
    if rule != "limits":
        return rule, None, None
    low, high = sorted(draw(st.lists(st.integers(0, 99), min_size=2, max_size=2)))
    given = draw(st.sampled_from(["both", "minimum", "maximum"]))
    return rule, None if given == "maximum" else low, None if given == "minimum" else high


@st.composite
def routes(draw):
    age_rule, minimum, maximum = draw(ages())
    return RouteFacts(
        key=draw(st.from_regex(r"[a-z]{3}/[a-z]{3}", fullmatch=True)),
        purpose=draw(st.sampled_from(["", *PURPOSE_WORDS])),
        sponsorship=draw(st.sampled_from(ANSWERS)),
        sponsorship_note=draw(st.sampled_from(["", "Needed for some streams."])),
        permanent_residency=draw(st.sampled_from(ANSWERS)),
        availability=draw(st.sampled_from(["open", "closing", "closed"])),
        closing_on=draw(st.none() | st.just(date(2027, 1, 31))),
        age_rule=age_rule,
        minimum_age=minimum,
        maximum_age=maximum,
        open_only_to=draw(countries),
        excluded=draw(countries),
        professions=draw(st.frozensets(st.sampled_from(["nurse", "engineer"]))),
    )


@st.composite
def answers(draw):
    nationality = draw(st.sampled_from(["", *COUNTRIES]))
    profession = draw(st.sampled_from(["", "nurse", "engineer"]))
    return Answers(
        nationality=nationality,
        nationality_name=nationality and f"Country {nationality}",
        age=draw(st.none() | st.integers(0, 120)),
        purposes=draw(st.frozensets(st.sampled_from(list(PURPOSE_WORDS)))),
        job_offer=draw(st.sampled_from(["yes", "no", ""])),
        wants_permanent_residency=draw(st.sampled_from(["yes", ""])),
        profession=profession,
        profession_name=profession.title(),
    )


def test_every_purpose_of_the_model_has_words():
    assert set(PURPOSE_WORDS) == set(Purpose.values)


@given(routes(), answers())
def test_each_route_gets_exactly_one_verdict_with_its_reasons(route, asked):
    found = verdict(route, asked)
    assert found.fit in Fit
    if found.fit is Fit.DOES_NOT_FIT:
        assert found.against
    elif found.fit is Fit.MAY_FIT:
        assert found.checks and not found.against
    else:
        assert not found.checks and not found.against


@given(routes(), answers())
def test_an_excluded_nationality_never_fits(route, asked):
    if asked.nationality in route.excluded:
        found = verdict(route, asked)
        assert found.fit is Fit.DOES_NOT_FIT
        assert f"not open to nationals of {asked.nationality_name}" in found.against


@given(routes(), answers())
def test_a_route_open_only_to_some_fits_no_one_else(route, asked):
    if asked.nationality and route.open_only_to and asked.nationality not in route.open_only_to:
        assert verdict(route, asked).fit is Fit.DOES_NOT_FIT


@given(answers())
def test_unknown_facts_never_make_a_route_not_fit(asked):
    unknown = RouteFacts(key="a/b")
    assert verdict(unknown, asked).fit is not Fit.DOES_NOT_FIT


@given(routes(), answers(), st.none() | st.integers(0, 120))
def test_age_moves_only_routes_with_an_age_rule(route, asked, other_age):
    if route.age_rule == "none":
        moved = Answers(**{**asked.__dict__, "age": other_age})
        assert verdict(route, asked).fit == verdict(route, moved).fit


@given(routes(), answers(), st.sampled_from(["yes", "no", ""]))
def test_the_job_offer_answer_moves_only_routes_that_need_one_or_might(route, asked, other):
    if route.sponsorship == "no":
        moved = Answers(**{**asked.__dict__, "job_offer": other})
        assert verdict(route, asked).fit == verdict(route, moved).fit


@given(routes(), answers(), st.sampled_from(["", *COUNTRIES]))
def test_nationality_moves_only_routes_with_a_nationality_rule(route, asked, other):
    if not route.excluded and not route.open_only_to:
        moved = Answers(**{**asked.__dict__, "nationality": other, "nationality_name": other})
        assert verdict(route, asked).fit == verdict(route, moved).fit


@given(routes(), answers())
def test_wanting_permanent_residency_moves_only_routes_that_may_not_lead_there(route, asked):
    if route.permanent_residency == "yes":
        wanting = Answers(**{**asked.__dict__, "wants_permanent_residency": "yes"})
        indifferent = Answers(**{**asked.__dict__, "wants_permanent_residency": ""})
        assert verdict(route, wanting).fit == verdict(route, indifferent).fit


def test_reasons_are_plain_words_from_the_facts():
    route = RouteFacts(
        key="hk/qmas",
        purpose="settle",
        sponsorship="no",
        permanent_residency="yes",
        permanent_residency_note="after 7 years",
        age_rule="limits",
        minimum_age=18,
        professions=frozenset({"software-engineer"}),
    )
    asked = Answers(
        age=30,
        purposes=frozenset({"settle"}),
        job_offer="no",
        wants_permanent_residency="yes",
        profession="software-engineer",
        profession_name="Software engineer",
    )
    found = verdict(route, asked)
    assert found.fit is Fit.FITS
    assert found.reasons == (
        "your age fits its limit (18 or older when you apply)",
        "no job offer needed",
        "leads to permanent residence (after 7 years)",
        "a route to settle",
        "suits your profession (Software engineer)",
    )


def test_what_to_check_and_why_not_in_plain_words():
    depends = RouteFacts(key="a/b", sponsorship="depends", sponsorship_note="")
    assert verdict(depends, Answers(job_offer="no")).checks == (
        "a job offer is needed in some cases",
    )
    assert verdict(RouteFacts(key="a/b"), Answers(age=30)).checks == (
        "the official page may set an age limit we have not confirmed",
    )
    closed = RouteFacts(key="a/b", availability="closed", closing_on=date(2024, 4, 30))
    assert verdict(closed, Answers()).against == ("closed to new applicants since 30 April 2024",)
    only = RouteFacts(
        key="a/b",
        open_only_to=frozenset({"CN"}),
        nationality_note="Chinese residents of the Mainland",
    )
    assert verdict(only, Answers(nationality="IN", nationality_name="India")).against == (
        "only for Chinese residents of the Mainland",
    )
